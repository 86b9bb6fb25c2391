//! The event loop: one channel in, `update` → effects → draw when something changed.

use std::collections::HashMap;
use std::io;
use std::thread;
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};
use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::app::App;
use crate::demo::protocol::Event as DemoEvent;
use crate::demo::runner::{self, RunHandle};
use crate::lesson::Lesson;
use crate::msg::{Effect, ExitReason, Msg};
use crate::sampler::{Command, ExitInfo, Sampler};
use crate::terminal::TerminalSession;
use crate::theme::Theme;
use crate::ui;

/// How lectern's own process is labelled in the gauges.
pub const UI_LABEL: &str = "lectern UI";

/// Presents `lesson` full screen from slide `start` (0-based) until the user quits, a signal
/// arrives or input fails. The terminal is restored before this returns.
///
/// # Errors
/// Any I/O error from setting up or drawing on the terminal.
pub fn present(lesson: Lesson, theme: Theme, start: usize, rate_hz: u8) -> io::Result<ExitReason> {
    // Signals first: a SIGTERM during start-up must still restore the terminal.
    let (tx, rx) = unbounded();
    let signals = listen_for_signals(tx.clone())?;
    let mut session = TerminalSession::enter()?;
    spawn_input_reader(tx.clone())?;
    let sample_tx = tx.clone();
    let sampler = Sampler::spawn(rate_hz, move |sample| {
        sample_tx.send(Msg::Sample(Box::new(sample))).is_ok()
    })?;
    sampler.send(Command::TrackSelf {
        pid: std::process::id(),
        label: UI_LABEL.into(),
    });
    let size = session.terminal.size()?;
    let mut app = App::new(lesson, theme, start, size, Instant::now());
    session.terminal.draw(|frame| ui::render(&app, frame))?;
    let mut demos = Demos {
        tx,
        runs: HashMap::new(),
        sampler: &sampler,
    };
    let reason = event_loop(&mut app, &mut session, &rx, &mut demos);
    demos.kill_all();
    signals.close();
    drop(sampler);
    drop(session);
    reason
}

/// The demo runs the loop has started, by run number.
struct Demos<'a> {
    tx: Sender<Msg>,
    runs: HashMap<u64, RunHandle>,
    sampler: &'a Sampler,
}

impl Demos<'_> {
    fn start(&mut self, run: u64, demo: &'static str, params: &crate::demo::Params) {
        match runner::start(run, demo, params, self.tx.clone()) {
            Ok(handle) => {
                self.sampler.send(Command::TrackTree {
                    pid: handle.pid,
                    label: Some(format!("demo: {demo}")),
                });
                self.runs.insert(run, handle);
            }
            Err(err) => {
                let message = format!("cannot start the demo: {err}");
                let _ = self.tx.send(Msg::Demo {
                    run,
                    event: DemoEvent::Error { message },
                });
                let _ = self.tx.send(Msg::DemoExited {
                    run,
                    exit: ExitInfo::Unknown,
                });
            }
        }
    }

    fn stop(&mut self, run: u64) {
        if let Some(handle) = self.runs.remove(&run) {
            handle.kill();
        }
    }

    fn kill_all(&mut self) {
        for (_, handle) in self.runs.drain() {
            handle.kill();
        }
    }
}

fn event_loop(
    app: &mut App,
    session: &mut TerminalSession,
    rx: &Receiver<Msg>,
    demos: &mut Demos<'_>,
) -> io::Result<ExitReason> {
    loop {
        // Sleep until a message arrives or the timer's second ticks over: no frame tick.
        let first = match app.next_wakeup(Instant::now()) {
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => Msg::Tick,
                Err(RecvTimeoutError::Disconnected) => return Ok(disconnected()),
            },
            None => match rx.recv() {
                Ok(msg) => msg,
                Err(_) => return Ok(disconnected()),
            },
        };
        let mut redraw = false;
        // One ioctl per wake-up; samples guarantee a wake-up at least every second.
        if crate::terminal::hung_up() {
            return Ok(ExitReason::Signal(SIGHUP));
        }
        // Fold everything already queued into the state before drawing once.
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            for effect in app.update(msg, Instant::now()) {
                match effect {
                    Effect::Redraw => redraw = true,
                    Effect::Quit(reason) => return Ok(reason),
                    Effect::StartDemo { run, demo, params } => demos.start(run, demo, &params),
                    Effect::StopDemo { run } => demos.stop(run),
                    Effect::Sampler(command) => demos.sampler.send(command),
                }
            }
        }
        if redraw {
            session.terminal.draw(|frame| ui::render(app, frame))?;
        }
    }
}

fn disconnected() -> ExitReason {
    ExitReason::Error("every input source stopped".into())
}

/// Reads terminal events on a thread of its own and forwards the ones that matter.
///
/// # Errors
/// If the thread cannot be started.
pub fn spawn_input_reader(tx: Sender<Msg>) -> io::Result<()> {
    thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Msg::Key(key),
                    Ok(Event::Mouse(mouse)) if is_mouse_action(mouse.kind) => Msg::Mouse(mouse),
                    Ok(Event::Resize(width, height)) => Msg::Resize(width, height),
                    Ok(_) => continue,
                    Err(err) => {
                        let _ = tx.send(Msg::InputFailed(err.to_string()));
                        return;
                    }
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        })
        .map(drop)
}

/// Mouse motion is reported too; only clicks and the wheel do anything, so drop the rest
/// before it wakes the UI.
fn is_mouse_action(kind: MouseEventKind) -> bool {
    matches!(
        kind,
        MouseEventKind::Down(_) | MouseEventKind::ScrollDown | MouseEventKind::ScrollUp
    )
}

/// Turns SIGINT, SIGTERM and SIGHUP into messages, so they end in the same orderly exit as
/// `q`. A second signal of the same kind terminates at once, in case the loop is stuck.
///
/// # Errors
/// If the handlers or the thread cannot be set up.
pub fn listen_for_signals(tx: Sender<Msg>) -> io::Result<signal_hook::iterator::Handle> {
    const SIGNALS: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];
    let received = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in SIGNALS {
        signal_hook::flag::register_conditional_shutdown(signal, 1, received.clone())?;
        signal_hook::flag::register(signal, received.clone())?;
    }
    let mut signals = Signals::new(SIGNALS)?;
    let handle = signals.handle();
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if tx.send(Msg::Signal(signal)).is_err() {
                    return;
                }
            }
        })?;
    Ok(handle)
}

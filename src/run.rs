//! The event loop: one channel in, `update` → effects → draw when something changed.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};
use signal_hook::consts::SIGHUP;

use crate::app::{App, EngineChoiceState};
use crate::demo::engine::{Engine, Engines};
use crate::demo::protocol::Event as DemoEvent;
use crate::demo::runner::{self, Report, RunHandle};
use crate::input::{listen_for_signals, spawn_input_reader};
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
pub fn present(
    lesson: Lesson,
    theme: Theme,
    start: usize,
    rate_hz: u8,
    engines: Engines,
) -> io::Result<ExitReason> {
    // Per-core parameter defaults read the core count from files: do it now, not while drawing.
    let _ = crate::demo::params::cores();
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
    app.engines = EngineChoiceState {
        current: engines.default,
        python: engines.python.as_ref().map(|(python, _)| python.describe()),
        why_not_python: engines.why_not_python.clone(),
    };
    // Why CPython is not used is said once, where the presenter looks.
    app.status.clone_from(&engines.why_not_python);
    let mut layout = LayoutTracker::default();
    layout.refresh(&mut app);
    session.terminal.draw(|frame| ui::render(&app, frame))?;
    let mut demos = Demos {
        tx,
        runs: HashMap::new(),
        sampler: &sampler,
        engines,
    };
    let reason = event_loop(&mut app, &mut session, &rx, &mut demos, &mut layout);
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
    engines: Engines,
}

/// Works the layout facts out again after the state changed and hands them to the app as a
/// message when they differ, so `update` never calls the drawing code. The slide's part (the
/// costly one: laying the slide out) is redone only when the slide, size or notes changed.
#[derive(Debug, Default)]
pub struct LayoutTracker {
    key: Option<(usize, u16, u16, bool)>,
    slide: crate::app::LayoutFacts,
}

impl LayoutTracker {
    /// Sends `app` fresh layout facts if they changed.
    pub fn refresh(&mut self, app: &mut App) {
        let key = ui::layout_key(app);
        if self.key != Some(key) {
            self.key = Some(key);
            self.slide = ui::slide_facts(app);
        }
        let mut facts = self.slide;
        ui::demo_facts(app, &mut facts);
        if facts != app.layout {
            app.update(Msg::Layout(facts), app.now);
        }
    }
}

impl Demos<'_> {
    fn start(
        &mut self,
        run: u64,
        name: &'static str,
        params: &crate::demo::Params,
        engine: Engine,
    ) {
        let tx = self.tx.clone();
        let report = Arc::new(move |report: Report| {
            let msg = match report {
                Report::Event(event) => Msg::Demo { run, event },
                Report::Exited(exit) => Msg::DemoExited { run, exit },
            };
            tx.send(msg).is_ok()
        });
        let started = crate::demo::find(name)
            .map_err(io::Error::other)
            .and_then(|demo| {
                runner::start(demo, params, &self.engines.launch(demo, engine), report)
            });
        match started {
            Ok(handle) => {
                // A twin runs under lectern's supervisor, which the gauges name as such.
                let label = match self.engines.launch_engine(name, engine) {
                    Engine::Python => "supervisor".to_string(),
                    Engine::Native => name.to_string(),
                };
                self.sampler.send(Command::TrackTree {
                    pid: handle.pid,
                    label: Some(label),
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

    fn exited(&mut self, run: u64, exit: ExitInfo) {
        if let Some(handle) = self.runs.remove(&run) {
            self.sampler.send(Command::Exited {
                pid: handle.pid,
                exit,
            });
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
    layout: &mut LayoutTracker,
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
            // The gauges learn how a demo's first process ended from the loop that started it.
            if let Msg::DemoExited { run, exit } = &msg {
                demos.exited(*run, *exit);
            }
            for effect in app.update(msg, Instant::now()) {
                match effect {
                    Effect::Redraw => redraw = true,
                    Effect::Quit(reason) => return Ok(reason),
                    Effect::StartDemo {
                        run,
                        demo,
                        params,
                        engine,
                    } => demos.start(run, demo, &params, engine),
                    Effect::StopDemo { run } => demos.stop(run),
                    Effect::Sampler(command) => demos.sampler.send(command),
                }
            }
            layout.refresh(app);
        }
        if redraw {
            session.terminal.draw(|frame| ui::render(app, frame))?;
        }
    }
}

fn disconnected() -> ExitReason {
    ExitReason::Error("every input source stopped".into())
}

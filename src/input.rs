//! The two threads every full-screen view shares: terminal input and termination signals.
//! Each view has its own message type; it says which inputs it wants through [`FromInput`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::mpsc::Sender;

/// Something the terminal or the OS told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A key was pressed (presses and auto-repeats; releases are dropped at the source).
    Key(KeyEvent),
    /// The mouse was clicked or its wheel turned.
    Mouse(MouseEvent),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// A termination signal arrived (SIGINT, SIGTERM or SIGHUP).
    Signal(i32),
    /// Reading terminal input failed (for instance the terminal went away).
    Failed(String),
}

/// A message type that can carry (some) inputs.
pub trait FromInput: Sized {
    /// The message for `input`, or `None` if this view ignores such input.
    fn from_input(input: Input) -> Option<Self>;
}

/// Lets another program have the terminal for a while (an editor): while paused, the
/// input thread reads nothing, so every key goes to that program.
#[derive(Debug, Clone, Default)]
pub struct InputGate {
    inner: Arc<GateState>,
}

#[derive(Debug, Default)]
struct GateState {
    /// Asked to stop reading.
    paused: AtomicBool,
    /// Stopped reading (set by the input thread once it is between reads).
    parked: AtomicBool,
}

/// How long one wait for input lasts before the thread looks at the gate again: four
/// wake-ups a second of an idle thread, and an editor that starts within a quarter second.
const GATE_POLL: Duration = Duration::from_millis(250);

impl InputGate {
    /// Stops the input thread reading and waits (briefly) until it has.
    pub fn pause(&self) {
        self.inner.paused.store(true, Ordering::SeqCst);
        let start = Instant::now();
        while !self.inner.parked.load(Ordering::SeqCst) && start.elapsed() < 2 * GATE_POLL {
            thread::sleep(Duration::from_millis(2));
        }
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        self.inner.paused.store(false, Ordering::SeqCst);
    }
}

/// Reads terminal events on a thread of its own and forwards the ones that matter; the gate
/// it returns pauses it.
///
/// # Errors
/// If the thread cannot be started.
pub fn spawn_input_reader<M: FromInput + Send + 'static>(
    tx: Sender<M>,
) -> std::io::Result<InputGate> {
    let gate = InputGate::default();
    let state = gate.inner.clone();
    thread::Builder::new().name("input".into()).spawn(move || {
        loop {
            if state.paused.load(Ordering::SeqCst) {
                state.parked.store(true, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10));
                continue;
            }
            state.parked.store(false, Ordering::SeqCst);
            // Wait a little at a time, so a pause takes effect between reads.
            match event::poll(GATE_POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(err) => {
                    if let Some(msg) = M::from_input(Input::Failed(err.to_string())) {
                        let _ = tx.send(msg);
                    }
                    return;
                }
            }
            let input = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Input::Key(key),
                Ok(Event::Mouse(mouse)) if is_mouse_action(mouse.kind) => Input::Mouse(mouse),
                Ok(Event::Resize(width, height)) => Input::Resize(width, height),
                Ok(_) => continue,
                Err(err) => {
                    if let Some(msg) = M::from_input(Input::Failed(err.to_string())) {
                        let _ = tx.send(msg);
                    }
                    return;
                }
            };
            if let Some(msg) = M::from_input(input)
                && tx.send(msg).is_err()
            {
                return;
            }
        }
    })?;
    Ok(gate)
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
pub fn listen_for_signals<M: FromInput + Send + 'static>(
    tx: Sender<M>,
) -> std::io::Result<signal_hook::iterator::Handle> {
    const SIGNALS: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];
    let received = Arc::new(AtomicBool::new(false));
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
                let Some(msg) = M::from_input(Input::Signal(signal)) else {
                    continue;
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        })?;
    Ok(handle)
}

//! Making one run for the report: start it, keep its results, stop everything on a signal;
//! and the progress line the report keeps on stderr while runs go.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use crate::claims::Measurement;
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::launch::Launch;
use crate::demo_runtime::protocol::{Event, NoteLevel};
use crate::demo_runtime::runner::{self, Report};
use crate::input::{FromInput, Input};

/// What one run measured, or why it measured nothing.
pub type Measured = Result<Measurement, String>;

/// What the report waits for: a signal that stops it, or a report from the run numbered
/// so (a run killed by a signal could still be reporting when the next would begin).
pub enum Incoming {
    Stop(i32),
    Report(usize, Report),
}

impl FromInput for Incoming {
    fn from_input(input: Input) -> Option<Self> {
        match input {
            Input::Signal(signal) => Some(Self::Stop(signal)),
            _ => None,
        }
    }
}

/// Runs one demo to its end; `Err(signal)` if a signal stopped the report.
pub fn measure(
    request: &RunRequest,
    launch: &Launch,
    (run, tx, rx): (usize, &Sender<Incoming>, &Receiver<Incoming>),
) -> Result<Measured, i32> {
    let tx = tx.clone();
    let report = Arc::new(move |report| tx.send(Incoming::Report(run, report)).is_ok());
    let handle = match runner::start(request, launch, report) {
        Ok(handle) => handle,
        Err(err) => return Ok(Err(format!("cannot start: {err}"))),
    };
    let mut results = BTreeMap::new();
    let mut simulated = None;
    let mut error = None;
    loop {
        let report = match rx.recv() {
            Ok(Incoming::Stop(signal)) => {
                handle.kill();
                return Err(signal);
            }
            Ok(Incoming::Report(from, report)) if from == run => report,
            Ok(Incoming::Report(..)) => continue,
            Err(_) => return Ok(Err("the run's reports stopped".into())),
        };
        match report {
            Report::Event(Event::Result { name, value }) => {
                results.insert(name, value);
            }
            Report::Event(Event::Summary { results: all, .. }) => results.extend(all),
            Report::Event(Event::Error { message }) => error = Some(message),
            Report::Event(Event::Note {
                level: NoteLevel::Simulated,
                message,
            }) => {
                simulated.get_or_insert(message);
            }
            Report::Event(_) => {}
            Report::Exited(exit) => {
                return Ok(match error {
                    Some(message) => Err(message),
                    None if results.is_empty() => Err(format!("no results ({})", exit.describe())),
                    None => Ok(Measurement { results, simulated }),
                });
            }
        }
    }
}

/// A progress line on stderr: redrawn in place on a terminal, one line per run otherwise.
pub struct Progress {
    total: usize,
    tty: bool,
}

impl Progress {
    /// A progress line for `total` runs.
    #[must_use]
    pub fn new(total: usize) -> Self {
        Self {
            total,
            tty: io::stderr().is_terminal(),
        }
    }

    /// Shows that run `done + 1` is `demo` in `column`, in round `round` of `rounds`.
    pub fn show(&self, done: usize, demo: &str, column: &str, (round, rounds): (usize, usize)) {
        const WIDTH: usize = 24;
        let filled = WIDTH * done / self.total.max(1);
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(WIDTH - filled));
        let round = if rounds > 1 {
            format!(", round {} of {rounds}", round + 1)
        } else {
            String::new()
        };
        let line = format!("{bar} {}/{} {demo} ({column}{round})", done + 1, self.total);
        if self.tty {
            eprint!("\r\x1b[2K{line}");
        } else {
            eprintln!("{line}");
        }
    }

    /// Clears the line (on a terminal).
    pub fn done(&self) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}

//! Starting and stopping a demo from a multithreaded process (the UI or `lectern demo`):
//! the worker runs in a process group of its own, started and waited for by one thread that
//! lives exactly as long as it (the parent-death signal is tied to that thread). What the
//! demo reports goes to a callback, so this layer knows nothing of the UI's messages.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;

use nix::sys::signal::{Signal, killpg};

use super::params::Params;
use super::protocol::{Event, NoteLevel};
use crate::os;
use crate::sampler::ExitInfo;
use crate::supervise::{OnLine, Stream, spawn_waited};

/// What a running demo reports to whoever started it.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// A protocol event (anything on its stderr arrives as a warning note).
    Event(Event),
    /// The worker ended and has been reaped; nothing more will come.
    Exited(ExitInfo),
}

/// Receives a run's reports, on the run's own threads; returns `false` when nobody listens
/// any more.
pub type OnReport = Arc<dyn Fn(Report) -> bool + Send + Sync>;

/// A running demo: the PID of its worker, which is also its process group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunHandle {
    /// The worker's PID and process group.
    pub pid: u32,
}

impl RunHandle {
    /// Kills every process of the demo at once. The worker is reaped by its waiting thread
    /// (which then reports [`Report::Exited`]); its descendants die with it, and any orphan is
    /// reaped by init.
    pub fn kill(self) {
        let _ = killpg(os::pid(self.pid), Signal::SIGKILL);
    }
}

/// Starts `demo` with `params`; `report` gets its events and then its end.
///
/// # Errors
/// If lectern's executable cannot be found or started.
pub fn start(demo: &str, params: &Params, report: OnReport) -> io::Result<RunHandle> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .args([
            "worker",
            "demo",
            demo,
            "--parent",
            &std::process::id().to_string(),
        ])
        .args(
            params
                .iter()
                .flat_map(|(k, v)| ["--set".to_string(), format!("{k}={v}")]),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let events = Arc::clone(&report);
    // Stdout carries the protocol; anything on stderr is shown as a warning note.
    let on_line: OnLine = Arc::new(move |stream, line| {
        let event = match stream {
            Stream::Stdout => Event::from_line(line.trim_end()),
            Stream::Stderr => Some(Event::Note {
                level: NoteLevel::Warn,
                message: line,
            }),
        };
        event.is_none_or(|event| events(Report::Event(event)))
    });
    let pid = spawn_waited(command, format!("demo-{demo}"), on_line, move |exit| {
        report(Report::Exited(exit));
    })?;
    Ok(RunHandle { pid })
}

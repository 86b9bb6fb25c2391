//! Starting and stopping a demo from a multithreaded process (the UI or `lectern demo`):
//! the worker runs in a process group of its own, started and waited for by one thread that
//! lives exactly as long as it (the parent-death signal is tied to that thread).

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;

use crossbeam_channel::Sender;
use nix::sys::signal::{Signal, killpg};

use super::protocol::{Event, NoteLevel};
use super::registry::Params;
use crate::msg::{Msg, Stream};
use crate::os;
use crate::supervise::{OnLine, spawn_waited};

/// A running demo: its run number and the PID of its worker (also its process group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunHandle {
    /// The run's number (messages of older runs are ignored).
    pub id: u64,
    /// The worker's PID and process group.
    pub pid: u32,
}

impl RunHandle {
    /// Kills every process of the demo at once. The worker is reaped by its waiting thread
    /// (which then sends [`Msg::DemoExited`]); its descendants die with it, and any orphan is
    /// reaped by init.
    pub fn kill(self) {
        let _ = killpg(os::pid(self.pid), Signal::SIGKILL);
    }
}

/// Starts `demo` with `params` as run `id`. Its events arrive on `tx` as [`Msg::Demo`], its
/// end as [`Msg::DemoExited`].
///
/// # Errors
/// If lectern's executable cannot be found or started.
pub fn start(id: u64, demo: &str, params: &Params, tx: Sender<Msg>) -> io::Result<RunHandle> {
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
    let events = tx.clone();
    // Stdout carries the protocol; anything on stderr is shown as a warning note.
    let on_line: OnLine = Arc::new(move |stream, line| {
        let event = match stream {
            Stream::Stdout => Event::from_line(line.trim_end()),
            Stream::Stderr => Some(Event::Note {
                level: NoteLevel::Warn,
                message: line,
            }),
        };
        event.is_none_or(|event| events.send(Msg::Demo { run: id, event }).is_ok())
    });
    let pid = spawn_waited(command, format!("demo-{id}"), on_line, move |exit| {
        let _ = tx.send(Msg::DemoExited { run: id, exit });
    })?;
    Ok(RunHandle { id, pid })
}

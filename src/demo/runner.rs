//! Starting and stopping a demo from a multithreaded process (the UI or `lectern demo`):
//! the worker runs in a process group of its own, started and waited for by one thread that
//! lives exactly as long as it (the parent-death signal is tied to that thread).

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use crossbeam_channel::{Sender, bounded};
use nix::sys::signal::{Signal, killpg};

use super::protocol::{Event, NoteLevel};
use super::registry::Params;
use crate::msg::Msg;
use crate::os;
use crate::sampler::ExitInfo;

/// How long to wait for a demo's last lines after its worker has exited.
const OUTPUT_DRAIN: Duration = Duration::from_millis(300);

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
    let (started_tx, started_rx) = bounded::<io::Result<u32>>(1);
    std::thread::Builder::new()
        .name(format!("demo-{id}"))
        .spawn(move || {
            let mut child = match command.spawn() {
                Ok(child) => child,
                Err(err) => {
                    let _ = started_tx.send(Err(err));
                    return;
                }
            };
            let _ = started_tx.send(Ok(child.id()));
            let (done_tx, done_rx) = bounded::<()>(0);
            if let Some(out) = child.stdout.take() {
                forward(out, id, tx.clone(), done_tx.clone(), Event::from_line);
            }
            if let Some(err) = child.stderr.take() {
                let as_note = |line: &str| {
                    Some(Event::Note {
                        level: NoteLevel::Warn,
                        message: line.to_string(),
                    })
                };
                forward(err, id, tx.clone(), done_tx.clone(), as_note);
            }
            drop(done_tx);
            let exit = child
                .wait()
                .map_or(ExitInfo::Unknown, crate::watch::exit_info);
            let _ = done_rx.recv_timeout(OUTPUT_DRAIN);
            let _ = tx.send(Msg::DemoExited { run: id, exit });
        })?;
    let pid = started_rx
        .recv()
        .map_err(|_| io::Error::other("the demo thread died"))??;
    Ok(RunHandle { id, pid })
}

fn forward(
    pipe: impl Read + Send + 'static,
    run: u64,
    tx: Sender<Msg>,
    done: Sender<()>,
    parse: impl Fn(&str) -> Option<Event> + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name(format!("demo-{run}-reader"))
        .spawn(move || {
            let _done = done;
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { return };
                if let Some(event) = parse(line.trim_end())
                    && tx.send(Msg::Demo { run, event }).is_err()
                {
                    return;
                }
            }
        });
    if let Err(err) = spawned {
        eprintln!("lectern: cannot read demo {run}'s output: {err}");
    }
}

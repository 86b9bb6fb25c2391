//! Starting and stopping a demo from a multithreaded process (the UI or `lectern demo`):
//! the demo runs in a process group of its own — lectern's native worker, or a CPython twin
//! under lectern's supervisor — started and waited for by one thread that lives exactly as
//! long as it (the parent-death signal is tied to that thread). What the demo reports goes to
//! a callback, so this layer knows nothing of the UI's messages.

use std::ffi::OsString;
use std::io;
use std::process::Stdio;
use std::sync::Arc;

use nix::sys::signal::{Signal, killpg};

use super::launch::Launch;
use super::params::int;
use super::protocol::{Event, NoteLevel};
use super::request::RunRequest;
use super::run_dir::RunDir;
use crate::os;
use crate::process::ExitInfo;
use crate::process::{OnLine, Pace, Stream, spawn_waited};

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

/// A running demo: the PID of its worker, which is also its process group, and the files
/// the run owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHandle {
    /// The worker's PID and process group.
    pub pid: u32,
    /// The run's own files.
    dir: RunDir,
}

impl RunHandle {
    /// Kills every process of the demo at once and removes the run's files at once too: the
    /// caller may be about to exit, before the waiting thread would. The worker is reaped by
    /// its waiting thread (which then reports [`Report::Exited`]); its descendants die with
    /// it, and any orphan is reaped by init.
    pub fn kill(&self) {
        let _ = killpg(os::pid(self.pid), Signal::SIGKILL);
        self.dir.remove();
    }
}

/// How many unreadable stdout lines a run reports before it only counts them.
const GARBLED_SHOWN: u32 = 3;

/// A warning for a stdout line that is not JSON at all (a newer protocol's events are JSON
/// and are skipped quietly), for the first few such lines of a run.
fn unreadable(line: &str, seen: &std::sync::atomic::AtomicU32) -> Option<Event> {
    if line.trim().is_empty() || serde_json::from_str::<serde_json::Value>(line).is_ok() {
        return None;
    }
    let n = seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let shown: String = line.chars().take(60).collect();
    let message = match n {
        _ if n < GARBLED_SHOWN => format!("the demo wrote a line that is not an event: {shown:?}"),
        _ if n == GARBLED_SHOWN => format!(
            "the demo wrote a line that is not an event: {shown:?}; further ones are ignored"
        ),
        _ => return None,
    };
    Some(Event::Note {
        level: NoteLevel::Warn,
        message,
    })
}

/// Starts the run `request` asks for, as `launch` says; `report` gets its events and then its end.
///
/// # Errors
/// If the program cannot be found or started, or the demo has no twin for the engine.
pub fn start(request: &RunRequest, launch: &Launch, report: OnReport) -> io::Result<RunHandle> {
    let (demo, params) = (request.demo(), request.params());
    let name = request.name();
    // Sizes are checked against the memory actually available before anything starts.
    super::machine::check_memory(demo.memory_needed(params))
        .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    // A private temporary directory for the run (multiprocessing puts its sockets there,
    // demos their files), removed when the run ends however it ends, as long as lectern lives.
    let dir = RunDir::create()?;
    let mut command = match launch {
        Launch::Native if !demo.native() => {
            dir.remove();
            return Err(io::Error::other(format!(
                "demo `{name}` is the lesson's own and runs on CPython only, which is not \
                 ready here (see `lectern --engine python`)"
            )));
        }
        Launch::Native => {
            // Under the same supervisor as a CPython twin: it counts the group against the
            // cap from outside, adopts and reaps orphans, and cleans up if lectern dies.
            let args: Vec<OsString> = vec![
                "worker".into(),
                "demo".into(),
                name.into(),
                "--params".into(),
                request.json().into(),
            ];
            super::supervisor::command(
                int(params, "cap"),
                &crate::process::own_program()?.into_os_string(),
                &args,
            )?
        }
        Launch::Python { python, dir } => {
            let Some(twin) = demo.spec().python else {
                return Err(io::Error::other(format!(
                    "demo `{name}` has no CPython twin"
                )));
            };
            // -B: no __pycache__ anywhere; -s -E: no user site or PYTHON* variables, so the
            // run is the same on every machine.
            let mut args: Vec<OsString> = vec![
                "-B".into(),
                "-s".into(),
                "-E".into(),
                dir.join(twin).into_os_string(),
            ];
            // A lesson's own demo: the launcher runs its script.
            if let Some(script) = demo.script() {
                args.push(script.as_os_str().to_owned());
            }
            args.extend(["--params".into(), request.json().into()]);
            super::supervisor::command(int(params, "cap"), python, &args)?
        }
    };
    dir.hand_to(&mut command);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let events = Arc::clone(&report);
    let pace = std::sync::Mutex::new(Pace::default());
    let garbled = std::sync::atomic::AtomicU32::new(0);
    // Stdout carries the protocol; anything on stderr is shown as a warning note.
    let on_line: OnLine = Arc::new(move |stream, line| {
        if let Ok(mut pace) = pace.lock() {
            pace.admit();
        }
        let event = match stream {
            Stream::Stdout => {
                Event::from_line(line.trim_end()).or_else(|| unreadable(&line, &garbled))
            }
            Stream::Stderr => Some(Event::Note {
                level: NoteLevel::Warn,
                message: line,
            }),
        };
        event.is_none_or(|event| events(Report::Event(event)))
    });
    let cleanup = dir.clone();
    let started = spawn_waited(command, format!("demo-{name}"), on_line, move |exit| {
        cleanup.remove();
        report(Report::Exited(exit));
    });
    let pid = match started {
        Ok(pid) => pid,
        Err(err) => {
            dir.remove();
            return Err(err);
        }
    };
    Ok(RunHandle { pid, dir })
}

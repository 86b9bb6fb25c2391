//! Starting and stopping a demo from a multithreaded process (the UI or `lectern demo`):
//! the demo runs in a process group of its own — lectern's native worker, or a CPython twin
//! under lectern's supervisor — started and waited for by one thread that lives exactly as
//! long as it (the parent-death signal is tied to that thread). What the demo reports goes to
//! a callback, so this layer knows nothing of the UI's messages.

use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use nix::sys::signal::{Signal, killpg};

use super::engine::Engine;
use super::params::{Params, int, to_json};
use super::protocol::{Event, NoteLevel};
use super::unit::Demo;
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

/// A running demo: the PID of its worker, which is also its process group, and the files
/// the run owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHandle {
    /// The worker's PID and process group.
    pub pid: u32,
    /// The run's private temporary directory.
    tmp: PathBuf,
    /// The run's id, which names its shared memory.
    run_id: String,
}

impl RunHandle {
    /// Kills every process of the demo at once and removes the run's files at once too: the
    /// caller may be about to exit, before the waiting thread would. The worker is reaped by
    /// its waiting thread (which then reports [`Report::Exited`]); its descendants die with
    /// it, and any orphan is reaped by init.
    pub fn kill(&self) {
        let _ = killpg(os::pid(self.pid), Signal::SIGKILL);
        clean_up(&self.tmp, &self.run_id);
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

/// Most output lines a run may send per second. A demo that floods its output is slowed
/// down instead: its reader waits, the pipe fills, and the demo blocks in `write` — so the
/// UI's queue and memory stay bounded and it keeps answering keys.
pub(crate) const MAX_LINES_PER_SECOND: u32 = 5000;

/// Counts a run's lines per one-second window.
#[derive(Debug)]
pub(crate) struct Pace {
    window: std::time::Instant,
    lines: u32,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            window: std::time::Instant::now(),
            lines: 0,
        }
    }
}

impl Pace {
    /// Lets one more line through, first waiting out the window if it is used up.
    pub(crate) fn admit(&mut self) {
        let elapsed = self.window.elapsed();
        if elapsed >= std::time::Duration::from_secs(1) {
            *self = Self::default();
        } else if self.lines >= MAX_LINES_PER_SECOND {
            std::thread::sleep(std::time::Duration::from_secs(1).saturating_sub(elapsed));
            *self = Self::default();
        }
        self.lines += 1;
    }
}

/// Removes what a run may have left: its private temporary directory, and shared memory
/// named after it (`/dev/shm/RUN_ID-…`), whether or not it ended cleanly.
pub(crate) fn clean_up(tmp: &std::path::Path, run_id: &str) {
    let _ = std::fs::remove_dir_all(tmp);
    if run_id.is_empty() {
        return;
    }
    let prefix = format!("{run_id}-");
    if let Ok(entries) = std::fs::read_dir("/dev/shm") {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A new private directory (mode 0700) under the system's temporary directory.
fn private_tmp() -> io::Result<PathBuf> {
    private_dir("lectern-demo")
}

/// A new private directory (mode 0700) under the system's temporary directory, named
/// `PREFIX-PID-N`.
pub(crate) fn private_dir(prefix: &str) -> io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let dir = base.join(format!("{prefix}-{}-{attempt}", std::process::id()));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other(
        "cannot make a private temporary directory",
    ))
}

/// How to start a demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// lectern's own worker.
    Native,
    /// The demo's CPython twin, found in `dir`, run by `python`.
    Python {
        /// The interpreter.
        python: OsString,
        /// Where the twins were written.
        dir: PathBuf,
    },
}

impl Launch {
    /// The engine this launches on.
    #[must_use]
    pub fn engine(&self) -> Engine {
        match self {
            Self::Native => Engine::Native,
            Self::Python { .. } => Engine::Python,
        }
    }
}

/// Starts `demo` with `params` as `launch` says; `report` gets its events and then its end.
///
/// # Errors
/// If the program cannot be found or started, or the demo has no twin for the engine.
pub fn start(
    demo: &dyn Demo,
    params: &Params,
    launch: &Launch,
    report: OnReport,
) -> io::Result<RunHandle> {
    let name = demo.spec().name;
    // Sizes are checked against the memory actually available before anything starts.
    super::machine::check_memory(demo.memory_needed(params))
        .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    // A private temporary directory for the run (multiprocessing puts its sockets there,
    // demos their files), removed when the run ends however it ends, as long as lectern lives.
    let tmp = private_tmp()?;
    let mut command = match launch {
        Launch::Native => {
            // Under the same supervisor as a CPython twin: it counts the group against the
            // cap from outside, adopts and reaps orphans, and cleans up if lectern dies.
            let mut args: Vec<OsString> = vec!["worker".into(), "demo".into(), name.into()];
            for (k, v) in params {
                args.push("--set".into());
                args.push(format!("{k}={v}").into());
            }
            super::supervisor::command(
                int(params, "cap"),
                &std::env::current_exe()?.into_os_string(),
                &args,
            )?
        }
        Launch::Python { python, dir } => {
            let Some(twin) = demo.spec().python else {
                return Err(io::Error::other(format!(
                    "demo `{name}` has no CPython twin"
                )));
            };
            let json = serde_json::to_string(&to_json(params)).map_err(io::Error::other)?;
            // -B: no __pycache__ anywhere; -s -E: no user site or PYTHON* variables, so the
            // run is the same on every machine.
            let args: Vec<OsString> = vec![
                "-B".into(),
                "-s".into(),
                "-E".into(),
                dir.join(twin).into_os_string(),
                "--params".into(),
                json.into(),
            ];
            super::supervisor::command(int(params, "cap"), python, &args)?
        }
    };
    // The run's id names what it leaves outside its TMPDIR (shared memory), for cleaning.
    let run_id = tmp
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    command.env("TMPDIR", &tmp).env("LECTERN_RUN_ID", &run_id);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A lesson may set both engines' parameters (slide 4 does): say which this engine
    // leaves aside, as an explanation rather than a warning.
    for message in demo.unhonoured(launch.engine(), params) {
        report(Report::Event(Event::Note {
            level: NoteLevel::Info,
            message,
        }));
    }
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
    let cleanup = (tmp.clone(), run_id.clone());
    let started = spawn_waited(command, format!("demo-{name}"), on_line, move |exit| {
        clean_up(&cleanup.0, &cleanup.1);
        report(Report::Exited(exit));
    });
    let pid = match started {
        Ok(pid) => pid,
        Err(err) => {
            clean_up(&tmp, &run_id);
            return Err(err);
        }
    };
    Ok(RunHandle { pid, tmp, run_id })
}

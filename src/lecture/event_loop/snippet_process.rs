//! Running a slide's Python code block: written to a private directory, run by CPython under
//! lectern's supervisor (its own process group, a process cap counted from outside, killed
//! with lectern), its output streamed back line by line, its tree shown in the gauges.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use nix::sys::signal::{Signal, killpg};

use crate::lecture::msg::Msg;
use crate::os;
use crate::process::{OnLine, spawn_waited};
use crate::process::{Pace, private_dir};

/// Most processes a snippet may have (its interpreter included): a pool of a few dozen
/// workers runs, a fork bomb is stopped.
pub const SNIPPET_CAP: i64 = 32;

/// A running snippet: its supervisor's PID (also its process group) and its directory.
#[derive(Debug)]
pub(super) struct SnippetHandle {
    pub pid: u32,
    dir: PathBuf,
}

impl SnippetHandle {
    /// Kills every process of the snippet and removes its directory.
    pub fn kill(&self) {
        let _ = killpg(os::pid(self.pid), Signal::SIGKILL);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `code` with `python` as snippet run `run`; its lines and its end come to `tx`.
///
/// # Errors
/// If the directory, the file or the process cannot be made.
pub(super) fn start(
    run: u64,
    code: &str,
    python: &OsString,
    tx: &Sender<Msg>,
) -> std::io::Result<SnippetHandle> {
    let dir = private_dir("lectern-snippet")?;
    let started = (|| {
        std::fs::write(dir.join("snippet.py"), code)?;
        // -u: lines arrive as they are printed; -B: no __pycache__.
        let args: Vec<OsString> = ["-B", "-u", "snippet.py"].map(OsString::from).to_vec();
        let mut command = crate::demo_runtime::supervisor::command(SNIPPET_CAP, python, &args)?;
        command
            .current_dir(&dir)
            .env("TMPDIR", &dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let lines = tx.clone();
        let pace = Mutex::new(Pace::default());
        // A snippet that floods its output is slowed down like a demo: the pipe fills and
        // it waits, while the UI keeps only its latest lines.
        let on_line: OnLine = Arc::new(move |stream, line| {
            if let Ok(mut pace) = pace.lock() {
                pace.admit();
            }
            lines.send(Msg::SnippetOutput { run, stream, line }).is_ok()
        });
        let ended = tx.clone();
        let remove = dir.clone();
        spawn_waited(command, "snippet".into(), on_line, move |exit| {
            let _ = std::fs::remove_dir_all(&remove);
            let _ = ended.send(Msg::SnippetExited { run, exit });
        })
    })();
    match started {
        Ok(pid) => Ok(SnippetHandle { pid, dir }),
        Err(err) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(err)
        }
    }
}

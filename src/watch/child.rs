//! Runs the watched command: its own process group, output captured line by line, and a
//! thread that lives exactly as long as the command (`PR_SET_PDEATHSIG` fires when the thread
//! that created a child exits, so the creating thread is the one that waits for it).

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::msg::{Msg, Stream};
use crate::sampler::ExitInfo;

/// How long a command gets to exit after SIGTERM before SIGKILL.
pub const TERM_GRACE: Duration = Duration::from_secs(1);

/// How long to wait for the last output lines after the command has exited.
const OUTPUT_DRAIN: Duration = Duration::from_millis(300);

/// The exit information of a wait status.
#[must_use]
pub fn exit_info(status: ExitStatus) -> ExitInfo {
    match (status.code(), status.signal()) {
        (Some(code), _) => ExitInfo::Code(code),
        (None, Some(signal)) => ExitInfo::Signal(signal),
        (None, None) => ExitInfo::Unknown,
    }
}

/// Shell-style exit code for how a command ended: its code, or 128 + signal.
#[must_use]
pub fn exit_code(exit: ExitInfo) -> u8 {
    match exit {
        ExitInfo::Code(code) => u8::try_from(code & 0xff).unwrap_or(1),
        ExitInfo::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
        ExitInfo::Unknown => 1,
    }
}

/// A started command: its PID, which is also its process group ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    /// PID of the command (and of its process group).
    pub pid: u32,
}

impl Running {
    /// Sends `signal` to the whole process group; a group that is already gone is fine.
    pub fn signal_group(self, signal: Signal) {
        if let Ok(pid) = i32::try_from(self.pid) {
            let _ = killpg(Pid::from_raw(pid), signal);
        }
    }
}

/// Starts `argv` through the hidden worker (so it dies with us), in its own process group,
/// from a thread that then waits for it. Output lines and the exit arrive on `tx` as
/// [`Msg::Output`] and [`Msg::Exited`].
///
/// # Errors
/// If lectern's own executable cannot be found or the helper cannot be started.
pub fn start(argv: &[OsString], tx: Sender<Msg>) -> io::Result<Running> {
    let exe = std::env::current_exe()?;
    let mut command = Command::new(exe);
    command
        .args([
            "worker",
            "exec",
            "--parent",
            &std::process::id().to_string(),
            "--",
        ])
        .args(argv)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let (started_tx, started_rx) = bounded::<io::Result<u32>>(1);
    std::thread::Builder::new()
        .name("command".into())
        .spawn(move || {
            let mut child = match command.spawn() {
                Ok(child) => child,
                Err(err) => {
                    let _ = started_tx.send(Err(err));
                    return;
                }
            };
            let _ = started_tx.send(Ok(child.id()));
            // Each reader holds a clone of `done_tx`; when both have hit end of file the channel
            // disconnects, so the last lines are sent before the exit.
            let (done_tx, done_rx) = bounded::<()>(0);
            if let Some(out) = child.stdout.take() {
                forward_lines(out, Stream::Stdout, tx.clone(), done_tx.clone());
            }
            if let Some(err) = child.stderr.take() {
                forward_lines(err, Stream::Stderr, tx.clone(), done_tx.clone());
            }
            drop(done_tx);
            let exit = child.wait().map_or(ExitInfo::Unknown, exit_info);
            // A background grandchild may keep the pipes open forever: wait only briefly.
            let _ = done_rx.recv_timeout(OUTPUT_DRAIN);
            let _ = tx.send(Msg::Exited(exit));
        })?;
    let pid = started_rx
        .recv()
        .map_err(|_| io::Error::other("the command thread died"))??;
    Ok(Running { pid })
}

fn forward_lines(
    pipe: impl Read + Send + 'static,
    stream: Stream,
    tx: Sender<Msg>,
    done: Sender<()>,
) {
    let spawned = std::thread::Builder::new()
        .name(format!("{stream:?}"))
        .spawn(move || {
            let _done = done;
            let mut reader = BufReader::new(pipe);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                let text = String::from_utf8_lossy(&line)
                    .trim_end_matches(['\n', '\r'])
                    .to_string();
                if tx.send(Msg::Output { stream, line: text }).is_err() {
                    return;
                }
                line.clear();
            }
        });
    if let Err(err) = spawned {
        eprintln!("lectern: cannot read the command's {stream:?}: {err}");
    }
}

/// Ends the command: SIGTERM to its group, SIGKILL after [`TERM_GRACE`], and waits until it
/// has been reaped. Messages other than the exit that arrive meanwhile go to `other`.
/// Returns how the command ended.
pub fn stop(running: Running, rx: &Receiver<Msg>, mut other: impl FnMut(Msg)) -> ExitInfo {
    running.signal_group(Signal::SIGTERM);
    let deadline = Instant::now() + TERM_GRACE;
    let mut killed = false;
    loop {
        let received = if killed {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_deadline(deadline)
        };
        match received {
            Ok(Msg::Exited(exit)) => {
                // Anything left in the group (background children) goes too.
                running.signal_group(Signal::SIGKILL);
                return exit;
            }
            Ok(msg) => other(msg),
            Err(RecvTimeoutError::Timeout) => {
                running.signal_group(Signal::SIGKILL);
                killed = true;
            }
            Err(RecvTimeoutError::Disconnected) => return ExitInfo::Unknown,
        }
    }
}

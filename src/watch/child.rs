//! Runs the watched command: its own process group, output captured line by line, and a
//! thread that lives exactly as long as the command (`PR_SET_PDEATHSIG` fires when the thread
//! that created a child exits, so the creating thread is the one that waits for it).

use std::ffi::OsString;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::sync::mpsc::{Receiver, Sender};

use super::Msg;
use crate::process::ExitInfo;
use crate::process::{OnLine, spawn_waited};
use crate::sampler::{Sampler, Woke};

/// How long a command gets to exit after SIGTERM before SIGKILL.
pub const TERM_GRACE: Duration = Duration::from_secs(1);

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
    let mut command = Command::new(crate::process::own_program()?);
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
    let lines = tx.clone();
    let on_line: OnLine =
        Arc::new(move |stream, line| lines.send(Msg::Output { stream, line }).is_ok());
    let pid = spawn_waited(command, "command".into(), on_line, move |exit| {
        let _ = tx.send(Msg::Exited(exit));
    })?;
    Ok(Running { pid })
}

/// Ends the command: SIGTERM to its group, SIGKILL after [`TERM_GRACE`], and waits until it
/// has been reaped. Messages other than the exit that arrive meanwhile, and the samples taken
/// meanwhile (as [`Msg::Sample`]), go to `other`. Returns how the command ended.
pub fn stop(
    running: Running,
    rx: &Receiver<Msg>,
    sampler: &mut Sampler,
    mut other: impl FnMut(Msg),
) -> ExitInfo {
    running.signal_group(Signal::SIGTERM);
    let grace = Instant::now() + TERM_GRACE;
    let mut killed = false;
    loop {
        match sampler.wait(rx, (!killed).then_some(grace)) {
            Woke::Message(Msg::Exited(exit)) => {
                // Anything left in the group (background children) goes too.
                running.signal_group(Signal::SIGKILL);
                return exit;
            }
            Woke::Message(msg) => other(msg),
            Woke::Sample(sample) => other(Msg::Sample(sample)),
            Woke::TimedOut => {
                running.signal_group(Signal::SIGKILL);
                killed = true;
            }
            Woke::Disconnected => return ExitInfo::Unknown,
        }
    }
}

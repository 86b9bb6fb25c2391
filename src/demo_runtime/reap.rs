//! Waiting for a demo's own children and reporting how each ended, as the protocol's `exit`
//! event.

use nix::sys::wait::{WaitStatus, waitpid};

use super::protocol::{Emitter, Event};
use crate::os;
use crate::process::ExitInfo;

/// Waits for child `pid` and says how it ended.
#[must_use]
pub fn reap(pid: u32) -> ExitInfo {
    loop {
        match waitpid(os::pid(pid), None) {
            Ok(WaitStatus::Exited(_, code)) => return ExitInfo::Code(code),
            Ok(WaitStatus::Signaled(_, signal, _)) => return ExitInfo::Signal(signal as i32),
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return ExitInfo::Unknown,
        }
    }
}

/// Reaps `pid` and reports its end; returns how it ended, which most demos need only on
/// screen.
#[expect(
    clippy::must_use_candidate,
    reason = "the end is already reported; callers look at it only when it decides something"
)]
pub fn reap_and_report(out: Emitter, pid: u32, role: &str) -> ExitInfo {
    let exit = reap(pid);
    out.send(&exit_event(pid, role, exit));
    exit
}

/// The protocol event for a process's end.
#[must_use]
pub fn exit_event(pid: u32, role: &str, exit: ExitInfo) -> Event {
    let (code, signal) = match exit {
        ExitInfo::Code(code) => (Some(code), None),
        ExitInfo::Signal(signal) => (None, Some(signal)),
        ExitInfo::Unknown => (None, None),
    };
    Event::Exit {
        pid,
        role: role.into(),
        code,
        signal,
        // The emitter fills it in from the process's report.
        lived_ms: None,
    }
}

//! Hidden worker mode: lectern re-executed as a small helper process.
//!
//! The UI process is multithreaded, so it never forks and never runs code between fork and
//! exec. Anything that must happen inside a child — asking the kernel to kill it when its
//! parent dies — happens here, in a fresh single-threaded process, which then `exec`s.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

/// Exit status when the parent was already gone before the helper could protect itself.
const PARENT_GONE: u8 = 125;

/// Arranges to die with `parent`, then replaces this process with `argv`. Returns only if
/// that fails, with the shell's conventions: 127 not found, 126 not executable.
#[must_use]
pub fn exec_command(parent: u32, argv: &[OsString]) -> ExitCode {
    let Some((program, arguments)) = argv.split_first() else {
        eprintln!("lectern worker exec: no command given");
        return ExitCode::from(2);
    };
    if let Err(err) = die_with_parent() {
        eprintln!("lectern worker exec: cannot ask to die with the parent: {err}");
    }
    // If the parent died before the request took effect, no signal will ever come.
    if std::os::unix::process::parent_id() != parent {
        return ExitCode::from(PARENT_GONE);
    }
    let err = Command::new(program).args(arguments).exec();
    eprintln!("lectern: cannot run `{}`: {err}", program.to_string_lossy());
    ExitCode::from(if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    })
}

/// `PR_SET_PDEATHSIG`: SIGKILL when the thread that created us exits. It survives `exec`, so
/// the command inherits it.
#[cfg(target_os = "linux")]
fn die_with_parent() -> nix::Result<()> {
    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
}

/// Other systems have no parent-death signal; the runner still kills the group on exit.
#[cfg(not(target_os = "linux"))]
fn die_with_parent() -> nix::Result<()> {
    Ok(())
}

//! `lectern worker exec`: lectern re-executed as a small helper that becomes the command.
//!
//! The UI process is multithreaded, so it never forks and never runs code between fork and
//! exec. What must happen inside a child before the command runs — asking the kernel to kill
//! it when its parent dies — happens here, in a fresh single-threaded process, which then
//! `exec`s (`lectern watch` starts its command this way).

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

/// Arranges to die with `parent`, then replaces this process with `argv`. Returns only if
/// that fails, with the shell's conventions: 127 not found, 126 not executable.
#[must_use]
pub fn exec_command(parent: u32, argv: &[OsString]) -> ExitCode {
    let Some((program, arguments)) = argv.split_first() else {
        eprintln!("lectern worker exec: no command given");
        return ExitCode::from(2);
    };
    // Exits with 125 if the parent died before the request took effect.
    crate::os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
    let err = Command::new(program).args(arguments).exec();
    eprintln!("lectern: cannot run `{}`: {err}", program.to_string_lossy());
    ExitCode::from(if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    })
}

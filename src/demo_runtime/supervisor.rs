//! `lectern worker supervise`: the native process that runs a demo written in another language
//! (a CPython twin) and does not trust it. It leads the demo's process group, adopts every
//! orphan of the tree (child subreaper) so each is reaped, enforces the process cap from
//! outside by counting the group's processes whenever the kernel's fork counter moves, and
//! kills the whole group when the program ends, when it is told to stop, or when lectern dies.

use std::ffi::OsString;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use super::protocol::{Emitter, Event, NoteLevel};
use crate::os;

/// How often the supervisor looks at the tree.
const TICK: Duration = Duration::from_millis(20);

/// Processes an interpreter starts for itself beside the demo's own (CPython's resource
/// tracker and forkserver), allowed on top of the cap.
pub const INTERPRETER_HELPERS: u32 = 2;

/// Runs `program args… --parent SELF` under supervision; returns its exit status (3 if the
/// cap was exceeded, 128 + signal if it was killed).
#[must_use]
pub fn supervise(parent: u32, cap: u32, program: &OsString, args: &[OsString]) -> ExitCode {
    // SIGTERM rather than SIGKILL when lectern dies: the supervisor must live long enough to
    // take the whole group down with it.
    os::die_with_parent(parent, Signal::SIGTERM);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        if let Err(err) = signal_hook::flag::register(signal, Arc::clone(&stop)) {
            eprintln!("lectern supervisor: cannot catch signal {signal}: {err}");
        }
    }
    // Lead a process group of our own (the runner asks for one; anyone else may not have),
    // since the group is what the cap counts and what gets killed.
    let me_pid = nix::unistd::getpid();
    if nix::unistd::getpgrp() != me_pid {
        let _ = nix::unistd::setpgid(me_pid, me_pid);
    }
    if let Err(err) = os::become_subreaper() {
        eprintln!("lectern supervisor: cannot adopt orphans: {err}");
    }
    let me = std::process::id();
    let mut command = Command::new(program);
    command.args(args).args(["--parent", &me.to_string()]);
    os::die_with_parent_on_exec(&mut command);
    let child = match command.spawn() {
        Ok(child) => child.id(),
        Err(err) => {
            Emitter.send(&Event::Error {
                message: format!("cannot start `{}`: {err}", program.to_string_lossy()),
            });
            return ExitCode::from(127);
        }
    };
    let limit = cap + INTERPRETER_HELPERS;
    let mut forks = super::machine::fork_count();
    let mut status = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            kill_group_but_me();
            reap_all();
            // Stopped, perhaps because lectern died (even by SIGKILL): nobody else is left
            // to remove the run's files.
            if let Some(dir) = super::run_dir::RunDir::from_env() {
                dir.remove();
            }
            return ExitCode::from(143);
        }
        if let Some(code) = reap_all()
            .into_iter()
            .find_map(|(pid, code)| (pid == child).then_some(code))
        {
            status = Some(code);
        }
        if let Some(code) = status {
            // The program is done: anything it left behind goes too, and is reaped.
            kill_group_but_me();
            std::thread::sleep(TICK);
            reap_all();
            return ExitCode::from(code);
        }
        let now = super::machine::fork_count();
        if now != forks {
            forks = now;
            let members = super::machine::group_members(me);
            if members.len() > limit as usize {
                over_the_cap(cap, members.len());
                kill_group_but_me();
                std::thread::sleep(TICK);
                reap_all();
                return ExitCode::from(3);
            }
        }
        std::thread::sleep(TICK);
    }
}

/// Says, in the demo's own output, that the cap stopped it.
fn over_the_cap(cap: u32, found: usize) {
    Emitter.send(&Event::Note {
        level: NoteLevel::Warn,
        message: format!(
            "The demo's process tree grew to {found} processes, over its cap of {cap} (plus \
             {INTERPRETER_HELPERS} for the interpreter's own helpers): lectern's supervisor, \
             counting from outside, killed the whole tree."
        ),
    });
    Emitter.send(&Event::Error {
        message: format!("process cap exceeded: {found} processes, cap {cap}"),
    });
}

/// SIGKILL to every other process of this process group.
fn kill_group_but_me() {
    let me = std::process::id();
    // Killed processes can have forked meanwhile: go round until nobody is left.
    for _ in 0..5 {
        let members = super::machine::group_members(me);
        if members.is_empty() {
            return;
        }
        for pid in members {
            let _ = kill(os::pid(pid), Signal::SIGKILL);
        }
    }
}

/// Reaps every child that has ended (ours, or orphans adopted as subreaper); returns their
/// PIDs with the exit status a shell would report.
fn reap_all() -> Vec<(u32, u8)> {
    let mut reaped = Vec::new();
    loop {
        match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) => {
                reaped.push((pid.as_raw().unsigned_abs(), u8::try_from(code).unwrap_or(1)));
            }
            Ok(WaitStatus::Signaled(pid, signal, _)) => reaped.push((
                pid.as_raw().unsigned_abs(),
                u8::try_from(128 + signal as i32).unwrap_or(1),
            )),
            Ok(WaitStatus::StillAlive) | Err(_) => return reaped,
            Ok(_) => {}
        }
    }
}

/// Starts `lectern worker supervise` for a program (used by the runner).
///
/// # Errors
/// If lectern's own executable cannot be found.
pub fn command(cap: i64, program: &OsString, args: &[OsString]) -> io::Result<Command> {
    let mut command = Command::new(crate::process::own_program()?);
    command
        .args([
            "worker",
            "supervise",
            "--parent",
            &std::process::id().to_string(),
            "--cap",
            &cap.to_string(),
            "--",
        ])
        .arg(program)
        .args(args)
        .process_group(0);
    Ok(command)
}

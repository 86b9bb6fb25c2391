//! The processes start-methods starts by exec: a spawned child (a simulated import, hello,
//! then waiting to be released) and the forkserver (one import, then a fork per request),
//! and the demo's side of the forkserver.

use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::children::{
    ChildPipes, Job, NAME, Pipes, SERVER, Server, Settings, Started, await_hello, child_life,
    record, to_arg,
};
use super::findings::show_table;
use crate::demo_runtime::context::{Ctx, Tokens};
use crate::demo_runtime::protocol::{Emitter, NoteLevel};
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::records::{read_record, write_record};
use crate::demo_runtime::work::{busy_for, ms_since, touch_mib};
use crate::os::{self, Forked};

/// Starts the forkserver by exec (it pays the simulated import once), then asks it for each
/// child by writing a record to its request pipe.
pub(super) fn start_forkserver(
    ctx: &mut Ctx,
    pipes: &Pipes,
    settings: &Settings,
    started: &mut Vec<Started>,
) -> io::Result<Option<Server>> {
    let children = settings.children;
    let (request_read, request_write) = os::inheritable_pipe()?;
    let job = Job::Forkserver {
        parent: std::process::id(),
        pipes: pipes.for_exec(&[request_write.as_raw_fd()]),
        request_fd: request_read.as_raw_fd(),
        tokens_fd: ctx.tokens.fd(),
        import_ms: settings.import_ms,
        import_mb: settings.import_mb,
    };
    ctx.progress("starting the forkserver (a fresh exec)", None, None);
    let t0 = Instant::now();
    let Some(child) = ctx.spawn_worker_child(&to_arg(&job))? else {
        return Ok(None);
    };
    drop(request_read);
    ctx.process(child.id(), std::process::id(), "forkserver");
    await_hello(pipes, SERVER)?;
    let startup_ms = ms_since(t0);
    ctx.measure("startup_ms", startup_ms, "ms", Some("forkserver"));
    ctx.result("forkserver_startup_ms", startup_ms);
    for i in 1..=children {
        ctx.progress(
            format!("forkserver: child {i} of {children}"),
            Some(started.len() as u64),
            Some(u64::from(children) * 3),
        );
        let t0 = Instant::now();
        write_record(request_write.as_fd(), &[i])?;
        let [_, pid] = await_hello(pipes, i)?;
        if pid == 0 {
            ctx.note(NoteLevel::Warn, "the process cap stopped the forkserver");
            break;
        }
        ctx.count_started(1);
        let entry = record(ctx, pid, "forkserver", i, t0);
        started.push(entry);
        show_table(ctx, started, Some(startup_ms));
    }
    Ok(Some(Server {
        child,
        request_write,
        startup_ms,
    }))
}

/// Runs a job for a process this demo started by exec.
pub(super) fn run_job(arg: &str) -> ExitCode {
    match serde_json::from_str::<Job>(arg) {
        Ok(Job::Child {
            index,
            parent,
            pipes,
            import_ms,
            import_mb,
        }) => {
            os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
            for fd in &pipes.close_fds {
                os::close_inherited(*fd);
            }
            busy_for(Duration::from_millis(import_ms));
            let _imports = touch_mib(import_mb);
            child_life(index, os::inherited_fd(pipes.ready_fd), pipes.release_fd)
        }
        Ok(Job::Forkserver {
            parent,
            pipes,
            request_fd,
            tokens_fd,
            import_ms,
            import_mb,
        }) => {
            os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
            for fd in &pipes.close_fds {
                os::close_inherited(*fd);
            }
            forkserver(&pipes, request_fd, tokens_fd, import_ms, import_mb)
        }
        Err(err) => {
            eprintln!("lectern worker child {NAME}: bad job: {err}");
            ExitCode::from(2)
        }
    }
}

/// The forkserver, a fresh single-threaded process: imports once, then forks a child per
/// request; when the request pipe closes it reaps its children, reports them, and exits.
fn forkserver(
    pipes: &ChildPipes,
    request_fd: i32,
    tokens_fd: i32,
    import_ms: u64,
    import_mb: u64,
) -> ExitCode {
    let out = Emitter;
    let ready = os::inherited_fd(pipes.ready_fd);
    busy_for(Duration::from_millis(import_ms));
    let _imports = touch_mib(import_mb);
    let _ = write_record(ready, &[SERVER, std::process::id()]);
    let requests = os::inherited_fd(request_fd);
    let mut mine: Vec<(u32, String)> = Vec::new();
    while let Ok(Some([index])) = read_record::<1>(requests, Duration::from_secs(3600)) {
        let forked = if Tokens::take_from(tokens_fd) {
            os::fork_child().ok()
        } else {
            None
        };
        match forked {
            Some(Forked::Child) => child_life(index, ready, pipes.release_fd),
            Some(Forked::Parent(pid)) => mine.push((pid, format!("forkserver child {index}"))),
            // Capped or failed: answer with PID 0 so the demo does not wait forever.
            None => {
                let _ = write_record(ready, &[index, 0]);
            }
        }
    }
    for (pid, role) in mine {
        reap_and_report(out, pid, &role);
    }
    ExitCode::SUCCESS
}

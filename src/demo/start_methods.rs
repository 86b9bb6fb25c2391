//! `start-methods`: children started by fork, by spawn (a fresh exec of the worker binary)
//! and by a forkserver, each timed from request to its first message, with their memory
//! measured while they are alive.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::Child;
use std::time::{Duration, Instant};

use super::child::ChildJob;
use super::context::Ctx;
use super::protocol::NoteLevel;
use super::registry::int;
use super::util::{
    busy_for, median, ms_since, read_record, reap_and_report, touch_mib, wait_for_release,
    write_record,
};
use crate::os::{self, Forked};
use crate::sampler::{PlatformSource, Source};

/// How long a child may take to say hello before the demo gives up on it.
const HELLO_TIMEOUT: Duration = Duration::from_secs(20);

/// Index the forkserver uses for its own hello.
const SERVER: u32 = u32::MAX;

/// The three ways Python's multiprocessing starts a process.
const METHODS: [&str; 3] = ["fork", "spawn", "forkserver"];

/// A started child.
struct Started {
    pid: u32,
    role: String,
    method: &'static str,
    start_ms: f64,
    spawned: Option<Child>,
}

/// Pipes shared with the children.
struct Pipes {
    /// Children write `[index, pid]` here first thing.
    ready_read: OwnedFd,
    ready_write: OwnedFd,
    /// Children block reading this until the demo closes the write end.
    release_read: OwnedFd,
    release_write: Option<OwnedFd>,
}

/// Runs the demo.
///
/// # Errors
/// If a pipe, fork or spawn fails, or a child never says hello.
pub fn run(ctx: &mut Ctx) -> io::Result<()> {
    let children = u32::try_from(int(&ctx.params, "children")).unwrap_or(1);
    let parent_mb = int(&ctx.params, "parent_mb").unsigned_abs();
    let import_ms = int(&ctx.params, "import_ms").unsigned_abs();
    let import_mb = int(&ctx.params, "import_mb").unsigned_abs();
    let linger = Duration::from_secs(int(&ctx.params, "linger_s").unsigned_abs());
    let me = std::process::id();

    ctx.progress(
        format!("parent fills {parent_mb} MiB before starting children"),
        None,
        None,
    );
    let parent_memory = touch_mib(parent_mb);
    explain(ctx, parent_mb, import_ms, import_mb);
    let (ready_read, ready_write) = os::inheritable_pipe()?;
    let (release_read, release_write) = os::inheritable_pipe()?;
    let mut pipes = Pipes {
        ready_read,
        ready_write,
        release_read,
        release_write: Some(release_write),
    };
    let total = u64::from(children) * 3;
    let mut started: Vec<Started> = Vec::new();

    for i in 1..=children {
        ctx.progress(
            format!("fork: child {i} of {children}"),
            Some(started.len() as u64),
            Some(total),
        );
        let t0 = Instant::now();
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => child_main(i, &mut pipes),
            Some(Forked::Parent(pid)) => {
                await_hello(&pipes, i)?;
                started.push(record(ctx, pid, "fork", i, t0));
            }
        }
    }
    for i in 1..=children {
        ctx.progress(
            format!("spawn: child {i} of {children}"),
            Some(started.len() as u64),
            Some(total),
        );
        let job = ChildJob::StartChild {
            index: i,
            parent: me,
            ready_fd: pipes.ready_write.as_raw_fd(),
            release_fd: pipes.release_read.as_raw_fd(),
            close_fds: release_write_fd(&pipes),
            import_ms,
            import_mb,
        };
        let t0 = Instant::now();
        let Some(child) = ctx.spawn_worker_child(&job.to_arg())? else {
            break;
        };
        await_hello(&pipes, i)?;
        let mut entry = record(ctx, child.id(), "spawn", i, t0);
        entry.spawned = Some(child);
        started.push(entry);
    }
    let server = start_forkserver(
        ctx,
        &mut pipes,
        children,
        &mut started,
        import_ms,
        import_mb,
    )?;

    measure_memory(ctx, &started, me);
    summarise(ctx, &started);
    ctx.result("children", i64::from(children));
    drop(parent_memory);

    let message = format!(
        "children stay alive {} s so the gauges show them",
        linger.as_secs()
    );
    ctx.progress(message, Some(total), Some(total));
    std::thread::sleep(linger);
    ctx.progress("releasing the children", Some(total), Some(total));
    pipes.release_write = None;
    reap_all(ctx, &mut started, server);
    Ok(())
}

/// The notes that say what this run's parameters mean.
fn explain(ctx: &Ctx, parent_mb: u64, import_ms: u64, import_mb: u64) {
    if parent_mb > 0 {
        ctx.note(
            NoteLevel::Info,
            format!(
                "The parent holds {parent_mb} MiB. fork() shares those pages copy-on-write, but \
                 still copies the page tables that map them, so fork time grows with the \
                 parent's memory (try parent_mb=256)."
            ),
        );
    }
    if import_ms > 0 || import_mb > 0 {
        ctx.note(
            NoteLevel::Simulated,
            format!(
                "Simulated: each spawned child (and the forkserver, once) busy-works {import_ms} ms \
                 and fills {import_mb} MiB, standing in for the modules a Python interpreter imports. \
                 Everything else is measured."
            ),
        );
    }
}

/// Reaps every child this process started and the forkserver (which reaps its own).
fn reap_all(ctx: &Ctx, started: &mut [Started], server: Option<(u32, OwnedFd)>) {
    for child in started.iter_mut() {
        match child.spawned.take() {
            Some(mut spawned) => {
                let exit = spawned.wait().map_or(
                    crate::sampler::ExitInfo::Unknown,
                    crate::supervise::exit_info,
                );
                ctx.out
                    .send(&super::util::exit_event(child.pid, &child.role, exit));
            }
            None if child.method == "fork" => {
                reap_and_report(ctx.out, child.pid, &child.role);
            }
            None => {} // forkserver children are reaped by the forkserver
        }
    }
    if let Some((server_pid, request_write)) = server {
        drop(request_write);
        reap_and_report(ctx.out, server_pid, "forkserver");
    }
}

fn release_write_fd(pipes: &Pipes) -> Vec<i32> {
    pipes
        .release_write
        .as_ref()
        .map(|fd| vec![fd.as_raw_fd()])
        .unwrap_or_default()
}

/// A child's whole life: say hello, wait to be released, exit 0. Never returns.
fn child_main(index: u32, pipes: &mut Pipes) -> ! {
    // Our copy of the write end would keep the release pipe open forever.
    pipes.release_write = None;
    // If this fails the demo's hello timeout says which child went quiet.
    let _ = write_record(pipes.ready_write.as_fd(), &[index, std::process::id()]);
    wait_for_release(pipes.release_read.as_raw_fd());
    std::process::exit(0);
}

fn await_hello(pipes: &Pipes, index: u32) -> io::Result<[u32; 2]> {
    match read_record::<2>(pipes.ready_read.as_fd(), HELLO_TIMEOUT)? {
        Some(record) if record[0] == index => Ok(record),
        Some(record) => Err(io::Error::other(format!(
            "expected child {index}, heard from {}",
            record[0]
        ))),
        None => Err(io::Error::other(format!(
            "child {index} said nothing in {HELLO_TIMEOUT:?}"
        ))),
    }
}

fn record(ctx: &Ctx, pid: u32, method: &'static str, index: u32, t0: Instant) -> Started {
    let start_ms = ms_since(t0);
    let role = format!("{method} child {index}");
    ctx.process(pid, std::process::id(), &role);
    ctx.measure("start_ms", start_ms, "ms", Some(&role));
    Started {
        pid,
        role,
        method,
        start_ms,
        spawned: None,
    }
}

/// Forks the forkserver (which pays the simulated import once), then asks it for each child
/// by writing a byte to its request pipe. Returns the server's PID and that pipe.
fn start_forkserver(
    ctx: &mut Ctx,
    pipes: &mut Pipes,
    children: u32,
    started: &mut Vec<Started>,
    import_ms: u64,
    import_mb: u64,
) -> io::Result<Option<(u32, OwnedFd)>> {
    let (request_read, request_write) = os::inheritable_pipe()?;
    let t0 = Instant::now();
    let server = match ctx.fork()? {
        None => return Ok(None),
        Some(Forked::Child) => {
            drop(request_write);
            forkserver_main(ctx, pipes, &request_read, import_ms, import_mb)
        }
        Some(Forked::Parent(pid)) => pid,
    };
    drop(request_read);
    ctx.process(server, std::process::id(), "forkserver");
    await_hello(pipes, SERVER)?;
    let startup = ms_since(t0);
    ctx.measure("startup_ms", startup, "ms", Some("forkserver"));
    ctx.result("forkserver_startup_ms", startup);
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
    }
    Ok(Some((server, request_write)))
}

/// The forkserver: imports once, then forks a child per request; when the request pipe
/// closes it reaps its children, reports them, and exits. Never returns.
fn forkserver_main(
    ctx: &Ctx,
    pipes: &mut Pipes,
    requests: &OwnedFd,
    import_ms: u64,
    import_mb: u64,
) -> ! {
    pipes.release_write = None;
    busy_for(Duration::from_millis(import_ms));
    let _imports = touch_mib(import_mb);
    let _ = write_record(pipes.ready_write.as_fd(), &[SERVER, std::process::id()]);
    let mut mine: Vec<(u32, String)> = Vec::new();
    while let Ok(Some([index])) = read_record::<1>(requests.as_fd(), Duration::from_secs(3600)) {
        match ctx.fork() {
            Ok(Some(Forked::Child)) => child_main(index, pipes),
            Ok(Some(Forked::Parent(pid))) => mine.push((pid, format!("forkserver child {index}"))),
            // Capped or failed: answer with PID 0 so the demo does not wait forever.
            _ => {
                let _ = write_record(pipes.ready_write.as_fd(), &[index, 0]);
            }
        }
    }
    for (pid, role) in mine {
        reap_and_report(ctx.out, pid, &role);
    }
    std::process::exit(0);
}

/// RSS and PSS of every child while all are alive, read from the kernel.
fn measure_memory(ctx: &mut Ctx, started: &[Started], me: u32) {
    let mut source = PlatformSource::default();
    ctx.progress("measuring each child's memory (RSS and PSS)", None, None);
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    if let Some(parent) = source.read(me) {
        ctx.result("parent_rss_mb", mib(parent.rss_bytes));
    }
    for method in METHODS {
        let mut rss = Vec::new();
        let mut pss = Vec::new();
        for child in started.iter().filter(|c| c.method == method) {
            if let Some(raw) = source.read(child.pid) {
                rss.push(mib(raw.rss_bytes));
                ctx.measure("rss_mb", mib(raw.rss_bytes), "MiB", Some(&child.role));
            }
            if let Some(footprint) = source.footprint(child.pid) {
                pss.push(mib(footprint.pss));
                ctx.measure("pss_mb", mib(footprint.pss), "MiB", Some(&child.role));
            }
        }
        if !rss.is_empty() {
            ctx.result(&format!("{method}_child_rss_mb"), median(&rss));
        }
        if !pss.is_empty() {
            ctx.result(&format!("{method}_child_pss_mb"), median(&pss));
        }
    }
}

fn summarise(ctx: &mut Ctx, started: &[Started]) {
    for method in METHODS {
        let times: Vec<f64> = started
            .iter()
            .filter(|c| c.method == method)
            .map(|c| c.start_ms)
            .collect();
        if times.is_empty() {
            continue;
        }
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        ctx.result(&format!("{method}_min_ms"), min);
        ctx.result(&format!("{method}_median_ms"), median(&times));
        ctx.result(&format!("{method}_max_ms"), max);
    }
}

/// The life of a spawned child: protect itself, "import", say hello, wait, exit.
pub fn spawned_child(job: &ChildJob) -> ! {
    let ChildJob::StartChild {
        index,
        parent,
        ready_fd,
        release_fd,
        close_fds,
        import_ms,
        import_mb,
    } = job
    else {
        std::process::exit(2);
    };
    os::die_with_parent(*parent);
    for fd in close_fds {
        os::close_inherited(*fd);
    }
    busy_for(Duration::from_millis(*import_ms));
    let _imports = touch_mib(*import_mb);
    let _ = write_record(os::inherited_fd(*ready_fd), &[*index, std::process::id()]);
    wait_for_release(*release_fd);
    std::process::exit(0);
}

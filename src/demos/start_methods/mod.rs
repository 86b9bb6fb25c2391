//! `start-methods`: children started by fork, by spawn (a fresh exec of the worker binary)
//! and by a forkserver, each timed from request to its first message, with their memory
//! measured while they are alive.
//!
//! As in CPython, the forkserver is itself started fresh by exec: it does not inherit the
//! demo's memory, so its children are as small as a spawned child, while fork children carry
//! the parent's pages (shared copy-on-write).

use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{Default, Kind, LINGER, ParamSpec, cap_param, fits_under_cap};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::{exit_event, reap_and_report};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::work::touch_mib;
use crate::os::{self, Forked};
use crate::process::ExitInfo;

mod by_exec;
mod children;
mod findings;

use by_exec::{run_job, start_forkserver};
pub use children::Settings;
use children::{
    Job, NAME, Pipes, Server, Started, await_hello, child_life, record, to_arg,
};
use findings::{measure_memory, show_table, summarise};


/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: NAME,
        title: "Start methods: fork vs spawn vs forkserver",
        summary: "Starts children by fork, by spawn (a fresh exec) and through a forkserver \
                  (itself started by exec), and times each from request to its first message. \
                  Measures each child's RSS and PSS while alive: fork children share the \
                  parent's pages copy-on-write.",
        params: &[
            ParamSpec {
                name: "children",
                kind: Kind::Int { min: 1, max: 20 },
                default: Default::PerCore(2),
                unit: "processes",
                meaning: "children started with each method (default: 2 per core)",
            },
            ParamSpec {
                name: "parent_mb",
                kind: Kind::Int { min: 0, max: 1024 },
                default: Default::Int(8),
                unit: "MiB",
                meaning: "memory the parent fills before starting children (shows copy-on-write)",
            },
            ParamSpec {
                name: "import_ms",
                kind: Kind::Int { min: 0, max: 1000 },
                default: Default::Int(0),
                unit: "ms",
                meaning: "simulated Python import: CPU time paid by each spawned child and once by the forkserver",
            },
            ParamSpec {
                name: "import_mb",
                kind: Kind::Int { min: 0, max: 256 },
                default: Default::Int(0),
                unit: "MiB",
                meaning: "simulated memory of imported modules, in each spawned child and once in the forkserver",
            },
            ParamSpec {
                name: "imports",
                kind: Kind::Choice(&["none", "stdlib"]),
                default: Default::Choice("none"),
                unit: "",
                meaning: "CPython: modules each child imports before saying hello (stdlib: a dozen standard-library modules, as a real program's start-up)",
            },
            LINGER,
            cap_param(64),
        ],
        quick: &[("children", "1"), ("linger_s", "0")],
        results: &[
            "fork_min_ms",
            "fork_median_ms",
            "fork_max_ms",
            "spawn_min_ms",
            "spawn_median_ms",
            "spawn_max_ms",
            "forkserver_min_ms",
            "forkserver_median_ms",
            "forkserver_max_ms",
            "fork_child_rss_mb",
            "fork_child_pss_mb",
            "spawn_child_rss_mb",
            "spawn_child_pss_mb",
            "forkserver_child_rss_mb",
            "forkserver_child_pss_mb",
            "forkserver_startup_ms",
            "children",
            "parent_rss_mb",
        ],
        python: Some("demo_start_methods.py"),
        native_only: &["import_ms", "import_mb"],
        python_only: &["imports"],
        python_results: &["default_is_fork"],
        about_memory: true,
    },
    check: |s| {
        fits_under_cap(
            3 * s.children + 2,
            s.cap,
            &format!(
                "children={} (3 methods, a forkserver and the demo)",
                s.children
            ),
        )
    },
    run,
    child: Some(run_job),
    memory: crate::demo_runtime::unit::little_memory,
    estimate: |s| {
        let imports = s.import_ms as f64 * f64::from(s.children) / 500.0;
        seconds(0.3 + s.linger_s as f64 + imports)
    },
};







/// Runs the demo.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let children = settings.children;
    let linger = Duration::from_secs(settings.linger_s);
    let me = std::process::id();

    ctx.progress(
        format!(
            "parent fills {} MiB before starting children",
            settings.parent_mb
        ),
        None,
        None,
    );
    let parent_memory = touch_mib(settings.parent_mb);
    explain(ctx, settings);
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
            Some(Forked::Child) => {
                // Our copy of the write end would keep the release pipe open forever.
                pipes.release_write = None;
                child_life(i, pipes.ready_write.as_fd(), pipes.release_read.as_raw_fd())
            }
            Some(Forked::Parent(pid)) => {
                await_hello(&pipes, i)?;
                started.push(record(ctx, pid, "fork", i, t0));
            }
        }
        show_table(ctx, &started, None);
    }
    for i in 1..=children {
        ctx.progress(
            format!("spawn: child {i} of {children}"),
            Some(started.len() as u64),
            Some(total),
        );
        let job = Job::Child {
            index: i,
            parent: me,
            pipes: pipes.for_exec(&[]),
            import_ms: settings.import_ms,
            import_mb: settings.import_mb,
        };
        let t0 = Instant::now();
        let Some(child) = ctx.spawn_worker_child(&to_arg(&job))? else {
            break;
        };
        await_hello(&pipes, i)?;
        let mut entry = record(ctx, child.id(), "spawn", i, t0);
        entry.spawned = Some(child);
        started.push(entry);
        show_table(ctx, &started, None);
    }
    let server = start_forkserver(ctx, &pipes, settings, &mut started)?;

    measure_memory(ctx, &started, me);
    summarise(
        ctx,
        &started,
        server.as_ref().map(|s| s.startup_ms),
        settings.import_ms,
    );
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
fn explain(ctx: &Ctx, settings: &Settings) {
    let Settings {
        parent_mb,
        import_ms,
        import_mb,
        ..
    } = *settings;
    if parent_mb > 0 {
        ctx.note(
            NoteLevel::Info,
            format!(
                "The parent holds {parent_mb} MiB. fork() shares those pages copy-on-write but \
                 copies the page tables that map them, so fork time grows with the parent's \
                 memory (try parent_mb=256). spawn and the forkserver start from a fresh exec \
                 and carry none of it."
            ),
        );
    }
    if import_ms > 0 || import_mb > 0 {
        ctx.note(
            NoteLevel::Simulated,
            format!(
                "Each spawned child (and the forkserver, once) burns {import_ms} ms of CPU and \
                 fills {import_mb} MiB, standing in for the modules a Python interpreter \
                 imports. Everything else is measured."
            ),
        );
    }
}


/// Reaps every child this process started and the forkserver (which reaps its own).
fn reap_all(ctx: &Ctx, started: &mut [Started], server: Option<Server>) {
    for child in started.iter_mut() {
        match child.spawned.take() {
            Some(mut spawned) => {
                let exit = spawned
                    .wait()
                    .map_or(ExitInfo::Unknown, crate::process::exit_info);
                ctx.out.send(&exit_event(child.pid, &child.role, exit));
            }
            None if child.method == "fork" => {
                reap_and_report(ctx.out, child.pid, &child.role);
            }
            None => {} // forkserver children are reaped by the forkserver
        }
    }
    if let Some(mut server) = server {
        drop(server.request_write);
        let exit = server
            .child
            .wait()
            .map_or(ExitInfo::Unknown, crate::process::exit_info);
        ctx.out
            .send(&exit_event(server.child.id(), "forkserver", exit));
    }
}




//! `io-bound`: slide 11's decision table, measured. An I/O server process answers each
//! request late (after `io_ms`); `tasks` requests are made sequentially, from threads, from
//! worker processes and from one event loop, then the same count of CPU-bound tasks with
//! threads and processes. Time and memory (PSS) per model, with the winner of each workload.

mod decision_table;
mod models;
mod settings;

use std::io::{self, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::{Duration, Instant};


use crate::demo_runtime::view::count;
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param, fits_under_cap, workers};
use crate::demo_runtime::pool::Pool;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::work::{busy_for, ms_since};
use crate::os::Forked;
use decision_table::{Measured, draw, report, requests};
use models::{event_loop, on_pool, on_threads, request, serve};
use settings::{CPU, IO};
pub use settings::Settings;


/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "io-bound",
        title: "I/O-bound vs CPU-bound: threads, processes, an event loop",
        summary: "Makes many requests to a server that answers late, sequentially, from \
                  threads, from worker processes and from one event loop; then runs as many \
                  CPU-bound tasks with threads and processes. Time and memory per model fill \
                  in slide 11's decision table.",
        params: &[
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 1, max: 500 },
                default: Default::Int(100),
                unit: "tasks",
                meaning: "requests (and, later, CPU-bound tasks)",
            },
            ParamSpec {
                name: "io_ms",
                kind: Kind::Int { min: 1, max: 1000 },
                // 100 waits of 20 ms: 2 s one after another, the run under 10 s in all.
                default: Default::Int(20),
                unit: "ms",
                meaning: "how late the server answers each request (and the CPU work per CPU task)",
            },
            ParamSpec {
                // Up to 32: in the I/O phase the workers mostly wait on the server, not a core.
                kind: Kind::Int { min: 1, max: 32 },
                ..workers(Default::Int(8), "worker processes")
            },
            ParamSpec {
                name: "threads",
                kind: Kind::Int { min: 1, max: 256 },
                default: Default::Int(32),
                unit: "threads",
                meaning: "worker threads",
            },
            ParamSpec {
                name: "hybrid",
                kind: Kind::Bool,
                default: Default::Bool(false),
                unit: "",
                meaning: "also run an event loop that hands each reply's CPU work to the processes",
            },
            cap_param(64),
        ],
        quick: &[
            ("tasks", "8"),
            ("io_ms", "20"),
            ("workers", "2"),
            ("threads", "8"),
        ],
        results: &[
            "sequential_ms",
            "threads_ms",
            "processes_ms",
            "async_ms",
            "threads_pss_mb",
            "processes_pss_mb",
            "async_pss_mb",
            "cpu_sequential_ms",
            "cpu_threads_ms",
            "cpu_processes_ms",
            "hybrid_ms",
        ],
        python: Some("demo_io_bound.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| {
        // The workers, the I/O server and the demo itself.
        fits_under_cap(
            s.workers + 2,
            s.cap,
            &format!("workers={} with the I/O server", s.workers),
        )
    },
    run,
    child: None,
    // Each thread reserves 8 MiB of stack but touches far less: a MiB each, generously.
    memory: |s| u64::from(s.threads) * 1024 * 1024,
    // Sequential I/O and CPU, CPU on threads, each about tasks × io_ms; the rest overlaps.
    estimate: |s| {
        let batch = f64::from(s.tasks) * s.io_ms as f64 / 1000.0;
        seconds(0.3 + 3.4 * batch + if s.hybrid { 0.5 * batch } else { 0.0 })
    },
};


fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let path = std::env::temp_dir().join(format!("io-server-{}.sock", std::process::id()));
    let listener = UnixListener::bind(&path)?;
    let delay = Duration::from_millis(settings.io_ms);
    // Every fork first; threads come after.
    let server = match ctx.fork()? {
        None => return Err(io::Error::other("the process cap allows no server")),
        Some(Forked::Child) => serve(&listener, delay),
        Some(Forked::Parent(pid)) => pid,
    };
    drop(listener);
    ctx.process(server, std::process::id(), "io server");
    let work_path = path.clone();
    let pool = Pool::start(ctx, settings.workers, "pool worker", move |record, _| {
        match record[0] {
            IO => {
                let _ = request(&work_path);
            }
            _ => busy_for(Duration::from_millis(u64::from(record[2]))),
        }
        [3, record[1], 0, 0]
    })?;
    let outcome = measure(ctx, settings, &path, &pool);
    pool.stop(ctx)?;
    let _ = UnixStream::connect(&path).and_then(|mut s| s.write_all(b"q"));
    reap_and_report(ctx.out, server, "io server");
    let _ = std::fs::remove_file(&path);
    report(ctx, settings, &outcome?);
    Ok(())
}

/// How often a sequential phase says how far it has got.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Every [`PROGRESS_EVERY`] of a sequential phase (step `step` of `steps` on), says how many
/// of its tasks are done, so its seconds at 0% CPU read as waiting, not as a hang; returns
/// when it last said so.
fn say_progress(
    ctx: &Ctx,
    what: &str,
    (done, tasks): (u32, u32),
    started: Instant,
    said: Instant,
    (step, steps): (u64, u64),
) -> Instant {
    if said.elapsed() < PROGRESS_EVERY && done < tasks {
        return said;
    }
    ctx.progress(
        format!(
            "{what}: {} of {} one after another, {:.1} s so far",
            crate::demo_runtime::view::group(f64::from(done), 0),
            count(u64::from(tasks), "task", "tasks"),
            started.elapsed().as_secs_f64()
        ),
        Some(step * 1000 + u64::from(done) * 1000 / u64::from(tasks.max(1))),
        Some(steps * 1000),
    );
    Instant::now()
}

/// Runs every phase, drawing the table as it fills; the results go out at the end.
fn measure(ctx: &Ctx, settings: &Settings, path: &Path, pool: &Pool) -> io::Result<Measured> {
    let n = settings.tasks;
    let steps = if settings.hybrid { 8 } else { 7 };
    let mut m = Measured::default();
    let step = |m: &Measured, done: u64, message: String| {
        draw(ctx, settings, m);
        ctx.progress(message, Some(done), Some(steps));
    };
    step(&m, 0, format!("{}, one after another", requests(n)));
    let started = Instant::now();
    let mut said = started;
    for i in 1..=n {
        request(path)?;
        said = say_progress(ctx, "requests", (i, n), started, said, (0, steps));
    }
    m.sequential_ms = Some(ms_since(started));
    step(
        &m,
        1,
        format!(
            "{} from {}",
            requests(n),
            count(u64::from(settings.threads), "thread", "threads")
        ),
    );
    let (ms, pss) = on_threads(settings.threads, n, || request(path).map(drop))?;
    (m.threads_ms, m.threads_pss) = (Some(ms), Some(pss));
    step(
        &m,
        2,
        format!(
            "{} from {}",
            requests(n),
            count(u64::from(settings.workers), "process", "processes")
        ),
    );
    let (ms, pss) = on_pool(pool, IO, n, 0)?;
    (m.processes_ms, m.processes_pss) = (Some(ms), Some(pss));
    step(&m, 3, format!("{} from one event loop", requests(n)));
    let (ms, pss) = event_loop(path, n, None)?;
    (m.async_ms, m.async_pss) = (Some(ms), Some(pss));
    let work = Duration::from_millis(settings.io_ms);
    step(&m, 4, "CPU-bound tasks, one after another".into());
    let started = Instant::now();
    let mut said = started;
    for i in 1..=n {
        busy_for(work);
        said = say_progress(ctx, "CPU tasks", (i, n), started, said, (4, steps));
    }
    m.cpu_sequential_ms = Some(ms_since(started));
    step(&m, 5, "CPU-bound tasks on threads".into());
    let (ms, _) = on_threads(settings.threads, n, || {
        busy_for(work);
        Ok(())
    })?;
    m.cpu_threads_ms = Some(ms);
    step(&m, 6, "CPU-bound tasks on processes".into());
    let ms = u32::try_from(settings.io_ms).unwrap_or(u32::MAX);
    m.cpu_processes_ms = Some(on_pool(pool, CPU, n, ms)?.0);
    if settings.hybrid {
        step(
            &m,
            7,
            "an event loop handing the CPU work to the processes".into(),
        );
        m.hybrid_ms = Some(event_loop(path, n, Some((pool, ms)))?.0);
    }
    Ok(m)
}

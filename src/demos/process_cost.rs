//! `process-cost`: the same batch of tasks run three ways — sequentially, one new process per
//! task, and a pool of processes reused for every task — to measure what starting a process
//! costs here, how much memory each process holds, and from which task length a process per
//! task stops being a waste.

use std::io;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::sys::wait::{WaitStatus, waitpid};
use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, fits_under_cap, workers};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::{exit_event, reap_and_report};
use crate::demo_runtime::records::{read_record, write_record};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit, little_memory};
use crate::demo_runtime::view::{Bar, Tone, View, count};
use crate::demo_runtime::work::{busy_for, median, ms_since};
use crate::os::{self, Forked};
use crate::process::ExitInfo;
use crate::sampler::{PlatformSource, Source};

/// What the slide's rule of thumb says a task needs to be worth a process.
const SLIDE_RULE_MS: f64 = 100.0;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "process-cost",
        title: "What a process costs: one per task vs a reused pool",
        summary: "Runs the same batch of CPU tasks sequentially, with a new process per task \
                  and with a pool of processes reused for every task; measures what starting a \
                  process costs here, the memory each holds, and the task length from which a \
                  process per task stops being a waste.",
        params: &[
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 1, max: 200 },
                default: Default::Int(40),
                unit: "tasks",
                meaning: "tasks in the batch",
            },
            ParamSpec {
                name: "task_ms",
                kind: Kind::Int { min: 0, max: 1000 },
                default: Default::Int(5),
                unit: "ms",
                meaning: "CPU work per task (CPU time, not wall time)",
            },
            workers(
                Default::PerCore(1),
                "processes working at once, in both ways (default: one per core)",
            ),
            ParamSpec {
                name: "cap",
                kind: Kind::Int { min: 2, max: 256 },
                default: Default::Int(256),
                unit: "processes",
                meaning: "hard limit on processes this demo may create, its own included",
            },
        ],
        quick: &[("tasks", "6"), ("task_ms", "2"), ("workers", "2")],
        results: &[
            "break_even_task_ms",
            "parent_rss_mb",
            "per_process_ms",
            "per_task_process_ms",
            "pool_ms",
            "pool_per_task_ms",
            "process_start_ms",
            "sequential_ms",
            "speedup_pool_vs_process",
            "start_overhead_ms",
            "tasks",
            "worker_pss_mb",
            "worker_rss_mb",
            "workers",
        ],
        python: Some("demo_process_cost.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: true,
    },
    check: |s| {
        fits_under_cap(
            s.tasks + s.workers + 1,
            s.cap,
            &format!("tasks={} with workers={}", s.tasks, s.workers),
        )
    },
    run,
    child: None,
    memory: little_memory,
    // Sequentially, a process per task, then a pool.
    estimate: |s| seconds(0.2 + 2.5 * f64::from(s.tasks) * s.task_ms as f64 / 1000.0),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Tasks in the batch.
    pub tasks: u32,
    /// CPU work per task, ms.
    pub task_ms: u64,
    /// Processes working at once.
    pub workers: u32,
    /// Process cap.
    pub cap: u32,
}

/// What the three ways measured.
struct Measured {
    sequential_ms: f64,
    per_process_ms: f64,
    pool_ms: f64,
    starts: Vec<f64>,
    worker_rss: Vec<f64>,
    worker_pss: Vec<f64>,
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let work = Duration::from_millis(settings.task_ms);
    // The pool first: its processes are forked while this process is small and alone.
    let tasks = Queue::new()?;
    let done = Queue::new()?;
    let pool = start_pool(ctx, settings, &tasks, &done, work)?;
    ctx.progress(
        format!("sequential: {} in this process", tasks_text(settings)),
        Some(0),
        Some(3),
    );
    let started = Instant::now();
    for _ in 0..settings.tasks {
        busy_for(work);
    }
    let sequential_ms = ms_since(started);
    show(ctx, settings, &[("sequential", sequential_ms)]);

    ctx.progress(
        format!(
            "a new process for each task, {} at a time",
            settings.workers
        ),
        Some(1),
        Some(3),
    );
    let (per_process_ms, starts) = process_per_task(ctx, settings, work)?;
    show(
        ctx,
        settings,
        &[
            ("sequential", sequential_ms),
            ("per process", per_process_ms),
        ],
    );

    ctx.progress(
        format!("a pool of {} reused for every task", settings.workers),
        Some(2),
        Some(3),
    );
    let started = Instant::now();
    for i in 0..settings.tasks {
        tasks.put([1, i, 0, 0])?;
    }
    for _ in 0..settings.tasks {
        if done.get_timeout(Duration::from_secs(60))?.is_none() {
            return Err(io::Error::other("the pool stopped answering"));
        }
    }
    let pool_ms = ms_since(started);
    let (worker_rss, worker_pss) = pool_memory(&pool);
    for _ in &pool {
        tasks.put([0, 0, 0, 0])?;
    }
    for (pid, role) in &pool {
        reap_and_report(ctx.out, *pid, role);
    }
    report(
        ctx,
        settings,
        &Measured {
            sequential_ms,
            per_process_ms,
            pool_ms,
            starts,
            worker_rss,
            worker_pss,
        },
    );
    Ok(())
}

fn tasks_text(settings: &Settings) -> String {
    format!(
        "{} of {} ms",
        count(u64::from(settings.tasks), "task", "tasks"),
        settings.task_ms
    )
}

/// Forks the pool: each worker takes task records until a stop record.
fn start_pool(
    ctx: &Ctx,
    settings: &Settings,
    tasks: &Queue,
    done: &Queue,
    work: Duration,
) -> io::Result<Vec<(u32, String)>> {
    let mut pool = Vec::new();
    for i in 1..=settings.workers {
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => loop {
                match tasks.get() {
                    Ok([1, task, ..]) => {
                        busy_for(work);
                        if done.put([2, task, i, 0]).is_err() {
                            std::process::exit(1);
                        }
                    }
                    Ok(_) => std::process::exit(0),
                    Err(_) => std::process::exit(1),
                }
            },
            Some(Forked::Parent(pid)) => {
                let role = format!("pool worker {i}");
                ctx.process(pid, std::process::id(), &role);
                pool.push((pid, role));
            }
        }
    }
    Ok(pool)
}

/// One new process per task, at most `workers` at a time; returns the wall time and each
/// process's start (fork to its first message).
fn process_per_task(ctx: &Ctx, settings: &Settings, work: Duration) -> io::Result<(f64, Vec<f64>)> {
    let (ready_read, ready_write) = os::inheritable_pipe()?;
    let started = Instant::now();
    let mut starts = Vec::new();
    let mut alive: Vec<(u32, String)> = Vec::new();
    let mut next = 1;
    while next <= settings.tasks || !alive.is_empty() {
        while next <= settings.tasks && alive.len() < settings.workers as usize {
            let asked = Instant::now();
            match ctx.fork()? {
                None => return Err(io::Error::other("the process cap stopped the batch")),
                Some(Forked::Child) => {
                    let _ = write_record(ready_write.as_fd(), &[next, std::process::id()]);
                    busy_for(work);
                    std::process::exit(0);
                }
                Some(Forked::Parent(pid)) => {
                    let role = format!("task {next}");
                    ctx.process(pid, std::process::id(), &role);
                    if read_record::<2>(ready_read.as_fd(), Duration::from_secs(10))?.is_none() {
                        return Err(io::Error::other(format!("{role} never started")));
                    }
                    starts.push(ms_since(asked));
                    alive.push((pid, role));
                    next += 1;
                }
            }
        }
        // Reap whichever ends first, so the next task's process can start.
        match waitpid(nix::unistd::Pid::from_raw(-1), None) {
            Ok(WaitStatus::Exited(pid, code)) => {
                finish(
                    ctx,
                    &mut alive,
                    pid.as_raw().unsigned_abs(),
                    ExitInfo::Code(code),
                );
            }
            Ok(WaitStatus::Signaled(pid, signal, _)) => finish(
                ctx,
                &mut alive,
                pid.as_raw().unsigned_abs(),
                ExitInfo::Signal(signal as i32),
            ),
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(err) => return Err(io::Error::from(err)),
        }
    }
    Ok((ms_since(started), starts))
}

fn finish(ctx: &Ctx, alive: &mut Vec<(u32, String)>, pid: u32, exit: ExitInfo) {
    if let Some(at) = alive.iter().position(|(p, _)| *p == pid) {
        let (_, role) = alive.remove(at);
        ctx.out.send(&exit_event(pid, &role, exit));
    }
}

/// RSS and PSS of each pool worker, MiB.
fn pool_memory(pool: &[(u32, String)]) -> (Vec<f64>, Vec<f64>) {
    let mut source = PlatformSource::default();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let rss = pool
        .iter()
        .filter_map(|(pid, _)| source.read(*pid, Instant::now()).map(|r| mib(r.rss_bytes)))
        .collect();
    let pss = pool
        .iter()
        .filter_map(|(pid, _)| crate::sampler::footprint_now(*pid).map(|f| mib(f.pss)))
        .collect();
    (rss, pss)
}

/// The times so far as bars.
fn show(ctx: &Ctx, settings: &Settings, times: &[(&str, f64)]) {
    let bars = times
        .iter()
        .map(|(which, ms)| match *which {
            "sequential" => Bar {
                label: "sequential".into(),
                value: *ms,
                detail: "this process".into(),
                tone: Tone::Muted,
            },
            "per process" => Bar {
                label: "a process per task".into(),
                value: *ms,
                detail: format!(
                    "{} started",
                    count(u64::from(settings.tasks), "process", "processes")
                ),
                tone: Tone::Warn,
            },
            _ => Bar {
                label: format!("a pool of {}", settings.workers),
                value: *ms,
                detail: format!(
                    "{}, reused",
                    count(u64::from(settings.workers), "process", "processes")
                ),
                tone: Tone::Good,
            },
        })
        .collect();
    ctx.view(
        "ways",
        View::Bars {
            unit: "ms".into(),
            bars,
            max: None,
            caption: "wall time for the whole batch, each way".into(),
        },
    );
}

fn report(ctx: &mut Ctx, settings: &Settings, m: &Measured) {
    let workers = f64::from(settings.workers);
    let tasks = f64::from(settings.tasks);
    let per_task_process_ms = m.per_process_ms * workers / tasks;
    let pool_per_task_ms = m.pool_ms * workers / tasks;
    let start_overhead_ms = (per_task_process_ms - pool_per_task_ms).max(0.0);
    let break_even_task_ms = 9.0 * start_overhead_ms;
    show(
        ctx,
        settings,
        &[
            ("sequential", m.sequential_ms),
            ("per process", m.per_process_ms),
            ("pool", m.pool_ms),
        ],
    );
    let parent_rss = PlatformSource::default()
        .read(std::process::id(), Instant::now())
        .map_or(0.0, |r| r.rss_bytes as f64 / (1024.0 * 1024.0));
    let (rss, pss) = (median(&m.worker_rss), median(&m.worker_pss));
    ctx.view(
        "memory",
        View::Table {
            columns: vec!["process".into(), "RSS".into(), "PSS".into()],
            rows: vec![
                vec![
                    "parent".into(),
                    format!("{parent_rss:.1} MiB"),
                    String::new(),
                ],
                vec![
                    "pool worker (median)".into(),
                    format!("{rss:.1} MiB"),
                    format!("{pss:.1} MiB"),
                ],
            ],
            tones: Vec::new(),
            merge: false,
            caption: "memory each process holds while alive (PSS splits shared pages)".into(),
        },
    );
    ctx.result("sequential_ms", m.sequential_ms);
    ctx.result("per_process_ms", m.per_process_ms);
    ctx.result("pool_ms", m.pool_ms);
    ctx.result("per_task_process_ms", per_task_process_ms);
    ctx.result("pool_per_task_ms", pool_per_task_ms);
    ctx.result("process_start_ms", median(&m.starts));
    ctx.result("start_overhead_ms", start_overhead_ms);
    ctx.result("break_even_task_ms", break_even_task_ms);
    ctx.result(
        "speedup_pool_vs_process",
        m.per_process_ms / m.pool_ms.max(1e-9),
    );
    ctx.result("worker_rss_mb", rss);
    ctx.result("worker_pss_mb", pss);
    ctx.result("parent_rss_mb", parent_rss);
    ctx.result("tasks", i64::from(settings.tasks));
    ctx.result("workers", i64::from(settings.workers));
    ctx.headline(
        format!(
            "A process per task cost {start_overhead_ms:.2} ms more per task than a reused pool \
             ({:.1}× slower): starting processes pays off only for tasks of about \
             {break_even_task_ms:.0} ms or more here.",
            m.per_process_ms / m.pool_ms.max(1e-9)
        ),
        Tone::Accent,
    );
    if break_even_task_ms < SLIDE_RULE_MS / 3.0 {
        ctx.note(
            NoteLevel::Differs,
            format!(
                "The slide's rule of thumb asks for 100 ms of work per task; here a process \
                 starts in {:.2} ms (fork of a small native process, no interpreter, no \
                 imports), so the break-even is about {break_even_task_ms:.0} ms. A Python \
                 program pays its interpreter and imports on every start (the CPython engine \
                 measures that).",
                median(&m.starts)
            ),
        );
    }
}

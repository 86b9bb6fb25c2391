//! `queue-sentinel`: a producer and worker processes over a real inter-process queue (a pipe
//! with a reader lock), a task queue and a result queue; one sentinel per worker shuts them
//! down. With too few sentinels a watchdog names the workers blocked forever in `get()`.

use std::io;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param, fits_under_cap, workers};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::{exit_event, reap_and_report};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::view::{Bar, Tone, View, count};
use crate::demo_runtime::work::busy_for;
use crate::os::{self, Forked};
use crate::process::ExitInfo;

/// Record kinds on the queues.
const TASK: u32 = 1;
const SENTINEL: u32 = 2;
const RESULT: u32 = 3;

/// How often the producer looks at the queue while it waits for results.
const LOOK_EVERY: Duration = Duration::from_millis(100);

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "queue-sentinel",
        title: "Queue producer/consumer and the sentinel shutdown",
        summary: "A producer and worker processes share a real inter-process task queue and \
                  result queue (pipes with a reader lock). One sentinel per worker shuts them \
                  down; with fewer, a watchdog names the workers blocked forever in get().",
        params: &[
            workers(
                Default::PerCore(2),
                "worker processes (default: 2 per core)",
            ),
            ParamSpec {
                name: "sentinels",
                kind: Kind::Int { min: 0, max: 32 },
                default: Default::SameAs("workers"),
                unit: "",
                meaning: "sentinels the producer puts (default: one per worker)",
            },
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 0, max: 500 },
                default: Default::PerCore(30),
                unit: "tasks",
                meaning: "tasks the producer puts before the sentinels (default: 30 per core, about 3 s of work)",
            },
            ParamSpec {
                name: "task_ms",
                kind: Kind::Int { min: 0, max: 2000 },
                default: Default::Int(100),
                unit: "ms",
                meaning: "CPU work per task (CPU time, not wall time)",
            },
            ParamSpec {
                name: "watchdog_ms",
                kind: Kind::Int {
                    min: 100,
                    max: 10_000,
                },
                default: Default::Int(1500),
                unit: "ms",
                meaning: "how long join() waits before the watchdog calls a worker blocked",
            },
            cap_param(64),
        ],
        quick: &[
            ("workers", "2"),
            ("tasks", "4"),
            ("task_ms", "5"),
            ("watchdog_ms", "300"),
        ],
        results: &[
            "blocked_workers",
            "clean_exits",
            "leftover_sentinels",
            "tasks_done",
            "tasks_worker_*",
        ],
        python: Some("demo_queue_sentinel.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| fits_under_cap(s.workers + 1, s.cap, &format!("workers={}", s.workers)),
    run,
    child: None,
    memory: crate::demo_runtime::unit::little_memory,
    // The tasks over the workers, and the watchdog's wait when a sentinel is missing.
    estimate: |s| {
        let batch = f64::from(s.tasks) * s.task_ms as f64 / 1000.0;
        let work = batch / f64::from(s.workers.max(1));
        let hang = if s.sentinels < s.workers {
            s.watchdog_ms as f64 / 1000.0
        } else {
            0.0
        };
        seconds(1.5 + work + hang)
    },
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Worker processes.
    pub workers: u32,
    /// Sentinels the producer puts.
    pub sentinels: u32,
    /// Tasks before the sentinels.
    pub tasks: u32,
    /// CPU work per task, ms.
    pub task_ms: u64,
    /// How long `join()` waits before the watchdog steps in, ms.
    pub watchdog_ms: u64,
    /// Process cap.
    pub cap: u32,
}

/// Runs the demo.
///
/// # Errors
/// If a queue, fork or wait fails.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let Settings {
        workers,
        sentinels,
        tasks,
        task_ms,
        ..
    } = *settings;
    let watchdog = Duration::from_millis(settings.watchdog_ms);
    let task_queue = Queue::new()?;
    let result_queue = Queue::new()?;
    ctx.note(
        NoteLevel::Info,
        format!(
            "{} take tasks from one queue and put results on another; the producer sends {}.",
            count(u64::from(workers), "worker", "workers"),
            count(u64::from(sentinels), "sentinel", "sentinels")
        ),
    );

    let mut alive: Vec<(u32, u32, String)> = Vec::new();
    for i in 1..=workers {
        // The parent's row first, so the table lists the workers in order.
        worker_row(
            ctx,
            &format!("worker {i}"),
            "starting",
            Some(0),
            Tone::Muted,
        );
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => worker(ctx, i, &task_queue, &result_queue, task_ms),
            Some(Forked::Parent(pid)) => {
                let role = format!("worker {i}");
                ctx.process(pid, std::process::id(), &role);
                alive.push((pid, i, role));
            }
        }
    }
    for k in 1..=tasks {
        task_queue.put([TASK, k, 0, 0])?;
    }
    for _ in 0..sentinels {
        task_queue.put([SENTINEL, 0, 0, 0])?;
    }
    let capacity = f64::from(tasks + sentinels);
    show_queue(ctx, &task_queue, capacity);
    let sent = Instant::now();
    ctx.progress(
        format!(
            "{} and {} are on the queue",
            count(u64::from(tasks), "task", "tasks"),
            count(u64::from(sentinels), "sentinel", "sentinels")
        ),
        Some(0),
        Some(u64::from(tasks)),
    );

    let done_by = collect_results(ctx, &task_queue, &result_queue, settings)?;
    let clean = join(ctx, &mut alive, sent, watchdog);
    let blocked = alive.len();
    explain_blocked(ctx, &alive, workers, sentinels);
    for (pid, _, role) in &alive {
        let _ = kill(os::pid(*pid), Signal::SIGKILL);
        reap_and_report(ctx.out, *pid, role);
        worker_row(ctx, role, "blocked in get(), killed", None, Tone::Bad);
    }
    let mut leftover = 0;
    while let Some([kind, ..]) = task_queue.get_timeout(Duration::ZERO)? {
        leftover += u32::from(kind == SENTINEL);
    }
    show_queue(ctx, &task_queue, capacity);
    if leftover > 0 {
        ctx.note(
            NoteLevel::Info,
            format!(
                "{} never taken: still in the queue when the workers had gone.",
                count(u64::from(leftover), "sentinel was", "sentinels were")
            ),
        );
    }
    headline(ctx, settings, blocked, leftover);
    for i in 1..=workers {
        ctx.result(&format!("tasks_worker_{i}"), i64::from(done_by[i as usize]));
    }
    ctx.result("tasks_done", i64::from(tasks));
    ctx.result("clean_exits", clean);
    ctx.result("blocked_workers", blocked);
    ctx.result("leftover_sentinels", i64::from(leftover));
    Ok(())
}

/// Takes every result off the result queue, showing the task queue's depth as it drains;
/// returns how many tasks each worker did (index 0 unused).
fn collect_results(
    ctx: &Ctx,
    task_queue: &Queue,
    result_queue: &Queue,
    settings: &Settings,
) -> io::Result<Vec<u32>> {
    let Settings {
        workers,
        sentinels,
        tasks,
        ..
    } = *settings;
    let capacity = f64::from(tasks + sentinels);
    let mut done_by: Vec<u32> = vec![0; workers as usize + 1];
    let mut last_result = Instant::now();
    let mut received = 0;
    while received < tasks {
        let Some([_, _, worker, _]) = result_queue.get_timeout(LOOK_EVERY)? else {
            show_queue(ctx, task_queue, capacity);
            if last_result.elapsed() > Duration::from_secs(60) {
                return Err(io::Error::other("no result for 60 s"));
            }
            continue;
        };
        last_result = Instant::now();
        received += 1;
        show_queue(ctx, task_queue, capacity);
        if let Some(done) = done_by.get_mut(worker as usize) {
            *done += 1;
        }
        ctx.progress(
            format!("{received} of {tasks} results back"),
            Some(u64::from(received)),
            Some(u64::from(tasks)),
        );
    }
    Ok(done_by)
}

fn headline(ctx: &Ctx, settings: &Settings, blocked: usize, leftover: u32) {
    let Settings {
        workers, sentinels, ..
    } = *settings;
    ctx.headline(
        match (blocked, leftover) {
            (0, 0) => format!(
                "One sentinel per worker: all {} took theirs and exited, so join() returned.",
                count(u64::from(workers), "worker", "workers")
            ),
            (0, _) => format!(
                "Every worker exited; {} left over in the queue.",
                count(u64::from(leftover), "sentinel", "sentinels")
            ),
            (n, _) => format!(
                "{} blocked forever in get(): {} for {}. join() would hang; the watchdog killed {}.",
                count(n as u64, "worker", "workers"),
                count(u64::from(sentinels), "sentinel", "sentinels"),
                count(u64::from(workers), "worker", "workers"),
                if n == 1 { "it" } else { "them" }
            ),
        },
        if blocked > 0 { Tone::Bad } else { Tone::Good },
    );
}

/// The queue's depth, measured from the pipe.
fn show_queue(ctx: &Ctx, queue: &Queue, capacity: f64) {
    let waiting = queue.waiting();
    ctx.view(
        "queue",
        View::Bars {
            unit: "items".into(),
            bars: vec![Bar {
                label: "task queue".into(),
                value: waiting as f64,
                detail: "waiting".into(),
                tone: Tone::Memory,
            }],
            max: Some(capacity.max(1.0)),
            caption: String::new(),
        },
    );
}

/// One worker's row of the workers table; each process sends its own.
fn worker_row(ctx: &Ctx, role: &str, state: &str, done: Option<u32>, tone: Tone) {
    ctx.view(
        "workers",
        View::Table {
            columns: vec!["worker".into(), "state".into(), "done".into()],
            rows: vec![vec![
                role.to_string(),
                state.to_string(),
                done.map(|d| d.to_string()).unwrap_or_default(),
            ]],
            tones: vec![tone],
            merge: true,
            caption: String::new(),
        },
    );
}

/// A worker's life: take, work, put the result; exit on the sentinel. Never returns.
fn worker(ctx: &Ctx, index: u32, tasks: &Queue, results: &Queue, task_ms: u64) -> ! {
    let role = format!("worker {index}");
    let mut done = 0;
    loop {
        worker_row(ctx, &role, "waiting in get()", Some(done), Tone::Warn);
        let Ok([kind, task, ..]) = tasks.get() else {
            std::process::exit(1)
        };
        if kind == SENTINEL {
            worker_row(
                ctx,
                &role,
                "got its sentinel, exits",
                Some(done),
                Tone::Muted,
            );
            std::process::exit(0);
        }
        worker_row(
            ctx,
            &role,
            &format!("working on task {task}"),
            Some(done),
            Tone::Good,
        );
        busy_for(Duration::from_millis(task_ms));
        done += 1;
        if results.put([RESULT, task, index, 0]).is_err() {
            std::process::exit(1);
        }
    }
}

/// Reaps workers as they exit until the watchdog's time is up; returns how many exited
/// cleanly, leaving the blocked ones in `alive`.
fn join(
    ctx: &Ctx,
    alive: &mut Vec<(u32, u32, String)>,
    sent: Instant,
    watchdog: Duration,
) -> usize {
    let deadline = Instant::now() + watchdog;
    let mut clean = 0;
    while !alive.is_empty() && Instant::now() < deadline {
        alive.retain(
            |(pid, _, role)| match waitpid(os::pid(*pid), Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(_, code)) => {
                    ctx.out.send(&exit_event(*pid, role, ExitInfo::Code(code)));
                    ctx.measure(
                        "join_ms",
                        sent.elapsed().as_secs_f64() * 1000.0,
                        "ms",
                        Some(role),
                    );
                    clean += usize::from(code == 0);
                    false
                }
                Ok(WaitStatus::Signaled(_, signal, _)) => {
                    ctx.out
                        .send(&exit_event(*pid, role, ExitInfo::Signal(signal as i32)));
                    false
                }
                _ => true,
            },
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    clean
}

fn explain_blocked(ctx: &Ctx, blocked: &[(u32, u32, String)], workers: u32, sentinels: u32) {
    if blocked.is_empty() {
        return;
    }
    let names: Vec<String> = blocked
        .iter()
        .map(|(pid, _, role)| format!("{role} (pid {pid})"))
        .collect();
    ctx.note(
        NoteLevel::Warn,
        format!(
            "Blocked forever in get(): {}. The producer sent {} for {}; every sentinel has been \
             taken, the queue is empty and nothing more will come, so get() never returns and \
             join() would hang. The watchdog kills {}.",
            names.join(", "),
            count(u64::from(sentinels), "sentinel", "sentinels"),
            count(u64::from(workers), "worker", "workers"),
            if blocked.len() == 1 { "it" } else { "them" }
        ),
    );
}

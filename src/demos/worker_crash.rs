//! `worker-crash`: a pool worker is killed (SIGKILL) while it holds a task. Two pools behave
//! as Python's two do: one replaces the worker but loses its task, so `map` would wait forever
//! (a watchdog detects it and names the task); the other notices the death and fails every
//! pending task at once (`BrokenProcessPool`).

use std::io;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::params::{
    Default, Kind, POOL_WORKERS, ParamSpec, cap_param, fits_under_cap,
};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit, little_memory};
use crate::demo_runtime::view::{Tone, View};
use crate::demo_runtime::work::busy_for;
use crate::os::{self, Forked};

const TASK: u32 = 1;
const STARTED: u32 = 2;
const DONE: u32 = 3;
const STOP: u32 = 4;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "worker-crash",
        title: "A pool worker dies holding a task",
        summary: "Kills a pool worker while it works on a task. A pool that replaces dead \
                  workers but loses their tasks (multiprocessing.Pool) would wait forever: a \
                  watchdog names the lost task. A pool that notices the death (like \
                  ProcessPoolExecutor) fails every pending task at once.",
        params: &[
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 2, max: 64 },
                default: Default::Int(8),
                unit: "tasks",
                meaning: "tasks given to each pool",
            },
            ParamSpec {
                name: "task_ms",
                kind: Kind::Int { min: 10, max: 5000 },
                default: Default::Int(200),
                unit: "ms",
                meaning: "CPU work per task",
            },
            POOL_WORKERS,
            ParamSpec {
                name: "watchdog_ms",
                kind: Kind::Int {
                    min: 200,
                    max: 60_000,
                },
                default: Default::Int(2000),
                unit: "ms",
                meaning: "how long to wait for the lost result before calling the map hung",
            },
            cap_param(64),
        ],
        quick: &[
            ("tasks", "4"),
            ("task_ms", "200"),
            ("workers", "2"),
            ("watchdog_ms", "1500"),
        ],
        results: &[
            "executor_broken",
            "failed_futures",
            "lost_tasks",
            "map_hung",
        ],
        python: Some("demo_worker_crash.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| {
        // Each pool, plus Pool's replacement worker.
        fits_under_cap(
            2 * s.workers + 2,
            s.cap,
            &format!("workers={} (two pools and a replacement)", s.workers),
        )
    },
    run,
    child: None,
    memory: little_memory,
    // The tasks on a Pool, then on an executor, each over the workers.
    estimate: |s| {
        let batch = f64::from(s.tasks) * s.task_ms as f64 / 1000.0;
        seconds(0.8 + 2.0 * batch / f64::from(s.workers.max(1)))
    },
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Tasks per pool.
    pub tasks: u32,
    /// CPU work per task, ms.
    pub task_ms: u64,
    /// Pool workers.
    pub workers: u32,
    /// Watchdog, ms.
    pub watchdog_ms: u64,
    /// Process cap.
    pub cap: u32,
}

/// A pool's queues and workers.
struct Crew {
    tasks: Queue,
    status: Queue,
    workers: Vec<(u32, String)>,
    /// Workers started so far, so that a replacement gets a new number.
    hired: usize,
    role: &'static str,
    work: Duration,
}

impl Crew {
    fn new(role: &'static str, work: Duration) -> io::Result<Self> {
        Ok(Self {
            tasks: Queue::new()?,
            status: Queue::new()?,
            workers: Vec::new(),
            hired: 0,
            role,
            work,
        })
    }

    /// Forks one more worker: it says when it starts a task, works, says when it is done.
    fn hire(&mut self, ctx: &Ctx) -> io::Result<()> {
        self.hired += 1;
        let number = self.hired;
        match ctx.fork()? {
            None => Err(io::Error::other("the process cap allows no more workers")),
            Some(Forked::Child) => loop {
                let Ok([kind, task, ..]) = self.tasks.get() else {
                    std::process::exit(1)
                };
                if kind == STOP {
                    std::process::exit(0);
                }
                let me = std::process::id();
                if self.status.put([STARTED, task, me, 0]).is_err() {
                    std::process::exit(1);
                }
                busy_for(self.work);
                if self.status.put([DONE, task, me, 0]).is_err() {
                    std::process::exit(1);
                }
            },
            Some(Forked::Parent(pid)) => {
                let role = format!("{} {number}", self.role);
                ctx.process(pid, std::process::id(), &role);
                self.workers.push((pid, role));
                Ok(())
            }
        }
    }

    /// Kills the worker that started a task first; returns the task and the worker's role.
    fn kill_one_at_work(&mut self, ctx: &Ctx) -> io::Result<(u32, String)> {
        loop {
            let Some([kind, task, pid, _]) = self.status.get_timeout(Duration::from_secs(30))?
            else {
                return Err(io::Error::other("no worker started a task"));
            };
            if kind != STARTED {
                continue;
            }
            let _ = kill(os::pid(pid), Signal::SIGKILL);
            let role = self
                .workers
                .iter()
                .find(|(p, _)| *p == pid)
                .map_or_else(String::new, |(_, r)| r.clone());
            reap_and_report(ctx.out, pid, &role);
            self.workers.retain(|(p, _)| *p != pid);
            return Ok((task, role));
        }
    }

    /// Stops (or, for a broken pool, kills) every worker and reaps it.
    fn dismiss(&mut self, ctx: &Ctx, broken: bool) {
        for (pid, _) in &self.workers {
            if broken {
                let _ = kill(os::pid(*pid), Signal::SIGKILL);
            } else {
                let _ = self.tasks.put([STOP, 0, 0, 0]);
            }
        }
        for (pid, role) in self.workers.drain(..) {
            reap_and_report(ctx.out, pid, &role);
        }
    }
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let work = Duration::from_millis(settings.task_ms);
    ctx.progress(
        "a pool that replaces dead workers (like multiprocessing.Pool)",
        Some(0),
        Some(2),
    );
    let (lost, hung, lost_task) = replacing_pool(ctx, settings, work)?;
    ctx.progress(
        "a pool that notices the death (like ProcessPoolExecutor)",
        Some(1),
        Some(2),
    );
    let (broken, failed) = breaking_pool(ctx, settings, work)?;
    ctx.result("lost_tasks", i64::from(lost));
    ctx.result("map_hung", hung);
    ctx.result("executor_broken", broken);
    ctx.result("failed_futures", i64::from(failed));
    ctx.view(
        "what happened",
        View::Table {
            columns: vec!["pool".into(), "what happened".into()],
            rows: vec![
                vec![
                    "replaces workers (Pool)".into(),
                    if hung {
                        format!("task {lost_task} lost: map() would wait forever")
                    } else {
                        "every result came".into()
                    },
                ],
                vec![
                    "notices deaths (Executor)".into(),
                    format!("broken: {failed} pending tasks failed at once"),
                ],
            ],
            tones: vec![Tone::Bad, Tone::Warn],
            merge: false,
            caption: String::new(),
        },
    );
    ctx.headline(
        format!(
            "The replacing pool lost task {lost_task} with its worker and would have waited \
             forever; the other pool broke and failed {failed} pending tasks at once."
        ),
        Tone::Bad,
    );
    Ok(())
}

/// Like `multiprocessing.Pool`: a dead worker is replaced, its task is not. Returns how many
/// results never came, whether the watchdog called it hung, and the lost task.
fn replacing_pool(ctx: &Ctx, settings: &Settings, work: Duration) -> io::Result<(u32, bool, u32)> {
    let mut crew = Crew::new("pool worker", work)?;
    for _ in 0..settings.workers {
        crew.hire(ctx)?;
    }
    for task in 0..settings.tasks {
        crew.tasks.put([TASK, task, 0, 0])?;
    }
    let (lost_task, role) = crew.kill_one_at_work(ctx)?;
    // The pool notices the missing worker and starts another, as Pool's handler thread does.
    crew.hire(ctx)?;
    ctx.note(
        NoteLevel::Warn,
        format!("{role} was killed (SIGKILL) while it worked on task {lost_task}; a new worker took its place."),
    );
    // Every other result comes; then the watchdog waits for the lost one.
    let mut received = 0;
    let mut watchdog: Option<Instant> = None;
    while received < settings.tasks {
        if watchdog.is_none() && received + 1 >= settings.tasks {
            watchdog = Some(Instant::now() + Duration::from_millis(settings.watchdog_ms));
        }
        if watchdog.is_some_and(|end| Instant::now() >= end) {
            break;
        }
        if let Some([DONE, ..]) = crew.status.get_timeout(Duration::from_millis(100))? {
            received += 1;
        }
    }
    let lost = settings.tasks - received;
    let hung = lost > 0;
    if hung {
        ctx.note(
            NoteLevel::Warn,
            format!(
                "Task {lost_task}'s result never came: the worker that held it is gone, and \
                 nothing sends the task again. map() would wait forever; the watchdog gave up \
                 after {} ms.",
                settings.watchdog_ms
            ),
        );
    }
    crew.dismiss(ctx, false);
    Ok((lost, hung, lost_task))
}

/// Like `ProcessPoolExecutor`: a dead worker breaks the pool, and every pending task fails.
/// Returns whether it broke and how many tasks failed.
fn breaking_pool(ctx: &Ctx, settings: &Settings, work: Duration) -> io::Result<(bool, u32)> {
    let mut crew = Crew::new("executor worker", work)?;
    for _ in 0..settings.workers {
        crew.hire(ctx)?;
    }
    for task in 0..settings.tasks {
        crew.tasks.put([TASK, task, 0, 0])?;
    }
    let mut done = 0;
    let (_, role) = crew.kill_one_at_work(ctx)?;
    // The executor watches its workers: the death is seen at once, and the pool is broken.
    while let Some(record) = crew.status.get_timeout(Duration::ZERO)? {
        done += u32::from(record[0] == DONE);
    }
    let failed = settings.tasks - done;
    ctx.note(
        NoteLevel::Warn,
        format!(
            "{role} was killed (SIGKILL): the pool is broken, and the {} not yet done fail at \
             once (BrokenProcessPool: \"A process in the process pool was terminated \
             abruptly\").",
            crate::demo_runtime::view::count(u64::from(failed), "task", "tasks")
        ),
    );
    crew.dismiss(ctx, true);
    Ok((true, failed))
}

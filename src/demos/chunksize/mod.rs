//! `chunksize`: a pool of worker processes maps `tasks` small tasks, once per chunksize (1,
//! 10, 100, 1000 and Python's default), against a sequential run in the same demo. Messages
//! are counted as they cross the pipes.

use std::io;
use std::sync::Arc;
use std::time::Instant;

mod map_pool;
mod sweep;

pub use map_pool::{Settings, python_default};
use map_pool::{STOP, pool_worker};
use sweep::{Sweep, pace};

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::params::{
    Default, Kind, POOL_WORKERS, ParamSpec, cap_param, fits_under_cap,
};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::os::Forked;


/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "chunksize",
        title: "Pool.map chunksize: messages vs work",
        summary: "A pool of worker processes maps many small tasks, once per chunksize (1, 10, \
                  100, 1000 and Python's default), with task and result messages counted as \
                  they cross the pipes, against a sequential run in the same demo.",
        params: &[
            POOL_WORKERS,
            ParamSpec {
                name: "tasks",
                kind: Kind::Int {
                    min: 10,
                    max: 100_000,
                },
                default: Default::Int(10_000),
                unit: "tasks",
                meaning: "items mapped in each run",
            },
            ParamSpec {
                name: "task_us",
                kind: Kind::Int {
                    min: 0,
                    max: 10_000,
                },
                default: Default::Int(20),
                unit: "µs",
                meaning: "CPU work per task (CPU time, not wall time)",
            },
            ParamSpec {
                name: "rounds",
                kind: Kind::Int { min: 0, max: 50 },
                default: Default::Int(0),
                unit: "rounds",
                meaning: "times the sweep runs (times are medians); 0: enough to last about 3 s, so the gauges show it",
            },
            cap_param(64),
        ],
        quick: &[("tasks", "200"), ("task_us", "10"), ("rounds", "1")],
        results: &[
            "default_chunksize",
            "rounds",
            "sequential_ms",
            "messages_cs1",
            "messages_cs10",
            "messages_cs100",
            "messages_cs1000",
            "messages_csdefault",
            "result_messages_cs1",
            "result_messages_cs10",
            "result_messages_cs100",
            "result_messages_cs1000",
            "result_messages_csdefault",
            "speedup_cs1",
            "speedup_cs10",
            "speedup_cs100",
            "speedup_cs1000",
            "speedup_csdefault",
            "time_ms_cs1",
            "time_ms_cs10",
            "time_ms_cs100",
            "time_ms_cs1000",
            "time_ms_csdefault",
        ],
        python: Some("demo_chunksize.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| fits_under_cap(s.workers + 1, s.cap, &format!("workers={}", s.workers)),
    run,
    child: None,
    memory: crate::demo_runtime::unit::little_memory,
    // A sweep: the tasks sequentially, then on the pool at five chunksizes; `rounds=0` runs
    // as many sweeps as make about 3 s.
    estimate: |s| {
        let batch = f64::from(s.tasks) * s.task_us as f64 / 1e6;
        let sweep = 0.3 + batch * (1.0 + 5.0 / f64::from(s.workers.max(1)));
        let rounds = match s.rounds {
            0 => (3.0 / sweep).ceil().max(1.0),
            n => f64::from(n),
        };
        seconds(0.3 + rounds * sweep)
    },
};



/// Runs the demo.
///
/// # Errors
/// If the pool cannot be started or a queue fails.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let Settings {
        workers,
        tasks,
        task_us,
        ..
    } = *settings;
    let chunks = Arc::new(Queue::new()?);
    let results = Queue::new()?;

    // The pool first: forking must happen before this process starts any thread.
    let mut pool = Vec::new();
    for i in 1..=workers {
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => pool_worker(&chunks, &results, task_us, i),
            Some(Forked::Parent(pid)) => {
                let role = format!("pool worker {i}");
                ctx.process(pid, std::process::id(), &role);
                pool.push((pid, role));
            }
        }
    }
    let default = python_default(tasks, workers);
    ctx.result("default_chunksize", i64::from(default));
    ctx.note(
        NoteLevel::Info,
        format!(
            "Python's Pool.map default chunksize here: ceil({tasks} / (4 × {workers})) = {default}."
        ),
    );
    let mut sweep = Sweep::new(default);
    let started = Instant::now();
    let mut rounds = settings.rounds.max(1);
    let mut round = 0;
    while round < rounds {
        round += 1;
        sweep.round(ctx, settings, &chunks, &results, (round, rounds))?;
        if round == 1 && settings.rounds == 0 {
            rounds = pace(ctx, started.elapsed());
        }
    }
    sweep.report(ctx, settings, rounds);
    for _ in &pool {
        chunks.put([STOP, 0, 0, 0])?;
    }
    for (pid, role) in pool {
        reap_and_report(ctx.out, pid, &role);
    }
    Ok(())
}



#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_follows_the_tasks_length() {
        use crate::demo_runtime::params::ParamValue;
        use crate::demo_runtime::{Demo, RunRequest};
        let demo: &'static dyn Demo = &DEMO;
        crate::demo_runtime::params::assume_cores(2);
        let defaults = RunRequest::defaults(demo);
        let quick = demo.estimate(defaults.params()).as_secs_f64();
        assert!((2.5..5.0).contains(&quick), "{quick}");
        // 10,000 tasks of 10 ms: 100 s sequentially alone, whatever the rounds.
        let long = defaults
            .with("task_us", ParamValue::Int(10_000))
            .expect("in range");
        assert!(demo.estimate(long.params()).as_secs_f64() > 100.0);
    }

    #[test]
    fn pythons_default_chunksize() {
        assert_eq!(python_default(10_000, 2), 1250);
        assert_eq!(python_default(10, 4), 1);
        assert_eq!(python_default(1, 1), 1);
    }
}

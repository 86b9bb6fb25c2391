//! `crossover`: when a pool pays off. Task lengths from 1 µs to 100 ms (log-spaced) run
//! sequentially and on a pool, with chunksize 1 and Python's default; the speedup against
//! task length is drawn as a line with the break-even marked. Each task can also carry a
//! payload, so "task shorter than sending it → slower than sequential" shows as a curve.

use std::io;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::chunksize::python_default;
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{
    Default, Kind, POOL_WORKERS, ParamSpec, cap_param, fits_under_cap,
};
use crate::demo_runtime::pool::{Pool, join};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::view::{Line, Tone, View};
use crate::demo_runtime::work::{busy_for, ms_since};

/// Task lengths swept, µs (the result keys name them).
pub const LENGTHS_US: [u64; 6] = [1, 10, 100, 1_000, 10_000, 100_000];

/// CPU time each point costs sequentially, about: 200 ms.
const POINT_US: u64 = 200_000;

/// The payloads of one point stay within this: 1,024 tasks of 64 KiB still show what a payload
/// costs, where 20,000 of them held 1.3 GB and took 20 s.
const PAYLOAD_BUDGET: u64 = 64 * 1024 * 1024;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "crossover",
        title: "When a pool pays off: speedup against task length",
        summary: "Sweeps task lengths from 1 µs to 100 ms, running each batch sequentially and \
                  on a pool with chunksize 1 and with Python's default; draws the speedup \
                  against the task length and finds where the pool starts to win.",
        params: &[
            POOL_WORKERS,
            ParamSpec {
                name: "payload_kb",
                kind: Kind::Int { min: 0, max: 1024 },
                default: Default::Int(0),
                unit: "KiB",
                meaning: "data each task carries to its worker",
            },
            ParamSpec {
                name: "max_tasks",
                kind: Kind::Int {
                    min: 8,
                    max: 20_000,
                },
                default: Default::Int(20_000),
                unit: "tasks",
                meaning: "most tasks per point (short tasks come in many, to last about 0.2 s)",
            },
            cap_param(64),
        ],
        quick: &[("workers", "2"), ("max_tasks", "500")],
        results: &[
            "break_even_us",
            "speedup_shortest",
            "speedup_cs1_1us",
            "speedup_cs1_10us",
            "speedup_cs1_100us",
            "speedup_cs1_1000us",
            "speedup_cs1_10000us",
            "speedup_cs1_100000us",
            "speedup_default_1us",
            "speedup_default_10us",
            "speedup_default_100us",
            "speedup_default_1000us",
            "speedup_default_10000us",
            "speedup_default_100000us",
        ],
        python: Some("demo_crossover.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| fits_under_cap(s.workers + 1, s.cap, &format!("workers={}", s.workers)),
    run,
    child: None,
    // A chunk of tasks with their payloads in flight per worker, and the sequential copies.
    // A point's payloads in flight, and their copies in the messages.
    memory: |s| (s.max_tasks * s.payload_kb * 1024).min(PAYLOAD_BUDGET) * 2,
    // Six points of about 0.6 s; each payload KiB adds its copying.
    estimate: |s| seconds(3.8 + s.payload_kb.min(1024) as f64 * 0.002),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Pool workers.
    pub workers: u32,
    /// Payload per task, KiB.
    pub payload_kb: u64,
    /// Most tasks per point.
    pub max_tasks: u64,
    /// Process cap.
    pub cap: u32,
}

/// Tasks at a length of `us`: about [`POINT_US`] of work, at least four per worker.
#[must_use]
pub fn tasks_for(us: u64, workers: u32, max_tasks: u64, payload_bytes: u64) -> u64 {
    let floor = 4 * u64::from(workers);
    let n = (POINT_US / us.max(1)).clamp(floor, max_tasks.max(4));
    match payload_bytes {
        0 => n,
        bytes => n.min((PAYLOAD_BUDGET / bytes).max(floor)),
    }
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    // A chunk message carries [kind, count, µs per task, payload length] and the payloads.
    let pool = Pool::start(ctx, settings.workers, "pool worker", |record, _blob| {
        for _ in 0..record[1] {
            busy_for(Duration::from_micros(u64::from(record[2])));
        }
        [2, record[1], 0, 0]
    })?;
    let payload = vec![7u8; usize::try_from(settings.payload_kb * 1024).unwrap_or(0)];
    let payload_bytes = settings.payload_kb * 1024;
    let most = tasks_for(1, settings.workers, settings.max_tasks, payload_bytes);
    if most < tasks_for(1, settings.workers, settings.max_tasks, 0) {
        ctx.note(
            NoteLevel::Info,
            format!(
                "At most {} per point, so that their payloads stay within {} MiB: still \
                 thousands of times what a task without one sends.",
                crate::demo_runtime::view::count(most, "task", "tasks"),
                PAYLOAD_BUDGET >> 20
            ),
        );
    }
    let (mut one, mut default) = (Vec::new(), Vec::new());
    for (i, &us) in LENGTHS_US.iter().enumerate() {
        let n = tasks_for(us, settings.workers, settings.max_tasks, payload_bytes);
        ctx.progress(
            format!(
                "tasks of {} µs: {n} of them",
                crate::demo_runtime::view::group(us as f64, 0)
            ),
            Some(i as u64),
            Some(LENGTHS_US.len() as u64),
        );
        let sequential = sequential_ms(n, us, &payload);
        let size = python_default(u32::try_from(n).unwrap_or(u32::MAX), settings.workers);
        let cs1 = sequential / pooled_ms(&pool, n, us, 1, &payload)?;
        let dflt = sequential / pooled_ms(&pool, n, us, u64::from(size), &payload)?;
        ctx.result(&format!("speedup_cs1_{us}us"), cs1);
        ctx.result(&format!("speedup_default_{us}us"), dflt);
        one.push([us as f64, cs1]);
        default.push([us as f64, dflt]);
        show(ctx, &one, &default);
    }
    pool.stop(ctx)?;
    let break_even = break_even_us(&one);
    ctx.result("break_even_us", break_even);
    ctx.result("speedup_shortest", one.first().map_or(0.0, |p| p[1]));
    report(ctx, settings, break_even, one.first().map_or(0.0, |p| p[1]));
    Ok(())
}

/// The batch done in this process: each task gets its payload (as an argument, not copied).
fn sequential_ms(n: u64, us: u64, payload: &[u8]) -> f64 {
    let started = Instant::now();
    for _ in 0..n {
        std::hint::black_box(payload.len());
        busy_for(Duration::from_micros(us));
    }
    ms_since(started)
}

/// The batch on the pool, `size` tasks per message, each task's payload in the message.
fn pooled_ms(pool: &Pool, n: u64, us: u64, size: u64, payload: &[u8]) -> io::Result<f64> {
    let mut chunks = Vec::new();
    let mut left = n;
    while left > 0 {
        let count = size.min(left);
        left -= count;
        let blob = payload.repeat(usize::try_from(count).unwrap_or(0));
        let record = [
            1,
            u32::try_from(count).unwrap_or(u32::MAX),
            u32::try_from(us).unwrap_or(u32::MAX),
            0,
        ];
        chunks.push((record, blob));
    }
    let messages = chunks.len();
    let started = Instant::now();
    let feeder = pool.feed(chunks);
    for _ in 0..messages {
        pool.next(Duration::from_secs(300))?;
    }
    let ms = ms_since(started);
    join(feeder)?;
    Ok(ms)
}

/// Where the chunksize-1 line crosses a speedup of 1, interpolated in log space; the
/// shortest length if it never falls below, the longest if it never reaches it.
#[must_use]
pub fn break_even_us(points: &[[f64; 2]]) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    if first[1] >= 1.0 {
        return first[0];
    }
    for pair in points.windows(2) {
        let ([x0, y0], [x1, y1]) = (pair[0], pair[1]);
        if y0 < 1.0 && y1 >= 1.0 {
            let t = (1.0 - y0) / (y1 - y0);
            return 10f64.powf(x0.log10() + t * (x1.log10() - x0.log10()));
        }
    }
    points.last().map_or(0.0, |p| p[0])
}

fn show(ctx: &Ctx, one: &[[f64; 2]], default: &[[f64; 2]]) {
    ctx.view(
        "speedup",
        View::Series {
            x_label: "task length (µs)".into(),
            y_label: "speedup over sequential".into(),
            x_log: true,
            reference_y: Some(1.0),
            lines: vec![
                Line {
                    label: "chunksize 1".into(),
                    points: one.to_vec(),
                    tone: Tone::Warn,
                },
                Line {
                    label: "default chunksize".into(),
                    points: default.to_vec(),
                    tone: Tone::Good,
                },
            ],
        },
    );
}

fn report(ctx: &Ctx, settings: &Settings, break_even: f64, shortest: f64) {
    let payload = if settings.payload_kb > 0 {
        format!(" carrying {} KiB each", settings.payload_kb)
    } else {
        String::new()
    };
    ctx.headline(
        format!(
            "With chunksize 1 a pool{payload} pays off only for tasks of about {} µs or \
             longer here; tasks of 1 µs ran {shortest:.2}× as fast as sequential.",
            crate::demo_runtime::view::group(break_even, 0)
        ),
        Tone::Accent,
    );
    ctx.note(
        NoteLevel::Info,
        format!(
            "Slide 4's rule of thumb asks for 100 ms of work per task; here the pool's \
             messages alone cost so little that it breaks even at about {:.2} ms (a process per \
             task, as process-cost measures, breaks even much later).",
            break_even / 1000.0
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_interpolated_in_log_space() {
        let points = [[1.0, 0.1], [10.0, 0.5], [100.0, 1.5], [1000.0, 1.9]];
        let x = break_even_us(&points);
        assert!(x > 10.0 && x < 100.0, "{x}");
        assert!((break_even_us(&[[1.0, 1.2], [10.0, 1.9]]) - 1.0).abs() < 1e-9);
        assert!((break_even_us(&[[1.0, 0.1], [10.0, 0.2]]) - 10.0).abs() < 1e-9);
        assert_eq!(tasks_for(1, 2, 20_000, 0), 20_000);
        assert_eq!(tasks_for(100_000, 2, 20_000, 0), 8);
        // Payloads keep a point within 64 MiB: 1,024 tasks of 64 KiB.
        assert_eq!(tasks_for(1, 2, 20_000, 64 * 1024), 1024);
        assert_eq!(tasks_for(100_000, 2, 20_000, 64 * 1024), 8);
    }
}

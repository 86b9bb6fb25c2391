//! `pool-api`: when each of `map`, `imap`, `imap_unordered` and `apply_async` hands results
//! over. Tasks of uneven, seeded lengths (the first one slow) run on one pool; every result's
//! arrival is timed, and each API's rule decides when the caller gets it: all at the end, in
//! order, as they finish, a callback each. A second part compares the parent's peak memory
//! for `map` (every input and result held) and `imap` (streamed).

use std::io;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::machine::{own_memory, reset_peak};
use crate::demo_runtime::params::{
    Default, Kind, POOL_WORKERS, ParamSpec, cap_param, fits_under_cap,
};
use crate::demo_runtime::pool::{Pool, join};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::view::{Bar, Line, Tone, View, count};
use crate::demo_runtime::work::{busy_for, ms_since};

const MIB: f64 = 1024.0 * 1024.0;

/// The APIs, in the order they run, with their line's tone.
const APIS: [(&str, Tone); 4] = [
    ("map", Tone::Warn),
    ("imap", Tone::Accent),
    ("imap_unordered", Tone::Good),
    ("apply_async", Tone::Normal),
];

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "pool-api",
        title: "Pool.map, imap, imap_unordered, apply_async: when results arrive",
        summary: "Runs tasks of uneven lengths (the first one slow) on one pool through each \
                  API and times when each result reaches the caller; then compares the \
                  parent's peak memory for map and imap over many small items.",
        params: &[
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 1, max: 64 },
                default: Default::Int(16),
                unit: "tasks",
                meaning: "tasks per API",
            },
            ParamSpec {
                name: "task_ms",
                kind: Kind::Int { min: 1, max: 1000 },
                default: Default::Int(100),
                unit: "ms",
                meaning: "typical CPU work per task (the first task takes three times as long)",
            },
            POOL_WORKERS,
            ParamSpec {
                name: "seed",
                kind: Kind::Int { min: 0, max: 1000 },
                default: Default::Int(1),
                unit: "",
                meaning: "varies the tasks' lengths (the same lengths on both engines)",
            },
            ParamSpec {
                name: "memory_items",
                kind: Kind::Int {
                    min: 0,
                    max: 2_000_000,
                },
                default: Default::Int(200_000),
                unit: "items",
                meaning: "small items for the memory part (map holds them all, imap streams)",
            },
            cap_param(64),
        ],
        quick: &[
            ("tasks", "6"),
            ("task_ms", "20"),
            ("workers", "2"),
            ("memory_items", "20000"),
        ],
        results: &[
            "first_result_ms_map",
            "first_result_ms_imap",
            "first_result_ms_imap_unordered",
            "first_result_ms_apply_async",
            "last_result_ms_map",
            "last_result_ms_imap",
            "last_result_ms_imap_unordered",
            "last_result_ms_apply_async",
            "peak_mb_map",
            "peak_mb_imap",
        ],
        python: Some("demo_pool_api.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| fits_under_cap(s.workers + 1, s.cap, &format!("workers={}", s.workers)),
    run,
    child: None,
    // Each item's input and result (64 bytes each) held by map.
    memory: |s| s.memory_items * 256,
    // Four APIs over the same tasks on the pool, then the memory comparison.
    estimate: |s| {
        let batch = f64::from(s.tasks) * s.task_ms as f64 / 1000.0;
        seconds(1.0 + 4.0 * batch / f64::from(s.workers.max(1)))
    },
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Tasks per API.
    pub tasks: u32,
    /// Typical task, ms.
    pub task_ms: u64,
    /// Pool workers.
    pub workers: u32,
    /// Varies the lengths.
    pub seed: u64,
    /// Items of the memory part.
    pub memory_items: u64,
    /// Process cap.
    pub cap: u32,
}

/// Task `i`'s CPU time in µs: the first three times `task_ms`, the others between about half
/// and one and a half times it, the same on both engines.
#[must_use]
pub fn duration_us(i: u64, task_ms: u64, seed: u64) -> u64 {
    if i == 0 {
        return 3 * task_ms * 1000;
    }
    task_ms * 1000 * (6 + (i * 7 + seed * 13) % 11) / 11
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    // One pool for everything: a task either works (kind 1) or just answers (kind 2).
    let pool = Pool::start(ctx, settings.workers, "pool worker", |record, _| {
        if record[0] == 1 {
            busy_for(Duration::from_micros(u64::from(record[2])));
        }
        [3, record[1], 0, 0]
    })?;
    let mut lines = Vec::new();
    for (i, (api, tone)) in APIS.iter().enumerate() {
        ctx.progress(
            format!(
                "{api}: {}",
                count(u64::from(settings.tasks), "task", "tasks")
            ),
            Some(i as u64),
            Some(5),
        );
        let arrived = arrivals(&pool, settings)?;
        let handed = hand_over(api, &arrived);
        let (first, last) = (
            handed.iter().copied().fold(f64::INFINITY, f64::min),
            handed.iter().copied().fold(0.0, f64::max),
        );
        ctx.result(&format!("first_result_ms_{api}"), first);
        ctx.result(&format!("last_result_ms_{api}"), last);
        lines.push(Line {
            label: (*api).into(),
            points: cumulative(&handed),
            tone: *tone,
        });
        show(ctx, &lines);
    }
    ctx.progress(
        "memory: map holds everything, imap streams",
        Some(4),
        Some(5),
    );
    let (map_mb, imap_mb) = memory(&pool, settings)?;
    pool.stop(ctx)?;
    report(ctx, settings, map_mb, imap_mb);
    Ok(())
}

/// Sends every task and returns when each result reached this process (ms since sending).
fn arrivals(pool: &Pool, settings: &Settings) -> io::Result<Vec<f64>> {
    let tasks = (0..settings.tasks)
        .map(|i| {
            let us = duration_us(u64::from(i), settings.task_ms, settings.seed);
            ([1, i, u32::try_from(us).unwrap_or(u32::MAX), 0], Vec::new())
        })
        .collect();
    let started = Instant::now();
    let feeder = pool.feed(tasks);
    let mut arrived = vec![0.0; settings.tasks as usize];
    for _ in 0..settings.tasks {
        let [_, index, ..] = pool.next(Duration::from_secs(120))?;
        if let Some(slot) = arrived.get_mut(index as usize) {
            *slot = ms_since(started);
        }
    }
    join(feeder)?;
    Ok(arrived)
}

/// When the caller gets each result under `api`'s rule, from when each arrived.
fn hand_over(api: &str, arrived: &[f64]) -> Vec<f64> {
    let last = arrived.iter().copied().fold(0.0, f64::max);
    match api {
        // map returns the whole list once the last result is in.
        "map" => vec![last; arrived.len()],
        // imap yields result i once it and every result before it are in.
        "imap" => arrived
            .iter()
            .scan(0.0, |latest: &mut f64, t| {
                *latest = latest.max(*t);
                Some(*latest)
            })
            .collect(),
        // imap_unordered yields, and apply_async calls back, as each result comes.
        _ => arrived.to_vec(),
    }
}

/// `[ms, results so far]` steps, from `[0, 0]`.
fn cumulative(times: &[f64]) -> Vec<[f64; 2]> {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    std::iter::once([0.0, 0.0])
        .chain(sorted.iter().enumerate().map(|(i, t)| [*t, (i + 1) as f64]))
        .collect()
}

fn show(ctx: &Ctx, lines: &[Line]) {
    ctx.view(
        "arrivals",
        View::Series {
            x_label: "ms since the call".into(),
            y_label: "results received".into(),
            x_log: false,
            reference_y: None,
            lines: lines.to_vec(),
        },
    );
}

/// This process's peak memory (MiB) mapping `memory_items` small items with every input and
/// result held (map), then streamed (imap).
fn memory(pool: &Pool, settings: &Settings) -> io::Result<(f64, f64)> {
    let items = u32::try_from(settings.memory_items).unwrap_or(u32::MAX);
    let round = |hold: bool| -> io::Result<f64> {
        let _ = reset_peak();
        // map turns its input into a list first; imap takes it from an iterator.
        let inputs: Vec<[u8; 64]> = if hold {
            vec![[1u8; 64]; items as usize]
        } else {
            Vec::new()
        };
        let tasks = (0..items).map(|i| ([2, i, 0, 0], Vec::new())).collect();
        let feeder = pool.feed(tasks);
        let mut results: Vec<[u8; 64]> = Vec::new();
        for _ in 0..items {
            let [_, index, ..] = pool.next(Duration::from_secs(120))?;
            if hold {
                results.push([index.to_le_bytes()[0]; 64]);
            }
        }
        join(feeder)?;
        std::hint::black_box((&inputs, &results));
        Ok(own_memory().peak as f64 / MIB)
    };
    let map = round(true)?;
    let imap = round(false)?;
    Ok((map, imap))
}

fn report(ctx: &mut Ctx, settings: &Settings, map_mb: f64, imap_mb: f64) {
    ctx.result("peak_mb_map", map_mb);
    ctx.result("peak_mb_imap", imap_mb);
    let bar = |label: &str, value, detail: &str| Bar {
        label: label.into(),
        value,
        detail: detail.into(),
        tone: Tone::Memory,
    };
    ctx.view(
        "memory",
        View::Bars {
            unit: "MiB".into(),
            bars: vec![
                bar("map", map_mb, "every input and result held"),
                bar("imap", imap_mb, "results consumed as they come"),
            ],
            max: None,
            caption: format!(
                "this process's peak memory over {}",
                count(settings.memory_items, "small item", "small items")
            ),
        },
    );
    let results = ctx.results().clone();
    let get = |key: &str| results.get(key).and_then(|v| v.as_number()).unwrap_or(0.0);
    ctx.headline(
        format!(
            "imap_unordered handed over its first result after {:.0} ms; map made you wait \
             {:.0} ms for all {} at once.",
            get("first_result_ms_imap_unordered"),
            get("first_result_ms_map"),
            settings.tasks
        ),
        Tone::Accent,
    );
    let (imap, unordered) = (
        get("first_result_ms_imap"),
        get("first_result_ms_imap_unordered"),
    );
    if settings.tasks > 1 && imap > 1.5 * unordered {
        ctx.note(
            NoteLevel::Differs,
            format!(
                "imap yields in submission order, not \"as they complete\": its first result \
                 waited for the slow task 0 ({imap:.0} ms); imap_unordered's came after \
                 {unordered:.0} ms."
            ),
        );
    }
    ctx.note(
        NoteLevel::Info,
        "Natively one pool runs every task; each API's rule (map: all at the end; imap: in \
         order; imap_unordered: as they finish; apply_async: a callback each) is applied to \
         the measured arrival of each result. The CPython engine calls the real methods.",
    );
}

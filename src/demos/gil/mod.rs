//! `gil`: real OS threads contending for one interpreter lock that follows CPython's
//! protocol, against free-threaded threads and one process per worker, with per-thread lanes,
//! shares of time, switches per second and the speedup over one worker measured in the same
//! run. `deterministic=true` runs the same protocol on a virtual clock instead (labelled).

mod lock;
mod sim;
mod threads;
mod timeline;

use std::io;
use std::time::Duration;

use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param, fits_under_cap, workers};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::view::{Lane, LegendEntry, Tone, View};

/// Lane slot width.
const SLOT: Duration = Duration::from_millis(50);
/// How much history a lane shows.
const LANE_WINDOW: Duration = Duration::from_secs(3);
/// How often lanes and progress are reported.
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// The demo unit.
pub static DEMO: Unit<Params> = Unit {
    spec: DemoSpec {
        name: "gil",
        title: "One interpreter lock: threads vs processes",
        summary: "Real OS threads contend for one lock that follows CPython's GIL protocol \
                  (switch interval, drop requests, forced switching); compare free threads and \
                  one process per worker. Lanes show who holds, waits or does I/O; speedup is \
                  measured against one worker in the same run.",
        params: &[
            ParamSpec {
                name: "mode",
                kind: Kind::Choice(&["gil", "nogil", "processes"]),
                default: Default::Choice("gil"),
                unit: "",
                meaning: "gil: threads share one lock; nogil: no lock; processes: one process (and lock) per worker",
            },
            ParamSpec {
                // Threads or processes, as `mode` says.
                unit: "threads",
                ..workers(
                    Default::PerCore(1),
                    "CPU-bound workers (default: one per core)",
                )
            },
            ParamSpec {
                name: "duration_s",
                kind: Kind::Int { min: 1, max: 30 },
                default: Default::Int(4),
                unit: "s",
                meaning: "how long the workers run",
            },
            ParamSpec {
                name: "switch_ms",
                kind: Kind::Int { min: 1, max: 100 },
                default: Default::Int(5),
                unit: "ms",
                meaning: "switch interval: how long a waiter waits before asking for the lock (sys.setswitchinterval)",
            },
            ParamSpec {
                name: "check_every",
                kind: Kind::Int {
                    min: 1,
                    max: 10_000,
                },
                default: Default::Int(100),
                unit: "units",
                meaning: "work units between the holder's checks for a drop request",
            },
            ParamSpec {
                name: "io_threads",
                kind: Kind::Int { min: 0, max: 4 },
                default: Default::Int(0),
                unit: "threads",
                meaning: "I/O-bound threads beside the workers (shows the convoy effect)",
            },
            ParamSpec {
                name: "io_ms",
                kind: Kind::Int { min: 1, max: 100 },
                default: Default::Int(5),
                unit: "ms",
                meaning: "length of each simulated blocking I/O wait",
            },
            ParamSpec {
                name: "deterministic",
                kind: Kind::Bool,
                default: Default::Bool(false),
                unit: "",
                meaning: "simulate on a virtual clock (seeded) instead of measuring: for tests and recordings",
            },
            ParamSpec {
                name: "seed",
                kind: Kind::Int {
                    min: 0,
                    max: 1_000_000,
                },
                default: Default::Int(1),
                unit: "",
                meaning: "seed of the deterministic mode",
            },
            cap_param(64),
        ],
        quick: &[("duration_s", "1"), ("workers", "2")],
        results: &[
            "speedup",
            "units_per_s",
            "base_units_per_s",
            "baseline_drift_pct",
            "gil_enabled",
            "work_units",
            "workers",
            "cores_busy",
            "switches_per_s",
            "share_running_*",
            "share_waiting_*",
            "share_io_*",
            "io_latency_ms",
            "io_latency_alone_ms",
            "deterministic",
        ],
        python: Some("demo_gil.py"),
        native_only: &["check_every", "deterministic", "seed"],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |p| {
        if p.mode == "processes" {
            fits_under_cap(
                p.workers + 1,
                p.cap,
                &format!(
                    "mode=processes with {}",
                    crate::demo_runtime::view::count(u64::from(p.workers), "worker", "workers")
                ),
            )
        } else {
            Ok(())
        }
    },
    run: |ctx, params| run(ctx, &Settings::from(params)),
    child: None,
    memory: crate::demo_runtime::unit::little_memory,
    // The baseline before and after, the main run, and an I/O thread's baseline when there
    // is one.
    estimate: |p| seconds(1.2 + p.duration_s as f64 + if p.io_threads > 0 { 0.6 } else { 0.0 }),
};

/// The demo's parameters as given.
#[derive(Debug, Clone, Deserialize)]
pub struct Params {
    /// `gil`, `nogil` or `processes`.
    pub mode: String,
    /// CPU-bound workers.
    pub workers: u32,
    /// Seconds the main run lasts.
    pub duration_s: u64,
    /// Switch interval, ms.
    pub switch_ms: u64,
    /// Work units between checks for a drop request.
    pub check_every: u64,
    /// I/O-bound threads.
    pub io_threads: u32,
    /// One I/O wait, ms.
    pub io_ms: u64,
    /// Simulate instead of measuring.
    pub deterministic: bool,
    /// Seed of the simulation.
    pub seed: u64,
    /// Process cap.
    pub cap: u32,
}

/// The demo's parameters in the units the code works in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `gil`, `nogil` or `processes`.
    pub mode: String,
    /// CPU-bound workers.
    pub workers: usize,
    /// How long the main run lasts.
    pub duration: Duration,
    /// The switch interval.
    pub switch: Duration,
    /// Work units between checks for a drop request.
    pub check_every: u64,
    /// I/O-bound threads beside the workers.
    pub io_threads: usize,
    /// Length of one simulated I/O wait.
    pub io: Duration,
    /// Seed of the deterministic mode.
    pub seed: u64,
    /// Simulate instead of measuring.
    pub deterministic: bool,
}

impl From<&Params> for Settings {
    fn from(p: &Params) -> Self {
        Self {
            mode: p.mode.clone(),
            workers: p.workers as usize,
            duration: Duration::from_secs(p.duration_s),
            switch: Duration::from_millis(p.switch_ms),
            check_every: p.check_every,
            io_threads: p.io_threads as usize,
            io: Duration::from_millis(p.io_ms),
            seed: p.seed,
            deterministic: p.deterministic,
        }
    }
}

/// What the lane characters mean.
#[must_use]
pub fn legend() -> Vec<LegendEntry> {
    let entry = |symbol, glyph: &str, meaning: &str, tone| LegendEntry {
        symbol,
        glyph: glyph.into(),
        meaning: meaning.into(),
        tone,
    };
    vec![
        entry('H', "█", "running (holds the lock)", Tone::Good),
        entry('R', "▓", "running (no lock to take)", Tone::Good),
        entry('W', "░", "waiting for the lock", Tone::Bad),
        entry('I', "┄", "blocked in I/O", Tone::Muted),
        entry('.', " ", "finished", Tone::Muted),
    ]
}

/// A lanes view for these lanes, merged into the others by label.
#[must_use]
pub fn lanes_view(slot_ms: u32, lanes: Vec<Lane>) -> View {
    View::Lanes {
        slot_ms,
        legend: legend(),
        lanes,
        merge: true,
    }
}

/// What the main run measured, whichever way it ran.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Work units done by all workers.
    pub units: u64,
    /// Wall time of the run, seconds.
    pub seconds: f64,
    /// Times the lock changed hands.
    pub switches: u64,
    /// Per thread or process: role, share holding (or running), share waiting, share in I/O.
    pub shares: Vec<(String, f64, f64, f64)>,
    /// Latency of each I/O thread's lock requests, ms.
    pub io_latencies: Vec<f64>,
    /// CPU time used by the run, in cores (CPU seconds per wall second).
    pub cores_busy: f64,
}

/// Runs the demo.
///
/// # Errors
/// If a thread or process cannot be started.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    if settings.deterministic {
        sim::run(ctx, settings);
        return Ok(());
    }
    ctx.note(NoteLevel::Info, explain(settings));
    ctx.progress(
        "measuring one worker alone: the baseline for the speedup",
        None,
        None,
    );
    let before = threads::calibrate(settings);
    let io_alone = if settings.io_threads > 0 {
        ctx.progress(
            "measuring an I/O thread alone: its lock latency without competition",
            None,
            None,
        );
        let alone = threads::io_alone(settings);
        ctx.result("io_latency_alone_ms", alone);
        Some(alone)
    } else {
        None
    };
    let outcome = if settings.mode == "processes" {
        threads::run_processes(ctx, settings)?
    } else {
        threads::run_threads(ctx, settings)
    };
    ctx.progress(
        "measuring one worker alone again: the baseline after the run",
        None,
        None,
    );
    let after = threads::calibrate(settings);
    let base_rate = baseline(ctx, before, after);
    ctx.result("gil_enabled", settings.mode == "gil");
    report(ctx, settings, &outcome, base_rate, io_alone);
    Ok(())
}

/// The baseline is measured before the run and after it, and the speedup divides by their
/// mean: a machine that slows down or speeds up during the run (another program, the CPU's
/// clock) moves both sides of the ratio, not one. How far the two apart is reported.
fn baseline(ctx: &mut Ctx, before: f64, after: f64) -> f64 {
    let mean = f64::midpoint(before, after);
    ctx.result("base_units_per_s", mean);
    let drift = if mean > 0.0 {
        100.0 * (after - before).abs() / mean
    } else {
        0.0
    };
    ctx.result("baseline_drift_pct", drift);
    if drift > 10.0 {
        ctx.note(
            NoteLevel::Info,
            format!(
                "One worker alone ran {drift:.0}% faster or slower after the run than before \
                 it: something else used this machine meanwhile, so the speedup is less sure \
                 than usual."
            ),
        );
    }
    mean
}

fn explain(settings: &Settings) -> String {
    let n = settings.workers as u64;
    let threads = crate::demo_runtime::view::count(n, "thread", "threads");
    match settings.mode.as_str() {
        "gil" if n == 1 => format!(
            "One thread under the interpreter lock (switch interval {} ms): with nobody to \
             share it with, it never waits.",
            settings.switch.as_millis()
        ),
        "gil" => format!(
            "{threads} share one interpreter lock (switch interval {} ms): only the holder runs; \
             the others wait, then ask it to let go.",
            settings.switch.as_millis()
        ),
        "nogil" => {
            format!("{threads} with no interpreter lock (like a free-threaded CPython build).")
        }
        _ => format!(
            "{}, each with an interpreter lock of its own that nobody else wants.",
            crate::demo_runtime::view::count(n, "process", "processes")
        ),
    }
}

/// Sends the results every mode shares.
pub fn report(
    ctx: &mut Ctx,
    settings: &Settings,
    outcome: &Outcome,
    base_rate: f64,
    io_alone: Option<f64>,
) {
    let rate = if outcome.seconds > 0.0 {
        outcome.units as f64 / outcome.seconds
    } else {
        0.0
    };
    let speedup = if base_rate > 0.0 {
        rate / base_rate
    } else {
        0.0
    };
    ctx.result("work_units", outcome.units as f64);
    ctx.result("units_per_s", rate);
    ctx.result("speedup", speedup);
    ctx.result(
        "switches_per_s",
        if outcome.seconds > 0.0 {
            outcome.switches as f64 / outcome.seconds
        } else {
            0.0
        },
    );
    ctx.result("cores_busy", outcome.cores_busy);
    ctx.result("workers", settings.workers);
    for (role, holding, waiting, io) in &outcome.shares {
        let key = role.replace(' ', "_");
        ctx.result(&format!("share_running_{key}"), *holding);
        ctx.result(&format!("share_waiting_{key}"), *waiting);
        if *io > 0.0 {
            ctx.result(&format!("share_io_{key}"), *io);
        }
    }
    let mut convoy = None;
    if !outcome.io_latencies.is_empty() {
        let latency = crate::demo_runtime::work::median(&outcome.io_latencies);
        ctx.result("io_latency_ms", latency);
        convoy = io_alone.map(|alone| (latency, alone));
    }
    // The convoy variant's finding is the I/O thread's wait, not the workers' speedup.
    if let Some((latency, alone)) = convoy {
        let (headline, tone) = if settings.mode == "gil" {
            (
                format!(
                    "The I/O thread waited {latency:.2} ms for the lock per operation, against \
                     {alone:.2} ms alone: a CPU-bound thread keeps the lock for a switch \
                     interval ({} ms).",
                    settings.switch.as_millis()
                ),
                Tone::Bad,
            )
        } else {
            (
                format!(
                    "No shared lock, no convoy: each I/O operation came back {latency:.2} ms \
                     late beside the workers, against {alone:.2} ms alone."
                ),
                Tone::Good,
            )
        };
        ctx.headline(headline, tone);
        return;
    }
    let n = settings.workers as u64;
    let threads = crate::demo_runtime::view::count(n, "thread", "threads");
    let (what, tone) = match settings.mode.as_str() {
        "gil" if n > 1 => (
            format!("{threads} under one lock"),
            if speedup < 1.3 { Tone::Bad } else { Tone::Good },
        ),
        "gil" => (format!("{threads} under the lock"), Tone::Accent),
        "nogil" => (format!("{threads} with no lock"), Tone::Good),
        _ => (
            format!(
                "{} of their own",
                crate::demo_runtime::view::count(n, "process", "processes")
            ),
            Tone::Good,
        ),
    };
    ctx.headline(
        format!(
            "{what}: {speedup:.2}× the work of one worker alone, {:.2} cores busy.",
            outcome.cores_busy
        ),
        tone,
    );
}

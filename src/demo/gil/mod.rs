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

use super::context::Ctx;
use super::protocol::NoteLevel;
use super::registry::{choice, flag, int};

/// Lane slot width.
const SLOT: Duration = Duration::from_millis(50);
/// How much history a lane shows.
const LANE_WINDOW: Duration = Duration::from_secs(3);
/// How often lanes and progress are reported.
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// The demo's parameters, read once.
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
}

impl Settings {
    fn from(ctx: &Ctx) -> Self {
        let p = &ctx.params;
        let ms = |key: &str| Duration::from_millis(int(p, key).unsigned_abs());
        Self {
            mode: choice(p, "mode").to_string(),
            workers: usize::try_from(int(p, "workers")).unwrap_or(1),
            duration: Duration::from_secs(int(p, "duration_s").unsigned_abs()),
            switch: ms("switch_ms"),
            check_every: int(p, "check_every").unsigned_abs(),
            io_threads: usize::try_from(int(p, "io_threads")).unwrap_or(0),
            io: ms("io_ms"),
            seed: int(p, "seed").unsigned_abs(),
        }
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
pub fn run(ctx: &mut Ctx) -> io::Result<()> {
    let settings = Settings::from(ctx);
    if flag(&ctx.params, "deterministic") {
        sim::run(ctx, &settings);
        return Ok(());
    }
    ctx.note(NoteLevel::Info, explain(&settings));
    ctx.progress(
        "measuring one worker alone: the baseline for the speedup",
        None,
        None,
    );
    let base_rate = threads::calibrate(&settings);
    ctx.result("base_units_per_s", base_rate);
    let io_alone = if settings.io_threads > 0 {
        ctx.progress(
            "measuring an I/O thread alone: its lock latency without competition",
            None,
            None,
        );
        let alone = threads::io_alone(&settings);
        ctx.result("io_latency_alone_ms", alone);
        Some(alone)
    } else {
        None
    };
    let outcome = if settings.mode == "processes" {
        threads::run_processes(ctx, &settings)?
    } else {
        threads::run_threads(ctx, &settings)
    };
    report(ctx, &settings, &outcome, base_rate, io_alone);
    Ok(())
}

fn explain(settings: &Settings) -> String {
    let n = settings.workers;
    match settings.mode.as_str() {
        "gil" => format!(
            "{n} threads share one interpreter lock (switch interval {} ms): only the holder runs; \
             the others wait, then ask it to let go.",
            settings.switch.as_millis()
        ),
        "nogil" => {
            format!("{n} threads with no interpreter lock (like a free-threaded CPython build).")
        }
        _ => format!(
            "{n} processes, each with an interpreter lock of its own that nobody else wants."
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
    if !outcome.io_latencies.is_empty() {
        let latency = super::util::median(&outcome.io_latencies);
        ctx.result("io_latency_ms", latency);
        if let Some(alone) = io_alone {
            ctx.note(
                NoteLevel::Info,
                format!(
                    "Convoy effect: each I/O operation waited {latency:.2} ms for the lock, against \
                     {alone:.2} ms alone; the switch interval is {} ms.",
                    settings.switch.as_millis()
                ),
            );
        }
    }
    ctx.note(
        NoteLevel::Info,
        format!(
            "{} worker(s) did {rate:.0} units/s: {speedup:.2}× one worker alone, using {:.2} cores.",
            settings.workers, outcome.cores_busy
        ),
    );
}

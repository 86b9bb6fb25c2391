//! Slide 11's decision table as `io-bound` fills it in: a row per workload and model, drawn
//! again after every phase so the room sees it fill, then the results and the headline.

use super::settings::Settings;
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::view::{Tone, View, count, group};

/// What each model measured so far: `None` until its phase has run.
#[derive(Debug, Default)]
pub(super) struct Measured {
    pub sequential_ms: Option<f64>,
    pub threads_ms: Option<f64>,
    pub processes_ms: Option<f64>,
    pub async_ms: Option<f64>,
    pub threads_pss: Option<f64>,
    pub processes_pss: Option<f64>,
    pub async_pss: Option<f64>,
    pub cpu_sequential_ms: Option<f64>,
    pub cpu_threads_ms: Option<f64>,
    pub cpu_processes_ms: Option<f64>,
    pub hybrid_ms: Option<f64>,
}

/// "100 requests".
pub(super) fn requests(n: u32) -> String {
    count(u64::from(n), "request", "requests")
}

/// One row of the table: model, time, memory.
type Row = (&'static str, Option<f64>, Option<f64>);

/// Draws the table with what is measured so far ("…" for the rest).
pub(super) fn draw(ctx: &Ctx, settings: &Settings, m: &Measured) {
    let io_rows: [Row; 4] = [
        ("sequential", m.sequential_ms, None),
        ("threads", m.threads_ms, m.threads_pss),
        ("processes", m.processes_ms, m.processes_pss),
        ("event loop", m.async_ms, m.async_pss),
    ];
    let cpu_rows: [Row; 3] = [
        ("sequential", m.cpu_sequential_ms, None),
        ("threads", m.cpu_threads_ms, None),
        ("processes", m.cpu_processes_ms, None),
    ];
    let mut rows = Vec::new();
    let mut tones = Vec::new();
    for (workload, set) in [("I/O-bound", &io_rows[..]), ("CPU-bound", &cpu_rows[..])] {
        let best = set
            .iter()
            .filter_map(|row| row.1)
            .fold(f64::INFINITY, f64::min);
        for (model, ms, pss) in set {
            rows.push(vec![
                (*workload).to_string(),
                (*model).to_string(),
                ms.map_or_else(|| "…".into(), |ms| format!("{} ms", group(ms, 0))),
                pss.map_or_else(String::new, |p| format!("{p:.1} MiB")),
            ]);
            let fastest = ms.is_some_and(|ms| (ms - best).abs() < f64::EPSILON);
            tones.push(if fastest { Tone::Good } else { Tone::Normal });
        }
    }
    if settings.hybrid {
        rows.push(vec![
            "both".into(),
            "event loop + processes".into(),
            m.hybrid_ms
                .map_or_else(|| "…".into(), |ms| format!("{} ms", group(ms, 0))),
            String::new(),
        ]);
        tones.push(Tone::Accent);
    }
    ctx.view(
        "decision",
        View::Table {
            columns: vec![
                "workload".into(),
                "model".into(),
                "time".into(),
                "PSS".into(),
            ],
            rows,
            tones,
            merge: false,
            caption: format!(
                "{} answered {} ms late, then as many CPU tasks of {} ms; the fastest model of \
                 each workload highlighted; PSS of the processes doing the work, read while \
                 they worked",
                requests(settings.tasks),
                settings.io_ms,
                settings.io_ms
            ),
        },
    );
}

/// The results, the headline and the note on what this engine cannot show.
pub(super) fn report(ctx: &mut Ctx, settings: &Settings, m: &Measured) {
    let value = |v: Option<f64>| v.unwrap_or(f64::NAN);
    for (key, v) in [
        ("sequential_ms", m.sequential_ms),
        ("threads_ms", m.threads_ms),
        ("processes_ms", m.processes_ms),
        ("async_ms", m.async_ms),
        ("threads_pss_mb", m.threads_pss),
        ("processes_pss_mb", m.processes_pss),
        ("async_pss_mb", m.async_pss),
        ("cpu_sequential_ms", m.cpu_sequential_ms),
        ("cpu_threads_ms", m.cpu_threads_ms),
        ("cpu_processes_ms", m.cpu_processes_ms),
        ("hybrid_ms", m.hybrid_ms),
    ] {
        if let Some(v) = v {
            ctx.result(key, v);
        }
    }
    draw(ctx, settings, m);
    // The hybrid variant's finding is its own time against doing both one after the other.
    if let Some(hybrid) = m.hybrid_ms {
        let (waits, cpu) = (value(m.sequential_ms), value(m.cpu_sequential_ms));
        ctx.headline(
            format!(
                "The hybrid took {hybrid:.0} ms: one event loop waited while {} computed, \
                 against {:.0} ms one after the other ({waits:.0} ms of waits, then {cpu:.0} ms \
                 of CPU).",
                count(
                    u64::from(settings.workers),
                    "process",
                    "processes"
                ),
                waits + cpu
            ),
            if hybrid < waits + cpu {
                Tone::Good
            } else {
                Tone::Bad
            },
        );
    } else {
        ctx.headline(
            format!(
            "{} of {} ms: event loop {:.0} ms, threads {:.0} ms, {} {:.0} ms \
             ({:.1}× the memory of the threads), sequentially {:.0} ms.",
            count(u64::from(settings.tasks), "wait", "waits"),
            settings.io_ms,
            value(m.async_ms),
            value(m.threads_ms),
            count(u64::from(settings.workers), "process", "processes"),
            value(m.processes_ms),
            value(m.processes_pss) / value(m.threads_pss).max(1e-9),
            value(m.sequential_ms)
        ),
        Tone::Accent,
    );
    }
    ctx.note(
        NoteLevel::Differs,
        "Threads ran the CPU tasks in parallel: lectern's native engine has no GIL. E runs \
         this on CPython, where the GIL shows.",
    );
}

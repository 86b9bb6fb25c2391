//! What start-methods found: each child's memory read from the kernel while all are alive,
//! the start times per method, the headline and the table.

use std::time::Instant;

use super::children::{METHODS, SLIDE_SPAWN_MS, Started};
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::view::{Tone, View};
use crate::demo_runtime::work::median;
use crate::sampler::{PlatformSource, Source};

/// RSS and PSS of every child while all are alive, read from the kernel.
pub(super) fn measure_memory(ctx: &mut Ctx, started: &[Started], me: u32) {
    let mut source = PlatformSource::default();
    ctx.progress("measuring each child's memory (RSS and PSS)", None, None);
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    if let Some(parent) = source.read(me, Instant::now()) {
        ctx.result("parent_rss_mb", mib(parent.rss_bytes));
    }
    for method in METHODS {
        let mut rss = Vec::new();
        let mut pss = Vec::new();
        for child in started.iter().filter(|c| c.method == method) {
            if let Some(raw) = source.read(child.pid, Instant::now()) {
                rss.push(mib(raw.rss_bytes));
                ctx.measure("rss_mb", mib(raw.rss_bytes), "MiB", Some(&child.role));
            }
            if let Some(footprint) = crate::sampler::footprint_now(child.pid) {
                pss.push(mib(footprint.pss));
                ctx.measure("pss_mb", mib(footprint.pss), "MiB", Some(&child.role));
            }
        }
        if !rss.is_empty() {
            ctx.result(&format!("{method}_child_rss_mb"), median(&rss));
        }
        if !pss.is_empty() {
            ctx.result(&format!("{method}_child_pss_mb"), median(&pss));
        }
    }
}

/// Start times per method as results, the table with memory, and the headline.
pub(super) fn summarise(ctx: &mut Ctx, started: &[Started], startup_ms: Option<f64>, import_ms: u64) {
    for method in METHODS {
        let times = start_times(started, method);
        if times.is_empty() {
            continue;
        }
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        ctx.result(&format!("{method}_min_ms"), min);
        ctx.result(&format!("{method}_median_ms"), median(&times));
        ctx.result(&format!("{method}_max_ms"), max);
    }
    show_table(ctx, started, startup_ms);
    let fork = median(&start_times(started, "fork"));
    let spawn = median(&start_times(started, "spawn"));
    let server = median(&start_times(started, "forkserver"));
    if spawn > 0.0 && spawn < SLIDE_SPAWN_MS && import_ms == 0 {
        ctx.note(
            NoteLevel::Differs,
            format!(
                "The slide's 50–200 ms per spawned process is a Python interpreter starting and \
                 importing its modules; here spawn is a bare exec of lectern, {spawn:.1} ms. \
                 import_ms simulates the imports (the variant on slide 4)."
            ),
        );
    }
    if fork > 0.0 && spawn > 0.0 {
        ctx.headline(
            format!(
                "fork {fork:.2} ms · spawn {spawn:.2} ms ({:.1}× fork) · forkserver {server:.2} ms \
                 per child after a {:.1} ms start-up.",
                spawn / fork,
                startup_ms.unwrap_or(0.0)
            ),
            Tone::Accent,
        );
    }
}

fn start_times(started: &[Started], method: &str) -> Vec<f64> {
    started
        .iter()
        .filter(|c| c.method == method)
        .map(|c| c.start_ms)
        .collect()
}

/// The per-method table: start time, then memory once measured.
pub(super) fn show_table(ctx: &Ctx, started: &[Started], startup_ms: Option<f64>) {
    let results = ctx.results();
    let mib = |key: String| {
        results
            .get(&key)
            .and_then(|v| v.as_number())
            .map_or_else(|| "…".to_string(), |v| format!("{v:.1} MiB"))
    };
    let mut rows = Vec::new();
    for method in METHODS {
        let times = start_times(started, method);
        if times.is_empty() {
            continue;
        }
        rows.push(vec![
            method.to_string(),
            format!("{:.2} ms", median(&times)),
            mib(format!("{method}_child_rss_mb")),
            mib(format!("{method}_child_pss_mb")),
        ]);
    }
    ctx.view(
        "methods",
        View::Table {
            columns: vec!["method".into(), "start".into(), "RSS".into(), "PSS".into()],
            rows,
            tones: Vec::new(),
            merge: false,
            caption: match startup_ms {
                Some(startup) => format!(
                    "start: median from request to the child's first message (the forkserver \
                     itself took {startup:.1} ms to start, once); memory: median per child (PSS \
                     splits shared pages among their users)"
                ),
                None => "start: median from request to the child's first message; memory: \
                         median per child (PSS splits shared pages among their users)"
                    .into(),
            },
        },
    );
}

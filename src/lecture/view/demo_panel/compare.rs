//! The two engines side by side: a demo's latest run natively and on CPython — their
//! headlines, then what the lesson's claims check, named in the slide's words, with the
//! CPython/native ratio where a ratio means something (a time, a size) — so the room sees
//! where the Python it is taught costs more (or less) than the mechanism alone.

use ratatui::text::Line;

use super::parts::{Parts, labelled_headlines, title_lines};
use crate::claims::Claim;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::view::{Tone, View};
use crate::lecture::{App, Run, Slot};
use crate::ui::views;
use crate::ui::wrap::wrap;

/// The comparison of the demo at `slot`, if it has a finished run on each engine.
#[must_use]
pub fn parts(app: &App, slot: Slot, width: usize) -> Option<Parts> {
    let native = app.demos.latest_on(slot, Engine::Native)?;
    let python = app.demos.latest_on(slot, Engine::Python)?;
    let theme = &app.theme;
    let mut top = title_lines(native.request.demo().spec().title, width, theme);
    top.extend(wrap(
        &[(
            &format!(
                "Both engines, latest runs · native: {} · CPython: {} · c goes back",
                detail(native),
                detail(python)
            ),
            theme.muted,
        )],
        width,
    ));
    let mut body = labelled_headlines(&[("native: ", native), ("CPython: ", python)], width, theme);
    body.push(Line::default());
    match table(app, native, python) {
        Some(table) => body.extend(views::lines(&table, width, theme)),
        None => body.extend(wrap(
            &[(
                "No claim of this lesson checks a result of this demo: the headlines are \
                 the comparison.",
                theme.muted,
            )],
            width,
        )),
    }
    Some(Parts { top, body })
}

/// What exactly an engine was, as its run said.
fn detail(run: &Run) -> String {
    run.reported_engine
        .as_ref()
        .map_or_else(|| run.engine.to_string(), |(_, detail)| detail.clone())
}

/// What the lesson's claims check in this demo, as both runs measured it: the claims made
/// with the parameters the runs had, else every claim on the demo; `None` if no claim checks
/// a result both runs reported.
fn table(app: &App, native: &Run, python: &Run) -> Option<View> {
    let demo = native.request.name();
    let key = crate::claims::run_key(demo, native.request.params());
    let of_demo: Vec<&Claim> = app
        .verdicts
        .claims
        .iter()
        .filter(|c| c.request.name() == demo)
        .collect();
    let same_run: Vec<&Claim> = of_demo
        .iter()
        .copied()
        .filter(|c| c.run_key() == key)
        .collect();
    let claims = if same_run.is_empty() {
        of_demo
    } else {
        same_run
    };
    let mut rows = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for claim in claims {
        let (Some(a), Some(b)) = (
            native.results.get(&claim.result),
            python.results.get(&claim.result),
        ) else {
            continue;
        };
        if seen.contains(&claim.result.as_str()) {
            continue;
        }
        seen.push(&claim.result);
        let ratio = match (a.as_number(), b.as_number()) {
            (Some(a), Some(b)) if a > 0.0 && has_a_ratio(claim.unit.as_deref()) => {
                format!("{:.2}×", b / a)
            }
            _ => String::new(),
        };
        rows.push(vec![
            claim.text.clone(),
            claim.show(a),
            claim.show(b),
            ratio,
        ]);
    }
    if rows.is_empty() {
        return None;
    }
    let tones = vec![Tone::Normal; rows.len()];
    Some(View::Table {
        columns: vec![
            "claim".into(),
            "native".into(),
            "CPython".into(),
            "CPython/native".into(),
        ],
        rows,
        tones,
        merge: false,
        caption: "The results the lesson's claims check, from the latest run on each engine \
                  (same parameters where both honour them); a ratio for times and sizes only."
            .into(),
    })
}

/// Whether values in `unit` compare as a ratio: times and sizes do; counts, ratios already
/// (a speedup) and yes/no do not.
fn has_a_ratio(unit: Option<&str>) -> bool {
    matches!(
        unit,
        Some("ns" | "µs" | "us" | "ms" | "s" | "B" | "KiB" | "MiB" | "GiB" | "KB" | "MB" | "GB")
    )
}

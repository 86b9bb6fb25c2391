//! The verdicts in the demo panel: each claim of the lesson with what this session measured
//! for it, per engine, and whether it held — so the lecture ends on the room's own numbers.

use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use super::parts::Parts;
use crate::claims::{Claim, Verdict};
use crate::demo_runtime::engine::Engine;
use crate::lecture::App;
use crate::ui::wrap::wrap;

/// The panel's top and body when it shows the verdicts.
#[must_use]
pub fn parts(app: &App, width: usize) -> Parts {
    let theme = &app.theme;
    let verdicts = &app.verdicts;
    let mut top = wrap(
        &[
            ("◆ ", theme.bullet),
            (
                "The lecture's claims, measured here",
                theme.key.add_modifier(Modifier::BOLD),
            ),
        ],
        width,
    );
    let engines = engines(app);
    let mut tally = Vec::new();
    for &engine in &engines {
        let judged: Vec<Verdict> = verdicts
            .claims
            .iter()
            .filter_map(|c| verdicts.verdict(c, engine))
            .collect();
        let held = judged.iter().filter(|v| v.holds).count();
        tally.push(if judged.is_empty() {
            format!("{}: none measured yet", label(engine))
        } else {
            format!(
                "{}: {held} of {} measured hold",
                label(engine),
                judged.len()
            )
        });
    }
    let total = verdicts.claims.len();
    let status = match app.demos.running() {
        Some(run) if !verdicts.queue.is_empty() || run.slot.1 == crate::lecture::VERDICTS_SLOT => {
            let done = verdicts.queued - verdicts.queue.len();
            format!(
                "▶ measuring {done}/{}: {} on {} · x stops",
                verdicts.queued,
                run.request.name(),
                run.engine
            )
        }
        _ => {
            let missing = verdicts.missing(app.engines.current).len();
            let claims = crate::demo_runtime::view::count(total as u64, "claim", "claims");
            if missing == 0 {
                format!("{claims} · {}", tally.join(" · "))
            } else {
                let runs = crate::demo_runtime::view::count(
                    missing as u64,
                    "demo run still missing",
                    "demo runs still missing",
                );
                format!(
                    "{claims} · {} · Enter runs the {runs} on {} · Tab: demos",
                    tally.join(" · "),
                    app.engines.current
                )
            }
        }
    };
    top.extend(wrap(&[(&status, theme.muted)], width));
    let marks = engines
        .iter()
        .map(|&e| label(e))
        .collect::<Vec<_>>()
        .join(", ");
    top.extend(wrap(
        &[(
            &format!("✓ holds · ✗ differs · · not measured ({marks})"),
            theme.muted,
        )],
        width,
    ));
    let mut body = vec![Line::default()];
    let mut slide = 0;
    for claim in &verdicts.claims {
        if claim.slide != slide {
            slide = claim.slide;
            body.push(Line::styled(format!("slide {slide}"), theme.table_header));
        }
        body.extend(claim_lines(app, claim, &engines, width));
    }
    body.push(Line::default());
    body.extend(wrap(
        &[(
            "Each claim is checked against the latest run of its demo with the claim's \
             parameters in this session (the slide's own demos count); `lectern report` \
             measures them all and prints the table. (simulated) marks a run that simulated \
             part of what it shows, such as the native engine's stand-in for a GIL or for \
             Python's imports; its panel says what.",
            theme.muted,
        )],
        width,
    ));
    Parts { top, body }
}

/// The engines worth a column: native, and CPython when it can run demos.
fn engines(app: &App) -> Vec<Engine> {
    if app.engines.python.is_some() {
        vec![Engine::Native, Engine::Python]
    } else {
        vec![Engine::Native]
    }
}

fn label(engine: Engine) -> &'static str {
    match engine {
        Engine::Native => "native",
        Engine::Python => "CPython",
    }
}

/// A claim after one mark per engine (✓ holds, ✗ differs, · not measured), then what each
/// engine measured, muted.
fn claim_lines(app: &App, claim: &Claim, engines: &[Engine], width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let verdicts: Vec<(Engine, Option<Verdict>)> = engines
        .iter()
        .map(|&e| (e, app.verdicts.verdict(claim, e)))
        .collect();
    let mut runs: Vec<(String, Style)> = verdicts
        .iter()
        .map(|(_, v)| match v {
            Some(v) if v.holds => ("✓".to_string(), theme.good),
            Some(_) => ("✗".to_string(), theme.caution),
            None => ("·".to_string(), theme.muted),
        })
        .collect();
    runs.push((format!(" {}", claim.text), theme.text));
    let borrowed: Vec<(&str, Style)> = runs.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    let mut lines = wrap(&borrowed, width);
    let measured: Vec<String> = verdicts
        .iter()
        .filter_map(|(engine, v)| {
            let v = v.as_ref()?;
            let how = if v.holds { "holds" } else { "differs" };
            // A verdict on a simulated quantity must not pass for a measured one.
            let simulated = if app.verdicts.simulated(claim, *engine).is_some() {
                " (simulated)"
            } else {
                ""
            };
            Some(format!(
                "{} {}{simulated}: {how}, {}",
                label(*engine),
                claim.show(&v.value),
                v.detail
            ))
        })
        .collect();
    if !measured.is_empty() {
        let text = format!("   {}", measured.join(" · "));
        lines.extend(wrap(&[(&text, theme.muted)], width));
    }
    lines
}

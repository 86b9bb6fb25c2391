//! The two engines side by side: a demo's latest run natively and on CPython, every numeric
//! result both reported in one table, so the room sees where the Python it is taught costs
//! more (or less) than the mechanism alone.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::parts::Parts;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::view::number;
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
    let mut top = wrap(
        &[
            ("◆ ", theme.bullet),
            (
                native.request.demo().spec().title,
                theme.key.add_modifier(Modifier::BOLD),
            ),
        ],
        width,
    );
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
    let table = table(native, python);
    let mut body: Vec<Line<'static>> = Vec::new();
    for run in [native, python] {
        if let Some(View::Headline { text, tone }) = run.views.get("headline") {
            let label = match run.engine {
                Engine::Native => "native: ",
                Engine::Python => "CPython: ",
            };
            body.extend(views::lines(
                &View::Headline {
                    text: format!("{label}{text}"),
                    tone: *tone,
                },
                width,
                theme,
            ));
        }
    }
    body.push(Line::default());
    body.extend(views::lines(&table, width, theme));
    Some(Parts { top, body })
}

/// What exactly an engine was, as its run said.
fn detail(run: &Run) -> String {
    run.reported_engine
        .as_ref()
        .map_or_else(|| run.engine.to_string(), |(_, detail)| detail.clone())
}

/// Every numeric result both runs have, with the CPython/native ratio.
fn table(native: &Run, python: &Run) -> View {
    let mut rows = Vec::new();
    let mut tones = Vec::new();
    for (name, value) in &native.results {
        let (Some(a), Some(b)) = (
            value.as_number(),
            python.results.get(name).and_then(|v| v.as_number()),
        ) else {
            continue;
        };
        let ratio = if a.abs() > f64::EPSILON {
            format!("{:.2}×", b / a)
        } else {
            "—".into()
        };
        rows.push(vec![name.clone(), number(a), number(b), ratio]);
        tones.push(Tone::Normal);
    }
    View::Table {
        columns: vec![
            "result".into(),
            "native".into(),
            "CPython".into(),
            "CPython/native".into(),
        ],
        rows,
        tones,
        merge: false,
        caption: "Same demo, same parameters where both engines honour them; units in each \
                  result's name."
            .into(),
    }
}

//! A learner's experiment side by side: the demo's latest run against its run before with
//! other parameters (changed with `e`), on the same engine — the parameters that changed
//! picked out, both headlines, and every result both runs reported, before and now — so
//! changing a parameter and running again adds to what was seen instead of replacing it.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::parts::{Parts, labelled_headlines, title_lines};
use crate::claims::value_text;
use crate::demo_runtime::view::{Tone, View};
use crate::lecture::{App, Run, Slot};
use crate::ui::views;
use crate::ui::wrap::wrap;

/// The experiment at `slot`, if the demo has a run before its latest with other parameters.
#[must_use]
pub fn parts(app: &App, slot: Slot, width: usize) -> Option<Parts> {
    let (before, now) = app.demos.experiment(slot)?;
    let theme = &app.theme;
    let mut top = title_lines(now.request.demo().spec().title, width, theme);
    top.extend(wrap(
        &[(
            &format!(
                "Your experiment, both runs on {} · c: next comparison",
                now.engine
            ),
            theme.muted,
        )],
        width,
    ));
    // What changed, picked out; what stayed, quietly.
    let mut spans: Vec<(String, ratatui::style::Style)> = Vec::new();
    for (key, value) in now.request.params() {
        match before.request.params().get(key) {
            Some(old) if old == value => {
                spans.push((format!("{key}={value} "), theme.muted));
            }
            old => {
                let old = old.map_or_else(|| "—".to_string(), ToString::to_string);
                spans.push((
                    format!("{key}: {old} → {value}"),
                    theme
                        .key
                        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                ));
                spans.push((" ".into(), theme.muted));
            }
        }
    }
    let borrowed: Vec<(&str, ratatui::style::Style)> =
        spans.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    top.extend(wrap(&borrowed, width));
    let mut body = labelled_headlines(&[("before: ", before), ("now: ", now)], width, theme);
    body.push(Line::default());
    body.extend(views::lines(&table(app, before, now), width, theme));
    Some(Parts { top, body })
}

/// Every result either run reported, before and now, named as the lesson's claims name them
/// where a claim checks it; a changed value stands out.
fn table(app: &App, before: &Run, now: &Run) -> View {
    let demo = now.request.name();
    let mut rows = Vec::new();
    let mut tones = Vec::new();
    let mut keys: Vec<&String> = now
        .results
        .keys()
        .chain(
            before
                .results
                .keys()
                .filter(|k| !now.results.contains_key(*k)),
        )
        .collect();
    // What changed first: the point of an experiment is the difference.
    keys.sort_by_key(|k| before.results.get(*k) == now.results.get(*k));
    for key in keys {
        // The result's own name: a claim's sentence would not say which number this is.
        let claimed = app
            .verdicts
            .claims
            .iter()
            .any(|c| c.request.name() == demo && c.result == *key);
        let label = format!(
            "{}{}",
            key.replace('_', " "),
            if claimed { " ◆" } else { "" }
        );
        let (old, new) = (before.results.get(key), now.results.get(key));
        let shown = |v: Option<&crate::demo_runtime::protocol::ResultValue>| {
            v.map_or_else(|| "—".to_string(), value_text)
        };
        let ratio = match (
            old.and_then(|v| v.as_number()),
            new.and_then(|v| v.as_number()),
        ) {
            (Some(a), Some(b)) if a > 0.0 => format!("{:.2}×", b / a),
            _ => String::new(),
        };
        tones.push(if old == new {
            Tone::Muted
        } else {
            Tone::Normal
        });
        rows.push(vec![label, shown(old), shown(new), ratio]);
    }
    View::Table {
        columns: vec![
            "result".into(),
            "before".into(),
            "now".into(),
            "now/before".into(),
        ],
        rows,
        tones,
        merge: false,
        caption: "Every result of the two runs, what changed first; ◆: a claim of the lesson \
                  checks it."
            .into(),
    }
}

//! "Ask the room": before a demo's first run, the question its claim carries — the prompt and
//! the options to choose from, or the unit of the number to guess — so the room predicts
//! before it watches (predicting first is what makes a demonstration teach).

use ratatui::style::Modifier;
use ratatui::text::Line;

use crate::claims::question::Answer;
use crate::demo_runtime::RunRequest;
use crate::lecture::App;
use crate::ui::wrap::wrap;

/// The question of the claim measured by `request`, as lines `width` wide; none when no claim
/// on this run carries one.
#[must_use]
pub fn lines(app: &App, request: &RunRequest, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some((claim, question)) = app
        .verdicts
        .claims
        .iter()
        .filter(|c| c.request == *request)
        .find_map(|c| c.question.as_ref().map(|q| (c, q)))
    else {
        return Vec::new();
    };
    let mut lines = wrap(
        &[
            ("Ask the room: ", theme.key.add_modifier(Modifier::BOLD)),
            (
                question.prompt.as_str(),
                theme.text.add_modifier(Modifier::BOLD),
            ),
        ],
        width,
    );
    let answers = match &question.answer {
        Answer::Choice { options, .. } => options
            .iter()
            .enumerate()
            .map(|(i, option)| format!("{} {option}", i + 1))
            .collect::<Vec<_>>()
            .join(" · "),
        Answer::Number { .. } => match &claim.unit {
            Some(unit) => format!("a number, in {unit}"),
            None => "a number".to_string(),
        },
    };
    lines.extend(wrap(&[(answers.as_str(), theme.muted)], width));
    lines
}

//! The presenter screen's questions: each question the room is about to be asked on this
//! slide, its options, and the answer the slide's claim expects — for the instructor only.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::app::PresenterApp;
use crate::claims::expected_answer;
use crate::claims::question::Answer;
use crate::ui::wrap::wrap;

/// The current slide's questions with the answer its claim expects — the room shows the question
/// ("Ask the room"), only this screen the answer.
#[must_use]
pub fn lines(app: &PresenterApp, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    for claim in app.claims.iter().filter(|c| c.slide == app.room.slide + 1) {
        let (Some(question), Some(expected)) = (&claim.question, expected_answer(claim)) else {
            continue;
        };
        lines.extend(wrap(
            &[
                ("Ask the room: ", theme.key.add_modifier(Modifier::BOLD)),
                (question.prompt.as_str(), theme.text),
            ],
            width,
        ));
        if let Answer::Choice { options, .. } = &question.answer {
            let listed: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, option)| format!("{} {option}", i + 1))
                .collect();
            lines.extend(wrap(&[(&listed.join(" · "), theme.muted)], width));
        }
        lines.extend(wrap(
            &[
                ("Expected: ", theme.good.add_modifier(Modifier::BOLD)),
                (&expected, theme.good),
                (&format!(" — \"{}\"", claim.text), theme.muted),
            ],
            width,
        ));
        lines.push(Line::default());
    }
    // What the class said, as the room's panel shows it.
    for said in app.room.class.iter().flat_map(|class| &class.said) {
        lines.extend(wrap(&[(said.as_str(), theme.good)], width));
    }
    lines
}

//! Learn mode in the demo panel: the open question ("Predict"), with its options, the typed
//! answer and why an answer was refused; and, on a run a question came before, the
//! prediction beside what this machine measured.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::parts::Parts;
use crate::claims::question::Answer;
use crate::claims::{Claim, Question};
use crate::lecture::learn::Asking;
use crate::lecture::{App, Run};
use crate::ui::wrap::wrap;

/// The question open before the selected demo, if there is one.
#[must_use]
pub fn asking(app: &App) -> Option<&Asking> {
    app.learn
        .asking
        .as_ref()
        .filter(|a| a.slot == (app.slide, app.demos.selected))
}

/// The open question, whole: it is all the learner looks at until it is answered.
#[must_use]
pub fn parts(app: &App, asking: &Asking, width: usize) -> Parts {
    let theme = &app.theme;
    let Some((claim, question)) = claim_question(app, asking.claim) else {
        return Parts::default();
    };
    let mut top = wrap(
        &[(
            question.prompt.as_str(),
            theme.text.add_modifier(Modifier::BOLD),
        )],
        width,
    );
    top.push(Line::default());
    match &question.answer {
        Answer::Choice { options, .. } => {
            for (i, option) in options.iter().enumerate() {
                top.extend(wrap(&[(&format!("{} {option}", i + 1), theme.text)], width));
            }
        }
        Answer::Number { close } => {
            let unit = claim
                .unit
                .as_deref()
                .map(|u| format!(", in {u}"))
                .unwrap_or_default();
            top.extend(wrap(
                &[(
                    &format!("A number{unit}: close means within {close}× of what is measured."),
                    theme.muted,
                )],
                width,
            ));
        }
    }
    top.push(Line::default());
    top.extend(wrap(
        &[
            ("Your answer: ", theme.key.add_modifier(Modifier::BOLD)),
            (&format!("{}▏", asking.typed.text()), theme.text),
        ],
        width,
    ));
    if let Some(why) = &asking.refused {
        top.extend(wrap(&[(why.as_str(), theme.caution)], width));
    }
    top.extend(wrap(
        &[(
            "Enter locks it in and runs the demo · Esc skips the question",
            theme.muted,
        )],
        width,
    ));
    Parts {
        top,
        body: Vec::new(),
    }
}

/// On a run a question came before: the prediction beside the measurement, and whether it
/// was close.
#[must_use]
pub fn outcome_lines(app: &App, run: &Run, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some(answered) = app.learn.for_run(run.id) else {
        return Vec::new();
    };
    let Some((claim, question)) = claim_question(app, answered.claim) else {
        return Vec::new();
    };
    let predicted = answered.prediction.map_or_else(
        || "You skipped the question".to_string(),
        |p| format!("You predicted {}", claim.show_answer(p)),
    );
    let (text, style) = match (answered.measured, answered.close) {
        (None, _) if run.is_running() => (format!("{predicted} · measuring…"), theme.muted),
        (None, _) => (
            format!("{predicted} · this run did not answer it"),
            theme.muted,
        ),
        // A number is close or off; a choice is right or not.
        (Some(m), Some(close)) => {
            let word = match (&question.answer, close) {
                (Answer::Number { .. }, true) => "close",
                (Answer::Number { .. }, false) => "off",
                (Answer::Choice { .. }, true) => "right",
                (Answer::Choice { .. }, false) => "not this time",
            };
            let style = if close { theme.good } else { theme.caution };
            (
                format!("{predicted} · measured {} · {word}", claim.show_answer(m)),
                style,
            )
        }
        (Some(m), None) => (
            format!("{predicted} · measured {}", claim.show_answer(m)),
            theme.text,
        ),
    };
    wrap(&[(&text, style.add_modifier(Modifier::BOLD))], width)
}

/// Claim number `claim` and its question.
fn claim_question(app: &App, claim: usize) -> Option<(&Claim, &Question)> {
    let claim = app.verdicts.claims.get(claim)?;
    Some((claim, claim.question.as_ref()?))
}

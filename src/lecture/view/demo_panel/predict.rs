//! Learn mode in the demo panel: the open question ("Predict"), with its options, the typed
//! answer and why an answer was refused; and, on a run a question came before, the
//! prediction beside what this machine measured.

use ratatui::style::Modifier;
use ratatui::text::Line;

use super::parts::Parts;
use crate::claims::question::Answer;
use crate::claims::{Claim, Judgement, Prediction, Question};
use crate::demo_runtime::protocol::ResultValue;
use crate::demo_runtime::view::number;
use crate::lecture::learn::{Answered, Asking};
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

/// On a run a question came before: the prediction beside the measurement (the median and
/// range of the round's runs), whether it was close, and why, in the slide's own claim.
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
    let measuring = match answered.round {
        (_, 1) => "measuring…".to_string(),
        (done, of) => format!("measuring, run {done} of {of}…"),
    };
    let (text, style) = match (answered.measured, answered.close) {
        (None, _) if run.is_running() => (format!("{predicted} · {measuring}"), theme.muted),
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
                format!("{predicted} · {} · {word}", measured(claim, answered, m)),
                style,
            )
        }
        (Some(m), None) => (
            format!("{predicted} · {}", measured(claim, answered, m)),
            theme.text,
        ),
    };
    let mut lines = wrap(&[(&text, style.add_modifier(Modifier::BOLD))], width);
    if let Some(spread) = answered
        .spread
        .as_ref()
        .filter(|_| answered.measured.is_some())
    {
        let why = format!(
            "Why: the slide says \"{}\" — on this machine it {} ({}: {}).",
            claim.text,
            match spread.judgement {
                Judgement::Holds => "holds",
                Judgement::Differs => "does not hold",
                Judgement::Edge => "sits at the edge",
            },
            claim.show(&spread.median),
            spread.detail
        );
        lines.extend(wrap(&[(&why, theme.muted)], width));
    }
    lines
}

/// What the round measured, as the learner reads it: `measured 62 ms (median of 3 runs,
/// 55–70)`, or the one run's value.
fn measured(claim: &Claim, answered: &Answered, answer: Prediction) -> String {
    let shown = claim.show_answer(answer);
    match &answered.spread {
        Some(spread) if spread.runs() > 1 => {
            let range = match (spread.min, spread.max) {
                (ResultValue::Number(min), ResultValue::Number(max)) if min < max => {
                    format!(", {}–{}", number(min), number(max))
                }
                _ => String::new(),
            };
            match answered.measured {
                // A choice is read off a value: say which.
                // A choice is read off a result: name it, the panel may not show it.
                Some(Prediction::Choice(_)) => format!(
                    "measured {shown} ({} = {} is the median of {} runs{range})",
                    claim.result,
                    claim.show(&spread.median),
                    spread.runs()
                ),
                _ => format!("measured {shown} (median of {} runs{range})", spread.runs()),
            }
        }
        _ => format!("measured {shown}"),
    }
}

/// Claim number `claim` and its question.
fn claim_question(app: &App, claim: usize) -> Option<(&Claim, &Question)> {
    let claim = app.verdicts.claims.get(claim)?;
    Some((claim, claim.question.as_ref()?))
}

//! In the room, for a demo whose claim asks a question: what the class predicted (counts per
//! option, or the median and range of the numbers) and what the students' machines measured
//! (how many, the median and range, and on how many the claim held) — the room's own run
//! beside the room's forty laptops.

use std::collections::BTreeMap;

use ratatui::style::Modifier;
use ratatui::text::Line;

use crate::claims::Claim;
use crate::claims::question::Answer as QuestionAnswer;
use crate::classroom::frames::Answer;
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::protocol::ResultValue;
use crate::demo_runtime::view::{count, number};
use crate::lecture::App;
use crate::lecture::class_state::Class;
use crate::ui::wrap::wrap;

/// The class's lines for the demo `request` runs, in the room; none elsewhere or before
/// anyone answered or measured.
#[must_use]
pub fn lines(app: &App, request: &RunRequest, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    for claim in app.verdicts.claims.iter().filter(|c| c.request == *request) {
        for (label, text) in said(app, claim) {
            lines.extend(wrap(
                &[
                    (&label, theme.key.add_modifier(Modifier::BOLD)),
                    (&text, theme.text),
                ],
                width,
            ));
        }
    }
    lines
}

/// What the class predicted for `claim`'s question and what its machines measured, as
/// (label, text) — `("The class predicted (31): ", "chunksize=100 24 · chunksize=1 7")` —
/// for the panel and the handout; none outside the room.
#[must_use]
pub fn said(app: &App, claim: &Claim) -> Vec<(String, String)> {
    let Some(Class::Room(room)) = &app.class else {
        return Vec::new();
    };
    let Some(question) = &claim.question else {
        return Vec::new();
    };
    let unit = claim
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut out = Vec::new();
    if let Some(answers) = room
        .predictions
        .get(&(claim.slide, question.prompt.clone()))
    {
        out.push((
            format!("The class predicted ({}): ", answers.len()),
            predicted(&question.answer, answers, &unit),
        ));
    }
    let measured: Vec<&BTreeMap<String, f64>> = room
        .measurements
        .get(claim.request.name())
        .map(|m| m.iter().map(|m| &m.results).collect())
        .unwrap_or_default();
    let values: Vec<f64> = measured
        .iter()
        .filter_map(|r| r.get(&claim.result).copied())
        .collect();
    if values.is_empty() {
        return out;
    }
    let held = measured
        .iter()
        .filter(|results| {
            let results: BTreeMap<String, ResultValue> = results
                .iter()
                .map(|(k, v)| (k.clone(), ResultValue::Number(*v)))
                .collect();
            claim.judge(&results).is_some_and(|v| v.holds)
        })
        .count();
    out.push((
        format!(
            "The class measured ({}): ",
            count(values.len() as u64, "machine", "machines")
        ),
        format!(
            "{} · the claim held on {held} of {}",
            spread(&values, &unit),
            values.len()
        ),
    ));
    out
}

/// `median 0.97 (0.80–1.30) ▁▃█▅▂` with the unit: the median, the range, and a histogram
/// of the values across it.
fn spread(values: &[f64], unit: &str) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match (sorted.first(), sorted.last()) {
        (Some(min), Some(max)) => {
            let median = sorted[(sorted.len() - 1) / 2];
            let shape = histogram(&sorted);
            format!(
                "median {}{unit} ({}–{}){}{shape}",
                number(median),
                number(*min),
                number(*max),
                if shape.is_empty() { "" } else { " " }
            )
        }
        _ => "none".into(),
    }
}

/// Bins across the range of `sorted` (a log scale when it spans more than ten times), each
/// a block as tall as its share of the tallest: where the class's numbers fall.
fn histogram(sorted: &[f64]) -> String {
    const BINS: usize = 8;
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return String::new();
    };
    if sorted.len() < 2 || max <= min {
        return String::new();
    }
    let log = min > 0.0 && max / min > 10.0;
    let scale = |v: f64| if log { v.ln() } else { v };
    let (low, high) = (scale(min), scale(max));
    let mut counts = [0usize; BINS];
    for &v in sorted {
        let at = (scale(v) - low) / (high - low) * 8.0;
        // Bins 0 to 7; the largest value falls in the last.
        let bin = (0..BINS)
            .rev()
            .find(|&b| at >= f64::from(u8::try_from(b).unwrap_or(0)))
            .unwrap_or(0);
        counts[bin] += 1;
    }
    let tallest = counts.iter().copied().max().unwrap_or(1).max(1);
    counts
        .iter()
        .map(|&n| {
            if n == 0 {
                ' '
            } else {
                BLOCKS[(n * 7).div_ceil(tallest).min(7)]
            }
        })
        .collect()
}

/// What the class predicted, in words: counts per option, or the numbers' median and range.
fn predicted(kind: &QuestionAnswer, answers: &[(u64, Answer)], unit: &str) -> String {
    match kind {
        QuestionAnswer::Choice { options, .. } => {
            let mut counts = vec![0usize; options.len()];
            for (_, answer) in answers {
                if let Answer::Choice(i) = answer
                    && let Some(count) = counts.get_mut(*i)
                {
                    *count += 1;
                }
            }
            options
                .iter()
                .zip(&counts)
                .map(|(option, n)| format!("{option} {n}"))
                .collect::<Vec<_>>()
                .join(" · ")
        }
        QuestionAnswer::Number { .. } => {
            let numbers: Vec<f64> = answers
                .iter()
                .filter_map(|(_, a)| match a {
                    Answer::Number(n) => Some(*n),
                    Answer::Choice(_) => None,
                })
                .collect();
            spread(&numbers, unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_shows_where_the_numbers_fall() {
        assert_eq!(spread(&[50.0], " ms"), "median 50 ms (50–50)");
        let shown = spread(&[10.0, 12.0, 11.0, 200.0, 15.0], " ms");
        assert!(shown.starts_with("median 12 ms (10–200) "), "{shown}");
        let all: Vec<char> = shown.chars().collect();
        let shape = &all[all.len() - 8..];
        assert_eq!(shape[0], '█', "most are low: {shown}");
        assert_ne!(shape[7], ' ', "one is high: {shown}");
    }
}

//! A claim judged on several runs: every run's value, their median and range, in how many
//! runs the claim held, and one verdict — `holds` or `differs` when the runs agree, `edge`
//! when they do not. One run that happens to agree with a wrong idea is how wrong ideas
//! survive; the spread shows whether a number can be taught from.

use std::cmp::Ordering;
use std::fmt;

use super::{Claim, Measurement};
use crate::demo_runtime::protocol::ResultValue;

/// How many runs of each claim `lectern report` and the verdicts' Enter make by default:
/// enough for a median and a spread, few enough for a lecture's claims in minutes.
pub const DEFAULT_RUNS: usize = 3;

/// The verdict on a claim over its runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// Every run held.
    Holds,
    /// No run held.
    Differs,
    /// Some runs held and some did not: this machine sits at the claim's bound.
    Edge,
}

impl Judgement {
    /// `holds`, `differs` or `edge`, as the report's JSON writes it.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Holds => "holds",
            Self::Differs => "differs",
            Self::Edge => "edge",
        }
    }
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A claim over every run that measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// Each run's value, in the order the runs were made.
    pub values: Vec<ResultValue>,
    /// The median run's value (for an even number of runs, the lower of the middle two: a
    /// value some run really measured, judged with that run's own bound).
    pub median: ResultValue,
    /// The smallest value (`no` before `yes`).
    pub min: ResultValue,
    /// The largest value.
    pub max: ResultValue,
    /// In how many runs the claim held.
    pub holds_in: usize,
    /// The verdict over all runs.
    pub judgement: Judgement,
    /// Whether the median run held (an `edge` claim leans one way or the other).
    pub median_holds: bool,
    /// Which of the runs judged is the median one (an index into them), so a question's
    /// rules can read that run's other results.
    pub median_run: usize,
    /// How the median run compares with the claim, in words ("3.1× below 50..200").
    pub detail: String,
    /// What a run simulated, if any did (its own words).
    pub simulated: Option<String>,
}

impl Spread {
    /// How many runs measured the claim.
    #[must_use]
    pub fn runs(&self) -> usize {
        self.values.len()
    }
}

/// The claim judged on `runs`; `None` when no run reported the claim's result.
#[must_use]
pub fn judge_runs(claim: &Claim, runs: &[Measurement]) -> Option<Spread> {
    let mut judged: Vec<(ResultValue, super::Verdict, usize)> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, run)| claim.judge(&run.results).map(|v| (v.value, v, i)))
        .collect();
    if judged.is_empty() {
        return None;
    }
    let values: Vec<ResultValue> = judged.iter().map(|(value, ..)| *value).collect();
    let holds_in = judged.iter().filter(|(_, v, _)| v.holds).count();
    let judgement = match holds_in {
        0 => Judgement::Differs,
        n if n == judged.len() => Judgement::Holds,
        _ => Judgement::Edge,
    };
    judged.sort_by(|a, b| order(a.0, b.0));
    let (median, verdict, median_run) = judged[(judged.len() - 1) / 2].clone();
    Some(Spread {
        values,
        median,
        min: judged[0].0,
        max: judged[judged.len() - 1].0,
        holds_in,
        judgement,
        median_holds: verdict.holds,
        median_run,
        detail: verdict.detail,
        simulated: runs.iter().find_map(|run| run.simulated.clone()),
    })
}

/// Values in order: numbers by size, `no` before `yes`.
fn order(a: ResultValue, b: ResultValue) -> Ordering {
    let rank = |v: ResultValue| match v {
        ResultValue::Number(n) => n,
        ResultValue::Bool(b) => f64::from(u8::from(b)),
    };
    rank(a).total_cmp(&rank(b))
}

/// The spread as a table cell says it: `1.02 (0.95–1.10) · holds in 2 of 3`; one run's value
/// alone when there was one run.
#[must_use]
pub fn describe(claim: &Claim, spread: &Spread) -> String {
    let runs = spread.runs();
    if runs == 1 {
        return claim.show(&spread.median);
    }
    let range = match (spread.min, spread.max) {
        (ResultValue::Bool(_), _) | (_, ResultValue::Bool(_)) => String::new(),
        (min, max) if min == max => String::new(),
        (min, max) => format!(" ({}–{})", super::value_text(&min), super::value_text(&max)),
    };
    format!(
        "{}{range} · holds in {} of {runs}",
        claim.show(&spread.median),
        spread.holds_in
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(expect: &str) -> Claim {
        let text = format!(
            "# A\n\n<!-- claim: gil mode=gil result=speedup expect={expect} text=\"t\" -->\n"
        );
        let lesson = crate::lesson::parse(&text).lesson;
        let (mut claims, problems) = crate::claims::resolve(&lesson);
        assert!(problems.is_empty(), "{problems:?}");
        claims.remove(0)
    }

    fn runs(values: &[f64]) -> Vec<Measurement> {
        values
            .iter()
            .map(|&v| Measurement {
                results: [("speedup".to_string(), ResultValue::Number(v))].into(),
                simulated: None,
            })
            .collect()
    }

    #[test]
    fn runs_that_agree_give_their_verdict_and_runs_that_disagree_are_an_edge() {
        let claim = claim("<=1.2");
        let all_hold = judge_runs(&claim, &runs(&[0.9, 1.0, 0.95])).expect("judged");
        assert_eq!(all_hold.judgement, Judgement::Holds);
        assert_eq!(all_hold.holds_in, 3);
        let none_hold = judge_runs(&claim, &runs(&[1.3, 1.5, 1.25])).expect("judged");
        assert_eq!(none_hold.judgement, Judgement::Differs);
        assert_eq!(none_hold.holds_in, 0);
        // One run over the bound is enough to say the machine sits at the claim's edge, and
        // the median (1.1) still leans to holding.
        let mixed = judge_runs(&claim, &runs(&[1.27, 0.82, 1.1])).expect("judged");
        assert_eq!(mixed.judgement, Judgement::Edge);
        assert_eq!(mixed.holds_in, 2);
        assert!(mixed.median_holds, "{mixed:?}");
        let leaning_out = judge_runs(&claim, &runs(&[1.3, 0.82, 1.25])).expect("judged");
        assert_eq!(leaning_out.judgement, Judgement::Edge);
        assert!(!leaning_out.median_holds, "{leaning_out:?}");
    }

    #[test]
    fn the_median_min_and_max_come_from_the_runs_and_keep_their_order() {
        let claim = claim("<=1.2");
        let spread = judge_runs(&claim, &runs(&[1.17, 0.82, 1.1, 0.9])).expect("judged");
        assert_eq!(spread.runs(), 4);
        assert_eq!(spread.judgement, Judgement::Holds);
        assert_eq!(
            spread.values,
            runs(&[1.17, 0.82, 1.1, 0.9])
                .iter()
                .map(|m| m.results["speedup"])
                .collect::<Vec<_>>()
        );
        // Four runs: the lower of the middle two.
        assert_eq!(spread.median, ResultValue::Number(0.9));
        assert_eq!(spread.median_run, 3, "the fourth run measured 0.9");
        assert_eq!(spread.min, ResultValue::Number(0.82));
        assert_eq!(spread.max, ResultValue::Number(1.17));
        assert_eq!(
            describe(&claim, &spread),
            "0.90 (0.82–1.17) · holds in 4 of 4"
        );
    }

    #[test]
    fn one_run_reads_as_its_value_and_runs_without_the_result_are_left_out() {
        let claim = claim("<=1.2");
        let mut measured = runs(&[1.05]);
        measured.push(Measurement::default());
        let spread = judge_runs(&claim, &measured).expect("judged");
        assert_eq!(spread.runs(), 1);
        assert_eq!(describe(&claim, &spread), "1.05");
        assert_eq!(judge_runs(&claim, &[Measurement::default()]), None);
    }
}

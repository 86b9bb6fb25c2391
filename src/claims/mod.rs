//! Claims as data: what a lesson says a demo will measure (`<!-- claim: ... -->`), checked
//! against the demo's spec by `lectern check`, and judged against real runs by `lectern
//! report` and by the verdicts panel at the end of the lecture.

pub mod expect;
pub mod expected;
pub mod progress_log;
pub mod question;
pub mod spread;

use std::collections::BTreeMap;

pub use expect::{Expect, Verdict};
pub use expected::expected_answer;
pub use question::{Prediction, Question};
pub use spread::{Judgement, Spread, judge_runs};

use crate::demo_runtime::protocol::ResultValue;
use crate::demo_runtime::{Params, RunRequest};
use crate::lesson::{ClaimDirective, Diagnostic, Lesson, Pos};

/// A claim, resolved against the demos: the run that measures it and what it expects.
#[derive(Clone)]
pub struct Claim {
    /// The slide that makes it (1-based).
    pub slide: usize,
    /// The claim in the lesson's words.
    pub text: String,
    /// The run that measures it: its demo and every parameter (the claim's over the
    /// defaults).
    pub request: RunRequest,
    /// The parameters the claim sets itself, as written.
    pub explicit: Vec<(String, String)>,
    /// The result checked.
    pub result: String,
    /// What it should be.
    pub expect: Expect,
    /// The unit the value is shown in.
    pub unit: Option<String>,
    /// The question asked before its demo runs, if the claim carries one.
    pub question: Option<Question>,
}

/// What one run of a claim's demo gave: its results, and whether any of it was simulated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurement {
    /// The run's results by name.
    pub results: BTreeMap<String, ResultValue>,
    /// The run's own words for what it simulated (its first `simulated` note), if anything:
    /// a verdict on a simulated quantity says so wherever it is shown.
    pub simulated: Option<String>,
}

impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claim")
            .field("slide", &self.slide)
            .field("text", &self.text)
            .field("demo", &self.request.name())
            .field("result", &self.result)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

impl Claim {
    /// The verdict on a run of the claim's demo with the claim's parameters.
    #[must_use]
    pub fn judge(&self, results: &BTreeMap<String, ResultValue>) -> Option<Verdict> {
        self.expect.judge(&self.result, results)
    }

    /// The measured value with its unit, as a table shows it.
    #[must_use]
    pub fn show(&self, value: &ResultValue) -> String {
        let text = value_text(value);
        match &self.unit {
            Some(unit) => format!("{text} {unit}"),
            None => text,
        }
    }

    /// An answer to the claim's question as the learner reads it: `50 ms`, `faster`.
    #[must_use]
    pub fn show_answer(&self, answer: Prediction) -> String {
        let text = self
            .question
            .as_ref()
            .map_or_else(String::new, |q| q.show(answer));
        match (answer, &self.unit) {
            (Prediction::Number(_), Some(unit)) => format!("{text} {unit}"),
            _ => text,
        }
    }

    /// Identifies the run that measures this claim: its demo and every parameter.
    #[must_use]
    pub fn run_key(&self) -> RunKey {
        run_key(self.request.name(), self.request.params())
    }
}

/// A measured value as people read it, without its unit: `1,234`, `0.98`, `yes`.
#[must_use]
pub fn value_text(value: &ResultValue) -> String {
    match value {
        ResultValue::Number(n) => crate::demo_runtime::view::number(*n),
        ResultValue::Bool(b) => expect::yes_no(*b).to_string(),
    }
}

/// Which run measures a claim: the demo's name and its parameters, written out.
pub type RunKey = (String, String);

/// The key of a run of `demo` with `params`.
#[must_use]
pub fn run_key(demo: &str, params: &Params) -> RunKey {
    let written: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    (demo.to_string(), written.join(" "))
}

/// The lesson's claims, resolved; and a diagnostic for every claim that names an unknown demo,
/// parameter or result, or whose expectation does not parse.
#[must_use]
pub fn resolve(lesson: &Lesson) -> (Vec<Claim>, Vec<Diagnostic>) {
    let mut claims = Vec::new();
    let mut problems = Vec::new();
    for (index, slide) in lesson.slides.iter().enumerate() {
        for directive in &slide.claims {
            match resolve_one(lesson, index + 1, directive) {
                Ok(claim) => claims.push(claim),
                Err(problem) => problems.push(problem),
            }
        }
    }
    (claims, problems)
}

fn resolve_one(lesson: &Lesson, slide: usize, d: &ClaimDirective) -> Result<Claim, Diagnostic> {
    let at = Pos::new(d.line, d.col);
    let demo = crate::demos::find_in(lesson, &d.demo)
        .map_err(|err| Diagnostic::error(at, err.to_string()))?;
    let request =
        RunRequest::from_pairs(demo, d.params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|err| Diagnostic::error(at, err.to_string()))?;
    let spec = demo.spec();
    let unknown_result = |key: &str, pos: (usize, usize)| {
        let mut known: Vec<&str> = spec.results.to_vec();
        known.extend(crate::demo_runtime::unit::COMMON_RESULTS);
        Diagnostic::error(
            Pos::new(pos.0, pos.1),
            format!(
                "demo `{}` reports no result `{key}`; its results: {}",
                spec.name,
                known.join(", ")
            ),
        )
    };
    if !spec.has_result(&d.result) {
        return Err(unknown_result(&d.result, d.result_pos));
    }
    let expect = Expect::parse(&d.expect)
        .map_err(|message| Diagnostic::error(Pos::new(d.expect_pos.0, d.expect_pos.1), message))?;
    if let Some(other) = expect.other_result()
        && !spec.has_result(other)
    {
        return Err(unknown_result(other, d.expect_pos));
    }
    let question = match &d.question {
        None => None,
        Some(directive) => {
            let question = Question::resolve(directive)?;
            if let Some(other) = question
                .other_results()
                .into_iter()
                .find(|key| !spec.has_result(key))
            {
                return Err(unknown_result(other, directive.decide_pos));
            }
            Some(question)
        }
    };
    Ok(Claim {
        slide,
        text: d.text.clone(),
        request,
        explicit: d.params.clone(),
        result: d.result.clone(),
        expect,
        unit: d.unit.clone(),
        question,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(text: &str) -> Lesson {
        crate::lesson::parse(text).lesson
    }

    #[test]
    fn the_lectures_claims_all_resolve() {
        let (lecture, _) = crate::lesson::embedded().unwrap();
        let (claims, problems) = resolve(&lecture);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(claims.len() >= 12, "{claims:?}");
    }

    #[test]
    fn unknown_demos_parameters_results_and_bad_expectations_are_located() {
        for (claim, at, says) in [
            (
                "forkk result=x expect=1..2",
                (3, 13),
                "unknown demo `forkk`",
            ),
            (
                "gil wrkers=2 result=speedup expect=<1",
                (3, 13),
                "no parameter `wrkers`",
            ),
            (
                "gil result=spedup expect=<1",
                (3, 17),
                "reports no result `spedup`",
            ),
            (
                "gil result=speedup expect=about",
                (3, 32),
                "not an expectation",
            ),
            (
                "gil result=speedup expect=<nothing_ms",
                (3, 32),
                "no result `nothing_ms`",
            ),
        ] {
            let text = format!("# A\n\n<!-- claim: {claim} text=\"t\" -->\n");
            let (_, problems) = resolve(&lesson(&text));
            let [problem] = problems.as_slice() else {
                panic!("{claim}: {problems:?}")
            };
            assert_eq!((problem.line, problem.col), at, "{claim}: {problem}");
            assert!(problem.message.contains(says), "{claim}: {problem}");
        }
    }
}

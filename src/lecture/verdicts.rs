//! The verdicts: every claim of the lesson against every run this session made of its demo,
//! shown in the demo panel on a `<!-- verdicts: -->` slide (or anywhere with `v`): the median,
//! the spread and `edge` when the runs disagree, as `lectern report` judges them. Enter makes
//! the runs still missing, up to [`Verdicts::wanted`] of each, one after another, round by
//! round.

use std::collections::{HashMap, VecDeque};

use crate::claims::{Claim, Measurement, RunKey, Spread, judge_runs};
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::export::{Measured, Results};

/// The demo slot runs made for the verdicts belong to (no directive has this index).
pub const VERDICTS_SLOT: usize = usize::MAX;

/// The claims, what was measured for them, and the runs still to make.
#[derive(Debug, Clone)]
pub struct Verdicts {
    /// The lesson's claims, in slide order.
    pub claims: Vec<Claim>,
    /// The results of every run that finished well, by what it ran and where, oldest first.
    pub measured: HashMap<(RunKey, Engine), Vec<Measurement>>,
    /// Whether the demo panel shows the verdicts.
    pub shown: bool,
    /// Runs still to make for claims nobody measured, in slide order.
    pub queue: VecDeque<RunRequest>,
    /// How many runs the current round of Enter queued.
    pub queued: usize,
    /// The first of the slides that make claims the panel shows (`}` `{` page by slide).
    pub page: usize,
    /// How many runs of each claim's demo Enter makes (`--runs`): by default as many as
    /// `lectern report` makes, so the room's verdicts and the course notes' are judged alike.
    pub wanted: usize,
}

impl Default for Verdicts {
    fn default() -> Self {
        Self {
            claims: Vec::new(),
            measured: HashMap::new(),
            shown: false,
            queue: VecDeque::new(),
            queued: 0,
            page: 0,
            wanted: crate::claims::spread::DEFAULT_RUNS,
        }
    }
}

impl Verdicts {
    /// The slides (1-based) that make claims, in order: the verdicts' pages.
    #[must_use]
    pub fn slides(&self) -> Vec<usize> {
        let mut slides: Vec<usize> = self.claims.iter().map(|c| c.slide).collect();
        slides.dedup();
        slides
    }

    /// Keeps a run's measurement for the claims it serves.
    pub fn record(&mut self, key: RunKey, engine: Engine, measurement: Measurement) {
        self.measured
            .entry((key, engine))
            .or_default()
            .push(measurement);
    }

    /// The verdict on `claim` over this session's runs on `engine`, if any measured it.
    #[must_use]
    pub fn verdict(&self, claim: &Claim, engine: Engine) -> Option<Spread> {
        judge_runs(claim, self.measured.get(&(claim.run_key(), engine))?)
    }

    /// How many runs this session made of what `claim` needs on `engine`.
    #[must_use]
    pub fn runs(&self, claim: &Claim, engine: Engine) -> usize {
        self.measured
            .get(&(claim.run_key(), engine))
            .map_or(0, Vec::len)
    }

    /// The runs the claims still need on `engine` to have [`Verdicts::wanted`] each, round by
    /// round (every claim's second run before any claim's third), so a slow minute of the
    /// machine does not fall on one claim's runs.
    #[must_use]
    pub fn missing(&self, engine: Engine) -> Vec<RunRequest> {
        let mut needed: Vec<(RunRequest, usize)> = Vec::new();
        for claim in &self.claims {
            let demo = claim.request.demo();
            let runnable = match engine {
                Engine::Native => demo.native(),
                Engine::Python => demo.spec().python.is_some(),
            };
            if runnable && !needed.iter().any(|(request, _)| *request == claim.request) {
                let have = self.runs(claim, engine);
                needed.push((claim.request.clone(), self.wanted.saturating_sub(have)));
            }
        }
        let mut missing = Vec::new();
        for round in 0..self.wanted {
            missing.extend(
                needed
                    .iter()
                    .filter(|(_, short)| *short > round)
                    .map(|(request, _)| request.clone()),
            );
        }
        missing
    }

    /// The verdicts this session measured, for each claim and engine that has one, as the
    /// handout shows them (`w`).
    #[must_use]
    pub fn results(&self) -> Results {
        let mut measured = Vec::new();
        for claim in &self.claims {
            for engine in [Engine::Native, Engine::Python] {
                let Some(spread) = self.verdict(claim, engine) else {
                    continue;
                };
                let text = |v| Some(crate::claims::value_text(v));
                measured.push(Measured {
                    slide: claim.slide,
                    claim: claim.text.clone(),
                    engine: engine.name().to_string(),
                    interpreter: None,
                    verdict: spread.judgement.word().into(),
                    detail: spread.detail.clone(),
                    simulated: spread.simulated.is_some(),
                    value: text(&spread.median),
                    runs: Some(spread.runs()),
                    holds_in: Some(spread.holds_in),
                    min: text(&spread.min),
                    max: text(&spread.max),
                });
            }
        }
        Results::from_session(measured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Measurement;

    #[test]
    fn the_sessions_verdicts_become_results_per_claim_and_engine() {
        use crate::demo_runtime::protocol::ResultValue;
        let lesson = crate::lesson::embedded().expect("built-in lesson").0;
        let mut verdicts = Verdicts {
            claims: crate::claims::resolve(&lesson).0,
            ..Verdicts::default()
        };
        let empty = verdicts.results();
        assert!(empty.is_empty());
        assert!(
            empty
                .describe()
                .contains("0 outcomes from the demos run in the lecture")
        );
        // Slide 1's claim: processes give close to one core per worker.
        let claim = verdicts.claims[0].clone();
        assert_eq!(claim.slide, 1);
        let results = [
            ("speedup".to_string(), ResultValue::Number(1.812)),
            ("workers".to_string(), ResultValue::Number(2.0)),
        ]
        .into();
        verdicts.record(
            claim.run_key(),
            Engine::Native,
            Measurement {
                results,
                simulated: None,
            },
        );
        let session = verdicts.results();
        let found = session.for_claim(1, &claim.text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].engine, "native");
        assert_eq!(found[0].value.as_deref(), Some("1.81"));
        assert!(["holds", "differs"].contains(&found[0].verdict.as_str()));
        assert!(!found[0].simulated);
        assert!(session.describe().contains("1 outcome from"));
    }

    #[test]
    fn enter_asks_for_each_claims_runs_round_by_round_and_disagreeing_runs_are_an_edge() {
        use crate::claims::Judgement;
        use crate::demo_runtime::protocol::ResultValue;
        let lesson = crate::lesson::embedded().expect("built-in lesson").0;
        let mut verdicts = Verdicts {
            claims: crate::claims::resolve(&lesson).0,
            ..Verdicts::default()
        };
        let distinct = {
            let mut requests: Vec<RunRequest> = Vec::new();
            for claim in &verdicts.claims {
                if !requests.contains(&claim.request) {
                    requests.push(claim.request.clone());
                }
            }
            requests
        };
        let missing = verdicts.missing(Engine::Native);
        assert_eq!(missing.len(), verdicts.wanted * distinct.len());
        // A whole round before any run comes back.
        assert_eq!(&missing[..distinct.len()], distinct.as_slice());
        // Slide 2's claim (threads get no speedup, ≤ 1.2) measured twice, once each way.
        let claim = verdicts.claims[1].clone();
        for speedup in [1.17, 1.31] {
            verdicts.record(
                claim.run_key(),
                Engine::Native,
                Measurement {
                    results: [("speedup".to_string(), ResultValue::Number(speedup))].into(),
                    simulated: None,
                },
            );
        }
        let spread = verdicts.verdict(&claim, Engine::Native).expect("judged");
        assert_eq!(spread.judgement, Judgement::Edge);
        assert_eq!((spread.holds_in, spread.runs()), (1, 2));
        // One run of that demo is still wanted, in the first round.
        let now_missing = verdicts.missing(Engine::Native);
        assert_eq!(now_missing.len(), verdicts.wanted * distinct.len() - 2);
        assert_eq!(
            now_missing.iter().filter(|r| **r == claim.request).count(),
            verdicts.wanted - 2
        );
        let session = verdicts.results();
        let found = session.for_claim(claim.slide, &claim.text);
        assert_eq!(found[0].verdict, "edge");
        assert_eq!(found[0].value.as_deref(), Some("1.17"));
        assert_eq!(found[0].spread(), " (1.17–1.31) · holds in 1 of 2 runs");
    }
}

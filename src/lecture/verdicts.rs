//! The verdicts: every claim of the lesson against what this session measured, shown in the
//! demo panel on a `<!-- verdicts: -->` slide (or anywhere with `v`), with Enter running the
//! demos no claim has a measurement from yet, one after another.

use std::collections::{HashMap, VecDeque};

use crate::claims::{Claim, Measurement, RunKey, Verdict};
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::export::{Measured, Results};

/// The demo slot runs made for the verdicts belong to (no directive has this index).
pub const VERDICTS_SLOT: usize = usize::MAX;

/// The claims, what was measured for them, and the runs still to make.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    /// The lesson's claims, in slide order.
    pub claims: Vec<Claim>,
    /// The results of every run that finished well, by what it ran and where (latest wins).
    pub measured: HashMap<(RunKey, Engine), Measurement>,
    /// Whether the demo panel shows the verdicts.
    pub shown: bool,
    /// Runs still to make for claims nobody measured, in slide order.
    pub queue: VecDeque<RunRequest>,
    /// How many runs the current round of Enter queued.
    pub queued: usize,
    /// The first of the slides that make claims the panel shows (`}` `{` page by slide).
    pub page: usize,
}

impl Verdicts {
    /// The slides (1-based) that make claims, in order: the verdicts' pages.
    #[must_use]
    pub fn slides(&self) -> Vec<usize> {
        let mut slides: Vec<usize> = self.claims.iter().map(|c| c.slide).collect();
        slides.dedup();
        slides
    }

    /// The verdict on `claim` from this session's runs on `engine`, if one measured it.
    #[must_use]
    pub fn verdict(&self, claim: &Claim, engine: Engine) -> Option<Verdict> {
        let measured = self.measured.get(&(claim.run_key(), engine))?;
        claim.judge(&measured.results)
    }

    /// What the run behind `claim` on `engine` simulated, if it simulated anything.
    #[must_use]
    pub fn simulated(&self, claim: &Claim, engine: Engine) -> Option<&str> {
        self.measured
            .get(&(claim.run_key(), engine))?
            .simulated
            .as_deref()
    }

    /// The runs no claim has a measurement from on `engine`, each once, in slide order.
    #[must_use]
    pub fn missing(&self, engine: Engine) -> Vec<RunRequest> {
        let mut missing: Vec<RunRequest> = Vec::new();
        for claim in &self.claims {
            let key = claim.run_key();
            let runnable = engine == Engine::Native || claim.request.demo().spec().python.is_some();
            if runnable
                && !self.measured.contains_key(&(key, engine))
                && !missing.contains(&claim.request)
            {
                missing.push(claim.request.clone());
            }
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
                let Some(verdict) = self.verdict(claim, engine) else {
                    continue;
                };
                measured.push(Measured {
                    slide: claim.slide,
                    claim: claim.text.clone(),
                    engine: engine.name().to_string(),
                    verdict: if verdict.holds { "holds" } else { "differs" }.into(),
                    detail: verdict.detail,
                    simulated: self.simulated(claim, engine).is_some(),
                    value: Some(crate::claims::value_text(&verdict.value)),
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
        verdicts.measured.insert(
            (claim.run_key(), Engine::Native),
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
}

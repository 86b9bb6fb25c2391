//! What the report runs: the runs each claim needs in each column, repeated and interleaved so that the machine's drift over the
//! report spreads over every claim's runs instead of landing on one claim's.

use super::columns::Column;
use super::options::ReportOptions;
use crate::claims::{Claim, RunKey};
use crate::demo_runtime::RunRequest;

/// One distinct run: the claim's run key, the column (an index into the columns)
/// and the request.
pub type Planned = (RunKey, usize, RunRequest);

/// The runs to make, each once: one per distinct demo and parameters, in each column that
/// can run it.
#[must_use]
pub fn plan(claims: &[Claim], options: &ReportOptions, columns: &[Column]) -> Vec<Planned> {
    let mut plan: Vec<Planned> = Vec::new();
    for claim in claims {
        let key = claim.run_key();
        for (index, column) in columns.iter().enumerate() {
            if !column.can_run(claim.request.demo())
                || plan.iter().any(|(k, c, _)| *k == key && *c == index)
            {
                continue;
            }
            plan.push((key.clone(), index, request_for(claim, options.quick)));
        }
    }
    plan
}

/// The order to make `runs` rounds of `planned` runs in: round by round, so that two runs
/// of one demo are a whole round apart and a slow minute of the machine touches every claim
/// once rather than one claim every time. Each entry is (index into the plan, round).
#[must_use]
pub fn interleaved(planned: usize, runs: usize) -> Vec<(usize, usize)> {
    (0..runs)
        .flat_map(|round| (0..planned).map(move |item| (item, round)))
        .collect()
}

/// The claim's run; with `quick`, the claim's own parameters over the demo's quick ones (or
/// the claim's run as it is, when the two do not fit together).
fn request_for(claim: &Claim, quick: bool) -> RunRequest {
    if !quick {
        return claim.request.clone();
    }
    let demo = claim.request.demo();
    let quick = demo.spec().quick.iter().copied();
    let own = claim.explicit.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    RunRequest::from_pairs(demo, quick.chain(own)).unwrap_or_else(|_| claim.request.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::engine::Engine;
    use crate::demo_runtime::python::Python;

    #[test]
    fn rounds_interleave_so_no_run_follows_its_own_twin() {
        assert_eq!(
            interleaved(3, 2),
            vec![(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]
        );
        assert!(interleaved(4, 0).is_empty());
    }

    #[test]
    fn each_distinct_run_is_planned_once_per_column_that_can_run_it() {
        let (lesson, _) = crate::lesson::embedded().expect("the lecture loads");
        let (claims, _) = crate::claims::resolve(&lesson);
        let python = Column {
            engine: Engine::Python,
            python: Some(Python {
                program: "python3".into(),
                version: (3, 8, 18),
                free_threaded: false,
            }),
        };
        let options = ReportOptions::default();
        let native_only = plan(&claims, &options, &[Column::native()]);
        let both = plan(
            &claims,
            &options,
            &[Column::native(), python.clone(), python],
        );
        let distinct: std::collections::BTreeSet<RunKey> =
            claims.iter().map(Claim::run_key).collect();
        assert_eq!(native_only.len(), distinct.len());
        // Every demo of the lecture has a twin: each CPython column plans every run too.
        assert_eq!(both.len(), 3 * distinct.len());
    }
}

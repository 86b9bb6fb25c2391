//! The report's rows: each claim in each column, judged on every run that measured it.

use std::collections::BTreeMap;

use super::columns::Columns;
use super::measure::Measured;
use crate::claims::{Claim, Measurement, RunKey, Spread, judge_runs};
use crate::demo_runtime::engine::Engine;

/// Every run of one distinct run key in one column.
pub type RunsOf = BTreeMap<(RunKey, usize), Vec<Measured>>;

/// One claim in one column.
pub struct Row<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// An index into the columns.
    pub column: usize,
    /// Its verdict, or why there is none.
    pub outcome: Outcome,
    /// Runs that failed (their reasons), beside those judged.
    pub failed: Vec<String>,
}

/// What became of a claim in a column.
pub enum Outcome {
    /// Judged on the runs that reported its result.
    Judged(Spread),
    /// No run reported the result, every run failed, or the column cannot run the demo.
    NotMeasured(String),
}

/// Every claim in every column, in the claims' order.
#[must_use]
pub fn rows<'a>(claims: &'a [Claim], measured: &RunsOf, columns: &Columns) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for claim in claims {
        for (index, column) in columns.list.iter().enumerate() {
            let runs = measured
                .get(&(claim.run_key(), index))
                .map_or(&[][..], Vec::as_slice);
            let good: Vec<Measurement> = runs.iter().filter_map(|r| r.clone().ok()).collect();
            let failed: Vec<String> = runs.iter().filter_map(|r| r.clone().err()).collect();
            let outcome = match judge_runs(claim, &good) {
                Some(spread) => Outcome::Judged(spread),
                None if !good.is_empty() => Outcome::NotMeasured(format!(
                    "{} runs report no {}",
                    column.interpreter(),
                    claim.result
                )),
                None if !failed.is_empty() => Outcome::NotMeasured(failed[0].clone()),
                None if !claim.request.demo().native() && column.engine == Engine::Native => {
                    Outcome::NotMeasured("the lesson's own demo runs on CPython only".into())
                }
                None if !column.can_run(claim.request.demo()) => {
                    Outcome::NotMeasured(match (&column.python, &columns.why_not_python) {
                        (None, Some(why)) => why.clone(),
                        _ => "this demo has no CPython twin".into(),
                    })
                }
                None => Outcome::NotMeasured("not run".into()),
            };
            rows.push(Row {
                claim,
                column: index,
                outcome,
                failed,
            });
        }
    }
    rows
}

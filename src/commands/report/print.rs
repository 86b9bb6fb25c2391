//! The report as JSON lines (one object per claim and column, with every run's value) or as
//! a Markdown table (one column per engine and interpreter, each cell the median, the range
//! and in how many runs the claim held).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::columns::Columns;
use super::options::ReportOptions;
use super::rows::{Outcome, Row};
use crate::claims::{Judgement, spread};
use crate::lesson::Lesson;

/// One JSON object per row.
pub fn json(rows: &[Row<'_>], columns: &Columns) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for row in rows {
        writeln!(out, "{}", json_row(row, columns))?;
    }
    out.flush()
}

fn json_row(row: &Row<'_>, columns: &Columns) -> Value {
    let claim = row.claim;
    let column = &columns.list[row.column];
    let params: BTreeMap<&str, String> = claim
        .request
        .params()
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    let mut line = json!({
        "slide": claim.slide,
        "claim": claim.text,
        "demo": claim.request.name(),
        "params": params,
        "result": claim.result,
        "expect": claim.expect.to_string(),
        "unit": claim.unit,
        "engine": column.engine.name(),
        "interpreter": column.interpreter(),
        "failed_runs": row.failed.len(),
    });
    let to_value = |v| serde_json::to_value(v).unwrap_or_default();
    match &row.outcome {
        Outcome::Judged(s) => {
            line["runs"] = json!(s.runs());
            line["values"] = Value::Array(s.values.iter().map(to_value).collect());
            line["median"] = to_value(&s.median);
            line["min"] = to_value(&s.min);
            line["max"] = to_value(&s.max);
            line["holds_in"] = json!(s.holds_in);
            // The median, under the name one-run reports used.
            line["value"] = to_value(&s.median);
            line["verdict"] = json!(s.judgement.word());
            line["detail"] = json!(s.detail);
            line["simulated"] = json!(s.simulated);
        }
        Outcome::NotMeasured(why) => {
            line["runs"] = json!(0);
            line["values"] = json!([]);
            for key in ["median", "min", "max", "value", "simulated"] {
                line[key] = Value::Null;
            }
            line["holds_in"] = json!(0);
            line["verdict"] = json!("not measured");
            line["detail"] = json!(why);
        }
    }
    line
}

/// Per column: claims that hold, are at the edge, were judged, and hold on simulated runs.
#[derive(Default, Clone, Copy)]
struct Tally {
    holds: usize,
    edge: usize,
    judged: usize,
    on_simulated: usize,
}

/// The Markdown table, its footnotes and a tally per column.
pub fn markdown(
    lesson: &Lesson,
    rows: &[Row<'_>],
    options: &ReportOptions,
    columns: &Columns,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let title = &lesson.meta.title;
    writeln!(out, "# {title}: the claims, measured on this machine\n")?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let headers: Vec<String> = columns
        .list
        .iter()
        .map(super::columns::Column::interpreter)
        .collect();
    let runs = options.runs.max(1);
    let each = if runs > 1 {
        format!(
            " · each run made {runs} times, interleaved; a cell is the median (lowest–highest) \
             and in how many runs the claim held; **edge** when the runs disagree"
        )
    } else {
        " · one run each".into()
    };
    writeln!(
        out,
        "{cores} cores · lectern {}{each}{}\n",
        env!("CARGO_PKG_VERSION"),
        if options.quick {
            " · **quick runs** (each demo's quick parameters: not the lecture's numbers)"
        } else {
            ""
        }
    )?;
    writeln!(out, "| slide | claim | {} |", headers.join(" | "))?;
    writeln!(out, "|---:|---|{}", "---|".repeat(headers.len()))?;
    let mut tally = vec![Tally::default(); headers.len()];
    // Each distinct simulation note once, numbered, under the table.
    let mut footnotes: Vec<(String, String)> = Vec::new();
    for chunk in rows.chunks(headers.len()) {
        let claim = chunk[0].claim;
        let cells: Vec<String> = chunk
            .iter()
            .map(|row| {
                let count = &mut tally[row.column];
                let failed = match row.failed.len() {
                    0 => String::new(),
                    n => format!(" · {n} failed: {}", row.failed[0]),
                };
                match &row.outcome {
                    Outcome::Judged(s) => {
                        count.judged += 1;
                        count.holds += usize::from(s.judgement == Judgement::Holds);
                        count.edge += usize::from(s.judgement == Judgement::Edge);
                        let mark = s.simulated.as_ref().map_or_else(String::new, |note| {
                            count.on_simulated += usize::from(s.judgement == Judgement::Holds);
                            let who = format!("{} {}", headers[row.column], claim.request.name());
                            let n = footnotes
                                .iter()
                                .position(|f| f.0 == who && f.1 == *note)
                                .unwrap_or_else(|| {
                                    footnotes.push((who, note.clone()));
                                    footnotes.len() - 1
                                });
                            format!(" · *simulated [{}]*", n + 1)
                        });
                        // Several runs: "holds in 3 of 3" says it, and only a claim that
                        // does not hold gets a word of its own.
                        let verdict = match s.judgement {
                            Judgement::Holds if s.runs() > 1 => String::new(),
                            Judgement::Holds => " · holds".to_string(),
                            other => format!(" · **{other}**"),
                        };
                        format!(
                            "{}{verdict} ({}){mark}{failed}",
                            spread::describe(claim, s),
                            s.detail
                        )
                    }
                    Outcome::NotMeasured(why) => format!("not measured: {why}"),
                }
            })
            .collect();
        writeln!(
            out,
            "| {} | {} | {} |",
            claim.slide,
            claim.text.replace('|', "\\|"),
            cells.join(" | ").replace('\n', " ")
        )?;
    }
    writeln!(out)?;
    for (n, (who, note)) in footnotes.iter().enumerate() {
        writeln!(out, "[{}] {who} simulated: {note}\n", n + 1)?;
    }
    for (header, count) in headers.iter().zip(tally) {
        writeln!(out, "- {header}: {}.", summary(count))?;
    }
    out.flush()
}

/// `12 of 20 claims hold here, 2 at the edge (3 of them on simulated runs)`.
fn summary(count: Tally) -> String {
    let judged = crate::demo_runtime::view::count(
        u64::try_from(count.judged).unwrap_or(0),
        "claim holds",
        "claims hold",
    );
    let edge = match count.edge {
        0 => String::new(),
        n => format!(", {n} at the edge"),
    };
    let simulated = match count.on_simulated {
        0 => String::new(),
        n => format!(" ({n} of them on simulated runs)"),
    };
    format!("{} of {judged} here{edge}{simulated}", count.holds)
}

//! `lectern report`: runs every demo the lesson's claims need — on the native engine and on
//! each CPython given, several times, interleaved — and prints one row per claim and column
//! with every run's value, their median and range, in how many runs the claim held and the
//! verdict: Markdown for course notes, or JSON lines for scripts.

mod columns;
mod measure;
mod options;
mod print;
mod rows;
mod schedule;

pub use options::{DEFAULT_RUNS, ReportOptions, default_python, engines_from};

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::mpsc::channel;

use crate::claims::resolve;
use crate::input::listen_for_signals;
use crate::lesson::Lesson;
use crate::process::signal_name;
use measure::{Incoming, Progress, measure};
use rows::{RunsOf, rows};
use schedule::{interleaved, plan};

/// Runs and prints the report for `lesson`. Exit status 0 when every run completed (whatever
/// the verdicts), 1 when a run failed, 2 for bad input, 128+N after signal N.
#[must_use]
pub fn run(lesson: &Lesson, name: &str, options: &ReportOptions) -> ExitCode {
    let (claims, problems) = resolve(lesson);
    if !problems.is_empty() {
        eprintln!("{}", crate::lesson::report(name, &problems));
        return ExitCode::from(2);
    }
    if claims.is_empty() {
        eprintln!("lectern report: {name} states no claims (`<!-- claim: ... -->`)");
        return ExitCode::from(2);
    }
    let columns = match columns::find(options) {
        Ok(columns) => columns,
        Err(message) => {
            eprintln!("lectern report: {message}");
            return ExitCode::from(2);
        }
    };
    let planned = plan(&claims, options, &columns.list);
    let order = interleaved(planned.len(), options.runs.max(1));
    let (tx, rx) = channel::<Incoming>();
    let signals = match listen_for_signals(tx.clone()) {
        Ok(signals) => signals,
        Err(err) => {
            eprintln!("lectern report: cannot listen for signals: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut measured = RunsOf::new();
    let progress = Progress::new(order.len());
    for (i, &(item, round)) in order.iter().enumerate() {
        let (key, column, request) = &planned[item];
        let at = &columns.list[*column];
        progress.show(
            i,
            request.name(),
            &at.interpreter(),
            (round, options.runs.max(1)),
        );
        let launch = at.launch(&columns.twins);
        match measure(request, &launch, (i, &tx, &rx)) {
            Ok(result) => measured
                .entry((key.clone(), *column))
                .or_default()
                .push(result),
            Err(signal) => {
                progress.done();
                signals.close();
                // The terminal may be gone (SIGHUP): a failed write must not panic.
                let _ = writeln!(
                    io::stderr(),
                    "lectern report: stopped by {}; every process of the demo was killed",
                    signal_name(signal)
                );
                return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
            }
        }
    }
    progress.done();
    signals.close();
    let rows = rows(&claims, &measured, &columns);
    let printed = if options.json {
        print::json(&rows, &columns)
    } else {
        print::markdown(lesson, &rows, options, &columns)
    };
    let failed = measured.values().flatten().any(Result::is_err);
    match printed {
        Err(_) => ExitCode::FAILURE,
        Ok(()) if failed => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
    }
}

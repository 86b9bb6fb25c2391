//! `lectern report`: runs every demo the lesson's claims need, on each engine, and prints one
//! row per claim with what was measured here and the verdict — Markdown for course notes, or
//! JSON lines for scripts.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::json;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::claims::{Claim, Measurement, RunKey, Verdict, resolve};
use crate::demo_runtime::engine::{Engine, EngineChoice};
use crate::demo_runtime::launch::Engines;
use crate::demo_runtime::protocol::{Event, NoteLevel};
use crate::demo_runtime::python;
use crate::demo_runtime::runner::{self, Report};
use crate::demo_runtime::{Demo, RunRequest};
use crate::input::{FromInput, Input, listen_for_signals};
use crate::lesson::Lesson;
use crate::process::signal_name;

/// What `lectern report` was asked.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Engines to measure on.
    pub engines: Vec<Engine>,
    /// The CPython to use.
    pub python: std::ffi::OsString,
    /// JSON lines instead of Markdown.
    pub json: bool,
    /// Each demo's quick parameters under the claim's own: fast, but not the lecture's runs.
    pub quick: bool,
}

/// What one run measured, or why it measured nothing.
type Measured = Result<Measurement, String>;

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
    let engines = match Engines::prepare(EngineChoice::Auto, &options.python, crate::demos::TWINS) {
        Ok(engines) => engines,
        Err(message) => {
            eprintln!("lectern report: {message}");
            return ExitCode::from(2);
        }
    };
    if options.engines == [Engine::Python] && engines.python.is_none() {
        eprintln!(
            "lectern report: --engine python, but {}",
            engines
                .why_not_python
                .as_deref()
                .unwrap_or("no CPython was found")
        );
        return ExitCode::from(2);
    }
    let plan = plan(&claims, options, &engines);
    let (tx, rx) = channel::<Incoming>();
    let signals = match listen_for_signals(tx.clone()) {
        Ok(signals) => signals,
        Err(err) => {
            eprintln!("lectern report: cannot listen for signals: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut measured: BTreeMap<(RunKey, Engine), Measured> = BTreeMap::new();
    let progress = Progress::new(plan.len());
    for (i, (key, engine, request)) in plan.iter().enumerate() {
        progress.show(i, request.name(), *engine);
        match measure(request, &engines, *engine, (i, &tx, &rx)) {
            Ok(result) => {
                measured.insert((key.clone(), *engine), result);
            }
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
    let rows = rows(&claims, options, &measured, &engines);
    let printed = if options.json {
        print_json(&rows)
    } else {
        print_markdown(lesson, &rows, options, &engines)
    };
    let failed = measured.values().any(Result::is_err);
    match printed {
        Err(_) => ExitCode::FAILURE,
        Ok(()) if failed => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
    }
}

/// The runs to make: one per distinct demo and parameters, on each engine that can run it.
fn plan(
    claims: &[Claim],
    options: &ReportOptions,
    engines: &Engines,
) -> Vec<(RunKey, Engine, RunRequest)> {
    let mut plan: Vec<(RunKey, Engine, RunRequest)> = Vec::new();
    for claim in claims {
        let key = claim.run_key();
        for &engine in &options.engines {
            if !can_run(claim.request.demo(), engine, engines)
                || plan.iter().any(|(k, e, ..)| *k == key && *e == engine)
            {
                continue;
            }
            plan.push((key.clone(), engine, request_for(claim, options)));
        }
    }
    plan
}

fn can_run(demo: &dyn Demo, engine: Engine, engines: &Engines) -> bool {
    engine == Engine::Native || (engines.python.is_some() && demo.spec().python.is_some())
}

/// The claim's run; with `--quick`, the claim's own parameters over the demo's quick ones
/// (or the claim's run as it is, when the two do not fit together).
fn request_for(claim: &Claim, options: &ReportOptions) -> RunRequest {
    if !options.quick {
        return claim.request.clone();
    }
    let demo = claim.request.demo();
    let quick = demo.spec().quick.iter().copied();
    let own = claim.explicit.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    RunRequest::from_pairs(demo, quick.chain(own)).unwrap_or_else(|_| claim.request.clone())
}

/// What the report waits for: a signal that stops it, or a report from the run numbered
/// so (a run killed by a signal could still be reporting when the next would begin).
enum Incoming {
    Stop(i32),
    Report(usize, Report),
}

impl FromInput for Incoming {
    fn from_input(input: Input) -> Option<Self> {
        match input {
            Input::Signal(signal) => Some(Self::Stop(signal)),
            _ => None,
        }
    }
}

/// Runs one demo to its end; `Err(signal)` if a signal stopped the report.
fn measure(
    request: &RunRequest,
    engines: &Engines,
    engine: Engine,
    (run, tx, rx): (usize, &Sender<Incoming>, &Receiver<Incoming>),
) -> Result<Measured, i32> {
    let tx = tx.clone();
    let report = Arc::new(move |report| tx.send(Incoming::Report(run, report)).is_ok());
    let launch = engines.launch(request.demo(), engine);
    let handle = match runner::start(request, &launch, report) {
        Ok(handle) => handle,
        Err(err) => return Ok(Err(format!("cannot start: {err}"))),
    };
    let mut results = BTreeMap::new();
    let mut simulated = None;
    let mut error = None;
    loop {
        let report = match rx.recv() {
            Ok(Incoming::Stop(signal)) => {
                handle.kill();
                return Err(signal);
            }
            Ok(Incoming::Report(from, report)) if from == run => report,
            Ok(Incoming::Report(..)) => continue,
            Err(_) => return Ok(Err("the run's reports stopped".into())),
        };
        match report {
            Report::Event(Event::Result { name, value }) => {
                results.insert(name, value);
            }
            Report::Event(Event::Summary { results: all, .. }) => results.extend(all),
            Report::Event(Event::Error { message }) => error = Some(message),
            Report::Event(Event::Note {
                level: NoteLevel::Simulated,
                message,
            }) => {
                simulated.get_or_insert(message);
            }
            Report::Event(_) => {}
            Report::Exited(exit) => {
                return Ok(match error {
                    Some(message) => Err(message),
                    None if results.is_empty() => Err(format!("no results ({})", exit.describe())),
                    None => Ok(Measurement { results, simulated }),
                });
            }
        }
    }
}

/// One claim on one engine.
struct Row<'a> {
    claim: &'a Claim,
    engine: Engine,
    outcome: Outcome,
}

/// What became of a claim on an engine.
enum Outcome {
    /// The verdict, and what the run simulated if it simulated anything.
    Judged(Verdict, Option<String>),
    /// The run failed, did not report the result, or the engine cannot run the demo.
    NotMeasured(String),
}

fn rows<'a>(
    claims: &'a [Claim],
    options: &ReportOptions,
    measured: &BTreeMap<(RunKey, Engine), Measured>,
    engines: &Engines,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for claim in claims {
        for &engine in &options.engines {
            let outcome = match measured.get(&(claim.run_key(), engine)) {
                Some(Ok(run)) => match claim.judge(&run.results) {
                    Some(verdict) => Outcome::Judged(verdict, run.simulated.clone()),
                    None => Outcome::NotMeasured(format!("the run reported no {}", claim.result)),
                },
                Some(Err(why)) => Outcome::NotMeasured(why.clone()),
                None if !can_run(claim.request.demo(), engine, engines) => Outcome::NotMeasured(
                    engines
                        .why_not_python
                        .clone()
                        .unwrap_or_else(|| "this demo has no CPython twin".into()),
                ),
                None => Outcome::NotMeasured("not run".into()),
            };
            rows.push(Row {
                claim,
                engine,
                outcome,
            });
        }
    }
    rows
}

fn print_json(rows: &[Row<'_>]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for row in rows {
        let claim = row.claim;
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
            "engine": row.engine.name(),
        });
        match &row.outcome {
            Outcome::Judged(v, simulated) => {
                line["value"] = serde_json::to_value(v.value).unwrap_or_default();
                line["verdict"] = json!(if v.holds { "holds" } else { "differs" });
                line["detail"] = json!(v.detail);
                line["simulated"] = json!(simulated);
            }
            Outcome::NotMeasured(why) => {
                line["value"] = serde_json::Value::Null;
                line["verdict"] = json!("not measured");
                line["detail"] = json!(why);
                line["simulated"] = serde_json::Value::Null;
            }
        }
        writeln!(out, "{line}")?;
    }
    out.flush()
}

fn print_markdown(
    lesson: &Lesson,
    rows: &[Row<'_>],
    options: &ReportOptions,
    engines: &Engines,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let title = &lesson.meta.title;
    writeln!(out, "# {title}: the claims, measured on this machine\n")?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let python = engines
        .python
        .as_ref()
        .map_or_else(|| "no CPython".to_string(), |(p, _)| p.describe());
    writeln!(
        out,
        "{cores} cores · lectern {} · {python}{}\n",
        env!("CARGO_PKG_VERSION"),
        if options.quick {
            " · **quick runs** (each demo's quick parameters: not the lecture's numbers)"
        } else {
            ""
        }
    )?;
    let headers: Vec<&str> = options
        .engines
        .iter()
        .map(|e| match e {
            Engine::Native => "native",
            Engine::Python => "CPython",
        })
        .collect();
    writeln!(out, "| slide | claim | {} |", headers.join(" | "))?;
    writeln!(out, "|---:|---|{}", "---|".repeat(headers.len()))?;
    // Per engine: claims that hold, claims judged, and claims that hold on a simulated run.
    let mut held = vec![(0, 0, 0); options.engines.len()];
    // Each distinct simulation note once, numbered, under the table.
    let mut footnotes: Vec<(String, String)> = Vec::new();
    for chunk in rows.chunks(options.engines.len()) {
        let claim = chunk[0].claim;
        let cells: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, row)| match &row.outcome {
                Outcome::Judged(v, simulated) => {
                    held[i].1 += 1;
                    if v.holds {
                        held[i].0 += 1;
                        held[i].2 += usize::from(simulated.is_some());
                    }
                    let verdict = if v.holds { "holds" } else { "**differs**" };
                    let mark = simulated.as_ref().map_or_else(String::new, |note| {
                        let who = format!("{} {}", headers[i], claim.request.name());
                        let n = footnotes
                            .iter()
                            .position(|f| f.0 == who && f.1 == *note)
                            .unwrap_or_else(|| {
                                footnotes.push((who, note.clone()));
                                footnotes.len() - 1
                            });
                        format!(" · *simulated [{}]*", n + 1)
                    });
                    format!("{} · {verdict} ({}){mark}", claim.show(&v.value), v.detail)
                }
                Outcome::NotMeasured(why) => format!("not measured: {why}"),
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
    for (engine, (holds, judged, on_simulated)) in headers.iter().zip(held) {
        let simulated = match on_simulated {
            0 => String::new(),
            n => format!(" ({n} of them on simulated runs)"),
        };
        writeln!(
            out,
            "- {engine}: {holds} of {} here{simulated}.",
            crate::demo_runtime::view::count(
                u64::try_from(judged).unwrap_or(0),
                "claim holds",
                "claims hold"
            )
        )?;
    }
    out.flush()
}

/// A progress line on stderr: redrawn in place on a terminal, one line per run otherwise.
struct Progress {
    total: usize,
    tty: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            total,
            tty: io::stderr().is_terminal(),
        }
    }

    fn show(&self, done: usize, demo: &str, engine: Engine) {
        const WIDTH: usize = 24;
        let filled = WIDTH * done / self.total.max(1);
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(WIDTH - filled));
        let line = format!("{bar} {}/{} {demo} ({engine})", done + 1, self.total);
        if self.tty {
            eprint!("\r\x1b[2K{line}");
        } else {
            eprintln!("{line}");
        }
    }

    fn done(&self) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The engines `--engine` names: `both` is every engine.
#[must_use]
pub fn engines_from(choice: &str) -> Option<Vec<Engine>> {
    match choice {
        "both" => Some(vec![Engine::Native, Engine::Python]),
        "native" => Some(vec![Engine::Native]),
        "python" => Some(vec![Engine::Python]),
        _ => None,
    }
}

/// The CPython `--python` (or `LECTERN_PYTHON`, or `python3`) names.
#[must_use]
pub fn python(explicit: Option<&std::ffi::OsString>) -> std::ffi::OsString {
    python::python_program(explicit)
}

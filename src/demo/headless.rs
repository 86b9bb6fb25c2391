//! `lectern demos` and `lectern demo NAME`: demos without the terminal UI.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use crossbeam_channel::unbounded;

use super::ALL;
use super::protocol::{Event, NoteLevel, ResultValue};
use super::registry::{DemoSpec, Kind, find, split_set};
use super::runner;
use crate::msg::Msg;
use crate::run::listen_for_signals;
use crate::sampler::{ExitInfo, signal_name};

/// Prints every demo with its slides, summary and parameters.
#[must_use]
pub fn list() -> ExitCode {
    let mut out = io::stdout().lock();
    for (i, demo) in ALL.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "{} — {}", demo.name, demo.title);
        let slides: Vec<String> = demo.slides.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "  slides {}. {}", slides.join(", "), demo.summary);
        for param in demo.params {
            let range = match param.kind {
                Kind::Int { min, max } => format!("{min}–{max}"),
                Kind::Bool => "true/false".into(),
                Kind::Choice(words) => words.join("/"),
            };
            let unit = if param.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", param.unit)
            };
            let _ = writeln!(
                out,
                "  {:<12} default {}{unit} ({range}): {}",
                param.name,
                param.default_value(),
                param.meaning
            );
        }
    }
    let _ = writeln!(
        out,
        "\nRun one: lectern demo NAME [--set key=value]... [--json]"
    );
    ExitCode::SUCCESS
}

/// Runs demo `name` with `sets`, printing progress and a results table (or protocol lines
/// with `json`). Bad names or parameters exit 2 with the valid choices.
#[must_use]
pub fn run(name: &str, sets: &[String], json: bool) -> ExitCode {
    let validated = find(name).and_then(|spec| {
        let pairs = sets
            .iter()
            .map(|s| split_set(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((spec, spec.params_from(pairs)?))
    });
    let (spec, params) = match validated {
        Ok(ok) => ok,
        Err(err) => {
            eprintln!("lectern demo: {err}");
            return ExitCode::from(2);
        }
    };
    let (tx, rx) = unbounded();
    let signals = match listen_for_signals(tx.clone()) {
        Ok(signals) => signals,
        Err(err) => {
            eprintln!("lectern demo: cannot listen for signals: {err}");
            return ExitCode::FAILURE;
        }
    };
    let handle = match runner::start(1, spec.name, &params, tx) {
        Ok(handle) => handle,
        Err(err) => {
            eprintln!("lectern demo: cannot start the demo: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut printer = Printer {
        json,
        spec,
        results: BTreeMap::new(),
        failed: false,
    };
    let code = loop {
        match rx.recv() {
            Ok(Msg::Demo { event, .. }) => {
                if printer.print(&event).is_err() {
                    handle.kill();
                }
            }
            Ok(Msg::DemoExited { exit, .. }) => break printer.finish(exit),
            Ok(Msg::Signal(signal)) => {
                handle.kill();
                eprintln!(
                    "lectern demo: stopped by {}; every process of the demo was killed",
                    signal_name(signal)
                );
                break u8::try_from(128 + signal).unwrap_or(1);
            }
            Ok(_) => {}
            Err(_) => break 1,
        }
    };
    signals.close();
    ExitCode::from(code)
}

struct Printer {
    json: bool,
    spec: &'static DemoSpec,
    results: BTreeMap<String, ResultValue>,
    failed: bool,
}

impl Printer {
    fn print(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::Summary { results, .. } => self.results.clone_from(results),
            Event::Error { .. } => self.failed = true,
            _ => {}
        }
        let mut out = io::stdout().lock();
        if self.json {
            out.write_all(event.to_line().as_bytes())?;
            return out.flush();
        }
        match event {
            Event::Hello { params, .. } => {
                let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                writeln!(out, "{} ({})", self.spec.title, params.join(" "))?;
            }
            Event::Progress { message, .. } => writeln!(out, "  … {message}")?,
            Event::Measure {
                name,
                value,
                unit,
                role,
            } => {
                writeln!(
                    out,
                    "    {}{name} = {value:.2} {unit}",
                    role.as_ref().map(|r| format!("{r}: ")).unwrap_or_default()
                )?;
            }
            Event::Note { level, message } => {
                let tag = match level {
                    NoteLevel::Info => "note",
                    NoteLevel::Warn => "warning",
                    NoteLevel::Simulated => "simulated",
                };
                writeln!(out, "  [{tag}] {message}")?;
            }
            Event::Exit {
                pid,
                role,
                code,
                signal,
            } => {
                let how = match (code, signal) {
                    (Some(code), _) => format!("exit {code}"),
                    (None, Some(signal)) => format!("killed by {}", signal_name(*signal)),
                    _ => "exited".into(),
                };
                writeln!(out, "    {role} ({pid}) ended: {how}")?;
            }
            Event::Error { message } => writeln!(out, "  error: {message}")?,
            Event::Lane { role, states, .. } => writeln!(out, "    {role:<10} {states}")?,
            Event::Summary { .. } | Event::Process { .. } | Event::Result { .. } => {}
        }
        out.flush()
    }

    fn finish(&self, exit: ExitInfo) -> u8 {
        if !self.json && !self.results.is_empty() {
            let mut out = io::stdout().lock();
            let width = self.results.keys().map(String::len).max().unwrap_or(0);
            let _ = writeln!(out, "\nResults");
            for (name, value) in &self.results {
                let _ = writeln!(out, "  {name:<width$}  {value}");
            }
        }
        match exit {
            ExitInfo::Code(0) if !self.failed && !self.results.is_empty() => 0,
            ExitInfo::Code(code) if code != 0 => u8::try_from(code).unwrap_or(1),
            _ => 1,
        }
    }
}

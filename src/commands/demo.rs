//! `lectern demos` and `lectern demo NAME`: demos without the lecture view. The readable
//! output ends with the demo's views drawn by the same widgets as the panel, then every result.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use std::sync::mpsc::channel;

use crate::cli::EngineArgs;
use crate::demo_runtime::Demo;
use crate::demo_runtime::engine::{Engine, EngineChoice};
use crate::demo_runtime::launch::Engines;
use crate::demo_runtime::launch::Launch;
use crate::demo_runtime::params::Kind;
use crate::demo_runtime::protocol::{Event, NoteLevel, ResultValue};
use crate::demo_runtime::python;
use crate::demo_runtime::request::{RunRequest, split_set};
use crate::demo_runtime::runner::{self, Report};
use crate::demo_runtime::view::Views;
use crate::demos::{ALL, find};
use crate::input::{FromInput, Input, listen_for_signals};
use crate::lesson::Lesson;
use crate::process::{ExitInfo, signal_name};
use crate::theme::{Theme, ThemeName};
use crate::ui::views;

/// Width the final views are drawn at when stdout is not a terminal.
const PRINT_WIDTH: usize = 100;

/// Prints every demo — `lesson`'s own first — with its summary, parameters and where the
/// built-in lecture uses it.
#[must_use]
pub fn list(lesson: Option<&Lesson>) -> ExitCode {
    let uses = built_in_uses();
    let mut out = io::stdout().lock();
    let own: Vec<&'static dyn Demo> = lesson.map_or_else(Vec::new, |lesson| {
        lesson
            .meta
            .demos
            .iter()
            .filter_map(|d| crate::demos::local::find(lesson, d.name.get_ref()))
            .collect()
    });
    for (i, demo) in own.iter().chain(ALL).enumerate() {
        let spec = demo.spec();
        if i > 0 {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "{} — {}", spec.name, spec.title);
        let _ = writeln!(out, "  {}", spec.summary);
        if let Some(script) = demo.script() {
            let _ = writeln!(
                out,
                "  the lesson's own demo, on CPython only: {}",
                script.display()
            );
        }
        if let Some(slides) = uses.get(spec.name).filter(|_| demo.native()) {
            let which = if slides.len() == 1 { "slide" } else { "slides" };
            let _ = writeln!(out, "  Lecture 25 runs it on {which} {}", slides.join(", "));
        }
        let engines: Vec<&str> = demo.engines().iter().map(|e| e.name()).collect();
        let _ = writeln!(out, "  engines: {}", engines.join(", "));
        for param in spec.params {
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
            let default = match param.default {
                crate::demo_runtime::params::Default::SameAs(other) => format!("same as {other}"),
                _ => param.default_value().to_string(),
            };
            let only = match (
                demo.honours(Engine::Native, param.name),
                demo.honours(Engine::Python, param.name),
            ) {
                (true, false) => " [native only]",
                (false, true) => " [CPython only]",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  {:<13} default {default}{unit} ({range}){only}: {}",
                param.name, param.meaning
            );
        }
    }
    let _ = writeln!(
        out,
        "\nRun one: lectern demo NAME [--set key=value]... [--engine native|python|auto] [--json]"
    );
    ExitCode::SUCCESS
}

/// Which slides of the built-in lecture run each demo (from its directives).
fn built_in_uses() -> BTreeMap<String, Vec<String>> {
    let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Ok((lesson, _)) = crate::lesson::embedded() {
        for (i, slide) in lesson.slides.iter().enumerate() {
            for directive in &slide.demos {
                let slides = uses.entry(directive.name.clone()).or_default();
                let number = (i + 1).to_string();
                if !slides.contains(&number) {
                    slides.push(number);
                }
            }
        }
    }
    uses
}

/// How to start `demo` with the engine the options ask for; `auto` falls back to native
/// (saying why on stderr) when no CPython will do.
///
/// # Errors
/// A sentence for the user when `--engine python` cannot be honoured.
pub fn launch_for(demo: &dyn Demo, args: &EngineArgs) -> Result<Launch, String> {
    if args.python.len() > 1 {
        return Err(
            "`lectern demo` runs one demo on one interpreter: give --python once (`lectern \
             report` compares interpreters)"
                .into(),
        );
    }
    let program = python::python_program(args.python.first());
    let engines = Engines::prepare(args.engine, &program, crate::demos::TWINS)?;
    if let Some(why) = &engines.why_not_python {
        eprintln!("lectern: {why}");
    }
    if !demo.native() && args.engine == EngineChoice::Native {
        return Err(format!(
            "demo `{}` is the lesson's own and runs on CPython only: leave out --engine native",
            demo.spec().name
        ));
    }
    if args.engine == EngineChoice::Python && demo.spec().python.is_none() {
        return Err(format!(
            "demo `{}` has no CPython twin; run it with --engine native",
            demo.spec().name
        ));
    }
    Ok(engines.launch(demo, engines.default))
}

/// What the headless loop hears.
enum Msg {
    Report(Report),
    Signal(i32),
}

impl FromInput for Msg {
    fn from_input(input: Input) -> Option<Self> {
        match input {
            Input::Signal(signal) => Some(Self::Signal(signal)),
            _ => None,
        }
    }
}

/// Runs demo `name` with `sets`, printing progress, its views and a results table (or the
/// protocol lines with `json`). Bad names or parameters exit 2 with the valid choices.
#[must_use]
pub fn run(
    name: &str,
    lesson: Option<&Lesson>,
    sets: &[String],
    (json, quick): (bool, bool),
    engine: &EngineArgs,
) -> ExitCode {
    let found = match lesson {
        Some(lesson) => crate::demos::find_in(lesson, name),
        None => find(name),
    };
    let validated = found.and_then(|demo| {
        let given = sets
            .iter()
            .map(|s| split_set(s))
            .collect::<Result<Vec<_>, _>>()?;
        let quick = if quick { demo.spec().quick } else { &[] };
        let pairs = quick.iter().copied().chain(given);
        RunRequest::from_pairs(demo, pairs)
    });
    let request = match validated {
        Ok(ok) => ok,
        Err(err) => {
            eprintln!("lectern demo: {err}");
            return ExitCode::from(2);
        }
    };
    let demo = request.demo();
    let launch = match launch_for(demo, engine) {
        Ok(launch) => launch,
        Err(message) => {
            eprintln!("lectern demo: {message}");
            return ExitCode::from(2);
        }
    };
    let (tx, rx) = channel();
    let signals = match listen_for_signals(tx.clone()) {
        Ok(signals) => signals,
        Err(err) => {
            eprintln!("lectern demo: cannot listen for signals: {err}");
            return ExitCode::FAILURE;
        }
    };
    let report = Arc::new(move |report| tx.send(Msg::Report(report)).is_ok());
    let handle = match runner::start(&request, &launch, report) {
        Ok(handle) => handle,
        // Parameters the machine cannot afford are bad input, like a value out of range.
        Err(err) if err.kind() == io::ErrorKind::InvalidInput => {
            eprintln!("lectern demo: {err}");
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("lectern demo: cannot start the demo: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut printer = Printer {
        json,
        demo,
        results: BTreeMap::new(),
        views: Views::default(),
        last_progress: String::new(),
        failed: false,
    };
    // Parameters set on the command line that this engine leaves aside: said, not ignored.
    // (The lecture does not announce them: a lesson sets both engines' parameters on purpose.)
    for message in request.unhonoured(launch.engine()) {
        if printer
            .print(Event::Note {
                level: NoteLevel::Info,
                message,
            })
            .is_err()
        {
            handle.kill();
        }
    }
    let code = loop {
        match rx.recv() {
            Ok(Msg::Report(Report::Event(event))) => {
                if printer.print(event).is_err() {
                    handle.kill();
                }
            }
            Ok(Msg::Report(Report::Exited(exit))) => break printer.finish(exit),
            Ok(Msg::Signal(signal)) => {
                handle.kill();
                // The terminal may be gone (SIGHUP): a failed write must not panic.
                let _ = writeln!(
                    io::stderr(),
                    "lectern demo: stopped by {}; every process of the demo was killed",
                    signal_name(signal)
                );
                break u8::try_from(128 + signal).unwrap_or(1);
            }
            Err(_) => break 1,
        }
    };
    signals.close();
    ExitCode::from(code)
}

struct Printer {
    json: bool,
    demo: &'static dyn Demo,
    results: BTreeMap<String, ResultValue>,
    views: Views,
    last_progress: String,
    failed: bool,
}

impl Printer {
    fn print(&mut self, event: Event) -> io::Result<()> {
        let mut out = io::stdout().lock();
        if self.json {
            out.write_all(event.to_line().as_bytes())?;
        }
        match event {
            Event::Summary { results, .. } => self.results.extend(results),
            Event::Result { name, value } => {
                self.results.insert(name, value);
            }
            Event::Error { message } => {
                self.failed = true;
                if !self.json {
                    writeln!(out, "  error: {message}")?;
                }
            }
            Event::View { id, view } => self.views.apply(id, view),
            _ if self.json => {}
            Event::Hello {
                params,
                engine,
                engine_detail,
                ..
            } => {
                let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                writeln!(out, "{} ({})", self.demo.spec().title, params.join(" "))?;
                writeln!(out, "  engine: {engine} — {engine_detail}")?;
            }
            Event::Progress { message, .. } => {
                if message != self.last_progress {
                    writeln!(out, "  … {message}")?;
                    self.last_progress = message;
                }
            }
            Event::Note { level, message } => {
                let tag = match level {
                    NoteLevel::Info => "note",
                    NoteLevel::Warn => "warning",
                    NoteLevel::Simulated => "SIMULATED",
                    NoteLevel::Differs => "≠ slide",
                };
                writeln!(out, "  [{tag}] {message}")?;
            }
            Event::Exit {
                pid,
                role,
                code,
                signal,
                lived_ms,
            } => {
                let how = match (code, signal) {
                    (Some(code), _) => format!("exit {code}"),
                    (None, Some(signal)) => format!("killed by {}", signal_name(signal)),
                    _ => "exited".into(),
                };
                let lived = lived_ms
                    .map(|ms| format!(" after {}", crate::demo_runtime::view::duration_ms(ms)))
                    .unwrap_or_default();
                writeln!(out, "    {role} ({pid}) ended: {how}{lived}")?;
            }
            Event::Process { .. } | Event::Measure { .. } => {}
        }
        out.flush()
    }

    fn finish(&self, exit: ExitInfo) -> u8 {
        if !self.json {
            let mut out = io::stdout().lock();
            let _ = self.print_views(&mut out);
            if !self.results.is_empty() {
                let width = self.results.keys().map(String::len).max().unwrap_or(0);
                let _ = writeln!(out, "\nResults");
                for (name, value) in &self.results {
                    let _ = writeln!(out, "  {name:<width$}  {value}");
                }
            }
        }
        match exit {
            ExitInfo::Code(0) if !self.failed && !self.results.is_empty() => 0,
            ExitInfo::Code(code) if code != 0 => u8::try_from(code).unwrap_or(1),
            _ => 1,
        }
    }

    /// The final views, drawn as the panel draws them, without colour.
    fn print_views(&self, out: &mut impl Write) -> io::Result<()> {
        let width = terminal_width().unwrap_or(PRINT_WIDTH).clamp(40, 120) - 2;
        let theme = Theme::new(ThemeName::Dark, true);
        // The headline last, right above the results, where a reader's eye lands.
        let (headline, others): (Vec<_>, Vec<_>) =
            self.views.iter().partition(|(id, _)| *id == "headline");
        for (_, view) in others.into_iter().chain(headline) {
            writeln!(out)?;
            for line in views::lines(view, width, &theme) {
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                writeln!(out, "  {}", text.trim_end())?;
            }
        }
        Ok(())
    }
}

/// The terminal's width, when stdout is one.
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

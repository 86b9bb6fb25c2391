//! A lesson's own demos: each `[[demo]]` of a lesson's front matter becomes a demo unit like the
//! built-in ones — spec, typed parameters, checked requests, claims on its results — whose
//! run is its Python script, on CPython only, under the same supervision as a twin (the
//! runtime starts it through the twins' launcher, which makes `lectern_protocol` importable).
//!
//! Units are `&'static` (requests, claims and runs hold them for the whole session), so a
//! declaration is made into a unit once and kept: the same declaration of the same script,
//! read again (a live reload), finds the unit it made before.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{
    DEFAULT_CAP, Default as ParamDefault, Kind, ParamSpec, Params, cap_param,
};
use crate::demo_runtime::twins::LESSON_DEMO_LAUNCHER;
use crate::demo_runtime::unit::{Demo, DemoError, DemoSpec};
use crate::lesson::demo_decl::{DemoDecl, ParamKind, Value};
use crate::lesson::{Diagnostic, Lesson, Pos};

/// A lesson's own demo, made from its declaration.
#[derive(Debug)]
pub struct LocalDemo {
    spec: DemoSpec,
    script: PathBuf,
    estimate: Duration,
    memory: u64,
}

impl Demo for LocalDemo {
    fn spec(&self) -> &DemoSpec {
        &self.spec
    }

    fn check(&self, _params: &Params) -> Result<(), DemoError> {
        Ok(())
    }

    fn run(&self, _ctx: &mut Ctx) -> io::Result<()> {
        Err(io::Error::other(format!(
            "demo `{}` is the lesson's own and runs on CPython only",
            self.spec.name
        )))
    }

    fn child(&self, _job: &str) -> ExitCode {
        ExitCode::FAILURE
    }

    fn memory_needed(&self, _params: &Params) -> u64 {
        self.memory
    }

    fn estimate(&self, _params: &Params) -> Duration {
        self.estimate
    }

    fn script(&self) -> Option<&Path> {
        Some(&self.script)
    }

    fn native(&self) -> bool {
        false
    }
}

/// The units made so far, by declaration and script.
fn made() -> &'static Mutex<HashMap<(String, PathBuf), &'static LocalDemo>> {
    static MADE: OnceLock<Mutex<HashMap<(String, PathBuf), &'static LocalDemo>>> = OnceLock::new();
    MADE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Where `decl`'s script is for a lesson in `base` (the current directory for none).
#[must_use]
pub fn script_path(decl: &DemoDecl, base: Option<&Path>) -> PathBuf {
    let script = Path::new(decl.script.get_ref());
    let joined = base.map_or_else(|| script.to_path_buf(), |base| base.join(script));
    std::path::absolute(&joined).unwrap_or(joined)
}

/// The lesson's own demo named `name`, if it declares one (made once, then found again).
#[must_use]
pub fn find(lesson: &Lesson, name: &str) -> Option<&'static dyn Demo> {
    let decl = lesson
        .meta
        .demos
        .iter()
        .find(|d| d.name.get_ref() == name)?;
    let script = script_path(decl, lesson.base.as_deref());
    // What the unit is made of — not where the declaration sits in the file, which an edit
    // above it moves.
    let key = (
        format!(
            "{:?}",
            (
                decl.name.get_ref(),
                &decl.title,
                &decl.summary,
                &decl.results,
                &decl.params,
                decl.seconds,
                decl.memory_mib,
            )
        ),
        script.clone(),
    );
    let mut made = made().lock().ok()?;
    let unit: &'static LocalDemo = made
        .entry(key)
        .or_insert_with(|| Box::leak(Box::new(unit(decl, script))));
    Some(unit)
}

/// What a lesson's own demos get wrong that only the file system or the built-in catalog
/// can tell: a script that is not there, a name a built-in demo already has.
#[must_use]
pub fn check(lesson: &Lesson) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for decl in &lesson.meta.demos {
        let name = decl.name.get_ref();
        if super::ALL.iter().any(|d| d.spec().name == name) {
            problems.push(Diagnostic::error(
                Pos::new(decl.at.0, decl.at.1),
                format!("`{name}` is a built-in demo's name: give the lesson's own another"),
            ));
        }
        let script = script_path(decl, lesson.base.as_deref());
        if !script.is_file() {
            problems.push(Diagnostic::error(
                Pos::new(decl.script_at.0, decl.script_at.1),
                format!(
                    "demo `{name}`: its script {} is not there (a path relative to the lesson \
                     file)",
                    script.display()
                ),
            ));
        }
    }
    problems
}

/// Text kept for the whole session (the unit's spec is `'static`).
fn keep(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The unit `decl` declares, running `script`.
fn unit(decl: &DemoDecl, script: PathBuf) -> LocalDemo {
    let mut params: Vec<ParamSpec> = decl.params.iter().map(param).collect();
    params.push(cap_param(DEFAULT_CAP));
    let quick: Vec<(&'static str, &'static str)> = decl
        .params
        .iter()
        .filter_map(|p| Some((keep(&p.name), keep(&p.quick.as_ref()?.to_string()))))
        .collect();
    let results: Vec<&'static str> = decl.results.iter().map(|r| keep(r)).collect();
    LocalDemo {
        spec: DemoSpec {
            name: keep(decl.name.get_ref()),
            title: keep(&decl.title),
            summary: keep(&decl.summary),
            params: Box::leak(params.into_boxed_slice()),
            quick: Box::leak(quick.into_boxed_slice()),
            results: Box::leak(results.into_boxed_slice()),
            python: Some(LESSON_DEMO_LAUNCHER.0),
            native_only: &[],
            python_only: &[],
            python_results: &[],
            about_memory: false,
        },
        script,
        estimate: Duration::from_secs(u64::from(decl.seconds.unwrap_or(5))),
        memory: u64::from(decl.memory_mib.unwrap_or(0)) << 20,
    }
}

/// A declared parameter as the runtime knows parameters (the declaration was checked when
/// the lesson was parsed; anything still odd falls back to something valid).
fn param(decl: &crate::lesson::demo_decl::ParamDecl) -> ParamSpec {
    let kind = match decl.kind {
        ParamKind::Int => Kind::Int {
            min: decl.min.unwrap_or(0),
            max: decl.max.unwrap_or(i64::MAX),
        },
        ParamKind::Bool => Kind::Bool,
        ParamKind::Choice => {
            let words: Vec<&'static str> = decl.choices.iter().map(|c| keep(c)).collect();
            Kind::Choice(Box::leak(words.into_boxed_slice()))
        }
    };
    let default = match &decl.default {
        Value::Int(n) => ParamDefault::Int(*n),
        Value::Bool(b) => ParamDefault::Bool(*b),
        Value::Text(word) => ParamDefault::Choice(keep(word)),
    };
    ParamSpec {
        name: keep(&decl.name),
        kind,
        default,
        unit: keep(&decl.unit),
        meaning: keep(&decl.doc),
    }
}

//! A demo is one unit: its spec (name, title, summary, parameters), its typed parameters and
//! its run function, together in the demo's own file. The catalog lists units; the worker,
//! the lecture and `lectern demo` all go through them, so adding a demo touches no dispatch.

use std::fmt;
use std::io;
use std::process::ExitCode;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::context::Ctx;
use super::engine::Engine;
use super::params::{Default, ParamSpec, Params, to_json};

/// What a demo is called and what it takes.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    /// Name used on the command line and in lesson directives (`start-methods`).
    pub name: &'static str,
    /// Title shown in the demo panel.
    pub title: &'static str,
    /// Two sentences on what it shows and how.
    pub summary: &'static str,
    /// Its parameters; every demo has a `cap`.
    pub params: &'static [ParamSpec],
    /// Parameters for a quick run that still shows the point (`lectern demo NAME --quick`,
    /// and the test that walks the catalog).
    pub quick: &'static [(&'static str, &'static str)],
    /// The results it can report (besides [`COMMON_RESULTS`]), for lesson claims and
    /// `lectern check`; `*` stands for any text (`tasks_worker_*`). A test checks every run's
    /// keys against these.
    pub results: &'static [&'static str],
    /// The demo's twin on CPython: its file in `assets/python`, if it has one.
    pub python: Option<&'static str>,
    /// Parameters only the native engine honours (the CPython engine says so when they are
    /// set).
    pub native_only: &'static [&'static str],
    /// Parameters only the CPython engine honours.
    pub python_only: &'static [&'static str],
    /// Results only the CPython twin reports, because the native engine has no such thing
    /// (CPython's default start method); claims on them are not measured natively.
    pub python_results: &'static [&'static str],
    /// Whether its point is memory (what processes share or copy): narrow gauges keep the
    /// PSS column on its slide, before the PID.
    pub about_memory: bool,
}

/// Results every demo reports.
pub const COMMON_RESULTS: &[&str] = &["cap", "processes_started", "other_load_cores"];

impl DemoSpec {
    /// Whether the demo can report a result named `key`.
    #[must_use]
    pub fn has_result(&self, key: &str) -> bool {
        COMMON_RESULTS.contains(&key)
            || self.results.iter().any(|p| matches(p, key))
            || self.python_results.contains(&key)
    }
}

/// Matches `key` against `pattern`, where one `*` stands for any text.
fn matches(pattern: &str, key: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == key,
        Some((head, tail)) => {
            key.len() >= head.len() + tail.len() && key.starts_with(head) && key.ends_with(tail)
        }
    }
}

/// Why a demo name or parameter was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DemoError {
    /// No demo has this name.
    #[error("unknown demo `{name}`; available demos: {valid}")]
    UnknownDemo {
        /// The name given.
        name: String,
        /// The names that exist.
        valid: String,
    },
    /// The demo has no such parameter.
    #[error("demo `{demo}` has no parameter `{key}`; its parameters: {valid}")]
    UnknownParam {
        /// The demo.
        demo: String,
        /// The key given.
        key: String,
        /// Its parameters.
        valid: String,
    },
    /// The value is of the wrong type or out of range.
    #[error("`{key}={value}` is not valid for demo `{demo}`: {expected}")]
    BadValue {
        /// The demo.
        demo: String,
        /// The parameter.
        key: String,
        /// The value given.
        value: String,
        /// What would be accepted.
        expected: String,
    },
    /// `--set` without `=`.
    #[error("`{0}` is not of the form key=value")]
    BadSyntax(String),
    /// The parameters do not fit together.
    #[error("demo `{demo}`: {message}")]
    Inconsistent {
        /// The demo.
        demo: String,
        /// What does not fit.
        message: String,
    },
}

/// A runnable demo, whatever its parameter type.
pub trait Demo: Sync {
    /// Its name, title, summary and parameters.
    fn spec(&self) -> &DemoSpec;

    /// Checks parameters that must fit together (children under the cap, say).
    ///
    /// # Errors
    /// [`DemoError::Inconsistent`] with the reason.
    fn check(&self, params: &Params) -> Result<(), DemoError>;

    /// Runs the demo inside its worker process; the parameters in `ctx` are already checked.
    ///
    /// # Errors
    /// Whatever stopped the demo; the worker reports it as an `error` event.
    fn run(&self, ctx: &mut Ctx) -> io::Result<()>;

    /// Runs a job for a process this demo started by exec (`lectern worker child NAME JOB`).
    fn child(&self, job: &str) -> ExitCode;

    /// Bytes of memory a run with `params` needs at its peak.
    fn memory_needed(&self, params: &Params) -> u64;

    /// About how long a run with `params` takes on a two-core machine: what the panel says
    /// before a first run here (after one, the last run's time).
    fn estimate(&self, params: &Params) -> Duration;

    /// The Python program of a lesson's own demo, which the twins' launcher runs; `None` for
    /// a built-in demo, whose twin is [`DemoSpec::python`].
    fn script(&self) -> Option<&std::path::Path> {
        None
    }

    /// Whether lectern's native engine runs it (a lesson's own demo runs on CPython only).
    fn native(&self) -> bool {
        true
    }
}

impl fmt::Debug for dyn Demo + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Demo({})", self.spec().name)
    }
}

impl dyn Demo + '_ {
    /// Every parameter at its default.
    #[must_use]
    pub fn defaults(&self) -> Params {
        let spec = self.spec();
        let mut params: Params = spec
            .params
            .iter()
            .map(|p| (p.name.to_string(), p.default_value()))
            .collect();
        follow_links(spec, &mut params, &[]);
        params
    }

    /// The spec of parameter `key`.
    #[must_use]
    pub fn param(&self, key: &str) -> Option<&'static ParamSpec> {
        self.spec().params.iter().find(|p| p.name == key)
    }

    /// The engines this demo runs on.
    #[must_use]
    pub fn engines(&self) -> Vec<Engine> {
        let mut engines = Vec::new();
        if self.native() {
            engines.push(Engine::Native);
        }
        if self.spec().python.is_some() {
            engines.push(Engine::Python);
        }
        engines
    }

    /// Whether `engine` honours parameter `key`.
    #[must_use]
    pub fn honours(&self, engine: Engine, key: &str) -> bool {
        let spec = self.spec();
        match engine {
            Engine::Native => !spec.python_only.contains(&key),
            Engine::Python => !spec.native_only.contains(&key),
        }
    }
}

/// Gives parameters that default to another's value that value, unless set explicitly.
pub(super) fn follow_links(spec: &DemoSpec, params: &mut Params, explicit: &[&str]) {
    for param in spec.params {
        if let Default::SameAs(other) = param.default
            && !explicit.contains(&param.name)
            && let Some(value) = params.get(other).cloned()
        {
            params.insert(param.name.to_string(), value);
        }
    }
}

/// The usual way to write a demo: a spec, a parameter struct `P` (deserialized once from the
/// checked parameters, field names = parameter names), a check on `P` and a run function.
pub struct Unit<P> {
    /// Name, title, summary, parameters.
    pub spec: DemoSpec,
    /// Checks across parameters; `Err` says what does not fit.
    pub check: fn(&P) -> Result<(), String>,
    /// The demo itself.
    pub run: fn(&mut Ctx, &P) -> io::Result<()>,
    /// Jobs for processes the demo starts by exec; `None` if it starts none.
    pub child: Option<fn(&str) -> ExitCode>,
    /// Bytes of memory a run with these parameters needs at its peak, all its processes
    /// together (checked against what is available before it starts).
    pub memory: fn(&P) -> u64,
    /// About how long a run with these parameters takes on a two-core machine (measured on
    /// one; [`seconds`] writes it).
    pub estimate: fn(&P) -> Duration,
}

/// `s` seconds as a duration (none if negative or not a number): for estimates.
#[must_use]
pub fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or_default()
}

/// For demos whose memory does not depend on their parameters (a few MiB).
#[must_use]
pub fn little_memory<P>(_: &P) -> u64 {
    0
}

/// A check for demos with nothing to check across parameters.
///
/// # Errors
/// Never.
pub fn no_check<P>(_: &P) -> Result<(), String> {
    Ok(())
}

/// The typed parameters of `params`.
///
/// # Errors
/// [`DemoError::Inconsistent`] if the parameter struct does not match the spec (a bug that
/// the catalog's tests catch for every demo).
pub fn typed<P: DeserializeOwned>(name: &str, params: &Params) -> Result<P, DemoError> {
    let json = serde_json::Value::Object(to_json(params).into_iter().collect());
    serde_json::from_value(json).map_err(|err| DemoError::Inconsistent {
        demo: name.into(),
        message: format!("parameters do not match the demo's parameter struct: {err}"),
    })
}

impl<P: DeserializeOwned> Demo for Unit<P> {
    fn spec(&self) -> &DemoSpec {
        &self.spec
    }

    fn check(&self, params: &Params) -> Result<(), DemoError> {
        let typed: P = typed(self.spec.name, params)?;
        (self.check)(&typed).map_err(|message| DemoError::Inconsistent {
            demo: self.spec.name.into(),
            message,
        })
    }

    fn run(&self, ctx: &mut Ctx) -> io::Result<()> {
        let typed: P = typed(self.spec.name, &ctx.params).map_err(io::Error::other)?;
        (self.run)(ctx, &typed)
    }

    fn memory_needed(&self, params: &Params) -> u64 {
        typed::<P>(self.spec.name, params).map_or(0, |typed| (self.memory)(&typed))
    }

    fn estimate(&self, params: &Params) -> Duration {
        typed::<P>(self.spec.name, params).map_or(Duration::ZERO, |typed| (self.estimate)(&typed))
    }

    fn child(&self, job: &str) -> ExitCode {
        if let Some(child) = self.child {
            return child(job);
        }
        eprintln!(
            "lectern worker child: demo `{}` starts no child by exec",
            self.spec.name
        );
        ExitCode::from(2)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn declared_results_match_exactly_or_by_their_star() {
        let queue = crate::demos::find("queue-sentinel").unwrap().spec();
        assert!(queue.has_result("tasks_worker_3"));
        assert!(queue.has_result("blocked_workers"));
        assert!(queue.has_result("cap"), "every demo reports cap");
        assert!(
            !queue.has_result("tasks_worker"),
            "the star stands for some text"
        );
        assert!(!queue.has_result("blocked"));
        assert!(!queue.has_result("speedup"));
    }
}

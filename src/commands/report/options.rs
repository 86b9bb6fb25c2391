//! What `lectern report` is asked: engines, interpreters, runs, and the output's form.

use std::ffi::OsString;

use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::python;

pub use crate::claims::spread::DEFAULT_RUNS;

/// What `lectern report` was asked.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Engines to measure on.
    pub engines: Vec<Engine>,
    /// The interpreters `--python` named, in order (none: `$LECTERN_PYTHON`, else `python3`).
    pub pythons: Vec<OsString>,
    /// JSON lines instead of Markdown.
    pub json: bool,
    /// Each demo's quick parameters under the claim's own: fast, but not the lecture's runs.
    pub quick: bool,
    /// How many times each distinct run is made.
    pub runs: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            engines: vec![Engine::Native, Engine::Python],
            pythons: Vec::new(),
            json: false,
            quick: false,
            runs: DEFAULT_RUNS,
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

/// The CPython used when `--python` names none (`LECTERN_PYTHON`, or `python3`).
#[must_use]
pub fn default_python() -> OsString {
    python::python_program(None)
}

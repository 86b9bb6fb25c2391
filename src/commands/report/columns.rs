//! The report's columns: the native engine, and one per CPython `--python` names (found,
//! asked its version and build, and given the twins), so one table compares interpreters.

use std::path::{Path, PathBuf};

use super::options::ReportOptions;
use crate::demo_runtime::Demo;
use crate::demo_runtime::engine::{Engine, EngineChoice};
use crate::demo_runtime::launch::{Engines, Launch};
use crate::demo_runtime::python::{Python, find_python};

/// Where a claim is measured: the native engine, or one CPython.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The engine.
    pub engine: Engine,
    /// The interpreter, for the CPython engine.
    pub python: Option<Python>,
}

impl Column {
    /// The native engine.
    #[must_use]
    pub fn native() -> Self {
        Self {
            engine: Engine::Native,
            python: None,
        }
    }

    /// What runs the demos: `native`, or the interpreter (`CPython 3.8.18`; `CPython` when
    /// none was found).
    #[must_use]
    pub fn interpreter(&self) -> String {
        match (&self.python, self.engine) {
            (Some(python), _) => python.describe(),
            (None, Engine::Native) => "native".into(),
            (None, Engine::Python) => "CPython".into(),
        }
    }

    /// Whether this column can run `demo` (a CPython column needs its interpreter and the
    /// demo's twin).
    #[must_use]
    pub fn can_run(&self, demo: &dyn Demo) -> bool {
        match self.engine {
            Engine::Native => demo.native(),
            Engine::Python => self.python.is_some() && demo.spec().python.is_some(),
        }
    }

    /// How to start a demo in this column, with the twins written to `twins`.
    #[must_use]
    pub fn launch(&self, twins: &Path) -> Launch {
        match &self.python {
            Some(python) => Launch::Python {
                python: python.program.clone(),
                dir: twins.to_path_buf(),
            },
            None => Launch::Native,
        }
    }
}

/// The columns and where the twins are.
#[derive(Debug, Clone)]
pub struct Columns {
    /// In the table's order: native first, then each CPython as given.
    pub list: Vec<Column>,
    /// The twins' directory (unused without CPython columns).
    pub twins: PathBuf,
    /// Why a CPython column has no interpreter, when one has none.
    pub why_not_python: Option<String>,
}

/// The columns `options` ask for. A CPython named with `--python` that cannot be used is an
/// error, as is `--engine python` without any; with `--engine both` and no `--python`, a
/// missing CPython leaves its column unmeasured, saying why.
///
/// # Errors
/// What is wrong with the interpreters asked for.
pub fn find(options: &ReportOptions) -> Result<Columns, String> {
    let mut columns = Vec::new();
    if options.engines.contains(&Engine::Native) {
        columns.push(Column::native());
    }
    if !options.engines.contains(&Engine::Python) {
        return Ok(Columns {
            list: columns,
            twins: PathBuf::new(),
            why_not_python: None,
        });
    }
    let explicit = !options.pythons.is_empty();
    let pythons = if explicit {
        options.pythons.clone()
    } else {
        vec![super::options::default_python()]
    };
    // The first interpreter writes the twins (every CPython runs the same files).
    let choice = if explicit || options.engines == [Engine::Python] {
        EngineChoice::Python
    } else {
        EngineChoice::Auto
    };
    let engines = Engines::prepare(choice, &pythons[0], crate::demos::TWINS)?;
    let Some((first, twins)) = engines.python else {
        columns.push(Column {
            engine: Engine::Python,
            python: None,
        });
        return Ok(Columns {
            list: columns,
            twins: PathBuf::new(),
            why_not_python: engines.why_not_python,
        });
    };
    columns.push(Column {
        engine: Engine::Python,
        python: Some(first),
    });
    for program in &pythons[1..] {
        let python = find_python(program).map_err(|err| err.to_string())?;
        columns.push(Column {
            engine: Engine::Python,
            python: Some(python),
        });
    }
    Ok(Columns {
        list: columns,
        twins,
        why_not_python: None,
    })
}

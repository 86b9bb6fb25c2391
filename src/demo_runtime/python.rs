//! Finding a CPython that can run the twins: `--python`, `LECTERN_PYTHON` or `python3`, asked
//! what it is, accepted from 3.8; and what `--engine` resolves to with it.

use std::ffi::OsString;
use std::process::Command;

use super::engine::{Engine, EngineChoice};

/// The oldest CPython the twins support.
pub const MIN_PYTHON: (u32, u32) = (3, 8);

/// A CPython interpreter lectern can run twins with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Python {
    /// How to start it.
    pub program: OsString,
    /// Its version, e.g. (3, 11, 7).
    pub version: (u32, u32, u32),
    /// A free-threaded build (3.13t, 3.14t), which can run threads without the GIL.
    pub free_threaded: bool,
}

impl Python {
    /// `CPython 3.11.7`, or `CPython 3.13.1 free-threaded`.
    #[must_use]
    pub fn describe(&self) -> String {
        let (major, minor, patch) = self.version;
        let build = if self.free_threaded {
            " free-threaded"
        } else {
            ""
        };
        format!("CPython {major}.{minor}.{patch}{build}")
    }
}

/// Why CPython cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PythonError {
    /// The program could not be started.
    #[error("cannot run `{program}`: {why}")]
    NotFound {
        /// The program tried.
        program: String,
        /// Why.
        why: String,
    },
    /// It ran but is not a CPython lectern supports.
    #[error("`{program}` is {found}; the CPython engine needs CPython {}.{} or newer", MIN_PYTHON.0, MIN_PYTHON.1)]
    Unsupported {
        /// The program tried.
        program: String,
        /// What it said it is.
        found: String,
    },
}

/// The interpreter to try: `--python PATH`, else `LECTERN_PYTHON`, else `python3`.
#[must_use]
pub fn python_program(explicit: Option<&OsString>) -> OsString {
    explicit
        .cloned()
        .or_else(|| std::env::var_os("LECTERN_PYTHON").filter(|v| !v.is_empty()))
        .unwrap_or_else(|| OsString::from("python3"))
}

/// Asks `program` what it is, and accepts it if it is CPython 3.8 or newer.
///
/// # Errors
/// [`PythonError`] saying what was tried and why it does not do.
pub fn find_python(program: &OsString) -> Result<Python, PythonError> {
    let shown = program.to_string_lossy().into_owned();
    let output = Command::new(program)
        .args([
            "-I",
            "-c",
            "import sys,platform,sysconfig;print(platform.python_implementation(),*sys.version_info[:3],\
             bool(sysconfig.get_config_var('Py_GIL_DISABLED')));print(sys.executable)",
        ])
        .output()
        .map_err(|err| PythonError::NotFound {
            program: shown.clone(),
            why: err.to_string(),
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let words: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    // The interpreter itself, not a launcher script in front of it (pyenv's shims run a
    // shell and a few programs each time, which would slow every spawn and show in the
    // gauges).
    let executable = lines
        .next()
        .map(str::trim)
        .filter(|path| !path.is_empty() && std::path::Path::new(path).is_file())
        .map_or_else(|| program.clone(), OsString::from);
    let parse = |i: usize| words.get(i).and_then(|w| w.parse::<u32>().ok());
    match (words.first(), parse(1), parse(2), parse(3)) {
        (Some(&"CPython"), Some(major), Some(minor), Some(patch))
            if (major, minor) >= MIN_PYTHON =>
        {
            Ok(Python {
                program: executable,
                version: (major, minor, patch),
                free_threaded: words.get(4) == Some(&"True"),
            })
        }
        _ => Err(PythonError::Unsupported {
            program: shown,
            found: if text.trim().is_empty() {
                format!(
                    "not a working Python ({})",
                    String::from_utf8_lossy(&output.stderr).trim()
                )
            } else {
                text.trim().to_string()
            },
        }),
    }
}

/// What `--engine` resolves to, and why when auto fell back to native.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The engine to use.
    pub engine: Engine,
    /// The interpreter, for the CPython engine.
    pub python: Option<Python>,
    /// Why `auto` chose native, said once.
    pub fallback: Option<String>,
}

/// Resolves `choice` with the interpreter `program`.
///
/// # Errors
/// `--engine python` without a usable CPython.
pub fn resolve(choice: EngineChoice, program: &OsString) -> Result<Resolved, PythonError> {
    match choice {
        EngineChoice::Native => Ok(Resolved {
            engine: Engine::Native,
            python: None,
            fallback: None,
        }),
        EngineChoice::Python => find_python(program).map(|python| Resolved {
            engine: Engine::Python,
            python: Some(python),
            fallback: None,
        }),
        EngineChoice::Auto => Ok(match find_python(program) {
            Ok(python) => Resolved {
                engine: Engine::Python,
                python: Some(python),
                fallback: None,
            },
            Err(err) => Resolved {
                engine: Engine::Native,
                python: None,
                fallback: Some(format!("{err}; running demos on the native engine")),
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_interpreter_is_a_clear_error_and_auto_falls_back() {
        let nowhere = OsString::from("/nonexistent/python3");
        let err = find_python(&nowhere).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/python3"), "{err}");
        let resolved = resolve(EngineChoice::Auto, &nowhere).unwrap();
        assert_eq!(resolved.engine, Engine::Native);
        assert!(resolved.fallback.unwrap().contains("native"));
        assert!(resolve(EngineChoice::Python, &nowhere).is_err());
    }

    #[test]
    fn something_that_is_not_cpython_is_refused() {
        let not_python = OsString::from("true");
        assert!(matches!(
            find_python(&not_python),
            Err(PythonError::Unsupported { .. })
        ));
    }
}

//! Which engine runs a demo: lectern's own Rust (`native`), or the real CPython the lecture
//! teaches (`python`), and finding a CPython that can.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::process::Command;

/// An engine a demo can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, clap::ValueEnum)]
pub enum Engine {
    /// lectern's own implementation, in Rust: no Python needed; shows the mechanism.
    #[default]
    Native,
    /// The demo's twin on real CPython, with the real `multiprocessing`.
    Python,
}

impl Engine {
    /// The name used on the command line and in the protocol's `hello`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Native => "native",
            Self::Python => "python",
        }
    }

    /// The other engine.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Native => Self::Python,
            Self::Python => Self::Native,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the user asked for with `--engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EngineChoice {
    /// Always lectern's own engine.
    Native,
    /// Always CPython (an error if no usable CPython is found).
    Python,
    /// CPython when a usable one is found, else native.
    #[default]
    Auto,
}

/// The oldest CPython the twins support.
pub const MIN_PYTHON: (u32, u32) = (3, 8);

/// A CPython interpreter lectern can run twins with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Python {
    /// How to start it.
    pub program: OsString,
    /// Its version, e.g. (3, 11, 7).
    pub version: (u32, u32, u32),
}

impl Python {
    /// `CPython 3.11.7`.
    #[must_use]
    pub fn describe(&self) -> String {
        let (major, minor, patch) = self.version;
        format!("CPython {major}.{minor}.{patch}")
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
            "import sys,platform;print(platform.python_implementation(),*sys.version_info[:3]);print(sys.executable)",
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

/// The engines a session can use: its default, and CPython if one is ready (found, and the
/// twins written to the cache).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engines {
    /// The engine demos run on unless told otherwise.
    pub default: Engine,
    /// CPython and the directory its twins are in, when usable.
    pub python: Option<(Python, PathBuf)>,
    /// Why CPython is not usable (or why `auto` chose native), to say once.
    pub why_not_python: Option<String>,
}

/// The engines, or the thread still looking for CPython. Asking a Python for its version
/// takes from about 20 ms to well over 100 ms (pyenv's shims are shell scripts), which the
/// first frame should not wait for when the choice is `auto`.
#[derive(Debug)]
pub enum EnginesAt {
    /// Known.
    Ready(Engines),
    /// Being worked out on this thread.
    Probing(std::thread::JoinHandle<Engines>),
}

impl EnginesAt {
    /// Works the engines out on a thread of its own. Only for `auto`, which never fails: it
    /// falls back to the native engine and says why.
    #[must_use]
    pub fn probe_auto(program: OsString) -> Self {
        let spawned = std::thread::Builder::new()
            .name("engines".into())
            .spawn(move || auto_engines(&program));
        match spawned {
            Ok(handle) => Self::Probing(handle),
            Err(_) => Self::Ready(Engines::native_only()),
        }
    }

    /// Whether the engines are known, or their thread has finished.
    #[must_use]
    pub fn is_settled(&self) -> bool {
        match self {
            Self::Ready(_) => true,
            Self::Probing(handle) => handle.is_finished(),
        }
    }

    /// The engines, waiting for the probe if it is still running.
    #[must_use]
    pub fn wait(self) -> Engines {
        match self {
            Self::Ready(engines) => engines,
            Self::Probing(handle) => handle.join().unwrap_or_else(|_| Engines {
                why_not_python: Some(
                    "looking for CPython failed; running demos on the native engine".into(),
                ),
                ..Engines::native_only()
            }),
        }
    }
}

/// `Engines::prepare` for `auto`, whose errors become the reason to run natively.
fn auto_engines(program: &OsString) -> Engines {
    Engines::prepare(EngineChoice::Auto, program).unwrap_or_else(|message| Engines {
        why_not_python: Some(format!("{message}; running demos on the native engine")),
        ..Engines::native_only()
    })
}

impl Engines {
    /// Only the native engine (tests, snapshots).
    #[must_use]
    pub fn native_only() -> Self {
        Self {
            default: Engine::Native,
            python: None,
            why_not_python: Some("CPython is not used here".into()),
        }
    }

    /// Finds CPython as `choice` asks (with `program`) and writes the twins.
    ///
    /// # Errors
    /// `--engine python` when CPython cannot be found or the twins cannot be written.
    pub fn prepare(choice: EngineChoice, program: &OsString) -> Result<Self, String> {
        let resolved = resolve(choice, program).map_err(|e| e.to_string())?;
        let Some(python) = resolved.python else {
            return Ok(Self {
                default: Engine::Native,
                python: None,
                why_not_python: resolved.fallback,
            });
        };
        match super::twins::install() {
            Ok(dir) => Ok(Self {
                default: Engine::Python,
                python: Some((python, dir)),
                why_not_python: None,
            }),
            Err(err) if choice == EngineChoice::Python => Err(err.to_string()),
            Err(err) => Ok(Self {
                default: Engine::Native,
                python: None,
                why_not_python: Some(format!("{err}; running demos on the native engine")),
            }),
        }
    }

    /// The engine `demo` (by name) really runs on when `engine` is asked for.
    #[must_use]
    pub fn launch_engine(&self, demo: &str, engine: Engine) -> Engine {
        super::find(demo).map_or(Engine::Native, |demo| self.launch(demo, engine).engine())
    }

    /// How to start `demo` on `engine`: native when asked, when CPython is not ready, or when
    /// the demo has no twin.
    #[must_use]
    pub fn launch(&self, demo: &dyn super::Demo, engine: Engine) -> super::runner::Launch {
        match (&self.python, engine, demo.spec().python) {
            (Some((python, dir)), Engine::Python, Some(_)) => super::runner::Launch::Python {
                python: python.program.clone(),
                dir: dir.clone(),
            },
            _ => super::runner::Launch::Native,
        }
    }
}

/// Where the twins are written: `$XDG_CACHE_HOME/lectern/python-VERSION` or
/// `~/.cache/lectern/python-VERSION`.
#[must_use]
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(
        base.join("lectern")
            .join(format!("python-{}", env!("CARGO_PKG_VERSION"))),
    )
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

//! How a demo is launched: the engines a session can use (its default, and CPython once it
//! is found and the twins are written), and which program starts a given demo on a given
//! engine.

use std::ffi::OsString;
use std::path::PathBuf;

use super::engine::{Engine, EngineChoice};
use super::python::{Python, find_python, resolve};
use super::twins::{TwinFiles, install as install_twins};
use super::unit::Demo;

/// How to start a demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// lectern's own worker.
    Native,
    /// The demo's CPython twin, found in `dir`, run by `python`.
    Python {
        /// The interpreter.
        python: OsString,
        /// Where the twins were written.
        dir: PathBuf,
    },
}

impl Launch {
    /// The engine this launches on.
    #[must_use]
    pub fn engine(&self) -> Engine {
        match self {
            Self::Native => Engine::Native,
            Self::Python { .. } => Engine::Python,
        }
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
    /// Further interpreters (`--python` given more than once), which run the same twins:
    /// `E` reaches them after the first.
    pub more: Vec<Python>,
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
    /// falls back to the native engine and says why. `more` are further interpreters.
    #[must_use]
    pub fn probe_auto(program: OsString, more: Vec<OsString>, twins: TwinFiles) -> Self {
        let spawned = std::thread::Builder::new()
            .name("engines".into())
            .spawn(move || auto_engines(&program, twins).with_more(&more));
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
fn auto_engines(program: &OsString, twins: TwinFiles) -> Engines {
    Engines::prepare(EngineChoice::Auto, program, twins).unwrap_or_else(|message| Engines {
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
            more: Vec::new(),
        }
    }

    /// These engines with the further interpreters `programs` (each asked what it is), when
    /// a first CPython is ready; one that cannot be used is left out, and why is said once.
    #[must_use]
    pub fn with_more(mut self, programs: &[OsString]) -> Self {
        if self.python.is_none() {
            return self;
        }
        let mut refused = Vec::new();
        for program in programs {
            match find_python(program) {
                Ok(python) => self.more.push(python),
                Err(err) => refused.push(err.to_string()),
            }
        }
        if !refused.is_empty() {
            self.why_not_python = Some(format!(
                "E leaves out {}: {}",
                if refused.len() == 1 {
                    "one interpreter"
                } else {
                    "some interpreters"
                },
                refused.join("; ")
            ));
        }
        self
    }

    /// Every CPython in `E`'s order, described (`CPython 3.11.7`): the first, then the rest.
    #[must_use]
    pub fn interpreters(&self) -> Vec<String> {
        self.python
            .iter()
            .map(|(python, _)| python)
            .chain(&self.more)
            .map(Python::describe)
            .collect()
    }

    /// Finds CPython as `choice` asks (with `program`) and writes the `twins`.
    ///
    /// # Errors
    /// `--engine python` when CPython cannot be found or the twins cannot be written.
    pub fn prepare(
        choice: EngineChoice,
        program: &OsString,
        twins: TwinFiles,
    ) -> Result<Self, String> {
        let resolved = resolve(choice, program).map_err(|e| e.to_string())?;
        let Some(python) = resolved.python else {
            return Ok(Self {
                default: Engine::Native,
                python: None,
                why_not_python: resolved.fallback,
                more: Vec::new(),
            });
        };
        match install_twins(twins) {
            Ok(dir) => Ok(Self {
                default: Engine::Python,
                python: Some((python, dir)),
                why_not_python: None,
                more: Vec::new(),
            }),
            Err(err) if choice == EngineChoice::Python => Err(err.to_string()),
            Err(err) => Ok(Self {
                default: Engine::Native,
                python: None,
                why_not_python: Some(format!("{err}; running demos on the native engine")),
                more: Vec::new(),
            }),
        }
    }

    /// How to start `demo` on `engine`: native when asked, when CPython is not ready, or when
    /// the demo has no twin.
    #[must_use]
    pub fn launch(&self, demo: &dyn Demo, engine: Engine) -> Launch {
        self.launch_on(demo, engine, 0)
    }

    /// As [`Engines::launch`], on CPython number `interpreter` of [`Engines::interpreters`]
    /// (the first when there is no such one).
    #[must_use]
    pub fn launch_on(&self, demo: &dyn Demo, engine: Engine, interpreter: usize) -> Launch {
        // A demo without a native engine runs on CPython whatever was asked.
        let engine = if demo.native() {
            engine
        } else {
            Engine::Python
        };
        match (&self.python, engine, demo.spec().python) {
            (Some((first, dir)), Engine::Python, Some(_)) => {
                let python = interpreter
                    .checked_sub(1)
                    .and_then(|i| self.more.get(i))
                    .unwrap_or(first);
                Launch::Python {
                    python: python.program.clone(),
                    dir: dir.clone(),
                }
            }
            _ => Launch::Native,
        }
    }
}

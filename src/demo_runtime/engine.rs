//! Which engine runs a demo: lectern's own Rust (`native`), or the real CPython the lecture
//! teaches (`python`); and what the user asked for with `--engine`.

use std::fmt;

/// An engine a demo can run on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
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

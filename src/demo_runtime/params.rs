//! Demo parameters: their types, ranges and defaults, and one value read from text or JSON.
//! A whole set of them is checked, once, as a [`super::request::RunRequest`].

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// A core count to assume instead of this machine's (0: use the machine's).
static ASSUMED_CORES: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Makes per-core defaults assume `cores` cores, so screen snapshots and recordings come out
/// the same on every machine.
pub fn assume_cores(cores: i64) {
    ASSUMED_CORES.store(cores, std::sync::atomic::Ordering::Relaxed);
}

/// The core count per-core defaults use: this machine's, read once (finding it reads files,
/// which drawing a frame must not do), unless [`assume_cores`] said otherwise.
#[must_use]
pub fn cores() -> i64 {
    static MACHINE: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    match ASSUMED_CORES.load(std::sync::atomic::Ordering::Relaxed) {
        0 => *MACHINE.get_or_init(|| {
            std::thread::available_parallelism().map_or(1, |n| i64::try_from(n.get()).unwrap_or(1))
        }),
        assumed => assumed,
    }
}

/// Processes a demo may create unless told otherwise (the demo's own process included).
pub const DEFAULT_CAP: i64 = 64;

/// The type and range of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number from `min` to `max`.
    Int {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// `true` or `false`.
    Bool,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
}

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    /// A fixed number.
    Int(i64),
    /// This many per CPU core of this machine, kept within the range.
    PerCore(i64),
    /// A fixed yes/no.
    Bool(bool),
    /// A fixed choice.
    Choice(&'static str),
    /// Whatever another (earlier) parameter is, unless set: `sentinels` follows `workers`.
    SameAs(&'static str),
}

/// One parameter of a demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// Name used in `--set name=value` and lesson directives.
    pub name: &'static str,
    /// Type and range.
    pub kind: Kind,
    /// Value when not given.
    pub default: Default,
    /// Unit, for display (`ms`, `MiB`, empty for none).
    pub unit: &'static str,
    /// One line on what it changes.
    pub meaning: &'static str,
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A number.
    Int(i64),
    /// A yes/no.
    Bool(bool),
    /// A word from a choice.
    Choice(String),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Choice(c) => write!(f, "{c}"),
        }
    }
}

impl ParamValue {
    /// As JSON, for the protocol's `params`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Self::Int(n) => Value::from(*n),
            Self::Bool(b) => Value::from(*b),
            Self::Choice(c) => Value::from(c.as_str()),
        }
    }
}

/// A full set of parameter values for one demo, in declaration order of names.
pub type Params = BTreeMap<String, ParamValue>;

impl ParamSpec {
    /// What values are accepted, in words.
    #[must_use]
    pub fn expected(&self) -> String {
        match self.kind {
            Kind::Int { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Bool => "true or false".into(),
            Kind::Choice(words) => format!("one of {}", words.join(", ")),
        }
    }

    /// The default on this machine.
    #[must_use]
    pub fn default_value(&self) -> ParamValue {
        match (self.default, self.kind) {
            (Default::Int(n), _) => ParamValue::Int(n),
            (Default::PerCore(factor), Kind::Int { min, max }) => {
                ParamValue::Int((factor * cores()).clamp(min, max))
            }
            (Default::PerCore(factor), _) => ParamValue::Int(factor),
            (Default::Bool(b), _) => ParamValue::Bool(b),
            (Default::Choice(c), _) => ParamValue::Choice(c.into()),
            // Resolved against the other parameter by `DemoSpec::defaults`.
            (Default::SameAs(_), _) => ParamValue::Int(0),
        }
    }

    /// This parameter's value from the JSON a run request travels as (see
    /// [`super::request::RunRequest::json`]): a number, `true`/`false` or a word.
    #[must_use]
    pub fn from_json(&self, value: &Value) -> Option<ParamValue> {
        match (self.kind, value) {
            (Kind::Int { min, max }, Value::Number(n)) => n
                .as_i64()
                .filter(|n| (min..=max).contains(n))
                .map(ParamValue::Int),
            (Kind::Bool, Value::Bool(b)) => Some(ParamValue::Bool(*b)),
            (Kind::Choice(words), Value::String(word)) => words
                .contains(&word.as_str())
                .then(|| ParamValue::Choice(word.clone())),
            _ => None,
        }
    }

    /// Parses `text` as this parameter's value.
    #[must_use]
    pub fn parse(&self, text: &str) -> Option<ParamValue> {
        match self.kind {
            Kind::Int { min, max } => text
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .map(ParamValue::Int),
            Kind::Bool => match text {
                "true" | "yes" | "1" | "on" => Some(ParamValue::Bool(true)),
                "false" | "no" | "0" | "off" => Some(ParamValue::Bool(false)),
                _ => None,
            },
            Kind::Choice(words) => words
                .contains(&text)
                .then(|| ParamValue::Choice(text.to_string())),
        }
    }
}

/// An integer parameter (0 if missing: checked parameters always have every parameter).
#[must_use]
pub fn int(params: &Params, key: &str) -> i64 {
    match params.get(key) {
        Some(ParamValue::Int(n)) => *n,
        _ => 0,
    }
}

/// The parameters as JSON, for the protocol.
#[must_use]
pub fn to_json(params: &Params) -> BTreeMap<String, Value> {
    params
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect()
}

/// The cap parameter every demo has.
#[must_use]
pub const fn cap_param(default: i64) -> ParamSpec {
    ParamSpec {
        name: "cap",
        kind: Kind::Int { min: 2, max: 128 },
        default: Default::Int(default),
        unit: "processes",
        meaning: "hard limit on processes this demo may create, its own included",
    }
}

/// The `workers` parameter: how many workers a demo runs at once, from 1 to 16, `default`
/// of them unless told otherwise. Demos that run a pool use [`POOL_WORKERS`].
#[must_use]
pub const fn workers(default: Default, meaning: &'static str) -> ParamSpec {
    ParamSpec {
        name: "workers",
        kind: Kind::Int { min: 1, max: 16 },
        default,
        unit: "processes",
        meaning,
    }
}

/// A pool's worker processes: one per core unless told otherwise.
pub const POOL_WORKERS: ParamSpec = workers(
    Default::PerCore(1),
    "pool worker processes (default: one per core)",
);

/// How long a demo's processes stay alive after the run, so the gauges show them.
pub const LINGER: ParamSpec = ParamSpec {
    name: "linger_s",
    kind: Kind::Int { min: 0, max: 60 },
    default: Default::Int(3),
    unit: "s",
    meaning: "how long the processes stay alive after the run, so the gauges show them",
};

/// Refuses a run that needs more processes than the cap allows.
///
/// # Errors
/// A sentence naming what needs how many processes, and the cap.
pub fn fits_under_cap(needed: u32, cap: u32, what: &str) -> Result<(), String> {
    if needed > cap {
        return Err(format!(
            "{what} needs {needed} processes but cap={cap}; raise cap or ask for fewer"
        ));
    }
    Ok(())
}

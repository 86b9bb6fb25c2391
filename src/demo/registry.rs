//! Every demo lectern can run: its name, title, the slides it serves and its typed
//! parameters, with parsing and range checks that name the valid choices.

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

/// The core count per-core defaults use.
fn cores() -> i64 {
    match ASSUMED_CORES.load(std::sync::atomic::Ordering::Relaxed) {
        0 => {
            std::thread::available_parallelism().map_or(1, |n| i64::try_from(n.get()).unwrap_or(1))
        }
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

/// A check across parameters, e.g. that the children fit under the process cap.
pub type Check = fn(&Params) -> Result<(), String>;

/// One runnable demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    /// Registry name (`start-methods`).
    pub name: &'static str,
    /// Title shown in the demo panel.
    pub title: &'static str,
    /// Slides (1-based, Lecture 25) the demo serves.
    pub slides: &'static [usize],
    /// Two sentences on what it shows and how.
    pub summary: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSpec],
    /// Checks across parameters.
    pub check: Option<Check>,
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

    /// Parses `text` as this parameter's value.
    fn parse(&self, text: &str) -> Option<ParamValue> {
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

impl DemoSpec {
    /// Every parameter at its default.
    #[must_use]
    pub fn defaults(&self) -> Params {
        let mut params: Params = self
            .params
            .iter()
            .map(|p| (p.name.to_string(), p.default_value()))
            .collect();
        self.follow_links(&mut params, &[]);
        params
    }

    /// Gives parameters that default to another's value that value, unless set explicitly.
    fn follow_links(&self, params: &mut Params, explicit: &[&str]) {
        for spec in self.params {
            if let Default::SameAs(other) = spec.default
                && !explicit.contains(&spec.name)
                && let Some(value) = params.get(other).cloned()
            {
                params.insert(spec.name.to_string(), value);
            }
        }
    }

    /// The spec of parameter `key`.
    #[must_use]
    pub fn param(&self, key: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == key)
    }

    /// Sets `key` from text, refusing unknown keys and bad values with the valid choices.
    ///
    /// # Errors
    /// [`DemoError::UnknownParam`] or [`DemoError::BadValue`].
    pub fn set(&self, params: &mut Params, key: &str, value: &str) -> Result<(), DemoError> {
        let Some(spec) = self.param(key) else {
            return Err(DemoError::UnknownParam {
                demo: self.name.into(),
                key: key.into(),
                valid: self
                    .params
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let parsed = spec.parse(value).ok_or_else(|| DemoError::BadValue {
            demo: self.name.into(),
            key: key.into(),
            value: value.into(),
            expected: spec.expected(),
        })?;
        params.insert(key.to_string(), parsed);
        Ok(())
    }

    /// Defaults overridden by `key=value` pairs, then checked as a whole.
    ///
    /// # Errors
    /// The first problem found.
    pub fn params_from<'a>(
        &self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Params, DemoError> {
        let mut params = self.defaults();
        let mut explicit = Vec::new();
        for (key, value) in pairs {
            self.set(&mut params, key, value)?;
            explicit.push(key);
        }
        self.follow_links(&mut params, &explicit);
        self.validate(&params)?;
        Ok(params)
    }

    /// Checks parameters that must fit together.
    ///
    /// # Errors
    /// [`DemoError::Inconsistent`] with the reason.
    pub fn validate(&self, params: &Params) -> Result<(), DemoError> {
        match self.check.map(|check| check(params)) {
            Some(Err(message)) => Err(DemoError::Inconsistent {
                demo: self.name.into(),
                message,
            }),
            _ => Ok(()),
        }
    }
}

/// Splits `key=value`.
///
/// # Errors
/// [`DemoError::BadSyntax`] when there is no `=`.
pub fn split_set(text: &str) -> Result<(&str, &str), DemoError> {
    text.split_once('=')
        .ok_or_else(|| DemoError::BadSyntax(text.to_string()))
}

/// An integer parameter (0 if missing: the registry always fills every parameter).
#[must_use]
pub fn int(params: &Params, key: &str) -> i64 {
    match params.get(key) {
        Some(ParamValue::Int(n)) => *n,
        _ => 0,
    }
}

/// A boolean parameter.
#[must_use]
pub fn flag(params: &Params, key: &str) -> bool {
    matches!(params.get(key), Some(ParamValue::Bool(true)))
}

/// A choice parameter.
#[must_use]
pub fn choice<'a>(params: &'a Params, key: &str) -> &'a str {
    match params.get(key) {
        Some(ParamValue::Choice(c)) => c,
        _ => "",
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

/// Looks a demo up by name.
///
/// # Errors
/// [`DemoError::UnknownDemo`] listing the available names.
pub fn find(name: &str) -> Result<&'static DemoSpec, DemoError> {
    super::catalog::ALL
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| DemoError::UnknownDemo {
            name: name.into(),
            valid: super::catalog::ALL
                .iter()
                .map(|d| d.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_list_the_valid_choices() {
        let err = find("forkk").unwrap_err();
        assert!(err.to_string().contains("start-methods"), "{err}");
        let demo = find("start-methods").unwrap();
        let err = demo.params_from([("kids", "3")]).unwrap_err();
        assert!(err.to_string().contains("children"), "{err}");
    }

    #[test]
    fn values_are_typed_and_ranged() {
        let demo = find("start-methods").unwrap();
        let err = demo.params_from([("children", "0")]).unwrap_err();
        assert!(err.to_string().contains("from 1 to 20"), "{err}");
        let err = demo.params_from([("children", "two")]).unwrap_err();
        assert!(matches!(err, DemoError::BadValue { .. }));
        let params = demo
            .params_from([("children", "3"), ("linger_s", "0")])
            .unwrap();
        assert_eq!(int(&params, "children"), 3);
        let lock = find("fork-lock").unwrap();
        assert!(flag(&lock.params_from([("safe", "true")]).unwrap(), "safe"));
        assert!(lock.params_from([("safe", "maybe")]).is_err());
    }

    #[test]
    fn parameters_that_do_not_fit_under_the_cap_are_refused() {
        let demo = find("start-methods").unwrap();
        let err = demo
            .params_from([("children", "20"), ("cap", "30")])
            .unwrap_err();
        assert!(matches!(err, DemoError::Inconsistent { .. }), "{err}");
    }

    #[test]
    fn every_demo_has_a_cap_and_sane_defaults() {
        for demo in super::super::catalog::ALL {
            let defaults = demo.defaults();
            assert!(demo.param("cap").is_some(), "{} has no cap", demo.name);
            demo.validate(&defaults)
                .unwrap_or_else(|e| panic!("{}: {e}", demo.name));
            for spec in demo.params {
                if let (Kind::Int { min, max }, ParamValue::Int(v)) =
                    (spec.kind, &defaults[spec.name])
                {
                    assert!(
                        (min..=max).contains(v),
                        "{}.{} default {v}",
                        demo.name,
                        spec.name
                    );
                }
            }
        }
    }
}

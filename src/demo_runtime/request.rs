//! A run request: a demo unit and parameters it accepted, checked as a whole. Text becomes
//! parameters here and nowhere else — lesson directives and claims when the lesson is
//! loaded, `lectern demo --set` — and both engines are handed the request as the same JSON,
//! which the native worker reads back into a request. A request that exists was checked:
//! there is no way to make one that the demo would refuse.

use std::fmt;

use serde_json::{Map, Value};

use super::engine::Engine;
use super::params::{ParamSpec, ParamValue, Params, to_json};
use super::unit::{Demo, DemoError, follow_links};

/// A demo and the parameters it accepted.
#[derive(Clone)]
pub struct RunRequest {
    demo: &'static dyn Demo,
    params: Params,
}

impl RunRequest {
    /// `demo` with every parameter at its default (which every demo accepts: the catalog's
    /// tests check it).
    #[must_use]
    pub fn defaults(demo: &'static dyn Demo) -> Self {
        Self {
            demo,
            params: demo.defaults(),
        }
    }

    /// The defaults overridden by `key=value` pairs, then checked as a whole.
    ///
    /// # Errors
    /// The first problem: an unknown parameter or a bad value (each naming the valid
    /// choices), or parameters that do not fit together.
    pub fn from_pairs<'a>(
        demo: &'static dyn Demo,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DemoError> {
        let mut given = Vec::new();
        for (key, text) in pairs {
            let param = param(demo, key)?;
            let value = param
                .parse(text)
                .ok_or_else(|| bad_value(demo, param, text))?;
            given.push((param.name, value));
        }
        Self::build(demo, given)
    }

    /// The request `json` describes (what [`Self::json`] wrote), checked again: the worker
    /// trusts nothing it is handed.
    ///
    /// # Errors
    /// JSON that is not an object of this demo's parameters, or values it refuses.
    pub fn from_json(demo: &'static dyn Demo, json: &str) -> Result<Self, DemoError> {
        let object: Map<String, Value> =
            serde_json::from_str(json).map_err(|err| DemoError::Inconsistent {
                demo: demo.spec().name.into(),
                message: format!("the parameters are not a JSON object: {err}"),
            })?;
        let mut given = Vec::new();
        for (key, value) in &object {
            let param = param(demo, key)?;
            let value = param
                .from_json(value)
                .ok_or_else(|| bad_value(demo, param, &value.to_string()))?;
            given.push((param.name, value));
        }
        Self::build(demo, given)
    }

    /// The defaults with `given` set, parameters that follow another filled in, checked.
    fn build(
        demo: &'static dyn Demo,
        given: Vec<(&'static str, ParamValue)>,
    ) -> Result<Self, DemoError> {
        let mut params = demo.defaults();
        let explicit: Vec<&str> = given.iter().map(|(key, _)| *key).collect();
        for (key, value) in given {
            params.insert(key.to_string(), value);
        }
        follow_links(demo.spec(), &mut params, &explicit);
        demo.check(&params)?;
        Ok(Self { demo, params })
    }

    /// The demo.
    #[must_use]
    pub fn demo(&self) -> &'static dyn Demo {
        self.demo
    }

    /// The demo's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.demo.spec().name
    }

    /// Every parameter's value.
    #[must_use]
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The request with parameter `key` changed to `value`, if the demo accepts the result as
    /// a whole (the panel's editor never holds a combination the demo would refuse).
    #[must_use]
    pub fn with(&self, key: &str, value: ParamValue) -> Option<Self> {
        self.with_checked(key, value).ok()
    }

    /// The request with parameter `key` changed to `value`, or why the demo refuses the
    /// result as a whole.
    ///
    /// # Errors
    /// [`DemoError::Inconsistent`] with the demo's reason.
    pub fn with_checked(&self, key: &str, value: ParamValue) -> Result<Self, DemoError> {
        let mut params = self.params.clone();
        params.insert(key.to_string(), value);
        self.demo.check(&params)?;
        Ok(Self {
            demo: self.demo,
            params,
        })
    }

    /// The parameters as the JSON object both engines are handed (`{"cap":64,…}`).
    #[must_use]
    pub fn json(&self) -> String {
        Value::Object(to_json(&self.params).into_iter().collect()).to_string()
    }

    /// Sentences about parameters set away from their defaults that `engine` does not
    /// honour: an engine says so instead of silently ignoring them.
    #[must_use]
    pub fn unhonoured(&self, engine: Engine) -> Vec<String> {
        let defaults = self.demo.defaults();
        self.params
            .iter()
            .filter(|(key, value)| {
                !self.demo.honours(engine, key) && defaults.get(*key) != Some(*value)
            })
            .map(|(key, value)| {
                let meaning = self.demo.param(key).map_or("", |p| p.meaning);
                format!(
                    "{key}={value} is not used by the {engine} engine, only by the {} one \
                     ({meaning}).",
                    engine.other()
                )
            })
            .collect()
    }
}

impl PartialEq for RunRequest {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name() && self.params == other.params
    }
}

impl Eq for RunRequest {}

impl fmt::Debug for RunRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunRequest")
            .field("demo", &self.name())
            .field("params", &self.params)
            .finish()
    }
}

/// The spec of `demo`'s parameter `key`, or the error that lists its parameters.
fn param(demo: &dyn Demo, key: &str) -> Result<&'static ParamSpec, DemoError> {
    demo.param(key).ok_or_else(|| {
        let spec = demo.spec();
        DemoError::UnknownParam {
            demo: spec.name.into(),
            key: key.into(),
            valid: spec
                .params
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", "),
        }
    })
}

fn bad_value(demo: &dyn Demo, param: &ParamSpec, value: &str) -> DemoError {
    DemoError::BadValue {
        demo: demo.spec().name.into(),
        key: param.name.into(),
        value: value.into(),
        expected: param.expected(),
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

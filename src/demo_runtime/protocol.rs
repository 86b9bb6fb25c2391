//! The demo event protocol: what a running demo tells whoever started it, one JSON object per
//! line on its standard output.
//!
//! Every line is `{"v":2,"type":...}`. The protocol knows nothing about Rust or lectern's
//! internals, so a Python twin of a demo can speak it with `json.dumps` and one `os.write` per
//! line. Version 2 types, in the order a run usually emits them:
//!
//! | type | fields | meaning |
//! |---|---|---|
//! | `hello` | `demo`, `params`, `engine`, `engine_detail`? | the run started with these parameters |
//! | `process` | `pid`, `ppid`, `role` | a process of the demo exists; `role` labels it in the gauges |
//! | `progress` | `message`, `done`?, `total`? | what is happening now |
//! | `measure` | `name`, `value`, `unit`, `role`? | one measurement as it is taken |
//! | `note` | `level` (`info`, `warn`, `simulated`, `differs`), `message` | an explanation worth showing; `differs` says why a result disagrees with the slide |
//! | `exit` | `pid`, `role`, `code`?, `signal`? | a process of the demo ended and was reaped |
//! | `view` | `id`, `view` | a piece of the demo's panel (see [`super::view`]): headline, table, bars, lanes, series or tree |
//! | `result` | `name`, `value` (number or boolean) | one final result |
//! | `summary` | `demo`, `params`, `results` | the last line: every result of the run |
//! | `error` | `message` | the demo could not run |
//!
//! Readers must ignore unknown types and fields, so later versions can add them. Version 2
//! added `view` and dropped version 1's demo-specific `lane` (now a `lanes` view); readers
//! accept lines of either version.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::view::View;

/// The protocol version written in every line's `v`.
pub const VERSION: u32 = 2;

/// The oldest version readers still accept.
pub const OLDEST_VERSION: u32 = 1;

/// A final result: a number (units in its name, e.g. `fork_median_ms`) or a yes/no.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResultValue {
    /// A yes/no result, e.g. `deadlocked`.
    Bool(bool),
    /// A measured or counted number.
    Number(f64),
}

impl std::fmt::Display for ResultValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{n:.0}"),
            Self::Number(n) if n.abs() >= 100.0 => write!(f, "{n:.1}"),
            Self::Number(n) => write!(f, "{n:.3}"),
        }
    }
}

impl ResultValue {
    /// The number, if it is one.
    #[must_use]
    pub fn as_number(self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(n),
            Self::Bool(_) => None,
        }
    }
}

/// How a note should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteLevel {
    /// Plain explanation.
    Info,
    /// Something went wrong on purpose (a deadlock, a cap reached).
    Warn,
    /// This part is simulated, not measured; the screen must say so.
    Simulated,
    /// What was measured here differs from what the slide says, and this says why; shown
    /// next to the result, never scrolled away.
    Differs,
}

/// One protocol event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The run started.
    Hello {
        /// Demo name.
        demo: String,
        /// Every parameter, defaults included.
        params: BTreeMap<String, Value>,
        /// Which engine runs it: `native` (lectern's own Rust) or `python` (CPython).
        engine: String,
        /// What the engine is exactly, e.g. `CPython 3.11.7, start method fork`.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        engine_detail: String,
    },
    /// A process of the demo exists.
    Process {
        /// Its PID.
        pid: u32,
        /// Its parent's PID.
        ppid: u32,
        /// Its role, e.g. `fork child 3`.
        role: String,
    },
    /// What is happening now.
    Progress {
        /// A short sentence.
        message: String,
        /// Steps done, if counted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        done: Option<u64>,
        /// Steps in all, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<u64>,
    },
    /// One measurement as it is taken.
    Measure {
        /// What was measured, e.g. `start_ms`.
        name: String,
        /// The value.
        value: f64,
        /// Its unit, e.g. `ms`.
        unit: String,
        /// Which process it is about.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// An explanation worth showing.
    Note {
        /// How to show it.
        level: NoteLevel,
        /// The text.
        message: String,
    },
    /// A process of the demo ended and was reaped.
    Exit {
        /// Its PID.
        pid: u32,
        /// Its role.
        role: String,
        /// Exit code, if it exited.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<i32>,
        /// Signal number, if a signal killed it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
        /// How long it lived, in milliseconds: from the demo's `process` report of it to its
        /// reaping, when the demo reported both.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lived_ms: Option<f64>,
    },
    /// A piece of the demo's panel, drawn by the UI's generic widgets.
    View {
        /// Which piece: a later view with the same id replaces (or merges into) it.
        id: String,
        /// What to draw.
        view: View,
    },
    /// One final result.
    Result {
        /// Its name, unit included (`fork_median_ms`).
        name: String,
        /// Its value.
        value: ResultValue,
    },
    /// The last line of a run.
    Summary {
        /// Demo name.
        demo: String,
        /// Every parameter.
        params: BTreeMap<String, Value>,
        /// Every result.
        results: BTreeMap<String, ResultValue>,
    },
    /// The demo could not run.
    Error {
        /// Why.
        message: String,
    },
}

/// A line on the wire: the version next to the event's own fields.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    v: u32,
    #[serde(flatten)]
    event: Event,
}

impl Event {
    /// The event as one line of JSON, newline included.
    #[must_use]
    pub fn to_line(&self) -> String {
        let line = Line {
            v: VERSION,
            event: self.clone(),
        };
        let mut text = serde_json::to_string(&line).unwrap_or_else(|err| {
            format!(r#"{{"v":{VERSION},"type":"error","message":"cannot encode event: {err}"}}"#)
        });
        text.push('\n');
        text
    }

    /// Reads one line; `None` for lines that are not events of a version this reader knows
    /// (readers skip them).
    #[must_use]
    pub fn from_line(line: &str) -> Option<Self> {
        let line: Line = serde_json::from_str(line).ok()?;
        (OLDEST_VERSION..=VERSION)
            .contains(&line.v)
            .then_some(line.event)
    }
}

/// Writes events to standard output, each line in a single `write`, so lines from several
/// processes sharing the pipe never interleave (pipes keep writes under 4 KiB whole).
/// It bypasses Rust's buffered stdout, whose buffer a forked child would otherwise inherit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Emitter;

impl Emitter {
    /// Sends one event. A closed pipe means nobody listens any more: the caller should stop.
    ///
    /// # Errors
    /// If standard output cannot be written.
    pub fn emit(self, event: &Event) -> io::Result<()> {
        let line = match event {
            Event::Process { pid, .. } => {
                super::lifetimes::born(*pid);
                event.to_line()
            }
            Event::Exit {
                pid,
                role,
                code,
                signal,
                lived_ms,
            } => {
                // How long it lived, from its report to its reaping; a lifetime the demo
                // measured itself stands.
                let timed = super::lifetimes::ended(*pid);
                Event::Exit {
                    pid: *pid,
                    role: role.clone(),
                    code: *code,
                    signal: *signal,
                    lived_ms: lived_ms.or(timed),
                }
                .to_line()
            }
            _ => event.to_line(),
        };
        let mut bytes = line.as_bytes();
        while !bytes.is_empty() {
            let written = nix::unistd::write(io::stdout(), bytes).map_err(io::Error::from)?;
            bytes = &bytes[written..];
        }
        Ok(())
    }

    /// Sends an event, ignoring a closed pipe (used where there is nothing better to do).
    pub fn send(self, event: &Event) {
        let _ = self.emit(event);
    }
}

impl Event {
    /// Checks that the event writes to a line that reads back as the same event, each number
    /// allowed to move by one unit in the last place: without its `float_roundtrip` feature
    /// `serde_json` may read a 17-digit float one ULP off, even one it wrote (serde-rs/json#707).
    /// What the protocol's fuzz target and its regression replay hold every event to.
    ///
    /// # Errors
    /// The line written and what it read back as, when that differs.
    pub fn check_round_trip(&self) -> Result<(), String> {
        let line = self.to_line();
        let again = Self::from_line(line.trim_end());
        let json = |e: &Self| serde_json::to_value(e).unwrap_or(Value::Null);
        if again
            .as_ref()
            .is_some_and(|again| same_json(&json(again), &json(self)))
        {
            Ok(())
        } else {
            Err(format!(
                "{self:?} was written as {line:?} and read back as {again:?}"
            ))
        }
    }
}

/// Whether `a` and `b` are the same JSON, floats allowed one ULP apart.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| {
                x.to_bits() == y.to_bits()
                    || (x.is_sign_negative() == y.is_sign_negative()
                        && x.to_bits().abs_diff(y.to_bits()) <= 1)
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::view::{Bar, Tone};

    #[test]
    fn views_travel_as_nested_objects() {
        let event = Event::View {
            id: "times".into(),
            view: View::Bars {
                unit: "ms".into(),
                bars: vec![Bar {
                    label: "chunksize 1".into(),
                    value: 12.5,
                    detail: "10,000 messages".into(),
                    tone: Tone::Warn,
                }],
                max: None,
                caption: String::new(),
            },
        };
        let line = event.to_line();
        let json: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(json["type"], "view");
        assert_eq!(json["view"]["kind"], "bars");
        assert_eq!(json["view"]["bars"][0]["tone"], "warn");
        assert_eq!(Event::from_line(&line), Some(event));
        let python = r#"{"v":2,"type":"view","id":"h","view":{"kind":"headline","text":"hi"}}"#;
        assert!(matches!(
            Event::from_line(python),
            Some(Event::View {
                view: View::Headline {
                    tone: Tone::Normal,
                    ..
                },
                ..
            })
        ));
    }

    #[test]
    fn lines_carry_the_version_and_type_and_read_back() {
        let event = Event::Exit {
            pid: 7,
            role: "fork child 1".into(),
            code: Some(0),
            signal: None,
            lived_ms: Some(9.25),
        };
        let line = event.to_line();
        assert!(line.ends_with('\n'));
        let json: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(json["v"], VERSION);
        assert_eq!(json["type"], "exit");
        assert!(
            json.get("signal").is_none(),
            "absent fields are left out: {line}"
        );
        assert_eq!(Event::from_line(&line), Some(event));
    }

    #[test]
    fn results_are_numbers_or_booleans() {
        let mut results = BTreeMap::new();
        results.insert("fork_median_ms".to_string(), ResultValue::Number(0.5));
        results.insert("deadlocked".to_string(), ResultValue::Bool(true));
        let line = Event::Summary {
            demo: "x".into(),
            params: BTreeMap::new(),
            results,
        }
        .to_line();
        let json: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(json["results"]["fork_median_ms"], 0.5);
        assert_eq!(json["results"]["deadlocked"], true);
    }

    #[test]
    fn other_versions_and_garbage_are_skipped() {
        assert_eq!(
            Event::from_line(r#"{"v":99,"type":"error","message":"x"}"#),
            None
        );
        assert_eq!(Event::from_line("not json"), None);
        let python = r#"{"v": 1, "type": "progress", "message": "hi", "extra": 3}"#;
        assert!(matches!(
            Event::from_line(python),
            Some(Event::Progress { .. })
        ));
        assert_eq!(
            Event::from_line(r#"{"v":2,"type":"view","id":"x","view":{"kind":"hologram"}}"#),
            None,
            "an unknown view kind is skipped like any unknown line"
        );
    }
}

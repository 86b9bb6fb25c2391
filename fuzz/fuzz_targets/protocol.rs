//! Any bytes as a demo's standard output: every line is read as the runner reads it, an
//! event that parses must write back to a line that reads as the same event, and the events
//! are applied to a run's state and its views drawn, as the UI would.
//!
//! "The same event" allows each number to move by one unit in the last place: without its
//! `float_roundtrip` feature serde_json may read a 17-digit float one ULP off, so even its own
//! output need not read back exactly (serde-rs/json#707).
#![no_main]

use std::sync::OnceLock;
use std::time::Instant;

use lectern::app::Run;
use lectern::demo::protocol::Event;
use lectern::demo::{ALL, Params};
use lectern::theme::{Theme, ThemeName};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A demo's default parameters, worked out once (they look at the machine).
fn defaults() -> &'static Params {
    static DEFAULTS: OnceLock<Params> = OnceLock::new();
    DEFAULTS.get_or_init(|| ALL[0].defaults())
}

/// Whether two numbers are equal, or floats one ULP apart.
fn close(a: f64, b: f64) -> bool {
    a == b
        || (a.is_sign_negative() == b.is_sign_negative() && a.to_bits().abs_diff(b.to_bits()) <= 1)
}

/// Whether `a` and `b` are the same JSON, up to [`close`] floats.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| close(x, y))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut run = Run::new(1, ALL[0], defaults().clone(), (0, 0), Instant::now());
    // As `supervise::forward` and `runner::start` do: split after each `\n`, decode lossily,
    // drop the line ending, then `trim_end` before parsing.
    for raw in data.split_inclusive(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(raw)
            .trim_end_matches(['\n', '\r'])
            .to_string();
        let Some(event) = Event::from_line(text.trim_end()) else {
            continue;
        };
        let line = event.to_line();
        let again = Event::from_line(line.trim_end());
        let json = |e: &Event| serde_json::to_value(e).unwrap_or(Value::Null);
        assert!(
            again
                .as_ref()
                .is_some_and(|again| same(&json(again), &json(&event))),
            "{text:?} read as {event:?}, written as {line:?}, read back as {again:?}"
        );
        run.apply(event);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for (_, view) in run.views.iter() {
        let _ = lectern::ui::views::lines(view, 80, &theme);
    }
});

//! `lectern demo` run by a test, and what it printed: JSON lines, the summary's results.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use serde_json::Value;

use super::LECTERN;

pub fn demo(tag: &str, args: &[&str]) -> Output {
    // These tests are about the native engine; tests/python_engine.rs covers CPython.
    Command::new(LECTERN)
        .arg("demo")
        .args(args)
        .args(["--engine", "native"])
        .env("LECTERN_TEST_TAG", tag)
        .output()
        .expect("lectern runs")
}

pub fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

pub fn summary(lines: &[Value]) -> BTreeMap<String, Value> {
    let last = lines.last().expect("some output");
    assert_eq!(
        last["type"], "summary",
        "the last line is the summary: {last}"
    );
    serde_json::from_value(last["results"].clone()).expect("results object")
}

/// A result that must be a whole number.
pub fn count(results: &BTreeMap<String, Value>, key: &str) -> u64 {
    let value = number(results, key);
    assert!(
        value >= 0.0 && value.fract() == 0.0,
        "{key} = {value} is not a count"
    );
    results[key]
        .as_f64()
        .map_or(0, |v| format!("{v:.0}").parse().unwrap_or(0))
}

pub fn number(results: &BTreeMap<String, Value>, key: &str) -> f64 {
    results
        .get(key)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{key} missing from {results:?}"))
}

//! Walks the catalog: every demo runs headless with its quick parameters, speaks the protocol
//! from `hello` to `summary` with only the results its spec declares, describes its panel with views (a headline among them), and
//! leaves no process behind. A demo added to the catalog is tested here with no new code.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{LECTERN, assert_all_gone, unique_tag};

#[test]
fn every_demo_runs_quick_speaks_the_protocol_and_leaves_nothing() {
    for demo in lectern::demos::ALL {
        let name = demo.spec().name;
        let tag = unique_tag(&format!("walk-{name}"));
        let output = Command::new(LECTERN)
            .args(["demo", name, "--quick", "--json", "--engine", "native"])
            .env("LECTERN_TEST_TAG", &tag)
            .output()
            .expect("lectern runs");
        assert!(output.status.success(), "{name}: {output:?}");
        let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
            .collect();
        let first = lines.first().expect("output");
        assert_eq!(first["type"], "hello", "{name}");
        assert_eq!(first["demo"], name);
        assert_eq!(first["engine"], "native");
        let last = lines.last().expect("output");
        assert_eq!(last["type"], "summary", "{name}");
        let results = last["results"].as_object().expect("results");
        assert!(!results.is_empty(), "{name}: no results");
        // Lesson claims are checked against the declared results: every key a run reports
        // must be declared.
        for key in results.keys() {
            assert!(
                demo.spec().has_result(key),
                "{name}: result `{key}` is not in its spec's `results`"
            );
        }
        assert!(
            lines.iter().all(|l| l["v"] == 2),
            "{name}: every line is version 2"
        );
        let views: Vec<&Value> = lines.iter().filter(|l| l["type"] == "view").collect();
        assert!(
            views.iter().any(|v| v["id"] == "headline"),
            "{name}: no headline view"
        );
        assert!(
            views.iter().any(|v| v["id"] != "headline"),
            "{name}: no view besides the headline"
        );
        assert!(
            lines.iter().all(|l| l["type"] != "error"),
            "{name}: {lines:?}"
        );
        assert_all_gone(&tag, Duration::from_secs(1), name);
    }
}

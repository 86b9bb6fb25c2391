//! `lectern report` over several runs and several interpreters, as a user runs it: every run's
//! value, the median and range, in how many runs each claim held, a verdict by the edge rule,
//! one column per CPython given, and slide 3's "Linux default: fork" checked on each.

mod support;

use std::path::PathBuf;

use support::demo_json::lines as rows;
use support::report::{lectern, temp_lesson};

/// CPython interpreters from 3.8 on, each a different version, found under pyenv's versions
/// folder (where this machine keeps 3.8 to 3.13).
fn pyenv_interpreters() -> Vec<String> {
    let root = std::env::var_os("PYENV_ROOT").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".pyenv"),
        PathBuf::from,
    );
    let mut found: Vec<(Vec<u32>, String)> = std::fs::read_dir(root.join("versions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name.split('.').map_while(|p| p.parse().ok()).collect();
            let program = entry.path().join("bin/python3");
            (version.len() >= 2 && version[..2] >= [3, 8][..] && program.is_file())
                .then(|| (version, program.to_string_lossy().into_owned()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, program)| program).collect()
}

/// One claim that holds with room to spare and one false on purpose, so the verdicts cannot
/// all be one word whatever was measured.
const CLAIMS: &str = "## Copies\n\n<!-- demo: pickling -->\n\
<!-- claim: pickling result=copies_queue expect=>1 text=\"More than one copy through a queue\" -->\n\
<!-- claim: pickling result=copies_shm expect=>1000 text=\"A thousand copies through shared memory\" -->\n";

#[test]
fn each_claim_row_carries_every_runs_value_the_median_the_range_and_the_edge_rule() {
    let lesson = temp_lesson("runs.md", CLAIMS);
    let output = lectern(&[
        "report",
        lesson.to_str().unwrap(),
        "--json",
        "--quick",
        "--runs",
        "3",
        "--engine",
        "native",
    ]);
    assert!(output.status.success(), "{output:?}");
    let rows = rows(&output);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        assert_eq!(row["runs"], 3, "{row}");
        assert_eq!(row["interpreter"], "native", "{row}");
        assert_eq!(row["failed_runs"], 0, "{row}");
        let mut values: Vec<f64> = row["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_f64().expect("a number"))
            .collect();
        assert_eq!(values.len(), 3, "{row}");
        let holds = |v: f64| {
            if row["claim"] == "More than one copy through a queue" {
                v > 1.0
            } else {
                v > 1000.0
            }
        };
        let holds_in = values.iter().filter(|&&v| holds(v)).count();
        assert_eq!(row["holds_in"], holds_in, "{row}");
        let expected = match holds_in {
            0 => "differs",
            3 => "holds",
            _ => "edge",
        };
        assert_eq!(row["verdict"], expected, "{row}");
        values.sort_by(f64::total_cmp);
        assert_eq!(row["min"].as_f64(), Some(values[0]), "{row}");
        assert_eq!(row["median"].as_f64(), Some(values[1]), "{row}");
        assert_eq!(row["max"].as_f64(), Some(values[2]), "{row}");
        assert_eq!(row["value"], row["median"], "{row}");
    }
    assert_eq!(
        rows[1]["verdict"], "differs",
        "shared memory copies nothing"
    );

    let markdown = lectern(&[
        "report",
        lesson.to_str().unwrap(),
        "--quick",
        "--runs",
        "2",
        "--engine",
        "native",
    ]);
    assert!(markdown.status.success(), "{markdown:?}");
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        text.contains("each run made 2 times, interleaved"),
        "{text}"
    );
    assert!(text.contains(" of 2 · **differs**"), "{text}");
    assert!(text.contains("holds in 0 of 2"), "{text}");
}

#[test]
fn runs_out_of_range_are_refused_with_the_range() {
    let output = lectern(&["report", "--runs", "0"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--runs") && stderr.contains("1..=50"),
        "{stderr}"
    );
}

#[test]
fn two_interpreters_get_a_column_each_and_both_check_the_default_start_method() {
    let found = pyenv_interpreters();
    let [oldest, .., newest] = found.as_slice() else {
        eprintln!(
            "skipped: this test needs two CPython versions from 3.8 on under pyenv's versions \
             folder; found {found:?}"
        );
        return;
    };
    let lesson = temp_lesson(
        "default.md",
        "## Start methods\n\n<!-- demo: start-methods -->\n\
<!-- claim: start-methods result=default_is_fork expect=true text=\"Linux default: fork\" -->\n\
<!-- claim: start-methods result=fork_median_ms expect=<spawn_median_ms unit=ms text=\"fork starts faster than spawn\" -->\n",
    );
    let output = lectern(&[
        "report",
        lesson.to_str().unwrap(),
        "--json",
        "--quick",
        "--engine",
        "both",
        "--python",
        oldest,
        "--python",
        newest,
    ]);
    assert!(output.status.success(), "{output:?}");
    let rows = rows(&output);
    // Two claims × (native and two interpreters), in the order given.
    assert_eq!(rows.len(), 6, "{rows:?}");
    let interpreters: Vec<&str> = rows[..3]
        .iter()
        .map(|r| r["interpreter"].as_str().expect("named"))
        .collect();
    assert_eq!(interpreters[0], "native");
    for (name, program) in interpreters[1..].iter().zip([oldest, newest]) {
        let version = program
            .split('/')
            .rev()
            .nth(2)
            .expect("pyenv's versions/X.Y.Z/bin/python3");
        assert_eq!(*name, format!("CPython {version}"), "{rows:?}");
    }
    assert_ne!(interpreters[1], interpreters[2]);
    for row in &rows[1..3] {
        assert_eq!(row["engine"], "python");
        let minor: u32 = row["interpreter"]
            .as_str()
            .and_then(|i| i.split('.').nth(1))
            .and_then(|m| m.parse().ok())
            .expect("CPython 3.N.P");
        // Python 3.14 moved Linux's default to forkserver: the claim differs there, as the
        // twin's `≠ slide` note explains.
        let (value, verdict) = if minor < 14 {
            (true, "holds")
        } else {
            (false, "differs")
        };
        assert_eq!(row["value"], value, "{row}");
        assert_eq!(row["verdict"], verdict, "{row}");
    }
    assert_eq!(rows[0]["verdict"], "not measured", "{}", rows[0]);
    assert!(
        rows[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("native runs report no default_is_fork")),
        "{}",
        rows[0]
    );
}

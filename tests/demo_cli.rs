//! `lectern demos` and `lectern demo`: what each demo measures and teaches, parameter errors,
//! and that no demo process outlives `lectern demo` however it ends.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::demo_json::{demo, lines, number, summary};
use support::{LECTERN, assert_all_gone, tagged, unique_tag, wait_for_tagged};
#[test]
fn demos_lists_every_demo_with_its_parameters() {
    let output = Command::new(LECTERN).arg("demos").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "start-methods",
        "fork-lock",
        "main-guard",
        "children",
        "parent_mb",
        "import_ms",
        "timeout_ms",
        "guard",
        "cap",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}

#[test]
fn start_methods_measures_every_method_and_only_fork_children_carry_the_parents_pages() {
    let tag = unique_tag("start-methods");
    let output = demo(
        &tag,
        &[
            "start-methods",
            "--json",
            "--set",
            "linger_s=0",
            "--set",
            "children=3",
            "--set",
            "parent_mb=64",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let lines = lines(&output);
    assert!(lines.iter().all(|l| l["v"] == 2 && l["type"].is_string()));
    let results = summary(&lines);
    for method in ["fork", "spawn", "forkserver"] {
        for stat in [
            "min_ms",
            "median_ms",
            "max_ms",
            "child_rss_mb",
            "child_pss_mb",
        ] {
            number(&results, &format!("{method}_{stat}"));
        }
    }
    // Copy-on-write: a fork child maps the parent's 64 MiB (RSS) but shares them (PSS).
    assert!(number(&results, "fork_child_rss_mb") >= 64.0, "{results:?}");
    assert!(
        number(&results, "fork_child_pss_mb") < number(&results, "fork_child_rss_mb") / 2.0,
        "{results:?}"
    );
    // The forkserver starts fresh by exec, as CPython's does: its children carry none of
    // the parent's memory.
    assert!(
        number(&results, "forkserver_child_rss_mb") < 32.0,
        "{results:?}"
    );
    // Which start method is faster is a timing claim for the opt-in timing tests; here, every
    // method was measured.
    for method in ["fork", "spawn", "forkserver"] {
        assert!(number(&results, &format!("{method}_median_ms")) > 0.0);
    }
    // 3 children × 3 methods, the forkserver and the demo itself.
    assert!(
        (number(&results, "processes_started") - 11.0).abs() < 1e-9,
        "{results:?}"
    );
    let exits: Vec<&Value> = lines.iter().filter(|l| l["type"] == "exit").collect();
    assert_eq!(
        exits.len(),
        10,
        "every child and the forkserver were reaped and reported"
    );
    assert!(exits.iter().all(|e| e["code"] == 0), "{exits:?}");
    assert!(
        tagged(&tag).is_empty(),
        "processes left: {:?}",
        tagged(&tag)
    );
}

#[test]
fn simulated_imports_are_labelled_as_simulated() {
    let tag = unique_tag("simulated");
    let output = demo(
        &tag,
        &[
            "start-methods",
            "--json",
            "--set",
            "linger_s=0",
            "--set",
            "children=1",
            "--set",
            "import_ms=30",
        ],
    );
    let lines = lines(&output);
    let simulated = lines
        .iter()
        .any(|l| l["type"] == "note" && l["level"] == "simulated");
    assert!(simulated, "the simulation must say so");
    let results = summary(&lines);
    assert!(number(&results, "spawn_median_ms") >= 30.0, "{results:?}");
    assert!(
        number(&results, "forkserver_startup_ms") >= 30.0,
        "the forkserver imports once: {results:?}"
    );
    assert!(
        number(&results, "forkserver_median_ms") < 30.0,
        "its children do not: {results:?}"
    );
}

#[test]
fn fork_lock_deadlocks_unless_safe() {
    let tag = unique_tag("fork-lock");
    let output = demo(&tag, &["fork-lock", "--json", "--set", "timeout_ms=300"]);
    assert!(output.status.success(), "{output:?}");
    let lines = lines(&output);
    let results = summary(&lines);
    assert_eq!(results["deadlocked"], true);
    assert_eq!(results["child_killed"], true);
    let explained = lines.iter().any(|l| {
        l["type"] == "note"
            && l["message"]
                .as_str()
                .is_some_and(|m| m.contains("only the thread that called fork() exists"))
    });
    assert!(explained, "the watchdog must say why");
    let output = demo(&tag, &["fork-lock", "--json", "--set", "safe=true"]);
    let results = summary(&lines_of(&output));
    assert_eq!(results["deadlocked"], false);
    assert_eq!(results["child_killed"], false);
    assert!(tagged(&tag).is_empty());
}

fn lines_of(output: &Output) -> Vec<Value> {
    lines(output)
}

#[test]
fn main_guard_grows_until_the_cap_and_the_guard_stops_it() {
    let tag = unique_tag("main-guard");
    let output = demo(&tag, &["main-guard", "--json", "--set", "linger_s=0"]);
    assert!(output.status.success(), "{output:?}");
    let lines = lines(&output);
    let results = summary(&lines);
    assert_eq!(results["capped"], true);
    let cap = number(&results, "cap");
    let started = number(&results, "processes_started");
    assert!(
        (started - cap).abs() < 1e-9,
        "the cap is reached exactly: {results:?}"
    );
    assert!(number(&results, "would_start_without_cap") > cap);
    let processes = lines.iter().filter(|l| l["type"] == "process").count();
    assert!(
        (processes as f64 - started).abs() < 1e-9,
        "every process announced itself"
    );
    let exits = lines
        .iter()
        .filter(|l| l["type"] == "exit" && l["code"] == 0)
        .count();
    assert!(
        (exits as f64 - (started - 1.0)).abs() < 1e-9,
        "every process but the demo itself was reaped by its parent"
    );
    assert!(tagged(&tag).is_empty());

    let output = demo(
        &tag,
        &[
            "main-guard",
            "--json",
            "--set",
            "linger_s=0",
            "--set",
            "guard=true",
            "--set",
            "children=3",
        ],
    );
    let results = summary(&lines_of(&output));
    assert_eq!(results["capped"], false);
    assert!(
        (number(&results, "processes_started") - 4.0).abs() < 1e-9,
        "{results:?}"
    );
}

#[test]
fn readable_output_ends_with_a_results_table() {
    let tag = unique_tag("readable");
    let output = demo(&tag, &["fork-lock", "--set", "timeout_ms=200"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Results") && text.contains("deadlocked") && text.contains("true"),
        "{text}"
    );
}

#[test]
fn bad_names_and_parameters_exit_2_naming_the_valid_choices() {
    let cases: &[(&[&str], &str)] = &[
        (&["forkk"], "start-methods, fork-lock, main-guard"),
        (&["start-methods", "--set", "kids=2"], "children, parent_mb"),
        (&["start-methods", "--set", "children=0"], "from 1 to 20"),
        (&["fork-lock", "--set", "safe=maybe"], "true or false"),
        (&["start-methods", "--set", "children"], "key=value"),
        (
            &["start-methods", "--set", "children=20", "--set", "cap=20"],
            "needs 62 processes",
        ),
    ];
    for (args, needle) in cases {
        let output = demo("unused", args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[test]
fn no_demo_process_outlives_lectern_demo_however_it_ends() {
    for signal in ["INT", "TERM", "KILL"] {
        let tag = unique_tag(&format!("exit-{signal}"));
        let mut child = Command::new(LECTERN)
            .args([
                "demo",
                "main-guard",
                "--engine",
                "native",
                "--set",
                "linger_s=60",
                "--set",
                "cap=12",
            ])
            .env("LECTERN_TEST_TAG", &tag)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // lectern demo itself, its worker and at least 10 more.
        wait_for_tagged(&tag, 12);
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status();
        assert!(killed.unwrap().success());
        let _ = child.wait();
        assert_all_gone(
            &tag,
            Duration::from_secs(1),
            &format!("SIG{signal} to lectern demo"),
        );
    }
}

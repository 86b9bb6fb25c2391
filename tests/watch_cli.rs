//! `lectern watch --json` as a script would use it: exit codes, time limits, whole trees,
//! closed pipes, and no process left behind.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::survivors;

mod support;

const LECTERN: &str = env!("CARGO_BIN_EXE_lectern");

/// Tests that load the CPU run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn watch(args: &[&str]) -> Output {
    Command::new(LECTERN)
        .arg("watch")
        .args(args)
        .output()
        .expect("lectern runs")
}

fn records(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

#[test]
fn the_exit_code_is_passed_on_and_output_is_captured() {
    let output = watch(&["--json", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert_eq!(output.status.code(), Some(3));
    let records = records(&output);
    assert_eq!(records[0]["type"], "start");
    let last = records.last().unwrap();
    assert_eq!(
        (last["type"].as_str(), last["code"].as_u64()),
        (Some("exit"), Some(3))
    );
    let lines: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["type"] == "output")
        .map(|r| (r["stream"].as_str().unwrap(), r["line"].as_str().unwrap()))
        .collect();
    assert!(
        lines.contains(&("stdout", "out")) && lines.contains(&("stderr", "err")),
        "{lines:?}"
    );
}

#[test]
fn seconds_kills_a_command_that_ignores_sigterm_and_leaves_nothing_behind() {
    let marker = format!("lectern-test-ignores-term-{}", std::process::id());
    let script = "trap '' TERM; sleep 60 & while :; do sleep 0.1; done";
    let started = Instant::now();
    let output = watch(&[
        "--json",
        "--seconds",
        "1",
        "--",
        "sh",
        "-c",
        script,
        &marker,
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        output.status.code(),
        Some(137),
        "SIGKILL after the SIGTERM grace period"
    );
    let last = records(&output).pop().unwrap();
    assert_eq!(last["timed_out"], true);
    assert_eq!(last["signal"], 9);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(survivors(&marker), Vec::<String>::new());
}

#[test]
fn samples_cover_the_parent_and_every_child() {
    let marker = format!("lectern-test-tree-{}", std::process::id());
    let script = "sleep 5 & sleep 5 & wait";
    let output = watch(&[
        "--json",
        "--rate-hz",
        "10",
        "--seconds",
        "1.5",
        "--",
        "sh",
        "-c",
        script,
        &marker,
    ]);
    let records = records(&output);
    let samples: Vec<&Value> = records.iter().filter(|r| r["type"] == "sample").collect();
    assert!(
        samples.len() >= 5,
        "10 Hz for 1.5 s gave {} samples",
        samples.len()
    );
    let root = records[0]["pid"].as_u64().unwrap();
    let live_children = |procs: &Vec<Value>| {
        let is_child = |p: &&Value| p["ppid"].as_u64() == Some(root) && p["name"] == "sleep";
        procs
            .iter()
            .filter(is_child)
            .filter(|p| p["state"] != "exited")
            .count()
    };
    let best = samples
        .iter()
        .map(|s| s["procs"].as_array().unwrap())
        .find(|procs| live_children(procs) == 2)
        .unwrap_or_else(|| panic!("no sample shows both children: {samples:#?}"));
    for p in best {
        for key in [
            "pid",
            "ppid",
            "name",
            "label",
            "rss_bytes",
            "pss_bytes",
            "cpu_pct",
            "state",
        ] {
            assert!(p.get(key).is_some(), "{key} missing in {p}");
        }
    }
    assert!(
        best.iter()
            .any(|p| p["role"] == "ui" && p["label"] == "lectern watch")
    );
    assert_eq!(survivors(&marker), Vec::<String>::new());
}

#[test]
fn two_spinning_pool_workers_fill_both_cores() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let script = "import time\nfrom multiprocessing import Pool\n\
        def spin(s):\n    end = time.time() + s\n    while time.time() < end: pass\n\
        if __name__ == '__main__':\n    with Pool(2) as p: p.map(spin, [30, 30])\n";
    let output = watch(&["--json", "--seconds", "4", "--", "python3", "-c", script]);
    let records = records(&output);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let good = records.iter().filter(|r| r["type"] == "sample").any(|s| {
        let procs = s["procs"].as_array().unwrap();
        let pythons = procs
            .iter()
            .filter(|p| p["name"] == "python3" && p["state"] != "exited")
            .count();
        let busy_workers = procs
            .iter()
            .filter(|p| p["cpu_pct"].as_f64().unwrap_or(0.0) >= 80.0)
            .count();
        let busy_cores = s["cores"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.as_f64().unwrap_or(0.0) > 80.0)
            .count();
        pythons == 3 && busy_workers >= 2.min(cores) && busy_cores >= 2.min(cores)
    });
    assert!(
        good,
        "no sample showed the parent, two busy workers and busy cores"
    );
}

#[test]
fn samples_go_on_while_a_stopped_command_takes_its_time_to_exit() {
    // The command outlives the time limit by 0.6 s after SIGTERM: the gauges keep measuring it.
    let script = "trap 'sleep 0.6; exit 3' TERM; while true; do sleep 0.05; done";
    let output = watch(&[
        "--json",
        "--seconds",
        "1",
        "--rate-hz",
        "10",
        "--",
        "sh",
        "-c",
        script,
    ]);
    let records = records(&output);
    let last_sample = records
        .iter()
        .filter(|r| r["type"] == "sample")
        .filter_map(|r| r["t"].as_f64())
        .fold(0.0, f64::max);
    let exit = records.last().unwrap();
    assert_eq!(exit["type"], "exit");
    assert!(
        last_sample > 1.3,
        "no sample after the time limit: last at {last_sample} s, exit {exit}"
    );
}

#[test]
fn a_closed_pipe_stops_the_command_promptly() {
    let marker = format!("lectern-test-pipe-{}", std::process::id());
    let mut child = Command::new(LECTERN)
        .args([
            "watch",
            "--json",
            "--rate-hz",
            "20",
            "--",
            "sh",
            "-c",
            "sleep 60",
            &marker,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the next write fails with a broken pipe.
    let started = Instant::now();
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(survivors(&marker), Vec::<String>::new());
}

#[test]
fn a_missing_command_says_so_with_status_127() {
    let output = watch(&["--json", "--", "lectern-no-such-command"]);
    assert_eq!(output.status.code(), Some(127));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("cannot run `lectern-no-such-command`"),
        "{text}"
    );
}

#[test]
fn the_full_screen_view_needs_a_terminal_and_rates_are_checked() {
    let output = watch(&["--", "true"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--json"));
    let output = watch(&["--json", "--rate-hz", "50", "--", "true"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1..=20"),
        "{output:?}"
    );
}

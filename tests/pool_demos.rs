//! Slides 7, 10 and 11 on both engines: what each pool API hands over and when, where a pool
//! stops losing, what a killed worker does to each kind of pool, and the decision table's
//! I/O rows. The assertions are about structure the demos build in (a first task three times
//! as long, requests answered a fixed time late), with margins far beyond scheduling noise;
//! the speed claims themselves are measured by the demos, not asserted here.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{LECTERN, assert_all_gone, unique_tag};

const ENGINES: [&str; 2] = ["native", "python"];

/// Runs `lectern demo` on `engine` and returns the summary's results and every line.
/// The pool demos race workers against each other: one at a time, so this file's tests do
/// not make each other's load.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run(tag: &str, engine: &str, args: &[&str]) -> (Value, Vec<Value>) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new(LECTERN)
        .arg("demo")
        .args(args)
        .args(["--engine", engine, "--json"])
        .env("LECTERN_TEST_TAG", tag)
        .output()
        .expect("lectern runs");
    assert!(output.status.success(), "{engine} {args:?}: {output:?}");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    let summary = lines.last().expect("a summary line");
    assert_eq!(summary["type"], "summary", "{engine} {args:?}");
    (summary["results"].clone(), lines)
}

fn number(results: &Value, key: &str) -> f64 {
    results[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {key} in {results}"))
}

#[test]
fn each_pool_api_hands_results_over_by_its_own_rule() {
    for engine in ENGINES {
        let tag = unique_tag(&format!("pool-api-{engine}"));
        let (r, lines) = run(
            &tag,
            engine,
            &[
                "pool-api",
                "--set",
                "tasks=8",
                "--set",
                "task_ms=60",
                "--set",
                "workers=2",
                "--set",
                "memory_items=100000",
            ],
        );
        // map hands everything over at once.
        assert!(
            (number(&r, "first_result_ms_map") - number(&r, "last_result_ms_map")).abs() < 1e-6,
            "{engine}: {r}"
        );
        // The first task takes 180 ms, the others 60: imap waits for it, imap_unordered
        // hands over a short one first. That is a race between two workers, which another
        // core's worth of load (as the run itself measured it) can decide the other way.
        if number(&r, "other_load_cores") <= 0.5 {
            assert!(
                number(&r, "first_result_ms_imap_unordered") + 60.0
                    < number(&r, "first_result_ms_imap"),
                "{engine}: {r}"
            );
        }
        assert!(
            number(&r, "first_result_ms_imap_unordered") < number(&r, "first_result_ms_map"),
            "{engine}: {r}"
        );
        assert!(
            number(&r, "peak_mb_map") > number(&r, "peak_mb_imap"),
            "{engine}: map holds every result, imap streams: {r}"
        );
        let series = lines
            .iter()
            .filter(|l| l["type"] == "view" && l["view"]["kind"] == "series")
            .count();
        assert!(series >= 1, "{engine}: arrivals drawn as a series");
        assert_all_gone(&tag, Duration::from_secs(1), "pool-api");
    }
}

#[test]
fn a_pool_loses_to_sequential_code_on_one_microsecond_tasks() {
    for engine in ENGINES {
        let tag = unique_tag(&format!("crossover-{engine}"));
        let (r, _) = run(
            &tag,
            engine,
            &["crossover", "--set", "workers=2", "--set", "max_tasks=2000"],
        );
        assert!(number(&r, "speedup_cs1_1us") < 1.0, "{engine}: {r}");
        assert!(
            number(&r, "speedup_shortest") <= number(&r, "speedup_cs1_1us"),
            "{engine}: {r}"
        );
        assert!(number(&r, "break_even_us") >= 1.0, "{engine}: {r}");
        assert_all_gone(&tag, Duration::from_secs(1), "crossover");
    }
}

#[test]
fn a_killed_worker_hangs_the_replacing_pool_and_breaks_the_executor() {
    for engine in ENGINES {
        let tag = unique_tag(&format!("crash-{engine}"));
        let (r, lines) = run(
            &tag,
            engine,
            &[
                "worker-crash",
                "--set",
                "tasks=4",
                "--set",
                "task_ms=300",
                "--set",
                "watchdog_ms=1000",
            ],
        );
        assert_eq!(r["map_hung"], true, "{engine}: {r}");
        // On a busy machine the surviving worker may not finish its own tasks before the
        // watchdog: those count as lost too, so only "at least the killed one" is certain.
        let busy = number(&r, "other_load_cores") > 0.5;
        let lost = number(&r, "lost_tasks");
        assert!(
            (lost - 1.0).abs() < 1e-9 || (busy && lost >= 1.0),
            "{engine}: exactly the killed worker's task is lost: {r}"
        );
        assert_eq!(r["executor_broken"], true, "{engine}: {r}");
        assert!(number(&r, "failed_futures") >= 1.0, "{engine}: {r}");
        let killed = lines
            .iter()
            .filter(|l| l["type"] == "exit" && l["signal"] == 9)
            .count();
        assert!(
            killed >= 2,
            "{engine}: a worker killed in each pool: {lines:?}"
        );
        assert_all_gone(&tag, Duration::from_secs(1), "worker-crash");
    }
}

#[test]
fn waiting_on_io_overlaps_in_threads_and_an_event_loop() {
    for engine in ENGINES {
        let tag = unique_tag(&format!("io-{engine}"));
        let (r, _) = run(
            &tag,
            engine,
            &[
                "io-bound",
                "--set",
                "tasks=24",
                "--set",
                "io_ms=60",
                "--set",
                "threads=24",
                "--set",
                "workers=2",
                "--set",
                "hybrid=true",
            ],
        );
        // 24 requests answered 60 ms late: 1.44 s one after the other.
        let sequential = number(&r, "sequential_ms");
        assert!(sequential >= 24.0 * 60.0, "{engine}: {r}");
        for overlapped in ["threads_ms", "async_ms"] {
            assert!(
                number(&r, overlapped) < sequential / 3.0,
                "{engine}: {overlapped} overlaps the waits: {r}"
            );
        }
        // The hybrid waits on every request at once and computes on the pool: well under
        // waiting for each request and then computing each reply, one after the other.
        let one_after_the_other = sequential + number(&r, "cpu_sequential_ms");
        // With a core's worth of other load the pool has one core: the waits still overlap.
        let share = if number(&r, "other_load_cores") > 0.5 {
            0.75
        } else {
            0.5
        };
        assert!(
            number(&r, "hybrid_ms") < one_after_the_other * share,
            "{engine}: the hybrid overlaps waits and work: {r}"
        );
        assert!(
            number(&r, "processes_pss_mb") > number(&r, "threads_pss_mb"),
            "{engine}: processes cost more memory than threads: {r}"
        );
        assert_all_gone(&tag, Duration::from_secs(1), "io-bound");
    }
}

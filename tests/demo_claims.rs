//! The timing claims of the lecture, measured: opt-in, because they need an otherwise idle
//! machine. Run with `cargo test --release --test demo_claims -- --ignored`. Each adapts to
//! the cores it finds.

use std::process::Command;

use serde_json::Value;

/// Timing runs must not compete with each other for the cores.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn results(args: &[&str]) -> Value {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .arg("demo")
        .args(args)
        .args(["--json", "--engine", "native"])
        .output()
        .expect("lectern runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().expect("a summary line");
    let summary: Value = serde_json::from_str(last).expect("JSON");
    summary["results"].clone()
}

fn cores() -> u64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn two_threads_under_one_lock_do_no_more_than_about_one() {
    let r = results(&[
        "gil",
        "--set",
        "mode=gil",
        "--set",
        "workers=2",
        "--set",
        "duration_s=4",
    ]);
    let speedup = r["speedup"].as_f64().unwrap();
    assert!(
        speedup <= 1.2,
        "2 threads under the GIL ran {speedup:.2}× one"
    );
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn processes_use_the_free_cores() {
    let workers = cores().min(4);
    if workers < 2 {
        return; // nothing to show on one core
    }
    let r = results(&[
        "gil",
        "--set",
        "mode=processes",
        "--set",
        &format!("workers={workers}"),
        "--set",
        "duration_s=4",
    ]);
    let speedup = r["speedup"].as_f64().unwrap();
    let floor = 0.8 * workers as f64;
    assert!(
        speedup >= floor,
        "{workers} processes ran {speedup:.2}× one; expected at least {floor:.1}"
    );
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn chunksize_100_beats_1() {
    let r = results(&["chunksize"]);
    let (one, hundred) = (
        r["time_ms_cs1"].as_f64().unwrap(),
        r["time_ms_cs100"].as_f64().unwrap(),
    );
    assert!(
        hundred < one,
        "chunksize 100 took {hundred:.1} ms, chunksize 1 {one:.1} ms"
    );
}

/// Like [`results`], but the demo (and every process it starts) may run on core 0 only.
fn results_on_one_core(args: &[&str]) -> Value {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new("taskset")
        .args(["-c", "0", env!("CARGO_BIN_EXE_lectern"), "demo"])
        .args(args)
        .args(["--json", "--engine", "native"])
        .output()
        .expect("taskset (util-linux) runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().expect("a summary line");
    serde_json::from_str::<Value>(last).expect("JSON")["results"].clone()
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn cpu_work_is_cpu_time_so_a_pool_on_one_core_is_no_faster() {
    let r = results_on_one_core(&[
        "chunksize",
        "--set",
        "workers=4",
        "--set",
        "tasks=100",
        "--set",
        "task_us=10000",
    ]);
    for size in ["1", "10", "100", "1000", "default"] {
        let speedup = r[format!("speedup_cs{size}")].as_f64().unwrap();
        assert!(
            speedup <= 1.1,
            "4 workers on one core ran chunksize {size} {speedup:.2}× sequential"
        );
    }
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn a_core_kept_busy_by_another_process_is_named() {
    let mut spinner = Command::new("sh")
        .args(["-c", "while :; do :; done"])
        .spawn()
        .expect("sh runs");
    let r = results(&["gil", "--set", "duration_s=2"]);
    let _ = spinner.kill();
    let _ = spinner.wait();
    let other = r["other_load_cores"].as_f64().unwrap();
    assert!(
        (0.7..=1.3).contains(&other),
        "one spinning process should read as about one busy core, not {other:.2}"
    );
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn sending_paths_beats_sending_contents() {
    let r = results(&["paths-vs-payloads"]);
    let (paths, payloads) = (
        r["paths_ms"].as_f64().unwrap(),
        r["payloads_ms"].as_f64().unwrap(),
    );
    assert!(
        paths < payloads,
        "paths took {paths:.0} ms, contents {payloads:.0} ms"
    );
}

#[test]
#[ignore = "timing: run on an idle machine with --ignored"]
fn a_process_per_task_costs_more_than_a_reused_pool() {
    let r = results(&["process-cost", "--set", "tasks=20", "--set", "task_ms=2"]);
    let per_task = r["per_task_process_ms"].as_f64().expect("per-task time");
    let pool = r["pool_per_task_ms"].as_f64().expect("pool time");
    assert!(per_task > pool, "{r}");
}

//! The CPython engine: every demo's twin runs on the real `multiprocessing`, speaks the same
//! protocol with the same result keys as the native demo, leaves no process and no file
//! behind, and says what this CPython actually does.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::{LECTERN, assert_all_gone, unique_tag, wait_for_tagged};

/// A private, empty directory to run in (and to hold the twins' cache), so the test can see
/// that nothing is written to the current directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-py-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("cwd")).expect("a scratch directory");
    dir
}

fn demo(tag: &str, dir: &Path, engine: &str, args: &[&str]) -> Output {
    Command::new(LECTERN)
        .args(["demo"])
        .args(args)
        .args(["--engine", engine, "--json"])
        .current_dir(dir.join("cwd"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("LECTERN_TEST_TAG", tag)
        .output()
        .expect("lectern runs")
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn result_keys(lines: &[Value]) -> BTreeSet<String> {
    lines
        .last()
        .and_then(|l| l["results"].as_object())
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

fn roles(lines: &[Value]) -> BTreeSet<String> {
    lines
        .iter()
        .filter(|l| l["type"] == "process")
        .filter_map(|l| l["role"].as_str())
        .map(|r| r.trim_end_matches(char::is_numeric).to_string())
        .collect()
}

fn views(lines: &[Value]) -> BTreeSet<(String, String)> {
    lines
        .iter()
        .filter(|l| l["type"] == "view")
        .map(|l| {
            (
                l["id"].as_str().unwrap_or_default().to_string(),
                l["view"]["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_twin_speaks_like_its_native_demo_and_leaves_nothing() {
    let dir = scratch("walk");
    for unit in lectern::demos::ALL {
        let spec = unit.spec();
        if spec.python.is_none() {
            continue;
        }
        let quick: Vec<String> = spec
            .quick
            .iter()
            .flat_map(|(k, v)| ["--set".to_string(), format!("{k}={v}")])
            .collect();
        let mut args = vec![spec.name];
        args.extend(quick.iter().map(String::as_str));
        let tag = unique_tag(&format!("py-{}", spec.name));
        let native = demo(&tag, &dir, "native", &args);
        let python = demo(&tag, &dir, "python", &args);
        assert!(native.status.success(), "{}: {native:?}", spec.name);
        assert!(python.status.success(), "{}: {python:?}", spec.name);
        let (native, python) = (lines(&native), lines(&python));
        assert_eq!(python[0]["type"], "hello", "{}", spec.name);
        assert_eq!(python[0]["engine"], "python");
        assert!(
            python[0]["engine_detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("CPython 3.")),
            "{}: {}",
            spec.name,
            python[0]
        );
        assert!(python.iter().all(|l| l["v"] == 2), "{}", spec.name);
        assert_eq!(
            python.last().unwrap()["type"],
            "summary",
            "{}: the last line",
            spec.name
        );
        // The same result keys on both engines, but for what only CPython has.
        let mut native_keys = result_keys(&native);
        native_keys.extend(spec.python_results.iter().map(ToString::to_string));
        assert_eq!(
            result_keys(&python),
            native_keys,
            "{}: the same result keys on both engines",
            spec.name
        );
        // The same roles; CPython may add its own helpers (the resource tracker) and, for
        // main-guard, the script the twin runs beside itself.
        let (native_roles, python_roles) = (roles(&native), roles(&python));
        assert!(
            native_roles.is_subset(&python_roles),
            "{}: every native role on CPython too: {native_roles:?} vs {python_roles:?}",
            spec.name
        );
        assert_eq!(
            views(&python),
            views(&native),
            "{}: the same views",
            spec.name
        );
        assert_all_gone(&tag, Duration::from_secs(1), spec.name);
    }
    let written: Vec<_> = std::fs::read_dir(dir.join("cwd")).unwrap().collect();
    assert!(
        written.is_empty(),
        "nothing in the current directory: {written:?}"
    );
    let caches: Vec<String> = walk(&dir.join("cache"))
        .into_iter()
        .filter(|p| {
            p.contains("__pycache__")
                || Path::new(p)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pyc"))
        })
        .collect();
    assert!(caches.is_empty(), "no bytecode written: {caches:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            found.push(path.display().to_string());
            if path.is_dir() {
                found.extend(walk(&path));
            }
        }
    }
    found
}

fn summary(lines: &[Value]) -> &Value {
    &lines.last().expect("output")["results"]
}

#[test]
fn chunksize_on_cpython_counts_the_messages_as_they_cross() {
    let dir = scratch("chunksize");
    let tag = unique_tag("py-chunksize");
    let output = demo(
        &tag,
        &dir,
        "python",
        &[
            "chunksize",
            "--set",
            "tasks=10000",
            "--set",
            "task_us=1",
            "--set",
            "rounds=1",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let lines = lines(&output);
    let r = summary(&lines);
    assert_eq!(r["messages_cs1"], 10_000.0, "{r}");
    assert_eq!(r["messages_cs10"], 1_000.0, "{r}");
    assert_eq!(r["messages_cs100"], 100.0, "{r}");
    assert_eq!(r["messages_cs1000"], 10.0, "{r}");
    assert_all_gone(&tag, Duration::from_secs(1), "chunksize on CPython");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn main_guard_on_cpython_shows_what_this_cpython_does() {
    let dir = scratch("main-guard");
    let tag = unique_tag("py-main-guard");
    let output = demo(&tag, &dir, "python", &["main-guard", "--set", "linger_s=0"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("RuntimeError"), "{text}");
    let r = summary(&lines(&output)).clone();
    assert_eq!(r["capped"], false, "{r}");
    assert_all_gone(&tag, Duration::from_secs(1), "main-guard on CPython");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fork_lock_on_cpython_deadlocks_unless_safe() {
    let dir = scratch("fork-lock");
    let tag = unique_tag("py-fork-lock");
    let output = demo(
        &tag,
        &dir,
        "python",
        &["fork-lock", "--set", "timeout_ms=300"],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(summary(&lines(&output))["deadlocked"], true);
    let output = demo(
        &tag,
        &dir,
        "python",
        &["fork-lock", "--set", "timeout_ms=300", "--set", "safe=true"],
    );
    assert_eq!(summary(&lines(&output))["deadlocked"], false);
    assert_all_gone(&tag, Duration::from_secs(1), "fork-lock on CPython");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_of_lectern_leaves_no_python_process_of_the_demo() {
    let dir = scratch("kill9");
    let tag = unique_tag("py-kill9");
    let mut lectern = Command::new(LECTERN)
        .args([
            "demo",
            "chunksize",
            "--engine",
            "python",
            "--set",
            "task_us=2000",
        ])
        .current_dir(dir.join("cwd"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("LECTERN_TEST_TAG", &tag)
        .stdout(Stdio::null())
        .spawn()
        .expect("lectern runs");
    // lectern, the supervisor, python and its pool workers.
    wait_for_tagged(&tag, 5);
    lectern.kill().expect("SIGKILL");
    let _ = lectern.wait();
    assert_all_gone(
        &tag,
        Duration::from_secs(1),
        "the CPython demo after kill -9",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn asking_for_cpython_without_one_is_a_clear_error() {
    let output = Command::new(LECTERN)
        .args([
            "demo",
            "gil",
            "--engine",
            "python",
            "--python",
            "/no/such/python3",
        ])
        .output()
        .expect("lectern runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("/no/such/python3"), "{err}");
    let output = Command::new(LECTERN)
        .args([
            "demo",
            "fork-lock",
            "--quick",
            "--python",
            "/no/such/python3",
        ])
        .output()
        .expect("lectern runs");
    assert!(
        output.status.success(),
        "auto falls back to native: {output:?}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("native"));
}

#[test]
fn the_cost_demos_on_cpython_show_the_slides_claims() {
    let dir = scratch("costs");
    let tag = unique_tag("py-costs");
    let run = |args: &[&str]| {
        let output = demo(&tag, &dir, "python", args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        summary(&lines(&output)).clone()
    };
    let r = run(&["pickling", "--set", "size_mb=100"]);
    assert!(r["copies_queue"].as_f64().unwrap() >= 2.0, "{r}");
    assert!(r["copies_shm"].as_f64().unwrap() < 0.3, "{r}");
    assert_eq!(r["shm_sees_writes"], true);
    let r = run(&[
        "paths-vs-payloads",
        "--set",
        "files=4",
        "--set",
        "file_mb=4",
    ]);
    assert!(
        r["ipc_bytes_payloads"].as_f64().unwrap() >= 16.0 * 1024.0 * 1024.0,
        "{r}"
    );
    let r = run(&["process-cost", "--set", "tasks=12", "--set", "task_ms=2"]);
    assert!(
        r["per_task_process_ms"].as_f64().unwrap() > r["pool_per_task_ms"].as_f64().unwrap(),
        "{r}"
    );
    assert_all_gone(&tag, Duration::from_secs(1), "the cost demos on CPython");
    let shm: Vec<_> = std::fs::read_dir("/dev/shm")
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("lectern-"))
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    assert!(shm.is_empty(), "no shared memory left: {shm:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `lectern demo` says which parameters the engine leaves aside; the lecture does not put
/// that on the projector (a lesson sets both engines' parameters on purpose: slide 4).
#[test]
fn parameters_the_engine_leaves_aside_are_said_on_the_command_line_not_in_the_room() {
    let dir = scratch("unhonoured");
    let tag = unique_tag("py-unhonoured");
    let output = demo(
        &tag,
        &dir,
        "python",
        &["start-methods", "--quick", "--set", "import_mb=30"],
    );
    assert!(output.status.success(), "{output:?}");
    let said = lines(&output).iter().any(|l| {
        l["type"] == "note"
            && l["message"]
                .as_str()
                .is_some_and(|m| m.contains("import_mb=30 is not used by the python engine"))
    });
    assert!(said, "{}", String::from_utf8_lossy(&output.stdout));

    let tmux = support::Tmux::shell(120, 40);
    tmux.type_line(&format!(
        "XDG_CACHE_HOME={} LECTERN_TEST_TAG={tag} {LECTERN} --engine python --slide 4",
        dir.join("cache").display()
    ));
    tmux.wait_for(" 4 / 12 ");
    tmux.keys(&["Tab", "Enter"]);
    let screen = tmux.wait_for("finished in");
    assert!(screen.contains("· python"), "{screen}");
    assert!(!screen.contains("is not used by"), "{screen}");
    tmux.quit();
    assert_all_gone(&tag, Duration::from_secs(1), "slide 4's CPython run");
    let _ = std::fs::remove_dir_all(&dir);
}

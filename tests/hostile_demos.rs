//! Demos that misbehave: a stand-in "CPython" (a shell script that answers lectern's version
//! probe) writes garbage, a 10 MB line, invalid UTF-8, a flood of events, or dies mid-line. In
//! every case the lecture keeps answering keys, says what happened, keeps its memory bounded,
//! and leaves no process behind.

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use support::{LECTERN, Tmux, assert_all_gone, tagged, unique_tag};

/// Answers the version probe like CPython 3.11, then misbehaves as `LECTERN_HOSTILE` says.
const FAKE_PYTHON: &str = r#"#!/bin/sh
for a in "$@"; do
  if [ "$a" = "-c" ]; then echo "CPython 3 11 7"; echo "$0"; exit 0; fi
done
echo '{"v":2,"type":"hello","demo":"gil","params":{},"engine":"python","engine_detail":"a hostile stand-in"}'
case "$LECTERN_HOSTILE" in
garbage)
  head -c 100000 /dev/urandom
  printf '\nnot json at all\n\377\376 invalid utf-8\n'
  sleep 60 ;;
long-line)
  head -c 10485760 /dev/zero | tr '\000' 'x'
  echo
  echo '{"v":2,"type":"note","level":"info","message":"after the long line"}'
  sleep 60 ;;
flood)
  yes '{"v":2,"type":"progress","message":"flooding","done":1,"total":2}' ;;
mid-line)
  printf '{"v":2,"type":"result","name":"speedup","val'
  exit 7 ;;
esac
"#;

fn fake_python(dir: &std::path::Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("python3");
    std::fs::write(&path, FAKE_PYTHON).expect("test setup");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("test setup");
    path
}

/// lectern's resident memory, in MiB.
fn rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Runs slide 1's demo on the hostile stand-in and returns the screen once `expect` shows.
fn hostile(mode: &str, expect: &str) {
    let tag = unique_tag(mode);
    let dir = std::env::temp_dir().join(&tag);
    std::fs::create_dir_all(&dir).expect("test setup");
    let python = fake_python(&dir);
    let tmux = Tmux::shell(120, 40);
    tmux.type_line(&format!(
        "LECTERN_HOSTILE={mode} LECTERN_TEST_TAG={tag} {LECTERN} --engine python --python {}",
        python.display()
    ));
    tmux.wait_for("Lecture Overview");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(expect);
    // The lecture still answers keys, promptly, whatever the demo does.
    std::thread::sleep(Duration::from_millis(500));
    let asked = Instant::now();
    tmux.keys(&["?"]);
    tmux.wait_for("Keys");
    let answered = asked.elapsed();
    assert!(
        answered < Duration::from_secs(2),
        "{mode}: help took {answered:?}"
    );
    tmux.keys(&["Escape"]);
    let ui = tagged(&tag)
        .into_iter()
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| !String::from_utf8_lossy(&c).contains("worker"))
        })
        .expect("lectern runs");
    let rss = rss_mib(ui);
    assert!(rss < 150, "{mode}: lectern holds {rss} MiB\n{screen}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), mode);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn garbage_and_invalid_utf8_are_reported_not_drawn() {
    hostile("garbage", "the demo wrote a line");
}

#[test]
fn a_ten_megabyte_line_is_dropped_with_a_word_and_the_next_line_still_arrives() {
    hostile("long-line", "after the long line");
}

#[test]
fn a_flood_of_events_leaves_the_lecture_answering_keys() {
    hostile("flood", "flooding");
}

#[test]
fn a_demo_that_dies_mid_line_ends_the_run_with_its_status() {
    hostile("mid-line", "exit 7");
}

#[test]
fn an_unwritable_cache_directory_is_named_with_the_way_out() {
    let output = std::process::Command::new(LECTERN)
        .args(["demo", "gil", "--engine", "python", "--quick"])
        .env("XDG_CACHE_HOME", "/dev/null/not-a-directory")
        .output()
        .expect("lectern runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write the Python demos to /dev/null/not-a-directory")
            && stderr.contains("XDG_CACHE_HOME")
            && stderr.contains("--engine native"),
        "{stderr}"
    );
}

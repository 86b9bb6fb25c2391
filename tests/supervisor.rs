//! `lectern worker supervise`, which runs demos written in another language: it enforces the
//! process cap from outside, takes everything the program left behind down with it, and dies
//! (killing the group) when lectern dies. Tested with plain shell programs, so no Python is
//! needed.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{LECTERN, assert_all_gone, tagged, unique_tag, wait_for_tagged};

fn supervise(tag: &str, cap: u32, script: &str) -> Command {
    let mut command = Command::new(LECTERN);
    command
        .args([
            "worker",
            "supervise",
            "--parent",
            &std::process::id().to_string(),
        ])
        .args(["--cap", &cap.to_string(), "--", "sh", "-c", script, "sh"])
        .env("LECTERN_TEST_TAG", tag)
        .stdin(Stdio::null())
        .process_group(0);
    command
}

use std::os::unix::process::CommandExt;

#[test]
fn a_tree_over_the_cap_is_killed_from_outside_and_says_why() {
    let tag = unique_tag("supervise-cap");
    // Ten sleepers for a cap of 3 (plus 2 for an interpreter's helpers): over the cap.
    let output = supervise(
        &tag,
        3,
        "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; wait",
    )
    .output()
    .expect("lectern runs");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\"type\":\"error\""), "{stdout}");
    assert!(stdout.contains("process cap exceeded"), "{stdout}");
    assert!(stdout.contains("over its cap of 3"), "{stdout}");
    assert_all_gone(&tag, Duration::from_secs(1), "the capped tree");
}

#[test]
fn what_the_program_leaves_behind_goes_with_it() {
    let tag = unique_tag("supervise-leftovers");
    let started = Instant::now();
    let output = supervise(&tag, 8, "sleep 30 & sleep 30 & exit 4")
        .output()
        .expect("lectern runs");
    assert_eq!(output.status.code(), Some(4), "the program's own status");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait for the sleepers"
    );
    assert_all_gone(&tag, Duration::from_secs(1), "background children");
}

#[test]
fn when_lectern_dies_the_supervisor_takes_the_whole_group_down() {
    let tag = unique_tag("supervise-orphaned");
    // A stand-in for lectern: a shell that starts the supervisor and waits.
    let mut lectern = Command::new("sh")
        .args([
            "-c",
            "\"$0\" worker supervise --parent $$ --cap 8 -- sh -c 'sleep 30 & sleep 30 & wait'; :",
            LECTERN,
        ])
        .env("LECTERN_TEST_TAG", &tag)
        .spawn()
        .expect("sh runs");
    // The stand-in, the supervisor, its shell and two sleepers.
    wait_for_tagged(&tag, 5);
    lectern.kill().expect("SIGKILL");
    let _ = lectern.wait();
    assert_all_gone(
        &tag,
        Duration::from_secs(1),
        "the demo after lectern was killed",
    );
    assert!(tagged(&tag).is_empty());
}

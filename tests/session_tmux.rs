//! The session survives a quit or a crash: the next start offers it on its first screen (Enter
//! takes it back), `--resume` takes it back at once, `--fresh` ignores it, and `kill -9` in the
//! middle of a run leaves a file the next start reads.

mod support;

use std::time::Duration;

use support::{LECTERN, Tmux, tagged, unique_tag};

/// Runs slide 6's demo to its end on the native engine, starting the timer's count.
fn run_slide_6(tmux: &Tmux) {
    tmux.keys(&["6", "Enter"]);
    tmux.wait_for(" 6 / 12 ");
    tmux.keys(&["Enter"]);
    tmux.wait_for("finished in");
}

#[test]
fn a_quit_session_is_offered_and_taken_back_with_enter() {
    let tmux = Tmux::shell(120, 40);
    tmux.type_line(&format!("{LECTERN} --engine native"));
    tmux.wait_for(" 1 / 12 ");
    run_slide_6(&tmux);
    let result = tmux.screen();
    tmux.quit();
    tmux.assert_terminal_restored(0);

    // The next start offers it on the first screen (waiting for the whole frame: a capture
    // can land while the first one is still being written).
    tmux.type_line(&format!("{LECTERN} --engine native"));
    let offer = tmux.wait_until(
        |s| s.contains("Resume?") && s.contains(" / 12 "),
        "the offer over the first slide",
    );
    assert!(offer.contains("slide 6"), "{offer}");
    assert!(offer.contains("1 demo run"), "{offer}");
    assert!(
        offer.contains(" 1 / 12 "),
        "still on slide 1 until it is taken\n{offer}"
    );
    tmux.keys(&["Enter"]);
    let resumed = tmux.wait_for(" 6 / 12 ");
    assert!(!resumed.contains("Resume?"), "{resumed}");
    assert!(
        resumed.contains("finished in"),
        "the run's panel is back\n{resumed}"
    );
    // The run's headline, as it was.
    let headline = result
        .lines()
        .find(|l| l.contains("sentinel"))
        .map(|l| l.split('│').nth(1).unwrap_or_default().trim().to_string())
        .unwrap_or_default();
    assert!(resumed.contains(&headline), "{headline:?}\n{resumed}");
    tmux.quit();

    // --fresh: no offer; --resume: straight back.
    tmux.type_line(&format!("{LECTERN} --engine native --fresh"));
    let fresh = tmux.wait_for(" 1 / 12 ");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen().contains("Resume?"), "{fresh}");
    tmux.keys(&["6", "Enter"]);
    tmux.wait_for(" 6 / 12 ");
    tmux.quit();
    tmux.type_line(&format!("{LECTERN} --engine native --resume"));
    let back = tmux.wait_for(" 6 / 12 ");
    assert!(back.contains("Resumed"), "{back}");
    tmux.quit();
}

#[test]
fn any_other_key_starts_afresh_and_does_what_it_does() {
    let tmux = Tmux::shell(120, 40);
    tmux.type_line(&format!("{LECTERN} --engine native"));
    tmux.wait_for(" 1 / 12 ");
    tmux.keys(&["4", "Enter"]);
    tmux.wait_for(" 4 / 12 ");
    tmux.quit();
    tmux.type_line(&format!("{LECTERN} --engine native"));
    tmux.wait_for("Resume?");
    tmux.keys(&["PageDown"]);
    let screen = tmux.wait_for(" 2 / 12 ");
    assert!(!screen.contains("Resume?"), "{screen}");
    tmux.quit();
}

#[test]
fn kill_9_during_a_run_leaves_a_session_the_next_start_reads() {
    let tmux = Tmux::shell(120, 40);
    let tag = unique_tag("session-kill");
    tmux.type_line(&format!("LECTERN_TEST_TAG={tag} {LECTERN} --engine native"));
    tmux.wait_for(" 1 / 12 ");
    run_slide_6(&tmux);
    // A second run, killed with lectern in the middle of it.
    tmux.keys(&["Enter"]);
    tmux.wait_for("running");
    for pid in tagged(&tag) {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if !String::from_utf8_lossy(&cmdline).contains("worker") {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
    }
    support::assert_all_gone(
        &tag,
        Duration::from_secs(2),
        "lectern and its demo after kill -9",
    );
    // The killed lectern could not restore its terminal: the next start is in a new one, with
    // the same saved sessions.
    let next = Tmux::shell(120, 40);
    next.type_line(&format!(
        "XDG_STATE_HOME={} {LECTERN} --engine native",
        tmux.state_home().display()
    ));
    let offer = next.wait_for("Resume?");
    assert!(offer.contains("slide 6"), "{offer}");
    assert!(
        offer.contains("1 demo run"),
        "the finished run was saved\n{offer}"
    );
    next.keys(&["Escape"]);
    next.quit();
}

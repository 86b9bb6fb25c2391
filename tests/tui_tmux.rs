//! End to end: the real binary in tmux, driven by keys, checked on the captured screen, and
//! the shell's terminal checked afterwards.

mod support;

use std::time::{Duration, Instant};

use lectern::lesson::{EMBEDDED_SOURCE, parse};
use support::{
    LECTERN, PATIENCE, Tmux, alive, assert_all_gone, assert_gone_except, children_named, survivors,
    tagged, unique_tag, wait_for_tagged,
};

fn titles() -> Vec<String> {
    parse(EMBEDDED_SOURCE)
        .lesson
        .slides
        .iter()
        .map(|s| s.title.clone().expect("every slide has a title"))
        .collect()
}

/// Waits for slide `n` (1-based): its title and its counter in the footer.
fn expect_slide(tmux: &Tmux, n: usize) {
    let title = &titles()[n - 1];
    let counter = format!(" {n} / 12 ");
    tmux.wait_until(
        |s| s.contains(title.as_str()) && s.contains(&counter),
        &format!("slide {n}: {title}"),
    );
}

fn start_lectern(tmux: &Tmux, args: &str, first_slide: usize) {
    tmux.type_line(&format!("{LECTERN} {args}"));
    expect_slide(tmux, first_slide);
}

#[test]
fn every_key_family_reaches_every_slide_and_q_restores_the_terminal() {
    let tmux = Tmux::shell(120, 40);
    start_lectern(&tmux, "", 1);

    // Forward with each "next" key, one slide each.
    for (key, slide) in [
        ("Right", 2),
        ("Down", 3),
        ("Space", 4),
        ("PageDown", 5),
        ("l", 6),
        ("j", 7),
    ] {
        tmux.keys(&[key]);
        expect_slide(&tmux, slide);
    }
    // Back with each "previous" key.
    for (key, slide) in [
        ("Left", 6),
        ("Up", 5),
        ("PageUp", 4),
        ("BSpace", 3),
        ("h", 2),
        ("k", 1),
    ] {
        tmux.keys(&[key]);
        expect_slide(&tmux, slide);
    }
    // Jump by number, then the ends.
    tmux.keys(&["1", "2", "Enter"]);
    expect_slide(&tmux, 12);
    tmux.keys(&["9", "Enter"]);
    expect_slide(&tmux, 9);
    for (key, slide) in [("Home", 1), ("End", 12), ("g", 1), ("G", 12)] {
        tmux.keys(&[key]);
        expect_slide(&tmux, slide);
    }
    // A clicker: PageDown through the whole lecture and PageUp back.
    tmux.keys(&["Home"]);
    expect_slide(&tmux, 1);
    for slide in 2..=12 {
        tmux.keys(&["PageDown"]);
        expect_slide(&tmux, slide);
    }
    for slide in (1..=11).rev() {
        tmux.keys(&["PageUp"]);
        expect_slide(&tmux, slide);
    }
    // Help and notes open and close.
    tmux.keys(&["?"]);
    tmux.wait_for("? or Esc closes");
    tmux.keys(&["Escape"]);
    tmux.wait_until(|s| !s.contains("? or Esc closes"), "help to close");
    tmux.keys(&["s"]);
    tmux.wait_for("Speaker notes · slide 1");

    tmux.quit();
    tmux.wait_until(|s| !s.contains(" 1 / 12 "), "lectern to exit");
    tmux.assert_terminal_restored(0);
}

#[test]
fn termination_signals_restore_the_terminal() {
    for (signal, status) in [("TERM", 143), ("INT", 130)] {
        let tmux = Tmux::shell(100, 30);
        start_lectern(&tmux, "--slide 3", 3);
        let pids = children_named(tmux.shell_pid(), "lectern");
        assert_eq!(pids.len(), 1, "one lectern under the shell: {pids:?}");
        let kill = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pids[0].to_string()])
            .status();
        assert!(kill.unwrap().success());
        tmux.assert_terminal_restored(status);
    }
}

#[test]
fn ctrl_c_quits_cleanly() {
    let tmux = Tmux::shell(100, 30);
    start_lectern(&tmux, "--theme high-contrast", 1);
    tmux.keys(&["C-c"]);
    tmux.assert_terminal_restored(0);
}

#[test]
fn closing_the_terminal_ends_lectern() {
    let tmux = Tmux::shell(100, 30);
    start_lectern(&tmux, "", 1);
    let pid = children_named(tmux.shell_pid(), "lectern")[0];
    // Killing the tmux server hangs up the pane's terminal: lectern gets SIGHUP.
    drop(tmux);
    let start = Instant::now();
    while alive(pid) {
        assert!(
            start.elapsed() < PATIENCE,
            "lectern {pid} outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_small_terminal_states_the_minimum_and_recovers_on_resize() {
    let tmux = Tmux::shell(60, 18);
    tmux.type_line(LECTERN);
    let screen = tmux.wait_for("at least 80×24");
    assert!(screen.contains("60×18"), "{screen}");
    tmux.resize(100, 30);
    expect_slide(&tmux, 1);
    tmux.resize(70, 30);
    tmux.wait_for("70×30");
    tmux.quit();
    tmux.assert_terminal_restored(0);
}

#[test]
fn watch_shows_the_tree_and_output_and_q_stops_everything() {
    let tmux = Tmux::shell(120, 36);
    let marker = format!("lectern-e2e-watch-{}", std::process::id());
    tmux.type_line(&format!(
        "{LECTERN} watch -- sh -c 'echo hello-from-cmd; sleep 30' {marker}"
    ));
    let screen = tmux.wait_until(
        |s| s.contains("hello-from-cmd") && s.contains("└ sleep") && s.contains("lectern watch"),
        "the command's output and its sleep child",
    );
    assert!(screen.contains("CPU · "), "{screen}");
    tmux.keys(&["f"]);
    tmux.wait_for("FROZEN");
    tmux.quit();
    // Killed by our SIGTERM: the command's status is passed on (128 + 15).
    tmux.assert_terminal_restored(143);
    let screen = tmux.screen();
    assert!(screen.contains("because of you"), "{screen}");
    assert_eq!(survivors(&marker), Vec::<String>::new());
}

/// Starts lectern on slide 3 with every process it creates tagged, and returns its PID.
fn lecture_on_slide_3(tmux: &Tmux, tag: &str) -> u32 {
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --slide 3"
    ));
    expect_slide(tmux, 3);
    children_named(tmux.shell_pid(), "lectern")[0]
}

/// Runs slide 3's third demo, main-guard: a tree of 24 processes that lingers for 3 s.
fn run_main_guard(tmux: &Tmux, tag: &str) {
    tmux.keys(&["Tab", "Tab", "Enter"]);
    wait_for_tagged(tag, 20);
}

#[test]
fn enter_on_slide_3_runs_start_methods_with_its_children_in_the_gauges() {
    let tmux = Tmux::shell(130, 42);
    let tag = unique_tag("e2e-start-methods");
    let ui = lecture_on_slide_3(&tmux, &tag);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until(
        |s| s.contains("└ fork child") && s.contains("└ spawn child") && s.contains("forkserver"),
        "the demo's children labelled in the gauges",
    );
    assert!(screen.contains("start-methods"), "{screen}");
    let screen = tmux.wait_for("✔ finished");
    assert!(
        screen.contains("fork ") && screen.contains("spawn ") && screen.contains("ms"),
        "{screen}"
    );
    // Demo focus gives the run the screen; scrolling reaches how its processes ended.
    tmux.keys(&["z"]);
    tmux.wait_for("z shows the slide");
    let mut screen = tmux.screen();
    for _ in 0..6 {
        if screen.contains("processes ended:") {
            break;
        }
        tmux.keys(&["}"]);
        std::thread::sleep(Duration::from_millis(200));
        screen = tmux.screen();
    }
    assert!(
        screen.contains("exit 0"),
        "children's exit statuses shown:\n{screen}"
    );
    assert_gone_except(
        &tag,
        &[ui],
        Duration::from_secs(5),
        "children after their linger",
    );
    tmux.quit();
    tmux.assert_terminal_restored(0);
}

#[test]
fn leaving_the_slide_stops_the_demo_unless_pinned_and_x_stops_it() {
    let tmux = Tmux::shell(130, 42);
    let tag = unique_tag("e2e-slide-change");
    let ui = lecture_on_slide_3(&tmux, &tag);
    run_main_guard(&tmux, &tag);
    tmux.keys(&["PageDown"]);
    expect_slide(&tmux, 4);
    assert_gone_except(
        &tag,
        &[ui],
        Duration::from_secs(1),
        "demo after a slide change",
    );
    tmux.keys(&["PageUp"]);
    expect_slide(&tmux, 3);
    run_main_guard(&tmux, &tag);
    tmux.keys(&["p"]);
    tmux.wait_for("pinned");
    tmux.keys(&["PageDown"]);
    expect_slide(&tmux, 4);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tagged(&tag).len() >= 20,
        "a pinned demo keeps running on another slide"
    );
    tmux.keys(&["x"]);
    assert_gone_except(&tag, &[ui], Duration::from_secs(1), "demo after x");
    tmux.wait_for("Stopped main-guard");
    tmux.quit();
    tmux.assert_terminal_restored(0);
}

#[test]
fn no_demo_process_outlives_the_ui_however_it_ends() {
    for how in ["q", "C-c", "TERM", "HUP", "KILL", "closed"] {
        let tmux = Tmux::shell(130, 42);
        let tag = unique_tag(&format!("e2e-exit-{how}"));
        let ui = lecture_on_slide_3(&tmux, &tag);
        run_main_guard(&tmux, &tag);
        match how {
            "q" => tmux.quit(),
            "C-c" => tmux.keys(&[how]),
            // Closing the window: the terminal hangs up. The kernel signals only the shell,
            // so lectern notices the hang-up itself at its next sample.
            "closed" => drop(tmux),
            signal => {
                let sent = std::process::Command::new("kill")
                    .args([&format!("-{signal}"), &ui.to_string()])
                    .status();
                assert!(sent.unwrap().success());
            }
        }
        assert_gone_except(
            &tag,
            &[ui],
            Duration::from_secs(1),
            &format!("demo processes after {how}"),
        );
        // lectern itself may take a moment longer when its window closes: a write to a
        // terminal that is going away can block until the terminal is gone.
        assert_all_gone(&tag, PATIENCE, &format!("lectern after {how}"));
    }
}

#[test]
fn slides_2_6_and_8_run_their_demos_with_their_processes_in_the_gauges() {
    let tmux = Tmux::shell(140, 44);
    let tag = unique_tag("e2e-issue5");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --slide 2"
    ));
    expect_slide(&tmux, 2);
    tmux.keys(&["Enter"]);
    tmux.wait_until(
        |s| s.contains("thread 1 ") && s.contains("thread 2 ") && s.contains("demo 1/2: gil"),
        "gil lanes",
    );
    tmux.wait_for("worker alone");
    tmux.keys(&["6", "Enter"]);
    expect_slide(&tmux, 6);
    tmux.keys(&["Enter"]);
    tmux.wait_until(
        |s| s.contains("└ worker 4") && s.contains("task queue"),
        "queue workers in the gauges",
    );
    tmux.wait_for("so join() returned");
    tmux.keys(&["8", "Enter"]);
    expect_slide(&tmux, 8);
    tmux.keys(&["Enter"]);
    tmux.wait_until(
        |s| s.contains("└ pool worker 1"),
        "pool workers in the gauges",
    );
    tmux.wait_for("chunksize 1000");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after the three demos");
}

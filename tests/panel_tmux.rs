//! The demo panel and `lectern watch` as a presenter and a student use them, in a real
//! terminal (tmux): the editor after a run, Tab between a slide's demos, demo focus, and the
//! watched command's output left in the terminal.

mod support;

use std::time::Duration;

use support::{
    LECTERN, PATIENCE, Tmux, assert_all_gone, assert_gone_except, children_named, unique_tag,
    wait_for_tagged,
};

#[test]
fn after_a_run_the_editor_shows_what_it_edits_and_tab_shows_each_demos_own_results() {
    let tmux = Tmux::shell(120, 40);
    let tag = unique_tag("e2e-panel");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --slide 3"
    ));
    tmux.wait_for("3 / 12");
    tmux.keys(&["Enter"]);
    tmux.wait_for("✔ finished");
    // The editor after a run: it is drawn, and what the arrows change is on screen.
    tmux.keys(&["e"]);
    let screen = tmux.wait_for("↑↓ pick");
    // Per-core default (2 per core): read it rather than assume the core count.
    let children: u32 = screen
        .split("▶ children = ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no children row in the editor:\n{screen}"));
    let changed = if children < 20 {
        children + 1
    } else {
        children - 1
    };
    tmux.keys(&[if children < 20 { "Right" } else { "Left" }]);
    tmux.wait_for(&format!("▶ children = {changed}"));
    tmux.keys(&["Escape"]);
    tmux.wait_until(|s| !s.contains("↑↓ pick"), "the editor closes");
    // Tab: the second demo's own title, not the first demo's results.
    tmux.keys(&["Tab"]);
    // One frame, but the terminal may be caught halfway through drawing it: wait for both.
    let screen = tmux.wait_until(
        |s| {
            s.contains("Forking while another thread holds a lock")
                && s.contains("demo 2/3: fork-lock")
        },
        "the second demo and its footer",
    );
    assert!(screen.contains("Not run yet"), "{screen}");
    assert!(
        !screen.contains("per child after"),
        "the first demo's headline must not show under the second's title:\n{screen}"
    );
    assert!(
        screen.contains("demo 2/3: fork-lock"),
        "the footer names it:\n{screen}"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("DEADLOCK");
    // Back to the first demo: its own last results are still there.
    tmux.keys(&["Tab", "Tab"]);
    let screen = tmux.wait_for("Start methods: fork vs spawn vs forkserver");
    assert!(screen.contains("per child after"), "{screen}");
    assert!(!screen.contains("DEADLOCK"), "{screen}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after the panel test");
}

#[test]
fn a_run_on_a_small_screen_takes_it_and_shows_every_chunksize() {
    let tmux = Tmux::shell(80, 24);
    tmux.type_line(&format!("{LECTERN} --engine native --slide 8"));
    tmux.wait_for("8 / 12");
    tmux.keys(&["Enter"]);
    tmux.wait_for("z shows the slide");
    let screen = tmux.wait_for("default (");
    for label in [
        "sequential",
        "chunksize 1 ",
        "chunksize 10 ",
        "chunksize 100 ",
        "chunksize 1000",
    ] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    tmux.keys(&["z"]);
    tmux.wait_until(
        |s| !s.contains("z shows the slide"),
        "z gives the slide back",
    );
    tmux.quit();
    tmux.assert_terminal_restored(0);
}

#[test]
fn watch_stays_until_a_key_then_leaves_the_commands_output_in_the_terminal() {
    let tmux = Tmux::shell(100, 30);
    tmux.type_line(&format!(
        "{LECTERN} watch -- python3 -c \"print(6 * 7, 'RESULT')\""
    ));
    let screen = tmux.wait_for("any key leaves");
    assert!(screen.contains("ended: exit 0"), "{screen}");
    assert!(
        screen.contains("python3 -c \"print(6 * 7, 'RESULT')\""),
        "the command line keeps its quoting:\n{screen}"
    );
    tmux.keys(&["x"]);
    let screen = tmux.wait_for("ended with exit 0");
    assert!(screen.contains("42 RESULT"), "{screen}");
    tmux.assert_terminal_restored(0);
}

#[test]
fn slide_8_on_cpython_shows_the_engine_and_its_pool_workers_and_e_switches_back() {
    let tmux = Tmux::shell(120, 40);
    let tag = unique_tag("e2e-cpython");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine python --slide 8"
    ));
    tmux.wait_for("8 / 12");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until(
        |s| s.contains("└ pool worker 1") && s.contains("CPython 3."),
        "the CPython engine named in the panel and its pool workers in the gauges",
    );
    assert!(screen.contains("Demo · python"), "{screen}");
    tmux.wait_for("✔ finished");
    // E runs it again natively; then c compares the two runs.
    tmux.keys(&["E"]);
    tmux.wait_for("chunksize on lectern's native engine");
    tmux.wait_for("lectern 0.1.0 (Rust)");
    tmux.wait_until(
        |s| s.contains("✔ finished") && s.contains("Demo · native"),
        "native run",
    );
    tmux.keys(&["c"]);
    tmux.wait_for("Both engines, latest runs");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after both engines");
}

#[test]
fn no_cpython_demo_process_outlives_the_lecture_however_it_ends() {
    for how in ["q", "PageDown", "TERM", "HUP", "KILL", "closed"] {
        let tmux = Tmux::shell(120, 40);
        let tag = unique_tag(&format!("e2e-py-exit-{how}"));
        tmux.type_line(&format!(
            "LECTERN_TEST_TAG={tag} {LECTERN} --engine python --slide 8"
        ));
        tmux.wait_for("8 / 12");
        let ui = children_named(tmux.shell_pid(), "lectern")[0];
        tmux.keys(&["Enter"]);
        // lectern, the supervisor, python and two pool workers.
        wait_for_tagged(&tag, 5);
        match how {
            "q" => tmux.quit(),
            "PageDown" => tmux.keys(&[how]),
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
            &format!("CPython demo processes after {how}"),
        );
        if how == "PageDown" {
            continue; // the lecture goes on; the Tmux drop ends it
        }
        assert_all_gone(&tag, PATIENCE, &format!("lectern after {how}"));
    }
}

#[test]
fn slide_5_counts_the_copies_with_the_worker_in_the_gauges() {
    let tmux = Tmux::shell(120, 40);
    let tag = unique_tag("e2e-pickling");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --slide 5"
    ));
    tmux.wait_for("5 / 12");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until(
        |s| s.contains("└ worker") && s.contains("pickling"),
        "the worker process in the gauges",
    );
    assert!(screen.contains("32 MiB of bytes"), "{screen}");
    // The result, wherever the panel wraps it: both bars and the headline's start.
    let screen = tmux.wait_for("✔ finished");
    assert!(
        screen.contains("Through a pipe the 32 MiB payload"),
        "{screen}"
    );
    assert!(screen.contains("through a pipe █"), "{screen}");
    assert!(screen.contains("copies"), "{screen}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after the pickling demo");
}

#[test]
fn slide_10_on_cpython_kills_a_pool_worker_and_names_the_lost_task() {
    let tmux = Tmux::shell(120, 40);
    let tag = unique_tag("e2e-crash");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine python --slide 10"
    ));
    tmux.wait_for("10 / 12");
    // The third demo of the slide: Tab selects it, Enter runs it.
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("demo 3/3: worker-crash");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until(
        |s| s.contains("✔ finished") && s.contains("would have waited"),
        "the run's headline",
    );
    assert!(screen.contains("Demo 3/3 · Tab · python"), "{screen}");
    assert!(screen.contains("BrokenProcessPool"), "{screen}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(
        &tag,
        Duration::from_secs(1),
        "after the killed pool workers",
    );
}

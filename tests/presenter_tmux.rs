//! The room's screen (`lectern present`) and the presenter's screen (`lectern presenter`) in
//! two tmux panes: either drives both, the presenter shows the notes and the next slide, each
//! goes on when the other is killed, and two lectures on one machine never cross.

mod support;

use std::time::Duration;

use support::{LECTERN, Tmux, assert_all_gone, children_named, unique_tag, wait_for_tagged};

/// A private runtime directory of the test's own, so it never meets a real lecture.
fn runtime_dir(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("lectern-present-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.display().to_string()
}

fn kill(pid: u32) {
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(pid).expect("pid")),
        nix::sys::signal::Signal::SIGKILL,
    );
}

/// A killed full-screen program leaves its terminal raw: put the pane's terminal back (Enter
/// is a carriage return in raw mode, so the line ends with Ctrl-J).
fn sane(tmux: &Tmux, pane: &str) {
    tmux.keys_in(pane, &["-l", "stty sane; tput rmcup; clear"]);
    tmux.keys_in(pane, &["C-j"]);
    tmux.wait_until_in(pane, |s| s.trim() == "e2e$", "a clear shell");
}

fn only_lectern_in(tmux: &Tmux, pane: &str) -> u32 {
    let found = children_named(tmux.pane_pid(pane), "lectern");
    assert_eq!(found.len(), 1, "one lectern in pane {pane}: {found:?}");
    found[0]
}

#[test]
fn either_pane_drives_both_and_each_goes_on_when_the_other_is_killed() {
    let tmux = Tmux::shell(200, 40);
    let (room, laptop) = tmux.split();
    let dir = runtime_dir("two-panes");
    let tag = unique_tag("present");
    tmux.type_line_in(
        &room,
        &format!(
            "LECTERN_RUNTIME_DIR={dir} LECTERN_TEST_TAG={tag} {LECTERN} present --name e2e \
             --engine native"
        ),
    );
    tmux.wait_for_in(&room, "1 / 12");
    tmux.type_line_in(
        &laptop,
        &format!("LECTERN_RUNTIME_DIR={dir} {LECTERN} presenter"),
    );
    tmux.wait_for_in(&laptop, "● room `e2e` ·");
    tmux.wait_for_in(&room, "Presenter screen connected");
    // The presenter's pane: this slide's notes and the next slide's title and first lines.
    let screen = tmux.wait_for_in(&laptop, "Next · 2 · Why Threads Fail on CPU-Bound Work");
    assert!(screen.contains("Now · 1 · Lecture Overview"), "{screen}");
    assert!(
        screen.contains("Last lecture ended at the GIL wall"),
        "{screen}"
    );
    assert!(
        screen.contains("The GIL wall"),
        "next slide's first lines:\n{screen}"
    );
    assert!(
        screen.contains("/ 50:00"),
        "timer against the plan:\n{screen}"
    );
    // The room's state may follow the lesson's loading by a frame.
    tmux.wait_for_in(&laptop, "Enter runs gil");

    // PageDown in the presenter's pane moves both.
    tmux.keys_in(&laptop, &["PageDown"]);
    tmux.wait_for_in(&room, "2 / 12");
    tmux.wait_for_in(&laptop, "Next · 3 · Process Start Methods");
    // PageDown in the room's pane moves both.
    tmux.keys_in(&room, &["PageDown"]);
    tmux.wait_for_in(&laptop, "Now · 3 · Process Start Methods");
    tmux.wait_for_in(&room, "3 / 12");
    // A demo started from the laptop runs in the room, and the laptop reports it.
    tmux.keys_in(&laptop, &["Enter"]);
    tmux.wait_for_in(&laptop, "start-methods (native)");
    tmux.keys_in(&laptop, &["x"]);
    tmux.wait_for_in(&laptop, "stopped with x");

    // Killing the presenter's screen: the room goes on, and says so.
    kill(only_lectern_in(&tmux, &laptop));
    tmux.wait_for_in(&room, "The presenter screen has gone");
    sane(&tmux, &laptop);
    tmux.keys_in(&room, &["Right"]);
    tmux.wait_for_in(&room, "4 / 12");

    // A new presenter screen joins where the room is.
    tmux.type_line_in(
        &laptop,
        &format!("LECTERN_RUNTIME_DIR={dir} {LECTERN} presenter --name e2e"),
    );
    tmux.wait_for_in(&laptop, "Now · 4 ·");
    // A demo started from the laptop is running in the room when the room is killed.
    tmux.keys_in(&laptop, &["Enter"]);
    tmux.wait_for_in(&laptop, "process-cost (native): running");
    wait_for_tagged(&tag, 1);
    // Killing the room: the presenter goes on alone, says so, and still turns its slides.
    kill(only_lectern_in(&tmux, &room));
    tmux.wait_for_in(&laptop, "room `e2e` gone");
    tmux.keys_in(&laptop, &["PageDown"]);
    tmux.wait_for_in(&laptop, "Now · 5 ·");
    // The room's demo died with it.
    assert_all_gone(&tag, Duration::from_secs(2), "after the room was killed");
    sane(&tmux, &room);
    // The room comes back under its name, on another slide: it takes the slide and timer of
    // the presenter screen, which kept going, and the presenter screen follows it again.
    tmux.type_line_in(
        &room,
        &format!(
            "LECTERN_RUNTIME_DIR={dir} {LECTERN} present --name e2e --engine native --slide 9"
        ),
    );
    tmux.wait_for_in(&room, "The presenter screen kept going: slide 5");
    tmux.wait_for_in(&room, "5 / 12");
    tmux.wait_for_in(&laptop, "● room `e2e` ·");
    let followed = tmux.wait_for_in(&laptop, "Now · 5 ·");
    assert!(!followed.contains("Now · 9 ·"), "{followed}");
    // The notice goes by itself: the footer has its title back.
    tmux.wait_until_in(
        &room,
        |s| !s.contains("kept going"),
        "the notice to go by itself",
    );
    // q on the presenter quits only the presenter, and its terminal is restored.
    tmux.keys_in(&laptop, &["q"]);
    tmux.select(&laptop);
    tmux.assert_terminal_restored(0);
    tmux.wait_for_in(&room, "The presenter screen has gone");
    tmux.quit_in(&room);
    tmux.select(&room);
    tmux.assert_terminal_restored(0);
    // The room's socket went with it.
    let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert!(left.is_empty(), "sockets left: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_lectures_on_one_machine_never_cross() {
    let tmux = Tmux::shell(200, 40);
    let (first, second) = tmux.split();
    let laptop = Tmux::shell(100, 40);
    let dir = runtime_dir("two-lectures");
    for (pane, name) in [(&first, "alpha"), (&second, "beta")] {
        tmux.type_line_in(
            pane,
            &format!("LECTERN_RUNTIME_DIR={dir} {LECTERN} present --name {name} --engine native"),
        );
        tmux.wait_for_in(pane, "1 / 12");
    }
    // Without a name, the presenter screen will not guess.
    laptop.type_line(&format!("LECTERN_RUNTIME_DIR={dir} {LECTERN} presenter"));
    let screen = laptop.wait_for("choose one with");
    assert!(
        screen.contains("2 lectures are being presented"),
        "{screen}"
    );
    assert!(screen.contains("alpha, be"), "{screen}");
    // A name already in use is refused.
    laptop.type_line(&format!(
        "LECTERN_RUNTIME_DIR={dir} {LECTERN} present --name beta"
    ));
    laptop.wait_for("a lecture named `beta` is already being presented here");
    // With a name, it drives that lecture only.
    laptop.type_line(&format!(
        "LECTERN_RUNTIME_DIR={dir} {LECTERN} presenter --name beta"
    ));
    laptop.wait_for("● room `beta` ·");
    laptop.keys(&["PageDown"]);
    tmux.wait_for_in(&second, "2 / 12");
    laptop.wait_for("Now · 2 ·");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tmux.screen_of(&first).contains("1 / 12"),
        "{}",
        tmux.screen_of(&first)
    );
    laptop.keys(&["q"]);
    laptop.assert_terminal_restored(0);
    for pane in [&first, &second] {
        tmux.quit_in(pane);
    }
    tmux.wait_until_in(
        &first,
        |s| s.contains("e2e$") && !s.contains("1 / 12"),
        "alpha quit",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

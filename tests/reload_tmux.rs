//! Live reload as an author meets it: presenting a lesson file, a saved change to a title
//! shows on screen (also when the editor saves by rename); a save that breaks the lesson keeps
//! the slides and says the first problem; the fix brings the new slides back.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{LECTERN, Tmux, assert_all_gone, unique_tag};

const LESSON: &str = "+++\ntitle = \"Reload\"\n+++\n\n## First Slide\n\nSome text.\n\n<!-- demo: gil -->\n\n---\n\n## Second Slide\n\nMore text.\n";

/// Saves `text` as an editor that writes a new file and renames it over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let beside = path.with_extension("md.tmp");
    std::fs::write(&beside, text).expect("test setup");
    std::fs::rename(&beside, path).expect("test setup");
}

#[test]
fn a_saved_lesson_reloads_and_a_broken_save_keeps_the_slides() {
    let tmux = Tmux::shell(100, 30);
    let dir = tmux.state_home().join("lesson");
    std::fs::create_dir_all(&dir).expect("test setup");
    let file = dir.join("reload.md");
    std::fs::write(&file, LESSON).expect("test setup");
    let tag = unique_tag("reload");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --fresh {}",
        file.display()
    ));
    tmux.wait_for("First Slide");

    // A plain save of the title on screen.
    let saved = Instant::now();
    std::fs::write(&file, LESSON.replace("First Slide", "Renamed Slide")).expect("test setup");
    tmux.wait_for("Renamed Slide");
    // Within a second is the aim (four looks a second, one to see it settle); the test
    // allows for a loaded machine.
    let took = saved.elapsed();
    assert!(took < Duration::from_secs(3), "reloaded after {took:?}");

    // A save by rename, of the other slide: the lecture goes to it.
    let renamed = LESSON.replace("First Slide", "Renamed Slide");
    save_by_rename(&file, &renamed.replace("Second Slide", "Edited Slide"));
    tmux.wait_for("Edited Slide");
    tmux.wait_for(" 2 / 2 ");

    // A broken save: the slides stay, the footer says the first problem.
    let broken = renamed
        .replace("Second Slide", "Edited Slide")
        .replace("demo: gil", "demo: nope");
    std::fs::write(&file, &broken).expect("test setup");
    let said = tmux.wait_for("not reloaded");
    assert!(said.contains("Edited Slide"), "{said}");
    assert!(said.contains("reload.md:9:"), "the problem's place: {said}");

    // The fix: the new slides, and the line is gone.
    std::fs::write(
        &file,
        broken
            .replace("demo: nope", "demo: gil")
            .replace("Edited Slide", "Fixed Slide"),
    )
    .expect("test setup");
    let fixed = tmux.wait_for("Fixed Slide");
    assert!(!fixed.contains("not reloaded"), "{fixed}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after quitting");
}

//! `lectern check` as a user runs it: exit codes and `PATH:LINE:COL:` lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lectern(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .output()
        .expect("lectern runs")
}

fn temp_lesson(name: &str, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("test setup");
    path
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_shipped_lecture_is_valid() {
    let lesson = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/25-multiprocessing.md");
    let output = lectern(&["check", lesson.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stdout_of(&output), "", "a valid lesson prints no problems");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ok — 12 slides"), "{stderr}");
}

#[test]
fn broken_front_matter_on_line_two_is_reported_as_path_2_col() {
    let path = temp_lesson("broken.md", b"+++\ntitle = = \"x\"\n+++\n## Slide\n");
    let output = lectern(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    let prefix = format!("{}:2:", path.display());
    assert!(stdout.starts_with(&prefix), "{stdout}");
    let col: usize = stdout[prefix.len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(col >= 1, "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn every_problem_gets_its_own_line_and_all_files_are_checked() {
    let bad = temp_lesson(
        "many.md",
        b"## A\n<!-- demos: x -->\n---\n\n---\n## C\n```\nopen\n",
    );
    let good = temp_lesson("good.md", b"## Fine\n\ntext\n");
    let output = lectern(&["check", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let name = bad.display().to_string();
    assert!(
        lines[0].starts_with(&format!("{name}:2:6: error: unknown directive")),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!("{name}:4:1: error: slide 2 has no content")),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with(&format!("{name}:7:1: error: code block")),
        "{stdout}"
    );
}

#[test]
fn empty_unreadable_and_binary_files_are_errors_not_panics() {
    let empty = temp_lesson("empty.md", b"");
    let binary = temp_lesson("binary.md", &[0xff, 0xfe, 0x00, 0x41]);
    let missing = std::env::temp_dir().join("lectern-no-such-file.md");
    for path in [&empty, &binary, &missing] {
        let output = lectern(&["check", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{path:?}: {output:?}");
        let stdout = stdout_of(&output);
        assert!(
            stdout.starts_with(&format!("{}:1:1: error:", path.display())),
            "{stdout}"
        );
    }
}

#[test]
fn check_without_paths_is_a_usage_error() {
    let output = lectern(&["check"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn presenting_without_a_terminal_is_a_clear_error_with_status_2() {
    // Output captured by the test harness is a pipe, not a terminal.
    let output = lectern(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a terminal"), "{stderr}");
}

#[test]
fn unknown_themes_are_rejected_with_the_valid_choices() {
    let output = lectern(&["--theme", "neon"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("dark") && stderr.contains("high-contrast"),
        "{stderr}"
    );
}

//! The lecture's UI keeps tree-sitter out of its memory: `lectern worker highlight` does the
//! highlighting, and the UI's code blocks show plain until its answer is handed to them.
//! (One test: switching a process to highlighting elsewhere is process-wide.)

use std::io::Write;
use std::process::{Command, Stdio};

use lectern::lesson::highlight::{highlight, highlight_elsewhere};
use lectern::lesson::{CodeToken, TokenKind, embedded};

const LECTERN: &str = env!("CARGO_BIN_EXE_lectern");

fn helper(input: &[u8]) -> std::process::Output {
    let mut child = Command::new(LECTERN)
        .args([
            "worker",
            "highlight",
            "--parent",
            &std::process::id().to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lectern runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    child.wait_with_output().expect("output")
}

#[test]
fn the_helper_highlights_what_the_ui_shows_plain_until_then() {
    let lesson = embedded().expect("built-in lesson").0;
    let sources: Vec<String> = lesson
        .python_blocks()
        .iter()
        .map(|code| code.source.clone())
        .collect();
    assert!(sources.len() >= 10, "the lecture has Python on most slides");
    // What highlighting in this process gives, before switching it off.
    let expected: Vec<Vec<Vec<CodeToken>>> = sources
        .iter()
        .map(|source| highlight(Some("python"), source))
        .collect();
    let out = helper(&serde_json::to_vec(&sources).expect("json"));
    assert!(out.status.success(), "{out:?}");
    let answered: Vec<Vec<Vec<CodeToken>>> =
        serde_json::from_slice(&out.stdout).expect("the helper answers JSON");
    assert_eq!(answered, expected);

    highlight_elsewhere();
    let first = lesson.python_blocks()[0];
    assert!(!first.is_highlighted());
    let plain = first.lines();
    assert!(
        plain.iter().flatten().all(|t| t.kind == TokenKind::Plain),
        "plain until the helper answers"
    );
    assert_eq!(lesson.take_highlighted(answered), sources.len());
    let first = lesson.python_blocks()[0];
    assert!(first.is_highlighted());
    assert!(
        first
            .lines()
            .iter()
            .flatten()
            .any(|t| t.kind == TokenKind::Keyword)
    );
    assert_eq!(first.lines(), expected[0].as_slice());

    // Bad input is an error status, not a panic or a hang.
    let bad = helper(b"not json");
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(
        bad.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

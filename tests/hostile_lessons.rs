//! Lessons nobody should write, and paths that are not lessons: each gets a clear message or
//! renders, in bounded time, with no panic, no hang and no control character reaching the
//! terminal. The first frame is drawn without a terminal (`--script` with `--size`), which
//! prints it on stdout.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: the 10 MB lesson's first frame takes about 0.8 s on the 2-core build machine in
/// a release build; an unoptimised build (plain `cargo test`) is several times slower.
const BOUND: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(30)
} else {
    Duration::from_secs(5)
};

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    dir
}

fn write(name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir().join(name);
    std::fs::write(&path, bytes).expect("test setup");
    path
}

/// Runs lectern with a kill timer, so a hang fails the test instead of stalling the suite.
fn lectern(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lectern runs");
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(90));
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    });
    drop(watchdog);
    let output = child.wait_with_output().expect("lectern ends");
    (output, started.elapsed())
}

/// The first frame of `lesson` at 100×30, drawn in memory.
fn first_frame(lesson: &Path) -> (String, Duration) {
    let script = write("empty.script", "");
    let (output, took) = lectern(&[
        lesson.to_str().expect("UTF-8 path"),
        "--script",
        script.to_str().expect("UTF-8 path"),
        "--size",
        "100x30",
    ]);
    assert!(output.status.success(), "{output:?}");
    (String::from_utf8(output.stdout).expect("UTF-8 frame"), took)
}

fn check(path: &Path) -> String {
    let (output, took) = lectern(&["check", path.to_str().expect("UTF-8 path")]);
    assert!(took < BOUND, "check took {took:?}");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn paths_that_are_not_lesson_files_are_refused_before_reading() {
    let fifo = dir().join("fifo");
    let _ = std::fs::remove_file(&fifo);
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs")
            .success()
    );
    let huge = dir().join("huge.md");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(17 * 1024 * 1024))
        .expect("a sparse 17 MiB file");
    for (path, says) in [
        (dir(), "it is a directory"),
        (fifo.clone(), "not a regular file"),
        (PathBuf::from("/dev/zero"), "not a regular file"),
        (
            huge.clone(),
            "it is 17 MiB; lectern reads lessons up to 16 MiB",
        ),
        (dir().join("missing.md"), "No such file"),
    ] {
        let out = check(&path);
        assert!(
            out.starts_with(&format!(
                "{}:1:1: error: cannot read the file: ",
                path.display()
            )),
            "{out}"
        );
        assert!(out.contains(says), "{says}: {out}");
        // Presenting refuses it the same way, without waiting on a FIFO's writer.
        let script = write("empty.script", "");
        let (output, took) = lectern(&[
            path.to_str().expect("UTF-8 path"),
            "--script",
            script.to_str().expect("UTF-8 path"),
            "--size",
            "100x30",
        ]);
        assert!(took < BOUND, "{took:?}");
        assert!(!output.status.success(), "{output:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(says));
    }
}

#[test]
fn ten_megabytes_of_slides_open_in_bounded_time() {
    let mut text = String::from("+++\ntitle = \"Big\"\n+++\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        i += 1;
        let _ = write!(
            text,
            "## Slide {i}\n\n- bullet **bold** `code` {i}\n  - nested\n\n```python\nprint({i})\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n"
        );
    }
    let lesson = write("big.md", &text);
    let (frame, took) = first_frame(&lesson);
    assert!(took < BOUND, "first frame after {took:?}");
    assert!(
        frame.contains("Slide 1") && frame.contains(&format!("1 / {i}")),
        "{frame}"
    );
}

#[test]
fn a_hundred_thousand_slides_a_megabyte_line_and_an_endless_word_render() {
    let many = (0..100_000).fold(String::new(), |mut acc, i| {
        let _ = write!(acc, "## S{i}\n\ntext\n\n---\n\n");
        acc
    });
    let long_line = format!("## Long\n\n{}\n", "word ".repeat(210_000));
    let long_word = format!("## Word\n\n{}\n", "x".repeat(100_000));
    for (name, text, shows) in [
        ("many.md", many, "1 / 100000"),
        ("line.md", long_line, "word word"),
        ("word.md", long_word, "xxxxxxxx"),
    ] {
        let (frame, took) = first_frame(&write(name, text));
        assert!(took < BOUND, "{name}: {took:?}");
        assert!(frame.contains(shows), "{name}:\n{frame}");
    }
}

#[test]
fn nesting_thousands_deep_is_flattened_not_a_stack_overflow() {
    let lists = (0..2500).fold(String::new(), |mut acc, i| {
        let _ = writeln!(acc, "{}- level {i}", "  ".repeat(i));
        acc
    });
    let quotes = format!("{}deep\n", "> ".repeat(100_000));
    let emphasis = "*a **b ".repeat(50_000);
    let brackets = "[".repeat(100_000);
    for (name, body, shows) in [
        ("lists.md", lists, "level 0"),
        ("quotes.md", quotes, "deep"),
        ("emphasis.md", emphasis, "a"),
        ("brackets.md", brackets, "[[[["),
    ] {
        let (frame, took) = first_frame(&write(name, format!("## Nest\n\n{body}")));
        assert!(took < BOUND, "{name}: {took:?}");
        assert!(frame.contains(shows), "{name}:\n{frame}");
    }
}

#[test]
fn escape_sequences_in_every_field_never_reach_the_terminal() {
    let esc = "\u{1b}[31m\u{1b}]0;owned\u{7}\u{9b}2J\u{7}";
    let lesson = write(
        "escapes.md",
        format!(
            "+++\ntitle = \"T{esc}itle\"\nauthor = \"A{esc}\"\n+++\n\
             ## Sl{esc}ide\n\n**Sub{esc}title**\n\n- bul{esc}let\n  - nes{esc}ted\n\n\
             | h{esc} | b |\n|---|---|\n| c{esc} | d |\n\n> quo{esc}te\n\n\
             ```python\nprint(\"{esc}\")\n```\n\n<!-- notes: no{esc}tes -->\n"
        ),
    );
    let (frame, _) = first_frame(&lesson);
    assert!(frame.contains("Sl"), "{frame}");
    for c in frame.chars() {
        assert!(
            !c.is_control() || c == '\n',
            "control character {c:?} in the frame:\n{frame}"
        );
    }
    // Invalid UTF-8 is an error at its position, not mojibake.
    let bad = write("bad.md", b"## Fine\n\ntext \xff\xfe here\n");
    let out = check(&bad);
    assert!(
        out.starts_with(&format!("{}:3:6: error:", bad.display())) && out.contains("UTF-8"),
        "{out}"
    );
}

//! Replays every input in `tests/fuzz_regressions/TARGET/` with the checks of the fuzz target
//! of the same name in `fuzz/fuzz_targets/`, so an input that once crashed a target (and the
//! hand-made edge cases beside them) is retried by every ordinary `cargo test`, without
//! `cargo fuzz` or a nightly toolchain.
//!
//! Add a crash the fuzzer finds by copying it from `fuzz/artifacts/TARGET/` into the matching
//! directory. An empty directory fails the test, so it can never pass vacuously.

use std::path::{Path, PathBuf};
use std::time::Instant;

use lectern::demo_runtime::protocol::Event;
use lectern::demos::ALL;
use lectern::lecture::Run;
use lectern::lesson::{Diagnostic, parse, parse_bytes};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::{blocks_lines, slide_lines};

/// Every file in `tests/fuzz_regressions/{target}/`, with its bytes; panics if there is none.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()));
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("a readable input");
            files.push((path, bytes));
        }
    }
    files.sort();
    assert!(
        !files.is_empty(),
        "{} holds no inputs: this test would check nothing",
        dir.display()
    );
    files
}

/// Every diagnostic must point inside the text (`Diagnostic::check_inside`).
fn assert_inside(name: &str, text: &str, d: &Diagnostic) {
    if let Err(why) = d.check_inside(text) {
        panic!("{name}: {why}");
    }
}

/// What `fuzz/fuzz_targets/lesson.rs` checks: parse, check the demo directives, every
/// diagnostic inside the input, every slide and its notes laid out at 80 columns.
fn check_lesson(name: &str, bytes: &[u8]) {
    let parsed = parse_bytes(bytes);
    // Invalid UTF-8 is reported inside the valid prefix, which the lossy text keeps as is.
    let text = String::from_utf8_lossy(bytes);
    let demo = lectern::resolved::resolve(parsed.lesson.clone()).1;
    for d in parsed.diagnostics.iter().chain(&demo) {
        assert_inside(name, &text, d);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for slide in &parsed.lesson.slides {
        let _ = slide_lines(slide, 80, &theme);
        let _ = blocks_lines(&slide.notes, 80, &theme);
    }
}

/// What `fuzz/fuzz_targets/protocol.rs` checks: each line read as the runner reads a demo's
/// stdout; an event must write back to a line that reads as the same event; the events are
/// applied to a run and its views drawn. Returns how many lines were events.
fn check_protocol(name: &str, bytes: &[u8]) -> usize {
    let demo = ALL[0];
    let mut run = Run::new(
        1,
        lectern::demo_runtime::RunRequest::defaults(demo),
        (0, 0),
        Instant::now(),
    );
    let mut events = 0;
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(raw)
            .trim_end_matches(['\n', '\r'])
            .to_string();
        let Some(event) = Event::from_line(text.trim_end()) else {
            continue;
        };
        events += 1;
        if let Err(why) = event.check_round_trip() {
            panic!("{name}: {why}");
        }
        run.apply(event);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for (_, view) in run.views.iter() {
        let _ = lectern::ui::views::lines(view, 80, &theme);
    }
    events
}

#[test]
fn lesson_inputs_parse_point_inside_and_lay_out() {
    for (path, bytes) in inputs("lesson") {
        check_lesson(&path.display().to_string(), &bytes);
    }
}

#[test]
fn protocol_inputs_read_back_and_apply() {
    for (path, bytes) in inputs("protocol") {
        check_protocol(&path.display().to_string(), &bytes);
    }
}

#[test]
fn protocol_edge_cases_read_as_the_runner_would() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/protocol");
    let events = |file: &str| check_protocol(file, &std::fs::read(dir.join(file)).unwrap());
    // Only the version-1 line and the version-2 result: 99, 0, -1 and 1e999 are skipped.
    assert_eq!(events("version-99.jsonl"), 2);
    // The note (its bad bytes become U+FFFD), the result with a truncated name and the
    // view whose text is an encoded surrogate; the line starting with a stray byte is not JSON.
    assert_eq!(events("invalid-utf8.jsonl"), 3);
    // The 1 MiB progress line is an event; the unterminated 1 MiB note is not.
    assert_eq!(events("line-1mb.jsonl"), 1);
}

/// What `fuzz/fuzz_targets/lesson_linear.rs` feeds the parser: the input (at most 1 KiB)
/// repeated to at least 16 KiB, and to twice that. The target's timing check is left out:
/// a wall-clock ratio is not reliable in an unoptimised build with tests running in parallel,
/// so here the inputs only have to parse, and to pass the lesson checks as they are.
#[test]
fn lesson_linear_inputs_parse_when_repeated() {
    const SMALL: usize = 16 * 1024;
    for (path, bytes) in inputs("lesson_linear") {
        let name = path.display().to_string();
        check_lesson(&name, &bytes);
        let input = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).into_owned();
        if input.is_empty() {
            continue;
        }
        let times = SMALL.div_ceil(input.len());
        for text in [input.repeat(times), input.repeat(2 * times)] {
            for d in &parse(&text).diagnostics {
                assert_inside(&name, &text, d);
            }
        }
    }
}

#[test]
fn frames_inputs_read_back_in_either_direction() {
    let mut read = 0;
    for (path, bytes) in inputs("frames") {
        read += lectern::classroom::frames::replay(&bytes)
            .unwrap_or_else(|why| panic!("{}: {why}", path.display()));
    }
    // The hand-made inputs hold messages both ways: the replay read some.
    assert!(read >= 3, "{read} messages read");
}

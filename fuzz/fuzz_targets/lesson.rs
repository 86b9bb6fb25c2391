//! Any bytes as a lesson file: parsing and checking the demo directives must not panic,
//! every diagnostic must point inside the input, and every slide must lay out at 80 columns.
#![no_main]

use lectern::lesson::{Diagnostic, parse_bytes};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::{blocks_lines, slide_lines};
use libfuzzer_sys::fuzz_target;

/// The rule of `tests/check_fuzz.rs`: the line is one of the input's `\n`-separated lines,
/// and the column at most one past that line's last character.
fn assert_inside(text: &str, d: &Diagnostic) {
    let lines = text.split('\n').count().max(1);
    assert!(
        d.line >= 1 && d.line <= lines,
        "line {} outside 1..={lines}: {d}",
        d.line
    );
    let line_len = text
        .split('\n')
        .nth(d.line - 1)
        .map_or(0, |l| l.chars().count());
    assert!(
        d.col >= 1 && d.col <= line_len + 1,
        "col {} outside line {} (of {line_len} chars): {d}",
        d.col,
        d.line
    );
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse_bytes(data);
    // Invalid UTF-8 is reported inside the valid prefix, which the lossy text keeps as is.
    let text = String::from_utf8_lossy(data);
    let demo = lectern::check::demo_diagnostics(&parsed.lesson);
    for d in parsed.diagnostics.iter().chain(&demo) {
        assert_inside(&text, d);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for slide in &parsed.lesson.slides {
        let _ = slide_lines(slide, 80, &theme);
        let _ = blocks_lines(&slide.notes, 80, &theme);
    }
});

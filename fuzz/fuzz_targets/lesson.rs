//! Any bytes as a lesson file: parsing and checking the demo directives must not panic,
//! every diagnostic must point inside the input, and every slide must lay out at 80 columns.
#![no_main]

use lectern::lesson::{Diagnostic, parse_bytes};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::{blocks_lines, slide_lines};
use libfuzzer_sys::fuzz_target;

/// Every diagnostic must point inside the text (`Diagnostic::check_inside`).
fn assert_inside(text: &str, d: &Diagnostic) {
    if let Err(why) = d.check_inside(text) {
        panic!("{why}");
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse_bytes(data);
    // Invalid UTF-8 is reported inside the valid prefix, which the lossy text keeps as is.
    let text = String::from_utf8_lossy(data);
    let demo = lectern::resolved::resolve(parsed.lesson.clone()).1;
    for d in parsed.diagnostics.iter().chain(&demo) {
        assert_inside(&text, d);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for slide in &parsed.lesson.slides {
        let _ = slide_lines(slide, 80, &theme);
        let _ = blocks_lines(&slide.notes, 80, &theme);
    }
});

//! No input may panic the lesson parser: mutations of the real lecture and random text, with
//! every diagnostic pointing inside the file.

use lectern::lesson::{EMBEDDED_SOURCE, parse, parse_bytes};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::{blocks_lines, slide_lines};
use proptest::prelude::*;

/// Fragments that exercise every structural rule when spliced in anywhere.
const TOKENS: &[&str] = &[
    "+++",
    "+++\n",
    "---\n",
    "\n---\n",
    "<!--",
    "-->",
    "<!-- demo:",
    "<!-- notes:",
    "<!-- x: -->",
    "```",
    "```python\n",
    "~~~~\n",
    "`",
    "|a|b|\n|-|-|\n",
    "- ",
    "  - ",
    "1. ",
    "**",
    "*",
    "\r\n",
    "title = ",
    "\"",
    "[",
    "=",
    "\u{feff}",
    "漢字",
    "\t",
    "> ",
    "#",
    "## ",
    "\n\n",
    "\0",
];

/// Parses `text`, checks every diagnostic points inside it, and lays out every slide at a few
/// widths so the renderer cannot panic on odd lessons either.
fn check_positions(text: &str) {
    let parsed = parse(text);
    let theme = Theme::new(ThemeName::Dark, false);
    for slide in &parsed.lesson.slides {
        for width in [0, 1, 7] {
            let _ = slide_lines(slide, width, &theme);
            let _ = blocks_lines(&slide.notes, width, &theme);
        }
        // At a real width nothing may stick out past the edge, where it would be cut off.
        for line in slide_lines(slide, 60, &theme) {
            assert!(line.width() <= 60, "{line:?} is wider than 60");
        }
    }
    for d in &parsed.diagnostics {
        if let Err(why) = d.check_inside(text) {
            panic!("{why}");
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..200usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Insert { at, token }),
        (any::<usize>(), 0..400usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match *edit {
        Edit::Delete { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Edit::Insert { at, token } => {
            let at = boundary(text, at);
            text.insert_str(at, TOKENS[token]);
        }
        Edit::Duplicate { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len())).max(start);
            let piece = text[start..end].to_string();
            text.insert_str(end, &piece);
        }
        Edit::Truncate { at } => {
            let at = boundary(text, at);
            text.truncate(at);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_lectures_never_panic(edits in proptest::collection::vec(edit(), 1..12)) {
        let mut text = EMBEDDED_SOURCE.to_string();
        for edit in &edits {
            apply(&mut text, edit);
        }
        check_positions(&text);
    }

    #[test]
    fn token_soup_never_panics(picks in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        let text: String = picks.iter().map(|&i| TOKENS[i]).collect();
        check_positions(&text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        check_positions(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_bytes(&bytes);
    }
}

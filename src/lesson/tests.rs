//! Whole-file parsing: good lessons, broken lessons, and the built-in lecture.

use super::*;

const GOOD: &str = r#"+++
title = "Demo lesson"
lecture = 7
+++

## First slide

**A subtitle**

- point *one*
  - nested
- point two

<!-- demo: gil workers=2 -->
<!-- notes:
    Say something.
-->

---

## Second

```python
print("hi")
```
"#;

#[test]
fn a_good_lesson_has_meta_slides_titles_demos_and_notes() {
    let parsed = parse(GOOD);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let lesson = parsed.lesson;
    assert_eq!(lesson.meta.display_title(), "Lecture 7 · Demo lesson");
    assert_eq!(lesson.slides.len(), 2);
    let first = &lesson.slides[0];
    assert_eq!(first.title.as_deref(), Some("First slide"));
    assert_eq!(first.subtitle.as_deref(), Some("A subtitle"));
    assert_eq!(first.line, 5);
    assert_eq!(first.demos[0].name, "gil");
    assert_eq!((first.demos[0].line, first.demos[0].col), (14, 12));
    assert!(matches!(&first.notes[..], [Block::Paragraph(p)] if plain_text(p) == "Say something."));
    assert!(matches!(&lesson.slides[1].blocks[..], [Block::Code(_)]));
}

#[test]
fn plain_markdown_without_front_matter_is_a_lesson() {
    let parsed = parse("# Title slide\n---\n## Two\n\ntext\n---\n");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.lesson.meta.title, "Title slide");
    assert_eq!(parsed.lesson.slides.len(), 2);
}

fn errors_of(text: &str) -> Vec<(usize, usize, String)> {
    parse(text)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.line, d.col, d.message))
        .collect()
}

#[test]
fn broken_front_matter_on_line_two_is_reported_there() {
    let errors = errors_of("+++\ntitle = \"unterminated\n+++\n## A\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 2);
}

#[test]
fn each_kind_of_problem_is_located() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        ("", (1, 1), "empty"),
        ("   \n\n", (1, 1), "empty"),
        ("+++\ntitle = \"x\"\n", (1, 1), "never closed"),
        ("## A\n---\n\n---\n## B\n", (3, 1), "no content"),
        ("## A\n---\n<!-- notes: hi -->\n", (3, 1), "no content"),
        ("## A\n<!-- dmo: x -->\n", (2, 6), "unknown directive"),
        ("## A\n<!-- notes: open\n", (2, 1), "never closed"),
        ("## A\n```python\nx = 1\n", (2, 1), "never closed"),
        ("## A\n<!-- demo: gil workers -->\n", (2, 16), "no value"),
    ];
    for (text, (line, col), needle) in cases {
        let errors = errors_of(text);
        assert!(
            errors
                .iter()
                .any(|(l, c, m)| (*l, *c) == (*line, *col) && m.contains(needle)),
            "{text:?}: expected {line}:{col} {needle:?}, got {errors:?}"
        );
    }
}

#[test]
fn invalid_utf8_is_located() {
    let parsed = parse_bytes(b"## A\nab\xff\n");
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(
        (parsed.diagnostics[0].line, parsed.diagnostics[0].col),
        (2, 3)
    );
}

#[test]
fn a_slide_without_heading_is_only_a_warning() {
    let parsed = parse("just text\n");
    assert!(!parsed.has_errors());
    assert_eq!(parsed.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn the_built_in_lecture_is_valid_and_has_twelve_titled_slides() {
    let parsed = parse(EMBEDDED_SOURCE);
    assert!(
        parsed.diagnostics.is_empty(),
        "{}",
        report(EMBEDDED_NAME, &parsed.diagnostics)
    );
    let lesson = parsed.lesson;
    assert_eq!(lesson.meta.lecture, Some(25));
    assert_eq!(lesson.slides.len(), 12);
    for (i, slide) in lesson.slides.iter().enumerate() {
        assert!(slide.title.is_some(), "slide {} has no title", i + 1);
        assert!(slide.subtitle.is_some(), "slide {} has no subtitle", i + 1);
        assert!(
            !slide.notes.is_empty(),
            "slide {} has no speaker notes",
            i + 1
        );
    }
}

#[test]
fn control_characters_never_reach_the_screen() {
    let parsed = parse("## A\x1b[2J\r\n\nx\0y\r\n");
    let slide = &parsed.lesson.slides[0];
    assert_eq!(slide.title.as_deref(), Some("A\u{fffd}[2J"));
    assert!(matches!(&slide.blocks[..], [Block::Paragraph(p)] if plain_text(p) == "x\u{fffd}y"));
}

#[test]
fn the_source_hash_is_stable() {
    assert_eq!(source_hash(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(source_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
}

//! Source text → [`Lesson`]: front matter, slide chunks, directives, Markdown, titles.

use std::borrow::Cow;

use super::diagnostic::{Diagnostic, LineIndex, Pos, Severity};
use super::directive::{self, Directive};
use super::front_matter;
use super::markdown::parse_blocks;
use super::model::{Block, DemoDirective, Lesson, LessonMeta, Slide, plain_text};
use super::scan::{Chunk, scan};

/// A best-effort lesson and every problem found while reading it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The lesson as far as it could be understood.
    pub lesson: Lesson,
    /// Problems, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether any problem is an error (a lesson with errors is not presented).
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Reads a lesson from raw bytes, reporting invalid UTF-8 at its line and column.
#[must_use]
pub fn parse_bytes(bytes: &[u8]) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The prefix is valid UTF-8 by definition of `valid_up_to`.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let pos = LineIndex::new(prefix).pos(prefix.len());
            let message = "the file is not valid UTF-8 text (save it as UTF-8)";
            Parsed {
                lesson: empty_lesson(),
                diagnostics: vec![Diagnostic::error(pos, message)],
            }
        }
    }
}

/// Reads a lesson from text. Never panics, whatever the input.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    let text = sanitize(text);
    let text = text.as_ref();
    let index = LineIndex::new(text);
    let mut diagnostics = Vec::new();
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(diagnostic) => {
            return Parsed {
                lesson: empty_lesson(),
                diagnostics: vec![diagnostic],
            };
        }
    };
    let meta = split
        .toml
        .map(|range| front_matter::parse(text, range, &index));
    let meta = match meta {
        Some(Ok(meta)) => Some(meta),
        Some(Err(diagnostic)) => {
            diagnostics.push(diagnostic);
            None
        }
        None => None,
    };

    let scanned = scan(text, split.body_start, &index);
    diagnostics.extend(scanned.diagnostics);
    let last = scanned.chunks.len().saturating_sub(1);
    let mut slides = Vec::new();
    for (i, chunk) in scanned.chunks.into_iter().enumerate() {
        let number = slides.len() + 1;
        let slide = build_slide(&chunk, &mut diagnostics);
        if !slide.blocks.is_empty() || slide.title.is_some() {
            if slide.title.is_none() {
                diagnostics.push(Diagnostic::warning(
                    Pos::new(slide.line, 1),
                    format!(
                        "slide {number} has no title: start it with a heading such as `## Title`"
                    ),
                ));
            }
            slides.push(slide);
        } else if (i != 0 && i != last) || !slide.demos.is_empty() || !slide.notes.is_empty() {
            // A separator at the very start or end is harmless; an empty slide between two
            // separators, or one holding only directives, is a mistake.
            diagnostics.push(Diagnostic::error(
                Pos::new(slide.line, 1),
                format!("slide {number} has no content: remove the extra `---` or add text"),
            ));
        }
    }
    if slides.is_empty() && diagnostics.is_empty() {
        let message = if text.trim().is_empty() {
            "the lesson file is empty: write slides in Markdown separated by `---` lines"
        } else {
            "the lesson has no slides: write slides in Markdown separated by `---` lines"
        };
        diagnostics.push(Diagnostic::error(Pos::START, message));
    }
    if let Some(meta) = &meta {
        diagnostics.extend(super::demo_decl::check(&meta.demos));
    }
    diagnostics.sort_by_key(|d| (d.line, d.col));

    let meta = meta.unwrap_or_else(|| LessonMeta {
        title: slides
            .iter()
            .find_map(|s| s.title.clone())
            .unwrap_or_else(|| "Untitled".into()),
        ..LessonMeta::default()
    });
    Parsed {
        lesson: Lesson {
            meta,
            slides,
            base: None,
        },
        diagnostics,
    }
}

/// Normalises line endings and replaces control characters with `�`: a stray escape or NUL
/// in a lesson must never reach the terminal, where it could move the cursor or change
/// colours. Columns stay the same because one character replaces one character.
fn sanitize(text: &str) -> Cow<'_, str> {
    let is_unsafe = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n");
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

fn empty_lesson() -> Lesson {
    Lesson {
        meta: LessonMeta::default(),
        slides: Vec::new(),
        base: None,
    }
}

fn build_slide(chunk: &Chunk, diagnostics: &mut Vec<Diagnostic>) -> Slide {
    let mut demos: Vec<DemoDirective> = Vec::new();
    let mut claims = Vec::new();
    let mut verdicts = false;
    let mut notes: Vec<String> = Vec::new();
    for comment in &chunk.comments {
        match directive::parse(comment) {
            Ok(Some(Directive::Demo(demo))) => demos.push(demo),
            Ok(Some(Directive::Notes(text))) if text.is_empty() => {
                diagnostics.push(Diagnostic::warning(comment.open, "speaker notes are empty"));
            }
            Ok(Some(Directive::Notes(text))) => notes.push(text),
            Ok(Some(Directive::Claim(claim))) => claims.push(claim),
            Ok(Some(Directive::Verdicts)) => verdicts = true,
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let mut blocks = parse_blocks(&chunk.markdown);
    let (title, subtitle) = take_title(&mut blocks);
    let notes = if notes.is_empty() {
        Vec::new()
    } else {
        parse_blocks(&notes.join("\n\n"))
    };
    Slide {
        line: chunk.first_line,
        title,
        subtitle,
        blocks,
        demos,
        notes,
        claims,
        verdicts,
    }
}

/// Removes the leading heading (the title) and a following bold line or deeper heading (the
/// subtitle) from `blocks`.
fn take_title(blocks: &mut Vec<Block>) -> (Option<String>, Option<String>) {
    let Some(Block::Heading { level, text }) = blocks.first() else {
        return (None, None);
    };
    let title_level = *level;
    let title = plain_text(text).trim().to_string();
    blocks.remove(0);
    let subtitle = match blocks.first() {
        Some(Block::Paragraph(inlines))
            if inlines
                .iter()
                .all(|i| i.style.bold || i.text.trim().is_empty()) =>
        {
            Some(plain_text(inlines))
        }
        Some(Block::Heading { level, text }) if *level > title_level => Some(plain_text(text)),
        _ => None,
    };
    if subtitle.is_some() {
        blocks.remove(0);
    }
    (Some(title), subtitle.map(|s| s.trim().to_string()))
}

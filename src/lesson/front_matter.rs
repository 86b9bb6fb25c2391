//! The TOML front matter between `+++` lines at the top of a lesson.

use super::diagnostic::{Diagnostic, LineIndex, Pos};
use super::model::LessonMeta;

/// The fence line that opens and closes the front matter.
const FENCE: &str = "+++";

/// Where the front matter and the slide body lie in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML text, if the file has front matter.
    pub toml: Option<(usize, usize)>,
    /// Byte offset where the slides start.
    pub body_start: usize,
}

/// Finds the front matter. A file that starts with `+++` must close it with another `+++` line.
pub fn split(text: &str) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut lines = line_spans(text, start);
    let Some((first_start, first_end, first_next)) = lines.next() else {
        return Ok(Split {
            toml: None,
            body_start: start,
        });
    };
    if text[first_start..first_end].trim_end() != FENCE {
        return Ok(Split {
            toml: None,
            body_start: start,
        });
    }
    for (line_start, line_end, next) in lines {
        if text[line_start..line_end].trim_end() == FENCE {
            return Ok(Split {
                toml: Some((first_next, line_start)),
                body_start: next,
            });
        }
    }
    Err(Diagnostic::error(
        Pos::START,
        "front matter opened with `+++` is never closed: add a `+++` line after the TOML",
    ))
}

/// Parses the TOML between the fences, reporting errors at their place in the whole file.
pub fn parse(
    text: &str,
    toml_range: (usize, usize),
    index: &LineIndex,
) -> Result<LessonMeta, Diagnostic> {
    let (start, end) = toml_range;
    let mut meta = toml::from_str::<LessonMeta>(&text[start..end]).map_err(|err| {
        let offset = err.span().map_or(start, |span| start + span.start);
        let message = err.message().trim().replace('\n', " ");
        Diagnostic::error(index.pos(offset), format!("front matter: {message}"))
    })?;
    super::demo_decl::locate(&mut meta.demos, start, index);
    Ok(meta)
}

/// Yields `(start, end_without_newline, next_line_start)` for each line from `from`.
fn line_spans(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        Some((start, end, next))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> Result<LessonMeta, Diagnostic> {
        let split = split(text)?;
        let range = split.toml.expect("front matter present");
        parse(text, range, &LineIndex::new(text))
    }

    #[test]
    fn reads_the_fields_between_fences() {
        let meta = parse_all("+++\ntitle = \"T\"\nlecture = 25\n+++\n## A\n").unwrap();
        assert_eq!(meta.title, "T");
        assert_eq!(meta.lecture, Some(25));
    }

    #[test]
    fn the_body_starts_after_the_closing_fence() {
        let text = "+++\ntitle = \"T\"\n+++\nbody";
        assert_eq!(&text[split(text).unwrap().body_start..], "body");
    }

    #[test]
    fn no_front_matter_means_the_body_is_everything() {
        let split = split("## Hello\n").unwrap();
        assert_eq!(
            split,
            Split {
                toml: None,
                body_start: 0
            }
        );
    }

    #[test]
    fn an_unclosed_fence_is_reported_at_the_top() {
        let err = split("+++\ntitle = \"T\"\n## slide\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn a_toml_error_on_line_two_is_reported_on_line_two() {
        let err = parse_all("+++\ntitle = = \"T\"\n+++\n## A\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.col >= 7, "{err}");
    }

    #[test]
    fn unknown_and_missing_fields_are_errors() {
        let err = parse_all("+++\ntitle = \"T\"\ntitel = \"x\"\n+++\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("titel"), "{err}");
        let err = parse_all("+++\nlecture = 3\n+++\n").unwrap_err();
        assert!(err.message.contains("title"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}+++\ntitle = \"T\"\n+++\n";
        assert_eq!(parse_all(text).unwrap().title, "T");
    }
}

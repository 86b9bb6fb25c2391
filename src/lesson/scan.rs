//! Splits a lesson body into slide chunks at `---` lines and lifts out HTML comments.
//!
//! This pass knows only lines, code fences and comments, so that a `---` or `<!--` inside a
//! code block or a comment never splits a slide or starts a directive.

use super::diagnostic::{Diagnostic, LineIndex, Pos};

/// The text of one slide before Markdown parsing, with its comments lifted out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// 1-based line of the chunk's first line.
    pub first_line: usize,
    /// The chunk's Markdown with every comment removed (line breaks kept).
    pub markdown: String,
    /// The comments found in the chunk, in order.
    pub comments: Vec<Comment>,
}

/// An HTML comment `<!-- ... -->` found outside code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Where `<!--` starts.
    pub open: Pos,
    /// Where the comment's body (just after `<!--`) starts.
    pub body_start: Pos,
    /// The text between `<!--` and `-->`.
    pub body: String,
}

/// The chunks of a lesson body and the structural problems found while scanning it.
#[derive(Debug, Default)]
pub struct Scanned {
    /// One chunk per slide separator interval, in order (possibly empty ones).
    pub chunks: Vec<Chunk>,
    /// Unclosed comments and code fences.
    pub diagnostics: Vec<Diagnostic>,
}

struct Fence {
    marker: char,
    len: usize,
    open: Pos,
}

struct OpenComment {
    open: Pos,
    body_start: Pos,
    body: String,
}

/// Scans `text[body_start..]` into slide chunks.
#[must_use]
pub fn scan(text: &str, body_start: usize, index: &LineIndex) -> Scanned {
    let first_line = index.pos(body_start).line;
    let mut scanner = Scanner {
        index,
        scanned: Scanned::default(),
        chunk: Chunk {
            first_line,
            markdown: String::new(),
            comments: Vec::new(),
        },
        fence: None,
        comment: None,
    };
    let mut offset = body_start;
    while offset < text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = &text[offset..line_end];
        scanner.line(line.strip_suffix('\r').unwrap_or(line), offset);
        offset = line_end + 1;
    }
    scanner.finish()
}

/// Line-by-line state: the chunk being filled and any open fence or comment.
struct Scanner<'a> {
    index: &'a LineIndex<'a>,
    scanned: Scanned,
    chunk: Chunk,
    fence: Option<Fence>,
    comment: Option<OpenComment>,
}

impl Scanner<'_> {
    fn line(&mut self, line: &str, line_start: usize) {
        let mut rest_from = 0;
        if let Some(open) = self.comment.as_mut() {
            open.body.push('\n');
            let Some(close) = line.find("-->") else {
                open.body.push_str(line);
                self.chunk.markdown.push('\n');
                return;
            };
            open.body.push_str(&line[..close]);
            if let Some(done) = self.comment.take() {
                self.chunk.comments.push(finish(done));
            }
            rest_from = close + 3;
        } else if let Some(open) = &self.fence {
            if closes_fence(line, open) {
                self.fence = None;
            }
            self.push_markdown(line);
            return;
        } else if is_separator(line) {
            let first_line = self.index.pos(line_start).line + 1;
            let next = Chunk {
                first_line,
                markdown: String::new(),
                comments: Vec::new(),
            };
            self.scanned
                .chunks
                .push(std::mem::replace(&mut self.chunk, next));
            return;
        } else if let Some((marker, len)) = opens_fence(line) {
            self.fence = Some(Fence {
                marker,
                len,
                open: self.index.pos(line_start),
            });
            self.push_markdown(line);
            return;
        }
        self.text(&line[rest_from..], line_start + rest_from);
    }

    /// Ordinary text: lifts out every comment that starts in it.
    fn text(&mut self, mut rest: &str, mut rest_offset: usize) {
        while let Some(open_at) = find_comment_open(rest) {
            self.chunk.markdown.push_str(&rest[..open_at]);
            let body_from = open_at + 4;
            let open = self.index.pos(rest_offset + open_at);
            let body_start = self.index.pos(rest_offset + body_from);
            let Some(close) = rest[body_from..].find("-->") else {
                let body = rest[body_from..].to_string();
                self.comment = Some(OpenComment {
                    open,
                    body_start,
                    body,
                });
                rest = "";
                break;
            };
            let body = rest[body_from..body_from + close].to_string();
            self.chunk.comments.push(Comment {
                open,
                body_start,
                body,
            });
            let consumed = body_from + close + 3;
            rest = &rest[consumed..];
            rest_offset += consumed;
        }
        self.push_markdown(rest);
    }

    fn push_markdown(&mut self, line: &str) {
        self.chunk.markdown.push_str(line);
        self.chunk.markdown.push('\n');
    }

    fn finish(mut self) -> Scanned {
        if let Some(open) = self.comment {
            self.scanned.diagnostics.push(Diagnostic::error(
                open.open,
                "HTML comment is never closed: add `-->` where it should end",
            ));
        }
        if let Some(open) = self.fence {
            let marker: String = std::iter::repeat_n(open.marker, open.len).collect();
            self.scanned.diagnostics.push(Diagnostic::error(
                open.open,
                format!(
                    "code block opened with `{marker}` is never closed: add a closing `{marker}` \
                     line (until then every later `---` is code, not a slide break)"
                ),
            ));
        }
        self.scanned.chunks.push(self.chunk);
        self.scanned
    }
}

fn finish(open: OpenComment) -> Comment {
    Comment {
        open: open.open,
        body_start: open.body_start,
        body: open.body,
    }
}

/// A slide break is a line holding only `---` (up to three spaces of indentation, as Markdown
/// allows for thematic breaks).
fn is_separator(line: &str) -> bool {
    indentation(line) <= 3 && line.trim() == "---"
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Recognises a fence opening: up to 3 spaces, then 3 or more backticks or tildes.
fn opens_fence(line: &str) -> Option<(char, usize)> {
    if indentation(line) > 3 {
        return None;
    }
    let trimmed = line.trim_start_matches(' ');
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == marker).count();
    // A backtick fence's info string may not contain backticks (CommonMark).
    let info_ok = marker == '~' || !trimmed[len..].contains('`');
    (len >= 3 && info_ok).then_some((marker, len))
}

fn closes_fence(line: &str, fence: &Fence) -> bool {
    if indentation(line) > 3 {
        return false;
    }
    let trimmed = line.trim_start_matches(' ');
    let len = trimmed.chars().take_while(|c| *c == fence.marker).count();
    len >= fence.len && trimmed[len..].trim().is_empty()
}

/// Finds `<!--` outside inline code spans (backtick runs closed by a run of the same length).
fn find_comment_open(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if let Some(close) = find_backtick_run(&bytes[i + run..], run) {
                i += run + close + run;
                continue;
            }
            i += run;
            continue;
        }
        if bytes[i..].starts_with(b"<!--") {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Offset of the next run of exactly `run` backticks in `bytes`.
fn find_backtick_run(bytes: &[u8], run: usize) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(text: &str) -> Scanned {
        scan(text, 0, &LineIndex::new(text))
    }

    #[test]
    fn separators_split_slides_and_record_their_first_lines() {
        let s = scan_all("a\n---\nb\nc\n---\nd\n");
        let lines: Vec<_> = s.chunks.iter().map(|c| c.first_line).collect();
        assert_eq!(lines, [1, 3, 6]);
        assert_eq!(s.chunks[1].markdown, "b\nc\n");
    }

    #[test]
    fn separators_inside_code_and_comments_do_not_split() {
        let s = scan_all("```\n---\n```\n<!-- notes:\n---\n-->\nx\n");
        assert_eq!(s.chunks.len(), 1);
        assert!(s.diagnostics.is_empty());
        assert_eq!(s.chunks[0].comments.len(), 1);
        assert_eq!(s.chunks[0].comments[0].body, " notes:\n---\n");
    }

    #[test]
    fn comments_are_lifted_out_keeping_line_count() {
        let s = scan_all("before <!-- demo: gil --> after\n<!-- a\nb -->tail\n");
        let chunk = &s.chunks[0];
        assert_eq!(chunk.markdown, "before  after\n\ntail\n");
        assert_eq!(chunk.comments[0].open, Pos::new(1, 8));
        assert_eq!(chunk.comments[0].body_start, Pos::new(1, 12));
        assert_eq!(chunk.comments[1].open, Pos::new(2, 1));
    }

    #[test]
    fn comment_markers_in_inline_code_are_text() {
        let s = scan_all("write `<!-- x -->` to comment\n");
        assert!(s.chunks[0].comments.is_empty());
        assert_eq!(s.chunks[0].markdown, "write `<!-- x -->` to comment\n");
    }

    #[test]
    fn unclosed_comment_and_fence_are_errors_at_their_openings() {
        let s = scan_all("x\n\n  <!-- notes: oops\n---\n");
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!((s.diagnostics[0].line, s.diagnostics[0].col), (3, 3));
        let s = scan_all("x\n~~~~ python\ncode\n---\n");
        assert_eq!(s.diagnostics[0].line, 2);
        assert!(s.diagnostics[0].message.contains("~~~~"));
    }

    #[test]
    fn a_shorter_fence_does_not_close_a_longer_one() {
        let s = scan_all("````\n```\n---\n````\n---\nz\n");
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn windows_line_endings_are_understood() {
        let s = scan_all("a\r\n---\r\nb\r\n");
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(s.chunks[1].markdown, "b\n");
    }
}

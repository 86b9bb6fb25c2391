//! Word-wrapping of styled text, so slides wrap at word boundaries without losing styles.
//!
//! textwrap's first-fit algorithm works on any [`Fragment`]; our fragments are words made of
//! styled pieces (`**bold**,` is one word of two styles).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_width::UnicodeWidthStr;

/// A word to wrap: styled pieces with no whitespace between them.
#[derive(Debug, Clone)]
struct Word {
    pieces: Vec<(String, Style)>,
    width: usize,
    /// The style of the space after the word, if one follows it.
    space: Option<Style>,
}

#[expect(
    clippy::cast_precision_loss,
    reason = "terminal widths are far below 2^52"
)]
impl Fragment for Word {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        if self.space.is_some() { 1.0 } else { 0.0 }
    }

    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Wraps styled runs to `width` columns. `\n` in a run forces a line break; words longer than
/// a line are split so that no text is ever cut off.
#[must_use]
#[expect(
    clippy::cast_precision_loss,
    reason = "terminal widths are far below 2^52"
)]
pub fn wrap(runs: &[(&str, Style)], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for segment in split_hard_breaks(runs) {
        let words = split_long_words(words_of(&segment), width);
        if words.is_empty() {
            lines.push(Line::default());
            continue;
        }
        for line_words in wrap_first_fit(&words, &[width as f64]) {
            lines.push(line_of(line_words));
        }
    }
    lines
}

/// The display width of `text` in terminal columns.
#[must_use]
pub fn text_width(text: &str) -> usize {
    // Whole-string width, as ratatui measures spans: emoji sequences such as `#` + U+FE0F
    // are wider than the sum of their characters.
    UnicodeWidthStr::width(text)
}

/// How many characters before a new one are measured with it.
const TAIL_CHARS: usize = 16;

/// The width `pieces` (now `width` wide) would have with `c` appended in `style`, measured
/// span by span as ratatui lays them out. Only the last piece can change.
fn width_with(pieces: &[(String, Style)], width: usize, c: char, style: Style) -> usize {
    match pieces.last() {
        Some((piece, piece_style)) if *piece_style == style => {
            // Only the piece's tail can combine with `c` (the longest sequences that change
            // width are a few characters): measuring the whole piece again would make a
            // 100,000-character word quadratic.
            let start = piece
                .char_indices()
                .rev()
                .nth(TAIL_CHARS - 1)
                .map_or(0, |(at, _)| at);
            let tail = &piece[start..];
            let mut longer = String::with_capacity(tail.len() + 4);
            longer.push_str(tail);
            longer.push(c);
            width - text_width(tail) + text_width(&longer)
        }
        _ => width + text_width(c.encode_utf8(&mut [0; 4])),
    }
}

/// Appends `c` in `style` to `pieces`, joining the last piece when the style matches.
fn push_piece(pieces: &mut Vec<(String, Style)>, c: char, style: Style) {
    match pieces.last_mut() {
        Some((piece, piece_style)) if *piece_style == style => piece.push(c),
        _ => pieces.push((c.to_string(), style)),
    }
}

/// Cuts `text` to `width` columns, ending with `…` when something was cut (for labels and
/// titles that must stay on one line; slide text wraps instead).
#[must_use]
pub fn truncate(text: &str, width: usize) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    // Character widths first (cheap), then trim until the whole string fits, since a
    // sequence can be wider than its characters.
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    while text_width(&out) + 1 > width && out.pop().is_some() {}
    if width > 0 {
        out.push('…');
    }
    out
}

fn split_hard_breaks<'a>(runs: &[(&'a str, Style)]) -> Vec<Vec<(&'a str, Style)>> {
    let mut segments = vec![Vec::new()];
    for &(text, style) in runs {
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                segments.push(Vec::new());
            }
            if let Some(segment) = segments.last_mut() {
                segment.push((part, style));
            }
        }
    }
    segments
}

fn words_of(segment: &[(&str, Style)]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current = Word {
        pieces: Vec::new(),
        width: 0,
        space: None,
    };
    for &(text, style) in segment {
        for c in text.chars() {
            if c.is_whitespace() {
                if !current.pieces.is_empty() {
                    current.space = Some(style);
                    words.push(std::mem::replace(
                        &mut current,
                        Word {
                            pieces: Vec::new(),
                            width: 0,
                            space: None,
                        },
                    ));
                }
                continue;
            }
            current.width = width_with(&current.pieces, current.width, c, style);
            push_piece(&mut current.pieces, c, style);
        }
    }
    if !current.pieces.is_empty() {
        words.push(current);
    }
    if let Some(last) = words.last_mut() {
        last.space = None;
    }
    words
}

/// Splits words wider than `width` into line-sized pieces.
fn split_long_words(words: Vec<Word>, width: usize) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if word.width <= width {
            out.push(word);
            continue;
        }
        let mut chunk = Word {
            pieces: Vec::new(),
            width: 0,
            space: None,
        };
        for (text, style) in word.pieces {
            for c in text.chars() {
                if width_with(&chunk.pieces, chunk.width, c, style) > width
                    && !chunk.pieces.is_empty()
                {
                    out.push(std::mem::replace(
                        &mut chunk,
                        Word {
                            pieces: Vec::new(),
                            width: 0,
                            space: None,
                        },
                    ));
                }
                chunk.width = width_with(&chunk.pieces, chunk.width, c, style);
                push_piece(&mut chunk.pieces, c, style);
            }
        }
        chunk.space = word.space;
        out.push(chunk);
    }
    out
}

fn line_of(words: &[Word]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for (text, style) in &word.pieces {
            spans.push(Span::styled(text.clone(), *style));
        }
        let last = i + 1 == words.len();
        if let (false, Some(style)) = (last, word.space) {
            spans.push(Span::styled(" ", style));
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use ratatui::style::Modifier;

    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wraps_at_word_boundaries() {
        let lines = wrap(&[("the quick brown fox jumps", Style::new())], 10);
        assert_eq!(texts(&lines), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn keeps_styles_across_runs_and_inside_words() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let lines = wrap(
            &[
                ("say ", Style::new()),
                ("hello", bold),
                (", world", Style::new()),
            ],
            40,
        );
        assert_eq!(texts(&lines), ["say hello, world"]);
        assert!(
            lines[0]
                .spans
                .iter()
                .any(|s| s.content == "hello" && s.style == bold)
        );
    }

    #[test]
    fn long_words_are_split_never_cut() {
        let lines = wrap(&[("abcdefghij xy", Style::new())], 4);
        assert_eq!(texts(&lines), ["abcd", "efgh", "ij", "xy"]);
    }

    #[test]
    fn hard_breaks_and_wide_characters_are_respected() {
        let lines = wrap(&[("a\nb 漢字漢字", Style::new())], 5);
        assert_eq!(texts(&lines), ["a", "b", "漢字", "漢字"]);
        assert_eq!(text_width("漢字"), 4);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("漢字漢字", 5), "漢字…");
        assert_eq!(truncate("hello", 0), "");
    }

    #[test]
    fn degenerate_widths_do_not_panic() {
        assert_eq!(texts(&wrap(&[("ab", Style::new())], 0)), ["a", "b"]);
        assert_eq!(texts(&wrap(&[], 10)), [""]);
    }
}

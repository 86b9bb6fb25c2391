//! Writing lines of text into the buffer cell by cell when every character is one cell wide
//! on its own — what nearly all of lectern's text is — instead of splitting it into grapheme
//! clusters and measuring each.
//!
//! ratatui's `Buffer::set_line` and `Line::render` are general: they segment every span into
//! graphemes and look up each one's width. Counted with callgrind, that was the largest
//! single cost of a `lectern watch` frame (a third of its instructions) and of a slide's
//! text. A span made only of [`is_single_cell`] characters gives the same cells written
//! directly; any other span goes through ratatui as before.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// Whether `c` is a grapheme of its own that is exactly one cell wide: printable ASCII and
/// the Latin-1, punctuation, arrow, box-drawing, block and shape characters the UI draws.
/// None of these combines with a neighbour.
#[must_use]
pub fn is_single_cell(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{a1}'..='\u{ff}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2190}'..='\u{2199}'
        | '\u{2500}'..='\u{25fc}'
    ) && c != '\u{ad}'
}

/// Whether every character of every span of `line` is [`is_single_cell`].
fn is_plain(line: &Line<'_>) -> bool {
    line.spans
        .iter()
        .all(|s| s.content.chars().all(is_single_cell))
}

/// Writes `content` from `x` with `style` (patched onto each cell) while it fits in
/// `max_width` cells, when every character is [`is_single_cell`]. Returns the column after
/// the last cell written, or `None` (nothing written) for text that needs ratatui's handling.
fn put_simple(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    content: &str,
    max_width: u16,
    style: Style,
) -> Option<u16> {
    content
        .chars()
        .all(is_single_cell)
        .then(|| write_cells(buf, x, y, content, max_width, style))
}

/// Writes `content`, known to be [`is_single_cell`] characters only, one cell each, while it
/// fits in `max_width` cells. Returns the column after the last cell written.
fn write_cells(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    content: &str,
    max_width: u16,
    style: Style,
) -> u16 {
    write_chars(buf, x, y, content.chars(), max_width, style)
}

/// [`write_cells`] for characters from anywhere (a [`Pen`] writes bars and sparklines
/// without building a string first).
fn write_chars(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    chars: impl IntoIterator<Item = char>,
    max_width: u16,
    style: Style,
) -> u16 {
    let end = buf.area.right().min(x.saturating_add(max_width));
    let mut x = x;
    for c in chars {
        if x >= end {
            break;
        }
        buf[(x, y)].set_char(c).set_style(style);
        x += 1;
    }
    x
}

/// What `Buffer::set_line` does, cell for cell: each span with the line's style patched by the
/// span's, cut at `max_width`. Returns the column after the last cell written.
pub fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) -> u16 {
    write_line(buf, x, y, line, max_width, false)
}

/// [`set_line`], told whether the whole line is already known to be plain (so its characters
/// are not checked again, span by span).
fn write_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    line: &Line<'_>,
    max_width: u16,
    plain: bool,
) -> u16 {
    if !buf.area.contains(ratatui::layout::Position::new(x, y)) {
        return x;
    }
    let mut at = x;
    let end = x.saturating_add(max_width);
    for span in line {
        if at >= end {
            break;
        }
        let style = line.style.patch(span.style);
        let room = end - at;
        let written = if plain {
            Some(write_cells(buf, at, y, &span.content, room, style))
        } else {
            put_simple(buf, at, y, &span.content, room, style)
        };
        at = match written {
            Some(next) => next,
            None => {
                buf.set_stringn(at, y, &span.content, usize::from(room), style)
                    .0
            }
        };
    }
    at
}

/// A cursor writing one-cell characters along a row, each with the current style: for lines
/// redrawn at every sample (the core gauges), built cell by cell with no string in between.
/// Characters must be [`is_single_cell`]; writing stops at the end of the row.
pub struct Pen<'b> {
    buf: &'b mut Buffer,
    x: u16,
    y: u16,
    end: u16,
    style: Style,
}

impl<'b> Pen<'b> {
    /// A pen at the start of the first row of `area` (cut to the buffer).
    pub fn new(buf: &'b mut Buffer, area: Rect) -> Self {
        let area = area.intersection(buf.area);
        Self {
            x: area.x,
            y: area.y,
            // An empty area: nothing is written.
            end: if area.is_empty() {
                area.x
            } else {
                area.right()
            },
            style: Style::default(),
            buf,
        }
    }

    /// Writes what follows in `style`.
    pub fn style(&mut self, style: Style) -> &mut Self {
        self.style = style;
        self
    }

    /// Writes the characters of `chars`, one cell each.
    pub fn chars(&mut self, chars: impl IntoIterator<Item = char>) -> &mut Self {
        let room = self.end.saturating_sub(self.x);
        self.x = write_chars(self.buf, self.x, self.y, chars, room, self.style);
        self
    }

    /// Writes `text`, one cell per character.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.chars(text.chars())
    }
}

/// `write!` straight into the cells (numbers formatted with no string in between).
impl std::fmt::Write for Pen<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text(s);
        Ok(())
    }
}

/// What `Line::render` does for a left-aligned line (the line's style over the whole row,
/// then the spans); other alignments go to ratatui.
pub fn render_line(line: &Line<'_>, area: Rect, buf: &mut Buffer) {
    if matches!(line.alignment, Some(Alignment::Center | Alignment::Right)) {
        line.render(area, buf);
        return;
    }
    let area = area.intersection(buf.area);
    let simple = is_plain(line);
    let empty = if simple {
        line.spans.iter().all(|s| s.content.is_empty())
    } else {
        line.width() == 0
    };
    if area.is_empty() || empty {
        return;
    }
    let row = Rect { height: 1, ..area };
    if line.style != Style::default() {
        buf.set_style(row, line.style);
    }
    let mut at = row.x;
    for span in line {
        if at >= row.right() {
            break;
        }
        let room = row.right() - at;
        let written = if simple {
            Some(write_cells(buf, at, row.y, &span.content, room, span.style))
        } else {
            put_simple(buf, at, row.y, &span.content, room, span.style)
        };
        at = if let Some(next) = written {
            next
        } else {
            let rest = Rect {
                x: at,
                width: room,
                ..row
            };
            span.render(rest, buf);
            at.saturating_add(u16::try_from(span.width()).unwrap_or(u16::MAX))
                .min(row.right())
        };
    }
}

/// What `Paragraph::new(lines).render(area, buf)` does: one line per row from the top, each
/// cut at the right edge, its style on its text only (not the rest of the row). Lines that
/// are all left-aligned plain text are written directly; any other goes to a paragraph.
pub fn render_lines(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    let shown = &lines[..lines.len().min(usize::from(area.height))];
    let simple = shown.iter().all(|line| {
        !matches!(line.alignment, Some(Alignment::Center | Alignment::Right)) && is_plain(line)
    });
    if !simple {
        ratatui::widgets::Paragraph::new(shown.to_vec()).render(area, buf);
        return;
    }
    for (line, y) in shown.iter().zip(area.top()..area.bottom()) {
        write_line(buf, area.x, y, line, area.width, true);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;
    use unicode_width::UnicodeWidthChar;

    use super::*;

    #[test]
    fn every_single_cell_character_is_one_cell_wide() {
        for c in (0..=0x2fff_u32)
            .filter_map(char::from_u32)
            .filter(|c| is_single_cell(*c))
        {
            assert_eq!(c.width(), Some(1), "{c:?} (U+{:04X})", u32::from(c));
        }
    }

    fn lines() -> Vec<Line<'static>> {
        vec![
            Line::from(vec![
                Span::styled("  1234 ", Style::new().fg(Color::Gray)),
                Span::styled("└ worker 3", Style::new().bold()),
                Span::raw(" ▕████▌    ▏"),
            ]),
            Line::from(vec![
                Span::raw("wide: 漢字 and é (e + U+0301): e\u{301} "),
                Span::styled("…·→", Style::new().italic()),
            ])
            .style(Style::new().bg(Color::Blue)),
            Line::styled(
                "a line much longer than the area it is drawn into, cut",
                Modifier::UNDERLINED,
            ),
            Line::default(),
            Line::from("centred").centered(),
        ]
    }

    #[test]
    fn lines_write_the_same_cells_as_ratatui() {
        for width in [0, 5, 9, 23, 40, 60] {
            let area = Rect::new(1, 0, width, 6);
            let mut ours = Buffer::empty(Rect::new(0, 0, 62, 6));
            ours.set_style(ours.area, Style::new().fg(Color::Red));
            let mut theirs = ours.clone();
            for (i, line) in lines().iter().enumerate() {
                let row = Rect {
                    y: i as u16,
                    height: 1,
                    ..area
                };
                render_line(line, row, &mut ours);
                line.render(row, &mut theirs);
            }
            assert_eq!(ours, theirs, "render at width {width}");
            let mut ours = Buffer::empty(Rect::new(0, 0, 62, 6));
            let mut theirs = ours.clone();
            for (i, line) in lines().iter().enumerate() {
                let a = set_line(&mut ours, 1, i as u16, line, width);
                let b = theirs.set_line(1, i as u16, line, width).0;
                assert_eq!(a, b, "set_line end at width {width}");
            }
            assert_eq!(ours, theirs, "set_line at width {width}");
        }
    }

    #[test]
    fn lines_write_the_same_cells_as_a_paragraph() {
        let plain: Vec<Line> = [0, 2, 3].iter().map(|i| lines()[*i].clone()).collect();
        for text in [lines(), plain] {
            for (width, height) in [(3, 2), (30, 4), (61, 6)] {
                let area = Rect::new(1, 1, width, height);
                let mut ours = Buffer::empty(Rect::new(0, 0, 62, 7));
                let mut theirs = ours.clone();
                render_lines(&text, area, &mut ours);
                ratatui::widgets::Paragraph::new(text.clone()).render(area, &mut theirs);
                assert_eq!(ours, theirs, "{width}×{height}");
            }
        }
    }

    #[test]
    fn a_line_outside_the_buffer_writes_nothing() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        assert_eq!(set_line(&mut buf, 0, 3, &Line::from("abc"), 3), 0);
        assert_eq!(buf, Buffer::empty(Rect::new(0, 0, 4, 1)));
    }
}

//! The panel every screen draws its parts in: a rounded border in the theme's border style,
//! titles on the top border (left) and a hint on the bottom one (right), a column of padding
//! each side. It draws exactly what ratatui's `Block` draws for that shape (a test compares
//! them cell for cell), without `Block`'s pass over every cell of the area to apply its own
//! style — ours has none — which was a tenth of a `lectern watch` frame's instructions.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Padding, Widget};

use super::cells::render_line;

/// A rounded, titled panel (see the module's comment). Built by [`super::frame::panel`].
#[derive(Debug, Clone, Default)]
pub struct Panel {
    border_style: Style,
    top: Vec<Line<'static>>,
    bottom: Vec<Line<'static>>,
}

impl Panel {
    /// An untitled panel whose border has `border_style`.
    #[must_use]
    pub fn new(border_style: Style) -> Self {
        Self {
            border_style,
            ..Self::default()
        }
    }

    /// Adds a title on the top border, after the ones already there (left-aligned).
    #[must_use]
    pub fn title(mut self, title: impl Into<Line<'static>>) -> Self {
        self.top.push(title.into());
        self
    }

    /// Adds a hint on the bottom border (right-aligned).
    #[must_use]
    pub fn title_bottom(mut self, hint: impl Into<Line<'static>>) -> Self {
        self.bottom.push(hint.into().right_aligned());
        self
    }

    /// Where the panel drawn in `area` puts its content: inside the border, a column of
    /// padding each side.
    #[must_use]
    pub fn inner(&self, area: Rect) -> Rect {
        panel_inner(area)
    }
}

/// The panel's shape: rounded border, a column of padding each side (its content area is
/// ratatui's answer for that shape, so it never differs from `Block`'s).
fn shape() -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .padding(Padding::horizontal(1))
}

/// Where a panel drawn in `area` puts its content.
#[must_use]
pub fn panel_inner(area: Rect) -> Rect {
    shape().inner(area)
}

impl Widget for Panel {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Widget::render(&self, area, buf);
    }
}

impl Widget for &Panel {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        self.border(area, buf);
        let row = |y| Rect {
            x: area.x.saturating_add(1),
            y,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        // Left titles one after another, a space between them.
        let mut top = row(area.top());
        for title in &self.top {
            if top.is_empty() {
                break;
            }
            let width = line_width(title);
            render_line(
                title,
                Rect {
                    width: width.min(top.width),
                    ..top
                },
                buf,
            );
            let advance = width.saturating_add(1);
            top.x = top.x.saturating_add(advance);
            top.width = top.width.saturating_sub(advance);
        }
        // Right hints from the right edge leftwards.
        let mut bottom = row(area.bottom().saturating_sub(1));
        for hint in self.bottom.iter().rev() {
            if bottom.is_empty() {
                break;
            }
            let width = line_width(hint);
            let at = Rect {
                x: bottom.right().saturating_sub(width).max(bottom.left()),
                width: width.min(bottom.width),
                ..bottom
            };
            hint.render(at, buf);
            bottom.width = bottom.width.saturating_sub(width).saturating_sub(1);
        }
    }
}

impl Panel {
    /// The rounded border: sides first, then the corners over their ends.
    fn border(&self, area: Rect, buf: &mut Buffer) {
        let (left, top) = (area.left(), area.top());
        let right = area.right().saturating_sub(1);
        let bottom = area.bottom().saturating_sub(1);
        let mut put = |x: u16, y: u16, symbol: &str| {
            buf[(x, y)].set_symbol(symbol).set_style(self.border_style);
        };
        for y in top..=bottom {
            put(left, y, "│");
        }
        for x in left..=right {
            put(x, top, "─");
        }
        for y in top..=bottom {
            put(right, y, "│");
        }
        for x in left..=right {
            put(x, bottom, "─");
        }
        put(right, bottom, "╯");
        put(right, top, "╮");
        put(left, bottom, "╰");
        put(left, top, "╭");
    }
}

fn line_width(line: &Line<'_>) -> u16 {
    u16::try_from(line.width()).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;
    use ratatui::widgets::{Block, BorderType, Padding};

    fn block(border: Style) -> Block<'static> {
        Block::bordered()
            .border_type(BorderType::Rounded)
            .padding(Padding::horizontal(1))
            .border_style(border)
    }

    #[test]
    fn draws_what_ratatuis_rounded_block_draws_cell_for_cell() {
        let border = Style::new().fg(Color::Indexed(65));
        let title = Span::styled(" CPU & memory · 2 cores ", Style::new().bold());
        let frozen = Span::styled(" ❄ FROZEN (f) ", Style::new().fg(Color::Yellow));
        let hint = Line::styled(" x stops · o runs again ", Style::new().italic());
        let wide = Span::styled(" 表の説明 ", Style::new().add_modifier(Modifier::REVERSED));
        let backdrop = Rect::new(0, 0, 50, 12);
        for area in [
            Rect::new(2, 1, 40, 9),
            Rect::new(0, 0, 50, 12),
            Rect::new(5, 3, 12, 4),
            Rect::new(1, 1, 3, 2),
            Rect::new(0, 0, 1, 1),
            Rect::new(3, 3, 0, 5),
            Rect::new(40, 8, 30, 10),
        ] {
            for titles in 0..4 {
                let mut ours = Panel::new(border);
                let mut theirs = block(border);
                if titles > 0 {
                    ours = ours.title(title.clone());
                    theirs = theirs.title(title.clone());
                }
                if titles > 1 {
                    ours = ours.title(frozen.clone()).title_bottom(hint.clone());
                    theirs = theirs
                        .title(frozen.clone())
                        .title_bottom(hint.clone().right_aligned());
                }
                if titles > 2 {
                    ours = ours.title(wide.clone()).title_bottom(" ? ");
                    theirs = theirs
                        .title(wide.clone())
                        .title_bottom(Line::from(" ? ").right_aligned());
                }
                // Over text already there, as panels are drawn.
                let mut expected = Buffer::empty(backdrop);
                let mut got = Buffer::empty(backdrop);
                for buf in [&mut expected, &mut got] {
                    for y in 0..backdrop.height {
                        buf.set_string(0, y, "·".repeat(50), Style::new().fg(Color::Red));
                    }
                }
                (&theirs).render(area, &mut expected);
                (&ours).render(area, &mut got);
                assert_eq!(got, expected, "{area:?} with {titles} titles");
                assert_eq!(ours.inner(area), theirs.inner(area), "{area:?}");
            }
        }
    }
}

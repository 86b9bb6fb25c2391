//! What every screen of lectern shares: the background, the too-small check, and the titled
//! panel. The lecture view and `lectern watch` both draw through these.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::panel::Panel;
use super::too_small::{self, is_too_small};
use crate::theme::Theme;

/// Paints the theme's background and, when the terminal is below the minimum, the message
/// that says so. Returns whether the screen is big enough to draw on.
pub fn begin(theme: &Theme, screen: Rect, buf: &mut Buffer) -> bool {
    // The dark theme draws on the terminal's own background: no need to paint every cell.
    if theme.base != Style::default() {
        buf.set_style(screen, theme.base);
    }
    if is_too_small(screen) {
        too_small::render(theme, screen, buf);
        return false;
    }
    true
}

/// A rounded, titled panel with a column of padding each side.
#[must_use]
pub fn panel(title: impl Into<String>, theme: &Theme) -> Panel {
    Panel::new(theme.border).title(Span::styled(
        format!(" {} ", title.into()),
        theme.panel_title,
    ))
}

/// One line per `(keys, what they do)` row of a key-help overlay, the keys padded to
/// `keys_width` columns.
#[must_use]
pub fn key_rows(rows: &[(&str, &str)], keys_width: usize, theme: &Theme) -> Vec<Line<'static>> {
    rows.iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<keys_width$}"), theme.key),
                Span::styled((*what).to_string(), theme.text),
            ])
        })
        .collect()
}

/// A `width`×`height` area centred on `screen` (cut to it), cleared and painted with the
/// theme's background, for an overlay.
pub fn overlay(width: u16, height: u16, theme: &Theme, screen: Rect, buf: &mut Buffer) -> Rect {
    let width = width.min(screen.width);
    let height = height.min(screen.height);
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    };
    Clear.render(area, buf);
    buf.set_style(area, theme.base);
    area
}

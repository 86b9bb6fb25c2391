//! The smallest screen lectern draws on, and what it shows on a smaller one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::theme::Theme;

/// The smallest terminal lectern draws slides in.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height lectern draws slides in.
pub const MIN_HEIGHT: u16 = 24;
/// Whether the screen is too small to present on.
#[must_use]
pub fn is_too_small(screen: Rect) -> bool {
    screen.width < MIN_WIDTH || screen.height < MIN_HEIGHT
}

/// Says how big the terminal is, how big it must be, and how to leave.
pub fn render(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = Text::from(vec![
        Line::styled("Terminal too small", theme.warning),
        Line::default(),
        Line::styled(
            format!("lectern needs at least {MIN_WIDTH}×{MIN_HEIGHT};"),
            theme.text,
        ),
        Line::styled(
            format!("this terminal is {}×{}.", area.width, area.height),
            theme.text,
        ),
        Line::default(),
        Line::styled("Enlarge the window or make the font smaller.", theme.muted),
        Line::styled("q quits.", theme.muted),
    ])
    .centered();
    let height = (text.height() as u16).min(area.height);
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(middle, buf);
}

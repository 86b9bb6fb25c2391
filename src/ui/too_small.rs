//! The screen shown when the terminal is smaller than lectern needs.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::theme::Theme;

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

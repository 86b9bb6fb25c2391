//! The first screen's offer of a saved session: what it holds, and that Enter takes it back
//! while any other key starts fresh.

use std::time::{SystemTime, UNIX_EPOCH};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::lecture::App;
use crate::lecture::session::SavedSession;
use crate::ui::cells::render_lines;
use crate::ui::frame::{overlay, panel};
use crate::ui::panel::panel_inner;

/// Draws the offer of `saved` centred on `screen`.
pub fn render(app: &App, saved: &SavedSession, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lines = vec![
        Line::styled(
            format!("This lecture was left {}:", ago(saved.saved_at)),
            theme.text,
        ),
        Line::styled(format!("  {}", saved.summary()), theme.title),
        Line::default(),
        Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::styled(" resumes it · ", theme.text),
            Span::styled("any other key", theme.key),
            Span::styled(" starts afresh", theme.text),
        ]),
    ];
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 6;
    let area = overlay(width, lines.len() as u16 + 2, theme, screen, buf);
    let frame = panel("Resume?", theme);
    ratatui::widgets::Widget::render(frame, area, buf);
    render_lines(&lines, panel_inner(area), buf);
}

/// How long ago `saved_at` (seconds since the epoch) was, in words.
fn ago(saved_at: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(saved_at, |d| d.as_secs());
    match now.saturating_sub(saved_at) {
        s if s < 60 => "less than a minute ago".to_string(),
        s if s < 90 => "a minute ago".to_string(),
        s if s < 90 * 60 => format!("{} minutes ago", s / 60),
        s if s < 36 * 3600 => format!("{} hours ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

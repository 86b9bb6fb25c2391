//! The `?` overlay: every key and mouse action, generated from the key table itself.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use crate::lecture::{App, BINDINGS, MOUSE_HELP};

const LABEL_WIDTH: usize = 17;

/// Draws the help overlay centred on `screen`.
pub fn render(app: &App, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let row = |label: &str, help: &str| {
        Line::from(vec![
            Span::styled(format!(" {label:<LABEL_WIDTH$}"), theme.key),
            Span::styled(help.to_string(), theme.text),
        ])
    };
    let mut lines: Vec<Line<'static>> = BINDINGS
        .iter()
        .filter(|b| !b.label.is_empty())
        .map(|b| row(b.label, b.help))
        .collect();
    lines.extend(MOUSE_HELP.iter().map(|(label, help)| row(label, help)));

    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 3;
    let height = lines.len() as u16 + 2;
    let [_, column, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width.min(screen.width)),
        Constraint::Fill(1),
    ])
    .areas(screen);
    let [_, area, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height.min(screen.height)),
        Constraint::Fill(1),
    ])
    .areas(column);

    Clear.render(area, buf);
    buf.set_style(area, theme.base);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(" Keys ", theme.panel_title))
        .title_bottom(Line::styled(" ? or Esc closes ", theme.muted).right_aligned());
    Paragraph::new(lines).block(block).render(area, buf);
}

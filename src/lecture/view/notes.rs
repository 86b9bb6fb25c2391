//! The speaker-notes pane under the slide.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::lecture::App;
use crate::ui::blocks::blocks_lines;
use crate::ui::frame::panel;
use crate::ui::panel::panel_inner;

fn inner(area: Rect) -> Rect {
    panel_inner(area)
}

fn lines(app: &App, area: Rect) -> Cow<'_, [Line<'static>]> {
    let notes = &app.current_slide().notes;
    if notes.is_empty() {
        return Cow::Owned(vec![Line::styled(
            "No speaker notes for this slide.",
            app.theme.muted,
        )]);
    }
    let width = usize::from(inner(area).width);
    match app.laid_out.notes_lines(app.slide, width, &app.theme) {
        Some(kept) => Cow::Borrowed(kept),
        None => Cow::Owned(blocks_lines(notes, width, &app.theme)),
    }
}

/// How far the notes in `area` can scroll.
#[must_use]
pub fn scroll_limit(app: &App, area: Rect) -> usize {
    lines(app, area)
        .len()
        .saturating_sub(usize::from(inner(area).height))
}

/// Draws the notes for the current slide.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let all = lines(app, area);
    let height = usize::from(inner(area).height);
    let scroll = app.notes_scroll.min(all.len().saturating_sub(height));
    let below = all.len().saturating_sub(scroll + height);
    let hint = match (scroll > 0, below > 0) {
        (_, true) => format!(" ▼ {below} more (]) · s hides "),
        (true, false) => " ▲ ([) · s hides ".to_string(),
        (false, false) => " s hides ".to_string(),
    };
    let block = panel(format!("Speaker notes · slide {}", app.slide + 1), theme)
        .title_bottom(Line::styled(hint, theme.muted).right_aligned());
    let shown = &all[scroll.min(all.len())..];
    let text_area = block.inner(area);
    block.render(area, buf);
    crate::ui::cells::render_lines(shown, text_area, buf);
}

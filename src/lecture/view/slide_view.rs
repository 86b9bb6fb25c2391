//! The slide itself, scrolled when it is taller than the screen, with an indicator saying so.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::areas::slide_text_area;
use crate::lecture::App;
use crate::ui::blocks::slide_lines;

/// Lines of slide text that fit in `height` rows; one row is kept for the scroll indicator
/// when the slide does not fit.
#[must_use]
pub fn visible_lines(total: usize, height: usize) -> usize {
    if total <= height {
        height
    } else {
        height.saturating_sub(1)
    }
}

/// The largest useful scroll offset.
#[must_use]
pub fn scroll_limit(total: usize, height: usize) -> usize {
    total.saturating_sub(visible_lines(total, height))
}

/// Draws only the slide's title (and its number), for demo focus.
pub fn render_title(app: &App, area: Rect, buf: &mut Buffer) {
    let text = Rect {
        x: area.x.saturating_add(2),
        width: area.width.saturating_sub(4),
        ..area
    };
    if text.is_empty() {
        return;
    }
    let title = format!(
        "{} · slide {}/{} · z shows the slide",
        app.current_slide().title.as_deref().unwrap_or("(untitled)"),
        app.slide + 1,
        app.slide_count()
    );
    let line = Line::styled(
        crate::ui::wrap::truncate(&title, usize::from(text.width)),
        app.theme.title,
    );
    buf.set_line(text.x, text.y, &line, text.width);
}

/// Draws the current slide into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let text = slide_text_area(area);
    if text.is_empty() {
        return;
    }
    let width = usize::from(text.width);
    let laid_out;
    let lines = if let Some(kept) = app.laid_out.slide_lines(app.slide, width, &app.theme) {
        kept
    } else {
        laid_out = slide_lines(app.current_slide(), width, &app.theme);
        &laid_out
    };
    let (total, height) = (lines.len(), usize::from(text.height));
    let visible = visible_lines(total, height);
    let scroll = app.scroll.min(scroll_limit(total, height));
    for (row, line) in lines.iter().skip(scroll).take(visible).enumerate() {
        crate::ui::cells::set_line(buf, text.x, text.y + row as u16, line, text.width);
    }
    if total > height {
        let below = total - scroll - visible;
        let mut parts = Vec::new();
        if scroll > 0 {
            parts.push(format!("▲ {scroll} above (↑ PgUp)"));
        }
        if below > 0 {
            parts.push(format!("▼ {below} more below (↓ PgDn)"));
        }
        let indicator = Line::styled(parts.join("  "), app.theme.key).right_aligned();
        let row = Rect::new(text.x, text.y + text.height - 1, text.width, 1);
        buf.set_style(row, app.theme.base);
        ratatui::widgets::Widget::render(indicator, row, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fitting_slide_does_not_scroll() {
        assert_eq!(visible_lines(10, 10), 10);
        assert_eq!(scroll_limit(10, 10), 0);
    }

    #[test]
    fn an_overflowing_slide_keeps_a_row_for_the_indicator() {
        assert_eq!(visible_lines(11, 10), 9);
        assert_eq!(scroll_limit(11, 10), 2);
        assert_eq!(scroll_limit(5, 0), 5);
    }
}

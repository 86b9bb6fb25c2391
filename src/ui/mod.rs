//! Drawing: `render(&App, &mut Frame)` is pure and reads the state only.

mod blocks;
mod demo_panel;
mod demo_views;
mod footer;
pub mod frame;
pub mod gauges;
mod help;
mod layout;
mod notes;
mod sidebar;
mod slide_view;
mod table;
pub mod too_small;
pub(crate) mod wrap;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use blocks::{blocks_lines, slide_lines};
pub use layout::{MIN_HEIGHT, MIN_WIDTH, areas, is_too_small, slide_text_area};

use crate::app::App;

/// Draws one frame of the app.
pub fn render(app: &App, frame: &mut Frame) {
    let screen = frame.area();
    let buf = frame.buffer_mut();
    if !frame::begin(&app.theme, screen, buf) {
        return;
    }
    let areas = areas(screen, app.show_notes);
    slide_view::render(app, areas.slide, buf);
    if let Some(notes_area) = areas.notes {
        notes::render(app, notes_area, buf);
    }
    demo_panel::render(app, areas.demo, buf);
    sidebar::render_gauges(app, areas.gauges, buf);
    footer::render(app, areas.footer, buf);
    if app.show_help {
        help::render(app, screen, buf);
    }
}

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.width, app.size.height)
}

/// How far the current slide can scroll down on the current screen.
#[must_use]
pub fn max_scroll(app: &App) -> usize {
    let text = slide_text_area(areas(screen(app), app.show_notes).slide);
    let total = slide_lines(app.current_slide(), usize::from(text.width), &app.theme).len();
    slide_view::scroll_limit(total, usize::from(text.height))
}

/// How many slide lines fit on screen at once (one row goes to the scroll indicator when the
/// slide overflows).
#[must_use]
pub fn slide_visible_lines(app: &App) -> usize {
    let text = slide_text_area(areas(screen(app), app.show_notes).slide);
    let total = slide_lines(app.current_slide(), usize::from(text.width), &app.theme).len();
    slide_view::visible_lines(total, usize::from(text.height))
}

/// How far the speaker notes can scroll down.
#[must_use]
pub fn max_notes_scroll(app: &App) -> usize {
    areas(screen(app), app.show_notes)
        .notes
        .map_or(0, |area| notes::scroll_limit(app, area))
}

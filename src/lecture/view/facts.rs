//! What the lecture's key handling needs to know about the layout, worked out by the drawing
//! code (the event loop hands it to `update` as a message), and the slide's text laid out for
//! the screen as it is now.

use ratatui::layout::Rect;

use super::areas::{areas, is_cramped, of_app, slide_text_area};
use super::demo_panel::{Parts, Window};
use super::{demo_panel, notes, slide_view};
use crate::lecture::App;
use crate::lecture::msg::LayoutFacts;
use crate::ui::blocks::{blocks_lines, slide_lines};
use crate::ui::panel::panel_inner;

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.width, app.size.height)
}

/// What the key handling needs to know about the layout of `app` on its screen: how far the
/// slide, the notes and the demo panel scroll and how much a page of each holds, and whether
/// the demo panel beside the slide is too small for a run.
#[must_use]
pub fn layout_facts(app: &App) -> LayoutFacts {
    let mut facts = slide_facts(app);
    demo_facts(app, &mut facts);
    facts
}

/// The slide's and the notes' part of [`layout_facts`], which depends only on
/// [`layout_key`]. Scrolling is measured on the normal layout (demo focus hides the slide's
/// text but keeps its scroll position).
#[must_use]
pub fn slide_facts(app: &App) -> LayoutFacts {
    let normal = areas(screen(app), app.show_notes, false, None);
    let text = slide_text_area(normal.slide);
    let width = usize::from(text.width);
    let total = app
        .laid_out
        .slide_lines(app.slide, width, &app.theme)
        .map_or_else(
            || slide_lines(app.current_slide(), width, &app.theme).len(),
            <[_]>::len,
        );
    LayoutFacts {
        slide_max_scroll: slide_view::scroll_limit(total, usize::from(text.height)),
        slide_page: slide_view::visible_lines(total, usize::from(text.height)),
        notes_max_scroll: normal
            .notes
            .map_or(0, |area| notes::scroll_limit(app, area)),
        notes_page: normal
            .notes
            .map_or(0, |area| usize::from(panel_inner(area).height)),
        demo_cramped: is_cramped(normal.demo),
        demo_max_scroll: 0,
        demo_page: 0,
        demo_rows: None,
    }
}

/// Fills in the demo panel's part of the facts, which changes with every demo event: how
/// many lines its content has (its height follows them when no run is going) and how far it
/// scrolls.
pub fn demo_facts(app: &App, facts: &mut LayoutFacts) {
    // The panel's width does not depend on how its column is split: only its height does.
    let width = panel_inner(of_app(app, screen(app), None).demo).width;
    let Parts { top, body } = demo_panel::parts(app, usize::from(width));
    // A run going keeps the column's split; so does the slide's code, whose output (running
    // or ended) fills whatever the panel has.
    let keeps_split = app.demos.running().is_some() || app.shown_snippet().is_some();
    facts.demo_rows =
        (!keeps_split).then(|| u16::try_from(top.len() + body.len()).unwrap_or(u16::MAX));
    let demo = of_app(app, screen(app), facts.demo_rows).demo;
    let window = Window::new(top.len(), body.len(), usize::from(panel_inner(demo).height));
    facts.demo_max_scroll = window.max_scroll;
    facts.demo_page = window.rows;
}

/// The current slide's text and notes laid out for the screen as it is now, for
/// [`App::laid_out`](crate::lecture::App): the normal layout's widths (demo focus hides the text).
#[must_use]
pub fn lay_out(app: &App) -> crate::lecture::LaidOutText {
    use std::sync::Arc;
    let normal = areas(screen(app), app.show_notes, false, None);
    let width = usize::from(slide_text_area(normal.slide).width);
    let slide = crate::lecture::LaidOut {
        slide: app.slide,
        width,
        theme: app.theme.clone(),
        lines: slide_lines(app.current_slide(), width, &app.theme),
    };
    let notes = normal.notes.map(|area| {
        let width = usize::from(panel_inner(area).width);
        Arc::new(crate::lecture::LaidOut {
            slide: app.slide,
            width,
            theme: app.theme.clone(),
            lines: blocks_lines(&app.current_slide().notes, width, &app.theme),
        })
    });
    crate::lecture::LaidOutText {
        slide: Some(Arc::new(slide)),
        notes,
    }
}

/// What [`slide_facts`] and the laid-out text depend on, so the loop can skip working them
/// out again when none of it changed: slide, screen size, notes shown, code highlighted.
#[must_use]
pub fn layout_key(app: &App) -> (usize, u16, u16, bool, u64) {
    (
        app.slide,
        app.size.width,
        app.size.height,
        app.show_notes,
        app.highlights,
    )
}

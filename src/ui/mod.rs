//! Drawing: `render(&App, &mut Frame)` is pure and reads the state only.

mod blocks;
pub mod cells;
pub mod damage;
mod demo_panel;
mod footer;
pub mod frame;
pub mod gauges;
mod help;
mod layout;
mod notes;
pub mod panel;
mod sidebar;
mod slide_view;
mod table;
pub mod too_small;
pub mod views;
pub(crate) mod wrap;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use blocks::{blocks_lines, slide_lines};
pub use demo_panel::{Window, panel_lines};
pub use layout::{MIN_HEIGHT, MIN_WIDTH, areas, is_too_small, slide_text_area};

use crate::app::{App, LayoutFacts};
use damage::Plan;

/// Draws one frame of the app.
pub fn render(app: &App, frame: &mut Frame) {
    let screen = frame.area();
    plan(app, screen).render(frame.buffer_mut());
}

/// One frame of the app cut into parts, each keyed on what it shows: everything but the
/// gauges and the clocks changes only with [`App::revision`], the cores and the process
/// table when a sample changes what they show, the footer's timer and a running demo's clock
/// once a second.
#[must_use]
pub fn plan(app: &App, screen: Rect) -> Plan<'_> {
    let plan = Plan::new(screen, app.theme.base);
    if is_too_small(screen) {
        return plan.overlay(Box::new(|area, buf| {
            too_small::render(&app.theme, area, buf);
        }));
    }
    let areas = areas(screen, app.show_notes, app.demo_focus);
    let revision = app.revision;
    let mut plan = plan.part(
        areas.slide,
        revision,
        Box::new(|area, buf| {
            if app.demo_focus {
                slide_view::render_title(app, area, buf);
            } else {
                slide_view::render(app, area, buf);
            }
        }),
    );
    if let Some(notes_area) = areas.notes {
        plan = plan.part(
            notes_area,
            revision,
            Box::new(|area, buf| notes::render(app, area, buf)),
        );
    }
    plan = plan
        .part(
            areas.demo,
            (revision, demo_panel::clock_key(app)),
            Box::new(|area, buf| demo_panel::render(app, area, buf)),
        )
        .part(
            areas.gauges,
            (revision, sidebar::core_count(app)),
            Box::new(|area, buf| sidebar::render_frame(app, area, buf)),
        )
        .part(
            areas.footer,
            (revision, app.elapsed().as_secs()),
            Box::new(|area, buf| footer::render(app, area, buf)),
        );
    // The cores and the process table lie inside the gauges panel, whose frame leaves them
    // alone: parts of their own, drawn when what they show changes (a sample at rest on a
    // slide changes the cores' few rows and a row or two of the table, often nothing at all).
    let (cores, table) = sidebar::inner_areas(app, areas.gauges);
    plan = plan.part(
        cores,
        (revision, sidebar::cores_key(app, cores)),
        Box::new(|area, buf| sidebar::render_cores(app, area, buf)),
    );
    if let Some(table) = table {
        // Line by line: a sample that moves one process's figures redraws that row alone.
        for part in gauges::table_parts(app.gauges.shown(), &app.theme, table) {
            plan = plan.part(part.area, (revision, part.key), part.draw);
        }
    }
    if app.show_help {
        plan = plan.overlay(Box::new(|screen, buf| help::render(app, screen, buf)));
    }
    plan
}

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
    let normal = areas(screen(app), app.show_notes, false);
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
            .map_or(0, |area| usize::from(frame::panel_inner(area).height)),
        demo_cramped: layout::is_cramped(normal.demo),
        demo_max_scroll: 0,
        demo_page: 0,
    }
}

/// Fills in the demo panel's part of the facts, which changes with every demo event.
pub fn demo_facts(app: &App, facts: &mut LayoutFacts) {
    let demo = areas(screen(app), app.show_notes, app.demo_focus).demo;
    let window = demo_panel::window(app, demo);
    facts.demo_max_scroll = window.max_scroll;
    facts.demo_page = window.rows;
}

/// The current slide's text and notes laid out for the screen as it is now, for
/// [`App::laid_out`](crate::app::App): the normal layout's widths (demo focus hides the text).
#[must_use]
pub fn lay_out(app: &App) -> crate::app::LaidOutText {
    use std::sync::Arc;
    let normal = areas(screen(app), app.show_notes, false);
    let width = usize::from(slide_text_area(normal.slide).width);
    let slide = crate::app::LaidOut {
        slide: app.slide,
        width,
        theme: app.theme.clone(),
        lines: slide_lines(app.current_slide(), width, &app.theme),
    };
    let notes = normal.notes.map(|area| {
        let width = usize::from(frame::panel_inner(area).width);
        Arc::new(crate::app::LaidOut {
            slide: app.slide,
            width,
            theme: app.theme.clone(),
            lines: blocks_lines(&app.current_slide().notes, width, &app.theme),
        })
    });
    crate::app::LaidOutText {
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

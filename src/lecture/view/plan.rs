//! One frame of the lecture: `render(&App, &mut Frame)` is pure and reads the state only;
//! [`plan`] cuts the frame into parts keyed on what they show, so only what changed is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::areas::of_app;
use super::{captions_strip, demo_panel, footer, help, notes, offer, sidebar, slide_view};
use crate::lecture::App;
use crate::ui::damage::Plan;
use crate::ui::gauges;
use crate::ui::too_small::{self, is_too_small};

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
    let areas = of_app(app, screen, app.layout.demo_rows);
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
        for part in gauges::table_parts(
            app.gauges.shown(),
            &app.theme,
            table,
            sidebar::emphasis(app),
        ) {
            plan = plan.part(part.area, (revision, part.key), part.draw);
        }
    }
    if captions_strip::may_show(app) {
        plan = plan.overlay(Box::new(|screen, buf| {
            captions_strip::render(app, screen, buf);
        }));
    }
    if app.show_help {
        plan = plan.overlay(Box::new(|screen, buf| help::render(app, screen, buf)));
    }
    if let Some(saved) = &app.offer {
        plan = plan.overlay(Box::new(move |screen, buf| {
            offer::render(app, saved, screen, buf);
        }));
    }
    plan
}

//! Where each part of the screen goes, as a pure function of the terminal size.

use ratatui::layout::{Constraint, Layout, Rect};

/// From this width on, the demo panel and gauges sit beside the slide instead of below it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// Rows the slide keeps in demo focus: its title.
pub const FOCUS_TITLE_ROWS: u16 = 1;

/// Rows of gauges under the demo in demo focus on narrow screens: beside the cores, the
/// table's heading, two busy processes, its "more" line and totals wrapped to two lines.
const FOCUS_GAUGE_ROWS: u16 = 8;

/// Rows of that strip when no run goes: the cores, beside a short table.
const QUIET_FOCUS_GAUGE_ROWS: u16 = 6;

/// Rows the gauges keep beside the slide when the demo panel takes what its content needs:
/// the cores, a few processes, the totals.
const MIN_GAUGE_ROWS: u16 = 12;

/// The demo panel's smallest height beside the slide: a line of text in its border.
const MIN_DEMO_ROWS: u16 = 3;

/// Below this inner size the demo panel beside the slide cannot show a run, so starting a
/// demo gives it the screen.
const CRAMPED_WIDTH: u16 = 40;
const CRAMPED_HEIGHT: u16 = 10;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The slide, including its margins (in demo focus, only its title's rows).
    pub slide: Rect,
    /// The speaker-notes pane, when shown.
    pub notes: Option<Rect>,
    /// The demo panel.
    pub demo: Rect,
    /// The CPU and memory gauges.
    pub gauges: Rect,
    /// The one-line footer.
    pub footer: Rect,
}

/// The areas of `app` on `screen`: [`areas`] with its notes, focus and `demo_rows`; but the
/// verdicts in demo focus, while no run goes, take the whole width — a summary table of the
/// lecture's claims, whose gauges have nothing to show.
#[must_use]
pub fn of_app(app: &crate::lecture::App, screen: Rect, demo_rows: Option<u16>) -> Areas {
    if app.demo_focus && app.verdicts.shown && app.demos.running().is_none() {
        let [body, footer] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(screen);
        let [slide, demo] =
            Layout::vertical([Constraint::Length(FOCUS_TITLE_ROWS), Constraint::Fill(1)])
                .areas(body);
        return Areas {
            slide,
            notes: None,
            demo,
            gauges: Rect::new(demo.x, demo.bottom(), demo.width, 0),
            footer,
        };
    }
    areas(screen, app.show_notes, app.demo_focus, demo_rows)
}

/// Splits the screen; `notes` reserves a pane under the slide for speaker notes; `focus`
/// gives the demo panel and the gauges everything but the slide's title. Beside the slide,
/// `demo_rows` is how many lines the demo panel's content has when its height may follow it
/// (no run going): the panel takes what it needs, the gauges keep at least a few rows, and a
/// slide without a demo does not give its panel a third of the screen. `None` (a run going)
/// splits the column at 55%, so the gauges keep their share while processes work.
#[must_use]
pub fn areas(screen: Rect, notes: bool, focus: bool, demo_rows: Option<u16>) -> Areas {
    let [body, footer] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(screen);
    if focus {
        return focus_areas(body, footer, demo_rows.is_some());
    }
    let (slide_column, demo, gauges) = if screen.width >= SIDE_BY_SIDE_WIDTH {
        // From 120 columns the gauges get 40% (room for PSS); below, slides keep 66 columns.
        let sidebar_width = if screen.width >= 120 {
            (screen.width * 2 / 5).min(64)
        } else {
            (screen.width * 34 / 100).max(32)
        };
        let [slide, sidebar] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(sidebar_width)])
                .areas(body);
        let demo_height = match demo_rows {
            None => sidebar.height * 55 / 100,
            Some(rows) => rows
                .saturating_add(2)
                .min(sidebar.height.saturating_sub(MIN_GAUGE_ROWS))
                .max(MIN_DEMO_ROWS),
        };
        let [demo, gauges] =
            Layout::vertical([Constraint::Length(demo_height), Constraint::Fill(1)]).areas(sidebar);
        (slide, demo, gauges)
    } else {
        let [slide, strip] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(body);
        let [demo, gauges] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(strip);
        (slide, demo, gauges)
    };
    let (slide, notes) = if notes {
        // Below the side-by-side width the slide column is short: give the notes half of it.
        let notes_height = if screen.width >= SIDE_BY_SIDE_WIDTH {
            slide_column.height * 2 / 5
        } else {
            slide_column.height / 2
        }
        .max(6);
        let [slide, notes] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(notes_height)])
                .areas(slide_column);
        (slide, Some(notes))
    } else {
        (slide_column, None)
    };
    Areas {
        slide,
        notes,
        demo,
        gauges,
        footer,
    }
}

/// Demo focus: the slide's title on top; below it the demo panel beside the gauges on wide
/// screens, above a strip of gauges on narrow ones — a thinner strip when no run goes
/// (`quiet`), so a finished run's result has the rows.
fn focus_areas(body: Rect, footer: Rect, quiet: bool) -> Areas {
    let [slide, rest] =
        Layout::vertical([Constraint::Length(FOCUS_TITLE_ROWS), Constraint::Fill(1)]).areas(body);
    let (demo, gauges) = if body.width >= SIDE_BY_SIDE_WIDTH {
        let gauges_width = (body.width * 2 / 5).clamp(40, 64);
        let [demo, gauges] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(gauges_width)]).areas(rest);
        (demo, gauges)
    } else {
        let rows = if quiet {
            QUIET_FOCUS_GAUGE_ROWS
        } else {
            FOCUS_GAUGE_ROWS
        };
        let [demo, gauges] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(rows)]).areas(rest);
        (demo, gauges)
    };
    Areas {
        slide,
        notes: None,
        demo,
        gauges,
        footer,
    }
}

/// Whether a demo panel drawn in `demo` is too small to show a run.
#[must_use]
pub fn is_cramped(demo: Rect) -> bool {
    let inner = crate::ui::panel::panel_inner(demo);
    inner.width < CRAMPED_WIDTH || inner.height < CRAMPED_HEIGHT
}

/// The part of the slide area that holds text: two columns of margin each side, one row on top.
#[must_use]
pub fn slide_text_area(slide: Rect) -> Rect {
    Rect {
        x: slide.x.saturating_add(2),
        y: slide.y.saturating_add(1),
        width: slide.width.saturating_sub(4),
        height: slide.height.saturating_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_put_the_panels_beside_the_slide() {
        let a = areas(Rect::new(0, 0, 120, 40), false, false, None);
        assert!(!is_cramped(a.demo), "a run fits beside the slide at 120×40");
        assert_eq!(a.footer, Rect::new(0, 39, 120, 1));
        assert_eq!(a.slide.height, 39);
        assert_eq!(a.demo.x, a.slide.width);
        assert_eq!(a.demo.width + a.slide.width, 120);
    }

    #[test]
    fn narrow_screens_put_the_panels_below_and_notes_take_a_pane() {
        let a = areas(Rect::new(0, 0, 80, 24), true, false, None);
        assert!(is_cramped(a.demo));
        assert_eq!(a.slide.width, 80);
        assert_eq!(a.demo.y, a.gauges.y);
        let notes = a.notes.unwrap();
        assert_eq!(notes.y, a.slide.y + a.slide.height);
        assert!(notes.height >= 6);
    }

    #[test]
    fn focus_keeps_the_title_and_gives_the_rest_to_the_demo_and_gauges() {
        for (w, h) in [(80, 24), (100, 30), (120, 40)] {
            let a = areas(Rect::new(0, 0, w, h), true, true, None);
            assert_eq!(a.slide.height, FOCUS_TITLE_ROWS);
            assert_eq!(a.notes, None);
            assert!(!is_cramped(a.demo), "{w}×{h}: {:?}", a.demo);
            assert!(a.gauges.height >= FOCUS_GAUGE_ROWS, "{w}×{h}");
        }
    }

    #[test]
    fn beside_the_slide_a_quiet_panel_takes_the_rows_its_content_needs() {
        let screen = Rect::new(0, 0, 120, 40);
        let going = areas(screen, false, false, None);
        // A slide without a demo says so in a line: the gauges get the rest of the column.
        let empty = areas(screen, false, false, Some(1));
        assert_eq!(empty.demo.height, MIN_DEMO_ROWS);
        assert_eq!(
            empty.gauges.height,
            going.demo.height + going.gauges.height - 3
        );
        // A long finished run grows the panel, but the gauges keep their rows.
        let long = areas(screen, false, false, Some(200));
        assert_eq!(long.gauges.height, MIN_GAUGE_ROWS);
        assert_eq!(
            long.demo.height + long.gauges.height,
            going.demo.height + going.gauges.height
        );
        // A short one takes its lines and its border, no more.
        assert_eq!(areas(screen, false, false, Some(9)).demo.height, 11);
    }
}

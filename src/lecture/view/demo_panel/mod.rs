//! The demo panel: its frame, and a window on its lines. The top (what runs, its status and
//! its result) always shows; below it the body scrolls with `}` and `{` when it does not fit,
//! with a marker saying how much is above and below, so nothing is ever cut silently.

mod ask_the_room;
pub mod class_results;
mod compare;
mod content;
mod experiments;
mod parts;
mod predict;
mod snippet_output;
mod verdict_lines;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

pub use content::{panel_lines, parts, shown_run};
pub use parts::Parts;

use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::view::count;
use crate::lecture::App;
use crate::ui::frame::panel;
use crate::ui::panel::panel_inner;

/// How the body scrolls in a panel of `height` rows whose top takes `top` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Body rows shown at once.
    pub rows: usize,
    /// The largest useful scroll offset.
    pub max_scroll: usize,
}

impl Window {
    /// The window for `top` and `body` lines in `height` rows: everything if it fits, else
    /// what is left under the top minus one row for the marker.
    #[must_use]
    pub fn new(top: usize, body: usize, height: usize) -> Self {
        if top + body <= height {
            return Self {
                rows: body,
                max_scroll: 0,
            };
        }
        let rows = height.saturating_sub(top + 1);
        Self {
            rows,
            max_scroll: body.saturating_sub(rows),
        }
    }
}

/// The scroll window of the panel as `app` would draw it in `area`.
#[must_use]
pub fn window(app: &App, area: Rect) -> Window {
    let inner = panel_inner(area);
    let Parts { top, body } = parts(app, usize::from(inner.width));
    Window::new(top.len(), body.len(), usize::from(inner.height))
}

/// What of the panel moves with the clock alone: the seconds a running demo and a running
/// snippet have run (the panel shows them), for the panel's key in [`plan`](crate::lecture::view::plan()).
#[must_use]
pub fn clock_key(app: &App) -> (Option<u64>, Option<u64>) {
    let run = app
        .demos
        .running()
        .map(|run| app.now.saturating_duration_since(run.started).as_secs());
    let snippet = app
        .snippet
        .as_ref()
        .filter(|s| s.ended.is_none())
        .map(|s| app.now.saturating_duration_since(s.started).as_secs());
    (run, snippet)
}

/// Draws the demo panel (or the slide's running code) into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if let Some(snippet) = app.shown_snippet() {
        snippet_output::render(app, snippet, area, buf);
        return;
    }
    let theme = &app.theme;
    let slide_demos = app.current_demos();
    let demos = slide_demos.len();
    let shown = shown_run(app);
    let mut title = match demos {
        _ if app.verdicts.shown => "Verdicts · v".to_string(),
        _ if predict::asking(app).is_some() => "Predict".to_string(),
        n if n > 1 => format!("Demo {}/{n} · Tab", app.demos.selected + 1),
        _ => "Demo".to_string(),
    };
    // The engine: the one the shown run ran on, else the one Enter will use.
    if !app.verdicts.shown {
        // With several CPythons, which one ran it.
        let interpreter = shown
            .filter(|r| r.engine == Engine::Python && !app.engines.more.is_empty())
            .and_then(|r| app.engines.interpreter(r.interpreter));
        let engine = match shown.and_then(|r| r.reported_engine.as_ref()) {
            Some(_) if interpreter.is_some() => interpreter.map(str::to_string),
            Some((engine, _)) => Some(engine.clone()),
            None if demos > 0 => Some(app.engine_for((app.slide, app.demos.selected)).to_string()),
            None => None,
        };
        if let Some(engine) = engine {
            title = format!("{title} · {engine}");
        }
    }
    let block = panel(title, theme).title_bottom(
        Line::styled(
            if app.verdicts.shown {
                verdicts_key_hint(app, area.width)
            } else if predict::asking(app).is_some() {
                // A question is open: its own keys, not the demo's.
                " Enter lock in · Esc skip "
            } else if demos > 0 || shown.is_some() {
                key_hint(area.width)
            } else {
                ""
            },
            theme.muted,
        )
        .right_aligned(),
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let Parts { top, body } = parts(app, usize::from(inner.width));
    let height = usize::from(inner.height);
    let window = Window::new(top.len(), body.len(), height);
    let mut lines = top;
    if window.max_scroll == 0 && lines.len() + body.len() <= height {
        lines.extend(body);
    } else {
        let scroll = app.demos.scroll.min(window.max_scroll);
        // A top taller than the panel hides its own end too.
        let top_hidden = lines.len().saturating_sub(height.saturating_sub(1));
        let below = body.len().saturating_sub(scroll + window.rows) + top_hidden;
        lines.truncate(height.saturating_sub(1));
        lines.extend(body.into_iter().skip(scroll).take(window.rows));
        lines.push(marker(app, scroll, below));
    }
    crate::ui::cells::render_lines(&lines, inner, buf);
}

/// The row that says what is above and below, and how to see it.
fn marker(app: &App, above: usize, below: usize) -> Line<'static> {
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(format!("▲ {above} above {{"));
    }
    if below > 0 {
        parts.push(format!(
            "▼ {} }}",
            count(below as u64, "more line", "more lines")
        ));
    }
    if !app.demo_focus {
        parts.push("z: all".into());
    }
    Line::styled(parts.join(" · "), app.theme.key).right_aligned()
}

/// The demo keys, or a pointer to the help when the panel is too narrow for them.
fn key_hint(width: u16) -> &'static str {
    const FULL: &str = " Enter run · x stop · e edit · z focus ";
    if usize::from(width) >= FULL.chars().count() + 4 {
        FULL
    } else {
        " Enter run · ? keys "
    }
}

/// The verdicts' keys: there are no parameters to edit there, and Enter only while a claim
/// still misses its run.
fn verdicts_key_hint(app: &App, width: u16) -> &'static str {
    const FULL: &str = " Enter run missing · x stop · Tab demos · z focus ";
    const DONE: &str = " x stop · Tab demos · z focus ";
    if app.verdicts.missing(app.engines.current).is_empty() {
        DONE
    } else if usize::from(width) >= FULL.chars().count() + 4 {
        FULL
    } else {
        " Enter run · ? keys "
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_fits_does_not_scroll_and_one_that_does_not_keeps_a_marker_row() {
        assert_eq!(
            Window::new(3, 5, 10),
            Window {
                rows: 5,
                max_scroll: 0
            }
        );
        assert_eq!(
            Window::new(3, 20, 10),
            Window {
                rows: 6,
                max_scroll: 14
            }
        );
        assert_eq!(
            Window::new(12, 5, 10).rows,
            0,
            "a huge top leaves no body rows"
        );
    }
}

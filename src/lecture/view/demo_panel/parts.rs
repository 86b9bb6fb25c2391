//! The demo panel's lines in two parts: what always shows, and what scrolls under it.

use ratatui::style::Modifier;
use ratatui::text::Line;

use crate::demo_runtime::view::View;
use crate::lecture::Run;
use crate::theme::Theme;
use crate::ui::views;
use crate::ui::wrap::wrap;

/// The panel's lines: `top` always shows; `body` scrolls under it when it does not fit.
#[derive(Debug, Default)]
pub struct Parts {
    /// What the demo is and how its run is going, and the result: never scrolled away.
    pub top: Vec<Line<'static>>,
    /// Everything else.
    pub body: Vec<Line<'static>>,
}

/// A demo's title as the panel leads with it: `◆ Pool.map chunksize: messages vs work`.
#[must_use]
pub fn title_lines(title: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    wrap(
        &[
            ("◆ ", theme.bullet),
            (title, theme.key.add_modifier(Modifier::BOLD)),
        ],
        width,
    )
}

/// The headline of each of `runs`, after its label (`before: `, `CPython: `), for the
/// panel's comparisons; a run without one is left out.
#[must_use]
pub fn labelled_headlines(
    runs: &[(&str, &Run)],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (label, run) in runs {
        if let Some(View::Headline { text, tone }) = run.views.get("headline") {
            lines.extend(views::lines(
                &View::Headline {
                    text: format!("{label}{text}"),
                    tone: *tone,
                },
                width,
                theme,
            ));
        }
    }
    lines
}

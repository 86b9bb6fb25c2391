//! The demo panel's lines in two parts: what always shows, and what scrolls under it.

use ratatui::text::Line;

/// The panel's lines: `top` always shows; `body` scrolls under it when it does not fit.
#[derive(Debug, Default)]
pub struct Parts {
    /// What the demo is and how its run is going, and the result: never scrolled away.
    pub top: Vec<Line<'static>>,
    /// Everything else.
    pub body: Vec<Line<'static>>,
}

//! The gauges panel beside (or under) the slide.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use super::frame::panel;
use super::gauges;
use crate::app::App;

/// The gauges panel: per-core CPU and the tracked processes (until demos exist, lectern's
/// own process), with a badge while frozen.
pub fn render_gauges(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let cores = app
        .gauges
        .shown()
        .sample
        .as_ref()
        .map_or(0, |s| s.cores.len());
    let title = if cores > 0 {
        format!("CPU & memory · {cores} cores")
    } else {
        "CPU & memory".into()
    };
    let mut block = panel(&title, theme);
    if app.gauges.is_frozen() {
        block = block.title(Span::styled(" ❄ FROZEN (f) ", theme.warning));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let data = app.gauges.shown();
    // The strip under the slide on narrow screens only has room for the cores.
    if inner.height < 6 {
        gauges::render_cores(data, theme, inner, buf);
    } else {
        gauges::render(data, theme, inner, buf);
    }
}

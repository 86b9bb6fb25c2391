//! The gauges panel beside (or under) the slide.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use super::frame::panel;
use super::gauges;
use crate::app::App;

/// The gauges panel: per-core CPU and the tracked processes (lectern's own and those of the
/// slide's demos), with a badge while frozen.
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
    // A low strip shows the cores, beside the processes when it is wide enough for both.
    if inner.height < 6 && inner.width >= 70 {
        let [cores, procs] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Percentage(45),
            ratatui::layout::Constraint::Fill(1),
        ])
        .spacing(2)
        .areas(inner);
        gauges::render_cores(data, theme, cores, buf);
        gauges::render_procs(data, theme, procs, buf);
    } else if inner.height < 6 {
        gauges::render_cores(data, theme, inner, buf);
    } else {
        gauges::render(data, theme, inner, buf);
    }
}

//! The demo panel and the gauges panel. Until demos and sampling exist they say so plainly:
//! no placeholder numbers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Padding, Widget};

use super::gauges;
use crate::app::App;
use crate::theme::Theme;

fn panel<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.panel_title))
        .padding(Padding::horizontal(1))
}

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

//! The demo panel and the gauges panel. Until demos and sampling exist they say so plainly:
//! no placeholder numbers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Padding, Paragraph, Widget, Wrap};

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

/// The demo panel: what this slide offers and that nothing is running. In the short strip
/// of a narrow screen the declared demos are listed on one line so none is cut off.
pub fn render_demo(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let mut lines = vec![Line::styled("No demo is running.", theme.text)];
    let demos = &app.current_slide().demos;
    let roomy = area.height >= 8;
    if roomy && !demos.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("This slide declares:", theme.muted));
        for demo in demos {
            let params: Vec<String> = demo
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            lines.push(Line::from(vec![
                Span::styled("◆ ", theme.bullet),
                Span::styled(demo.name.clone(), theme.key),
                Span::styled(format!(" {}", params.join(" ")), theme.muted),
            ]));
        }
        lines.push(Line::styled(
            "Running demos is not available in this build yet.",
            theme.muted,
        ));
    } else if !demos.is_empty() {
        let names: Vec<&str> = demos.iter().map(|d| d.name.as_str()).collect();
        lines.push(Line::from(vec![
            Span::styled("Declared here: ", theme.muted),
            Span::styled(names.join(", "), theme.key),
        ]));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(panel("Demo", theme))
        .render(area, buf);
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

//! The panel while it shows the slide's code running (`o`): what the code printed, newest at
//! the bottom, and how it ended.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::lecture::{App, SnippetEnd, SnippetRun};
use crate::process::Stream;
use crate::ui::clock::format_clock;
use crate::ui::frame::panel;
use crate::ui::wrap::truncate;

/// Draws `snippet` in `area`.
pub fn render(app: &App, snippet: &SnippetRun, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let hint = if snippet.is_running() {
        " x stops · o runs again "
    } else {
        " o runs again · Esc: the demo "
    };
    let block = panel("Slide code · python3", theme)
        .title_bottom(Line::styled(hint, theme.muted).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    let width = usize::from(inner.width);
    let state = match &snippet.ended {
        None => Line::styled(
            format!(
                "▶ running {} · its processes are in the gauges",
                format_clock(app.now.saturating_duration_since(snippet.started))
            ),
            theme.key,
        ),
        Some((at, end)) => {
            let took = format_clock(at.saturating_duration_since(snippet.started));
            match end {
                SnippetEnd::Exited(exit) => Line::styled(
                    format!("■ {} after {took}", exit.describe()),
                    if matches!(exit, crate::process::ExitInfo::Code(0)) {
                        theme.good
                    } else {
                        theme.bad
                    },
                ),
                SnippetEnd::Stopped(why) => Line::styled(
                    format!("■ {why} after {took}: every process killed"),
                    theme.caution,
                ),
            }
        }
    };
    let mut lines = vec![Line::styled(
        truncate(&state.to_string(), width),
        state.style,
    )];
    let rows = usize::from(inner.height).saturating_sub(1);
    let output: Vec<&(Stream, String)> = snippet.lines.iter().collect();
    let hidden = output.len().saturating_sub(rows) + snippet.dropped;
    let mut shown_rows = rows;
    if hidden > 0 && rows > 0 {
        shown_rows -= 1;
        lines.push(Line::styled(
            format!("… {hidden} earlier lines not shown"),
            theme.muted,
        ));
    }
    if output.is_empty() && rows > 0 {
        lines.push(Line::styled("(no output yet)", theme.muted));
    }
    for (stream, text) in output.iter().skip(output.len().saturating_sub(shown_rows)) {
        let style = match stream {
            Stream::Stdout => theme.text,
            Stream::Stderr => theme.caution,
        };
        lines.push(Line::styled(truncate(text, width), style));
    }
    crate::ui::cells::render_lines(&lines, inner, buf);
}

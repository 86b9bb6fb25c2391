//! The panel while it shows the slide's code running (`o`): what the code printed, newest at
//! the bottom, and how it ended.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::lecture::{App, SnippetEnd, SnippetRun};
use crate::process::Stream;
use crate::ui::clock::format_clock;
use crate::ui::frame::panel;
use crate::ui::wrap::truncate;

/// Draws `snippet` in `area` — beside the last run of the other version of the same code
/// (the learner's copy and the slide's own), when there is one.
pub fn render(app: &App, snippet: &SnippetRun, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let hint = if snippet.is_running() {
        " x stops · o runs again "
    } else {
        " o · O edit · Esc "
    };
    let title = if snippet.edited {
        "Your copy of the slide's code · python3"
    } else {
        "Slide code · python3"
    };
    let block = panel(title, theme).title_bottom(Line::styled(hint, theme.muted).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(before) = app
        .snippet_before
        .as_ref()
        .filter(|b| b.slide == snippet.slide && b.edited != snippet.edited)
    else {
        column(app, snippet, None, inner, buf);
        return;
    };
    let (copy, own) = if snippet.edited {
        (snippet, before)
    } else {
        (before, snippet)
    };
    // Side by side where each half is wide enough to read a line of output; else stacked.
    let halves = if inner.width >= 70 {
        Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .split(inner)
    } else {
        Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .split(inner)
    };
    column(app, copy, Some("Your copy"), halves[0], buf);
    column(app, own, Some("The slide's own code"), halves[2], buf);
}

/// One run's state and latest output in `inner`, under `heading` when two are shown.
fn column(app: &App, snippet: &SnippetRun, heading: Option<&str>, inner: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
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
    let mut lines: Vec<Line<'static>> = heading
        .map(|h| Line::styled(truncate(h, width), theme.key.add_modifier(Modifier::BOLD)))
        .into_iter()
        .collect();
    lines.push(Line::styled(
        truncate(&state.to_string(), width),
        state.style,
    ));
    let rows = usize::from(inner.height).saturating_sub(lines.len());
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

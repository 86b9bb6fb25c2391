//! The footer: lecture title, demo marker, jump prompt or message, slide counter, timer, help.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::lecture::App;
use crate::ui::clock::format_clock;
use crate::ui::wrap::{text_width, truncate};

/// Draws the footer line.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.footer);
    let mut right: Vec<Span<'static>> = Vec::new();
    if !app.jump.is_empty() {
        right.push(Span::styled(
            format!(" go to slide: {}▏ ", app.jump),
            theme.footer_accent,
        ));
    } else if let Some(problem) = &app.reload_error {
        // Until a good save: the slides are the last good ones, and this says why.
        // At most half the footer: the slide counter and the timer stay on screen.
        let room = usize::from(area.width / 2).max(20);
        right.push(Span::styled(
            format!(
                " {} ",
                truncate(&format!("✗ not reloaded: {problem}"), room)
            ),
            theme.footer_accent,
        ));
    } else if let Some(status) = &app.status {
        right.push(Span::styled(format!(" {status} "), theme.footer_accent));
    }
    let demos = app.current_demos();
    let mut segments: Vec<Span<'static>> = Vec::new();
    // What the panel shows: the verdicts, or the demo (which of the slide's, and about how
    // long it takes before it has run, for a strip too small to say so itself).
    if app.verdicts.shown {
        segments.push(Span::styled(" ◆ verdicts ", theme.footer));
    } else if let Some(shown) = demos.get(app.demos.selected) {
        let of = if demos.len() > 1 {
            format!(" {}/{}", app.demos.selected + 1, demos.len())
        } else {
            String::new()
        };
        let slot = (app.slide, app.demos.selected);
        let about = match (app.demos.latest(slot), app.request_for(slot)) {
            (None, Some(request)) => {
                let took = app.timings.expected(request, app.engine_for(slot)).0;
                format!(" ~{}", crate::ui::clock::rough_duration(took))
            }
            _ => String::new(),
        };
        segments.push(Span::styled(
            format!(" ◆ demo{of}: {}{about} ", shown.request.name()),
            theme.footer,
        ));
    }
    segments.push(Span::styled(
        format!(" {} / {} ", app.slide + 1, app.slide_count()),
        theme.footer_accent,
    ));
    // The symbol carries the state, so it reads without colour too.
    let (symbol, state) = if app.stopwatch.is_running() {
        ("▶", "")
    } else {
        ("⏸", " paused")
    };
    let planned = app
        .lesson
        .meta
        .duration_minutes
        .map(|m| format!(" / {m}:00"))
        .unwrap_or_default();
    segments.push(Span::styled(
        format!(" {symbol} {}{planned}{state} ", format_clock(app.elapsed())),
        theme.footer,
    ));
    segments.push(Span::styled(" ? help ", theme.footer));
    for (i, segment) in segments.into_iter().enumerate() {
        if i > 0 {
            right.push(Span::styled("│", theme.footer));
        }
        right.push(segment);
    }

    let right_width: usize = right.iter().map(|s| text_width(&s.content)).sum();
    let left_width = usize::from(area.width).saturating_sub(right_width);
    let title = truncate(&format!(" {}", app.lesson.meta.display_title()), left_width);
    let pad = left_width.saturating_sub(text_width(&title));
    let mut spans = vec![
        Span::styled(title, theme.footer),
        Span::styled(" ".repeat(pad), theme.footer),
    ];
    spans.extend(right);
    Line::from(spans).render(area, buf);
}

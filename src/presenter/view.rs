//! Drawing the presenter screen: the current slide's notes, the timer against the planned
//! length, the demo's state, the next slide's title and first lines, and how the link to
//! the room stands. Pure: reads the state only.

use std::time::Duration;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::app::{LinkState, PresenterApp};
use crate::theme::Theme;
use crate::ui::cells::render_lines;
use crate::ui::clock::format_clock;
use crate::ui::frame::{begin, key_rows, overlay, panel};
use crate::ui::panel::panel_inner;
use crate::ui::wrap::{truncate, wrap};
use crate::ui::{blocks_lines, slide_lines};

/// Widest screen that stacks the panels instead of putting them side by side.
const STACKED_BELOW: u16 = 100;

/// Where each part of the presenter screen goes.
struct Areas {
    header: Rect,
    notes: Rect,
    clock: Rect,
    demo: Rect,
    next: Rect,
    footer: Rect,
}

fn areas(area: Rect) -> Areas {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (notes, clock, demo, next) = if area.width < STACKED_BELOW {
        // Narrow (a laptop's half screen): the notes in the middle, the clock and the demo
        // above them, the next slide below.
        let [top, notes, next] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Fill(1),
            Constraint::Length(8),
        ])
        .areas(body);
        let [clock, demo] =
            Layout::horizontal([Constraint::Length(34), Constraint::Fill(1)]).areas(top);
        (notes, clock, demo, next)
    } else {
        let [notes, side] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
        let [clock, demo, next] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Fill(1),
        ])
        .areas(side);
        (notes, clock, demo, next)
    };
    Areas {
        header,
        notes,
        clock,
        demo,
        next,
        footer,
    }
}

/// Draws one frame.
pub fn render(app: &PresenterApp, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if !begin(&app.theme, area, buf) {
        return;
    }
    let parts = areas(area);
    render_header(app, parts.header, buf);
    render_notes(app, parts.notes, buf);
    render_clock(app, parts.clock, buf);
    render_demo(app, parts.demo, buf);
    render_next(app, parts.next, buf);
    render_footer(app, parts.footer, buf);
    if app.show_help {
        render_help(&app.theme, area, buf);
    }
}

/// How far the notes can scroll at this size (the loop tells the state after each frame,
/// so `]` stops at the end).
#[must_use]
pub fn notes_max_scroll(app: &PresenterApp) -> usize {
    let area = Rect::new(0, 0, app.size.width, app.size.height);
    let inner = panel_inner(areas(area).notes);
    notes_lines(app, usize::from(inner.width))
        .len()
        .saturating_sub(usize::from(inner.height))
}

/// The current slide's notes (or why there are none) laid out `width` columns wide.
fn notes_lines(app: &PresenterApp, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let slide = app
        .lesson
        .as_ref()
        .and_then(|l| l.slides.get(app.room.slide));
    match (slide, &app.lesson_error) {
        (_, Some(why)) => vec![Line::styled(
            format!("The lesson did not load: {why}"),
            theme.bad,
        )],
        (None, None) => vec![Line::styled("Waiting for the room's lesson…", theme.muted)],
        (Some(s), None) => {
            let mut lines = super::room_questions::lines(app, width);
            if s.notes.is_empty() {
                lines.push(Line::styled("No notes for this slide.", theme.muted));
            } else {
                lines.extend(blocks_lines(&s.notes, width, theme));
            }
            lines
        }
    }
}

/// A panel title cut to fit `area` (with `…`).
fn titled(title: &str, area: Rect, theme: &Theme) -> crate::ui::panel::Panel {
    panel(
        truncate(title, usize::from(area.width.saturating_sub(6))),
        theme,
    )
}

fn render_header(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.footer);
    let title = app
        .lesson
        .as_ref()
        .map_or_else(String::new, |l| l.meta.display_title());
    let class = app.room.class.as_ref().map_or_else(String::new, |class| {
        let n = class.students as u64;
        format!(
            "{} · ",
            crate::demo_runtime::view::count(n, "student", "students")
        )
    });
    let count = app.lesson.as_ref().map_or_else(String::new, |l| {
        format!("{class}slide {} / {} ", app.room.slide + 1, l.slides.len())
    });
    let right_width = count.chars().count() as u16;
    // The title gives way to the slide count, with a space between them.
    let room = usize::from(area.width.saturating_sub(right_width + 1));
    let left = truncate(&format!(" Presenter · {title}"), room);
    render_lines(
        &[Line::styled(left, theme.footer)],
        Rect {
            width: area.width.saturating_sub(right_width),
            ..area
        },
        buf,
    );
    render_lines(
        &[Line::styled(count, theme.footer_accent)],
        Rect {
            x: area.right().saturating_sub(right_width),
            width: right_width,
            ..area
        },
        buf,
    );
}

fn render_notes(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let slide = app
        .lesson
        .as_ref()
        .and_then(|l| l.slides.get(app.room.slide));
    let title = slide.map_or_else(
        || "Notes".to_string(),
        |s| {
            format!(
                "Now · {} · {}",
                app.room.slide + 1,
                s.title.as_deref().unwrap_or("(untitled)")
            )
        },
    );
    titled(&title, area, theme).render(area, buf);
    let inner = panel_inner(area);
    let lines = notes_lines(app, usize::from(inner.width));
    let scroll = app.notes_scroll.min(lines.len().saturating_sub(1));
    render_lines(&lines[scroll..], inner, buf);
    if lines.len() > scroll + usize::from(inner.height) {
        more_below(theme, area, buf);
    }
}

/// "more ↓" on the panel's bottom border.
fn more_below(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let label = " more: ] ";
    let width = label.chars().count() as u16;
    if area.width > width + 4 && area.height > 1 {
        buf.set_string(
            area.right() - width - 2,
            area.bottom() - 1,
            label,
            theme.muted,
        );
    }
}

fn render_clock(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    panel("Timer", theme).render(area, buf);
    let elapsed = app.timer();
    let planned = app
        .lesson
        .as_ref()
        .and_then(|l| l.meta.duration_minutes)
        .map(|m| Duration::from_secs(u64::from(m) * 60));
    let (symbol, state) = if app.room.timer_running {
        ("▶", "running")
    } else {
        ("⏸", "paused")
    };
    let style = match planned {
        Some(planned) if elapsed > planned => theme.bad,
        Some(planned) if elapsed.as_secs() * 10 > planned.as_secs() * 9 => theme.caution,
        _ => theme.title,
    };
    let mut first = vec![Span::styled(
        format!("{symbol} {}", format_clock(elapsed)),
        style,
    )];
    let mut second = Vec::new();
    if let Some(planned) = planned {
        first.push(Span::styled(
            format!(" / {}", format_clock(planned)),
            theme.text,
        ));
        // From the whole seconds shown, so elapsed and left add up to the plan.
        let left = planned.saturating_sub(Duration::from_secs(elapsed.as_secs()));
        second.push(Span::styled(
            if elapsed > planned {
                format!(
                    "{} over · {state}",
                    format_clock(elapsed.saturating_sub(planned))
                )
            } else {
                format!("{} left · {state}", format_clock(left))
            },
            theme.muted,
        ));
    } else {
        second.push(Span::styled(
            format!("{state} · no planned length"),
            theme.muted,
        ));
    }
    let mut lines = vec![Line::from(first), Line::from(second)];
    if let (Some(planned), Some(lesson)) = (planned, &app.lesson) {
        // Where the lecture is against where the time is, to pace the rest.
        let of_time = elapsed.as_secs() * 100 / planned.as_secs().max(1);
        let of_slides = (app.room.slide + 1).saturating_mul(100) / lesson.slides.len().max(1);
        lines.push(Line::styled(
            format!("time {of_time}% · slides {of_slides}%"),
            theme.muted,
        ));
    }
    render_lines(&lines, panel_inner(area), buf);
}

fn render_demo(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    panel("Demo", theme).render(area, buf);
    let inner = panel_inner(area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    match &app.room.selected_demo {
        Some(name) => lines.push(Line::from(vec![
            Span::styled("Enter runs ", theme.muted),
            Span::styled(name.clone(), theme.key),
        ])),
        None => lines.push(Line::styled("This slide has no demo.", theme.muted)),
    }
    if let Some(demo) = &app.room.demo {
        let elapsed = app.demo_elapsed().unwrap_or_default();
        let (state, style) = match &demo.outcome {
            None => (
                format!("running {:.1} s", elapsed.as_secs_f64()),
                theme.good,
            ),
            Some(outcome) if outcome.starts_with("failed") => (outcome.clone(), theme.bad),
            Some(outcome) => (
                format!("{outcome} after {:.1} s", elapsed.as_secs_f64()),
                theme.text,
            ),
        };
        let label = format!("{} ({}): ", demo.name, demo.engine);
        lines.extend(wrap(&[(&label, theme.text), (&state, style)], width));
        // What the room sees as the run's result, so the speaker can talk about it.
        if let Some(headline) = &demo.headline {
            lines.extend(wrap(&[(headline, theme.title)], width));
        }
    }
    if let Some(snippet) = &app.room.snippet {
        lines.extend(wrap(
            &[("slide's code: ", theme.muted), (snippet, theme.text)],
            width,
        ));
    }
    render_lines(&lines, inner, buf);
}

fn render_next(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let next_index = app.room.slide + 1;
    let next = app.lesson.as_ref().and_then(|l| l.slides.get(next_index));
    let title = match next {
        Some(slide) => format!(
            "Next · {} · {}",
            next_index + 1,
            slide.title.as_deref().unwrap_or("(untitled)")
        ),
        None => "Next".into(),
    };
    titled(&title, area, theme).render(area, buf);
    let inner = panel_inner(area);
    let lines = match next {
        Some(slide) => slide_lines(slide, usize::from(inner.width), theme),
        None if app.lesson.is_some() => vec![Line::styled("This is the last slide.", theme.muted)],
        None => Vec::new(),
    };
    render_lines(&lines, inner, buf);
}

fn render_footer(app: &PresenterApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.footer);
    let name = app.name.as_deref().unwrap_or("?");
    let (text, style): (String, Style) = if !app.room.jump.is_empty() {
        (
            format!("go to slide: {}▏", app.room.jump),
            theme.footer_accent,
        )
    } else if let Some(status) = &app.status {
        (status.clone(), theme.footer_accent)
    } else {
        match &app.link {
            LinkState::Connected => (
                format!(
                    "● room `{name}` · PgDn/PgUp: both screens · [ ]: notes · ?: keys · q: quit here"
                ),
                theme.footer,
            ),
            LinkState::Lost => (
                format!(
                    "○ room `{name}` gone: this screen goes on alone (slide keys work) and reconnects"
                ),
                theme.footer_accent,
            ),
            LinkState::Waiting(why) => (format!("○ {why}"), theme.footer_accent),
            LinkState::Refused(why) => (format!("✗ {why}"), theme.footer_accent),
        }
    };
    let text = truncate(&format!(" {text}"), usize::from(area.width));
    render_lines(&[Line::styled(text, style)], area, buf);
}

fn render_help(theme: &Theme, screen: Rect, buf: &mut Buffer) {
    let rows = [
        ("→ ← PgDn PgUp", "next / previous slide, on both screens"),
        (
            "Enter x o E …",
            "the room's keys: demos, code, engine (see ? there)",
        ),
        ("t  T", "pause / reset the room's timer"),
        ("] [", "scroll these notes (this screen only)"),
        ("?  Esc", "this help"),
        ("q  Ctrl-C", "quit this screen (the room goes on)"),
    ];
    let lines = key_rows(&rows, 15, theme);
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let area = overlay(width, lines.len() as u16 + 2, theme, screen, buf);
    panel("Presenter keys", theme).render(area, buf);
    render_lines(&lines, panel_inner(area), buf);
}

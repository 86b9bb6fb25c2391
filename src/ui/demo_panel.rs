//! The demo panel: the selected demo, its parameters (and editor), the run's status and
//! progress, then whatever views the demo sent (drawn by the generic widgets of
//! [`super::views`]), its notes and how its processes ended. Nothing here knows any demo.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::frame::panel;
use super::gauges::bar;
use super::views;
use super::wrap::wrap;
use crate::app::{App, Run, RunEnd, format_clock};
use crate::demo::Demo;
use crate::demo::params::Params;
use crate::demo::protocol::NoteLevel;
use crate::demo::{find, view::count};
use crate::sampler::ExitInfo;
use crate::theme::Theme;

/// Draws the panel; what does not fit is announced on its last row, never cut silently.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let slide_demos = &app.current_slide().demos;
    let count = slide_demos.len();
    let shown = shown_run(app);
    let mut title = match count {
        n if n > 1 => format!("Demo {}/{n} · Tab", app.demos.selected + 1),
        _ => "Demo".to_string(),
    };
    if let Some((engine, _)) = shown.and_then(|r| r.engine.as_ref()) {
        title = format!("{title} · {engine}");
    }
    let block = panel(title, theme).title_bottom(
        Line::styled(
            if count > 0 || shown.is_some() {
                key_hint(area.width)
            } else {
                ""
            },
            theme.muted,
        )
        .right_aligned(),
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = panel_lines(app, usize::from(inner.width));
    let height = usize::from(inner.height);
    if lines.len() > height && height > 0 {
        let hidden = lines.len() - (height - 1);
        lines.truncate(height - 1);
        let more = crate::demo::view::count(hidden as u64, "more line", "more lines");
        let hint = if app.demo_focus {
            format!("▼ {more}")
        } else {
            format!("▼ {more} · z shows all")
        };
        lines.push(Line::styled(hint, theme.key).right_aligned());
    }
    Paragraph::new(lines).render(inner, buf);
}

/// The demo keys, or a pointer to the help when the panel is too narrow for them.
fn key_hint(width: u16) -> &'static str {
    const FULL: &str = " Enter run · x stop · e edit · z focus ";
    if usize::from(width) >= FULL.chars().count() + 4 {
        FULL
    } else {
        " Enter run · ? keys "
    }
}

/// The run the panel shows: the selected demo's latest run, else a pinned run still going
/// from another slide.
fn shown_run(app: &App) -> Option<&Run> {
    app.demos
        .latest((app.slide, app.demos.selected))
        .or_else(|| app.demos.running().filter(|r| r.pinned))
}

/// Everything the panel would show at `width` columns, top to bottom.
#[must_use]
pub fn panel_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let slot = (app.slide, app.demos.selected);
    let directive = app.current_slide().demos.get(slot.1);
    let demo = directive.and_then(|d| find(&d.name).ok());
    let mut lines = Vec::new();
    match (app.demos.editor, demo, shown_run(app)) {
        (Some(row), Some(demo), _) => {
            lines.extend(heading(demo, width, theme));
            let params = app
                .demos
                .params
                .get(&slot)
                .cloned()
                .unwrap_or_else(|| demo.defaults());
            lines.extend(editor(demo, &params, row, width, theme));
        }
        (_, _, Some(run)) => lines.extend(run_lines(app, run, width)),
        (_, Some(demo), None) => {
            lines.extend(heading(demo, width, theme));
            let params = app.demos.params.get(&slot).cloned().unwrap_or_else(|| {
                directive
                    .and_then(|d| {
                        demo.params_from(d.params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                            .ok()
                    })
                    .unwrap_or_else(|| demo.defaults())
            });
            lines.extend(params_lines(demo, &params, width, theme));
            lines.push(Line::styled("Not run yet: Enter runs it.", theme.text));
            lines.push(Line::default());
            lines.extend(wrap(&[(demo.spec().summary, theme.muted)], width));
        }
        (_, None, None) => match directive {
            Some(directive) => lines.extend(wrap(
                &[(
                    &format!(
                        "Demo `{}` is not available in this version of lectern.",
                        directive.name
                    ),
                    theme.warning,
                )],
                width,
            )),
            None => lines.push(Line::styled("No demo on this slide.", theme.muted)),
        },
    }
    lines
}

/// A run: what it is, how it is going, its views, notes and exits.
fn run_lines(app: &App, run: &Run, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = heading(run.demo, width, theme);
    lines.extend(params_lines(run.demo, &run.params, width, theme));
    lines.extend(status_lines(app, run, width, theme));
    lines.extend(progress_line(run, width, theme));
    // The headline first: the result and its meaning must never be what scrolls away.
    if let Some(headline) = run.views.get("headline") {
        lines.extend(views::lines(headline, width, theme));
    }
    for (id, view) in run.views.iter() {
        if id == "headline" {
            continue;
        }
        lines.push(Line::default());
        lines.extend(views::lines(view, width, theme));
    }
    let notes = note_lines(run, width, theme);
    if !notes.is_empty() {
        lines.push(Line::default());
        lines.extend(notes);
    }
    lines.extend(exits(run, width, theme));
    lines
}

fn heading(demo: &dyn Demo, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    wrap(
        &[
            ("◆ ", theme.bullet),
            (demo.spec().title, theme.key.add_modifier(Modifier::BOLD)),
        ],
        width,
    )
}

/// The parameters that differ from the demo's defaults (the rest is one `e` away).
fn params_lines(
    demo: &dyn Demo,
    params: &Params,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let defaults = demo.defaults();
    let changed: Vec<String> = params
        .iter()
        .filter(|(k, v)| defaults.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if changed.is_empty() {
        // Nothing to say: `e edit` is in the panel's key hint.
        return Vec::new();
    }
    wrap(
        &[(&format!("{} · e for all", changed.join(" ")), theme.muted)],
        width,
    )
}

fn editor(
    demo: &dyn Demo,
    params: &Params,
    row: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = wrap(
        &[("↑↓ pick · ←→ change · Enter run · Esc done", theme.muted)],
        width,
    );
    for (i, param) in demo.spec().params.iter().enumerate() {
        let value = params
            .get(param.name)
            .map(ToString::to_string)
            .unwrap_or_default();
        let marker = if i == row { "▶ " } else { "  " };
        let style = if i == row {
            theme.key.add_modifier(Modifier::BOLD)
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key),
            Span::styled(format!("{} = {value} {}", param.name, param.unit), style),
        ]));
        if i == row {
            lines.extend(wrap(
                &[
                    ("    ", theme.muted),
                    (
                        &format!("{} ({})", param.meaning, param.expected()),
                        theme.muted,
                    ),
                ],
                width,
            ));
        }
    }
    lines
}

fn status_lines(app: &App, run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let pinned = if run.pinned { " · 📌 pinned" } else { "" };
    let (text, style): (String, Style) = match &run.ended {
        None => {
            let elapsed = app.now.saturating_duration_since(run.started);
            (
                format!("▶ running {}{pinned}", format_clock(elapsed)),
                theme.gauge_low,
            )
        }
        Some(RunEnd::Finished(ExitInfo::Code(0))) if run.error.is_none() => {
            let took = run.duration.map_or(0.0, |d| d.as_secs_f64());
            (format!("✔ finished in {took:.1} s"), theme.text)
        }
        Some(RunEnd::Finished(exit)) => (
            format!(
                "✖ failed ({}): {}",
                exit.describe(),
                run.error.clone().unwrap_or_default()
            ),
            theme.warning,
        ),
        Some(RunEnd::Stopped(why)) => (
            format!(
                "■ {why}: all {} killed",
                count(run.processes.len() as u64, "process", "processes")
            ),
            theme.warning,
        ),
    };
    wrap(&[(&text, style)], width)
}

fn progress_line(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some((message, done, total)) = run.progress.clone() else {
        return Vec::new();
    };
    if run.ended.is_some() {
        return Vec::new();
    }
    let mut lines = wrap(&[(&format!("… {message}"), theme.text)], width);
    if let (Some(done), Some(total)) = (done, total) {
        let fraction = if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        };
        let bar_width = width.saturating_sub(4).clamp(4, 24);
        lines.push(Line::styled(
            format!("  ▕{}▏", bar(fraction, bar_width)),
            theme.gauge_low,
        ));
    }
    lines
}

/// Warnings and simulation notices first (they matter most), then explanations, oldest first.
fn note_lines(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let loud = run
        .notes
        .iter()
        .filter(|(level, _)| *level != NoteLevel::Info);
    let quiet = run
        .notes
        .iter()
        .filter(|(level, _)| *level == NoteLevel::Info);
    let mut lines = Vec::new();
    for (level, message) in loud.chain(quiet) {
        let (prefix, style): (&str, Style) = match level {
            NoteLevel::Info => ("", theme.text),
            NoteLevel::Warn => ("⚠ ", theme.warning),
            NoteLevel::Simulated => ("SIMULATED ", theme.warning),
        };
        lines.extend(wrap(
            &[
                (prefix, style.add_modifier(Modifier::BOLD)),
                (message, style),
            ],
            width,
        ));
    }
    lines
}

fn exits(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for exit in run.processes.iter().filter_map(|p| p.exit) {
        let text = exit.describe();
        match counts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => counts.push((text, 1)),
        }
    }
    if counts.is_empty() {
        return Vec::new();
    }
    let text: Vec<String> = counts.iter().map(|(t, n)| format!("{n}× {t}")).collect();
    wrap(
        &[(
            &format!("processes ended: {}", text.join(", ")),
            theme.muted,
        )],
        width,
    )
}

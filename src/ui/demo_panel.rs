//! The demo panel: the slide's demo, its parameters (and editor), the run's status, progress,
//! a view made for each demo, notes and exit statuses.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::frame::panel;
use super::gauges::bar;
use crate::app::{App, Run, RunEnd, format_clock};
use crate::demo::protocol::{NoteLevel, ResultValue};
use crate::demo::registry::{self, DemoSpec, Params};
use crate::demo::util::median;
use crate::sampler::ExitInfo;
use crate::theme::Theme;

/// Draws the panel.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let slide_demos = &app.current_slide().demos;
    let count = slide_demos.len();
    let title = match (count, app.demos.run.as_ref()) {
        (n, _) if n > 1 => format!("Demo {}/{n} · Tab", app.demos.selected + 1),
        _ => "Demo".to_string(),
    };
    let block = panel(title, theme).title_bottom(
        Line::styled(
            if count > 0 || app.demos.run.is_some() {
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
    let lines = lines(app, usize::from(inner.width), inner.height > 4);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// The demo keys, or a pointer to the help when the panel is too narrow for them.
fn key_hint(width: u16) -> &'static str {
    const FULL: &str = " Enter run · x stop · r restart · p pin · e edit ";
    if usize::from(width) >= FULL.chars().count() + 4 {
        FULL
    } else {
        " Enter run · ? keys "
    }
}

fn lines(app: &App, width: usize, roomy: bool) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let selected = app.current_slide().demos.get(app.demos.selected);
    let spec = selected.and_then(|d| registry::find(&d.name).ok());
    // A pinned run from another slide stays on show.
    let run = app
        .demos
        .run
        .as_ref()
        .filter(|r| r.pinned || r.slide == app.slide || r.is_running());
    let mut lines = Vec::new();
    match (run, spec) {
        (Some(run), _) => {
            lines.push(heading(run.spec, theme));
            lines.push(params_line(run.spec, &run.params, theme));
            lines.push(status_line(app, run, theme));
            if roomy {
                lines.extend(progress_line(run, width, theme));
                lines.extend(body(run, width, theme));
                lines.extend(notes(run, theme));
                lines.extend(exits(run, theme));
            }
        }
        (None, Some(spec)) => {
            lines.push(heading(spec, theme));
            let params = app
                .demos
                .params
                .get(&(app.slide, app.demos.selected))
                .cloned()
                .or_else(|| {
                    selected.map(|d| {
                        spec.params_from(d.params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                            .unwrap_or_else(|_| spec.defaults())
                    })
                })
                .unwrap_or_else(|| spec.defaults());
            if let Some(row) = app.demos.editor {
                lines.extend(editor(spec, &params, row, theme));
            } else {
                lines.push(params_line(spec, &params, theme));
                lines.push(Line::styled(
                    "No demo is running. Enter runs it.",
                    theme.text,
                ));
                if roomy {
                    lines.push(Line::default());
                    lines.push(Line::styled(spec.summary.to_string(), theme.muted));
                }
            }
        }
        (None, None) => match selected {
            Some(directive) => lines.push(Line::styled(
                format!(
                    "Demo `{}` is not available in this version of lectern.",
                    directive.name
                ),
                theme.warning,
            )),
            None => lines.push(Line::styled("No demo on this slide.", theme.muted)),
        },
    }
    lines
}

fn heading(spec: &DemoSpec, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("◆ ", theme.bullet),
        Span::styled(spec.title.to_string(), theme.key),
    ])
}

/// The parameters that differ from the demo's defaults (the rest is one `e` away).
fn params_line(spec: &DemoSpec, params: &Params, theme: &Theme) -> Line<'static> {
    let defaults = spec.defaults();
    let changed: Vec<String> = params
        .iter()
        .filter(|(k, v)| defaults.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let text = if changed.is_empty() {
        "default parameters · e shows them".to_string()
    } else {
        format!("{} · e for all", changed.join(" "))
    };
    Line::styled(text, theme.muted)
}

fn editor(spec: &DemoSpec, params: &Params, row: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        "↑↓ pick · ←→ change · Enter run · Esc done",
        theme.muted,
    )];
    for (i, param) in spec.params.iter().enumerate() {
        let value = params
            .get(param.name)
            .map(ToString::to_string)
            .unwrap_or_default();
        let marker = if i == row { "▶ " } else { "  " };
        let style = if i == row { theme.key } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key),
            Span::styled(format!("{} = {value} {}", param.name, param.unit), style),
        ]));
        if i == row {
            lines.push(Line::styled(
                format!("    {} ({})", param.meaning, param.expected()),
                theme.muted,
            ));
        }
    }
    lines
}

fn status_line(app: &App, run: &Run, theme: &Theme) -> Line<'static> {
    let pinned = if run.pinned { " · 📌 pinned" } else { "" };
    match &run.ended {
        None => {
            let elapsed = app.now.saturating_duration_since(run.started);
            Line::styled(
                format!("▶ running {}{pinned}", format_clock(elapsed)),
                theme.gauge_low,
            )
        }
        Some(RunEnd::Finished(ExitInfo::Code(0))) if run.error.is_none() => {
            let took = run.duration.map_or(0.0, |d| d.as_secs_f64());
            Line::styled(format!("✔ finished in {took:.1} s"), theme.text)
        }
        Some(RunEnd::Finished(exit)) => Line::styled(
            format!(
                "✖ failed ({}): {}",
                exit.describe(),
                run.error.clone().unwrap_or_default()
            ),
            theme.warning,
        ),
        Some(RunEnd::Stopped(why)) => {
            let killed = run.processes.len();
            Line::styled(
                format!("■ {why}: all {killed} processes killed"),
                theme.warning,
            )
        }
    }
}

fn progress_line(run: &Run, width: usize, theme: &Theme) -> Option<Line<'static>> {
    let (message, done, total) = run.progress.clone()?;
    if run.ended.is_some() {
        return None;
    }
    let mut spans = vec![Span::styled(format!("… {message}"), theme.text)];
    if let (Some(done), Some(total)) = (done, total) {
        let fraction = if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        };
        let bar_width = width.saturating_sub(message.len() + 6).clamp(4, 16);
        spans.push(Span::styled(
            format!(" ▕{}▏", bar(fraction, bar_width)),
            theme.gauge_low,
        ));
    }
    Some(Line::from(spans))
}

fn result(run: &Run, name: &str) -> Option<ResultValue> {
    run.results.get(name).copied()
}

fn body(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    match run.spec.name {
        "start-methods" => start_methods(run, theme),
        "fork-lock" => fork_lock(run, theme),
        "main-guard" => main_guard(run, width, theme),
        "gil" => super::demo_views::gil(run, width, theme),
        "queue-sentinel" => super::demo_views::queue_sentinel(run, width, theme),
        "chunksize" => super::demo_views::chunksize(run, width, theme),
        _ => generic(run, theme),
    }
}

fn start_methods(run: &Run, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!("{:<11}{:>9}{:>8}{:>8}", "method", "start", "RSS", "PSS"),
        theme.muted,
    )];
    for method in ["fork", "spawn", "forkserver"] {
        let of = |name: &str| -> Vec<f64> {
            run.measures
                .iter()
                .filter(|(role, n, _, _)| {
                    n == name
                        && role
                            .as_deref()
                            .is_some_and(|r| r.starts_with(&format!("{method} child")))
                })
                .map(|(_, _, v, _)| *v)
                .collect()
        };
        let starts = of("start_ms");
        if starts.is_empty() {
            continue;
        }
        let rss = of("rss_mb");
        let pss = of("pss_mb");
        let mib = |v: &[f64]| {
            if v.is_empty() {
                "…".to_string()
            } else {
                format!("{:.1}M", median(v))
            }
        };
        lines.push(Line::styled(
            format!(
                "{method:<11}{:>7.2}ms{:>8}{:>8}",
                median(&starts),
                mib(&rss),
                mib(&pss)
            ),
            theme.text,
        ));
    }
    if lines.len() > 1 {
        lines.push(Line::styled(
            "start: median ms from request to first message; memory: medians",
            theme.muted,
        ));
    }
    lines
}

fn fork_lock(run: &Run, theme: &Theme) -> Vec<Line<'static>> {
    match (result(run, "deadlocked"), result(run, "waited_ms")) {
        (Some(ResultValue::Bool(true)), Some(waited)) => vec![Line::styled(
            format!(
                "DEADLOCKED: the child waited {waited} ms for a lock nobody can release; killed"
            ),
            theme.warning,
        )],
        (Some(ResultValue::Bool(false)), Some(waited)) => {
            vec![Line::styled(
                format!("no deadlock: the child took the lock after {waited} ms"),
                theme.gauge_low,
            )]
        }
        _ => Vec::new(),
    }
}

fn main_guard(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut depths: Vec<usize> = Vec::new();
    for process in run.processes.iter().skip(1) {
        let depth = process
            .role
            .split("depth ")
            .nth(1)
            .and_then(|d| d.split_whitespace().next())
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(1);
        if depths.len() < depth {
            depths.resize(depth, 0);
        }
        depths[depth - 1] += 1;
    }
    let mut lines = vec![Line::styled("main ●".to_string(), theme.text)];
    for (i, count) in depths.iter().enumerate() {
        let dots = "●".repeat((*count).min(width.saturating_sub(14)));
        lines.push(Line::styled(
            format!("depth {:>2} {dots} {count}", i + 1),
            theme.text,
        ));
    }
    if let Some(ResultValue::Bool(true)) = result(run, "capped") {
        let cap = result(run, "cap")
            .map(|c| c.to_string())
            .unwrap_or_default();
        lines.push(Line::styled(
            format!("CAPPED at {cap} processes by lectern"),
            theme.warning,
        ));
    }
    lines
}

fn generic(run: &Run, theme: &Theme) -> Vec<Line<'static>> {
    run.results
        .iter()
        .map(|(k, v)| Line::styled(format!("{k}: {v}"), theme.text))
        .collect()
}

/// The latest warning or simulation notice first (they matter most), then the latest
/// explanation.
fn notes(run: &Run, theme: &Theme) -> Vec<Line<'static>> {
    let loud = run
        .notes
        .iter()
        .rev()
        .find(|(level, _)| *level != NoteLevel::Info);
    let quiet = run
        .notes
        .iter()
        .rev()
        .find(|(level, _)| *level == NoteLevel::Info);
    loud.into_iter()
        .chain(quiet)
        .map(|(level, message)| {
            let (prefix, style): (&str, Style) = match level {
                NoteLevel::Info => ("", theme.muted),
                NoteLevel::Warn => ("⚠ ", theme.warning),
                NoteLevel::Simulated => ("SIMULATED: ", theme.warning),
            };
            Line::styled(format!("{prefix}{message}"), style)
        })
        .collect()
}

fn exits(run: &Run, theme: &Theme) -> Option<Line<'static>> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for exit in run.processes.iter().filter_map(|p| p.exit) {
        let text = exit.describe();
        match counts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => counts.push((text, 1)),
        }
    }
    if counts.is_empty() {
        return None;
    }
    let text: Vec<String> = counts.iter().map(|(t, n)| format!("{n}× {t}")).collect();
    Some(Line::styled(
        format!("ended: {}", text.join(", ")),
        theme.muted,
    ))
}

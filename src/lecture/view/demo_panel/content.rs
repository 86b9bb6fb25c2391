//! What the demo panel says, as lines: the selected demo, its parameters (or the editor), the
//! run's status, progress and headline (the part that never scrolls away), then whatever views
//! the demo sent (drawn by the generic widgets of [`crate::ui::views`]), how the cores were used
//! during the run, its notes and how its processes ended. Nothing here knows any demo.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::parts::Parts;
use crate::demo_runtime::Demo;
use crate::demo_runtime::params::Params;
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::view::count;
use crate::lecture::demo_panel_state::Compare;
use crate::lecture::text_field::TextField;
use crate::lecture::{App, CoreTimeline, Run, RunEnd};
use crate::process::ExitInfo;
use crate::theme::Theme;
use crate::ui::clock::format_clock;
use crate::ui::gauges::{bar, level};
use crate::ui::views;
use crate::ui::wrap::wrap;

/// The run the panel shows: the selected demo's latest run, else a pinned run still going
/// from another slide.
#[must_use]
pub fn shown_run(app: &App) -> Option<&Run> {
    app.demos
        .latest((app.slide, app.demos.selected))
        .or_else(|| app.demos.running().filter(|r| r.pinned))
}

/// Everything the panel would show at `width` columns, top to bottom.
#[must_use]
pub fn panel_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Parts { mut top, body } = parts(app, width);
    top.extend(body);
    top
}

/// The panel's lines at `width` columns, split into the part that stays and the part that
/// scrolls.
#[must_use]
pub fn parts(app: &App, width: usize) -> Parts {
    if app.verdicts.shown {
        return super::verdict_lines::parts(app, width);
    }
    if let Some(asking) = super::predict::asking(app) {
        return super::predict::parts(app, asking, width);
    }
    let theme = &app.theme;
    let slot = (app.slide, app.demos.selected);
    let title = app
        .current_demos()
        .get(slot.1)
        .and_then(|d| d.title.as_deref());
    let request = app.request_for(slot);
    let mut lines = Vec::new();
    match (app.demos.editor, request, shown_run(app)) {
        (Some(row), Some(request), _) => {
            lines.extend(heading(request.demo(), title, width, theme));
            // How long these values take, and why a typed value was refused, where the eyes
            // are: the footer may be cut on a small screen.
            let (about, long) = expected(app, request, slot);
            let style = if long { theme.caution } else { theme.muted };
            lines.extend(wrap(
                &[(&format!("With these values: about {about}."), style)],
                width,
            ));
            if let Some(why) = &app.demos.refused {
                lines.extend(wrap(&[(why.as_str(), theme.caution)], width));
            }
            // The editor is what the presenter is looking at: it all stays on screen.
            return Parts {
                top: lines,
                body: editor(
                    request.demo(),
                    request.params(),
                    (row, app.demos.typed.as_ref().map(TextField::text)),
                    width,
                    theme,
                ),
            };
        }
        (_, _, Some(_)) if app.demos.compare.is_some() => {
            let compared = match app.demos.compare {
                Some(Compare::Experiments) => super::experiments::parts(app, slot, width),
                _ => super::compare::parts(app, slot, width),
            };
            if let Some(parts) = compared {
                return parts;
            }
            if let Some(run) = shown_run(app) {
                return run_parts(app, run, width);
            }
        }
        (_, _, Some(run)) => return run_parts(app, run, width),
        (_, Some(request), None) => {
            let demo = request.demo();
            lines.extend(heading(demo, title, width, theme));
            // A question takes the place of the demo's summary: before the run, the room
            // predicts, and the run's own notes say what the demo does.
            let ask = super::ask_the_room::lines(app, request, width);
            let asks = !ask.is_empty();
            lines.extend(ask);
            lines.extend(super::class_results::lines(app, request, width));
            lines.extend(params_lines(demo, request.params(), width, theme));
            let (text, style) = before_enter(app, request, slot, theme);
            lines.extend(wrap(&[(&text, style)], width));
            if !asks {
                lines.push(Line::default());
                lines.extend(wrap(&[(demo.spec().summary, theme.muted)], width));
            }
        }
        (_, None, None) => lines.push(Line::styled("No demo on this slide.", theme.muted)),
    }
    Parts {
        top: lines,
        body: Vec::new(),
    }
}

/// Runs longer than this are said to be long before Enter.
const LONG_RUN: std::time::Duration = std::time::Duration::from_secs(10);

/// About how long `request` takes on the engine Enter uses at `slot` — from the last run
/// here, else the demo's estimate — in words (`4.8 s (estimated)`), and whether that is long.
pub(super) fn expected(
    app: &App,
    request: &crate::demo_runtime::RunRequest,
    slot: crate::lecture::Slot,
) -> (String, bool) {
    use crate::lecture::timings::Source;
    let (took, source) = app.timings.expected(request, app.engine_for(slot));
    let how = match source {
        Source::LastRun => "as its last run here",
        Source::Estimate => "estimated",
    };
    (
        format!("{} ({how})", crate::ui::clock::rough_duration(took)),
        took > LONG_RUN,
    )
}

/// What the panel says before a first run: Enter runs it, and about how long it will take.
fn before_enter(
    app: &App,
    request: &crate::demo_runtime::RunRequest,
    slot: crate::lecture::Slot,
    theme: &Theme,
) -> (String, Style) {
    match expected(app, request, slot) {
        (about, true) => (
            format!("Not run yet: Enter runs it, about {about} with these parameters."),
            theme.caution,
        ),
        (about, false) => (
            format!("Not run yet: Enter runs it, about {about}."),
            theme.text,
        ),
    }
}

/// A run: what it is, how it is going and its result on top; its views, the cores during the
/// run, notes and exits below.
fn run_parts(app: &App, run: &Run, width: usize) -> Parts {
    let theme = &app.theme;
    let mut top = heading(run.request.demo(), run.title.as_deref(), width, theme);
    top.extend(params_lines(
        run.request.demo(),
        run.request.params(),
        width,
        theme,
    ));
    top.extend(status_lines(app, run, width, theme));
    top.extend(super::predict::outcome_lines(app, run, width));
    top.extend(super::class_results::lines(app, &run.request, width));
    top.extend(progress_line(run, width, theme));
    top.extend(started_line(run, width, theme));
    // The result never scrolls away: the headline stays on top. Under it, the demo's main
    // view (its bars, chart or table: what the room looks at), then where the result
    // disagrees with the slide and why, then the other views.
    if let Some(headline) = run.views.get("headline") {
        top.extend(views::lines(headline, width, theme));
    }
    let mut body = Vec::new();
    let mut rest = run.views.iter().filter(|(id, _)| *id != "headline");
    if let Some((_, main)) = rest.next() {
        body.push(Line::default());
        body.extend(views::lines(main, width, theme));
    }
    let differs = note_lines(run, width, theme, |level| level == NoteLevel::Differs);
    if !differs.is_empty() {
        body.push(Line::default());
        body.extend(differs);
    }
    for (_, view) in rest {
        body.push(Line::default());
        body.extend(views::lines(view, width, theme));
    }
    if !run.is_running() && !run.cores.entries.is_empty() {
        body.push(Line::default());
        body.extend(timeline_lines(&run.cores, run, width, theme));
    }
    let notes = note_lines(run, width, theme, |level| level != NoteLevel::Differs);
    if !notes.is_empty() {
        body.push(Line::default());
        body.extend(notes);
    }
    body.extend(exits(run, width, theme));
    Parts { top, body }
}

/// How busy each core was during the run: a sparkline per core over the run's length, with
/// its average, from the samples the gauges took while it ran.
fn timeline_lines(
    cores: &CoreTimeline,
    run: &Run,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let seconds = run.duration.map_or(0.0, |d| d.as_secs_f64());
    let mut lines = wrap(
        &[(
            &format!("Each core during the run ({seconds:.1} s, oldest on the left):"),
            theme.text,
        )],
        width,
    );
    let count = cores.averages().len();
    let label_width = format!("cpu{}", count.saturating_sub(1)).len();
    let spark_width = width.saturating_sub(label_width + 7).max(4);
    let averages = cores.averages();
    for (core, average) in averages.iter().enumerate() {
        let series: Vec<f32> = cores
            .entries
            .iter()
            .map(|e| e.get(core).copied().unwrap_or(0.0))
            .collect();
        let spark: String = resample(&series, spark_width)
            .into_iter()
            .map(level)
            .collect();
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_width$} ", format!("cpu{core}")),
                theme.text,
            ),
            Span::styled(spark, theme.gauge_mid),
            Span::styled(format!(" {average:>3.0}%"), theme.text),
        ]));
    }
    lines
}

/// `values` stretched or squeezed to `width` columns: each column averages its share of the
/// samples, or repeats the sample it falls on when there are fewer samples than columns.
fn resample(values: &[f32], width: usize) -> Vec<f32> {
    if values.is_empty() {
        return Vec::new();
    }
    (0..width)
        .map(|c| {
            let from = c * values.len() / width;
            let to = ((c + 1) * values.len() / width).clamp(from + 1, values.len());
            let slice = &values[from.min(values.len() - 1)..to];
            slice.iter().sum::<f32>() / slice.len().max(1) as f32
        })
        .collect()
}

/// The demo's title, or the lesson's name for this variant with the demo's own title under it.
fn heading(
    demo: &dyn Demo,
    variant: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let spec = demo.spec();
    let mut lines = super::parts::title_lines(variant.unwrap_or(spec.title), width, theme);
    if variant.is_some() {
        lines.extend(wrap(
            &[(&format!("  {}: {}", spec.name, spec.title), theme.muted)],
            width,
        ));
    }
    // A lesson's own demo is a program on the author's disk: say which one runs.
    if let Some(script) = demo.script() {
        lines.extend(wrap(
            &[(
                &format!(
                    "  the lesson's own demo, on CPython only: {}",
                    script.display()
                ),
                theme.caution,
            )],
            width,
        ));
    }
    lines
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

/// The parameter editor: every parameter, the selected one (`row`) with its meaning and
/// range, and the value being typed for it, if any.
fn editor(
    demo: &dyn Demo,
    params: &Params,
    (row, typed): (usize, Option<&str>),
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let hint = match typed {
        Some(_) => "Enter sets it and runs · Backspace edits · Esc drops it",
        None => "↑↓ pick · ←→ change · type a number · Enter run · Esc done",
    };
    let mut lines = wrap(&[(hint, theme.muted)], width);
    for (i, param) in demo.spec().params.iter().enumerate() {
        let value = match typed {
            Some(text) if i == row => format!("{text}▏"),
            _ => params
                .get(param.name)
                .map(ToString::to_string)
                .unwrap_or_default(),
        };
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
    // Which engine ran it, exactly: `lectern 0.1.0 (Rust)`, `CPython 3.11.7, start method
    // fork`.
    let detail = run
        .reported_engine
        .as_ref()
        .map(|(_, detail)| format!(" · {detail}"))
        .unwrap_or_default();
    wrap(&[(&text, style), (&detail, theme.muted)], width)
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

/// The notes whose level `wanted` accepts: warnings and simulation notices first (they matter
/// most), then explanations, oldest first.
fn note_lines(
    run: &Run,
    width: usize,
    theme: &Theme,
    wanted: impl Fn(NoteLevel) -> bool,
) -> Vec<Line<'static>> {
    let loud = run
        .notes
        .iter()
        .filter(|(level, _)| *level != NoteLevel::Info && wanted(*level));
    let quiet = run
        .notes
        .iter()
        .filter(|(level, _)| *level == NoteLevel::Info && wanted(*level));
    let mut lines = Vec::new();
    for (level, message) in loud.chain(quiet) {
        let (prefix, style): (&str, Style) = match level {
            NoteLevel::Info => ("", theme.text),
            NoteLevel::Warn => ("⚠ ", theme.caution),
            NoteLevel::Simulated => ("SIMULATED ", theme.caution),
            NoteLevel::Differs => ("≠ slide: ", theme.key),
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

/// Processes reported before this many are not counted aloud: a demo of two workers has
/// them in the gauges, one row each.
const MANY_PROCESSES: usize = 4;

/// How long the run's ended processes lived, the middle one (` · median life 9.2 ms`); empty
/// when none reported a lifetime.
fn median_life(run: &Run) -> String {
    let lived: Vec<f64> = run.processes.iter().filter_map(|p| p.lived_ms).collect();
    if lived.is_empty() {
        return String::new();
    }
    let median = crate::demo_runtime::work::median(&lived);
    format!(
        " · median life {}",
        crate::demo_runtime::view::duration_ms(median)
    )
}

/// While a run that starts many processes goes: how many it has started and how long the
/// ended ones lived. Processes briefer than a sample are counted here even when the gauges
/// catch only a few of them alive. (How many still run is not said: a demo may report an end
/// only when it reaps, long after a kill.)
fn started_line(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let started = run.processes.len();
    if !run.is_running() || started < MANY_PROCESSES {
        return Vec::new();
    }
    let text = format!(
        "{} started{}",
        count(started as u64, "process", "processes"),
        median_life(run)
    );
    wrap(&[(&text, theme.text)], width)
}

fn exits(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for exit in run.processes.iter().filter_map(|p| p.exit) {
        // The same words as the gauges' process table.
        let text = exit.short();
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
            &format!("processes ended: {}{}", text.join(", "), median_life(run)),
            theme.muted,
        )],
        width,
    )
}

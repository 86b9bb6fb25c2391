//! The part of the demo panel made for each demo: lanes for `gil`, worker states and queue
//! depth for `queue-sentinel`, bars for `chunksize`.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::gauges::bar;
use crate::app::Run;
use crate::demo::protocol::ResultValue;
use crate::theme::Theme;

fn number(run: &Run, name: &str) -> Option<f64> {
    match run.results.get(name) {
        Some(ResultValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// Lanes: a row per thread or process, newest on the right.
#[must_use]
pub fn gil(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let label_width = run.lanes.iter().map(|(r, _, _)| r.len()).max().unwrap_or(0);
    let room = width.saturating_sub(label_width + 1);
    let mut lines: Vec<Line<'static>> = run
        .lanes
        .iter()
        .map(|(role, _, states)| {
            let shown: String = states
                .chars()
                .rev()
                .take(room)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let mut spans = vec![Span::styled(format!("{role:<label_width$} "), theme.muted)];
            spans.extend(shown.chars().map(|c| lane_cell(c, theme)));
            Line::from(spans)
        })
        .collect();
    if !lines.is_empty() {
        let slot = run.lanes.first().map_or(50, |(_, ms, _)| *ms);
        lines.push(Line::styled(
            format!("█ running  ░ waiting for the lock  ┄ I/O   ({slot} ms per cell)"),
            theme.muted,
        ));
    }
    if let (Some(speedup), Some(cores)) = (number(run, "speedup"), number(run, "cores_busy")) {
        let switches = number(run, "switches_per_s").unwrap_or(0.0);
        lines.push(Line::styled(
            format!("speedup {speedup:.2}× one worker · {cores:.2} cores busy · {switches:.0} switches/s"),
            theme.key,
        ));
    }
    if let Some(latency) = number(run, "io_latency_ms") {
        let alone = number(run, "io_latency_alone_ms").unwrap_or(0.0);
        lines.push(Line::styled(
            format!("I/O waits {latency:.2} ms per operation for the lock ({alone:.2} ms alone)"),
            theme.text,
        ));
    }
    lines
}

fn lane_cell(state: char, theme: &Theme) -> Span<'static> {
    let (glyph, style): (&str, Style) = match state {
        'H' | 'R' => ("█", theme.gauge_low),
        'W' => ("░", theme.gauge_high),
        'I' => ("┄", theme.muted),
        _ => (" ", theme.muted),
    };
    Span::styled(glyph, style)
}

/// Queue depth and each worker's state.
#[must_use]
pub fn queue_sentinel(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let count = |name: &str| run.measures.iter().filter(|(_, n, _, _)| n == name).count();
    let put = count("put") + count("put_sentinel");
    let taken = count("working") + count("sentinel");
    let depth = put.saturating_sub(taken);
    let mut lines = vec![Line::from(vec![
        Span::styled("queue ", theme.muted),
        Span::styled(
            "▮".repeat(depth.min(width.saturating_sub(16))),
            theme.gauge_memory,
        ),
        Span::styled(format!(" {depth} waiting"), theme.text),
    ])];
    for process in run
        .processes
        .iter()
        .filter(|p| p.role.starts_with("worker"))
    {
        let last = run
            .measures
            .iter()
            .rev()
            .find(|(role, _, _, _)| role.as_deref() == Some(process.role.as_str()));
        let done = run
            .measures
            .iter()
            .filter(|(role, n, _, _)| {
                n == "working" && role.as_deref() == Some(process.role.as_str())
            })
            .count();
        let (state, style) = match (process.exit, last) {
            (Some(exit), _) => (
                exit.describe(),
                if exit.describe() == "exit 0" {
                    theme.muted
                } else {
                    theme.warning
                },
            ),
            (None, Some((_, name, value, _))) if name == "working" => {
                (format!("working on task {value:.0}"), theme.gauge_low)
            }
            (None, Some((_, name, _, _))) if name == "sentinel" => {
                ("got the sentinel".into(), theme.text)
            }
            _ => ("waiting in get()".into(), theme.gauge_mid),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<9}", process.role), theme.muted),
            Span::styled(format!("{state:<20}"), style),
            Span::styled(format!(" {done} done"), theme.muted),
        ]));
    }
    if let Some(blocked) = number(run, "blocked_workers") {
        let leftover = number(run, "leftover_sentinels").unwrap_or(0.0);
        let style = if blocked > 0.0 {
            theme.warning
        } else {
            theme.key
        };
        lines.push(Line::styled(
            format!(
                "blocked {blocked:.0} · clean exits {} · leftover sentinels {leftover:.0}",
                number(run, "clean_exits").unwrap_or(0.0)
            ),
            style,
        ));
    }
    lines
}

/// A bar per chunksize (and the sequential run), as each run finishes.
#[must_use]
pub fn chunksize(run: &Run, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut rows: Vec<(String, f64, Option<f64>)> = Vec::new();
    if let Some(ms) = number(run, "sequential_ms") {
        rows.push(("sequential".into(), ms, None));
    }
    for name in ["1", "10", "100", "1000", "default"] {
        if let Some(ms) = number(run, &format!("time_ms_cs{name}")) {
            let label = if name == "default" {
                format!(
                    "cs {} (dflt)",
                    number(run, "default_chunksize").unwrap_or(0.0)
                )
            } else {
                format!("cs {name}")
            };
            rows.push((label, ms, number(run, &format!("messages_cs{name}"))));
        }
    }
    let longest = rows.iter().map(|(_, ms, _)| *ms).fold(0.0, f64::max);
    let bar_width = width.saturating_sub(37).max(4);
    let mut lines: Vec<Line<'static>> = rows
        .into_iter()
        .map(|(label, ms, messages)| {
            let fraction = if longest > 0.0 { ms / longest } else { 0.0 };
            let messages = messages.map_or(String::new(), |m| format!(" {m:>5.0} msgs"));
            Line::from(vec![
                Span::styled(format!("{label:<14}"), theme.muted),
                Span::styled(bar(fraction, bar_width), theme.gauge_memory),
                Span::styled(format!(" {ms:>6.1} ms{messages}"), theme.text),
            ])
        })
        .collect();
    if !lines.is_empty() {
        lines.push(Line::styled(
            "wall time per run; msgs = task messages sent through the queue",
            theme.muted,
        ));
    }
    lines
}

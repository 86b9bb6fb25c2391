//! The per-process table: a memory bar per process scaled to the largest, with PID, label,
//! RSS, PSS and CPU; exited processes in italics with their exit status (never dimmed: a
//! projector washes dim text out); same-role siblings folded into one row when there is no
//! room for each; tree totals; a legend.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::format::{bar, bytes, mib};
use crate::sampler::{ProcSample, ProcState, Role};
use crate::theme::Theme;
use crate::ui::gauges::store::GaugeData;
use crate::ui::wrap::{text_width, truncate, wrap};

/// What RSS and PSS mean, for narrow panels.
pub const LEGEND_SHORT: &str =
    "RSS: every mapped page, shared ones in full. PSS: shared pages split between sharers.";

/// What RSS and PSS mean, shown under the table.
pub const LEGEND: &str = "RSS counts every page a process maps, shared or not; PSS splits \
shared pages between their sharers. Fork children share their parent's pages, so their RSS \
counts those pages again and their PSS does not.";

/// Which optional columns fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Columns {
    bar: usize,
    pss: bool,
    label: usize,
}

/// Column widths for `width`: the label column fits the longest label (within limits) and
/// the memory bar takes what is left, so the bar sits next to the names it measures.
fn columns(width: usize, longest_label: usize) -> Columns {
    // PID(7), RSS(7), CPU(8); PSS(7) when it fits.
    let fixed = 7 + 6 + 8;
    let pss = width >= fixed + 6 + 12;
    let rest = width.saturating_sub(fixed + if pss { 6 } else { 0 });
    let label = longest_label.clamp(12, 32).min(rest);
    let spare = rest - label;
    let bar = if spare >= 10 { (spare - 3).min(48) } else { 0 };
    let label = if bar > 0 { rest - bar - 3 } else { rest };
    Columns { bar, pss, label }
}

/// How the table fills `area`: its columns, the legend under it (its text and rows), the
/// rows left for the table and, of those, the rows for processes.
pub(super) struct Shape {
    pub(super) cols: Columns,
    pub(super) legend: &'static str,
    pub(super) legend_rows: usize,
    pub(super) table_rows: usize,
    pub(super) room: usize,
}

pub(super) fn shape(procs: &[ProcSample], theme: &Theme, area: Rect) -> Shape {
    let width = usize::from(area.width);
    let longest = procs
        .iter()
        .map(|p| text_width(&p.label) + indent_width(p.depth) + 2)
        .max()
        .unwrap_or(0);
    let cols = columns(width, longest);
    let legend = if width >= 70 { LEGEND } else { LEGEND_SHORT };
    let legend_rows = if area.height >= 8 {
        with_legend(legend, width, theme.muted, <[_]>::len)
    } else {
        0
    };
    let table_rows = usize::from(area.height).saturating_sub(legend_rows);
    let has_tree = procs.iter().any(|p| p.role != Role::Ui);
    // Keep a row each for the totals and, when cut, the "more" line.
    let room = table_rows.saturating_sub(2 + usize::from(has_tree));
    Shape {
        cols,
        legend,
        legend_rows,
        table_rows,
        room,
    }
}

/// A percentage as the table shows it: whole percent. The table's keys use the same
/// rounding, so a change too small to show does not draw a row again.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a rounded percentage of a few thousand at most"
)]
pub(super) fn shown_pct(pct: f32) -> i64 {
    // Adding 0.0 turns -0.0 into 0.0, so an empty sum never shows "-0%".
    (pct + 0.0).round() as i64
}

/// Draws the table, totals and legend into `area`.
pub fn render(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let procs: &[ProcSample] = data.sample.as_ref().map_or(&[], |s| &s.procs);
    let width = usize::from(area.width);
    let Shape {
        cols,
        legend,
        legend_rows,
        table_rows,
        room,
    } = shape(procs, theme, area);
    let legend_rows = legend_rows as u16;
    let tree: Vec<&ProcSample> = procs.iter().filter(|p| p.role != Role::Ui).collect();
    let mut lines = Vec::new();
    let folded;
    let rows: &[ProcSample] = if procs.len() > room {
        folded = super::groups::fold(procs);
        &folded
    } else {
        procs
    };
    let largest = rows.iter().map(|p| p.rss_bytes).max().unwrap_or(0).max(1);
    lines.push(header(cols, largest, theme));
    let cut = rows.len() > room;
    let shown = if cut {
        room.saturating_sub(1)
    } else {
        rows.len()
    };
    for proc in rows.iter().take(shown) {
        lines.push(row(proc, cols, largest, theme));
    }
    if cut {
        let hidden = rows.len() - shown;
        let more = format!(
            "  … {}",
            crate::demo_runtime::view::count(hidden as u64, "more row", "more rows")
        );
        lines.push(Line::styled(truncate(&more, width), theme.muted));
    }
    if procs.is_empty() {
        lines.push(Line::styled("  no processes tracked yet", theme.muted));
    }
    if !tree.is_empty() {
        lines.extend(totals(&tree, theme, width));
    }
    let table_area = Rect {
        height: table_rows as u16,
        ..area
    };
    render_rows(&lines, table_area, buf);
    if legend_rows > 0 {
        let legend_area = Rect {
            y: area.bottom() - legend_rows,
            height: legend_rows,
            ..area
        };
        with_legend(legend, width, theme.muted, |lines| {
            crate::ui::cells::render_lines(lines, legend_area, buf);
        });
    }
}

/// Draws `lines` one to a row of `area`, each on its own (so a line never spills into the
/// next), as many as fit.
pub(super) fn render_rows(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        let row = Rect {
            y,
            height: 1,
            ..area
        };
        crate::ui::cells::render_line(line, row, buf);
    }
}

/// Hands `f` the legend wrapped to `width`. It is the same on every frame, so the last
/// wrapping is kept (per thread, like ratatui's layout cache) and lent, not copied: laying the
/// table out asks for its height on every frame.
pub(super) fn with_legend<R>(
    text: &'static str,
    width: usize,
    style: Style,
    f: impl FnOnce(&[Line<'static>]) -> R,
) -> R {
    type Kept = Option<(&'static str, usize, Style, Vec<Line<'static>>)>;
    thread_local! {
        static KEPT: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(None) };
    }
    KEPT.with_borrow_mut(|kept| {
        let fresh = !matches!(kept, Some((t, w, s, _))
            if std::ptr::eq(*t, text) && *w == width && *s == style);
        if fresh {
            *kept = Some((text, width, style, wrap(&[(text, style)], width)));
        }
        f(kept
            .as_ref()
            .map_or(&[], |(_, _, _, lines)| lines.as_slice()))
    })
}

/// Columns of indentation before a process at `depth` (one per level below the first, so
/// labels keep their room in a narrow panel; the `└` marks the nesting).
fn indent_width(depth: u16) -> usize {
    usize::from(depth.saturating_sub(1)).min(6)
}

/// The column headings; the memory column says what a full bar stands for.
pub(super) fn header(cols: Columns, largest: u64, theme: &Theme) -> Line<'static> {
    let memory = if cols.bar > 0 {
        let scaled = format!("MEMORY (full bar {})", bytes(largest));
        let heading = if text_width(&scaled) <= cols.bar {
            scaled
        } else {
            "MEMORY".to_string()
        };
        format!(" {heading:<w$}  ", w = cols.bar)
    } else {
        String::new()
    };
    let pss = if cols.pss {
        format!("{:>6}", "PSS")
    } else {
        String::new()
    };
    let text = format!(
        "{:>6} {:<w$}{memory}{:>6}{pss}{:>8}",
        "PID",
        "PROCESS",
        "RSS",
        "CPU",
        w = cols.label
    );
    Line::styled(text, theme.muted.add_modifier(Modifier::BOLD))
}

pub(super) fn row(proc: &ProcSample, cols: Columns, largest: u64, theme: &Theme) -> Line<'static> {
    let gone = proc.is_gone();
    let dim = |style: Style| {
        if gone {
            theme.muted.add_modifier(Modifier::ITALIC)
        } else {
            style
        }
    };
    let indent = " ".repeat(indent_width(proc.depth));
    let marker = if proc.role == Role::Ui {
        "◇ "
    } else if proc.depth > 0 {
        "└ "
    } else {
        ""
    };
    let label = truncate(&format!("{indent}{marker}{}", proc.label), cols.label);
    let mut spans = vec![
        // A folded row (PID 0) stands for several processes.
        Span::styled(
            if proc.pid == 0 {
                " ".repeat(7)
            } else {
                format!("{:>6} ", proc.pid)
            },
            dim(theme.muted),
        ),
        Span::styled(format!("{label:<w$}", w = cols.label), dim(theme.text)),
    ];
    if cols.bar > 0 {
        let fraction = proc.rss_bytes as f64 / largest as f64;
        spans.push(Span::styled(" ▕", dim(theme.rule)));
        spans.push(Span::styled(
            bar(fraction, cols.bar),
            dim(theme.gauge_memory),
        ));
        spans.push(Span::styled("▏", dim(theme.rule)));
    }
    spans.push(Span::styled(
        format!("{:>6}", bytes(proc.rss_bytes)),
        dim(theme.text),
    ));
    if cols.pss {
        let pss = proc.pss_bytes.map_or_else(|| "…".to_string(), bytes);
        spans.push(Span::styled(format!("{pss:>6}"), dim(theme.text)));
    }
    let cpu = match (proc.state, proc.exit) {
        (ProcState::Exited | ProcState::Zombie, Some(exit)) => exit.short(),
        (ProcState::Zombie, None) => "zombie".to_string(),
        (ProcState::Exited, None) => "exited".to_string(),
        _ => format!("{}%", shown_pct(proc.cpu_pct)),
    };
    spans.push(Span::styled(format!("{cpu:>8}"), dim(theme.text)));
    Line::from(spans)
}

/// The tree's live totals, wrapped to `width` so narrow panels still show all of them.
pub(super) fn totals(tree: &[&ProcSample], theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let live: Vec<&&ProcSample> = tree.iter().filter(|p| !p.is_gone()).collect();
    let rss: u64 = live.iter().map(|p| p.rss_bytes).sum();
    let cpu: f32 = live.iter().map(|p| p.cpu_pct).sum::<f32>();
    let pss = live.iter().map(|p| p.pss_bytes).sum::<Option<u64>>();
    let pss = pss.map_or_else(|| "measuring".to_string(), mib);
    let exited = tree.len() - live.len();
    let exited = if exited > 0 {
        format!(" (+{exited} exited)")
    } else {
        String::new()
    };
    let count = format!("{} processes{exited}", live.len());
    let (rss, cpu) = (mib(rss), format!("{}%", shown_pct(cpu)));
    let runs = [
        ("tree: ", theme.muted),
        (count.as_str(), theme.text),
        (" · RSS ", theme.muted),
        (rss.as_str(), theme.text),
        (" · PSS ", theme.muted),
        (pss.as_str(), theme.text),
        (" · CPU ", theme.muted),
        (cpu.as_str(), theme.text),
    ];
    wrap(&runs, width.saturating_sub(2))
        .into_iter()
        .map(|line| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

//! The per-process table: a memory bar per process scaled to the largest, with PID, label,
//! RSS, PSS and CPU; exited processes in italics with their exit status (never dimmed: a
//! projector washes dim text out); same-role siblings folded into one row when there is no
//! room for each; tree totals; a legend.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::format::{bar, bytes, mib, shown_pct};
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

/// What a narrow table keeps when it cannot show every column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Emphasis {
    /// The PID column, as `top` does (a table about CPU work).
    #[default]
    Cpu,
    /// The PSS column, before the PID: the slide's point is what processes share or copy.
    Memory,
}

/// Which optional columns fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Columns {
    /// Digits of the PID column; 0 without it.
    pid: usize,
    bar: usize,
    pss: bool,
    label: usize,
}

/// Column widths for `width`: the label column fits the longest label (within limits) and
/// the memory bar takes what is left, so the bar sits next to the names it measures. When
/// PSS does not fit beside the PID, [`Emphasis::Memory`] gives up the PID for it.
fn columns(width: usize, longest_label: usize, pid_digits: usize, emphasis: Emphasis) -> Columns {
    // PID(its digits and a space, or a space without it), RSS(6), CPU(8); PSS(6) when it
    // fits, with a label of 12 at least (11 on a slide about memory, so that PSS fits beside
    // the slide at 100 columns).
    let (rss_w, cpu_w, pss_w) = (6, 8, 6);
    let label_min = if emphasis == Emphasis::Memory { 11 } else { 12 };
    let pid_w = |pid: bool| if pid { pid_digits + 1 } else { 1 };
    let fits = |pid: bool| width >= pid_w(pid) + rss_w + cpu_w + pss_w + label_min;
    let (pid, pss) = match (fits(true), emphasis) {
        (true, _) => (true, true),
        (false, Emphasis::Memory) if fits(false) => (false, true),
        (false, _) => (true, false),
    };
    let fixed = pid_w(pid) + rss_w + cpu_w + usize::from(pss) * pss_w;
    let rest = width.saturating_sub(fixed);
    let label = longest_label.clamp(label_min, 32).min(rest);
    let spare = rest - label;
    let bar = if spare >= 10 { (spare - 3).min(48) } else { 0 };
    let label = if bar > 0 { rest - bar - 3 } else { rest };
    Columns {
        pid: if pid { pid_digits } else { 0 },
        bar,
        pss,
        label,
    }
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

pub(super) fn shape(procs: &[ProcSample], theme: &Theme, area: Rect, emphasis: Emphasis) -> Shape {
    let width = usize::from(area.width);
    let longest = procs
        .iter()
        .map(|p| text_width(&p.label) + text_width(&lifetime(p)) + indent_width(p.depth) + 2)
        .max()
        .unwrap_or(0);
    // Six digits as `top` shows them, seven once a PID needs them (pid_max reaches 4194304).
    let pid_digits = procs
        .iter()
        .map(|p| p.pid.to_string().len())
        .max()
        .unwrap_or(0)
        .max(6);
    let cols = columns(width, longest, pid_digits, emphasis);
    let legend = if width >= 70 { LEGEND } else { LEGEND_SHORT };
    let tree: Vec<&ProcSample> = procs.iter().filter(|p| p.role != Role::Ui).collect();
    let totals_rows = if tree.is_empty() {
        0
    } else {
        totals(&tree, theme, width).len()
    };
    // Under the heading, the rows for processes (the "more" line among them when cut) and
    // the totals, as many rows as they wrap to.
    let room_above = |rows: usize| rows.saturating_sub(1 + totals_rows);
    let height = usize::from(area.height);
    // The legend explains the columns; it gives way when the processes would not keep three
    // rows (or all of them, if fewer) beside it.
    let legend_rows = with_legend(legend, width, theme.muted, <[_]>::len);
    let legend_rows =
        if height >= 8 && room_above(height - legend_rows.min(height)) >= procs.len().min(3) {
            legend_rows
        } else {
            0
        };
    let table_rows = height.saturating_sub(legend_rows);
    let room = room_above(table_rows);
    Shape {
        cols,
        legend,
        legend_rows,
        table_rows,
        room,
    }
}

/// The rows the table shows of `procs` with `room` rows for processes, and how many of them
/// fit. Everything in tree order when it fits. Else, while processes work, the busiest first
/// (lectern's own row and the tree's root last), the rest behind a "more rows" line, when that
/// leaves out only idle processes: two workers at 100% stay two rows. Else same-role siblings
/// fold into one row (`fork child ×40`), in tree order if that fits, busiest first if not.
pub(super) fn visible_rows(procs: &[ProcSample], room: usize) -> (Cow<'_, [ProcSample]>, usize) {
    if procs.len() <= room {
        return (Cow::Borrowed(procs), procs.len());
    }
    let shown = room.saturating_sub(1);
    let mut rows = procs.to_vec();
    super::groups::busiest_first(&mut rows);
    let working = rows.first().is_some_and(|row| !super::groups::is_idle(row));
    if working && rows[shown..].iter().all(super::groups::is_idle) {
        return (Cow::Owned(rows), shown);
    }
    let mut rows = super::groups::fold(procs);
    if rows.len() <= room {
        let all = rows.len();
        return (Cow::Owned(rows), all);
    }
    super::groups::busiest_first(&mut rows);
    (Cow::Owned(rows), shown)
}

/// The line that stands for the rows left out.
pub(super) fn more_line(hidden: usize, width: usize, theme: &Theme) -> Line<'static> {
    let more = format!(
        "  … {}",
        crate::demo_runtime::view::count(hidden as u64, "more row", "more rows")
    );
    Line::styled(truncate(&more, width), theme.muted)
}

/// Draws the table, totals and legend into `area`.
pub fn render(data: &GaugeData, theme: &Theme, area: Rect, emphasis: Emphasis, buf: &mut Buffer) {
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
    } = shape(procs, theme, area, emphasis);
    let legend_rows = legend_rows as u16;
    let tree: Vec<&ProcSample> = procs.iter().filter(|p| p.role != Role::Ui).collect();
    let mut lines = Vec::new();
    let (rows, shown) = visible_rows(procs, room);
    let largest = rows.iter().map(|p| p.rss_bytes).max().unwrap_or(0).max(1);
    lines.push(header(cols, largest, theme));
    for proc in rows.iter().take(shown) {
        lines.push(row(proc, cols, largest, theme));
    }
    if shown < rows.len() {
        lines.push(more_line(rows.len() - shown, width, theme));
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
    let pid = if cols.pid > 0 {
        format!("{:>w$} ", "PID", w = cols.pid)
    } else {
        " ".to_string()
    };
    let text = format!(
        "{pid}{:<w$}{memory}{:>6}{pss}{:>8}",
        truncate("PROCESS", cols.label),
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
    // A process never read alive says how long it lived: in its memory columns when there
    // are two of them ("lived 9.2ms"), else after its name, its RSS "—".
    let suffix = match proc.lived_ms {
        Some(ms) if !proc.measured && !cols.pss => format!(" · {}", short_ms(ms)),
        _ => lifetime(proc),
    };
    let label = fit_label(
        &format!("{indent}{marker}{}", proc.label),
        &suffix,
        cols.label,
    );
    let pid = match (cols.pid, proc.pid) {
        (0, _) => " ".to_string(),
        // A folded row (PID 0) stands for several processes.
        (digits, 0) => " ".repeat(digits + 1),
        (digits, pid) => format!("{pid:>digits$} "),
    };
    let mut spans = vec![
        Span::styled(pid, dim(theme.muted)),
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
    if proc.measured {
        spans.push(Span::styled(
            format!("{:>6}", bytes(proc.rss_bytes)),
            dim(theme.text),
        ));
        if cols.pss {
            // Not read yet: "…" while it lives (a reading is coming), "—" once it is gone.
            let missing = if gone { "—" } else { "…" };
            let pss = proc.pss_bytes.map_or_else(|| missing.to_string(), bytes);
            spans.push(Span::styled(format!("{pss:>6}"), dim(theme.text)));
        }
    } else {
        // Ended between two samples: never read, so no memory figure (not a zero); its
        // memory columns say how long it lived instead, as the demo measured.
        let room = if cols.pss { 12 } else { 6 };
        let text = match proc.lived_ms {
            Some(ms) if room >= 12 => format!("lived {}", short_ms(ms)),
            _ => "—".into(),
        };
        spans.push(Span::styled(format!("{text:>room$}"), dim(theme.text)));
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

/// How long an ended process lived, as a label's suffix (` · 9.2 ms`; ` · median 9.2 ms` for
/// a folded row); empty while it lives or when unknown.
fn lifetime(proc: &ProcSample) -> String {
    // Said of the brief ones, gone within a second, where it is the news (a worker that lived
    // for the whole run keeps its name's room instead); one never read alive says it in its
    // memory columns.
    let brief = |ms: &f64| proc.is_gone() && proc.measured && *ms < 1000.0;
    match proc.lived_ms.filter(brief) {
        Some(ms) => {
            let median = if proc.pid == 0 { "median " } else { "" };
            format!(" · {median}{}", short_ms(ms))
        }
        None => String::new(),
    }
}

/// A lifetime in at most six columns: `0.4ms`, `9.2ms`, `250ms`, `1.5s`, `125s`.
fn short_ms(ms: f64) -> String {
    match ms {
        ms if ms < 10.0 => format!("{ms:.1}ms"),
        ms if ms < 999.5 => format!("{ms:.0}ms"),
        ms if ms < 9_950.0 => format!("{:.1}s", ms / 1000.0),
        ms => format!("{:.0}s", ms / 1000.0),
    }
}

/// `label` and its `lifetime` cut to `width`, keeping a folded row's "×N" whole ("fork
/// child…" under a sum of four children's memory would read as one child holding it all),
/// and the lifetime too while the name keeps ten columns.
fn fit_label(label: &str, lifetime: &str, width: usize) -> String {
    let count = label
        .rsplit_once(" ×")
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let (name, count) = match count {
        Some((name, n)) => (name, format!(" ×{n}")),
        None => (label, String::new()),
    };
    let whole = format!("{name}{count}{lifetime}");
    if text_width(&whole) <= width {
        return whole;
    }
    // The lifetime only while the name keeps ten columns (its indent included); the count
    // while it keeps three.
    for (suffix, name_min) in [(format!("{count}{lifetime}"), 10), (count.clone(), 3)] {
        if !suffix.is_empty() && width >= text_width(&suffix) + name_min {
            return format!("{}{suffix}", truncate(name, width - text_width(&suffix)));
        }
    }
    truncate(&format!("{name}{count}"), width)
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
    let count = format!(
        "{}{exited}",
        crate::demo_runtime::view::count(live.len() as u64, "process", "processes")
    );
    let (rss, cpu) = (mib(rss), format!("{}%", shown_pct(cpu)));
    let figures: [(&str, &str); 4] = [
        ("tree: ", &count),
        ("RSS ", &rss),
        ("PSS ", &pss),
        ("CPU ", &cpu),
    ];
    // Lines break between figures, never inside one ("RSS 5.1" / "MiB"); a figure wider than
    // the table wraps on its own.
    let width = width.saturating_sub(2);
    let mut lines: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    let mut used = 0;
    for (i, (name, value)) in figures.into_iter().enumerate() {
        let separator = if i == 0 { "" } else { " · " };
        let needed = text_width(separator) + text_width(name) + text_width(value);
        if used > 0 && used + needed > width {
            lines.push(Vec::new());
            used = 0;
        }
        let line = lines.last_mut().expect("a line to fill");
        if used > 0 {
            line.push((separator.to_string(), theme.muted));
            used += text_width(separator);
        }
        line.push((name.to_string(), theme.muted));
        line.push((value.to_string(), theme.text));
        used += text_width(name) + text_width(value);
    }
    lines
        .iter()
        .flat_map(|line| {
            let runs: Vec<(&str, Style)> = line.iter().map(|(t, st)| (t.as_str(), *st)).collect();
            wrap(&runs, width)
        })
        .map(|line| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_table_about_memory_gives_up_the_pid_for_pss() {
        // The gauges' inner width beside the slide at 100×30.
        let cpu = columns(32, 20, 6, Emphasis::Cpu);
        assert!(cpu.pid == 6 && !cpu.pss);
        let memory = columns(32, 20, 6, Emphasis::Memory);
        assert!(
            memory.pid == 0 && memory.pss && memory.label >= 11,
            "{memory:?}"
        );
        // Wide enough for both: both, whatever the emphasis.
        let wide = columns(60, 20, 6, Emphasis::Cpu);
        assert_eq!(columns(60, 20, 6, Emphasis::Memory).pss, wide.pss);
        assert_eq!(columns(60, 20, 6, Emphasis::Memory).pid, wide.pid);
        assert!(wide.pid == 6 && wide.pss);
        // Too narrow even without the PID: the PID stays, PSS goes.
        let tiny = columns(30, 20, 6, Emphasis::Memory);
        assert!(tiny.pid == 6 && !tiny.pss);
    }

    #[test]
    fn a_folded_rows_count_is_never_cut() {
        assert_eq!(fit_label("  └ fork child ×4", "", 12), "  └ fork… ×4");
        assert_eq!(text_width(&fit_label("  └ fork child ×4", "", 12)), 12);
        assert_eq!(fit_label("└ fork child ×4", "", 20), "└ fork child ×4");
        // Not a count: cut as any label.
        assert_eq!(fit_label("└ size ×big here", "", 8), "└ size …");
        // No room for a name at all: cut as any label.
        assert_eq!(fit_label("└ fork child ×4", "", 4), "└ f…");
        // A lifetime stays while the name keeps ten columns, then goes before the count.
        let median = " · median 9.2 ms";
        assert_eq!(
            fit_label("└ task ×40", median, 40),
            "└ task ×40 · median 9.2 ms"
        );
        assert_eq!(
            fit_label("└ a long task name ×40", median, 30),
            "└ a long … ×40 · median 9.2 ms"
        );
        assert_eq!(fit_label("└ task ×40", median, 12), "└ task ×40");
        assert_eq!(fit_label("└ task 7", " · 9.2 ms", 20), "└ task 7 · 9.2 ms");
    }

    #[test]
    fn heading_and_rows_fit_the_width_whatever_is_kept() {
        let theme = Theme::new(crate::theme::ThemeName::Dark, false);
        let proc = ProcSample {
            pid: 4_194_303,
            ppid: 1,
            name: "python3".into(),
            label: "a very long label for a process ×12".into(),
            rss_bytes: 900 << 20,
            pss_bytes: Some(300 << 20),
            uss_bytes: None,
            cpu_pct: 100.0,
            state: ProcState::Running,
            exit: None,
            depth: 3,
            role: Role::Descendant,
            lived_ms: None,
            measured: true,
        };
        // Narrower than PID, RSS and CPU with a short label, a table is clipped at its edge.
        for width in 24..=90 {
            for emphasis in [Emphasis::Cpu, Emphasis::Memory] {
                let cols = columns(width, 40, 7, emphasis);
                let mut brief = proc.clone();
                brief.state = ProcState::Exited;
                brief.exit = Some(crate::process::ExitInfo::Signal(9));
                brief.measured = false;
                brief.lived_ms = Some(12_345.6);
                let lines = [
                    header(cols, 1 << 30, &theme),
                    row(&proc, cols, 1 << 30, &theme),
                    row(&brief, cols, 1 << 30, &theme),
                ];
                for line in lines {
                    assert!(line.width() <= width, "{width} {emphasis:?}: {line:?}");
                }
            }
        }
    }

    #[test]
    fn lifetimes_fit_six_columns() {
        for (ms, text) in [
            (0.44, "0.4ms"),
            (9.25, "9.2ms"),
            (250.0, "250ms"),
            (999.6, "1.0s"),
            (1520.0, "1.5s"),
            (125_000.0, "125s"),
        ] {
            assert_eq!(short_ms(ms), text);
        }
    }

    #[test]
    fn totals_say_one_process_not_one_processes() {
        let theme = Theme::new(crate::theme::ThemeName::Dark, false);
        let one = ProcSample {
            pid: 10,
            ppid: 1,
            name: "python3".into(),
            label: "worker".into(),
            rss_bytes: 1 << 20,
            pss_bytes: Some(1 << 19),
            uss_bytes: None,
            cpu_pct: 50.0,
            state: ProcState::Running,
            exit: None,
            depth: 0,
            role: Role::Root,
            lived_ms: None,
            measured: true,
        };
        let text = |lines: Vec<Line<'static>>| -> String {
            lines
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(text(totals(&[&one], &theme, 80)).contains("tree: 1 process ·"));
        let two = ProcSample {
            pid: 11,
            ..one.clone()
        };
        assert!(text(totals(&[&one, &two], &theme, 80)).contains("tree: 2 processes ·"));
    }
}

//! Per-core CPU gauges that adapt from 1 to 128+ cores: a row per core with a sparkline when
//! there is room, a grid of short bars when there is less, one block per core when there are
//! very many.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::format::{bar, bar_chars, level, spark_chars};
use crate::theme::Theme;
use crate::ui::cells::Pen;
use crate::ui::gauges::store::{GaugeData, SMOOTHING};

/// Width of a grid cell: `127▕████▏ 99` plus a gap.
const GRID_CELL: usize = 16;

/// Cells of history a core's sparkline shows, when its row has room for one.
const SPARK_WIDTH: usize = 16;

/// How the cores are laid out in a given area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreLayout {
    /// One row per core, with a history sparkline.
    Rows,
    /// Short bars in columns.
    Grid {
        /// Number of columns.
        columns: usize,
    },
    /// One block character per core, its height the load.
    Blocks,
}

/// Picks the richest layout that shows every core in `width`×`rows`: a row per core, else
/// the fewest grid columns that fit (so bars stay long), else one block per core.
#[must_use]
pub fn choose_layout(cores: usize, width: usize, rows: usize) -> CoreLayout {
    if rows == 0 {
        return CoreLayout::Blocks;
    }
    if cores <= rows && width >= 24 {
        return CoreLayout::Rows;
    }
    let columns = cores.div_ceil(rows).max(1);
    if columns * GRID_CELL <= width {
        return CoreLayout::Grid { columns };
    }
    CoreLayout::Blocks
}

/// Rows the core gauges want for `cores` cores at `width` (the total line included).
#[must_use]
pub fn wanted_rows(cores: usize, width: usize) -> usize {
    let columns = (width / GRID_CELL).max(1);
    1 + if cores <= 16 {
        cores
    } else {
        cores.div_ceil(columns).min(8)
    }
}

/// What the core gauges show, as a number that moves whenever any of it may: every value
/// the bars, percentages and sparklines are drawn from — each core's newest history, as
/// much as a sparkline shows (the averaged percentages come from the newest three) — and
/// the area. Idle cores that keep reading the same keep it still.
#[must_use]
pub fn key(data: &GaugeData, area: Rect) -> u64 {
    let mut hasher = crate::ui::damage::key_hasher();
    (area, data.sample.is_some(), data.history.len()).hash(&mut hasher);
    for history in &data.history {
        // A sparkline shorter than its cells is drawn right-aligned: its length shows.
        history.len().min(SPARK_WIDTH).hash(&mut hasher);
        for pct in history.iter().rev().take(SPARK_WIDTH.max(SMOOTHING)) {
            pct.to_bits().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Style for a load percentage.
fn load_style(theme: &Theme, pct: f32) -> Style {
    if pct >= 80.0 {
        theme.gauge_high
    } else if pct >= 50.0 {
        theme.gauge_mid
    } else {
        theme.gauge_low
    }
}

/// Draws the total line and the per-core gauges.
pub fn render(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let Some(sample) = &data.sample else {
        crate::ui::cells::render_line(&Line::styled("Measuring…", theme.muted), area, buf);
        return;
    };
    let cores = sample.cores.len();
    let width = usize::from(area.width);
    let total = data.smoothed_total();
    // Drawn ten times a second: written into the cells, no strings in between.
    let label_width = core_label_width(cores);
    let bar_width = width.saturating_sub(label_width + 1 + 7).max(1);
    let mut pen = Pen::new(buf, area);
    let _ = write!(pen.style(theme.text), "{:<label_width$} ", "all");
    pen.style(theme.rule).text("▕");
    pen.style(load_style(theme, total))
        .chars(bar_chars(f64::from(total) / 100.0, bar_width));
    pen.style(theme.rule).text("▏");
    let _ = write!(pen.style(theme.text), "{total:>4.0}%");

    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let rows = usize::from(body.height);
    match choose_layout(cores, width, rows) {
        CoreLayout::Rows => render_rows(data, theme, body, buf),
        CoreLayout::Grid { columns } => render_grid(data, theme, body, buf, columns),
        CoreLayout::Blocks => render_blocks(data, theme, body, buf),
    }
}

/// Cells the widest core label (`cpu15`) takes (counted, not formatted: this runs at every
/// sample).
fn core_label_width(cores: usize) -> usize {
    let digits = cores
        .saturating_sub(1)
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1);
    "cpu".len() + digits
}

fn render_rows(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let cores = data.history.len();
    let label_width = core_label_width(cores);
    let number_width = label_width - "cpu".len();
    let width = usize::from(area.width);
    let spark_width = if width >= 44 { SPARK_WIDTH } else { 0 };
    let bar_width =
        width.saturating_sub(label_width + 8 + spark_width + usize::from(spark_width > 0));
    for (core, row) in (0..cores).zip(area.y..area.bottom()) {
        let pct = data.smoothed(core);
        let mut pen = Pen::new(buf, Rect { y: row, ..area });
        let _ = write!(pen.style(theme.muted), "cpu{core:<number_width$} ");
        pen.style(theme.rule).text("▕");
        pen.style(load_style(theme, pct))
            .chars(bar_chars(f64::from(pct) / 100.0, bar_width.max(1)));
        pen.style(theme.rule).text("▏");
        let _ = write!(pen.style(theme.text), "{pct:>4.0}%");
        if spark_width > 0 {
            let history = data.history[core].iter().copied();
            pen.style(theme.muted)
                .text(" ")
                .chars(spark_chars(history, spark_width));
        }
    }
}

fn render_grid(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer, columns: usize) {
    let cores = data.history.len();
    let rows = cores.div_ceil(columns);
    let number_width = (cores.saturating_sub(1)).to_string().len();
    // Cells share the width, so fewer columns mean longer bars.
    let cell = usize::from(area.width) / columns;
    let bar_width = cell.saturating_sub(number_width + 7).max(1);
    for row in 0..rows.min(usize::from(area.height)) {
        let mut spans = Vec::new();
        // Column-major, so cores read down then across like a table.
        for column in 0..columns {
            let core = column * rows + row;
            if core >= cores {
                break;
            }
            let pct = data.smoothed(core);
            spans.push(Span::styled(format!("{core:>number_width$}"), theme.muted));
            spans.push(Span::styled("▕", theme.rule));
            spans.push(Span::styled(
                bar(f64::from(pct) / 100.0, bar_width),
                load_style(theme, pct),
            ));
            spans.push(Span::styled("▏", theme.rule));
            spans.push(Span::styled(format!("{pct:>3.0} "), theme.text));
        }
        crate::ui::cells::render_line(
            &Line::from(spans),
            Rect {
                y: area.y + row as u16,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

fn render_blocks(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let cores = data.history.len();
    let width = usize::from(area.width).max(1);
    let rows_needed = cores.div_ceil(width);
    let has_legend = rows_needed < usize::from(area.height);
    let shown_rows = rows_needed.min(usize::from(area.height));
    for row in 0..shown_rows {
        let spans: Vec<Span<'static>> = (row * width..((row + 1) * width).min(cores))
            .map(|core| {
                let pct = data.smoothed(core);
                Span::styled(level(pct).to_string(), load_style(theme, pct))
            })
            .collect();
        crate::ui::cells::render_line(
            &Line::from(spans),
            Rect {
                y: area.y + row as u16,
                height: 1,
                ..area
            },
            buf,
        );
    }
    let hidden = cores.saturating_sub(shown_rows * width);
    if has_legend || hidden > 0 {
        let text = if hidden > 0 {
            format!("{hidden} more cores not shown: enlarge the terminal")
        } else {
            "one block per core; taller = busier".to_string()
        };
        let y = area.y + shown_rows.min(usize::from(area.height) - 1) as u16;
        crate::ui::cells::render_line(
            &Line::styled(text, theme.muted),
            Rect {
                y,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_label_is_as_wide_as_the_last_cores_name() {
        for cores in [0, 1, 2, 10, 11, 100, 101, 1024] {
            let last = format!("cpu{}", usize::saturating_sub(cores, 1));
            assert_eq!(core_label_width(cores), last.len(), "{cores} cores");
        }
    }

    #[test]
    fn layouts_degrade_as_space_shrinks() {
        assert_eq!(choose_layout(2, 40, 4), CoreLayout::Rows);
        assert_eq!(choose_layout(16, 40, 16), CoreLayout::Rows);
        assert_eq!(choose_layout(16, 40, 8), CoreLayout::Grid { columns: 2 });
        assert_eq!(choose_layout(16, 116, 14), CoreLayout::Grid { columns: 2 });
        assert_eq!(choose_layout(128, 40, 6), CoreLayout::Blocks);
        assert_eq!(choose_layout(128, 130, 20), CoreLayout::Grid { columns: 7 });
        assert_eq!(choose_layout(4, 40, 0), CoreLayout::Blocks);
    }

    /// Gauge data after `history` samples of two cores: the first core's values as given,
    /// the second idle.
    fn data(history: &[f32]) -> GaugeData {
        let mut gauges = crate::ui::gauges::store::Gauges::default();
        for &pct in history {
            gauges.push(crate::sampler::Sample {
                t: 0.0,
                cores: vec![pct, 0.0],
                total: pct / 2.0,
                procs: Vec::new(),
            });
        }
        gauges.shown().clone()
    }

    fn drawn(data: &GaugeData, area: Rect) -> Buffer {
        let theme = Theme::new(crate::theme::ThemeName::Dark, false);
        let mut buf = Buffer::empty(area);
        render(data, &theme, area, &mut buf);
        buf
    }

    #[test]
    fn the_key_moves_whenever_what_is_drawn_does() {
        let long: Vec<f32> = (0..40).map(|i| (i * 7 % 100) as f32).collect();
        let mut older_changed = long.clone();
        // Beyond the sparkline's sixteen cells: not shown, so the key stands.
        older_changed[5] += 3.0;
        let mut newest_changed = long.clone();
        newest_changed[39] += 3.0;
        let steady = vec![0.0; 40];
        let mut steady_one_more = steady.clone();
        steady_one_more.push(0.0);
        // Rows with sparklines, rows without, a grid, blocks.
        for area in [
            Rect::new(0, 0, 50, 4),
            Rect::new(0, 0, 30, 4),
            Rect::new(0, 0, 20, 2),
            Rect::new(0, 0, 3, 3),
        ] {
            for (before, after, same) in [
                (&long, &older_changed, true),
                (&long, &newest_changed, false),
                (&steady, &steady_one_more, true),
                (&long[..3].to_vec(), &long[..4].to_vec(), false),
            ] {
                let (a, b) = (data(before), data(after));
                let same_key = key(&a, area) == key(&b, area);
                let same_cells = drawn(&a, area) == drawn(&b, area);
                assert!(
                    same_key <= same_cells,
                    "{area:?}: cells changed under a standing key"
                );
                if area.width >= 44 {
                    assert_eq!(same_key, same, "{area:?}: {before:?} → {after:?}");
                }
            }
        }
    }
}

//! The live gauges: per-core CPU on top, the process table below.

mod cores;
mod format;
mod groups;
mod procs;
pub mod store;
mod table_parts;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use cores::{CoreLayout, choose_layout};
pub use format::{bar, bytes, level, spark_chars};
pub use procs::{Emphasis, LEGEND, LEGEND_SHORT};
pub use table_parts::{TablePart, table_parts};

use crate::theme::Theme;
use crate::ui::gauges::store::GaugeData;

/// Where cores and processes go in `area`: the cores get what they need up to half of it,
/// the table (when there is room for one) what is left under a blank row.
#[must_use]
pub fn split(data: &GaugeData, area: Rect) -> (Rect, Option<Rect>) {
    let cores = data.sample.as_ref().map_or(1, |s| s.cores.len());
    let wanted = cores::wanted_rows(cores, usize::from(area.width)) as u16;
    let core_rows = wanted.min(area.height / 2).max(area.height.min(2));
    let top = Rect {
        height: core_rows,
        ..area
    };
    let below = area.height - core_rows;
    let table = (below > 1).then(|| Rect {
        y: area.y + core_rows + 1,
        height: below - 1,
        ..area
    });
    (top, table)
}

/// Draws cores and processes into `area`, as [`split`] places them.
pub fn render(data: &GaugeData, theme: &Theme, area: Rect, emphasis: Emphasis, buf: &mut Buffer) {
    let (top, table) = split(data, area);
    cores::render(data, theme, top, buf);
    if let Some(table) = table {
        procs::render(data, theme, table, emphasis, buf);
    }
}

/// Rows the per-core gauges want at `width` (the total line included).
#[must_use]
pub fn wanted_core_rows(cores: usize, width: usize) -> usize {
    cores::wanted_rows(cores, width)
}

/// Draws only the per-core part (for cramped panels).
pub fn render_cores(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    cores::render(data, theme, area, buf);
}

/// The core gauges' key (see `cores::key`).
#[must_use]
pub fn cores_key(data: &GaugeData, area: Rect) -> u64 {
    cores::key(data, area)
}

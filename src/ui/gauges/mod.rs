//! The live gauges: per-core CPU on top, the process table below.

mod cores;
mod format;
mod groups;
mod procs;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use cores::{CoreLayout, choose_layout};
pub use format::{bar, bytes, level, sparkline};
pub use procs::{LEGEND, LEGEND_SHORT};

use crate::gauges::GaugeData;
use crate::theme::Theme;

/// Draws cores and processes into `area`, giving the cores what they need up to half of it.
pub fn render(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let cores = data.sample.as_ref().map_or(1, |s| s.cores.len());
    let wanted = cores::wanted_rows(cores, usize::from(area.width)) as u16;
    let core_rows = wanted.min(area.height / 2).max(area.height.min(2));
    let (top, bottom) = (
        Rect {
            height: core_rows,
            ..area
        },
        Rect {
            y: area.y + core_rows,
            height: area.height - core_rows,
            ..area
        },
    );
    cores::render(data, theme, top, buf);
    if bottom.height > 1 {
        let table = Rect {
            y: bottom.y + 1,
            height: bottom.height - 1,
            ..bottom
        };
        procs::render(data, theme, table, buf);
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

/// Draws only the process table.
pub fn render_procs(data: &GaugeData, theme: &Theme, area: Rect, buf: &mut Buffer) {
    procs::render(data, theme, area, buf);
}

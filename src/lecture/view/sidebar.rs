//! The gauges panel beside (or under) the slide.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::lecture::App;
use crate::ui::frame::panel;
use crate::ui::gauges;
use crate::ui::panel::panel_inner;

/// Where the parts of the gauges panel in `area` go: the cores and, when there is room, the
/// process table. A low strip shows the cores, beside the processes when it is wide enough
/// for both.
#[must_use]
pub fn inner_areas(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    let inner = panel_inner(area);
    // Stacked, the cores, a blank row and a table's heading, rows and totals need eight.
    let low = inner.height < 8;
    if low && inner.width >= 70 {
        let [cores, procs] = Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)])
            .spacing(2)
            .areas(inner);
        (cores, Some(procs))
    } else if low && inner.height < 6 {
        (inner, None)
    } else {
        gauges::split(app.gauges.shown(), inner)
    }
}

/// The gauges panel's frame: border, title (with the core count) and a badge while frozen.
/// What goes inside ([`inner_areas`]) is drawn by [`render_cores`] and the process table's
/// parts (`gauges::table_parts`), parts of their own: they change on samples, the frame
/// almost never.
pub fn render_frame(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let cores = core_count(app);
    let title = if cores > 0 {
        format!("CPU & memory · {cores} cores")
    } else {
        "CPU & memory".into()
    };
    let mut block = panel(&title, theme);
    if app.gauges.is_frozen() {
        block = block.title(Span::styled(" ❄ FROZEN (f) ", theme.warning));
    }
    block.render(area, buf);
}

/// Cores in the sample shown (0 before the first).
#[must_use]
pub fn core_count(app: &App) -> usize {
    app.gauges
        .shown()
        .sample
        .as_ref()
        .map_or(0, |s| s.cores.len())
}

/// Per-core CPU, in the cores' area from [`inner_areas`].
pub fn render_cores(app: &App, area: Rect, buf: &mut Buffer) {
    gauges::render_cores(app.gauges.shown(), &app.theme, area, buf);
}

/// The cores' key for the damage-tracked screen (`area` from [`inner_areas`]).
#[must_use]
pub fn cores_key(app: &App, area: Rect) -> u64 {
    gauges::cores_key(app.gauges.shown(), area)
}

/// What the process table keeps when narrow on this slide: PSS when one of its demos is about
/// memory (fork's shared pages, shared memory against pickled copies), else the PID.
#[must_use]
pub fn emphasis(app: &App) -> gauges::Emphasis {
    let about_memory = app
        .current_demos()
        .iter()
        .any(|d| d.request.demo().spec().about_memory);
    if about_memory {
        gauges::Emphasis::Memory
    } else {
        gauges::Emphasis::Cpu
    }
}

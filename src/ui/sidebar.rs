//! The gauges panel beside (or under) the slide.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Widget;

use super::frame::{panel, panel_inner};
use super::gauges;
use crate::app::App;

/// Where the parts of the gauges panel in `area` go: the cores and, when there is room, the
/// process table. A low strip shows the cores, beside the processes when it is wide enough
/// for both.
fn split(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    let inner = panel_inner(area);
    if inner.height < 6 && inner.width >= 70 {
        let [cores, procs] = Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)])
            .spacing(2)
            .areas(inner);
        (cores, Some(procs))
    } else if inner.height < 6 {
        (inner, None)
    } else {
        gauges::split(app.gauges.shown(), inner)
    }
}

/// Where the process table goes in the gauges panel drawn in `area`, if it has one: a part
/// of the frame of its own, since it changes less often than the cores.
#[must_use]
pub fn table_area(app: &App, area: Rect) -> Option<Rect> {
    split(app, area).1
}

/// The gauges panel but for its process table ([`render_table`]): per-core CPU, with a badge
/// while frozen. The table's area is left as it is.
pub fn render_gauges(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let data = app.gauges.shown();
    let cores = data.sample.as_ref().map_or(0, |s| s.cores.len());
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
    gauges::render_cores(data, theme, split(app, area).0, buf);
}

/// The tracked processes (lectern's own and those of the slide's demos), in `area` from
/// [`table_area`].
pub fn render_table(app: &App, area: Rect, buf: &mut Buffer) {
    gauges::render_procs(app.gauges.shown(), &app.theme, area, buf);
}

/// The key of the gauges panel but for its table, for the damage-tracked screen: its title
/// and badge change only with the revision, its cores with what they show.
#[must_use]
pub fn gauges_key(app: &App, area: Rect) -> u64 {
    gauges::cores_key(app.gauges.shown(), split(app, area).0)
}

/// The process table's key for the damage-tracked screen.
#[must_use]
pub fn table_key(app: &App, area: Rect) -> u64 {
    gauges::procs_key(app.gauges.shown(), &app.theme, area)
}

//! The process table cut into parts for the damage-tracked screen: its heading, each process
//! row, the "more rows" line, the totals and the legend, each with a key of its own. A sample
//! in which one process's figures moved (lectern's own CPU, most often) then formats and
//! compares that row alone instead of the whole table, which cost `lectern watch` about a
//! million instructions a frame (see docs/performance.md).
//!
//! The parts draw exactly what [`super::procs::render`] draws, line for line; the damage
//! tests compare the two screens cell for cell.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use ratatui::layout::Rect;
use ratatui::text::Line;

use super::format::shown_pct;
use super::procs::{
    Columns, Emphasis, header, more_line, render_rows, row, shape, totals, visible_rows,
    with_legend,
};
use crate::sampler::{ProcSample, Role};
use crate::theme::Theme;
use crate::ui::damage::{DrawFn, key_hasher};
use crate::ui::gauges::store::GaugeData;

/// One part of the table: where it goes, what it shows (as a key), how to draw it.
pub struct TablePart<'a> {
    /// Its rows of the table's area.
    pub area: Rect,
    /// Changes whenever what `draw` draws changes.
    pub key: u64,
    /// Draws the part into its area.
    pub draw: DrawFn<'a>,
}

/// The table of `data` in `area`, as parts.
#[must_use]
pub fn table_parts<'a>(
    data: &'a GaugeData,
    theme: &'a Theme,
    area: Rect,
    emphasis: Emphasis,
) -> Vec<TablePart<'a>> {
    if area.is_empty() {
        return Vec::new();
    }
    let procs: &'a [ProcSample] = data.sample.as_ref().map_or(&[], |s| &s.procs);
    let width = usize::from(area.width);
    let shape = shape(procs, theme, area, emphasis);
    let (rows, shown) = visible_rows(procs, shape.room);
    let rows: Rc<Cow<'a, [ProcSample]>> = Rc::new(rows);
    let largest = rows.iter().map(|p| p.rss_bytes).max().unwrap_or(0).max(1);
    let mut parts = Cutter {
        area,
        table_rows: shape.table_rows,
        y: 0,
        made: Vec::new(),
    };
    let cols = shape.cols;
    parts.drawn_later(1, (cols, largest, theme.muted), move |area, buf| {
        crate::ui::cells::render_line(&header(cols, largest, theme), area, buf);
    });
    for i in 0..shown {
        parts.process(&rows, i, shape.cols, largest, theme);
    }
    if shown < rows.len() {
        parts.lines(vec![more_line(rows.len() - shown, width, theme)]);
    }
    if procs.is_empty() {
        parts.lines(vec![Line::styled(
            "  no processes tracked yet",
            theme.muted,
        )]);
    }
    if procs.iter().any(|p| p.role != Role::Ui) {
        // The rest of the table's rows: the totals wrap to as many as they need.
        let live = procs.iter().filter(|p| p.role != Role::Ui && !p.is_gone());
        let sums = live.fold((0_usize, 0_u64, 0.0_f32, Some(0_u64)), |sums, p| {
            let pss = sums.3.zip(p.pss_bytes).map(|(a, b)| a + b);
            (sums.0 + 1, sums.1 + p.rss_bytes, sums.2 + p.cpu_pct, pss)
        });
        let exited = procs.iter().filter(|p| p.role != Role::Ui).count() - sums.0;
        let key = (
            sums.0,
            exited,
            sums.1,
            shown_pct(sums.2),
            sums.3,
            theme.muted,
            theme.text,
        );
        let rows = parts.table_rows.saturating_sub(parts.y);
        parts.drawn_later(rows, key, move |area, buf| {
            let tree: Vec<&ProcSample> = procs.iter().filter(|p| p.role != Role::Ui).collect();
            render_rows(&totals(&tree, theme, usize::from(area.width)), area, buf);
        });
    }
    if shape.legend_rows > 0 {
        parts.legend(shape.legend, shape.legend_rows, theme);
    }
    parts.made
}

/// Cuts the table into parts: the parts made so far, and the next free row of the table.
struct Cutter<'a> {
    area: Rect,
    /// Rows the table may use above its legend.
    table_rows: usize,
    y: usize,
    made: Vec<TablePart<'a>>,
}

impl<'a> Cutter<'a> {
    /// Lines worked out already (cheap: one or two each), as one part keyed on the lines.
    fn lines(&mut self, lines: Vec<Line<'static>>) {
        let mut hasher = key_hasher();
        lines.hash(&mut hasher);
        self.drawn_later(lines.len(), hasher.finish(), move |area, buf| {
            render_rows(&lines, area, buf);
        });
    }

    /// A part of the next `rows` rows (fewer if the table ends first), keyed on `key`, drawn
    /// by `draw` only when the key moved.
    fn drawn_later(
        &mut self,
        rows: usize,
        key: impl Hash,
        draw: impl Fn(Rect, &mut ratatui::buffer::Buffer) + 'a,
    ) {
        let height = rows.min(self.table_rows.saturating_sub(self.y));
        if height == 0 {
            return;
        }
        let area = line_area(self.area, self.y, height);
        self.y += height;
        self.push(area, key, draw);
    }

    /// Process row `i` of `rows`, keyed on every field it shows (percentages as drawn) and
    /// formatted only if it is drawn.
    fn process(
        &mut self,
        rows: &Rc<Cow<'a, [ProcSample]>>,
        i: usize,
        cols: Columns,
        largest: u64,
        theme: &'a Theme,
    ) {
        let p = &rows[i];
        let key = (
            (p.pid, p.ppid, &p.name, &p.label, p.rss_bytes),
            (p.pss_bytes, p.uss_bytes, shown_pct(p.cpu_pct)),
            (p.lived_ms.map(f64::to_bits), p.measured),
            (p.state, p.exit, p.depth, p.role),
            (cols, largest),
            (theme.muted, theme.text, theme.rule, theme.gauge_memory),
        );
        let rows = Rc::clone(rows);
        self.drawn_later(1, key, move |area, buf| {
            let line = row(&rows[i], cols, largest, theme);
            crate::ui::cells::render_line(&line, area, buf);
        });
    }

    /// The legend, in the last `rows` rows of the table's area.
    fn legend(&mut self, legend: &'static str, rows: usize, theme: &'a Theme) {
        let area = line_area(self.area, usize::from(self.area.height) - rows, rows);
        self.push(area, (legend, theme.muted), move |area, buf| {
            with_legend(legend, usize::from(area.width), theme.muted, |lines| {
                crate::ui::cells::render_lines(lines, area, buf);
            });
        });
    }

    /// A part in `area`, keyed on `key` and the area.
    fn push(
        &mut self,
        area: Rect,
        key: impl Hash,
        draw: impl Fn(Rect, &mut ratatui::buffer::Buffer) + 'a,
    ) {
        let mut hasher = key_hasher();
        (key, area).hash(&mut hasher);
        self.made.push(TablePart {
            area,
            key: hasher.finish(),
            draw: Box::new(draw),
        });
    }
}

/// `height` rows of `area` from row `y` (counted from its top).
fn line_area(area: Rect, y: usize, height: usize) -> Rect {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "rows of a terminal's area: both fit in u16"
    )]
    let (y, height) = (y as u16, height as u16);
    Rect {
        y: area.y + y,
        height,
        ..area
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;

    use super::*;
    use crate::sampler::{ProcState, Sample};
    use crate::theme::ThemeName;

    fn data(cpu: &[f32]) -> GaugeData {
        let mut procs: Vec<ProcSample> = cpu
            .iter()
            .enumerate()
            .map(|(i, &cpu_pct)| ProcSample {
                pid: 100 + i as u32,
                ppid: 1,
                name: "python3".into(),
                label: "pool worker".into(),
                rss_bytes: (8 + i as u64) << 20,
                pss_bytes: Some(2 << 20),
                uss_bytes: None,
                cpu_pct,
                state: ProcState::Running,
                exit: None,
                depth: 1,
                role: Role::Descendant,
                lived_ms: None,
                measured: true,
            })
            .collect();
        if let Some(last) = procs.last_mut() {
            last.role = Role::Ui;
            last.depth = 0;
            last.label = "lectern watch".into();
        }
        GaugeData {
            sample: Some(Sample {
                t: 0.0,
                cores: vec![50.0, 50.0],
                total: 50.0,
                procs,
            }),
            ..GaugeData::default()
        }
    }

    /// The table drawn part by part, each part into its own buffer, as the damage-tracked
    /// screen draws them.
    fn parts_drawn(data: &GaugeData, theme: &Theme, area: Rect) -> Vec<(u64, Buffer)> {
        table_parts(data, theme, area, Emphasis::Cpu)
            .into_iter()
            .map(|part| {
                let mut cells = Buffer::empty(part.area);
                (part.draw)(part.area, &mut cells);
                (part.key, cells)
            })
            .collect()
    }

    /// Roomy (a row each), cramped (folded, with a "more" line) and too small for a legend.
    const AREAS: [Rect; 4] = [
        Rect::new(0, 0, 60, 20),
        Rect::new(3, 2, 100, 12),
        Rect::new(0, 0, 60, 6),
        Rect::new(0, 0, 30, 4),
    ];

    #[test]
    fn the_parts_draw_what_the_whole_table_draws() {
        for theme in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast] {
            let theme = Theme::new(theme, false);
            for cpu in [
                vec![],
                vec![3.0],
                vec![10.0, 20.0, 30.0, 40.0, 0.4],
                vec![5.0; 14],
            ] {
                for (area, emphasis) in AREAS
                    .into_iter()
                    .flat_map(|area| [(area, Emphasis::Cpu), (area, Emphasis::Memory)])
                {
                    let data = data(&cpu);
                    let mut whole = Buffer::empty(area);
                    super::super::procs::render(&data, &theme, area, emphasis, &mut whole);
                    let mut parts = Buffer::empty(area);
                    for part in table_parts(&data, &theme, area, emphasis) {
                        (part.draw)(part.area, &mut parts);
                    }
                    assert_eq!(parts, whole, "{area:?} {emphasis:?} {cpu:?}");
                }
            }
        }
    }

    #[test]
    fn a_part_is_keyed_on_what_it_draws() {
        let theme = Theme::new(ThemeName::Dark, false);
        let cases = [
            (vec![10.0, 20.0, 30.0, 40.0], vec![10.2, 19.9, 30.4, 40.0]),
            (vec![10.0, 20.0, 30.0, 40.0], vec![10.0, 20.0, 30.0, 41.0]),
            (vec![0.4, 0.4, 0.4, 0.4], vec![0.4, 0.4, 0.4, 0.6]),
            (vec![10.0, 20.0, 30.0, 40.0], vec![10.0, 20.0, 30.4, 40.4]),
            (vec![0.0; 4], vec![0.0; 4]),
            (
                vec![5.0; 14],
                vec![
                    5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 9.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0,
                ],
            ),
        ];
        for area in AREAS {
            for (before, after) in &cases {
                let what = format!("{area:?}: {before:?} → {after:?}");
                let (a, b) = (data(before), data(after));
                let (a, b) = (parts_drawn(&a, &theme, area), parts_drawn(&b, &theme, area));
                assert_eq!(a.len(), b.len(), "{what}: the same parts");
                let mut redrawn = 0;
                for ((key_a, cells_a), (key_b, cells_b)) in a.iter().zip(&b) {
                    // A key that stood while the cells changed would leave a stale row; a
                    // key that moved with the cells standing costs a redraw and nothing else.
                    assert!(
                        key_a != key_b || cells_a == cells_b,
                        "{what}: cells changed under a standing key"
                    );
                    redrawn += usize::from(key_a != key_b);
                }
                // Only the rows (and the totals) that show the change are drawn again.
                assert!(redrawn <= 3, "{what}: {redrawn} parts drawn again");
            }
        }
    }
}

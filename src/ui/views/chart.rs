//! A series view as a character line chart: y against x (log-spaced if asked), a dashed
//! reference line, one marker shape per line (so it reads without colour), and a legend.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::demo_runtime::view::Line as Series;
use crate::demo_runtime::view::number;
use crate::theme::Theme;
use crate::ui::wrap::wrap;

/// Rows of plot area.
const ROWS: usize = 8;
/// Marker per line, in order.
const MARKERS: [char; 4] = ['●', '◆', '▲', '■'];

/// What to draw.
pub struct Chart<'a> {
    /// The x axis.
    pub x_label: &'a str,
    /// The y axis.
    pub y_label: &'a str,
    /// Log-spaced x.
    pub x_log: bool,
    /// A horizontal reference.
    pub reference_y: Option<f64>,
    /// The lines.
    pub lines: &'a [Series],
}

/// Where values fall on the grid.
struct Scale {
    x_log: bool,
    x_min: f64,
    x_max: f64,
    y_bottom: f64,
    y_top: f64,
    columns: usize,
}

impl Scale {
    fn fx(&self, x: f64) -> f64 {
        if self.x_log { x.log10() } else { x }
    }

    /// The column of `x` (0-based).
    #[expect(
        clippy::cast_sign_loss,
        reason = "the fraction is clamped to 0..=1 first"
    )]
    fn column(&self, x: f64) -> usize {
        let span = self.x_max - self.x_min;
        if span <= 0.0 {
            return self.columns / 2;
        }
        let fraction = ((self.fx(x) - self.x_min) / span).clamp(0.0, 1.0);
        ((fraction * (self.columns - 1) as f64).round() as usize).min(self.columns - 1)
    }

    /// The row of `y` (0 is the top).
    #[expect(
        clippy::cast_sign_loss,
        reason = "the fraction is clamped to 0..=1 first"
    )]
    fn row(&self, y: f64) -> usize {
        let span = self.y_top - self.y_bottom;
        if span <= 0.0 {
            return ROWS - 1;
        }
        let fraction = ((y - self.y_bottom) / span).clamp(0.0, 1.0);
        let from_bottom = (fraction * (ROWS - 1) as f64).round() as usize;
        (ROWS - 1).saturating_sub(from_bottom)
    }

    fn x_text(&self, x: f64) -> String {
        if self.x_log {
            number(10f64.powf(x))
        } else {
            number(x)
        }
    }
}

/// The points of a line that can be drawn (finite, and positive x on a log axis).
fn drawable(chart: &Chart<'_>, points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    points
        .iter()
        .copied()
        .filter(|[x, y]| x.is_finite() && y.is_finite() && (!chart.x_log || *x > 0.0))
        .collect()
}

/// The chart's lines at `width` columns.
pub fn lines(chart: &Chart<'_>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let points: Vec<[f64; 2]> = chart
        .lines
        .iter()
        .flat_map(|l| drawable(chart, &l.points))
        .collect();
    let mut out = wrap(&[(chart.y_label, theme.muted)], width);
    if points.is_empty() {
        out.push(Line::styled("(no points yet)", theme.muted));
        return out;
    }
    let fx = |x: f64| if chart.x_log { x.log10() } else { x };
    let (x_min, x_max) = points
        .iter()
        .map(|[x, _]| fx(*x))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    let ys = || points.iter().map(|[_, y]| *y).chain(chart.reference_y);
    let y_top = ys().fold(0.0_f64, f64::max) * 1.05;
    let y_bottom = ys().fold(0.0_f64, f64::min);
    let axis_width = number(y_top).len().max(number(y_bottom).len());
    let scale = Scale {
        x_log: chart.x_log,
        x_min,
        x_max,
        y_bottom,
        y_top,
        columns: width.saturating_sub(axis_width + 2).max(4),
    };
    let grid = plot(chart, &scale, theme);
    for (r, cells) in grid.into_iter().enumerate() {
        let label = match r {
            0 => number(y_top),
            r if r == ROWS - 1 => number(y_bottom),
            r => chart
                .reference_y
                .filter(|y| scale.row(*y) == r)
                .map(number)
                .unwrap_or_default(),
        };
        let mut spans = vec![Span::styled(format!("{label:>axis_width$} ┤"), theme.muted)];
        spans.extend(
            cells
                .into_iter()
                .map(|(c, s)| Span::styled(c.to_string(), s)),
        );
        out.push(Line::from(spans));
    }
    let (left, right) = (scale.x_text(x_min), scale.x_text(x_max));
    let gap = scale.columns.saturating_sub(left.len() + right.len());
    out.push(Line::styled(
        format!("{:axis_width$} └{}", "", "─".repeat(scale.columns)),
        theme.muted,
    ));
    out.push(Line::styled(
        format!("{:axis_width$}  {left}{}{right}", "", " ".repeat(gap)),
        theme.muted,
    ));
    out.extend(legend(chart, width, theme));
    out
}

/// The grid of cells: the reference line, dots between points, then the points' markers.
fn plot(chart: &Chart<'_>, scale: &Scale, theme: &Theme) -> Vec<Vec<(char, Style)>> {
    // Blank cells take the plain base style: a bold blank (the high-contrast text style) is
    // drawn as a grey block by some terminals and converters.
    let mut grid: Vec<Vec<(char, Style)>> = vec![vec![(' ', theme.base); scale.columns]; ROWS];
    if let Some(reference) = chart.reference_y {
        for cell in &mut grid[scale.row(reference)] {
            *cell = ('┄', theme.muted);
        }
    }
    for (i, series) in chart.lines.iter().enumerate() {
        let style = theme.tone(series.tone);
        let valid = drawable(chart, &series.points);
        // Dots between points, so a line reads as a line.
        for pair in valid.windows(2) {
            let (c0, c1) = (scale.column(pair[0][0]), scale.column(pair[1][0]));
            for c in c0 + 1..c1 {
                let t = (c - c0) as f64 / (c1 - c0) as f64;
                let y = pair[0][1] + t * (pair[1][1] - pair[0][1]);
                if let Some(cell) = grid[scale.row(y)].get_mut(c) {
                    *cell = ('·', style);
                }
            }
        }
        for [x, y] in valid {
            grid[scale.row(y)][scale.column(x)] = (MARKERS[i % MARKERS.len()], style);
        }
    }
    grid
}

/// The x axis' name and a marker per line, in the line's colour.
fn legend(chart: &Chart<'_>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut runs: Vec<(String, Style)> = vec![(format!("x: {}   ", chart.x_label), theme.muted)];
    for (i, series) in chart.lines.iter().enumerate() {
        runs.push((
            MARKERS[i % MARKERS.len()].to_string(),
            theme.tone(series.tone),
        ));
        runs.push((
            format!("\u{a0}{}  ", series.label.replace(' ', "\u{a0}")),
            theme.text,
        ));
    }
    if chart.reference_y.is_some() {
        runs.push(("┄┄\u{a0}reference".into(), theme.muted));
    }
    let borrowed: Vec<(&str, Style)> = runs.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    wrap(&borrowed, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::view::Tone;
    use crate::theme::ThemeName;
    use crate::ui::wrap::text_width;

    #[test]
    fn a_chart_plots_every_point_inside_its_width() {
        let theme = Theme::new(ThemeName::Dark, false);
        let series = vec![Series {
            label: "pool".into(),
            points: vec![[1.0, 0.1], [100.0, 0.9], [10_000.0, 1.9]],
            tone: Tone::Good,
        }];
        let chart = Chart {
            x_label: "task length (µs)",
            y_label: "speedup",
            x_log: true,
            reference_y: Some(1.0),
            lines: &series,
        };
        for width in [30, 60] {
            let text: Vec<String> = lines(&chart, width, &theme)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            assert_eq!(
                text.iter().map(|l| l.matches('●').count()).sum::<usize>(),
                4,
                "three points and the legend's marker: {text:#?}"
            );
            assert!(text.iter().all(|l| text_width(l) <= width), "{text:#?}");
            assert!(text.iter().any(|l| l.contains("10,000")), "{text:#?}");
        }
    }
}

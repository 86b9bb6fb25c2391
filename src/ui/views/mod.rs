//! Generic widgets for demo views: whatever demo sent a headline, table, bars, lanes, series
//! or tree, it is drawn here, with no code for any particular demo. Each widget returns lines
//! already fitted to the width (wrapped, never cut without a marker), so the panel can scroll
//! them and `lectern demo` can print them.

mod chart;
mod view_table;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::gauges::bar;
use super::wrap::{text_width, truncate, wrap};
use crate::demo_runtime::view::{Bar, Lane, LegendEntry, Level, View, group, number};
use crate::theme::Theme;

/// The lines of `view` at `width` columns.
#[must_use]
pub fn lines(view: &View, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let width = width.max(8);
    match view {
        View::Headline { text, tone } => headline(text, theme.tone(*tone), width),
        View::Table {
            columns,
            rows,
            tones,
            caption,
            ..
        } => {
            let mut lines = view_table::lines(columns, rows, tones, width, theme);
            lines.extend(caption_lines(caption, width, theme));
            lines
        }
        View::Bars {
            unit,
            bars,
            max,
            caption,
        } => {
            let mut lines = bar_lines(unit, bars, *max, width, theme);
            lines.extend(caption_lines(caption, width, theme));
            lines
        }
        View::Lanes {
            slot_ms,
            legend,
            lanes,
            ..
        } => lane_lines(*slot_ms, legend, lanes, width, theme),
        View::Series {
            x_label,
            y_label,
            x_log,
            reference_y,
            lines,
        } => chart::lines(
            &chart::Chart {
                x_label,
                y_label,
                x_log: *x_log,
                reference_y: *reference_y,
                lines,
            },
            width,
            theme,
        ),
        View::Tree { levels, caption } => {
            let mut lines = tree_lines(levels, width, theme);
            lines.extend(caption_lines(caption, width, theme));
            lines
        }
    }
}

/// The headline: bold, in its tone, wrapped.
fn headline(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap(&[(text, style.add_modifier(Modifier::BOLD))], width)
}

fn caption_lines(caption: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if caption.is_empty() {
        return Vec::new();
    }
    wrap(&[(caption, theme.muted)], width)
}

/// The shortest bar worth drawing beside an inline detail.
const MIN_BAR: usize = 8;

/// Bars scaled to `max` (or the longest), label on the left, value and detail on the right;
/// a detail that leaves the bar too short goes on a line of its own.
fn bar_lines(
    unit: &str,
    bars: &[Bar],
    max: Option<f64>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let longest = max.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let label_width = bars
        .iter()
        .map(|b| text_width(&b.label))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let value_width = bars
        .iter()
        .map(|b| text_width(&value_text(b.value, unit)))
        .max()
        .unwrap_or(0);
    let detail_width = bars
        .iter()
        .map(|b| text_width(&b.detail))
        .max()
        .unwrap_or(0);
    let fixed = label_width + 1 + 1 + value_width;
    let inline_detail = detail_width == 0 || fixed + 2 + detail_width + MIN_BAR <= width;
    let bar_width = if inline_detail && detail_width > 0 {
        width.saturating_sub(fixed + 2 + detail_width)
    } else {
        width.saturating_sub(fixed)
    }
    .max(1);
    let mut lines = Vec::new();
    for b in bars {
        let fraction = if longest > 0.0 {
            b.value / longest
        } else {
            0.0
        };
        let mut spans = vec![
            Span::styled(
                format!("{:<label_width$} ", truncate(&b.label, label_width)),
                theme.text,
            ),
            Span::styled(bar(fraction, bar_width), theme.tone(b.tone)),
            Span::styled(
                format!(" {:>value_width$}", value_text(b.value, unit)),
                theme.text,
            ),
        ];
        if inline_detail && !b.detail.is_empty() {
            spans.push(Span::styled(format!("  {}", b.detail), theme.muted));
        }
        lines.push(Line::from(spans));
        if !inline_detail && !b.detail.is_empty() {
            let indent = " ".repeat(label_width + 1);
            lines.extend(wrap(
                &[(&indent, theme.muted), (&b.detail, theme.muted)],
                width,
            ));
        }
    }
    lines
}

fn value_text(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        number(value)
    } else {
        format!("{} {unit}", number(value))
    }
}

/// Lanes, newest slot on the right, then a legend drawn in the colours it explains.
fn lane_lines(
    slot_ms: u32,
    legend: &[LegendEntry],
    lanes: &[Lane],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let label_width = lanes
        .iter()
        .map(|l| text_width(&l.label))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let room = width.saturating_sub(label_width + 1);
    let mut lines: Vec<Line<'static>> = lanes
        .iter()
        .map(|lane| {
            let skip = lane.states.chars().count().saturating_sub(room);
            let mut spans = vec![Span::styled(
                format!("{:<label_width$} ", truncate(&lane.label, label_width)),
                theme.text,
            )];
            spans.extend(lane.states.chars().skip(skip).map(|c| {
                match legend.iter().find(|e| e.symbol == c) {
                    Some(entry) => Span::styled(entry.glyph.clone(), theme.tone(entry.tone)),
                    None => Span::styled(c.to_string(), theme.muted),
                }
            }));
            Line::from(spans)
        })
        .collect();
    // The legend names only the states these lanes show, each in its own colour.
    let shown: Vec<&LegendEntry> = legend
        .iter()
        .filter(|e| e.glyph.trim() != "" && lanes.iter().any(|l| l.states.contains(e.symbol)))
        .collect();
    let mut runs: Vec<(String, Style)> = Vec::new();
    for entry in shown {
        runs.push((entry.glyph.repeat(2), theme.tone(entry.tone)));
        runs.push((
            format!("\u{a0}{}  ", entry.meaning.replace(' ', "\u{a0}")),
            theme.text,
        ));
    }
    runs.push((
        format!("({slot_ms}\u{a0}ms\u{a0}per\u{a0}cell)"),
        theme.muted,
    ));
    let borrowed: Vec<(&str, Style)> = runs.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    lines.extend(wrap(&borrowed, width));
    lines
}

/// A process tree: a row of dots per level, with the count.
fn tree_lines(levels: &[Level], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let label_width = levels
        .iter()
        .map(|l| text_width(&l.label))
        .max()
        .unwrap_or(0);
    let count_width = levels
        .iter()
        .map(|l| group(l.count as f64, 0).len())
        .max()
        .unwrap_or(1);
    let room = width.saturating_sub(label_width + count_width + 3).max(1);
    levels
        .iter()
        .map(|level| {
            let count = usize::try_from(level.count).unwrap_or(usize::MAX);
            let dots = if count > room {
                format!("{}…", "●".repeat(room.saturating_sub(1)))
            } else {
                "●".repeat(count)
            };
            Line::from(vec![
                Span::styled(format!("{:<label_width$} ", level.label), theme.text),
                Span::styled(
                    format!("{:>count_width$} ", group(level.count as f64, 0)),
                    theme.key,
                ),
                Span::styled(dots, theme.gauge_memory),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::view::Tone;
    use crate::theme::ThemeName;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn bars_keep_every_value_and_detail_at_any_width() {
        let theme = Theme::new(ThemeName::Dark, false);
        let view = View::Bars {
            unit: "ms".into(),
            bars: vec![
                Bar {
                    label: "sequential".into(),
                    value: 215.3,
                    detail: String::new(),
                    tone: Tone::Muted,
                },
                Bar {
                    label: "1250 (default)".into(),
                    value: 104.0,
                    detail: "8 messages · 2.07×".into(),
                    tone: Tone::Good,
                },
            ],
            max: None,
            caption: "wall time".into(),
        };
        for width in [20, 34, 48, 78, 120] {
            let shown = text(&lines(&view, width, &theme)).join("\n");
            for needle in ["215 ms", "104 ms", "8 messages · 2.07×", "wall time"] {
                assert!(
                    shown.contains(needle),
                    "width {width}: {needle} in\n{shown}"
                );
            }
            for line in text(&lines(&view, width, &theme)) {
                assert!(text_width(&line) <= width.max(8), "{width}: {line:?}");
            }
        }
    }

    #[test]
    fn numbers_lose_decimals_as_they_grow() {
        assert_eq!(number(0.456), "0.46");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(7_883_716.0), "7,883,716");
        assert_eq!(number(3.0), "3");
    }
}

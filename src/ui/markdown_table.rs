//! Tables drawn with box characters; cells wrap inside their column instead of being cut.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::inline_style::inline_style;
use super::wrap::{text_width, wrap};
use crate::lesson::{Align, Inline, Table, plain_text};
use crate::theme::Theme;

/// Lines of `table` fitted to `width` columns.
#[must_use]
pub fn table_lines(table: &Table, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.header.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return Vec::new();
    }
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(&table.header)
                .chain(&table.rows)
                .filter_map(|row| row.get(c))
                .map(|cell| text_width(&plain_text(cell)))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    // Each column costs its content plus a space either side and one border.
    let available = width.saturating_sub(3 * columns + 1);
    let widths = fit_widths(&natural, available);

    let mut lines = vec![border(&widths, '┌', '┬', '┐', theme)];
    lines.extend(row_lines(
        &table.header,
        &widths,
        &table.align,
        theme,
        theme.table_header,
    ));
    lines.push(border(&widths, '├', '┼', '┤', theme));
    for row in &table.rows {
        lines.extend(row_lines(row, &widths, &table.align, theme, theme.text));
    }
    lines.push(border(&widths, '└', '┴', '┘', theme));
    lines
}

/// Shares `available` columns out: narrow columns keep their natural width, the widest ones
/// shrink first (water-filling), and no column drops below one character.
fn fit_widths(natural: &[usize], available: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = available;
    while !open.is_empty() {
        let share = (left / open.len()).max(1);
        let (fits, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&c| natural[c] <= share);
        if fits.is_empty() {
            for (i, &c) in rest.iter().enumerate() {
                // Hand out the remainder one column at a time, left to right.
                let extra = usize::from(i < left % rest.len().max(1));
                widths[c] = (left / rest.len()).max(1) + extra;
            }
            break;
        }
        for c in fits {
            widths[c] = natural[c];
            left = left.saturating_sub(natural[c]);
        }
        open = rest;
    }
    widths
}

fn border(widths: &[usize], left: char, mid: char, right: char, theme: &Theme) -> Line<'static> {
    let inner: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
    Line::styled(
        format!("{left}{}{right}", inner.join(&mid.to_string())),
        theme.rule,
    )
}

fn row_lines(
    row: &[Vec<Inline>],
    widths: &[usize],
    align: &[Align],
    theme: &Theme,
    base: Style,
) -> Vec<Line<'static>> {
    let empty = Vec::new();
    let cells: Vec<Vec<Line<'static>>> = widths
        .iter()
        .enumerate()
        .map(|(c, &w)| {
            let inlines = row.get(c).unwrap_or(&empty);
            let runs: Vec<(&str, Style)> = inlines
                .iter()
                .map(|i| (i.text.as_str(), inline_style(i, base, theme)))
                .collect();
            wrap(&runs, w)
        })
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|r| {
            let mut spans = vec![Span::styled("│", theme.rule)];
            for (c, &w) in widths.iter().enumerate() {
                let line = cells[c].get(r).cloned().unwrap_or_default();
                let pad = w.saturating_sub(line.width());
                let (before, after) = match align.get(c).copied().unwrap_or(Align::Left) {
                    Align::Left => (0, pad),
                    Align::Right => (pad, 0),
                    Align::Center => (pad / 2, pad - pad / 2),
                };
                spans.push(Span::styled(" ".repeat(before + 1), base));
                spans.extend(line.spans);
                spans.push(Span::styled(" ".repeat(after + 1), base));
                spans.push(Span::styled("│", theme.rule));
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Block, parse};
    use crate::theme::ThemeName;

    fn table_text(markdown: &str, width: usize) -> Vec<String> {
        let lesson = parse(markdown).lesson;
        let Block::Table(table) = &lesson.slides[0].blocks[0] else {
            panic!("no table")
        };
        let theme = Theme::new(ThemeName::Dark, false);
        table_lines(table, width, &theme)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_table_that_fits_uses_natural_widths() {
        let lines = table_text("| A | Bee |\n|---|--:|\n| x | 1 |\n", 40);
        assert_eq!(
            lines,
            [
                "┌───┬─────┐",
                "│ A │ Bee │",
                "├───┼─────┤",
                "│ x │   1 │",
                "└───┴─────┘"
            ]
        );
    }

    #[test]
    fn a_narrow_table_wraps_its_widest_column() {
        let lines = table_text("| k | long words here |\n|---|---|\n| a | b |\n", 16);
        assert!(lines.iter().all(|l| text_width(l) <= 16), "{lines:#?}");
        let joined = lines.join("\n");
        for word in ["long", "words", "here"] {
            assert!(joined.contains(word), "{word} missing from {joined}");
        }
    }

    #[test]
    fn fit_widths_shrinks_the_widest_first() {
        assert_eq!(fit_widths(&[3, 30], 20), [3, 17]);
        assert_eq!(fit_widths(&[30, 30], 20), [10, 10]);
        assert_eq!(fit_widths(&[5, 5], 2), [1, 1]);
    }
}

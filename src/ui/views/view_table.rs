//! A view's table: columns sized to their cells, numbers right-aligned; when the table is
//! wider than the panel, the widest column gives way: its words wrap onto the row's next
//! lines (a number, or a word longer than the column, is cut with `…`, never silently).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::demo_runtime::view::Tone;
use crate::theme::Theme;
use crate::ui::wrap::{text_width, truncate, wrap};

/// Whether a cell reads as a number (so it aligns right): `12.5 ms`, `1,250`, `…`.
fn numeric(cell: &str) -> bool {
    let first = cell.trim_start().chars().next();
    matches!(first, Some(c) if c.is_ascii_digit() || c == '…' || c == '—')
        || (cell.starts_with('-') && cell[1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The table's lines at `width` columns.
pub fn lines(
    columns: &[String],
    rows: &[Vec<String>],
    tones: &[Tone],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let count = columns
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if count == 0 {
        return Vec::new();
    }
    let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
    let mut widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .map(|r| text_width(&cell(r, i)))
                .chain([text_width(&cell(columns, i))])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let gaps = 2 * (count - 1);
    while widths.iter().sum::<usize>() + gaps > width {
        let Some((widest, w)) = widths.iter().copied().enumerate().max_by_key(|(_, w)| *w) else {
            break;
        };
        if w <= 3 {
            break;
        }
        widths[widest] = w - 1;
    }
    let align_right: Vec<bool> = (0..count)
        .map(|i| {
            let cells: Vec<String> = rows
                .iter()
                .map(|r| cell(r, i))
                .filter(|c| !c.is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|c| numeric(c))
        })
        .collect();
    let line = |cells: &[String], style: ratatui::style::Style| {
        let spans: Vec<Span<'static>> = (0..count)
            .map(|i| {
                let w = widths[i];
                let text = truncate(&cell(cells, i), w);
                let pad = w.saturating_sub(text_width(&text));
                let gap = if i + 1 < count { "  " } else { "" };
                let padded = if align_right[i] {
                    format!("{}{text}{gap}", " ".repeat(pad))
                } else {
                    format!("{text}{}{gap}", " ".repeat(pad))
                };
                Span::styled(padded, style)
            })
            .collect();
        Line::from(spans)
    };
    // A row's text cells wrap in their columns; its other cells stay on its first line.
    let row_lines = |cells: &[String], style: ratatui::style::Style| -> Vec<Line<'static>> {
        let pieces: Vec<Vec<String>> = (0..count)
            .map(|i| {
                let text = cell(cells, i);
                if align_right[i] || text_width(&text) <= widths[i] {
                    return vec![text];
                }
                wrap(&[(text.as_str(), style)], widths[i])
                    .iter()
                    .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                    .collect()
            })
            .collect();
        let height = pieces.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (0..height)
            .map(|k| {
                let cells: Vec<String> = pieces
                    .iter()
                    .map(|p| p.get(k).cloned().unwrap_or_default())
                    .collect();
                line(&cells, style)
            })
            .collect()
    };
    let mut lines = Vec::new();
    if !columns.is_empty() {
        lines.push(line(
            columns,
            theme.muted.add_modifier(Modifier::UNDERLINED),
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        let tone = tones.get(i).copied().unwrap_or_default();
        lines.extend(row_lines(row, theme.tone(tone)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::ThemeName;

    #[test]
    fn numbers_align_right_and_narrow_tables_mark_what_they_cut() {
        let theme = Theme::new(ThemeName::Dark, false);
        let columns = vec!["method".to_string(), "start".to_string()];
        let rows = vec![
            vec!["fork".to_string(), "0.45 ms".to_string()],
            vec!["spawn".to_string(), "12.50 ms".to_string()],
        ];
        let text = |lines: Vec<Line<'_>>| -> Vec<String> {
            lines
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect()
        };
        let wide = text(lines(&columns, &rows, &[], 40, &theme));
        assert_eq!(wide[1], "fork     0.45 ms");
        assert_eq!(wide[2], "spawn   12.50 ms");
        let narrow = text(lines(&columns, &rows, &[], 10, &theme));
        assert!(narrow.iter().all(|l| text_width(l) <= 10), "{narrow:?}");
        assert!(narrow.iter().any(|l| l.contains('…')), "{narrow:?}");
    }

    #[test]
    fn words_that_do_not_fit_wrap_in_their_column() {
        let theme = Theme::new(ThemeName::Dark, false);
        let columns = vec!["pool".to_string(), "what happened".to_string()];
        let rows = vec![vec![
            "Pool".to_string(),
            "task 0 lost: map() would have waited forever".to_string(),
        ]];
        let text: Vec<String> = lines(&columns, &rows, &[], 30, &theme)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert!(text.iter().all(|l| text_width(l) <= 30), "{text:?}");
        assert!(
            !text.iter().any(|l| l.contains('…')),
            "nothing cut: {text:?}"
        );
        let all = text.join(" ");
        for word in ["task", "lost:", "would", "waited", "forever"] {
            assert!(all.contains(word), "{word} in {text:?}");
        }
        assert!(text[1].starts_with("Pool  "), "{text:?}");
        assert!(
            text[2].starts_with("      "),
            "continued under its column: {text:?}"
        );
    }
}

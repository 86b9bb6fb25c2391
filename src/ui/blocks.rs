//! Lays out lesson blocks as styled terminal lines for a given width.
//!
//! Layout happens here, not in ratatui's `Paragraph`, because lists need hanging indents and
//! the scroll logic needs to know the exact height of a slide before drawing it.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::inline_style::inline_style;
use super::markdown_table::table_lines;
use super::wrap::{text_width, wrap};
use crate::lesson::{Block, CodeBlock, Inline, List, Slide};
use crate::theme::Theme;

/// Bullet symbols by nesting depth.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

/// Every line of a slide, laid out for `width` columns: title, subtitle, then the blocks.
#[must_use]
pub fn slide_lines(slide: &Slide, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(title) = &slide.title {
        lines.extend(wrap(&[(title, theme.title)], width));
    }
    if let Some(subtitle) = &slide.subtitle {
        lines.extend(wrap(&[(subtitle, theme.subtitle)], width));
    }
    if !lines.is_empty() {
        let rule_width = lines.iter().map(Line::width).max().unwrap_or(0).min(width);
        lines.push(Line::styled("─".repeat(rule_width), theme.rule));
    }
    for block in &slide.blocks {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.extend(block_lines(block, width, theme));
    }
    lines
}

/// Lines for a sequence of blocks separated by blank lines (used for speaker notes).
#[must_use]
pub fn blocks_lines(blocks: &[Block], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.extend(block_lines(block, width, theme));
    }
    lines
}

fn block_lines(block: &Block, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    match block {
        Block::Heading { text, .. } => inline_lines(text, width, theme, theme.subtitle),
        Block::Paragraph(inlines) => inline_lines(inlines, width, theme, theme.text),
        Block::List(list) => list_lines(list, 0, width, theme),
        Block::Table(table) => table_lines(table, width, theme),
        Block::Code(code) => code_lines(code, width, theme),
        // A quote in a column already too narrow adds no further bar (see lists).
        Block::Quote(blocks) if width < MIN_NESTED_WIDTH => blocks_lines(blocks, width, theme),
        Block::Quote(blocks) => prefixed(
            blocks_lines(blocks, width.saturating_sub(2), theme),
            "│ ",
            "│ ",
            theme.muted,
        ),
        Block::Rule => vec![Line::styled("─".repeat(width), theme.rule)],
    }
}

fn inline_lines(
    inlines: &[Inline],
    width: usize,
    theme: &Theme,
    base: Style,
) -> Vec<Line<'static>> {
    let runs: Vec<(&str, Style)> = inlines
        .iter()
        .map(|i| (i.text.as_str(), inline_style(i, base, theme)))
        .collect();
    wrap(&runs, width)
}

/// Lists deeper than this are drawn at this depth's indentation.
const MAX_INDENTED_DEPTH: usize = 6;

/// The narrowest column a nested list is indented into.
const MIN_NESTED_WIDTH: usize = 8;

fn list_lines(list: &List, depth: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let last_number = list
        .start
        .map(|s| s + list.items.len().saturating_sub(1) as u64);
    let marker_width = last_number.map_or(1, |n| n.to_string().len() + 1);
    for (i, item) in list.items.iter().enumerate() {
        let marker = match list.start {
            Some(start) => format!("{:>w$}", format!("{}.", start + i as u64), w = marker_width),
            None => BULLETS[depth.min(BULLETS.len() - 1)].to_string(),
        };
        let indent = " ".repeat(marker_width + 1);
        let inner = width.saturating_sub(marker_width + 1);
        // Past a few levels (or when the column gets narrow) deeper lists stop indenting and
        // follow their item at its own level: a lesson nested a thousand deep still lays
        // out in linear time, and nothing is squeezed into a column too narrow to read.
        let indent_deeper = depth + 1 < MAX_INDENTED_DEPTH && inner >= MIN_NESTED_WIDTH;
        let mut item_lines = Vec::new();
        let mut hoisted = Vec::new();
        for block in item {
            match block {
                Block::List(nested) if indent_deeper => {
                    item_lines.extend(list_lines(nested, depth + 1, inner, theme));
                }
                Block::List(nested) => {
                    hoisted.extend(list_lines(nested, depth + 1, width, theme));
                }
                other => item_lines.extend(block_lines(other, inner, theme)),
            }
        }
        lines.extend(prefixed(
            item_lines,
            &format!("{marker} "),
            &indent,
            theme.bullet,
        ));
        lines.extend(hoisted);
    }
    lines
}

/// Prefixes the first line with `first` and the others with `rest`.
fn prefixed(
    lines: Vec<Line<'static>>,
    first: &str,
    rest: &str,
    style: Style,
) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let prefix = if i == 0 { first } else { rest };
            let mut spans = vec![Span::styled(prefix.to_string(), style)];
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

/// Code keeps its indentation and never re-flows; a line longer than the block continues on
/// the next screen line after a `↪` marker, so nothing is cut off. The language label sits at
/// the right end of the first line when it fits there, to save a row.
fn code_lines(code: &CodeBlock, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    const PAD: usize = 1;
    let inner = width.saturating_sub(2 * PAD).max(1);
    let label = code.lang.as_deref().unwrap_or("");
    let mut rows: Vec<(Vec<Span<'static>>, usize)> = Vec::new();
    for tokens in code.lines() {
        rows.push((Vec::new(), 0));
        for token in tokens {
            let style = theme.token(token.kind);
            for c in token.text.chars() {
                let overflows = rows
                    .last()
                    .is_some_and(|(spans, used)| width_with(spans, *used, c, style) > inner);
                if overflows {
                    rows.push((vec![Span::styled("↪ ", theme.code_label)], 2));
                }
                if let Some((spans, used)) = rows.last_mut() {
                    *used = width_with(spans, *used, c, style);
                    push_char(spans, c, style);
                }
            }
        }
    }
    let label_width = text_width(label);
    let label_fits = rows
        .first()
        .is_some_and(|(_, used)| used + 2 + label_width <= inner);
    if !label.is_empty() && !label_fits {
        rows.insert(0, (Vec::new(), 0));
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, (mut spans, used))| {
            let tail = if i == 0 { label_width } else { 0 };
            spans.insert(0, Span::styled(" ".repeat(PAD), theme.code));
            spans.push(Span::styled(
                " ".repeat(inner.saturating_sub(used + tail)),
                theme.code,
            ));
            if tail > 0 {
                spans.push(Span::styled(label.to_string(), theme.code_label));
            }
            spans.push(Span::styled(" ".repeat(PAD), theme.code));
            Line::from(spans)
        })
        .collect()
}

/// The width of `spans` (now `used` wide) with `c` appended in `style`, span by span as
/// ratatui measures it (only the last span can change).
fn width_with(spans: &[Span<'_>], used: usize, c: char, style: Style) -> usize {
    match spans.last() {
        Some(last) if last.style == style => {
            let mut longer = last.content.to_string();
            longer.push(c);
            used - last.width() + text_width(&longer)
        }
        _ => used + text_width(c.encode_utf8(&mut [0; 4])),
    }
}

fn push_char(spans: &mut Vec<Span<'static>>, c: char, style: Style) {
    if let Some(last) = spans.last_mut()
        && last.style == style
    {
        last.content.to_mut().push(c);
        return;
    }
    spans.push(Span::styled(c.to_string(), style));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::parse;
    use crate::theme::ThemeName;

    fn render(markdown: &str, width: usize) -> Vec<String> {
        let lesson = parse(markdown).lesson;
        let theme = Theme::new(ThemeName::Dark, false);
        slide_lines(&lesson.slides[0], width, &theme)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn bullets_hang_and_nest() {
        let lines = render("## T\n\n- one two three four\n  - five six\n", 12);
        assert_eq!(
            lines,
            ["T", "─", "", "• one two", "  three four", "  ◦ five six"]
        );
    }

    #[test]
    fn numbered_lists_align_their_numbers() {
        let lines = render("## T\n\n9. a\n10. b\n", 20);
        assert_eq!(&lines[3..], [" 9. a", "10. b"]);
    }

    #[test]
    fn long_code_lines_continue_rather_than_vanish() {
        let lines = render("## T\n\n```python\nx = 1234567890\n```\n", 10);
        assert_eq!(&lines[3..], ["   python ", " x = 1234 ", " ↪ 567890 "]);
        let lines = render("## T\n\n```python\nx = 1\ny = 2\n```\n", 16);
        assert_eq!(&lines[3..], [" x = 1   python ", " y = 2          "]);
    }

    #[test]
    fn quotes_are_marked() {
        let lines = render("## T\n\n> wise words\n", 20);
        assert_eq!(lines[3], "│ wise words");
    }
}

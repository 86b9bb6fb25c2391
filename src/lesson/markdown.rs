//! Markdown (`CommonMark` with tables) to the lesson's [`Block`] model, via `pulldown-cmark`.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::model::{Align, Block, CodeBlock, Inline, InlineStyle, List, Table};

/// Parses Markdown into blocks. Never fails: Markdown has no syntax errors, only surprises.
#[must_use]
pub fn parse_blocks(markdown: &str) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut builder = Builder {
        stack: vec![Frame::Blocks(Vec::new())],
        ..Builder::default()
    };
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// A container being filled while its Markdown is open.
enum Frame {
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
}

#[derive(Default)]
struct TableBuilder {
    align: Vec<Align>,
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
}

/// Emphasis nesting depths; a run is bold while `bold > 0`, and so on.
#[derive(Default)]
struct Depths {
    bold: u32,
    italic: u32,
    strike: u32,
    link: u32,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Containers opened past [`MAX_NESTING`], whose content joins the deepest kept one.
    flattened: usize,
    inline: Vec<Inline>,
    depths: Depths,
    table: Option<TableBuilder>,
    /// The open code block: its language, whether it is marked `norun`, and its text so far.
    code: Option<(Option<String>, bool, String)>,
}

/// Deepest nesting of quotes, lists and items kept as structure (24 levels of lists). Deeper
/// content is kept, as part of the deepest container: the model, its layout and even
/// dropping it are recursive, and a lesson nested 100,000 deep must not overflow the stack.
const MAX_NESTING: usize = 48;

impl Builder {
    fn too_deep(&self) -> bool {
        self.flattened > 0 || self.stack.len() >= MAX_NESTING
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match &mut self.code {
                Some((_, _, code)) => code.push_str(&text),
                None => self.text(&text, false),
            },
            Event::Code(text) => self.text(&text, true),
            Event::Html(html) | Event::InlineHtml(html) => {
                self.text(html.trim_end_matches('\n'), false);
            }
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            Event::Rule => self.push_block(Block::Rule),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, false),
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]"), false),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math, true),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Strong => self.depths.bold += 1,
            Tag::Emphasis => self.depths.italic += 1,
            Tag::Strikethrough => self.depths.strike += 1,
            Tag::Link { .. } => self.depths.link += 1,
            Tag::Image { .. } => self.text("[image: ", false),
            Tag::BlockQuote(_) | Tag::List(_) | Tag::Item if self.too_deep() => {
                self.flush_paragraph();
                self.flattened += 1;
            }
            Tag::BlockQuote(_) => {
                self.flush_paragraph();
                self.stack.push(Frame::Quote(Vec::new()));
            }
            Tag::List(start) => {
                self.flush_paragraph();
                self.stack.push(Frame::List {
                    start,
                    items: Vec::new(),
                });
            }
            Tag::Item => self.stack.push(Frame::Item(Vec::new())),
            Tag::CodeBlock(kind) => {
                self.flush_paragraph();
                let (lang, norun) = match kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split_whitespace().next().map(str::to_ascii_lowercase),
                        info.split_whitespace().skip(1).any(|word| word == "norun"),
                    ),
                    CodeBlockKind::Indented => (None, false),
                };
                self.code = Some((lang, norun, String::new()));
            }
            Tag::Table(align) => {
                self.flush_paragraph();
                let align = align.iter().map(|a| convert_alignment(*a)).collect();
                self.table = Some(TableBuilder {
                    align,
                    ..TableBuilder::default()
                });
            }
            Tag::Paragraph | Tag::Heading { .. } => self.flush_paragraph(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item if self.flattened > 0 => {
                self.flush_paragraph();
                self.flattened -= 1;
            }
            TagEnd::Strong => self.depths.bold = self.depths.bold.saturating_sub(1),
            TagEnd::Emphasis => self.depths.italic = self.depths.italic.saturating_sub(1),
            TagEnd::Strikethrough => self.depths.strike = self.depths.strike.saturating_sub(1),
            TagEnd::Link => self.depths.link = self.depths.link.saturating_sub(1),
            TagEnd::Image => self.text("]", false),
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.flush_paragraph(),
            TagEnd::Heading(level) => {
                let text = std::mem::take(&mut self.inline);
                self.push_block(Block::Heading {
                    level: level as u8,
                    text,
                });
            }
            TagEnd::BlockQuote(_) => {
                self.flush_paragraph();
                if let Some(Frame::Quote(blocks)) = self.stack.pop() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::Item => {
                self.flush_paragraph();
                if let Some(Frame::Item(blocks)) = self.stack.pop()
                    && let Some(Frame::List { items, .. }) = self.stack.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::List(_) => {
                if let Some(Frame::List { start, items }) = self.stack.pop() {
                    self.push_block(Block::List(List { start, items }));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, norun, code)) = self.code.take() {
                    let mut block = CodeBlock::new(lang, code);
                    block.norun = norun;
                    self.push_block(Block::Code(block));
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(table) = &mut self.table {
                    table.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header = std::mem::take(&mut table.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let table = Table {
                        align: t.align,
                        header: t.header,
                        rows: t.rows,
                    };
                    self.push_block(Block::Table(table));
                }
            }
            _ => {}
        }
    }

    /// Appends text in the current style, merging with the previous run when styles match.
    fn text(&mut self, text: &str, code: bool) {
        if text.is_empty() {
            return;
        }
        let style = InlineStyle {
            bold: self.depths.bold > 0,
            italic: self.depths.italic > 0,
            strike: self.depths.strike > 0,
            link: self.depths.link > 0,
            code,
        };
        match self.inline.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => self.inline.push(Inline {
                text: text.to_string(),
                style,
            }),
        }
    }

    /// Turns pending inline text into a paragraph (tight list items have no paragraph tags).
    fn flush_paragraph(&mut self) {
        if self.table.is_some() {
            return;
        }
        let inline = std::mem::take(&mut self.inline);
        if inline.iter().any(|i| !i.text.trim().is_empty()) {
            self.push_block(Block::Paragraph(inline));
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Blocks(blocks) | Frame::Quote(blocks) | Frame::Item(blocks)) => {
                blocks.push(block);
            }
            // Blocks never sit directly in a list, but keep them rather than lose text.
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            None => self.stack.push(Frame::Blocks(vec![block])),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_paragraph();
        let mut blocks = Vec::new();
        // Unwind anything left open so no text is lost.
        while let Some(frame) = self.stack.pop() {
            let inner = match frame {
                Frame::Blocks(b) | Frame::Quote(b) | Frame::Item(b) => b,
                Frame::List { start, items } => vec![Block::List(List { start, items })],
            };
            blocks.splice(0..0, inner);
        }
        blocks
    }
}

fn convert_alignment(alignment: Alignment) -> Align {
    match alignment {
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
        Alignment::None | Alignment::Left => Align::Left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::plain_text;

    fn para(blocks: &[Block]) -> String {
        match blocks.first() {
            Some(Block::Paragraph(inlines)) => plain_text(inlines),
            other => panic!("expected a paragraph, got {other:?}"),
        }
    }

    #[test]
    fn nested_bullets_keep_their_structure() {
        let blocks = parse_blocks("- one\n  - one.a\n- two **bold** `code`\n");
        let [Block::List(list)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(list.start, None);
        assert_eq!(list.items.len(), 2);
        assert_eq!(para(&list.items[0]), "one");
        let Block::List(inner) = &list.items[0][1] else {
            panic!("{:?}", list.items[0])
        };
        assert_eq!(para(&inner.items[0]), "one.a");
        let Block::Paragraph(inlines) = &list.items[1][0] else {
            panic!()
        };
        assert!(inlines.iter().any(|i| i.style.bold && i.text == "bold"));
        assert!(inlines.iter().any(|i| i.style.code && i.text == "code"));
    }

    #[test]
    fn tables_keep_header_rows_and_alignment() {
        let blocks = parse_blocks("| A | B |\n|:--|--:|\n| 1 | *2* |\n| 3 | 4 |\n");
        let [Block::Table(table)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.align, [Align::Left, Align::Right]);
        assert_eq!(plain_text(&table.header[1]), "B");
        assert_eq!(table.rows.len(), 2);
        assert!(table.rows[0][1][0].style.italic);
    }

    #[test]
    fn fenced_python_is_highlighted_and_numbered_lists_keep_their_start() {
        let blocks = parse_blocks("3. x\n4. y\n\n```python\nimport os\n```\n");
        let Block::List(list) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(list.start, Some(3));
        let Block::Code(code) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(code.lang.as_deref(), Some("python"));
        assert_eq!(code.lines().len(), 1);
    }

    #[test]
    fn headings_quotes_and_rules_are_blocks() {
        let blocks = parse_blocks("### Sub\n\n> quoted\n\n***\n\nend\n");
        assert!(matches!(&blocks[0], Block::Heading { level: 3, .. }));
        assert!(matches!(&blocks[1], Block::Quote(q) if para(q) == "quoted"));
        assert_eq!(blocks[2], Block::Rule);
        assert_eq!(para(&blocks[3..]), "end");
    }
}

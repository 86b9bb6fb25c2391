//! The terminal-free lesson model: what a slide says, not how it is drawn.

use serde::Deserialize;

use super::highlight::{self, CodeToken};

/// A whole lecture: its front matter and its slides, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Title, lecture number and other facts from the TOML front matter.
    pub meta: LessonMeta,
    /// The slides, in presentation order. A valid lesson has at least one.
    pub slides: Vec<Slide>,
    /// The directory the lesson's own demo scripts are relative to: the lesson file's;
    /// `None` for the built-in lecture and lessons made in memory.
    pub base: Option<std::path::PathBuf>,
}

/// The TOML front matter between the `+++` lines at the top of a lesson file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    /// The lecture's title, shown in the footer.
    pub title: String,
    /// The lecture's number in its course, shown before the title.
    pub lecture: Option<u32>,
    /// A second line for the title.
    pub subtitle: Option<String>,
    /// Who wrote or gives the lecture.
    pub author: Option<String>,
    /// The course the lecture belongs to.
    pub course: Option<String>,
    /// The date or term, as free text.
    pub date: Option<String>,
    /// Planned length of the lecture in minutes, shown next to the timer.
    pub duration_minutes: Option<u32>,
    /// The lesson's own demos (`[[demo]]`), Python programs beside the lesson file.
    #[serde(default, rename = "demo")]
    pub demos: Vec<super::demo_decl::DemoDecl>,
}

impl Lesson {
    /// Every Python code block, slide by slide (text, then notes), depth first — the order
    /// in which highlighting done elsewhere is handed back.
    #[must_use]
    pub fn python_blocks(&self) -> Vec<&CodeBlock> {
        let mut found = Vec::new();
        for slide in &self.slides {
            python_blocks_in(&slide.blocks, &mut found);
            python_blocks_in(&slide.notes, &mut found);
        }
        found
    }

    /// Hands lines highlighted elsewhere to the Python blocks not highlighted yet, in the
    /// order of [`python_blocks`](Self::python_blocks); returns how many took them.
    #[must_use = "nothing to redraw when no block took them"]
    pub fn take_highlighted(&self, lines: Vec<Vec<Vec<CodeToken>>>) -> usize {
        self.python_blocks()
            .into_iter()
            .filter(|code| !code.is_highlighted())
            .zip(lines)
            .filter(|(code, lines)| code.set_highlighted(lines.clone()))
            .count()
    }
}

/// Adds the Python code blocks among `blocks` (inside quotes and lists too) to `found`, in
/// order.
pub fn python_blocks_in<'a>(blocks: &'a [Block], found: &mut Vec<&'a CodeBlock>) {
    for block in blocks {
        match block {
            Block::Code(code) if code.is_python() => found.push(code),
            Block::Quote(inner) => python_blocks_in(inner, found),
            Block::List(list) => list
                .items
                .iter()
                .for_each(|item| python_blocks_in(item, found)),
            _ => {}
        }
    }
}

impl LessonMeta {
    /// "Lecture 25 · Title", or just the title when there is no number.
    #[must_use]
    pub fn display_title(&self) -> String {
        match self.lecture {
            Some(n) => format!("Lecture {n} · {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// One slide: a heading, an optional subtitle, content blocks, demos and speaker notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// 1-based line in the source file where the slide's text starts.
    pub line: usize,
    /// The slide's first heading, if it has one.
    pub title: Option<String>,
    /// A bold line or lower heading right after the title.
    pub subtitle: Option<String>,
    /// Everything else on the slide, in order.
    pub blocks: Vec<Block>,
    /// Demos attached with `<!-- demo: NAME key=value -->`.
    pub demos: Vec<DemoDirective>,
    /// Speaker notes from `<!-- notes: ... -->`, parsed as Markdown.
    pub notes: Vec<Block>,
    /// Checkable claims stated on the slide (`<!-- claim: ... -->`).
    pub claims: Vec<ClaimDirective>,
    /// Whether the slide's panel shows the lecture's verdicts (`<!-- verdicts: -->`).
    pub verdicts: bool,
}

/// A block of slide content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading below the slide title (level 1–6).
    Heading {
        /// Markdown heading level.
        level: u8,
        /// The heading text.
        text: Vec<Inline>,
    },
    /// A paragraph of inline text.
    Paragraph(Vec<Inline>),
    /// A bulleted or numbered list.
    List(List),
    /// A table with a header row.
    Table(Table),
    /// A fenced or indented code block.
    Code(CodeBlock),
    /// A block quote.
    Quote(Vec<Block>),
    /// A horizontal rule (`***` or `___`; `---` separates slides).
    Rule,
}

/// A list; items may hold nested lists.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of an ordered list, `None` for bullets.
    pub start: Option<u64>,
    /// The items, each a sequence of blocks (text, then any nested list).
    pub items: Vec<Vec<Block>>,
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left-aligned (the default).
    Left,
    /// Centred.
    Center,
    /// Right-aligned.
    Right,
}

/// A table: header cells, body rows, one alignment per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Alignment of each column.
    pub align: Vec<Align>,
    /// The header row's cells.
    pub header: Vec<Vec<Inline>>,
    /// Body rows, each a list of cells.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A code block: its source, highlighted into lines of tokens the first time it is shown —
/// a 10 MB lesson with thousands of code blocks opens without highlighting them all.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The info string's language (`python`), if any.
    pub lang: Option<String>,
    /// The code as written.
    pub source: String,
    /// Marked not to be run (```` ```python norun ````): the snippet key says so instead.
    pub norun: bool,
    highlighted: std::sync::OnceLock<Vec<Vec<CodeToken>>>,
    /// The lines unhighlighted, for a process that highlights elsewhere (see
    /// [`highlight_elsewhere`](super::highlight::highlight_elsewhere)) until the result comes.
    plain: std::sync::OnceLock<Vec<Vec<CodeToken>>>,
}

impl CodeBlock {
    /// A block of `source` in `lang`.
    #[must_use]
    pub fn new(lang: Option<String>, source: String) -> Self {
        Self {
            lang,
            source,
            norun: false,
            highlighted: std::sync::OnceLock::new(),
            plain: std::sync::OnceLock::new(),
        }
    }

    /// One entry per source line, highlighted on first use — or, in a process that
    /// highlights elsewhere, plain until [`set_highlighted`](Self::set_highlighted) is given
    /// the result.
    #[must_use]
    pub fn lines(&self) -> &[Vec<CodeToken>] {
        if let Some(lines) = self.highlighted.get() {
            return lines;
        }
        if highlight::here() || !self.is_python() {
            return self
                .highlighted
                .get_or_init(|| highlight::highlight(self.lang.as_deref(), &self.source));
        }
        self.plain
            .get_or_init(|| highlight::highlight(None, &self.source))
    }

    /// Takes the block's highlighted lines from elsewhere (a helper process); `false` if it
    /// already had some.
    pub fn set_highlighted(&self, lines: Vec<Vec<CodeToken>>) -> bool {
        self.highlighted.set(lines).is_ok()
    }

    /// Whether the block's highlighted lines are known.
    #[must_use]
    pub fn is_highlighted(&self) -> bool {
        self.highlighted.get().is_some()
    }
}

impl CodeBlock {
    /// Whether the block is Python code (highlighted as such; `o` runs it unless `norun`).
    #[must_use]
    pub fn is_python(&self) -> bool {
        highlight::is_python(self.lang.as_deref())
    }
}

impl PartialEq for CodeBlock {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.source == other.source && self.norun == other.norun
    }
}

/// A run of inline text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// The text; `\n` marks a hard line break.
    pub text: String,
    /// How the text is emphasised.
    pub style: InlineStyle,
}

/// Emphasis flags of an inline run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent Markdown emphasis flags"
)]
pub struct InlineStyle {
    /// `**strong**`
    pub bold: bool,
    /// `*emphasis*`
    pub italic: bool,
    /// `` `code` ``
    pub code: bool,
    /// `~~strikethrough~~`
    pub strike: bool,
    /// Link text.
    pub link: bool,
}

/// A demo attached to a slide: `<!-- demo: NAME key=value ... -->`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDirective {
    /// The demo's name in the catalog (`start-methods`).
    pub name: String,
    /// Parameters in the order written.
    pub params: Vec<(String, String)>,
    /// What this variant of the demo is called on the slide (`title="The convoy effect"`).
    pub title: Option<String>,
    /// The engine Enter runs it on whatever the session's engine (`engine=native`), when the
    /// demo's point needs that engine.
    pub engine: Option<String>,
    /// Where the directive's name is, for later validation messages.
    pub line: usize,
    /// Column of the demo name.
    pub col: usize,
}

/// A claim the lesson makes, checkable against a demo's result:
/// `<!-- claim: DEMO key=value... result=KEY expect=EXPR text="..." -->`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimDirective {
    /// The demo that measures it.
    pub demo: String,
    /// The demo's parameters for the measuring run, in the order written.
    pub params: Vec<(String, String)>,
    /// The result that is checked.
    pub result: String,
    /// What the result must be, as written (`50..200`, `<1`, `true`, `<0.5*sequential_ms`).
    pub expect: String,
    /// The unit the value is shown in, if any (`ms`).
    pub unit: Option<String>,
    /// The claim in the lesson's words.
    pub text: String,
    /// Where the demo name is.
    pub line: usize,
    /// Column of the demo name.
    pub col: usize,
    /// Where `result=` is.
    pub result_pos: (usize, usize),
    /// Where `expect=` is.
    pub expect_pos: (usize, usize),
    /// The question asked before the claim's demo runs, if the claim carries one (boxed:
    /// most claims have none).
    pub question: Option<Box<QuestionDirective>>,
}

/// `ask="…"` on a claim: a question the learner answers before the demo runs, and how the
/// measured value answers it (checked against the demo by `lectern check`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDirective {
    /// The prompt, in the lesson's words.
    pub prompt: String,
    /// The options of a choice question (`choices="faster|about the same|slower"`); none for
    /// a question answered with a number.
    pub choices: Vec<String>,
    /// One rule per choice on the claim's result, as written (`decide=">1.2|0.8..1.2|<0.8"`);
    /// none when the first of two choices means the claim holds and the second that it
    /// does not.
    pub decide: Vec<String>,
    /// How far a number answer may be from the measurement and still be close, as written
    /// (`close=2`: within a factor of 2).
    pub close: Option<String>,
    /// Where `ask=` is.
    pub pos: (usize, usize),
    /// Where `decide=` is, when given.
    pub decide_pos: (usize, usize),
}

/// Concatenates the text of inline runs, dropping styles.
#[must_use]
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines.iter().map(|inline| inline.text.as_str()).collect()
}

//! Syntax highlighting of code blocks, done once at load time with tree-sitter.
//!
//! The model stores token kinds, not colours, so themes stay free to style them and the
//! renderer never re-parses code.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

use serde::{Deserialize, Serialize};

/// Capture names we colour, and the kind each maps to. tree-sitter picks the longest matching
/// name, so `function.builtin` wins over `function` for `print`.
const CAPTURES: &[(&str, TokenKind)] = &[
    ("keyword", TokenKind::Keyword),
    ("string", TokenKind::String),
    ("escape", TokenKind::String),
    ("comment", TokenKind::Comment),
    ("number", TokenKind::Number),
    ("function", TokenKind::Function),
    ("function.builtin", TokenKind::Builtin),
    ("constant", TokenKind::Constant),
    ("constant.builtin", TokenKind::Constant),
    ("operator", TokenKind::Operator),
    ("type", TokenKind::Type),
    ("constructor", TokenKind::Type),
];

/// A run of code text of one syntactic kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeToken {
    /// What the text is, for colouring.
    pub kind: TokenKind,
    /// The text itself (never contains a newline).
    pub text: String,
}

/// Syntactic kinds the highlighter distinguishes; the theme gives each a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// Anything not otherwise classified.
    Plain,
    /// `def`, `if`, `with`, ...
    Keyword,
    /// String literals.
    String,
    /// Comments.
    Comment,
    /// Numeric literals.
    Number,
    /// Function names in definitions and calls, and decorators.
    Function,
    /// Built-in functions such as `print` and `range`.
    Builtin,
    /// `None`, `True`, `False` and `ALL_CAPS` names.
    Constant,
    /// Operators, including `and`, `in`, `not`.
    Operator,
    /// Class-like names.
    Type,
}

/// Whether a code block's language names Python.
#[must_use]
pub fn is_python(lang: Option<&str>) -> bool {
    matches!(lang, Some("python" | "py" | "python3"))
}

/// Whether this process highlights Python itself (the default).
static HERE: AtomicBool = AtomicBool::new(true);

/// From now on this process does not run the highlighter itself: Python blocks show plain
/// until their highlighted lines are handed over (`CodeBlock::set_highlighted`). The lecture's
/// UI calls it so tree-sitter's grammar and query (about 3 MiB resident) stay in a short-lived
/// helper process (`lectern worker highlight`) instead of in the UI for the whole lecture.
pub fn highlight_elsewhere() {
    HERE.store(false, Ordering::Relaxed);
}

/// Whether this process highlights Python itself.
#[must_use]
pub fn here() -> bool {
    HERE.load(Ordering::Relaxed)
}

/// Spaces a tab expands to, so widths are predictable in the terminal.
const TAB: &str = "    ";

/// Splits `code` into lines of tokens, highlighting it when `lang` names Python.
#[must_use]
pub fn highlight(lang: Option<&str>, code: &str) -> Vec<Vec<CodeToken>> {
    let code = code.replace('\t', TAB);
    let code = code.strip_suffix('\n').unwrap_or(&code);
    let is_python = is_python(lang);
    let tokens = is_python.then(|| python_tokens(code)).flatten();
    let tokens = tokens.unwrap_or_else(|| vec![(TokenKind::Plain, code.to_string())]);
    split_lines(tokens)
}

fn python_config() -> Option<&'static HighlightConfiguration> {
    static CONFIG: OnceLock<Option<HighlightConfiguration>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let language = tree_sitter_python::LANGUAGE.into();
            let query = tree_sitter_python::HIGHLIGHTS_QUERY;
            let mut config = HighlightConfiguration::new(language, "python", query, "", "").ok()?;
            let names: Vec<&str> = CAPTURES.iter().map(|(name, _)| *name).collect();
            config.configure(&names);
            Some(config)
        })
        .as_ref()
}

/// Tokens of Python `code`, or `None` if the highlighter could not run (then the code is
/// shown plain rather than not at all).
fn python_tokens(code: &str) -> Option<Vec<(TokenKind, String)>> {
    let config = python_config()?;
    let mut highlighter = Highlighter::new();
    let events = highlighter
        .highlight(config, code.as_bytes(), None, None, |_| None)
        .ok()?;
    let mut kinds: Vec<TokenKind> = Vec::new();
    let mut tokens = Vec::new();
    for event in events {
        match event.ok()? {
            HighlightEvent::HighlightStart(h) => kinds.push(CAPTURES.get(h.0)?.1),
            HighlightEvent::HighlightEnd => {
                kinds.pop();
            }
            HighlightEvent::Source { start, end } => {
                let kind = kinds.last().copied().unwrap_or(TokenKind::Plain);
                tokens.push((kind, code.get(start..end)?.to_string()));
            }
        }
    }
    Some(tokens)
}

/// Breaks tokens at newlines into lines, merging neighbours of the same kind.
fn split_lines(tokens: Vec<(TokenKind, String)>) -> Vec<Vec<CodeToken>> {
    let mut lines: Vec<Vec<CodeToken>> = vec![Vec::new()];
    for (kind, text) in tokens {
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                lines.push(Vec::new());
            }
            if piece.is_empty() {
                continue;
            }
            let Some(line) = lines.last_mut() else {
                continue;
            };
            match line.last_mut() {
                Some(last) if last.kind == kind => last.text.push_str(piece),
                _ => line.push(CodeToken {
                    kind,
                    text: piece.to_string(),
                }),
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_of(line: &[CodeToken]) -> Vec<(TokenKind, &str)> {
        line.iter().map(|t| (t.kind, t.text.as_str())).collect()
    }

    #[test]
    fn python_keywords_strings_and_builtins_are_classified() {
        let lines = highlight(Some("python"), "def f(x):\n    print(\"hi\")  # greet\n");
        assert_eq!(lines.len(), 2);
        let first = kinds_of(&lines[0]);
        assert!(first.contains(&(TokenKind::Keyword, "def")), "{first:?}");
        assert!(first.contains(&(TokenKind::Function, "f")), "{first:?}");
        let second = kinds_of(&lines[1]);
        assert!(
            second.contains(&(TokenKind::Builtin, "print")),
            "{second:?}"
        );
        assert!(
            second.contains(&(TokenKind::String, "\"hi\"")),
            "{second:?}"
        );
        assert!(
            second.contains(&(TokenKind::Comment, "# greet")),
            "{second:?}"
        );
    }

    #[test]
    fn other_languages_stay_plain_and_keep_every_character() {
        let code = "a\tb\n\nc\n";
        let lines = highlight(Some("text"), code);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|t| t.text.as_str()).collect())
            .collect();
        assert_eq!(text, ["a    b", "", "c"]);
        assert!(lines.iter().flatten().all(|t| t.kind == TokenKind::Plain));
    }

    #[test]
    fn broken_python_still_shows_all_its_text() {
        let code = "def (:\n  ]]] 'unterminated";
        let lines = highlight(Some("py"), code);
        let text: String = lines
            .iter()
            .map(|l| l.iter().map(|t| t.text.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(text, code);
    }
}

//! The words of a directive: `key=value` tokens (a quoted value may hold spaces), names,
//! unquoting, and where in the file a word of a comment is.

use super::diagnostic::Pos;
use super::scan::Comment;

/// Whether `text` is a lower-case name whose words are joined by `joiner` (`start-methods`,
/// `task_us`).
pub(super) fn is_identifier(text: &str, joiner: char) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == joiner)
}

/// A value without its double quotes, if it has them.
pub(super) fn unquote(value: &str) -> Result<String, String> {
    match value.strip_prefix('"') {
        None => Ok(value.to_string()),
        Some(inner) => inner
            .strip_suffix('"')
            .map(str::to_string)
            .ok_or_else(|| "the value's double quote is never closed".to_string()),
    }
}

/// Whitespace-separated tokens of `text[from..]` with their byte offsets in `text`; a
/// `key="…"` token runs to its closing quote, spaces included.
pub(super) fn tokens(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = from;
    std::iter::from_fn(move || {
        let rest = &text[at..];
        let skip = rest.len() - rest.trim_start().len();
        let start = at + skip;
        if start >= text.len() {
            return None;
        }
        let token = &text[start..];
        let len = match token.find("=\"") {
            Some(eq) if token[..eq].find(char::is_whitespace).is_none() => {
                let value = eq + 2;
                token[value..]
                    .find('"')
                    .map_or(token.len(), |close| value + close + 1)
            }
            _ => token.find(char::is_whitespace).unwrap_or(token.len()),
        };
        at = start + len;
        Some((start, &text[start..start + len]))
    })
}

/// The position of byte `offset` of a comment's body in the file.
pub(super) fn offset_pos(comment: &Comment, offset: usize) -> Pos {
    let before = &comment.body[..offset];
    match before.rfind('\n') {
        None => Pos::new(
            comment.body_start.line,
            comment.body_start.col + before.chars().count(),
        ),
        Some(last) => Pos::new(
            comment.body_start.line + before.matches('\n').count(),
            before[last + 1..].chars().count() + 1,
        ),
    }
}

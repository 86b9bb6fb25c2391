//! `lectern check` reads a slide's Python too: each ```` ```python ```` block (on a slide or in
//! its notes) is parsed with the tree-sitter Python grammar lectern already links for
//! highlighting, and a block that does not parse is a warning at the first error's place —
//! found while writing, not when `o` fails in front of the room. No Python is run or needed.
//! Blocks marked `norun` are fragments on purpose and are left alone.

use tree_sitter::{Node, Parser};

use super::diagnostic::{Diagnostic, Pos};

/// A fenced Python block of the lesson's text: its first line (1-based), the column its
/// fence is indented by, and its source.
struct Fenced {
    first_line: usize,
    indent: usize,
    source: String,
}

/// Every fenced Python block of `text` not marked `norun`.
fn python_blocks(text: &str) -> Vec<Fenced> {
    let mut blocks = Vec::new();
    // The fence that is open, and the block it holds (`first_line` 0: not one to check).
    let mut open: Option<(String, Fenced)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((fence, block)) = &mut open {
            let closes = trimmed.starts_with(fence.as_str())
                && trimmed.trim_end().chars().all(|c| fence.starts_with(c));
            if !closes {
                block.source.push_str(&line[indent.min(block.indent)..]);
                block.source.push('\n');
            } else if let Some((_, done)) = open.take()
                && done.first_line > 0
            {
                blocks.push(done);
            }
            continue;
        }
        let fence_len = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .count();
        if fence_len < 3 {
            continue;
        }
        let info = trimmed[fence_len..].trim();
        let python = info
            .split_whitespace()
            .next()
            .is_some_and(|w| super::highlight::is_python(Some(w)));
        let wanted = python && !info.split_whitespace().any(|w| w == "norun");
        open = Some((
            trimmed[..fence_len].to_string(),
            Fenced {
                first_line: if wanted { i + 2 } else { 0 },
                indent,
                source: String::new(),
            },
        ));
    }
    blocks
}

/// The first node of `node`'s tree that is an error or a missing token, depth first.
fn first_error(node: Node<'_>) -> Option<Node<'_>> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    if !node.has_error() {
        return None;
    }
    let mut cursor = node.walk();
    node.children(&mut cursor).find_map(first_error)
}

/// A warning for each Python block of `text` that does not parse.
#[must_use]
pub fn check(text: &str) -> Vec<Diagnostic> {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for block in python_blocks(text) {
        let Some(tree) = parser.parse(&block.source, None) else {
            continue;
        };
        let Some(error) = first_error(tree.root_node()) else {
            continue;
        };
        let at = error.start_position();
        let what = if error.is_missing() {
            format!("`{}` is missing", error.kind())
        } else {
            let text = block.source.get(error.byte_range()).unwrap_or("").trim();
            let shown: String = text.chars().take(30).collect();
            if shown.is_empty() {
                "it ends too early".to_string()
            } else {
                format!("`{shown}` does not parse")
            }
        };
        problems.push(Diagnostic::warning(
            Pos::new(block.first_line + at.row, block.indent + at.column + 1),
            format!(
                "this Python block has a syntax error: {what} (mark it ```python norun if it \
                 is a fragment on purpose)"
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_that_does_not_parse_is_a_warning_at_its_place() {
        let text =
            "## A\n\n```python\np = 1\np.start(); p.join(\n```\n\n```python\nprint(1)\n```\n";
        let problems = check(text);
        let [problem] = problems.as_slice() else {
            panic!("{problems:?}")
        };
        assert_eq!(problem.line, 5, "{problem}");
        assert!(problem.message.contains("syntax error"), "{problem}");
    }

    #[test]
    fn fragments_other_languages_and_indented_blocks_in_lists_are_read_rightly() {
        let text = "## A\n\n```python norun\ndef f(:\n```\n\n```rust\nfn main( {\n```\n\n\
                    - item\n\n  ```python\n  if True:\n      print(1)\n  ```\n";
        assert!(check(text).is_empty(), "{:?}", check(text));
        let broken = "- item\n\n  ```python\n  if True\n      print(1)\n  ```\n";
        let problems = check(broken);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 4);
    }

    #[test]
    fn every_block_of_lecture_25_parses() {
        assert!(check(super::super::EMBEDDED_SOURCE).is_empty());
    }
}

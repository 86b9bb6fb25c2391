//! Problems found in a lesson file, each pinned to a 1-based line and column.

use std::fmt;

/// How bad a problem is: errors stop a lesson from being presented, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth fixing, but the lesson still presents correctly.
    Warning,
    /// The lesson cannot be presented as written.
    Error,
}

/// One problem in a lesson source, located by line and column (both 1-based, columns in
/// characters, the way editors count them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub col: usize,
    /// Whether the problem blocks presenting the lesson.
    pub severity: Severity,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// Checks that the position points inside `text`: the line is one of its `\n`-separated
    /// lines and the column at most one past that line's last character (the end of a line
    /// is a place an editor can put the cursor). Says what is wrong otherwise. The property
    /// the parser's tests and fuzz targets hold every diagnostic to.
    ///
    /// # Errors
    /// Which of the two is outside, and what it is outside of.
    pub fn check_inside(&self, text: &str) -> Result<(), String> {
        let lines = text.split('\n').count().max(1);
        if self.line < 1 || self.line > lines {
            return Err(format!("line {} outside 1..={lines}: {self}", self.line));
        }
        let line_len = text
            .split('\n')
            .nth(self.line - 1)
            .map_or(0, |l| l.chars().count());
        if self.col < 1 || self.col > line_len + 1 {
            return Err(format!(
                "col {} outside line {} (of {line_len} chars): {self}",
                self.col, self.line
            ));
        }
        Ok(())
    }

    /// An error at `pos`.
    pub fn error(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            line: pos.line,
            col: pos.col,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `pos`.
    pub fn warning(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            line: pos.line,
            col: pos.col,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    #[must_use]
    /// Formats the diagnostic as `PATH:LINE:COL: severity: message`, the shape editors and
    /// terminals turn into clickable locations.
    pub fn with_path<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        WithPath {
            path,
            diagnostic: self,
        }
    }
}

struct WithPath<'a> {
    path: &'a str,
    diagnostic: &'a Diagnostic,
}

impl fmt::Display for WithPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.diagnostic)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}: {severity}: {}",
            self.line, self.col, self.message
        )
    }
}

/// A 1-based position in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
}

impl Pos {
    /// The very start of a file.
    pub const START: Pos = Pos { line: 1, col: 1 };

    /// A position from 1-based line and column.
    #[must_use]
    pub const fn new(line: usize, col: usize) -> Self {
        Self { line, col }
    }
}

/// Converts byte offsets in a text to line/column positions.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, line_starts }
    }

    /// The position of byte `offset` (clamped to the text, snapped back to a char boundary).
    #[must_use]
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        Pos::new(line, col)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_position_is_inside_up_to_one_past_its_lines_end() {
        let at = |line, col| Diagnostic::error(Pos { line, col }, "x");
        let text = "ab\nc";
        assert_eq!(at(1, 3).check_inside(text), Ok(()));
        assert_eq!(at(2, 2).check_inside(text), Ok(()));
        assert!(
            at(1, 4)
                .check_inside(text)
                .is_err_and(|e| e.contains("col 4 outside line 1"))
        );
        assert!(
            at(3, 1)
                .check_inside(text)
                .is_err_and(|e| e.contains("line 3 outside 1..=2"))
        );
        assert!(at(0, 1).check_inside(text).is_err());
    }

    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        let index = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(index.pos(0), Pos::new(1, 1));
        assert_eq!(index.pos(2), Pos::new(1, 3));
        assert_eq!(index.pos(3), Pos::new(2, 1));
        // 'ç' is two bytes: the byte after it is column 2.
        assert_eq!(index.pos(5), Pos::new(2, 2));
        assert_eq!(index.pos(7), Pos::new(3, 1));
        assert_eq!(index.pos(8), Pos::new(4, 1));
        assert_eq!(index.pos(999), Pos::new(4, 2));
    }

    #[test]
    fn a_mid_character_offset_snaps_back() {
        let index = LineIndex::new("ç");
        assert_eq!(index.pos(1), Pos::new(1, 1));
    }

    #[test]
    fn display_is_path_line_col() {
        let d = Diagnostic::error(Pos::new(2, 7), "bad");
        assert_eq!(d.with_path("a.md").to_string(), "a.md:2:7: error: bad");
    }
}

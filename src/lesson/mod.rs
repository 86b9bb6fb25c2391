//! Lessons as data: parse Markdown lesson files into a terminal-free model and validate them.
//!
//! A lesson is Markdown with TOML front matter between `+++` lines, slides separated by `---`
//! lines, and directives in HTML comments (`<!-- demo: ... -->`, `<!-- notes: ... -->`).

mod claim_directive;
pub mod code_check;
pub mod demo_decl;
pub mod diagnostic;
mod directive;
mod directive_words;
mod front_matter;
pub mod highlight;
mod markdown;
pub mod model;
mod parse;
mod scan;

use std::path::Path;

pub use diagnostic::{Diagnostic, Pos, Severity};
pub use highlight::{CodeToken, TokenKind};
pub use model::{
    Align, Block, ClaimDirective, CodeBlock, DemoDirective, Inline, InlineStyle, Lesson,
    LessonMeta, List, QuestionDirective, Slide, Table, plain_text,
};
pub use parse::{Parsed, parse, parse_bytes};

/// The lecture presented when no file is given: Lecture 25, compiled into the binary.
pub const EMBEDDED_SOURCE: &str = include_str!("../../lessons/25-multiprocessing.md");

/// How the embedded lecture is named in messages.
pub const EMBEDDED_NAME: &str = "lessons/25-multiprocessing.md (built in)";

/// Parses the `bytes` of the lesson file at `path`: its own demos' scripts are relative to it.
#[must_use]
pub fn parse_file(path: &Path, bytes: &[u8]) -> Parsed {
    let mut parsed = parse_bytes(bytes);
    parsed.lesson.base = Some(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    );
    parsed
}

/// Why a lesson could not be loaded for presenting.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("cannot read lesson {path}: {source}")]
    Read {
        /// The path as the user gave it.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file was read but has errors; `report` lists them as `PATH:LINE:COL: ...` lines.
    #[error("{report}")]
    Invalid {
        /// One line per problem.
        report: String,
    },
}

/// Reads and parses a lesson file; warnings are returned beside the lesson.
///
/// # Errors
/// [`LoadError::Read`] if the file cannot be read, [`LoadError::Invalid`] if it has errors.
pub fn load(path: &Path) -> Result<(Lesson, Vec<Diagnostic>), LoadError> {
    let name = path.display().to_string();
    let bytes = read_lesson_file(path).map_err(|source| LoadError::Read {
        path: name.clone(),
        source,
    })?;
    into_lesson(&name, parse_file(path, &bytes))
}

/// The largest lesson lectern reads: far beyond any lecture (Lecture 25 is 40 KB), small
/// enough that parsing stays around a second.
pub const MAX_LESSON_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a lesson file, refusing what is not one before reading it: a directory, a FIFO or
/// device (whose read could block or never end), or a file over [`MAX_LESSON_BYTES`].
///
/// # Errors
/// The I/O error, or one that says which of those the path is.
pub fn read_lesson_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::new(
            ErrorKind::IsADirectory,
            "it is a directory; give a lesson's .md file",
        ));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "it is not a regular file (a pipe or a device); give a lesson's .md file",
        ));
    }
    let too_big = |size: u64| {
        Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "it is {} MiB; lectern reads lessons up to {} MiB",
                size.div_ceil(1024 * 1024),
                MAX_LESSON_BYTES / (1024 * 1024)
            ),
        )
    };
    if meta.len() > MAX_LESSON_BYTES {
        return Err(too_big(meta.len()));
    }
    // The size can change between the look and the read: read no more than the limit.
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_LESSON_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_LESSON_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The built-in Lecture 25.
///
/// # Errors
/// [`LoadError::Invalid`] only if the built-in lesson were broken, which a test rules out.
pub fn embedded() -> Result<(Lesson, Vec<Diagnostic>), LoadError> {
    into_lesson(EMBEDDED_NAME, parse(EMBEDDED_SOURCE))
}

fn into_lesson(name: &str, parsed: Parsed) -> Result<(Lesson, Vec<Diagnostic>), LoadError> {
    if parsed.has_errors() {
        let report = report(name, &parsed.diagnostics);
        return Err(LoadError::Invalid { report });
    }
    Ok((parsed.lesson, parsed.diagnostics))
}

/// A lesson's text (or any bytes), hashed with FNV-1a: the same on every run and every
/// version of lectern, so a saved session knows whether its lesson has changed since.
#[must_use]
pub fn source_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A lesson's version as progress files and the classroom's wire write it: its text's hash
/// ([`source_hash`]) in hex.
#[must_use]
pub fn version(source_hash: u64) -> String {
    format!("{source_hash:016x}")
}

/// One `PATH:LINE:COL: severity: message` line per diagnostic.
#[must_use]
pub fn report(name: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.with_path(name).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;

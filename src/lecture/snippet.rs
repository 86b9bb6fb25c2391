//! The slide's code run with CPython (`o`): what it printed, as it printed it, and how it
//! ended. The panel beside the slide shows it instead of the demo until a demo starts or the
//! slide changes.

use std::collections::VecDeque;
use std::time::Instant;

use crate::process::{ExitInfo, Stream};

/// Output lines kept: the latest ones (a snippet printing a megabyte keeps only these).
pub const SNIPPET_LINES: usize = 500;

/// Characters kept of one output line.
pub const SNIPPET_LINE_CHARS: usize = 500;

/// How a snippet run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetEnd {
    /// Its interpreter ended by itself (or was stopped by the process cap).
    Exited(ExitInfo),
    /// lectern stopped it, for this reason.
    Stopped(String),
}

/// One run of a slide's code.
#[derive(Debug, Clone, PartialEq)]
pub struct SnippetRun {
    /// The run's number (messages of older runs are ignored).
    pub run: u64,
    /// The slide whose code it runs.
    pub slide: usize,
    /// When it started.
    pub started: Instant,
    /// When and how it ended.
    pub ended: Option<(Instant, SnippetEnd)>,
    /// The latest output lines, oldest first.
    pub lines: VecDeque<(Stream, String)>,
    /// Lines dropped because more than [`SNIPPET_LINES`] came.
    pub dropped: usize,
    /// Whether the panel shows it rather than the demo.
    pub shown: bool,
    /// Whether it runs the learner's edited copy rather than the slide's own code.
    pub edited: bool,
}

impl SnippetRun {
    /// Whether it is still running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.ended.is_none()
    }
}

//! What survives a quit or a crash: the slide, the timer, every finished run's results and
//! views, and the verdicts' measurements — as one serializable value the event loop writes
//! whenever it changes (`event_loop::session_file`), and that a later start of the same lesson
//! offers on its first screen (or `--resume` restores at once). `session_restore.rs` takes
//! the App apart into it and puts it back.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::protocol::{NoteLevel, ResultValue};
use crate::demo_runtime::view::View;
use crate::process::ExitInfo;

/// The format's version: a file of another version is not offered.
pub const VERSION: u32 = 1;

/// A lecture session as it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    /// [`VERSION`].
    pub version: u32,
    /// The lesson's text, hashed: a session of an edited lesson is not offered (its slides
    /// and demos may have moved).
    pub lesson_hash: u64,
    /// When it was saved, in seconds since the Unix epoch.
    pub saved_at: u64,
    /// The slide shown (0-based).
    pub slide: usize,
    /// The timer's count, in milliseconds.
    pub timer_ms: u64,
    /// Whether the timer was running.
    pub timer_running: bool,
    /// Every finished run kept, oldest first.
    pub runs: Vec<SavedRun>,
    /// The verdicts' measurements.
    pub measured: Vec<SavedMeasurement>,
    /// What the room's class predicted and measured, if the session took a class.
    #[serde(default)]
    pub class: Option<super::class_state::ClassRecord>,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    /// The slide and the demo's index on it (`usize::MAX` for the verdicts' runs).
    pub slot: (usize, usize),
    /// The demo's name.
    pub demo: String,
    /// Its parameters, as the JSON both engines are handed.
    pub params: String,
    /// The variant's title, if the lesson names it.
    pub title: Option<String>,
    /// The engine it ran on.
    pub engine: Engine,
    /// Which CPython, on that engine (0: the first `--python`; sessions saved before there
    /// could be several have none).
    #[serde(default)]
    pub interpreter: usize,
    /// How long it ran, in milliseconds.
    pub duration_ms: u64,
    /// The engine as the demo named it, and exactly what it is.
    pub reported_engine: Option<(String, String)>,
    /// Its notes.
    pub notes: Vec<(NoteLevel, String)>,
    /// Its results.
    pub results: BTreeMap<String, ResultValue>,
    /// Its views, in order.
    pub views: Vec<(String, View)>,
    /// The error it reported.
    pub error: Option<String>,
    /// Its exit, or why it was stopped.
    pub ended: SavedEnd,
    /// Each core's load during the run: one entry per kept sample.
    pub cores: Vec<Vec<f32>>,
}

/// How a saved run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedEnd {
    /// The demo ended by itself.
    Finished(ExitInfo),
    /// It was stopped, and why.
    Stopped(String),
}

/// One measurement the verdicts count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMeasurement {
    /// The demo.
    pub demo: String,
    /// Its parameters, written out as the verdicts key them.
    pub params: String,
    /// The engine.
    pub engine: Engine,
    /// The run's results.
    pub results: BTreeMap<String, ResultValue>,
    /// What it simulated, if anything.
    pub simulated: Option<String>,
}

impl SavedSession {
    /// Whether there is anything to offer: a slide past the first, or a run.
    #[must_use]
    pub fn is_worth_offering(&self) -> bool {
        self.slide > 0 || !self.runs.is_empty() || !self.measured.is_empty()
    }

    /// One line for the offer: `slide 6 · timer 12:34 · 8 demo runs`.
    #[must_use]
    pub fn summary(&self) -> String {
        let runs = match self.runs.len() {
            1 => "1 demo run".to_string(),
            n => format!("{n} demo runs"),
        };
        format!(
            "slide {} · timer {} · {runs}",
            self.slide + 1,
            crate::ui::clock::format_clock(Duration::from_millis(self.timer_ms)),
        )
    }
}

//! What a lecture keeps on this machine between runs: its session, the run times, and the
//! learner's progress — opened at start, saved after each batch of messages, finished as it
//! quits; none of them for a scripted tour, which must come out the same every time and leave
//! nothing behind.

use std::time::Instant;

use super::progress_file::ProgressFile;
use super::session_file::{SessionFile, SessionOptions};
use super::timings_file::TimingsFile;
use crate::claims::progress_log::ProgressLine;
use crate::lecture::App;

/// The files, where there is a state directory and this is no scripted tour.
#[derive(Default)]
pub struct StateFiles {
    /// The session, saved as it changes.
    session: Option<SessionFile>,
    /// The times of runs on this machine.
    timings: Option<TimingsFile>,
    /// The learner's answers, appended.
    progress: Option<ProgressFile>,
}

impl StateFiles {
    /// Opens them for the lesson `session` names, handing `app` what they hold (the saved
    /// session is offered or taken back as `session` says).
    pub fn open(options: Option<&SessionOptions>, app: &mut App) -> Self {
        let Some(options) = options else {
            return Self::default();
        };
        let timings = TimingsFile::open().map(|(file, timings)| {
            app.timings = timings;
            file
        });
        let session = SessionFile::start(options, app, Instant::now());
        let progress = ProgressFile::open(options);
        if let Some(file) = &progress {
            app.resume_learning(&file.answered());
        }
        Self {
            session,
            timings,
            progress,
        }
    }

    /// Saves what changed (`moved`: something a saved session holds).
    pub fn save(&mut self, app: &App, moved: bool, now: Instant) {
        if let Some(file) = &mut self.session {
            file.save(app, moved, now);
        }
        if let Some(file) = &mut self.timings {
            file.save(&app.timings);
        }
        if let Some(file) = &mut self.progress {
            file.save(&app.learn.log);
        }
    }

    /// The learner's latest answer to each question: earlier sessions' (from the file) with
    /// this session's over them, for the handout.
    #[must_use]
    pub fn answers(&self, app: &App) -> Vec<ProgressLine> {
        let mut progress = self
            .progress
            .as_ref()
            .map(ProgressFile::earlier)
            .unwrap_or_default();
        for line in &app.learn.log {
            progress.keep(line.clone());
        }
        progress.latest
    }

    /// Writes the last of each, as lectern quits.
    pub fn finish(self, app: &App, now: Instant) {
        if let Some(file) = self.session {
            file.finish(app, now);
        }
        if let Some(file) = self.timings {
            file.finish();
        }
        if let Some(file) = self.progress {
            file.finish();
        }
    }
}

//! Where a learner's progress is kept: `$XDG_STATE_HOME/lectern/progress/<lesson>.jsonl`, one
//! JSON line per answered or skipped question, appended on a thread of its own and flushed
//! line by line, so a crash or `kill -9` leaves every line before it whole (a torn last line
//! is left out on reading: [`crate::claims::progress_log::read`]).

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use super::session_file::{SessionOptions, lesson_state_file};
use crate::claims::progress_log::{Progress, ProgressLine, read};

/// The progress file of one lesson, and the thread that appends to it.
pub struct ProgressFile {
    path: PathBuf,
    lesson: String,
    written: usize,
    writer: Option<(Sender<String>, JoinHandle<()>)>,
}

impl ProgressFile {
    /// The progress file of the lesson `options` names; `None` without a state directory.
    #[must_use]
    pub fn open(options: &SessionOptions) -> Option<Self> {
        Some(Self {
            path: progress_path(&options.identity)?,
            lesson: crate::lesson::version(options.lesson_hash),
            written: 0,
            writer: None,
        })
    }

    /// The latest answer to each question in earlier sessions of this version of the
    /// lesson; none when the file is missing or unreadable.
    #[must_use]
    pub fn earlier(&self) -> Progress {
        std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| read(&text, &self.lesson).ok())
            .unwrap_or_default()
    }

    /// The questions answered (or skipped) in earlier sessions, as (slide, prompt).
    #[must_use]
    pub fn answered(&self) -> Vec<(usize, String)> {
        self.earlier()
            .latest
            .into_iter()
            .map(|line| (line.slide, line.question))
            .collect()
    }

    /// Appends the lines of `log` not written yet, stamped with the lesson's version and the
    /// time.
    pub fn save(&mut self, log: &[ProgressLine]) {
        if log.len() <= self.written {
            return;
        }
        if self.writer.is_none() {
            self.writer = spawn_appender(self.path.clone());
        }
        let time = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        for line in &log[self.written..] {
            let mut line = line.clone();
            line.lesson.clone_from(&self.lesson);
            line.time = time;
            if let (Ok(text), Some((writer, _))) = (serde_json::to_string(&line), &self.writer) {
                let _ = writer.send(text);
            }
        }
        self.written = log.len();
    }

    /// Waits for the last line to be written, as lectern quits.
    pub fn finish(mut self) {
        if let Some((writer, thread)) = self.writer.take() {
            drop(writer);
            let _ = thread.join();
        }
    }
}

/// The progress file of the lesson `identity` (its canonical path, or the built-in lecture's
/// name).
#[must_use]
pub fn progress_path(identity: &str) -> Option<PathBuf> {
    lesson_state_file("progress", identity, "jsonl")
}

/// A thread that appends each line it is sent to `path`, flushing each.
fn spawn_appender(path: PathBuf) -> Option<(Sender<String>, JoinHandle<()>)> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let (tx, rx) = channel::<String>();
    std::thread::Builder::new()
        .name("progress".into())
        .spawn(move || {
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            let _ = std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir);
            let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&path)
            else {
                return;
            };
            while let Ok(text) = rx.recv() {
                // One write per line: the kernel appends it whole, and a crash can at most
                // cut the last one short.
                let _ = file.write_all(format!("{text}\n").as_bytes());
                let _ = file.flush();
            }
        })
        .ok()
        .map(|thread| (tx, thread))
}

//! Where the times of demo runs on this machine are kept between lectures:
//! `$XDG_STATE_HOME/lectern/timings.json`, read at start and written whole (on a thread of its
//! own) whenever a run adds a time. A missing or damaged file costs the remembered times and
//! nothing else.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use super::session_file::{spawn_writer, state_root};
use crate::lecture::timings::Timings;

/// The timings file, and the thread that writes it.
pub struct TimingsFile {
    path: PathBuf,
    written: u64,
    writer: Option<(Sender<String>, JoinHandle<()>)>,
}

impl TimingsFile {
    /// The file and what it holds; `None` where there is no state directory.
    #[must_use]
    pub fn open() -> Option<(Self, Timings)> {
        let path = state_root()?.join("timings.json");
        let timings = std::fs::read_to_string(&path)
            .map(|text| Timings::from_json(&text))
            .unwrap_or_default();
        let file = Self {
            path,
            written: timings.revision,
            writer: None,
        };
        Some((file, timings))
    }

    /// Writes `timings` if a run has added a time since the last write.
    pub fn save(&mut self, timings: &Timings) {
        if timings.revision == self.written {
            return;
        }
        self.written = timings.revision;
        if self.writer.is_none() {
            self.writer = spawn_writer(self.path.clone(), "timings");
        }
        if let Some((writer, _)) = &self.writer {
            let _ = writer.send(timings.to_json());
        }
    }

    /// Waits for the last write, as lectern quits.
    pub fn finish(mut self) {
        if let Some((writer, thread)) = self.writer.take() {
            drop(writer);
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::demo_runtime::RunRequest;
    use crate::demo_runtime::engine::Engine;

    #[test]
    fn a_time_written_is_read_back_by_the_next_start() {
        let dir = std::env::temp_dir().join(format!("lectern-timings-{}", std::process::id()));
        let path = dir.join("timings.json");
        let mut file = TimingsFile {
            path: path.clone(),
            written: 0,
            writer: None,
        };
        let request = RunRequest::defaults(crate::demos::ALL[0]);
        let mut timings = Timings::default();
        file.save(&timings);
        assert!(!path.exists(), "nothing new: nothing written");
        timings.record(&request, Engine::Native, Duration::from_millis(1500));
        file.save(&timings);
        file.finish();
        let text = std::fs::read_to_string(&path).expect("written");
        let again = Timings::from_json(&text);
        assert_eq!(
            again.expected(&request, Engine::Native).0,
            Duration::from_millis(1500)
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! Where a lecture's session is kept between runs: one JSON file per lesson under
//! `$XDG_STATE_HOME/lectern/sessions/` (`~/.local/state/…` by default), written whenever what it
//! holds changes — beside its place, then renamed over it, on a thread of its own — so that a
//! quit, a crash or `kill -9` at any moment leaves the last whole session, never half a file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::lecture::App;
use crate::lecture::session::{SavedSession, VERSION};
use crate::lesson::source_hash;

/// How often a running timer is saved even when nothing else changes.
const TIMER_SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// Which lesson a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// The lesson's identity: its file's canonical path, or the built-in lecture's name.
    pub identity: String,
    /// Its text, hashed ([`crate::lesson::source_hash`]).
    pub lesson_hash: u64,
    /// What to do with a saved session at start.
    pub start: SessionStart,
}

/// What to do with a saved session when the lecture starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStart {
    /// Offer it on the first screen (Enter takes it back).
    Offer,
    /// Take it back at once (`--resume`).
    Resume,
    /// Ignore it (`--fresh`): this session starts afresh (and is saved over it).
    Fresh,
}

/// The session file of one lesson, and the thread that writes it.
pub struct SessionFile {
    path: PathBuf,
    lesson_hash: u64,
    writer: Option<(Sender<String>, JoinHandle<()>)>,
    last_written: String,
    last_timer_save: Option<Instant>,
}

impl SessionFile {
    /// The session file of the lesson `options` names; `None` where no state directory can
    /// be found (neither `XDG_STATE_HOME` nor `HOME`).
    #[must_use]
    pub fn open(options: &SessionOptions) -> Option<Self> {
        Some(Self {
            path: lesson_state_file("sessions", &options.identity, "json")?,
            lesson_hash: options.lesson_hash,
            writer: None,
            last_written: String::new(),
            last_timer_save: None,
        })
    }

    /// The saved session, if there is one worth offering for this version of the lesson.
    ///
    /// # Errors
    /// A sentence saying why a file that is there cannot be used (unreadable, not a session,
    /// an edited lesson): the lecture says it once and starts afresh.
    pub fn read(&self) -> Result<Option<SavedSession>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(format!("the saved session could not be read ({err})")),
        };
        let saved: SavedSession = serde_json::from_str(&text)
            .map_err(|err| format!("the saved session is not one lectern can read ({err})"))?;
        if saved.version != VERSION {
            return Err("the saved session is from another version of lectern".into());
        }
        if saved.lesson_hash != self.lesson_hash {
            return Err("the lesson has changed since its session was saved".into());
        }
        Ok(saved.is_worth_offering().then_some(saved))
    }

    /// Saves `app`'s session if `changed` says a message that can change it was handled
    /// (and it did change), or, with the timer running, every few seconds. The write happens
    /// on the writer thread.
    pub fn save(&mut self, app: &App, changed: bool, now: Instant) {
        let timer_due = app.stopwatch.is_running()
            && self
                .last_timer_save
                .is_none_or(|t| now.duration_since(t) >= TIMER_SAVE_INTERVAL);
        // Samples and demo events never change what is saved: nothing to work out.
        if !changed && !timer_due {
            return;
        }
        let saved = app.saved_session(self.lesson_hash, 0);
        let Ok(text) = serde_json::to_string(&saved) else {
            return;
        };
        if text == self.last_written && !timer_due {
            return;
        }
        // The time of saving is not part of what changed.
        let stamped = SavedSession {
            saved_at: unix_now(),
            ..saved
        };
        let Ok(stamped_text) = serde_json::to_string(&stamped) else {
            return;
        };
        self.last_written = text;
        self.last_timer_save = Some(now);
        if self.writer.is_none() {
            self.writer = spawn_writer(self.path.clone(), "session");
        }
        if let Some((writer, _)) = &self.writer {
            let _ = writer.send(stamped_text);
        }
    }

    /// The last save, as lectern quits: after the writer thread has written what it was
    /// given, the session as it stands now, written here.
    pub fn finish(mut self, app: &App, now: Instant) {
        if let Some((writer, thread)) = self.writer.take() {
            drop(writer);
            let _ = thread.join();
        }
        self.save(app, true, now);
        if let Some((writer, thread)) = self.writer.take() {
            drop(writer);
            let _ = thread.join();
        }
    }

    /// Looks for a saved session as `options` say, and offers it to `app` or takes it back;
    /// returns the file this session is saved to from now on.
    #[must_use]
    pub fn start(options: &SessionOptions, app: &mut App, now: Instant) -> Option<Self> {
        let file = Self::open(options)?;
        if options.start == SessionStart::Fresh {
            return Some(file);
        }
        match file.read() {
            Ok(Some(saved)) if options.start == SessionStart::Resume => {
                app.resume(&saved, now);
                app.status = Some(format!("Resumed: {}.", saved.summary()));
            }
            Ok(Some(saved)) => app.offer = Some(Box::new(saved)),
            Ok(None) if options.start == SessionStart::Resume => {
                app.status = Some("There is no saved session of this lecture to resume.".into());
            }
            Ok(None) => {}
            Err(why) => app.status = Some(format!("{why}; this session starts afresh.")),
        }
        Some(file)
    }
}

/// A thread named `name` that writes `path` whole with each text it is sent: the newest text
/// wins when several queue up.
pub(super) fn spawn_writer(path: PathBuf, name: &str) -> Option<(Sender<String>, JoinHandle<()>)> {
    let (tx, rx) = channel::<String>();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            while let Ok(mut text) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    text = newer;
                }
                let _ = write_whole(&path, &text);
            }
        })
        .ok()
        .map(|thread| (tx, thread))
}

/// Writes `text` beside `path`, flushed to the disk, then renames it over `path`: a reader
/// (or the next start after a crash) sees the old file or the new one, never half of one.
///
/// # Errors
/// If the directory cannot be made or the file written.
pub fn write_whole(path: &Path, text: &str) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("no directory"))?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let partial = path.with_extension(format!("json.{}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

/// `$XDG_STATE_HOME/lectern`, else `~/.local/state/lectern`.
/// The file under the state directory's `folder` that keeps something of the lesson
/// `identity` (its canonical path, or the built-in lecture's name): `STEM-HASH.ext`, readable
/// and unique per lesson. `None` where there is no state directory.
#[must_use]
pub fn lesson_state_file(folder: &str, identity: &str, ext: &str) -> Option<PathBuf> {
    let stem: String = Path::new(identity)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let name = format!("{stem}-{:016x}.{ext}", source_hash(identity.as_bytes()));
    Some(state_root()?.join(folder).join(name))
}

pub(super) fn state_root() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local").join("state"))
        })?;
    Some(base.join("lectern"))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_in(dir: &Path) -> SessionFile {
        SessionFile {
            path: dir.join("lesson.json"),
            lesson_hash: 7,
            writer: None,
            last_written: String::new(),
            last_timer_save: None,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lectern-session-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn no_file_is_no_session_and_a_bad_file_says_why_without_failing() {
        let dir = scratch("bad");
        let file = file_in(&dir);
        assert_eq!(file.read(), Ok(None));
        std::fs::create_dir_all(&dir).unwrap();
        // A torn or foreign file: read, refused with a reason, never a panic.
        std::fs::write(&file.path, "{\"version\":1,\"lesson_hash\":7,\"sli").unwrap();
        let why = file.read().unwrap_err();
        assert!(why.contains("not one lectern can read"), "{why}");
        std::fs::write(&file.path, "\u{0}\u{1}garbage").unwrap();
        assert!(file.read().is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_whole_write_replaces_the_file_and_leaves_nothing_beside_it() {
        let dir = scratch("whole");
        let path = dir.join("lesson.json");
        write_whole(&path, "first").unwrap();
        write_whole(&path, "second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no partial file left: {names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_session_of_an_edited_lesson_is_not_offered() {
        let dir = scratch("edited");
        let file = file_in(&dir);
        let saved = SavedSession {
            version: VERSION,
            lesson_hash: 8,
            saved_at: 0,
            slide: 3,
            timer_ms: 0,
            timer_running: false,
            runs: Vec::new(),
            measured: Vec::new(),
            class: None,
        };
        write_whole(&file.path, &serde_json::to_string(&saved).unwrap()).unwrap();
        assert!(file.read().unwrap_err().contains("changed"));
        let same = SavedSession {
            lesson_hash: 7,
            ..saved
        };
        write_whole(&file.path, &serde_json::to_string(&same).unwrap()).unwrap();
        assert_eq!(file.read(), Ok(Some(same)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

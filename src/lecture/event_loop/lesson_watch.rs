//! Live reload: while a lesson from a file is presented, a thread looks at the file and its
//! own demos' scripts four times a second and, when one was saved, reads and checks the
//! lesson again and hands the result to the lecture ([`Msg::LessonReloaded`]).
//!
//! It compares each file's size, modification time and inode, so an editor that saves by
//! writing a new file and renaming it over the old one is seen like any other save; a save
//! is taken once the file has stopped changing for one look, so a file written in pieces is
//! not read half-written. A `stat` of two or three files four times a second costs nothing
//! measurable, and needs no watcher crate.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::lecture::msg::{Msg, Reloaded};
use crate::lesson::Lesson;
use crate::resolved;

/// How often the files are looked at.
const LOOK_EVERY: Duration = Duration::from_millis(250);

/// What a file looked like: size, modification time (ns) and inode; `None` while missing
/// (an editor between its delete and its rename).
type Stamp = Option<(u64, i128, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
    Some((meta.len(), mtime, meta.ino()))
}

/// Stops the watching thread when dropped.
pub struct LessonWatch {
    stop: Arc<AtomicBool>,
}

impl Drop for LessonWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The files a lesson's presentation depends on: the lesson, then its own demos' scripts.
fn files(lesson_file: &Path, lesson: &Lesson) -> Vec<PathBuf> {
    let mut files = vec![lesson_file.to_path_buf()];
    files.extend(
        lesson
            .meta
            .demos
            .iter()
            .map(|d| crate::demos::local::script_path(d, lesson.base.as_deref())),
    );
    files
}

/// Watches `path` (presented as `lesson`) and its demos' scripts, sending each reload to `tx`.
///
/// # Errors
/// If the thread cannot be started.
pub fn start(path: PathBuf, lesson: &Lesson, tx: Sender<Msg>) -> std::io::Result<LessonWatch> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let mut watched = files(&path, lesson);
    let mut text = std::fs::read(&path).unwrap_or_default();
    std::thread::Builder::new()
        .name("lesson-watch".into())
        .spawn(move || {
            let mut seen: Vec<Stamp> = watched.iter().map(|f| stamp(f)).collect();
            // A change seen at the last look, waiting for the file to settle.
            let mut pending = false;
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(LOOK_EVERY);
                let now: Vec<Stamp> = watched.iter().map(|f| stamp(f)).collect();
                if now != seen {
                    seen = now;
                    pending = true;
                    continue;
                }
                // Settled (and the lesson is there: a rename may be half done).
                if !pending || seen.first().is_some_and(Option::is_none) {
                    continue;
                }
                pending = false;
                let new_text = std::fs::read(&path).unwrap_or_default();
                let edited_line = first_changed_line(&text, &new_text);
                let reloaded = match resolved::load(&path) {
                    Ok((lesson, _warnings)) => {
                        watched = files(&path, &lesson.lesson);
                        seen = watched.iter().map(|f| stamp(f)).collect();
                        text = new_text;
                        Ok(Reloaded {
                            lesson: Box::new(lesson),
                            edited_line,
                        })
                    }
                    // The file's name is enough where it is said: the footer is short.
                    Err(err) => Err(first_problem(&err.to_string()).replacen(
                        &path.display().to_string(),
                        &path
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                        1,
                    )),
                };
                if tx.send(Msg::LessonReloaded(reloaded)).is_err() {
                    return;
                }
            }
        })?;
    Ok(LessonWatch { stop })
}

/// The 1-based line of the first byte that differs between `old` and `new`; `None` when
/// the lesson's text did not change (a demo's script was saved).
fn first_changed_line(old: &[u8], new: &[u8]) -> Option<usize> {
    let at = old
        .iter()
        .zip(new)
        .position(|(a, b)| a != b)
        .or_else(|| (old.len() != new.len()).then(|| old.len().min(new.len())))?;
    Some(new[..at].split(|&b| b == b'\n').count())
}

/// The first problem of a load error's report (`FILE:LINE:COL: error: …`), the line an
/// author needs first.
fn first_problem(report: &str) -> String {
    report
        .lines()
        .find(|line| line.contains(": error:"))
        .or_else(|| report.lines().next())
        .unwrap_or(report)
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_of_a_report_is_the_one_said() {
        let report = "l.md:3:1: warning: w\nl.md:9:4: error: unknown demo `x`\nl.md: 1 error(s)";
        assert_eq!(first_problem(report), "l.md:9:4: error: unknown demo `x`");
        assert_eq!(
            first_problem("cannot read lesson l.md: gone"),
            "cannot read lesson l.md: gone"
        );
    }

    #[test]
    fn the_edited_line_is_the_first_that_differs() {
        assert_eq!(first_changed_line(b"a\nb\nc\n", b"a\nB\nc\n"), Some(2));
        assert_eq!(first_changed_line(b"a\nb\n", b"a\nb\nc\n"), Some(3));
        assert_eq!(first_changed_line(b"a\n", b"a\n"), None);
    }

    #[test]
    fn a_save_by_rename_changes_the_stamp() {
        let dir = std::env::temp_dir().join(format!("lectern-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("setup");
        let file = dir.join("l.md");
        std::fs::write(&file, "# A\n").expect("setup");
        let before = stamp(&file);
        let beside = dir.join(".l.md.swp");
        std::fs::write(&beside, "# A\n").expect("setup");
        std::fs::rename(&beside, &file).expect("setup");
        assert_ne!(stamp(&file), before, "same size and text, another inode");
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}

//! An asciicast v2 file: a JSON header line, then one `[time, code, data]` line per event —
//! `o` (what was written to the terminal), `m` (a marker players can jump to), `r` (a resize).
//! Times are seconds since the recording started, from a monotonic clock, so they never go
//! backwards.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::rc::Rc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// The header line (asciicast v2).
#[derive(Debug, Serialize)]
struct Header<'a> {
    version: u8,
    width: u16,
    height: u16,
    timestamp: u64,
    title: &'a str,
    env: Env,
}

/// The terminal the recording was made for, as players expect it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "UPPERCASE")]
struct Env {
    term: String,
    shell: String,
}

/// An open recording.
pub struct CastFile {
    out: BufWriter<File>,
    started: Instant,
    /// The latest time written, so that a clock read twice in one microsecond still gives
    /// times that never decrease once rounded.
    last: f64,
}

impl CastFile {
    /// Creates `path` and writes the header.
    ///
    /// # Errors
    /// If the file cannot be created or written.
    pub fn create(path: &Path, width: u16, height: u16, title: &str) -> io::Result<Self> {
        let file = File::create(path)?;
        let mut out = BufWriter::new(file);
        let header = Header {
            version: 2,
            width,
            height,
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            title,
            env: Env {
                // What lectern draws for: 256 colours, as ratatui's crossterm backend emits.
                term: std::env::var("TERM")
                    .ok()
                    .filter(|t| !t.is_empty() && t != "dumb")
                    .unwrap_or_else(|| "xterm-256color".into()),
                shell: std::env::var("SHELL").unwrap_or_else(|_| "/bin/sh".into()),
            },
        };
        serde_json::to_writer(&mut out, &header)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(Self {
            out,
            started: Instant::now(),
            last: 0.0,
        })
    }

    /// Seconds since the recording began, as the next event's time would be written.
    #[must_use]
    pub fn now(&self) -> f64 {
        ((self.started.elapsed().as_secs_f64() * 1e6).round() / 1e6).max(self.last)
    }

    /// Writes one event now. Each event is flushed: a recording cut short (a crash, SIGKILL)
    /// still plays up to its last frame.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn event(&mut self, code: &str, data: &str) -> io::Result<()> {
        let now = (self.started.elapsed().as_secs_f64() * 1e6).round() / 1e6;
        let time = now.max(self.last);
        self.last = time;
        serde_json::to_writer(&mut self.out, &(time, code, data))?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

/// A recording shared by the terminal that draws into it and the recorder that marks it
/// (one thread: the event loop's).
pub type SharedCast = Rc<RefCell<CastFile>>;

/// The bytes ratatui writes for one frame, held until it flushes (at the end of every draw),
/// then written as one `o` event.
pub struct FrameWriter {
    pending: Vec<u8>,
    file: SharedCast,
}

impl FrameWriter {
    /// A writer that records into `file`.
    #[must_use]
    pub fn new(file: SharedCast) -> Self {
        Self {
            pending: Vec::new(),
            file,
        }
    }
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // A frame is whole escape sequences and whole characters, so it is valid UTF-8.
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        self.file.borrow_mut().event("o", &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_is_a_header_then_timed_events_in_order() {
        let path = std::env::temp_dir().join(format!("lectern-cast-{}.cast", std::process::id()));
        let file = Rc::new(RefCell::new(
            CastFile::create(&path, 120, 36, "Lecture 25").unwrap(),
        ));
        let mut writer = FrameWriter::new(Rc::clone(&file));
        writer.write_all(b"\x1b[1;1Hhello").unwrap();
        writer.write_all(" wörld".as_bytes()).unwrap();
        writer.flush().unwrap();
        writer.flush().unwrap(); // nothing pending: no empty event
        file.borrow_mut().event("m", "2: Why Threads Fail").unwrap();
        file.borrow_mut().event("r", "100x30").unwrap();
        drop((writer, file));
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["version"], 2);
        assert_eq!(lines[0]["width"], 120);
        assert_eq!(lines[0]["height"], 36);
        assert_eq!(lines[0]["title"], "Lecture 25");
        assert!(lines[0]["env"]["TERM"].is_string());
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1][1], "o");
        assert_eq!(lines[1][2], "\u{1b}[1;1Hhello wörld");
        assert_eq!(lines[2][1], "m");
        assert_eq!(lines[2][2], "2: Why Threads Fail");
        assert_eq!(lines[3][1], "r");
        assert_eq!(lines[3][2], "100x30");
        let times: Vec<f64> = lines[1..].iter().map(|l| l[0].as_f64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        std::fs::remove_file(&path).unwrap();
    }
}

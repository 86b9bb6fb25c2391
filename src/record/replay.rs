//! Reading a recording back: an asciicast v2 file's header and events, and its frames played
//! through a terminal emulator (the `vt100` crate) — for the replay page's chapters, for
//! rendering a GIF, and for tests that look at what a viewer would see.

use std::path::Path;

use serde::Deserialize;

/// Why a recording could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CastError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not what an asciicast v2 file holds.
    #[error("{path}:{line}: not an asciicast v2 line: {why}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        why: String,
    },
}

/// A recording, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Cast {
    /// Columns.
    pub width: u16,
    /// Rows.
    pub height: u16,
    /// The title, if the header has one.
    pub title: Option<String>,
    /// Every event: time in seconds, code (`o`, `m`, `r`, …) and data, in order.
    pub events: Vec<(f64, String, String)>,
}

#[derive(Deserialize)]
struct Header {
    version: u8,
    width: u16,
    height: u16,
    #[serde(default)]
    title: Option<String>,
}

impl Cast {
    /// Reads the cast at `path`.
    ///
    /// # Errors
    /// [`CastError`] naming the file (and the line).
    pub fn load(path: &Path) -> Result<Self, CastError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CastError::Read {
            path: name.clone(),
            source,
        })?;
        Self::parse(&name, &text)
    }

    /// Reads a cast's `text`; `name` is what errors call it.
    ///
    /// # Errors
    /// [`CastError::Line`] for the first line that does not read.
    pub fn parse(name: &str, text: &str) -> Result<Self, CastError> {
        let bad = |line: usize, why: String| CastError::Line {
            path: name.to_string(),
            line,
            why,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, first) = lines
            .next()
            .ok_or_else(|| bad(1, "the file is empty".into()))?;
        let header: Header = serde_json::from_str(first).map_err(|e| bad(1, e.to_string()))?;
        if header.version != 2 || header.width == 0 || header.height == 0 {
            return Err(bad(
                1,
                "a version 2 header with a width and a height".into(),
            ));
        }
        let mut events = Vec::new();
        for (i, line) in lines {
            // A recording cut short by a crash ends in a torn line: the frames before it play.
            match serde_json::from_str::<(f64, String, String)>(line) {
                Ok(event) => events.push(event),
                Err(_) if i + 1 == text.lines().count() => break,
                Err(e) => return Err(bad(i + 1, e.to_string())),
            }
        }
        Ok(Self {
            width: header.width,
            height: header.height,
            title: header.title,
            events,
        })
    }

    /// The markers: time and label.
    #[must_use]
    pub fn markers(&self) -> Vec<(f64, String)> {
        self.events
            .iter()
            .filter(|(_, code, _)| code == "m")
            .map(|(time, _, label)| (*time, label.clone()))
            .collect()
    }

    /// How long it lasts: its last event's time.
    #[must_use]
    pub fn duration(&self) -> f64 {
        self.events.last().map_or(0.0, |(time, _, _)| *time)
    }
}

/// A cast played through a terminal emulator, event by event.
pub struct Player<'a> {
    cast: &'a Cast,
    next: usize,
    parser: vt100::Parser,
}

impl<'a> Player<'a> {
    /// At the start of `cast`, on a blank screen of its size.
    #[must_use]
    pub fn new(cast: &'a Cast) -> Self {
        Self {
            cast,
            next: 0,
            parser: vt100::Parser::new(nonzero(cast.height), nonzero(cast.width), 0),
        }
    }

    /// Plays every event up to and including time `time`; whether the screen may have changed.
    pub fn play_until(&mut self, time: f64) -> bool {
        let mut changed = false;
        while let Some((at, code, data)) = self.cast.events.get(self.next) {
            if *at > time {
                break;
            }
            match code.as_str() {
                "o" => {
                    self.parser.process(data.as_bytes());
                    changed = true;
                }
                "r" => {
                    if let Some((cols, rows)) = data.split_once('x')
                        && let (Ok(cols), Ok(rows)) = (cols.parse::<u16>(), rows.parse::<u16>())
                    {
                        self.parser.set_size(nonzero(rows), nonzero(cols));
                        changed = true;
                    }
                }
                _ => {}
            }
            self.next += 1;
        }
        changed
    }

    /// The screen as it is now.
    #[must_use]
    pub fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }
}

/// `n`, or 1 for 0 (a header never has a zero size: it is refused on reading).
fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}

/// The text of the screen after each output event of `cast`: what a viewer saw, frame by
/// frame (for tests and tools).
#[must_use]
pub fn screens(cast: &Cast) -> Vec<String> {
    let mut player = Player::new(cast);
    let mut shown = Vec::new();
    for (time, code, _) in &cast.events {
        if player.play_until(*time) && code == "o" {
            shown.push(player.screen().contents());
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cast_is_read_played_and_its_markers_listed() {
        let text = "{\"version\":2,\"width\":10,\"height\":2,\"title\":\"t\"}\n\
                    [0.1,\"o\",\"hello\"]\n[0.2,\"m\",\"one\"]\n[0.3,\"o\",\"\\r\\nworld\"]\n[0.4,\"o\",\"tor";
        let cast = Cast::parse("c", text).expect("reads");
        assert_eq!((cast.width, cast.height), (10, 2));
        assert_eq!(cast.markers(), vec![(0.2, "one".to_string())]);
        let shown = screens(&cast);
        assert_eq!(shown.last().map(String::as_str), Some("hello\nworld"));
        let err = Cast::parse("c", "{\"version\":1,\"width\":1,\"height\":1}\n").unwrap_err();
        assert!(err.to_string().starts_with("c:1:"), "{err}");
        let err = Cast::parse(
            "c",
            "{\"version\":2,\"width\":1,\"height\":1}\nnope\n[1,\"o\",\"\"]\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("c:2:"), "{err}");
    }
}

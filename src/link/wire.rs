//! What the room and the presenter screen say to each other: one JSON object per line, each
//! tagged with its `type`; both sides start with a `hello` naming the protocol's version.

use std::io::{self, BufRead};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};

/// Version of this protocol; a side speaking another one is told so and disconnected.
/// (2: a presenter screen that kept going without the room hands it its slide and timer; a
/// run's headline.)
pub const PROTOCOL: u32 = 2;

/// Longest line read; anything longer is not this protocol.
pub const MAX_LINE: usize = 64 * 1024;

/// Which lesson the room presents, so the presenter screen can lay out its notes itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonRef {
    /// The built-in Lecture 25.
    Embedded,
    /// A lesson file (an absolute path).
    File(PathBuf),
}

/// The room's side of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToPresenter {
    /// Sent first: who is talking and what it presents.
    Hello {
        /// [`PROTOCOL`] of the room.
        protocol: u32,
        /// The session's name (`lectern present --name`).
        name: String,
        /// The lesson.
        lesson: LessonRef,
    },
    /// What the room shows now; sent when it changes.
    State(RoomState),
    /// The room is refusing this presenter (another protocol version), and why.
    Refused {
        /// Why.
        reason: String,
    },
}

/// What the presenter screen needs of the room's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RoomState {
    /// The slide on the room's screen (0-based).
    pub slide: usize,
    /// The timer's count when this was sent, in milliseconds.
    pub timer_ms: u64,
    /// Whether the timer is counting.
    pub timer_running: bool,
    /// The demo of the current slide that Enter starts, if it has any.
    pub selected_demo: Option<String>,
    /// The latest demo run, if any.
    pub demo: Option<DemoState>,
    /// The slide's running code, if any: `running` or how it ended.
    pub snippet: Option<String>,
    /// Digits typed so far for a jump to a slide.
    #[serde(default)]
    pub jump: String,
    /// The room's class, when it takes one (`lectern present --class`); boxed, as most rooms
    /// take none.
    #[serde(default)]
    pub class: Option<Box<ClassState>>,
}

/// What the presenter screen shows of the room's class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassState {
    /// Students joined.
    pub students: usize,
    /// What the class predicted and measured for this slide's claims, in words.
    pub said: Vec<String>,
}

/// One demo run, as the presenter screen reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoState {
    /// The demo's name.
    pub name: String,
    /// `native` or `python`.
    pub engine: String,
    /// Whether it is still running.
    pub running: bool,
    /// How long it has run (when this was sent) or ran, in milliseconds.
    pub elapsed_ms: u64,
    /// How it ended (`finished`, `stopped: …`, `failed: …`), when it has.
    pub outcome: Option<String>,
    /// The run's result in one sentence (its headline view), once it has one.
    #[serde(default)]
    pub headline: Option<String>,
}

/// The presenter screen's side of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToRoom {
    /// Sent first.
    Hello {
        /// [`PROTOCOL`] of the presenter screen.
        protocol: u32,
    },
    /// A key pressed on the presenter screen, for the room to handle as its own.
    Key {
        /// The key.
        key: KeyEvent,
    },
    /// The presenter screen kept the lecture going while the room was away: the room,
    /// restarted, takes its slide and timer.
    Resume {
        /// The slide the presenter screen is on (0-based).
        slide: usize,
        /// Its timer's count, in milliseconds.
        timer_ms: u64,
        /// Whether its timer is counting.
        timer_running: bool,
    },
}

/// A duration in whole milliseconds, as the messages carry clocks.
#[must_use]
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// One message as a line (with its newline).
#[must_use]
pub fn encode<T: Serialize>(message: &T) -> String {
    // Serialising these plain types cannot fail (no maps with non-string keys).
    let mut line = serde_json::to_string(message).unwrap_or_default();
    line.push('\n');
    line
}

/// Reads the next line (without its newline) into `line`; `Ok(false)` at the end of the
/// stream. A line over [`MAX_LINE`] bytes is an error: no message of this protocol is that
/// long.
///
/// # Errors
/// Reading failed, or the line is too long or not UTF-8.
pub fn read_line<R: BufRead>(reader: &mut R, line: &mut String) -> io::Result<bool> {
    line.clear();
    let mut bytes = Vec::new();
    let (read, cut) = crate::process::read_line_bounded(reader, &mut bytes, MAX_LINE + 1)?;
    if read == 0 {
        return Ok(false);
    }
    if cut || bytes.len() > MAX_LINE + usize::from(bytes.last() == Some(&b'\n')) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a line over {MAX_LINE} bytes"),
        ));
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    *line = String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a line that is not UTF-8"))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn messages_survive_the_round_trip_one_per_line() {
        let state = RoomState {
            slide: 5,
            timer_ms: 61_500,
            timer_running: true,
            selected_demo: Some("queue-sentinel".into()),
            demo: Some(DemoState {
                name: "queue-sentinel".into(),
                engine: "python".into(),
                running: false,
                elapsed_ms: 1_200,
                outcome: Some("finished".into()),
                headline: None,
            }),
            snippet: None,
            jump: String::new(),
            class: Some(Box::new(ClassState {
                students: 38,
                said: vec!["The class predicted (31): faster 7 · slower 24".into()],
            })),
        };
        let to_presenter = [
            ToPresenter::Hello {
                protocol: PROTOCOL,
                name: "talk".into(),
                lesson: LessonRef::File("/l/x.md".into()),
            },
            ToPresenter::State(state),
        ];
        for message in to_presenter {
            let line = encode(&message);
            assert_eq!(line.matches('\n').count(), 1);
            assert!(line.starts_with("{\"type\":"), "{line}");
            let back: ToPresenter = serde_json::from_str(line.trim_end()).expect("decodes");
            assert_eq!(back, message);
        }
        let key = ToRoom::Key {
            key: KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
        };
        let back: ToRoom = serde_json::from_str(encode(&key).trim_end()).expect("decodes");
        assert_eq!(back, key);
    }

    #[test]
    fn lines_are_read_one_at_a_time_and_an_endless_one_is_refused() {
        let mut input = io::Cursor::new(b"one\ntwo".to_vec());
        let mut line = String::new();
        assert!(read_line(&mut input, &mut line).expect("reads"));
        assert_eq!(line, "one");
        assert!(read_line(&mut input, &mut line).expect("reads"));
        assert_eq!(line, "two");
        assert!(!read_line(&mut input, &mut line).expect("reads"));
        let mut endless = io::Cursor::new(vec![b'x'; MAX_LINE + 10]);
        let err = read_line(&mut endless, &mut line).expect_err("too long");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let mut binary = io::Cursor::new(vec![0xff, b'\n']);
        assert!(read_line(&mut binary, &mut line).is_err());
    }
}

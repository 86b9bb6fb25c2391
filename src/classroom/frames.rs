//! The classroom's wire format: each frame is a 4-byte big-endian length, then that many bytes
//! of one JSON message; a frame over [`MAX_FRAME`] ends the connection before it is read. The
//! messages are data only — slide numbers, demo names with parameters, answers, measured
//! numbers — never code: a student runs only demos it has, checked locally.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// The version both ends speak; a student of another version is refused, saying so.
pub const PROTOCOL: u32 = 1;

/// How the wire names the built-in lecture; a lesson file is named by its version
/// ([`crate::lesson::version`]).
pub const BUILT_IN: &str = "built-in";

/// The largest frame either end accepts: 64 KiB.
pub const MAX_FRAME: usize = 64 * 1024;

/// What a student sends the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToRoom {
    /// The first message: who is joining, and the student's half of the challenge.
    Hello {
        /// [`PROTOCOL`].
        protocol: u32,
        /// A name for the room's lists (a nickname; at most 40 characters are kept).
        name: String,
        /// The student's random nonce (hex).
        nonce: String,
    },
    /// The proof of the join code: HMAC-SHA256 over both nonces, keyed by the code (hex).
    Proof {
        /// The MAC.
        mac: String,
    },
    /// The student's answer to a claim's question.
    Prediction {
        /// The slide (1-based).
        slide: usize,
        /// The question's prompt, as the lesson has it.
        question: String,
        /// A number, or an option's index.
        answer: Answer,
    },
    /// What the student's machine measured for a demo the room ran.
    Measurement {
        /// The demo's name.
        demo: String,
        /// Its results.
        results: BTreeMap<String, f64>,
        /// `native` or `python`.
        engine: String,
        /// What ran it (`CPython 3.12.1`).
        interpreter: String,
        /// The student's cores.
        cores: u32,
    },
}

/// A prediction on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A number.
    Number(f64),
    /// An option, by index.
    Choice(usize),
}

/// What the room sends a student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToStudent {
    /// The room's half of the challenge.
    Challenge {
        /// [`PROTOCOL`].
        protocol: u32,
        /// The room's random nonce (hex).
        nonce: String,
    },
    /// Joined: the lesson the room presents.
    Welcome {
        /// The lesson: [`BUILT_IN`] or the lesson file's version, which the student's own
        /// copy must match.
        lesson: String,
        /// The lesson's title.
        title: String,
    },
    /// Not joined, and why (the connection ends).
    Refused {
        /// Why.
        why: String,
    },
    /// Where the room is.
    State {
        /// The slide shown (0-based).
        slide: usize,
        /// The demo the room just started, if any: its name and parameters (`key=value`).
        demo: Option<(String, Vec<(String, String)>)>,
    },
    /// The room ended: the student keeps the lecture.
    Ended,
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The connection failed or closed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A frame longer than [`MAX_FRAME`].
    #[error("a frame of {0} bytes, over the {MAX_FRAME}-byte limit")]
    TooLong(usize),
    /// A frame that is not a message.
    #[error("a frame that is not a message: {0}")]
    Malformed(String),
}

/// Writes `message` as one frame.
///
/// # Errors
/// If it cannot be written, or is larger than a frame may be.
pub fn write_frame(out: &mut impl Write, message: &impl Serialize) -> Result<(), WireError> {
    let body = serde_json::to_vec(message).map_err(|e| WireError::Malformed(e.to_string()))?;
    if body.len() > MAX_FRAME {
        return Err(WireError::TooLong(body.len()));
    }
    let length = u32::try_from(body.len()).map_err(|_| WireError::TooLong(body.len()))?;
    out.write_all(&length.to_be_bytes())?;
    out.write_all(&body)?;
    out.flush()?;
    Ok(())
}

/// Reads one frame's message.
///
/// # Errors
/// The connection's error, a frame too long (not read), or one that is not a message.
pub fn read_frame<T: for<'de> Deserialize<'de>>(input: &mut impl Read) -> Result<T, WireError> {
    let mut length = [0u8; 4];
    input.read_exact(&mut length)?;
    let length = usize::try_from(u32::from_be_bytes(length)).unwrap_or(usize::MAX);
    if length > MAX_FRAME {
        return Err(WireError::TooLong(length));
    }
    let mut body = vec![0u8; length];
    input.read_exact(&mut body)?;
    decode(&body)
}

/// A frame's body as a message.
///
/// # Errors
/// [`WireError::Malformed`] when it is not one.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, WireError> {
    serde_json::from_slice(body).map_err(|e| WireError::Malformed(e.to_string()))
}

/// What the fuzz target and its regression replay check of any bytes: read as a stream of
/// frames in either direction, every frame read is a message that writes back to a frame
/// that reads again; never a panic. Returns how many messages were read.
///
/// # Errors
/// The message that did not read back, if one did not.
pub fn replay(bytes: &[u8]) -> Result<usize, String> {
    fn both_ways<T>(bytes: &[u8]) -> Result<usize, String>
    where
        T: Serialize + for<'de> Deserialize<'de> + std::fmt::Debug,
    {
        let mut input = bytes;
        let mut read = 0;
        while let Ok(message) = read_frame::<T>(&mut input) {
            read += 1;
            let mut again = Vec::new();
            // A message holding a number JSON cannot write (NaN) is refused on writing.
            if write_frame(&mut again, &message).is_ok() {
                read_frame::<T>(&mut again.as_slice())
                    .map_err(|err| format!("{message:?} does not read back: {err}"))?;
            }
        }
        Ok(read)
    }
    Ok(both_ways::<ToRoom>(bytes)? + both_ways::<ToStudent>(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_cross_as_frames_and_bad_frames_are_refused_unread() {
        let mut wire = Vec::new();
        let sent = ToRoom::Prediction {
            slide: 8,
            question: "faster?".into(),
            answer: Answer::Choice(1),
        };
        write_frame(&mut wire, &sent).expect("written");
        assert_eq!(
            read_frame::<ToRoom>(&mut wire.as_slice()).expect("read"),
            sent
        );
        // A length over the limit is refused before its bytes are read.
        let mut huge = (u32::try_from(MAX_FRAME).expect("small") + 1)
            .to_be_bytes()
            .to_vec();
        huge.extend([b'x'; 16]);
        assert!(matches!(
            read_frame::<ToRoom>(&mut huge.as_slice()),
            Err(WireError::TooLong(_))
        ));
        let mut junk = 3u32.to_be_bytes().to_vec();
        junk.extend(b"{x}");
        assert!(matches!(
            read_frame::<ToRoom>(&mut junk.as_slice()),
            Err(WireError::Malformed(_))
        ));
        let mut cut = 10u32.to_be_bytes().to_vec();
        cut.extend(b"{}");
        assert!(matches!(
            read_frame::<ToRoom>(&mut cut.as_slice()),
            Err(WireError::Io(_))
        ));
    }
}

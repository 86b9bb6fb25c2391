//! Messages into the `lectern watch` loop.

use crossterm::event::KeyEvent;

use crate::input::{FromInput, Input};
use crate::process::ExitInfo;
use crate::process::Stream;
use crate::sampler::Sample;

/// Everything that can change the watch screen, sent on the one channel its loop reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The sampler measured the cores and the command's processes.
    Sample(Box<Sample>),
    /// A line the command wrote (without its line ending).
    Output {
        /// Which of its output streams.
        stream: Stream,
        /// The text, decoded lossily as UTF-8.
        line: String,
    },
    /// The command ended and has been reaped.
    Exited(ExitInfo),
    /// A termination signal arrived.
    Signal(i32),
    /// Reading terminal input failed.
    InputFailed(String),
}

impl FromInput for Msg {
    fn from_input(input: Input) -> Option<Self> {
        match input {
            Input::Key(key) => Some(Self::Key(key)),
            // The watch screen has nothing to click.
            Input::Mouse(_) => None,
            Input::Resize(width, height) => Some(Self::Resize(width, height)),
            Input::Signal(signal) => Some(Self::Signal(signal)),
            Input::Failed(why) => Some(Self::InputFailed(why)),
        }
    }
}

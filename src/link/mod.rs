//! The link between the room's screen (`lectern present`) and the presenter's screen
//! (`lectern presenter`): a Unix socket in a private directory, JSON lines, no network port.
//! Either screen drives both; each keeps working when the other goes.

pub mod dir;
pub mod presenter_end;
pub mod room_end;
pub mod wire;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use presenter_end::{FromRoom, ScreenLink};
pub use room_end::{LinkEvent, RoomLink};
pub use wire::{DemoState, LessonRef, RoomState, ToPresenter, ToRoom};

/// Why the link could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The private directory for sockets is unusable.
    #[error("cannot use {} for the presenter link: {source}", dir.display())]
    Dir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The socket could not be made.
    #[error("cannot listen on {}: {source}", path.display())]
    Socket {
        /// The socket's path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A session name with characters a file name should not have.
    #[error(
        "`{0}` is not a usable name: use ASCII letters, digits, `.`, `_` and `-` (at most \
         {max} characters, not starting with `.`)",
        max = dir::MAX_NAME
    )]
    BadName(String),
    /// Another lecture is presented under this name.
    #[error("a lecture named `{0}` is already being presented here: choose another --name")]
    Taken(String),
}

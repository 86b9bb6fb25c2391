//! The link between the room's screen (`lectern present`) and the presenter's screen
//! (`lectern presenter`): a Unix socket in a private directory, JSON lines, no network port.
//! Either screen drives both; each keeps working when the other goes.

pub mod dir;
pub mod presenter_end;
pub mod room_end;
pub mod wire;

#[cfg(test)]
mod tests;

pub use dir::LinkError;
pub use presenter_end::{FromRoom, ScreenLink};
pub use room_end::{LinkEvent, RoomLink};
pub use wire::{DemoState, LessonRef, RoomState, ToPresenter, ToRoom};

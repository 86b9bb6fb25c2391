//! The lecture: the room's full-screen view of a lesson, its demos and their gauges. Like
//! [`crate::watch`] and [`crate::presenter`], everything of this screen lives here:
//!
//! - state: [`app`] (the [`App`]), with the demo panel ([`demo_panel_state`], [`run`]), the
//!   verdicts, the slide's code run ([`snippet`]), the timer and what the presenter screen is
//!   told ([`room_state`]);
//! - messages in and effects out: [`msg`];
//! - the one function that changes the state: `App::update` (in `update.rs`, with the demo,
//!   snippet and verdict keys and messages in `update_demo.rs`, `update_snippet.rs` and
//!   `update_verdicts.rs`), with the keys in [`keymap`];
//! - drawing: [`view`], pure, from `&App`;
//! - the event loop that feeds messages in and performs the effects: [`event_loop`].

pub mod aids;
pub mod app;
pub mod class_state;
pub mod demo_panel_state;
pub mod event_loop;
pub mod keymap;
pub mod learn;
pub mod msg;
pub mod room_state;
pub mod run;
pub mod session;
mod session_restore;
pub mod snippet;
pub mod stopwatch;
pub mod text_field;
pub mod timings;
mod update;
mod update_class;
mod update_demo;
mod update_learn;
mod update_reload;
mod update_snippet;
mod update_verdicts;
pub mod verdicts;
pub mod view;

#[cfg(test)]
mod tests;

pub use app::{App, EngineChoiceState, LaidOut, LaidOutText};
pub use demo_panel_state::{DemoPanel, next_int};
pub use event_loop::{LinkOptions, PresentOptions, UI_LABEL, present};
pub use keymap::{Action, BINDINGS, Binding, MOUSE_HELP, Step, action_for};
pub use msg::{Effect, LayoutFacts, Msg};
pub use run::{CoreTimeline, DemoProcess, Run, RunEnd, Slot};
pub use snippet::{SNIPPET_LINE_CHARS, SNIPPET_LINES, SnippetEnd, SnippetRun};
pub use stopwatch::Stopwatch;
pub use verdicts::{VERDICTS_SLOT, Verdicts};

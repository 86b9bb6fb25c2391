//! The lecture's event loop and what it drives: one channel in, `update` → effects → draw when
//! something changed; the demo and snippet processes it starts and kills; the highlight
//! helper; the layout facts it hands back to `update`; where frames go (terminal, recording,
//! memory) with the markers a recording gets; and the tour script it runs.

mod class_link;
mod code_editor;
mod demo_processes;
pub mod highlight_helper;
mod layout_tracker;
mod lesson_watch;
mod markers;
mod outputs;
mod present;
mod progress_file;
mod session_file;
mod snippet_process;
mod state_files;
mod timings_file;
mod tour;

pub use class_link::ClassSetup;
pub use layout_tracker::LayoutTracker;
pub use markers::MarkerTracker;
pub use outputs::{ScreenOptions, Screens};
pub use present::{LinkOptions, PresentOptions, UI_LABEL, present};
pub use progress_file::progress_path;
pub use session_file::{SessionOptions, SessionStart};
pub use tour::{Advance, ScriptRunner};

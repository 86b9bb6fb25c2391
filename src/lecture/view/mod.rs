//! Drawing the lecture, pure: `render(&App)` reads the state and nothing else. The screen's
//! areas ([`areas`]), the slide and its notes, the demo panel, the gauges beside them, the
//! footer and the help overlay; and the layout facts `update` needs ([`facts`]).

pub mod areas;
pub mod captions_strip;
pub mod demo_panel;
pub mod facts;
mod footer;
mod help;
mod notes;
mod offer;
pub mod plan;
mod sidebar;
mod slide_view;

pub use demo_panel::{Window, panel_lines};
pub use facts::{demo_facts, lay_out, layout_facts, layout_key, slide_facts};
pub use plan::{plan, render};

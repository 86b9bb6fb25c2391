//! What the screens share for drawing: writing lines into cells, word-wrapping, the rounded
//! panel and the frame every screen has, lesson blocks as styled lines, the generic views any
//! demo describes, the gauges, damage-tracked frames, and the too-small screen. Nothing here
//! knows which screen it is drawing.

pub mod blocks;
pub mod buffers;
pub mod cells;
pub mod clock;
pub mod damage;
pub mod frame;
pub mod gauges;
pub mod inline_style;
pub mod markdown_table;
pub mod panel;
pub mod printable;
pub mod too_small;
pub mod views;
pub mod wrap;

pub use blocks::{blocks_lines, slide_lines};

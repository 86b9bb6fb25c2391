//! lectern: a terminal lecture companion. The binary is a thin shell over this library so
//! tests and benchmarks can drive the same code.

pub mod app;
pub mod check;
pub mod claims;
pub mod cli;
pub mod demo_runtime;
pub mod demos;
pub mod export;
pub mod gauges;
pub mod headless;
pub mod input;
pub mod lesson;
pub mod link;
pub mod msg;
pub mod os;
pub mod presenter;
pub mod process;
pub mod record;
pub mod run;
pub mod sampler;
pub mod screen;
pub mod script;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod watch;

//! Demos: real processes started from a slide or the command line, measured, and always
//! cleaned up.
//!
//! The UI (or `lectern demo`) starts `lectern worker demo NAME` in a process group of its
//! own; the worker, single-threaded, does the forking and reports on its stdout in the
//! versioned line protocol of [`protocol`]. Stopping a demo kills its whole group, and every
//! process of a demo asks the kernel to kill it when its parent dies.

mod catalog;
mod child;
mod chunksize;
mod context;
mod fork_lock;
mod gil;
pub mod headless;
mod ipc;
mod main_guard;
pub mod protocol;
mod queue_sentinel;
pub mod registry;
pub mod runner;
mod start_methods;
pub(crate) mod util;
pub mod worker;

pub use catalog::ALL;
pub use registry::{DemoError, DemoSpec, Params, find};

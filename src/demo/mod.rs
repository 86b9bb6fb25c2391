//! Demos: real processes started from a slide or the command line, measured, and always
//! cleaned up.
//!
//! A demo is one unit ([`unit::Demo`]): its spec, typed parameters and run function live in
//! its own file, and [`catalog::ALL`] lists them. The UI (or `lectern demo`) starts `lectern
//! worker demo NAME` in a process group of its own; the worker, single-threaded, does the
//! forking and reports on its stdout in the versioned line protocol of [`protocol`], drawing
//! its panel with the generic views of [`view`]. Stopping a demo kills its whole group, and
//! every process of a demo asks the kernel to kill it when its parent dies.

pub mod catalog;
mod chunksize;
mod context;
mod crossover;
pub mod engine;
mod fork_lock;
mod gil;
mod io_bound;
mod ipc;
pub mod machine;
mod main_guard;
pub mod params;
mod paths_vs_payloads;
mod pickling;
mod pool;
mod pool_api;
mod process_cost;
pub mod protocol;
mod queue_sentinel;
pub mod runner;
mod start_methods;
pub mod supervisor;
pub mod twins;
pub mod unit;
pub(crate) mod util;
pub mod view;
pub mod worker;
mod worker_crash;

pub use catalog::{ALL, find};
pub use params::Params;
pub use unit::{Demo, DemoError, DemoSpec};

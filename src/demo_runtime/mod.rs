//! How any demo runs, whatever it is: a unit's spec and typed parameters, the context its
//! body works with, the engines (lectern's native worker, or a CPython twin under lectern's
//! supervisor), the runner that starts and stops a run in a process group of its own, and the
//! versioned line protocol and generic view events a demo describes its panel with. It knows
//! no demo by name: the units live in [`crate::demos`], which lists them.
//!
//! The UI (or `lectern demo`) starts `lectern worker demo NAME` in a process group of its
//! own; the worker, single-threaded, does the forking and reports on its stdout. Stopping a
//! demo kills its whole group, and every process of a demo asks the kernel to kill it when
//! its parent dies.

pub mod context;
pub mod engine;
pub mod ipc;
pub mod launch;
mod lifetimes;
pub mod machine;
pub mod params;
pub mod pool;
pub mod protocol;
pub mod python;
pub mod reap;
pub mod records;
pub mod request;
pub mod run_dir;
pub mod runner;
pub mod supervisor;
pub mod twins;
pub mod unit;
pub mod view;
pub mod work;
pub mod worker;

pub use params::Params;
pub use request::RunRequest;
pub use unit::{Demo, DemoError, DemoSpec};

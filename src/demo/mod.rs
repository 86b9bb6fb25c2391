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
/// The README's worked example of a demo unit: compiled and checked here, so the README's
/// copy cannot drift from the code.
#[cfg(test)]
mod example_sleepers;
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

#[cfg(test)]
mod tests {
    use super::Demo;

    #[test]
    fn the_readme_quotes_the_example_demo_exactly_as_it_compiles() {
        let readme = include_str!("../../README.md");
        let example = include_str!("example_sleepers.rs");
        assert!(
            readme.contains(&format!("```rust\n{example}```")),
            "README.md's `sleepers` example differs from src/demo/example_sleepers.rs"
        );
    }

    #[test]
    fn the_example_demo_accepts_its_defaults_and_has_a_cap() {
        let demo: &dyn Demo = &super::example_sleepers::DEMO;
        assert!(demo.param("cap").is_some());
        demo.check(&demo.defaults()).unwrap();
    }
}

//! The demos lectern ships, one unit per file (or folder): each a spec, typed parameters and
//! a run function written against [`crate::demo_runtime`]. This file is the catalog, the one
//! place that lists them: a line per unit, in lecture order, and a line per file of their
//! CPython twins. Nothing else names a demo (see `docs/adding-a-demo.md`).

pub mod local;
mod lookup;

pub use lookup::{find, find_in, names, run_child, run_worker};

use crate::demo_runtime::twins::TwinFiles;
use crate::demo_runtime::unit::Demo;

/// Declares each unit's module and lists its `DEMO` in [`ALL`], in the order given.
macro_rules! catalog {
    ($($unit:ident),* $(,)?) => {
        $(mod $unit;)*

        /// Every demo, in lecture order.
        pub static ALL: &[&dyn Demo] = &[$(&$unit::DEMO),*];
    };
}

catalog![
    gil,
    start_methods,
    fork_lock,
    main_guard,
    process_cost,
    pickling,
    queue_sentinel,
    pool_api,
    chunksize,
    paths_vs_payloads,
    crossover,
    worker_crash,
    io_bound,
];

/// One file of a twin: its name and its text, embedded from `assets/python/`.
macro_rules! twin {
    ($name:literal) => {
        ($name, include_str!(concat!("../../assets/python/", $name)))
    };
}

/// Every file of the CPython twins and their helpers, from `assets/python` (the runtime adds
/// the protocol module they share).
pub static TWINS: TwinFiles = &[
    twin!("demo_gil.py"),
    twin!("demo_start_methods.py"),
    twin!("demo_fork_lock.py"),
    twin!("demo_main_guard.py"),
    twin!("main_guard_guarded.py"),
    twin!("main_guard_unguarded.py"),
    twin!("demo_queue_sentinel.py"),
    twin!("demo_chunksize.py"),
    twin!("demo_process_cost.py"),
    twin!("demo_pickling.py"),
    twin!("demo_paths_vs_payloads.py"),
    twin!("demo_pool_api.py"),
    twin!("demo_crossover.py"),
    twin!("demo_worker_crash.py"),
    twin!("demo_io_bound.py"),
];

/// The worked example of a demo unit in `docs/adding-a-demo.md`: compiled and checked here,
/// so the guide's copy cannot drift from the code.
#[cfg(test)]
pub(crate) mod example_sleepers;

#[cfg(test)]
mod tests {
    use crate::demo_runtime::Demo;

    #[test]
    fn the_guide_quotes_the_example_demo_exactly_as_it_compiles() {
        let guide = include_str!("../../docs/adding-a-demo.md");
        let example = include_str!("example_sleepers.rs");
        assert!(
            guide.contains(&format!("```rust\n{example}```")),
            "docs/adding-a-demo.md's `sleepers` example differs from \
             src/demos/example_sleepers.rs"
        );
    }

    #[test]
    fn the_example_demo_accepts_its_defaults_and_has_a_cap() {
        let demo: &dyn Demo = &super::example_sleepers::DEMO;
        assert!(demo.param("cap").is_some());
        demo.check(&demo.defaults()).unwrap();
    }
}

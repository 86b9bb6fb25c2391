//! The demos lectern ships, one unit per file (or folder): each a spec, typed parameters and
//! a run function written against [`crate::demo_runtime`], and the catalog that lists them.
//! Nothing else names a demo.

pub mod catalog;
mod chunksize;
mod crossover;
/// The worked example of a demo unit in `docs/adding-a-demo.md`: compiled and checked here,
/// so the guide's copy cannot drift from the code.
#[cfg(test)]
mod example_sleepers;
mod fork_lock;
mod gil;
mod io_bound;
mod main_guard;
mod paths_vs_payloads;
mod pickling;
mod pool_api;
mod process_cost;
mod queue_sentinel;
mod start_methods;
mod worker_crash;

pub use catalog::{ALL, TWINS, find, names, run_child, run_worker};

#[cfg(test)]
mod tests {
    use crate::demo_runtime::Demo;

    #[test]
    fn the_readme_quotes_the_example_demo_exactly_as_it_compiles() {
        let readme = include_str!("../../README.md");
        let example = include_str!("example_sleepers.rs");
        assert!(
            readme.contains(&format!("```rust\n{example}```")),
            "README.md's `sleepers` example differs from src/demos/example_sleepers.rs"
        );
    }

    #[test]
    fn the_example_demo_accepts_its_defaults_and_has_a_cap() {
        let demo: &dyn Demo = &super::example_sleepers::DEMO;
        assert!(demo.param("cap").is_some());
        demo.check(&demo.defaults()).unwrap();
    }
}

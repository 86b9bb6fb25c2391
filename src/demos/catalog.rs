//! The demos lectern ships: one line per demo unit, in lecture order, and one per file of
//! their CPython twins. A demo's name, title, parameters and code live in its own file.

use std::process::ExitCode;

use super::{
    chunksize, crossover, fork_lock, gil, io_bound, main_guard, paths_vs_payloads, pickling,
    pool_api, process_cost, queue_sentinel, start_methods, worker_crash,
};
use crate::demo_runtime::twins::TwinFiles;
use crate::demo_runtime::unit::{Demo, DemoError};
use crate::demo_runtime::worker;

/// Every demo, in lecture order.
pub static ALL: &[&dyn Demo] = &[
    &gil::DEMO,
    &start_methods::DEMO,
    &fork_lock::DEMO,
    &main_guard::DEMO,
    &process_cost::DEMO,
    &pickling::DEMO,
    &queue_sentinel::DEMO,
    &pool_api::DEMO,
    &chunksize::DEMO,
    &paths_vs_payloads::DEMO,
    &crossover::DEMO,
    &worker_crash::DEMO,
    &io_bound::DEMO,
];

/// One file of a twin: its name and its text, embedded from `assets/python/`.
macro_rules! twin {
    ($name:literal) => {
        ($name, include_str!(concat!("../../assets/python/", $name)))
    };
}

/// Every file of the CPython twins and their helpers, in `assets/python` (the runtime adds
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

/// Looks a demo up by name.
///
/// # Errors
/// [`DemoError::UnknownDemo`] listing the available names.
pub fn find(name: &str) -> Result<&'static dyn Demo, DemoError> {
    ALL.iter()
        .copied()
        .find(|d| d.spec().name == name)
        .ok_or_else(|| DemoError::UnknownDemo {
            name: name.into(),
            valid: names().join(", "),
        })
}

/// Every demo's name, in catalog order.
#[must_use]
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|d| d.spec().name).collect()
}

/// `lectern worker demo NAME --params JSON`: runs demo `name` in this worker process.
#[must_use]
pub fn run_worker(name: &str, parent: u32, params: &str) -> ExitCode {
    worker::run_demo(find(name), parent, params)
}

/// `lectern worker child NAME JOB`: a job for a process demo `name` started by exec.
#[must_use]
pub fn run_child(name: &str, job: &str) -> ExitCode {
    worker::run_child(find(name), job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::RunRequest;
    use crate::demo_runtime::params::{Kind, ParamValue};

    #[test]
    fn every_demo_with_a_python_twin_ships_it() {
        for demo in ALL {
            if let Some(program) = demo.spec().python {
                assert!(
                    TWINS.iter().any(|(name, _)| *name == program),
                    "{}: {program} is not embedded",
                    demo.spec().name
                );
            }
        }
    }

    #[test]
    fn unknown_names_list_the_valid_choices() {
        let err = find("forkk").unwrap_err();
        for name in names() {
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn every_demo_has_a_unique_name_a_cap_and_defaults_its_parameter_struct_accepts() {
        let mut seen = std::collections::HashSet::new();
        for demo in ALL {
            let spec = demo.spec();
            assert!(seen.insert(spec.name), "{} is listed twice", spec.name);
            let defaults = demo.defaults();
            assert!(demo.param("cap").is_some(), "{} has no cap", spec.name);
            demo.check(&defaults)
                .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            for param in spec.params {
                if let (Kind::Int { min, max }, ParamValue::Int(v)) =
                    (param.kind, &defaults[param.name])
                {
                    assert!(
                        (min..=max).contains(v),
                        "{}.{} default {v}",
                        spec.name,
                        param.name
                    );
                }
            }
        }
    }

    #[test]
    fn every_demos_quick_parameters_are_valid() {
        for demo in ALL {
            RunRequest::from_pairs(*demo, demo.spec().quick.iter().copied())
                .unwrap_or_else(|e| panic!("{}: {e}", demo.spec().name));
        }
    }

    #[test]
    fn every_request_crosses_to_the_worker_as_json_unchanged() {
        for demo in ALL {
            for request in [
                RunRequest::defaults(*demo),
                RunRequest::from_pairs(*demo, demo.spec().quick.iter().copied())
                    .unwrap_or_else(|e| panic!("{}: {e}", demo.spec().name)),
            ] {
                let back = RunRequest::from_json(*demo, &request.json())
                    .unwrap_or_else(|e| panic!("{}: {e}", demo.spec().name));
                assert_eq!(back, request);
            }
        }
        let gil = find("gil").unwrap();
        let err = RunRequest::from_json(gil, r#"{"workers": "two"}"#).unwrap_err();
        assert!(matches!(err, DemoError::BadValue { .. }), "{err}");
        let err = RunRequest::from_json(gil, "[1]").unwrap_err();
        assert!(err.to_string().contains("not a JSON object"), "{err}");
    }

    #[test]
    fn values_are_typed_ranged_and_refused_with_the_valid_choices() {
        for demo in ALL {
            let spec = demo.spec();
            let err = RunRequest::from_pairs(*demo, [("no_such_parameter", "1")]).unwrap_err();
            for param in spec.params {
                assert!(err.to_string().contains(param.name), "{err}");
            }
            for param in spec.params {
                let bad = match param.kind {
                    Kind::Int { max, .. } => (max + 1).to_string(),
                    Kind::Bool => "maybe".into(),
                    Kind::Choice(_) => "no-such-choice".into(),
                };
                let err = RunRequest::from_pairs(*demo, [(param.name, bad.as_str())]).unwrap_err();
                assert!(
                    matches!(err, DemoError::BadValue { .. }),
                    "{}.{}: {err}",
                    spec.name,
                    param.name
                );
                assert!(err.to_string().contains(&param.expected()), "{err}");
            }
        }
    }
}

//! Finding a demo of the catalog by name: for lesson directives, `lectern demo NAME`, and the
//! worker processes (`lectern worker demo|child NAME`).

use std::process::ExitCode;

use super::ALL;
use crate::demo_runtime::unit::{Demo, DemoError};
use crate::demo_runtime::worker;
use crate::lesson::Lesson;

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

/// Looks a demo up by name among `lesson`'s own demos, then the built-in ones.
///
/// # Errors
/// [`DemoError::UnknownDemo`] listing the lesson's demos and the built-in ones.
pub fn find_in(lesson: &Lesson, name: &str) -> Result<&'static dyn Demo, DemoError> {
    if let Some(demo) = super::local::find(lesson, name) {
        return Ok(demo);
    }
    find(name).map_err(|_| {
        let mut valid: Vec<&str> = lesson
            .meta
            .demos
            .iter()
            .map(|d| d.name.get_ref().as_str())
            .collect();
        valid.extend(names());
        DemoError::UnknownDemo {
            name: name.into(),
            valid: valid.join(", "),
        }
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
    use crate::demos::TWINS;

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

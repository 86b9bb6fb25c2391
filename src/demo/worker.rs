//! The worker side of a demo: lectern re-executed as `lectern worker demo NAME`, a fresh
//! single-threaded process in its own process group, which does all the forking.

use std::process::ExitCode;

use super::child::ChildJob;
use super::context::Ctx;
use super::protocol::{Emitter, Event};
use super::registry::{self, split_set, to_json};
use super::{chunksize, fork_lock, gil, main_guard, queue_sentinel, start_methods};
use crate::os;

/// Runs demo `name` with `sets` (`key=value`), reporting on stdout. `parent` is the lectern
/// process that started this worker: if it dies, so does the worker (and, in a chain, every
/// process the demo created).
#[must_use]
pub fn run_demo(name: &str, parent: u32, sets: &[String]) -> ExitCode {
    os::die_with_parent(parent);
    let out = Emitter;
    let prepared = registry::find(name).and_then(|spec| {
        let pairs = sets
            .iter()
            .map(|s| split_set(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((spec, spec.params_from(pairs)?))
    });
    let (spec, params) = match prepared {
        Ok(prepared) => prepared,
        Err(err) => {
            out.send(&Event::Error {
                message: err.to_string(),
            });
            return ExitCode::from(2);
        }
    };
    out.send(&Event::Hello {
        demo: spec.name.into(),
        params: to_json(&params),
        engine: "rust".into(),
    });
    out.send(&Event::Process {
        pid: std::process::id(),
        ppid: parent,
        role: format!("demo: {}", spec.name),
    });
    let mut ctx = match Ctx::new(spec, params) {
        Ok(ctx) => ctx,
        Err(err) => {
            out.send(&Event::Error {
                message: format!("cannot set up the demo: {err}"),
            });
            return ExitCode::FAILURE;
        }
    };
    let ran = match spec.name {
        "start-methods" => start_methods::run(&mut ctx),
        "fork-lock" => fork_lock::run(&mut ctx),
        "main-guard" => main_guard::run(&mut ctx),
        "gil" => gil::run(&mut ctx),
        "queue-sentinel" => queue_sentinel::run(&mut ctx),
        "chunksize" => chunksize::run(&mut ctx),
        other => Err(std::io::Error::other(format!(
            "demo `{other}` has no implementation"
        ))),
    };
    match ran {
        Ok(()) => {
            ctx.finish();
            ExitCode::SUCCESS
        }
        Err(err) => {
            out.send(&Event::Error {
                message: err.to_string(),
            });
            ExitCode::FAILURE
        }
    }
}

/// Runs a spawned child's job (given as JSON on the command line).
#[must_use]
pub fn run_child(job: &str) -> ExitCode {
    match serde_json::from_str::<ChildJob>(job) {
        Ok(job @ ChildJob::StartChild { .. }) => start_methods::spawned_child(&job),
        Ok(job @ ChildJob::GuardNode { .. }) => main_guard::spawned_node(&job),
        Err(err) => {
            eprintln!("lectern worker child: bad job: {err}");
            ExitCode::from(2)
        }
    }
}

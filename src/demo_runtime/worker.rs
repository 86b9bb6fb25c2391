//! The worker side of a demo: lectern re-executed as `lectern worker demo NAME`, a fresh
//! single-threaded process in its own process group, which does all the forking. It is
//! handed the unit the catalog found (or why none was) and runs it: no dispatch on names.

use std::process::ExitCode;

use super::context::Ctx;
use super::params::to_json;
use super::protocol::{Emitter, Event};
use super::request::RunRequest;
use super::unit::{Demo, DemoError};
use crate::os;

/// The engine name native demos report.
pub const ENGINE: &str = "native";

/// Runs the demo the catalog `found` with the parameters in `params` (the JSON object of a
/// [`RunRequest`], checked again here), reporting on stdout, or reports why it cannot. `parent` is the lectern process that started this worker: if it
/// dies, so does the worker (and, in a chain, every process the demo created).
#[must_use]
pub fn run_demo(
    found: Result<&'static dyn Demo, DemoError>,
    parent: u32,
    params: &str,
) -> ExitCode {
    os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
    let out = Emitter;
    let request = found.and_then(|demo| RunRequest::from_json(demo, params));
    let (demo, params) = match request {
        Ok(request) => (request.demo(), request.params().clone()),
        Err(err) => {
            out.send(&Event::Error {
                message: err.to_string(),
            });
            return ExitCode::from(2);
        }
    };
    let name = demo.spec().name;
    out.send(&Event::Hello {
        demo: name.into(),
        params: to_json(&params),
        engine: ENGINE.into(),
        engine_detail: format!("lectern {} (Rust)", env!("CARGO_PKG_VERSION")),
    });
    out.send(&Event::Process {
        pid: std::process::id(),
        ppid: parent,
        role: name.into(),
    });
    let mut ctx = match Ctx::new(name, params) {
        Ok(ctx) => ctx,
        Err(err) => {
            out.send(&Event::Error {
                message: format!("cannot set up the demo: {err}"),
            });
            return ExitCode::FAILURE;
        }
    };
    match demo.run(&mut ctx) {
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

/// Runs a job for a process that the demo the catalog `found` started by exec (the job is
/// JSON the demo defined).
#[must_use]
pub fn run_child(found: Result<&'static dyn Demo, DemoError>, job: &str) -> ExitCode {
    match found {
        Ok(demo) => demo.child(job),
        Err(err) => {
            eprintln!("lectern worker child: {err}");
            ExitCode::from(2)
        }
    }
}

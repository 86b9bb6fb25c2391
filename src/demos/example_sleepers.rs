//! `sleepers`: N children that each sleep a second, so the gauges show a tree of idle processes.

use std::io;
use std::time::Duration;

use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param, fits_under_cap};
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::unit::{DemoSpec, Unit, little_memory, seconds};
use crate::demo_runtime::view::{Tone, View};
use crate::os::Forked;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "sleepers",
        title: "Idle children",
        summary: "Forks N children that sleep a second, then reaps them.",
        params: &[
            ParamSpec {
                name: "children",
                kind: Kind::Int { min: 1, max: 8 },
                default: Default::Int(3),
                unit: "processes",
                meaning: "children to fork",
            },
            cap_param(16),
        ],
        quick: &[("children", "1")],
        results: &["children"],
        python: None, // or Some("demo_sleepers.py"): its CPython twin in assets/python
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: |s| fits_under_cap(s.children + 1, s.cap, "children"),
    run,
    child: None, // or Some(fn) for processes the demo starts by exec
    memory: little_memory,
    estimate: |_| seconds(1.1), // each child sleeps a second
};

/// Field names are the parameter names; filled once from the checked parameters.
#[derive(Debug, Deserialize)]
pub struct Settings {
    /// Children to fork.
    pub children: u32,
    /// Process cap.
    pub cap: u32,
}

fn run(ctx: &mut Ctx, s: &Settings) -> io::Result<()> {
    let mut children = Vec::new();
    for i in 1..=s.children {
        // Counted against the cap, and refused if this process has other threads.
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => {
                std::thread::sleep(Duration::from_secs(1));
                std::process::exit(0);
            }
            Some(Forked::Parent(pid)) => {
                let role = format!("sleeper {i}");
                ctx.process(pid, std::process::id(), &role);
                children.push((pid, role));
            }
        }
    }
    let mut rows = Vec::new();
    for (pid, role) in &children {
        let exit = reap_and_report(ctx.out, *pid, role);
        rows.push(vec![role.clone(), exit.describe()]);
    }
    let columns = vec!["child".into(), "ended".into()];
    let caption = String::new();
    ctx.view(
        "ends",
        View::Table {
            columns,
            rows,
            tones: vec![],
            merge: false,
            caption,
        },
    );
    ctx.headline(
        format!("{} children slept and were reaped.", children.len()),
        Tone::Good,
    );
    ctx.result("children", children.len());
    Ok(())
}

//! `main-guard`: what spawn does to a script without `if __name__ == "__main__"`. Each
//! spawned child imports the script again, so it runs "main" again and starts children of
//! its own. Real processes, stopped by a depth limit and the process cap, kept alive for a
//! while so the room can look at the tree.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::{Child, ExitCode};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::demo_runtime::context::{Ctx, Tokens, spawn_worker_child};
use crate::demo_runtime::params::{Default, Kind, LINGER, ParamSpec, cap_param};
use crate::demo_runtime::protocol::{Emitter, NoteLevel};
use crate::demo_runtime::reap::exit_event;
use crate::demo_runtime::records::{read_record, wait_for_release, write_record};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit, no_check};
use crate::demo_runtime::view::{Level, Tone, View, count};
use crate::os;

/// How long the tree may take to finish growing.
const GROWTH_TIMEOUT: Duration = Duration::from_secs(30);

/// The demo's name, also used to start its nodes by exec.
const NAME: &str = "main-guard";

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: NAME,
        title: "Spawn without if __name__ == \"__main__\"",
        summary: "Each spawned child re-runs main and starts children of its own, as spawn \
                  does to a script without the guard: a growing tree of real processes, \
                  stopped by a depth limit and the process cap. guard=true starts only the \
                  intended children.",
        params: &[
            ParamSpec {
                name: "guard",
                kind: Kind::Bool,
                default: Default::Bool(false),
                unit: "",
                meaning: "wrap main in if __name__ == \"__main__\"",
            },
            ParamSpec {
                name: "children",
                kind: Kind::Int { min: 1, max: 4 },
                default: Default::Int(2),
                unit: "processes",
                meaning: "children each main() starts",
            },
            ParamSpec {
                name: "depth",
                kind: Kind::Int { min: 1, max: 12 },
                default: Default::Int(8),
                unit: "levels",
                meaning: "how deep re-running main may go before the demo stops it",
            },
            LINGER,
            cap_param(24),
        ],
        quick: &[("depth", "2"), ("linger_s", "0")],
        results: &[
            "capped",
            "growth_ms",
            "max_depth_reached",
            "would_start_without_cap",
        ],
        python: Some("demo_main_guard.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: no_check,
    run,
    child: Some(spawned_node),
    memory: crate::demo_runtime::unit::little_memory,
    estimate: |s| seconds(0.5 + s.linger_s as f64),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Whether main is guarded.
    pub guard: bool,
    /// Children each `main()` starts.
    pub children: u32,
    /// Depth limit.
    pub depth: u32,
    /// Seconds the tree stays up after growing.
    pub linger_s: u64,
}

/// The `main-guard` settings and pipes every process of the tree shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct GuardTree {
    /// How many children each `main()` starts.
    children: u32,
    /// Depth beyond which no process starts more.
    max_depth: u32,
    /// Whether `main()` is guarded (then children never re-run it).
    guard: bool,
    /// The process budget pipe.
    tokens_fd: i32,
    /// Read until end of file, then reap and exit.
    release_fd: i32,
    /// Where to write `[pid, ppid, depth, started, capped]` once its children are started.
    report_fd: i32,
}

/// What a spawned node is told on its command line: "main" run again by a spawned child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct NodeJob {
    /// PID of the process that spawned it.
    parent: u32,
    /// Its depth in the tree (the demo itself is 0).
    depth: u32,
    /// Which child of its parent it is (1-based).
    index: u32,
    /// What every node of the tree shares.
    #[serde(flatten)]
    tree: GuardTree,
}

/// One process of the tree: where it stands and what the whole tree shares.
struct Node {
    depth: u32,
    tree: GuardTree,
}

impl Node {
    /// "main()": start this node's children, unless guarded below the top or too deep.
    /// Returns the children started and whether the cap stopped it.
    fn main(&self, out: Emitter) -> (Vec<(Child, String)>, bool) {
        let mut started = Vec::new();
        let tree = self.tree;
        let reruns_main = self.depth == 0 || !tree.guard;
        if !reruns_main || self.depth >= tree.max_depth {
            return (started, false);
        }
        for index in 1..=tree.children {
            if !Tokens::take_from(tree.tokens_fd) {
                return (started, true);
            }
            let job = NodeJob {
                parent: std::process::id(),
                depth: self.depth + 1,
                index,
                tree,
            };
            let arg = serde_json::to_string(&job).unwrap_or_default();
            match spawn_worker_child(NAME, &arg) {
                Ok(child) => started.push((child, role(self.depth + 1, index, tree.guard))),
                Err(err) => out.send(&crate::demo_runtime::protocol::Event::Error {
                    message: format!("spawn failed: {err}"),
                }),
            }
        }
        (started, false)
    }
}

/// The label a node shows in the gauges.
fn role(depth: u32, index: u32, guard: bool) -> String {
    if guard {
        format!("worker {index}")
    } else {
        format!("main again depth {depth}")
    }
}

/// Waits for release, then reaps and reports this node's children.
fn release_and_reap(out: Emitter, release_fd: i32, children: Vec<(Child, String)>) {
    wait_for_release(release_fd);
    for (mut child, role) in children {
        let pid = child.id();
        let exit = child
            .wait()
            .map_or(crate::process::ExitInfo::Unknown, crate::process::exit_info);
        out.send(&exit_event(pid, &role, exit));
    }
}

/// Runs the demo from its root (depth 0: the script run by the user).
///
/// # Errors
/// If a pipe fails or the tree does not finish growing.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let Settings {
        guard,
        children,
        depth: max_depth,
        ..
    } = *settings;
    let cap = ctx.tokens.cap();
    let linger = Duration::from_secs(settings.linger_s);
    let (release_read, release_write) = os::inheritable_pipe()?;
    // Children must not inherit the write end, or the release would never come.
    nix::fcntl::fcntl(
        release_write.as_fd(),
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    )
    .map_err(io::Error::from)?;
    let (report_read, report_write) = os::inheritable_pipe()?;
    ctx.note(
        NoteLevel::Info,
        if guard {
            "guard=true: main() runs only in the script itself; each spawned child imports the module, \
             skips the guarded block and only does its work."
        } else {
            "guard=false: spawn starts each child by importing the script again, so every child runs \
             main() again and starts children of its own."
        },
    );
    let root = Node {
        depth: 0,
        tree: GuardTree {
            children,
            max_depth,
            guard,
            tokens_fd: ctx.tokens.fd(),
            release_fd: release_read.as_raw_fd(),
            report_fd: report_write.as_raw_fd(),
        },
    };
    let started_at = Instant::now();
    let (mine, mut capped) = root.main(ctx.out);
    ctx.count_started(i64::try_from(mine.len()).unwrap_or(i64::MAX));
    let root_children = u32::try_from(mine.len()).unwrap_or(u32::MAX);
    let (total, deepest, capped_below) = await_growth(ctx, &report_read, root_children)?;
    capped |= capped_below;
    let processes = 1 + total;
    ctx.result(
        "processes_started",
        i64::try_from(processes).unwrap_or(i64::MAX),
    );
    ctx.result("cap", cap);
    ctx.result("capped", capped);
    ctx.result("max_depth_reached", i64::from(deepest));
    ctx.result("growth_ms", started_at.elapsed().as_secs_f64() * 1000.0);
    let unbounded: u64 = (1..=max_depth)
        .map(|d| u64::from(children).pow(d))
        .sum::<u64>()
        + 1;
    ctx.result(
        "would_start_without_cap",
        i64::try_from(unbounded).unwrap_or(i64::MAX),
    );
    let (headline, explanation) =
        banner(guard, capped, processes, cap, deepest, max_depth, unbounded);
    ctx.headline(headline, if capped { Tone::Bad } else { Tone::Good });
    if let Some(explanation) = explanation {
        ctx.note(NoteLevel::Info, explanation);
    }
    ctx.progress(
        format!("the tree stays alive {} s", linger.as_secs()),
        None,
        None,
    );
    std::thread::sleep(linger);
    drop(release_write);
    release_and_reap(ctx.out, release_read.as_raw_fd(), mine);
    drop(report_write);
    Ok(())
}

/// The run's headline, and the explanation that goes with it.
fn banner(
    guard: bool,
    capped: bool,
    processes: u64,
    cap: i64,
    deepest: u32,
    max_depth: u32,
    unbounded: u64,
) -> (String, Option<String>) {
    if guard {
        return (
            format!(
                "With the guard: {}, exactly the script and the children it asked for.",
                count(processes, "process", "processes")
            ),
            None,
        );
    }
    let headline = if capped {
        format!(
            "Without the guard the tree kept growing until lectern's cap stopped it: {} \
             (cap {cap}), depth {deepest}.",
            count(processes, "process", "processes")
        )
    } else {
        format!(
            "Without the guard the tree kept growing until the demo's depth limit: {}, depth \
             {deepest}.",
            count(processes, "process", "processes")
        )
    };
    let explanation = format!(
        "Without the cap, depth {max_depth} alone means {} processes, and with no depth limit it \
         never stops: a fork bomb. Current CPython catches this case: a child that starts \
         processes while it is still importing the script raises RuntimeError instead. This \
         demo shows what happens without that safety net.",
        crate::demo_runtime::view::group(unbounded as f64, 0)
    );
    (headline, Some(explanation))
}

/// Reads the nodes' reports until every started process has reported. A report can arrive
/// before its parent's (a child may finish starting its own children first), so growth is
/// over only when, for the root and every reporting node, the reports naming it as parent
/// match the number of children it said it started. Returns processes started below the
/// root, the deepest level and whether the cap stopped any node.
fn await_growth(ctx: &Ctx, reports: &OwnedFd, root_children: u32) -> io::Result<(u64, u32, bool)> {
    let root = std::process::id();
    // pid → (children it started, children that have reported)
    let mut nodes: HashMap<u32, (u32, u32)> = HashMap::from([(root, (root_children, 0))]);
    let mut deepest = u32::from(root_children > 0);
    let mut capped = false;
    let complete =
        |nodes: &HashMap<u32, (u32, u32)>| nodes.values().all(|(started, heard)| started == heard);
    // Processes that have reported, per depth; the root is depth 0.
    let mut per_depth: Vec<u64> = vec![1];
    show_tree(ctx, &per_depth);
    while !complete(&nodes) {
        let Some([pid, ppid, depth, started, was_capped]) =
            read_record::<5>(reports.as_fd(), GROWTH_TIMEOUT)?
        else {
            let waiting: Vec<String> = nodes
                .iter()
                .filter(|(_, (s, h))| s != h)
                .map(|(p, (s, h))| format!("{p}: started {s}, reported {h}"))
                .collect();
            return Err(io::Error::other(format!(
                "the process tree stopped reporting; still waiting for: {}",
                waiting.join("; ")
            )));
        };
        nodes.entry(pid).or_insert((0, 0)).0 = started;
        nodes.entry(ppid).or_insert((0, 0)).1 += 1;
        deepest = deepest.max(depth + u32::from(started > 0));
        let at = depth as usize;
        if per_depth.len() <= at {
            per_depth.resize(at + 1, 0);
        }
        per_depth[at] += 1;
        show_tree(ctx, &per_depth);
        capped |= was_capped != 0;
        let so_far: u32 = nodes.values().map(|(started, _)| started).sum();
        ctx.progress(
            format!(
                "{} so far, depth {deepest}",
                count(u64::from(so_far) + 1, "process", "processes")
            ),
            None,
            None,
        );
    }
    let below_root: u64 = nodes.values().map(|(started, _)| u64::from(*started)).sum();
    ctx.count_started(i64::try_from(below_root).unwrap_or(0) - i64::from(root_children));
    Ok((below_root, deepest, capped))
}

/// The tree as it has reported so far.
fn show_tree(ctx: &Ctx, per_depth: &[u64]) {
    let levels = per_depth
        .iter()
        .enumerate()
        .map(|(depth, count)| Level {
            label: if depth == 0 {
                "script".into()
            } else {
                format!("depth {depth}")
            },
            count: *count,
        })
        .collect();
    ctx.view(
        "tree",
        View::Tree {
            levels,
            caption: "one ● per process that ran main(); each level was spawned by the one above"
                .into(),
        },
    );
}

/// A spawned node: report itself, run `main()` again (unless guarded), report what it
/// started, wait for release, reap, exit.
fn spawned_node(job: &str) -> ExitCode {
    let Ok(NodeJob {
        parent,
        depth,
        index,
        tree,
    }) = serde_json::from_str::<NodeJob>(job)
    else {
        eprintln!("lectern worker child {NAME}: bad job: {job}");
        return ExitCode::from(2);
    };
    os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
    let out = Emitter;
    out.send(&crate::demo_runtime::protocol::Event::Process {
        pid: std::process::id(),
        ppid: parent,
        role: role(depth, index, tree.guard),
    });
    let node = Node { depth, tree };
    let (mine, capped) = node.main(out);
    let started = u32::try_from(mine.len()).unwrap_or(0);
    // A lost report shows as "the process tree stopped reporting".
    let _ = write_record(
        os::inherited_fd(tree.report_fd),
        &[
            std::process::id(),
            parent,
            depth,
            started,
            u32::from(capped),
        ],
    );
    release_and_reap(out, tree.release_fd, mine);
    ExitCode::SUCCESS
}

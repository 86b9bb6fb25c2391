//! `main-guard`: what spawn does to a script without `if __name__ == "__main__"`. Each
//! spawned child imports the script again, so it runs "main" again and starts children of
//! its own. Real processes, stopped by a depth limit and the process cap, kept alive for a
//! while so the room can look at the tree.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::Child;
use std::time::{Duration, Instant};

use super::child::{ChildJob, GuardTree};
use super::context::{Ctx, Tokens, spawn_worker_child};
use super::protocol::{Emitter, NoteLevel};
use super::registry::{flag, int};
use super::util::{exit_event, read_record, wait_for_release, write_record};
use crate::os;

/// How long the tree may take to finish growing.
const GROWTH_TIMEOUT: Duration = Duration::from_secs(30);

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
            let job = ChildJob::GuardNode {
                parent: std::process::id(),
                depth: self.depth + 1,
                index,
                tree,
            };
            match spawn_worker_child(&job.to_arg()) {
                Ok(child) => started.push((child, role(self.depth + 1, index, tree.guard))),
                Err(err) => out.send(&super::protocol::Event::Error {
                    message: format!("spawn failed: {err}"),
                }),
            }
        }
        (started, false)
    }
}

/// The label a node shows in the gauges; the demo panel reads the depth from it.
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
        let exit = child.wait().map_or(
            crate::sampler::ExitInfo::Unknown,
            crate::supervise::exit_info,
        );
        out.send(&exit_event(pid, &role, exit));
    }
}

/// Runs the demo from its root (depth 0: the script run by the user).
///
/// # Errors
/// If a pipe fails or the tree does not finish growing.
pub fn run(ctx: &mut Ctx) -> io::Result<()> {
    let guard = flag(&ctx.params, "guard");
    let children = u32::try_from(int(&ctx.params, "children")).unwrap_or(2);
    let max_depth = u32::try_from(int(&ctx.params, "depth")).unwrap_or(1);
    let cap = ctx.tokens.cap();
    let linger = Duration::from_secs(int(&ctx.params, "linger_s").unsigned_abs());
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
    ctx.note(
        if capped {
            NoteLevel::Warn
        } else {
            NoteLevel::Info
        },
        banner(guard, capped, processes, cap, deepest, max_depth, unbounded),
    );
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

fn banner(
    guard: bool,
    capped: bool,
    processes: u64,
    cap: i64,
    deepest: u32,
    max_depth: u32,
    unbounded: u64,
) -> String {
    if guard {
        return format!(
            "With the guard: {processes} processes, exactly the script and the children it asked for."
        );
    }
    let stop = if capped {
        format!("lectern's cap stopped it at {processes} processes (cap {cap}), at depth {deepest}")
    } else {
        format!("the demo's depth limit stopped it at depth {deepest} with {processes} processes")
    };
    format!(
        "Without the guard the tree keeps growing: {stop}. Without the cap, depth {max_depth} alone \
         means {unbounded} processes, and with no depth limit it never stops: a fork bomb. (Current \
         CPython detects a child starting processes while still importing and raises RuntimeError \
         instead; this demo shows what happens without that safety net.)"
    )
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
        capped |= was_capped != 0;
        let so_far: u32 = nodes.values().map(|(started, _)| started).sum();
        ctx.progress(
            format!("{} processes so far, depth {deepest}", so_far + 1),
            None,
            None,
        );
    }
    let below_root: u64 = nodes.values().map(|(started, _)| u64::from(*started)).sum();
    ctx.count_started(i64::try_from(below_root).unwrap_or(0) - i64::from(root_children));
    Ok((below_root, deepest, capped))
}

/// A spawned node: report itself, run `main()` again (unless guarded), report what it
/// started, wait for release, reap, exit.
pub fn spawned_node(job: &ChildJob) -> ! {
    let ChildJob::GuardNode {
        parent,
        depth,
        index,
        tree,
    } = *job
    else {
        std::process::exit(2);
    };
    os::die_with_parent(parent);
    let out = Emitter;
    out.send(&super::protocol::Event::Process {
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
    std::process::exit(0);
}

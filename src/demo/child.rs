//! Jobs for children that a demo starts by `spawn` (a fresh exec of lectern's worker): they
//! arrive as one JSON argument, because a fresh process knows only its command line.

use serde::{Deserialize, Serialize};

/// What a spawned child does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChildJob {
    /// A `start-methods` child: simulated import, hello, wait for release.
    StartChild {
        /// Which child it is (1-based).
        index: u32,
        /// PID of the demo process that spawned it.
        parent: u32,
        /// Where to write `[index, pid]`.
        ready_fd: i32,
        /// Read until end of file, then exit.
        release_fd: i32,
        /// Descriptors to close at once (ends the child must not hold).
        close_fds: Vec<i32>,
        /// Simulated import time.
        import_ms: u64,
        /// Simulated import memory.
        import_mb: u64,
    },
    /// A `main-guard` node: "main" run again by a spawned child.
    GuardNode {
        /// PID of the process that spawned it.
        parent: u32,
        /// Its depth in the tree (the demo itself is 0).
        depth: u32,
        /// Which child of its parent it is (1-based).
        index: u32,
        /// What every node of the tree shares.
        #[serde(flatten)]
        tree: GuardTree,
    },
}

/// The `main-guard` settings and pipes every process of the tree shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardTree {
    /// How many children each `main()` starts.
    pub children: u32,
    /// Depth beyond which no process starts more.
    pub max_depth: u32,
    /// Whether `main()` is guarded (then children never re-run it).
    pub guard: bool,
    /// The process budget pipe.
    pub tokens_fd: i32,
    /// Read until end of file, then reap and exit.
    pub release_fd: i32,
    /// Where to write `[pid, ppid, depth, started, capped]` once its children are started.
    pub report_fd: i32,
}

impl ChildJob {
    /// The job as a command-line argument.
    #[must_use]
    pub fn to_arg(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

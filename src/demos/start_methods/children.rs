//! What the demo and the processes it starts share: its constants and parameters, the job a
//! process started by exec is given, the pipes between them, and a child's hello and life.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::process::Child;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::records::{read_record, wait_for_release, write_record};
use crate::demo_runtime::work::ms_since;

/// How long a child may take to say hello before the demo gives up on it.
pub(super) const HELLO_TIMEOUT: Duration = Duration::from_secs(20);

/// The low end of what slide 3 says a spawned process costs.
pub(super) const SLIDE_SPAWN_MS: f64 = 50.0;

/// Index the forkserver uses for its own hello.
pub(super) const SERVER: u32 = u32::MAX;

/// The three ways Python's multiprocessing starts a process.
pub(super) const METHODS: [&str; 3] = ["fork", "spawn", "forkserver"];

/// The demo's name, also used to start its children by exec.
pub(super) const NAME: &str = "start-methods";

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Children per method.
    pub children: u32,
    /// Memory the parent fills first, MiB.
    pub parent_mb: u64,
    /// Simulated import time, ms of CPU.
    pub import_ms: u64,
    /// Simulated import memory, MiB.
    pub import_mb: u64,
    /// Seconds the children stay up after the run.
    pub linger_s: u64,
    /// Process cap.
    pub cap: u32,
}

/// What a process started by exec is told on its command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Job {
    /// A spawned child: simulated import, hello, wait for release.
    Child {
        /// Which child it is (1-based).
        index: u32,
        /// PID of the demo process that spawned it.
        parent: u32,
        /// Pipes it shares with the demo.
        #[serde(flatten)]
        pipes: ChildPipes,
        /// Simulated import time, ms.
        import_ms: u64,
        /// Simulated import memory, MiB.
        import_mb: u64,
    },
    /// The forkserver: import once, then fork a child per request.
    Forkserver {
        /// PID of the demo process that started it.
        parent: u32,
        /// Pipes it and its children share with the demo.
        #[serde(flatten)]
        pipes: ChildPipes,
        /// One `[index]` record per child wanted; end of file: reap and exit.
        request_fd: i32,
        /// The process budget.
        tokens_fd: i32,
        /// Simulated import time, ms.
        import_ms: u64,
        /// Simulated import memory, MiB.
        import_mb: u64,
    },
}

/// Descriptor numbers a process started by exec inherits from the demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct ChildPipes {
    /// Where to write `[index, pid]` first thing.
    pub(super) ready_fd: i32,
    /// Read until end of file, then exit.
    pub(super) release_fd: i32,
    /// Descriptors to close at once (write ends it must not hold).
    pub(super) close_fds: Vec<i32>,
}

/// A started child.
pub(super) struct Started {
    pub(super) pid: u32,
    pub(super) role: String,
    pub(super) method: &'static str,
    pub(super) start_ms: f64,
    pub(super) spawned: Option<Child>,
}

/// Pipes shared with the children.
pub(super) struct Pipes {
    /// Children write `[index, pid]` here first thing.
    pub(super) ready_read: OwnedFd,
    pub(super) ready_write: OwnedFd,
    /// Children block reading this until the demo closes the write end.
    pub(super) release_read: OwnedFd,
    pub(super) release_write: Option<OwnedFd>,
}

impl Pipes {
    /// What a process started by exec needs, closing `also_close` too.
    pub(super) fn for_exec(&self, also_close: &[i32]) -> ChildPipes {
        let mut close_fds: Vec<i32> = self
            .release_write
            .as_ref()
            .map(|fd| vec![fd.as_raw_fd()])
            .unwrap_or_default();
        close_fds.extend_from_slice(also_close);
        ChildPipes {
            ready_fd: self.ready_write.as_raw_fd(),
            release_fd: self.release_read.as_raw_fd(),
            close_fds,
        }
    }
}

/// A job as its process's command line argument.
pub(super) fn to_arg(job: &Job) -> String {
    serde_json::to_string(job).unwrap_or_default()
}

/// The running forkserver.
pub(super) struct Server {
    pub(super) child: Child,
    pub(super) request_write: OwnedFd,
    pub(super) startup_ms: f64,
}

/// A started child's whole life: say hello, wait to be released, exit 0. Never returns.
pub(super) fn child_life(index: u32, ready: BorrowedFd<'_>, release_fd: i32) -> ! {
    // If this fails the demo's hello timeout says which child went quiet.
    let _ = write_record(ready, &[index, std::process::id()]);
    wait_for_release(release_fd);
    std::process::exit(0);
}

/// Child `index`'s hello: `[index, pid]`, or why it did not come.
pub(super) fn await_hello(pipes: &Pipes, index: u32) -> io::Result<[u32; 2]> {
    match read_record::<2>(pipes.ready_read.as_fd(), HELLO_TIMEOUT)? {
        Some(record) if record[0] == index => Ok(record),
        Some(record) => Err(io::Error::other(format!(
            "expected child {index}, heard from {}",
            record[0]
        ))),
        None => Err(io::Error::other(format!(
            "child {index} said nothing in {HELLO_TIMEOUT:?}"
        ))),
    }
}

/// Records child `index` of `method` as started now, `t0` being when it was asked for.
pub(super) fn record(ctx: &Ctx, pid: u32, method: &'static str, index: u32, t0: Instant) -> Started {
    let start_ms = ms_since(t0);
    let role = format!("{method} child {index}");
    ctx.process(pid, std::process::id(), &role);
    ctx.measure("start_ms", start_ms, "ms", Some(&role));
    Started {
        pid,
        role,
        method,
        start_ms,
        spawned: None,
    }
}

//! Where raw readings come from: `/proc` on Linux, sysinfo elsewhere. The collector turns
//! them into rates and samples; a source only reads.

use std::sync::Arc;

use super::sample::ProcState;

/// One reading of one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawProc {
    /// Parent PID.
    pub ppid: u32,
    /// Command name.
    pub name: Arc<str>,
    /// Scheduler state.
    pub state: ProcState,
    /// Cumulative CPU time, in nanoseconds.
    pub cpu_ns: u64,
    /// Resident set size in bytes.
    pub rss_bytes: u64,
    /// A zombie's wait status, when the kernel exposes it.
    pub exit_status: Option<i32>,
}

/// PSS and USS of a process, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    /// Proportional set size.
    pub pss: u64,
    /// Unique set size (private pages).
    pub uss: u64,
    /// Resident set size in the same reading, so PSS is only ever shown beside an RSS it
    /// can be compared with.
    pub rss: u64,
}

/// What asking a source for a footprint gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FootprintReading {
    /// The process's PSS and USS.
    Read(Footprint),
    /// Being read elsewhere: ask again at the next sample.
    Pending,
    /// Not readable: the process is gone, or its memory map is not ours to read.
    Unavailable,
}

/// A source of readings. Every method tolerates processes vanishing mid-read: that is the
/// normal end of a process, not an error.
pub trait Source {
    /// Busy percentage of each core since the previous call (the first call primes the
    /// counters and its result is discarded), or `None` if it cannot be read.
    fn cpu(&mut self) -> Option<Vec<f32>>;

    /// Reads one process at `now`; `None` once it is gone. A source may answer with an
    /// earlier reading of a process that cannot have changed since (Linux: one that has not
    /// run, for at most a second (`unchanged::MAX_AGE`)).
    fn read(&mut self, pid: u32, now: std::time::Instant) -> Option<RawProc>;

    /// PSS and USS (expensive to read: ask at most about once a second per process). A
    /// source may read them elsewhere and answer `Pending` until the reading is in.
    fn footprint(&mut self, pid: u32) -> FootprintReading;

    /// Processes not yet tracked whose parent chain leads to a process in `tree`, as
    /// `(pid, ppid)`, parents before their children.
    fn new_descendants(&mut self, tree: &dyn Fn(u32) -> bool) -> Vec<(u32, u32)>;

    /// Releases anything kept open for `pid`.
    fn forget(&mut self, pid: u32);

    /// A new tree root was tracked: forget any shortcut that assumed the trees unchanged
    /// (processes judged outside them may be inside the new one).
    fn rescan(&mut self) {}

    /// List `/proc` at the next [`Source::new_descendants`] even if nothing seems to have
    /// forked, keeping what is known about processes outside the trees (so only processes
    /// new since the last listing are read).
    fn list_again(&mut self) {
        self.rescan();
    }
}

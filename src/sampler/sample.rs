//! What one sampling pass measured: per-core CPU and the tracked processes. Owned and
//! serialisable, so it crosses threads by value and prints as one JSON object.

use std::sync::Arc;

use serde::Serialize;

use crate::process::ExitInfo;

/// One measurement of the machine and the tracked process trees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// Seconds since sampling started.
    pub t: f64,
    /// Busy percentage of each core over the last interval (0–100).
    pub cores: Vec<f32>,
    /// Busy percentage of the whole machine (0–100).
    pub total: f32,
    /// Tracked processes: each tree in depth-first order, lectern's own process last.
    pub procs: Vec<ProcSample>,
}

/// One tracked process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcSample {
    /// Process ID.
    pub pid: u32,
    /// Parent process ID (1 once orphaned).
    pub ppid: u32,
    /// The kernel's command name (`comm`, at most 15 bytes). Shared, not copied, from
    /// sample to sample: a sample is taken ten times a second.
    pub name: Arc<str>,
    /// A role given by whoever started it (`parent`, `worker 3`), else the command name.
    pub label: Arc<str>,
    /// Resident set size: every page in RAM this process maps, shared or not.
    pub rss_bytes: u64,
    /// Proportional set size: shared pages split between their sharers; `None` until read
    /// (it is read at most once a second because the read is expensive) or where unreadable.
    pub pss_bytes: Option<u64>,
    /// Unique set size: pages only this process maps; `None` like `pss_bytes`.
    pub uss_bytes: Option<u64>,
    /// CPU use over the last interval, in percent of one core (above 100 when multithreaded).
    pub cpu_pct: f32,
    /// Scheduler state, or `exited`.
    pub state: ProcState,
    /// How it ended, once it has.
    pub exit: Option<ExitInfo>,
    /// Depth in its tree: 0 for a root.
    pub depth: u16,
    /// Which kind of tracked process this is.
    pub role: Role,
    /// How long it lived, in milliseconds, as the demo that reaped it measured (from its
    /// report of the process to its reaping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lived_ms: Option<f64>,
    /// Whether it was read alive at least once: a process a demo reported that ended
    /// between two samples has no memory or CPU reading, and the table says so.
    pub measured: bool,
}

impl ProcSample {
    /// Whether the process has ended (exited, or a zombie waiting to be reaped).
    #[must_use]
    pub fn is_gone(&self) -> bool {
        matches!(self.state, ProcState::Exited | ProcState::Zombie)
    }
}

/// Why a process is tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// lectern's own UI process.
    Ui,
    /// The root of a tracked tree (a demo's or a watched command's first process).
    Root,
    /// A descendant of a root.
    Descendant,
}

/// Scheduler state as `/proc/PID/stat` reports it, plus `Exited` for a process that is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcState {
    /// On a CPU or ready to run (`R`).
    Running,
    /// Waiting for something (`S`).
    Sleeping,
    /// Waiting for I/O, uninterruptibly (`D`).
    DiskSleep,
    /// Stopped or traced (`T`, `t`).
    Stopped,
    /// Ended, not yet reaped by its parent (`Z`).
    Zombie,
    /// An idle kernel thread (`I`).
    Idle,
    /// Gone from `/proc`.
    Exited,
}

impl ProcState {
    /// Reads the one-letter state code of `/proc/PID/stat`.
    #[must_use]
    pub fn from_code(code: char) -> Self {
        match code {
            'R' => Self::Running,
            'D' => Self::DiskSleep,
            'T' | 't' => Self::Stopped,
            'Z' | 'X' | 'x' => Self::Zombie,
            'I' => Self::Idle,
            _ => Self::Sleeping,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_serialises_with_the_documented_field_names() {
        let sample = Sample {
            t: 1.5,
            cores: vec![50.0],
            total: 50.0,
            procs: vec![ProcSample {
                pid: 7,
                ppid: 1,
                name: "sh".into(),
                label: "parent".into(),
                rss_bytes: 4096,
                pss_bytes: None,
                uss_bytes: Some(1024),
                cpu_pct: 99.5,
                state: ProcState::Running,
                exit: None,
                depth: 0,
                role: Role::Root,
                lived_ms: None,
                measured: true,
            }],
        };
        let json = serde_json::to_value(&sample).unwrap();
        let proc = &json["procs"][0];
        for key in [
            "pid",
            "ppid",
            "name",
            "label",
            "rss_bytes",
            "pss_bytes",
            "cpu_pct",
            "state",
        ] {
            assert!(proc.get(key).is_some(), "{key} missing from {json}");
        }
        assert_eq!(proc["state"], "running");
        assert!(proc["pss_bytes"].is_null());
    }
}

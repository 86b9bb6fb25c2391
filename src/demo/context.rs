//! What a demo body gets to work with inside the worker process: an emitter, the process
//! budget, and the results being collected.

use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};

use crate::os::{self, Forked};

use super::protocol::{Emitter, Event, NoteLevel, ResultValue};
use super::registry::{DemoSpec, Params, int, to_json};

/// The process budget: a pipe holding one byte per process the demo may still create. A
/// process takes a byte before it forks or spawns; spawned children inherit the pipe, so the
/// cap holds across the whole tree, however deep.
#[derive(Debug)]
pub struct Tokens {
    read: OwnedFd,
    /// Kept so the pipe stays open while children hold the read end.
    _write: OwnedFd,
    cap: i64,
}

impl Tokens {
    /// A budget of `cap` processes, this one included.
    ///
    /// # Errors
    /// If the pipe cannot be made.
    pub fn new(cap: i64) -> io::Result<Self> {
        let (read, write) = os::inheritable_pipe()?;
        os::set_nonblocking(read.as_fd())?;
        let tokens = vec![b't'; usize::try_from(cap - 1).unwrap_or(0)];
        nix::unistd::write(&write, &tokens).map_err(io::Error::from)?;
        Ok(Self {
            read,
            _write: write,
            cap,
        })
    }

    /// The read end's number, to hand to spawned children.
    #[must_use]
    pub fn fd(&self) -> i32 {
        self.read.as_raw_fd()
    }

    /// The cap.
    #[must_use]
    pub fn cap(&self) -> i64 {
        self.cap
    }

    /// Takes one token from an inherited budget; `false` when it is spent.
    #[must_use]
    pub fn take_from(fd: i32) -> bool {
        let mut byte = [0u8; 1];
        matches!(nix::unistd::read(os::inherited_fd(fd), &mut byte), Ok(1))
    }

    /// Takes one token; `false` when the cap is reached.
    #[must_use]
    pub fn take(&self) -> bool {
        Self::take_from(self.read.as_raw_fd())
    }
}

/// The demo's side of a run.
pub struct Ctx {
    /// Writes protocol events.
    pub out: Emitter,
    /// The process budget.
    pub tokens: Tokens,
    /// The demo's parameters.
    pub params: Params,
    spec: &'static DemoSpec,
    results: BTreeMap<String, ResultValue>,
    /// Processes this demo has started, its own included (children it knows of).
    started: std::cell::Cell<i64>,
}

impl Ctx {
    /// A context for `spec` with `params`, its budget set from the `cap` parameter.
    ///
    /// # Errors
    /// If the budget pipe cannot be made.
    pub fn new(spec: &'static DemoSpec, params: Params) -> io::Result<Self> {
        let tokens = Tokens::new(int(&params, "cap"))?;
        Ok(Self {
            out: Emitter,
            tokens,
            params,
            spec,
            results: BTreeMap::new(),
            started: 1.into(),
        })
    }

    /// Reports progress.
    pub fn progress(&self, message: impl Into<String>, done: Option<u64>, total: Option<u64>) {
        self.out.send(&Event::Progress {
            message: message.into(),
            done,
            total,
        });
    }

    /// Reports an explanation.
    pub fn note(&self, level: NoteLevel, message: impl Into<String>) {
        self.out.send(&Event::Note {
            level,
            message: message.into(),
        });
    }

    /// Reports a process of the demo, for the gauges' labels.
    pub fn process(&self, pid: u32, ppid: u32, role: impl Into<String>) {
        self.out.send(&Event::Process {
            pid,
            ppid,
            role: role.into(),
        });
    }

    /// Reports one measurement.
    pub fn measure(&self, name: &str, value: f64, unit: &str, role: Option<&str>) {
        self.out.send(&Event::Measure {
            name: name.into(),
            value,
            unit: unit.into(),
            role: role.map(Into::into),
        });
    }

    /// Records and reports a final result.
    pub fn result(&mut self, name: &str, value: impl Into<ResultValue>) {
        let value = value.into();
        self.results.insert(name.to_string(), value);
        self.out.send(&Event::Result {
            name: name.into(),
            value,
        });
    }

    /// Forks a child within the budget; `None` when the cap is reached.
    ///
    /// # Errors
    /// If the fork itself fails.
    pub fn fork(&self) -> io::Result<Option<Forked>> {
        if !self.tokens.take() {
            return Ok(None);
        }
        let forked = os::fork_child()?;
        self.count_started(1);
        Ok(Some(forked))
    }

    /// Counts processes started on the demo's behalf by its other processes.
    pub fn count_started(&self, n: i64) {
        self.started.set(self.started.get() + n);
    }

    /// Spawns lectern's worker as a child running `job`, within the budget.
    ///
    /// # Errors
    /// If the program cannot be started.
    pub fn spawn_worker_child(&self, job: &str) -> io::Result<Option<Child>> {
        if !self.tokens.take() {
            return Ok(None);
        }
        let child = spawn_worker_child(job)?;
        self.count_started(1);
        Ok(Some(child))
    }

    /// Sends the summary line with every result recorded.
    pub fn finish(&mut self) {
        let started = self.started.get();
        self.results
            .entry("processes_started".into())
            .or_insert(ResultValue::Number(started as f64));
        self.results
            .entry("cap".into())
            .or_insert(ResultValue::Number(self.tokens.cap() as f64));
        self.out.send(&Event::Summary {
            demo: self.spec.name.into(),
            params: to_json(&self.params),
            results: self.results.clone(),
        });
    }
}

/// Starts `lectern worker child JOB` with the demo's output pipe as its stdout.
///
/// # Errors
/// If lectern's executable cannot be found or started.
pub fn spawn_worker_child(job: &str) -> io::Result<Child> {
    Command::new(std::env::current_exe()?)
        .args(["worker", "child", job])
        .stdin(Stdio::null())
        .spawn()
}

impl From<bool> for ResultValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<f64> for ResultValue {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl From<i64> for ResultValue {
    fn from(value: i64) -> Self {
        Self::Number(value as f64)
    }
}

impl From<usize> for ResultValue {
    fn from(value: usize) -> Self {
        Self::Number(value as f64)
    }
}

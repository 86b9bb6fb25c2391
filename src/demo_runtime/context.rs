//! What a demo body gets to work with inside the worker process: an emitter, the process
//! budget, the results being collected, and forks that are checked to be safe.

use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};

use crate::os::{self, Forked};

use super::machine::{OtherLoad, thread_count};
use super::params::{Params, int, to_json};
use super::protocol::{Emitter, Event, NoteLevel, ResultValue};
use super::view::{Tone, View};

/// Cores of other load worth telling the audience about.
const NOTABLE_OTHER_LOAD: f64 = 0.25;

/// The shortest run whose other load is worth a note.
const MIN_LOAD_WALL: f64 = 0.5;

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
    name: &'static str,
    results: BTreeMap<String, ResultValue>,
    /// Processes this demo has started, its own included (children it knows of).
    started: std::cell::Cell<i64>,
    /// The rest of the machine's load, unless the run is a simulation.
    load: Option<OtherLoad>,
}

impl Ctx {
    /// A context for demo `name` with `params`, its budget set from the `cap` parameter.
    ///
    /// # Errors
    /// If the budget pipe cannot be made.
    pub fn new(name: &'static str, params: Params) -> io::Result<Self> {
        let tokens = Tokens::new(int(&params, "cap"))?;
        Ok(Self {
            out: Emitter,
            tokens,
            params,
            name,
            results: BTreeMap::new(),
            started: 1.into(),
            load: Some(OtherLoad::start()),
        })
    }

    /// Marks the run as a simulation: nothing is measured, so neither is the machine's load
    /// (a simulated result must come out the same on any machine).
    pub fn simulated(&mut self) {
        self.load = None;
    }

    /// Sends a piece of the panel (see [`super::view`]).
    pub fn view(&self, id: &str, view: View) {
        self.out.send(&Event::View {
            id: id.into(),
            view,
        });
    }

    /// Sends the run's headline: its result in one sentence.
    pub fn headline(&self, text: impl Into<String>, tone: Tone) {
        self.view(
            "headline",
            View::Headline {
                text: text.into(),
                tone,
            },
        );
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

    /// The results recorded so far.
    #[must_use]
    pub fn results(&self) -> &BTreeMap<String, ResultValue> {
        &self.results
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

    /// Forks a child within the budget; `None` when the cap is reached. Refuses to fork while
    /// this process has other threads: the child would get their locks, held, with nobody to
    /// release them (the `fork-lock` demo shows exactly that, through
    /// [`Self::fork_multithreaded`]).
    ///
    /// # Errors
    /// If this process has other threads, or the fork itself fails.
    pub fn fork(&self) -> io::Result<Option<Forked>> {
        let threads = thread_count();
        if threads > 1 {
            return Err(io::Error::other(format!(
                "refusing to fork: this process has {threads} threads, and a child forked now \
                 could inherit a lock held by a thread that does not exist in it"
            )));
        }
        self.fork_within_budget()
    }

    /// Forks even if other threads exist. Only for a demo whose point is what goes wrong then;
    /// `why` is said on screen, so the exception is never silent.
    ///
    /// # Errors
    /// If the fork itself fails.
    pub fn fork_multithreaded(&self, why: &str) -> io::Result<Option<Forked>> {
        self.note(
            NoteLevel::Info,
            format!("This fork happens while other threads exist, on purpose: {why}"),
        );
        self.fork_within_budget()
    }

    fn fork_within_budget(&self) -> io::Result<Option<Forked>> {
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
        let child = spawn_worker_child(self.name, job)?;
        self.count_started(1);
        Ok(Some(child))
    }

    /// Sends the summary line with every result recorded, and says so when the rest of the
    /// machine was busy enough to matter.
    pub fn finish(&mut self) {
        if let Some(other) = self.load.and_then(|load| load.cores()) {
            self.results
                .insert("other_load_cores".into(), ResultValue::Number(other));
            // Over a fraction of a second one busy tick is a large share: say nothing then.
            if other >= NOTABLE_OTHER_LOAD && self.load.is_some_and(|l| l.wall() >= MIN_LOAD_WALL) {
                let cores = super::params::cores() as f64;
                self.note(
                    NoteLevel::Warn,
                    format!(
                        "The rest of this machine kept {other:.1} of its {cores:.0} cores busy \
                         during the run: speedups are relative to the {:.1} cores that were free.",
                        (cores - other).max(0.0)
                    ),
                );
            }
        }
        let started = self.started.get();
        self.results
            .entry("processes_started".into())
            .or_insert(ResultValue::Number(started as f64));
        self.results
            .entry("cap".into())
            .or_insert(ResultValue::Number(self.tokens.cap() as f64));
        self.out.send(&Event::Summary {
            demo: self.name.into(),
            params: to_json(&self.params),
            results: self.results.clone(),
        });
    }
}

/// Starts `lectern worker child DEMO JOB` with the demo's output pipe as its stdout.
///
/// # Errors
/// If lectern's executable cannot be found or started.
pub fn spawn_worker_child(demo: &str, job: &str) -> io::Result<Child> {
    Command::new(crate::process::own_program()?)
        .args(["worker", "child", demo, job])
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

//! The demo runs the event loop has started: starting them (the UI thread never forks; the
//! runner does), telling the gauges about them, and killing them.

use std::collections::HashMap;
use std::sync::Arc;

use std::sync::mpsc::Sender;

use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::launch::{Engines, EnginesAt};
use crate::demo_runtime::protocol::Event as DemoEvent;
use crate::demo_runtime::runner::{self, Report, RunHandle};
use crate::lecture::msg::Msg;
use crate::process::ExitInfo;
use crate::sampler::{Command, Sampler};

/// The demo runs the loop has started, by run number.
pub(super) struct Demos<'a> {
    pub tx: Sender<Msg>,
    pub runs: HashMap<u64, RunHandle>,
    /// The root of each run's tree in the gauges (its supervisor), kept after the run ends
    /// until the app forgets the run.
    pub roots: HashMap<u64, u32>,
    pub sampler: &'a mut Sampler,
    pub engines: Engines,
    /// The thread looking for CPython, until its answer is taken.
    pub probe: Option<EnginesAt>,
    /// Running slide code, by snippet run number.
    pub snippets: HashMap<u64, super::snippet_process::SnippetHandle>,
}

impl<'a> Demos<'a> {
    /// No runs yet: the engines found (or the probe still looking), the sampler to tell.
    pub(super) fn new(
        tx: Sender<Msg>,
        sampler: &'a mut Sampler,
        engines: Engines,
        probe: Option<EnginesAt>,
    ) -> Self {
        Self {
            tx,
            runs: HashMap::new(),
            roots: HashMap::new(),
            sampler,
            engines,
            probe,
            snippets: HashMap::new(),
        }
    }

    /// Takes the engines from the probe once it has finished, or at once (waiting for it)
    /// when `now`; returns them when they are new, for the app to show.
    pub(super) fn settle_engines(&mut self, now: bool) -> Option<Engines> {
        if !self.probe.as_ref().is_some_and(|p| now || p.is_settled()) {
            return None;
        }
        let engines = self.probe.take()?.wait();
        self.engines = engines.clone();
        Some(engines)
    }

    pub(super) fn start(
        &mut self,
        run: u64,
        request: &RunRequest,
        (engine, interpreter): (Engine, usize),
    ) {
        let tx = self.tx.clone();
        let report = Arc::new(move |report: Report| {
            let msg = match report {
                Report::Event(event) => Msg::Demo { run, event },
                Report::Exited(exit) => Msg::DemoExited { run, exit },
            };
            tx.send(msg).is_ok()
        });
        let launch = self.engines.launch_on(request.demo(), engine, interpreter);
        match runner::start(request, &launch, report) {
            Ok(handle) => {
                // A twin runs under lectern's supervisor, which the gauges name as such.
                let label = match launch.engine() {
                    Engine::Python => "supervisor".to_string(),
                    Engine::Native => request.name().to_string(),
                };
                self.sampler.send(Command::TrackTree {
                    pid: handle.pid,
                    label: Some(label),
                });
                self.roots.insert(run, handle.pid);
                self.runs.insert(run, handle);
            }
            Err(err) => {
                let message = format!("cannot start the demo: {err}");
                let _ = self.tx.send(Msg::Demo {
                    run,
                    event: DemoEvent::Error { message },
                });
                let _ = self.tx.send(Msg::DemoExited {
                    run,
                    exit: ExitInfo::Unknown,
                });
            }
        }
    }

    pub(super) fn exited(&mut self, run: u64, exit: ExitInfo) {
        if let Some(handle) = self.runs.remove(&run) {
            self.sampler.send(Command::Exited {
                pid: handle.pid,
                exit,
                lived: None,
            });
        }
    }

    pub(super) fn stop(&mut self, run: u64) {
        if let Some(handle) = self.runs.remove(&run) {
            handle.kill();
        }
    }

    /// Takes run `run`'s processes off the gauges, its supervisor's row with them.
    pub(super) fn forget(&mut self, run: u64) {
        if let Some(pid) = self.roots.remove(&run) {
            self.sampler.send(Command::Untrack { pid });
        }
    }

    pub(super) fn kill_all(&mut self) {
        for (_, handle) in self.runs.drain() {
            handle.kill();
        }
        for (_, snippet) in self.snippets.drain() {
            snippet.kill();
        }
    }

    /// Runs a slide's code with the CPython demos use (else `python3`), tracked in the
    /// gauges as `snippet`; a failure to start comes back as the snippet's output and end.
    pub(super) fn start_snippet(&mut self, run: u64, code: &str) {
        let python = self
            .engines
            .python
            .as_ref()
            .map_or_else(|| "python3".into(), |(python, _)| python.program.clone());
        match super::snippet_process::start(run, code, &python, &self.tx) {
            Ok(handle) => {
                self.sampler.send(Command::TrackTree {
                    pid: handle.pid,
                    label: Some("snippet".into()),
                });
                // A snippet's processes may live for milliseconds: look for them often
                // while it runs (at most a minute), so the gauges show each one.
                self.sampler.send(Command::CatchNew {
                    until: std::time::Instant::now() + std::time::Duration::from_secs(60),
                });
                self.snippets.insert(run, handle);
            }
            Err(err) => {
                let _ = self.tx.send(Msg::SnippetOutput {
                    run,
                    stream: crate::process::Stream::Stderr,
                    line: format!("lectern: cannot run the code: {err}"),
                });
                let _ = self.tx.send(Msg::SnippetExited {
                    run,
                    exit: ExitInfo::Unknown,
                });
            }
        }
    }

    /// Kills snippet run `run`.
    pub(super) fn stop_snippet(&mut self, run: u64) {
        if let Some(handle) = self.snippets.remove(&run) {
            handle.kill();
            self.stop_catching();
        }
    }

    /// Back to looking for new processes at each sample only.
    fn stop_catching(&mut self) {
        self.sampler.send(Command::CatchNew {
            until: std::time::Instant::now(),
        });
    }

    /// Snippet run `run` ended by itself: the gauges learn how, and its handle goes.
    pub(super) fn snippet_exited(&mut self, run: u64, exit: ExitInfo) {
        if let Some(handle) = self.snippets.remove(&run) {
            self.sampler.send(Command::Exited {
                pid: handle.pid,
                exit,
                lived: None,
            });
            self.stop_catching();
        }
    }
}

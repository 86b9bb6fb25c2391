//! One run of a demo as the lecture keeps it: what the demo has reported so far (processes,
//! results, views, notes), how it ended, and the cores' load while it ran.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::protocol::{Event, NoteLevel, ResultValue};
use crate::demo_runtime::view::Views;
use crate::process::ExitInfo;

/// Notes kept per run.
const NOTES_KEPT: usize = 8;

/// Most processes a run's panel keeps: far above any demo's cap (at most 1024).
pub const MAX_PROCESSES: usize = 4096;

/// Most distinct results a run keeps.
pub const MAX_RESULTS: usize = 512;

/// Core samples a run keeps; a longer run keeps every other one (halving its resolution).
const CORE_SAMPLES_KEPT: usize = 512;

/// A demo on a slide: the slide (0-based) and the demo's index among that slide's demos.
pub type Slot = (usize, usize);

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// The worker exited by itself.
    Finished(ExitInfo),
    /// The presenter (or a slide change) stopped it; every process was killed.
    Stopped(&'static str),
}

/// One process the demo reported.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoProcess {
    /// Its PID.
    pub pid: u32,
    /// Its parent's PID.
    pub ppid: u32,
    /// Its role.
    pub role: String,
    /// How it ended, once it has.
    pub exit: Option<ExitInfo>,
    /// How long it lived, in milliseconds, as the demo measured.
    pub lived_ms: Option<f64>,
}

/// What one run of a demo has reported so far.
#[derive(Debug, Clone)]
pub struct Run {
    /// The run's number.
    pub id: u64,
    /// The demo and its parameters.
    pub request: RunRequest,
    /// The demo it was started as.
    pub slot: Slot,
    /// What the lesson calls this variant, if it names it.
    pub title: Option<String>,
    /// The engine it was started on.
    pub engine: Engine,
    /// On the CPython engine, which CPython (0: the first `--python`; `E` reaches the rest).
    pub interpreter: usize,
    /// Whether it keeps running across slide changes.
    pub pinned: bool,
    /// When it started.
    pub started: Instant,
    /// How long it ran, once ended.
    pub duration: Option<Duration>,
    /// The engine that ran it and what exactly it is, as the demo said (`python`,
    /// `CPython 3.11.7, start method fork`).
    pub reported_engine: Option<(String, String)>,
    /// The latest progress message and counters.
    pub progress: Option<(String, Option<u64>, Option<u64>)>,
    /// Explanations, oldest first.
    pub notes: Vec<(NoteLevel, String)>,
    /// Every process it reported, in order.
    pub processes: Vec<DemoProcess>,
    /// Final results so far.
    pub results: BTreeMap<String, ResultValue>,
    /// The panel the demo described.
    pub views: Views,
    /// An error it reported.
    pub error: Option<String>,
    /// How it ended.
    pub ended: Option<RunEnd>,
    /// Whether the gauges have been told to stop showing its processes.
    pub untracked: bool,
    /// How busy each core was while it ran: one entry per sample (each core's percentage),
    /// and how many samples each entry stands for.
    pub cores: CoreTimeline,
}

/// Per-core load over a run, from the gauges' samples, so a fast run can still be pointed at
/// after it ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoreTimeline {
    /// Per entry, each core's busy percentage.
    pub entries: Vec<Vec<f32>>,
    /// Samples averaged into each entry (doubles each time the timeline is halved).
    pub per_entry: usize,
    /// Samples not yet folded into an entry (when `per_entry` > 1).
    pending: Vec<Vec<f32>>,
}

impl CoreTimeline {
    /// Adds one sample of every core's percentage.
    pub fn push(&mut self, cores: &[f32]) {
        self.per_entry = self.per_entry.max(1);
        self.pending.push(cores.to_vec());
        if self.pending.len() < self.per_entry {
            return;
        }
        self.entries
            .push(average(&std::mem::take(&mut self.pending)));
        if self.entries.len() >= CORE_SAMPLES_KEPT {
            self.entries = self.entries.chunks(2).map(average).collect();
            self.per_entry *= 2;
        }
    }

    /// A timeline of `entries` already averaged (a resumed session's run).
    #[must_use]
    pub fn from_entries(entries: Vec<Vec<f32>>) -> Self {
        Self {
            entries,
            per_entry: 1,
            pending: Vec::new(),
        }
    }

    /// Each core's average over the whole run.
    #[must_use]
    pub fn averages(&self) -> Vec<f32> {
        average(&self.entries)
    }
}

/// The element-wise average of equally long rows.
fn average(rows: &[Vec<f32>]) -> Vec<f32> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|i| {
            let values: Vec<f32> = rows.iter().filter_map(|r| r.get(i).copied()).collect();
            values.iter().sum::<f32>() / values.len().max(1) as f32
        })
        .collect()
}

impl Run {
    /// A run of `demo` that starts now.
    #[must_use]
    pub fn new(id: u64, request: RunRequest, slot: Slot, now: Instant) -> Self {
        Self {
            id,
            request,
            slot,
            title: None,
            engine: Engine::Native,
            interpreter: 0,
            pinned: false,
            started: now,
            duration: None,
            reported_engine: None,
            progress: None,
            notes: Vec::new(),
            processes: Vec::new(),
            results: BTreeMap::new(),
            views: Views::default(),
            error: None,
            ended: None,
            untracked: false,
            cores: CoreTimeline::default(),
        }
    }

    /// Whether it is still going.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.ended.is_none()
    }

    /// Applies one protocol event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Hello {
                engine,
                engine_detail,
                ..
            } => self.reported_engine = Some((engine, engine_detail)),
            Event::Summary { results, .. } => {
                for (name, value) in results {
                    if self.results.len() < MAX_RESULTS || self.results.contains_key(&name) {
                        self.results.insert(name, value);
                    }
                }
            }
            // A demo cannot grow the UI's memory without bound, whatever it sends: far more
            // processes and results than any cap allows are dropped.
            Event::Process { pid, ppid, role } if self.processes.len() < MAX_PROCESSES => {
                self.processes.push(DemoProcess {
                    pid,
                    ppid,
                    role,
                    exit: None,
                    lived_ms: None,
                });
            }
            Event::Process { .. } | Event::Measure { .. } => {}
            Event::Progress {
                message,
                done,
                total,
            } => self.progress = Some((message, done, total)),
            Event::Note { level, message } => {
                if self.notes.len() == NOTES_KEPT {
                    self.notes.remove(0);
                }
                self.notes.push((level, message));
            }
            Event::Exit {
                pid,
                code,
                signal,
                role,
                lived_ms,
            } => {
                let exit = ExitInfo::from_parts(code, signal);
                let lived_ms = lived_ms.filter(|ms| ms.is_finite() && *ms >= 0.0);
                let room = self.processes.len() < MAX_PROCESSES;
                match self.processes.iter_mut().find(|p| p.pid == pid) {
                    Some(process) => {
                        process.exit = Some(exit);
                        process.lived_ms = lived_ms;
                    }
                    None if room => {
                        self.processes.push(DemoProcess {
                            pid,
                            ppid: 0,
                            role,
                            exit: Some(exit),
                            lived_ms,
                        });
                    }
                    None => {}
                }
            }
            Event::Result { name, value } => {
                if self.results.len() < MAX_RESULTS || self.results.contains_key(&name) {
                    self.results.insert(name, value);
                }
            }
            Event::View { id, view } => self.views.apply(id, view),
            Event::Error { message } => self.error = Some(message),
        }
    }

    /// Marks the run as ended at `now`.
    pub fn end(&mut self, how: RunEnd, now: Instant) {
        if self.ended.is_none() {
            self.duration = Some(now.saturating_duration_since(self.started));
            self.ended = Some(how);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::view::{Tone, View};
    use crate::demos::ALL;

    #[test]
    fn a_run_collects_processes_exits_results_views_and_notes() {
        let demo = ALL[0];
        let mut run = Run::new(1, RunRequest::defaults(demo), (2, 0), Instant::now());
        run.apply(Event::Process {
            pid: 5,
            ppid: 1,
            role: "forked child".into(),
        });
        run.apply(Event::Exit {
            pid: 5,
            role: "forked child".into(),
            code: None,
            signal: Some(9),
            lived_ms: Some(12.5),
        });
        run.apply(Event::Result {
            name: "deadlocked".into(),
            value: ResultValue::Bool(true),
        });
        run.apply(Event::View {
            id: "headline".into(),
            view: View::Headline {
                text: "x".into(),
                tone: Tone::Bad,
            },
        });
        for i in 0..20 {
            run.apply(Event::Note {
                level: NoteLevel::Info,
                message: format!("{i}"),
            });
        }
        assert_eq!(run.processes[0].exit, Some(ExitInfo::Signal(9)));
        assert_eq!(run.results["deadlocked"], ResultValue::Bool(true));
        assert_eq!(run.notes.len(), NOTES_KEPT);
        assert!(run.views.get("headline").is_some());
        run.end(RunEnd::Stopped("x"), Instant::now());
        assert!(!run.is_running());
    }

    #[test]
    fn a_long_run_keeps_a_bounded_core_timeline_with_the_right_averages() {
        let mut timeline = CoreTimeline::default();
        for i in 0..3000 {
            timeline.push(&[if i % 2 == 0 { 100.0 } else { 0.0 }, 50.0]);
        }
        assert!(timeline.entries.len() < CORE_SAMPLES_KEPT);
        assert!(timeline.per_entry >= 4);
        let averages = timeline.averages();
        assert!((averages[0] - 50.0).abs() < 1.0, "{averages:?}");
        assert!((averages[1] - 50.0).abs() < 0.01);
    }
}

//! The lecture's demo panel state: which demo of the slide is selected, its parameters as
//! the presenter edited them, and what each demo's latest run has reported.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::demo_runtime::Demo;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::params::{Kind, ParamValue, Params};
use crate::demo_runtime::protocol::{Event, NoteLevel, ResultValue};
use crate::demo_runtime::view::Views;
use crate::demos::find;
use crate::lesson::DemoDirective;
use crate::process::ExitInfo;

/// Notes kept per run.
const NOTES_KEPT: usize = 8;

/// Most processes a run's panel keeps: far above any demo's cap (at most 1024).
pub const MAX_PROCESSES: usize = 4096;

/// Most distinct results a run keeps.
pub const MAX_RESULTS: usize = 512;

/// Finished runs kept (the latest of each demo the presenter ran).
const RUNS_KEPT: usize = 24;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProcess {
    /// Its PID.
    pub pid: u32,
    /// Its parent's PID.
    pub ppid: u32,
    /// Its role.
    pub role: String,
    /// How it ended, once it has.
    pub exit: Option<ExitInfo>,
}

/// What one run of a demo has reported so far.
#[derive(Debug, Clone)]
pub struct Run {
    /// The run's number.
    pub id: u64,
    /// The demo.
    pub demo: &'static dyn Demo,
    /// Its parameters.
    pub params: Params,
    /// The demo it was started as.
    pub slot: Slot,
    /// What the lesson calls this variant, if it names it.
    pub title: Option<String>,
    /// The engine it was started on.
    pub engine: Engine,
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
    pub fn new(id: u64, demo: &'static dyn Demo, params: Params, slot: Slot, now: Instant) -> Self {
        Self {
            id,
            demo,
            params,
            slot,
            title: None,
            engine: Engine::Native,
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
            } => {
                let exit = ExitInfo::from_parts(code, signal);
                let room = self.processes.len() < MAX_PROCESSES;
                match self.processes.iter_mut().find(|p| p.pid == pid) {
                    Some(process) => process.exit = Some(exit),
                    None if room => {
                        self.processes.push(DemoProcess {
                            pid,
                            ppid: 0,
                            role,
                            exit: Some(exit),
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

/// The demo panel's state across slides.
#[derive(Debug, Clone, Default)]
pub struct DemoPanel {
    /// Which of the current slide's demos is selected.
    pub selected: usize,
    /// Parameters per demo, once the presenter or the lesson set them.
    pub params: HashMap<Slot, Params>,
    /// The parameter row being edited, when the editor is open.
    pub editor: Option<usize>,
    /// Lines of the panel's body scrolled past.
    pub scroll: usize,
    /// Whether the panel compares the demo's latest runs on both engines.
    pub compare: bool,
    /// Runs, oldest first: at most one is running, and older finished ones are dropped.
    pub runs: Vec<Run>,
    /// Number of the latest run.
    pub next_run: u64,
}

impl DemoPanel {
    /// The run that is going, if any.
    #[must_use]
    pub fn running(&self) -> Option<&Run> {
        self.runs.iter().rev().find(|r| r.is_running())
    }

    /// The running run, to change it.
    pub fn running_mut(&mut self) -> Option<&mut Run> {
        self.runs.iter_mut().rev().find(|r| r.is_running())
    }

    /// The latest run of the demo at `slot`.
    #[must_use]
    pub fn latest(&self, slot: Slot) -> Option<&Run> {
        self.runs.iter().rev().find(|r| r.slot == slot)
    }

    /// The latest run of the demo at `slot` on `engine`.
    #[must_use]
    pub fn latest_on(&self, slot: Slot, engine: Engine) -> Option<&Run> {
        self.runs
            .iter()
            .rev()
            .find(|r| r.slot == slot && r.engine == engine)
    }

    /// Run number `id`, to change it.
    pub fn run_mut(&mut self, id: u64) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// Takes the processes of every run not started on `slide` off the gauges (except a
    /// pinned run still going), once each: a new slide starts with its own demos' processes.
    /// Returns the worker PIDs whose trees to forget.
    pub fn untrack_all_but(&mut self, slide: usize) -> Vec<u32> {
        let mut pids = Vec::new();
        for run in &mut self.runs {
            let keep = run.slot.0 == slide || (run.pinned && run.is_running());
            if keep || run.untracked {
                continue;
            }
            run.untracked = true;
            pids.extend(run.processes.first().map(|worker| worker.pid));
        }
        pids
    }

    /// Keeps `run`, dropping the oldest finished runs beyond what is kept (but never the
    /// only run of a demo on an engine, which a comparison needs).
    pub fn push(&mut self, run: Run) {
        self.runs.push(run);
        while self.runs.len() > RUNS_KEPT {
            let replaced = |i: usize| {
                let old = &self.runs[i];
                self.runs[i + 1..]
                    .iter()
                    .any(|r| r.slot == old.slot && r.engine == old.engine)
            };
            let oldest = (0..self.runs.len())
                .find(|&i| !self.runs[i].is_running() && replaced(i))
                .or_else(|| self.runs.iter().position(|r| !r.is_running()));
            match oldest {
                Some(oldest) => {
                    self.runs.remove(oldest);
                }
                None => break,
            }
        }
    }

    /// The parameters for the demo at `slot`: what the presenter set, else the lesson's
    /// directive over the defaults. `None` if the directive names no known demo.
    pub fn params_for(&mut self, slot: Slot, directive: &DemoDirective) -> Option<Params> {
        let demo = find(&directive.name).ok()?;
        let params = self.params.entry(slot).or_insert_with(|| {
            let pairs = directive
                .params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()));
            demo.params_from(pairs).unwrap_or_else(|_| demo.defaults())
        });
        Some(params.clone())
    }

    /// Changes parameter `row` of the demo at `slot` one step up or down; a combination the
    /// demo would refuse (children over the cap, say) is never accepted.
    pub fn step_param(&mut self, slot: Slot, demo: &dyn Demo, row: usize, up: bool) {
        let Some(param) = demo.spec().params.get(row) else {
            return;
        };
        let Some(params) = self.params.get_mut(&slot) else {
            return;
        };
        let current = params
            .get(param.name)
            .cloned()
            .unwrap_or_else(|| param.default_value());
        let next = match (param.kind, current) {
            (Kind::Int { min, max }, ParamValue::Int(n)) => {
                ParamValue::Int(next_int(n, min, max, up))
            }
            (Kind::Bool, ParamValue::Bool(b)) => ParamValue::Bool(!b),
            (Kind::Choice(words), ParamValue::Choice(word)) => {
                let at = words.iter().position(|w| *w == word).unwrap_or(0);
                let next = if up {
                    (at + 1) % words.len()
                } else {
                    (at + words.len() - 1) % words.len()
                };
                ParamValue::Choice(words[next].to_string())
            }
            (_, other) => other,
        };
        if let Some(accepted) = demo.with(params, param.name, next) {
            *params = accepted;
        }
    }
}

/// The next integer on a 1-2-5 ladder (so 0–1024 takes a dozen key presses), within range.
#[must_use]
pub fn next_int(n: i64, min: i64, max: i64, up: bool) -> i64 {
    if max - min <= 20 {
        return if up {
            (n + 1).min(max)
        } else {
            (n - 1).max(min)
        };
    }
    let ladder = (0..7)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10i64.pow(e)))
        .chain([0]);
    let mut steps: Vec<i64> = ladder
        .filter(|v| (min..=max).contains(v))
        .chain([min, max])
        .collect();
    steps.sort_unstable();
    steps.dedup();
    if up {
        steps.into_iter().find(|v| *v > n).unwrap_or(max)
    } else {
        steps.into_iter().rev().find(|v| *v < n).unwrap_or(min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::view::{Tone, View};
    use crate::demos::ALL;

    #[test]
    fn integer_steps_follow_a_1_2_5_ladder_on_wide_ranges() {
        assert_eq!(next_int(8, 0, 1024, true), 10);
        assert_eq!(next_int(10, 0, 1024, false), 5);
        assert_eq!(next_int(1000, 0, 1024, true), 1024);
        assert_eq!(next_int(0, 0, 1024, false), 0);
        assert_eq!(next_int(3, 1, 20, true), 4);
        assert_eq!(next_int(1, 1, 20, false), 1);
    }

    #[test]
    fn a_run_collects_processes_exits_results_views_and_notes() {
        let demo = ALL[0];
        let mut run = Run::new(1, demo, demo.defaults(), (2, 0), Instant::now());
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

    #[test]
    fn the_panel_keeps_the_latest_run_of_each_demo_and_drops_old_finished_ones() {
        let demo = ALL[0];
        let mut panel = DemoPanel::default();
        for id in 0..40 {
            let mut run = Run::new(
                id,
                demo,
                demo.defaults(),
                (0, (id % 2) as usize),
                Instant::now(),
            );
            run.end(RunEnd::Stopped("x"), Instant::now());
            panel.push(run);
        }
        assert_eq!(panel.runs.len(), RUNS_KEPT);
        assert_eq!(panel.latest((0, 1)).map(|r| r.id), Some(39));
        assert_eq!(panel.latest((0, 0)).map(|r| r.id), Some(38));
        assert!(panel.running().is_none());
    }
}

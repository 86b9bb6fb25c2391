//! The lecture's demo panel state: which demo of the slide is selected, its parameters as
//! the presenter edited them, and what the current run has reported.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::demo::protocol::{Event, NoteLevel, ResultValue};
use crate::demo::registry::{self, DemoSpec, Kind, ParamValue, Params};
use crate::lesson::DemoDirective;
use crate::sampler::ExitInfo;

/// Notes kept per run.
const NOTES_KEPT: usize = 8;

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
    pub spec: &'static DemoSpec,
    /// Its parameters.
    pub params: Params,
    /// The slide it was started from.
    pub slide: usize,
    /// Whether it keeps running across slide changes.
    pub pinned: bool,
    /// When it started.
    pub started: Instant,
    /// How long it ran, once ended.
    pub duration: Option<Duration>,
    /// The latest progress message and counters.
    pub progress: Option<(String, Option<u64>, Option<u64>)>,
    /// Measurements as they came: (role, name, value, unit).
    pub measures: Vec<(Option<String>, String, f64, String)>,
    /// Explanations, newest last.
    pub notes: Vec<(NoteLevel, String)>,
    /// Every process it reported, in order.
    pub processes: Vec<DemoProcess>,
    /// Final results so far.
    pub results: BTreeMap<String, ResultValue>,
    /// The latest lane of each thread or process, in order of first appearance.
    pub lanes: Vec<(String, u32, String)>,
    /// An error it reported.
    pub error: Option<String>,
    /// How it ended.
    pub ended: Option<RunEnd>,
}

impl Run {
    /// Whether it is still going.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.ended.is_none()
    }

    /// Applies one protocol event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Hello { .. } | Event::Summary { .. } => {}
            Event::Process { pid, ppid, role } => {
                self.processes.push(DemoProcess {
                    pid,
                    ppid,
                    role,
                    exit: None,
                });
            }
            Event::Progress {
                message,
                done,
                total,
            } => self.progress = Some((message, done, total)),
            Event::Measure {
                name,
                value,
                unit,
                role,
            } => self.measures.push((role, name, value, unit)),
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
                let exit = match (code, signal) {
                    (Some(code), _) => ExitInfo::Code(code),
                    (None, Some(signal)) => ExitInfo::Signal(signal),
                    _ => ExitInfo::Unknown,
                };
                match self.processes.iter_mut().find(|p| p.pid == pid) {
                    Some(process) => process.exit = Some(exit),
                    None => self.processes.push(DemoProcess {
                        pid,
                        ppid: 0,
                        role,
                        exit: Some(exit),
                    }),
                }
            }
            Event::Result { name, value } => {
                self.results.insert(name, value);
            }
            Event::Lane {
                role,
                slot_ms,
                states,
            } => match self.lanes.iter_mut().find(|(r, _, _)| *r == role) {
                Some(lane) => *lane = (role, slot_ms, states),
                None => self.lanes.push((role, slot_ms, states)),
            },
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
    /// Parameters per (slide, demo index), once the presenter or the lesson set them.
    pub params: HashMap<(usize, usize), Params>,
    /// The parameter row being edited, when the editor is open.
    pub editor: Option<usize>,
    /// The latest run.
    pub run: Option<Run>,
    /// Number of the next run.
    pub next_run: u64,
}

impl DemoPanel {
    /// The parameters for demo `index` of `slide`: what the presenter set, else the lesson's
    /// directive over the defaults.
    pub fn params_for(
        &mut self,
        slide: usize,
        index: usize,
        directive: &DemoDirective,
    ) -> Option<Params> {
        let spec = registry::find(&directive.name).ok()?;
        let params = self.params.entry((slide, index)).or_insert_with(|| {
            let pairs = directive
                .params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()));
            spec.params_from(pairs).unwrap_or_else(|_| spec.defaults())
        });
        Some(params.clone())
    }

    /// Changes parameter `row` of demo `index` on `slide` one step up or down.
    pub fn step_param(
        &mut self,
        slide: usize,
        index: usize,
        spec: &DemoSpec,
        row: usize,
        up: bool,
    ) {
        let Some(param) = spec.params.get(row) else {
            return;
        };
        let Some(params) = self.params.get_mut(&(slide, index)) else {
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
        let mut candidate = params.clone();
        candidate.insert(param.name.to_string(), next);
        // Never accept a combination the demo would refuse (e.g. children over the cap).
        if spec.validate(&candidate).is_ok() {
            *params = candidate;
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
    fn a_run_collects_processes_exits_results_and_notes() {
        let spec = registry::find("fork-lock").unwrap();
        let mut run = Run {
            id: 1,
            spec,
            params: spec.defaults(),
            slide: 2,
            pinned: false,
            started: Instant::now(),
            duration: None,
            progress: None,
            measures: Vec::new(),
            notes: Vec::new(),
            processes: Vec::new(),
            results: BTreeMap::new(),
            lanes: Vec::new(),
            error: None,
            ended: None,
        };
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
        for i in 0..20 {
            run.apply(Event::Note {
                level: NoteLevel::Info,
                message: format!("{i}"),
            });
        }
        assert_eq!(run.processes[0].exit, Some(ExitInfo::Signal(9)));
        assert_eq!(run.results["deadlocked"], ResultValue::Bool(true));
        assert_eq!(run.notes.len(), NOTES_KEPT);
        run.end(RunEnd::Stopped("x"), Instant::now());
        assert!(!run.is_running());
    }
}

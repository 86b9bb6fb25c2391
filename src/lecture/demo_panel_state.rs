//! The lecture's demo panel state across slides: which demo of the slide is selected, its
//! parameters as the presenter edited them, the editor, and the runs kept (the latest of each
//! demo on each engine).

use std::collections::HashMap;

use super::run::{Run, Slot};
use super::text_field::TextField;
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::params::{Kind, ParamValue};

/// Finished runs kept (the latest of each demo the presenter ran).
const RUNS_KEPT: usize = 24;

/// What `c` puts side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The demo's latest run against its run before with other parameters (an experiment).
    Experiments,
    /// The demo's latest runs natively and on CPython.
    Engines,
}

/// The demo panel's state across slides.
#[derive(Debug, Clone, Default)]
pub struct DemoPanel {
    /// Which of the current slide's demos is selected.
    pub selected: usize,
    /// The requests the presenter edited (`e`), per demo; the others run as the lesson says.
    pub edited: HashMap<Slot, RunRequest>,
    /// The parameter row being edited, when the editor is open.
    pub editor: Option<usize>,
    /// A value being typed for that row (Enter sets it and runs the demo).
    pub typed: Option<TextField>,
    /// Why the value typed last was refused, shown under the editor until the next key.
    pub refused: Option<String>,
    /// Lines of the panel's body scrolled past.
    pub scroll: usize,
    /// What the panel compares instead of showing the latest run (`c`), if anything.
    pub compare: Option<Compare>,
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

    /// An experiment at `slot`: its latest run that ended with results, and the latest run
    /// before it on the same engine with other parameters (earlier, latest) — what a learner
    /// who changed a parameter (`e`) and ran again compares.
    #[must_use]
    pub fn experiment(&self, slot: Slot) -> Option<(&Run, &Run)> {
        let measured = |r: &&Run| r.slot == slot && !r.is_running() && !r.results.is_empty();
        let latest = self.runs.iter().rev().find(measured)?;
        let earlier = self.runs.iter().rev().filter(measured).find(|r| {
            r.id < latest.id
                && (r.engine, r.interpreter) == (latest.engine, latest.interpreter)
                && r.request.params() != latest.request.params()
        })?;
        Some((earlier, latest))
    }

    /// Run number `id`, to change it.
    pub fn run_mut(&mut self, id: u64) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// Takes the processes of every run not started on `slide` off the gauges (except a
    /// pinned run still going), once each: a new slide starts with its own demos' processes.
    /// Returns the runs whose trees to forget.
    pub fn untrack_all_but(&mut self, slide: usize) -> Vec<u64> {
        self.untrack(|run| run.slot.0 != slide && !(run.pinned && run.is_running()))
    }

    /// Takes the processes of every ended run off the gauges, once each, as a new run starts.
    /// Returns the runs whose trees to forget.
    pub fn untrack_ended(&mut self) -> Vec<u64> {
        self.untrack(|run| !run.is_running())
    }

    fn untrack(&mut self, leaves: impl Fn(&Run) -> bool) -> Vec<u64> {
        let mut ids = Vec::new();
        for run in &mut self.runs {
            if !run.untracked && leaves(run) {
                run.untracked = true;
                ids.push(run.id);
            }
        }
        ids
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

    /// Closes the parameter editor, dropping a value half typed.
    pub fn close_editor(&mut self) {
        self.editor = None;
        self.typed = None;
        self.refused = None;
    }

    /// Changes parameter `row` of `current` (the request of the demo at `slot`) one step up
    /// or down and keeps the result as that demo's edited request; a combination the demo
    /// would refuse (children over the cap, say) is never accepted.
    pub fn step_param(&mut self, slot: Slot, current: &RunRequest, row: usize, up: bool) {
        let Some(param) = current.demo().spec().params.get(row) else {
            return;
        };
        let value = current
            .params()
            .get(param.name)
            .cloned()
            .unwrap_or_else(|| param.default_value());
        let next = match (param.kind, value) {
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
        if let Some(accepted) = current.with(param.name, next) {
            self.edited.insert(slot, accepted);
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
    use std::time::Instant;

    use super::*;
    use crate::demos::ALL;
    use crate::lecture::run::RunEnd;

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
    fn the_panel_keeps_the_latest_run_of_each_demo_and_drops_old_finished_ones() {
        let demo = ALL[0];
        let mut panel = DemoPanel::default();
        for id in 0..40 {
            let mut run = Run::new(
                id,
                RunRequest::defaults(demo),
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

//! How the verdicts' keys and finished runs change the App: `v` shows them, Enter there runs
//! the demo runs no claim has a measurement from yet (one after another), and every run that
//! ends well is kept as a measurement.

use std::time::Instant;

use super::App;
use super::run::Run;
use super::verdicts::VERDICTS_SLOT;
use crate::claims::{Measurement, run_key};
use crate::demo_runtime::protocol::NoteLevel;
use crate::lecture::msg::Effect;
use crate::process::ExitInfo;

impl App {
    /// `v`: shows the verdicts in the demo panel, or the slide's demos again.
    pub(super) fn toggle_verdicts(&mut self) -> Vec<Effect> {
        if self.verdicts.claims.is_empty() {
            self.status = Some("This lesson states no claims (`<!-- claim: ... -->`).".into());
        } else {
            self.verdicts.shown = !self.verdicts.shown;
            // Opened on a slide that makes claims: its claims first.
            let here = self.slide + 1;
            self.verdicts.page = self
                .verdicts
                .slides()
                .iter()
                .position(|&s| s >= here)
                .filter(|_| !self.current_slide().verdicts)
                .unwrap_or(0);
            self.demos.close_editor();
            self.demos.compare = None;
            self.demos.scroll = 0;
        }
        vec![Effect::Redraw]
    }

    /// Enter on the verdicts: runs, one after another, every run the claims still need on the
    /// current engine to have `Verdicts::wanted` each.
    pub(super) fn run_missing_claims(&mut self, now: Instant) -> Vec<Effect> {
        let engine = self.engines.current;
        let missing = self.verdicts.missing(engine);
        if missing.is_empty() {
            self.status = Some(format!(
                "Every claim that can be measured on {engine} has its {} runs; E switches engine.",
                self.verdicts.wanted
            ));
            return vec![Effect::Redraw];
        }
        self.verdicts.queued = missing.len();
        self.verdicts.queue = missing.into();
        self.next_claim_run(now)
    }

    /// Starts the next queued run for the verdicts, if any.
    pub(super) fn next_claim_run(&mut self, now: Instant) -> Vec<Effect> {
        let Some(request) = self.verdicts.queue.pop_front() else {
            return vec![Effect::Redraw];
        };
        let done = self.verdicts.queued - self.verdicts.queue.len();
        let title = format!("For the verdicts ({done}/{})", self.verdicts.queued);
        let engine = self.runnable_on(request.demo(), self.engines.current);
        self.launch(
            request,
            (self.slide, VERDICTS_SLOT),
            Some(title),
            engine,
            now,
        )
    }

    /// A run ended: a good one's results count for the claims; the verdicts' queue goes on.
    pub(super) fn after_run(&mut self, run: &Run, exit: ExitInfo, now: Instant) -> Vec<Effect> {
        let finished_well = exit == ExitInfo::Code(0) && run.error.is_none();
        // The verdicts' CPython column is the first CPython's: a run on another one (`E`) is
        // shown, never mixed into it (`lectern report --python A --python B` compares them).
        if finished_well && !run.results.is_empty() && run.interpreter == 0 {
            let key = run_key(run.request.name(), run.request.params());
            let simulated = run
                .notes
                .iter()
                .find(|(level, _)| *level == NoteLevel::Simulated)
                .map(|(_, text)| text.clone());
            self.verdicts.record(
                key,
                run.engine,
                Measurement {
                    results: run.results.clone(),
                    simulated,
                },
            );
        }
        // A prediction is compared once its round is complete.
        if finished_well && !run.results.is_empty() {
            if let Some(effects) = self.next_in_round(run, now) {
                return effects;
            }
            self.compare_with_answer(run);
        }
        if run.slot.1 == VERDICTS_SLOT && !self.verdicts.queue.is_empty() {
            return self.next_claim_run(now);
        }
        Vec::new()
    }
}

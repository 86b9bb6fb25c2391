//! How learn mode changes the App: `L` turns it on and off; Enter on a demo whose claim asks a
//! question opens the question instead of running; digits and Backspace type the answer,
//! Enter locks it in and runs the demo, Esc skips; a run that ends well is compared with the
//! answer given before it.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent};

use super::App;
use super::learn::{Answered, Asking};
use super::run::{Run, Slot};
use super::text_field::TextField;
use crate::claims::progress_log::ProgressLine;
use crate::claims::{Prediction, judge_runs};
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::lecture::msg::Effect;

impl App {
    /// `L`: learn mode on or off.
    pub(super) fn toggle_learn(&mut self) -> Vec<Effect> {
        self.learn.on = !self.learn.on;
        self.learn.asking = None;
        self.status = Some(if self.learn.on {
            "Learn mode: a demo with a question asks you first. L turns it off.".into()
        } else {
            "Learn mode off: Enter runs demos at once.".into()
        });
        vec![Effect::Redraw]
    }

    /// In learn mode, starting on the first slide: goes to the first slide whose question
    /// earlier sessions did not answer (`answered`: slide and prompt), saying so.
    pub fn resume_learning(&mut self, answered: &[(usize, String)]) {
        if !self.learn.on || self.slide != 0 || answered.is_empty() {
            return;
        }
        let first_open = self
            .verdicts
            .claims
            .iter()
            .filter_map(|c| c.question.as_ref().map(|q| (c.slide, &q.prompt)))
            .find(|(slide, prompt)| !answered.iter().any(|(s, p)| s == slide && p == *prompt));
        self.status = Some(match first_open {
            Some((slide, _)) => {
                self.slide = slide - 1;
                // Short enough for the footer at 100 columns.
                format!("Learn mode: on slide {slide}, your first unanswered question.")
            }
            None => "Learn mode: every question answered (see `lectern progress`).".into(),
        });
    }

    /// The claim (an index) whose question comes before `request`, when learn mode asks it.
    pub(super) fn question_before(&self, request: &RunRequest) -> Option<usize> {
        if !self.learn.on {
            return None;
        }
        self.verdicts
            .claims
            .iter()
            .position(|c| c.request == *request && c.question.is_some())
            .filter(|&claim| !self.learn.answered(claim))
    }

    /// Opens claim `claim`'s question before the demo of `slot`.
    pub(super) fn ask(&mut self, slot: Slot, claim: usize) -> Vec<Effect> {
        self.demos.close_editor();
        // On a screen too small for the question beside the slide, it takes the screen, as
        // the editor does.
        if self.layout.demo_cramped {
            self.demo_focus = true;
        }
        self.learn.asking = Some(Asking {
            slot,
            claim,
            typed: TextField::number(),
            refused: None,
        });
        vec![Effect::Redraw]
    }

    /// Keys while a question is open; `None` lets the key through (navigation, quitting). A
    /// question left behind (another slide, another demo) is dropped.
    pub(super) fn question_key(&mut self, key: KeyEvent, now: Instant) -> Option<Vec<Effect>> {
        let asking = self.learn.asking.as_mut()?;
        if asking.slot != (self.slide, self.demos.selected) {
            self.learn.asking = None;
            return None;
        }
        match key.code {
            KeyCode::Char(c) if asking.typed.takes(c) => {
                asking.typed.push(c);
                asking.refused = None;
                Some(vec![Effect::Redraw])
            }
            KeyCode::Backspace => {
                asking.typed.pop();
                Some(vec![Effect::Redraw])
            }
            KeyCode::Esc => Some(self.answer(None, now)),
            KeyCode::Enter => {
                let question = self.verdicts.claims.get(asking.claim)?.question.as_ref()?;
                match question.read(asking.typed.text()) {
                    Ok(prediction) => Some(self.answer(Some(prediction), now)),
                    Err(why) => {
                        asking.refused = Some(why);
                        Some(vec![Effect::Redraw])
                    }
                }
            }
            _ => None,
        }
    }

    /// Locks the answer in (or the skip) and runs the demo it was asked before.
    fn answer(&mut self, prediction: Option<Prediction>, now: Instant) -> Vec<Effect> {
        let Some(asking) = self.learn.asking.take() else {
            return Vec::new();
        };
        // Recorded first, so the run below does not ask again; it learns its run's number
        // once the run exists.
        self.learn.answers.push(Answered {
            claim: asking.claim,
            prediction,
            run: 0,
            round: (1, 1),
            measured: None,
            spread: None,
            close: None,
        });
        let effects = self.start_demo(now);
        let started = self
            .demos
            .latest(asking.slot)
            .filter(|r| r.is_running())
            .map(|r| (r.id, r.engine, r.interpreter));
        if let Some((id, engine, interpreter)) = started {
            let round = match (prediction, self.verdicts.claims.get(asking.claim)) {
                // The verdicts keep the first interpreter's runs only; a skipped question
                // has nothing to compare.
                (Some(_), Some(claim)) if interpreter == 0 => {
                    let have = self.verdicts.runs(claim, engine);
                    self.verdicts.wanted.saturating_sub(have).max(1)
                }
                _ => 1,
            };
            if let Some(answer) = self.learn.answers.last_mut() {
                (answer.run, answer.round) = (id, (1, round));
            }
        }
        if prediction.is_none() {
            let engine = self
                .demos
                .latest(asking.slot)
                .map_or(self.engines.current, |r| r.engine);
            self.log_outcome((asking.claim, engine), (None, None), "skipped");
        }
        effects
    }

    /// A run ended well before its round did: starts the round's next run of the same demo,
    /// on the same engine, in the same slot (`wait demo-finished` waits for the whole round,
    /// since the next run starts in the same update).
    pub(super) fn next_in_round(&mut self, run: &Run, now: Instant) -> Option<Vec<Effect>> {
        let index = self
            .learn
            .answers
            .iter()
            .rposition(|a| a.run == run.id && a.measured.is_none())?;
        let (done, of) = self.learn.answers[index].round;
        if done >= of {
            return None;
        }
        let title = run.title.clone();
        let effects = self.launch(run.request.clone(), run.slot, title, run.engine, now);
        let answer = &mut self.learn.answers[index];
        (answer.run, answer.round) = (self.demos.next_run, (done + 1, of));
        Some(effects)
    }

    /// A run ended well: what its round measured answers the question asked before it — the
    /// median run of every run this session made of the demo on this engine, or the run
    /// alone on a CPython the verdicts do not keep.
    pub(super) fn compare_with_answer(&mut self, run: &Run) {
        let Some(answered) = self
            .learn
            .answers
            .iter_mut()
            .rev()
            .find(|a| a.run == run.id)
        else {
            return;
        };
        let Some(claim) = self.verdicts.claims.get(answered.claim) else {
            return;
        };
        let Some(question) = &claim.question else {
            return;
        };
        let measurements = self
            .verdicts
            .measured
            .get(&(claim.run_key(), run.engine))
            .filter(|_| run.interpreter == 0);
        let spread = measurements.and_then(|m| judge_runs(claim, m));
        let median_run = spread
            .as_ref()
            .zip(measurements)
            .and_then(|(spread, m)| Some((&m.get(spread.median_run)?.results, spread)));
        let (results, holds) = match median_run {
            Some((results, spread)) => (results, Some(spread.median_holds)),
            None => (&run.results, claim.judge(&run.results).map(|v| v.holds)),
        };
        answered.measured = question.measured(&claim.result, results, holds);
        answered.spread = spread;
        answered.close = answered
            .prediction
            .zip(answered.measured)
            .map(|(p, m)| question.is_close(p, m));
        if let Some(close) = answered.close {
            let (index, prediction, measured) =
                (answered.claim, answered.prediction, answered.measured);
            let outcome = if close { "close" } else { "off" };
            self.log_outcome((index, run.engine), (prediction, measured), outcome);
        }
    }

    /// Keeps an outcome for the progress file (the event loop stamps its lesson and time).
    fn log_outcome(
        &mut self,
        (claim, engine): (usize, Engine),
        (prediction, measured): (Option<Prediction>, Option<Prediction>),
        outcome: &str,
    ) {
        let Some(claim) = self.verdicts.claims.get(claim) else {
            return;
        };
        let Some(question) = &claim.question else {
            return;
        };
        self.learn.log.push(ProgressLine {
            lesson: String::new(),
            slide: claim.slide,
            question: question.prompt.clone(),
            prediction: prediction.map(|p| claim.show_answer(p)),
            measured: measured.map(|m| claim.show_answer(m)),
            outcome: outcome.into(),
            engine: engine.name().to_string(),
            time: 0,
        });
    }
}

//! Learn mode (`--learn`, `L`): before a demo whose claim carries a question runs, the panel
//! asks it; the learner's answer is locked in, the demo runs, and the panel puts the
//! prediction beside what this machine measured. Predicting first is what turns watching a
//! demonstration into learning from it.

use super::run::Slot;
use super::text_field::TextField;
use crate::claims::progress_log::ProgressLine;
use crate::claims::{Prediction, Spread};

/// Learn mode's state.
#[derive(Debug, Clone, Default)]
pub struct Learn {
    /// Whether demos with a question ask it first.
    pub on: bool,
    /// The question being answered, if one is open.
    pub asking: Option<Asking>,
    /// Every answer of this session, oldest first.
    pub answers: Vec<Answered>,
    /// Each outcome as the progress file keeps it (close, off or skipped), oldest first;
    /// the event loop appends the new ones.
    pub log: Vec<ProgressLine>,
}

/// A question open in the demo panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Asking {
    /// The demo it was asked before.
    pub slot: Slot,
    /// The claim that carries it (an index into the verdicts' claims).
    pub claim: usize,
    /// What has been typed.
    pub typed: TextField,
    /// Why the last Enter was refused, to correct it.
    pub refused: Option<String>,
}

/// One question answered (or skipped), and what the run it came before measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The claim that carries the question.
    pub claim: usize,
    /// The learner's answer; `None` when skipped (Esc).
    pub prediction: Option<Prediction>,
    /// The run it came before: the latest of its round.
    pub run: u64,
    /// Which run of the round that is, and how many the round makes: a prediction is
    /// compared with the median of [`crate::lecture::Verdicts::wanted`] runs, as
    /// `lectern report` judges a claim, so one slow run does not decide it.
    pub round: (usize, usize),
    /// What the round answered, once it ended well.
    pub measured: Option<Prediction>,
    /// The claim over the round's runs (and this session's earlier ones of the same demo).
    pub spread: Option<Spread>,
    /// Whether the prediction was close to it.
    pub close: Option<bool>,
}

impl Learn {
    /// The answer given before run `run`, if any.
    #[must_use]
    pub fn for_run(&self, run: u64) -> Option<&Answered> {
        self.answers.iter().rev().find(|a| a.run == run)
    }

    /// Whether the question of claim `claim` was answered (or skipped) in this session.
    #[must_use]
    pub fn answered(&self, claim: usize) -> bool {
        self.answers.iter().any(|a| a.claim == claim)
    }
}

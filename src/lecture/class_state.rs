//! The lecture's side of a class (`lectern present --class`, `lectern join`): in the room,
//! how to join, who is here, and what the class predicted and measured; on a student's
//! laptop, where the room is and whether this screen follows it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::classroom::frames::Answer;

/// A class the lecture takes part in.
#[derive(Debug, Clone, PartialEq)]
pub enum Class {
    /// This lecture is the room.
    Room(RoomClass),
    /// This lecture is a student's.
    Student(StudentClass),
}

/// The room's view of its class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomClass {
    /// What students type to join (`lectern join 192.168.1.5:47125 K7QX2M9P`).
    pub join: String,
    /// Students joined now.
    pub students: usize,
    /// Every prediction, by slide (1-based) and question: (student, answer); a student's
    /// later answer replaces the earlier one.
    pub predictions: BTreeMap<(usize, String), Vec<(u64, Answer)>>,
    /// Every measurement, by demo: (student, results, interpreter, cores).
    pub measurements: BTreeMap<String, Vec<Measured>>,
}

/// One student's machine's measurement of a demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Who.
    pub student: u64,
    /// The results.
    pub results: BTreeMap<String, f64>,
    /// What ran it.
    pub interpreter: String,
    /// The machine's cores.
    pub cores: u32,
}

/// Each student's answer to one question: (student, answer).
pub type Answers = Vec<(u64, Answer)>;

/// What a room's class said, as a saved session keeps it (JSON has no tuple keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassRecord {
    /// Predictions: slide, question, (student, answer).
    pub predictions: Vec<(usize, String, Answers)>,
    /// Measurements: demo, each machine's.
    pub measurements: Vec<(String, Vec<Measured>)>,
}

impl RoomClass {
    /// What the class said, to save; `None` before anyone said anything.
    #[must_use]
    pub fn record(&self) -> Option<ClassRecord> {
        if self.predictions.is_empty() && self.measurements.is_empty() {
            return None;
        }
        Some(ClassRecord {
            predictions: self
                .predictions
                .iter()
                .map(|((slide, question), answers)| (*slide, question.clone(), answers.clone()))
                .collect(),
            measurements: self
                .measurements
                .iter()
                .map(|(demo, runs)| (demo.clone(), runs.clone()))
                .collect(),
        })
    }

    /// Takes a saved class's results back (the room's students are new: their numbers
    /// start after the saved ones, so nobody's answer replaces a saved one).
    pub fn take_back(&mut self, record: &ClassRecord) {
        for (slide, question, answers) in &record.predictions {
            self.predictions
                .entry((*slide, question.clone()))
                .or_default()
                .extend(answers.iter().map(|(id, a)| (saved_id(*id), *a)));
        }
        for (demo, runs) in &record.measurements {
            let kept = self.measurements.entry(demo.clone()).or_default();
            kept.extend(runs.iter().map(|m| Measured {
                student: saved_id(m.student),
                ..m.clone()
            }));
        }
    }
}

/// A saved student's number, apart from this session's (which count up from 1).
fn saved_id(id: u64) -> u64 {
    id | (1 << 63)
}

/// A student's view of the room.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudentClass {
    /// Where the room is (0-based), once it said.
    pub room_slide: Option<usize>,
    /// Whether this screen goes where the room goes (`F` follows again after paging away).
    pub following: bool,
    /// The demo the room ran last, offered here.
    pub room_demo: Option<String>,
    /// Whether the room ended the class.
    pub ended: bool,
    /// Runs already reported to the room, by number.
    pub reported_runs: Vec<u64>,
    /// Answers already sent.
    pub sent_answers: usize,
}

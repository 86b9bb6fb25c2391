//! The lecture's side of a class (`lectern present --class`, `lectern join`): in the room,
//! how to join, who is here, and what the class predicted and measured; on a student's
//! laptop, where the room is and whether this screen follows it.

use crate::classroom::frames::Answer;
use std::collections::BTreeMap;

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
#[derive(Debug, Clone, PartialEq)]
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

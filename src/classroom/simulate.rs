//! `lectern join --simulate N HOST:PORT CODE`: a class of N students in one process, for trying
//! a room under load — each joins, follows the room's slides, answers at random after each
//! slide change, and sends back a plausible measurement when the room runs a demo. It prints
//! how many joined and followed. Each student is a thread with a small stack.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::client::Student;
use super::frames::{Answer, ToRoom, ToStudent};

/// Stack of each simulated student's thread.
const STACK: usize = 128 * 1024;

/// What a simulated class did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassReport {
    /// Students asked for.
    pub students: usize,
    /// Students that joined.
    pub joined: usize,
    /// Slide changes each joined student saw: the fewest and the most.
    pub followed: (usize, usize),
    /// Predictions sent.
    pub predictions: usize,
    /// Measurements sent.
    pub measurements: usize,
    /// Why students did not join (the first such reason).
    pub refused: Option<String>,
}

/// Runs `students` simulated students against the room at `addr` with `code` for `seconds`
/// (or until the room ends the class).
#[must_use]
pub fn run(addr: &str, code: &str, students: usize, seconds: u64) -> ClassReport {
    let joined = Arc::new(AtomicUsize::new(0));
    let predictions = Arc::new(AtomicUsize::new(0));
    let measurements = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for n in 0..students {
        let (addr, code) = (addr.to_string(), code.to_string());
        let (joined, predictions, measurements) = (
            Arc::clone(&joined),
            Arc::clone(&predictions),
            Arc::clone(&measurements),
        );
        let spawned = std::thread::Builder::new()
            .name(format!("student-{n}"))
            .stack_size(STACK)
            .spawn(move || {
                let mut student = Student::join(&addr, &code, &format!("student {n}"))
                    .map_err(|e| e.to_string())?;
                joined.fetch_add(1, Ordering::Relaxed);
                let counters = (predictions.as_ref(), measurements.as_ref());
                Ok::<usize, String>(follow(&mut student, n, until, counters))
            });
        if let Ok(handle) = spawned {
            handles.push(handle);
        }
    }
    let mut report = ClassReport {
        students,
        followed: (usize::MAX, 0),
        ..ClassReport::default()
    };
    for handle in handles {
        match handle.join() {
            Ok(Ok(slides)) => {
                report.followed = (report.followed.0.min(slides), report.followed.1.max(slides));
            }
            Ok(Err(why)) => {
                report.refused.get_or_insert(why);
            }
            Err(_) => {}
        }
    }
    if report.followed.0 == usize::MAX {
        report.followed.0 = 0;
    }
    report.joined = joined.load(Ordering::Relaxed);
    report.predictions = predictions.load(Ordering::Relaxed);
    report.measurements = measurements.load(Ordering::Relaxed);
    report
}

/// Follows the room until `until` or its end; returns how many slide changes it saw.
fn follow(
    student: &mut Student,
    n: usize,
    until: Instant,
    (predictions, measurements): (&AtomicUsize, &AtomicUsize),
) -> usize {
    let mut slide = None;
    let mut changes = 0;
    let mut seed = n as u64 * 0x9e37_79b9 + 1;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || student.set_timeout(Some(left)).is_err() {
            return changes;
        }
        let Ok(message) = student.receive() else {
            return changes;
        };
        match message {
            ToStudent::State { slide: now, demo } => {
                if slide.is_some_and(|s| s != now) {
                    changes += 1;
                }
                if slide != Some(now) {
                    slide = Some(now);
                    seed = next(seed);
                    let answer = ToRoom::Prediction {
                        slide: now + 1,
                        question: String::new(),
                        answer: Answer::Choice(usize::try_from(seed % 3).unwrap_or(0)),
                    };
                    if student.send(&answer).is_ok() {
                        predictions.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Some((name, _)) = demo {
                    seed = next(seed);
                    // Plausible, and labelled as simulated by its interpreter's name.
                    let value = 0.5 + (seed % 1000) as f64 / 500.0;
                    let measured = ToRoom::Measurement {
                        demo: name,
                        results: [("speedup".to_string(), value)].into(),
                        engine: "native".into(),
                        interpreter: "simulated student".into(),
                        cores: 2,
                    };
                    if student.send(&measured).is_ok() {
                        measurements.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            ToStudent::Ended => return changes,
            _ => {}
        }
    }
}

/// splitmix64's step: random enough for made-up answers, and the same every run.
fn next(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z ^ (z >> 27)
}

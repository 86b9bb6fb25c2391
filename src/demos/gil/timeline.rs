//! What each thread did and when: state changes recorded as they happen, turned into lanes
//! (one character per slot) and shares of time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A thread's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Holding the lock, running.
    Holding,
    /// Waiting for the lock.
    Waiting,
    /// Blocked in (simulated) I/O, lock released.
    Io,
    /// Running with no lock to take (free-threaded, or a process of its own).
    Running,
    /// Finished.
    Done,
}

impl State {
    /// The lane character.
    #[must_use]
    pub fn symbol(self) -> char {
        match self {
            Self::Holding => 'H',
            Self::Waiting => 'W',
            Self::Io => 'I',
            Self::Running => 'R',
            Self::Done => '.',
        }
    }
}

/// State changes of one thread, shareable with the thread that reports them.
#[derive(Debug, Clone)]
pub struct Timeline {
    changes: Arc<Mutex<Vec<(Instant, State)>>>,
}

impl Timeline {
    /// A timeline starting in `state` at `at`.
    #[must_use]
    pub fn new(at: Instant, state: State) -> Self {
        Self {
            changes: Arc::new(Mutex::new(vec![(at, state)])),
        }
    }

    /// Records a change to `state` now.
    pub fn set(&self, state: State) {
        let mut changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        if changes.last().is_none_or(|(_, last)| *last != state) {
            changes.push((Instant::now(), state));
        }
    }

    fn snapshot(&self) -> Vec<(Instant, State)> {
        self.changes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The dominant state of each `slot` from `from` to `to`, as lane characters.
    #[must_use]
    pub fn lane(&self, from: Instant, to: Instant, slot: Duration) -> String {
        let changes = self.snapshot();
        let mut lane = String::new();
        let mut start = from;
        while start < to {
            let end = (start + slot).min(to);
            let shares = shares_between(&changes, start, end);
            let dominant = shares
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1))
                .map_or(State::Done, |(s, _)| *s);
            lane.push(dominant.symbol());
            start = end;
        }
        lane
    }

    /// Time in each state from `from` to `to`.
    #[must_use]
    pub fn shares(&self, from: Instant, to: Instant) -> Vec<(State, Duration)> {
        shares_between(&self.snapshot(), from, to)
    }
}

fn shares_between(
    changes: &[(Instant, State)],
    from: Instant,
    to: Instant,
) -> Vec<(State, Duration)> {
    let mut totals: Vec<(State, Duration)> = Vec::new();
    for (i, (at, state)) in changes.iter().enumerate() {
        let next = changes.get(i + 1).map_or(to, |(t, _)| *t);
        let (start, end) = ((*at).max(from), next.min(to));
        if end <= start {
            continue;
        }
        match totals.iter_mut().find(|(s, _)| s == state) {
            Some((_, d)) => *d += end - start,
            None => totals.push((*state, end - start)),
        }
    }
    totals
}

/// The fraction of `total` spent in `state`.
#[must_use]
pub fn share(shares: &[(State, Duration)], state: State, total: Duration) -> f64 {
    let spent = shares
        .iter()
        .find(|(s, _)| *s == state)
        .map_or(Duration::ZERO, |(_, d)| *d);
    if total.is_zero() {
        0.0
    } else {
        spent.as_secs_f64() / total.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_show_the_dominant_state_per_slot() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let timeline = Timeline::new(t0, State::Waiting);
        timeline
            .changes
            .lock()
            .unwrap()
            .push((t0 + ms(30), State::Holding));
        timeline
            .changes
            .lock()
            .unwrap()
            .push((t0 + ms(100), State::Io));
        assert_eq!(timeline.lane(t0, t0 + ms(150), ms(50)), "WHI");
        let shares = timeline.shares(t0, t0 + ms(150));
        assert!((share(&shares, State::Holding, ms(150)) - 70.0 / 150.0).abs() < 1e-9);
    }
}

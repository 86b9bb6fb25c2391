//! The lecture's elapsed-time timer: start, pause, reset.

use std::time::{Duration, Instant};

/// A pausable stopwatch driven by instants passed in, so it is testable without sleeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopwatch {
    accumulated: Duration,
    running_since: Option<Instant>,
}

impl Stopwatch {
    /// A stopwatch that starts running at `now`.
    #[must_use]
    pub fn running(now: Instant) -> Self {
        Self {
            accumulated: Duration::ZERO,
            running_since: Some(now),
        }
    }

    /// A stopwatch that has counted `elapsed` and goes on from `now` if `running` (a resumed
    /// session's timer).
    #[must_use]
    pub fn resumed(elapsed: Duration, running: bool, now: Instant) -> Self {
        Self {
            accumulated: elapsed,
            running_since: running.then_some(now),
        }
    }

    /// Whether the stopwatch is counting.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Time counted up to `now`.
    #[must_use]
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.accumulated
            + self
                .running_since
                .map_or(Duration::ZERO, |t| now.saturating_duration_since(t))
    }

    /// Pauses a running stopwatch or resumes a paused one.
    pub fn toggle(&mut self, now: Instant) {
        match self.running_since.take() {
            Some(since) => self.accumulated += now.saturating_duration_since(since),
            None => self.running_since = Some(now),
        }
    }

    /// Sets the count back to zero, keeping it running or paused as it was.
    pub fn reset(&mut self, now: Instant) {
        self.accumulated = Duration::ZERO;
        if self.running_since.is_some() {
            self.running_since = Some(now);
        }
    }

    /// How long until the displayed whole second changes, if it is running.
    #[must_use]
    pub fn until_next_second(&self, now: Instant) -> Option<Duration> {
        self.running_since?;
        let into_second = self.elapsed(now).subsec_nanos();
        Some(Duration::from_nanos(u64::from(1_000_000_000 - into_second)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_resumes_and_resets() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut watch = Stopwatch::running(t0);
        assert_eq!(watch.elapsed(at(5)), Duration::from_secs(5));
        watch.toggle(at(5));
        assert!(!watch.is_running());
        assert_eq!(watch.elapsed(at(100)), Duration::from_secs(5));
        watch.toggle(at(100));
        assert_eq!(watch.elapsed(at(103)), Duration::from_secs(8));
        watch.reset(at(103));
        assert_eq!(watch.elapsed(at(104)), Duration::from_secs(1));
        assert!(watch.is_running());
    }

    #[test]
    fn wakes_at_the_next_whole_second_only_while_running() {
        let t0 = Instant::now();
        let mut watch = Stopwatch::running(t0);
        let wait = watch
            .until_next_second(t0 + Duration::from_millis(1_250))
            .unwrap();
        assert_eq!(wait, Duration::from_millis(750));
        watch.toggle(t0);
        assert_eq!(watch.until_next_second(t0), None);
    }
}

//! Knowing that a sleeping process has not changed without reading its `stat`.
//!
//! Reading `/proc/PID/stat` is most of what sampling a process costs: the kernel checks
//! access, takes locks, adds up every thread's times and prints 52 fields (about 1 µs hot,
//! and measured here at about 11 µs more than `schedstat` per process per tick in a C loop
//! at 10 Hz, caches cold). `/proc/PID/schedstat` prints three numbers, the first the
//! nanoseconds the main thread has run. A process with one thread that has not run since its
//! last reading cannot have changed what the gauges show from `stat`: its CPU time, state,
//! thread count and fork of a thread all need it to run. So for a process that was idle at
//! its last reading and has one thread, a sample reads `schedstat` first and keeps the last
//! reading when the run time has not moved.
//!
//! What a process does not need to run for: its parent can die (it is re-parented) and the
//! kernel can reclaim its pages (RSS falls). So a kept reading stands for at most
//! [`MAX_AGE`], after which `stat` is read again whatever `schedstat` says. A busy process
//! (its CPU time moved at its last reading) is read from `stat` alone, as it will most
//! likely have run again: probing it would be a second read for nothing.

use std::time::{Duration, Instant};

use super::source::RawProc;

/// How long a reading of a process that has not run may stand in for a fresh one.
pub const MAX_AGE: Duration = Duration::from_secs(1);

/// The last `stat` reading of a process, and what says whether it still stands.
#[derive(Debug, Clone)]
pub struct LastReading {
    /// What was read.
    pub raw: RawProc,
    /// Threads the process had.
    pub threads: u32,
    /// When it was read.
    pub at: Instant,
    /// The main thread's run time (`schedstat`), read just *before* `stat`, when it was.
    /// Before, not after: a run between the two reads then shows as a changed run time at
    /// the next probe, never as a reading that missed it.
    pub run_ns: Option<u64>,
    /// Its CPU time had not moved since the reading before.
    pub idle: bool,
}

impl LastReading {
    /// The reading taken now from `stat`, following `before` (the last one, if any), with
    /// the run time probed just before it.
    #[must_use]
    pub fn after(
        before: Option<&Self>,
        raw: RawProc,
        threads: u32,
        run_ns: Option<u64>,
        now: Instant,
    ) -> Self {
        let idle = before.is_some_and(|b| b.raw.cpu_ns == raw.cpu_ns);
        Self {
            raw,
            threads,
            at: now,
            run_ns,
            idle,
        }
    }

    /// Whether a probe of the run time is worth reading before `stat`: the process was idle
    /// and has a single thread, whose run time is then the whole process's.
    #[must_use]
    pub fn worth_probing(&self) -> bool {
        self.idle && self.threads == 1
    }

    /// Whether this reading still stands, given the main thread's run time probed `now`.
    #[must_use]
    pub fn stands(&self, probed_run_ns: u64, now: Instant) -> bool {
        self.worth_probing() && self.run_ns == Some(probed_run_ns) && self.young(now)
    }

    /// Whether it is less than [`MAX_AGE`] old at `now`: what `stat` alone tells (the
    /// parent, the name) may stand in for a fresh reading until then.
    #[must_use]
    pub fn young(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.at) < MAX_AGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::ProcState;

    fn raw(cpu_ns: u64) -> RawProc {
        RawProc {
            ppid: 1,
            name: "sleep".into(),
            state: ProcState::Sleeping,
            cpu_ns,
            rss_bytes: 4096,
            exit_status: None,
        }
    }

    #[test]
    fn a_first_reading_is_not_idle_so_the_next_one_reads_stat() {
        let now = Instant::now();
        let first = LastReading::after(None, raw(10), 1, None, now);
        assert!(!first.worth_probing());
        assert!(!first.stands(5, now));
    }

    #[test]
    fn a_single_threaded_process_that_has_not_run_keeps_its_reading() {
        let now = Instant::now();
        let first = LastReading::after(None, raw(10), 1, None, now);
        // CPU time unchanged: idle, but no run time probed yet with this reading.
        let second = LastReading::after(Some(&first), raw(10), 1, None, now);
        assert!(second.worth_probing());
        assert!(!second.stands(777, now), "no probe to compare with");
        let third = LastReading::after(Some(&second), raw(10), 1, Some(777), now);
        assert!(third.stands(777, now + Duration::from_millis(100)));
        assert!(!third.stands(778, now), "it ran: read stat");
    }

    #[test]
    fn a_kept_reading_expires_after_max_age() {
        let now = Instant::now();
        let idle = LastReading::after(
            Some(&LastReading::after(None, raw(10), 1, None, now)),
            raw(10),
            1,
            Some(5),
            now,
        );
        assert!(idle.stands(5, now + Duration::from_millis(999)));
        assert!(
            !idle.stands(5, now + MAX_AGE),
            "parent or RSS may have moved"
        );
    }

    #[test]
    fn busy_or_threaded_processes_are_always_read_whole() {
        let now = Instant::now();
        let first = LastReading::after(None, raw(10), 1, None, now);
        let busy = LastReading::after(Some(&first), raw(20), 1, Some(5), now);
        assert!(!busy.worth_probing());
        assert!(!busy.stands(5, now), "its CPU time moved");
        let threaded = LastReading::after(Some(&first), raw(10), 3, Some(5), now);
        assert!(!threaded.worth_probing());
        assert!(
            !threaded.stands(5, now),
            "other threads run unseen by schedstat"
        );
    }
}

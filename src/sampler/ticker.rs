//! The sampler's clock, kept by the thread that draws: it waits on that thread's messages
//! and the next sample's time together, so a tick wakes one thread, not a sampler thread and
//! then the UI (each wake-up of a thread that slept costs more, on a virtual CPU, than
//! reading the numbers does; see docs/performance.md).

use std::time::{Duration, Instant};

use std::sync::mpsc::{Receiver, RecvTimeoutError};

use super::PlatformSource;
use super::collector::Collector;
use super::sample::Sample;
use crate::process::ExitInfo;

/// Slowest sampling rate accepted by `--rate-hz`.
pub const MIN_RATE_HZ: u8 = 1;
/// Fastest sampling rate accepted by `--rate-hz`.
pub const MAX_RATE_HZ: u8 = 20;
/// Sampling rate when none is given.
pub const DEFAULT_RATE_HZ: u8 = 5;

/// How often new processes are looked for while [`Command::CatchNew`] asks.
pub const CATCH_PERIOD: Duration = Duration::from_millis(10);

/// What the sampler can be told between samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Track this process and all its descendants, optionally with a role label.
    TrackTree {
        /// Root of the tree.
        pid: u32,
        /// Role to show instead of the command name.
        label: Option<String>,
    },
    /// Track lectern's own UI process (without its children).
    TrackSelf {
        /// The UI's PID.
        pid: u32,
        /// How to label it.
        label: String,
    },
    /// A demo reported a process of its tree: label it with its role and, should it end
    /// before a sample sees it, list it all the same when its end is reported.
    Reported {
        /// The process.
        pid: u32,
        /// Its parent, where the table hangs it if it was never seen.
        ppid: u32,
        /// Its role, e.g. `worker 3`.
        label: String,
    },
    /// A tracked (or reported) process was reaped with this status.
    Exited {
        /// The process.
        pid: u32,
        /// How it ended.
        exit: ExitInfo,
        /// How long it lived, when whoever reaped it knows.
        lived: Option<Duration>,
    },
    /// Look for new processes every `CATCH_PERIOD` until `until`, between samples, so
    /// processes that live only milliseconds are seen (see `Collector::catch_new`).
    CatchNew {
        /// When to stop looking this often.
        until: Instant,
    },
    /// Stop tracking a tree.
    Untrack {
        /// Root of the tree.
        pid: u32,
    },
}

/// What [`Sampler::wait`] woke up for.
#[derive(Debug)]
pub enum Woke<M> {
    /// A message arrived on the loop's channel.
    Message(M),
    /// The next sample was due, and here it is.
    Sample(Box<Sample>),
    /// The caller's own deadline passed.
    TimedOut,
    /// Every sender of the loop's channel is gone.
    Disconnected,
}

/// The sampler, owned by the loop that shows its samples: commands apply at once, and samples
/// are taken when [`Sampler::wait`] finds one due.
pub struct Sampler {
    collector: Collector<PlatformSource>,
    period: Duration,
    /// When the next sample is due.
    due: Instant,
    /// Until when new processes are looked for between samples ([`Command::CatchNew`]).
    catch_until: Option<Instant>,
    /// When new processes were last looked for.
    caught_at: Instant,
}

impl Sampler {
    /// A sampler taking `rate_hz` samples a second (clamped to 1–20), the first one period
    /// from now.
    #[must_use]
    pub fn new(rate_hz: u8) -> Self {
        let period = Duration::from_secs(1) / u32::from(rate_hz.clamp(MIN_RATE_HZ, MAX_RATE_HZ));
        let now = Instant::now();
        let mut collector = Collector::new(PlatformSource::default(), now);
        collector.prime();
        Self {
            collector,
            period,
            due: now + period,
            catch_until: None,
            caught_at: now,
        }
    }

    /// Applies a command; it shows in the next sample.
    pub fn send(&mut self, command: Command) {
        let collector = &mut self.collector;
        match command {
            Command::TrackTree { pid, label } => collector.track_tree(pid, label),
            Command::TrackSelf { pid, label } => collector.track_self(pid, label),
            Command::Reported { pid, ppid, label } => collector.reported(pid, ppid, label),
            Command::Exited { pid, exit, lived } => {
                collector.record_exit(pid, exit, lived, Instant::now());
            }
            Command::Untrack { pid } => collector.untrack(pid),
            Command::CatchNew { until } => self.catch_until = Some(until),
        }
    }

    /// Waits for a message on `rx`, the next sample (taken here) or `until`, whichever comes
    /// first. A sample that is due is taken before any message, so a flood of messages cannot
    /// hold the gauges back.
    pub fn wait<M>(&mut self, rx: &Receiver<M>, until: Option<Instant>) -> Woke<M> {
        loop {
            let now = Instant::now();
            if let Some(sample) = self.poll(now) {
                return Woke::Sample(Box::new(sample));
            }
            if until.is_some_and(|until| until <= now) {
                return Woke::TimedOut;
            }
            let wake = self.next_wake(now);
            let wake = until.map_or(wake, |until| until.min(wake));
            match rx.recv_timeout(wake.saturating_duration_since(now)) {
                Ok(msg) => return Woke::Message(msg),
                Err(RecvTimeoutError::Disconnected) => return Woke::Disconnected,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// When the sampler next needs the thread: the next sample, or sooner while new processes
    /// are being looked for.
    fn next_wake(&self, now: Instant) -> Instant {
        match self.catch_until {
            Some(until) if until > now => self.due.min(self.caught_at + CATCH_PERIOD),
            _ => self.due,
        }
    }

    /// Takes the sample when it is due; otherwise looks for new processes when asked to and
    /// a [`CATCH_PERIOD`] has passed.
    fn poll(&mut self, now: Instant) -> Option<Sample> {
        if now >= self.due {
            self.due += self.period;
            // After a stall (suspend, debugger), resume the rhythm instead of bursting.
            if self.due <= now {
                self.due = now + self.period;
            }
            self.caught_at = now;
            return Some(self.collector.collect(now));
        }
        let catching = self.catch_until.is_some_and(|until| until > now);
        if catching && now >= self.caught_at + CATCH_PERIOD {
            self.collector.catch_new(now);
            self.caught_at = now;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use super::*;

    fn track_me(sampler: &mut Sampler) {
        sampler.send(Command::TrackSelf {
            pid: std::process::id(),
            label: "me".into(),
        });
    }

    #[test]
    fn the_first_sample_comes_one_period_after_the_start() {
        let (_tx, rx) = channel::<()>();
        let started = Instant::now();
        let mut sampler = Sampler::new(20);
        track_me(&mut sampler);
        let Woke::Sample(first) = sampler.wait(&rx, None) else {
            panic!("no sample");
        };
        assert!(started.elapsed() >= Duration::from_millis(45));
        assert!(!first.cores.is_empty());
        assert_eq!(first.procs.len(), 1);
        assert_eq!(&*first.procs[0].label, "me");
        assert!(first.procs[0].rss_bytes > 0);
    }

    #[test]
    fn a_message_wakes_the_wait_at_once_and_the_deadline_ends_it() {
        let (tx, rx) = channel();
        let mut sampler = Sampler::new(1);
        tx.send(7).unwrap();
        let waited = Instant::now();
        assert!(matches!(sampler.wait(&rx, None), Woke::Message(7)));
        let until = Instant::now() + Duration::from_millis(30);
        assert!(matches!(sampler.wait(&rx, Some(until)), Woke::TimedOut));
        assert!(Instant::now() >= until);
        // Well before the first sample, due a second after the start.
        assert!(waited.elapsed() < Duration::from_millis(500));
        drop(tx);
        assert!(matches!(sampler.wait(&rx, None), Woke::Disconnected));
    }

    #[test]
    fn a_due_sample_comes_before_waiting_messages_and_keeps_its_rhythm() {
        let (tx, rx) = channel();
        let mut sampler = Sampler::new(20);
        // Two periods late, as after a stall.
        std::thread::sleep(Duration::from_millis(120));
        tx.send(1).unwrap();
        assert!(matches!(sampler.wait(&rx, None), Woke::Sample(_)));
        assert!(matches!(sampler.wait(&rx, None), Woke::Message(1)));
        // The missed samples are not made up in a burst: the next is a period away.
        let next = Instant::now();
        assert!(matches!(sampler.wait(&rx, None), Woke::Sample(_)));
        assert!(next.elapsed() >= Duration::from_millis(40));
    }
}

//! The sampler thread: one wake-up per tick, commands applied between ticks, and a sleep
//! that ends the moment the handle is dropped, so quitting is instant.

use std::io;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use std::sync::mpsc::{RecvTimeoutError, Sender, channel};

use super::PlatformSource;
use super::collector::Collector;
use super::sample::{ExitInfo, Sample};

/// Slowest sampling rate accepted by `--rate-hz`.
pub const MIN_RATE_HZ: u8 = 1;
/// Fastest sampling rate accepted by `--rate-hz`.
pub const MAX_RATE_HZ: u8 = 20;
/// Sampling rate when none is given.
pub const DEFAULT_RATE_HZ: u8 = 5;

/// How often new processes are looked for while [`Command::CatchNew`] asks.
pub const CATCH_PERIOD: Duration = Duration::from_millis(10);

/// What the sampler can be told between ticks.
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
    /// Give a tracked process a role label.
    Label {
        /// The process.
        pid: u32,
        /// Its role, e.g. `worker 3`.
        label: String,
    },
    /// A tracked process was reaped with this status.
    Exited {
        /// The process.
        pid: u32,
        /// How it ended.
        exit: ExitInfo,
    },
    /// Look for new processes every [`CATCH_PERIOD`] until `until`, between samples, so
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

/// Handle to the sampler thread; dropping it stops the thread at once.
pub struct Sampler {
    tx: Option<Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Starts sampling `rate_hz` times a second (clamped to 1–20), handing each sample to
    /// `deliver` until it returns `false` or the handle is dropped.
    ///
    /// # Errors
    /// If the thread cannot be started.
    pub fn spawn(
        rate_hz: u8,
        mut deliver: impl FnMut(Sample) -> bool + Send + 'static,
    ) -> io::Result<Self> {
        let period = Duration::from_secs(1) / u32::from(rate_hz.clamp(MIN_RATE_HZ, MAX_RATE_HZ));
        let (tx, rx) = channel::<Command>();
        let thread = std::thread::Builder::new()
            .name("sampler".into())
            .spawn(move || {
                let mut collector = Collector::new(PlatformSource::default(), Instant::now());
                collector.prime();
                let mut deadline = Instant::now() + period;
                let mut catch_until: Option<Instant> = None;
                loop {
                    // While asked to, wake every CATCH_PERIOD between samples for new processes.
                    let now = Instant::now();
                    let catching = catch_until.filter(|until| *until > now);
                    let wake = catching.map_or(deadline, |_| deadline.min(now + CATCH_PERIOD));
                    match rx.recv_timeout(wake.saturating_duration_since(now)) {
                        Ok(Command::CatchNew { until }) => {
                            catch_until = Some(until);
                            continue;
                        }
                        Ok(command) => {
                            apply(&mut collector, command);
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                        Err(RecvTimeoutError::Timeout) => {}
                    }
                    let now = Instant::now();
                    if now < deadline {
                        collector.catch_new(now);
                        continue;
                    }
                    if !deliver(collector.collect(now)) {
                        return;
                    }
                    deadline += period;
                    // After a stall (suspend, debugger), resume the rhythm instead of bursting.
                    if deadline <= now {
                        deadline = now + period;
                    }
                }
            })?;
        Ok(Self {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Sends a command; it takes effect before the next sample.
    pub fn send(&self, command: Command) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(command);
        }
    }
}

fn apply(collector: &mut Collector<PlatformSource>, command: Command) {
    match command {
        Command::TrackTree { pid, label } => collector.track_tree(pid, label),
        Command::TrackSelf { pid, label } => collector.track_self(pid, label),
        Command::Label { pid, label } => collector.set_label(pid, label),
        Command::Exited { pid, exit } => collector.record_exit(pid, exit),
        Command::Untrack { pid } => collector.untrack(pid),
        // Handled by the thread's loop.
        Command::CatchNew { .. } => {}
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        // Disconnecting wakes the thread from its sleep immediately.
        self.tx.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sample_arrives_after_one_period_and_dropping_stops_at_once() {
        let (tx, rx) = channel();
        let started = Instant::now();
        let sampler = Sampler::spawn(20, move |s| tx.send(s).is_ok()).unwrap();
        sampler.send(Command::TrackSelf {
            pid: std::process::id(),
            label: "me".into(),
        });
        let first = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(!first.cores.is_empty());
        assert_eq!(first.procs.len(), 1);
        assert_eq!(first.procs[0].label, "me");
        assert!(first.procs[0].rss_bytes > 0);
        let stopping = Instant::now();
        drop(sampler);
        assert!(
            stopping.elapsed() < Duration::from_millis(200),
            "stop took {:?}",
            stopping.elapsed()
        );
        assert!(started.elapsed() >= Duration::from_millis(45));
    }
}

//! PSS and USS read off the drawing thread. `/proc/PID/smaps_rollup` walks the process's
//! page tables: about 8 ms per GiB resident here, so a demo of a few large workers would hold
//! the thread that samples (and draws) for tens of milliseconds. A reader thread of its own
//! takes the requests instead; it sleeps until asked, so it costs no wake-ups while idle, and
//! its answers are picked up at the next sample.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::sync::mpsc::{Receiver, Sender, channel};

use procfs::FromBufRead;

use super::source::{Footprint, FootprintReading};

/// One request: which process, and the number that tells its answer from a stale one.
type Request = (u32, u64);
/// One answer: the request it answers and what was read.
type Answer = (u32, u64, Option<Footprint>);

/// Asks a reader thread for footprints and keeps its answers until they are collected.
#[derive(Default)]
pub struct Footprints {
    /// Started at the first request.
    thread: Option<(Sender<Request>, Receiver<Answer>)>,
    /// Whether starting it was tried: a thread that could not be started is not tried again
    /// on every request (footprints are then read where they are asked for).
    tried: bool,
    /// Requests sent and not yet collected, by PID: their serial numbers.
    pending: HashMap<u32, u64>,
    /// Answers received and not yet collected, by PID.
    answered: HashMap<u32, Option<Footprint>>,
    serial: u64,
}

impl Footprints {
    /// The footprint of `pid` read since it was last asked for, or `Pending` after asking
    /// the reader for it (at most one request per process at a time).
    pub fn ask(&mut self, pid: u32) -> FootprintReading {
        self.collect_answers();
        if let Some(answer) = self.answered.remove(&pid) {
            return answer.map_or(FootprintReading::Unavailable, FootprintReading::Read);
        }
        if self.pending.contains_key(&pid) {
            return FootprintReading::Pending;
        }
        self.serial += 1;
        let serial = self.serial;
        let Some((requests, _)) = self.reader() else {
            // No thread to read with: read here rather than never.
            return read(pid).map_or(FootprintReading::Unavailable, FootprintReading::Read);
        };
        if requests.send((pid, serial)).is_err() {
            return FootprintReading::Unavailable;
        }
        self.pending.insert(pid, serial);
        FootprintReading::Pending
    }

    /// Drops whatever is pending or kept for `pid`; a late answer for it is ignored.
    pub fn forget(&mut self, pid: u32) {
        self.pending.remove(&pid);
        self.answered.remove(&pid);
    }

    /// Moves the reader's answers into `answered`, keeping only those still wanted.
    fn collect_answers(&mut self) {
        let Some((_, answers)) = &self.thread else {
            return;
        };
        for (pid, serial, footprint) in answers.try_iter() {
            if self.pending.get(&pid) == Some(&serial) {
                self.pending.remove(&pid);
                self.answered.insert(pid, footprint);
            }
        }
    }

    /// The reader thread's channels, starting the thread the first time.
    fn reader(&mut self) -> Option<&(Sender<Request>, Receiver<Answer>)> {
        if !self.tried {
            self.tried = true;
            self.thread = start_reader().ok();
        }
        self.thread.as_ref()
    }
}

/// Starts the reader: it answers requests until the requests' sender is dropped. It is not
/// joined — a reading in progress may take a while, and quitting must not wait for it.
fn start_reader() -> io::Result<(Sender<Request>, Receiver<Answer>)> {
    let (request_tx, request_rx) = channel::<Request>();
    let (answer_tx, answer_rx) = channel::<Answer>();
    std::thread::Builder::new()
        .name("footprints".into())
        .spawn(move || {
            for (pid, serial) in request_rx {
                if answer_tx.send((pid, serial, read(pid))).is_err() {
                    return;
                }
            }
        })?;
    Ok((request_tx, answer_rx))
}

/// Reads PSS and USS from `/proc/PID/smaps_rollup`.
pub fn read(pid: u32) -> Option<Footprint> {
    let file = File::open(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let rollup = procfs::process::SmapsRollup::from_buf_read(io::BufReader::new(file)).ok()?;
    let map = &rollup.memory_map_rollup.0.first()?.extension.map;
    let get = |key: &str| map.get(key).copied().unwrap_or(0);
    Some(Footprint {
        pss: map.get("Pss").copied()?,
        uss: get("Private_Clean") + get("Private_Dirty") + get("Private_Hugetlb"),
        rss: map.get("Rss").copied()?,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// Asks until the answer comes (the reader takes a moment).
    fn answer(footprints: &mut Footprints, pid: u32) -> FootprintReading {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let reading = footprints.ask(pid);
            if reading != FootprintReading::Pending || Instant::now() > deadline {
                return reading;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_first_ask_is_pending_and_a_later_one_has_the_reading() {
        let mut footprints = Footprints::default();
        let me = std::process::id();
        assert_eq!(footprints.ask(me), FootprintReading::Pending);
        let FootprintReading::Read(footprint) = answer(&mut footprints, me) else {
            panic!("no footprint of this process");
        };
        assert!(footprint.pss > 0 && footprint.uss > 0 && footprint.uss <= footprint.pss);
        // Collected: the next ask is a new request.
        assert_eq!(footprints.ask(me), FootprintReading::Pending);
    }

    #[test]
    fn a_process_that_is_gone_is_unavailable() {
        let mut footprints = Footprints::default();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert_eq!(answer(&mut footprints, pid), FootprintReading::Unavailable);
    }

    #[test]
    fn an_answer_for_a_forgotten_process_is_dropped() {
        let mut footprints = Footprints::default();
        let me = std::process::id();
        assert_eq!(footprints.ask(me), FootprintReading::Pending);
        footprints.forget(me);
        // Let the stale answer arrive, then ask afresh: the stale one is not handed out.
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(footprints.ask(me), FootprintReading::Pending);
        assert!(matches!(
            answer(&mut footprints, me),
            FootprintReading::Read(_)
        ));
    }
}

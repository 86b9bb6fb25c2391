//! The files kept open for each tracked process (re-read with `pread`: about half the cost
//! of opening them each time, and a kept file errors once its process is gone, so a recycled
//! PID is never read as the process we were watching), and the cheap reads beside `stat`:
//! a sleeping process's `schedstat` probe, and our own process's CPU clock and `statm`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use super::proc_text::{main_thread_run_ns, statm_resident_pages};
use super::unchanged::LastReading;

/// Files kept open for one tracked process, and its last reading.
pub struct ProcFiles {
    /// `stat`, read whenever the last reading cannot stand.
    pub stat: File,
    /// `schedstat`, opened the first time a probe is worth it.
    schedstat: Schedstat,
    /// `statm`, for lectern's own process only (see [`ProcFiles::own_usage`]).
    statm: Option<File>,
    /// The last full reading, kept while the process has not run (see `unchanged`).
    pub last: Option<LastReading>,
}

/// Files kept per PID, looked up for every tracked process at every sample: hashed with
/// foldhash (PIDs are not chosen by an attacker, so the standard hasher's protection buys nothing).
pub type KeptFiles = HashMap<u32, ProcFiles, foldhash::fast::FixedState>;

/// The files kept for `pid` in `kept`, opened if they are not yet.
pub fn files(kept: &mut KeptFiles, pid: u32) -> Option<&mut ProcFiles> {
    match kept.entry(pid) {
        Entry::Occupied(kept) => Some(kept.into_mut()),
        Entry::Vacant(slot) => {
            let stat = File::open(format!("/proc/{pid}/stat")).ok()?;
            Some(slot.insert(ProcFiles {
                stat,
                schedstat: Schedstat::Unopened,
                statm: None,
                last: None,
            }))
        }
    }
}

impl ProcFiles {
    /// Our own process's CPU time and RSS, read without its `stat`: the CPU time from the
    /// process CPU clock (every thread, exited ones included, like `stat`'s utime + stime,
    /// in nanoseconds rather than 10 ms ticks), the RSS from `statm`. `stat` makes the kernel
    /// add up every thread's times, check access and print 52 fields: with the UI alone on
    /// screen it was an eighth of a sample's cost (perf). Both are always taken from here,
    /// even when `stat` is read (for the parent and name, once a second): `stat`'s RSS may
    /// differ from `statm`'s by a few pages (per-CPU counters), and mixing the two would
    /// make the figure flicker.
    pub fn own_usage(&mut self, page_size: u64, buf: &mut Vec<u8>) -> Option<(u64, u64)> {
        if self.statm.is_none() {
            self.statm = File::open("/proc/self/statm").ok();
        }
        let resident = statm_resident_pages(pread_all(self.statm.as_ref()?, buf).ok()?)?;
        Some((own_cpu_ns()?, resident * page_size))
    }

    /// The main thread's run time from `schedstat` (opened on first use).
    pub fn probe(&mut self, pid: u32, buf: &mut Vec<u8>) -> Probe {
        if matches!(self.schedstat, Schedstat::Unopened) {
            self.schedstat = match File::open(format!("/proc/{pid}/schedstat")) {
                Ok(file) => Schedstat::Open(file),
                Err(_) => Schedstat::Absent,
            };
        }
        let Schedstat::Open(file) = &self.schedstat else {
            return Probe::Unknown;
        };
        match pread_all(file, buf) {
            Ok(text) => main_thread_run_ns(text).map_or(Probe::Unknown, Probe::RunNs),
            Err(_) => Probe::Gone,
        }
    }
}

/// CPU time of this process, every thread included, in nanoseconds.
fn own_cpu_ns() -> Option<u64> {
    let time = nix::time::clock_gettime(nix::time::ClockId::CLOCK_PROCESS_CPUTIME_ID).ok()?;
    let secs = u64::try_from(time.tv_sec()).ok()?;
    let nanos = u64::try_from(time.tv_nsec()).ok()?;
    Some(secs * 1_000_000_000 + nanos)
}

/// A process's `schedstat` file.
enum Schedstat {
    /// Not needed yet.
    Unopened,
    Open(File),
    /// The kernel has none: `stat` is always read.
    Absent,
}

/// What probing a process's run time gave.
pub enum Probe {
    /// Nanoseconds its main thread has run.
    RunNs(u64),
    /// Not known here (no `schedstat`, or no scheduler statistics in it).
    Unknown,
    /// The process is gone.
    Gone,
}

/// Reads the whole of a kept `/proc` file from offset 0, growing `buf` as needed.
pub fn pread_all<'a>(file: &File, buf: &'a mut Vec<u8>) -> io::Result<&'a [u8]> {
    loop {
        let n = file.read_at(buf, 0)?;
        if n < buf.len() {
            return Ok(&buf[..n]);
        }
        let bigger = buf.len() * 2;
        buf.resize(bigger, 0);
    }
}

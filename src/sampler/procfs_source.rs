//! The Linux source: `/proc`, read through kept-open files with `pread`; the per-tick files
//! are parsed for the fields used only (`proc_text`), PSS by the `procfs` crate on a thread
//! of its own (`footprints`).
//!
//! Keeping files open halves the cost of a reading, and a kept file errors once its process
//! dies, so a recycled PID is never mistaken for the process we were watching. Only tracked
//! PIDs are read each pass; discovering new descendants lists `/proc` and reads the `stat` of
//! PIDs never seen before, remembering the ones outside our trees so they are read only once.

use std::collections::HashSet;
use std::fs::File;
use std::time::Instant;

use nix::unistd::{SysconfVar, sysconf};

use super::footprints::Footprints;
use super::kept_files::{self, KeptFiles, Probe, pread_all};
use super::proc_text::{CoreTimes, kernel_stat, proc_stat};
use super::sample::ProcState;
use super::source::{FootprintReading, RawProc, Source};
use super::unchanged::LastReading;

/// Busy percentage of each core between two readings (saturating: counters never go back,
/// but a hot-plugged core may appear with no history).
fn usage(before: &[CoreTimes], now: &[CoreTimes]) -> Vec<f32> {
    now.iter()
        .enumerate()
        .map(|(i, now)| {
            let before = before.get(i).copied().unwrap_or_default();
            let busy = now.busy.saturating_sub(before.busy);
            let idle = now.idle.saturating_sub(before.idle);
            let total = busy + idle;
            if total == 0 {
                0.0
            } else {
                (busy as f64 * 100.0 / total as f64) as f32
            }
        })
        .collect()
}

/// Reads `/proc`.
pub struct ProcfsSource {
    proc_stat: Option<File>,
    cores_before: Vec<CoreTimes>,
    cores_now: Vec<CoreTimes>,
    buf: Vec<u8>,
    page_size: u64,
    ns_per_tick: u64,
    files: KeptFiles,
    /// PIDs known to be outside every tracked tree, as of the last listing of `/proc`.
    foreign: HashSet<u32>,
    /// The kernel's count of processes ever created (`processes` in `/proc/stat`), as read
    /// by the latest `cpu()` call and at the latest listing of `/proc`. While it stands
    /// still nothing new can have appeared, so listing `/proc` again would find nothing.
    forks_now: Option<u64>,
    forks_listed: Option<u64>,
    /// PSS and USS, read on a thread of their own.
    footprints: Footprints,
    /// This process's PID: it is read differently (see `ProcFiles::own_usage`).
    own_pid: u32,
    /// Processes' `stat` files read so far (the rest of the readings were kept: tests
    /// check that sleeping processes are not read in full every time).
    stat_reads: u64,
}

impl ProcfsSource {
    /// A source reading the running system's `/proc`.
    #[must_use]
    pub fn new() -> Self {
        // From sysconf rather than the procfs crate's system info, which reads the auxiliary
        // vector in a way valgrind does not allow (and `cargo bench --bench instructions`
        // runs the sampler under valgrind).
        let conf = |var| {
            sysconf(var)
                .ok()
                .flatten()
                .and_then(|v| u64::try_from(v).ok())
        };
        let ticks_per_second = conf(SysconfVar::CLK_TCK).unwrap_or(100).max(1);
        Self {
            proc_stat: File::open("/proc/stat").ok(),
            cores_before: Vec::new(),
            cores_now: Vec::new(),
            buf: vec![0; 8192],
            page_size: conf(SysconfVar::PAGE_SIZE).unwrap_or(4096),
            ns_per_tick: 1_000_000_000 / ticks_per_second,
            files: KeptFiles::default(),
            foreign: HashSet::new(),
            forks_now: None,
            forks_listed: None,
            footprints: Footprints::default(),
            stat_reads: 0,
            own_pid: std::process::id(),
        }
    }
}

impl Default for ProcfsSource {
    fn default() -> Self {
        Self::new()
    }
}

/// The parent of `pid`, from a fresh read of its `stat`.
fn read_ppid(pid: u32, buf: &mut Vec<u8>) -> Option<u32> {
    let file = File::open(format!("/proc/{pid}/stat")).ok()?;
    Some(proc_stat(pread_all(&file, buf).ok()?)?.ppid)
}

impl Source for ProcfsSource {
    fn cpu(&mut self) -> Option<Vec<f32>> {
        let file = self.proc_stat.as_ref()?;
        let bytes = pread_all(file, &mut self.buf).ok()?;
        self.forks_now = kernel_stat(bytes, &mut self.cores_now);
        if self.cores_now.is_empty() {
            return None;
        }
        let usage = usage(&self.cores_before, &self.cores_now);
        std::mem::swap(&mut self.cores_before, &mut self.cores_now);
        Some(usage)
    }

    fn read(&mut self, pid: u32, now: Instant) -> Option<RawProc> {
        let ns_per_tick = self.ns_per_tick;
        let page_size = self.page_size;
        let mut buf = std::mem::take(&mut self.buf);
        let reading = (|| {
            let files = kept_files::files(&mut self.files, pid)?;
            let own = if pid == self.own_pid {
                files.own_usage(page_size, &mut buf)
            } else {
                None
            };
            if let (Some((cpu_ns, rss_bytes)), Some(last)) = (own, &files.last)
                && last.young(now)
            {
                return Some(RawProc {
                    cpu_ns,
                    rss_bytes,
                    // It is running: it is reading this.
                    state: ProcState::Running,
                    ..last.raw.clone()
                });
            }
            // A sleeping process with one thread: if its main thread has not run since its
            // last reading, that reading still stands (see `unchanged`).
            let run_ns = match &files.last {
                Some(last) if last.worth_probing() => match files.probe(pid, &mut buf) {
                    Probe::RunNs(ns) => Some(ns),
                    Probe::Unknown => None,
                    Probe::Gone => return None,
                },
                _ => None,
            };
            if let (Some(last), Some(run_ns)) = (&files.last, run_ns)
                && last.stands(run_ns, now)
            {
                return Some(last.raw.clone());
            }
            self.stat_reads += 1;
            let stat = proc_stat(pread_all(&files.stat, &mut buf).ok()?)?;
            // utime + stime cover every thread of the process, including threads that have
            // exited (schedstat, finer, counts only the main thread). Clock ticks are 10 ms,
            // so the widget averages what it shows.
            let raw = RawProc {
                ppid: stat.ppid,
                state: ProcState::from_code(stat.state),
                cpu_ns: own.map_or(stat.ticks * ns_per_tick, |(cpu_ns, _)| cpu_ns),
                rss_bytes: own.map_or(stat.rss_pages * page_size, |(_, rss)| rss),
                exit_status: stat.exit_code,
                // The name rarely changes (only at exec): share the last one when it has not.
                name: match &files.last {
                    Some(last) if last.raw.name.as_bytes() == stat.comm => last.raw.name.clone(),
                    _ => String::from_utf8_lossy(stat.comm).into(),
                },
            };
            let last = LastReading::after(files.last.as_ref(), raw, stat.threads, run_ns, now);
            Some(files.last.insert(last).raw.clone())
        })();
        self.buf = buf;
        if reading.is_none() {
            self.forget(pid);
        }
        reading
    }

    fn footprint(&mut self, pid: u32) -> FootprintReading {
        self.footprints.ask(pid)
    }

    fn new_descendants(&mut self, tree: &dyn Fn(u32) -> bool) -> Vec<(u32, u32)> {
        // No fork anywhere since the last listing: nothing can have joined a tree.
        if self.forks_now.is_some() && self.forks_now == self.forks_listed {
            return Vec::new();
        }
        self.forks_listed = self.forks_now;
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let listed: HashSet<u32> = entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        // A PID that left the listing may come back as a new process: forget its verdict.
        self.foreign.retain(|pid| listed.contains(pid));
        let mut unknown: Vec<(u32, u32)> = listed
            .iter()
            .filter(|pid| !tree(**pid) && !self.foreign.contains(pid))
            .filter_map(|&pid| Some((pid, read_ppid(pid, &mut self.buf)?)))
            .collect();
        // Parents may be listed after their children: grow the tree until nothing joins.
        let mut joined: Vec<(u32, u32)> = Vec::new();
        let mut members: HashSet<u32> = HashSet::new();
        loop {
            let before = joined.len();
            unknown.retain(|&(pid, ppid)| {
                if tree(ppid) || members.contains(&ppid) {
                    joined.push((pid, ppid));
                    members.insert(pid);
                    false
                } else {
                    true
                }
            });
            if joined.len() == before {
                break;
            }
        }
        self.foreign.extend(unknown.iter().map(|(pid, _)| *pid));
        // Siblings in PID order (start order, barring wrap-around), so lists stay stable.
        joined.sort_unstable();
        joined
    }

    fn forget(&mut self, pid: u32) {
        self.files.remove(&pid);
        self.footprints.forget(pid);
    }

    fn rescan(&mut self) {
        self.foreign.clear();
        self.forks_listed = None;
    }

    fn list_again(&mut self) {
        self.forks_listed = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::unchanged::MAX_AGE;

    #[test]
    fn reads_this_process() {
        let mut source = ProcfsSource::new();
        let me = std::process::id();
        // Enough CPU to show up in 10 ms clock ticks.
        let end = Instant::now() + std::time::Duration::from_millis(40);
        while Instant::now() < end {
            std::hint::black_box(0u64.wrapping_add(1));
        }
        let raw = source
            .read(me, Instant::now())
            .expect("own process is readable");
        assert!(raw.rss_bytes > 0);
        assert!(raw.cpu_ns > 0);
        assert!(!source.cpu().expect("cores").is_empty());
    }

    #[test]
    fn core_usage_is_the_busy_share_of_each_interval() {
        let before = [
            CoreTimes {
                busy: 100,
                idle: 100,
            },
            CoreTimes { busy: 0, idle: 0 },
        ];
        let now = [
            CoreTimes {
                busy: 180,
                idle: 120,
            },
            CoreTimes { busy: 0, idle: 0 },
        ];
        assert_eq!(usage(&before, &now), [80.0, 0.0]);
        assert_eq!(usage(&[], &now[..1]), [60.0]);
    }

    #[test]
    fn children_of_a_root_tracked_late_are_found_and_new_forks_are_noticed() {
        let mut source = ProcfsSource::new();
        let mut parent = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & read x"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let root = parent.id();
        // Listed once while nothing is tracked: the sleep is judged foreign.
        let _ = source.cpu();
        assert!(source.new_descendants(&|_| false).is_empty());
        let _ = source.cpu();
        assert!(
            source.new_descendants(&|pid| pid == root).is_empty(),
            "no fork, no listing"
        );
        source.rescan();
        let _ = source.cpu();
        let found = source.new_descendants(&|pid| pid == root);
        assert_eq!(found.len(), 1, "{found:?}");
        parent.kill().unwrap();
        parent.wait().unwrap();
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(found[0].0.cast_signed()),
            nix::sys::signal::Signal::SIGKILL,
        );
    }

    #[test]
    fn a_sleeping_process_is_probed_and_a_woken_one_read_again() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        // Sleeps in `read` until a line comes, then spins: one thread throughout.
        let mut child = Command::new("sh")
            .args(["-c", "read x; while :; do :; done"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let mut source = ProcfsSource::new();
        let start = Instant::now();
        let at = |ms| start + std::time::Duration::from_millis(ms);
        let first = source.read(pid, at(0)).unwrap();
        for tick in 1..=5 {
            assert_eq!(source.read(pid, at(tick * 100)).unwrap(), first);
        }
        // The first read, the second (now known idle), the third (probed, then read to have
        // a run time to compare with); then three kept readings.
        assert_eq!(source.stat_reads, 3);
        // A second on, the reading is read again even though it has not run.
        assert_eq!(source.read(pid, at(1400)).unwrap(), first);
        assert_eq!(source.stat_reads, 4);
        // Woken: it runs, so the probe differs and its new state and CPU time show.
        child.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(120));
        let woken = source.read(pid, at(1500)).unwrap();
        assert_eq!(source.stat_reads, 5);
        assert_eq!(woken.state, ProcState::Running);
        assert!(woken.cpu_ns > first.cpu_ns, "{woken:?} after {first:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        // Gone: a kept reading is never handed out for a dead process.
        assert_eq!(source.read(pid, at(1600)), None);
    }

    #[test]
    fn our_own_process_is_read_from_its_cpu_clock_and_statm_with_stat_once_a_second() {
        let mut source = ProcfsSource::new();
        let me = std::process::id();
        let start = Instant::now();
        let first = source.read(me, start).unwrap();
        // Spin for 5 ms of this thread's CPU time (not wall time: on a loaded machine the
        // thread may wait for a core for much of a 5 ms wall-clock spin).
        let thread_cpu = || {
            nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
                .map_or(std::time::Duration::ZERO, std::time::Duration::from)
        };
        let spin_until = thread_cpu() + std::time::Duration::from_millis(5);
        while thread_cpu() < spin_until {
            std::hint::black_box(0u64.wrapping_add(1));
        }
        let second = source
            .read(me, start + std::time::Duration::from_millis(100))
            .unwrap();
        assert_eq!(source.stat_reads, 1);
        // 5 ms of spinning: less than one clock tick, yet the CPU clock sees it.
        assert!(
            second.cpu_ns >= first.cpu_ns + 4_000_000,
            "{first:?} {second:?}"
        );
        assert!(second.rss_bytes > 0);
        assert_eq!((second.ppid, &second.name), (first.ppid, &first.name));
        source.read(me, start + MAX_AGE).unwrap();
        assert_eq!(
            source.stat_reads, 2,
            "parent and name read again after a second"
        );
    }

    #[test]
    fn a_missing_process_reads_as_none() {
        let mut source = ProcfsSource::new();
        assert_eq!(source.read(u32::MAX - 1, Instant::now()), None);
    }
}

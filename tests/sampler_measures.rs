//! The sampler against real processes on this machine: a pinned spinner, a 200 MiB
//! allocation, a three-generation tree.

use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lectern::sampler::{Collector, PlatformSource, ProcSample, Sample};
use nix::sched::{CpuSet, sched_setaffinity};
use nix::unistd::Pid;

/// CPU measurements must not compete with each other for the two cores.
static SERIAL: Mutex<()> = Mutex::new(());

/// Kills and reaps a child however the test ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(program: &str, args: &[&str]) -> Reaped {
    Reaped(
        Command::new(program)
            .args(args)
            .spawn()
            .expect("spawn test process"),
    )
}

/// Samples every 200 ms until `done` holds or `limit` passes; returns the last sample.
fn sample_until(root: u32, limit: Duration, done: impl Fn(&Sample) -> bool) -> (Sample, bool) {
    let start = Instant::now();
    let mut collector = Collector::new(PlatformSource::default(), start);
    collector.prime();
    collector.track_tree(root, None);
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let sample = collector.collect(Instant::now());
        if done(&sample) {
            return (sample, true);
        }
        if start.elapsed() > limit {
            return (sample, false);
        }
    }
}

fn find(sample: &Sample, pid: u32) -> Option<&ProcSample> {
    sample.procs.iter().find(|p| p.pid == pid)
}

#[test]
fn a_spinner_pinned_to_core_0_fills_core_0_and_reads_about_one_core() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let spinner = spawn("sh", &["-c", "while :; do :; done"]);
    let pid = spinner.0.id();
    let mut core0 = CpuSet::new();
    core0.set(0).unwrap();
    sched_setaffinity(Pid::from_raw(pid.cast_signed()), &core0).expect("pin to core 0");
    let (sample, ok) = sample_until(pid, Duration::from_secs(2), |s| {
        let cpu = find(s, pid).map_or(0.0, |p| p.cpu_pct);
        s.cores[0] >= 80.0 && cpu >= 80.0
    });
    assert!(
        ok,
        "within 2 s: core 0 at {:.0}%, spinner at {:.0}%",
        sample.cores[0],
        find(&sample, pid).map_or(0.0, |p| p.cpu_pct)
    );
}

#[test]
fn a_process_that_writes_200_mib_reads_at_least_190_mib_rss() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let hog = spawn(
        "python3",
        &["-c", "import time\nb = b'x' * (200 << 20)\ntime.sleep(60)"],
    );
    let pid = hog.0.id();
    let (sample, ok) = sample_until(pid, Duration::from_secs(20), |s| {
        find(s, pid).is_some_and(|p| p.rss_bytes >= 190 << 20)
    });
    let rss = find(&sample, pid).map_or(0, |p| p.rss_bytes);
    assert!(ok, "RSS only {} MiB", rss >> 20);
    // PSS of a private allocation is close to its RSS once it has been read.
    let (sample, _) = sample_until(pid, Duration::from_secs(3), |s| {
        find(s, pid).is_some_and(|p| p.pss_bytes.is_some())
    });
    let pss = find(&sample, pid).and_then(|p| p.pss_bytes).unwrap_or(0);
    assert!(pss >= 190 << 20, "PSS {} MiB", pss >> 20);
}

#[test]
fn a_parent_child_grandchild_tree_is_tracked_whole() {
    let root = spawn("sh", &["-c", "sh -c 'sleep 30 & wait' & wait"]);
    let pid = root.0.id();
    let (sample, ok) = sample_until(pid, Duration::from_secs(5), |s| {
        s.procs.iter().any(|p| p.depth == 2)
    });
    assert!(ok, "no grandchild found: {:#?}", sample.procs);
    let child = sample.procs.iter().find(|p| p.depth == 1).expect("a child");
    let grandchild = sample
        .procs
        .iter()
        .find(|p| p.depth == 2)
        .expect("a grandchild");
    assert_eq!(child.ppid, pid);
    assert_eq!(grandchild.ppid, child.pid);
    assert_eq!(&*grandchild.name, "sleep");
    // Clean up the whole tree, not only the root.
    for p in &sample.procs {
        let _ = nix::sys::signal::kill(
            Pid::from_raw(p.pid.cast_signed()),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

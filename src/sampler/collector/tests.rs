//! The collector against a scripted source: rates, discovery, exits and PSS pacing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::*;
use crate::sampler::source::RawProc;

#[derive(Default)]
struct FakeSource {
    cores: Vec<f32>,
    procs: HashMap<u32, RawProc>,
    footprints_read: Vec<u32>,
    /// How many more asks for a footprint answer `Pending` before it is read.
    footprints_pending: u32,
    /// What a footprint reads as, when not PSS 10, USS 5 and the process's RSS.
    footprint: Option<Footprint>,
}

impl FakeSource {
    fn spawn(&mut self, pid: u32, parent: u32, cpu_ns: u64) {
        let raw = RawProc {
            ppid: parent,
            name: format!("p{pid}").into(),
            state: ProcState::Running,
            cpu_ns,
            rss_bytes: u64::from(pid) * 1000,
            exit_status: None,
        };
        self.procs.insert(pid, raw);
    }
}

impl Source for FakeSource {
    fn cpu(&mut self) -> Option<Vec<f32>> {
        Some(self.cores.clone())
    }
    fn read(&mut self, pid: u32, _now: Instant) -> Option<RawProc> {
        self.procs.get(&pid).cloned()
    }
    fn footprint(&mut self, pid: u32) -> FootprintReading {
        self.footprints_read.push(pid);
        if self.footprints_pending > 0 {
            self.footprints_pending -= 1;
            return FootprintReading::Pending;
        }
        let rss = self.procs.get(&pid).map_or(0, |p| p.rss_bytes);
        FootprintReading::Read(self.footprint.unwrap_or(Footprint {
            pss: 10,
            uss: 5,
            rss,
        }))
    }
    fn new_descendants(&mut self, tree: &dyn Fn(u32) -> bool) -> Vec<(u32, u32)> {
        let mut found = Vec::new();
        let mut pids: Vec<_> = self.procs.keys().copied().collect();
        // Children before parents, to check the collector copes with any order.
        pids.sort_unstable_by(|a, b| b.cmp(a));
        let mut changed = true;
        while changed {
            changed = false;
            for &pid in &pids {
                let ppid = self.procs[&pid].ppid;
                let known = tree(pid) || found.iter().any(|(p, _)| *p == pid);
                if !known && (tree(ppid) || found.iter().any(|(p, _)| *p == ppid)) {
                    found.push((pid, ppid));
                    changed = true;
                }
            }
        }
        found
    }
    fn forget(&mut self, _pid: u32) {}
}

fn collector() -> (Collector<FakeSource>, Instant) {
    let t0 = Instant::now();
    (Collector::new(FakeSource::default(), t0), t0)
}

#[test]
fn the_total_is_the_mean_of_the_cores() {
    let (mut c, t0) = collector();
    c.source.cores = vec![80.0, 25.0];
    let sample = c.collect(t0 + Duration::from_millis(200));
    assert_eq!(sample.cores, [80.0, 25.0]);
    assert!((sample.total - 52.5).abs() < 1e-4, "{}", sample.total);
}

#[test]
fn process_cpu_is_cpu_time_over_wall_time() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.track_tree(10, Some("parent".into()));
    c.collect(t0);
    c.source.procs.get_mut(&10).unwrap().cpu_ns = 150_000_000;
    let sample = c.collect(t0 + Duration::from_millis(200));
    assert!(
        (sample.procs[0].cpu_pct - 75.0).abs() < 1e-3,
        "{}",
        sample.procs[0].cpu_pct
    );
    assert_eq!(&*sample.procs[0].label, "parent");
}

#[test]
fn descendants_join_in_tree_order_and_the_ui_process_comes_last() {
    let (mut c, t0) = collector();
    c.source.spawn(5, 1, 0); // lectern itself
    c.source.spawn(10, 5, 0); // the command
    c.source.spawn(30, 10, 0); // a worker
    c.source.spawn(40, 30, 0); // a grandchild, listed before its parent by the fake
    c.source.spawn(20, 10, 0); // another worker
    c.source.spawn(99, 5, 0); // another child of the UI: not part of any tree
    c.track_self(5, "lectern (this UI)".into());
    c.track_tree(10, None);
    let sample = c.collect(t0);
    let order: Vec<(u32, u16, Role)> = sample
        .procs
        .iter()
        .map(|p| (p.pid, p.depth, p.role))
        .collect();
    assert_eq!(
        order,
        [
            (10, 0, Role::Root),
            (30, 1, Role::Descendant),
            (40, 2, Role::Descendant),
            (20, 1, Role::Descendant),
            (5, 0, Role::Ui),
        ]
    );
    assert_eq!(&*sample.procs[4].label, "lectern (this UI)");
    assert_eq!(
        &*sample.procs[1].label, "p30",
        "unlabelled processes show their name"
    );
}

#[test]
fn exited_processes_linger_with_their_status_then_go() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.source.spawn(11, 10, 0);
    c.track_tree(10, None);
    c.collect(t0);
    // 11 becomes a zombie with status 2, then 10 vanishes and its reaper reports SIGKILL.
    let zombie = c.source.procs.get_mut(&11).unwrap();
    zombie.state = ProcState::Zombie;
    zombie.exit_status = Some(2 << 8);
    c.source.procs.remove(&10);
    c.record_exit(
        10,
        ExitInfo::Signal(9),
        None,
        t0 + Duration::from_millis(500),
    );
    let sample = c.collect(t0 + Duration::from_secs(1));
    assert_eq!(sample.procs[0].state, ProcState::Exited);
    assert_eq!(sample.procs[0].exit, Some(ExitInfo::Signal(9)));
    assert_eq!(sample.procs[1].exit, Some(ExitInfo::Code(2)));
    c.source.procs.remove(&11);
    let reaped = c.collect(t0 + Duration::from_secs(2));
    assert_eq!(reaped.procs.len(), 2, "both still listed while they linger");
    let later = c.collect(t0 + Duration::from_secs(2) + EXITED_LINGER);
    assert!(later.procs.is_empty(), "{:?}", later.procs);
}

#[test]
fn a_reported_process_too_brief_to_be_sampled_is_listed_when_its_end_is_reported() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.track_tree(10, None);
    c.collect(t0);
    // Task 12 started and ended between two samples; its parent, 11, was never seen either.
    c.reported(11, 10, "pool".into());
    c.reported(12, 11, "task 1".into());
    let lived = Some(Duration::from_micros(9_250));
    c.record_exit(12, ExitInfo::Code(0), lived, t0 + Duration::from_millis(50));
    // A process nobody reported stays unknown.
    c.record_exit(99, ExitInfo::Code(0), lived, t0 + Duration::from_millis(50));
    let sample = c.collect(t0 + Duration::from_millis(200));
    assert_eq!(sample.procs.len(), 2, "{:?}", sample.procs);
    let task = &sample.procs[1];
    assert_eq!(&*task.label, "task 1");
    assert_eq!((task.depth, task.ppid), (1, 11), "hung on the newest tree");
    assert_eq!(task.state, ProcState::Exited);
    assert_eq!(task.exit, Some(ExitInfo::Code(0)));
    assert_eq!(task.lived_ms, Some(9.25));
    assert!(!task.measured, "never read alive");
    assert!(sample.procs[0].measured);
    // It lingers like any ended process, then goes.
    let later = c.collect(t0 + Duration::from_millis(50) + EXITED_LINGER);
    assert_eq!(later.procs.len(), 1);
}

#[test]
fn a_reaped_process_reads_as_ended_at_once_using_no_cpu() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.track_tree(10, None);
    c.collect(t0);
    c.source.procs.get_mut(&10).unwrap().cpu_ns = 200_000_000;
    let busy = c.collect(t0 + Duration::from_millis(200));
    assert!(busy.procs[0].cpu_pct > 99.0);
    // Its reaper says it ended; until the next sample the table shows that, not 100%.
    c.record_exit(10, ExitInfo::Code(0), None, t0 + Duration::from_millis(250));
    let procs = c.ordered();
    assert_eq!(procs[0].state, ProcState::Exited);
    assert_eq!(procs[0].exit, Some(ExitInfo::Code(0)));
    assert!(procs[0].cpu_pct.abs() < f32::EPSILON);
}

#[test]
fn untracking_a_tree_takes_rows_its_expired_root_left_at_the_top() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.source.spawn(11, 10, 0);
    c.track_tree(10, None);
    c.collect(t0);
    // The root ends first and expires; its child, ended later, is left at the top.
    c.source.procs.remove(&10);
    c.collect(t0 + Duration::from_millis(100));
    c.source.procs.remove(&11);
    c.collect(t0 + Duration::from_secs(3));
    let left = c.collect(t0 + Duration::from_millis(100) + EXITED_LINGER);
    assert_eq!(left.procs.len(), 1, "{:?}", left.procs);
    assert_eq!((left.procs[0].pid, left.procs[0].depth), (11, 0));
    c.untrack(10);
    assert!(
        c.ordered().is_empty(),
        "the whole tree leaves with its root"
    );
}

#[test]
fn a_vanished_process_with_no_known_status_says_so() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.track_tree(10, None);
    c.collect(t0);
    c.source.procs.clear();
    let sample = c.collect(t0 + Duration::from_millis(100));
    assert_eq!(sample.procs[0].exit, Some(ExitInfo::Unknown));
}

#[test]
fn footprints_are_read_at_most_once_a_second_and_only_when_they_can_have_changed() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.track_tree(10, None);
    for tick in 0..10 {
        c.collect(t0 + Duration::from_millis(100 * tick));
    }
    assert_eq!(
        c.source.footprints_read,
        [10],
        "ten passes in 0.9 s read PSS once"
    );
    c.collect(t0 + Duration::from_secs(2));
    assert_eq!(
        c.source.footprints_read,
        [10],
        "nothing changed: no need to read it again yet"
    );
    c.source.procs.get_mut(&10).unwrap().rss_bytes += 4096;
    let sample = c.collect(t0 + Duration::from_millis(2100));
    assert_eq!(c.source.footprints_read, [10, 10], "RSS moved: read again");
    assert_eq!(sample.procs[0].pss_bytes, Some(10));
    c.collect(t0 + Duration::from_millis(2100) + FOOTPRINT_MAX_AGE);
    assert_eq!(
        c.source.footprints_read,
        [10, 10, 10],
        "and at least every few seconds"
    );
    // A new process in the tree can change how pages are shared: everyone is due again.
    c.source.spawn(11, 10, 0);
    c.collect(t0 + Duration::from_millis(3100) + FOOTPRINT_MAX_AGE);
    assert_eq!(c.source.footprints_read, [10, 10, 10, 11, 10]);
}

#[test]
fn pss_is_shown_only_beside_an_rss_it_was_read_with() {
    const MIB: u64 = 1 << 20;
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.source.procs.get_mut(&10).unwrap().rss_bytes = 114 * MIB;
    // Read while the process held its payload; by the sample, it has let go of it.
    c.source.footprint = Some(Footprint {
        pss: 194 * MIB,
        uss: 190 * MIB,
        rss: 200 * MIB,
    });
    c.track_tree(10, None);
    let sample = c.collect(t0);
    assert_eq!(sample.procs[0].rss_bytes, 114 * MIB);
    assert_eq!(sample.procs[0].pss_bytes, None, "PSS 194M beside RSS 114M");
    assert_eq!(sample.procs[0].uss_bytes, None);
    // Read again beside the RSS it is shown with: shown.
    c.source.footprint = Some(Footprint {
        pss: 60 * MIB,
        uss: 50 * MIB,
        rss: 114 * MIB,
    });
    let sample = c.collect(t0 + Duration::from_millis(1100));
    assert_eq!(sample.procs[0].pss_bytes, Some(60 * MIB));
    // RSS moves a little before PSS is read again: still a pair, and PSS is never above.
    c.source.procs.get_mut(&10).unwrap().rss_bytes = 113 * MIB;
    let sample = c.collect(t0 + Duration::from_millis(1200));
    assert_eq!(sample.procs[0].pss_bytes, Some(60 * MIB));
    assert!(!pairs_with(
        &Footprint {
            pss: 114 * MIB,
            uss: 0,
            rss: 114 * MIB
        },
        113 * MIB
    ));
}

#[test]
fn a_footprint_being_read_elsewhere_is_asked_for_again_at_each_sample_until_it_is_in() {
    let (mut c, t0) = collector();
    c.source.footprints_pending = 2;
    c.source.spawn(10, 1, 0);
    c.track_tree(10, None);
    let first = c.collect(t0);
    let second = c.collect(t0 + Duration::from_millis(100));
    assert_eq!(first.procs[0].pss_bytes, None);
    assert_eq!(second.procs[0].pss_bytes, None);
    let third = c.collect(t0 + Duration::from_millis(200));
    assert_eq!(third.procs[0].pss_bytes, Some(10), "in at the third ask");
    c.collect(t0 + Duration::from_millis(300));
    assert_eq!(
        c.source.footprints_read,
        [10, 10, 10],
        "and then not again within the second"
    );
}

#[test]
fn untracking_a_root_drops_its_whole_tree() {
    let (mut c, t0) = collector();
    c.source.spawn(10, 1, 0);
    c.source.spawn(11, 10, 0);
    c.source.spawn(12, 11, 0);
    c.track_tree(10, None);
    c.collect(t0);
    c.untrack(10);
    c.source.procs.clear();
    assert!(c.collect(t0 + Duration::from_millis(100)).procs.is_empty());
}

//! Turns raw readings into samples: CPU rates from deltas, tree discovery, labels, PSS at a
//! low rate, and exited processes kept on show for a few seconds.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::sample::{ProcSample, ProcState, Role, Sample};
use super::source::{Footprint, FootprintReading, Source};
use crate::process::ExitInfo;

/// How long an exited process stays listed (dimmed, with its exit status).
pub const EXITED_LINGER: Duration = Duration::from_secs(5);

/// The least time between two PSS/USS readings of one process: `smaps_rollup` costs
/// milliseconds for big processes and takes the target's mmap lock.
pub const FOOTPRINT_INTERVAL: Duration = Duration::from_secs(1);

/// PSS of a process whose RSS has not moved and whose tree has not changed is still read
/// this often: sharing can change in ways RSS does not show (a process outside the tree
/// mapping the same library). Reading it walks the process's page tables — measured here at
/// 0.65 ms for a small process woken from sleep — so idle processes are not re-read often.
pub const FOOTPRINT_MAX_AGE: Duration = Duration::from_secs(30);

/// At most this many PSS readings per pass, so a big tree spreads them out.
const FOOTPRINTS_PER_PASS: usize = 8;

#[derive(Debug)]
struct Entry {
    pid: u32,
    ppid: u32,
    /// The tracked process this one was discovered under (its tree parent).
    parent: Option<u32>,
    /// The root of the tree it belongs to (itself for a root): untracking a tree takes all of
    /// it, even rows whose parents have expired and left them at the top.
    tree: u32,
    depth: u16,
    role: Role,
    name: Arc<str>,
    label: Option<Arc<str>>,
    cpu_prev: Option<(u64, Instant)>,
    cpu_pct: f32,
    rss: u64,
    footprint: Option<Footprint>,
    footprint_at: Option<Instant>,
    /// RSS when PSS was last read.
    footprint_rss: u64,
    state: ProcState,
    exit: Option<ExitInfo>,
    gone_at: Option<Instant>,
    /// How long it lived, as whoever reaped it measured.
    lived: Option<Duration>,
}

impl Entry {
    fn new(pid: u32, role: Role, parent: Option<u32>, depth: u16, label: Option<String>) -> Self {
        let label = label.map(Arc::from);
        Self {
            pid,
            ppid: 0,
            parent,
            tree: pid,
            depth,
            role,
            name: Arc::from(""),
            label,
            cpu_prev: None,
            cpu_pct: 0.0,
            rss: 0,
            footprint: None,
            footprint_at: None,
            footprint_rss: 0,
            state: ProcState::Sleeping,
            exit: None,
            gone_at: None,
            lived: None,
        }
    }

    fn in_tree(&self) -> bool {
        self.role != Role::Ui
    }
}

/// Keeps the tracked processes and produces samples from a [`Source`].
pub struct Collector<S: Source> {
    source: S,
    started: Instant,
    entries: Vec<Entry>,
    /// When a process last joined or left a tree: sharing may have changed, so every PSS is
    /// due again.
    tree_changed_at: Option<Instant>,
    /// Processes a demo reported that have not been discovered yet, with their label and
    /// parent: a demo names a child before the sampler sees it, and some children end
    /// before it ever does.
    reported: std::collections::HashMap<u32, (String, u32)>,
}

/// Most reported processes kept waiting to be seen or to end: far above any demo's cap.
const MAX_REPORTED: usize = 4096;

impl<S: Source> Collector<S> {
    /// A collector reading from `source`, timing samples from `started`.
    pub fn new(source: S, started: Instant) -> Self {
        Self {
            source,
            started,
            entries: Vec::new(),
            tree_changed_at: None,
            reported: std::collections::HashMap::new(),
        }
    }

    /// Reads the CPU counters once so that the first sample is a real delta.
    pub fn prime(&mut self) {
        let _ = self.source.cpu();
    }

    /// Tracks `pid` and every descendant it has or will have.
    pub fn track_tree(&mut self, pid: u32, label: Option<String>) {
        if !self.entries.iter().any(|e| e.pid == pid) {
            self.entries
                .push(Entry::new(pid, Role::Root, None, 0, label));
            self.source.rescan();
        }
    }

    /// Tracks lectern's own UI process, alone (its children belong to the trees it starts).
    pub fn track_self(&mut self, pid: u32, label: String) {
        if !self.entries.iter().any(|e| e.pid == pid) {
            self.entries
                .push(Entry::new(pid, Role::Ui, None, 0, Some(label)));
        }
    }

    /// Gives `pid`, a process a demo reported (child of `ppid`), a role label such as
    /// `worker 3`; one not discovered yet is remembered until it is, or until it ends.
    pub fn reported(&mut self, pid: u32, ppid: u32, label: String) {
        match self.entries.iter_mut().find(|e| e.pid == pid) {
            Some(entry) => entry.label = Some(label.into()),
            None if self.reported.len() < MAX_REPORTED => {
                self.reported.insert(pid, (label, ppid));
            }
            None => {}
        }
    }

    /// Records how `pid` ended (and how long it lived), as learned by whoever reaped it. A
    /// reported process that ended before any sample saw it joins the table now, under its
    /// parent (or the newest tree), marked as never measured: what the demo did is on show
    /// even when it was quicker than the sampler.
    pub fn record_exit(&mut self, pid: u32, exit: ExitInfo, lived: Option<Duration>, now: Instant) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.pid == pid) {
            entry.exit = Some(exit);
            entry.lived = lived.or(entry.lived);
            // Reaped: it is gone now, whatever the last reading said, and an ended process
            // uses no CPU (its last rate must not stay on show).
            if entry.gone_at.is_none() {
                entry.state = ProcState::Exited;
                entry.gone_at = Some(now);
                entry.cpu_pct = 0.0;
                self.tree_changed_at = Some(now);
            }
            return;
        }
        let Some((label, ppid)) = self.reported.remove(&pid) else {
            return;
        };
        let in_tree = |e: &&Entry| e.in_tree();
        let parent = self
            .entries
            .iter()
            .filter(in_tree)
            .find(|e| e.pid == ppid)
            .or_else(|| {
                self.entries
                    .iter()
                    .filter(in_tree)
                    .rfind(|e| e.role == Role::Root)
            });
        let Some((parent, depth, tree)) = parent.map(|p| (p.pid, p.depth + 1, p.tree)) else {
            return;
        };
        let mut entry = Entry::new(pid, Role::Descendant, Some(parent), depth, Some(label));
        entry.tree = tree;
        entry.ppid = ppid;
        entry.state = ProcState::Exited;
        entry.exit = Some(exit);
        entry.gone_at = Some(now);
        entry.lived = lived;
        self.tree_changed_at = Some(now);
        self.entries.push(entry);
    }

    /// Stops tracking `pid` and everything discovered under it.
    pub fn untrack(&mut self, pid: u32) {
        let mut doomed: HashSet<u32> = HashSet::from([pid]);
        // Entries are stored parents first, so one pass collects the whole subtree; a row
        // whose parent expired and left it at the top still knows its tree.
        for entry in &self.entries {
            if entry.tree == pid || entry.parent.is_some_and(|p| doomed.contains(&p)) {
                doomed.insert(entry.pid);
            }
        }
        for pid in &doomed {
            self.source.forget(*pid);
        }
        self.reported.retain(|_, (_, ppid)| !doomed.contains(ppid));
        self.entries.retain(|e| !doomed.contains(&e.pid));
    }

    /// Takes one sample at `now`.
    pub fn collect(&mut self, now: Instant) -> Sample {
        let (cores, total) = self.core_usage();
        self.discover(now);
        self.read_processes(now);
        self.read_footprints(now);
        self.drop_expired(now);
        Sample {
            t: now.saturating_duration_since(self.started).as_secs_f64(),
            cores,
            total,
            procs: self.ordered(),
        }
    }

    fn core_usage(&mut self) -> (Vec<f32>, f32) {
        let cores = self.source.cpu().unwrap_or_default();
        let total = if cores.is_empty() {
            0.0
        } else {
            cores.iter().sum::<f32>() / cores.len() as f32
        };
        (cores, total)
    }

    fn discover(&mut self, now: Instant) {
        // Asked only while /proc is being listed (after a fork somewhere), so a scan of the
        // few tracked entries costs less than building a set on every pass.
        let entries = &self.entries;
        let in_tree = |pid: u32| {
            entries
                .iter()
                .any(|e| e.pid == pid && e.in_tree() && e.gone_at.is_none())
        };
        for (pid, ppid) in self.source.new_descendants(&in_tree) {
            self.tree_changed_at = Some(now);
            let (depth, tree) = self
                .entries
                .iter()
                .find(|e| e.pid == ppid)
                .map_or((0, ppid), |p| (p.depth + 1, p.tree));
            let mut entry = Entry::new(
                pid,
                Role::Descendant,
                Some(ppid),
                depth,
                self.reported.remove(&pid).map(|(label, _)| label),
            );
            entry.tree = tree;
            self.entries.push(entry);
        }
    }

    /// Finds new descendants and reads only them, leaving every other reading (and the cores)
    /// for the next sample: between samples, while something may start processes that live
    /// for a few milliseconds (a slide's code), so they are seen alive — their size, their
    /// parent — instead of never.
    pub fn catch_new(&mut self, now: Instant) {
        // The fork counter is read with the cores, which wait for the sample: list /proc, but
        // read only processes new since the last listing (re-reading every process on the
        // machine each pass made a pass slower than the workers it was looking for live).
        self.source.list_again();
        self.discover(now);
        self.read_entries(now, true);
    }

    fn read_processes(&mut self, now: Instant) {
        self.read_entries(now, false);
    }

    /// Reads every live entry, or (`only_new`) those never read yet.
    fn read_entries(&mut self, now: Instant, only_new: bool) {
        let due = |e: &&mut Entry| e.gone_at.is_none() && (!only_new || e.cpu_prev.is_none());
        for entry in self.entries.iter_mut().filter(due) {
            let Some(raw) = self.source.read(entry.pid, now) else {
                // Vanished between two readings: the normal end of a process.
                self.tree_changed_at = Some(now);
                entry.state = ProcState::Exited;
                entry.gone_at = Some(now);
                entry.cpu_pct = 0.0;
                entry.exit.get_or_insert(ExitInfo::Unknown);
                continue;
            };
            if let Some((before_ns, before_at)) = entry.cpu_prev {
                let wall = now.saturating_duration_since(before_at).as_nanos() as f64;
                let used = raw.cpu_ns.saturating_sub(before_ns) as f64;
                entry.cpu_pct = if wall > 0.0 {
                    (used * 100.0 / wall) as f32
                } else {
                    0.0
                };
            }
            entry.cpu_prev = Some((raw.cpu_ns, now));
            entry.ppid = raw.ppid;
            entry.name = raw.name;
            // A zombie's memory reads as zero: keep the last measured size on show.
            if raw.state != ProcState::Zombie || raw.rss_bytes > 0 {
                entry.rss = raw.rss_bytes;
            }
            entry.state = raw.state;
            if raw.state == ProcState::Zombie {
                entry.cpu_pct = 0.0;
                if let Some(status) = raw.exit_status {
                    entry.exit.get_or_insert(ExitInfo::from_wait_status(status));
                }
            }
        }
    }

    fn read_footprints(&mut self, now: Instant) {
        let tree_changed_at = self.tree_changed_at;
        // PSS is expensive: read it when it can have changed (RSS moved, or a process joined
        // or left the tree), at most once a second, and at least every few seconds anyway.
        let mut due: Vec<usize> = (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                let Some(at) = e.footprint_at else {
                    return e.gone_at.is_none();
                };
                let age = now.duration_since(at);
                // A reading that no longer pairs with the RSS on show is hidden: read again.
                let changed = e.rss != e.footprint_rss
                    || tree_changed_at.is_some_and(|t| t > at)
                    || e.footprint.is_some_and(|f| !pairs_with(&f, e.rss));
                e.gone_at.is_none()
                    && e.state != ProcState::Zombie
                    && age >= FOOTPRINT_INTERVAL
                    && (changed || age >= FOOTPRINT_MAX_AGE)
            })
            .collect();
        // Never-read processes first, then the stalest.
        due.sort_by_key(|&i| self.entries[i].footprint_at);
        for i in due.into_iter().take(FOOTPRINTS_PER_PASS) {
            let entry = &mut self.entries[i];
            let footprint = match self.source.footprint(entry.pid) {
                // Still being read: due again at the next sample, when the answer is in.
                FootprintReading::Pending => continue,
                FootprintReading::Read(footprint) => Some(footprint),
                FootprintReading::Unavailable => None,
            };
            entry.footprint_at = Some(now);
            entry.footprint_rss = entry.rss;
            if footprint.is_some() {
                entry.footprint = footprint;
            }
        }
    }

    fn drop_expired(&mut self, now: Instant) {
        let expired: Vec<u32> = self
            .entries
            .iter()
            .filter(|e| {
                e.gone_at
                    .is_some_and(|at| now.duration_since(at) >= EXITED_LINGER)
            })
            .map(|e| e.pid)
            .collect();
        for pid in expired {
            self.source.forget(pid);
            // Children of an expired process stay: re-hang them on its own tree parent.
            let (parent, depth) = self
                .entries
                .iter()
                .find(|e| e.pid == pid)
                .map_or((None, 0), |e| (e.parent, e.depth));
            for entry in self.entries.iter_mut().filter(|e| e.parent == Some(pid)) {
                entry.parent = parent;
                entry.depth = if parent.is_some() { depth } else { 0 };
            }
            self.entries.retain(|e| e.pid != pid);
        }
    }

    /// Trees in the order their roots were tracked, depth first; the UI process last.
    fn ordered(&self) -> Vec<ProcSample> {
        let mut out = Vec::with_capacity(self.entries.len());
        let is_top = |e: &&Entry| e.role != Role::Ui && e.parent.is_none();
        for root in self.entries.iter().filter(is_top) {
            self.push_subtree(root, &mut out);
        }
        for entry in self.entries.iter().filter(|e| e.role == Role::Ui) {
            out.push(Self::to_sample(entry));
        }
        out
    }

    fn push_subtree(&self, entry: &Entry, out: &mut Vec<ProcSample>) {
        out.push(Self::to_sample(entry));
        for child in self.entries.iter().filter(|e| e.parent == Some(entry.pid)) {
            self.push_subtree(child, out);
        }
    }

    fn to_sample(e: &Entry) -> ProcSample {
        // PSS is read at most once a second, RSS at every sample: a footprint shows only
        // beside an RSS close to the one read with it, and never above the RSS shown — a
        // pair read at different moments can say PSS 194M beside RSS 114M.
        let footprint = e.footprint.filter(|f| pairs_with(f, e.rss));
        ProcSample {
            pid: e.pid,
            ppid: e.ppid,
            name: e.name.clone(),
            label: e.label.as_ref().unwrap_or(&e.name).clone(),
            rss_bytes: e.rss,
            pss_bytes: footprint.map(|f| f.pss),
            uss_bytes: footprint.map(|f| f.uss),
            cpu_pct: e.cpu_pct,
            state: e.state,
            exit: if e.state == ProcState::Exited || e.state == ProcState::Zombie {
                e.exit
            } else {
                None
            },
            depth: e.depth,
            role: e.role,
            lived_ms: e.lived.map(|d| d.as_secs_f64() * 1000.0),
            // A live process always has resident pages: a zero is a reading of a zombie, or
            // of a process between fork and exec, not a size.
            measured: e.cpu_prev.is_some() && e.rss > 0,
        }
    }
}

/// Whether footprint `f` can be shown beside `rss`, read at another moment: its own RSS
/// within 2% (at least 1 MiB, for the kernel's batched RSS counters) and its PSS not above.
fn pairs_with(f: &Footprint, rss: u64) -> bool {
    let slack = (rss / 50).max(1 << 20);
    f.rss.abs_diff(rss) <= slack && f.pss <= rss
}

#[cfg(test)]
mod tests;

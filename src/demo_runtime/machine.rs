//! What a demo needs to know about the machine around it: how busy the other processes kept
//! the cores during the run (speedups are relative to what was free), how much CPU its own
//! tree used, how much memory is available, and whether this process is single-threaded
//! (forking a multi-threaded process copies locks held by threads that do not exist in the
//! child).

use std::time::Instant;

/// CPU seconds the whole machine has spent busy since boot (every core, every process), if
/// the platform tells.
#[must_use]
pub fn machine_busy_seconds() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        use procfs::{CurrentSI, KernelStats};
        let stats = KernelStats::current().ok()?;
        let t = stats.total;
        let ticks = t.user
            + t.nice
            + t.system
            + t.irq.unwrap_or(0)
            + t.softirq.unwrap_or(0)
            + t.steal.unwrap_or(0);
        Some(ticks as f64 / procfs::ticks_per_second() as f64)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// CPU seconds used by this process and every descendant it has reaped (each level of a tree
/// that waits for its children passes theirs up).
#[must_use]
pub fn own_tree_cpu_seconds() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    let seconds = |who| {
        getrusage(who).map_or(0.0, |usage| {
            let s = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
            s(usage.user_time()) + s(usage.system_time())
        })
    };
    seconds(UsageWho::RUSAGE_SELF) + seconds(UsageWho::RUSAGE_CHILDREN)
}

/// Measures the CPU the rest of the machine used while a demo ran.
#[derive(Debug, Clone, Copy)]
pub struct OtherLoad {
    started: Instant,
    machine: Option<f64>,
    own: f64,
}

impl OtherLoad {
    /// Starts measuring now.
    #[must_use]
    pub fn start() -> Self {
        Self {
            started: Instant::now(),
            machine: machine_busy_seconds(),
            own: own_tree_cpu_seconds(),
        }
    }

    /// Seconds since [`Self::start`].
    #[must_use]
    pub fn wall(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Cores the rest of the machine kept busy on average since [`Self::start`]: the cores'
    /// busy time minus this demo's own tree's, over the wall time. `None` where the platform
    /// cannot tell.
    #[must_use]
    pub fn cores(&self) -> Option<f64> {
        let wall = self.started.elapsed().as_secs_f64();
        let machine = machine_busy_seconds()? - self.machine?;
        let own = own_tree_cpu_seconds() - self.own;
        (wall > 0.0).then(|| ((machine - own) / wall).max(0.0))
    }
}

/// Threads this process has now.
#[must_use]
pub fn thread_count() -> usize {
    #[cfg(target_os = "linux")]
    {
        procfs::process::Process::myself()
            .and_then(|me| me.stat())
            .map_or(1, |stat| usize::try_from(stat.num_threads).unwrap_or(1))
    }
    #[cfg(not(target_os = "linux"))]
    {
        1
    }
}

/// Processes the kernel has created since boot (`processes` in `/proc/stat`): while it stands
/// still, no process can have appeared anywhere.
#[must_use]
pub fn fork_count() -> u64 {
    #[cfg(target_os = "linux")]
    {
        use procfs::{CurrentSI, KernelStats};
        KernelStats::current().map_or(0, |stats| stats.processes)
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// The live processes of process group `pgid`, except its leader (`pgid` itself); zombies
/// are not counted.
#[must_use]
pub fn group_members(pgid: u32) -> Vec<u32> {
    #[cfg(target_os = "linux")]
    {
        let Ok(all) = procfs::process::all_processes() else {
            return Vec::new();
        };
        all.filter_map(Result::ok)
            .filter_map(|p| p.stat().ok())
            .filter(|stat| {
                i64::from(stat.pgrp) == i64::from(pgid)
                    && i64::from(stat.pid) != i64::from(pgid)
                    && stat.state != 'Z'
            })
            .map(|stat| stat.pid.unsigned_abs())
            .collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pgid;
        Vec::new()
    }
}

/// Memory of this process as the kernel counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OwnMemory {
    /// Resident now (`VmRSS`), bytes.
    pub rss: u64,
    /// The most ever resident since start or the last [`reset_peak`] (`VmHWM`), bytes.
    pub peak: u64,
    /// Pages only this process maps (`Private_Clean + Private_Dirty` of `smaps_rollup`),
    /// bytes: what a copy costs, where shared memory costs nothing.
    pub private: u64,
}

/// This process's memory now.
#[must_use]
pub fn own_memory() -> OwnMemory {
    #[cfg(target_os = "linux")]
    {
        let mut memory = OwnMemory::default();
        if let Ok(status) = procfs::process::Process::myself().and_then(|me| me.status()) {
            memory.rss = status.vmrss.unwrap_or(0) * 1024;
            memory.peak = status.vmhwm.unwrap_or(0) * 1024;
        }
        if let Ok(text) = std::fs::read_to_string("/proc/self/smaps_rollup") {
            memory.private = text
                .lines()
                .filter(|l| l.starts_with("Private_Clean:") || l.starts_with("Private_Dirty:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>()
                * 1024;
        }
        memory
    }
    #[cfg(not(target_os = "linux"))]
    {
        OwnMemory::default()
    }
}

/// Makes the kernel forget this process's peak resident size, so [`own_memory`]'s `peak`
/// measures from now (writing 5 to `/proc/self/clear_refs`).
///
/// # Errors
/// If the kernel does not allow it; the peak then counts from the process's start.
pub fn reset_peak() -> std::io::Result<()> {
    std::fs::write("/proc/self/clear_refs", "5")
}

/// Whether a run that needs `needed` bytes of memory fits: refused beyond half of what the
/// kernel says is available, so a demo never pushes a laptop into swap.
///
/// # Errors
/// A sentence naming what is needed, what is available and the limit.
pub fn check_memory(needed: u64) -> Result<(), String> {
    let Some(available) = available_bytes() else {
        return Ok(());
    };
    if needed > available / 2 {
        let mib = |b: u64| b / (1024 * 1024);
        return Err(format!(
            "this run needs about {} MiB of memory, but only {} MiB are available \
             (MemAvailable): lectern refuses runs that need more than half of it ({} MiB); \
             ask for a smaller size",
            mib(needed),
            mib(available),
            mib(available / 2)
        ));
    }
    Ok(())
}

/// Bytes of memory the kernel says can be given to new allocations without swapping
/// (`MemAvailable`), if it tells.
#[must_use]
pub fn available_bytes() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        use procfs::{Current, Meminfo};
        Meminfo::current().ok()?.mem_available
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_cpu_time_counts_cpu_work_and_a_single_thread_is_counted() {
        let before = own_tree_cpu_seconds();
        let load = OtherLoad::start();
        crate::demo_runtime::work::busy_for(std::time::Duration::from_millis(30));
        assert!(own_tree_cpu_seconds() - before >= 0.02);
        assert!(load.cores().is_none_or(f64::is_finite));
        assert!(thread_count() >= 1);
        assert!(available_bytes().is_none_or(|b| b > 0));
    }
}

//! The portable source, for systems without `/proc`: `sysinfo` gives per-core CPU, RSS and
//! CPU time, but no PSS or USS (those stay unknown rather than guessed).

use std::collections::{HashMap, HashSet};

use sysinfo::{Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};

use super::sample::ProcState;
use super::source::{FootprintReading, RawProc, Source};

/// Reads the system through `sysinfo`.
pub struct SysinfoSource {
    system: System,
}

impl Default for SysinfoSource {
    fn default() -> Self {
        Self {
            system: System::new(),
        }
    }
}

fn state_of(status: ProcessStatus) -> ProcState {
    match status {
        ProcessStatus::Run => ProcState::Running,
        ProcessStatus::Stop | ProcessStatus::Tracing => ProcState::Stopped,
        ProcessStatus::Zombie | ProcessStatus::Dead => ProcState::Zombie,
        ProcessStatus::UninterruptibleDiskSleep => ProcState::DiskSleep,
        ProcessStatus::Idle => ProcState::Idle,
        _ => ProcState::Sleeping,
    }
}

impl Source for SysinfoSource {
    fn cpu(&mut self) -> Option<Vec<f32>> {
        // `refresh_cpu_usage`, not `refresh_cpu_all`: the latter also reads frequencies,
        // which is slow on some hardware.
        self.system.refresh_cpu_usage();
        Some(
            self.system
                .cpus()
                .iter()
                .map(sysinfo::Cpu::cpu_usage)
                .collect(),
        )
    }

    fn read(&mut self, pid: u32, _now: std::time::Instant) -> Option<RawProc> {
        let target = [Pid::from_u32(pid)];
        let kind = ProcessRefreshKind::nothing().with_memory().with_cpu();
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::Some(&target), true, kind);
        let process = self.system.process(target[0])?;
        Some(RawProc {
            ppid: process.parent().map_or(0, Pid::as_u32),
            name: process.name().to_string_lossy().into(),
            state: state_of(process.status()),
            cpu_ns: process.accumulated_cpu_time().saturating_mul(1_000_000),
            rss_bytes: process.memory(),
            exit_status: None,
        })
    }

    fn footprint(&mut self, _pid: u32) -> FootprintReading {
        FootprintReading::Unavailable
    }

    fn new_descendants(&mut self, tree: &dyn Fn(u32) -> bool) -> Vec<(u32, u32)> {
        // Without a parent index this must list every process: the reason Linux uses /proc.
        self.system.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing(),
        );
        let parents: HashMap<u32, u32> = self
            .system
            .processes()
            .iter()
            .filter_map(|(pid, p)| Some((pid.as_u32(), p.parent()?.as_u32())))
            .collect();
        let mut members: HashSet<u32> = HashSet::new();
        let mut joined = Vec::new();
        loop {
            let before = joined.len();
            for (&pid, &ppid) in &parents {
                let is_new = !tree(pid) && !members.contains(&pid);
                if is_new && (tree(ppid) || members.contains(&ppid)) {
                    members.insert(pid);
                    joined.push((pid, ppid));
                }
            }
            if joined.len() == before {
                return joined;
            }
        }
    }

    fn forget(&mut self, _pid: u32) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cores_this_process_and_its_children() {
        let mut source = SysinfoSource::default();
        assert!(!source.cpu().expect("cores").is_empty());
        let me = std::process::id();
        let raw = source
            .read(me, std::time::Instant::now())
            .expect("own process");
        assert!(raw.rss_bytes > 0);
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let found = source.new_descendants(&|pid| pid == me);
        assert!(found.contains(&(child.id(), me)), "{found:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            source.footprint(me),
            FootprintReading::Unavailable,
            "sysinfo has no PSS: unknown, not guessed"
        );
    }
}

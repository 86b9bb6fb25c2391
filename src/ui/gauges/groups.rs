//! When a process table has more rows than room, processes of the same role at the same depth
//! (`fork child 1` … `fork child 4`) become one row (`fork child ×4`) with their memory and CPU
//! summed, so every role stays on screen instead of whole roles hiding behind "… more".

use crate::process::ExitInfo;
use crate::sampler::{ProcSample, Role};

/// A role without its trailing number: `fork child 3` → `fork child`.
fn base(label: &str) -> &str {
    let trimmed = label.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < label.len() && trimmed.ends_with(' ') {
        trimmed.trim_end()
    } else {
        label
    }
}

/// The processes with same-role siblings folded into one row each, in order of first
/// appearance. A folded row has PID 0; a role with one process keeps its own row.
#[must_use]
pub fn fold(procs: &[ProcSample]) -> Vec<ProcSample> {
    // Each row, how many processes it stands for, and their lifetimes.
    let mut rows: Vec<(ProcSample, usize, Vec<f64>)> = Vec::new();
    for proc in procs {
        // Live and ended processes never share a row: an ended one's last memory reading
        // must not count in the memory of live ones.
        let key = (proc.depth, base(&proc.label), proc.role, proc.is_gone());
        let found = rows
            .iter_mut()
            .find(|(row, _, _)| (row.depth, base(&row.label), row.role, row.is_gone()) == key);
        match found {
            Some((row, members, lived)) => {
                *members += 1;
                lived.extend(proc.lived_ms);
                // The memory of those read alive; "—" only if none was.
                row.measured |= proc.measured;
                row.pid = 0;
                row.rss_bytes += proc.rss_bytes;
                row.pss_bytes = row.pss_bytes.zip(proc.pss_bytes).map(|(a, b)| a + b);
                row.uss_bytes = row.uss_bytes.zip(proc.uss_bytes).map(|(a, b)| a + b);
                row.cpu_pct += proc.cpu_pct;
                // An ended group has one status if they all ended the same way.
                if row.exit != proc.exit {
                    row.exit = Some(ExitInfo::Unknown);
                }
            }
            None => rows.push((proc.clone(), 1, proc.lived_ms.into_iter().collect())),
        }
    }
    rows.into_iter()
        .map(|(mut row, members, lived)| {
            if members > 1 {
                row.label = format!("{} ×{members}", base(&row.label)).into();
                row.lived_ms =
                    (!lived.is_empty()).then(|| crate::demo_runtime::work::median(&lived));
            }
            row
        })
        .collect()
}

/// Orders table rows for a table too short for all of them: live processes first, the
/// busiest (as the table shows their CPU) ahead; at the same CPU a tree's descendants before
/// its root (in the lecture, the supervisor); lectern's own row last. Otherwise the tree's
/// order stands, so ties read as a tree.
pub fn busiest_first(rows: &mut [ProcSample]) {
    rows.sort_by_key(|row| {
        (
            row.role == Role::Ui,
            row.is_gone(),
            std::cmp::Reverse(super::format::shown_pct(row.cpu_pct)),
            row.role == Role::Root,
        )
    });
}

/// Whether a row can leave a short table without hiding work: lectern's own, an ended
/// process, or one whose CPU shows as 0%.
#[must_use]
pub fn is_idle(row: &ProcSample) -> bool {
    row.role == Role::Ui || row.is_gone() || super::format::shown_pct(row.cpu_pct) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::ProcState;

    fn proc(pid: u32, label: &str, depth: u16, rss: u64) -> ProcSample {
        ProcSample {
            pid,
            ppid: 1,
            name: "lectern".into(),
            label: label.into(),
            rss_bytes: rss,
            pss_bytes: Some(rss / 2),
            uss_bytes: None,
            cpu_pct: 10.0,
            state: ProcState::Running,
            exit: None,
            depth,
            role: Role::Descendant,
            lived_ms: None,
            measured: true,
        }
    }

    #[test]
    fn same_role_siblings_fold_into_one_row_with_sums() {
        let procs = vec![
            proc(10, "start-methods", 0, 100),
            proc(11, "fork child 1", 1, 10),
            proc(12, "fork child 2", 1, 10),
            proc(13, "spawn child 1", 1, 5),
            proc(14, "forkserver", 1, 3),
        ];
        let rows = fold(&procs);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_ref()).collect();
        assert_eq!(
            labels,
            [
                "start-methods",
                "fork child ×2",
                "spawn child 1",
                "forkserver"
            ]
        );
        assert_eq!(rows[1].rss_bytes, 20);
        assert_eq!(rows[1].pss_bytes, Some(10));
        assert_eq!(rows[1].pid, 0);
        assert!((rows[1].cpu_pct - 20.0).abs() < 1e-6);
    }

    #[test]
    fn live_and_ended_processes_fold_apart_so_memory_counts_only_the_living() {
        let mut a = proc(1, "worker 1", 1, 100);
        let b = proc(2, "worker 2", 1, 1);
        a.state = ProcState::Exited;
        a.exit = Some(ExitInfo::Code(0));
        let rows = fold(&[a.clone(), b.clone()]);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].is_gone() && !rows[1].is_gone());
        assert_eq!(
            rows[1].rss_bytes, 1,
            "the ended worker's memory is not the live one's"
        );
        let mut c = b.clone();
        c.pid = 3;
        c.state = ProcState::Exited;
        c.exit = Some(ExitInfo::Code(0));
        let rows = fold(&[a.clone(), c.clone()]);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].is_gone());
        assert_eq!(rows[0].exit, Some(ExitInfo::Code(0)));
        c.exit = Some(ExitInfo::Code(1));
        assert_eq!(fold(&[a, c])[0].exit, Some(ExitInfo::Unknown));
    }

    #[test]
    fn a_short_table_puts_the_busiest_first_and_lecterns_rows_last() {
        let mut ui = proc(7, "lectern UI", 0, 20);
        ui.role = Role::Ui;
        ui.cpu_pct = 3.0;
        let mut supervisor = proc(10, "supervisor", 0, 5);
        supervisor.role = Role::Root;
        supervisor.cpu_pct = 0.0;
        let mut main = proc(11, "python", 1, 9);
        main.cpu_pct = 0.0;
        let mut ended = proc(12, "probe", 2, 9);
        ended.state = ProcState::Exited;
        let mut one = proc(13, "process 1", 2, 9);
        one.cpu_pct = 99.6;
        let mut two = proc(14, "process 2", 2, 9);
        two.cpu_pct = 100.0;
        let mut rows = vec![supervisor, main, ended, one, two, ui];
        busiest_first(&mut rows);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_ref()).collect();
        assert_eq!(
            labels,
            [
                "process 1",
                "process 2",
                "python",
                "supervisor",
                "probe",
                "lectern UI"
            ],
            "99.6% and 100% both show as 100%, so the tree's order stands between them"
        );
    }

    #[test]
    fn ended_siblings_fold_with_the_median_of_their_lifetimes() {
        let ended = |pid, ms: f64, measured| {
            let mut p = proc(pid, &format!("task {pid}"), 1, 0);
            p.state = ProcState::Exited;
            p.exit = Some(ExitInfo::Code(0));
            p.lived_ms = Some(ms);
            p.measured = measured;
            p
        };
        let rows = fold(&[
            ended(1, 9.0, false),
            ended(2, 30.0, false),
            ended(3, 8.0, false),
        ]);
        assert_eq!(rows.len(), 1);
        assert_eq!(&*rows[0].label, "task ×3");
        assert_eq!(rows[0].lived_ms, Some(9.0));
        assert!(!rows[0].measured, "none was read alive");
        let rows = fold(&[ended(1, 9.0, false), ended(2, 11.0, true)]);
        assert_eq!(rows[0].lived_ms, Some(10.0));
        assert!(rows[0].measured, "one was read alive");
    }
}

//! `queue-sentinel`: a producer and worker processes over a real inter-process queue (a pipe
//! with a reader lock), a task queue and a result queue; one sentinel per worker shuts them
//! down. With too few sentinels a watchdog names the workers blocked forever in `get()`.

use std::io;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};

use super::context::Ctx;
use super::ipc::Queue;
use super::protocol::NoteLevel;
use super::registry::int;
use super::util::{busy_for, exit_event, reap_and_report};
use crate::os::{self, Forked};
use crate::sampler::ExitInfo;

/// Record kinds on the queues.
const TASK: u32 = 1;
const SENTINEL: u32 = 2;
const RESULT: u32 = 3;

/// Runs the demo.
///
/// # Errors
/// If a queue, fork or wait fails.
pub fn run(ctx: &mut Ctx) -> io::Result<()> {
    let workers = u32::try_from(int(&ctx.params, "workers")).unwrap_or(1);
    let sentinels = u32::try_from(int(&ctx.params, "sentinels")).unwrap_or(0);
    let tasks = u32::try_from(int(&ctx.params, "tasks")).unwrap_or(0);
    let task_ms = int(&ctx.params, "task_ms").unsigned_abs();
    let watchdog = Duration::from_millis(int(&ctx.params, "watchdog_ms").unsigned_abs());
    let task_queue = Queue::new()?;
    let result_queue = Queue::new()?;
    ctx.note(
        NoteLevel::Info,
        format!("{workers} workers take tasks from one queue and put results on another; the producer sends {sentinels} sentinel(s)."),
    );

    let mut alive: Vec<(u32, u32, String)> = Vec::new();
    for i in 1..=workers {
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => worker(ctx, i, &task_queue, &result_queue, task_ms),
            Some(Forked::Parent(pid)) => {
                let role = format!("worker {i}");
                ctx.process(pid, std::process::id(), &role);
                alive.push((pid, i, role));
            }
        }
    }
    for k in 1..=tasks {
        task_queue.put([TASK, k, 0, 0])?;
        ctx.measure("put", f64::from(k), "task", None);
    }
    for _ in 0..sentinels {
        task_queue.put([SENTINEL, 0, 0, 0])?;
        ctx.measure("put_sentinel", 1.0, "sentinel", None);
    }
    let sent = Instant::now();
    ctx.progress(
        format!("{tasks} tasks and {sentinels} sentinels are on the queue"),
        Some(0),
        Some(u64::from(tasks)),
    );

    let mut done_by: Vec<u32> = vec![0; workers as usize + 1];
    for received in 1..=tasks {
        let Some([_, _, worker, _]) = result_queue.get_timeout(Duration::from_secs(60))? else {
            return Err(io::Error::other("no result for 60 s"));
        };
        if let Some(count) = done_by.get_mut(worker as usize) {
            *count += 1;
        }
        ctx.progress(
            format!("{received} of {tasks} results back"),
            Some(u64::from(received)),
            Some(u64::from(tasks)),
        );
    }
    let clean = join(ctx, &mut alive, sent, watchdog);
    let blocked = alive.len();
    explain_blocked(ctx, &alive, workers, sentinels);
    for (pid, _, role) in &alive {
        let _ = kill(os::pid(*pid), Signal::SIGKILL);
        reap_and_report(ctx.out, *pid, role);
    }
    let mut leftover = 0;
    while let Some([kind, ..]) = task_queue.get_timeout(Duration::ZERO)? {
        leftover += u32::from(kind == SENTINEL);
    }
    if leftover > 0 {
        ctx.note(
            NoteLevel::Info,
            format!("{leftover} sentinel(s) were never taken: they are still in the queue."),
        );
    }
    for i in 1..=workers {
        ctx.result(&format!("tasks_worker_{i}"), i64::from(done_by[i as usize]));
    }
    ctx.result("tasks_done", i64::from(tasks));
    ctx.result("clean_exits", clean);
    ctx.result("blocked_workers", blocked);
    ctx.result("leftover_sentinels", i64::from(leftover));
    Ok(())
}

/// A worker's life: take, work, put the result; exit on the sentinel. Never returns.
fn worker(ctx: &Ctx, index: u32, tasks: &Queue, results: &Queue, task_ms: u64) -> ! {
    let role = format!("worker {index}");
    loop {
        ctx.measure("waiting", 0.0, "", Some(&role));
        let Ok([kind, task, ..]) = tasks.get() else {
            std::process::exit(1)
        };
        if kind == SENTINEL {
            ctx.measure("sentinel", 0.0, "", Some(&role));
            std::process::exit(0);
        }
        ctx.measure("working", f64::from(task), "task", Some(&role));
        busy_for(Duration::from_millis(task_ms));
        if results.put([RESULT, task, index, 0]).is_err() {
            std::process::exit(1);
        }
    }
}

/// Reaps workers as they exit until the watchdog's time is up; returns how many exited
/// cleanly, leaving the blocked ones in `alive`.
fn join(
    ctx: &Ctx,
    alive: &mut Vec<(u32, u32, String)>,
    sent: Instant,
    watchdog: Duration,
) -> usize {
    let deadline = Instant::now() + watchdog;
    let mut clean = 0;
    while !alive.is_empty() && Instant::now() < deadline {
        alive.retain(
            |(pid, _, role)| match waitpid(os::pid(*pid), Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(_, code)) => {
                    ctx.out.send(&exit_event(*pid, role, ExitInfo::Code(code)));
                    ctx.measure(
                        "join_ms",
                        sent.elapsed().as_secs_f64() * 1000.0,
                        "ms",
                        Some(role),
                    );
                    clean += usize::from(code == 0);
                    false
                }
                Ok(WaitStatus::Signaled(_, signal, _)) => {
                    ctx.out
                        .send(&exit_event(*pid, role, ExitInfo::Signal(signal as i32)));
                    false
                }
                _ => true,
            },
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    clean
}

fn explain_blocked(ctx: &Ctx, blocked: &[(u32, u32, String)], workers: u32, sentinels: u32) {
    if blocked.is_empty() {
        return;
    }
    let names: Vec<String> = blocked
        .iter()
        .map(|(pid, _, role)| format!("{role} (pid {pid})"))
        .collect();
    ctx.note(
        NoteLevel::Warn,
        format!(
            "Blocked forever in get(): {}. The producer sent {sentinels} sentinel(s) for {workers} \
             workers; every sentinel has been taken, the queue is empty and nothing more will come, \
             so get() never returns and join() would hang. The watchdog kills them.",
            names.join(", ")
        ),
    );
}

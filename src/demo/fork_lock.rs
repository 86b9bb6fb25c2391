//! `fork-lock`: fork while another thread holds a mutex; the child waits for a lock whose
//! owner does not exist in it. A watchdog names the deadlock and kills the child. With
//! `safe=true` the fork happens while no lock is held, and the child finishes.

use std::io;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};

use super::context::Ctx;
use super::protocol::NoteLevel;
use super::registry::{flag, int};
use super::util::{ms_since, read_record, reap_and_report, write_record};
use crate::os::{self, Forked};

/// Runs the demo.
///
/// # Errors
/// If a pipe or the fork fails.
pub fn run(ctx: &mut Ctx) -> io::Result<()> {
    let safe = flag(&ctx.params, "safe");
    let timeout = Duration::from_millis(int(&ctx.params, "timeout_ms").unsigned_abs());
    let lock = Arc::new(Mutex::new(0u32));
    let (holding_tx, holding_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let holder_lock = Arc::clone(&lock);
    let hold_for = if safe {
        Duration::ZERO
    } else {
        timeout + Duration::from_secs(1)
    };
    let mut holder = Some(std::thread::spawn(move || {
        let mut guard = holder_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard += 1;
        let _ = holding_tx.send(());
        let _ = done_rx.recv_timeout(hold_for);
        drop(guard);
    }));
    let _ = holding_rx.recv();
    if safe {
        // The fix: fork only when no other thread can be holding the lock.
        let _ = done_tx.send(());
        if let Some(thread) = holder.take() {
            let _ = thread.join();
        }
        ctx.note(
            NoteLevel::Info,
            "safe=true: the helper thread has released the lock and finished; forking now.",
        );
    } else {
        ctx.note(
            NoteLevel::Info,
            "A second thread of this process holds a mutex. The main thread forks now.",
        );
    }

    let (answer_read, answer_write) = os::inheritable_pipe()?;
    let started = Instant::now();
    let child = match ctx.fork()? {
        None => return Err(io::Error::other("the process cap allows no child")),
        Some(Forked::Child) => {
            // Only the forking thread exists here. If the lock was held, its owner is gone.
            let guard = lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // Nobody to tell if this fails: the watchdog reports a silent child anyway.
            let _ = write_record(answer_write.as_fd(), &[*guard]);
            std::process::exit(0);
        }
        Some(Forked::Parent(pid)) => pid,
    };
    ctx.process(child, std::process::id(), "forked child");
    ctx.progress(
        format!(
            "child {child} is taking the lock; watchdog waits {} ms",
            timeout.as_millis()
        ),
        None,
        None,
    );
    let answer = read_record::<1>(answer_read.as_fd(), timeout)?;
    let waited = ms_since(started);
    let deadlocked = answer.is_none();
    if deadlocked {
        ctx.note(
            NoteLevel::Warn,
            format!(
                "Deadlock: child {child} has waited {waited:.0} ms for the mutex and never will get it. \
                 fork() copied the mutex in its locked state, but not the thread that held it: only \
                 the thread that called fork() exists in the child, so nobody there can unlock it. \
                 The watchdog kills the child."
            ),
        );
        let _ = kill(os::pid(child), Signal::SIGKILL);
    } else {
        ctx.note(
            NoteLevel::Info,
            format!("The child took the lock after {waited:.1} ms and finished."),
        );
    }
    let exit = reap_and_report(ctx.out, child, "forked child");
    let _ = done_tx.send(());
    if let Some(thread) = holder.take() {
        let _ = thread.join();
    }
    ctx.result("deadlocked", deadlocked);
    ctx.result("waited_ms", waited);
    ctx.result(
        "child_killed",
        matches!(exit, crate::sampler::ExitInfo::Signal(_)),
    );
    Ok(())
}

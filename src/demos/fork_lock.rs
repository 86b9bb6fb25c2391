//! `fork-lock`: fork while another thread holds a mutex; the child waits for a lock whose
//! owner does not exist in it. A watchdog names the deadlock and kills the child. With
//! `safe=true` the fork happens while no lock is held, and the child finishes.

use std::io;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::records::{read_record, write_record};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit, no_check};
use crate::demo_runtime::view::{Tone, View};
use crate::demo_runtime::work::ms_since;
use crate::os::{self, Forked};

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "fork-lock",
        title: "Forking while another thread holds a lock",
        summary: "A process whose second thread holds a mutex forks; the child waits for a lock \
                  whose owner does not exist in it. A watchdog detects the deadlock and kills \
                  the child. safe=true forks with no lock held.",
        params: &[
            ParamSpec {
                name: "safe",
                kind: Kind::Bool,
                default: Default::Bool(false),
                unit: "",
                meaning: "fork only when no lock is held (the fix)",
            },
            ParamSpec {
                name: "timeout_ms",
                kind: Kind::Int {
                    min: 100,
                    max: 10_000,
                },
                default: Default::Int(1000),
                unit: "ms",
                meaning: "how long the watchdog waits before calling it a deadlock",
            },
            cap_param(64),
        ],
        quick: &[("timeout_ms", "200")],
        results: &["deadlocked", "child_killed", "waited_ms"],
        python: Some("demo_fork_lock.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: false,
    },
    check: no_check,
    run,
    child: None,
    memory: crate::demo_runtime::unit::little_memory,
    estimate: |s| seconds(0.2 + s.timeout_ms as f64 / 1000.0),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Fork only with no lock held.
    pub safe: bool,
    /// Watchdog timeout, ms.
    pub timeout_ms: u64,
}

/// Runs the demo.
///
/// # Errors
/// If a pipe or the fork fails.
fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let safe = settings.safe;
    let timeout = Duration::from_millis(settings.timeout_ms);
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
    // The fix passes the single-threaded check every other demo's fork passes; the deadlock
    // needs the exception, which is the point of this demo.
    let forked = if safe {
        ctx.fork()?
    } else {
        ctx.fork_multithreaded("fork-lock shows what a fork does to a lock another thread holds")?
    };
    let child = match forked {
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
        let _ = kill(os::pid(child), Signal::SIGKILL);
    }
    explain(ctx, deadlocked, waited, child);
    let exit = reap_and_report(ctx.out, child, "forked child");
    show_story(ctx, safe, deadlocked, waited, child);
    let _ = done_tx.send(());
    if let Some(thread) = holder.take() {
        let _ = thread.join();
    }
    ctx.result("deadlocked", deadlocked);
    ctx.result("waited_ms", waited);
    ctx.result(
        "child_killed",
        matches!(exit, crate::process::ExitInfo::Signal(_)),
    );
    Ok(())
}

/// The headline and the note that say what happened and why.
fn explain(ctx: &Ctx, deadlocked: bool, waited: f64, child: u32) {
    if deadlocked {
        ctx.note(
            NoteLevel::Warn,
            format!(
                "Deadlock: child {child} has waited {waited:.0} ms for the mutex and never will \
                 get it. fork() copied the mutex in its locked state, but not the thread that \
                 held it: only the thread that called fork() exists in the child, so nobody \
                 there can unlock it. The watchdog kills the child."
            ),
        );
        ctx.headline(
            format!(
                "DEADLOCK: the forked child waited {waited:.0} ms for a mutex that only a thread \
                 it does not have could release; the watchdog killed it."
            ),
            Tone::Bad,
        );
    } else {
        ctx.headline(
            format!(
                "No deadlock: nothing held the lock at fork time, so the child took it after \
                 {waited:.1} ms."
            ),
            Tone::Good,
        );
    }
}

/// What each thread and process did, in order.
fn show_story(ctx: &Ctx, safe: bool, deadlocked: bool, waited: f64, child: u32) {
    let row = |who: &str, what: &str| vec![who.to_string(), what.to_string()];
    let mut rows = vec![
        row(
            "helper thread",
            if safe {
                "took the mutex, released it, finished"
            } else {
                "took the mutex and keeps it"
            },
        ),
        row(
            "main thread",
            if safe {
                "forked with no other thread left"
            } else {
                "forked while the helper held the mutex"
            },
        ),
    ];
    let mut tones = vec![Tone::Normal, Tone::Normal];
    if deadlocked {
        rows.push(row(
            &format!("child {child}"),
            &format!("stuck {waited:.0} ms on the mutex; nobody in it can unlock"),
        ));
        rows.push(row("watchdog", "killed the child (SIGKILL)"));
        tones.extend([Tone::Bad, Tone::Warn]);
    } else {
        rows.push(row(
            &format!("child {child}"),
            &format!("took the mutex after {waited:.1} ms and exited"),
        ));
        tones.push(Tone::Good);
    }
    ctx.view(
        "story",
        View::Table {
            columns: vec!["who".into(), "what happened".into()],
            rows,
            tones,
            merge: false,
            caption: String::new(),
        },
    );
}

//! A native process pool for the demos that compare pool APIs and costs: `n` forked workers
//! taking task records (with an optional blob) from one queue and putting result records on
//! another, as `multiprocessing.Pool`'s workers do with pickled tasks.

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::context::Ctx;
use super::ipc::{Queue, Record};
use super::reap::reap_and_report;
use crate::os::Forked;

/// The record kind that tells a worker to exit.
pub const STOP: u32 = u32::MAX;

/// A running pool.
pub struct Pool {
    /// Where tasks go (shared with a feeder thread).
    pub tasks: Arc<Queue>,
    /// Where results come back.
    pub results: Queue,
    /// Each worker's PID and role.
    pub workers: Vec<(u32, String)>,
}

impl Pool {
    /// Forks `n` workers labelled `role N`; each answers every task record (and its blob)
    /// with the record `work` returns, until a [`STOP`] record. Must be called while this
    /// process is single-threaded (it forks).
    ///
    /// # Errors
    /// If the queues cannot be made or a fork fails.
    pub fn start(
        ctx: &Ctx,
        n: u32,
        role: &str,
        work: impl Fn(Record, &[u8]) -> Record,
    ) -> io::Result<Self> {
        let tasks = Arc::new(Queue::new()?);
        let results = Queue::new()?;
        let mut workers = Vec::new();
        for i in 1..=n {
            match ctx.fork()? {
                None => break,
                Some(Forked::Child) => loop {
                    match tasks.get_blob() {
                        Ok((record, _)) if record[0] == STOP => std::process::exit(0),
                        Ok((record, blob)) => {
                            if results.put(work(record, &blob)).is_err() {
                                std::process::exit(1);
                            }
                        }
                        Err(_) => std::process::exit(1),
                    }
                },
                Some(Forked::Parent(pid)) => {
                    let label = format!("{role} {i}");
                    ctx.process(pid, std::process::id(), &label);
                    workers.push((pid, label));
                }
            }
        }
        Ok(Self {
            tasks,
            results,
            workers,
        })
    }

    /// Puts every task on a thread of its own (as `Pool`'s task-handler thread does), so the
    /// caller can take results meanwhile and neither side's pipe fills up and blocks.
    #[must_use = "join the feeder, or its error is lost"]
    pub fn feed(&self, tasks: Vec<(Record, Vec<u8>)>) -> JoinHandle<io::Result<()>> {
        let queue = Arc::clone(&self.tasks);
        std::thread::spawn(move || {
            for (record, blob) in tasks {
                queue.put_blob(record, &blob)?;
            }
            Ok(())
        })
    }

    /// The next result, waiting at most `patience`.
    ///
    /// # Errors
    /// If nothing comes in time or the pipe fails.
    pub fn next(&self, patience: Duration) -> io::Result<Record> {
        self.results
            .get_timeout(patience)?
            .ok_or_else(|| io::Error::other("the pool stopped answering"))
    }

    /// Tells every worker to exit, then reaps and reports each.
    ///
    /// # Errors
    /// If the task queue fails.
    pub fn stop(self, ctx: &Ctx) -> io::Result<()> {
        for _ in &self.workers {
            self.tasks.put([STOP, 0, 0, 0])?;
        }
        for (pid, role) in &self.workers {
            reap_and_report(ctx.out, *pid, role);
        }
        Ok(())
    }
}

/// Waits for a feeder thread and passes on its error.
///
/// # Errors
/// The feeder's own error, or that it panicked.
pub fn join(feeder: JoinHandle<io::Result<()>>) -> io::Result<()> {
    feeder
        .join()
        .map_err(|_| io::Error::other("the feeder thread panicked"))?
}

//! What the demo's parts share: its parameters and pacing, and its pool — the messages a
//! chunk and its result travel in, one `map` (a feeder thread as `Pool`'s, results collected
//! here), a worker, and Python's default chunksize.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::work::busy_for;

pub(super) const CHUNK: u32 = 1;
pub(super) const STOP: u32 = 2;
pub(super) const DONE: u32 = 3;

/// The chunksizes swept, besides Python's default.
pub(super) const SWEEP: [u32; 4] = [1, 10, 100, 1000];

/// How long a run on a slide should last at least, so the gauges can show it.
pub(super) const PACE: Duration = Duration::from_secs(3);

/// Most rounds the automatic pacing asks for.
pub(super) const MAX_AUTO_ROUNDS: u32 = 50;

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Pool worker processes.
    pub workers: u32,
    /// Items per map.
    pub tasks: u32,
    /// CPU work per task, µs.
    pub task_us: u64,
    /// Rounds of the sweep (0: paced).
    pub rounds: u32,
    /// Process cap.
    pub cap: u32,
}

/// Python's default for `Pool.map`: `ceil(tasks / (4 × workers))`.
#[must_use]
pub fn python_default(tasks: u32, workers: u32) -> u32 {
    tasks.div_ceil(4 * workers.max(1)).max(1)
}

/// One `map`: a feeder thread puts the chunks (as `Pool`'s task handler thread does) while
/// this thread collects results. Returns ms, task messages sent, result messages received.
pub(super) fn map(chunks: &Arc<Queue>, results: &Queue, tasks: u32, size: u32) -> io::Result<(f64, u64, u64)> {
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let feeder = {
        let (chunks, sent) = (Arc::clone(chunks), Arc::clone(&sent));
        std::thread::spawn(move || -> io::Result<()> {
            let mut start = 0;
            while start < tasks {
                let count = size.min(tasks - start);
                chunks.put([CHUNK, start, count, 0])?;
                sent.fetch_add(1, Ordering::Relaxed);
                start += count;
            }
            Ok(())
        })
    };
    let (mut done, mut received) = (0u32, 0u64);
    while done < tasks {
        let Some([_, _, count, _]) = results.get_timeout(Duration::from_secs(60))? else {
            return Err(io::Error::other("the pool stopped answering"));
        };
        done += count;
        received += 1;
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    feeder
        .join()
        .map_err(|_| io::Error::other("the feeder thread panicked"))??;
    Ok((ms, sent.load(Ordering::Relaxed), received))
}

/// A pool worker: take a chunk, run its tasks, send one result message per chunk.
pub(super) fn pool_worker(chunks: &Queue, results: &Queue, task_us: u64, index: u32) -> ! {
    loop {
        let Ok([kind, start, count, _]) = chunks.get() else {
            std::process::exit(1)
        };
        if kind == STOP {
            std::process::exit(0);
        }
        for _ in 0..count {
            busy_for(Duration::from_micros(task_us));
        }
        if results.put([DONE, start, count, index]).is_err() {
            std::process::exit(1);
        }
    }
}

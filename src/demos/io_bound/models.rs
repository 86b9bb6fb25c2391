//! The ways `io-bound` makes its requests and runs its tasks — one thread, many threads, a
//! pool of processes, one event loop — and the late server they talk to. Each returns its
//! wall time and the PSS of the processes doing the work, read while they work.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::settings::CPU;
use crate::demo_runtime::pool::{Pool, join};
use crate::demo_runtime::work::ms_since;
use crate::sampler::footprint_now;

const MIB: f64 = 1024.0 * 1024.0;

/// One request: connect, ask, block until the late answer.
pub(super) fn request(path: &Path) -> io::Result<()> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(b"?")?;
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer)
}

/// The server: answers each connection after `delay`, all of them at once (a thread each).
pub(super) fn serve(listener: &UnixListener, delay: Duration) -> ! {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        std::thread::spawn(move || {
            let mut ask = [0u8; 1];
            if stream.read_exact(&mut ask).is_ok() {
                if ask[0] == b'q' {
                    std::process::exit(0);
                }
                std::thread::sleep(delay);
                let _ = stream.write_all(b"!");
            }
        });
    }
    std::process::exit(1)
}

/// PSS of this process (and `others`), MiB, read from the kernel now.
fn pss_mb(others: &[u32]) -> f64 {
    std::iter::once(std::process::id())
        .chain(others.iter().copied())
        .filter_map(footprint_now)
        .map(|f| f.pss as f64 / MIB)
        .sum()
}

/// `n` jobs on `threads` OS threads; returns the time and this process's PSS while they run.
pub(super) fn on_threads(
    threads: u32,
    n: u32,
    job: impl Fn() -> io::Result<()> + Sync,
) -> io::Result<(f64, f64)> {
    let next = AtomicU32::new(0);
    let started = Instant::now();
    let mut pss = 0.0;
    let failed = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(n))
            .map(|_| {
                scope.spawn(|| -> io::Result<()> {
                    while next.fetch_add(1, Ordering::Relaxed) < n {
                        job()?;
                    }
                    Ok(())
                })
            })
            .collect();
        // Every thread is alive (and most are waiting) now.
        pss = pss_mb(&[]);
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a thread panicked")))
            })
            .find_map(Result::err)
    });
    match failed {
        Some(err) => Err(err),
        None => Ok((ms_since(started), pss)),
    }
}

/// `n` tasks of `kind` on the pool; returns the time and the PSS of this process and the
/// pool's while they run.
pub(super) fn on_pool(pool: &Pool, kind: u32, n: u32, ms: u32) -> io::Result<(f64, f64)> {
    let tasks = (0..n).map(|i| ([kind, i, ms, 0], Vec::new())).collect();
    let started = Instant::now();
    let feeder = pool.feed(tasks);
    let workers: Vec<u32> = pool.workers.iter().map(|(pid, _)| *pid).collect();
    let pss = pss_mb(&workers);
    for _ in 0..n {
        pool.next(Duration::from_secs(300))?;
    }
    let ms = ms_since(started);
    join(feeder)?;
    Ok((ms, pss))
}

/// `n` requests from one thread: connect them all, ask on each, then wait on all the
/// sockets at once and take each answer as it comes (an event loop). With `hybrid`, each
/// answer's CPU work goes to the pool. Returns the time and this process's PSS.
pub(super) fn event_loop(
    path: &Path,
    n: u32,
    hybrid: Option<(&Pool, u32)>,
) -> io::Result<(f64, f64)> {
    let started = Instant::now();
    let mut open: Vec<UnixStream> = Vec::new();
    for _ in 0..n {
        let mut stream = UnixStream::connect(path)?;
        stream.write_all(b"?")?;
        stream.set_nonblocking(true)?;
        open.push(stream);
    }
    let pss = pss_mb(&[]);
    let mut handed = 0;
    while !open.is_empty() {
        let mut fds: Vec<PollFd<'_>> = open
            .iter()
            .map(|s| PollFd::new(s.as_fd(), PollFlags::POLLIN))
            .collect();
        poll(&mut fds, PollTimeout::from(10_000u16)).map_err(io::Error::from)?;
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        let mut i = 0;
        open.retain_mut(|stream| {
            let keep = !ready[i];
            i += 1;
            if !keep {
                let mut answer = [0u8; 1];
                let _ = stream.read(&mut answer);
            }
            keep
        });
        let answered = n - u32::try_from(open.len()).unwrap_or(n);
        if let Some((pool, ms)) = hybrid {
            while handed < answered {
                pool.tasks.put([CPU, handed, ms, 0])?;
                handed += 1;
            }
        }
    }
    if let Some((pool, _)) = hybrid {
        for _ in 0..n {
            pool.next(Duration::from_secs(300))?;
        }
    }
    Ok((ms_since(started), pss))
}

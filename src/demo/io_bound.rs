//! `io-bound`: slide 11's decision table, measured. An I/O server process answers each
//! request late (after `io_ms`); `tasks` requests are made sequentially, from threads, from
//! worker processes and from one event loop, then the same count of CPU-bound tasks with
//! threads and processes. Time and memory (PSS) per model, with the winner of each workload.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use serde::Deserialize;

use super::context::Ctx;
use super::params::{Default, Kind, ParamSpec, cap_param, fits_under_cap};
use super::pool::{Pool, join};
use super::protocol::NoteLevel;
use super::unit::{DemoSpec, Unit};
use super::util::{busy_for, ms_since, reap_and_report};
use super::view::{Tone, View, count};
use crate::os::Forked;
use crate::sampler::{PlatformSource, Source};

const IO: u32 = 1;
const CPU: u32 = 2;
const MIB: f64 = 1024.0 * 1024.0;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "io-bound",
        title: "I/O-bound vs CPU-bound: threads, processes, an event loop",
        summary: "Makes many requests to a server that answers late, sequentially, from \
                  threads, from worker processes and from one event loop; then runs as many \
                  CPU-bound tasks with threads and processes. Time and memory per model fill \
                  in slide 11's decision table.",
        params: &[
            ParamSpec {
                name: "tasks",
                kind: Kind::Int { min: 1, max: 500 },
                default: Default::Int(100),
                unit: "tasks",
                meaning: "requests (and, later, CPU-bound tasks)",
            },
            ParamSpec {
                name: "io_ms",
                kind: Kind::Int { min: 1, max: 1000 },
                default: Default::Int(50),
                unit: "ms",
                meaning: "how late the server answers each request (and the CPU work per CPU task)",
            },
            ParamSpec {
                name: "workers",
                kind: Kind::Int { min: 1, max: 32 },
                default: Default::Int(8),
                unit: "processes",
                meaning: "worker processes",
            },
            ParamSpec {
                name: "threads",
                kind: Kind::Int { min: 1, max: 256 },
                default: Default::Int(32),
                unit: "threads",
                meaning: "worker threads",
            },
            ParamSpec {
                name: "hybrid",
                kind: Kind::Bool,
                default: Default::Bool(false),
                unit: "",
                meaning: "also run an event loop that hands each reply's CPU work to the processes",
            },
            cap_param(64),
        ],
        quick: &[
            ("tasks", "8"),
            ("io_ms", "20"),
            ("workers", "2"),
            ("threads", "8"),
        ],
        python: Some("demo_io_bound.py"),
        native_only: &[],
        python_only: &[],
    },
    check: |s| {
        // The workers, the I/O server and the demo itself.
        fits_under_cap(
            s.workers + 2,
            s.cap,
            &format!("workers={} with the I/O server", s.workers),
        )
    },
    run,
    child: None,
    memory: |s| u64::from(s.threads) * 8 * 1024 * 1024,
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Requests, and CPU tasks.
    pub tasks: u32,
    /// Server delay, and CPU work per task, ms.
    pub io_ms: u64,
    /// Worker processes.
    pub workers: u32,
    /// Worker threads.
    pub threads: u32,
    /// Run the hybrid too.
    pub hybrid: bool,
    /// Process cap.
    pub cap: u32,
}

/// One request: connect, ask, block until the late answer.
fn request(path: &Path) -> io::Result<()> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(b"?")?;
    let mut answer = [0u8; 1];
    stream.read_exact(&mut answer)
}

/// The server: answers each connection after `delay`, all of them at once (a thread each).
fn serve(listener: &UnixListener, delay: Duration) -> ! {
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

/// What each model measured.
#[derive(Debug, Default)]
struct Measured {
    sequential_ms: f64,
    threads_ms: f64,
    processes_ms: f64,
    async_ms: f64,
    threads_pss: f64,
    processes_pss: f64,
    async_pss: f64,
    cpu_sequential_ms: f64,
    cpu_threads_ms: f64,
    cpu_processes_ms: f64,
    hybrid_ms: f64,
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let path = std::env::temp_dir().join(format!("io-server-{}.sock", std::process::id()));
    let listener = UnixListener::bind(&path)?;
    let delay = Duration::from_millis(settings.io_ms);
    // Every fork first; threads come after.
    let server = match ctx.fork()? {
        None => return Err(io::Error::other("the process cap allows no server")),
        Some(Forked::Child) => serve(&listener, delay),
        Some(Forked::Parent(pid)) => pid,
    };
    drop(listener);
    ctx.process(server, std::process::id(), "io server");
    let work_path = path.clone();
    let pool = Pool::start(ctx, settings.workers, "pool worker", move |record, _| {
        match record[0] {
            IO => {
                let _ = request(&work_path);
            }
            _ => busy_for(Duration::from_millis(u64::from(record[2]))),
        }
        [3, record[1], 0, 0]
    })?;
    let outcome = measure(ctx, settings, &path, &pool);
    pool.stop(ctx)?;
    let _ = UnixStream::connect(&path).and_then(|mut s| s.write_all(b"q"));
    reap_and_report(ctx.out, server, "io server");
    let _ = std::fs::remove_file(&path);
    report(ctx, settings, &outcome?);
    Ok(())
}

fn measure(ctx: &Ctx, settings: &Settings, path: &Path, pool: &Pool) -> io::Result<Measured> {
    let n = settings.tasks;
    let steps = if settings.hybrid { 8 } else { 7 };
    let mut m = Measured::default();
    ctx.progress(
        format!("{}, one after another", requests(n)),
        Some(0),
        Some(steps),
    );
    let started = Instant::now();
    for _ in 0..n {
        request(path)?;
    }
    m.sequential_ms = ms_since(started);
    ctx.progress(
        format!("{} from {} threads", requests(n), settings.threads),
        Some(1),
        Some(steps),
    );
    (m.threads_ms, m.threads_pss) = on_threads(settings.threads, n, || request(path).map(drop))?;
    ctx.progress(
        format!("{} from {} processes", requests(n), settings.workers),
        Some(2),
        Some(steps),
    );
    (m.processes_ms, m.processes_pss) = on_pool(pool, IO, n, 0)?;
    ctx.progress(
        format!("{} from one event loop", requests(n)),
        Some(3),
        Some(steps),
    );
    (m.async_ms, m.async_pss) = event_loop(path, n, None)?;
    let work = Duration::from_millis(settings.io_ms);
    ctx.progress("CPU-bound tasks, one after another", Some(4), Some(steps));
    let started = Instant::now();
    for _ in 0..n {
        busy_for(work);
    }
    m.cpu_sequential_ms = ms_since(started);
    ctx.progress("CPU-bound tasks on threads", Some(5), Some(steps));
    (m.cpu_threads_ms, _) = on_threads(settings.threads, n, || {
        busy_for(work);
        Ok(())
    })?;
    ctx.progress("CPU-bound tasks on processes", Some(6), Some(steps));
    let ms = u32::try_from(settings.io_ms).unwrap_or(u32::MAX);
    (m.cpu_processes_ms, _) = on_pool(pool, CPU, n, ms)?;
    if settings.hybrid {
        ctx.progress(
            "an event loop handing the CPU work to the processes",
            Some(7),
            Some(steps),
        );
        (m.hybrid_ms, _) = event_loop(path, n, Some((pool, ms)))?;
    }
    Ok(m)
}

fn requests(n: u32) -> String {
    count(u64::from(n), "request", "requests")
}

/// PSS of this process (and `others`), MiB, read from the kernel now.
fn pss_mb(others: &[u32]) -> f64 {
    let mut source = PlatformSource::default();
    std::iter::once(std::process::id())
        .chain(others.iter().copied())
        .filter_map(|pid| source.footprint(pid))
        .map(|f| f.pss as f64 / MIB)
        .sum()
}

/// `n` jobs on `threads` OS threads; returns the time and this process's PSS while they run.
fn on_threads(
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
fn on_pool(pool: &Pool, kind: u32, n: u32, ms: u32) -> io::Result<(f64, f64)> {
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
fn event_loop(path: &Path, n: u32, hybrid: Option<(&Pool, u32)>) -> io::Result<(f64, f64)> {
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

fn report(ctx: &mut Ctx, settings: &Settings, m: &Measured) {
    for (key, value) in [
        ("sequential_ms", m.sequential_ms),
        ("threads_ms", m.threads_ms),
        ("processes_ms", m.processes_ms),
        ("async_ms", m.async_ms),
        ("threads_pss_mb", m.threads_pss),
        ("processes_pss_mb", m.processes_pss),
        ("async_pss_mb", m.async_pss),
        ("cpu_sequential_ms", m.cpu_sequential_ms),
        ("cpu_threads_ms", m.cpu_threads_ms),
        ("cpu_processes_ms", m.cpu_processes_ms),
    ] {
        ctx.result(key, value);
    }
    if settings.hybrid {
        ctx.result("hybrid_ms", m.hybrid_ms);
    }
    let io_rows = [
        ("sequential", m.sequential_ms, None),
        ("threads", m.threads_ms, Some(m.threads_pss)),
        ("processes", m.processes_ms, Some(m.processes_pss)),
        ("event loop", m.async_ms, Some(m.async_pss)),
    ];
    let cpu_rows = [
        ("sequential", m.cpu_sequential_ms, None),
        ("threads", m.cpu_threads_ms, None),
        ("processes", m.cpu_processes_ms, None),
    ];
    let mut rows = Vec::new();
    let mut tones = Vec::new();
    for (workload, set) in [("I/O-bound", &io_rows[..]), ("CPU-bound", &cpu_rows[..])] {
        let best = set.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        for (model, ms, pss) in set {
            rows.push(vec![
                (*workload).to_string(),
                (*model).to_string(),
                format!("{} ms", super::view::group(*ms, 0)),
                pss.map_or_else(String::new, |p| format!("{p:.1} MiB")),
            ]);
            tones.push(if (*ms - best).abs() < f64::EPSILON {
                Tone::Good
            } else {
                Tone::Normal
            });
        }
    }
    if settings.hybrid {
        rows.push(vec![
            "both".into(),
            "event loop + processes".into(),
            format!("{} ms", super::view::group(m.hybrid_ms, 0)),
            String::new(),
        ]);
        tones.push(Tone::Accent);
    }
    ctx.view(
        "decision",
        View::Table {
            columns: vec![
                "workload".into(),
                "model".into(),
                "time".into(),
                "memory (PSS)".into(),
            ],
            rows,
            tones,
            merge: false,
            caption: format!(
                "{} answered after {} ms each, then as many CPU tasks of {} ms; the fastest \
                 model of each workload in green",
                requests(settings.tasks),
                settings.io_ms,
                settings.io_ms
            ),
        },
    );
    ctx.headline(
        format!(
            "{} waits of {} ms: event loop {:.0} ms, threads {:.0} ms, {} processes {:.0} ms \
             ({:.1}× the memory of the threads), sequentially {:.0} ms.",
            settings.tasks,
            settings.io_ms,
            m.async_ms,
            m.threads_ms,
            settings.workers,
            m.processes_ms,
            m.processes_pss / m.threads_pss.max(1e-9),
            m.sequential_ms
        ),
        Tone::Accent,
    );
    ctx.note(
        NoteLevel::Differs,
        "Natively, threads run CPU work in parallel: there is no interpreter lock in lectern's \
         own engine. On CPython the CPU-bound threads row shows the GIL (the CPython engine \
         measures it).",
    );
}

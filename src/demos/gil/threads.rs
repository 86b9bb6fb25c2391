//! The real runs: OS threads (or processes) doing work units under the lock.

use std::io;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::lock::Gil;
use super::timeline::{State, Timeline, share};
use super::{LANE_WINDOW, Outcome, REPORT_EVERY, SLOT, Settings};
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::protocol::{Emitter, Event};
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::records::{read_record, write_record};
use crate::demo_runtime::view::Lane;
use crate::os::{self, Forked};

/// Integer steps per work unit: a few microseconds of pure CPU.
const STEPS_PER_UNIT: u64 = 2000;

/// Work units between I/O waits of an I/O thread (it holds the lock only briefly).
const IO_WORK_UNITS: u64 = 5;

/// One unit of CPU work.
fn work_unit(seed: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..STEPS_PER_UNIT {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
    }
    std::hint::black_box(x)
}

/// CPU nanoseconds this process has used, all its threads, finished ones included.
fn cpu_ns() -> u64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).map_or(0, |usage| {
        let micros = |t: nix::sys::time::TimeVal| {
            u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000
                + u64::try_from(t.tv_usec()).unwrap_or(0)
        };
        (micros(usage.user_time()) + micros(usage.system_time())) * 1000
    })
}

/// How long one measurement of the baseline lasts (it is made twice: before and after).
const BASELINE: Duration = Duration::from_millis(600);

/// Work units per second of one worker with its own lock and nobody to share it with.
pub fn calibrate(settings: &Settings) -> f64 {
    let gil = Gil::new(settings.switch);
    let units = AtomicU64::new(0);
    let start = Instant::now();
    let until = start + BASELINE;
    cpu_worker(
        0,
        Some(&gil),
        &Timeline::new(start, State::Waiting),
        &units,
        settings.check_every,
        until,
    );
    units.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// Median lock latency of one I/O thread with nobody else around, in ms.
pub fn io_alone(settings: &Settings) -> f64 {
    let gil = Gil::new(settings.switch);
    let latencies = Mutex::new(Vec::new());
    let start = Instant::now();
    io_worker(
        0,
        Some(&gil),
        &Timeline::new(start, State::Waiting),
        &latencies,
        settings.io,
        start + Duration::from_millis(600),
    );
    crate::demo_runtime::work::median(
        &latencies
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    )
}

/// A CPU-bound thread: take the lock, work, and let go only when asked (or when done).
fn cpu_worker(
    id: usize,
    gil: Option<&Gil>,
    timeline: &Timeline,
    units: &AtomicU64,
    check_every: u64,
    until: Instant,
) {
    let Some(gil) = gil else {
        timeline.set(State::Running);
        while Instant::now() < until {
            for i in 0..check_every {
                work_unit(i);
            }
            units.fetch_add(check_every, Ordering::Relaxed);
        }
        timeline.set(State::Done);
        return;
    };
    timeline.set(State::Waiting);
    gil.take(id);
    timeline.set(State::Holding);
    while Instant::now() < until {
        for i in 0..check_every {
            work_unit(i);
        }
        units.fetch_add(check_every, Ordering::Relaxed);
        if gil.drop_requested() {
            gil.release(id, true);
            timeline.set(State::Waiting);
            gil.take(id);
            timeline.set(State::Holding);
        }
    }
    gil.release(id, false);
    timeline.set(State::Done);
}

/// An I/O-bound thread: a little work under the lock, then a blocking wait without it.
fn io_worker(
    id: usize,
    gil: Option<&Gil>,
    timeline: &Timeline,
    latencies: &Mutex<Vec<f64>>,
    io: Duration,
    until: Instant,
) {
    while Instant::now() < until {
        timeline.set(State::Waiting);
        let waited = gil.map_or(Duration::ZERO, |g| g.take(id));
        latencies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(waited.as_secs_f64() * 1000.0);
        timeline.set(if gil.is_some() {
            State::Holding
        } else {
            State::Running
        });
        for i in 0..IO_WORK_UNITS {
            work_unit(i);
        }
        if let Some(gil) = gil {
            gil.release(id, false);
        }
        timeline.set(State::Io);
        std::thread::sleep(io);
    }
    timeline.set(State::Done);
}

/// Threads sharing one lock (`gil`) or none (`nogil`), lanes reported as they run.
pub fn run_threads(ctx: &Ctx, settings: &Settings) -> Outcome {
    let shared = (settings.mode == "gil").then(|| Arc::new(Gil::new(settings.switch)));
    let units = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let until = start + settings.duration;
    let cpu_before = cpu_ns();
    let mut lanes: Vec<(String, Timeline)> = Vec::new();
    let mut handles = Vec::new();
    for i in 0..settings.workers {
        let timeline = Timeline::new(start, State::Waiting);
        lanes.push((format!("thread {}", i + 1), timeline.clone()));
        let (gil, units, check) = (shared.clone(), Arc::clone(&units), settings.check_every);
        handles.push(std::thread::spawn(move || {
            cpu_worker(i, gil.as_deref(), &timeline, &units, check, until);
        }));
    }
    for i in 0..settings.io_threads {
        let timeline = Timeline::new(start, State::Waiting);
        lanes.push((format!("io {}", i + 1), timeline.clone()));
        let (gil, latencies, io) = (shared.clone(), Arc::clone(&latencies), settings.io);
        let id = settings.workers + i;
        handles.push(std::thread::spawn(move || {
            io_worker(id, gil.as_deref(), &timeline, &latencies, io, until);
        }));
    }
    while Instant::now() < until {
        std::thread::sleep(REPORT_EVERY.min(until.saturating_duration_since(Instant::now())));
        report_lanes(ctx.out, &lanes, start);
        let done = start.elapsed().as_secs_f64();
        let switches = shared.as_ref().map_or(0, |g| g.switches());
        ctx.progress(
            format!(
                "{done:.1} s: {} work units a second, {} lock switches",
                crate::demo_runtime::view::group(units.load(Ordering::Relaxed) as f64 / done, 0),
                crate::demo_runtime::view::group(switches as f64, 0)
            ),
            Some(u64::try_from(start.elapsed().as_millis() / 100).unwrap_or(0)),
            Some(settings.duration.as_secs() * 10),
        );
    }
    for handle in handles {
        let _ = handle.join();
    }
    let end = Instant::now();
    let seconds = (end - start).as_secs_f64();
    report_lanes(ctx.out, &lanes, start);
    let total = end - start;
    let shares = lanes
        .iter()
        .map(|(role, timeline)| {
            let s = timeline.shares(start, end);
            let running = share(&s, State::Holding, total) + share(&s, State::Running, total);
            (
                role.clone(),
                running,
                share(&s, State::Waiting, total),
                share(&s, State::Io, total),
            )
        })
        .collect();
    Outcome {
        units: units.load(Ordering::Relaxed),
        seconds,
        switches: shared.as_ref().map_or(0, |g| g.switches()),
        shares,
        io_latencies: latencies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
        cores_busy: (cpu_ns() - cpu_before) as f64 / 1e9 / seconds,
    }
}

fn report_lanes(out: Emitter, lanes: &[(String, Timeline)], start: Instant) {
    let now = Instant::now();
    let from = now.checked_sub(LANE_WINDOW).map_or(start, |t| t.max(start));
    let lanes = lanes
        .iter()
        .map(|(role, timeline)| Lane {
            label: role.clone(),
            states: timeline.lane(from, now, SLOT),
        })
        .collect();
    out.send(&Event::View {
        id: "lanes".into(),
        view: super::lanes_view(SLOT.as_millis() as u32, lanes),
    });
}

/// One process per worker, each with a lock of its own. Each process reports its lane and,
/// at the end, `[index, units_low, units_high, cpu_ms, holding_permille]`.
pub fn run_processes(ctx: &Ctx, settings: &Settings) -> io::Result<Outcome> {
    let (read, write) = os::inheritable_pipe()?;
    let start = Instant::now();
    let until = start + settings.duration;
    let mut children = Vec::new();
    for i in 0..settings.workers {
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => {
                let record = process_worker(i, settings, start, until);
                // A lost record shows as "a worker process never reported".
                let _ = write_record(write.as_fd(), &record);
                std::process::exit(0);
            }
            Some(Forked::Parent(pid)) => {
                let role = format!("process {}", i + 1);
                ctx.process(pid, std::process::id(), &role);
                children.push((pid, role));
            }
        }
    }
    // The baseline is over: say so, or its message stays up through the main phase.
    ctx.progress(
        format!(
            "{} working for {} s, each with an interpreter lock of its own",
            crate::demo_runtime::view::count(children.len() as u64, "process", "processes"),
            settings.duration.as_secs()
        ),
        None,
        None,
    );
    let mut outcome = Outcome::default();
    let mut cpu_ms = 0u64;
    let limit = settings.duration + Duration::from_secs(30);
    for _ in 0..children.len() {
        let Some([index, low, high, ms, holding]) = read_record::<5>(read.as_fd(), limit)? else {
            return Err(io::Error::other("a worker process never reported"));
        };
        outcome.units += u64::from(low) | (u64::from(high) << 32);
        cpu_ms += u64::from(ms);
        let role = format!("process {}", index + 1);
        outcome
            .shares
            .push((role, f64::from(holding) / 1000.0, 0.0, 0.0));
    }
    outcome.shares.sort_by(|a, b| a.0.cmp(&b.0));
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome.cores_busy = cpu_ms as f64 / 1000.0 / outcome.seconds;
    for (pid, role) in children {
        reap_and_report(ctx.out, pid, &role);
    }
    ctx.progress("all worker processes reported", None, None);
    Ok(outcome)
}

/// The body of one worker process: work under its own lock, report the lane as it goes.
fn process_worker(index: usize, settings: &Settings, start: Instant, until: Instant) -> [u32; 5] {
    let gil = Gil::new(settings.switch);
    let timeline = Timeline::new(start, State::Waiting);
    let role = format!("process {}", index + 1);
    let units = AtomicU64::new(0);
    let cpu_before = cpu_ns();
    let mut next_report = Instant::now() + REPORT_EVERY;
    while Instant::now() < until {
        let slice_end = next_report.min(until);
        cpu_worker(
            index,
            Some(&gil),
            &timeline,
            &units,
            settings.check_every,
            slice_end,
        );
        if Instant::now() >= next_report {
            report_lanes(Emitter, &[(role.clone(), timeline.clone())], start);
            next_report += REPORT_EVERY;
        }
    }
    report_lanes(Emitter, &[(role, timeline.clone())], start);
    let end = Instant::now();
    let holding = share(&timeline.shares(start, end), State::Holding, end - start);
    let done = units.load(Ordering::Relaxed);
    let cpu_ms = (cpu_ns() - cpu_before) / 1_000_000;
    [
        u32::try_from(index).unwrap_or(0),
        (done & 0xffff_ffff) as u32,
        (done >> 32) as u32,
        u32::try_from(cpu_ms).unwrap_or(u32::MAX),
        permille(holding),
    ]
}

/// A share (0–1) in thousandths, for a `u32` record.
#[expect(clippy::cast_sign_loss, reason = "the share is clamped to 0..=1 first")]
fn permille(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 1000.0).round() as u32
}

//! `deterministic=true`: the same lock protocol played out on a virtual clock, seeded, so
//! tests and recordings get identical lanes and results every time. Labelled as a simulation.

use super::{Outcome, Settings, report};
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::view::Lane;

/// Virtual microseconds one work unit takes.
const UNIT_US: u64 = 4;
/// Work units an I/O thread does between waits.
const IO_WORK_UNITS: u64 = 5;
/// Lane slot, virtual ms.
const SLOT_MS: u64 = 50;
/// Lane window, virtual ms.
const WINDOW_MS: u64 = 3000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting since `since`; the timed wait expires at `deadline`; `saved` switch number.
    Waiting {
        since: u64,
        deadline: u64,
        saved: u64,
    },
    Holding,
    /// In I/O until the given time.
    Io(u64),
}

#[derive(Debug)]
struct Thread {
    io: bool,
    phase: Phase,
    units: u64,
    /// (virtual µs, lane symbol) changes.
    changes: Vec<(u64, char)>,
    latencies: Vec<f64>,
    holding_us: u64,
    waiting_us: u64,
    io_us: u64,
}

impl Thread {
    fn set(&mut self, at: u64, symbol: char) {
        if self.changes.last().is_none_or(|(_, s)| *s != symbol) {
            self.changes.push((at, symbol));
        }
    }
}

/// A small seeded generator (SplitMix64): reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// Runs the simulation and reports like a real run.
pub fn run(ctx: &mut Ctx, settings: &Settings) {
    ctx.simulated();
    ctx.note(
        NoteLevel::Simulated,
        format!(
            "deterministic=true: a simulation of the lock protocol on a virtual clock (seed {}), \
             for tests and recordings. Nothing in this run was measured.",
            settings.seed
        ),
    );
    let (threads, switches) = simulate(settings);
    let duration_us = settings.duration.as_micros() as u64;
    let lanes = threads
        .iter()
        .enumerate()
        .map(|(i, thread)| Lane {
            label: role(settings, i),
            states: lane(thread, duration_us),
        })
        .collect();
    ctx.view("lanes", super::lanes_view(SLOT_MS as u32, lanes));
    let seconds = settings.duration.as_secs_f64();
    let total_us = duration_us as f64;
    let outcome = Outcome {
        units: threads.iter().filter(|t| !t.io).map(|t| t.units).sum(),
        seconds,
        switches,
        shares: threads
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    role(settings, i),
                    t.holding_us as f64 / total_us,
                    t.waiting_us as f64 / total_us,
                    t.io_us as f64 / total_us,
                )
            })
            .collect(),
        io_latencies: threads
            .iter()
            .filter(|t| t.io)
            .flat_map(|t| t.latencies.clone())
            .collect(),
        cores_busy: threads.iter().map(|t| t.holding_us as f64).sum::<f64>() / total_us,
    };
    let base_rate = 1e6 / UNIT_US as f64;
    let io_alone = (settings.io_threads > 0).then_some(0.0);
    ctx.result("deterministic", true);
    report(ctx, settings, &outcome, base_rate, io_alone);
}

fn role(settings: &Settings, i: usize) -> String {
    match (i < settings.workers, settings.mode.as_str()) {
        (true, "processes") => format!("process {}", i + 1),
        (true, _) => format!("thread {}", i + 1),
        (false, _) => format!("io {}", i - settings.workers + 1),
    }
}

/// Plays the protocol out. Without a shared lock every thread runs on its own core.
fn simulate(settings: &Settings) -> (Vec<Thread>, u64) {
    let count = settings.workers + settings.io_threads;
    let interval = settings.switch.as_micros() as u64;
    let threads: Vec<Thread> = (0..count)
        .map(|i| Thread {
            io: i >= settings.workers,
            phase: Phase::Waiting {
                since: 0,
                deadline: interval,
                saved: 0,
            },
            units: 0,
            changes: vec![(0, 'W')],
            latencies: Vec::new(),
            holding_us: 0,
            waiting_us: 0,
            io_us: 0,
        })
        .collect();
    let mut sim = Sim {
        threads,
        now: 0,
        end: settings.duration.as_micros() as u64,
        interval,
        io_us: settings.io.as_micros() as u64,
        slice: settings.check_every.max(1) * UNIT_US,
        rng: Rng(settings.seed),
        holder: None,
        last_holder: None,
        switch_number: 0,
        drop_request: false,
        switches: 0,
        forced_out: None,
    };
    if settings.mode == "gil" {
        while sim.now < sim.end {
            sim.expire_waits();
            sim.finish_io();
            sim.hand_over();
            sim.advance();
        }
    } else {
        sim.run_unshared();
    }
    (sim.threads, sim.switches)
}

/// The simulation's state: threads, the virtual clock and the lock.
struct Sim {
    threads: Vec<Thread>,
    now: u64,
    end: u64,
    interval: u64,
    io_us: u64,
    slice: u64,
    rng: Rng,
    holder: Option<usize>,
    last_holder: Option<usize>,
    switch_number: u64,
    drop_request: bool,
    switches: u64,
    /// Forced switching: a holder that let go on request does not get the lock straight back.
    forced_out: Option<usize>,
}

impl Sim {
    /// No shared lock: every worker runs all the time; I/O threads never queue.
    fn run_unshared(&mut self) {
        let end = self.end;
        let cycle = IO_WORK_UNITS * UNIT_US + self.io_us;
        for t in &mut self.threads {
            t.changes = vec![(0, 'R')];
            if t.io {
                let cycles = end / cycle.max(1);
                t.holding_us = cycles * IO_WORK_UNITS * UNIT_US;
                t.io_us = end - t.holding_us;
                t.latencies = vec![0.0; usize::try_from(cycles).unwrap_or(0)];
            } else {
                t.units = end / UNIT_US;
                t.holding_us = end;
            }
        }
    }

    /// Timed waits that expire ask for a drop if nobody switched meanwhile.
    fn expire_waits(&mut self) {
        for t in &mut self.threads {
            if let Phase::Waiting {
                since,
                deadline,
                saved,
            } = t.phase
                && deadline <= self.now
            {
                if self.holder.is_some() && self.switch_number == saved {
                    self.drop_request = true;
                }
                t.phase = Phase::Waiting {
                    since,
                    deadline: deadline + self.interval,
                    saved: self.switch_number,
                };
            }
        }
    }

    /// I/O that finishes: back to waiting for the lock.
    fn finish_io(&mut self) {
        let (now, interval, saved) = (self.now, self.interval, self.switch_number);
        for t in &mut self.threads {
            if let Phase::Io(until) = t.phase
                && until <= now
            {
                t.phase = Phase::Waiting {
                    since: now,
                    deadline: now + interval,
                    saved,
                };
                t.set(now, 'W');
            }
        }
    }

    /// A free lock goes to one waiter; which one is up to the scheduler (the seed).
    fn hand_over(&mut self) {
        if self.holder.is_some() {
            return;
        }
        let mut waiters: Vec<usize> = (0..self.threads.len())
            .filter(|&i| matches!(self.threads[i].phase, Phase::Waiting { .. }))
            .collect();
        if waiters.len() > 1 {
            waiters.retain(|&i| Some(i) != self.forced_out);
        }
        self.forced_out = None;
        if waiters.is_empty() {
            return;
        }
        let chosen = waiters[usize::try_from(self.rng.below(waiters.len() as u64)).unwrap_or(0)];
        if let Phase::Waiting { since, .. } = self.threads[chosen].phase {
            self.threads[chosen]
                .latencies
                .push((self.now - since) as f64 / 1000.0);
        }
        if self.last_holder != Some(chosen) {
            self.switch_number += 1;
            self.switches += 1;
            self.last_holder = Some(chosen);
        }
        self.drop_request = false;
        self.holder = Some(chosen);
        self.threads[chosen].phase = Phase::Holding;
        self.threads[chosen].set(self.now, 'H');
        // The others wake, see the lock taken and start a fresh timed wait.
        let (deadline, saved) = (self.now + self.interval, self.switch_number);
        for t in &mut self.threads {
            if let Phase::Waiting { since, .. } = t.phase {
                t.phase = Phase::Waiting {
                    since,
                    deadline,
                    saved,
                };
            }
        }
    }

    /// The holder runs one slice (an I/O thread its short burst), then checks for a request.
    fn advance(&mut self) {
        let step = match self.holder {
            Some(h) if self.threads[h].io => IO_WORK_UNITS * UNIT_US,
            Some(_) => self.slice,
            None => next_event(&self.threads, self.now, self.end) - self.now,
        }
        .max(1)
        .min(self.end - self.now);
        for t in &mut self.threads {
            match t.phase {
                Phase::Holding => t.holding_us += step,
                Phase::Waiting { .. } => t.waiting_us += step,
                Phase::Io(_) => t.io_us += step,
            }
        }
        self.now += step;
        let Some(h) = self.holder else { return };
        let now = self.now;
        let jitter = self.rng.below(self.io_us / 5 + 1);
        let t = &mut self.threads[h];
        if t.io {
            t.units += IO_WORK_UNITS;
            t.phase = Phase::Io(now + self.io_us + jitter);
            t.set(now, 'I');
            self.holder = None;
        } else {
            t.units += step / UNIT_US;
            if self.drop_request {
                t.phase = Phase::Waiting {
                    since: now,
                    deadline: now + self.interval,
                    saved: self.switch_number,
                };
                t.set(now, 'W');
                self.holder = None;
                self.forced_out = Some(h);
            }
        }
    }
}

/// The next time something happens when nobody holds the lock.
fn next_event(threads: &[Thread], now: u64, end: u64) -> u64 {
    threads
        .iter()
        .filter_map(|t| match t.phase {
            Phase::Io(until) => Some(until),
            Phase::Waiting { deadline, .. } => Some(deadline),
            Phase::Holding => None,
        })
        .filter(|&t| t > now)
        .min()
        .unwrap_or(end)
}

/// The last window of a thread's changes as lane characters.
fn lane(thread: &Thread, end_us: u64) -> String {
    let window = (WINDOW_MS * 1000).min(end_us);
    let from = end_us - window;
    let slot = SLOT_MS * 1000;
    (0..window / slot)
        .map(|k| {
            let at = from + k * slot + slot / 2;
            thread
                .changes
                .iter()
                .rev()
                .find(|(t, _)| *t <= at)
                .map_or('W', |(_, s)| *s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn settings(mode: &str, workers: usize, io_threads: usize) -> Settings {
        Settings {
            mode: mode.into(),
            workers,
            duration: Duration::from_secs(2),
            switch: Duration::from_millis(5),
            check_every: 100,
            io_threads,
            io: Duration::from_millis(5),
            seed: 7,
            deterministic: true,
        }
    }

    #[test]
    fn under_one_lock_two_threads_share_one_core() {
        let (threads, switches) = simulate(&settings("gil", 2, 0));
        let held: u64 = threads.iter().map(|t| t.holding_us).sum();
        assert!(
            held <= 2_000_000,
            "never more than one holder at a time: {held}"
        );
        assert!(switches > 100, "they take turns: {switches}");
        let units: u64 = threads.iter().map(|t| t.units).sum();
        let alone = 2_000_000 / UNIT_US;
        assert!(
            units <= alone,
            "two threads under one lock do no more than one alone"
        );
    }

    #[test]
    fn without_a_shared_lock_every_worker_runs() {
        let (threads, _) = simulate(&settings("processes", 3, 0));
        let units: u64 = threads.iter().map(|t| t.units).sum();
        assert_eq!(units, 3 * 2_000_000 / UNIT_US);
    }

    #[test]
    fn an_io_thread_beside_a_cpu_thread_waits_about_an_interval_per_operation() {
        let (threads, _) = simulate(&settings("gil", 1, 1));
        let io = threads.iter().find(|t| t.io).unwrap();
        let median = crate::demo_runtime::work::median(&io.latencies);
        assert!(
            (4.0..=6.0).contains(&median),
            "convoy latency {median} ms, interval 5 ms"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_run() {
        let a = simulate(&settings("gil", 3, 1));
        let b = simulate(&settings("gil", 3, 1));
        let lanes = |t: &Vec<Thread>| t.iter().map(|t| lane(t, 2_000_000)).collect::<Vec<_>>();
        assert_eq!(lanes(&a.0), lanes(&b.0));
        assert_eq!(a.1, b.1);
    }
}

//! A chunksize sweep: the sequential run and one map per chunksize, repeated in rounds until
//! the run is long enough to watch, with medians shown as they come and the results, headline
//! and slide captions at the end.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::map_pool::{MAX_AUTO_ROUNDS, PACE, SWEEP, Settings, map, python_default};
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::view::{Bar, Tone, View, count};
use crate::demo_runtime::work::{busy_for, median};

/// How many rounds make the run last about [`PACE`], given one round took `one`.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the ratio is positive and clamped to a few dozen"
)]
pub fn pace(ctx: &Ctx, one: Duration) -> u32 {
    let wanted = (PACE.as_secs_f64() / one.as_secs_f64().max(1e-3))
        .ceil()
        .min(1000.0);
    let rounds = (wanted as u32).clamp(1, MAX_AUTO_ROUNDS);
    if rounds > 1 {
        ctx.note(
            NoteLevel::Info,
            format!(
                "One sweep took {:.0} ms, too fast to watch: it runs {rounds} times, and each \
                 time shown is the median of the rounds (rounds=N sets it).",
                one.as_secs_f64() * 1000.0
            ),
        );
    }
    rounds
}

/// The chunksizes of a sweep and every time measured so far.
pub struct Sweep {
    /// Name (for result keys) and chunksize; the sequential run is not among them.
    sizes: Vec<(String, u32)>,
    /// Per round: the sequential time, then one time per chunksize.
    times: Vec<Vec<f64>>,
    /// Task and result messages of one map per chunksize (the same every round).
    messages: Vec<(u64, u64)>,
}

impl Sweep {
    pub fn new(default: u32) -> Self {
        let sizes: Vec<(String, u32)> = SWEEP
            .iter()
            .map(|c| (c.to_string(), *c))
            .chain([("default".to_string(), default)])
            .collect();
        Self {
            messages: vec![(0, 0); sizes.len()],
            sizes,
            times: Vec::new(),
        }
    }

    /// The median so far of column `i` (0: sequential).
    fn median(&self, i: usize) -> f64 {
        let column: Vec<f64> = self
            .times
            .iter()
            .filter_map(|r| r.get(i).copied())
            .collect();
        median(&column)
    }

    /// One round: the tasks sequentially, then one map per chunksize.
    pub fn round(
        &mut self,
        ctx: &Ctx,
        settings: &Settings,
        chunks: &Arc<Queue>,
        results: &Queue,
        (round, rounds): (u32, u32),
    ) -> io::Result<()> {
        let Settings { tasks, task_us, .. } = *settings;
        let steps = (self.sizes.len() + 1) as u64;
        let done = u64::from(round - 1) * steps;
        let of = u64::from(rounds) * steps;
        let prefix = if rounds > 1 {
            format!("round {round} of {rounds}: ")
        } else {
            String::new()
        };
        ctx.progress(
            format!(
                "{prefix}{} of {task_us} µs sequentially, in this process",
                count(u64::from(tasks), "task", "tasks")
            ),
            Some(done),
            Some(of),
        );
        let started = Instant::now();
        for _ in 0..tasks {
            busy_for(Duration::from_micros(task_us));
        }
        self.times
            .push(vec![started.elapsed().as_secs_f64() * 1000.0]);
        self.show(ctx);
        for i in 0..self.sizes.len() {
            let size = self.sizes[i].1;
            ctx.progress(
                format!(
                    "{prefix}chunksize {size}: mapping {}",
                    count(u64::from(tasks), "task", "tasks")
                ),
                Some(done + 1 + i as u64),
                Some(of),
            );
            let (ms, sent, received) = map(chunks, results, tasks, size)?;
            self.messages[i] = (sent, received);
            if let Some(row) = self.times.last_mut() {
                row.push(ms);
            }
            self.show(ctx);
        }
        Ok(())
    }

    /// The bars: medians so far.
    fn show(&self, ctx: &Ctx) {
        let sequential = self.median(0);
        let mut bars = vec![Bar {
            label: "sequential".into(),
            value: sequential,
            detail: "no messages".into(),
            tone: Tone::Muted,
        }];
        let measured = self.times.first().map_or(0, |r| r.len().saturating_sub(1));
        for (i, (name, size)) in self.sizes.iter().enumerate().take(measured) {
            let ms = self.median(i + 1);
            let speedup = sequential / ms;
            bars.push(Bar {
                label: if name == "default" {
                    format!("default ({size})")
                } else {
                    format!("chunksize {size}")
                },
                value: ms,
                detail: format!(
                    "{} · {speedup:.2}×",
                    count(self.messages[i].0, "message", "messages")
                ),
                tone: if speedup < 1.0 {
                    Tone::Warn
                } else {
                    Tone::Good
                },
            });
        }
        show_bars(ctx, &bars);
    }

    /// Results, headline, and where the run disagrees with the slides.
    pub fn report(&self, ctx: &mut Ctx, settings: &Settings, rounds: u32) {
        let sequential = self.median(0);
        ctx.result("sequential_ms", sequential);
        ctx.result("rounds", i64::from(rounds));
        let mut best: Option<(u32, f64)> = None;
        for (i, (name, size)) in self.sizes.iter().enumerate() {
            let ms = self.median(i + 1);
            let (sent, received) = self.messages[i];
            ctx.result(&format!("time_ms_cs{name}"), ms);
            ctx.result(&format!("messages_cs{name}"), sent as f64);
            ctx.result(&format!("result_messages_cs{name}"), received as f64);
            ctx.result(&format!("speedup_cs{name}"), sequential / ms);
            if best.is_none_or(|(_, fastest)| ms < fastest) {
                best = Some((*size, ms));
            }
        }
        if let Some((size, ms)) = best {
            headline(ctx, settings, size, sequential / ms);
            differs(ctx, settings, self, sequential / ms);
        }
    }
}

/// Where this run disagrees with what the slides say, and why.
fn differs(ctx: &Ctx, settings: &Settings, sweep: &Sweep, best_speedup: f64) {
    let Settings {
        workers,
        tasks,
        task_us,
        ..
    } = *settings;
    let default = python_default(tasks, workers);
    if default > 1 {
        let messages = sweep.messages.last().map_or(0, |m| m.0);
        ctx.note(
            NoteLevel::Differs,
            format!(
                "map does not send one item per message by default: Python's Pool.map picks \
                 chunksize ceil(n / (4 × workers)) = {default} here, so the default sent {}. \
                 One item per message is what imap and apply_async do (chunksize=1).",
                count(messages, "message", "messages")
            ),
        );
    }
    if task_us <= 10 && best_speedup >= 1.0 {
        ctx.note(
            NoteLevel::Differs,
            format!(
                "The pool still beat sequential on {task_us} µs tasks: lectern's native messages \
                 are 16-byte records with no pickling and no feeder thread, far cheaper than \
                 CPython's. Where each message carries one task (chunksize 1, {:.2}×) the cost \
                 shows.",
                sweep.median(0) / sweep.median(1)
            ),
        );
    }
}

fn headline(ctx: &Ctx, settings: &Settings, size: u32, speedup: f64) {
    let Settings {
        workers,
        tasks,
        task_us,
        ..
    } = *settings;
    let (text, tone) = if speedup >= 1.0 {
        (
            format!(
                "Fastest: chunksize {size}, {speedup:.2}× sequential with {}; chunksize 1 \
                 sent {}.",
                count(u64::from(workers), "worker", "workers"),
                count(u64::from(tasks), "task message", "task messages")
            ),
            Tone::Good,
        )
    } else {
        (
            format!(
                "No chunksize beat sequential: tasks of {task_us} µs cost less than sending \
                 them (best: chunksize {size}, {speedup:.2}×)."
            ),
            Tone::Warn,
        )
    };
    ctx.headline(text, tone);
}

fn show_bars(ctx: &Ctx, bars: &[Bar]) {
    ctx.view(
        "times",
        View::Bars {
            unit: "ms".into(),
            bars: bars.to_vec(),
            max: None,
            caption: "wall time per map by chunksize; messages counted as they crossed the \
                      queue; × = speedup over sequential"
                .into(),
        },
    );
}

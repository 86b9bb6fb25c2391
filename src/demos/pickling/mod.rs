//! `pickling`: what crossing a process boundary costs. A payload of `size_mb` is serialized,
//! sent through a pipe (what a queue is underneath) to a worker process and deserialized there,
//! each phase timed, and the copies are counted from memory: each process's peak resident size
//! over the phase, divided by the payload. Then the same data through shared memory: no copy,
//! and the worker sees the parent's writes.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::machine::{OwnMemory, own_memory, reset_peak};
use crate::demo_runtime::params::{Default, Kind, ParamSpec, cap_param};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::records::{read_record, write_record};
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit, no_check};
use crate::demo_runtime::view::{Bar, Tone, View};
use crate::demo_runtime::work::ms_since;
use crate::os::{self, Forked, SharedMemory};

mod payload;

use payload::{Decoded, Payload, checksum};

/// Commands and replies between the parent and the worker.
const STOP: u32 = 0;
const QUEUE: u32 = 1;
const RECEIVED: u32 = 2;
const DECODED: u32 = 3;
const SHARED: u32 = 4;
const SHARED_SEEN: u32 = 5;
const CHANGED: u32 = 6;
const CHANGE_SEEN: u32 = 7;

/// How long the worker may take to answer.
const PATIENCE: Duration = Duration::from_secs(120);

const MIB: u64 = 1024 * 1024;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "pickling",
        title: "Crossing a process boundary: copies vs shared memory",
        summary: "Sends a payload to a worker process through a pipe (serialize, transfer, \
                  deserialize, each timed) and counts the copies from the processes' peak \
                  memory; then shares the same data through shared memory, with no copy.",
        params: &[
            ParamSpec {
                name: "size_mb",
                kind: Kind::Int { min: 1, max: 4096 },
                default: Default::Int(32),
                unit: "MiB",
                meaning: "size of the payload",
            },
            ParamSpec {
                name: "kind",
                kind: Kind::Choice(&["bytes", "ints", "floats"]),
                default: Default::Choice("bytes"),
                unit: "",
                meaning: "raw bytes, a list of small integers, or an array of floats",
            },
            cap_param(8),
        ],
        quick: &[("size_mb", "4")],
        results: &[
            "copies_queue",
            "copies_receiver",
            "copies_sender",
            "copies_shm",
            "deserialize_ms",
            "intact",
            "payload_mb",
            "serialize_ms",
            "shm_ms",
            "shm_sees_writes",
            "transfer_ms",
        ],
        python: Some("demo_pickling.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: true,
    },
    check: no_check,
    run,
    child: None,
    // The original, the serialized message, the worker's buffer and its decoded copy, and
    // the shared mapping: about five payloads at the peak, with room to spare.
    memory: |s| s.size_mb * MIB * 6,
    estimate: |s| seconds(0.2 + s.size_mb as f64 * if s.kind == "ints" { 0.03 } else { 0.01 }),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Payload size, MiB.
    pub size_mb: u64,
    /// `bytes`, `ints` or `floats`.
    pub kind: String,
}

fn kind_code(kind: &str) -> u32 {
    match kind {
        "ints" => 1,
        "floats" => 2,
        _ => 0,
    }
}

/// A non-negative count in thousandths, for a `u32` record.
#[expect(
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation,
    reason = "clamped to what a u32 holds first"
)]
fn milli(value: f64) -> u32 {
    (value * 1000.0).clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Pipes between the parent and the worker.
struct Pipes {
    commands: (OwnedFd, OwnedFd),
    replies: (OwnedFd, OwnedFd),
    data: (OwnedFd, OwnedFd),
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let pipes = Pipes {
        commands: os::inheritable_pipe()?,
        replies: os::inheritable_pipe()?,
        data: os::inheritable_pipe()?,
    };
    // Named after the run, so lectern removes it even if the run is killed mid-way.
    let run_id = std::env::var("LECTERN_RUN_ID")
        .unwrap_or_else(|_| format!("lectern-{}", std::process::id()));
    let shm_name = format!("/{run_id}-pickling");
    // The worker first, so it does not inherit the payload.
    let worker = match ctx.fork()? {
        None => return Err(io::Error::other("the process cap allows no worker")),
        Some(Forked::Child) => worker_main(&pipes, &shm_name),
        Some(Forked::Parent(pid)) => pid,
    };
    ctx.process(worker, std::process::id(), "worker");
    let outcome = measure(ctx, settings, &pipes, &shm_name);
    let _ = write_record(pipes.commands.1.as_fd(), &[STOP, 0, 0, 0]);
    SharedMemory::unlink(&shm_name);
    reap_and_report(ctx.out, worker, "worker");
    outcome
}

fn measure(ctx: &mut Ctx, settings: &Settings, pipes: &Pipes, shm_name: &str) -> io::Result<()> {
    let size = settings.size_mb * MIB;
    ctx.progress(
        format!(
            "the parent builds {} MiB of {}",
            settings.size_mb, settings.kind
        ),
        Some(0),
        Some(4),
    );
    let payload = Payload::new(&settings.kind, size);
    // Peak memory from here on: the original is already counted in the baseline.
    let peak_reset = reset_peak().is_ok();
    let base = own_memory();
    ctx.progress("serializing", Some(1), Some(4));
    let started = Instant::now();
    let wire = payload.serialize();
    let serialize_ms = ms_since(started);
    let len = wire.len() as u64;
    ctx.progress(
        format!("sending {} MiB through the pipe", len / MIB),
        Some(2),
        Some(4),
    );
    let started = Instant::now();
    write_record(
        pipes.commands.1.as_fd(),
        &[
            QUEUE,
            len as u32,
            (len >> 32) as u32,
            kind_code(&settings.kind),
        ],
    )?;
    write_all(&pipes.data.1, &wire)?;
    expect(pipes, RECEIVED)?;
    let transfer_ms = ms_since(started);
    let sender = extra_copies(&base, &own_memory(), len);
    let [_, deserialize_us, worker_sum, receiver_milli] = expect(pipes, DECODED)?;
    let intact = worker_sum == Decoded::from_wire(kind_code(&settings.kind), &wire).checksum();
    drop(wire);
    drop(payload);
    let receiver = f64::from(receiver_milli) / 1000.0;

    ctx.progress("the same data through shared memory", Some(3), Some(4));
    let (shm_ms, copies_shm, sees_writes) = through_shared_memory(pipes, shm_name, size)?;
    let results = Outcome {
        payload_mb: len as f64 / MIB as f64,
        serialize_ms,
        transfer_ms,
        deserialize_ms: f64::from(deserialize_us) / 1000.0,
        sender,
        receiver,
        copies_shm,
        shm_ms,
        sees_writes,
        intact,
    };
    results.report(ctx, settings);
    if !peak_reset {
        ctx.note(
            NoteLevel::Warn,
            "This kernel would not reset the peak memory (/proc/self/clear_refs): the copies \
             are counted from the processes' start, so they may read high.",
        );
    }
    Ok(())
}

/// Copies of `len` bytes a process made since `base`, from its peak resident memory.
fn extra_copies(base: &OwnMemory, now: &OwnMemory, len: u64) -> f64 {
    now.peak.saturating_sub(base.rss) as f64 / len.max(1) as f64
}

fn through_shared_memory(pipes: &Pipes, name: &str, size: u64) -> io::Result<(f64, f64, bool)> {
    let len = usize::try_from(size).map_err(io::Error::other)?;
    let before = own_memory();
    let mut shared = SharedMemory::create(name, len)?;
    // The data is made where it will be shared: no private copy exists at all.
    for (i, byte) in shared.bytes_mut().iter_mut().enumerate() {
        *byte = (i % 251) as u8;
    }
    let sum = checksum(shared.bytes());
    let started = Instant::now();
    write_record(
        pipes.commands.1.as_fd(),
        &[SHARED, size as u32, (size >> 32) as u32, 0],
    )?;
    let [_, seen_sum, receiver_private_kib, _] = expect(pipes, SHARED_SEEN)?;
    let shm_ms = ms_since(started);
    // A write after the fact: the worker must see it, as one memory.
    shared.bytes_mut()[0] = 0xAB;
    write_record(pipes.commands.1.as_fd(), &[CHANGED, 0, 0, 0])?;
    let [_, seen_byte, ..] = expect(pipes, CHANGE_SEEN)?;
    let sender_private = own_memory().private.saturating_sub(before.private);
    let copies = (sender_private + u64::from(receiver_private_kib) * 1024) as f64 / size as f64;
    Ok((shm_ms, copies, seen_sum == sum && seen_byte == 0xAB))
}

/// What a run found.
struct Outcome {
    payload_mb: f64,
    serialize_ms: f64,
    transfer_ms: f64,
    deserialize_ms: f64,
    sender: f64,
    receiver: f64,
    copies_shm: f64,
    shm_ms: f64,
    sees_writes: bool,
    intact: bool,
}

impl Outcome {
    fn report(&self, ctx: &mut Ctx, settings: &Settings) {
        let queue = self.sender + self.receiver;
        ctx.result("payload_mb", self.payload_mb);
        ctx.result("serialize_ms", self.serialize_ms);
        ctx.result("transfer_ms", self.transfer_ms);
        ctx.result("deserialize_ms", self.deserialize_ms);
        ctx.result("copies_queue", queue);
        ctx.result("copies_sender", self.sender);
        ctx.result("copies_receiver", self.receiver);
        ctx.result("copies_shm", self.copies_shm);
        ctx.result("shm_ms", self.shm_ms);
        ctx.result("shm_sees_writes", self.sees_writes);
        ctx.result("intact", self.intact);
        let bar = |label: &str, value: f64, detail: &str, tone| Bar {
            label: label.into(),
            value,
            detail: detail.into(),
            tone,
        };
        ctx.view(
            "copies",
            View::Bars {
                unit: "copies".into(),
                bars: vec![
                    bar(
                        "through a pipe",
                        queue,
                        "serialize, pipe, deserialize",
                        Tone::Warn,
                    ),
                    bar(
                        "shared memory",
                        self.copies_shm,
                        "one buffer, both processes",
                        Tone::Good,
                    ),
                ],
                max: None,
                caption: "payload-sized copies beyond the original, counted from each \
                          process's peak memory (shared memory: from private memory)"
                    .into(),
            },
        );
        ctx.view(
            "phases",
            View::Bars {
                unit: "ms".into(),
                bars: vec![
                    bar("serialize", self.serialize_ms, "in the parent", Tone::Warn),
                    bar("transfer", self.transfer_ms, "through the pipe", Tone::Warn),
                    bar(
                        "deserialize",
                        self.deserialize_ms,
                        "in the worker",
                        Tone::Warn,
                    ),
                    bar(
                        "shared memory",
                        self.shm_ms,
                        "worker reads it in place",
                        Tone::Good,
                    ),
                ],
                max: None,
                caption: String::new(),
            },
        );
        ctx.headline(
            format!(
                "Through a pipe the {:.0} MiB payload ({}) was copied {queue:.1} times ({:.1} in \
                 the sender, {:.1} in the worker); through shared memory {:.1} times.",
                self.payload_mb, settings.kind, self.sender, self.receiver, self.copies_shm
            ),
            Tone::Accent,
        );
        if settings.kind == "ints" {
            ctx.note(
                NoteLevel::Info,
                format!(
                    "Small integers travel as {:.1} MiB of variable-length bytes but live as \
                     8-byte values on each side: the decoded list in the worker is several times \
                     the size of what crossed.",
                    self.payload_mb
                ),
            );
        }
        if !self.intact || !self.sees_writes {
            ctx.note(
                NoteLevel::Warn,
                "The worker's checksum did not match what the parent sent.",
            );
        }
    }
}

fn write_all(fd: &OwnedFd, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::from(fd.try_clone()?);
    file.write_all(bytes)?;
    file.flush()
}

/// The worker's next reply, which must be `kind`.
fn expect(pipes: &Pipes, kind: u32) -> io::Result<[u32; 4]> {
    match read_record::<4>(pipes.replies.0.as_fd(), PATIENCE)? {
        Some(reply) if reply[0] == kind => Ok(reply),
        Some(reply) => Err(io::Error::other(format!(
            "the worker answered {} instead of {kind}",
            reply[0]
        ))),
        None => Err(io::Error::other("the worker stopped answering")),
    }
}

/// The worker: receive, decode, check; map the shared memory and read it in place.
fn worker_main(pipes: &Pipes, shm_name: &str) -> ! {
    let reply = |values: [u32; 4]| {
        if write_record(pipes.replies.1.as_fd(), &values).is_err() {
            std::process::exit(1);
        }
    };
    let mut data = match pipes.data.0.try_clone() {
        Ok(fd) => std::fs::File::from(fd),
        Err(_) => std::process::exit(1),
    };
    let mut shared: Option<SharedMemory> = None;
    loop {
        let Ok(Some([command, low, high, kind])) =
            read_record::<4>(pipes.commands.0.as_fd(), Duration::from_secs(3600))
        else {
            std::process::exit(1)
        };
        let len = usize::try_from(u64::from(low) | (u64::from(high) << 32)).unwrap_or(0);
        match command {
            QUEUE => {
                let _ = reset_peak();
                let base = own_memory();
                let mut buffer = vec![0u8; len];
                if data.read_exact(&mut buffer).is_err() {
                    std::process::exit(1);
                }
                reply([RECEIVED, 0, 0, 0]);
                let started = Instant::now();
                let decoded = Decoded::from_wire(kind, &buffer);
                let us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                let copies = extra_copies(&base, &own_memory(), len as u64);
                let sum = decoded.checksum();
                reply([DECODED, us, sum, milli(copies)]);
            }
            SHARED => {
                let shared_base = own_memory().private;
                match SharedMemory::open(shm_name, len) {
                    Ok(map) => {
                        let sum = checksum(map.bytes());
                        let private = own_memory().private.saturating_sub(shared_base);
                        shared = Some(map);
                        reply([SHARED_SEEN, sum, (private / 1024) as u32, 0]);
                    }
                    Err(_) => reply([SHARED_SEEN, 0, 0, 0]),
                }
            }
            CHANGED => {
                let byte = shared.as_ref().map_or(0, |m| u32::from(m.bytes()[0]));
                reply([CHANGE_SEEN, byte, 0, 0]);
            }
            _ => {
                drop(shared.take());
                std::process::exit(0);
            }
        }
    }
}

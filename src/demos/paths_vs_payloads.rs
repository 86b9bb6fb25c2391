//! `paths-vs-payloads`: send file paths, not their contents. `files` files are written to a
//! private temporary directory and checksummed three ways: sequentially, by a pool whose
//! workers get the paths and read the files themselves, and by the same pool getting the
//! contents through its queue. Bytes that crossed the queue are counted as they cross, and the
//! parent's peak memory is read from the kernel.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::demo_runtime::view::count;
use crate::demo_runtime::context::Ctx;
use crate::demo_runtime::ipc::Queue;
use crate::demo_runtime::machine::{own_memory, reset_peak};
use crate::demo_runtime::params::{
    Default, Kind, POOL_WORKERS, ParamSpec, cap_param, fits_under_cap,
};
use crate::demo_runtime::protocol::NoteLevel;
use crate::demo_runtime::reap::reap_and_report;
use crate::demo_runtime::unit::{seconds, DemoSpec, Unit};
use crate::demo_runtime::view::{Bar, Tone, View};
use crate::demo_runtime::work::ms_since;
use crate::os::Forked;

const PATH: u32 = 1;
const DATA: u32 = 2;
const STOP: u32 = 3;
const MIB: u64 = 1024 * 1024;

/// The demo unit.
pub static DEMO: Unit<Settings> = Unit {
    spec: DemoSpec {
        name: "paths-vs-payloads",
        title: "Send file paths, not their contents",
        summary: "Writes files to a private temporary directory and checksums them \
                  sequentially, with a pool that gets the paths and reads the files itself, and \
                  with the same pool getting the contents through its queue; counts the bytes \
                  that crossed and the parent's peak memory.",
        params: &[
            ParamSpec {
                name: "files",
                kind: Kind::Int { min: 1, max: 64 },
                default: Default::Int(8),
                unit: "files",
                meaning: "files to process",
            },
            ParamSpec {
                name: "file_mb",
                kind: Kind::Int { min: 1, max: 512 },
                default: Default::Int(16),
                unit: "MiB",
                meaning: "size of each file",
            },
            ParamSpec {
                name: "work_ms",
                kind: Kind::Int { min: 0, max: 1000 },
                default: Default::Int(1),
                unit: "ms per MiB",
                meaning: "CPU work per MiB of a file, besides its checksum (decoding a frame, say)",
            },
            POOL_WORKERS,
            cap_param(64),
        ],
        quick: &[
            ("files", "4"),
            ("file_mb", "2"),
            ("workers", "2"),
            ("work_ms", "1"),
        ],
        results: &[
            "files",
            "ipc_bytes_paths",
            "ipc_bytes_payloads",
            "parent_peak_mb_paths",
            "parent_peak_mb_payloads",
            "paths_ms",
            "payloads_ms",
            "sequential_ms",
            "speedup_paths",
            "speedup_payloads",
            "total_mb",
            "workers",
        ],
        python: Some("demo_paths_vs_payloads.py"),
        native_only: &[],
        python_only: &[],
        python_results: &[],
        about_memory: true,
    },
    check: |s| fits_under_cap(s.workers + 1, s.cap, &format!("workers={}", s.workers)),
    run,
    child: None,
    // The parent holds one file's contents at a time, each worker one more, and the pipe some.
    memory: |s| s.file_mb * MIB * u64::from(s.workers + 3),
    estimate: |s| seconds(0.3 + f64::from(s.files) * s.file_mb as f64 * 0.004),
};

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Files to process.
    pub files: u32,
    /// Size of each, MiB.
    pub file_mb: u64,
    /// CPU work per MiB besides the checksum, ms.
    pub work_ms: u64,
    /// Pool worker processes.
    pub workers: u32,
    /// Process cap.
    pub cap: u32,
}

/// One pool run: its time, the bytes that crossed to the workers, the parent's peak memory.
struct PoolRun {
    ms: f64,
    ipc_bytes: u64,
    peak_mb: f64,
}

fn run(ctx: &mut Ctx, settings: &Settings) -> io::Result<()> {
    let dir = private_dir()?;
    let needed = u64::from(settings.files) * settings.file_mb * MIB;
    if let Ok(stats) = nix::sys::statvfs::statvfs(&dir) {
        let free = stats.blocks_available() * stats.fragment_size();
        if needed > free / 2 {
            let _ = fs::remove_dir_all(&dir);
            return Err(io::Error::other(format!(
                "the files need {} MiB on disk but {} has only {} MiB free; ask for fewer or \
                 smaller files",
                needed / MIB,
                dir.display(),
                free / MIB
            )));
        }
    }
    let outcome = in_dir(ctx, settings, &dir);
    // However the run went, the files go (and lectern removes the whole private TMPDIR too).
    let _ = fs::remove_dir_all(&dir);
    ctx.note(
        NoteLevel::Info,
        format!(
            "The files were written to {} and removed at the end.",
            dir.display()
        ),
    );
    outcome
}

fn in_dir(ctx: &mut Ctx, settings: &Settings, dir: &Path) -> io::Result<()> {
    let tasks = Queue::new()?;
    let results = Queue::new()?;
    // The pool first, before this process reads any file.
    let mut pool = Vec::new();
    for i in 1..=settings.workers {
        match ctx.fork()? {
            None => break,
            Some(Forked::Child) => pool_worker(dir, &tasks, &results, settings.work_ms),
            Some(Forked::Parent(pid)) => {
                let role = format!("pool worker {i}");
                ctx.process(pid, std::process::id(), &role);
                pool.push((pid, role));
            }
        }
    }
    let total = u64::from(settings.files) * settings.file_mb * MIB;
    ctx.progress(
        format!(
            "writing {} of {} MiB to a private directory",
            count(u64::from(settings.files), "file", "files"),
            settings.file_mb
        ),
        Some(0),
        Some(4),
    );
    for i in 0..settings.files {
        write_file(&file(dir, i), settings.file_mb * MIB, i)?;
    }
    // The pool runs first, while this process has read no file: its peak memory then shows
    // what each way makes it hold, not what an earlier phase left in its heap.
    ctx.progress("the pool gets the paths", Some(1), Some(4));
    let paths = pool_run(settings, &results, |i| {
        tasks.put([PATH, i, 0, 0])?;
        Ok(16)
    })?;
    ctx.progress("the pool gets the contents", Some(2), Some(4));
    let payloads = pool_run(settings, &results, |i| {
        let contents = fs::read(file(dir, i))?;
        tasks.put_blob([DATA, i, 0, 0], &contents)?;
        Ok(16 + contents.len() as u64)
    })?;
    ctx.progress("sequentially, in this process", Some(3), Some(4));
    let started = Instant::now();
    let mut sums = 0u32;
    for i in 0..settings.files {
        // Kept, so the compiler cannot skip the work whose result nobody reads.
        sums = sums.wrapping_add(process(&fs::read(file(dir, i))?, settings.work_ms));
    }
    std::hint::black_box(sums);
    let sequential_ms = ms_since(started);
    for _ in &pool {
        tasks.put([STOP, 0, 0, 0])?;
    }
    for (pid, role) in &pool {
        reap_and_report(ctx.out, *pid, role);
    }
    report(ctx, settings, total, sequential_ms, &paths, &payloads);
    Ok(())
}

/// A new private directory for the files under the run's temporary directory.
fn private_dir() -> io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let dir = base.join(format!("lectern-paths-{}-{attempt}", std::process::id()));
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(io::Error::new(
                    err.kind(),
                    format!("cannot make a directory in {}: {err}", base.display()),
                ));
            }
        }
    }
    Err(io::Error::other(
        "cannot make a private directory for the files",
    ))
}

fn file(dir: &Path, index: u32) -> PathBuf {
    dir.join(format!("file-{index}.bin"))
}

fn write_file(path: &Path, bytes: u64, seed: u32) -> io::Result<()> {
    let mut out = io::BufWriter::new(fs::File::create(path)?);
    let block: Vec<u8> = (0..MIB)
        .map(|i| ((i + u64::from(seed)) % 251) as u8)
        .collect();
    for _ in 0..bytes / MIB {
        out.write_all(&block)?;
    }
    out.flush()
}

/// The work done on each file: a checksum of every byte, and `work_ms` of CPU per MiB.
fn process(bytes: &[u8], work_ms: u64) -> u32 {
    let mib = bytes.len() as u64 / MIB;
    crate::demo_runtime::work::busy_for(Duration::from_millis(work_ms * mib));
    checksum(bytes)
}

/// A checksum of every byte, eight at a time (as fast as a library CRC, so the time goes to
/// moving the data and the work, not to a slow checksum).
fn checksum(bytes: &[u8]) -> u32 {
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        hash = (hash ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(5);
    }
    for byte in chunks.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (hash ^ (hash >> 32)) as u32
}

/// Gives the pool every file with `send` (which says how many bytes crossed), waits for every
/// result, and measures the time and this process's peak memory.
fn pool_run(
    settings: &Settings,
    results: &Queue,
    mut send: impl FnMut(u32) -> io::Result<u64>,
) -> io::Result<PoolRun> {
    let _ = reset_peak();
    let started = Instant::now();
    let mut ipc_bytes = 0;
    for i in 0..settings.files {
        ipc_bytes += send(i)?;
    }
    for _ in 0..settings.files {
        if results.get_timeout(Duration::from_secs(120))?.is_none() {
            return Err(io::Error::other("the pool stopped answering"));
        }
    }
    Ok(PoolRun {
        ms: ms_since(started),
        ipc_bytes,
        peak_mb: own_memory().peak as f64 / MIB as f64,
    })
}

/// A pool worker: a path means read the file; contents mean use them as they came.
fn pool_worker(dir: &Path, tasks: &Queue, results: &Queue, work_ms: u64) -> ! {
    loop {
        let Ok(([kind, index, ..], blob)) = tasks.get_blob() else {
            std::process::exit(1)
        };
        let sum = match kind {
            PATH => match fs::read(file(dir, index)) {
                Ok(contents) => process(&contents, work_ms),
                Err(_) => std::process::exit(1),
            },
            DATA => process(&blob, work_ms),
            _ => std::process::exit(0),
        };
        if results.put([1, index, sum, 0]).is_err() {
            std::process::exit(1);
        }
    }
}

fn report(
    ctx: &mut Ctx,
    settings: &Settings,
    total: u64,
    sequential_ms: f64,
    paths: &PoolRun,
    payloads: &PoolRun,
) {
    let total_mb = total as f64 / MIB as f64;
    ctx.result("sequential_ms", sequential_ms);
    ctx.result("paths_ms", paths.ms);
    ctx.result("payloads_ms", payloads.ms);
    ctx.result("ipc_bytes_paths", paths.ipc_bytes as f64);
    ctx.result("ipc_bytes_payloads", payloads.ipc_bytes as f64);
    ctx.result("parent_peak_mb_paths", paths.peak_mb);
    ctx.result("parent_peak_mb_payloads", payloads.peak_mb);
    ctx.result("speedup_paths", sequential_ms / paths.ms);
    ctx.result("speedup_payloads", sequential_ms / payloads.ms);
    ctx.result("total_mb", total_mb);
    ctx.result("files", i64::from(settings.files));
    ctx.result("workers", i64::from(settings.workers));
    let crossed = |bytes: u64| format!("{} crossed", human_bytes(bytes));
    ctx.view(
        "times",
        View::Bars {
            unit: "ms".into(),
            bars: vec![
                Bar {
                    label: "sequential".into(),
                    value: sequential_ms,
                    detail: "this process reads".into(),
                    tone: Tone::Muted,
                },
                Bar {
                    label: "pool gets paths".into(),
                    value: paths.ms,
                    detail: crossed(paths.ipc_bytes),
                    tone: Tone::Good,
                },
                Bar {
                    label: "pool gets contents".into(),
                    value: payloads.ms,
                    detail: crossed(payloads.ipc_bytes),
                    tone: Tone::Warn,
                },
            ],
            max: None,
            caption: format!(
                "checksumming {}, {total_mb:.0} MiB in all; bytes counted as they went into \
                 the pool's queue",
                count(u64::from(settings.files), "file", "files")
            ),
        },
    );
    ctx.view(
        "memory",
        View::Bars {
            unit: "MiB".into(),
            bars: vec![
                Bar {
                    label: "paths".into(),
                    value: paths.peak_mb,
                    detail: "parent's peak".into(),
                    tone: Tone::Memory,
                },
                Bar {
                    label: "contents".into(),
                    value: payloads.peak_mb,
                    detail: "parent's peak".into(),
                    tone: Tone::Memory,
                },
            ],
            max: None,
            caption: "the parent's peak resident memory during each pool run".into(),
        },
    );
    ctx.headline(
        format!(
            "Sending paths moved {} and took {:.2} s; sending the contents moved {} through \
             the pipe and took {:.2} s ({:.1}× longer).",
            human_bytes(paths.ipc_bytes),
            paths.ms / 1000.0,
            human_bytes(payloads.ipc_bytes),
            payloads.ms / 1000.0,
            payloads.ms / paths.ms.max(1e-9)
        ),
        if payloads.ms > paths.ms {
            Tone::Good
        } else {
            Tone::Warn
        },
    );
}

/// `1.2 KB`, `128 MB`: sizes for a sentence.
fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= MIB => format!("{:.0} MB", b as f64 / MIB as f64),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

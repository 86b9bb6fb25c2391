//! What the gauges cost, measured on this machine:
//!
//! 1. one sampling pass with 1, 16 and 64 tracked processes, over 10 s of real 10 Hz
//!    sampling (so PSS is read once a second per process and /proc is listed again after
//!    the machine's own forks, as in real use);
//! 2. the whole `lectern watch` full-screen view at 10 Hz tracking 16 processes, and htop at
//!    the same refresh rate (`htop -d 1`), each on its own 120×40 pseudo-terminal for 20 s,
//!    as CPU % of one core from `/proc/PID/schedstat`.
//!
//! Run with `cargo bench --bench overhead` (about 80 s; htop is skipped if missing).

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{OnPty, cpu_ns};
use lectern::sampler::{Collector, PlatformSource};

const WINDOW: Duration = Duration::from_secs(20);
const WARM_UP: Duration = Duration::from_secs(2);

fn main() {
    println!("machine: {} cores, {} processes", cores(), process_count());
    for tracked in [1, 16, 64] {
        sample_cost(tracked);
    }
    let watch = whole_view_cost();
    match htop_cost() {
        Some(htop) => println!("htop -d 1 (10 Hz), 20 s: {htop:.2}% of one core"),
        None => println!("htop not installed: `apt-get install htop` to compare"),
    }
    println!("lectern watch (10 Hz, 16 processes), 20 s: {watch:.2}% of one core");
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn process_count() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .count()
}

/// A tree of `n` processes: a shell and `n - 1` sleeping children.
fn tree(n: usize) -> Child {
    let script = format!("for i in $(seq {}); do sleep 600 & done; wait", n - 1);
    Command::new("sh")
        .args(["-c", &script])
        .spawn()
        .expect("start the tree")
}

fn kill_tree(mut root: Child) {
    let _ = Command::new("pkill")
        .args(["-KILL", "-P", &root.id().to_string()])
        .status();
    let _ = root.kill();
    let _ = root.wait();
}

fn sample_cost(n: usize) {
    let root = tree(n);
    let t0 = Instant::now();
    let mut collector = Collector::new(PlatformSource::default(), t0);
    collector.prime();
    collector.track_tree(root.id(), None);
    // Let the tree start and be discovered.
    let mut clock = t0;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(20));
        clock += Duration::from_millis(100);
        if collector.collect(clock).procs.len() >= n {
            break;
        }
    }
    // Ten seconds of real 10 Hz sampling: the machine's own forks (which make the sampler
    // list /proc again) and PSS every tenth pass happen as they would in use. Only the
    // time inside `collect` counts.
    let passes = 100;
    let mut busy = Duration::ZERO;
    let mut tracked = 0;
    for _ in 0..passes {
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        tracked = collector.collect(started).procs.len();
        busy += started.elapsed();
    }
    let per_pass = busy / passes;
    let pct_at_10hz = per_pass.as_secs_f64() * 10.0 * 100.0;
    println!(
        "one sample, {tracked:>2} tracked processes: {:>6.1} µs (= {pct_at_10hz:.3}% of one core at 10 Hz)",
        per_pass.as_secs_f64() * 1e6
    );
    kill_tree(root);
}

/// CPU % of one core used by `pid` over the measurement window, after a warm-up.
fn cpu_percent(pty: &mut OnPty) -> f64 {
    let pid = pty.child.id();
    std::thread::sleep(WARM_UP);
    pty.discard_output();
    let (before, at) = (cpu_ns(pid), Instant::now());
    std::thread::sleep(WINDOW);
    let used = cpu_ns(pid) - before;
    used as f64 / at.elapsed().as_nanos() as f64 * 100.0
}

fn whole_view_cost() -> f64 {
    let lectern = env!("CARGO_BIN_EXE_lectern");
    let script = "for i in $(seq 15); do sleep 600 & done; wait";
    let mut command = Command::new(lectern);
    command.args(["watch", "--rate-hz", "10", "--", "sh", "-c", script]);
    let mut pty = OnPty::start(&mut command, 120, 40);
    pty.wait_for(b"q quit", Duration::from_secs(10));
    let pct = cpu_percent(&mut pty);
    pty.type_keys(b"q");
    let _ = pty.child.wait();
    pct
}

fn htop_cost() -> Option<f64> {
    let mut command = Command::new("htop");
    command.args(["-d", "1"]);
    let mut pty = OnPty::start(&mut command, 120, 40);
    if pty.child.try_wait().ok().flatten().is_some() {
        return None;
    }
    std::thread::sleep(Duration::from_millis(300));
    if pty.child.try_wait().ok().flatten().is_some() {
        return None;
    }
    let pct = cpu_percent(&mut pty);
    pty.type_keys(b"q");
    let _ = pty.child.wait();
    Some(pct)
}

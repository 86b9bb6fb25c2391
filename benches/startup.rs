//! Startup benchmark: time from `exec` of the release binary to its first complete frame.
//!
//! Each run starts `lectern` on a fresh pseudo-terminal (120×40), reads the terminal output
//! until the footer's last segment (`? help`, drawn last because rows are drawn top to
//! bottom) has arrived, then presses `q` and waits for the exit. Run with
//! `cargo bench --bench startup`; the numbers are quoted in docs/performance.md and the README.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::OnPty;

const RUNS: usize = 50;

fn main() {
    let binary = env!("CARGO_BIN_EXE_lectern");
    // One warm-up run so the binary is in the page cache, as it is for a presenter.
    one_run(binary);
    let mut samples: Vec<Duration> = (0..RUNS).map(|_| one_run(binary)).collect();
    println!(
        "startup to first frame (120x40 pty, {RUNS} runs): {}",
        common::spread_ms(&mut samples, 1)
    );
}

fn one_run(binary: &str) -> Duration {
    let started = Instant::now();
    let mut lectern = OnPty::start(&mut Command::new(binary), 120, 40);
    lectern.wait_for(b"? help", Duration::from_secs(10));
    let first_frame = started.elapsed();
    lectern.type_keys(b"q");
    let status = lectern.child.wait().expect("wait for lectern");
    assert!(status.success(), "lectern exited with {status}");
    first_frame
}

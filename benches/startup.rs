//! Startup benchmark: time from `exec` of the release binary to its first complete frame.
//!
//! Each run starts `lectern` on a fresh pseudo-terminal (120×40), reads the terminal output
//! until the footer's last segment (`? help`, drawn last because rows are drawn top to
//! bottom) has arrived, then presses `q` and waits for the exit. Run with
//! `cargo bench --bench startup`; the numbers are quoted in the README.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};

const RUNS: usize = 50;
const MARKER: &[u8] = b"? help";

fn main() {
    let binary = env!("CARGO_BIN_EXE_lectern");
    // One warm-up run so the binary is in the page cache, as it is for a presenter.
    one_run(binary);
    let mut samples: Vec<Duration> = (0..RUNS).map(|_| one_run(binary)).collect();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = samples[RUNS / 2];
    let p90 = samples[RUNS * 9 / 10];
    println!(
        "startup to first frame (120x40 pty, {RUNS} runs): min {:.1} ms, median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        ms(samples[0]),
        ms(median),
        ms(p90),
        ms(samples[RUNS - 1]),
    );
}

fn one_run(binary: &str) -> Duration {
    let size = Winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = openpty(Some(&size), None).expect("openpty");
    let slave = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup pty"));
    let started = Instant::now();
    let mut child = Command::new(binary)
        .env("TERM", "xterm-256color")
        .stdin(slave(&pty.slave))
        .stdout(slave(&pty.slave))
        .stderr(slave(&pty.slave))
        .process_group(0)
        .spawn()
        .expect("start lectern");
    drop(pty.slave);

    let mut master = File::from(pty.master);
    let mut reader = master.try_clone().expect("dup master");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let first_frame = loop {
        let Ok(chunk) = rx.recv_timeout(Duration::from_secs(10)) else {
            panic!(
                "no first frame in 10 s; output so far: {:?}",
                String::from_utf8_lossy(&seen)
            );
        };
        seen.extend_from_slice(&chunk);
        if seen.windows(MARKER.len()).any(|w| w == MARKER) {
            break started.elapsed();
        }
    };
    master.write_all(b"q").expect("press q");
    let status = child.wait().expect("wait for lectern");
    assert!(status.success(), "lectern exited with {status}");
    first_frame
}

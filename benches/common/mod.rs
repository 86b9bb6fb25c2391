//! Helpers shared by the benchmarks: a program on a pseudo-terminal, CPU time from
//! `/proc/PID/schedstat`, and trees of sleeping processes to watch.

#![allow(dead_code, reason = "each benchmark uses a different part")]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use nix::pty::{Winsize, openpty};

/// A program running on its own pseudo-terminal, its output collected by a thread.
pub struct OnPty {
    /// The process.
    pub child: Child,
    master: File,
    output: Receiver<Vec<u8>>,
}

impl OnPty {
    /// Starts `command` on a fresh `cols`×`rows` terminal.
    pub fn start(command: &mut Command, cols: u16, rows: u16) -> Self {
        Self::try_start(command, cols, rows).expect("start the program")
    }

    /// Starts `command` on a fresh `cols`×`rows` terminal; `None` if it cannot be started
    /// (not installed).
    pub fn try_start(command: &mut Command, cols: u16, rows: u16) -> Option<Self> {
        let size = Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).expect("openpty");
        let slave = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup pty"));
        let child = command
            .env("TERM", "xterm-256color")
            .stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave))
            .process_group(0)
            .spawn()
            .ok()?;
        drop(pty.slave);
        let master = File::from(pty.master);
        let mut reader = master.try_clone().expect("dup master");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Some(Self {
            child,
            master,
            output,
        })
    }

    /// Reads output until `marker` appears; panics after `limit`.
    pub fn wait_for(&mut self, marker: &[u8], limit: Duration) {
        let mut seen = Vec::new();
        loop {
            let Ok(chunk) = self.output.recv_timeout(limit) else {
                panic!(
                    "{:?} never appeared; output: {:?}",
                    String::from_utf8_lossy(marker),
                    String::from_utf8_lossy(&seen)
                );
            };
            seen.extend_from_slice(&chunk);
            if seen.windows(marker.len()).any(|w| w == marker) {
                return;
            }
        }
    }

    /// Types `keys` on the terminal.
    pub fn type_keys(&mut self, keys: &[u8]) {
        self.master.write_all(keys).expect("write to the pty");
    }

    /// What has arrived since the last look, without waiting.
    pub fn take_output(&self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Ok(chunk) = self.output.try_recv() {
            out.extend(chunk);
        }
        out
    }

    /// Output is drained by the reader thread; this discards what has arrived.
    pub fn discard_output(&self) {
        while self.output.try_recv().is_ok() {}
    }
}

/// CPU time `pid` has used, all its threads, in nanoseconds: the sum of each thread's
/// `/proc/PID/task/TID/schedstat` (the process's own `schedstat` counts only its main thread,
/// which would leave out lectern's input and PSS-reading threads).
pub fn cpu_ns(pid: u32) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("task list");
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// A shell and `n` sleeping children, in a process group of their own, with no pipe of ours.
pub fn sleepers(n: usize) -> Child {
    let script = format!("for i in $(seq {n}); do sleep 900 & done; wait");
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start the sleepers")
}

/// Kills the whole group of `root` (the shell's children too) and reaps the shell.
pub fn kill_group(mut root: Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", root.id())])
        .status();
    let _ = root.wait();
}

/// `min … ms, median … ms, p90 … ms, max … ms` of `samples` (sorted here), with `decimals`.
pub fn spread_ms(samples: &mut [Duration], decimals: usize) -> String {
    samples.sort();
    let n = samples.len();
    let ms = |i: usize| samples[i].as_secs_f64() * 1000.0;
    format!(
        "min {:.decimals$} ms, median {:.decimals$} ms, p90 {:.decimals$} ms, max {:.decimals$} ms",
        ms(0),
        ms(n / 2),
        ms(n * 9 / 10),
        ms(n - 1),
    )
}

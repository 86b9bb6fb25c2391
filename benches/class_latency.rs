//! The room's key-to-frame latency with no class, and with 200 students joined: the release
//! binary presents with `--class` on a pseudo-terminal (120×40) listening on loopback; each
//! sample presses Page Down (then Page Up) and times until the new slide's title has been
//! written — a slide turn, which is also what the room sends every student. Then
//! `lectern join --simulate 200` joins and the same is measured again, with all of them
//! following (its report, printed last, says how many joined and how many turns each saw). Run with `cargo bench --bench class_latency`; the numbers are quoted in
//! docs/classroom.md and the README.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::OnPty;

const TURNS: usize = 40;

fn main() {
    let binary = env!("CARGO_BIN_EXE_lectern");
    let port = 47_000 + (std::process::id() % 1000) as u16;
    let listen = format!("127.0.0.1:{port}");
    let state = std::env::temp_dir().join(format!("lectern-bench-class-{}", std::process::id()));
    let mut room = OnPty::start(
        Command::new(binary)
            .args([
                "present", "--class", "--listen", &listen, "--engine", "native", "--fresh",
            ])
            .env("XDG_STATE_HOME", &state)
            .env("LECTERN_RUNTIME_DIR", &state),
        120,
        40,
    );
    room.wait_for(b"? help", Duration::from_secs(10));
    let code = join_code(&mut room);
    let idle = turns(&mut room);
    let class = Command::new(binary)
        .args([
            "join",
            "--simulate",
            "200",
            &listen,
            &code,
            "--seconds",
            "60",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the simulated class starts");
    // Joining takes 200 handshakes; the frames the room draws only rewrite the digits that
    // change, so its count is not waited for on screen: the class's own report at the end
    // says how many joined and how many turns each followed.
    std::thread::sleep(Duration::from_secs(5));
    let full = turns(&mut room);
    room.type_keys(b"qq");
    let _ = room.child.wait();
    let report = class
        .wait_with_output()
        .expect("the class ends with the room");
    for (what, mut samples) in [("idle room", idle), ("200 students following", full)] {
        println!(
            "key to frame, a slide turn ({what}, {TURNS} turns): {}",
            common::spread_ms(&mut samples, 2)
        );
    }
    print!("{}", String::from_utf8_lossy(&report.stdout));
    let _ = std::fs::remove_dir_all(&state);
}

/// The join code the room shows.
fn join_code(room: &mut OnPty) -> String {
    let start = Instant::now();
    let mut seen = Vec::new();
    while start.elapsed() < Duration::from_secs(10) {
        seen.extend(room.take_output());
        let text = String::from_utf8_lossy(&seen);
        if let Some(at) = text.find("lectern join 127.0.0.1:") {
            let words: Vec<&str> = text[at..].split_whitespace().collect();
            if let Some(code) = words.get(3).filter(|c| c.len() == 8) {
                return (*code).to_string();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the room never showed its join code");
}

/// `TURNS` slide turns, each timed from the key to the new title on the terminal.
fn turns(room: &mut OnPty) -> Vec<Duration> {
    let mut samples = Vec::new();
    for i in 0..TURNS {
        room.discard_output();
        let (key, title): (&[u8], &[u8]) = if i % 2 == 0 {
            (b"\x1b[6~", b"Why Threads Fail")
        } else {
            (b"\x1b[5~", b"Lecture Overview")
        };
        let pressed = Instant::now();
        room.type_keys(key);
        room.wait_for(title, Duration::from_secs(5));
        samples.push(pressed.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    samples
}

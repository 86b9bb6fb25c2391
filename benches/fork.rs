//! lectern's fork measurement next to a minimal C fork-and-wait on the same machine.
//!
//! Compiles `assets/bench/fork_wait.c` with the system C compiler, runs it, then runs
//! `lectern demo start-methods` (`parent_mb=0`, 20 children per method) five times and compares
//! the medians. Run with `cargo bench --bench fork`; needs `cc`.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = root.join("target").join("fork_wait");
    let compiled = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&binary)
        .arg(root.join("assets/bench/fork_wait.c"))
        .status();
    if !compiled.is_ok_and(|s| s.success()) {
        println!("no C compiler (cc): install gcc to run this comparison");
        return;
    }
    let output = Command::new(&binary).output().expect("run fork_wait");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut numbers = text
        .split_whitespace()
        .filter_map(|n| n.parse::<f64>().ok());
    let (c_wait, c_hello) = (numbers.next().unwrap_or(0.0), numbers.next().unwrap_or(0.0));

    let mut lectern: Vec<f64> = (0..5).map(|_| lectern_fork_median_us()).collect();
    lectern.sort_by(f64::total_cmp);
    let median = lectern[lectern.len() / 2];
    println!("C fork + waitpid (200 rounds):              median {c_wait:.1} µs");
    println!("C fork to first byte through a pipe:        median {c_hello:.1} µs");
    println!("lectern fork to first message (5 × 20 children, parent_mb=0): median {median:.1} µs");
    println!("ratio lectern / C fork-and-wait: {:.2}×", median / c_wait);
}

fn lectern_fork_median_us() -> f64 {
    let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["demo", "start-methods", "--json", "--set", "parent_mb=0"])
        .args(["--set", "children=20", "--set", "linger_s=0"])
        .output()
        .expect("run lectern demo");
    let text = String::from_utf8_lossy(&output.stdout);
    let summary = text.lines().last().unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(summary).expect("summary line");
    json["results"]["fork_median_ms"]
        .as_f64()
        .expect("fork_median_ms")
        * 1000.0
}

//! `lectern watch` around a command that starts 500 processes at once: samples keep their
//! pace, every process is seen, and lectern's own CPU stays small (it reads 500 processes'
//! `/proc` files five times a second: about 2–3% of a core on the 2-core build machine).

use std::process::Command;

use serde_json::Value;

#[test]
fn five_hundred_processes_keep_the_pace_and_lecterns_cost_small() {
    let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args([
            "watch",
            "--json",
            "--seconds",
            "4",
            "--",
            "sh",
            "-c",
            "for i in $(seq 500); do sleep 30 & done; wait",
        ])
        .output()
        .expect("lectern runs");
    let samples: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "sample")
        .collect();
    let times: Vec<f64> = samples.iter().filter_map(|s| s["t"].as_f64()).collect();
    assert!(times.len() >= 12, "{} samples in 4 s", times.len());
    let widest_gap = times.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
    assert!(widest_gap < 0.6, "a sample was {widest_gap:.2} s late");
    let most = samples
        .iter()
        .filter_map(|s| s["procs"].as_array().map(Vec::len))
        .max()
        .unwrap_or(0);
    assert!(most >= 500, "saw at most {most} processes");
    // lectern's own CPU, as its samples report it (role "ui"), once the tree has grown.
    let ui: Vec<f64> = samples
        .iter()
        .filter(|s| s["t"].as_f64().is_some_and(|t| t > 1.0))
        .filter_map(|s| {
            s["procs"].as_array()?.iter().find(|p| p["role"] == "ui")?["cpu_pct"].as_f64()
        })
        .collect();
    assert!(!ui.is_empty());
    let mean = ui.iter().sum::<f64>() / ui.len() as f64;
    assert!(mean < 20.0, "lectern used {mean:.1}% of a core: {ui:?}");
}

//! The lecture answers keys while its demo fills every core: with slide 1's demo running one
//! busy process per core, each press of `s` shows or hides the speaker notes within 100 ms
//! (the median over a dozen presses; the worst may not exceed a quarter second).

mod support;

use std::time::{Duration, Instant};

use support::{LECTERN, Tmux, assert_all_gone, unique_tag};

const NOTES: &str = "Speaker notes · slide 1";

#[test]
fn keys_are_answered_within_100_ms_while_a_demo_saturates_every_core() {
    let tag = unique_tag("under-load");
    let tmux = Tmux::shell(120, 40);
    // Slide 1's demo, long enough to keep the cores full for the whole measurement.
    let lesson = std::env::temp_dir().join(format!("{tag}.md"));
    std::fs::write(
        &lesson,
        "## Load\n\n- every core busy\n\n<!-- demo: gil mode=processes duration_s=20 -->\n\
         <!-- notes: Speaker notes here. -->\n",
    )
    .expect("test setup");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native {}",
        lesson.display()
    ));
    tmux.wait_for("every core busy");
    tmux.keys(&["Enter"]);
    tmux.wait_for("running");
    // Let the workers reach full speed.
    std::thread::sleep(Duration::from_millis(1500));
    let busy = busy_cores();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    assert!(
        busy + 0.5 >= cores as f64,
        "the demo keeps {busy:.1} of {cores} cores busy"
    );
    let mut latencies = Vec::new();
    for i in 0..12 {
        let shown = i % 2 == 0;
        let asked = Instant::now();
        tmux.keys(&["s"]);
        tmux.wait_until(|s| s.contains(NOTES) == shown, "the notes to toggle");
        latencies.push(asked.elapsed());
        std::thread::sleep(Duration::from_millis(150));
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    eprintln!("key latency under load: median {median:?}, worst {worst:?}");
    assert!(median < Duration::from_millis(100), "{latencies:?}");
    assert!(worst < Duration::from_millis(250), "{latencies:?}");
    tmux.quit();
    tmux.assert_terminal_restored(0);
    assert_all_gone(&tag, Duration::from_secs(1), "after quitting");
    let _ = std::fs::remove_file(&lesson);
}

/// Cores' worth of CPU time the machine spent busy over half a second.
fn busy_cores() -> f64 {
    let read = || -> (u64, u64) {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let fields: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|f| f.parse().ok())
            .collect();
        let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
        (fields.iter().sum(), idle)
    };
    let (total0, idle0) = read();
    std::thread::sleep(Duration::from_millis(500));
    let (total1, idle1) = read();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get) as f64;
    let total = (total1 - total0) as f64;
    if total <= 0.0 {
        return 0.0;
    }
    cores * (1.0 - (idle1 - idle0) as f64 / total)
}

//! Instructions per frame and per sample, counted by valgrind's callgrind: repeatable
//! whatever else the machine is doing, so a regression in drawing or sampling shows up as a
//! number rather than as noise in a CPU-time ratio.
//!
//! `cargo bench --bench instructions` runs this program under callgrind once per case, with
//! collection switched on only inside the measured function (`measured_frame` or
//! `measured_sample`), and prints instructions per call. Each case runs [`WARM_UP`] calls
//! (the first frame draws every cell; the first samples open files and list `/proc`), then
//! [`CALLS`] measured ones; the warm-up is subtracted by measuring twice with different
//! counts. The processes watched are a real tree of 16 (a shell and 15 sleeping children),
//! sampled for real between frames. Needs `valgrind` (`apt-get install valgrind`).

mod common;

use std::io;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use lectern::lecture::App;
use lectern::lecture::event_loop::LayoutTracker;
use lectern::lecture::msg::Msg as LectureMsg;
use lectern::sampler::{Collector, PlatformSource, Sample};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::damage::Damage;
use lectern::watch::{Msg, WatchApp};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Rect, Size};

/// Calls before the measured ones in the shorter run.
const WARM_UP: usize = 5;
/// The longer run makes this many more calls; the difference is divided by it.
const CALLS: usize = 40;
/// Screen size drawn, as in the benchmarks of docs/performance.md.
const SIZE: Size = Size::new(120, 40);
/// Processes in the watched tree.
const TREE: usize = 16;

/// A terminal drawn on as the event loops draw: a plan at a time, only what changed.
struct Screen {
    backend: CrosstermBackend<io::Sink>,
    damage: Damage,
}

fn main() {
    // `cargo bench` passes `--bench`; the child cases are `MODE CALLS`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [mode, calls] = args.as_slice()
        && let Ok(calls) = calls.parse()
    {
        child(mode, calls);
        return;
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("valgrind not installed: `apt-get install valgrind` to count instructions");
        return;
    }
    println!("instructions per call (callgrind, {SIZE:?} screen, {TREE} processes watched):");
    for (mode, what, function) in [
        ("sample", "one sample of 16 processes", "measured_sample"),
        (
            "watch",
            "one `lectern watch` frame (sample applied, drawn)",
            "measured_frame",
        ),
        (
            "lecture",
            "one lecture frame, slide 2 with the sidebar (sample applied, drawn)",
            "measured_frame",
        ),
        (
            "lecture-unchanged",
            "one lecture frame whose sample changes nothing shown",
            "measured_frame",
        ),
    ] {
        let short = collected(mode, WARM_UP, function);
        let long = collected(mode, WARM_UP + CALLS, function);
        let per_call = long.saturating_sub(short) / CALLS as u64;
        println!(
            "  {what}: {}",
            lectern::demo_runtime::view::group(per_call as f64, 0)
        );
    }
}

/// Instructions callgrind collected inside `function` over `calls` calls of `mode`.
fn collected(mode: &str, calls: usize, function: &str) -> u64 {
    let exe = std::env::current_exe().expect("own path");
    let output = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--collect-atstart=no",
            &format!("--toggle-collect=*{function}*"),
        ])
        .arg(exe)
        .args([mode, &calls.to_string()])
        .output()
        .expect("run valgrind");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{mode} failed: {stderr}");
    stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count from callgrind: {stderr}"))
}

/// A collector that has found the whole tree.
fn collector(root: &Child) -> (Collector<PlatformSource>, Instant) {
    let start = Instant::now();
    let mut collector = Collector::new(PlatformSource::default(), start);
    collector.prime();
    collector.track_tree(root.id(), None);
    collector.track_self(std::process::id(), "lectern".into());
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(20));
        if collector.collect(Instant::now()).procs.len() > TREE {
            break;
        }
    }
    (collector, start)
}

const AREA: Rect = Rect::new(0, 0, SIZE.width, SIZE.height);

fn screen() -> Screen {
    Screen {
        backend: CrosstermBackend::new(io::sink()),
        damage: Damage::new(AREA),
    }
}

fn child(mode: &str, calls: usize) {
    let root = common::sleepers(TREE - 1);
    let (mut collector, started) = collector(&root);
    let theme = Theme::new(ThemeName::Dark, false);
    let mut screen = screen();
    let mut watch = WatchApp::new(
        "sh -c …".into(),
        root.id(),
        theme.clone(),
        10,
        SIZE,
        started,
    );
    let lesson = lectern::resolved::from_text(include_str!("../lessons/25-multiprocessing.md")).0;
    let mut lecture = App::new(lesson, theme, 1, SIZE, started);
    let mut layout = LayoutTracker::default();
    layout.refresh(&mut lecture, false);
    let mut first: Option<Sample> = None;
    // A clock that moves 100 ms per call whatever the real time, so what depends on time
    // (PSS read at most once a second, the header's clock) happens on the same calls in
    // every run, and the counts repeat.
    let mut clock = Instant::now();
    for _ in 0..calls {
        clock += Duration::from_millis(100);
        std::thread::sleep(Duration::from_millis(10));
        let now = clock;
        match mode {
            "sample" => drop(measured_sample(&mut collector, now)),
            "watch" => {
                let sample = collector.collect(now);
                measured_frame(&mut screen, &mut |s: &mut Screen| {
                    watch.update(Msg::Sample(Box::new(sample.clone())), now);
                    s.damage
                        .draw(&lectern::watch::plan(&watch, AREA), &mut s.backend)
                });
            }
            "lecture" | "lecture-unchanged" => {
                let fresh = collector.collect(now);
                let sample = if mode == "lecture" {
                    fresh
                } else {
                    first.get_or_insert(fresh).clone()
                };
                measured_frame(&mut screen, &mut |s: &mut Screen| {
                    lecture.update(LectureMsg::Sample(Box::new(sample.clone())), now);
                    layout.refresh(&mut lecture, true);
                    s.damage.draw(
                        &lectern::lecture::view::plan(&lecture, AREA),
                        &mut s.backend,
                    )
                });
            }
            other => panic!("unknown mode {other}"),
        }
    }
    common::kill_group(root);
}

#[inline(never)]
fn measured_sample(collector: &mut Collector<PlatformSource>, now: Instant) -> Sample {
    collector.collect(now)
}

#[inline(never)]
fn measured_frame(screen: &mut Screen, draw: &mut dyn FnMut(&mut Screen) -> io::Result<()>) {
    draw(screen).expect("draw");
}

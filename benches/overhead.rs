//! What the gauges cost, measured on this machine, side by side with htop and btop in the
//! same run:
//!
//! 1. one sampling pass with 1, 16 and 64 tracked processes, over 10 s of real 10 Hz
//!    sampling (so PSS is read as in use and /proc is listed again after the machine's forks);
//! 2. whole programs, each on its own 120×40 pseudo-terminal for [`WINDOW`] after
//!    [`WARM_UP`], as CPU % of one core summed over all their threads
//!    (`/proc/PID/task/*/schedstat`, nanoseconds): `lectern watch --rate-hz 10` around 16
//!    processes, the lecture idle on a slide with the gauges at 10 Hz and at the default rate,
//!    the lecture while a demo with 16 processes runs, `htop -d 1` and btop at 100 ms;
//! 3. the same `lectern watch` and htop with about 100 and about 1,000 unrelated sleeping
//!    processes on the machine, to show whether a sample's cost grows with them.
//!
//! 4. a C program making the same `/proc` reads at 10 Hz and drawing nothing: the floor; and
//!    the same program reading nothing, only waking at 10 Hz: what a wake-up alone costs.
//!
//! Each program is measured [`ROUNDS`] times, interleaved (the order reversed every other
//! round, so neither of two neighbours always goes first), and the median is printed. Run
//! with `cargo bench --bench overhead` (about ten minutes; htop and btop are skipped when
//! missing: `apt-get install htop btop`). With `LECTERN_BASELINE=path/to/another/lectern`,
//! that build's four lectern rows are measured in the same rounds, each right beside the same
//! row of this build, marked `[baseline]`; then, for each row, the median over the rounds of
//! this build's figure divided by the baseline's from the same round: the host's load moves
//! both figures of a round alike, so the ratio holds better than either figure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{OnPty, cpu_ns, kill_group, sleepers};
use lectern::sampler::{Collector, PlatformSource};

/// One program's measurement: CPU % of one core, or `None` when it is not installed.
type Measure<'a> = Box<dyn Fn() -> Option<f64> + 'a>;

const WINDOW: Duration = Duration::from_secs(6);
const WARM_UP: Duration = Duration::from_secs(2);
/// Each program is measured this many times, interleaved with the others.
const ROUNDS: usize = 5;

fn main() {
    println!("machine: {} cores, {} processes", cores(), process_count());
    for tracked in [1, 16, 64] {
        sample_cost(tracked);
    }
    let scratch = std::env::temp_dir().join(format!("lectern-overhead-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let floor = build_floor(&scratch);
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_lectern"));
    // Another build to compare with, measured in the same rounds (`LECTERN_BASELINE=path`).
    let baseline = std::env::var_os("LECTERN_BASELINE").map(PathBuf::from);
    let mut programs: Vec<(String, Measure)> = Vec::new();
    // Each row of this build, then the same row of the baseline: neighbours in every round.
    let builds: Vec<(&Path, &str)> = std::iter::once((ours.as_path(), ""))
        .chain(baseline.iter().map(|b| (b.as_path(), " [baseline]")))
        .collect();
    for &(bin, tag) in &builds {
        programs.push((
            format!("lectern watch --rate-hz 10, 16 processes{tag}"),
            Box::new(move || watch_cost(bin)),
        ));
    }
    for &(bin, tag) in &builds {
        programs.push((
            format!("lecture idle, gauges at 10 Hz{tag}"),
            Box::new(move || lecture_idle(bin, Some(10))),
        ));
    }
    for &(bin, tag) in &builds {
        programs.push((
            format!("lecture idle, default rate (5 Hz){tag}"),
            Box::new(move || lecture_idle(bin, None)),
        ));
    }
    for &(bin, tag) in &builds {
        let scratch = &scratch;
        programs.push((
            format!("lecture, a demo of 16 processes running (10 Hz){tag}"),
            Box::new(move || lecture_with_demo(bin, scratch)),
        ));
    }
    let anchors: [(&str, Measure); 4] = [
        ("htop -d 1 (10 Hz)", Box::new(htop_cost)),
        ("btop, update_ms = 100", Box::new(|| btop_cost(&scratch))),
        (
            "C floor: the same /proc reads at 10 Hz, nothing drawn",
            Box::new(|| floor.as_deref().and_then(|floor| floor_cost(floor, true))),
        ),
        (
            "C, waking at 10 Hz and nothing else",
            Box::new(|| floor.as_deref().and_then(|floor| floor_cost(floor, false))),
        ),
    ];
    programs.extend(anchors.map(|(what, measure)| (what.to_string(), measure)));
    println!(
        "\nwhole programs, CPU % of one core over {} s (all threads), {ROUNDS} rounds \
         interleaved: median (min–max)",
        WINDOW.as_secs()
    );
    let measured = rounds(&programs);
    if baseline.is_some() {
        println!("\nthis build ÷ the baseline, per round: median ratio (min–max), rounds cheaper");
        // The lectern rows come first, each beside its baseline; the anchors follow.
        let lectern_rows = 2 * 4;
        let rows: Vec<_> = programs.iter().zip(&measured).take(lectern_rows).collect();
        for pair in rows.chunks(2) {
            if let [((what, _), ours), (_, theirs)] = pair {
                print_ratio(what, ours, theirs);
            }
        }
    }
    for extra in [100, 1000] {
        let sleepers = sleepers(extra);
        std::thread::sleep(Duration::from_secs(1));
        println!(
            "\nwith {extra} more sleeping processes ({} in all):",
            process_count()
        );
        let flat: [(String, Measure); 2] = [
            (
                "lectern watch --rate-hz 10, 16 processes".into(),
                Box::new(|| watch_cost(&ours)),
            ),
            ("htop -d 1 (10 Hz)".into(), Box::new(htop_cost)),
        ];
        rounds(&flat);
        kill_group(sleepers);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Measures every program once per round, the programs interleaved so that whatever else the
/// machine does falls on all of them alike (in reverse order every other round), and prints
/// each one's median. Returns each program's figures, round by round (`None`: not installed).
fn rounds(programs: &[(String, Measure)]) -> Vec<Vec<Option<f64>>> {
    let mut measured: Vec<Vec<Option<f64>>> = vec![Vec::new(); programs.len()];
    for round in 0..ROUNDS {
        let mut order: Vec<usize> = (0..programs.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            measured[i].push((programs[i].1)());
        }
    }
    for ((what, _), figures) in programs.iter().zip(&measured) {
        let mut pcts: Vec<f64> = figures.iter().flatten().copied().collect();
        pcts.sort_by(f64::total_cmp);
        match (pcts.first(), pcts.get(pcts.len() / 2), pcts.last()) {
            (Some(lo), Some(median), Some(hi)) => {
                println!("  {what:<55} {median:>6.2}%  ({lo:.2}–{hi:.2})");
            }
            _ => println!("  {what:<55}  (not installed)"),
        }
    }
    measured
}

/// The median over the rounds of `ours ÷ theirs` measured in the same round.
fn print_ratio(what: &str, ours: &[Option<f64>], theirs: &[Option<f64>]) {
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .filter_map(|(a, b)| Some(a.as_ref()? / b.filter(|b| *b > 0.0)?))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let cheaper = ratios.iter().filter(|r| **r < 1.0).count();
    if let (Some(lo), Some(median), Some(hi)) =
        (ratios.first(), ratios.get(ratios.len() / 2), ratios.last())
    {
        println!(
            "  {what:<55} {median:>6.2}   ({lo:.2}–{hi:.2}), cheaper in {cheaper} of {}",
            ratios.len()
        );
    }
}

/// Compiles `assets/bench/sampler_floor.c` with the system's C compiler, if there is one.
fn build_floor(scratch: &Path) -> Option<PathBuf> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/bench/sampler_floor.c");
    let binary = scratch.join("sampler_floor");
    let built = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&binary)
        .arg(source)
        .status()
        .ok()?;
    built.success().then_some(binary)
}

/// The C floor reading a tree of 16 sleeping processes at 10 Hz — or, without `reads`, only
/// waking at 10 Hz: what the machine charges for a wake-up alone.
fn floor_cost(binary: &Path, reads: bool) -> Option<f64> {
    let tree = sleepers(15);
    std::thread::sleep(Duration::from_millis(300));
    let mut pids = vec![tree.id().to_string()];
    if let Ok(children) = Command::new("pgrep")
        .args(["-P", &tree.id().to_string()])
        .output()
    {
        pids.extend(
            String::from_utf8_lossy(&children.stdout)
                .split_whitespace()
                .map(String::from),
        );
    }
    let seconds = (WARM_UP + WINDOW).as_secs() + 1;
    if !reads {
        pids = vec!["--wake-only".into()];
    }
    let measured = Command::new(binary)
        .arg(seconds.to_string())
        .args(&pids)
        .spawn()
        .ok()
        .map(|mut floor| {
            std::thread::sleep(WARM_UP);
            let (before, at) = (cpu_ns(floor.id()), Instant::now());
            std::thread::sleep(WINDOW);
            let used = cpu_ns(floor.id()) - before;
            let _ = floor.wait();
            used as f64 / at.elapsed().as_nanos() as f64 * 100.0
        });
    kill_group(tree);
    measured
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

fn sample_cost(n: usize) {
    let root = sleepers(n - 1);
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
    // Ten seconds of real 10 Hz sampling; the time inside `collect` counts, and the CPU time
    // of the thread that reads PSS for it.
    let passes = 100;
    let mut busy = Duration::ZERO;
    let mut tracked = 0;
    let footprints_before = thread_cpu_ns("footprints");
    for _ in 0..passes {
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        tracked = collector.collect(started).procs.len();
        busy += started.elapsed();
    }
    busy += Duration::from_nanos(thread_cpu_ns("footprints") - footprints_before);
    let per_pass = busy / passes;
    let pct_at_10hz = per_pass.as_secs_f64() * 10.0 * 100.0;
    println!(
        "one sample, {tracked:>2} tracked processes: {:>6.1} µs (= {pct_at_10hz:.3}% of one core at 10 Hz)",
        per_pass.as_secs_f64() * 1e6
    );
    kill_group(root);
}

/// CPU time used so far by this process's threads called `name`, in nanoseconds.
fn thread_cpu_ns(name: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm")).is_ok_and(|comm| comm.trim() == name)
        })
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// CPU % of one core used by the program on `pty` over [`WINDOW`], after [`WARM_UP`].
fn cpu_percent(pty: &mut OnPty) -> f64 {
    let pid = pty.child.id();
    std::thread::sleep(WARM_UP);
    pty.discard_output();
    let (before, at) = (cpu_ns(pid), Instant::now());
    std::thread::sleep(WINDOW);
    let used = cpu_ns(pid) - before;
    used as f64 / at.elapsed().as_nanos() as f64 * 100.0
}

/// Starts `command` on a 120×40 terminal, waits for `ready`, measures, then types `quit`.
fn measure(command: &mut Command, ready: Option<&[u8]>, quit: &[u8]) -> Option<f64> {
    let mut pty = OnPty::try_start(command, 120, 40)?;
    match ready {
        Some(marker) => pty.wait_for(marker, Duration::from_secs(10)),
        None => std::thread::sleep(Duration::from_millis(300)),
    }
    if pty.child.try_wait().ok().flatten().is_some() {
        return None;
    }
    let pct = cpu_percent(&mut pty);
    pty.type_keys(quit);
    let _ = pty.child.wait();
    Some(pct)
}

fn lectern(bin: &Path) -> Command {
    Command::new(bin)
}

fn watch_cost(bin: &Path) -> Option<f64> {
    let script = "for i in $(seq 15); do sleep 600 & done; wait";
    let mut command = lectern(bin);
    command.args(["watch", "--rate-hz", "10", "--", "sh", "-c", script]);
    measure(&mut command, Some(b"q quit"), b"q")
}

fn lecture_idle(bin: &Path, rate_hz: Option<u8>) -> Option<f64> {
    let mut command = lectern(bin);
    if let Some(rate) = rate_hz {
        command.args(["--rate-hz", &rate.to_string()]);
    }
    command.args(["--slide", "2"]);
    measure(&mut command, Some(b"? help"), b"q")
}

/// The lecture on a one-slide lesson whose demo (the GIL demo on 15 worker processes plus its
/// parent, for 30 s) is started with Enter before the measurement begins.
fn lecture_with_demo(bin: &Path, scratch: &Path) -> Option<f64> {
    let lesson = scratch.join("demo.md");
    std::fs::write(
        &lesson,
        "+++\ntitle = \"Overhead\"\n+++\n\n## Sixteen busy processes\n\n\
         <!-- demo: gil mode=processes workers=15 duration_s=30 -->\n",
    )
    .expect("write the lesson");
    let mut command = lectern(bin);
    command.args(["--rate-hz", "10"]).arg(&lesson);
    let mut pty = OnPty::try_start(&mut command, 120, 40)?;
    pty.wait_for(b"? help", Duration::from_secs(10));
    pty.type_keys(b"\r");
    let pct = cpu_percent(&mut pty);
    pty.type_keys(b"x");
    std::thread::sleep(Duration::from_millis(500));
    pty.type_keys(b"q");
    let _ = pty.child.wait();
    Some(pct)
}

fn htop_cost() -> Option<f64> {
    let mut command = Command::new("htop");
    command.args(["-d", "1"]);
    measure(&mut command, None, b"q")
}

fn btop_cost(scratch: &Path) -> Option<f64> {
    // btop 1.2 takes its refresh interval only from its configuration file.
    let config = scratch.join("btop");
    std::fs::create_dir_all(&config).expect("btop config directory");
    std::fs::write(config.join("btop.conf"), "update_ms = 100\n").expect("btop config");
    let mut command = Command::new("btop");
    command.env("XDG_CONFIG_HOME", scratch);
    measure(&mut command, None, b"q")
}

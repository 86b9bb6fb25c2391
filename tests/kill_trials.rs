//! Randomised kill trials: each trial picks a demo, an engine, parameters within their
//! ranges, the lecture or headless, a moment and an ending, then checks that within a second
//! no process of the demo is left, that the terminal is restored whenever lectern could restore
//! it, and that the run left nothing in its temporary directory or in `/dev/shm`.
//!
//! Seeded and reproducible: a failing trial names its seed, and
//! `LECTERN_TRIAL_SEED=N cargo test --release --test kill_trials` replays exactly it.
//! `LECTERN_TRIALS=200` runs more trials (the default suite runs 20).

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lectern::demo_runtime::params::{Default as ParamDefault, Kind};
use lectern::demos::ALL;
use support::{LECTERN, Tmux, alive, tagged};

/// How long leftover processes may take to go.
const GRACE: Duration = Duration::from_secs(1);

/// splitmix64: small, seedable, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("small")
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How a trial ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Quit,
    CtrlC,
    SlideChange,
    Stop,
    RestartTwice,
    SigTerm,
    SigHup,
    SigKillLectern,
    SigKillWorker,
    CloseTerminal,
}

impl Ending {
    /// Endings that leave lectern running: the demo must go, lectern must not.
    fn lectern_lives(self) -> bool {
        matches!(
            self,
            Self::SlideChange | Self::Stop | Self::RestartTwice | Self::SigKillWorker
        )
    }
}

const LECTURE_ENDINGS: &[Ending] = &[
    Ending::Quit,
    Ending::CtrlC,
    Ending::SlideChange,
    Ending::Stop,
    Ending::RestartTwice,
    Ending::SigTerm,
    Ending::SigHup,
    Ending::SigKillLectern,
    Ending::SigKillWorker,
    Ending::CloseTerminal,
];

/// Headless runs have no keys but Ctrl-C.
const HEADLESS_ENDINGS: &[Ending] = &[
    Ending::CtrlC,
    Ending::SigTerm,
    Ending::SigHup,
    Ending::SigKillLectern,
    Ending::SigKillWorker,
    Ending::CloseTerminal,
];

/// One trial, drawn from its seed.
#[derive(Debug)]
struct Trial {
    seed: u64,
    demo: &'static str,
    engine: &'static str,
    params: Vec<(String, String)>,
    lecture: bool,
    /// After the demo's first process appears.
    moment: Duration,
    ending: Ending,
    /// Whether the demo is the example lesson's own (`handoff`, a Python script beside it).
    own: bool,
}

/// The example lesson, whose own demo the lesson-demo trials run.
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/lessons/examples/26-shared-memory.md"
);

impl Trial {
    fn draw(seed: u64) -> Self {
        let mut rng = Rng(seed);
        let demo = *rng.pick(ALL);
        let spec = demo.spec();
        let engine = *rng.pick(&["native", "python"]);
        // Parameters drawn until they make sense together (a cap too small for the
        // workers asked for is refused, rightly, before anything starts).
        let mut params = Vec::new();
        for _ in 0..20 {
            params = draw_params(&mut rng, spec);
            let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            if lectern::demo_runtime::RunRequest::from_pairs(demo, pairs).is_ok() {
                break;
            }
            params.clear();
        }
        let lecture = rng.below(3) > 0;
        let moment = Duration::from_millis(match rng.below(3) {
            0 => rng.below(150) as u64,         // during start-up
            1 => 300 + rng.below(1200) as u64,  // mid-run
            _ => 2000 + rng.below(1500) as u64, // late: lingering, or finished
        });
        let ending = if lecture {
            *rng.pick(LECTURE_ENDINGS)
        } else {
            *rng.pick(HEADLESS_ENDINGS)
        };
        Self {
            seed,
            demo: spec.name,
            engine,
            params,
            lecture,
            moment,
            ending,
            own: false,
        }
    }

    /// A trial of the example lesson's own demo (CPython only) ending as `ending`.
    fn own(seed: u64, lecture: bool, ending: Ending) -> Self {
        Self {
            seed,
            demo: "handoff",
            engine: "python",
            // Big enough to be mid-run when the ending comes.
            params: vec![("size_mib".into(), "256".into())],
            lecture,
            moment: Duration::from_millis(300),
            ending,
            own: true,
        }
    }

    /// The shell command that starts lectern for this trial.
    fn command(&self, tag: &str, tmp: &Path, lesson: &Path) -> String {
        let env = format!("TMPDIR={} LECTERN_TEST_TAG={tag}", tmp.display());
        if self.lecture {
            format!(
                "{env} {LECTERN} --engine {} {}",
                self.engine,
                lesson.display()
            )
        } else {
            let sets: String = self
                .params
                .iter()
                .fold(String::new(), |acc, (k, v)| acc + " --set " + k + "=" + v);
            let from = if self.own {
                format!(" --lesson {EXAMPLE}")
            } else {
                String::new()
            };
            format!(
                "{env} {LECTERN} demo {}{from} --engine {}{sets}",
                self.demo, self.engine
            )
        }
    }

    fn lesson(&self) -> String {
        let params: String = self
            .params
            .iter()
            .fold(String::new(), |acc, (k, v)| acc + " " + k + "=" + v);
        // The lesson's own demo is declared as the example declares it, its script found
        // where the example keeps it.
        let front = if self.own {
            let example = std::fs::read_to_string(EXAMPLE).expect("the example lesson");
            let script = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/lessons/examples/demos/handoff.py"
            );
            let end = example[3..].find("+++").expect("front matter") + 6;
            example[..end].replace("\"demos/handoff.py\"", &format!("\"{script}\"")) + "\n"
        } else {
            String::new()
        };
        format!(
            "{front}## Trial {}\n\n<!-- demo: {}{params} -->\n\n---\n\n## Elsewhere\n\nNo demo here.\n",
            self.seed, self.demo
        )
    }
}

/// One value per parameter (or the default), each within its range.
fn draw_params(
    rng: &mut Rng,
    spec: &lectern::demo_runtime::unit::DemoSpec,
) -> Vec<(String, String)> {
    spec.params
        .iter()
        .filter_map(|p| {
            let quick = spec.quick.iter().find(|(k, _)| *k == p.name).map(|q| q.1);
            let value = match p.kind {
                Kind::Bool => Some(rng.pick(&["true", "false"]).to_string()),
                Kind::Choice(words) => Some((*rng.pick(words)).to_string()),
                Kind::Int { min, max } => {
                    let default = match p.default {
                        ParamDefault::Int(n) => n,
                        _ => min,
                    };
                    // Within the range, and no bigger than twice the lecture's value, so a
                    // trial stays a few seconds long.
                    let top = max.min(default.saturating_mul(2).max(min));
                    let span = u64::try_from(top - min).unwrap_or(0) + 1;
                    let random = min + i64::try_from(rng.next() % span).unwrap_or(0);
                    match rng.below(3) {
                        0 => quick.map(str::to_string),
                        1 => Some(random.to_string()),
                        _ => None,
                    }
                }
            };
            value.map(|v| (p.name.to_string(), v))
        })
        .collect()
}

/// The lectern process of the trial: the tagged process whose parent is the shell.
fn lectern_pid(tag: &str, shell: u32) -> Option<u32> {
    tagged(tag)
        .into_iter()
        .find(|pid| ppid(*pid) == Some(shell))
}

fn ppid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.split(' ').nth(1)?.parse().ok()
}

fn cmdline(pid: u32) -> String {
    String::from_utf8_lossy(&std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default())
        .replace('\0', " ")
}

/// The demo's own first process: the one its supervisor started.
fn worker(tag: &str) -> Option<u32> {
    let procs = tagged(tag);
    procs
        .iter()
        .copied()
        .filter(|pid| ppid(*pid).is_some_and(|parent| cmdline(parent).contains("worker supervise")))
        .min()
}

fn demo_processes(tag: &str, except: Option<u32>) -> Vec<u32> {
    tagged(tag)
        .into_iter()
        .filter(|p| Some(*p) != except)
        .collect()
}

/// Waits up to `limit` for every tagged process but `except` to be gone.
fn gone_within(tag: &str, except: Option<u32>, limit: Duration) -> Result<(), String> {
    let start = Instant::now();
    loop {
        let left = demo_processes(tag, except);
        if left.is_empty() {
            return Ok(());
        }
        if start.elapsed() > limit {
            let described: Vec<String> = left
                .iter()
                .map(|p| format!("{p} {}", cmdline(*p)))
                .collect();
            return Err(format!("still alive after {limit:?}: {described:?}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success() || !alive(pid), "kill -{name} {pid}");
}

/// Leftovers in the trial's TMPDIR and in `/dev/shm` from lectern `pid`'s runs.
fn leftovers(tmp: &Path, pid: u32) -> Vec<PathBuf> {
    let mut left: Vec<PathBuf> = std::fs::read_dir(tmp)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    let prefix = format!("lectern-demo-{pid}-");
    left.extend(
        std::fs::read_dir("/dev/shm")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path()),
    );
    left
}

/// Ends the trial the way it drew.
fn end(tmux: &Tmux, tag: &str, ui: u32, ending: Ending, lecture: bool) {
    match ending {
        Ending::Quit => tmux.quit(),
        Ending::CtrlC => tmux.keys(&["C-c"]),
        Ending::SlideChange => tmux.keys(&["Right"]),
        Ending::Stop => tmux.keys(&["x"]),
        Ending::RestartTwice => {
            tmux.keys(&["r"]);
            tmux.keys(&["r"]);
            std::thread::sleep(Duration::from_millis(300));
            tmux.keys(&["x"]);
        }
        Ending::SigTerm => signal(ui, "TERM"),
        Ending::SigHup => signal(ui, "HUP"),
        Ending::SigKillLectern => signal(ui, "KILL"),
        Ending::SigKillWorker => match worker(tag) {
            Some(pid) => signal(pid, "KILL"),
            // No worker (yet, or any more): stop the demo the ordinary way.
            None if lecture => tmux.keys(&["x"]),
            None => {}
        },
        Ending::CloseTerminal => tmux.close(),
    }
}

/// Runs one trial; `Ok` says how many processes the demo had when the ending came, `Err`
/// what went wrong.
fn run(trial: &Trial) -> Result<usize, String> {
    let tag = format!("trial-{}-{}", std::process::id(), trial.seed);
    let dir = std::env::temp_dir().join(&tag);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let lesson = dir.join("trial.md");
    std::fs::write(&lesson, trial.lesson()).map_err(|e| e.to_string())?;
    let tmux = Tmux::shell(120, 40);
    let shell = tmux.shell_pid();
    tmux.type_line(&trial.command(&tag, &tmp, &lesson));
    // lectern is up, then the demo (in the lecture, Enter starts it).
    let start = Instant::now();
    let ui = loop {
        if let Some(pid) = lectern_pid(&tag, shell) {
            break pid;
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("lectern did not start:\n{}", tmux.screen()));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if trial.lecture {
        tmux.wait_for("Trial");
        tmux.keys(&["Enter"]);
    }
    // The demo's first process, or (a refused run, a fast one) none within 3 s.
    let start = Instant::now();
    while worker(&tag).is_none() && start.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(trial.moment);
    let at_the_end = demo_processes(&tag, Some(ui)).len();
    // A short headless run may be over before the ending comes: then it exited on its own.
    let ended_first = !alive(ui);
    // Headless, lectern ends with its demo whatever ended it.
    let lives = trial.lecture && trial.ending.lectern_lives();
    // Keys for lectern must not land in the shell once it is gone.
    let ending = if ended_first {
        None
    } else {
        Some(trial.ending)
    };
    match ending {
        None => {}
        Some(ending) => end(&tmux, &tag, ui, ending, trial.lecture),
    }
    gone_within(&tag, lives.then_some(ui), GRACE)?;
    if lives {
        if !alive(ui) {
            return Err("lectern died with its demo".into());
        }
        tmux.quit();
        gone_within(&tag, None, GRACE)?;
    }
    // The terminal, wherever lectern could restore it (not after SIGKILL, not without one).
    match trial.ending {
        Ending::SigKillLectern | Ending::CloseTerminal => {}
        _ if ended_first => tmux.assert_terminal_restored(0),
        Ending::SigTerm => tmux.assert_terminal_restored(143),
        Ending::SigHup => tmux.assert_terminal_restored(129),
        // Ctrl-C may reach a headless run just as it ends on its own.
        Ending::CtrlC if !trial.lecture => tmux.assert_terminal_restored_one_of(&[130, 0]),
        _ if !trial.lecture => {}
        _ => tmux.assert_terminal_restored(0),
    }
    // The runner (or, when lectern was killed, the supervisor) removes the run's files.
    let start = Instant::now();
    loop {
        let left = leftovers(&tmp, ui);
        if left.is_empty() {
            break;
        }
        if start.elapsed() > GRACE {
            return Err(format!("left behind: {left:?}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(at_the_end)
}

fn trials(default: u64) -> Vec<u64> {
    if let Some(seed) = std::env::var("LECTERN_TRIAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return vec![seed];
    }
    let count: u64 = std::env::var("LECTERN_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    // A fixed base, so the default suite runs the same trials every time.
    (0..count).map(|i| 0x1ec7_e000 + i).collect()
}

#[test]
fn no_demo_outlives_any_ending_in_randomised_trials() {
    let mut failures = Vec::new();
    let mut with_processes = 0;
    let seeds = trials(20);
    let started = Instant::now();
    for &seed in &seeds {
        let trial = Trial::draw(seed);
        let result = std::panic::catch_unwind(|| run(&trial)).unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {message}"))
        });
        let verdict = match &result {
            Ok(n) => format!("ok, {n} demo processes were running"),
            Err(_) => "FAILED".into(),
        };
        with_processes += usize::from(result.as_ref().is_ok_and(|n| *n > 0));
        eprintln!(
            "trial {seed}: {} {} {} {:?} at {:?} → {verdict}",
            trial.demo,
            trial.engine,
            if trial.lecture { "lecture" } else { "headless" },
            trial.ending,
            trial.moment
        );
        if let Err(why) = result {
            failures.push(format!(
                "seed {seed} ({trial:?}): {why}\n  replay: LECTERN_TRIAL_SEED={seed} cargo test --release --test kill_trials"
            ));
        }
    }
    eprintln!(
        "{} trials in {:.0} s: {} failed",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A harness whose endings never met a running demo would prove nothing.
    assert!(
        with_processes * 2 >= seeds.len(),
        "only {with_processes} of {} trials ended a running demo",
        seeds.len()
    );
}

/// The example lesson's own demo — a Python script the author wrote — is held to the same
/// clean-up: killed with lectern (`kill -9`, headless and in the lecture), on Ctrl-C, and on
/// a slide change; its shared memory block, named after the run, goes too.
#[test]
fn a_lessons_own_demo_outlives_no_ending() {
    let mut failures = Vec::new();
    for (seed, lecture, ending) in [
        (1, false, Ending::SigKillLectern),
        (2, false, Ending::CtrlC),
        (3, true, Ending::SigKillLectern),
        (4, true, Ending::SlideChange),
    ] {
        let trial = Trial::own(seed, lecture, ending);
        match run(&trial) {
            // Each ending came while the demo's processes ran, or it proves nothing.
            Ok(0) => failures.push(format!("{trial:?}: no demo process was running")),
            Ok(_) => {}
            Err(why) => failures.push(format!("{trial:?}: {why}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

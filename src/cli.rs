//! Command-line interface.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::demo_runtime::engine::EngineChoice;
use crate::sampler::{DEFAULT_RATE_HZ, MAX_RATE_HZ, MIN_RATE_HZ};
use crate::theme::ThemeName;

/// lectern — a terminal lecture companion with live, measured demos.
///
/// Without a subcommand, presents a lesson full screen (the built-in Lecture 25 unless a
/// file is given). Press `?` inside for the keys.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; presenting is the default.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for presenting.
    #[command(flatten)]
    pub present: PresentArgs,
}

/// The room takes a class: students join from their laptops.
#[derive(Debug, Clone, clap::Args)]
pub struct ClassArgs {
    /// Take a class: listen for students (`lectern join`) and show how to join
    #[arg(long)]
    pub class: bool,
    /// Where the class listens [default: 0.0.0.0:47125, every interface]
    #[arg(long, value_name = "ADDR:PORT", requires = "class")]
    pub listen: Option<std::net::SocketAddr>,
    /// Students at most
    #[arg(long, value_name = "N", default_value_t = 200, requires = "class")]
    pub max_students: usize,
}

/// What a recording shows its viewers besides the lecture.
#[derive(Debug, Clone, clap::Args)]
pub struct AidArgs {
    /// Captions at the bottom of the frame: `notes` shows each slide's "Say:" paragraph (a
    /// script's `caption "…"` shows its own either way); recordings get them as subtitles
    /// (`.vtt`) too
    #[arg(long, value_name = "FROM", value_parser = ["notes"])]
    pub captions: Option<String>,
    /// Show the keys pressed, by a person or a script, for a second or two (for recordings)
    #[arg(long)]
    pub show_keys: bool,
}

/// Options for presenting a lesson.
#[derive(Debug, Args)]
pub struct PresentArgs {
    /// Lesson file to present [default: the built-in Lecture 25]
    #[arg(value_name = "LESSON")]
    pub lesson: Option<PathBuf>,
    /// Colour theme; high-contrast suits projectors. `NO_COLOR` turns colour off in any theme.
    #[arg(long, value_enum, default_value_t = ThemeName::Dark)]
    pub theme: ThemeName,
    /// Start at slide N (1-based)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub slide: Option<u16>,
    /// Gauge samples per second (1–20)
    #[arg(long, value_name = "R", default_value_t = DEFAULT_RATE_HZ, value_parser = rate_parser())]
    pub rate_hz: u8,
    /// Which engine runs the demos (E switches during the lecture)
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Draw at this size whatever the window's size, centred in it (e.g. 120x36), so every
    /// take of a recording has the same size
    #[arg(long, value_name = "COLSxROWS", value_parser = parse_size)]
    pub size: Option<ratatui::layout::Size>,
    /// Record the session as an asciicast v2 file, with a marker at each slide and demo
    #[arg(long, value_name = "FILE.cast")]
    pub record: Option<PathBuf>,
    /// Where `w` writes the handout: every slide, with the verdicts measured in this session
    #[arg(long, value_name = "FILE.html", default_value = "lectern-handout.html")]
    pub handout: PathBuf,
    /// Take this lesson's last saved session back at once: its slide, timer, demo runs and
    /// verdicts (without it, the first screen offers it)
    #[arg(long, conflicts_with = "fresh")]
    pub resume: bool,
    /// Start afresh, without offering the last saved session (this one is saved over it)
    #[arg(long)]
    pub fresh: bool,
    /// Run a tour script (keys, pauses, waits); lectern quits when it ends. With --size it
    /// needs no terminal, so a recording can be made in CI
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Learn mode: before each demo with a question, you predict, then it measures (L
    /// toggles it in the lecture)
    #[arg(long)]
    pub learn: bool,
    /// Aids for a recording's viewers.
    #[command(flatten)]
    pub aids: AidArgs,
    /// How many runs of each claim's demo the verdicts' Enter makes (1 for a short tour)
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub runs: u16,
}

/// The largest `--size` accepted: far beyond any screen, small enough to keep frames cheap.
const MAX_COLS: u16 = 1000;
const MAX_ROWS: u16 = 500;

/// Parses `COLSxROWS` (`120x36`, `120×36`).
///
/// # Errors
/// A message saying what is expected.
pub fn parse_size(text: &str) -> Result<ratatui::layout::Size, String> {
    use crate::ui::too_small::{MIN_HEIGHT, MIN_WIDTH};
    let expected = || format!("`{text}` is not a size; write COLSxROWS, e.g. 120x36");
    let (cols, rows) = text.split_once(['x', 'X', '×']).ok_or_else(expected)?;
    let cols: u16 = cols.trim().parse().map_err(|_| expected())?;
    let rows: u16 = rows.trim().parse().map_err(|_| expected())?;
    if cols < MIN_WIDTH || rows < MIN_HEIGHT {
        return Err(format!(
            "{cols}x{rows} is too small: lectern needs at least {MIN_WIDTH}x{MIN_HEIGHT}"
        ));
    }
    if cols > MAX_COLS || rows > MAX_ROWS {
        return Err(format!(
            "{cols}x{rows} is too large: at most {MAX_COLS}x{MAX_ROWS}"
        ));
    }
    Ok(ratatui::layout::Size::new(cols, rows))
}

/// Choosing the engine that runs demos.
#[derive(Debug, Clone, Args)]
pub struct EngineArgs {
    /// native: lectern's own Rust; python: the demo's twin on real CPython; auto: CPython
    /// when a CPython 3.8+ is found, else native
    #[arg(long, value_enum, default_value_t = EngineChoice::Auto)]
    pub engine: EngineChoice,
    /// The CPython to run twins with [default: `$LECTERN_PYTHON`, else python3]; repeat it
    /// and `E` runs the demo shown on each in turn
    #[arg(long, value_name = "PATH")]
    pub python: Vec<OsString>,
}

/// Accepts session names the presenter link can use as file names.
fn session_name(text: &str) -> Result<String, String> {
    crate::link::dir::check_name(text)
        .map(|()| text.to_string())
        .map_err(|err| err.to_string())
}

/// Accepts sampling rates lectern supports.
fn rate_parser() -> clap::builder::RangedI64ValueParser<u8> {
    clap::value_parser!(u8).range(i64::from(MIN_RATE_HZ)..=i64::from(MAX_RATE_HZ))
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Present for the room, with the speaker's screen in another terminal: the same as
    /// `lectern` without a subcommand, and it listens for `lectern presenter` on a local
    /// socket in a private directory (no network port).
    Present {
        /// Options for presenting.
        #[command(flatten)]
        args: PresentArgs,
        /// Students' laptops.
        #[command(flatten)]
        class: ClassArgs,
        /// This session's name, for `lectern presenter --name` [default: the lesson file's
        /// name, with `-2`, `-3`… when another lecture uses it]
        #[arg(long, value_parser = session_name)]
        name: Option<String>,
    },
    /// The presenter's screen, for the laptop while `lectern present` shows the room: the
    /// current slide's notes, the next slide, the timer against the planned length and the
    /// demo's state. Keys here drive both screens; q quits only this one.
    Presenter {
        /// Which lecture to follow [default: the only one being presented]
        #[arg(long, value_parser = session_name)]
        name: Option<String>,
        /// Colour theme
        #[arg(long, value_enum, default_value_t = ThemeName::Dark)]
        theme: ThemeName,
    },
    /// Run a command and show live CPU and memory gauges for its whole process tree.
    ///
    /// The command runs in its own process group; its output goes to a pane (or, with
    /// --json, into the JSON stream). lectern exits with the command's exit status.
    Watch(WatchArgs),
    /// List the demos, the slides they serve and their parameters.
    Demos {
        /// Also list this lesson's own demos (declared in its front matter), first.
        #[arg(long, value_name = "FILE")]
        lesson: Option<PathBuf>,
    },
    /// What you predicted in learn mode (`--learn`) and what your machine measured, per
    /// slide, with what is worth another look.
    Progress {
        /// Lesson file [default: the built-in Lecture 25]
        #[arg(value_name = "LESSON")]
        lesson: Option<PathBuf>,
        /// One JSON object per answered question, one per line
        #[arg(long)]
        json: bool,
        /// Forget every answer to this lesson
        #[arg(long)]
        reset: bool,
    },
    /// Check the lesson's claims on this machine: run every demo they need (on both engines
    /// where available) and print one row per claim with the measured value and a verdict.
    Report {
        /// Lesson file [default: the built-in Lecture 25]
        #[arg(value_name = "LESSON")]
        lesson: Option<PathBuf>,
        /// Engines to measure on: both (where CPython is available), native or python
        #[arg(long, default_value = "both", value_parser = ["both", "native", "python"])]
        engine: String,
        /// A CPython to run twins with; repeat it for one column per interpreter [default:
        /// `$LECTERN_PYTHON`, else python3]
        #[arg(long, value_name = "PATH")]
        python: Vec<OsString>,
        /// One JSON object per claim and column, one per line, instead of Markdown
        #[arg(long)]
        json: bool,
        /// Run each demo with its quick parameters under the claim's own: a fast smoke run
        /// whose numbers are not the lecture's (the report says so); one run each unless
        /// --runs says otherwise
        #[arg(long)]
        quick: bool,
        /// How many times to make each run (interleaved); verdicts are judged on all of them
        /// [default: 3, or 1 with --quick]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=50))]
        runs: Option<u16>,
    },
    /// Write the lesson as one self-contained HTML handout (`--html`: every slide, its
    /// highlighted code, demos, claims with measured verdicts from `lectern report --json`,
    /// speaker notes; reads offline, prints one slide per page), or turn a recording into a
    /// replay page (`--replay`) or a GIF (`--gif`).
    #[command(group = clap::ArgGroup::new("what").required(true).args(["html", "replay", "gif"]))]
    Export {
        /// The handout to write.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// A recording (`--record`) to write as one offline page: the player, chapters from
        /// its markers, its captions (`.vtt` beside it).
        #[arg(long, value_name = "CAST")]
        replay: Option<PathBuf>,
        /// A recording to render as an animated GIF, in the theme's colours.
        #[arg(long, value_name = "CAST")]
        gif: Option<PathBuf>,
        /// Where the page or the GIF goes [default: the recording's name, .html or .gif].
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// GIF frames per second (1–30).
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u8).range(1..=30))]
        fps: u8,
        /// GIF: start at the marker whose label contains this (e.g. "3: Process Start").
        #[arg(long, value_name = "MARKER")]
        from: Option<String>,
        /// GIF: stop at the marker whose label contains this.
        #[arg(long, value_name = "MARKER")]
        to: Option<String>,
        /// Verdicts to show beside the claims: the output of `lectern report --json`.
        #[arg(long, value_name = "JSONL")]
        results: Option<PathBuf>,
        /// Put your predictions from learn mode (`lectern progress`) beside the claims.
        #[arg(long)]
        progress: bool,
        /// Lesson file [default: the built-in Lecture 25]
        #[arg(value_name = "LESSON")]
        lesson: Option<PathBuf>,
    },
    /// Run one demo without the slide view: progress, then a results table.
    Demo {
        /// The demo's name (see `lectern demos`).
        name: String,
        /// Find the demo among this lesson's own demos first (its `[[demo]]` declarations).
        #[arg(long, value_name = "FILE")]
        lesson: Option<PathBuf>,
        /// Set a parameter, e.g. `--set children=4` (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Print the demo's events as JSON lines (the last is the summary).
        #[arg(long)]
        json: bool,
        /// Start from the demo's quick parameters (a short run that still shows the point);
        /// `--set` still overrides them.
        #[arg(long)]
        quick: bool,
        /// Which engine runs it.
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Internal: lectern re-executed as a helper process.
    #[command(hide = true)]
    Worker {
        /// What the helper does.
        #[command(subcommand)]
        job: WorkerJob,
    },
    /// Join a class: follow the room's lecture on this machine, predict, and send the room
    /// what this machine measures (`lectern present --class` shows the command to type).
    Join {
        /// The room's address, as the projector shows it.
        #[arg(value_name = "HOST:PORT")]
        addr: String,
        /// The join code the projector shows.
        code: String,
        /// The room's lesson file, when it presents one (the same file: its hash is checked).
        #[arg(long, value_name = "FILE")]
        lesson: Option<PathBuf>,
        /// Your name in the room's counts [default: your user name].
        #[arg(long)]
        name: Option<String>,
        /// Simulate N students instead, in this process (for trying a room under load).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
        simulate: Option<u16>,
        /// How long the simulated students stay.
        #[arg(long, value_name = "S", default_value_t = 60, requires = "simulate")]
        seconds: u64,
    },
    /// Write a starter lesson and its own demo (a Python script beside it); never overwrites.
    New {
        /// The lesson file to write (`lecture-26.md`); the demo goes in `demos/` beside it.
        #[arg(value_name = "FILE.md")]
        path: PathBuf,
    },
    /// Validate lesson files: one `PATH:LINE:COL: message` line per problem; exit 1 on errors.
    Check {
        /// Lesson files to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// Options of `lectern watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Samples per second (1–20)
    #[arg(long, value_name = "R", default_value_t = DEFAULT_RATE_HZ, value_parser = rate_parser())]
    pub rate_hz: u8,
    /// Stop the command after N seconds (SIGTERM to its group, SIGKILL a second later)
    #[arg(long, value_name = "N", value_parser = positive_seconds)]
    pub seconds: Option<f64>,
    /// No full-screen view: print one JSON object per line (samples, output, exit)
    #[arg(long)]
    pub json: bool,
    /// Colour theme of the full-screen view
    #[arg(long, value_enum, default_value_t = ThemeName::Dark)]
    pub theme: ThemeName,
    /// Leave as soon as the command ends (by default the view stays, with its exit status,
    /// until a key is pressed)
    #[arg(long)]
    pub exit: bool,
    /// The command to run, after `--`
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<OsString>,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok(n),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

/// Jobs of the hidden worker mode.
#[derive(Debug, Subcommand)]
pub enum WorkerJob {
    /// Run a demo, reporting in the line protocol on stdout.
    Demo {
        /// The demo's name.
        name: String,
        /// PID of the lectern process that started this worker.
        #[arg(long)]
        parent: u32,
        /// The parameters, as the JSON object the runner wrote (checked again here).
        #[arg(long, default_value = "{}")]
        params: String,
    },
    /// Run a job for a process a demo started by exec.
    Child {
        /// The demo that started it.
        demo: String,
        /// The job, as the demo wrote it (JSON).
        job: String,
    },
    /// Run a program (a CPython twin) as a demo, in this process group, under supervision:
    /// the cap enforced from outside, the whole group killed at the end or on stop.
    Supervise {
        /// PID of the lectern process that started this helper.
        #[arg(long)]
        parent: u32,
        /// Most processes the demo may have (the interpreter's own helpers come on top).
        #[arg(long)]
        cap: u32,
        /// The program and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<OsString>,
    },
    /// Highlight Python for the lecture's UI: a JSON array of sources on stdin, their
    /// highlighted lines on stdout (so tree-sitter never lives in the UI's memory).
    Highlight {
        /// PID of the lectern process that started this helper.
        #[arg(long)]
        parent: u32,
    },
    /// Ask to die with the parent, then exec the command.
    Exec {
        /// PID of the lectern process that started this helper.
        #[arg(long)]
        parent: u32,
        /// The command to exec.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<OsString>,
    },
}

//! Messages into the lecture's UI thread and the effects its `update` asks the loop to
//! perform. (`lectern watch` has messages of its own: [`crate::watch::Msg`].)

use crossterm::event::{KeyEvent, MouseEvent};

use crate::demo_runtime::protocol::Event;
use crate::input::{FromInput, Input};
use crate::process::ExitInfo;
use crate::sampler::Sample;
use crate::terminal::ExitReason;

/// Everything that can change the lecture's state, sent on the one channel the UI thread
/// reads. Payloads are owned so senders never share memory with the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key was pressed (presses and auto-repeats; releases are dropped at the source).
    Key(KeyEvent),
    /// The mouse was clicked or its wheel turned.
    Mouse(MouseEvent),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// Time passed: the timer's displayed second may have changed.
    Tick,
    /// The sampler measured the cores and the tracked processes.
    Sample(Box<Sample>),
    /// Where things fall on screen now (the loop works it out after the state changed, so
    /// `update` never calls the drawing code).
    Layout(LayoutFacts),
    /// A running demo reported something.
    Demo {
        /// Which run (older runs' messages are ignored).
        run: u64,
        /// What it reported.
        event: Event,
    },
    /// A demo's worker ended and has been reaped.
    DemoExited {
        /// Which run.
        run: u64,
        /// How the worker ended.
        exit: ExitInfo,
    },
    /// A slide's running code printed a line.
    SnippetOutput {
        /// Which snippet run.
        run: u64,
        /// Standard output or error.
        stream: crate::process::Stream,
        /// The line, without its newline.
        line: String,
    },
    /// A slide's code has ended (or was stopped) and its interpreter was reaped.
    SnippetExited {
        /// Which snippet run.
        run: u64,
        /// How it ended.
        exit: ExitInfo,
    },
    /// The engines demos can run on are known (CPython is looked for after the first frame).
    Engines(Box<crate::demo_runtime::launch::Engines>),
    /// The lesson's Python blocks, highlighted by a helper process (see
    /// `lesson::highlight::highlight_elsewhere`), in the order of `Lesson::python_blocks`.
    Highlighted(Vec<Vec<Vec<crate::lesson::CodeToken>>>),
    /// A student joined, left, answered or measured (the room's class).
    Class(crate::classroom::ClassEvent),
    /// The room said something (a student's lecture).
    FromRoom(crate::classroom::frames::ToStudent),
    /// Show this caption at the bottom of the frame (a script's `caption "…"`), or none.
    Caption(Option<String>),
    /// The handout was written (what to tell the presenter), or why not.
    HandoutWritten(Result<String, String>),
    /// The lesson's file (or a demo script of its own) was saved: the lesson read and checked
    /// again, or the first problem that keeps it from being presented (`FILE:LINE:COL: …`).
    LessonReloaded(Result<Reloaded, String>),
    /// The learner's editor closed on slide `slide`'s code: what was saved, or why nothing.
    CodeEdited {
        /// The slide (0-based).
        slide: usize,
        /// The code as saved, or why there is none.
        outcome: Result<String, String>,
    },
    /// A presenter screen connected, left, or pressed a key (handled as if typed here).
    Link(crate::link::LinkEvent),
    /// A termination signal arrived (SIGINT, SIGTERM or SIGHUP): restore and leave.
    Signal(i32),
    /// Reading terminal input failed (for instance the terminal went away).
    InputFailed(String),
}

impl FromInput for Msg {
    fn from_input(input: Input) -> Option<Self> {
        Some(match input {
            Input::Key(key) => Self::Key(key),
            Input::Mouse(mouse) => Self::Mouse(mouse),
            Input::Resize(width, height) => Self::Resize(width, height),
            Input::Signal(signal) => Self::Signal(signal),
            Input::Failed(why) => Self::InputFailed(why),
        })
    }
}

/// What `update` asks the event loop to do; the loop performs it, keeping `update` pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The state changed in a way the screen shows: draw a new frame.
    Redraw,
    /// Leave the event loop, restore the terminal and exit.
    Quit(ExitReason),
    /// Start the run `request` asks for as run number `run`.
    StartDemo {
        /// The run's number.
        run: u64,
        /// The demo and its checked parameters.
        request: crate::demo_runtime::RunRequest,
        /// The engine to run it on (native when the demo has no twin or CPython is not
        /// ready).
        engine: crate::demo_runtime::engine::Engine,
        /// Which CPython, on the CPython engine (0: the first `--python`).
        interpreter: usize,
    },
    /// Kill every process of run `run`.
    StopDemo {
        /// The run's number.
        run: u64,
    },
    /// Run `code` (a slide's Python) as snippet run `run`.
    StartSnippet {
        /// The run's number.
        run: u64,
        /// The code.
        code: String,
    },
    /// Kill every process of snippet run `run`.
    StopSnippet {
        /// The run's number.
        run: u64,
    },
    /// Lend the terminal to the learner's editor on `code`, slide `slide`'s; answer with
    /// [`Msg::CodeEdited`].
    EditCode {
        /// The slide (0-based).
        slide: usize,
        /// The code to start from: the learner's copy, else the slide's own.
        code: String,
    },
    /// Highlight the (reloaded) lesson's code blocks, where highlighting is done elsewhere.
    HighlightLesson,
    /// Write the handout (HTML) with this session's verdicts; answer with
    /// [`Msg::HandoutWritten`].
    WriteHandout,
    /// Tell the sampler something: label a demo's process.
    Sampler(crate::sampler::Command),
    /// Take run `run`'s processes off the gauges, its supervisor's row included: a rerun's
    /// rows are its own, and a new slide starts with its own demos' processes.
    ForgetRun {
        /// The run's number.
        run: u64,
    },
}

/// Facts about the screen's layout that key handling needs. The drawing code works them out
/// from the state (the event loop sends them after every change that can move them), so
/// `update` never calls into the drawing code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayoutFacts {
    /// How far the current slide can scroll down.
    pub slide_max_scroll: usize,
    /// Slide lines visible at once.
    pub slide_page: usize,
    /// How far the speaker notes can scroll down.
    pub notes_max_scroll: usize,
    /// Notes lines visible at once.
    pub notes_page: usize,
    /// Whether the demo panel beside the slide is too small to show a run.
    pub demo_cramped: bool,
    /// How far the demo panel's body can scroll down.
    pub demo_max_scroll: usize,
    /// Demo panel body lines visible at once.
    pub demo_page: usize,
    /// Lines the demo panel's content has, when its height may follow them (no run going);
    /// `None` while a run goes, when the gauges keep their share of the column.
    pub demo_rows: Option<u16>,
}

/// A lesson read again after a save.
#[derive(Debug, Clone)]
pub struct Reloaded {
    /// The lesson, resolved and checked.
    pub lesson: Box<crate::resolved::ResolvedLesson>,
    /// The first line the save changed, if the lesson's own text changed: the lecture goes to
    /// the slide holding it.
    pub edited_line: Option<usize>,
}

/// Two reloads are the same when they read the same text (a resolved lesson is not
/// comparable as a whole: its claims hold demos).
impl PartialEq for Reloaded {
    fn eq(&self, other: &Self) -> bool {
        self.edited_line == other.edited_line && self.lesson.source_hash == other.lesson.source_hash
    }
}

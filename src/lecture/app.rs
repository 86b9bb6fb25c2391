//! The lecture's state: everything the room's screen shows, and nothing about how it is
//! drawn. It changes in one place, `App::update` (`update.rs`), which takes a message
//! and returns effects and never touches the terminal, so every key and mouse behaviour is
//! testable with plain values.

use std::time::{Duration, Instant};

use ratatui::layout::Size;

use super::demo_panel_state::DemoPanel;
use super::msg::LayoutFacts;
use super::snippet::SnippetRun;
use super::stopwatch::Stopwatch;
use super::verdicts::Verdicts;

use super::run::Slot;
use super::session::SavedSession;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::{Demo, RunRequest};
use crate::lesson::{Lesson, Slide};
use crate::resolved::{ResolvedLesson, SlideDemo};
use crate::theme::Theme;
use crate::ui::gauges::store::Gauges;

/// The engine demos run on, and what the presenter can switch to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EngineChoiceState {
    /// The engine the next run uses.
    pub current: Engine,
    /// The CPython that runs twins (`CPython 3.11.7`), when one is ready.
    pub python: Option<String>,
    /// Why CPython is not used, to say once.
    pub why_not_python: Option<String>,
    /// Further interpreters (`--python` given more than once), described, in `E`'s order after
    /// the first.
    pub more: Vec<String>,
}

impl EngineChoiceState {
    /// The CPython numbered `interpreter` (0: the first), described.
    #[must_use]
    pub fn interpreter(&self, interpreter: usize) -> Option<&str> {
        match interpreter {
            0 => self.python.as_deref(),
            n => self.more.get(n - 1).map(String::as_str),
        }
    }
}

/// Text laid out for one slide, width and theme: what the drawing code would otherwise work
/// out again on every frame. The event loop fills it in after the slide, size, notes or theme
/// change; a frame uses it only when it matches what it is about to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidOut {
    /// Which slide.
    pub slide: usize,
    /// The width the text was wrapped to.
    pub width: usize,
    /// The theme it was styled with.
    pub theme: Theme,
    /// The lines.
    pub lines: Vec<ratatui::text::Line<'static>>,
}

/// The current slide's text and notes, laid out (see [`LaidOut`]).
#[derive(Debug, Clone, Default)]
pub struct LaidOutText {
    /// The slide's text.
    pub slide: Option<std::sync::Arc<LaidOut>>,
    /// Its speaker notes.
    pub notes: Option<std::sync::Arc<LaidOut>>,
}

impl LaidOutText {
    /// The cached slide text for `slide` at `width` in `theme`, if that is what is kept.
    #[must_use]
    pub fn slide_lines(
        &self,
        slide: usize,
        width: usize,
        theme: &Theme,
    ) -> Option<&[ratatui::text::Line<'static>]> {
        matching(self.slide.as_deref(), slide, width, theme)
    }

    /// The cached notes for `slide` at `width` in `theme`, if that is what is kept.
    #[must_use]
    pub fn notes_lines(
        &self,
        slide: usize,
        width: usize,
        theme: &Theme,
    ) -> Option<&[ratatui::text::Line<'static>]> {
        matching(self.notes.as_deref(), slide, width, theme)
    }
}

fn matching<'a>(
    kept: Option<&'a LaidOut>,
    slide: usize,
    width: usize,
    theme: &Theme,
) -> Option<&'a [ratatui::text::Line<'static>]> {
    kept.filter(|k| k.slide == slide && k.width == width && k.theme == *theme)
        .map(|k| k.lines.as_slice())
}

/// Everything the screen shows, and nothing about how it is drawn.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "help, notes and demo focus are independent toggles of the screen, and a pending \
              question; no state machine joins them"
)]
pub struct App {
    /// The lecture being presented (never without slides).
    pub lesson: Lesson,
    /// Each slide's demos, resolved when the lesson was loaded.
    pub slide_demos: Vec<Vec<SlideDemo>>,
    /// Styles to draw with.
    pub theme: Theme,
    /// Index of the current slide (0-based).
    pub slide: usize,
    /// Lines scrolled past at the top of a slide taller than the screen.
    pub scroll: usize,
    /// Lines scrolled past at the top of the speaker notes.
    pub notes_scroll: usize,
    /// Whether the key help overlay is shown.
    pub show_help: bool,
    /// Whether the speaker-notes pane is shown.
    pub show_notes: bool,
    /// Digits typed so far for a jump to a slide number.
    pub jump: String,
    /// A one-off message for the footer, cleared by the next key.
    pub status: Option<String>,
    /// When the footer's message is a notice, when it goes by itself.
    pub notice_until: Option<Instant>,
    /// The presenter's timer.
    pub stopwatch: Stopwatch,
    /// The time of the latest message, which is what the timer shows.
    pub now: Instant,
    /// Terminal size in cells.
    pub size: Size,
    /// CPU and memory measurements, live or frozen.
    pub gauges: Gauges,
    /// The demo panel: selection, parameters, runs.
    pub demos: DemoPanel,
    /// Whether the demo panel and the gauges have the screen (the slide keeps its title).
    pub demo_focus: bool,
    /// Where things fall on screen, as the drawing code last worked it out.
    pub layout: LayoutFacts,
    /// Which engine runs the demos, and whether CPython can.
    pub engines: EngineChoiceState,
    /// The lesson's claims and this session's verdicts on them.
    pub verdicts: Verdicts,
    /// Learn mode: questions before demos, and the answers given.
    pub learn: super::learn::Learn,
    /// The slide's text and notes as last laid out, kept so frames need not redo it.
    pub laid_out: LaidOutText,
    /// The latest run of a slide's code (`o`).
    pub snippet: Option<SnippetRun>,
    /// The run before it of the other version of the same slide's code (the slide's own
    /// beside the learner's copy), shown beside it.
    pub snippet_before: Option<SnippetRun>,
    /// The class this lecture takes part in, as the room or as a student (`None`: no class).
    pub class: Option<super::class_state::Class>,
    /// Aids for a recording's viewers: the caption, and the keys pressed (`--show-keys`).
    pub aids: super::aids::Aids,
    /// Why the last save of the lesson's file was not taken (its first problem), until a
    /// save that is.
    pub reload_error: Option<String>,
    /// The learner's edited copies of slides' code (`O`), by slide (0-based).
    pub code_copies: std::collections::HashMap<usize, String>,
    /// Snippet runs started so far (numbers the next).
    pub(super) snippet_runs: u64,
    /// Presenter screens connected (`lectern present`).
    pub presenters: usize,
    /// How many times code blocks received their highlighting from elsewhere: part of the
    /// layout's key, so slides are laid out again with the colours.
    pub highlights: u64,
    /// A saved session of this lesson, offered on the first screen until a key answers.
    pub offer: Option<Box<SavedSession>>,
    /// How long runs took on this machine, for the time the panel gives before Enter.
    pub timings: super::timings::Timings,
    /// Whether `q` was pressed once and asks to be pressed again.
    pub quit_asked: bool,
    /// When the mouse wheel last changed slide (wheel bursts must not skip slides).
    pub(super) last_wheel_turn: Option<Instant>,
    /// Counts the changes to what the screen shows other than the gauges and the clocks:
    /// every message but a sample (unless a demo is running: its panel keeps the samples)
    /// and the timer's tick, and every new layout of the slide. The parts of a frame other
    /// than the gauges are drawn again only when it moves (see [`plan`](crate::lecture::view::plan())).
    pub revision: u64,
}

impl App {
    /// A presenter at slide `start` (0-based, clamped), with the timer running from `now`.
    #[must_use]
    pub fn new(
        resolved: ResolvedLesson,
        theme: Theme,
        start: usize,
        size: Size,
        now: Instant,
    ) -> Self {
        let ResolvedLesson {
            lesson,
            demos: slide_demos,
            claims,
            ..
        } = resolved;
        let slide = start.min(lesson.slides.len().saturating_sub(1));
        let verdicts = Verdicts {
            claims,
            shown: lesson.slides.get(slide).is_some_and(|s| s.verdicts),
            ..Verdicts::default()
        };
        Self {
            lesson,
            slide_demos,
            theme,
            slide,
            scroll: 0,
            notes_scroll: 0,
            show_help: false,
            show_notes: false,
            jump: String::new(),
            status: None,
            notice_until: None,
            stopwatch: Stopwatch::running(now),
            now,
            size,
            gauges: Gauges::default(),
            demos: DemoPanel::default(),
            demo_focus: false,
            layout: LayoutFacts::default(),
            engines: EngineChoiceState::default(),
            verdicts,
            learn: super::learn::Learn::default(),
            laid_out: LaidOutText::default(),
            snippet: None,
            snippet_before: None,
            reload_error: None,
            aids: super::aids::Aids::default(),
            class: None,
            code_copies: std::collections::HashMap::new(),
            snippet_runs: 0,
            highlights: 0,
            presenters: 0,
            last_wheel_turn: None,
            quit_asked: false,
            offer: None,
            timings: super::timings::Timings::default(),
            revision: 0,
        }
    }

    /// Keeps `text` as the slide's text and notes laid out anew, and moves the revision:
    /// the slide and the notes are drawn from it.
    pub fn set_laid_out(&mut self, text: LaidOutText) {
        self.laid_out = text;
        self.revision = self.revision.wrapping_add(1);
    }

    /// The slide on screen.
    #[must_use]
    pub fn current_slide(&self) -> &Slide {
        &self.lesson.slides[self.slide]
    }

    /// The demos the slide on screen offers, in order.
    #[must_use]
    pub fn current_demos(&self) -> &[SlideDemo] {
        self.slide_demos.get(self.slide).map_or(&[], Vec::as_slice)
    }

    /// The engine Enter runs the demo at `slot` on: the one the lesson pins it to, else the
    /// session's; native when CPython is not ready or the demo has no twin.
    #[must_use]
    pub fn engine_for(&self, slot: Slot) -> Engine {
        let pinned = self
            .slide_demos
            .get(slot.0)
            .and_then(|demos| demos.get(slot.1))
            .and_then(|demo| demo.engine);
        match self.request_for(slot) {
            Some(request) => {
                self.runnable_on(request.demo(), pinned.unwrap_or(self.engines.current))
            }
            None => Engine::Native,
        }
    }

    /// `wanted`, if `demo` can run on it in this session; else native — except a lesson's own
    /// demo, which is CPython's.
    #[must_use]
    pub fn runnable_on(&self, demo: &dyn Demo, wanted: Engine) -> Engine {
        let twin_ready = demo.spec().python.is_some() && self.engines.python.is_some();
        // A lesson's own demo runs on CPython or not at all (and says why).
        if (wanted == Engine::Python && twin_ready) || !demo.native() {
            Engine::Python
        } else {
            Engine::Native
        }
    }

    /// What the demo at `slot` runs: the presenter's edit (`e`), else the lesson's request.
    #[must_use]
    pub fn request_for(&self, slot: Slot) -> Option<&RunRequest> {
        self.demos.edited.get(&slot).or_else(|| {
            self.slide_demos
                .get(slot.0)
                .and_then(|demos| demos.get(slot.1))
                .map(|demo| &demo.request)
        })
    }

    /// Number of slides.
    #[must_use]
    pub fn slide_count(&self) -> usize {
        self.lesson.slides.len()
    }

    /// Time shown on the timer.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.stopwatch.elapsed(self.now)
    }

    /// How long the loop may sleep before something on screen changes by itself.
    #[must_use]
    pub fn next_wakeup(&self, now: Instant) -> Option<Duration> {
        let notice = self
            .notice_until
            .map(|until| until.saturating_duration_since(now));
        let keys = self.aids.next_expiry(now);
        [self.stopwatch.until_next_second(now), notice, keys]
            .into_iter()
            .flatten()
            .min()
    }
}

//! The presenter screen's state and its one update function: what the room said, what was
//! pressed here, and what to do about it. No I/O.

use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::layout::Size;

use crate::claims::Claim;
use crate::input::{FromInput, Input};
use crate::lecture::{Action, Step, action_for};
use crate::lesson::Lesson;
use crate::link::wire::millis;
use crate::link::{FromRoom, LessonRef, RoomState, ToPresenter, ToRoom};
use crate::terminal::ExitReason;
use crate::theme::Theme;

/// How long, after handing the room its slide, the room's older state is not taken.
const HAND_OVER_TIME: Duration = Duration::from_secs(2);

/// Everything that changes the presenter screen.
#[derive(Debug, Clone, PartialEq)]
pub enum PresenterMsg {
    /// A key pressed here.
    Key(KeyEvent),
    /// The window's new size.
    Resize(u16, u16),
    /// Time passed (the timer's second).
    Tick,
    /// The link reported something.
    Room(FromRoom),
    /// How far the notes can scroll at the current size (the loop works it out after each
    /// frame).
    NotesMax(usize),
    /// The room's lesson, loaded (or why it could not be).
    Lesson(Result<Box<Lesson>, String>),
    /// A termination signal.
    Signal(i32),
    /// Reading the terminal failed.
    InputFailed(String),
}

impl FromInput for PresenterMsg {
    fn from_input(input: Input) -> Option<Self> {
        Some(match input {
            Input::Key(key) => Self::Key(key),
            Input::Mouse(_) => return None,
            Input::Resize(width, height) => Self::Resize(width, height),
            Input::Signal(signal) => Self::Signal(signal),
            Input::Failed(why) => Self::InputFailed(why),
        })
    }
}

/// What `update` asks of the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresenterEffect {
    /// Draw again.
    Redraw,
    /// Send this to the room.
    Send(ToRoom),
    /// Load the room's lesson (then [`PresenterMsg::Lesson`]).
    Load(LessonRef),
    /// Leave.
    Quit(ExitReason),
}

/// Where the link to the room stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// No room yet, and why.
    Waiting(String),
    /// Talking to the room.
    Connected,
    /// The room went away; the link keeps trying.
    Lost,
    /// The room refused this screen, and why; the link has stopped.
    Refused(String),
}

/// The presenter screen.
#[derive(Debug, Clone)]
pub struct PresenterApp {
    /// Styles.
    pub theme: Theme,
    /// Window size.
    pub size: Size,
    /// Time of the latest message.
    pub now: Instant,
    /// The link's state.
    pub link: LinkState,
    /// The session's name, once known.
    pub name: Option<String>,
    /// The lesson, once the room has said which and it loaded.
    pub lesson: Option<Lesson>,
    /// The lesson's claims, for the questions and their expected answers (for the
    /// instructor's eyes only: the room shows the question without its answer).
    pub claims: Vec<Claim>,
    /// Which lesson was asked for last (a room presenting another one under the same name
    /// makes this screen load that one).
    pub lesson_ref: Option<LessonRef>,
    /// Why the lesson could not be loaded.
    pub lesson_error: Option<String>,
    /// The room's latest state (moved on here while the room is away).
    pub room: RoomState,
    /// When `room` was received, to move its clocks on.
    pub room_at: Instant,
    /// Lines of notes scrolled past.
    pub notes_scroll: usize,
    /// How far the notes can scroll at this size (from the drawing code, after each frame).
    pub notes_max: usize,
    /// Whether the key help is shown.
    pub show_help: bool,
    /// A one-off message, cleared by the next key.
    pub status: Option<String>,
    /// After the room came back, the slide this screen handed it, and until when the room's
    /// older state (its own slide, from before it took this one's) is not taken.
    pub handing_over: Option<(usize, Instant)>,
}

impl PresenterApp {
    /// A presenter screen waiting for its room.
    #[must_use]
    pub fn new(theme: Theme, size: Size, now: Instant) -> Self {
        Self {
            theme,
            size,
            now,
            link: LinkState::Waiting("looking for the lecture…".into()),
            name: None,
            lesson: None,
            claims: Vec::new(),
            lesson_ref: None,
            lesson_error: None,
            room: RoomState::default(),
            room_at: now,
            notes_scroll: 0,
            notes_max: usize::MAX,
            show_help: false,
            status: None,
            handing_over: None,
        }
    }

    /// The timer as the room shows it now.
    #[must_use]
    pub fn timer(&self) -> Duration {
        moved_on(
            self.room.timer_ms,
            self.room.timer_running,
            self.room_at,
            self.now,
        )
    }

    /// How long the latest demo run has run, as of now.
    #[must_use]
    pub fn demo_elapsed(&self) -> Option<Duration> {
        let demo = self.room.demo.as_ref()?;
        Some(moved_on(
            demo.elapsed_ms,
            demo.running,
            self.room_at,
            self.now,
        ))
    }

    /// How long until the shown timer's second changes.
    #[must_use]
    pub fn next_wakeup(&self) -> Duration {
        let into = self.timer().subsec_millis();
        Duration::from_millis(u64::from(1000 - into).max(20))
    }

    /// Applies `msg` at `now`.
    pub fn update(&mut self, msg: PresenterMsg, now: Instant) -> Vec<PresenterEffect> {
        self.now = now;
        match msg {
            PresenterMsg::Key(key) => self.on_key(key),
            PresenterMsg::Resize(width, height) => {
                self.size = Size::new(width, height);
                vec![PresenterEffect::Redraw]
            }
            PresenterMsg::Tick => vec![PresenterEffect::Redraw],
            PresenterMsg::NotesMax(max) => {
                self.notes_max = max;
                if self.notes_scroll > max {
                    self.notes_scroll = max;
                    vec![PresenterEffect::Redraw]
                } else {
                    Vec::new()
                }
            }
            PresenterMsg::Room(from) => self.on_room(from, now),
            PresenterMsg::Lesson(Ok(lesson)) => {
                self.room.slide = self.room.slide.min(lesson.slides.len().saturating_sub(1));
                // The room checked the lesson before presenting it; a claim that does not
                // resolve here is simply not shown.
                self.claims = crate::claims::resolve(&lesson).0;
                self.lesson = Some(*lesson);
                self.lesson_error = None;
                vec![PresenterEffect::Redraw]
            }
            PresenterMsg::Lesson(Err(why)) => {
                self.lesson_error = Some(why);
                vec![PresenterEffect::Redraw]
            }
            PresenterMsg::Signal(signal) => vec![PresenterEffect::Quit(ExitReason::Signal(signal))],
            PresenterMsg::InputFailed(why) => {
                vec![PresenterEffect::Quit(ExitReason::Error(format!(
                    "reading the terminal failed: {why}"
                )))]
            }
        }
    }

    /// Whether `from` is the room's state after it took the slide this screen handed over.
    fn took_over(&self, from: &FromRoom) -> bool {
        match (from, self.handing_over) {
            (FromRoom::Said(ToPresenter::State(state)), Some((slide, _))) => state.slide == slide,
            _ => true,
        }
    }

    fn on_room(&mut self, from: FromRoom, now: Instant) -> Vec<PresenterEffect> {
        let mut effects = vec![PresenterEffect::Redraw];
        match from {
            FromRoom::Waiting(why) => {
                if self.link != LinkState::Lost {
                    self.link = LinkState::Waiting(why);
                }
            }
            FromRoom::Refused(why) => self.link = LinkState::Refused(why),
            FromRoom::Connected(name) => {
                // This screen kept the lecture going while the room was away: the room,
                // back, takes its slide and timer (not the other way round).
                if self.link == LinkState::Lost {
                    effects.push(PresenterEffect::Send(ToRoom::Resume {
                        slide: self.room.slide,
                        timer_ms: millis(self.timer()),
                        timer_running: self.room.timer_running,
                    }));
                    self.handing_over = Some((self.room.slide, now + HAND_OVER_TIME));
                }
                self.link = LinkState::Connected;
                self.name = Some(name);
                // What was said while alone is over.
                self.status = None;
            }
            FromRoom::Lost => {
                // The clocks carry on here from what the room last said.
                self.room.timer_ms = millis(self.timer());
                if let Some(elapsed) = self.demo_elapsed()
                    && let Some(demo) = &mut self.room.demo
                {
                    demo.elapsed_ms = millis(elapsed);
                }
                self.room_at = now;
                self.link = LinkState::Lost;
                // A run the room was making is gone with the room.
                if let Some(demo) = self.room.demo.as_mut().filter(|d| d.running) {
                    demo.running = false;
                    demo.outcome = Some("gone with the room".into());
                }
                if self.room.snippet.as_deref() == Some("running") {
                    self.room.snippet = Some("gone with the room".into());
                }
            }
            FromRoom::Said(ToPresenter::Hello { name, lesson, .. }) => {
                self.name = Some(name);
                if self.lesson_ref.as_ref() != Some(&lesson) {
                    self.lesson_ref = Some(lesson.clone());
                    self.lesson = None;
                    effects.push(PresenterEffect::Load(lesson));
                }
            }
            FromRoom::Said(ToPresenter::State(_))
                if self
                    .handing_over
                    .is_some_and(|(slide, until)| now < until && self.room.slide == slide)
                    && !self.took_over(&from) =>
            {
                // The room's state from before it took this screen's slide: not shown.
            }
            FromRoom::Said(ToPresenter::State(mut state)) => {
                self.handing_over = None;
                // A slide the lesson does not have (another lesson, a bad line) is its last.
                let last = self
                    .lesson
                    .as_ref()
                    .map_or(usize::MAX / 2, |l| l.slides.len().saturating_sub(1));
                state.slide = state.slide.min(last);
                if state.slide != self.room.slide {
                    self.notes_scroll = 0;
                }
                self.room = state;
                self.room_at = now;
            }
            FromRoom::Said(ToPresenter::Refused { reason }) => {
                self.link = LinkState::Refused(reason);
            }
        }
        effects
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<PresenterEffect> {
        self.status = None;
        let action = action_for(key);
        if matches!(action, Some(Action::Quit | Action::Interrupt)) {
            return vec![PresenterEffect::Quit(ExitReason::User)];
        }
        // The notes and the help are this screen's own; the notes stay off the projector.
        match action {
            Some(Action::NotesDown) => {
                self.notes_scroll = (self.notes_scroll + NOTES_STEP).min(self.notes_max);
                return vec![PresenterEffect::Redraw];
            }
            Some(Action::NotesUp) => {
                self.notes_scroll = self.notes_scroll.saturating_sub(NOTES_STEP);
                return vec![PresenterEffect::Redraw];
            }
            Some(Action::ToggleHelp) => {
                self.show_help = !self.show_help;
                return vec![PresenterEffect::Redraw];
            }
            Some(Action::Escape) if self.show_help => {
                self.show_help = false;
                return vec![PresenterEffect::Redraw];
            }
            Some(Action::ToggleNotes) => {
                self.status = Some("The notes are on this screen, not the room's.".into());
                return vec![PresenterEffect::Redraw];
            }
            _ => {}
        }
        if self.link == LinkState::Connected {
            return vec![PresenterEffect::Send(ToRoom::Key { key })];
        }
        self.alone(action);
        vec![PresenterEffect::Redraw]
    }

    /// No room: this screen follows the lecture alone — slides, a typed slide number, the
    /// timer.
    fn alone(&mut self, action: Option<Action>) {
        let slides = self.lesson.as_ref().map_or(0, |l| l.slides.len());
        let last = slides.saturating_sub(1);
        let slide = self.room.slide;
        let target = match action {
            Some(Action::Digit(d)) => {
                if self.room.jump.len() < 4 {
                    self.room.jump.push(char::from(b'0' + d));
                }
                return;
            }
            Some(Action::Enter) if !self.room.jump.is_empty() => {
                let typed = std::mem::take(&mut self.room.jump);
                match typed.parse::<usize>() {
                    Ok(n) if (1..=slides).contains(&n) => n - 1,
                    _ => {
                        self.status = Some(format!("There is no slide {typed}."));
                        return;
                    }
                }
            }
            Some(Action::Next | Action::Forward(Step::Page)) => (slide + 1).min(last),
            Some(Action::Previous | Action::Back(Step::Page)) => slide.saturating_sub(1),
            Some(Action::First) => 0,
            Some(Action::Last) => last,
            Some(Action::ToggleTimer) => {
                self.room.timer_ms = millis(self.timer());
                self.room.timer_running = !self.room.timer_running;
                self.room_at = self.now;
                return;
            }
            Some(Action::ResetTimer) => {
                self.room.timer_ms = 0;
                self.room_at = self.now;
                return;
            }
            _ => {
                self.status = Some(
                    "The room's screen is not connected: slide keys, digits and t work here now."
                        .into(),
                );
                return;
            }
        };
        if slides > 0 && target != slide {
            self.room.slide = target;
            self.notes_scroll = 0;
            // What the room last said of demos belonged to another slide.
            self.room.demo = None;
            self.room.snippet = None;
            self.room.selected_demo = self
                .lesson
                .as_ref()
                .and_then(|l| l.slides.get(target))
                .and_then(|s| s.demos.first())
                .map(|d| d.name.clone());
        }
    }
}

/// Lines `]` and `[` scroll the notes.
const NOTES_STEP: usize = 3;

/// A clock that read `ms` at `at`, read at `now`.
fn moved_on(ms: u64, running: bool, at: Instant, now: Instant) -> Duration {
    let base = Duration::from_millis(ms);
    if running {
        base + now.saturating_duration_since(at)
    } else {
        base
    }
}

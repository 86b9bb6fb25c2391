//! `App::update`: messages in, state changes and effects out.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Size;

use super::{Action, App, EngineChoiceState, Step, action_for};
use crate::lecture::msg::{Effect, Msg};
use crate::link::LinkEvent;
use crate::terminal::ExitReason;

/// A mouse wheel burst (trackpads send dozens of events) may change slide only this often.
const WHEEL_TURN_INTERVAL: Duration = Duration::from_millis(400);

/// Lines one wheel notch scrolls.
const WHEEL_LINES: usize = 3;

/// How long a notice (a presenter screen came or went) stays in the footer.
const NOTICE_TIME: Duration = Duration::from_secs(4);

/// Longest slide number one can type.
const MAX_JUMP_DIGITS: usize = 4;

impl App {
    /// Applies one message at time `now` and says what the loop should do next.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Vec<Effect> {
        self.now = now;
        let changes_view = match &msg {
            // A sample moves only the gauges, which are keyed on their values. A running
            // demo records the cores from it (`Run::cores`), but that timeline is shown only
            // once the run has ended, and the end moves the revision. (Moving it on every
            // sample while a demo ran redrew the whole screen ten times a second.)
            Msg::Tick | Msg::Sample(_) => false,
            Msg::Layout(facts) => *facts != self.layout,
            _ => true,
        };
        if changes_view {
            self.revision = self.revision.wrapping_add(1);
        }
        match msg {
            Msg::Key(key) => self.key_pressed(key, now),
            Msg::Class(event) => self.on_class_event(event),
            Msg::FromRoom(message) => self.on_room(message),
            Msg::Caption(text) => {
                self.aids.caption = text;
                vec![Effect::Redraw]
            }
            Msg::Link(event) => self.on_link(event),
            Msg::Highlighted(lines) => {
                if self.lesson.take_highlighted(lines) > 0 {
                    self.highlights += 1;
                    vec![Effect::Redraw]
                } else {
                    Vec::new()
                }
            }
            Msg::HandoutWritten(outcome) => {
                self.status = Some(match outcome {
                    Ok(said) => said,
                    Err(why) => format!("The handout was not written: {why}"),
                });
                vec![Effect::Redraw]
            }
            Msg::CodeEdited { slide, outcome } => self.on_code_edited(slide, outcome),
            Msg::LessonReloaded(reloaded) => self.on_lesson_reloaded(reloaded),
            Msg::Mouse(mouse) => self.on_mouse(mouse, now),
            Msg::Resize(width, height) => {
                self.size = Size::new(width, height);
                vec![Effect::Redraw]
            }
            Msg::Layout(facts) => {
                self.layout = facts;
                self.clamp_scroll();
                Vec::new()
            }
            Msg::Tick => {
                let notice_over = self.notice_until.is_some_and(|until| now >= until)
                    || self.aids.forget_keys(now);
                if notice_over {
                    self.notice_until = None;
                    self.status = None;
                    self.revision = self.revision.wrapping_add(1);
                }
                if self.stopwatch.is_running() || notice_over {
                    vec![Effect::Redraw]
                } else {
                    Vec::new()
                }
            }
            Msg::Sample(sample) => {
                if let Some(run) = self.demos.running_mut() {
                    run.cores.push(&sample.cores);
                }
                self.gauges.push(*sample);
                if self.gauges.is_frozen() {
                    Vec::new()
                } else {
                    vec![Effect::Redraw]
                }
            }
            Msg::Demo { run, event } => self.on_demo_event(run, event),
            Msg::DemoExited { run, exit } => self.on_demo_exit(run, exit, now),
            Msg::SnippetOutput { run, stream, line } => self.on_snippet_output(run, stream, &line),
            Msg::SnippetExited { run, exit } => self.on_snippet_exit(run, exit, now),
            Msg::Engines(engines) => {
                self.engines = EngineChoiceState {
                    current: engines.default,
                    python: engines.python.as_ref().map(|(python, _)| python.describe()),
                    why_not_python: engines.why_not_python.clone(),
                    more: engines
                        .more
                        .iter()
                        .map(crate::demo_runtime::python::Python::describe)
                        .collect(),
                };
                // Why CPython is not used is said once, where the presenter looks.
                if let Some(why) = engines.why_not_python {
                    self.status = Some(why);
                }
                vec![Effect::Redraw]
            }
            Msg::Signal(signal) => vec![Effect::Quit(ExitReason::Signal(signal))],
            Msg::InputFailed(why) => {
                vec![Effect::Quit(ExitReason::Error(format!(
                    "terminal input failed: {why}"
                )))]
            }
        }
    }

    /// A presenter screen came, went, pressed a key or handed over its slide and timer.
    fn on_link(&mut self, event: LinkEvent) -> Vec<Effect> {
        match event {
            // The presenter screen drives this one, but no key of its own can quit the room
            // (q, Ctrl-C, or an Esc with nothing left to close).
            LinkEvent::Key(key) => self
                .on_key(key)
                .into_iter()
                .filter(|effect| !matches!(effect, Effect::Quit(_)))
                .collect(),
            LinkEvent::Joined => {
                self.presenters += 1;
                self.notice(match self.presenters {
                    1 => "Presenter screen connected.".into(),
                    n => format!("Presenter screen connected ({n} now)."),
                });
                vec![Effect::Redraw]
            }
            LinkEvent::Left => {
                self.presenters = self.presenters.saturating_sub(1);
                // Said once, briefly: the footer's title must not stay cut for as long as no
                // presenter screen is connected.
                self.notice(match self.presenters {
                    0 => "The presenter screen has gone; this screen goes on.".into(),
                    n => format!("A presenter screen has gone ({n} still connected)."),
                });
                vec![Effect::Redraw]
            }
            LinkEvent::Resume {
                slide,
                timer,
                running,
            } => self.resume_from_presenter(slide, timer, running),
        }
    }

    /// Shows `text` in the footer for a few seconds (or until the next key).
    pub(super) fn notice(&mut self, text: String) {
        self.status = Some(text);
        self.notice_until = Some(self.now + NOTICE_TIME);
    }

    /// The presenter screen kept the lecture going while this room was away: its slide and
    /// timer win, since they are the ones that went on.
    fn resume_from_presenter(
        &mut self,
        slide: usize,
        timer: Duration,
        running: bool,
    ) -> Vec<Effect> {
        let mut effects = self.go_to(slide.min(self.slide_count().saturating_sub(1)));
        self.stopwatch = super::stopwatch::Stopwatch::resumed(timer, running, self.now);
        self.notice(format!(
            "The presenter screen kept going: slide {}, timer {}.",
            self.slide + 1,
            crate::ui::clock::format_clock(timer)
        ));
        effects.push(Effect::Redraw);
        effects
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.notice_until = None;
        // A saved session is offered on the first screen: Enter takes it back; any other key
        // starts fresh and does what it always does.
        if let Some(offer) = self.offer.take()
            && key.code == KeyCode::Enter
        {
            self.resume(&offer, self.now);
            self.status = Some(format!("Resumed: {}.", offer.summary()));
            return vec![Effect::Redraw];
        }
        let had_status = self.status.take().is_some();
        // `q` asks once; any other key between two presses starts the question again.
        let asked = std::mem::take(&mut self.quit_asked);
        if let Some(effects) = self.question_key(key, self.now) {
            return effects;
        }
        if let Some(effects) = self.editor_key(key, self.now) {
            return effects;
        }
        // While a slide number is being typed, Backspace edits it instead of going back.
        if key.code == KeyCode::Backspace && !self.jump.is_empty() {
            self.jump.pop();
            return vec![Effect::Redraw];
        }
        match action_for(key) {
            Some(Action::Quit) => {
                self.quit_asked = asked;
                self.quit()
            }
            Some(Action::Escape) => self.escape(had_status),
            Some(action) => self.apply(action),
            None if had_status => vec![Effect::Redraw],
            None => Vec::new(),
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, now: Instant) -> Vec<Effect> {
        self.offer = None;
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => self.apply(Action::Next),
            MouseEventKind::Down(MouseButton::Right) => self.apply(Action::Previous),
            MouseEventKind::ScrollDown => self.wheel(now, true),
            MouseEventKind::ScrollUp => self.wheel(now, false),
            _ => Vec::new(),
        }
    }

    /// The wheel scrolls a long slide; past its end it changes slide, at most once per burst.
    fn wheel(&mut self, now: Instant, down: bool) -> Vec<Effect> {
        let max = self.layout.slide_max_scroll;
        let can_scroll = if down {
            self.scroll < max
        } else {
            self.scroll > 0
        };
        if can_scroll {
            self.scroll = if down {
                (self.scroll + WHEEL_LINES).min(max)
            } else {
                self.scroll.saturating_sub(WHEEL_LINES)
            };
            return vec![Effect::Redraw];
        }
        let recent = self
            .last_wheel_turn
            .is_some_and(|t| now.duration_since(t) < WHEEL_TURN_INTERVAL);
        if recent {
            return Vec::new();
        }
        self.last_wheel_turn = Some(now);
        self.apply(if down { Action::Next } else { Action::Previous })
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Next => self.go_to(self.slide + 1),
            Action::Previous => match self.slide.checked_sub(1) {
                Some(previous) => self.go_to(previous),
                None => Vec::new(),
            },
            Action::Forward(step) => self.forward(step),
            Action::Back(step) => self.back(step),
            Action::First => self.go_to(0),
            Action::Last => self.go_to(self.slide_count() - 1),
            Action::Digit(digit) => {
                if self.jump.len() < MAX_JUMP_DIGITS {
                    self.jump.push(char::from(b'0' + digit));
                }
                vec![Effect::Redraw]
            }
            Action::Enter if self.jump.is_empty() && self.verdicts.shown => {
                self.run_missing_claims(self.now)
            }
            Action::Enter if self.jump.is_empty() => self.start_demo(self.now),
            Action::ToggleVerdicts => self.toggle_verdicts(),
            Action::ToggleLearn => self.toggle_learn(),
            Action::WriteHandout => vec![Effect::WriteHandout],
            Action::Enter => self.jump(),
            Action::NextDemo
            | Action::StopDemo
            | Action::RestartDemo
            | Action::PinDemo
            | Action::EditParams
            | Action::ToggleFocus
            | Action::SwitchEngine
            | Action::Compare => self.demo_action(action, self.now),
            Action::ToggleHelp => {
                self.show_help = !self.show_help;
                vec![Effect::Redraw]
            }
            Action::ToggleNotes => {
                self.show_notes = !self.show_notes;
                self.notes_scroll = 0;
                self.clamp_scroll();
                vec![Effect::Redraw]
            }
            Action::NotesDown | Action::NotesUp => self.scroll_notes(action == Action::NotesDown),
            Action::PanelDown | Action::PanelUp => self.scroll_panel(action == Action::PanelDown),
            Action::ToggleTimer => {
                self.stopwatch.toggle(self.now);
                vec![Effect::Redraw]
            }
            Action::ResetTimer => {
                self.stopwatch.reset(self.now);
                vec![Effect::Redraw]
            }
            Action::ToggleFreeze => {
                self.gauges.toggle_freeze();
                vec![Effect::Redraw]
            }
            Action::RunSnippet => self.run_snippet(self.now),
            Action::EditCode => self.edit_code(),
            Action::FollowRoom => self.follow_room(),
            Action::Escape => self.escape(false),
            Action::Quit => self.quit(),
            Action::Interrupt => vec![Effect::Quit(ExitReason::User)],
        }
    }

    /// A key, by a person or a script: shown (with `--show-keys`), handled, and a student who
    /// paged away from the room's slide stops following it.
    fn key_pressed(&mut self, key: KeyEvent, now: Instant) -> Vec<Effect> {
        self.aids.key_pressed(key, !self.jump.is_empty(), now);
        let before = self.slide;
        let effects = self.on_key(key);
        if self.slide != before {
            self.left_the_room();
        }
        effects
    }

    pub(super) fn go_to(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.slide_count() || index == self.slide {
            return Vec::new();
        }
        self.slide = index;
        self.scroll = 0;
        self.notes_scroll = 0;
        self.demos.selected = 0;
        self.demos.close_editor();
        self.demos.scroll = 0;
        self.verdicts.shown = self.current_slide().verdicts;
        self.verdicts.page = 0;
        self.verdicts.queue.clear();
        let left_snippet = self.leave_snippet(self.now);
        // Leaving the slide stops its demo, unless the presenter pinned it; the new slide
        // shows its own text again.
        let pinned = self.demos.running().is_some_and(|r| r.pinned);
        let mut effects = if pinned {
            Vec::new()
        } else {
            self.demo_focus = false;
            self.stop_demo("slide changed", self.now)
        };
        effects.extend(left_snippet);
        effects.extend(
            self.demos
                .untrack_all_but(index)
                .into_iter()
                .map(|run| Effect::ForgetRun { run }),
        );
        effects.push(Effect::Redraw);
        effects
    }

    fn forward(&mut self, step: Step) -> Vec<Effect> {
        let max = self.layout.slide_max_scroll;
        if self.scroll >= max {
            return self.apply(Action::Next);
        }
        self.scroll = (self.scroll + self.step_lines(step)).min(max);
        vec![Effect::Redraw]
    }

    fn back(&mut self, step: Step) -> Vec<Effect> {
        if self.scroll == 0 {
            return self.apply(Action::Previous);
        }
        self.scroll = self.scroll.saturating_sub(self.step_lines(step));
        vec![Effect::Redraw]
    }

    fn step_lines(&self, step: Step) -> usize {
        match step {
            Step::Line => 1,
            // Keep one line of the previous page visible for context.
            Step::Page => self.layout.slide_page.saturating_sub(1).max(1),
        }
    }

    fn jump(&mut self) -> Vec<Effect> {
        let typed = std::mem::take(&mut self.jump);
        if typed.is_empty() {
            return Vec::new();
        }
        let count = self.slide_count();
        match typed.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => {
                self.go_to(n - 1);
            }
            _ => {
                self.status = Some(format!(
                    "No slide {typed}: this lecture has slides 1–{count}"
                ));
            }
        }
        vec![Effect::Redraw]
    }

    /// Closes the innermost thing open; `had_status` says a message was on screen (which the
    /// key already dismissed).
    fn escape(&mut self, had_status: bool) -> Vec<Effect> {
        if self.show_help {
            self.show_help = false;
        } else if !self.jump.is_empty() {
            self.jump.clear();
        } else if self.demo_focus {
            self.demo_focus = false;
        } else if self.shown_snippet().is_some_and(|s| !s.is_running()) {
            // A finished snippet's output gives the panel back to the demo.
            self.hide_snippet();
        } else if self.show_notes {
            self.show_notes = false;
            self.clamp_scroll();
        } else if !had_status {
            // Nothing to close: Esc never ends the lecture (it is how a message is dismissed).
            self.status = Some("Nothing to close: q quits.".into());
        }
        vec![Effect::Redraw]
    }

    /// `q`: quits, but once a demo has run in this session the first press only asks — the
    /// session is saved either way (`--resume`), but a stray key must not end the lecture.
    fn quit(&mut self) -> Vec<Effect> {
        if self.demos.next_run > 0 && !self.quit_asked {
            self.quit_asked = true;
            self.status = Some("q again to quit (this session is saved: lectern --resume).".into());
            return vec![Effect::Redraw];
        }
        vec![Effect::Quit(ExitReason::User)]
    }

    fn scroll_notes(&mut self, down: bool) -> Vec<Effect> {
        if !self.show_notes {
            return Vec::new();
        }
        // A page at a time, keeping a line of the last page for context.
        let step = self.layout.notes_page.saturating_sub(1).max(1);
        let max = self.layout.notes_max_scroll;
        self.notes_scroll = if down {
            (self.notes_scroll + step).min(max)
        } else {
            self.notes_scroll.saturating_sub(step)
        };
        vec![Effect::Redraw]
    }

    fn scroll_panel(&mut self, down: bool) -> Vec<Effect> {
        if self.verdicts.shown && self.demos.editor.is_none() {
            // The verdicts page a slide at a time; past the end there is nothing to page to.
            let pages = self.verdicts.slides().len();
            if down && self.layout.demo_max_scroll > 0 && self.verdicts.page + 1 < pages {
                self.verdicts.page += 1;
            } else if !down {
                self.verdicts.page = self.verdicts.page.saturating_sub(1);
            }
            self.demos.scroll = 0;
            return vec![Effect::Redraw];
        }
        let step = self.layout.demo_page.saturating_sub(1).max(1);
        let max = self.layout.demo_max_scroll;
        self.demos.scroll = if down {
            (self.demos.scroll + step).min(max)
        } else {
            self.demos.scroll.saturating_sub(step)
        };
        vec![Effect::Redraw]
    }

    /// Keeps the scroll positions valid for the latest layout.
    fn clamp_scroll(&mut self) {
        self.scroll = self.scroll.min(self.layout.slide_max_scroll);
        self.notes_scroll = self.notes_scroll.min(self.layout.notes_max_scroll);
        self.demos.scroll = self.demos.scroll.min(self.layout.demo_max_scroll);
    }
}

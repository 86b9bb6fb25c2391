//! Behaviour of `App::update`: keys, mouse, timer, scrolling and quitting, without a terminal.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Size;

use super::App;
use crate::lecture::msg::{Effect, Msg};
use crate::terminal::ExitReason;
use crate::theme::{Theme, ThemeName};

mod class;
mod code_copies;
mod editor;
mod engines;
mod estimates;
mod learn_mode;
mod processes;
mod questions;
mod quitting;
mod reload;
mod side_by_side;
mod slide_runs;

fn app_at(width: u16, height: u16) -> (App, Instant) {
    let (lesson, _) = crate::resolved::embedded().expect("the built-in lesson loads");
    let now = Instant::now();
    let theme = Theme::new(ThemeName::Dark, false);
    let mut app = App::new(lesson, theme, 0, Size::new(width, height), now);
    relayout(&mut app, now);
    (app, now)
}

/// What the event loop does after every message: hand the app fresh layout facts.
fn relayout(app: &mut App, now: Instant) {
    let facts = crate::lecture::view::layout_facts(app);
    app.update(Msg::Layout(facts), now);
}

/// A message, then the layout facts, as the event loop delivers them.
fn send(app: &mut App, now: Instant, msg: Msg) -> Vec<Effect> {
    let effects = app.update(msg, now);
    relayout(app, now);
    effects
}

fn key(app: &mut App, now: Instant, code: KeyCode) -> Vec<Effect> {
    send(app, now, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, now: Instant, codes: &[KeyCode]) {
    for code in codes {
        key(app, now, *code);
    }
}

/// The demo panel's lines as text, laid out `width` columns wide.
fn panel_text(app: &App, width: usize) -> String {
    let parts = crate::lecture::view::demo_panel::parts(app, width);
    parts
        .top
        .iter()
        .chain(&parts.body)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole screen as text, drawn from `app` as the event loop would.
fn screen(app: &App) -> String {
    let backend = ratatui::backend::TestBackend::new(app.size.width, app.size.height);
    let mut terminal = ratatui::Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| crate::lecture::view::render(app, frame))
        .expect("draws");
    crate::ui::buffers::text_of(terminal.backend().buffer())
}

/// A lecture whose session runs demos on CPython (as `--engine auto` does when it finds
/// one), on slide 3: start-methods, fork-lock, main-guard (pinned to native).
fn on_cpython_slide_3() -> (App, Instant) {
    let (mut app, now) = app_at(120, 40);
    let engines = crate::demo_runtime::launch::Engines {
        default: crate::demo_runtime::engine::Engine::Python,
        python: Some((
            crate::demo_runtime::python::Python {
                program: "python3".into(),
                version: (3, 11, 7),
                free_threaded: false,
            },
            std::path::PathBuf::from("/nonexistent"),
        )),
        why_not_python: None,
        more: Vec::new(),
    };
    send(&mut app, now, Msg::Engines(Box::new(engines)));
    keys(&mut app, now, &[KeyCode::Char('3'), KeyCode::Enter]);
    (app, now)
}

fn mouse(kind: MouseEventKind) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn every_next_key_advances_and_every_previous_key_goes_back() {
    let (mut app, now) = app_at(120, 40);
    let next = [
        KeyCode::Right,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::PageDown,
        KeyCode::Char('l'),
        KeyCode::Char('j'),
    ];
    for (i, code) in next.iter().enumerate() {
        assert_eq!(key(&mut app, now, *code), [Effect::Redraw], "{code:?}");
        assert_eq!(app.slide, i + 1, "{code:?}");
    }
    let previous = [
        KeyCode::Left,
        KeyCode::Up,
        KeyCode::PageUp,
        KeyCode::Backspace,
        KeyCode::Char('h'),
        KeyCode::Char('k'),
    ];
    for code in previous {
        let before = app.slide;
        key(&mut app, now, code);
        assert_eq!(app.slide, before - 1, "{code:?}");
    }
    assert_eq!(app.slide, 0);
}

#[test]
fn the_ends_are_walls_and_home_end_jump_to_them() {
    let (mut app, now) = app_at(120, 40);
    assert!(
        key(&mut app, now, KeyCode::Left).is_empty(),
        "nothing before slide 1"
    );
    key(&mut app, now, KeyCode::End);
    assert_eq!(app.slide, 11);
    assert!(
        key(&mut app, now, KeyCode::PageDown).is_empty(),
        "nothing after the last slide"
    );
    key(&mut app, now, KeyCode::Char('g'));
    assert_eq!(app.slide, 0);
    key(&mut app, now, KeyCode::Char('G'));
    assert_eq!(app.slide, 11);
    key(&mut app, now, KeyCode::Home);
    assert_eq!(app.slide, 0);
}

#[test]
fn digits_then_enter_jump_and_bad_numbers_say_so() {
    let (mut app, now) = app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('1'), KeyCode::Char('2')]);
    assert_eq!(app.jump, "12");
    key(&mut app, now, KeyCode::Enter);
    assert_eq!((app.slide, app.jump.as_str()), (11, ""));

    keys(
        &mut app,
        now,
        &[KeyCode::Char('4'), KeyCode::Char('0'), KeyCode::Enter],
    );
    assert_eq!(app.slide, 11, "slide 40 does not exist");
    assert!(
        app.status.as_deref().is_some_and(|s| s.contains("1–12")),
        "{:?}",
        app.status
    );
    key(&mut app, now, KeyCode::Char('w'));
    assert_eq!(app.status, None, "any key clears the message");

    keys(
        &mut app,
        now,
        &[
            KeyCode::Char('3'),
            KeyCode::Char('5'),
            KeyCode::Backspace,
            KeyCode::Enter,
        ],
    );
    assert_eq!(
        app.slide, 2,
        "Backspace edits the number instead of going back"
    );
    keys(&mut app, now, &[KeyCode::Char('9'), KeyCode::Esc]);
    assert_eq!(
        (app.slide, app.jump.as_str()),
        (2, ""),
        "Esc cancels the number"
    );
}

#[test]
fn a_long_slide_scrolls_before_moving_on() {
    // Slide 3 does not fit in 80×24 with the demo strip below it.
    let (mut app, now) = app_at(80, 24);
    key(&mut app, now, KeyCode::Char('3'));
    key(&mut app, now, KeyCode::Enter);
    let max = app.layout.slide_max_scroll;
    assert!(max > 0, "slide 3 should overflow 80×24");
    key(&mut app, now, KeyCode::Down);
    assert_eq!((app.slide, app.scroll), (2, 1));
    while app.scroll < max {
        key(&mut app, now, KeyCode::PageDown);
        assert_eq!(app.slide, 2);
    }
    key(&mut app, now, KeyCode::PageDown);
    assert_eq!(
        (app.slide, app.scroll),
        (3, 0),
        "at the end, PageDown moves on"
    );
    key(&mut app, now, KeyCode::PageUp);
    assert_eq!(
        (app.slide, app.scroll),
        (2, 0),
        "going back shows the top of the slide"
    );
    key(&mut app, now, KeyCode::Right);
    key(&mut app, now, KeyCode::Left);
    assert_eq!(app.slide, 2, "Right and Left never scroll");
}

#[test]
fn navigation_keeps_working_with_help_and_notes_open() {
    let (mut app, now) = app_at(120, 40);
    keys(
        &mut app,
        now,
        &[KeyCode::Char('s'), KeyCode::Char('?'), KeyCode::PageDown],
    );
    assert_eq!(app.slide, 1, "a clicker must work whatever is open");
}

#[test]
fn q_ctrl_c_and_signals_quit_with_the_right_status() {
    let (mut app, now) = app_at(120, 40);
    assert_eq!(
        key(&mut app, now, KeyCode::Char('q')),
        [Effect::Quit(ExitReason::User)]
    );
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(app.update(ctrl_c, now), [Effect::Quit(ExitReason::User)]);
    let effects = app.update(Msg::Signal(15), now);
    assert_eq!(effects, [Effect::Quit(ExitReason::Signal(15))]);
    assert_eq!(ExitReason::Signal(15).exit_code(), 143);
    let failed = app.update(Msg::InputFailed("gone".into()), now);
    assert!(matches!(&failed[..], [Effect::Quit(ExitReason::Error(m))] if m.contains("gone")));
}

#[test]
fn the_timer_pauses_resets_and_only_ticks_while_running() {
    let (mut app, t0) = app_at(120, 40);
    let at = |s| t0 + Duration::from_secs(s);
    app.update(Msg::Tick, at(10));
    assert_eq!(app.elapsed().as_secs(), 10);
    key(&mut app, at(10), KeyCode::Char('t'));
    assert!(
        app.update(Msg::Tick, at(20)).is_empty(),
        "a paused timer needs no redraw"
    );
    assert_eq!(app.elapsed().as_secs(), 10);
    assert_eq!(
        app.next_wakeup(at(20)),
        None,
        "a paused timer never wakes the loop"
    );
    key(&mut app, at(20), KeyCode::Char('T'));
    assert_eq!(app.elapsed().as_secs(), 0);
    key(&mut app, at(20), KeyCode::Char('t'));
    app.update(Msg::Tick, at(23));
    assert_eq!(app.elapsed().as_secs(), 3);
}

#[test]
fn clicks_navigate_and_a_wheel_burst_changes_one_slide() {
    let (mut app, now) = app_at(120, 40);
    send(
        &mut app,
        now,
        mouse(MouseEventKind::Down(MouseButton::Left)),
    );
    assert_eq!(app.slide, 1);
    send(
        &mut app,
        now,
        mouse(MouseEventKind::Down(MouseButton::Right)),
    );
    assert_eq!(app.slide, 0);
    for i in 0..20 {
        send(
            &mut app,
            now + Duration::from_millis(i * 10),
            mouse(MouseEventKind::ScrollDown),
        );
    }
    assert_eq!(app.slide, 1, "a trackpad flick must not skip slides");
    send(
        &mut app,
        now + Duration::from_secs(2),
        mouse(MouseEventKind::ScrollDown),
    );
    assert_eq!(app.slide, 2);
}

#[test]
fn resizing_keeps_the_scroll_position_valid() {
    let (mut app, now) = app_at(80, 24);
    keys(
        &mut app,
        now,
        &[
            KeyCode::Char('3'),
            KeyCode::Enter,
            KeyCode::Down,
            KeyCode::Down,
        ],
    );
    assert_eq!((app.slide, app.scroll), (2, 2));
    send(&mut app, now, Msg::Resize(200, 80));
    assert_eq!(app.layout.slide_max_scroll, 0, "everything fits at 200×80");
    assert_eq!(app.scroll, 0);
}

#[test]
fn a_presenter_screen_drives_the_room_but_cannot_quit_it() {
    use crate::link::LinkEvent;
    let (mut app, now) = app_at(120, 40);
    send(&mut app, now, Msg::Link(LinkEvent::Joined));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("connected"))
    );
    let remote = |code| Msg::Link(LinkEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    send(&mut app, now, remote(KeyCode::Right));
    assert_eq!(app.slide, 1);
    assert!(send(&mut app, now, remote(KeyCode::Char('q'))).is_empty());
    let ctrl_c = Msg::Link(LinkEvent::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(send(&mut app, now, ctrl_c).is_empty());
    // Nothing the presenter screen sends quits the room.
    assert!(
        !send(&mut app, now, remote(KeyCode::Esc))
            .iter()
            .any(|e| matches!(e, Effect::Quit(_)))
    );
    send(&mut app, now, Msg::Link(LinkEvent::Left));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("has gone"))
    );
    // The room's own q still quits.
    assert!(key(&mut app, now, KeyCode::Char('q')).contains(&Effect::Quit(ExitReason::User)));
}

#[test]
fn the_room_state_says_slide_timer_and_the_demo_enter_starts() {
    let (mut app, now) = app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Right, KeyCode::Right]);
    let later = now + Duration::from_secs(3);
    send(&mut app, later, Msg::Tick);
    let state = app.room_state();
    assert_eq!(state.slide, 2);
    assert_eq!(state.timer_ms, 3_000);
    assert!(state.timer_running);
    assert_eq!(state.selected_demo.as_deref(), Some("start-methods"));
    assert_eq!(state.demo, None);
    key(&mut app, later, KeyCode::Enter);
    let state = app.room_state();
    let demo = state.demo.expect("a run");
    assert_eq!(demo.name, "start-methods");
    assert!(demo.running);
    key(&mut app, later, KeyCode::Char('x'));
    let demo = app.room_state().demo.expect("the run");
    assert!(!demo.running);
    assert!(demo.outcome.is_some_and(|o| o.contains('x')));
}

#[test]
fn w_asks_for_the_handout_and_the_footer_says_how_it_went() {
    let (mut app, now) = app_at(120, 40);
    assert_eq!(
        key(&mut app, now, KeyCode::Char('w')),
        vec![Effect::WriteHandout]
    );
    send(
        &mut app,
        now,
        Msg::HandoutWritten(Ok("Handout written to /x.html".into())),
    );
    assert_eq!(app.status.as_deref(), Some("Handout written to /x.html"));
    send(
        &mut app,
        now,
        Msg::HandoutWritten(Err("/ro/x.html: Read-only".into())),
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.starts_with("The handout was not written"))
    );
}

#[test]
fn the_room_counts_its_presenter_screens() {
    use crate::link::LinkEvent;
    let (mut app, now) = app_at(120, 40);
    send(&mut app, now, Msg::Link(LinkEvent::Joined));
    send(&mut app, now, Msg::Link(LinkEvent::Joined));
    send(&mut app, now, Msg::Link(LinkEvent::Left));
    assert_eq!(
        app.status.as_deref(),
        Some("A presenter screen has gone (1 still connected).")
    );
    send(&mut app, now, Msg::Link(LinkEvent::Left));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.starts_with("The presenter screen has gone"))
    );
}

#[test]
fn a_restarted_room_takes_the_presenter_screens_slide_and_timer() {
    use crate::link::LinkEvent;
    let (mut app, now) = app_at(120, 40);
    send(
        &mut app,
        now,
        Msg::Link(LinkEvent::Resume {
            slide: 5,
            timer: Duration::from_secs(754),
            running: true,
        }),
    );
    assert_eq!(app.slide, 5);
    assert_eq!(app.elapsed(), Duration::from_secs(754));
    assert!(app.stopwatch.is_running());
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("kept going: slide 6"))
    );
}

#[test]
fn presenter_screens_coming_and_going_are_said_briefly() {
    use crate::link::LinkEvent;
    let (mut app, now) = app_at(120, 40);
    send(&mut app, now, Msg::Link(LinkEvent::Joined));
    send(&mut app, now, Msg::Link(LinkEvent::Left));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("has gone"))
    );
    // Not for as long as no presenter screen is connected: a few seconds, then the footer
    // has its title back (the loop wakes for it).
    let later = now + Duration::from_secs(5);
    assert!(
        app.next_wakeup(now)
            .is_some_and(|w| w <= Duration::from_secs(4))
    );
    send(&mut app, later, Msg::Tick);
    assert_eq!(app.status, None);
}

//! The presenter screen's behaviour, driven by messages, and its drawing at two sizes.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

use super::*;
use crate::link::{DemoState, FromRoom, LessonRef, RoomState, ToPresenter, ToRoom};
use crate::theme::{Theme, ThemeName};

fn key(code: KeyCode) -> PresenterMsg {
    PresenterMsg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A presenter screen connected to a room on slide `slide` of the built-in lecture.
fn connected(slide: usize, now: Instant) -> PresenterApp {
    let mut app = PresenterApp::new(Theme::new(ThemeName::Dark, false), Size::new(120, 30), now);
    app.update(PresenterMsg::Room(FromRoom::Connected("talk".into())), now);
    let effects = app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::Hello {
            protocol: crate::link::wire::PROTOCOL,
            name: "talk".into(),
            lesson: LessonRef::Embedded,
        })),
        now,
    );
    assert!(effects.contains(&PresenterEffect::Load(LessonRef::Embedded)));
    let lesson = lesson::embedded().expect("built-in lesson").0;
    app.update(PresenterMsg::Lesson(Ok(Box::new(lesson))), now);
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(RoomState {
            slide,
            timer_ms: 754_000,
            timer_running: true,
            selected_demo: Some("queue-sentinel".into()),
            demo: Some(DemoState {
                name: "queue-sentinel".into(),
                engine: "python".into(),
                running: true,
                elapsed_ms: 1_500,
                outcome: None,
                headline: None,
            }),
            snippet: None,
            jump: String::new(),
            class: None,
        }))),
        now,
    );
    app
}

#[test]
fn keys_go_to_the_room_except_quitting_notes_and_help() {
    let now = Instant::now();
    let mut app = connected(5, now);
    let page_down = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(
        app.update(PresenterMsg::Key(page_down), now),
        vec![PresenterEffect::Send(ToRoom::Key { key: page_down })]
    );
    // The slide moves when the room says so, not before.
    assert_eq!(app.room.slide, 5);
    for local in [KeyCode::Char(']'), KeyCode::Char('?')] {
        assert_eq!(app.update(key(local), now), vec![PresenterEffect::Redraw]);
    }
    assert_eq!(app.notes_scroll, 3);
    assert!(app.show_help);
    assert_eq!(
        app.update(key(KeyCode::Char('q')), now),
        vec![PresenterEffect::Quit(ExitReason::User)]
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(matches!(
        app.update(PresenterMsg::Key(ctrl_c), now).as_slice(),
        [PresenterEffect::Quit(_)]
    ));
}

#[test]
fn the_clocks_move_on_between_states_and_a_new_slide_resets_the_notes() {
    let now = Instant::now();
    let mut app = connected(5, now);
    app.update(key(KeyCode::Char(']')), now);
    let later = now + Duration::from_secs(2);
    app.update(PresenterMsg::Tick, later);
    assert_eq!(app.timer(), Duration::from_secs(756));
    assert_eq!(app.demo_elapsed(), Some(Duration::from_millis(3_500)));
    let mut state = app.room.clone();
    state.slide = 6;
    state.timer_running = false;
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(state))),
        later,
    );
    assert_eq!(app.notes_scroll, 0);
    app.update(PresenterMsg::Tick, later + Duration::from_secs(5));
    assert_eq!(app.timer(), Duration::from_secs(754), "paused");
}

#[test]
fn without_the_room_the_screen_turns_its_own_slides_and_keeps_time() {
    let now = Instant::now();
    let mut app = connected(10, now);
    let lost_at = now + Duration::from_secs(1);
    app.update(PresenterMsg::Room(FromRoom::Lost), lost_at);
    assert_eq!(app.link, LinkState::Lost);
    // Waiting for the room to come back does not hide that it was lost.
    app.update(
        PresenterMsg::Room(FromRoom::Waiting("waiting for `talk`".into())),
        lost_at,
    );
    assert_eq!(app.link, LinkState::Lost);
    assert_eq!(
        app.update(key(KeyCode::PageDown), lost_at),
        vec![PresenterEffect::Redraw]
    );
    assert_eq!(app.room.slide, 11);
    app.update(key(KeyCode::PageDown), lost_at);
    assert_eq!(app.room.slide, 11, "the last slide stays the last");
    app.update(key(KeyCode::Home), lost_at);
    assert_eq!(app.room.slide, 0);
    app.update(key(KeyCode::Enter), lost_at);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("not connected"))
    );
    app.update(PresenterMsg::Tick, lost_at + Duration::from_secs(10));
    assert_eq!(app.timer(), Duration::from_secs(754 + 11));
}

fn draw(app: &PresenterApp) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(app.size.width, app.size.height)).expect("test terminal");
    terminal.draw(|frame| render(app, frame)).expect("draws");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_screen_shows_notes_next_slide_timer_demo_and_link_wide_and_narrow() {
    let now = Instant::now();
    let mut app = connected(5, now);
    app.update(PresenterMsg::Tick, now + Duration::from_millis(500));
    insta::assert_snapshot!("presenter_120x30", draw(&app));
    app.update(PresenterMsg::Resize(80, 24), now);
    app.update(PresenterMsg::Room(FromRoom::Lost), now);
    insta::assert_snapshot!("presenter_80x24_room_gone", draw(&app));
}

#[test]
fn another_lesson_under_the_same_name_is_loaded_and_bad_slides_are_clamped() {
    let now = Instant::now();
    let mut app = connected(3, now);
    let hello = |lesson| {
        PresenterMsg::Room(FromRoom::Said(ToPresenter::Hello {
            protocol: crate::link::wire::PROTOCOL,
            name: "talk".into(),
            lesson,
        }))
    };
    // The same lesson again (a reconnect): nothing to load.
    assert_eq!(
        app.update(hello(LessonRef::Embedded), now),
        vec![PresenterEffect::Redraw]
    );
    let other = LessonRef::File("/lessons/26.md".into());
    assert!(
        app.update(hello(other.clone()), now)
            .contains(&PresenterEffect::Load(other))
    );
    assert!(
        app.lesson.is_none(),
        "the old lesson's notes are not shown for the new one"
    );
    // A slide beyond the lesson (a bad line, another lesson) becomes its last.
    let lesson = lesson::embedded().expect("built-in lesson").0;
    app.update(PresenterMsg::Lesson(Ok(Box::new(lesson))), now);
    let state = RoomState {
        slide: usize::MAX,
        ..RoomState::default()
    };
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(state))),
        now,
    );
    assert_eq!(app.room.slide, 11);
    assert!(!draw(&app).is_empty());
    // A refusal is kept on screen.
    app.update(
        PresenterMsg::Room(FromRoom::Refused("protocol 99".into())),
        now,
    );
    assert_eq!(app.link, LinkState::Refused("protocol 99".into()));
    assert!(draw(&app).contains("✗ protocol 99"));
}

#[test]
fn alone_it_jumps_keeps_time_and_forgets_the_rooms_runs_and_notes_stay_here() {
    let now = Instant::now();
    let mut app = connected(5, now);
    // `s` would put the notes on the projector: not sent.
    assert_eq!(
        app.update(key(KeyCode::Char('s')), now),
        vec![PresenterEffect::Redraw]
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("notes are on this screen"))
    );
    // The notes stop scrolling at their end.
    app.update(PresenterMsg::NotesMax(4), now);
    for _ in 0..5 {
        app.update(key(KeyCode::Char(']')), now);
    }
    assert_eq!(app.notes_scroll, 4);
    app.update(key(KeyCode::Char('[')), now);
    assert_eq!(app.notes_scroll, 1);
    // The room goes with a demo running: the demo is not shown running on.
    app.update(PresenterMsg::Room(FromRoom::Lost), now);
    let demo = app.room.demo.clone().expect("the last run");
    assert!(!demo.running);
    assert_eq!(demo.outcome.as_deref(), Some("gone with the room"));
    // Digits and Enter jump; the room's runs belonged to another slide.
    app.update(key(KeyCode::Char('9')), now);
    assert!(draw(&app).contains("go to slide: 9"));
    app.update(key(KeyCode::Enter), now);
    assert_eq!(app.room.slide, 8);
    assert_eq!(app.room.demo, None);
    assert_eq!(app.room.selected_demo.as_deref(), Some("paths-vs-payloads"));
    app.update(key(KeyCode::Char('4')), now);
    app.update(key(KeyCode::Char('2')), now);
    app.update(key(KeyCode::Enter), now);
    assert_eq!(app.room.slide, 8);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("no slide 42"))
    );
    // t pauses the timer here.
    let later = now + Duration::from_secs(2);
    app.update(key(KeyCode::Char('t')), later);
    assert!(!app.room.timer_running);
    app.update(PresenterMsg::Tick, later + Duration::from_secs(60));
    assert_eq!(app.timer(), Duration::from_secs(756));
    // Back in touch: the message from being alone goes.
    app.update(key(KeyCode::Char('x')), later);
    assert!(app.status.is_some());
    app.update(
        PresenterMsg::Room(FromRoom::Connected("talk".into())),
        later,
    );
    assert_eq!(app.status, None);
}

#[test]
fn back_with_the_room_it_hands_over_its_slide_and_timer_and_waits_for_the_room_to_take_them() {
    let now = Instant::now();
    let mut app = connected(10, now);
    let lost_at = now + Duration::from_secs(1);
    app.update(PresenterMsg::Room(FromRoom::Lost), lost_at);
    app.update(key(KeyCode::PageUp), lost_at);
    assert_eq!(app.room.slide, 9);
    let back_at = lost_at + Duration::from_secs(5);
    let effects = app.update(
        PresenterMsg::Room(FromRoom::Connected("talk".into())),
        back_at,
    );
    assert!(
        effects.contains(&PresenterEffect::Send(ToRoom::Resume {
            slide: 9,
            timer_ms: 754_000 + 6_000,
            timer_running: true,
        })),
        "{effects:?}"
    );
    // The restarted room's own state (its first slide) is not shown meanwhile…
    let room_before = RoomState {
        slide: 0,
        timer_ms: 0,
        timer_running: true,
        ..RoomState::default()
    };
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(room_before))),
        back_at,
    );
    assert_eq!(app.room.slide, 9);
    // …until the room has taken this screen's slide.
    let room_after = RoomState {
        slide: 9,
        timer_ms: 760_000,
        timer_running: true,
        ..RoomState::default()
    };
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(room_after))),
        back_at,
    );
    assert_eq!((app.room.slide, app.handing_over), (9, None));
    // A screen that joins a room it never lost hands nothing over.
    let mut fresh = connected(3, now);
    let effects = fresh.update(PresenterMsg::Room(FromRoom::Connected("talk".into())), now);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, PresenterEffect::Send(_)))
    );
}

#[test]
fn the_demo_box_shows_the_runs_headline() {
    let now = Instant::now();
    let mut app = connected(5, now);
    let mut state = app.room.clone();
    if let Some(demo) = state.demo.as_mut() {
        demo.running = false;
        demo.outcome = Some("finished".into());
        demo.headline = Some("1 worker blocked in get() forever".into());
    }
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(state))),
        now,
    );
    let screen = draw(&app);
    assert!(screen.contains("1 worker blocked"), "{screen}");
}

#[test]
fn the_slides_questions_are_shown_with_the_answer_the_claim_expects() {
    let now = Instant::now();
    let app = connected(7, now);
    let screen = draw(&app);
    for part in [
        "Ask the room: 10,000 tasks of 20 µs",
        "1 chunksize=100 · 2 chunksize=1",
        "Expected: chunksize=100",
    ] {
        assert!(screen.contains(part), "{part}\n{screen}");
    }
    // Slide 6 asks two; slide 12 asks none.
    let six = draw(&connected(5, now));
    assert!(six.contains("Expected: none"), "{six}");
    assert!(six.contains("Expected: one or all four"), "{six}");
    assert!(!draw(&connected(11, now)).contains("Expected:"));
}

#[test]
fn the_presenter_screen_counts_the_rooms_students() {
    let now = Instant::now();
    let mut app = connected(2, now);
    let mut state = app.room.clone();
    state.class = Some(Box::new(crate::link::wire::ClassState {
        students: 38,
        said: vec!["The class predicted (31): chunksize=100 24 · chunksize=1 7".into()],
    }));
    app.update(
        PresenterMsg::Room(FromRoom::Said(ToPresenter::State(state))),
        now,
    );
    let screen = draw(&app);
    assert!(screen.contains("38 students · slide 3 / 12"), "{screen}");
    assert!(
        screen.contains("The class predicted (31): chunksize=100 24"),
        "{screen}"
    );
}

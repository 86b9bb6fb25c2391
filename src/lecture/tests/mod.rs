//! Behaviour of `App::update`: keys, mouse, timer, scrolling and quitting, without a terminal.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Size;

use super::App;
use crate::lecture::msg::{Effect, Msg};
use crate::terminal::ExitReason;
use crate::theme::{Theme, ThemeName};

mod editor;
mod estimates;
mod processes;
mod quitting;
mod side_by_side;

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

mod demos {
    use super::*;
    use crate::demo_runtime::params::ParamValue;
    use crate::demo_runtime::protocol::Event;
    use crate::process::ExitInfo;
    use crate::sampler::Command;

    /// On slide 3 (start-methods, fork-lock, main-guard).
    fn on_slide_3() -> (App, Instant) {
        let (mut app, now) = app_at(120, 40);
        keys(&mut app, now, &[KeyCode::Char('3'), KeyCode::Enter]);
        assert_eq!(app.slide, 2);
        (app, now)
    }

    fn started(effects: &[Effect]) -> Option<(u64, &'static str, crate::demo_runtime::Params)> {
        effects.iter().find_map(|e| match e {
            Effect::StartDemo { run, request, .. } => {
                Some((*run, request.name(), request.params().clone()))
            }
            _ => None,
        })
    }

    #[test]
    fn enter_runs_the_selected_demo_and_tab_selects_the_next() {
        let (mut app, now) = on_slide_3();
        // The demos come from the slide's directives, whatever they are called.
        let names: Vec<String> = app
            .current_slide()
            .demos
            .iter()
            .map(|d| d.name.clone())
            .collect();
        let (run, demo, _) = started(&key(&mut app, now, KeyCode::Enter)).expect("a demo starts");
        assert_eq!((run, demo), (1, names[0].as_str()));
        key(&mut app, now, KeyCode::Tab);
        key(&mut app, now, KeyCode::Tab);
        let effects = key(&mut app, now, KeyCode::Enter);
        assert!(
            effects.contains(&Effect::StopDemo { run: 1 }),
            "the old run is stopped first"
        );
        assert_eq!(started(&effects).map(|s| s.1), Some(names[2].as_str()));
    }

    #[test]
    fn a_lesson_directives_parameters_are_used() {
        let (mut app, now) = app_at(120, 40);
        // Slide 4's second demo: start-methods with simulated and real imports.
        keys(
            &mut app,
            now,
            &[KeyCode::Char('4'), KeyCode::Enter, KeyCode::Tab],
        );
        let (_, demo, params) = started(&key(&mut app, now, KeyCode::Enter)).unwrap();
        assert_eq!(demo, app.current_slide().demos[1].name);
        assert_eq!(demo, app.current_demos()[1].request.name());
        assert_eq!(params["import_ms"], ParamValue::Int(60));
        assert_eq!(params["import_mb"], ParamValue::Int(30));
    }

    #[test]
    fn leaving_the_slide_stops_an_unpinned_demo_only() {
        let (mut app, now) = on_slide_3();
        key(&mut app, now, KeyCode::Enter);
        let effects = key(&mut app, now, KeyCode::PageDown);
        assert!(effects.contains(&Effect::StopDemo { run: 1 }));
        key(&mut app, now, KeyCode::PageUp);
        key(&mut app, now, KeyCode::Enter);
        key(&mut app, now, KeyCode::Char('p'));
        let effects = key(&mut app, now, KeyCode::PageDown);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::StopDemo { .. })),
            "{effects:?}"
        );
        assert!(key(&mut app, now, KeyCode::Char('x')).contains(&Effect::StopDemo { run: 2 }));
    }

    #[test]
    fn the_editor_changes_parameters_without_moving_slides() {
        let (mut app, now) = on_slide_3();
        key(&mut app, now, KeyCode::Char('e'));
        assert_eq!(app.demos.editor, Some(0));
        key(&mut app, now, KeyCode::Right); // children +1
        key(&mut app, now, KeyCode::Down);
        key(&mut app, now, KeyCode::Left); // parent_mb down the ladder
        assert_eq!(app.slide, 2, "arrows edit, they do not navigate");
        let (_, _, params) = started(&key(&mut app, now, KeyCode::Enter)).unwrap();
        // One step up from the default, which is at most 20 (the range's end) on any machine.
        let default = (2 * crate::demo_runtime::params::cores()).clamp(1, 20);
        assert_eq!(params["children"], ParamValue::Int((default + 1).min(20)));
        assert_eq!(params["parent_mb"], ParamValue::Int(5));
        assert_eq!(app.demos.editor, None);
        // A clicker still works with the editor open.
        key(&mut app, now, KeyCode::Char('e'));
        key(&mut app, now, KeyCode::PageDown);
        assert_eq!(app.slide, 3);
    }

    #[test]
    fn demo_events_update_the_run_and_label_processes_stale_runs_are_ignored() {
        let (mut app, now) = on_slide_3();
        key(&mut app, now, KeyCode::Enter);
        let process = Event::Process {
            pid: 42,
            ppid: 1,
            role: "fork child 1".into(),
        };
        let effects = app.update(
            Msg::Demo {
                run: 1,
                event: process,
            },
            now,
        );
        assert!(effects.contains(&Effect::Sampler(Command::Reported {
            pid: 42,
            ppid: 1,
            label: "fork child 1".into()
        })));
        // Its end, with how long it lived, goes to the gauges too.
        let effects = app.update(
            Msg::Demo {
                run: 1,
                event: Event::Exit {
                    pid: 42,
                    role: "fork child 1".into(),
                    code: Some(0),
                    signal: None,
                    lived_ms: Some(9.0),
                },
            },
            now,
        );
        assert!(effects.contains(&Effect::Sampler(Command::Exited {
            pid: 42,
            exit: ExitInfo::Code(0),
            lived: Some(Duration::from_millis(9)),
        })));
        let stale = Event::Error {
            message: "old".into(),
        };
        assert!(
            app.update(
                Msg::Demo {
                    run: 99,
                    event: stale
                },
                now
            )
            .is_empty()
        );
        app.update(
            Msg::DemoExited {
                run: 1,
                exit: ExitInfo::Code(0),
            },
            now,
        );
        let run = app.demos.latest((2, 0)).unwrap();
        assert!(!run.is_running());
        assert_eq!(run.processes[0].pid, 42);
        assert_eq!(run.error, None);
    }
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

mod engines {
    use std::path::PathBuf;

    use crossterm::event::KeyCode;

    use super::{app_at, key, keys, send};
    use crate::demo_runtime::engine::Engine;
    use crate::demo_runtime::launch::Engines;
    use crate::demo_runtime::python::Python;
    use crate::lecture::App;
    use crate::lecture::msg::{Effect, Msg};

    /// A lecture whose session runs demos on CPython (as `--engine auto` does when it finds
    /// one), on slide 3: start-methods, fork-lock, main-guard (pinned to native).
    fn on_cpython_slide_3() -> (App, std::time::Instant) {
        let (mut app, now) = app_at(120, 40);
        let engines = Engines {
            default: Engine::Python,
            python: Some((
                Python {
                    program: "python3".into(),
                    version: (3, 11, 7),
                },
                PathBuf::from("/nonexistent"),
            )),
            why_not_python: None,
        };
        send(&mut app, now, Msg::Engines(Box::new(engines)));
        keys(&mut app, now, &[KeyCode::Char('3'), KeyCode::Enter]);
        (app, now)
    }

    fn started_on(effects: &[Effect]) -> Option<Engine> {
        effects.iter().find_map(|e| match e {
            Effect::StartDemo { engine, .. } => Some(*engine),
            _ => None,
        })
    }

    #[test]
    fn enter_uses_the_sessions_engine_unless_the_lesson_pins_one() {
        let (mut app, now) = on_cpython_slide_3();
        assert_eq!(app.engine_for((2, 0)), Engine::Python);
        assert_eq!(
            app.engine_for((2, 2)),
            Engine::Native,
            "main-guard is pinned"
        );
        assert_eq!(
            started_on(&key(&mut app, now, KeyCode::Enter)),
            Some(Engine::Python)
        );
        keys(&mut app, now, &[KeyCode::Tab, KeyCode::Tab]);
        assert_eq!(
            started_on(&key(&mut app, now, KeyCode::Enter)),
            Some(Engine::Native)
        );
    }

    fn screen(app: &App) -> String {
        let backend = ratatui::backend::TestBackend::new(app.size.width, app.size.height);
        let mut terminal = ratatui::Terminal::new(backend).expect("a test terminal");
        terminal
            .draw(|frame| crate::lecture::view::render(app, frame))
            .expect("draws");
        crate::ui::buffers::text_of(terminal.backend().buffer())
    }

    #[test]
    fn the_panel_names_the_engine_enter_will_use_before_the_run() {
        let (mut app, now) = on_cpython_slide_3();
        assert!(
            screen(&app).contains("Demo 1/3 · Tab · python"),
            "{}",
            screen(&app)
        );
        keys(&mut app, now, &[KeyCode::Tab, KeyCode::Tab]);
        assert!(
            screen(&app).contains("Demo 3/3 · Tab · native"),
            "{}",
            screen(&app)
        );
    }

    #[test]
    fn e_runs_the_demo_shown_on_the_other_engine_and_changes_nothing_else() {
        let (mut app, now) = on_cpython_slide_3();
        key(&mut app, now, KeyCode::Enter);
        let effects = key(&mut app, now, KeyCode::Char('E'));
        assert_eq!(started_on(&effects), Some(Engine::Native));
        assert_eq!(
            app.engines.current,
            Engine::Python,
            "the session's engine stays"
        );
        assert!(app.status.as_deref().is_some_and(|s| s.contains("native")));
        // E again: back to CPython; Enter: still the session's engine.
        let effects = key(&mut app, now, KeyCode::Char('E'));
        assert_eq!(started_on(&effects), Some(Engine::Python));
        key(&mut app, now, KeyCode::Char('x'));
        // On the pinned demo, E runs the other engine too: it is asked for.
        keys(&mut app, now, &[KeyCode::Tab, KeyCode::Tab]);
        assert_eq!(
            started_on(&key(&mut app, now, KeyCode::Char('E'))),
            Some(Engine::Python)
        );
    }
}

//! The engines: which one Enter uses (the session's, or the lesson's pin), the panel's
//! title naming it, and E running the demo shown on the other one.

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
                free_threaded: false,
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

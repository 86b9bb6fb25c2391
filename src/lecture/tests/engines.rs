//! The engines: which one Enter uses (the session's, or the lesson's pin), the panel's
//! title naming it, and E running the demo shown on the other one.

use std::path::PathBuf;

use crossterm::event::KeyCode;

use super::{app_at, key, keys, on_cpython_slide_3, screen, send};
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::launch::Engines;
use crate::demo_runtime::python::Python;
use crate::lecture::App;
use crate::lecture::msg::{Effect, Msg};

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

/// A session given two interpreters (`--python A --python B`), on slide 3.
fn with_two_cpythons() -> (App, std::time::Instant) {
    let (mut app, now) = app_at(120, 40);
    let python = |minor, patch| Python {
        program: format!("python3.{minor}").into(),
        version: (3, minor, patch),
        free_threaded: false,
    };
    let engines = Engines {
        default: Engine::Python,
        python: Some((python(11, 7), PathBuf::from("/nonexistent"))),
        why_not_python: None,
        more: vec![python(8, 18)],
    };
    send(&mut app, now, Msg::Engines(Box::new(engines)));
    keys(&mut app, now, &[KeyCode::Char('3'), KeyCode::Enter]);
    (app, now)
}

fn started_where(effects: &[Effect]) -> Option<(Engine, usize)> {
    effects.iter().find_map(|e| match e {
        Effect::StartDemo {
            engine,
            interpreter,
            ..
        } => Some((*engine, *interpreter)),
        _ => None,
    })
}

#[test]
fn with_several_cpythons_e_steps_through_each_and_only_the_first_feeds_the_verdicts() {
    use crate::demo_runtime::protocol::{Event, ResultValue};
    let (mut app, now) = with_two_cpythons();
    assert_eq!(app.engines.more, vec!["CPython 3.8.18".to_string()]);
    let enter = key(&mut app, now, KeyCode::Enter);
    assert_eq!(started_where(&enter), Some((Engine::Python, 0)));
    let effects = key(&mut app, now, KeyCode::Char('E'));
    assert_eq!(started_where(&effects), Some((Engine::Python, 1)));
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.contains("on CPython 3.8.18") && status.contains("E again: lectern's native"),
        "{status}"
    );
    // The run on the second CPython finishes; its panel names it, and the verdicts' CPython
    // column (the first CPython's) does not take its numbers.
    let run = app.demos.next_run;
    let event = Event::Result {
        name: "spawn_median_ms".into(),
        value: ResultValue::Number(61.0),
    };
    send(&mut app, now, Msg::Demo { run, event });
    let event = Event::Hello {
        demo: "start-methods".into(),
        params: std::collections::BTreeMap::new(),
        engine: "python".into(),
        engine_detail: "CPython 3.8.18".into(),
    };
    send(&mut app, now, Msg::Demo { run, event });
    let exit = crate::process::ExitInfo::Code(0);
    send(&mut app, now, Msg::DemoExited { run, exit });
    assert!(
        screen(&app).contains("Demo 1/3 · Tab · CPython 3.8.18"),
        "{}",
        screen(&app)
    );
    assert!(
        app.verdicts.measured.is_empty(),
        "{:?}",
        app.verdicts.measured
    );
    // Then native, then the first CPython again.
    let effects = key(&mut app, now, KeyCode::Char('E'));
    assert_eq!(started_where(&effects), Some((Engine::Native, 0)));
    let effects = key(&mut app, now, KeyCode::Char('E'));
    assert_eq!(started_where(&effects), Some((Engine::Python, 0)));
    // Enter still runs on the session's engine, the first CPython.
    key(&mut app, now, KeyCode::Char('x'));
    assert_eq!(
        started_where(&key(&mut app, now, KeyCode::Enter)),
        Some((Engine::Python, 0))
    );
}

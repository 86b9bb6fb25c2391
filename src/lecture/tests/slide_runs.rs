//! A slide's demos: Enter runs the one selected and Tab selects the next, with the lesson's
//! parameters; leaving the slide stops a run that is not pinned; the editor changes
//! parameters in place; a run's events reach it (and the gauges), a stale run's do not.

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

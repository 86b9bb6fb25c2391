//! Processes a demo reports: counted in the panel while it runs, with how long the ended ones
//! lived, and handed to the gauges even when they were too brief to be sampled.

use crossterm::event::KeyCode;

use super::{app_at, key, panel_text, send};
use crate::demo_runtime::protocol::Event;
use crate::lecture::App;
use crate::lecture::msg::{Effect, Msg};
use crate::sampler::Command;

fn demo(app: &mut App, now: std::time::Instant, event: Event) -> Vec<Effect> {
    let run = app.demos.next_run;
    send(app, now, Msg::Demo { run, event })
}

#[test]
fn a_run_of_many_brief_processes_counts_them_and_says_how_long_they_lived() {
    let (mut app, now) = app_at(120, 40);
    key(&mut app, now, KeyCode::Enter);
    for pid in 100..103 {
        demo(
            &mut app,
            now,
            Event::Process {
                pid,
                ppid: 1,
                role: format!("task {pid}"),
            },
        );
    }
    assert!(
        !panel_text(&app, 60).contains("started"),
        "three processes need no count:\n{}",
        panel_text(&app, 60)
    );
    for pid in 103..140 {
        demo(
            &mut app,
            now,
            Event::Process {
                pid,
                ppid: 1,
                role: format!("task {pid}"),
            },
        );
    }
    for (pid, ms) in [(100, 9.0), (101, 8.0), (102, 30.0)] {
        let effects = demo(
            &mut app,
            now,
            Event::Exit {
                pid,
                role: format!("task {pid}"),
                code: Some(0),
                signal: None,
                lived_ms: Some(ms),
            },
        );
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::Sampler(Command::Exited { pid: p, lived: Some(_), .. }) if *p == pid
            )),
            "{effects:?}"
        );
    }
    let text = panel_text(&app, 60);
    assert!(
        text.contains("40 processes started · median life 9 ms"),
        "{text}"
    );
    // A lifetime no clock could give is none.
    demo(
        &mut app,
        now,
        Event::Exit {
            pid: 103,
            role: "task 103".into(),
            code: Some(0),
            signal: None,
            lived_ms: Some(-1.0),
        },
    );
    assert!(panel_text(&app, 60).contains("median life 9 ms"));
}

fn forgotten(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ForgetRun { run } => Some(*run),
            _ => None,
        })
        .collect()
}

#[test]
fn a_rerun_takes_the_previous_runs_rows_off_the_gauges_and_a_new_slide_its_slides() {
    let (mut app, now) = app_at(120, 40);
    key(&mut app, now, KeyCode::Enter);
    let first = app.demos.next_run;
    send(
        &mut app,
        now,
        Msg::DemoExited {
            run: first,
            exit: crate::process::ExitInfo::Code(0),
        },
    );
    // Run again: the first run's rows (its supervisor's among them) leave.
    let effects = key(&mut app, now, KeyCode::Enter);
    assert_eq!(forgotten(&effects), [first]);
    let second = app.demos.next_run;
    // A rerun while the second still runs: stopped, then forgotten; once only.
    let effects = key(&mut app, now, KeyCode::Char('r'));
    assert_eq!(forgotten(&effects), [second], "{effects:?}");
    let third = app.demos.next_run;
    // The next slide takes the slide's last run off too, and nothing twice.
    let effects = key(&mut app, now, KeyCode::Right);
    assert_eq!(forgotten(&effects), [third]);
    let effects = key(&mut app, now, KeyCode::Left);
    assert!(forgotten(&effects).is_empty());
}

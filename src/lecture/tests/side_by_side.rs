//! `c`: a learner's experiment beside the run before it, and the two engines side by side, on
//! what the lesson's claims check, in the slide's words.

use crossterm::event::KeyCode;

use ratatui::style::Modifier;

use super::{key, keys, on_cpython_slide_3, panel_text, send};
use crate::demo_runtime::protocol::{Event, ResultValue};
use crate::lecture::App;
use crate::lecture::demo_panel_state::Compare;
use crate::lecture::msg::Msg;
use crate::process::ExitInfo;

/// Finishes the run just started with `results`.
fn finish(app: &mut App, now: std::time::Instant, results: &[(&str, f64)]) {
    let run = app.demos.next_run;
    for (name, value) in results {
        let event = Event::Result {
            name: (*name).into(),
            value: ResultValue::Number(*value),
        };
        send(app, now, Msg::Demo { run, event });
    }
    let exit = ExitInfo::Code(0);
    send(app, now, Msg::DemoExited { run, exit });
}

#[test]
fn c_compares_the_claimed_results_in_the_slides_words_with_ratios_for_times_only() {
    let (mut app, now) = on_cpython_slide_3();
    let results = |fork, spawn| {
        [
            ("fork_median_ms", fork),
            ("spawn_median_ms", spawn),
            ("cap", 64.0),
            ("children", 4.0),
            ("processes_started", 13.0),
        ]
    };
    key(&mut app, now, KeyCode::Enter);
    finish(&mut app, now, &results(1.1, 55.0));
    key(&mut app, now, KeyCode::Char('E'));
    finish(&mut app, now, &results(0.24, 1.62));
    key(&mut app, now, KeyCode::Char('c'));
    let parts = crate::lecture::view::demo_panel::parts(&app, 110);
    let text: Vec<String> = parts
        .top
        .iter()
        .chain(&parts.body)
        .map(ToString::to_string)
        .collect();
    let row = |words: &str| {
        text.iter()
            .find(|l| l.contains(words))
            .unwrap_or_else(|| panic!("{words} not compared:\n{}", text.join("\n")))
            .clone()
    };
    let spawn = row("spawn: 50–200 ms of startup per process");
    assert!(
        spawn.contains("1.62 ms") && spawn.contains("55 ms"),
        "{spawn}"
    );
    assert!(spawn.contains("33.95×"), "a time has a ratio: {spawn}");
    row("fork starts faster than spawn");
    for internal in ["cap", "children", "processes_started", "_ms"] {
        assert!(
            !text
                .iter()
                .any(|l| l.split_whitespace().next() == Some(internal)
                    || l.contains("fork_median_ms")),
            "{internal}:\n{}",
            text.join("\n")
        );
    }
}

#[test]
fn c_puts_an_experiment_beside_the_run_before_it_with_the_changed_parameter_picked_out() {
    let (mut app, now) = super::app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('8'), KeyCode::Enter]);
    // Nothing to compare yet: said, and nothing changes.
    key(&mut app, now, KeyCode::Char('c'));
    assert_eq!(app.demos.compare, None);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("Nothing to compare yet")),
        "{:?}",
        app.status
    );
    key(&mut app, now, KeyCode::Enter);
    finish(
        &mut app,
        now,
        &[("time_ms_cs1", 238.0), ("time_ms_cs100", 129.0)],
    );
    // e, down to task_us (20 µs on this slide), type 5, Enter: the experiment runs.
    keys(
        &mut app,
        now,
        &[
            KeyCode::Char('e'),
            KeyCode::Down,
            KeyCode::Down,
            KeyCode::Char('5'),
            KeyCode::Enter,
        ],
    );
    finish(
        &mut app,
        now,
        &[("time_ms_cs1", 250.0), ("time_ms_cs100", 60.0)],
    );
    assert_eq!(app.demos.runs.len(), 2, "the run before is kept");
    key(&mut app, now, KeyCode::Char('c'));
    assert_eq!(app.demos.compare, Some(Compare::Experiments));
    let parts = crate::lecture::view::demo_panel::parts(&app, 110);
    let changed = parts
        .top
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.content.contains("task_us"))
        .expect("the changed parameter is named");
    assert!(changed.style.add_modifier.contains(Modifier::UNDERLINED));
    let text = panel_text(&app, 110);
    assert!(text.contains("task_us: 20 → 5"), "{text}");
    assert!(
        !text.contains("workers: 2"),
        "an unchanged one is not picked out: {text}"
    );
    let row = text
        .lines()
        .find(|l| l.contains("time ms cs100 ◆"))
        .unwrap_or_else(|| panic!("the result is named, marked as claimed:\n{text}"));
    assert!(
        row.contains("129") && row.contains("60") && row.contains("0.47×"),
        "{row}"
    );
    // Only native runs here: c goes back to the latest run.
    key(&mut app, now, KeyCode::Char('c'));
    assert_eq!(app.demos.compare, None);
}

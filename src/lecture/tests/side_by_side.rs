//! `c`: the two engines side by side, on what the lesson's claims check, in the slide's words.

use crossterm::event::KeyCode;

use super::{key, on_cpython_slide_3, send};
use crate::demo_runtime::protocol::{Event, ResultValue};
use crate::lecture::App;
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

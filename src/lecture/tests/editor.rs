//! The parameter editor: what is typed edits the selected value and never reaches the slide
//! keys; a typed value is checked against its range on Enter.

use crossterm::event::KeyCode;

use super::{app_at, key, keys};
use crate::demo_runtime::params::ParamValue;
use crate::lecture::App;
use crate::lecture::msg::Effect;
use crate::lecture::text_field::TextField;

/// Slide 8 (`chunksize`), its editor open on `task_us` (after `workers` and `tasks`).
fn editing_task_us() -> (App, std::time::Instant) {
    let (mut app, now) = app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('8'), KeyCode::Enter]);
    assert_eq!(app.slide, 7);
    keys(
        &mut app,
        now,
        &[KeyCode::Char('e'), KeyCode::Down, KeyCode::Down],
    );
    assert_eq!(app.demos.editor, Some(2));
    (app, now)
}

fn started_with(effects: &[Effect], key: &str) -> Option<ParamValue> {
    effects.iter().find_map(|e| match e {
        Effect::StartDemo { request, .. } => request.params().get(key).cloned(),
        _ => None,
    })
}

#[test]
fn digits_typed_in_the_editor_edit_the_value_and_never_jump() {
    let (mut app, now) = editing_task_us();
    key(&mut app, now, KeyCode::Char('2'));
    assert_eq!(app.jump, "", "no slide jump starts");
    assert_eq!(app.demos.editor, Some(2), "the editor stays open");
    assert_eq!(app.demos.typed.as_ref().map(TextField::text), Some("2"));
    // Backspace edits the value; it does not go back a slide.
    key(&mut app, now, KeyCode::Backspace);
    assert_eq!((app.slide, app.demos.typed.as_ref()), (7, None));
    keys(&mut app, now, &[KeyCode::Char('2'), KeyCode::Char('0')]);
    let effects = key(&mut app, now, KeyCode::Enter);
    assert_eq!(app.slide, 7, "Enter runs the demo, it does not jump");
    assert_eq!(started_with(&effects, "task_us"), Some(ParamValue::Int(20)));
    assert_eq!(app.demos.editor, None);
}

#[test]
fn a_typed_value_out_of_range_says_the_range_and_runs_nothing() {
    let (mut app, now) = editing_task_us();
    for c in "99999999".chars() {
        key(&mut app, now, KeyCode::Char(c));
    }
    let effects = key(&mut app, now, KeyCode::Enter);
    assert_eq!(started_with(&effects, "task_us"), None);
    // Said in the panel, where the eyes are (the footer may be cut on a small screen), and
    // the value stays as typed, to be corrected.
    let refused = app.demos.refused.clone().unwrap_or_default();
    assert!(
        refused.contains("task_us") && refused.contains("from"),
        "{refused}"
    );
    let panel = crate::lecture::view::demo_panel::parts(&app, 100);
    assert!(
        panel.top.iter().any(|l| l.to_string().contains(&refused)),
        "{:?}",
        panel.top
    );
    assert_eq!(
        app.demos.typed.as_ref().map(TextField::text),
        Some("99999999")
    );
    assert_eq!(
        app.demos.editor,
        Some(2),
        "the editor stays open to try again"
    );
    // Esc drops a half-typed value first, then closes the editor.
    key(&mut app, now, KeyCode::Char('3'));
    key(&mut app, now, KeyCode::Esc);
    assert_eq!(
        (app.demos.editor, app.demos.typed.as_ref()),
        (Some(2), None)
    );
    key(&mut app, now, KeyCode::Esc);
    assert_eq!(app.demos.editor, None);
}

#[test]
fn a_choice_takes_no_digits_and_says_how_to_change_it() {
    let (mut app, now) = app_at(120, 40);
    // Slide 1's gil demo: its first parameter is `mode`, a choice.
    keys(&mut app, now, &[KeyCode::Char('e'), KeyCode::Char('5')]);
    assert_eq!((app.jump.as_str(), app.demos.typed.as_ref()), ("", None));
    assert!(app.status.as_deref().is_some_and(|s| s.contains("←→")));
}

#[test]
fn at_80x24_the_editor_takes_the_screen_so_what_is_typed_is_seen() {
    let (mut app, now) = app_at(80, 24);
    keys(&mut app, now, &[KeyCode::Char('8'), KeyCode::Enter]);
    assert!(app.layout.demo_cramped, "the panel is a strip at 80×24");
    key(&mut app, now, KeyCode::Char('e'));
    assert!(app.demos.editor.is_some());
    assert!(app.demo_focus, "the editor has the screen");
}

//! Ending the lecture: Esc never does, `q` asks once after a demo has run, Ctrl-C at once.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{app_at, key, keys, send};
use crate::lecture::msg::{Effect, Msg};
use crate::terminal::ExitReason;

fn quits(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Quit(_)))
}

#[test]
fn escape_closes_what_is_open_and_never_quits() {
    let (mut app, now) = app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('s'), KeyCode::Char('?')]);
    assert!(app.show_help && app.show_notes);
    key(&mut app, now, KeyCode::Esc);
    assert!(!app.show_help && app.show_notes);
    key(&mut app, now, KeyCode::Esc);
    assert!(!app.show_notes);
    let effects = key(&mut app, now, KeyCode::Esc);
    assert!(!quits(&effects), "{effects:?}");
    assert!(app.status.as_deref().is_some_and(|s| s.contains("q quits")));
    // The natural way to dismiss a message is Esc: it dismisses it, and nothing else.
    keys(
        &mut app,
        now,
        &[KeyCode::Char('5'), KeyCode::Char('0'), KeyCode::Enter],
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("No slide 50"))
    );
    let effects = key(&mut app, now, KeyCode::Esc);
    assert!(!quits(&effects), "{effects:?}");
    assert_eq!(app.status, None);
}

#[test]
fn q_quits_at_once_until_a_demo_has_run_then_asks_once() {
    let (mut app, now) = app_at(120, 40);
    assert_eq!(
        key(&mut app, now, KeyCode::Char('q')),
        [Effect::Quit(ExitReason::User)]
    );
    let (mut app, now) = app_at(120, 40);
    key(&mut app, now, KeyCode::Enter);
    assert!(app.demos.next_run > 0, "a demo ran");
    assert!(!quits(&key(&mut app, now, KeyCode::Char('q'))));
    assert!(app.status.as_deref().is_some_and(|s| s.contains("q again")));
    // Another key in between: the question starts again.
    key(&mut app, now, KeyCode::Char('t'));
    assert!(!quits(&key(&mut app, now, KeyCode::Char('q'))));
    assert!(quits(&key(&mut app, now, KeyCode::Char('q'))));
}

#[test]
fn ctrl_c_quits_at_once_even_after_a_demo() {
    let (mut app, now) = app_at(120, 40);
    key(&mut app, now, KeyCode::Enter);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        send(&mut app, now, ctrl_c),
        [Effect::Quit(ExitReason::User)]
    );
}

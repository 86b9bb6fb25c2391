//! The slide's code and the learner's copy of it: `O` asks for the code to edit (the copy, once
//! there is one), a changed copy is kept and `o` runs it with the slide's own run beside it;
//! a copy saved back as the slide's code is dropped.

use crossterm::event::KeyCode;

use super::{key, keys, screen, send};
use crate::lecture::App;
use crate::lecture::msg::{Effect, Msg};
use crate::process::{ExitInfo, Stream};

/// The code `effects` start as a snippet run, with its run number.
fn started(effects: &[Effect]) -> Option<(u64, String)> {
    effects.iter().find_map(|e| match e {
        Effect::StartSnippet { run, code } => Some((*run, code.clone())),
        _ => None,
    })
}

/// The code `effects` hand to the editor.
fn editing(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::EditCode { code, .. } => Some(code.clone()),
        _ => None,
    })
}

/// Snippet run `run` prints `line` and ends well.
fn prints(app: &mut App, now: std::time::Instant, run: u64, line: &str) {
    let stream = Stream::Stdout;
    let line = line.to_string();
    send(app, now, Msg::SnippetOutput { run, stream, line });
    let exit = ExitInfo::Code(0);
    send(app, now, Msg::SnippetExited { run, exit });
}

#[test]
fn an_edited_copy_runs_beside_the_slides_own_code_until_saved_back() {
    let (mut app, now) = super::app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('8'), KeyCode::Enter]);
    let (run, original) = started(&key(&mut app, now, KeyCode::Char('o'))).expect("runs");
    assert!(original.contains("chunksize"), "{original}");
    prints(&mut app, now, run, "chunksize=   1: 0.900 s");

    let to_edit = editing(&key(&mut app, now, KeyCode::Char('O'))).expect("an editor");
    assert_eq!(to_edit, original, "the first copy is the slide's code");
    let copy = original.replace("(1, 10, 100, 1000)", "(1, 5000)");
    let outcome = Ok(copy.clone());
    send(&mut app, now, Msg::CodeEdited { slide: 7, outcome });
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("kept (1 lines differ)")),
        "{:?}",
        app.status
    );
    // Editing again starts from the copy.
    assert_eq!(
        editing(&key(&mut app, now, KeyCode::Char('O'))),
        Some(copy.clone())
    );

    let (run, ran) = started(&key(&mut app, now, KeyCode::Char('o'))).expect("runs");
    assert_eq!(ran, copy, "o runs the copy");
    prints(&mut app, now, run, "chunksize=5000: 0.050 s");
    let shown = screen(&app);
    for part in [
        "Your copy of the slide's code",
        "Your copy",
        "The slide's own code",
        "chunksize=5000: 0.050 s",
        "chunksize=   1: 0.900 s",
    ] {
        assert!(shown.contains(part), "{part}:\n{shown}");
    }

    // Saved back unchanged: the copy is gone and o runs the slide's own code.
    let outcome = Ok(original.clone());
    send(&mut app, now, Msg::CodeEdited { slide: 7, outcome });
    assert!(app.code_copies.is_empty());
    let (_, ran) = started(&key(&mut app, now, KeyCode::Char('o'))).expect("runs");
    assert_eq!(ran, original);
    // An editor that could not run says why.
    let outcome = Err("set $EDITOR (for example EDITOR=nano) to edit the slide's code".into());
    send(&mut app, now, Msg::CodeEdited { slide: 7, outcome });
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("not edited: set $EDITOR")),
        "{:?}",
        app.status
    );
}

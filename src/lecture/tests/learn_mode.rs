//! Learn mode: `L` (or `--learn`) makes Enter ask a demo's question first; the answer is typed,
//! checked and locked in, the demo runs, and the panel puts the prediction beside what was
//! measured — close or off. Esc skips; a question answered once is not asked again.

use crossterm::event::KeyCode;

use super::{app_at, key, keys, panel_text, screen, send};
use crate::claims::Prediction;
use crate::demo_runtime::protocol::{Event, ResultValue};
use crate::lecture::App;
use crate::lecture::msg::{Effect, Msg};
use crate::process::ExitInfo;

fn started(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::StartDemo { .. }))
}

/// A lecture in learn mode at `slide` (1-based), 120×40.
fn learning_at(slide: char) -> (App, std::time::Instant) {
    let (mut app, now) = app_at(120, 40);
    keys(
        &mut app,
        now,
        &[KeyCode::Char('L'), KeyCode::Char(slide), KeyCode::Enter],
    );
    assert!(app.learn.on);
    (app, now)
}

#[test]
fn a_number_question_is_asked_answered_run_and_judged_against_the_measurement() {
    let (mut app, now) = learning_at('3');
    assert!(!started(&key(&mut app, now, KeyCode::Enter)), "asks first");
    let asked = screen(&app);
    assert!(asked.contains("Predict"), "{asked}");
    assert!(asked.contains("How long will spawn take"), "{asked}");
    // An empty answer is refused, saying what to do; digits type, never jump slides.
    assert!(!started(&key(&mut app, now, KeyCode::Enter)));
    assert!(
        screen(&app).contains("Type an answer first"),
        "{}",
        screen(&app)
    );
    keys(&mut app, now, &[KeyCode::Char('5'), KeyCode::Char('0')]);
    assert_eq!(app.slide, 2, "digits typed the answer");
    assert!(screen(&app).contains("Your answer: 50"), "{}", screen(&app));
    assert!(
        started(&key(&mut app, now, KeyCode::Enter)),
        "Enter locks it in and runs"
    );
    let answer = app.learn.answers.last().cloned().expect("recorded");
    assert_eq!(answer.prediction, Some(Prediction::Number(50.0)));
    assert_eq!(answer.run, app.demos.next_run);
    // The prediction waits for a round of runs (as `lectern report` makes), each started as
    // the one before it ends, and is compared with their median.
    assert_eq!(answer.round, (1, app.verdicts.wanted));
    assert_eq!(app.verdicts.wanted, 3);
    for (i, spawn_ms) in [120.0, 68.6, 55.0].into_iter().enumerate() {
        let run = app.demos.next_run;
        if i > 0 {
            assert!(
                screen(&app).contains(&format!("measuring, run {} of 3", i + 1)),
                "{}",
                screen(&app)
            );
        }
        let event = Event::Result {
            name: "spawn_median_ms".into(),
            value: ResultValue::Number(spawn_ms),
        };
        send(&mut app, now, Msg::Demo { run, event });
        let exit = ExitInfo::Code(0);
        let effects = send(&mut app, now, Msg::DemoExited { run, exit });
        assert_eq!(started(&effects), i < 2, "run {} of 3", i + 1);
    }
    let shown = screen(&app);
    let panel = panel_text(&app, 200);
    for part in [
        "You predicted 50 ms · measured 68.6 ms (median of 3 runs, 55–120) · close",
        "Why: the slide says \"spawn: 50–200 ms of startup per process\" — on this machine it holds (68.6 ms: within 50..200).",
    ] {
        assert!(panel.contains(part), "{part}\n{shown}");
    }
    assert_eq!(app.learn.answers.last().and_then(|a| a.close), Some(true));
    // Answered once: Enter now runs at once.
    assert!(started(&key(&mut app, now, KeyCode::Enter)));
}

#[test]
fn a_choice_out_of_range_is_refused_with_the_options_and_esc_skips() {
    let (mut app, now) = learning_at('2');
    key(&mut app, now, KeyCode::Enter);
    assert!(
        screen(&app).contains("2 about the same"),
        "{}",
        screen(&app)
    );
    keys(&mut app, now, &[KeyCode::Char('9'), KeyCode::Enter]);
    let refused = screen(&app);
    assert!(refused.contains("is none of the choices"), "{refused}");
    assert!(
        started(&key(&mut app, now, KeyCode::Esc)),
        "Esc skips and runs"
    );
    assert_eq!(app.learn.answers.last().map(|a| a.prediction), Some(None));
    assert!(
        screen(&app).contains("You skipped the question"),
        "{}",
        screen(&app)
    );
}

#[test]
fn without_learn_mode_enter_runs_at_once_and_l_says_which_mode_is_on() {
    let (mut app, now) = app_at(120, 40);
    keys(&mut app, now, &[KeyCode::Char('3'), KeyCode::Enter]);
    assert!(started(&key(&mut app, now, KeyCode::Enter)));
    key(&mut app, now, KeyCode::Char('L'));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("Learn mode"))
    );
    key(&mut app, now, KeyCode::Char('L'));
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("Learn mode off"))
    );
}

#[test]
fn at_80x24_the_question_takes_the_screen_and_is_read_whole() {
    let (mut app, now) = app_at(80, 24);
    keys(
        &mut app,
        now,
        &[KeyCode::Char('L'), KeyCode::Char('8'), KeyCode::Enter],
    );
    key(&mut app, now, KeyCode::Enter);
    let shown = screen(&app);
    assert!(app.demo_focus, "{shown}");
    for part in [
        "Predict",
        "chunksize=100 or",
        "1 chunksize=100",
        "2 chunksize=1",
        "Your answer:",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
}

#[test]
fn learn_mode_resumes_at_the_first_question_not_answered_in_an_earlier_session() {
    let (mut app, _) = app_at(120, 40);
    app.learn.on = true;
    let asked: Vec<(usize, String)> = app
        .verdicts
        .claims
        .iter()
        .filter_map(|c| c.question.as_ref().map(|q| (c.slide, q.prompt.clone())))
        .collect();
    // Slides 1 and 2 answered: the lecture opens on slide 3.
    let answered: Vec<(usize, String)> = asked.iter().filter(|(s, _)| *s <= 2).cloned().collect();
    app.resume_learning(&answered);
    assert_eq!(app.slide, 2);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("on slide 3"))
    );
    // Everything answered: it stays where it starts and says so.
    let (mut done, _) = app_at(120, 40);
    done.learn.on = true;
    done.resume_learning(&asked);
    assert_eq!(done.slide, 0);
    assert!(
        done.status
            .as_deref()
            .is_some_and(|s| s.contains("every question"))
    );
}

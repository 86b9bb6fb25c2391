//! Slide 12's verdicts, drawn from injected runs: after the lecture's demos have run, the
//! panel shows every claim with what was measured and whether it held; Enter queues the runs
//! still missing, one after another.

mod lecture;

use lectern::lecture::msg::{Effect, Msg};
use lectern::process::ExitInfo;
use lectern::theme::ThemeName;
use lecture::{RUNS, draw, lecture, play, press, send};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

#[test]
fn after_the_lectures_demos_the_verdicts_show_what_held_and_what_differed() {
    let (mut app, now) = lecture(1, 120, 40, ThemeName::Dark);
    for (demo, slide, tabs) in RUNS {
        play(&mut app, now, slide, tabs, demo);
    }
    for digit in ['1', '2'] {
        press(&mut app, now, KeyCode::Char(digit));
    }
    press(&mut app, now, KeyCode::Enter);
    assert!(app.verdicts.shown, "slide 12 opens on its verdicts");
    insta::assert_snapshot!("verdicts_120x40", draw(&app));
    press(&mut app, now, KeyCode::Char('z'));
    insta::assert_snapshot!("verdicts_focus_120x40", draw(&app));
    // `}` pages a slide at a time: gather every page until the list ends.
    let mut screen = draw(&app);
    let mut pages = 1;
    loop {
        let page = app.verdicts.page;
        press(&mut app, now, KeyCode::Char('}'));
        if app.verdicts.page == page {
            break;
        }
        pages += 1;
        screen.push_str(&draw(&app));
    }
    assert!(pages > 1, "the table is paged");
    // At 120×40 every claim is on one row, in the slide's words, whole.
    for claim in &app.verdicts.claims {
        assert!(
            screen.lines().any(|l| l.contains(&claim.text)),
            "{:?} is not whole on a row:\n{screen}",
            claim.text
        );
    }
    // No result key shows: only the slide's words and numbers.
    for key in ["spawn_median_ms", "fork_median_ms", "capped", "speedup_cs1"] {
        assert!(!screen.contains(key), "{key} on screen:\n{screen}");
    }
    // `{` pages back to the first slide.
    for _ in 0..pages {
        press(&mut app, now, KeyCode::Char('{'));
    }
    assert_eq!(app.verdicts.page, 0);
    // Recorded natively: spawn is a bare exec (far below 50–200 ms), a crashed worker's task
    // is lost, a path is bytes where the file is megabytes, and imap kept its order.
    for (claim, mark) in [
        ("spawn: 50–200 ms of startup per process", "✗"),
        ("A crashed pool worker loses its in-flight task", "✓"),
        ("A path is a few bytes; the file is megabytes", "✓"),
        ("imap yields results as they complete", "✗"),
    ] {
        let line = screen
            .lines()
            .find(|l| l.contains(claim))
            .unwrap_or_else(|| panic!("{claim} not on screen:\n{screen}"));
        assert!(line.contains(&format!("{mark}  {claim}")), "{line}");
    }
    // The claims whose runs were not played wait for Enter.
    assert!(
        screen.contains("○  Threads doing CPU work get no speedup"),
        "{screen}"
    );
}

#[test]
fn enter_on_the_verdicts_runs_each_missing_demo_in_turn_and_x_stops_the_round() {
    let (mut app, now) = lecture(12, 120, 40, ThemeName::Dark);
    assert!(app.verdicts.shown);
    let missing = app.verdicts.missing(app.engines.current).len();
    assert!(missing >= 15, "{missing}");
    let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)), now);
    let started: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartDemo { request, .. } => Some(request.name()),
            _ => None,
        })
        .collect();
    assert_eq!(started, ["gil"], "the first claim's run starts");
    let run = app.demos.next_run;
    // A run that says it simulated something: its verdict says so too.
    send(
        &mut app,
        now,
        Msg::Demo {
            run,
            event: lectern::demo_runtime::protocol::Event::Note {
                level: lectern::demo_runtime::protocol::NoteLevel::Simulated,
                message: "a stand-in".into(),
            },
        },
    );
    // The run ends well (with the results the claim checks): the next one starts by itself.
    for (name, value) in [("speedup", 1.9), ("workers", 2.0)] {
        send(
            &mut app,
            now,
            Msg::Demo {
                run,
                event: lectern::demo_runtime::protocol::Event::Result {
                    name: name.into(),
                    value: lectern::demo_runtime::protocol::ResultValue::Number(value),
                },
            },
        );
    }
    let effects = app.update(
        Msg::DemoExited {
            run,
            exit: ExitInfo::Code(0),
        },
        now,
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::StartDemo { request, .. } if request.name() == "gil")),
        "{effects:?}"
    );
    assert_eq!(app.verdicts.missing(app.engines.current).len(), missing - 1);
    press(&mut app, now, KeyCode::Char('z'));
    let screen = draw(&app);
    assert!(screen.contains("measuring 2/"), "{screen}");
    assert!(
        screen.contains("~1.90"),
        "a simulated value says so:\n{screen}"
    );
    press(&mut app, now, KeyCode::Char('z'));
    press(&mut app, now, KeyCode::Char('x'));
    assert!(app.verdicts.queue.is_empty(), "x stops the round");
    // Tab goes to the slide's own demo; v comes back.
    press(&mut app, now, KeyCode::Tab);
    assert!(!app.verdicts.shown);
    press(&mut app, now, KeyCode::Char('v'));
    assert!(app.verdicts.shown);
}

#[test]
fn v_opens_the_verdicts_on_the_slides_own_claims() {
    let (mut app, now) = lecture(4, 120, 40, ThemeName::Dark);
    press(&mut app, now, KeyCode::Char('v'));
    assert!(app.verdicts.shown);
    let slides = app.verdicts.slides();
    assert_eq!(slides[app.verdicts.page], 4, "{slides:?}");
    let screen = draw(&app);
    assert!(screen.contains("slide 4 ·"), "{screen}");
    // Enter's round is announced with how long it takes.
    assert!(
        screen.contains("still missing on native (3") && screen.contains(" min. } { page"),
        "{screen}"
    );
}

//! The demo panel drawn from injected protocol events (recorded from real runs into
//! `tests/fixtures/panel/`), with no process started: every demo at 80×24, 100×30 (where a
//! run takes the screen, as demo focus) and 120×40 (beside the slide). The panel has no code
//! for any demo, so these show that the generic views carry each one.

use std::time::Instant;

use lectern::app::App;
use lectern::demo::protocol::Event;
use lectern::lesson;
use lectern::msg::Msg;
use lectern::sampler::ExitInfo;
use lectern::theme::{Theme, ThemeName};
use lectern::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// Each recorded run, the slide that runs it and how many Tabs select it there.
const RUNS: [(&str, usize, usize); 6] = [
    ("gil", 1, 0),
    ("start-methods", 3, 0),
    ("fork-lock", 3, 1),
    ("main-guard", 3, 2),
    ("queue-sentinel", 6, 1),
    ("chunksize", 8, 0),
];

fn send(app: &mut App, now: Instant, msg: Msg) {
    app.update(msg, now);
    let facts = lectern::ui::layout_facts(app);
    app.update(Msg::Layout(facts), now);
}

fn press(app: &mut App, now: Instant, code: KeyCode) {
    send(app, now, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The lecture on `slide` (1-based) after the recorded run of `demo` has been played in.
fn finished_run(demo: &str, slide: usize, tabs: usize, width: u16, height: u16) -> App {
    lectern::demo::params::assume_cores(2);
    let (lesson, _) = lesson::embedded().expect("the built-in lesson loads");
    let now = Instant::now();
    let theme = Theme::new(ThemeName::Dark, false);
    let mut app = App::new(lesson, theme, slide - 1, Size::new(width, height), now);
    send(&mut app, now, Msg::Resize(width, height));
    for _ in 0..tabs {
        press(&mut app, now, KeyCode::Tab);
    }
    press(&mut app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    let recorded = std::fs::read_to_string(format!(
        "{}/tests/fixtures/panel/{demo}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    for line in recorded.lines() {
        let event = Event::from_line(line).expect("a protocol line");
        send(&mut app, now, Msg::Demo { run, event });
    }
    send(
        &mut app,
        now,
        Msg::DemoExited {
            run,
            exit: ExitInfo::Code(0),
        },
    );
    app
}

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn every_demo_finished_at_80_100_and_120_columns() {
    for (demo, slide, tabs) in RUNS {
        for (width, height) in [(80, 24), (100, 30), (120, 40)] {
            let app = finished_run(demo, slide, tabs, width, height);
            assert_eq!(
                app.demo_focus,
                width < 120,
                "{demo} {width}×{height}: a run takes the screen only where it cannot fit beside the slide"
            );
            insta::assert_snapshot!(format!("{demo}_{width}x{height}"), draw(&app));
        }
    }
}

#[test]
fn chunksize_shows_every_time_at_80x24_and_100x30() {
    for (width, height) in [(80, 24), (100, 30)] {
        let app = finished_run("chunksize", 8, 0, width, height);
        let screen = draw(&app);
        for label in [
            "sequential",
            "chunksize 1 ",
            "chunksize 10 ",
            "chunksize 100 ",
            "chunksize 1000",
            "default (1250)",
        ] {
            assert!(
                screen.contains(label),
                "{width}×{height}: {label}\n{screen}"
            );
        }
        assert!(screen.contains(" ms"), "{screen}");
    }
}

#[test]
fn z_gives_a_finished_run_the_screen_and_back() {
    let mut app = finished_run("chunksize", 8, 0, 120, 40);
    let now = Instant::now();
    press(&mut app, now, KeyCode::Char('z'));
    assert!(app.demo_focus);
    insta::assert_snapshot!("chunksize_focus_120x40", draw(&app));
    press(&mut app, now, KeyCode::Esc);
    assert!(
        !app.demo_focus,
        "Esc leaves demo focus before it would quit"
    );
}

//! The demo panel drawn from injected protocol events (recorded from real runs into
//! `tests/fixtures/panel/`), with no process started: every demo at 80×24, 100×30 (where a
//! run takes the screen, as demo focus) and 120×40 (beside the slide). The panel has no code
//! for any demo, so these show that the generic views carry each one.

mod lecture;

use std::time::Instant;

use lectern::theme::ThemeName;
use lecture::{RUNS, draw, finished_run, press};
use ratatui::crossterm::event::KeyCode;

#[test]
fn every_demo_finished_at_80_100_and_120_columns() {
    for (demo, slide, tabs) in RUNS {
        for (width, height) in [(80, 24), (100, 30), (120, 40)] {
            let app = finished_run(demo, slide, tabs, (width, height), ThemeName::Dark);
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
        let app = finished_run("chunksize", 8, 0, (width, height), ThemeName::Dark);
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
    let mut app = finished_run("chunksize", 8, 0, (120, 40), ThemeName::Dark);
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

#[test]
fn every_demo_finished_in_every_theme_with_its_styles() {
    for theme in lecture::THEMES {
        for (demo, slide, tabs) in RUNS {
            let app = finished_run(demo, slide, tabs, (100, 30), theme);
            insta::assert_snapshot!(
                format!("{demo}_100x30_{theme:?}_styled"),
                lecture::styled(&app)
            );
        }
    }
}

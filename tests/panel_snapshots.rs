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

/// The panel's rows on screen (between its side borders), trimmed.
fn panel_rows(app: &lectern::lecture::App) -> Vec<String> {
    let area = lectern::lecture::view::areas::areas(
        ratatui::layout::Rect::new(0, 0, app.size.width, app.size.height),
        app.show_notes,
        app.demo_focus,
        app.layout.demo_rows,
    )
    .demo;
    let buf = lecture::frame(app);
    (area.y + 1..area.bottom() - 1)
        .map(|y| {
            (area.x + 2..area.right() - 2)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn at_120x40_every_line_of_slides_3_to_6_and_9_results_can_be_scrolled_to() {
    let now = Instant::now();
    for (demo, slide, tabs) in [
        ("start-methods", 3, 0),
        ("fork-lock", 3, 1),
        ("main-guard", 3, 2),
        ("start-methods", 4, 1),
        ("process-cost", 4, 0),
        ("pickling", 5, 0),
        ("paths-vs-payloads", 9, 0),
        ("queue-sentinel", 6, 0),
        ("queue-sentinel", 6, 1),
    ] {
        let mut app = finished_run(demo, slide, tabs, (120, 40), ThemeName::Dark);
        assert!(!app.demo_focus, "beside the slide at 120×40");
        let inner_width = usize::from(
            lectern::lecture::view::areas::areas(
                ratatui::layout::Rect::new(0, 0, 120, 40),
                false,
                false,
                None,
            )
            .demo
            .width,
        ) - 4;
        let wanted: Vec<String> = lectern::lecture::view::panel_lines(&app, inner_width)
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        let mut seen: Vec<String> = panel_rows(&app);
        for _ in 0..20 {
            press(&mut app, now, KeyCode::Char('}'));
            seen.extend(panel_rows(&app));
        }
        for line in &wanted {
            assert!(
                seen.iter().any(|s| s == line),
                "{demo} on slide {slide}: never on screen: {line:?}"
            );
        }
        // Scrolled to the bottom, the result is still on screen.
        let run = app.demos.latest((slide - 1, tabs)).expect("the run");
        let Some(lectern::demo_runtime::view::View::Headline { text, .. }) =
            run.views.get("headline")
        else {
            panic!("{demo}: no headline");
        };
        let start: String = text.chars().take(20).collect();
        assert!(
            panel_rows(&app).iter().any(|row| row.starts_with(&start)),
            "{demo}: the headline scrolled away"
        );
    }
}

/// When a run ends at 120×40, beside the slide and without `z`, its main view — the bars,
/// chart or table the room looks at — is on screen whole.
#[test]
fn at_120x40_the_main_view_is_on_screen_when_the_run_ends() {
    for (demo, slide, tabs) in [
        ("process-cost", 4, 0),
        ("pool-api", 7, 0),
        ("crossover", 10, 0),
        ("io-bound", 11, 0),
        ("chunksize", 8, 0),
    ] {
        let app = finished_run(demo, slide, tabs, (120, 40), ThemeName::Dark);
        assert!(!app.demo_focus, "{demo}: beside the slide");
        let rows = panel_rows(&app);
        let run = app
            .demos
            .latest((slide - 1, tabs))
            .unwrap_or_else(|| panic!("{demo} ran"));
        let (_, main) = run
            .views
            .iter()
            .find(|(id, _)| *id != "headline")
            .unwrap_or_else(|| panic!("{demo} has a main view"));
        let width = usize::from(panel_area(&app).width) - 4;
        for line in lectern::ui::views::lines(main, width, &app.theme) {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let text = text.trim_end();
            assert!(
                rows.iter().any(|row| row == text),
                "{demo}: {text:?} is not on screen:\n{}",
                rows.join("\n")
            );
        }
    }
}

/// Where the demo panel is on the screen.
fn panel_area(app: &lectern::lecture::App) -> ratatui::layout::Rect {
    lectern::lecture::view::areas::areas(
        ratatui::layout::Rect::new(0, 0, app.size.width, app.size.height),
        app.show_notes,
        app.demo_focus,
        app.layout.demo_rows,
    )
    .demo
}

//! Whole-screen snapshots of the presenter, drawn into ratatui's `TestBackend`: every slide at
//! 100×30 and 80×24, the help overlay, the notes pane and the too-small screen.

use std::time::Instant;

use lectern::lecture::App;
use lectern::lecture::msg::Msg;
use lectern::lecture::view::render;
use lectern::theme::{Theme, ThemeName};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// An app on `slide` (0-based) with the timer at 00:00, so snapshots are stable.
fn app(slide: usize, width: u16, height: u16) -> (App, Instant) {
    // Per-core parameter defaults appear on screen: pin them so snapshots match anywhere.
    lectern::demo_runtime::params::assume_cores(2);
    let (lesson, _) = lectern::resolved::embedded().expect("the built-in lesson loads");
    let now = Instant::now();
    let theme = Theme::new(ThemeName::Dark, false);
    let mut app = App::new(lesson, theme, slide, Size::new(width, height), now);
    relayout(&mut app, now);
    (app, now)
}

/// What the event loop does after every message: hand the app fresh layout facts.
fn relayout(app: &mut App, now: Instant) {
    let facts = lectern::lecture::view::layout_facts(app);
    app.update(Msg::Layout(facts), now);
}

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal.backend().to_string()
}

fn press(app: &mut App, now: Instant, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), now);
    relayout(app, now);
}

#[test]
fn every_slide_at_100x30() {
    for slide in 0..12 {
        let (app, _) = app(slide, 100, 30);
        insta::assert_snapshot!(format!("slide_{:02}_100x30", slide + 1), draw(&app));
    }
}

#[test]
fn every_slide_at_80x24() {
    for slide in 0..12 {
        let (app, _) = app(slide, 80, 24);
        insta::assert_snapshot!(format!("slide_{:02}_80x24", slide + 1), draw(&app));
    }
}

#[test]
fn a_scrolled_slide_shows_what_is_above_and_below() {
    let (mut app, now) = app(2, 80, 24);
    press(&mut app, now, KeyCode::PageDown);
    insta::assert_snapshot!("slide_03_80x24_scrolled", draw(&app));
}

#[test]
fn help_overlay() {
    for (width, height) in [(100, 30), (80, 24)] {
        let (mut app, now) = app(0, width, height);
        press(&mut app, now, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_{width}x{height}"), draw(&app));
    }
}

#[test]
fn notes_pane() {
    for (width, height) in [(100, 30), (80, 24)] {
        let (mut app, now) = app(5, width, height);
        press(&mut app, now, KeyCode::Char('s'));
        insta::assert_snapshot!(format!("notes_slide_06_{width}x{height}"), draw(&app));
    }
}

#[test]
fn jump_prompt_and_bad_jump_message_in_the_footer() {
    let (mut app, now) = app(0, 100, 30);
    press(&mut app, now, KeyCode::Char('1'));
    press(&mut app, now, KeyCode::Char('4'));
    let footer = draw(&app).lines().nth(29).unwrap().to_string();
    assert!(footer.contains("go to slide: 14"), "{footer}");
    press(&mut app, now, KeyCode::Enter);
    let footer = draw(&app).lines().nth(29).unwrap().to_string();
    assert!(footer.contains("No slide 14"), "{footer}");
}

#[test]
fn too_small_names_the_minimum_and_the_current_size() {
    let (app, _) = app(0, 60, 18);
    let screen = draw(&app);
    assert!(screen.contains("at least 80×24"), "{screen}");
    assert!(screen.contains("60×18"), "{screen}");
    insta::assert_snapshot!("too_small_60x18", screen);
}

#[test]
fn degenerate_sizes_do_not_panic() {
    for (width, height) in [
        (1, 1),
        (2, 0),
        (80, 1),
        (1, 24),
        (79, 24),
        (80, 23),
        (500, 200),
    ] {
        for slide in [0, 2, 10] {
            let (app, _) = app(slide, width, height);
            draw(&app);
        }
    }
}

#[test]
fn every_theme_draws_the_same_text() {
    let (dark, _) = app(10, 100, 30);
    for name in [ThemeName::Light, ThemeName::HighContrast] {
        for no_color in [false, true] {
            let mut themed = dark.clone();
            themed.theme = Theme::new(name, no_color);
            assert_eq!(draw(&themed), draw(&dark), "{name:?} no_color={no_color}");
        }
    }
}

#[test]
fn a_caption_and_the_keys_pressed_sit_above_the_footer() {
    let (mut app, now) = app(3, 100, 30);
    app.aids.show_keys = true;
    app.aids.caption = Some(
        "Fork copies the parent's memory lazily; spawn starts a fresh interpreter and imports \
         everything again, which is why it costs tens of milliseconds here, and far more on a \
         machine with a slow disk"
            .into(),
    );
    press(&mut app, now, KeyCode::Tab);
    insta::assert_snapshot!("caption_and_keys_100x30", draw(&app));
}

//! "Ask the room": before a demo's first run, the panel shows the question its claim carries,
//! with the options or the unit of the number, on every slide of Lecture 25 with a demo.

use crossterm::event::KeyCode;

use super::{app_at, key, keys, screen};
use crate::lecture::App;

/// The screen at `slide` (1-based), at 120×40, before any run.
fn at_slide(slide: usize) -> (App, String) {
    let (mut app, now) = app_at(120, 40);
    let digits: Vec<KeyCode> = slide.to_string().chars().map(KeyCode::Char).collect();
    keys(&mut app, now, &digits);
    key(&mut app, now, KeyCode::Enter);
    let shown = screen(&app);
    (app, shown)
}

#[test]
fn the_room_is_asked_before_the_first_run_with_the_options_or_the_unit() {
    let (_, slide_3) = at_slide(3);
    assert!(
        slide_3.contains("Ask the room: How long will spawn take"),
        "{slide_3}"
    );
    assert!(slide_3.contains("a number, in ms"), "{slide_3}");
    let (_, slide_2) = at_slide(2);
    assert!(
        slide_2.contains("1 faster · 2 about the same · 3 slower"),
        "{slide_2}"
    );
}

#[test]
fn every_slide_with_a_demo_asks_before_its_first_demo() {
    for slide in 1..=11 {
        let (_, shown) = at_slide(slide);
        assert!(
            shown.contains("Ask the room: "),
            "slide {slide} asks nothing before its first demo: {shown}"
        );
    }
}

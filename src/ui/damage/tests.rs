//! Damage tracking: a part whose key stands is neither drawn nor written again, overlays and
//! moved parts draw the frame whole, and what the terminal shows matches ratatui drawing it.

use std::cell::Cell as Counter;

use ratatui::backend::TestBackend;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::*;

const SCREEN: Rect = Rect::new(0, 0, 20, 4);
const LEFT: Rect = Rect::new(0, 0, 10, 4);
const RIGHT: Rect = Rect::new(10, 0, 10, 4);

/// A plan of two parts that write `left` and `right`, keyed on `keys`; `drawn` counts the
/// parts drawn.
fn plan<'a>(left: &'a str, right: &'a str, keys: (u8, u8), drawn: &'a Counter<u32>) -> Plan<'a> {
    let text = |text: &'a str| -> DrawFn<'a> {
        Box::new(move |area, buf| {
            drawn.set(drawn.get() + 1);
            Line::raw(text).render(area, buf);
        })
    };
    Plan::new(SCREEN, Style::default())
        .part(LEFT, keys.0, text(left))
        .part(RIGHT, keys.1, text(right))
}

/// A damage-tracked terminal of the size of [`SCREEN`].
struct Screen {
    damage: Damage,
    backend: TestBackend,
}

impl Screen {
    fn new() -> Self {
        Self {
            damage: Damage::new(SCREEN),
            backend: TestBackend::new(SCREEN.width, SCREEN.height),
        }
    }

    /// Draws `plan` as the event loops do.
    fn show(&mut self, plan: &Plan<'_>) {
        self.damage.draw(plan, &mut self.backend).expect("draws");
    }

    /// What the terminal shows.
    fn shown(&self) -> &Buffer {
        self.backend.buffer()
    }
}

fn whole(plan: &Plan<'_>) -> Buffer {
    let mut buf = Buffer::empty(SCREEN);
    plan.render(&mut buf);
    buf
}

#[test]
fn a_part_whose_key_stands_is_neither_drawn_nor_written_again() {
    let drawn = Counter::new(0);
    let mut screen = Screen::new();
    screen.show(&plan("slide", "cpu 10%", (1, 1), &drawn));
    assert_eq!(drawn.get(), 2, "the first frame draws every part");
    assert_eq!(
        *screen.shown(),
        whole(&plan("slide", "cpu 10%", (1, 1), &drawn))
    );

    // The right part's key moves: only it is drawn.
    drawn.set(0);
    screen.show(&plan("slide", "cpu 55%", (1, 2), &drawn));
    assert_eq!(drawn.get(), 1);
    assert_eq!(
        *screen.shown(),
        whole(&plan("slide", "cpu 55%", (1, 2), &drawn))
    );

    // A part whose key stands keeps what it showed, even if it would now draw otherwise:
    // that is what the key promises, and what saves the work.
    drawn.set(0);
    screen.show(&plan("CHANGED", "cpu 55%", (1, 2), &drawn));
    assert_eq!(drawn.get(), 0);
    assert_eq!(
        *screen.shown(),
        whole(&plan("slide", "cpu 55%", (1, 2), &drawn))
    );
}

#[test]
fn an_overlay_draws_the_frame_whole_and_what_it_covered_comes_back() {
    let drawn = Counter::new(0);
    let mut screen = Screen::new();
    screen.show(&plan("slide", "cpu", (1, 1), &drawn));
    let help = plan("slide", "cpu", (1, 1), &drawn).overlay(Box::new(|area, buf| {
        Line::raw("HELP HELP HELP HELP").render(area, buf);
    }));
    screen.show(&help);
    assert_eq!(*screen.shown(), whole(&help));
    // The overlay goes with no key moving: the parts under it are written again.
    screen.show(&plan("slide", "cpu", (1, 1), &drawn));
    assert_eq!(
        *screen.shown(),
        whole(&plan("slide", "cpu", (1, 1), &drawn))
    );
}

#[test]
fn parts_that_move_draw_the_frame_whole() {
    let drawn = Counter::new(0);
    let mut screen = Screen::new();
    screen.show(&plan("slide", "cpu", (1, 1), &drawn));
    // The same keys, other areas (the notes pane opened, say): drawn whole, gaps included.
    let moved = Plan::new(SCREEN, Style::default()).part(
        Rect::new(0, 0, 20, 2),
        1_u8,
        Box::new(|area, buf| Line::raw("wide").render(area, buf)),
    );
    screen.show(&moved);
    assert_eq!(*screen.shown(), whole(&moved));
}

#[test]
fn the_background_and_wide_characters_come_out_as_ratatui_draws_them() {
    let base = Style::default().bg(Color::White).fg(Color::Black);
    let wide = |text: &'static str, key: u8| {
        Plan::new(SCREEN, base)
            .part(
                LEFT,
                0_u8,
                Box::new(|area, buf| Line::raw("left").render(area, buf)),
            )
            .part(
                RIGHT,
                key,
                Box::new(move |area, buf| Line::raw(text).render(area, buf)),
            )
    };
    let mut screen = Screen::new();
    // The reference: ratatui's own terminal drawing every frame whole. (Cells hidden behind
    // a wide character keep whatever style they had, in both: they are never written.)
    let mut reference = ratatui::Terminal::new(TestBackend::new(20, 4)).expect("a terminal");
    for (i, text) in ["コンピュータ", "ab", "aコb", "📌 pinned", "x"]
        .iter()
        .enumerate()
    {
        let plan = wide(text, i as u8);
        screen.show(&plan);
        reference
            .draw(|frame| plan.render(frame.buffer_mut()))
            .expect("draws");
        assert_eq!(
            screen.shown(),
            reference.backend().buffer(),
            "after {text:?}"
        );
    }
}

#[test]
fn a_part_inside_another_keeps_its_cells_when_only_the_outer_one_is_drawn_again() {
    let inner = Rect::new(2, 1, 6, 2);
    let nested = |outer: &'static str, keys: (u8, u8)| {
        Plan::new(SCREEN, Style::default())
            .part(
                LEFT,
                keys.0,
                // Draws its first row only: the inner part's area is left alone.
                Box::new(move |area, buf| Line::raw(outer).render(area, buf)),
            )
            .part(
                inner,
                keys.1,
                Box::new(|area, buf| Line::raw("table").render(area, buf)),
            )
            .part(
                RIGHT,
                0_u8,
                Box::new(|area, buf| Line::raw("r").render(area, buf)),
            )
    };
    let mut screen = Screen::new();
    screen.show(&nested("cpu 10%", (1, 1)));
    screen.show(&nested("cpu 90%", (2, 1)));
    assert_eq!(*screen.shown(), whole(&nested("cpu 90%", (2, 1))));
    screen.show(&nested("cpu 90%", (2, 2)));
    assert_eq!(*screen.shown(), whole(&nested("cpu 90%", (2, 2))));
}

//! Every theme must read on a projector: every character drawn — slides, the help, the notes,
//! each demo's finished panel, learn mode's questions and outcomes, the gauges — has at least WCAG's 4.5:1 contrast with the cell
//! behind it (3:1 for lines, bars and block glyphs), nothing is drawn dim, and high-contrast
//! reverses nothing in a demo panel. Colours are resolved as xterm's 256-colour palette.

mod lecture;

use lectern::theme::ThemeName;
use lecture::{RUNS, THEMES, answered, asked, finished_run, frame, lecture, press, questions};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

/// The colour of `color` as xterm draws it; `None` for the terminal's default.
fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];
    const BASIC: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    Some(match color {
        Color::Reset => return None,
        Color::Black => BASIC[0],
        Color::Red => BASIC[1],
        Color::Green => BASIC[2],
        Color::Yellow => BASIC[3],
        Color::Blue => BASIC[4],
        Color::Magenta => BASIC[5],
        Color::Cyan => BASIC[6],
        Color::Gray => BASIC[7],
        Color::DarkGray => BASIC[8],
        Color::LightRed => BASIC[9],
        Color::LightGreen => BASIC[10],
        Color::LightYellow => BASIC[11],
        Color::LightBlue => BASIC[12],
        Color::LightMagenta => BASIC[13],
        Color::LightCyan => BASIC[14],
        Color::White => BASIC[15],
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) if i < 16 => BASIC[usize::from(i)],
        Color::Indexed(i) if i < 232 => {
            let i = usize::from(i - 16);
            (CUBE[i / 36], CUBE[(i / 6) % 6], CUBE[i % 6])
        }
        Color::Indexed(i) => {
            let level = 8 + 10 * (i - 232);
            (level, level, level)
        }
    })
}

/// WCAG relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Lines, boxes, blocks and braille: graphics, for which 3:1 is enough.
fn is_graphic(symbol: &str) -> bool {
    symbol
        .chars()
        .all(|c| matches!(c, '\u{2500}'..='\u{259F}' | '\u{2800}'..='\u{28FF}' | '·'))
}

/// Every cell of `buf` that draws something, with too little contrast or dimmed.
fn problems(buf: &Buffer, theme: ThemeName, what: &str) -> Vec<String> {
    // The dark theme draws on the terminal's own background: assume a black one, with the
    // usual light grey text.
    let (default_fg, default_bg) = ((229, 229, 229), (0, 0, 0));
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let symbol = cell.symbol();
            if symbol.trim().is_empty() {
                continue;
            }
            if cell.modifier.contains(Modifier::DIM) {
                found.push(format!("{what} {theme:?}: dim {symbol:?} at {x},{y}"));
            }
            let (mut fg, mut bg) = (
                rgb(cell.fg).unwrap_or(default_fg),
                rgb(cell.bg).unwrap_or(default_bg),
            );
            if cell.modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            let needed = if is_graphic(symbol) { 3.0 } else { 4.5 };
            let ratio = contrast(fg, bg);
            if ratio < needed {
                found.push(format!(
                    "{what} {theme:?}: {symbol:?} at {x},{y} has {ratio:.2}:1 ({:?} on {:?})",
                    cell.fg, cell.bg
                ));
            }
        }
    }
    found
}

fn assert_readable(found: &[String]) {
    // One example per kind of problem (theme and colours), so a palette mistake reads as one.
    let mut kinds: Vec<&String> = Vec::new();
    for problem in found {
        let kind = |p: &str| {
            p.split_once(": ").map(|(w, rest)| {
                let theme = w.rsplit(' ').next().unwrap_or("");
                format!("{theme} {}", rest.split_once(" (").map_or("", |(_, c)| c))
            })
        };
        if !kinds.iter().any(|k| kind(k) == kind(problem)) {
            kinds.push(problem);
        }
    }
    assert!(
        found.is_empty(),
        "{} cells too faint; one of each kind:\n{}",
        found.len(),
        kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_palette_maths_is_right() {
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
    assert_eq!(rgb(Color::Indexed(231)), Some((255, 255, 255)));
    assert_eq!(rgb(Color::Indexed(240)), Some((88, 88, 88)));
    assert_eq!(rgb(Color::Indexed(114)), Some((135, 215, 135)));
}

#[test]
fn every_slide_help_and_notes_read_in_every_theme() {
    let mut found = Vec::new();
    for theme in THEMES {
        for slide in 1..=12 {
            let (mut app, now) = lecture(slide, 100, 30, theme);
            found.extend(problems(&frame(&app), theme, &format!("slide {slide}")));
            press(&mut app, now, KeyCode::Char('s'));
            found.extend(problems(&frame(&app), theme, &format!("notes {slide}")));
        }
        let (mut app, now) = lecture(1, 100, 30, theme);
        press(&mut app, now, KeyCode::Char('?'));
        found.extend(problems(&frame(&app), theme, "help"));
    }
    assert_readable(&found);
}

#[test]
fn every_finished_demo_reads_in_every_theme_at_every_size() {
    let mut found = Vec::new();
    for theme in THEMES {
        for (demo, slide, tabs) in RUNS {
            for size in [(80, 24), (100, 30), (120, 40)] {
                let app = finished_run(demo, slide, tabs, size, theme);
                let buf = frame(&app);
                found.extend(problems(&buf, theme, &format!("{demo} {size:?}")));
            }
        }
    }
    assert_readable(&found);
}

#[test]
fn every_question_and_its_outcome_read_in_every_theme_at_every_size() {
    let mut found = Vec::new();
    for theme in THEMES {
        for (slide, tabs, demo) in questions() {
            for size in [(80, 24), (100, 30), (120, 40)] {
                let (app, _) = asked(slide, tabs, size, theme);
                found.extend(problems(
                    &frame(&app),
                    theme,
                    &format!("{demo} asked {size:?}"),
                ));
                let app = answered((slide, tabs, &demo), size, theme);
                let what = format!("{demo} answered {size:?}");
                found.extend(problems(&frame(&app), theme, &what));
            }
        }
    }
    assert_readable(&found);
}

#[test]
fn captions_and_the_keys_strip_read_in_every_theme() {
    let mut found = Vec::new();
    for theme in THEMES {
        for (width, height) in [(80, 24), (100, 30), (120, 40)] {
            let (mut app, now) = lecture(3, width, height, theme);
            app.aids.show_keys = true;
            app.aids.caption = Some(
                "Fork copies the parent's memory lazily; spawn starts a fresh interpreter and \
                 imports everything again, which is why it costs tens of milliseconds here"
                    .into(),
            );
            press(&mut app, now, KeyCode::Char('s'));
            press(&mut app, now, KeyCode::Char('s'));
            found.extend(problems(
                &frame(&app),
                theme,
                &format!("captions {width}x{height}"),
            ));
        }
    }
    assert_readable(&found);
}

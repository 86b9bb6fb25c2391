//! Builds the lecture as the event loop would, without a terminal: an app on a slide, keys
//! pressed, recorded demo runs played in, frames drawn into a `TestBackend`.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this helper"
)]

use std::fmt::Write as _;
use std::time::Instant;

use lectern::demo_runtime::protocol::Event;
use lectern::lecture::App;
use lectern::lecture::msg::Msg;
use lectern::lecture::view::render;
use lectern::process::ExitInfo;
use lectern::sampler::{ProcSample, ProcState, Role, Sample};
use lectern::theme::{Theme, ThemeName};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

/// Each recorded run (`tests/fixtures/panel/NAME.jsonl`), the slide (1-based) that runs it
/// and how many Tabs select it there.
pub const RUNS: [(&str, usize, usize); 13] = [
    ("gil", 1, 0),
    ("start-methods", 3, 0),
    ("fork-lock", 3, 1),
    ("main-guard", 3, 2),
    ("process-cost", 4, 0),
    ("pickling", 5, 0),
    ("queue-sentinel", 6, 1),
    ("pool-api", 7, 0),
    ("chunksize", 8, 0),
    ("paths-vs-payloads", 9, 0),
    ("crossover", 10, 0),
    ("worker-crash", 10, 2),
    ("io-bound", 11, 0),
];

/// Every theme.
pub const THEMES: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast];

/// A message, then fresh layout facts, as the event loop delivers them.
pub fn send(app: &mut App, now: Instant, msg: Msg) {
    app.update(msg, now);
    let facts = lectern::lecture::view::layout_facts(app);
    app.update(Msg::Layout(facts), now);
}

/// A key press.
pub fn press(app: &mut App, now: Instant, code: KeyCode) {
    send(app, now, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The built-in lecture on `slide` (1-based) in `theme`, at `width`×`height`.
pub fn lecture(slide: usize, width: u16, height: u16, theme: ThemeName) -> (App, Instant) {
    // Per-core parameter defaults appear on screen: pin them so snapshots match anywhere.
    lectern::demo_runtime::params::assume_cores(2);
    let (lesson, _) = lectern::resolved::embedded().expect("the built-in lesson loads");
    let now = Instant::now();
    let mut app = App::new(
        lesson,
        Theme::new(theme, false),
        slide - 1,
        Size::new(width, height),
        now,
    );
    send(&mut app, now, Msg::Resize(width, height));
    (app, now)
}

/// The lecture after the recorded run of `demo` has been played in from its slide.
pub fn finished_run(
    demo: &str,
    slide: usize,
    tabs: usize,
    (width, height): (u16, u16),
    theme: ThemeName,
) -> App {
    let (mut app, now) = lecture(slide, width, height, theme);
    for _ in 0..tabs {
        press(&mut app, now, KeyCode::Tab);
    }
    press(&mut app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    for (i, event) in recorded(demo).into_iter().enumerate() {
        send(&mut app, now, Msg::Demo { run, event });
        // Gauges samples while it runs, as the sampler would send them.
        if i % 8 == 0 {
            send(&mut app, now, Msg::Sample(Box::new(sample())));
        }
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

/// Every question of the built-in lecture, in slide order: its slide (1-based), how many
/// Tabs select its demo there, and the demo's name (its recorded run).
pub fn questions() -> Vec<(usize, usize, String)> {
    let (app, _) = lecture(1, 120, 40, ThemeName::Dark);
    let mut found = Vec::new();
    for claim in app.verdicts.claims.iter().filter(|c| c.question.is_some()) {
        let slide = claim.slide - 1;
        let tabs = (0..)
            .map_while(|i| app.request_for((slide, i)).map(|r| (i, r)))
            .find(|(_, request)| **request == claim.request)
            .map(|(i, _)| i)
            .expect("a question's demo is on its slide");
        found.push((claim.slide, tabs, claim.request.name().to_string()));
    }
    found
}

/// Learn mode on `slide` (1-based), the demo `tabs` Tabs along selected and Enter pressed:
/// its question open, at `width`×`height` in `theme`.
pub fn asked(
    slide: usize,
    tabs: usize,
    (width, height): (u16, u16),
    theme: ThemeName,
) -> (App, Instant) {
    let (mut app, now) = lecture(slide, width, height, theme);
    press(&mut app, now, KeyCode::Char('L'));
    for _ in 0..tabs {
        press(&mut app, now, KeyCode::Tab);
    }
    press(&mut app, now, KeyCode::Enter);
    assert!(app.learn.asking.is_some(), "slide {slide}: a question");
    (app, now)
}

/// As [`asked`], answered `1` (the first option, or the number 1), and the recorded run of
/// `demo` played in as the whole round: the prediction beside the measurement.
pub fn answered(
    (slide, tabs, demo): (usize, usize, &str),
    size: (u16, u16),
    theme: ThemeName,
) -> App {
    let (mut app, now) = asked(slide, tabs, size, theme);
    app.verdicts.wanted = 1;
    press(&mut app, now, KeyCode::Char('1'));
    press(&mut app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    for event in recorded(demo) {
        send(&mut app, now, Msg::Demo { run, event });
    }
    let exit = ExitInfo::Code(0);
    send(&mut app, now, Msg::DemoExited { run, exit });
    app
}

/// Plays the recorded run of `demo` on `app`, started from slide `slide` (1-based) after
/// `tabs` Tabs, as the presenter would: type the slide number, Enter, Tab, Enter.
pub fn play(app: &mut App, now: Instant, slide: usize, tabs: usize, demo: &str) {
    // Arriving on a slide selects its first demo: come from another slide.
    if app.slide + 1 == slide {
        let elsewhere = if slide == 1 {
            KeyCode::Right
        } else {
            KeyCode::Left
        };
        press(app, now, elsewhere);
    }
    for digit in slide.to_string().chars() {
        press(app, now, KeyCode::Char(digit));
    }
    press(app, now, KeyCode::Enter);
    assert_eq!(app.slide + 1, slide);
    // The verdicts slide shows its claims first; Tab goes to its demos.
    if app.verdicts.shown {
        press(app, now, KeyCode::Tab);
    }
    for _ in 0..tabs {
        press(app, now, KeyCode::Tab);
    }
    press(app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    for event in recorded(demo) {
        send(app, now, Msg::Demo { run, event });
    }
    send(
        app,
        now,
        Msg::DemoExited {
            run,
            exit: ExitInfo::Code(0),
        },
    );
}

/// A gauges sample: one core idle-ish, one full, the demo's worker, an exited child and
/// lectern itself.
pub fn sample() -> Sample {
    let proc = |pid, label: &str, depth, role, state| ProcSample {
        pid,
        ppid: 1,
        name: "lectern".into(),
        label: label.into(),
        rss_bytes: 8 << 20,
        pss_bytes: Some(2 << 20),
        uss_bytes: None,
        cpu_pct: 95.0,
        state,
        exit: (state == ProcState::Exited).then_some(ExitInfo::Code(0)),
        depth,
        role,
        lived_ms: None,
        measured: true,
    };
    Sample {
        t: 1.0,
        cores: vec![30.0, 100.0],
        total: 65.0,
        procs: vec![
            proc(100, "chunksize", 0, Role::Root, ProcState::Running),
            proc(
                101,
                "pool worker 1",
                1,
                Role::Descendant,
                ProcState::Running,
            ),
            proc(102, "pool worker 2", 1, Role::Descendant, ProcState::Exited),
            proc(99, "lectern UI", 0, Role::Ui, ProcState::Sleeping),
        ],
    }
}

/// The protocol events of a recorded run.
pub fn recorded(demo: &str) -> Vec<Event> {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/panel/{demo}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
    .lines()
    .map(|line| Event::from_line(line).expect("a protocol line"))
    .collect()
}

/// The frame `app` draws.
pub fn frame(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The frame as text, one quoted line per row (as insta snapshots show it).
pub fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// The frame with its styles: each row of text is followed by a row of letters, one per
/// cell, naming its style, and a key at the end says what each letter is. Colour changes
/// show up in the snapshot diff.
pub fn styled(app: &App) -> String {
    let buf = frame(app);
    let mut styles: Vec<String> = Vec::new();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut text = String::new();
        let mut key = String::new();
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let style = format!("fg {:?} bg {:?} {:?}", cell.fg, cell.bg, cell.modifier);
            let index = styles.iter().position(|s| *s == style).unwrap_or_else(|| {
                styles.push(style);
                styles.len() - 1
            });
            text.push_str(cell.symbol());
            key.push(letter(index));
        }
        let _ = writeln!(out, "{text}\n{key}");
    }
    for (i, style) in styles.iter().enumerate() {
        let _ = writeln!(out, "{} = {style}", letter(i));
    }
    out
}

fn letter(index: usize) -> char {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    LETTERS.get(index).map_or('?', |b| char::from(*b))
}

//! The lecture and `lectern watch` draw only the parts of the screen whose key moved
//! (`ui::damage`). These drive both through long sequences of messages — samples, the clock,
//! slides, notes, help, demo focus, a recorded demo run, freezing, resizes, every theme — and
//! after each frame compare what the damage-tracked terminal shows with what ratatui's own
//! terminal shows when every frame is drawn whole. A part keyed on too little would keep
//! stale cells and fail here.

mod lecture;

use std::time::{Duration, Instant};

use lectern::lecture::App;
use lectern::lecture::msg::Msg;
use lectern::process::ExitInfo;
use lectern::sampler::Sample;
use lectern::theme::{Theme, ThemeName};
use lectern::ui::damage::{Damage, Plan};
use lecture::{THEMES, lecture, recorded, sample, send};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Rect, Size};

/// A damage-tracked terminal beside a reference terminal that draws every frame whole.
struct Screens {
    damage: Damage,
    tracked: TestBackend,
    reference: Terminal<TestBackend>,
    frames: usize,
}

impl Screens {
    fn new(width: u16, height: u16) -> Self {
        Self {
            damage: Damage::new(Rect::new(0, 0, width, height)),
            tracked: TestBackend::new(width, height),
            reference: Terminal::new(TestBackend::new(width, height)).expect("a terminal"),
            frames: 0,
        }
    }

    /// Draws `plan` on both and checks they show the same.
    fn check(&mut self, plan: &Plan<'_>, what: &str) {
        self.damage.draw(plan, &mut self.tracked).expect("draws");
        self.reference
            .draw(|frame| plan.render(frame.buffer_mut()))
            .expect("draws");
        self.frames += 1;
        assert_eq!(
            self.tracked.buffer(),
            self.reference.backend().buffer(),
            "frame {} ({what}): the damage-tracked screen differs from the whole frame",
            self.frames
        );
    }
}

/// The lecture's screen as the event loop keeps it.
struct Lecture {
    app: App,
    now: Instant,
    screens: Screens,
    step: u32,
}

impl Lecture {
    fn new(theme: ThemeName) -> Self {
        let (app, now) = lecture(1, 120, 40, theme);
        let mut lecture = Self {
            app,
            now,
            screens: Screens::new(120, 40),
            step: 0,
        };
        lecture.draw("first frame");
        lecture
    }

    fn draw(&mut self, what: &str) {
        let area = Rect::new(0, 0, self.app.size.width, self.app.size.height);
        let plan = lectern::lecture::view::plan(&self.app, area);
        self.screens.check(&plan, what);
    }

    /// Time moves on by `ms`, then `msg` arrives and a frame is drawn.
    fn send(&mut self, ms: u64, msg: Msg, what: &str) {
        self.now += Duration::from_millis(ms);
        if let Msg::Resize(width, height) = msg {
            // The terminal is cleared and drawn again at its new size.
            let frames = self.screens.frames;
            self.screens = Screens::new(width, height);
            self.screens.frames = frames;
        }
        send(&mut self.app, self.now, msg);
        self.draw(what);
    }

    fn press(&mut self, code: KeyCode) {
        let key = Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
        self.send(50, key, &format!("{code:?}"));
    }

    /// A sample whose numbers move from step to step.
    fn sample(&mut self) {
        self.step += 1;
        let mut sample: Sample = sample();
        let wobble = (self.step * 37 % 100) as f32;
        sample.cores = vec![wobble, 100.0 - wobble];
        // The processes change on every third sample only: in between, the cores move and
        // the table must stay as drawn.
        let moved = (self.step / 3) as f32;
        for (i, proc) in sample.procs.iter_mut().enumerate() {
            proc.cpu_pct = (moved * 37.0 + i as f32 * 7.0) % 100.0;
            proc.rss_bytes += u64::from(self.step / 3) << 16;
        }
        self.send(100, Msg::Sample(Box::new(sample)), "sample");
    }

    /// Samples with both cores idle: after a sparkline's worth of them the cores show the
    /// same on every frame, and only the clocks move.
    fn idle_samples(&mut self, n: usize) {
        for _ in 0..n {
            let mut sample: Sample = sample();
            sample.cores = vec![0.0, 0.0];
            self.send(100, Msg::Sample(Box::new(sample)), "idle sample");
        }
    }

    fn samples(&mut self, n: usize) {
        for _ in 0..n {
            self.sample();
        }
    }
}

#[test]
fn the_lecture_drawn_part_by_part_equals_it_drawn_whole() {
    for theme in THEMES {
        let mut lecture = Lecture::new(theme);
        // Idle on a slide: samples and the timer's seconds.
        lecture.samples(25);
        lecture.idle_samples(30);
        lecture.samples(2);
        lecture.send(0, Msg::Tick, "tick");
        // Through every slide, with samples between.
        for _ in 0..12 {
            lecture.press(KeyCode::Right);
            lecture.samples(2);
        }
        lecture.press(KeyCode::Home);
        // Notes open and scrolled, help over it all and gone, the timer paused.
        for code in [
            KeyCode::Char('n'),
            KeyCode::Char(']'),
            KeyCode::Char('?'),
            KeyCode::Esc,
            KeyCode::Char('p'),
            KeyCode::Char('n'),
        ] {
            lecture.press(code);
            lecture.samples(2);
        }
        // Frozen gauges, then live again.
        lecture.press(KeyCode::Char('f'));
        lecture.samples(3);
        lecture.press(KeyCode::Char('f'));
        lecture.samples(3);
        // A recorded demo run on slide 3, its clock running, samples between its events.
        lecture.press(KeyCode::Char('3'));
        lecture.press(KeyCode::Enter);
        lecture.press(KeyCode::Enter);
        let run = lecture.app.demos.next_run - 1;
        for (i, event) in recorded("start-methods").into_iter().enumerate() {
            lecture.send(90, Msg::Demo { run, event }, "demo event");
            if i % 3 == 0 {
                lecture.sample();
            }
        }
        // Samples alone while it still runs: they must not leave its panel stale.
        lecture.samples(5);
        lecture.send(
            10,
            Msg::DemoExited {
                run,
                exit: ExitInfo::Code(0),
            },
            "demo exited",
        );
        lecture.samples(3);
        // Slide 6's code run with `o`: its clock runs on samples alone (no event moves the
        // revision while it runs), then output and its end.
        lecture.press(KeyCode::Char('6'));
        lecture.press(KeyCode::Enter);
        lecture.press(KeyCode::Char('o'));
        let snippet = lecture
            .app
            .snippet
            .as_ref()
            .map(|s| s.run)
            .expect("a snippet run");
        lecture.samples(25);
        let line = Msg::SnippetOutput {
            run: snippet,
            stream: lectern::process::Stream::Stdout,
            line: "worker 1 done".into(),
        };
        lecture.send(10, line, "snippet output");
        lecture.samples(12);
        let exited = Msg::SnippetExited {
            run: snippet,
            exit: ExitInfo::Code(0),
        };
        lecture.send(10, exited, "snippet exited");
        lecture.samples(3);
        // Demo focus and back, then smaller screens.
        lecture.press(KeyCode::Char('z'));
        lecture.samples(3);
        lecture.press(KeyCode::Char('z'));
        for (width, height) in [(100, 30), (80, 24), (60, 10), (120, 40)] {
            lecture.send(10, Msg::Resize(width, height), "resize");
            lecture.samples(3);
            lecture.press(KeyCode::Right);
            lecture.samples(2);
        }
        assert!(
            lecture.screens.frames > 60,
            "{} frames",
            lecture.screens.frames
        );
    }
}

#[test]
fn a_sample_changes_only_the_gauges_part_even_while_a_demo_runs() {
    let mut lecture = Lecture::new(ThemeName::Dark);
    let before = lecture.app.revision;
    lecture.samples(5);
    lecture.send(0, Msg::Tick, "tick");
    assert_eq!(
        lecture.app.revision, before,
        "samples and ticks move only the gauges and clocks"
    );
    lecture.press(KeyCode::Right);
    assert_ne!(lecture.app.revision, before, "a key moves the rest");
    // A demo running (slide 3, recorded events): its events move the revision, samples not.
    lecture.press(KeyCode::Char('3'));
    lecture.press(KeyCode::Enter);
    lecture.press(KeyCode::Enter);
    let run = lecture.app.demos.next_run - 1;
    let event = recorded("start-methods")
        .into_iter()
        .next()
        .expect("an event");
    lecture.send(90, Msg::Demo { run, event }, "demo event");
    assert!(lecture.app.demos.running().is_some());
    let running = lecture.app.revision;
    lecture.samples(5);
    assert_eq!(
        lecture.app.revision, running,
        "a running demo's panel does not change with samples"
    );
}

#[test]
fn lectern_watch_drawn_part_by_part_equals_it_drawn_whole() {
    use lectern::watch::{Msg as WatchMsg, WatchApp, plan};
    for theme in THEMES {
        let mut now = Instant::now();
        let size = Size::new(120, 40);
        let mut app = WatchApp::new(
            "python3 -c …".into(),
            100,
            Theme::new(theme, false),
            10,
            size,
            now,
        );
        app.deadline = Some(now + Duration::from_secs(30));
        let mut screens = Screens::new(size.width, size.height);
        let mut step = 0_u32;
        let mut deliver = |app: &mut WatchApp, screens: &mut Screens, msg: WatchMsg, ms| {
            now += Duration::from_millis(ms);
            if let WatchMsg::Resize(width, height) = msg {
                let frames = screens.frames;
                *screens = Screens::new(width, height);
                screens.frames = frames;
            }
            app.update(msg, now);
            let area = Rect::new(0, 0, app.size.width, app.size.height);
            screens.check(&plan(app, area), "watch");
        };
        let mut next_sample = || {
            step += 1;
            let mut sample = sample();
            sample.cores = vec![(step * 13 % 100) as f32, 50.0];
            WatchMsg::Sample(Box::new(sample))
        };
        for i in 0..40 {
            deliver(&mut app, &mut screens, next_sample(), 100);
            if i % 4 == 0 {
                let line = WatchMsg::Output {
                    stream: lectern::process::Stream::Stdout,
                    line: format!("line {i}"),
                };
                deliver(&mut app, &mut screens, line, 5);
            }
        }
        for code in [
            KeyCode::Char('f'),
            KeyCode::Char('?'),
            KeyCode::Esc,
            KeyCode::Char('f'),
        ] {
            let key = WatchMsg::Key(KeyEvent::new(code, KeyModifiers::NONE));
            deliver(&mut app, &mut screens, key, 10);
            deliver(&mut app, &mut screens, next_sample(), 100);
        }
        deliver(&mut app, &mut screens, WatchMsg::Resize(90, 30), 10);
        deliver(&mut app, &mut screens, next_sample(), 100);
        deliver(
            &mut app,
            &mut screens,
            WatchMsg::Exited(ExitInfo::Code(0)),
            10,
        );
        deliver(&mut app, &mut screens, next_sample(), 1500);
        assert!(screens.frames > 50);
    }
}

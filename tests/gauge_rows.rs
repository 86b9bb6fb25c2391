//! The gauges show the processes that work: a short table puts the busiest first, keeps a
//! folded row's "×N", and keeps the PSS column on the slides about memory.

mod lecture;

use lectern::lecture::msg::Msg;
use lectern::process::ExitInfo;
use lectern::sampler::{ProcSample, ProcState, Role, Sample};
use lectern::theme::ThemeName;
use lecture::{draw, lecture, press, send};
use ratatui::crossterm::event::KeyCode;

fn proc(pid: u32, label: &str, depth: u16, cpu: f32, role: Role) -> ProcSample {
    ProcSample {
        pid,
        ppid: 1,
        name: "python3".into(),
        label: label.into(),
        rss_bytes: 12 << 20,
        pss_bytes: Some(4 << 20),
        uss_bytes: None,
        cpu_pct: cpu,
        state: ProcState::Running,
        exit: None,
        depth,
        role,
        lived_ms: None,
        measured: true,
    }
}

fn sample(procs: Vec<ProcSample>) -> Msg {
    Msg::Sample(Box::new(Sample {
        t: 1.0,
        cores: vec![100.0, 100.0],
        total: 100.0,
        procs,
    }))
}

/// Slide 1's processes run on CPython: the supervisor and the interpreter idle, two
/// workers busy, lectern's own row.
fn slide_1_tree() -> Vec<ProcSample> {
    vec![
        proc(300, "supervisor", 0, 0.0, Role::Root),
        proc(301, "python", 1, 0.0, Role::Descendant),
        proc(302, "process 1", 2, 100.0, Role::Descendant),
        proc(303, "process 2", 2, 99.0, Role::Descendant),
        proc(7, "lectern UI", 0, 2.0, Role::Ui),
    ]
}

#[test]
fn at_80x24_in_focus_slide_1s_two_busy_workers_are_on_screen() {
    let (mut app, now) = lecture(1, 80, 24, ThemeName::Dark);
    press(&mut app, now, KeyCode::Enter);
    assert!(app.demo_focus, "a run at 80×24 takes the screen");
    send(&mut app, now, sample(slide_1_tree()));
    let screen = draw(&app);
    for worker in ["process 1", "process 2"] {
        assert!(
            screen.contains(worker),
            "{worker} is not on screen:\n{screen}"
        );
    }
    assert!(
        !screen.contains("supervisor"),
        "the idle supervisor folds first:\n{screen}"
    );
}

#[test]
fn a_folded_rows_count_stays_whole_beside_the_slide_at_100x30() {
    let (mut app, now) = lecture(3, 100, 30, ThemeName::Dark);
    let mut tree = vec![proc(400, "start-methods", 0, 1.0, Role::Root)];
    for i in 1..=6 {
        let mut child = proc(
            400 + i,
            &format!("fork child number {i}"),
            1,
            0.0,
            Role::Descendant,
        );
        child.state = ProcState::Exited;
        child.exit = Some(ExitInfo::Code(0));
        tree.push(child);
    }
    tree.extend((1..=6).map(|i| {
        proc(
            410 + i,
            &format!("spawn child number {i}"),
            1,
            3.0,
            Role::Descendant,
        )
    }));
    tree.push(proc(7, "lectern UI", 0, 2.0, Role::Ui));
    send(&mut app, now, sample(tree));
    let screen = draw(&app);
    let folded: Vec<&str> = screen.lines().filter(|l| l.contains('×')).collect();
    assert!(!folded.is_empty(), "{screen}");
    assert!(
        folded.iter().all(|l| l.contains("×6 ")),
        "a folded row's count is never cut:\n{screen}"
    );
}

#[test]
fn slides_about_memory_keep_the_pss_column_at_100x30() {
    for (slide, keeps_pss) in [(3, true), (5, true), (1, false), (8, false)] {
        let (mut app, now) = lecture(slide, 100, 30, ThemeName::Dark);
        press(&mut app, now, KeyCode::Enter);
        send(&mut app, now, sample(slide_1_tree()));
        let screen = draw(&app);
        let heading = screen
            .lines()
            .find(|l| l.contains("PROCESS"))
            .unwrap_or_else(|| panic!("slide {slide}: no table heading:\n{screen}"));
        assert_eq!(
            heading.contains("PSS"),
            keeps_pss,
            "slide {slide}: {heading}"
        );
        if !keeps_pss {
            assert!(heading.contains("PID"), "slide {slide}: {heading}");
        }
    }
}

#[test]
fn a_process_never_read_alive_shows_how_long_it_lived_and_no_figures() {
    let (mut app, now) = lecture(4, 120, 40, ThemeName::Dark);
    let mut task = proc(501, "task 7", 1, 0.0, Role::Descendant);
    task.state = ProcState::Exited;
    task.exit = Some(ExitInfo::Code(0));
    task.lived_ms = Some(9.25);
    task.measured = false;
    let tree = vec![
        proc(500, "process-cost", 0, 0.0, Role::Root),
        task,
        proc(7, "lectern UI", 0, 2.0, Role::Ui),
    ];
    send(&mut app, now, sample(tree));
    let screen = draw(&app);
    let row = screen
        .lines()
        .find(|l| l.contains("task 7"))
        .unwrap_or_else(|| panic!("the task is listed:\n{screen}"));
    assert!(row.contains("lived 9.2ms"), "{row}");
    assert!(!row.contains("0B"), "no reading is not a zero: {row}");
}

//! Gauge widgets drawn from synthetic samples: 1, 2, 16 and 128 cores, in a side panel and
//! full width, with live, exited and lectern's own processes.

use lectern::process::ExitInfo;
use lectern::sampler::{ProcSample, ProcState, Role, Sample};
use lectern::theme::{Theme, ThemeName};
use lectern::ui::gauges::store::Gauges;
use lectern::ui::gauges::{Emphasis, render};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const MIB: u64 = 1024 * 1024;

fn proc(pid: u32, label: &str, depth: u16, rss_mib: u64, cpu: f32, state: ProcState) -> ProcSample {
    ProcSample {
        pid,
        ppid: if depth == 0 { 1 } else { 100 },
        name: "python3".into(),
        label: label.into(),
        rss_bytes: rss_mib * MIB,
        pss_bytes: Some(rss_mib * MIB / 2),
        uss_bytes: Some(MIB),
        cpu_pct: cpu,
        state,
        exit: (state == ProcState::Exited).then_some(ExitInfo::Code(0)),
        depth,
        role: if depth == 0 {
            Role::Root
        } else {
            Role::Descendant
        },
        lived_ms: None,
        measured: true,
    }
}

/// `cores` cores with a deterministic load pattern, pushed three times so the smoothed
/// values equal the raw ones.
fn gauges(cores: usize) -> Gauges {
    let loads: Vec<f32> = (0..cores).map(|i| ((i * 37) % 101) as f32).collect();
    let mut procs = vec![
        proc(100, "parent", 0, 240, 3.0, ProcState::Sleeping),
        proc(101, "worker 1", 1, 200, 99.0, ProcState::Running),
        proc(102, "worker 2", 1, 200, 97.0, ProcState::Running),
        proc(103, "worker 3", 1, 20, 0.0, ProcState::Exited),
    ];
    let mut ui = proc(7, "lectern UI", 0, 9, 1.0, ProcState::Sleeping);
    ui.role = Role::Ui;
    procs.push(ui);
    let sample = Sample {
        t: 1.0,
        total: 0.0,
        cores: loads,
        procs,
    };
    let mut gauges = Gauges::default();
    for _ in 0..3 {
        gauges.push(sample.clone());
    }
    gauges
}

fn draw(cores: usize, width: u16, height: u16) -> String {
    let theme = Theme::new(ThemeName::Dark, false);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    render(gauges(cores).shown(), &theme, area, Emphasis::Cpu, &mut buf);
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn gauges_at_1_2_16_and_128_cores() {
    for cores in [1, 2, 16, 128] {
        for (width, height) in [(44, 30), (116, 30)] {
            insta::assert_snapshot!(
                format!("gauges_{cores}_cores_{width}x{height}"),
                draw(cores, width, height)
            );
        }
    }
}

#[test]
fn every_core_is_shown_whatever_the_layout() {
    for cores in [1, 2, 16, 128] {
        for (width, height) in [(44, 30), (116, 30), (44, 12)] {
            let screen = draw(cores, width, height);
            let blocks = screen.chars().filter(|c| "▁▂▃▄▅▆▇█ ".contains(*c)).count();
            assert!(blocks > 0);
            let missing = screen.contains("more cores not shown");
            assert!(
                !missing,
                "{cores} cores at {width}x{height} hid some:\n{screen}"
            );
        }
    }
}

#[test]
fn exited_processes_show_their_status_and_totals_count_only_live_ones() {
    let screen = draw(2, 116, 30);
    assert!(screen.contains("exit 0"), "{screen}");
    assert!(screen.contains("3 processes (+1 exited)"), "{screen}");
    assert!(screen.contains("RSS 640.0 MiB"), "{screen}");
    assert!(screen.contains("PSS 320.0 MiB"), "{screen}");
    assert!(screen.contains("lectern UI"), "{screen}");
}

#[test]
fn tiny_areas_do_not_panic() {
    for cores in [1, 128] {
        for (width, height) in [(1, 1), (5, 3), (20, 2), (0, 10), (10, 0)] {
            draw(cores, width, height);
        }
    }
}

//! Recording sessions: the shipped tour runs without a terminal and records a valid
//! asciicast v2 file with a marker for every slide and demo, which asciinema plays back to
//! the same screen; a script that waits in vain fails with its line; `--size` draws at a fixed
//! size centred in a larger window and says so in a smaller one; a recording made in a
//! terminal follows its resizes.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use support::headless::headless;
use support::{LECTERN, Tmux, assert_all_gone, unique_tag};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-rec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// The header and the events of a recording.
fn read_cast(path: &Path) -> (Value, Vec<(f64, String, String)>) {
    let text = std::fs::read_to_string(path).expect("the recording exists");
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("a header")).expect("JSON");
    let events = lines
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (
                v[0].as_f64().expect("a time"),
                v[1].as_str().expect("a code").to_string(),
                v[2].as_str().expect("data").to_string(),
            )
        })
        .collect();
    (header, events)
}

#[test]
fn the_tour_records_every_slide_without_a_terminal_and_plays_back_as_drawn() {
    let dir = scratch("tour");
    let cast = dir.join("tour.cast");
    let tag = unique_tag("tour");
    let tour = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/25-tour.script");
    let output = headless(
        &tag,
        [
            "--engine",
            "native",
            "--runs",
            "1",
            "--script",
            tour,
            "--record",
            cast.to_str().expect("UTF-8 path"),
            "--size",
            "120x36",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_all_gone(&tag, Duration::from_secs(1), "after the tour");

    let (header, events) = read_cast(&cast);
    assert_eq!(header["version"], 2);
    assert_eq!(header["width"], 120);
    assert_eq!(header["height"], 36);
    assert!(
        header["timestamp"]
            .as_u64()
            .is_some_and(|t| t > 1_700_000_000)
    );
    assert!(
        header["title"]
            .as_str()
            .is_some_and(|t| t.contains("Multiprocessing"))
    );
    assert!(header["env"]["TERM"].is_string() && header["env"]["SHELL"].is_string());
    let times: Vec<f64> = events.iter().map(|e| e.0).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "times never go back"
    );
    assert!(
        events
            .iter()
            .all(|e| ["o", "m", "r"].contains(&e.1.as_str()))
    );
    let markers: Vec<&str> = events
        .iter()
        .filter(|e| e.1 == "m")
        .map(|e| e.2.as_str())
        .collect();
    let (lesson, _) = lectern::lesson::embedded().expect("the lecture loads");
    for (i, slide) in lesson.slides.iter().enumerate() {
        let label = format!("{}: {}", i + 1, slide.title.as_deref().unwrap_or_default());
        assert!(
            markers.contains(&label.as_str()),
            "no marker {label:?} in {markers:?}"
        );
    }
    let started = markers
        .iter()
        .filter(|m| m.ends_with("started (native)"))
        .count();
    let finished = markers
        .iter()
        .filter(|m| m.contains(" finished in "))
        .count();
    // One run per slide and the variants that make a slide's point, each named as the lesson
    // names it; then slide 12's verdicts run what the claims still miss.
    assert!(started > 14 && started == finished, "{markers:?}");
    assert!(markers.contains(&"verdicts"), "{markers:?}");
    for variant in ["“One sentinel short” started", "“A worker killed mid-task"] {
        assert!(
            markers.iter().any(|m| m.contains(variant)),
            "no marker for {variant}: {markers:?}"
        );
    }
    assert!(
        markers
            .iter()
            .any(|m| m.starts_with("demo fork-lock “") && m.ends_with(" started (native)")),
        "{markers:?}"
    );
    // asciinema plays the file, unmodified, to the screen lectern drew last (which it prints
    // on stdout when there is no terminal).
    let last_frame = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        last_frame.contains("12 / 12") && last_frame.contains("page by slide"),
        "{last_frame}"
    );
    let tmux = Tmux::shell(120, 36);
    tmux.type_line(&format!(
        "clear; python3 -m asciinema cat {} && sleep 60",
        cast.display()
    ));
    let trim = |s: &str| -> Vec<String> { s.lines().map(|l| l.trim_end().to_string()).collect() };
    let last = trim(&last_frame);
    // `asciinema cat` writes the whole recording at once, but tmux may be captured while it is
    // still drawing an earlier frame of slide 12: wait for the last one.
    tmux.wait_until(
        |screen| trim(screen).get(..36) == last.get(..36),
        "the playback to end on the recording's last frame",
    );
    markers_follow_their_frames(&cast, &dir, lesson.slides.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A slide's marker comes after the frame that shows that slide, so `asciinema play -m`
/// stops on the slide it names: the recording cut at the marker plays to that slide.
fn markers_follow_their_frames(cast: &Path, dir: &Path, slides: usize) {
    let text = std::fs::read_to_string(cast).expect("the recording");
    let lines: Vec<&str> = text.lines().collect();
    for slide in [2, 6, 11] {
        let label = format!("\"{slide}: ");
        let at = lines
            .iter()
            .position(|l| l.contains("\"m\"") && l.contains(&label))
            .unwrap_or_else(|| panic!("no marker for slide {slide}"));
        let cut = dir.join(format!("to-slide-{slide}.cast"));
        std::fs::write(&cut, lines[..at].join("\n") + "\n").expect("write the cut");
        let tmux = Tmux::shell(120, 36);
        tmux.type_line(&format!(
            "clear; python3 -m asciinema cat {} && sleep 60",
            cut.display()
        ));
        let footer = format!(" {slide} / {slides} ");
        tmux.wait_until(
            |screen| screen.lines().nth(35).is_some_and(|l| l.contains(&footer)),
            &format!("the recording up to slide {slide}'s marker to show slide {slide}"),
        );
    }
}

#[test]
fn a_wait_that_never_holds_fails_with_the_scripts_line_and_status_1() {
    let dir = scratch("fail");
    let script = dir.join("bad.script");
    std::fs::write(
        &script,
        "# waits for nothing\nkey Right\nwait slide 2\nwait text \"no such words\" within 1s\n",
    )
    .expect("write the script");
    let tag = unique_tag("fail");
    let output = headless(
        &tag,
        [
            "--script",
            script.to_str().expect("UTF-8"),
            "--size",
            "100x30",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:4:", script.display()))
            && stderr.contains("\"no such words\" did not appear"),
        "{stderr}"
    );
    // The screen it gave up on is printed, so a CI log shows why.
    assert!(String::from_utf8_lossy(&output.stdout).contains("2 / 12"));

    // A script that does not parse is refused before anything starts, with FILE:LINE:COL.
    std::fs::write(&script, "key Right\nwiat slide 2\n").expect("write the script");
    let output = headless(
        &tag,
        [
            "--script",
            script.to_str().expect("UTF-8"),
            "--size",
            "100x30",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:2:1: unknown command `wiat`", script.display())),
        "{stderr}"
    );
    // Without a terminal and without a script there is nowhere to draw: a clear error.
    let output = headless(&tag, ["--size", "100x30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--script TOUR.script"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fixed_size_is_centred_in_a_larger_window_and_explained_in_a_smaller_one() {
    let tmux = Tmux::shell(120, 40);
    tmux.type_line(&format!("{LECTERN} --engine native --size 100x30"));
    let screen = tmux.wait_for("1 / 12");
    let lines: Vec<&str> = screen.lines().collect();
    // 10 columns and 5 rows of margin around the 100×30 frame.
    let footer = lines
        .iter()
        .position(|l| l.contains("1 / 12"))
        .expect("the footer");
    assert_eq!(footer, 5 + 29, "{screen}");
    assert!(
        lines[footer].starts_with("           Lecture 25"),
        "{screen}"
    );
    assert!(lines[..5].iter().all(|l| l.trim().is_empty()), "{screen}");
    tmux.resize(90, 28);
    tmux.wait_for("lectern draws at 100×30 (--size), and this window is 90×28.");
    tmux.resize(120, 40);
    tmux.wait_for("1 / 12");
    tmux.quit();
    tmux.assert_terminal_restored(0);
}

#[test]
fn a_recording_in_a_terminal_follows_its_resizes_and_marks_each_slide() {
    let dir = scratch("resize");
    let cast = dir.join("live.cast");
    let tmux = Tmux::shell(100, 30);
    tmux.type_line(&format!(
        "{LECTERN} --engine native --record {}",
        cast.display()
    ));
    tmux.wait_for("1 / 12");
    tmux.keys(&["Right"]);
    tmux.wait_for("2 / 12");
    tmux.resize(120, 36);
    tmux.wait_until(
        |s| s.lines().count() >= 36 && s.contains("2 / 12"),
        "the larger frame",
    );
    tmux.quit();
    tmux.assert_terminal_restored(0);
    let (header, events) = read_cast(&cast);
    assert_eq!(
        (header["width"].as_u64(), header["height"].as_u64()),
        (Some(100), Some(30))
    );
    let codes: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e.1 != "o")
        .map(|e| (e.1.as_str(), e.2.as_str()))
        .collect();
    assert!(codes.contains(&("m", "1: Lecture Overview")), "{codes:?}");
    assert!(
        codes.contains(&("m", "2: Why Threads Fail on CPU-Bound Work")),
        "{codes:?}"
    );
    assert!(codes.contains(&("r", "120x36")), "{codes:?}");
    // The recording ends with the cursor shown again.
    assert!(events.last().is_some_and(|e| e.2.ends_with("\u{1b}[?25h")));
    let _ = std::fs::remove_dir_all(&dir);
}

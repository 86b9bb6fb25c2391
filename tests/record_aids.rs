//! A recording that teaches on its own: a script with `caption`, `wait settled` and
//! `--show-keys`, recorded at 100x30 without a terminal — the caption and the keys' names are
//! in the cast's frames, the captions are a subtitles file (`.vtt`) beside it, and `--captions notes`
//! captions each slide with its "Say:" paragraph.

mod support;

use std::process::Command;
use std::time::Duration;

use support::headless::{chromium_dom, headless, path};
use support::{LECTERN, assert_all_gone, unique_tag};

/// Every screen a viewer of the cast saw, played through a terminal emulator, joined.
fn frames(cast: &std::path::Path) -> String {
    let cast = lectern::record::replay::Cast::load(cast).expect("the cast reads");
    lectern::record::replay::screens(&cast).join("\n")
}

#[test]
fn captions_keys_and_settled_waits_make_a_recording_with_subtitles() {
    let dir = std::env::temp_dir().join(format!("lectern-aids-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let script = dir.join("talk.script");
    std::fs::write(
        &script,
        "caption \"Processes, not threads: watch both cores\"\nwait settled\n\
         key PageDown\nwait slide 2\nwait settled within 5s\n\
         caption \"Slide 2: one lock, one core\"\nsleep 500ms\ncaption \"\"\n\
         type 3\nkey Enter\nwait slide 3\nwait settled\n",
    )
    .expect("test setup");
    let cast = dir.join("talk.cast");
    let tag = unique_tag("aids");
    let args = [
        "--engine",
        "native",
        "--show-keys",
        "--size",
        "100x30",
        "--script",
    ];
    let output = headless(
        &tag,
        args.into_iter()
            .chain([path(&script), "--record", path(&cast)]),
    );
    assert!(output.status.success(), "{output:?}");
    assert_all_gone(&tag, Duration::from_secs(1), "after the recording");
    let recorded = frames(&cast);
    for shown in [
        "Processes, not threads: watch both cores",
        "Slide 2: one lock, one core",
        "PageDown — forward",
        "Enter — go to slide",
    ] {
        assert!(
            recorded.contains(shown),
            "{shown} is not in the cast's frames"
        );
    }
    let vtt = std::fs::read_to_string(dir.join("talk.vtt")).expect("talk.vtt beside talk.cast");
    assert!(vtt.starts_with("WEBVTT\n"), "{vtt}");
    assert_eq!(vtt.matches(" --> ").count(), 2, "{vtt}");
    assert!(vtt.contains("\nSlide 2: one lock, one core\n"), "{vtt}");

    // `--captions notes`: each slide says its "Say:" paragraph, without a script's caption.
    let notes = dir.join("notes.cast");
    let quick = dir.join("quick.script");
    std::fs::write(
        &quick,
        "wait settled\nkey PageDown\nwait slide 2\nwait settled\n",
    )
    .expect("test setup");
    let args = [
        "--engine",
        "native",
        "--captions",
        "notes",
        "--size",
        "100x30",
        "--script",
    ];
    let output = headless(
        &unique_tag("aids-notes"),
        args.into_iter()
            .chain([path(&quick), "--record", path(&notes)]),
    );
    assert!(output.status.success(), "{output:?}");
    let vtt = std::fs::read_to_string(dir.join("notes.vtt")).expect("notes.vtt");
    assert!(vtt.contains("Last lecture ended at the GIL wall"), "{vtt}");
    assert_eq!(vtt.matches(" --> ").count(), 2, "one cue per slide: {vtt}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_recording_becomes_an_offline_replay_page_and_a_gif() {
    let dir = std::env::temp_dir().join(format!("lectern-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let script = dir.join("short.script");
    std::fs::write(
        &script,
        "caption \"Two slides, two chapters\"\nwait settled\nkey PageDown\nwait slide 2\n\
         wait settled\n",
    )
    .expect("test setup");
    let cast = dir.join("short.cast");
    let args = [
        "--engine",
        "native",
        "--size",
        "100x30",
        "--script",
        path(&script),
    ];
    let output = headless(
        &unique_tag("replay"),
        args.into_iter().chain(["--record", path(&cast)]),
    );
    assert!(output.status.success(), "{output:?}");
    let markers = lectern::record::replay::Cast::load(&cast)
        .expect("the cast")
        .markers()
        .len();
    assert!(markers >= 2, "a marker per slide");

    let page = dir.join("short.html");
    let export = Command::new(LECTERN)
        .args(["export", "--replay"])
        .arg(&cast)
        .arg("-o")
        .arg(&page)
        .output()
        .expect("lectern runs");
    assert!(export.status.success(), "{export:?}");
    let html = std::fs::read_to_string(&page).expect("the page");
    for outside in ["<link", "src=\"http", "@import url(http"] {
        assert!(!html.contains(outside), "{outside}: the page loads nothing");
    }
    let dom = chromium_dom(&page);
    assert!(
        dom.contains("ap-wrapper"),
        "the player is in the page:\n{dom}"
    );
    assert_eq!(
        dom.matches("class=\"chapter\"").count(),
        markers,
        "one chapter per marker"
    );
    assert!(
        dom.contains("id=\"caption\""),
        "the captions beside the player"
    );

    let gif_path = dir.join("short.gif");
    let export = Command::new(LECTERN)
        .args(["export", "--gif"])
        .arg(&cast)
        .arg("-o")
        .arg(&gif_path)
        .output()
        .expect("lectern runs");
    assert!(export.status.success(), "{export:?}");
    let bytes = std::fs::read(&gif_path).expect("the GIF");
    assert!(bytes.starts_with(b"GIF89a"));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(bytes.as_slice())
        .expect("a GIF that decodes");
    assert_eq!(
        (decoder.width(), decoder.height()),
        (1000, 570),
        "100×30 cells of 10×19 pixels"
    );
    let mut frames = 0;
    while decoder.read_next_frame().expect("frames decode").is_some() {
        frames += 1;
    }
    assert!(frames >= 2, "an animation: {frames} frames");
    let _ = std::fs::remove_dir_all(&dir);
}

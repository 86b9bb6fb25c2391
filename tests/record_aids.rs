//! A recording that teaches on its own: a script with `caption`, `wait settled` and
//! `--show-keys`, recorded at 100x30 without a terminal — the caption and the keys' names are
//! in the cast's frames, the captions are a subtitles file (`.vtt`) beside it, and `--captions notes`
//! captions each slide with its "Say:" paragraph.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

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
    let output = Command::new(LECTERN)
        .args([
            "--engine",
            "native",
            "--show-keys",
            "--size",
            "100x30",
            "--script",
        ])
        .arg(&script)
        .arg("--record")
        .arg(&cast)
        .env("LECTERN_TEST_TAG", &tag)
        .stdin(Stdio::null())
        .output()
        .expect("lectern runs");
    assert!(output.status.success(), "{output:?}");
    assert_all_gone(&tag, Duration::from_secs(1), "after the recording");
    let recorded = frames(&cast);
    for shown in [
        "Processes, not threads: watch both cores",
        "Slide 2: one lock, one core",
        "PageDown — next",
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
    let output = Command::new(LECTERN)
        .args([
            "--engine",
            "native",
            "--captions",
            "notes",
            "--size",
            "100x30",
            "--script",
        ])
        .arg(&quick)
        .arg("--record")
        .arg(&notes)
        .stdin(Stdio::null())
        .output()
        .expect("lectern runs");
    assert!(output.status.success(), "{output:?}");
    let vtt = std::fs::read_to_string(dir.join("notes.vtt")).expect("notes.vtt");
    assert!(vtt.contains("Last lecture ended at the GIL wall"), "{vtt}");
    assert_eq!(vtt.matches(" --> ").count(), 2, "one cue per slide: {vtt}");
    let _ = std::fs::remove_dir_all(&dir);
}

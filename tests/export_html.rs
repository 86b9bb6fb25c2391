//! `lectern export --html`: the handout opens in a real browser (headless Chromium, with every
//! host name unresolvable so nothing can be fetched) with all of the lecture's slides and notes,
//! and a results file that is not `lectern report --json` output is a clear error.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::headless::chromium_dom;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-export-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn export(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .arg("export")
        .args(args)
        .output()
        .expect("lectern runs")
}

#[test]
fn the_handout_opens_offline_in_chromium_with_every_slide_and_the_notes() {
    let dir = scratch("page");
    let page = dir.join("out.html");
    let output = export(&["--html", page.to_str().expect("utf-8 path")]);
    assert!(output.status.success(), "{output:?}");
    let lesson = lectern::lesson::embedded().expect("the built-in lecture").0;
    let dom = chromium_dom(&page);
    assert_eq!(dom.matches("<section class=\"slide\"").count(), 12);
    for slide in &lesson.slides {
        let title = lectern::export::escape(slide.title.as_deref().unwrap_or("(untitled)"));
        assert!(
            dom.contains(&format!("<h2>{title}</h2>")),
            "{title} is on the page"
        );
    }
    let with_notes = lesson.slides.iter().filter(|s| !s.notes.is_empty()).count();
    assert!(with_notes >= 12, "Lecture 25 has notes on every slide");
    assert_eq!(dom.matches("<aside class=\"notes\">").count(), with_notes);
    assert!(dom.contains("Speaker notes"));
    // The page holds everything itself: no scripts, stylesheets or images to fetch.
    let html = std::fs::read_to_string(&page).expect("the page");
    for outside in ["<script", "<link", "<img", "src=", "@import", "url("] {
        assert!(!html.contains(outside), "{outside} in the handout");
    }
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
fn measured_verdicts_sit_beside_their_claims() {
    let dir = scratch("results");
    let results = dir.join("results.jsonl");
    // Two lines as `lectern report --json` writes them, for the claim on slide 1.
    let lesson = lectern::lesson::embedded().expect("the built-in lecture").0;
    let claim = &lesson.slides[0].claims[0];
    let line = |engine: &str, value: &str, verdict: &str| {
        serde_json::json!({
            "slide": 1, "claim": claim.text, "demo": claim.demo, "engine": engine,
            "value": serde_json::from_str::<serde_json::Value>(value).expect("json"),
            "verdict": verdict, "detail": "", "simulated": null,
        })
        .to_string()
    };
    std::fs::write(
        &results,
        format!(
            "{}\n{}\n",
            line("native", "1.81", "holds"),
            line("python", "0.5", "differs")
        ),
    )
    .expect("write results");
    let page = dir.join("out.html");
    let output = export(&[
        "--html",
        page.to_str().expect("utf-8"),
        "--results",
        results.to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(
        html.contains("Measured on native: 1.81 <strong>✓ holds</strong>"),
        "{html}"
    );
    assert!(html.contains("Measured on python: 0.5 <strong>✗ differs</strong>"));
    assert!(
        html.contains("Not measured for this handout."),
        "other claims say so"
    );

    std::fs::write(&results, "this is not a report\n").expect("write");
    let output = export(&[
        "--html",
        page.to_str().expect("utf-8"),
        "--results",
        results.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("results.jsonl:1: not a line of `lectern report --json`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
fn an_unwritable_destination_is_a_clear_error_and_leaves_nothing() {
    let dir = scratch("unwritable");
    let page = dir.join("missing-dir").join("out.html");
    let output = export(&["--html", page.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
    std::fs::remove_dir_all(&dir).expect("clean");
}

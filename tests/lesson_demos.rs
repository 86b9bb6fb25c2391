//! Lessons with demos of their own: `lectern new` in an empty folder gives a lesson whose own
//! demo checks, runs and is reported on as written; the example second lecture
//! (`lessons/examples/`) checks, runs headless in the lecture and is reported on; and what an
//! author gets wrong in a declaration is said at its `FILE:LINE:COL`.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::headless::{headless, path};
use support::{LECTERN, assert_all_gone, unique_tag};

fn lectern(dir: &Path, args: &[&str]) -> Output {
    Command::new(LECTERN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("lectern runs")
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-own-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The report's JSON rows measured on CPython.
fn python_rows(report: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&report.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON row"))
        .filter(|row| row["engine"] == "python")
        .collect()
}

#[test]
fn lectern_new_writes_a_lesson_whose_own_demo_checks_runs_and_reports_as_written() {
    let dir = scratch("new");
    let new = lectern(&dir, &["new", "lecture-26.md"]);
    assert!(new.status.success(), "{new:?}");
    assert!(dir.join("demos/lecture_26.py").is_file());
    let again = lectern(&dir, &["new", "lecture-26.md"]);
    assert_eq!(again.status.code(), Some(2), "never overwrites: {again:?}");

    let check = lectern(&dir, &["check", "lecture-26.md"]);
    assert!(check.status.success(), "{check:?}");
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(said.contains("1 claim, 1 question, 0 warnings"), "{said}");

    let demo = lectern(
        &dir,
        &[
            "demo",
            "--lesson",
            "lecture-26.md",
            "squares",
            "--quick",
            "--json",
        ],
    );
    assert!(demo.status.success(), "{demo:?}");
    let summary: Value = serde_json::from_str(
        String::from_utf8_lossy(&demo.stdout)
            .lines()
            .last()
            .expect("a summary line"),
    )
    .expect("JSON");
    assert_eq!(summary["type"], "summary");
    assert!(
        summary["results"]["speedup"]
            .as_f64()
            .is_some_and(|s| s > 0.0),
        "{summary}"
    );

    let report = lectern(&dir, &["report", "lecture-26.md", "--json", "--quick"]);
    assert!(report.status.success(), "{report:?}");
    let rows = python_rows(&report);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        ["holds", "differs", "edge"].contains(&rows[0]["verdict"].as_str().unwrap_or("")),
        "a judged row: {}",
        rows[0]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_example_lecture_checks_runs_in_the_lecture_and_is_reported_on() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lesson = root.join("lessons/examples/26-shared-memory.md");
    let lesson = lesson.to_str().expect("UTF-8 path");
    let check = lectern(root, &["check", lesson]);
    assert!(check.status.success(), "{check:?}");

    let report = lectern(root, &["report", lesson, "--json", "--quick"]);
    assert!(report.status.success(), "{report:?}");
    let rows = python_rows(&report);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        assert_eq!(row["demo"], "handoff");
        assert_eq!(row["runs"], 1, "{row}");
    }
    let writes = rows
        .iter()
        .find(|r| r["result"] == "shm_shares_writes")
        .expect("the write claim");
    assert_eq!(writes["verdict"], "holds", "{writes}");

    // In the lecture, without a terminal: Enter runs the lesson's own demo to its end.
    let dir = scratch("example");
    let script = dir.join("run.script");
    std::fs::write(
        &script,
        "key Enter\nwait demo-finished within 60s\nwait text \"faster than a pipe\" within 5s\nkey q\n",
    )
    .expect("test setup");
    let tag = unique_tag("own-demo");
    let run = headless(
        &tag,
        ["--size", "100x30", "--script", path(&script), lesson],
    );
    assert!(run.status.success(), "{run:?}");
    assert_all_gone(&tag, Duration::from_secs(1), "after the lesson's own demo");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn what_a_declaration_gets_wrong_is_said_at_its_place() {
    let dir = scratch("bad");
    std::fs::create_dir_all(dir.join("demos")).expect("test setup");
    std::fs::write(dir.join("demos/d.py"), "print('hi')\n").expect("test setup");
    let front = "+++\ntitle = \"T\"\n\n[[demo]]\nname = \"mine\"\nscript = \"demos/d.py\"\ntitle = \"Mine\"\nresults = [\"x_ms\"]\n\n[[demo.param]]\nname = \"n\"\nkind = \"int\"\nmin = 1\nmax = 10\ndefault = 3\n+++\n\n## A\n\n";
    for (body, front_change, at, says) in [
        (
            "<!-- demo: mine m=2 -->\n",
            None,
            "20:12",
            "no parameter `m`",
        ),
        ("<!-- demo: mine n=99 -->\n", None, "20:12", "from 1 to 10"),
        (
            "<!-- claim: mine result=y_ms expect=<1 text=\"t\" -->\n",
            None,
            "20:",
            "y_ms",
        ),
        (
            "text\n",
            Some(("demos/d.py", "demos/gone.py")),
            "6:10",
            "is not there",
        ),
        (
            "text\n",
            Some(("default = 3", "default = 30")),
            "5:8",
            "30 is not from 1 to 10",
        ),
        (
            "text\n",
            Some(("name = \"mine\"", "name = \"gil\"")),
            "5:8",
            "built-in demo",
        ),
    ] {
        let mut text = format!("{front}{body}");
        if let Some((from, to)) = front_change {
            text = text.replacen(from, to, 1);
        }
        let file = dir.join("bad.md");
        std::fs::write(&file, &text).expect("test setup");
        let check = lectern(&dir, &["check", "bad.md"]);
        assert_eq!(check.status.code(), Some(1), "{body}: {check:?}");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            said.contains(&format!("bad.md:{at}")),
            "{body} at {at}: {said}"
        );
        assert!(said.contains(says), "{body}: {said}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_authors_guide_quotes_the_example_demo_exactly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/writing-demos.md")).expect("the guide");
    let example =
        std::fs::read_to_string(root.join("lessons/examples/demos/handoff.py")).expect("example");
    assert!(
        guide.contains(&format!("```python\n{example}```")),
        "docs/writing-demos.md's example differs from lessons/examples/demos/handoff.py"
    );
}

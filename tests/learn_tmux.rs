//! Learn mode as a student uses it: `lectern --learn`, slide 8, Enter asks the question, an
//! answer, a round of runs, the prediction beside the measurement; `w` and `lectern export
//! --progress` keep it in the handout; `lectern progress` reads the answer back (also as
//! JSON), even after `kill -9` in the middle of the next run, and `--reset` forgets it.

mod support;

use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;
use support::{LECTERN, Tmux, tagged, unique_tag};

fn progress(tmux: &Tmux, args: &[&str]) -> Output {
    Command::new(LECTERN)
        .arg("progress")
        .args(args)
        .env("XDG_STATE_HOME", tmux.state_home())
        .output()
        .expect("lectern runs")
}

#[test]
fn a_prediction_is_asked_measured_kept_and_read_back_after_a_kill() {
    let tmux = Tmux::shell(120, 40);
    let none = progress(&tmux, &[]);
    assert!(none.status.success(), "{none:?}");
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no answers"),
        "{none:?}"
    );

    let tag = unique_tag("learn");
    let handout = tmux.state_home().join("handout.html");
    tmux.type_line(&format!(
        "LECTERN_TEST_TAG={tag} {LECTERN} --engine native --learn --fresh --handout {}",
        handout.display()
    ));
    tmux.wait_for(" 1 / 12 ");
    tmux.keys(&["8", "Enter"]);
    tmux.wait_for(" 8 / 12 ");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Predict");
    tmux.keys(&["1", "Enter"]);
    let judged = tmux.wait_for("You predicted chunksize=100 · measured");
    assert!(
        judged.contains("right") || judged.contains("not this time"),
        "{judged}"
    );
    // Judged on a round of three runs, as `lectern report` judges the claim.
    assert!(
        judged.contains("median") && judged.contains(" of 3"),
        "{judged}"
    );

    // `w` in learn mode: the handout keeps the prediction beside the claim.
    tmux.keys(&["w"]);
    tmux.wait_for("Handout written");
    let page = std::fs::read_to_string(&handout).expect("the handout");
    assert!(
        page.contains("you predicted chunksize=100; your machine measured chunksize="),
        "{page}"
    );

    // The answer is on disk before lectern quits: kill -9 in the middle of the next run.
    tmux.keys(&["Enter"]);
    tmux.wait_for("running");
    for pid in tagged(&tag) {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if !String::from_utf8_lossy(&cmdline).contains("worker") {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
    support::assert_all_gone(&tag, Duration::from_secs(2), "lectern after kill -9");

    let text = progress(&tmux, &[]);
    assert!(text.status.success(), "{text:?}");
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(shown.contains("slide 8 · 10,000 tasks"), "{shown}");
    assert!(
        shown.contains("predicted chunksize=100 · measured chunksize="),
        "{shown}"
    );
    assert!(shown.contains("of 12 predicted close"), "{shown}");
    read_back_as_json_and_in_a_handout(&tmux);

    let dir = tmux.state_home().join("lectern").join("progress");
    let file = std::fs::read_dir(&dir)
        .expect("the progress folder")
        .flatten()
        .map(|entry| entry.path())
        .next()
        .expect("one progress file");
    let reset = progress(&tmux, &["--reset"]);
    assert!(reset.status.success(), "{reset:?}");
    let after = progress(&tmux, &[]);
    assert!(
        String::from_utf8_lossy(&after.stderr).contains("no answers"),
        "{after:?}"
    );

    // A file that is not a progress file: said, and left as it is.
    let garbage = "not a progress line\n{}\n";
    std::fs::write(&file, garbage).expect("test setup");
    let bad = progress(&tmux, &[]);
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("line 1 is not a progress line"), "{said}");
    assert!(said.contains("left as it is"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        garbage
    );
}

/// `lectern progress --json` gives the one answer with every field; `lectern export
/// --progress` puts it in a handout made later.
fn read_back_as_json_and_in_a_handout(tmux: &Tmux) {
    let json = progress(tmux, &["--json"]);
    let rows: Vec<Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    for field in [
        "slide",
        "question",
        "prediction",
        "measured",
        "outcome",
        "engine",
        "time",
    ] {
        assert!(!rows[0][field].is_null(), "{field}: {}", rows[0]);
    }
    assert_eq!(rows[0]["slide"], 8);
    assert_eq!(rows[0]["engine"], "native");

    // `export --progress` puts the same answer in a handout made later.
    let later = tmux.state_home().join("later.html");
    let export = Command::new(LECTERN)
        .args(["export", "--progress", "--html"])
        .arg(&later)
        .env("XDG_STATE_HOME", tmux.state_home())
        .output()
        .expect("lectern runs");
    assert!(export.status.success(), "{export:?}");
    let page = std::fs::read_to_string(&later).expect("the handout");
    assert!(page.contains("Your predictions: "), "{page}");
    assert!(page.contains("you predicted chunksize=100"), "{page}");
}

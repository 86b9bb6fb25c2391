//! Learn mode driven by a script, without a terminal: the tour types the answer to slide 8's
//! question, `wait demo-finished` waits for the whole round of runs, and `wait text` finds the
//! prediction beside the median measured — the way tours and recordings drive learn mode.

mod support;

use std::time::Duration;

use support::headless::{headless, path};
use support::{assert_all_gone, unique_tag};

#[test]
fn a_script_answers_the_question_and_waits_for_the_round() {
    let dir = std::env::temp_dir().join(format!("lectern-learn-script-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let script = dir.join("learn.script");
    std::fs::write(
        &script,
        "type 8\nkey Enter\nwait slide 8\nkey Enter\nwait text \"Predict\" within 5s\n\
         type 1\nkey Enter\nwait demo-finished within 60s\n\
         wait text \"You predicted chunksize=100\" within 5s\nwait text \"median\" within 5s\n\
         mark \"predicted\"\nkey q\n",
    )
    .expect("test setup");
    let cast = dir.join("learn.cast");
    let tag = unique_tag("learn-script");
    let output = headless(
        &tag,
        [
            "--engine",
            "native",
            "--learn",
            "--runs",
            "2",
            "--size",
            "100x30",
            "--script",
            path(&script),
            "--record",
            path(&cast),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_all_gone(&tag, Duration::from_secs(1), "after the script");
    let recorded = std::fs::read_to_string(&cast).expect("the recording");
    let markers: Vec<&str> = recorded.lines().filter(|l| l.contains(",\"m\",")).collect();
    // One answer, two runs (the round `--runs 2` asks for), both over before the marker the
    // script put after `wait demo-finished`.
    let runs = |what: &str| {
        markers
            .iter()
            .filter(|m| m.contains("demo chunksize") && m.contains(what))
            .count()
    };
    assert_eq!((runs("started"), runs("finished")), (2, 2), "{markers:#?}");
    assert!(
        markers.last().is_some_and(|m| m.contains("\"predicted\"")),
        "{markers:#?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! `lectern report` and `lectern check` run by a test on a lesson written for it.

use std::path::PathBuf;
use std::process::{Command, Output};

use super::LECTERN;

/// Runs lectern with `args`, waiting for it to end.
pub fn lectern(args: &[&str]) -> Output {
    Command::new(LECTERN)
        .args(args)
        .output()
        .expect("lectern runs")
}

/// Writes `text` to a lesson file called `name` in this test process's scratch folder.
pub fn temp_lesson(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("test setup");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("test setup");
    path
}

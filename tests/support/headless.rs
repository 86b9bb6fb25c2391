//! lectern and Chromium without a terminal: a tagged lectern run with its output piped, and
//! a page's DOM as headless Chromium builds it offline.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::LECTERN;

/// Runs lectern with `args`, tagged with `tag` (for the leftover checks), stdin closed and
/// stdout and stderr piped: no terminal anywhere.
pub fn headless<I, S>(tag: &str, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(LECTERN)
        .args(args)
        .env("LECTERN_TEST_TAG", tag)
        .stdin(Stdio::null())
        .output()
        .expect("lectern runs")
}

/// The DOM headless Chromium built for `page`, with every host name unresolvable (nothing
/// can be fetched) and a moment of virtual time for the page's scripts.
pub fn chromium_dom(page: &Path) -> String {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (scripts/test installs it)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A path as a command-line argument (the tests' paths are UTF-8).
pub fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

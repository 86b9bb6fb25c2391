//! Python highlighting out of the UI's process: tree-sitter's grammar and query would stay
//! resident in the UI for the whole lecture (about 3 MiB, a third of its memory), so a
//! short-lived helper (`lectern worker highlight`) highlights every Python block once, at
//! start, and hands the lines back. Until they come (a few tens of milliseconds), code shows
//! plain; if the helper fails, it stays plain.

use std::io::{self, Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc::Sender;

use crate::lecture::msg::Msg;
use crate::lesson::highlight::highlight;
use crate::lesson::{CodeToken, Lesson};

/// Most bytes read from either side: far more than any lesson's code.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Lines of one highlighted block.
pub type Highlighted = Vec<Vec<CodeToken>>;

/// Starts the helper on a thread (which lives until the helper is reaped, so the helper's
/// parent-death signal stays armed) and sends [`Msg::Highlighted`] with the result.
pub fn start(lesson: &Lesson, tx: Sender<Msg>) {
    let sources: Vec<String> = lesson
        .python_blocks()
        .iter()
        .filter(|code| !code.is_highlighted())
        .map(|code| code.source.clone())
        .collect();
    if sources.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("highlight".into())
        .spawn(move || {
            if let Ok(lines) = run_helper(&sources) {
                let _ = tx.send(Msg::Highlighted(lines));
            }
        });
}

fn run_helper(sources: &[String]) -> io::Result<Vec<Highlighted>> {
    let mut command = Command::new(crate::process::own_program()?);
    command
        .args([
            "worker",
            "highlight",
            "--parent",
            &std::process::id().to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn()?;
    let input = serde_json::to_vec(sources).map_err(io::Error::other)?;
    let written = child
        .stdin
        .take()
        .map_or(Ok(()), |mut stdin| stdin.write_all(&input));
    let mut output = Vec::new();
    let read = child.stdout.take().map_or(Ok(0), |stdout| {
        stdout.take(MAX_BYTES).read_to_end(&mut output)
    });
    let status = child.wait()?;
    written?;
    read?;
    if !status.success() {
        return Err(io::Error::other(format!("highlight helper: {status}")));
    }
    let lines: Vec<Highlighted> = serde_json::from_slice(&output).map_err(io::Error::other)?;
    if lines.len() == sources.len() {
        Ok(lines)
    } else {
        Err(io::Error::other(
            "highlight helper answered for other blocks",
        ))
    }
}

/// `lectern worker highlight`: a JSON array of Python sources in, the array of their
/// highlighted lines out. It dies with `parent`, the lecture that asked.
#[must_use]
pub fn serve(parent: u32) -> ExitCode {
    crate::os::die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
    let mut input = Vec::new();
    if io::stdin().take(MAX_BYTES).read_to_end(&mut input).is_err() {
        return ExitCode::FAILURE;
    }
    let Ok(sources) = serde_json::from_slice::<Vec<String>>(&input) else {
        return ExitCode::from(2);
    };
    let lines: Vec<Highlighted> = sources
        .iter()
        .map(|source| highlight(Some("python"), source))
        .collect();
    let mut out = io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &lines)
        .map_err(io::Error::from)
        .and_then(|()| out.flush());
    if written.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

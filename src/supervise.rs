//! Starting a child process from a thread that then waits for it, forwarding its output
//! line by line and its end. Shared by `lectern watch` and the demo runner.
//!
//! The thread matters: `PR_SET_PDEATHSIG` fires when the *thread* that created the child
//! exits, so the creating thread must live as long as the child; here it is the thread
//! blocked in `wait()`.

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Sender, bounded};

use crate::sampler::ExitInfo;

/// How long to wait for the last output lines after the child has exited (a background
/// grandchild may keep the pipes open forever).
const OUTPUT_DRAIN: Duration = Duration::from_millis(300);

/// A child's output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// The exit information of a wait status.
#[must_use]
pub fn exit_info(status: ExitStatus) -> ExitInfo {
    match (status.code(), status.signal()) {
        (Some(code), _) => ExitInfo::Code(code),
        (None, Some(signal)) => ExitInfo::Signal(signal),
        (None, None) => ExitInfo::Unknown,
    }
}

/// Called with each line the child writes (line ending removed, decoded lossily).
pub type OnLine = Arc<dyn Fn(Stream, String) -> bool + Send + Sync>;

/// Spawns `command` (whose stdout and stderr should be piped) on a thread named `name` that
/// waits for it. Each output line goes to `on_line` (which returns `false` to stop reading);
/// once it has exited and its last lines are forwarded, `on_exit` gets how it ended.
/// Returns the child's PID.
///
/// # Errors
/// If the thread or the child cannot be started.
pub fn spawn_waited(
    mut command: Command,
    name: String,
    on_line: OnLine,
    on_exit: impl FnOnce(ExitInfo) + Send + 'static,
) -> io::Result<u32> {
    let (started_tx, started_rx) = bounded::<io::Result<u32>>(1);
    std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            let mut child = match command.spawn() {
                Ok(child) => child,
                Err(err) => {
                    let _ = started_tx.send(Err(err));
                    return;
                }
            };
            let _ = started_tx.send(Ok(child.id()));
            // Each reader holds a clone of `done_tx`; when both have hit end of file the channel
            // disconnects, so the last lines are forwarded before the exit.
            let (done_tx, done_rx) = bounded::<()>(0);
            if let Some(out) = child.stdout.take() {
                forward(
                    out,
                    Stream::Stdout,
                    &name,
                    Arc::clone(&on_line),
                    done_tx.clone(),
                );
            }
            if let Some(err) = child.stderr.take() {
                forward(
                    err,
                    Stream::Stderr,
                    &name,
                    Arc::clone(&on_line),
                    done_tx.clone(),
                );
            }
            drop(done_tx);
            let exit = child.wait().map_or(ExitInfo::Unknown, exit_info);
            let _ = done_rx.recv_timeout(OUTPUT_DRAIN);
            on_exit(exit);
        })?;
    started_rx
        .recv()
        .map_err(|_| io::Error::other("the supervising thread died"))?
}

fn forward(
    pipe: impl Read + Send + 'static,
    stream: Stream,
    name: &str,
    on_line: OnLine,
    done: Sender<()>,
) {
    let spawned = std::thread::Builder::new()
        .name(format!("{name}-{stream:?}"))
        .spawn(move || {
            let _done = done;
            let mut reader = BufReader::new(pipe);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                let text = String::from_utf8_lossy(&line)
                    .trim_end_matches(['\n', '\r'])
                    .to_string();
                if !on_line(stream, text) {
                    return;
                }
                line.clear();
            }
        });
    if let Err(err) = spawned {
        eprintln!("lectern: cannot read {name}'s {stream:?}: {err}");
    }
}

#[cfg(test)]
mod tests {
    use std::process::Stdio;

    use super::*;

    #[test]
    fn lines_then_the_exit_arrive_in_order() {
        let (tx, rx) = crossbeam_channel::unbounded::<String>();
        let mut command = Command::new("sh");
        command
            .args(["-c", "echo one; echo two >&2; exit 3"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let lines = tx.clone();
        let on_line: OnLine =
            Arc::new(move |stream, line| lines.send(format!("{stream:?} {line}")).is_ok());
        spawn_waited(command, "test".into(), on_line, move |exit| {
            let _ = tx.send(format!("exit {exit:?}"));
        })
        .unwrap();
        let got: Vec<String> = rx.iter().take(3).collect();
        assert!(
            got.contains(&"Stdout one".to_string()) && got.contains(&"Stderr two".to_string()),
            "{got:?}"
        );
        assert_eq!(got[2], "exit Code(3)");
    }
}

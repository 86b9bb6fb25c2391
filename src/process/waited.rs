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

use crate::process::ExitInfo;

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
            while let Ok((read, cut)) = read_line_bounded(&mut reader, &mut line, MAX_LINE)
                && read > 0
            {
                let forwarded = if cut {
                    // Half a line is no line: say what happened instead of passing it on.
                    on_line(
                        Stream::Stderr,
                        format!(
                            "lectern: dropped a line of {read} bytes on {} (lines are limited \
                             to {} KiB)",
                            stream.name(),
                            MAX_LINE / 1024
                        ),
                    )
                } else {
                    let text = String::from_utf8_lossy(&line)
                        .trim_end_matches(['\n', '\r'])
                        .to_string();
                    on_line(stream, text)
                };
                if !forwarded {
                    return;
                }
                line.clear();
            }
        });
    if let Err(err) = spawned {
        eprintln!("lectern: cannot read {name}'s {stream:?}: {err}");
    }
}

/// The longest output line kept: a child that writes endless bytes without a newline cannot
/// grow lectern's memory.
pub const MAX_LINE: usize = 1024 * 1024;

/// Reads one line into `line` (with its newline, if any), keeping at most `max` bytes and
/// reading past the rest. Returns the bytes read (0 at end of file) and whether the line was
/// longer than `max`.
///
/// # Errors
/// What reading fails with.
pub fn read_line_bounded(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    let mut read = 0;
    let mut cut = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if buf.is_empty() {
            return Ok((read, cut));
        }
        let newline = buf.iter().position(|b| *b == b'\n');
        let chunk = newline.map_or(buf, |at| &buf[..=at]);
        let room = max.saturating_sub(line.len());
        cut |= chunk.len() > room;
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        reader.consume(used);
        read += used;
        if newline.is_some() {
            return Ok((read, cut));
        }
    }
}

impl Stream {
    /// `stdout` or `stderr`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::Stdio;

    use super::*;

    #[test]
    fn an_endless_line_is_cut_at_the_limit_and_the_next_line_still_arrives() {
        let mut input: Vec<u8> = vec![b'x'; 3000];
        input.extend_from_slice(b"\nshort\nlast");
        let mut reader = BufReader::with_capacity(64, input.as_slice());
        let mut line = Vec::new();
        assert_eq!(
            read_line_bounded(&mut reader, &mut line, 1000).unwrap(),
            (3001, true)
        );
        assert_eq!(line.len(), 1000, "never more than the limit in memory");
        line.clear();
        assert_eq!(
            read_line_bounded(&mut reader, &mut line, 1000).unwrap(),
            (6, false)
        );
        assert_eq!(line, b"short\n");
        line.clear();
        assert_eq!(
            read_line_bounded(&mut reader, &mut line, 1000).unwrap(),
            (4, false)
        );
        assert_eq!(line, b"last", "a last line without a newline counts");
        line.clear();
        assert_eq!(
            read_line_bounded(&mut reader, &mut line, 1000).unwrap(),
            (0, false)
        );
    }

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

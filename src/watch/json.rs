//! `lectern watch --json`: no terminal UI, one JSON object per line on stdout.

use std::io::{self, Write};

use serde::Serialize;

use crate::process::ExitInfo;
use crate::process::Stream;
use crate::sampler::Sample;

/// Every kind of line `--json` prints; each object has a `"type"`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record<'a> {
    /// First line: what is being watched.
    Start {
        /// The command and its arguments.
        command: Vec<String>,
        /// PID of the command (also its process group).
        pid: u32,
        /// Samples per second.
        rate_hz: u8,
    },
    /// One measurement (see [`Sample`] for the fields).
    Sample(&'a Sample),
    /// A line of the command's output.
    Output {
        /// Seconds since the start.
        t: f64,
        /// `stdout` or `stderr`.
        stream: Stream,
        /// The line.
        line: &'a str,
    },
    /// Last line: how the command ended; lectern exits with `code`.
    Exit {
        /// Seconds since the start.
        t: f64,
        /// lectern's exit status: the command's code, or 128 + the signal that killed it.
        code: u8,
        /// The signal that killed it, if one did.
        signal: Option<i32>,
        /// Whether `--seconds` ran out and lectern stopped it.
        timed_out: bool,
    },
}

impl Record<'_> {
    /// The exit record for `exit`.
    #[must_use]
    pub fn exit(t: f64, exit: ExitInfo, code: u8, timed_out: bool) -> Record<'static> {
        let signal = match exit {
            ExitInfo::Signal(signal) => Some(signal),
            _ => None,
        };
        Record::Exit {
            t,
            code,
            signal,
            timed_out,
        }
    }
}

/// Writes one record as a line. An error (a closed pipe) tells the caller to stop.
///
/// # Errors
/// If stdout cannot be written to.
pub fn emit(out: &mut impl Write, record: &Record<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_single_lines_with_a_type() {
        let mut out = Vec::new();
        let sample = Sample {
            t: 0.5,
            cores: vec![1.0, 2.0],
            total: 1.5,
            procs: vec![],
        };
        emit(&mut out, &Record::Sample(&sample)).unwrap();
        emit(
            &mut out,
            &Record::Output {
                t: 0.6,
                stream: Stream::Stderr,
                line: "a\"b",
            },
        )
        .unwrap();
        emit(&mut out, &Record::exit(1.0, ExitInfo::Signal(9), 137, true)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["type"], "sample");
        assert_eq!(lines[0]["cores"][1], 2.0);
        assert_eq!(lines[1]["stream"], "stderr");
        assert_eq!(lines[2]["type"], "exit");
        assert_eq!(lines[2]["code"], 137);
        assert_eq!(lines[2]["signal"], 9);
    }
}

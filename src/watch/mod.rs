//! `lectern watch -- CMD`: run any command in its own process group and show the gauges for
//! its process tree, full screen or as JSON lines.

mod app;
mod child;
mod json;
mod msg;
mod view;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};

pub use app::{WatchApp, WatchEffect};
pub use child::{Running, TERM_GRACE, exit_code};
pub use json::{Record, emit};

pub use msg::Msg;
pub use view::{plan, render};

use crate::input::{listen_for_signals, spawn_input_reader};
use crate::process::{ExitInfo, signal_name};
use crate::sampler::{Command, Sampler, Woke};
use crate::terminal::ExitReason;
use crate::terminal::TerminalSession;
use crate::theme::Theme;

/// What to watch and how.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The command and its arguments.
    pub command: Vec<OsString>,
    /// Samples per second.
    pub rate_hz: u8,
    /// Stop the command after this long.
    pub seconds: Option<Duration>,
    /// JSON lines instead of the full-screen view.
    pub json: bool,
    /// Leave the full-screen view as soon as the command ends.
    pub exit_at_end: bool,
    /// Styles for the full-screen view.
    pub theme: Theme,
}

/// How a watch ended, for the exit status and the closing message.
struct Outcome {
    exit: ExitInfo,
    /// Set when lectern stopped the command (quit, signal, time limit).
    stopped_by: Option<String>,
    elapsed: Duration,
}

/// Runs `lectern watch`; the exit status is the command's (128 + signal if one killed it).
#[must_use]
pub fn run(options: &WatchOptions) -> ExitCode {
    if !options.json && !io::stdout().is_terminal() {
        eprintln!(
            "lectern watch: standard output is not a terminal; add --json for one JSON object \
             per sample instead of the full-screen view"
        );
        return ExitCode::from(2);
    }
    match watch(options) {
        Ok(outcome) => {
            if !options.json {
                eprintln!("{}", summary(options, &outcome));
            }
            ExitCode::from(exit_code(outcome.exit))
        }
        Err(err) => {
            eprintln!("lectern watch: {err}");
            ExitCode::from(1)
        }
    }
}

fn watch(options: &WatchOptions) -> io::Result<Outcome> {
    let (tx, rx) = channel();
    let signals = listen_for_signals(tx.clone())?;
    let started = Instant::now();
    let mut sampler = Sampler::new(options.rate_hz);
    let running = child::start(&options.command, tx.clone())?;
    sampler.send(Command::TrackTree {
        pid: running.pid,
        label: None,
    });
    sampler.send(Command::TrackSelf {
        pid: std::process::id(),
        label: "lectern watch".into(),
    });
    let deadline = options.seconds.map(|s| started + s);
    let outcome = if options.json {
        json_loop(options, running, &rx, &mut sampler, started, deadline)
    } else {
        let mut session = TerminalSession::enter()?;
        spawn_input_reader(tx)?;
        let size = session.terminal.size()?;
        let mut app = WatchApp::new(
            command_line(options),
            running.pid,
            options.theme.clone(),
            options.rate_hz,
            size,
            started,
        );
        app.deadline = deadline;
        app.exit_at_end = options.exit_at_end;
        let outcome = tui_loop(&mut app, &mut session, running, &rx, &mut sampler, deadline);
        drop(session);
        // The view is gone: leave the command's output where the user can read it.
        print_output(&app);
        outcome
    };
    signals.close();
    drop(sampler);
    outcome
}

/// The command as a shell would need it typed: arguments with spaces or shell characters in
/// single quotes.
fn command_line(options: &WatchOptions) -> String {
    options
        .command
        .iter()
        .map(|a| shell_quote(&a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `arg` quoted for a POSIX shell when it needs to be.
#[must_use]
pub fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if plain {
        arg.to_string()
    } else if !arg.contains('\'') {
        format!("'{arg}'")
    } else if !arg.contains(['"', '$', '`', '\\', '!']) {
        format!("\"{arg}\"")
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Prints what the command wrote (the lines the view kept), stdout to stdout and stderr to
/// stderr, after the full-screen view has closed.
fn print_output(app: &WatchApp) {
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    if app.output_dropped > 0 {
        let _ = writeln!(
            err,
            "lectern watch: {} earlier output lines were not kept",
            app.output_dropped
        );
    }
    for (stream, line) in &app.output {
        let _ = match stream {
            crate::process::Stream::Stdout => writeln!(out, "{line}"),
            crate::process::Stream::Stderr => writeln!(err, "{line}"),
        };
    }
    let _ = out.flush();
}

/// Waits for the next message or sample (taken here), or `None` when the time limit has run
/// out.
fn next(
    rx: &Receiver<Msg>,
    sampler: &mut Sampler,
    deadline: Option<Instant>,
) -> Result<Option<Msg>, RecvTimeoutError> {
    match sampler.wait(rx, deadline) {
        Woke::Message(msg) => Ok(Some(msg)),
        Woke::Sample(sample) => Ok(Some(Msg::Sample(sample))),
        Woke::TimedOut => Ok(None),
        Woke::Disconnected => Err(RecvTimeoutError::Disconnected),
    }
}

fn json_loop(
    options: &WatchOptions,
    running: Running,
    rx: &Receiver<Msg>,
    sampler: &mut Sampler,
    started: Instant,
    deadline: Option<Instant>,
) -> io::Result<Outcome> {
    let mut out = io::stdout().lock();
    let command = options
        .command
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let t = || started.elapsed().as_secs_f64();
    let write = |out: &mut io::StdoutLock<'_>, msg: &Msg| -> io::Result<()> {
        match msg {
            Msg::Sample(sample) => emit(out, &Record::Sample(sample)),
            Msg::Output { stream, line } => emit(
                out,
                &Record::Output {
                    t: t(),
                    stream: *stream,
                    line,
                },
            ),
            _ => Ok(()),
        }
    };
    emit(
        &mut out,
        &Record::Start {
            command,
            pid: running.pid,
            rate_hz: options.rate_hz,
        },
    )?;
    let (exit, stopped_by) = loop {
        let stop_because = match next(rx, sampler, deadline) {
            Ok(None) => "the time limit (--seconds)".to_string(),
            Ok(Some(Msg::Exited(exit))) => break (exit, None),
            Ok(Some(Msg::Signal(signal))) => signal_name(signal),
            Ok(Some(msg)) => match write(&mut out, &msg) {
                Ok(()) => continue,
                // The reader went away (`| head`): stop the command rather than run blind.
                Err(_) => "a closed output pipe".to_string(),
            },
            Err(_) => "an internal error".to_string(),
        };
        let exit = child::stop(running, rx, sampler, |msg| {
            let _ = write(&mut out, &msg);
        });
        break (exit, Some(stop_because));
    };
    running.signal_group(nix::sys::signal::Signal::SIGKILL);
    let timed_out = stopped_by.as_deref() == Some("the time limit (--seconds)");
    let _ = emit(
        &mut out,
        &Record::exit(t(), exit, exit_code(exit), timed_out),
    );
    let _ = out.flush();
    Ok(Outcome {
        exit,
        stopped_by,
        elapsed: started.elapsed(),
    })
}

fn tui_loop(
    app: &mut WatchApp,
    session: &mut TerminalSession,
    running: Running,
    rx: &Receiver<Msg>,
    sampler: &mut Sampler,
    deadline: Option<Instant>,
) -> io::Result<Outcome> {
    draw(app, session)?;
    let mut hangup = crate::terminal::HangupCheck::default();
    loop {
        // Once the command has ended there is nothing left to time out.
        let deadline = if app.ended.is_some() { None } else { deadline };
        let first = match next(rx, sampler, deadline) {
            Ok(Some(msg)) => msg,
            Ok(None) => {
                return Ok(stop(
                    app,
                    running,
                    rx,
                    sampler,
                    "the time limit (--seconds)",
                ));
            }
            Err(_) => return Ok(stop(app, running, rx, sampler, "an internal error")),
        };
        let mut redraw = false;
        if hangup.hung_up(Instant::now()) {
            if let Some((exit, _)) = app.ended {
                return Ok(ended(app, exit));
            }
            return Ok(stop(app, running, rx, sampler, "the terminal closing"));
        }
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            if let Msg::Resize(width, height) = msg {
                session.resize(width, height)?;
            }
            for effect in app.update(msg, Instant::now()) {
                match effect {
                    WatchEffect::Redraw => redraw = true,
                    WatchEffect::Finished(exit) => {
                        sampler.send(Command::Exited {
                            pid: running.pid,
                            exit,
                            lived: None,
                        });
                        running.signal_group(nix::sys::signal::Signal::SIGKILL);
                        return Ok(Outcome {
                            exit,
                            stopped_by: None,
                            elapsed: app.elapsed(),
                        });
                    }
                    WatchEffect::Ended(exit) => {
                        sampler.send(Command::Exited {
                            pid: running.pid,
                            exit,
                            lived: None,
                        });
                        // Anything the command left running in its group goes now.
                        running.signal_group(nix::sys::signal::Signal::SIGKILL);
                    }
                    WatchEffect::Leave => {
                        if let Some((exit, _)) = app.ended {
                            return Ok(ended(app, exit));
                        }
                    }
                    WatchEffect::Stop(_) if app.ended.is_some() => {
                        if let Some((exit, _)) = app.ended {
                            return Ok(ended(app, exit));
                        }
                    }
                    WatchEffect::Stop(reason) => {
                        let why = match reason {
                            ExitReason::User => "you".to_string(),
                            ExitReason::Signal(signal) => signal_name(signal),
                            ExitReason::Error(message) => message,
                        };
                        return Ok(stop(app, running, rx, sampler, &why));
                    }
                }
            }
        }
        if redraw && let Err(err) = draw(app, session) {
            // A window closed between two checks: the write is what noticed.
            if crate::terminal::hung_up() {
                if let Some((exit, _)) = app.ended {
                    return Ok(ended(app, exit));
                }
                return Ok(stop(app, running, rx, sampler, "the terminal closing"));
            }
            return Err(err);
        }
    }
}

/// Draws what changed since the last frame.
fn draw(app: &WatchApp, session: &mut TerminalSession) -> io::Result<()> {
    let area = session.area();
    session.draw(&plan(app, area))
}

/// The outcome of a command that ended by itself.
fn ended(app: &WatchApp, exit: ExitInfo) -> Outcome {
    Outcome {
        exit,
        stopped_by: None,
        elapsed: app.elapsed(),
    }
}

fn stop(
    app: &mut WatchApp,
    running: Running,
    rx: &Receiver<Msg>,
    sampler: &mut Sampler,
    why: &str,
) -> Outcome {
    let exit = child::stop(running, rx, sampler, |_| {});
    Outcome {
        exit,
        stopped_by: Some(why.to_string()),
        elapsed: app.now.saturating_duration_since(app.started),
    }
}

fn summary(options: &WatchOptions, outcome: &Outcome) -> String {
    let command = command_line(options);
    let secs = outcome.elapsed.as_secs_f64();
    match &outcome.stopped_by {
        Some(who) => format!(
            "lectern watch: stopped `{command}` after {secs:.1} s because of {who}; it ended with {}",
            outcome.exit.describe()
        ),
        None => format!(
            "lectern watch: `{command}` ended with {} after {secs:.1} s",
            outcome.exit.describe()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn arguments_are_quoted_as_they_would_be_typed() {
        assert_eq!(shell_quote("python3"), "python3");
        assert_eq!(shell_quote("-c"), "-c");
        assert_eq!(
            shell_quote("print(6 * 7, 'RESULT')"),
            "\"print(6 * 7, 'RESULT')\""
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's $HOME"), "'it'\\''s $HOME'");
        assert_eq!(shell_quote(""), "''");
    }
}

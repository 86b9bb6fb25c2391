//! `lectern presenter`: the speaker's screen beside `lectern present`. It follows the room
//! over the link (see [`crate::link`]), sends its keys there, and keeps going on its own
//! when the room's screen goes.

mod app;
mod room_questions;
mod view;

use std::io::{self, IsTerminal};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Instant;

pub use app::{LinkState, PresenterApp, PresenterEffect, PresenterMsg};
pub use view::render;

#[cfg(test)]
mod tests;

use crate::input::{listen_for_signals, spawn_input_reader};
use crate::lesson;
use crate::link::dir::{live_sessions, runtime_dir};
use crate::link::{LessonRef, ScreenLink};
use crate::terminal::ExitReason;
use crate::terminal::TerminalSession;
use crate::theme::Theme;

/// Runs the presenter screen for session `name` (or the only lecture being presented).
#[must_use]
pub fn run(name: Option<String>, theme: Theme) -> ExitCode {
    if !io::stdout().is_terminal() {
        eprintln!("lectern presenter: standard output is not a terminal; run it in one");
        return ExitCode::from(2);
    }
    let dir = match runtime_dir() {
        Ok(dir) => dir,
        Err(err) => {
            eprintln!("lectern presenter: {err}");
            return ExitCode::from(2);
        }
    };
    if name.is_none() {
        let live = live_sessions(&dir);
        if live.len() > 1 {
            eprintln!(
                "lectern presenter: {} lectures are being presented on this machine; choose \
                 one with --name: {}",
                live.len(),
                live.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    match present(dir, name, theme) {
        Ok(ExitReason::Error(message)) => {
            eprintln!("lectern presenter: {message}");
            ExitCode::FAILURE
        }
        Ok(reason) => ExitCode::from(reason.exit_code()),
        Err(err) => {
            eprintln!("lectern presenter: {err}");
            ExitCode::FAILURE
        }
    }
}

fn present(dir: std::path::PathBuf, name: Option<String>, theme: Theme) -> io::Result<ExitReason> {
    let (tx, rx) = channel();
    let signals = listen_for_signals(tx.clone())?;
    let mut session = TerminalSession::enter()?;
    spawn_input_reader(tx.clone())?;
    let link = ScreenLink::start(dir, name, move |from| {
        tx.send(PresenterMsg::Room(from)).is_ok()
    })?;
    let size = session.terminal.size()?;
    let mut app = PresenterApp::new(theme, size, Instant::now());
    let reason = event_loop(&mut app, &mut session, &rx, &link);
    signals.close();
    drop(session);
    reason
}

fn event_loop(
    app: &mut PresenterApp,
    session: &mut TerminalSession,
    rx: &Receiver<PresenterMsg>,
    link: &ScreenLink,
) -> io::Result<ExitReason> {
    session.terminal.draw(|frame| render(app, frame))?;
    loop {
        let first = match rx.recv_timeout(app.next_wakeup()) {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => PresenterMsg::Tick,
            Err(RecvTimeoutError::Disconnected) => {
                return Ok(ExitReason::Error("every input source stopped".into()));
            }
        };
        if crate::terminal::hung_up() {
            return Ok(ExitReason::Signal(signal_hook::consts::SIGHUP));
        }
        let mut redraw = false;
        let mut queue: Vec<PresenterMsg> = std::iter::once(first).chain(rx.try_iter()).collect();
        while !queue.is_empty() {
            let msg = queue.remove(0);
            if let PresenterMsg::Resize(width, height) = msg {
                session.resize(width, height)?;
            }
            for effect in app.update(msg, Instant::now()) {
                match effect {
                    PresenterEffect::Redraw => redraw = true,
                    PresenterEffect::Send(message) => {
                        if !link.send(&message) {
                            app.status = Some("The key did not reach the room's screen.".into());
                        }
                    }
                    PresenterEffect::Load(lesson) => {
                        queue.push(PresenterMsg::Lesson(load(&lesson)));
                    }
                    PresenterEffect::Quit(reason) => return Ok(reason),
                }
            }
        }
        if redraw {
            session.terminal.draw(|frame| render(app, frame))?;
            let max = view::notes_max_scroll(app);
            if max != app.notes_max {
                app.update(PresenterMsg::NotesMax(max), Instant::now());
            }
        }
    }
}

/// The room's lesson, parsed here so its notes and next slide can be laid out for this
/// screen's width.
fn load(lesson: &LessonRef) -> Result<Box<lesson::Lesson>, String> {
    let loaded = match lesson {
        LessonRef::Embedded => lesson::embedded(),
        LessonRef::File(path) => lesson::load(path),
    };
    loaded
        .map(|(lesson, _)| Box::new(lesson))
        .map_err(|err| err.to_string())
}

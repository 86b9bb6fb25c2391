//! The event loop: one channel in, `update` → effects → draw when something changed. A
//! script, when there is one, is asked after every change how far it can get; its keys go
//! through `update` like typed ones.

use std::io;
use std::time::Instant;

use signal_hook::consts::SIGHUP;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::class_link::{ClassLink, ClassSetup};
use super::code_editor;
use super::demo_processes::Demos;
use super::highlight_helper;
use super::layout_tracker::LayoutTracker;
use super::lesson_watch;
use super::outputs::{ScreenOptions, Screens};
use super::session_file::SessionOptions;
use super::state_files::StateFiles;
use super::tour::ScriptRunner;
use crate::demo_runtime::launch::{Engines, EnginesAt};
use crate::input::{InputGate, listen_for_signals, spawn_input_reader};
use crate::lecture::App;
use crate::lecture::msg::{Effect, Msg};
use crate::link::{LessonRef, LinkEvent, RoomLink};
use crate::resolved::ResolvedLesson;
use crate::sampler::{Command, Sampler, Woke};
use crate::script::Script;
use crate::terminal::ExitReason;
use crate::terminal::TerminalSession;
use crate::theme::Theme;

/// How lectern's own process is labelled in the gauges.
pub const UI_LABEL: &str = "lectern UI";

/// What to present, and how.
pub struct PresentOptions {
    /// The lecture, its demos and claims resolved.
    pub lesson: ResolvedLesson,
    /// Colours.
    pub theme: Theme,
    /// The first slide (0-based).
    pub start: usize,
    /// Gauge samples per second.
    pub rate_hz: u8,
    /// Which engines can run demos, or the thread finding out.
    pub engines: EnginesAt,
    /// Fixed size and recording.
    pub screen: ScreenOptions,
    /// A script to run, if any.
    pub script: Option<Script>,
    /// Draw into memory only: there is no terminal (a scripted recording in CI). Needs
    /// `screen.fixed`.
    pub headless: bool,
    /// Listen for presenter screens (`lectern present`).
    pub link: Option<LinkOptions>,
    /// Where `w` writes the handout with this session's verdicts.
    pub handout: std::path::PathBuf,
    /// Where this session is saved and what to do with a saved one; `None` for a scripted
    /// tour, which must come out the same every time.
    pub session: Option<SessionOptions>,
    /// How many runs of each claim's demo the verdicts' Enter makes.
    pub verdict_runs: usize,
    /// Start in learn mode (`--learn`).
    pub learn: bool,
    /// Captions from the slides' notes (`--captions notes`), and the keys pressed shown
    /// (`--show-keys`): aids for a recording's viewers.
    pub aids: (bool, bool),
    /// A class this lecture takes part in: as the room, or as a student.
    pub class: Option<ClassSetup>,
    /// The lesson's file, to reload when it is saved (`None`: the built-in lecture, or a
    /// script, which must come out the same every time).
    pub watch: Option<std::path::PathBuf>,
}

/// How the room listens for presenter screens.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// The session's name.
    pub name: String,
    /// Whether the user chose the name (then a taken name is an error, not `NAME-2`).
    pub explicit: bool,
    /// The lesson, so presenter screens can lay out its notes.
    pub lesson: LessonRef,
}

/// Presents the lesson from its start slide until the user (or the script) quits, a signal
/// arrives or input fails. The terminal is restored and the recording closed before this
/// returns.
///
/// # Errors
/// Any I/O error from setting up or drawing on the terminal, or from recording.
pub fn present(options: PresentOptions) -> io::Result<ExitReason> {
    let source_hash = options.lesson.source_hash;
    // Per-core parameter defaults read the core count from files: do it now, not while drawing.
    let _ = crate::demo_runtime::params::cores();
    // Signals first: a SIGTERM during start-up must still restore the terminal.
    let (tx, rx) = channel();
    let signals = listen_for_signals(tx.clone())?;
    // Before the screen changes, so a taken name is a plain error message.
    let link = open_link(options.link.as_ref(), &tx)?;
    let (tty, window, gate) = open_terminal(&options, &tx)?;
    let mut screen_options = options.screen.clone();
    screen_options.keep_text = options.script.is_some() || options.headless;
    let mut screens = Screens::new(
        tty,
        window,
        &screen_options,
        &options.lesson.lesson.meta.title,
    )?;
    let mut sampler = Sampler::new(options.rate_hz);
    sampler.send(Command::TrackSelf {
        pid: std::process::id(),
        label: UI_LABEL.into(),
    });
    let mut app = App::new(
        options.lesson,
        options.theme,
        options.start,
        screens.app_size(),
        Instant::now(),
    );
    // What the command line chose for the verdicts' rounds and learn mode.
    (app.verdicts.wanted, app.learn.on) = (options.verdict_runs.max(1), options.learn);
    (app.aids.captions_from_notes, app.aids.show_keys) = options.aids;
    let mut engines = None;
    let mut probe = None;
    match options.engines {
        EnginesAt::Ready(ready) => {
            app.update(Msg::Engines(Box::new(ready.clone())), Instant::now());
            engines = Some(ready);
        }
        probing @ EnginesAt::Probing(_) => probe = Some(probing),
    }
    // The class first: a session taken back at once brings its class's results into it.
    // Dropped as the lecture ends, which stops the thread; a script's lesson is not watched.
    let (class, _watch) = class_and_watch(
        (options.class, options.watch, options.script.is_some()),
        source_hash,
        &mut app,
        &tx,
    )?;
    let state = StateFiles::open(options.session.as_ref(), &mut app);
    if let Some(link) = &link {
        app.status = Some(format!(
            "Presenter screen: lectern presenter --name {}",
            link.name()
        ));
    }
    // An interactive lecture keeps tree-sitter out of its memory; a recording or a script
    // highlights here, so every frame (the first included) has its colours.
    let highlight_here = screen_options.keep_text || screen_options.record.is_some();
    if !highlight_here {
        crate::lesson::highlight::highlight_elsewhere();
    }
    let mut layout = LayoutTracker::default();
    layout.refresh(&mut app, false);
    screens.draw(&app, &[])?;
    if !highlight_here {
        highlight_helper::start(&app.lesson, tx.clone());
    }
    let mut demos = Demos::new(
        tx,
        &mut sampler,
        engines.unwrap_or_else(Engines::native_only),
        probe,
    );
    let mut session = Session {
        app: &mut app,
        screens: &mut screens,
        demos: &mut demos,
        layout: &mut layout,
        script: options.script.map(ScriptRunner::new),
        tty: !options.headless,
        link,
        handout: options.handout,
        hangup: crate::terminal::HangupCheck::default(),
        state,
        gate,
        highlight_elsewhere: !highlight_here,
        class,
    };
    let reason = session.event_loop(&rx);
    std::mem::take(&mut session.state).finish(session.app, Instant::now());
    demos.kill_all();
    if matches!(reason, Ok(ExitReason::Signal(SIGHUP))) || crate::terminal::hung_up() {
        crate::os::silence_stderr();
    }
    signals.close();
    drop(sampler);
    // Without a terminal, the last frame goes to stdout as text: a CI log shows where the
    // tour ended (and what was on screen when a step failed).
    let last_frame = options.headless.then(|| screens.text().to_string());
    screens.finish()?;
    if let Some(text) = last_frame {
        print!("{text}");
    }
    reason
}

/// Listens for presenter screens, when asked to; their events come in as [`Msg::Link`].
fn open_link(link: Option<&LinkOptions>, tx: &Sender<Msg>) -> io::Result<Option<RoomLink>> {
    let Some(link) = link else {
        return Ok(None);
    };
    let dir = crate::link::dir::runtime_dir().map_err(io::Error::other)?;
    let link_tx = tx.clone();
    RoomLink::open(
        &dir,
        &link.name,
        link.explicit,
        link.lesson.clone(),
        move |event| {
            let _ = link_tx.send(Msg::Link(event));
        },
    )
    .map(Some)
    .map_err(io::Error::other)
}

/// The class the lecture takes part in, and the watch on its lesson file (which stops when
/// dropped; a script's lesson is not watched).
fn class_and_watch(
    (class, watch, scripted): (Option<ClassSetup>, Option<std::path::PathBuf>, bool),
    source_hash: u64,
    app: &mut App,
    tx: &Sender<Msg>,
) -> io::Result<(Option<ClassLink>, Option<lesson_watch::LessonWatch>)> {
    let lesson_id = match watch {
        None => crate::classroom::frames::BUILT_IN.to_string(),
        Some(_) => crate::lesson::version(source_hash),
    };
    let class = class
        .map(|setup| ClassLink::start(setup, app, lesson_id, tx.clone()))
        .transpose()?;
    let watched = watch.filter(|_| !scripted);
    let watching = watched
        .map(|path| lesson_watch::start(path, &app.lesson, tx.clone()))
        .transpose()?;
    Ok((class, watching))
}

/// The terminal (none when headless), the window's size, and the gate that pauses its
/// input (none for a script, which never opens an editor: it would wait for a person).
fn open_terminal(
    options: &PresentOptions,
    tx: &Sender<Msg>,
) -> io::Result<(
    Option<TerminalSession>,
    ratatui::layout::Size,
    Option<InputGate>,
)> {
    if options.headless {
        let size = options.screen.fixed.ok_or_else(|| {
            io::Error::other("drawing without a terminal needs a size (--size COLSxROWS)")
        })?;
        return Ok((None, size, None));
    }
    let session = TerminalSession::enter()?;
    let gate = spawn_input_reader(tx.clone())?;
    let window = session.terminal.size()?;
    Ok((
        Some(session),
        window,
        Some(gate).filter(|_| options.script.is_none()),
    ))
}

/// Everything the loop works on.
struct Session<'a, 'b> {
    app: &'a mut App,
    screens: &'a mut Screens,
    demos: &'a mut Demos<'b>,
    layout: &'a mut LayoutTracker,
    script: Option<ScriptRunner>,
    tty: bool,
    /// Presenter screens, when the room listens for them.
    link: Option<RoomLink>,
    /// Where `w` writes the handout.
    handout: std::path::PathBuf,
    /// Whether the terminal has hung up, asked at most once a second.
    hangup: crate::terminal::HangupCheck,
    /// The session, run times and progress kept on this machine, if anywhere.
    state: StateFiles,
    /// Pauses terminal input while an editor has the terminal; `None` without a terminal
    /// or during a script.
    gate: Option<InputGate>,
    /// Whether code is highlighted by the helper process (an interactive lecture).
    highlight_elsewhere: bool,
    /// The class this lecture takes part in, if any.
    class: Option<ClassLink>,
}

/// What handling a message asks of the loop.
enum Next {
    Continue { redraw: bool },
    Quit(ExitReason),
}

/// Most queued messages folded in before a frame is drawn.
const MAX_BATCH: usize = 2000;

impl Session<'_, '_> {
    fn event_loop(&mut self, rx: &Receiver<Msg>) -> io::Result<ExitReason> {
        let mut markers = Vec::new();
        let mut deadline = None;
        if let Some(reason) = self.run_script(&mut markers, &mut deadline)? {
            return Ok(reason);
        }
        loop {
            // Sleep until a message arrives, a sample is due, the timer's second ticks over or
            // the script's deadline comes: no frame tick. Samples are taken on this thread,
            // so a tick wakes one thread.
            let now = Instant::now();
            let until = [self.app.next_wakeup(now).map(|wait| now + wait), deadline]
                .into_iter()
                .flatten()
                .min();
            let first = match self.demos.sampler.wait(rx, until) {
                Woke::Message(msg) => msg,
                Woke::Sample(sample) => Msg::Sample(sample),
                Woke::TimedOut => Msg::Tick,
                Woke::Disconnected => return Ok(disconnected()),
            };
            // One ioctl a second at most; samples guarantee a wake-up at least every second.
            if self.tty && self.hangup.hung_up(now) {
                return Ok(ExitReason::Signal(SIGHUP));
            }
            let mut redraw = false;
            let mut saved_state_moved = false;
            // Fold what is already queued into the state before drawing once — but no more
            // than a batch, so a flood of demo events cannot hold the next frame back.
            for msg in std::iter::once(first).chain(rx.try_iter().take(MAX_BATCH)) {
                saved_state_moved |= moves_saved_state(&msg);
                match self.handle(msg)? {
                    Next::Quit(reason) => return Ok(reason),
                    Next::Continue { redraw: r } => redraw |= r,
                }
            }
            self.state.save(self.app, saved_state_moved, now);
            if redraw {
                if let Err(err) = self.screens.draw(self.app, &markers) {
                    // A window closed between two checks: the write is what noticed.
                    if self.tty && crate::terminal::hung_up() {
                        return Ok(ExitReason::Signal(SIGHUP));
                    }
                    return Err(err);
                }
                markers.clear();
            }
            // After the frame: the room's own screen first, then the class.
            if let Some(class) = &mut self.class {
                class.after_batch(self.app);
            }
            self.tell_presenters();
            if let Some(reason) = self.run_script(&mut markers, &mut deadline)? {
                return Ok(reason);
            }
        }
    }

    /// Lets the script go as far as it can: its keys are handled (and drawn) one step at a
    /// time, so each wait sees the screen its keys produced.
    fn run_script(
        &mut self,
        markers: &mut Vec<String>,
        deadline: &mut Option<Instant>,
    ) -> io::Result<Option<ExitReason>> {
        // Out of `self` while it runs, so that its keys can go through `handle`.
        let Some(mut runner) = self.script.take() else {
            return Ok(None);
        };
        let outcome = self.advance_script(&mut runner, markers, deadline);
        self.script = Some(runner);
        outcome
    }

    fn advance_script(
        &mut self,
        runner: &mut ScriptRunner,
        markers: &mut Vec<String>,
        deadline: &mut Option<Instant>,
    ) -> io::Result<Option<ExitReason>> {
        loop {
            let advance = runner.advance(self.app, self.screens.text(), Instant::now());
            markers.extend(advance.markers);
            *deadline = advance.deadline;
            if let Some(ended) = advance.ended {
                // The last frame, with any marker the script left, before leaving.
                self.screens.draw(self.app, markers)?;
                return Ok(Some(match ended {
                    Ok(()) => ExitReason::User,
                    Err(err) => ExitReason::Error(err.to_string()),
                }));
            }
            if advance.msgs.is_empty() {
                return Ok(None);
            }
            let mut redraw = false;
            for msg in advance.msgs {
                match self.handle(msg)? {
                    Next::Quit(reason) => return Ok(Some(reason)),
                    Next::Continue { redraw: r } => redraw |= r,
                }
            }
            if redraw {
                self.screens.draw(self.app, markers)?;
                markers.clear();
            }
            self.tell_presenters();
        }
    }

    /// Lends the terminal to the learner's editor on `code` (this thread waits for it: the
    /// editor has the screen and the keys), then says what was saved. Demos and the sampler
    /// go on meanwhile; their messages wait in the channel.
    fn edit_code(&mut self, slide: usize, code: &str) {
        let outcome = match &self.gate {
            None => Err("editing needs a terminal (not --headless, not a script)".to_string()),
            Some(gate) => {
                gate.pause();
                let editor = code_editor::chosen_editor();
                let lent = self
                    .screens
                    .lend(|| code_editor::edit(code, slide + 1, editor));
                gate.resume();
                match lent {
                    Ok(Some(outcome)) => outcome,
                    Ok(None) => Err("no terminal to edit in".into()),
                    Err(err) => Err(format!("the terminal could not be taken back: {err}")),
                }
            }
        };
        let _ = self.demos.tx.send(Msg::CodeEdited { slide, outcome });
        // The window may have changed size while the editor had it.
        if let Ok((width, height)) = crossterm::terminal::size() {
            let _ = self.demos.tx.send(Msg::Resize(width, height));
        }
    }

    /// Writes the handout with this session's verdicts on a thread of its own (a slow disk
    /// must not hold the lecture up); [`Msg::HandoutWritten`] says how it went.
    fn write_handout(&self) {
        let lesson = self.app.lesson.clone();
        let mut results = self.app.verdicts.results();
        // The room's handout keeps what its class predicted and measured.
        let class: Vec<(usize, String, Vec<String>)> = self
            .app
            .verdicts
            .claims
            .iter()
            .map(|claim| {
                let said = crate::lecture::view::demo_panel::class_results::said(self.app, claim);
                let lines = said
                    .into_iter()
                    .map(|(label, text)| label + &text)
                    .collect();
                (claim.slide, claim.text.clone(), lines)
            })
            .filter(|(_, _, lines): &(usize, String, Vec<String>)| !lines.is_empty())
            .collect();
        results = results.with_class(class);
        // A learner's handout keeps what they predicted beside what was measured.
        if self.app.learn.on {
            let asked = self.app.verdicts.claims.iter();
            let asked = asked.filter(|c| c.question.is_some()).count();
            results = results.with_predictions(self.state.answers(self.app), asked);
        }
        let out = self.handout.clone();
        let tx = self.demos.tx.clone();
        let spawned = std::thread::Builder::new()
            .name("handout".into())
            .spawn(move || {
                let outcome = crate::export::write_session(&lesson, &results, &out);
                let _ = tx.send(Msg::HandoutWritten(outcome));
            });
        if let Err(err) = spawned {
            let _ = self.demos.tx.send(Msg::HandoutWritten(Err(format!(
                "no thread to write it: {err}"
            ))));
        }
    }

    /// Sends the room's state to presenter screens (the link sends only what changed).
    fn tell_presenters(&mut self) {
        if let Some(link) = &mut self.link {
            link.publish(self.app.room_state(), self.app.now);
        }
    }

    /// Feeds one message to the app and performs its effects.
    fn handle(&mut self, msg: Msg) -> io::Result<Next> {
        let msg = match msg {
            // The window's size is the screen's business; the app gets the size it draws at.
            Msg::Resize(width, height) => match self.screens.window_resized(width, height)? {
                Some(size) => Msg::Resize(size.width, size.height),
                None => return Ok(Next::Continue { redraw: true }),
            },
            other => other,
        };
        // CPython is looked for after the first frame; a key (which may start a demo) waits
        // for the answer, anything else takes it once it is there.
        let input = matches!(
            msg,
            Msg::Key(_) | Msg::Mouse(_) | Msg::Link(LinkEvent::Key(_))
        );
        if let Some(engines) = self.demos.settle_engines(input) {
            self.app
                .update(Msg::Engines(Box::new(engines)), Instant::now());
        }
        // The gauges learn how a demo's first process ended from the loop that started it.
        if let Msg::DemoExited { run, exit } = &msg {
            self.demos.exited(*run, *exit);
        }
        if let Msg::SnippetExited { run, exit } = &msg {
            self.demos.snippet_exited(*run, *exit);
        }
        if let (Msg::Link(LinkEvent::Joined), Some(link)) = (&msg, &mut self.link) {
            link.resend();
        }
        let sample = matches!(msg, Msg::Sample(_));
        let mut redraw = false;
        for effect in self.app.update(msg, Instant::now()) {
            match effect {
                Effect::Redraw => redraw = true,
                Effect::Quit(reason) => return Ok(Next::Quit(reason)),
                Effect::StartDemo {
                    run,
                    request,
                    engine,
                    interpreter,
                } => self.demos.start(run, &request, (engine, interpreter)),
                Effect::StopDemo { run } => self.demos.stop(run),
                Effect::StartSnippet { run, code } => self.demos.start_snippet(run, &code),
                Effect::StopSnippet { run } => self.demos.stop_snippet(run),
                Effect::Sampler(command) => self.demos.sampler.send(command),
                Effect::ForgetRun { run } => self.demos.forget(run),
                Effect::WriteHandout => self.write_handout(),
                Effect::EditCode { slide, code } => self.edit_code(slide, &code),
                Effect::HighlightLesson if self.highlight_elsewhere => {
                    highlight_helper::start(&self.app.lesson, self.demos.tx.clone());
                }
                Effect::HighlightLesson => {}
            }
        }
        self.layout.refresh(self.app, sample);
        Ok(Next::Continue { redraw })
    }
}

/// Whether handling `msg` can change what a saved session holds (the slide, the timer, a
/// finished run, a measurement): samples, demo events and layouts never do.
fn moves_saved_state(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Key(_)
            | Msg::Mouse(_)
            | Msg::Link(_)
            | Msg::DemoExited { .. }
            | Msg::Class(crate::classroom::ClassEvent::Said { .. })
    )
}

fn disconnected() -> ExitReason {
    ExitReason::Error("every input source stopped".into())
}

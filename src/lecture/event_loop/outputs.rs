//! Where frames go: the terminal (filling it, or at a fixed `--size` centred in it), a
//! recording, and an in-memory copy that scripts read — or, with no terminal at all, only the
//! last two. `render(&App)` runs once per frame whatever the number of outputs.

use std::io;
use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::markers::MarkerTracker;
use crate::lecture::App;
use crate::lecture::view::{plan, render};
use crate::record::Recorder;
use crate::terminal::TerminalSession;
use crate::ui::buffers::{blit, text_of};

/// How lectern draws this session.
#[derive(Debug, Clone, Default)]
pub struct ScreenOptions {
    /// Draw at this size whatever the window's size (`--size`).
    pub fixed: Option<Size>,
    /// Record into this file (`--record`).
    pub record: Option<std::path::PathBuf>,
    /// Keep the latest frame's text for a script's `wait text`.
    pub keep_text: bool,
}

/// Every output of a session.
pub struct Screens {
    tty: Option<TerminalSession>,
    window: Size,
    fixed: Option<Size>,
    /// Renders the frame once when it goes to more than the terminal, or to no terminal.
    memory: Option<Terminal<TestBackend>>,
    /// The recording, and what it has marked so far.
    recorder: Option<(Recorder, MarkerTracker)>,
    keep_text: bool,
    text: String,
}

impl Screens {
    /// Outputs for a session on `tty` (or none: headless), whose window is `window`.
    ///
    /// # Errors
    /// If the recording cannot be created.
    pub fn new(
        tty: Option<TerminalSession>,
        window: Size,
        options: &ScreenOptions,
        title: &str,
    ) -> io::Result<Self> {
        let size = options.fixed.unwrap_or(window);
        let recorder = match &options.record {
            Some(path) => Some((
                create_recorder(path, size, title)?,
                MarkerTracker::default(),
            )),
            None => None,
        };
        let needs_memory =
            tty.is_none() || options.fixed.is_some() || recorder.is_some() || options.keep_text;
        let memory = if needs_memory {
            let Ok(terminal) = Terminal::new(TestBackend::new(size.width, size.height));
            Some(terminal)
        } else {
            None
        };
        Ok(Self {
            tty,
            window,
            fixed: options.fixed,
            memory,
            recorder,
            keep_text: options.keep_text,
            text: String::new(),
        })
    }

    /// The size the app lays itself out for.
    #[must_use]
    pub fn app_size(&self) -> Size {
        self.fixed.unwrap_or(self.window)
    }

    /// The window is now `width`×`height`. Returns the size the app should now have, if it
    /// changed (with `--size` it never does).
    ///
    /// # Errors
    /// If the recording cannot be written.
    pub fn window_resized(&mut self, width: u16, height: u16) -> io::Result<Option<Size>> {
        self.window = Size::new(width, height);
        if let Some(tty) = &mut self.tty {
            tty.resize(width, height)?;
        }
        if self.fixed.is_some() {
            return Ok(None);
        }
        if let Some(memory) = &mut self.memory {
            memory.backend_mut().resize(width, height);
            let Ok(()) = memory.resize(Rect::new(0, 0, width, height));
        }
        if let Some((recorder, _)) = &mut self.recorder {
            recorder.resize(self.window)?;
        }
        Ok(Some(self.window))
    }

    /// Draws `app` on every output; a recording gets the frame, then its markers (`extra`
    /// too).
    ///
    /// # Errors
    /// If drawing or recording fails.
    pub fn draw(&mut self, app: &App, extra_markers: &[String]) -> io::Result<()> {
        let Some(memory) = &mut self.memory else {
            if let Some(tty) = &mut self.tty {
                let area = tty.area();
                tty.draw(&plan(app, area))?;
            }
            return Ok(());
        };
        let Ok(frame) = memory.draw(|frame| render(app, frame));
        let frame = frame.buffer;
        if self.keep_text {
            self.text = text_of(frame);
        }
        if let Some((recorder, markers)) = &mut self.recorder {
            // The frame first, then the markers that name it: `asciinema play -m` stops at a
            // marker on what was drawn before it, so a slide's marker stops on that slide.
            // A script's own marks come before lectern's (the script's keys, applied before
            // this frame, are what changed the slide or started a demo).
            let mut labels = extra_markers.to_vec();
            labels.extend(markers.observe(app));
            recorder.frame(frame)?;
            recorder.mark(&labels)?;
            recorder.caption(crate::lecture::view::captions_strip::caption_text(app).as_deref());
        }
        if let Some(tty) = &mut self.tty {
            let window = self.window;
            let base = app.theme.base;
            tty.terminal.draw(|f| {
                let area = f.area();
                let buf = f.buffer_mut();
                buf.set_style(area, base);
                let size = frame.area.as_size();
                if window.width < size.width || window.height < size.height {
                    too_small(size, window, area, buf);
                } else {
                    let x = (window.width - size.width) / 2;
                    let y = (window.height - size.height) / 2;
                    blit(frame, buf, x, y);
                }
            })?;
        }
        Ok(())
    }

    /// Lends the terminal to `program` (an editor) and takes it back, the next frame drawn
    /// whole; `None` without a terminal.
    ///
    /// # Errors
    /// If the terminal cannot be taken back.
    pub fn lend<T>(&mut self, program: impl FnOnce() -> T) -> io::Result<Option<T>> {
        match &mut self.tty {
            Some(tty) => tty.lend(program).map(Some),
            None => Ok(None),
        }
    }

    /// The latest frame as text, one line per row (when kept).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Ends the recording (cursor shown again) and leaves the terminal.
    ///
    /// # Errors
    /// If the recording cannot be written.
    pub fn finish(mut self) -> io::Result<()> {
        drop(self.tty.take());
        match self.recorder.take() {
            Some((recorder, _)) => recorder.finish(),
            None => Ok(()),
        }
    }
}

fn create_recorder(path: &Path, size: Size, title: &str) -> io::Result<Recorder> {
    Recorder::create(path, size, title).map_err(|err| {
        io::Error::new(
            err.kind(),
            format!("cannot record to {}: {err}", path.display()),
        )
    })
}

/// What the window shows when it is smaller than `--size`.
fn too_small(size: Size, window: Size, area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::from(format!(
            "lectern draws at {}×{} (--size), and this window is {}×{}.",
            size.width, size.height, window.width, window.height
        )),
        Line::from("Enlarge the window (or make the font smaller) to see the slides."),
        Line::from("A recording goes on at its own size meanwhile."),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

//! Where frames go: the terminal (filling it, or at a fixed `--size` centred in it), a
//! recording, and an in-memory copy that scripts read — or, with no terminal at all, only the
//! last two. `render(&App)` runs once per frame whatever the number of outputs.

use std::io;
use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect, Size};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::App;
use crate::record::Recorder;
use crate::terminal::TerminalSession;
use crate::ui;

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
    recorder: Option<Recorder>,
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
            Some(path) => Some(create_recorder(path, size, title)?),
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
        if let Some(recorder) = &mut self.recorder {
            recorder.resize(self.window)?;
        }
        Ok(Some(self.window))
    }

    /// Draws `app` on every output, then writes the recording's markers (`extra` too).
    ///
    /// # Errors
    /// If drawing or recording fails.
    pub fn draw(&mut self, app: &App, extra_markers: &[String]) -> io::Result<()> {
        let Some(memory) = &mut self.memory else {
            if let Some(tty) = &mut self.tty {
                let area = tty.area();
                tty.draw(&ui::plan(app, area))?;
            }
            return Ok(());
        };
        let Ok(frame) = memory.draw(|frame| ui::render(app, frame));
        let frame = frame.buffer;
        if self.keep_text {
            self.text = text_of(frame);
        }
        if let Some(recorder) = &mut self.recorder {
            recorder.mark(app, extra_markers)?;
            recorder.frame(frame)?;
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
            Some(recorder) => recorder.finish(),
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

/// Copies `src` into `dst` with its top-left corner at (`x`, `y`); what falls outside `dst` is
/// dropped.
pub fn blit(src: &Buffer, dst: &mut Buffer, x: u16, y: u16) {
    for row in 0..src.area.height {
        for col in 0..src.area.width {
            let from = Position::new(src.area.x + col, src.area.y + row);
            let to = Position::new(x.saturating_add(col), y.saturating_add(row));
            if let (Some(cell), Some(target)) = (src.cell(from), dst.cell_mut(to)) {
                *target = cell.clone();
            }
        }
    }
}

/// The text of a frame, one line per row, trailing blanks kept (scripts search it).
#[must_use]
pub fn text_of(buffer: &Buffer) -> String {
    let mut text = String::with_capacity(buffer.content().len() + buffer.area.height as usize);
    for row in 0..buffer.area.height {
        let mut skip = 0;
        for col in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let position = Position::new(buffer.area.x + col, buffer.area.y + row);
            if let Some(cell) = buffer.cell(position) {
                let symbol = cell.symbol();
                text.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
        }
        text.push('\n');
    }
    text
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

#[cfg(test)]
mod tests {
    use ratatui::style::Style;

    use super::*;

    #[test]
    fn blit_places_a_frame_at_an_offset_and_clips_it() {
        let mut src = Buffer::empty(Rect::new(0, 0, 3, 2));
        src.set_string(0, 0, "abc", Style::new());
        src.set_string(0, 1, "def", Style::new());
        let mut dst = Buffer::empty(Rect::new(0, 0, 5, 3));
        blit(&src, &mut dst, 3, 1);
        assert_eq!(text_of(&dst), "     \n   ab\n   de\n");
    }

    #[test]
    fn text_of_counts_wide_characters_once() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf.set_string(0, 0, "日x", Style::new());
        assert_eq!(text_of(&buf), "日x \n");
    }
}

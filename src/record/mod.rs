//! Recording a session as an asciicast v2 file: exactly the frames lectern draws, with a
//! marker at every slide shown and at each demo's start and end, so a player can jump
//! between slides and a GIF can be cut from one slide's part.
//!
//! The recording has its own ratatui terminal whose output goes to the file instead of a
//! screen; it draws the same frame as the screen does, at the recording's size.

mod cast;
pub mod replay;
mod subtitles;

use std::cell::RefCell;
use std::io;
use std::path::Path;
use std::rc::Rc;

use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

pub use cast::{CastFile, FrameWriter, SharedCast};
pub use subtitles::{Cue, Subtitles, read_vtt, vtt};

/// A recording in progress.
pub struct Recorder {
    terminal: Terminal<CrosstermBackend<FrameWriter>>,
    /// The same file the terminal draws into: markers and resizes go between frames.
    file: SharedCast,
    /// The captions shown, timed, written beside the cast as subtitles (`.vtt`) when it ends.
    subtitles: Subtitles,
}

impl Recorder {
    /// Starts recording into `path` at `size`.
    ///
    /// # Errors
    /// If the file cannot be created or written.
    pub fn create(path: &Path, size: Size, title: &str) -> io::Result<Self> {
        let file = Rc::new(RefCell::new(CastFile::create(
            path,
            size.width,
            size.height,
            title,
        )?));
        let mut terminal = Terminal::with_options(
            CrosstermBackend::new(FrameWriter::new(Rc::clone(&file))),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, size.width, size.height)),
            },
        )?;
        terminal.hide_cursor()?;
        Ok(Self {
            terminal,
            file,
            subtitles: Subtitles::beside(path),
        })
    }

    /// The caption on screen now (`None`: none): a change starts or ends a subtitle cue.
    pub fn caption(&mut self, caption: Option<&str>) {
        let now = self.file.borrow().now();
        self.subtitles.show(caption, now);
    }

    /// Records a frame: only the cells that changed since the last one are written.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn frame(&mut self, frame: &Buffer) -> io::Result<()> {
        self.terminal
            .draw(|f| crate::ui::buffers::blit(frame, f.buffer_mut(), 0, 0))?;
        Ok(())
    }

    /// Writes a marker for each of `labels`, in order.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn mark(&mut self, labels: &[String]) -> io::Result<()> {
        // Every draw ends with a flush, so no frame output is pending here.
        let mut file = self.file.borrow_mut();
        for label in labels {
            file.event("m", label)?;
        }
        Ok(())
    }

    /// The window changed size (recordings without `--size` follow it): a resize event,
    /// then a full frame at the new size.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn resize(&mut self, size: Size) -> io::Result<()> {
        self.file
            .borrow_mut()
            .event("r", &format!("{}x{}", size.width, size.height))?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
    }

    /// Shows the cursor again at the end, as a terminal left by lectern would.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn finish(mut self) -> io::Result<()> {
        self.terminal.show_cursor()?;
        let now = self.file.borrow().now();
        self.subtitles.finish(now)
    }
}

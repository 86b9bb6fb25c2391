//! Drawing only what changed. A frame is a [`Plan`]: the screen cut into parts (slide, demo
//! panel, gauges, footer…), each with a key that changes whenever what the part shows could
//! change. [`Damage`] keeps every part as it was last drawn and, while the parts stay where
//! they were, draws again and compares with the terminal only the parts whose key moved.
//!
//! Why: the gauges change ten times a second and nothing else does. Drawing the whole
//! 120×40 screen and comparing all 4,800 cells for each sample was most of what the lecture
//! cost while idle (counted with callgrind; see docs/performance.md). With a
//! plan, a sample costs the gauges' panel and nothing more.
//!
//! [`Plan::render`] draws every part into one buffer: that is the whole frame, used by
//! snapshots, recordings and scripts, and the reference the damage-tracked screen is tested
//! against (the two must give the same cells after any sequence of frames).

use std::hash::{BuildHasher, Hash, Hasher};
use std::io;

use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// The hasher parts' keys are made with: fast and the same in every run (keys are compared
/// only with keys of the same run, so no protection against chosen collisions is needed).
#[must_use]
pub fn key_hasher() -> impl Hasher {
    foldhash::fast::FixedState::default().build_hasher()
}

/// Draws a part (or an overlay) into the buffer, within the area it is given.
pub type DrawFn<'a> = Box<dyn Fn(Rect, &mut Buffer) + 'a>;

/// One region of a frame, drawn on its own.
struct Part<'a> {
    area: Rect,
    key: u64,
    draw: DrawFn<'a>,
}

/// A frame cut into parts.
pub struct Plan<'a> {
    screen: Rect,
    base: Style,
    parts: Vec<Part<'a>>,
    overlay: Option<DrawFn<'a>>,
}

impl<'a> Plan<'a> {
    /// A frame of `screen` on a background of `base` (painted only when it is not the
    /// terminal's default).
    #[must_use]
    pub fn new(screen: Rect, base: Style) -> Self {
        Self {
            screen,
            base,
            parts: Vec::new(),
            overlay: None,
        }
    }

    /// Adds a part in `area` (cut to the screen), drawn by `draw`. `key` must change
    /// whenever what `draw` would draw changes. Parts must not overlap, except that a part
    /// may lie inside an earlier one whose drawing leaves that area alone (the process
    /// table inside the gauges panel).
    #[must_use]
    pub fn part(mut self, area: Rect, key: impl Hash, draw: DrawFn<'a>) -> Self {
        let mut hasher = key_hasher();
        key.hash(&mut hasher);
        self.parts.push(Part {
            area: area.intersection(self.screen),
            key: hasher.finish(),
            draw,
        });
        self
    }

    /// Adds something drawn over the parts (the key help, the too-small message): while
    /// there is one, frames are drawn whole.
    #[must_use]
    pub fn overlay(mut self, draw: DrawFn<'a>) -> Self {
        self.overlay = Some(draw);
        self
    }

    /// The whole frame: the background, every part, the overlay.
    pub fn render(&self, buf: &mut Buffer) {
        let screen = self.screen.intersection(buf.area);
        if self.base != Style::default() {
            buf.set_style(screen, self.base);
        }
        for part in &self.parts {
            (part.draw)(part.area.intersection(buf.area), buf);
        }
        if let Some(overlay) = &self.overlay {
            overlay(screen, buf);
        }
    }

    /// One part on its own, on the background, into `cells` (emptied first; reused from
    /// frame to frame so that a redrawn part allocates nothing).
    fn render_part(&self, part: &Part<'_>, cells: &mut Buffer) {
        if cells.area == part.area {
            cells.reset();
        } else {
            *cells = Buffer::empty(part.area);
        }
        if self.base != Style::default() {
            cells.set_style(part.area, self.base);
        }
        (part.draw)(part.area, cells);
    }
}

/// A part as it was last drawn.
#[derive(Debug)]
struct Drawn {
    key: u64,
    cells: Buffer,
    /// The buffer the part's next drawing goes into (then the two swap).
    spare: Buffer,
}

/// What the terminal shows, part by part, so that the next frame writes only what changed.
#[derive(Debug)]
pub struct Damage {
    /// The screen as last drawn whole; cells outside every part stay as they are here.
    whole: Buffer,
    /// Each part of the last plan as drawn since.
    parts: Vec<Drawn>,
    /// The next frame must be drawn whole: nothing drawn yet, or an overlay was.
    stale: bool,
}

impl Damage {
    /// A terminal of `area` that shows nothing yet (just cleared).
    #[must_use]
    pub fn new(area: Rect) -> Self {
        Self {
            whole: Buffer::empty(area),
            parts: Vec::new(),
            stale: true,
        }
    }

    /// Draws `plan` on `backend`, writing only the cells that differ from what it shows.
    ///
    /// # Errors
    /// If the backend cannot be written.
    pub fn draw<B: Backend>(&mut self, plan: &Plan<'_>, backend: &mut B) -> io::Result<()>
    where
        B::Error: std::error::Error + Send + Sync + 'static,
    {
        let same_parts = self.parts.len() == plan.parts.len()
            && self
                .parts
                .iter()
                .zip(&plan.parts)
                .all(|(drawn, part)| drawn.cells.area == part.area);
        if self.stale || plan.overlay.is_some() || !same_parts || self.whole.area != plan.screen {
            self.draw_whole(plan, backend)?;
        } else {
            for (drawn, part) in self.parts.iter_mut().zip(&plan.parts) {
                if drawn.key == part.key {
                    continue;
                }
                plan.render_part(part, &mut drawn.spare);
                backend
                    .draw(drawn.cells.diff_iter(&drawn.spare))
                    .map_err(io_error)?;
                std::mem::swap(&mut drawn.cells, &mut drawn.spare);
                drawn.key = part.key;
            }
        }
        backend.flush().map_err(io_error)
    }

    fn draw_whole<B: Backend>(&mut self, plan: &Plan<'_>, backend: &mut B) -> io::Result<()>
    where
        B::Error: std::error::Error + Send + Sync + 'static,
    {
        let mut shown = std::mem::replace(&mut self.whole, Buffer::empty(Rect::default()));
        if shown.area == plan.screen {
            for drawn in self.parts.drain(..) {
                copy(&drawn.cells, &mut shown);
            }
        } else {
            // A resized terminal has been cleared: it shows nothing.
            shown = Buffer::empty(plan.screen);
        }
        let mut next = Buffer::empty(plan.screen);
        plan.render(&mut next);
        backend.draw(shown.diff_iter(&next)).map_err(io_error)?;
        self.parts = plan
            .parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let mut cells = cut(&next, part.area);
                // A part inside this one is drawn by itself: this part's own cells there
                // are its background, as it draws them on its own.
                for inner in &plan.parts[i + 1..] {
                    if !inner.area.is_empty() && part.area.intersection(inner.area) == inner.area {
                        blank(&mut cells, inner.area, plan.base);
                    }
                }
                Drawn {
                    key: part.key,
                    // Made when the part is first drawn again: most parts never are.
                    spare: Buffer::empty(Rect::default()),
                    cells,
                }
            })
            .collect();
        self.whole = next;
        // Whatever an overlay covered must be drawn again when it goes.
        self.stale = plan.overlay.is_some();
        Ok(())
    }
}

/// The backend's error as an I/O error (the terminal's already is one).
fn io_error<E: std::error::Error + Send + Sync + 'static>(err: E) -> io::Error {
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    match boxed.downcast::<io::Error>() {
        Ok(err) => *err,
        Err(other) => io::Error::other(other),
    }
}

/// Copies `from` into `to` where their areas meet.
fn copy(from: &Buffer, to: &mut Buffer) {
    let area = from.area.intersection(to.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            to[(x, y)] = from[(x, y)].clone();
        }
    }
}

/// Empties `area` of `cells` to the background `base`.
fn blank(cells: &mut Buffer, area: Rect, base: Style) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            cells[(x, y)].reset();
        }
    }
    if base != Style::default() {
        cells.set_style(area, base);
    }
}

/// The cells of `area` of `from`.
fn cut(from: &Buffer, area: Rect) -> Buffer {
    let mut cells = Buffer::empty(area);
    copy(from, &mut cells);
    cells
}

#[cfg(test)]
mod tests;

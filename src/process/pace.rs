//! How fast a child's output is let through: a child that floods its output is slowed down
//! rather than letting the reader's queue (and the UI's memory) grow without bound.

/// Most output lines a run may send per second. A demo that floods its output is slowed
/// down instead: its reader waits, the pipe fills, and the demo blocks in `write` — so the
/// UI's queue and memory stay bounded and it keeps answering keys.
pub const MAX_LINES_PER_SECOND: u32 = 5000;

/// Counts a run's lines per one-second window.
#[derive(Debug)]
pub struct Pace {
    window: std::time::Instant,
    lines: u32,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            window: std::time::Instant::now(),
            lines: 0,
        }
    }
}

impl Pace {
    /// Lets one more line through, first waiting out the window if it is used up.
    pub fn admit(&mut self) {
        let elapsed = self.window.elapsed();
        if elapsed >= std::time::Duration::from_secs(1) {
            *self = Self::default();
        } else if self.lines >= MAX_LINES_PER_SECOND {
            std::thread::sleep(std::time::Duration::from_secs(1).saturating_sub(elapsed));
            *self = Self::default();
        }
        self.lines += 1;
    }
}

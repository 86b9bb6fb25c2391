//! Entering and leaving the full-screen terminal mode, on every exit path, and why a screen
//! left it (which decides the exit status).
//!
//! The guard restores the terminal when dropped (normal exit, error, unwinding panic); the
//! panic hook restores it before the panic message is printed, so the message is readable.
//! Signals are turned into messages by the event loop and end in the same drop.

use std::io::{self, Stdout, Write, stdout};
use std::sync::Once;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::ui::damage::{Damage, Plan};

/// The ratatui terminal lectern draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen and mouse capture, undone on drop.
pub struct TerminalSession {
    /// The terminal to draw on.
    pub terminal: Tui,
    /// What it shows, part by part, for frames drawn from a [`Plan`].
    damage: Damage,
}

impl TerminalSession {
    /// Switches the terminal to full-screen mode; on failure, undoes what was done.
    ///
    /// # Errors
    /// The I/O error that stopped the switch (for instance, no terminal).
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        let entered = (|| {
            let (width, height) = take_screen()?;
            fixed_terminal(width, height)
        })();
        match entered {
            Ok(mut terminal) => Ok(Self {
                damage: Damage::new(terminal.get_frame().area()),
                terminal,
            }),
            Err(err) => {
                restore();
                Err(err)
            }
        }
    }
}

impl TerminalSession {
    /// The window is now `width`×`height`: clear it and draw everything again at that size.
    ///
    /// # Errors
    /// If the terminal cannot be written.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        execute!(stdout(), Clear(ClearType::All))?;
        self.terminal = fixed_terminal(width, height)?;
        self.damage = Damage::new(self.area());
        Ok(())
    }

    /// Hands the terminal to another program (an editor) while `program` runs, then takes it
    /// back, clearing it so the next frame is drawn whole. The terminal is put back even when
    /// taking it again fails half-way (the drop restores it).
    ///
    /// # Errors
    /// If the terminal cannot be taken back.
    pub fn lend<T>(&mut self, program: impl FnOnce() -> T) -> io::Result<T> {
        restore();
        let result = program();
        // The window may have changed size while it was lent.
        let (width, height) = take_screen()?;
        self.resize(width, height)?;
        Ok(result)
    }

    /// The area frames are drawn on: the whole window.
    #[must_use]
    pub fn area(&mut self) -> Rect {
        self.terminal.get_frame().area()
    }

    /// Draws `plan`, writing only the parts that changed since the last plan drawn. Frames
    /// drawn with `terminal.draw` and frames drawn from plans must not be mixed: each
    /// keeps its own idea of what the screen shows.
    ///
    /// # Errors
    /// If the terminal cannot be written.
    pub fn draw(&mut self, plan: &Plan<'_>) -> io::Result<()> {
        self.damage.draw(plan, self.terminal.backend_mut())
    }
}

/// Raw mode, the alternate screen, cleared, and mouse capture; the window's size.
fn take_screen() -> io::Result<(u16, u16)> {
    enable_raw_mode()?;
    // Clear with a plain escape sequence: ratatui's `clear()` first asks the terminal for
    // the cursor position, a round trip that slows start-up (and stalls on terminals that
    // never answer).
    execute!(
        stdout(),
        EnterAlternateScreen,
        Clear(ClearType::All),
        EnableMouseCapture
    )?;
    crossterm::terminal::size()
}

/// A terminal drawing on a fixed `width`×`height` area. A full-screen viewport would ask the
/// terminal for its size before every frame (opening `/dev/tty` and an ioctl, each time);
/// the size is known from the start and from resize events, and ratatui's own `resize` asks
/// for the cursor position, a round trip some terminals never answer.
fn fixed_terminal(width: u16, height: u16) -> io::Result<Tui> {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let mut terminal = Terminal::with_options(CrosstermBackend::new(stdout()), options)?;
    terminal.hide_cursor()?;
    Ok(terminal)
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell expects it. Safe to call more than once; errors are
/// ignored because the terminal may already be gone (SIGHUP).
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before any earlier panic hook (color-eyre's) prints its report.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Asks [`hung_up`] at most once a second: the question is a system call, and the event
/// loops wake ten times a second. A frame written to a hung-up terminal fails, and the loops
/// ask again then, so a closed window is never taken for an error.
#[derive(Debug, Default)]
pub struct HangupCheck {
    last: Option<std::time::Instant>,
}

impl HangupCheck {
    /// Whether the terminal has hung up, if a second has passed since the last answer;
    /// otherwise `false`.
    pub fn hung_up(&mut self, now: std::time::Instant) -> bool {
        let asked_lately = self.last.is_some_and(|last| {
            now.saturating_duration_since(last) < std::time::Duration::from_secs(1)
        });
        if asked_lately {
            return false;
        }
        self.last = Some(now);
        hung_up()
    }
}

/// Whether the terminal has hung up (its window was closed). A hung-up terminal answers every
/// query with EIO. lectern may not get SIGHUP in that case (the kernel signals only the
/// session leader, and not every shell passes it on), and crossterm's input reader does not
/// report it, so the event loop asks at each sample.
#[must_use]
pub fn hung_up() -> bool {
    matches!(
        nix::sys::termios::tcgetattr(io::stdin()),
        Err(nix::errno::Errno::EIO)
    )
}

/// Why lectern is exiting, which decides its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitReason {
    /// The user quit: exit status 0.
    User,
    /// A signal asked us to stop: exit status 128 + signal number, as shells report it.
    Signal(i32),
    /// Something failed: exit status 1, with this message on stderr.
    Error(String),
}

impl ExitReason {
    /// The process exit status for this reason.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::User => 0,
            Self::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
            Self::Error(_) => 1,
        }
    }
}

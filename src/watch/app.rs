//! State of the `lectern watch` screen and its `update`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Size;

use super::Msg;
use crate::process::ExitInfo;
use crate::process::Stream;
use crate::terminal::ExitReason;
use crate::theme::Theme;
use crate::ui::gauges::store::Gauges;
use crate::ui::printable::printable;

/// Output lines kept for the output pane.
pub const OUTPUT_LINES: usize = 1000;

/// What the watch loop should do after a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEffect {
    /// Draw a new frame.
    Redraw,
    /// Stop the command (SIGTERM, then SIGKILL) and leave.
    Stop(ExitReason),
    /// The command ended on its own: leave now.
    Finished(ExitInfo),
    /// The command ended on its own: keep the view, with its exit status, until a key.
    Ended(ExitInfo),
    /// Leave after the command has ended (a key was pressed).
    Leave,
}

/// The watch screen's state.
#[derive(Debug, Clone)]
pub struct WatchApp {
    /// The command line, for the header.
    pub command: String,
    /// The command's PID.
    pub pid: u32,
    /// Styles.
    pub theme: Theme,
    /// Measurements.
    pub gauges: Gauges,
    /// The latest output lines, oldest first.
    pub output: VecDeque<(Stream, String)>,
    /// Output lines dropped because more than `OUTPUT_LINES` came.
    pub output_dropped: usize,
    /// When watching began.
    pub started: Instant,
    /// The time of the latest message.
    pub now: Instant,
    /// When `--seconds` runs out.
    pub deadline: Option<Instant>,
    /// Samples per second.
    pub rate_hz: u8,
    /// Terminal size.
    pub size: Size,
    /// Whether the key help is shown.
    pub show_help: bool,
    /// Whether to leave as soon as the command ends.
    pub exit_at_end: bool,
    /// How and when the command ended, once it has.
    pub ended: Option<(ExitInfo, Instant)>,
    /// Counts the changes to what the screen shows other than the gauges, the output and
    /// the clocks (keys, a resize, the end): the screen's parts are keyed on it.
    pub revision: u64,
}

impl WatchApp {
    /// The state right after the command started.
    #[must_use]
    pub fn new(
        command: String,
        pid: u32,
        theme: Theme,
        rate_hz: u8,
        size: Size,
        started: Instant,
    ) -> Self {
        Self {
            command,
            pid,
            theme,
            gauges: Gauges::default(),
            output: VecDeque::new(),
            output_dropped: 0,
            started,
            now: started,
            deadline: None,
            rate_hz,
            size,
            show_help: false,
            exit_at_end: false,
            ended: None,
            revision: 0,
        }
    }

    /// Time since the command started.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        let until = self.ended.map_or(self.now, |(_, at)| at);
        until.saturating_duration_since(self.started)
    }

    /// Applies a message.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Vec<WatchEffect> {
        self.now = now;
        if !matches!(msg, Msg::Sample(_) | Msg::Output { .. }) {
            self.revision = self.revision.wrapping_add(1);
        }
        match msg {
            // After the end, any key leaves: there is nothing left to stop.
            Msg::Key(key) if self.ended.is_some() && key.code != KeyCode::Char('f') => {
                vec![WatchEffect::Leave]
            }
            Msg::Key(key) => {
                let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL)
                    && matches!(key.code, KeyCode::Char('c'));
                let quit = ctrl_c
                    || key.code == KeyCode::Char('q')
                    || (key.code == KeyCode::Esc && !self.show_help);
                match key.code {
                    _ if quit => vec![WatchEffect::Stop(ExitReason::User)],
                    KeyCode::Esc => {
                        self.show_help = false;
                        vec![WatchEffect::Redraw]
                    }
                    KeyCode::Char('f') => {
                        self.gauges.toggle_freeze();
                        vec![WatchEffect::Redraw]
                    }
                    KeyCode::Char('?') => {
                        self.show_help = !self.show_help;
                        vec![WatchEffect::Redraw]
                    }
                    _ => Vec::new(),
                }
            }
            Msg::Sample(sample) => {
                self.gauges.push(*sample);
                if self.gauges.is_frozen() {
                    Vec::new()
                } else {
                    vec![WatchEffect::Redraw]
                }
            }
            Msg::Output { stream, line } => {
                if self.output.len() == OUTPUT_LINES {
                    self.output.pop_front();
                    self.output_dropped += 1;
                }
                self.output.push_back((stream, printable(&line)));
                vec![WatchEffect::Redraw]
            }
            Msg::Exited(exit) if self.exit_at_end => vec![WatchEffect::Finished(exit)],
            Msg::Exited(exit) => {
                self.ended = Some((exit, now));
                vec![WatchEffect::Ended(exit), WatchEffect::Redraw]
            }
            Msg::Resize(width, height) => {
                self.size = Size::new(width, height);
                vec![WatchEffect::Redraw]
            }
            Msg::Signal(_) if self.ended.is_some() => vec![WatchEffect::Leave],
            Msg::Signal(signal) => vec![WatchEffect::Stop(ExitReason::Signal(signal))],
            Msg::InputFailed(why) => {
                vec![WatchEffect::Stop(ExitReason::Error(format!(
                    "terminal input failed: {why}"
                )))]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEvent;

    use super::*;
    use crate::theme::ThemeName;

    fn app() -> (WatchApp, Instant) {
        let now = Instant::now();
        let theme = Theme::new(ThemeName::Dark, false);
        (
            WatchApp::new("sleep 5".into(), 42, theme, 5, Size::new(100, 30), now),
            now,
        )
    }

    fn key(code: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn quitting_stops_the_command_and_its_end_finishes() {
        let (mut app, now) = app();
        assert_eq!(
            app.update(key(KeyCode::Char('q')), now),
            [WatchEffect::Stop(ExitReason::User)]
        );
        assert_eq!(
            app.update(Msg::Signal(15), now),
            [WatchEffect::Stop(ExitReason::Signal(15))]
        );
        let exit = ExitInfo::Code(3);
        let mut leaving = app.clone();
        leaving.exit_at_end = true;
        assert_eq!(
            leaving.update(Msg::Exited(exit), now),
            [WatchEffect::Finished(exit)],
            "--exit leaves as soon as the command ends"
        );
        assert_eq!(
            app.update(Msg::Exited(exit), now),
            [WatchEffect::Ended(exit), WatchEffect::Redraw],
            "by default the view stays"
        );
        assert_eq!(
            app.update(key(KeyCode::Char('x')), now),
            [WatchEffect::Leave]
        );
        assert_eq!(app.update(Msg::Signal(15), now), [WatchEffect::Leave]);
    }

    #[test]
    fn output_is_kept_bounded_and_made_printable() {
        let (mut app, now) = app();
        for i in 0..OUTPUT_LINES + 5 {
            app.update(
                Msg::Output {
                    stream: Stream::Stdout,
                    line: format!("line {i}"),
                },
                now,
            );
        }
        assert_eq!(app.output.len(), OUTPUT_LINES);
        assert_eq!(
            app.output.back().unwrap().1,
            format!("line {}", OUTPUT_LINES + 4)
        );
        // What the command printed is made safe to draw on its way in.
        app.update(
            Msg::Output {
                stream: Stream::Stdout,
                line: "10%\r50%\r90%".into(),
            },
            now,
        );
        assert_eq!(app.output.back().unwrap().1, "90%");
    }

    #[test]
    fn freezing_stops_redraws_from_samples() {
        let (mut app, now) = app();
        app.update(key(KeyCode::Char('f')), now);
        let sample = crate::sampler::Sample {
            t: 0.0,
            cores: vec![1.0],
            total: 1.0,
            procs: vec![],
        };
        assert!(app.update(Msg::Sample(Box::new(sample)), now).is_empty());
    }
}

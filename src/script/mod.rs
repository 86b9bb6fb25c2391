//! Scripted tours: a small language for driving the lecture unattended — keys, pauses, and
//! waits on what happens — so a recording can be made again identically after a change, and
//! end-to-end checks can be written as scripts. This module reads them; the lecture's event loop
//! runs them (`lecture::event_loop`, `tour.rs`).
//!
//! ```text
//! # Slide 3's fork-lock demo, then on to slide 4.
//! type 3
//! key Enter               # go to slide 3
//! key Tab Enter           # the second demo, run it
//! wait demo-finished within 60s
//! wait text "DEADLOCK"
//! sleep 2s
//! mark "after the deadlock"
//! caption "Slide 4: what a process costs"
//! key PageDown
//! wait slide 4
//! wait settled            # nothing changed for 500 ms (the live gauges aside)
//! ```

mod read;

use std::time::Duration;

use crossterm::event::KeyEvent;

pub use read::{load, parse};

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// What errors call it (its path).
    pub name: String,
    /// Its commands, in order.
    pub steps: Vec<Step>,
}

/// One command and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Its line (1-based).
    pub line: usize,
    /// The line as written, for messages.
    pub text: String,
    /// What it does.
    pub kind: StepKind,
}

/// What a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// Press these keys, in order (`key …`, `type …`).
    Keys(Vec<KeyEvent>),
    /// Do nothing for this long (`sleep 2s`).
    Sleep(Duration),
    /// Wait until `condition` holds; fail the script after `timeout`.
    Wait {
        /// What to wait for.
        condition: Condition,
        /// How long to wait at most.
        timeout: Duration,
    },
    /// Put a marker with this label in the recording (`mark "…"`).
    Mark(String),
    /// Show this caption at the bottom of the frame until the next one (`caption "…"`; an
    /// empty one clears it), and write it to the recording's subtitles.
    Caption(String),
}

/// What a `wait` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A demo run is going (or has started since the wait began).
    DemoStarted,
    /// The latest demo run has ended; an error in it fails the script.
    DemoFinished,
    /// This text is on screen.
    Text(String),
    /// This slide (1-based) is shown.
    Slide(usize),
    /// Nothing in the lecture has changed for this long — the live gauges and the clock
    /// aside (`wait settled`, 500 ms unless given).
    Settled(Duration),
}

/// Why a script could not be read or did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// The file could not be read.
    #[error("cannot read the script {path}: {source}")]
    Read {
        /// The path given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line does not parse.
    #[error("{at}: {message}")]
    Syntax {
        /// `FILE:LINE:COL`.
        at: String,
        /// What is wrong, and what would be right.
        message: String,
    },
    /// A step failed while the script ran.
    #[error("{name}:{line}: `{text}` failed: {message}")]
    Failed {
        /// The script.
        name: String,
        /// The step's line.
        line: usize,
        /// The step as written.
        text: String,
        /// What happened.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    #[test]
    fn every_command_parses_with_its_line() {
        let script = parse(
            "t.script",
            "# a tour\n\ntype 12\nkey Enter Tab Ctrl-C F5 q\nsleep 1.5s\nsleep 250ms\n\
             wait demo-finished\nwait demo-started within 3s\n\
             wait text \"say \\\"hi\\\"\" within 500ms # trailing comment\nwait slide 4\n\
             mark \"slide 4: overhead\"\ncaption \"Now: slide 4\"\nwait settled\n\
             wait settled 800ms within 5s\n",
        )
        .unwrap();
        let kinds: Vec<&StepKind> = script.steps.iter().map(|s| &s.kind).collect();
        let lines: Vec<usize> = script.steps.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert_eq!(
            kinds[0],
            &StepKind::Keys(vec![key(KeyCode::Char('1')), key(KeyCode::Char('2'))])
        );
        assert_eq!(
            kinds[1],
            &StepKind::Keys(vec![
                key(KeyCode::Enter),
                key(KeyCode::Tab),
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                key(KeyCode::F(5)),
                key(KeyCode::Char('q')),
            ])
        );
        assert_eq!(kinds[2], &StepKind::Sleep(Duration::from_millis(1500)));
        assert_eq!(kinds[3], &StepKind::Sleep(Duration::from_millis(250)));
        assert!(matches!(
            kinds[4],
            StepKind::Wait {
                condition: Condition::DemoFinished,
                ..
            }
        ));
        assert_eq!(
            kinds[5],
            &StepKind::Wait {
                condition: Condition::DemoStarted,
                timeout: Duration::from_secs(3)
            }
        );
        assert_eq!(
            kinds[6],
            &StepKind::Wait {
                condition: Condition::Text("say \"hi\"".into()),
                timeout: Duration::from_millis(500)
            }
        );
        assert!(matches!(
            kinds[7],
            StepKind::Wait {
                condition: Condition::Slide(4),
                ..
            }
        ));
        assert_eq!(kinds[8], &StepKind::Mark("slide 4: overhead".into()));
        assert_eq!(kinds[9], &StepKind::Caption("Now: slide 4".into()));
        assert!(matches!(
            kinds[10],
            StepKind::Wait {
                condition: Condition::Settled(quiet),
                ..
            } if *quiet == Duration::from_millis(500)
        ));
        assert_eq!(
            kinds[11],
            &StepKind::Wait {
                condition: Condition::Settled(Duration::from_millis(800)),
                timeout: Duration::from_secs(5)
            }
        );
    }

    #[test]
    fn mistakes_are_reported_with_file_line_and_column() {
        for (text, at, says) in [
            ("kee Enter", "t:1:1", "unknown command `kee`"),
            ("\n  key Entr", "t:2:7", "unknown key `Entr`"),
            ("sleep 2", "t:1:7", "not a duration"),
            ("wait text \"open", "t:1:11", "unterminated quote"),
            ("wait slide zero", "t:1:12", "not a slide number"),
            ("wait demo-finished within", "t:1:20", "unexpected `within`"),
            ("wait banana", "t:1:6", "unknown condition"),
            ("key", "t:1:4", "needs a key name"),
            ("caption", "t:1:1", "`caption` takes one"),
            ("wait settled soon", "t:1:14", "not a duration"),
        ] {
            let err = parse("t", text).unwrap_err().to_string();
            assert!(err.starts_with(at), "{text:?}: {err}");
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }
}

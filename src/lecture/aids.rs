//! What a recording shows its viewers besides the lecture: a caption at the bottom of the
//! frame (a script's `caption "…"`, or with `--captions notes` the slide's "Say:" paragraph)
//! and, with `--show-keys`, the keys just pressed, named as a viewer knows them. Off unless
//! asked for: the room never sees them by accident.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::{Action, action_for};

/// How long a pressed key stays on screen.
pub const KEY_SHOWN: Duration = Duration::from_millis(1500);

/// Keys shown at once at most (the oldest go first).
const KEYS_AT_ONCE: usize = 4;

/// The aids and what they show now.
#[derive(Debug, Clone, Default)]
pub struct Aids {
    /// The caption a script set, if any.
    pub caption: Option<String>,
    /// Whether the slide's notes give the caption when no script sets one
    /// (`--captions notes`).
    pub captions_from_notes: bool,
    /// Whether pressed keys are shown (`--show-keys`).
    pub show_keys: bool,
    /// The keys pressed lately, as shown, with when.
    pub keys: Vec<(String, Instant)>,
}

impl Aids {
    /// A key was pressed (by a person or a script; `jumping`: a slide number is being
    /// typed, so Enter goes there): remembered when keys are shown.
    pub fn key_pressed(&mut self, key: KeyEvent, jumping: bool, now: Instant) {
        if !self.show_keys {
            return;
        }
        self.forget_keys(now);
        let label = match key_label(key) {
            label if jumping && key.code == KeyCode::Enter => {
                label.replace("run demo", "go to slide")
            }
            label => label,
        };
        self.keys.push((label, now));
        if self.keys.len() > KEYS_AT_ONCE {
            self.keys.remove(0);
        }
    }

    /// Drops keys shown long enough; whether any went.
    pub fn forget_keys(&mut self, now: Instant) -> bool {
        let before = self.keys.len();
        self.keys
            .retain(|(_, at)| now.saturating_duration_since(*at) < KEY_SHOWN);
        self.keys.len() != before
    }

    /// How long until the oldest key shown goes, if any is shown.
    #[must_use]
    pub fn next_expiry(&self, now: Instant) -> Option<Duration> {
        self.keys
            .iter()
            .map(|(_, at)| (*at + KEY_SHOWN).saturating_duration_since(now))
            .min()
    }
}

/// A key as a viewer knows it, with what it did where that helps: `PageDown — next slide`.
#[must_use]
pub fn key_label(key: KeyEvent) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
            format!("Ctrl-{}", c.to_ascii_uppercase())
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::PageDown => "PageDown".into(),
        KeyCode::PageUp => "PageUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    match action_for(key).and_then(what_it_does) {
        Some(what) => format!("{name} — {what}"),
        None => name,
    }
}

/// What an action does, in a few words, for the keys strip.
fn what_it_does(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::Next => "next",
        Action::Previous => "back",
        // PageDown may scroll a tall slide rather than turn it.
        Action::Forward(_) => "forward",
        Action::Back(_) => "backward",
        Action::First => "first slide",
        Action::Last => "last slide",
        Action::Enter => "run demo",
        Action::RunSnippet => "run the code",
        Action::EditCode => "edit the code",
        Action::NextDemo => "next demo",
        Action::StopDemo => "stop",
        Action::RestartDemo => "restart",
        Action::PinDemo => "pin",
        Action::EditParams => "parameters",
        Action::ToggleFocus => "focus",
        Action::SwitchEngine => "other engine",
        Action::Compare => "compare",
        Action::ToggleVerdicts => "verdicts",
        Action::ToggleLearn => "learn mode",
        Action::ToggleNotes => "notes",
        Action::ToggleHelp => "help",
        Action::Quit | Action::Interrupt => "quit",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_as_a_viewer_knows_them_and_go_after_a_moment() {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(key_label(key(KeyCode::PageDown)), "PageDown — forward");
        assert_eq!(key_label(key(KeyCode::Enter)), "Enter — run demo");
        assert_eq!(
            key_label(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            "Ctrl-C — quit"
        );
        let now = Instant::now();
        let mut aids = Aids::default();
        aids.key_pressed(key(KeyCode::Enter), false, now);
        assert!(aids.keys.is_empty(), "off unless asked for");
        aids.show_keys = true;
        aids.key_pressed(key(KeyCode::Enter), true, now);
        assert_eq!(aids.keys[0].0, "Enter — go to slide");
        assert_eq!(aids.next_expiry(now), Some(KEY_SHOWN));
        assert!(!aids.forget_keys(now + Duration::from_millis(100)));
        assert!(aids.forget_keys(now + KEY_SHOWN));
        assert!(aids.keys.is_empty());
    }
}

//! Keys → actions, and the same table drives the help overlay, so the two never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// How far a scroll-or-move key scrolls an overflowing slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// One line.
    Line,
    /// One screen, minus a line of context.
    Page,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Run the slide's Python code with CPython and show its output (the learner's edited
    /// copy, when there is one).
    RunSnippet,
    /// Open a copy of the slide's Python code in the learner's editor (`$EDITOR`).
    EditCode,
    /// Follow the room's slide again (a student in a class).
    FollowRoom,
    /// Go to the next slide.
    Next,
    /// Go to the previous slide.
    Previous,
    /// Scroll down a long slide; at its end, go to the next slide.
    Forward(Step),
    /// Scroll up a long slide; at its top, go to the previous slide.
    Back(Step),
    /// Go to the first slide.
    First,
    /// Go to the last slide.
    Last,
    /// Type a digit of a slide number to jump to.
    Digit(u8),
    /// Jump to the typed slide number.
    Enter,
    /// Show or hide the key help.
    ToggleHelp,
    /// Show or hide the speaker notes.
    ToggleNotes,
    /// Scroll the speaker notes down.
    NotesDown,
    /// Scroll the speaker notes up.
    NotesUp,
    /// Scroll the demo panel down a page.
    PanelDown,
    /// Scroll the demo panel up a page.
    PanelUp,
    /// Start or pause the timer.
    ToggleTimer,
    /// Set the timer back to zero.
    ResetTimer,
    /// Freeze the gauges, or let them run again.
    ToggleFreeze,
    /// Select the slide's next demo.
    NextDemo,
    /// Stop the running demo.
    StopDemo,
    /// Run the demo again from the start.
    RestartDemo,
    /// Keep the demo running across slide changes, or not.
    PinDemo,
    /// Open the demo's parameter editor.
    EditParams,
    /// Give the demo panel and the gauges the screen (the slide keeps its title), or not.
    ToggleFocus,
    /// Run the demo again on the next engine (native, then each CPython given).
    SwitchEngine,
    /// Put the demo's runs side by side: an experiment (other parameters), then both engines,
    /// then back to the latest run.
    Compare,
    /// Show the lesson's claims with this session's verdicts in the demo panel, or not.
    ToggleVerdicts,
    /// Learn mode on or off: a question before each demo that has one.
    ToggleLearn,
    /// Write the handout (HTML) with this session's verdicts.
    WriteHandout,
    /// Close whatever is open (it never quits: Esc is how a message is dismissed).
    Escape,
    /// Quit lectern (`q`): once a demo has run, the first press asks for a second.
    Quit,
    /// Quit lectern at once (Ctrl-C).
    Interrupt,
}

/// One row of the key table: the keys, what they do, and a line for the help overlay.
pub struct Binding {
    /// Keys that trigger the action (letters are matched exactly, so `T` is not `t`).
    pub keys: &'static [KeyCode],
    /// The action.
    pub action: Action,
    /// How the help overlay names the keys.
    pub label: &'static str,
    /// What the help overlay says they do.
    pub help: &'static str,
}

/// Every key binding except digits and Ctrl-C, which `action_for` handles itself.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Right, KeyCode::Char('l')],
        action: Action::Next,
        label: "→  l",
        help: "next slide",
    },
    Binding {
        keys: &[KeyCode::Down, KeyCode::Char('j')],
        action: Action::Forward(Step::Line),
        label: "↓  j",
        help: "next slide (scrolls a long slide first)",
    },
    Binding {
        keys: &[KeyCode::PageDown, KeyCode::Char(' ')],
        action: Action::Forward(Step::Page),
        label: "PgDn  Space",
        help: "next slide (pages through a long slide)",
    },
    Binding {
        keys: &[KeyCode::Left, KeyCode::Char('h')],
        action: Action::Previous,
        label: "←  h",
        help: "previous slide",
    },
    Binding {
        keys: &[KeyCode::Up, KeyCode::Char('k')],
        action: Action::Back(Step::Line),
        label: "↑  k",
        help: "previous slide (scrolls back first)",
    },
    Binding {
        keys: &[KeyCode::PageUp, KeyCode::Backspace],
        action: Action::Back(Step::Page),
        label: "PgUp  Backspace",
        help: "previous slide (pages back first)",
    },
    Binding {
        keys: &[KeyCode::Home, KeyCode::Char('g')],
        action: Action::First,
        label: "Home g · End G",
        help: "first / last slide",
    },
    Binding {
        keys: &[KeyCode::End, KeyCode::Char('G')],
        action: Action::Last,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Enter],
        action: Action::Enter,
        label: "0-9 Enter",
        help: "go to slide number (Esc cancels)",
    },
    Binding {
        keys: &[],
        action: Action::Enter,
        label: "Enter · o · O",
        help: "run the demo · run its code (o) · edit a copy (O)",
    },
    Binding {
        keys: &[KeyCode::Tab],
        action: Action::NextDemo,
        label: "Tab",
        help: "next demo of this slide",
    },
    Binding {
        keys: &[KeyCode::Char('e')],
        action: Action::EditParams,
        label: "e",
        help: "edit demo parameters (↑↓ pick, ←→ change, Enter run)",
    },
    Binding {
        keys: &[KeyCode::Char('z')],
        action: Action::ToggleFocus,
        label: "z",
        help: "demo focus: the run and the gauges take the screen",
    },
    Binding {
        keys: &[KeyCode::Char('E')],
        action: Action::SwitchEngine,
        label: "E · c",
        help: "rerun on the next engine (native → each CPython) · compare",
    },
    Binding {
        keys: &[KeyCode::Char('c')],
        action: Action::Compare,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('v')],
        action: Action::ToggleVerdicts,
        label: "v · w · L",
        help: "verdicts here · write the handout · learn mode",
    },
    Binding {
        keys: &[KeyCode::Char('L')],
        action: Action::ToggleLearn,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('w')],
        action: Action::WriteHandout,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('x')],
        action: Action::StopDemo,
        label: "x · r · p",
        help: "stop · restart · pin the demo (pinned runs on)",
    },
    Binding {
        keys: &[KeyCode::Char('o')],
        action: Action::RunSnippet,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('F')],
        action: Action::FollowRoom,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('O')],
        action: Action::EditCode,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        action: Action::RestartDemo,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('p')],
        action: Action::PinDemo,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('s')],
        action: Action::ToggleNotes,
        label: "s",
        help: "speaker notes on/off",
    },
    Binding {
        keys: &[KeyCode::Char(']')],
        action: Action::NotesDown,
        label: "] [ · } {",
        help: "page the notes · scroll the demo panel (down / up)",
    },
    Binding {
        keys: &[KeyCode::Char('}')],
        action: Action::PanelDown,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('{')],
        action: Action::PanelUp,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('[')],
        action: Action::NotesUp,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('t')],
        action: Action::ToggleTimer,
        label: "t · T",
        help: "start or pause · reset the timer",
    },
    Binding {
        keys: &[KeyCode::Char('T')],
        action: Action::ResetTimer,
        label: "",
        help: "",
    },
    Binding {
        keys: &[KeyCode::Char('f')],
        action: Action::ToggleFreeze,
        label: "f · F",
        help: "freeze / unfreeze the gauges · in a class: follow the room",
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        action: Action::ToggleHelp,
        label: "?",
        help: "this help (Esc closes)",
    },
    Binding {
        keys: &[KeyCode::Esc],
        action: Action::Escape,
        label: "Esc · q  Ctrl-C",
        help: "close help, notes, focus, editor · quit",
    },
    // Named on the Esc row, so the whole table fits an 80×24 terminal.
    Binding {
        keys: &[KeyCode::Char('q')],
        action: Action::Quit,
        label: "",
        help: "quit",
    },
];

/// Mouse actions, listed in the help overlay after the keys.
pub const MOUSE_HELP: &[(&str, &str)] =
    &[("mouse", "click next · right-click back · wheel scrolls")];

/// The action a key event asks for, if any. Releases are ignored so one press is one action.
#[must_use]
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c' | 'C')).then_some(Action::Interrupt);
    }
    if let KeyCode::Char(c @ '0'..='9') = key.code {
        return Some(Action::Digit(c as u8 - b'0'));
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> Option<Action> {
        action_for(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn every_family_of_navigation_keys_maps() {
        for code in [KeyCode::Right, KeyCode::Char('l')] {
            assert_eq!(press(code), Some(Action::Next));
        }
        for code in [KeyCode::PageDown, KeyCode::Char(' ')] {
            assert_eq!(press(code), Some(Action::Forward(Step::Page)));
        }
        for code in [KeyCode::PageUp, KeyCode::Backspace] {
            assert_eq!(press(code), Some(Action::Back(Step::Page)));
        }
        assert_eq!(press(KeyCode::Char('G')), Some(Action::Last));
        assert_eq!(press(KeyCode::Char('7')), Some(Action::Digit(7)));
        assert_eq!(press(KeyCode::Char('T')), Some(Action::ResetTimer));
        assert_eq!(press(KeyCode::Char('t')), Some(Action::ToggleTimer));
    }

    #[test]
    fn shifted_letters_match_as_typed_and_ctrl_c_quits() {
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(shifted), Some(Action::Last));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c), Some(Action::Interrupt));
        let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_l), None);
    }

    #[test]
    fn releases_do_nothing() {
        let mut key = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
        key.kind = KeyEventKind::Release;
        assert_eq!(action_for(key), None);
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for binding in BINDINGS {
            for key in binding.keys {
                assert!(!seen.contains(key), "{key:?} bound twice");
                seen.push(*key);
            }
        }
    }
}

//! Reading a tour script: one command per line, `#` comments, errors as `FILE:LINE:COL`.

use std::path::Path;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Condition, Script, ScriptError, Step, StepKind};

/// How long a `wait` waits when the script does not say: a demo may take a while, the rest
/// shows up at once or never.
const DEFAULT_DEMO_WAIT: Duration = Duration::from_secs(180);
const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// How long nothing may change on screen for `wait settled` when no time is given.
const DEFAULT_QUIET: Duration = Duration::from_millis(500);

/// The commands, for error messages.
const COMMANDS: &str = "key, type, sleep, wait, mark, caption";

/// Reads and parses a script file.
///
/// # Errors
/// [`ScriptError::Read`] if the file cannot be read, [`ScriptError::Syntax`] for the first
/// line that does not parse.
pub fn load(path: &Path) -> Result<Script, ScriptError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScriptError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse(&path.display().to_string(), &text)
}

/// Parses a script's text; `name` is what errors call it.
///
/// # Errors
/// [`ScriptError::Syntax`] for the first line that does not parse.
pub fn parse(name: &str, text: &str) -> Result<Script, ScriptError> {
    let mut steps = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let words = split(raw).map_err(|(col, message)| syntax(name, line, col, message))?;
        let Some(((command, col), args)) = words.split_first() else {
            continue;
        };
        let col = *col;
        let error = |col: usize, message: String| syntax(name, line, col, message);
        let kind = match command.as_str() {
            "key" => {
                if args.is_empty() {
                    return Err(error(
                        col + 3,
                        "`key` needs a key name, e.g. `key PageDown`".into(),
                    ));
                }
                let keys = args
                    .iter()
                    .map(|(word, col)| key(word).ok_or_else(|| error(*col, unknown_key(word))))
                    .collect::<Result<Vec<_>, _>>()?;
                StepKind::Keys(keys)
            }
            "type" => {
                let [(text, _)] = args else {
                    return Err(error(
                        col,
                        "`type` takes one word or \"quoted text\"".into(),
                    ));
                };
                StepKind::Keys(
                    text.chars()
                        .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                        .collect(),
                )
            }
            "sleep" => {
                let [(word, at)] = args else {
                    return Err(error(
                        col,
                        "`sleep` takes one duration, e.g. `sleep 2s`".into(),
                    ));
                };
                StepKind::Sleep(duration(word).ok_or_else(|| error(*at, bad_duration(word)))?)
            }
            "mark" => {
                let [(label, _)] = args else {
                    return Err(error(col, "`mark` takes one \"quoted label\"".into()));
                };
                StepKind::Mark(label.clone())
            }
            "caption" => {
                let [(text, _)] = args else {
                    return Err(error(
                        col,
                        "`caption` takes one \"quoted text\" (`caption \"\"` clears it)".into(),
                    ));
                };
                StepKind::Caption(text.clone())
            }
            "wait" => wait(args, col).map_err(|(col, message)| error(col, message))?,
            other => {
                return Err(error(
                    col,
                    format!("unknown command `{other}`; commands are {COMMANDS}"),
                ));
            }
        };
        steps.push(Step {
            line,
            text: raw.trim().to_string(),
            kind,
        });
    }
    Ok(Script {
        name: name.to_string(),
        steps,
    })
}

/// `wait demo-finished`, `wait demo-started`, `wait text "…"`, `wait slide N`, each with an
/// optional `within DURATION`.
fn wait(args: &[(String, usize)], col: usize) -> Result<StepKind, (usize, String)> {
    const WHAT: &str = "`wait` takes demo-started, demo-finished, text \"…\", slide N or \
                        settled [QUIET], then optionally `within 30s`";
    let Some(((what, at), rest)) = args.split_first() else {
        return Err((col, WHAT.into()));
    };
    let (condition, rest) = match what.as_str() {
        "demo-started" => (Condition::DemoStarted, rest),
        "demo-finished" => (Condition::DemoFinished, rest),
        "text" => match rest.split_first() {
            Some(((text, _), rest)) if !text.is_empty() => (Condition::Text(text.clone()), rest),
            _ => return Err((*at, "`wait text` needs the \"text\" to wait for".into())),
        },
        "slide" => match rest.split_first() {
            Some(((n, col), rest)) => match n.parse::<usize>() {
                Ok(n) if n >= 1 => (Condition::Slide(n), rest),
                _ => return Err((*col, format!("`{n}` is not a slide number (1, 2, …)"))),
            },
            None => return Err((*at, "`wait slide` needs a slide number".into())),
        },
        // Quiet for a moment (500 ms, or as given): nothing on screen changed.
        "settled" => match rest.split_first() {
            Some(((word, at), rest)) if word != "within" => {
                let quiet = duration(word).ok_or_else(|| (*at, bad_duration(word)))?;
                (Condition::Settled(quiet), rest)
            }
            _ => (Condition::Settled(DEFAULT_QUIET), rest),
        },
        _ => return Err((*at, format!("unknown condition `{what}`: {WHAT}"))),
    };
    let timeout = match rest {
        [] if condition == Condition::DemoFinished => DEFAULT_DEMO_WAIT,
        [] => DEFAULT_WAIT,
        [(within, _), (word, at)] if within == "within" => {
            duration(word).ok_or_else(|| (*at, bad_duration(word)))?
        }
        [(word, at), ..] => return Err((*at, format!("unexpected `{word}`: {WHAT}"))),
    };
    Ok(StepKind::Wait { condition, timeout })
}

/// Splits a line into words with their 1-based columns; `"quoted text"` is one word (`\"`
/// inside it is a quote); `#` outside quotes starts a comment.
fn split(line: &str) -> Result<Vec<(String, usize)>, (usize, String)> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        let col = line[..at].chars().count() + 1;
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' if chars.peek().is_some_and(|&(_, n)| n == '"' || n == '\\') => {
                        word.extend(chars.next().map(|(_, n)| n));
                    }
                    c => word.push(c),
                }
            }
            if !closed {
                return Err((col, "unterminated quote".into()));
            }
            words.push((word, col));
        } else {
            let mut word = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push((word, col));
        }
    }
    Ok(words)
}

/// `2s`, `1.5s`, `500ms`.
fn duration(word: &str) -> Option<Duration> {
    let (number, scale) = if let Some(ms) = word.strip_suffix("ms") {
        (ms, 1e-3)
    } else {
        (word.strip_suffix('s')?, 1.0)
    };
    let value: f64 = number.parse().ok()?;
    (0.0..=86_400.0)
        .contains(&value)
        .then(|| Duration::from_secs_f64(value * scale))
}

fn bad_duration(word: &str) -> String {
    format!("`{word}` is not a duration; write e.g. `2s`, `1.5s` or `500ms`")
}

/// Key names as the help overlay shows them, plus `ctrl-X`.
fn key(word: &str) -> Option<KeyEvent> {
    let plain = |code| Some(KeyEvent::new(code, KeyModifiers::NONE));
    let lower = word.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("ctrl-")
        .or_else(|| lower.strip_prefix("ctrl+"))
    {
        let mut chars = rest.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Some(KeyEvent::new(
                KeyCode::Char(c.to_ascii_lowercase()),
                KeyModifiers::CONTROL,
            )),
            _ => None,
        };
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return plain(KeyCode::Char(c));
    }
    match lower.as_str() {
        "enter" | "return" => plain(KeyCode::Enter),
        "tab" => plain(KeyCode::Tab),
        "backtab" | "shift-tab" => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "esc" | "escape" => plain(KeyCode::Esc),
        "space" => plain(KeyCode::Char(' ')),
        "backspace" => plain(KeyCode::Backspace),
        "left" => plain(KeyCode::Left),
        "right" => plain(KeyCode::Right),
        "up" => plain(KeyCode::Up),
        "down" => plain(KeyCode::Down),
        "home" => plain(KeyCode::Home),
        "end" => plain(KeyCode::End),
        "pageup" | "pgup" => plain(KeyCode::PageUp),
        "pagedown" | "pgdn" => plain(KeyCode::PageDown),
        f if f.starts_with('f') => f[1..]
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=12).contains(n))
            .and_then(|n| plain(KeyCode::F(n))),
        _ => None,
    }
}

fn unknown_key(word: &str) -> String {
    format!(
        "unknown key `{word}`; keys are one character, Enter, Tab, BackTab, Esc, Space, \
         Backspace, Left, Right, Up, Down, Home, End, PageUp, PageDown, F1–F12 or ctrl-X"
    )
}

fn syntax(name: &str, line: usize, col: usize, message: String) -> ScriptError {
    ScriptError::Syntax {
        at: format!("{name}:{line}:{col}"),
        message,
    }
}

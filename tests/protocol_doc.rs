//! `docs/protocol.md` is the protocol's one description: its tables must list exactly the
//! event types, note levels, view kinds and tones the code reads and writes.
//!
//! The code's lists come from one value of every variant, written as JSON the way a demo
//! writes it; an exhaustive `match` numbers the variants, so a new variant does not compile
//! here until it is given a value (and then the doc must name it too).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lectern::demo_runtime::protocol::{Event, NoteLevel};
use lectern::demo_runtime::view::{Tone, View};

fn doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/protocol.md");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The backticked words of the first column of the table whose header starts with `| first |`.
fn first_column(doc: &str, first: &str) -> BTreeSet<String> {
    let header = format!("| {first} |");
    let table = doc
        .split(&header)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/protocol.md has no table headed `{header}`"));
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| line.split('|').nth(1))
        .map(|cell| cell.trim().trim_matches('`').to_string())
        .collect()
}

/// The words in backticks inside the parentheses after `level` in the `note` row.
fn note_levels(doc: &str) -> BTreeSet<String> {
    let row = doc
        .lines()
        .find(|line| line.starts_with("| `note` |"))
        .expect("a `note` row");
    let inside = row
        .split_once("`level` (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside)
        .expect("the levels in parentheses after `level`");
    inside
        .split(',')
        .map(|word| word.trim().trim_matches('`').to_string())
        .collect()
}

fn names<T: serde::Serialize>(values: &[T], field: Option<&str>) -> BTreeSet<String> {
    values
        .iter()
        .map(|value| {
            let json = serde_json::to_value(value).expect("serialises");
            let name = match field {
                Some(field) => json[field].clone(),
                None => json,
            };
            name.as_str().expect("a string").to_string()
        })
        .collect()
}

/// One event of every type.
fn every_event() -> Vec<Event> {
    let all = vec![
        Event::Hello {
            demo: "d".into(),
            params: BTreeMap::default(),
            engine: "native".into(),
            engine_detail: String::new(),
        },
        Event::Process {
            pid: 1,
            ppid: 0,
            role: "r".into(),
        },
        Event::Progress {
            message: "m".into(),
            done: None,
            total: None,
        },
        Event::Measure {
            name: "n".into(),
            value: 1.0,
            unit: "ms".into(),
            role: None,
        },
        Event::Note {
            level: NoteLevel::Info,
            message: "m".into(),
        },
        Event::View {
            id: "headline".into(),
            view: View::Headline {
                text: "t".into(),
                tone: Tone::Normal,
            },
        },
        Event::Exit {
            pid: 1,
            role: "r".into(),
            code: Some(0),
            signal: None,
            lived_ms: Some(1.0),
        },
        Event::Result {
            name: "n".into(),
            value: lectern::demo_runtime::protocol::ResultValue::Bool(true),
        },
        Event::Summary {
            demo: "d".into(),
            params: BTreeMap::default(),
            results: BTreeMap::default(),
        },
        Event::Error {
            message: "m".into(),
        },
    ];
    let mut seen = [false; 10];
    for event in &all {
        seen[match event {
            Event::Hello { .. } => 0,
            Event::Process { .. } => 1,
            Event::Progress { .. } => 2,
            Event::Measure { .. } => 3,
            Event::Note { .. } => 4,
            Event::View { .. } => 5,
            Event::Exit { .. } => 6,
            Event::Result { .. } => 7,
            Event::Summary { .. } => 8,
            Event::Error { .. } => 9,
        }] = true;
    }
    assert!(seen.iter().all(|s| *s), "every event type has a value here");
    all
}

/// One view of every kind.
fn every_view() -> Vec<View> {
    let all: Vec<View> = [
        r#"{"kind":"headline","text":"t"}"#,
        r#"{"kind":"table","columns":[],"rows":[]}"#,
        r#"{"kind":"bars","unit":"ms","bars":[]}"#,
        r#"{"kind":"lanes","slot_ms":50,"legend":[],"lanes":[]}"#,
        r#"{"kind":"series","x_label":"x","y_label":"y","lines":[]}"#,
        r#"{"kind":"tree","levels":[]}"#,
    ]
    .iter()
    .map(|json| serde_json::from_str(json).unwrap_or_else(|err| panic!("{json}: {err}")))
    .collect();
    let mut seen = [false; 6];
    for view in &all {
        seen[match view {
            View::Headline { .. } => 0,
            View::Table { .. } => 1,
            View::Bars { .. } => 2,
            View::Lanes { .. } => 3,
            View::Series { .. } => 4,
            View::Tree { .. } => 5,
        }] = true;
    }
    assert!(seen.iter().all(|s| *s), "every view kind has a value here");
    all
}

fn every_level() -> Vec<NoteLevel> {
    let all = vec![
        NoteLevel::Info,
        NoteLevel::Warn,
        NoteLevel::Simulated,
        NoteLevel::Differs,
    ];
    let mut seen = [false; 4];
    for level in &all {
        seen[match level {
            NoteLevel::Info => 0,
            NoteLevel::Warn => 1,
            NoteLevel::Simulated => 2,
            NoteLevel::Differs => 3,
        }] = true;
    }
    assert!(seen.iter().all(|s| *s));
    all
}

fn every_tone() -> Vec<Tone> {
    let all = vec![
        Tone::Normal,
        Tone::Muted,
        Tone::Accent,
        Tone::Good,
        Tone::Warn,
        Tone::Bad,
        Tone::Memory,
    ];
    let mut seen = [false; 7];
    for tone in &all {
        seen[match tone {
            Tone::Normal => 0,
            Tone::Muted => 1,
            Tone::Accent => 2,
            Tone::Good => 3,
            Tone::Warn => 4,
            Tone::Bad => 5,
            Tone::Memory => 6,
        }] = true;
    }
    assert!(seen.iter().all(|s| *s));
    all
}

#[test]
fn the_event_table_lists_exactly_the_event_types() {
    assert_eq!(
        first_column(&doc(), "type"),
        names(&every_event(), Some("type"))
    );
}

#[test]
fn the_note_row_lists_exactly_the_note_levels() {
    assert_eq!(note_levels(&doc()), names(&every_level(), None));
}

#[test]
fn the_view_table_lists_exactly_the_view_kinds() {
    assert_eq!(
        first_column(&doc(), "kind"),
        names(&every_view(), Some("kind"))
    );
}

#[test]
fn the_tone_table_lists_exactly_the_tones() {
    assert_eq!(first_column(&doc(), "tone"), names(&every_tone(), None));
}

#[test]
fn the_python_side_names_the_same_levels_and_tones() {
    let module = include_str!("../assets/python/lectern_protocol.py");
    for (list, values) in [
        ("NOTE_LEVELS = (", names(&every_level(), None)),
        ("TONES = (", names(&every_tone(), None)),
    ] {
        let written: BTreeSet<String> = module
            .split_once(list)
            .and_then(|(_, rest)| rest.split_once(')'))
            .map_or_else(
                || panic!("lectern_protocol.py has no `{list}`"),
                |(inside, _)| inside,
            )
            .split(',')
            .map(|w| w.trim().trim_matches('"').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(written, values, "{list}");
    }
}

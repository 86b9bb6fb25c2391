//! A class in the lecture: the room counts students and keeps each student's latest answer
//! and measurement, and shows how to join and what the class said; a student's screen
//! follows the room, stops following when paged away, follows again with `F`, and hears the
//! room's demo and its end.

use std::collections::BTreeMap;

use crossterm::event::KeyCode;

use super::{app_at, key, panel_text, screen, send};
use crate::classroom::ClassEvent;
use crate::classroom::frames::{Answer, ToRoom, ToStudent};
use crate::lecture::class_state::{Class, RoomClass, StudentClass};
use crate::lecture::msg::Msg;

fn said(id: u64, message: ToRoom) -> Msg {
    Msg::Class(ClassEvent::Said { id, message })
}

#[test]
fn the_room_counts_students_and_shows_what_the_class_predicted_and_measured() {
    let (mut app, now) = app_at(120, 40);
    app.class = Some(Class::Room(RoomClass {
        join: "lectern join 10.0.0.5:47125 K7QX2M9P".into(),
        ..RoomClass::default()
    }));
    for (id, name) in [(1, "ada"), (2, "bob"), (3, "cy")] {
        let name = name.to_string();
        send(&mut app, now, Msg::Class(ClassEvent::Joined { id, name }));
    }
    send(
        &mut app,
        now,
        Msg::Class(ClassEvent::Left {
            id: 3,
            why: "left".into(),
        }),
    );
    assert!(
        screen(&app).contains("Join the class: lectern join 10.0.0.5:47125 K7QX2M9P · 2 students")
    );
    // Slide 8's question: ada changes her mind; only her latest answer counts.
    let question =
        "10,000 tasks of 20 µs on 2 workers: which finishes first, chunksize=100 or chunksize=1?";
    for (id, option) in [(1, 1), (2, 0), (1, 0)] {
        let answer = Answer::Choice(option);
        let message = ToRoom::Prediction {
            slide: 8,
            question: question.into(),
            answer,
        };
        send(&mut app, now, said(id, message));
    }
    // Two runs from bob: his latest counts, once.
    for cs100 in [150.0, 120.0] {
        let results: BTreeMap<String, f64> = [
            ("time_ms_cs100".to_string(), cs100),
            ("time_ms_cs1".to_string(), 240.0),
        ]
        .into();
        let message = ToRoom::Measurement {
            demo: "chunksize".into(),
            results,
            engine: "python".into(),
            interpreter: "CPython 3.11.7".into(),
            cores: 2,
        };
        send(&mut app, now, said(2, message));
    }
    key(&mut app, now, KeyCode::Char('8'));
    key(&mut app, now, KeyCode::Enter);
    let panel = panel_text(&app, 200);
    assert!(
        panel.contains("The class predicted (2): chunksize=100 2 · chunksize=1 0"),
        "{panel}"
    );
    assert!(
        panel.contains(
            "The class measured (1 machine): median 120 ms (120–120) · the claim held on 1 of 1"
        ),
        "{panel}"
    );
}

#[test]
fn a_student_follows_the_room_leaves_it_follows_again_and_hears_its_end() {
    let (mut app, now) = app_at(120, 40);
    app.class = Some(Class::Student(StudentClass {
        following: true,
        ..StudentClass::default()
    }));
    let state = |slide, demo: Option<&str>| {
        Msg::FromRoom(ToStudent::State {
            slide,
            demo: demo.map(|d| (d.to_string(), Vec::new())),
        })
    };
    send(&mut app, now, state(2, None));
    assert_eq!(app.slide, 2, "followed");
    assert!(screen(&app).contains("Following the room · slide 3"));
    // Paging away stops following; the room moves on without this screen.
    key(&mut app, now, KeyCode::Right);
    assert_eq!(app.slide, 3);
    send(&mut app, now, state(4, Some("pickling")));
    assert_eq!(app.slide, 3, "not followed while away");
    // The room's parameters, checked here, become this demo's; values out of range do not.
    let with = |size: &str| {
        Msg::FromRoom(ToStudent::State {
            slide: 4,
            demo: Some(("pickling".into(), vec![("size_mb".into(), size.into())])),
        })
    };
    send(&mut app, now, with("8"));
    let edited = app
        .demos
        .edited
        .get(&(4, 0))
        .map(|r| r.params()["size_mb"].to_string());
    assert_eq!(edited.as_deref(), Some("8"));
    send(&mut app, now, with("999999"));
    let kept = app
        .demos
        .edited
        .get(&(4, 0))
        .map(|r| r.params()["size_mb"].to_string());
    assert_eq!(
        kept.as_deref(),
        Some("8"),
        "a value this lectern refuses changes nothing"
    );
    let shown = screen(&app);
    assert!(
        shown.contains("The room is on slide 5: F follows it"),
        "{shown}"
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("The room runs pickling"))
    );
    key(&mut app, now, KeyCode::Char('F'));
    assert_eq!(app.slide, 4, "F follows again");
    send(&mut app, now, Msg::FromRoom(ToStudent::Ended));
    assert!(screen(&app).contains("The room ended the class"));
    key(&mut app, now, KeyCode::Char('F'));
    assert_eq!(app.slide, 4);
}

#[test]
fn a_rooms_class_results_are_kept_in_its_session_and_taken_back() {
    let (mut app, now) = app_at(120, 40);
    app.class = Some(Class::Room(RoomClass::default()));
    let answer = Answer::Choice(1);
    let message = ToRoom::Prediction {
        slide: 8,
        question: "q".into(),
        answer,
    };
    send(&mut app, now, said(4, message));
    let saved = app.saved_session(7, 0);
    let json = serde_json::to_string(&saved).expect("saves");
    let back: crate::lecture::session::SavedSession = serde_json::from_str(&json).expect("reads");
    let (mut again, now) = app_at(120, 40);
    again.class = Some(Class::Room(RoomClass::default()));
    again.resume(&back, now);
    let Some(Class::Room(room)) = &again.class else {
        panic!("a room")
    };
    let answers = &room.predictions[&(8, "q".to_string())];
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].1, Answer::Choice(1));
    assert_ne!(
        answers[0].0, 4,
        "a saved student is apart from this session's student 4"
    );
}

#[test]
fn the_class_reads_on_a_projector_at_100x30() {
    let (mut app, now) = app_at(100, 30);
    app.class = Some(Class::Room(RoomClass {
        join: "lectern join 10.0.0.5:47125 K7QX2M9P".into(),
        ..RoomClass::default()
    }));
    let question =
        "10,000 tasks of 20 µs on 2 workers: which finishes first, chunksize=100 or chunksize=1?";
    for id in 1..=3 {
        let answer = Answer::Choice(usize::from(id == 3));
        let message = ToRoom::Prediction {
            slide: 8,
            question: question.into(),
            answer,
        };
        send(&mut app, now, said(id, message));
    }
    key(&mut app, now, KeyCode::Char('8'));
    key(&mut app, now, KeyCode::Enter);
    key(&mut app, now, KeyCode::Char('z'));
    let shown = screen(&app);
    assert!(
        shown.contains("The class predicted (3): chunksize=100 2 · chunksize=1 1"),
        "{shown}"
    );
    assert!(
        shown.contains("Join the class: lectern join 10.0.0.5:47125 K7QX2M9P"),
        "{shown}"
    );
}

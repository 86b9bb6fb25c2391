//! The two ends of the link talking over a real socket.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectern-link-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir::ensure_private(&dir).expect("private dir");
    dir
}

fn next<T>(rx: &Receiver<T>, what: &str) -> T {
    rx.recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("no {what} within 5 s"))
}

fn room(dir: &std::path::Path, name: &str) -> (RoomLink, Receiver<LinkEvent>) {
    let (tx, rx) = channel();
    let link = RoomLink::open(dir, name, true, LessonRef::Embedded, move |event| {
        let _ = tx.send(event);
    })
    .expect("room listens");
    (link, rx)
}

fn screen(dir: &std::path::Path, name: Option<&str>) -> (ScreenLink, Receiver<FromRoom>) {
    let (tx, rx) = channel();
    let link = ScreenLink::start(dir.to_path_buf(), name.map(str::to_string), move |m| {
        tx.send(m).is_ok()
    })
    .expect("screen starts");
    (link, rx)
}

#[test]
fn keys_go_to_the_room_its_state_comes_back_and_each_side_hears_the_other_go() {
    let dir = temp_dir("talk");
    let (mut room, room_events) = room(&dir, "talk");
    room.publish(
        RoomState {
            slide: 4,
            ..RoomState::default()
        },
        Instant::now(),
    );
    let (link, heard) = screen(&dir, None);
    assert_eq!(
        next(&heard, "connection"),
        FromRoom::Connected("talk".into())
    );
    assert!(matches!(
        next(&heard, "hello"),
        FromRoom::Said(ToPresenter::Hello { name, lesson: LessonRef::Embedded, .. }) if name == "talk"
    ));
    // A screen that connects late still learns where the room is.
    assert!(matches!(
        next(&heard, "state"),
        FromRoom::Said(ToPresenter::State(RoomState { slide: 4, .. }))
    ));
    assert_eq!(next(&room_events, "join"), LinkEvent::Joined);
    let key = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    assert!(link.send(&ToRoom::Key { key }));
    assert_eq!(next(&room_events, "key"), LinkEvent::Key(key));
    room.publish(
        RoomState {
            slide: 5,
            ..RoomState::default()
        },
        Instant::now(),
    );
    assert!(matches!(
        next(&heard, "new state"),
        FromRoom::Said(ToPresenter::State(RoomState { slide: 5, .. }))
    ));
    // The room goes: the screen hears it and keeps waiting for the same name.
    drop(room);
    assert_eq!(next(&heard, "loss"), FromRoom::Lost);
    assert!(matches!(next(&heard, "waiting"), FromRoom::Waiting(why) if why.contains("`talk`")));
    assert!(!link.send(&ToRoom::Key { key }));
    // Another lecture starting meanwhile is not this screen's room.
    let (_other, _other_events) = self::room(&dir, "other");
    let (_back, back_events) = self::room(&dir, "talk");
    // While it waits it may say which lectures are presented; then it connects to its own.
    let reconnected = loop {
        match next(&heard, "reconnection") {
            FromRoom::Waiting(why) => assert!(why.contains("`talk`"), "{why}"),
            other => break other,
        }
    };
    assert_eq!(reconnected, FromRoom::Connected("talk".into()));
    assert_eq!(next(&back_events, "join again"), LinkEvent::Joined);
    // The screen goes: the room hears it.
    drop(heard);
    drop(link);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_screen_leaving_is_heard_and_several_lectures_need_a_name() {
    let dir = temp_dir("leave");
    let (room_link, room_events) = room(&dir, "one");
    let (link, heard) = screen(&dir, Some("one"));
    assert_eq!(
        next(&heard, "connection"),
        FromRoom::Connected("one".into())
    );
    assert_eq!(next(&room_events, "join"), LinkEvent::Joined);
    // The screen's process ends: its socket closes.
    drop(link);
    drop(heard);
    // Its thread notices on the next line it is given; a state makes one.
    let (mut room, room_events) = (room_link, room_events);
    room.publish(
        RoomState {
            slide: 1,
            ..RoomState::default()
        },
        Instant::now(),
    );
    assert_eq!(next(&room_events, "leaving"), LinkEvent::Left);
    let (_two, _) = self::room(&dir, "two");
    let (_link, heard) = screen(&dir, None);
    assert!(matches!(
        next(&heard, "waiting"),
        FromRoom::Waiting(why) if why.contains("2 lectures") && why.contains("one, two")
    ));
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_stranger_speaking_another_protocol_is_refused_without_harm() {
    use std::io::{BufRead, BufReader, Write};
    let dir = temp_dir("stranger");
    let (_room, room_events) = room(&dir, "talk");
    let mut stream =
        std::os::unix::net::UnixStream::connect(dir::socket_path(&dir, "talk")).expect("connect");
    stream
        .write_all(b"{\"type\":\"hello\",\"protocol\":99}\n")
        .expect("write");
    // The refusal comes after what was already queued (the room's hello), and then the room
    // closes the connection.
    let lines: Vec<String> = BufReader::new(stream)
        .lines()
        .map(|line| line.expect("text"))
        .collect();
    assert!(lines[0].contains("\"hello\""), "{lines:?}");
    let refused = lines.last().expect("a refusal");
    assert!(
        refused.contains("refused") && refused.contains(&format!("protocol {}", wire::PROTOCOL)),
        "{refused}"
    );
    assert!(
        room_events
            .recv_timeout(Duration::from_millis(300))
            .is_err()
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_screen_refused_by_its_room_says_why_and_stops_trying() {
    use std::io::Write;
    let dir = temp_dir("refused");
    // A room from another lectern: it speaks protocol 99.
    let listener =
        std::os::unix::net::UnixListener::bind(dir::socket_path(&dir, "old")).expect("bind");
    let room = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a screen");
        stream
            .write_all(
                b"{\"type\":\"hello\",\"protocol\":99,\"name\":\"old\",\"lesson\":\"embedded\"}\n",
            )
            .expect("hello");
        // Any further connection attempt would be accepted here: there must be none.
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::sleep(Duration::from_millis(800));
        listener.accept().is_err()
    });
    let (_link, heard) = screen(&dir, Some("old"));
    assert!(matches!(
        next(&heard, "refusal"),
        FromRoom::Refused(why) if why.contains("protocol 99")
    ));
    assert!(room.join().expect("room thread"), "the screen tried again");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

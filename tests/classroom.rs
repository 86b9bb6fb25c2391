//! The classroom on loopback: a wrong code is refused naming the code; a student follows the
//! room through three slides; answers from two students reach the room; a measurement
//! reaches it; the room ending tells every student; a frame too large or not a message drops
//! only its sender; 200 simulated students join and follow.

use std::net::TcpStream;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use lectern::classroom::frames::{Answer, ToRoom, ToStudent};
use lectern::classroom::{ClassEvent, ClassOptions, ClassServer, JoinError, Student};

/// A room on a free loopback port, and what it hears.
fn room(max_students: usize) -> (ClassServer, Receiver<ClassEvent>, String) {
    let (tx, rx) = channel();
    let server = ClassServer::start(
        ClassOptions {
            listen: "127.0.0.1:0".parse().expect("an address"),
            code: "K7QX2M9P".into(),
            max_students,
            lesson: "built-in".into(),
            title: "Lecture 25".into(),
        },
        move |event| tx.send(event).is_ok(),
    )
    .expect("listens on loopback");
    let addr = server.addr().to_string();
    (server, rx, addr)
}

fn next(rx: &Receiver<ClassEvent>) -> ClassEvent {
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the room hears it")
}

#[test]
fn a_wrong_code_is_refused_naming_the_code() {
    let (_server, _rx, addr) = room(10);
    let Err(err) = Student::join(&addr, "WRONG234", "eve") else {
        panic!("joined with a wrong code")
    };
    assert!(matches!(err, JoinError::Refused { .. }), "{err}");
    let said = err.to_string();
    assert!(
        said.contains("WRONG234") && said.contains("not this room's join code"),
        "{said}"
    );
}

#[test]
fn students_follow_answer_measure_and_hear_the_end() {
    let (server, rx, addr) = room(10);
    let mut ada = Student::join(&addr, "k7qx-2m9p", "ada").expect("joins (any case, dashes)");
    assert_eq!(ada.lesson, "built-in");
    let mut bob = Student::join(&addr, "K7QX2M9P", "bob").expect("joins");
    for _ in 0..2 {
        assert!(matches!(next(&rx), ClassEvent::Joined { .. }));
    }
    assert_eq!(server.students(), 2);
    // Three slides, followed.
    for slide in [1, 2, 3] {
        server.send_all(&ToStudent::State { slide, demo: None });
    }
    for slide in [1, 2, 3] {
        assert_eq!(
            ada.receive().expect("a state"),
            ToStudent::State { slide, demo: None }
        );
    }
    // Two answers, one measurement.
    for (student, option) in [(&mut ada, 0), (&mut bob, 2)] {
        let answer = ToRoom::Prediction {
            slide: 8,
            question: "faster?".into(),
            answer: Answer::Choice(option),
        };
        student.send(&answer).expect("sent");
    }
    let measured = ToRoom::Measurement {
        demo: "chunksize".into(),
        results: [("time_ms_cs1".to_string(), 238.0)].into(),
        engine: "python".into(),
        interpreter: "CPython 3.11.7".into(),
        cores: 2,
    };
    bob.send(&measured).expect("sent");
    let mut options = Vec::new();
    let mut measurements = 0;
    for _ in 0..3 {
        match next(&rx) {
            ClassEvent::Said {
                message:
                    ToRoom::Prediction {
                        answer: Answer::Choice(o),
                        ..
                    },
                ..
            } => options.push(o),
            ClassEvent::Said {
                message: ToRoom::Measurement { results, .. },
                ..
            } => {
                assert!((results["time_ms_cs1"] - 238.0).abs() < 1e-9);
                measurements += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    options.sort_unstable();
    assert_eq!((options, measurements), (vec![0, 2], 1));
    // The room ends: each student is told.
    drop(server);
    for student in [&mut ada, &mut bob] {
        let mut heard = student.receive();
        while matches!(heard, Ok(ToStudent::State { .. })) {
            heard = student.receive();
        }
        assert!(matches!(heard, Ok(ToStudent::Ended)), "{heard:?}");
    }
}

#[test]
fn a_bad_frame_drops_only_its_sender() {
    use std::io::Write;
    let (server, rx, addr) = room(10);
    let _good = Student::join(&addr, "K7QX2M9P", "good").expect("joins");
    let bad = Student::join(&addr, "K7QX2M9P", "bad").expect("joins");
    for _ in 0..2 {
        assert!(matches!(next(&rx), ClassEvent::Joined { .. }));
    }
    drop(bad);
    assert!(matches!(next(&rx), ClassEvent::Left { .. }));
    // A raw connection that claims a 1 MiB frame is dropped before its bytes are read.
    let mut raw = TcpStream::connect(&addr).expect("connects");
    raw.write_all(&(1u32 << 20).to_be_bytes()).expect("written");
    raw.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    // The challenge comes, then the connection ends.
    let mut total = 0;
    while let Ok(n) = std::io::Read::read(&mut raw, &mut buf) {
        if n == 0 {
            break;
        }
        total += n;
    }
    assert!(total > 0, "the challenge was sent first");
    assert_eq!(server.students(), 1, "the good student stays");
}

#[test]
fn a_full_room_refuses_and_two_hundred_simulated_students_follow() {
    let (server, _rx, addr) = room(200);
    let code = "K7QX2M9P".to_string();
    let simulated = {
        let addr = addr.clone();
        std::thread::spawn(move || lectern::classroom::simulate::run(&addr, &code, 200, 20))
    };
    // Wait for them all, then turn three slides and run a demo.
    let start = std::time::Instant::now();
    while server.students() < 200 {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{} joined",
            server.students()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let Err(full) = Student::join(&addr, "K7QX2M9P", "late") else {
        panic!("joined a full room")
    };
    assert!(
        full.to_string().contains("the room is full (200 students)"),
        "{full}"
    );
    for slide in [0, 1, 2, 3] {
        server.send_all(&ToStudent::State { slide, demo: None });
        std::thread::sleep(Duration::from_millis(100));
    }
    server.send_all(&ToStudent::State {
        slide: 3,
        demo: Some(("chunksize".into(), Vec::new())),
    });
    std::thread::sleep(Duration::from_millis(300));
    drop(server);
    let report = simulated.join().expect("the class ran");
    assert_eq!(report.joined, 200, "{report:?}");
    assert_eq!(report.followed, (3, 3), "{report:?}");
    assert_eq!(report.measurements, 200, "{report:?}");
}

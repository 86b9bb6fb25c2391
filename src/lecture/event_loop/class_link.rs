//! The event loop's side of a class. In the room: the server is started with a new join code
//! (what to type is shown on the projector), students' messages arrive as [`Msg::Class`], and
//! after each batch of messages the room's slide and any demo it started go to every student.
//! On a student's laptop: the room is heard as [`Msg::FromRoom`], and after each batch the
//! student's new predictions, and the results of a run of the demo the room ran, go back.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::mpsc::Sender;

use crate::claims::Prediction;
use crate::classroom::frames::{Answer, ToRoom, ToStudent};
use crate::classroom::{ClassOptions, ClassServer, Student, StudentSender};
use crate::lecture::App;
use crate::lecture::class_state::{Class, RoomClass, StudentClass};
use crate::lecture::msg::Msg;

/// How a lecture takes part in a class.
pub enum ClassSetup {
    /// It is the room: listen for students.
    Room {
        /// Where.
        listen: SocketAddr,
        /// Students at most.
        max_students: usize,
    },
    /// It is a student's, joined to a room.
    Student(Student),
}

/// A class the lecture takes part in, running.
pub struct ClassLink {
    role: Role,
}

enum Role {
    Room {
        server: ClassServer,
        /// The slide and the run last sent, and how many students had joined by then.
        sent: Option<(usize, u64, usize)>,
    },
    Student(StudentSender),
}

impl ClassLink {
    /// Starts the class for `app` (presenting the lesson called `lesson` on the wire).
    ///
    /// # Errors
    /// If the room cannot listen, or the student's thread cannot start.
    pub fn start(
        setup: ClassSetup,
        app: &mut App,
        lesson: String,
        tx: Sender<Msg>,
    ) -> std::io::Result<Self> {
        let role = match setup {
            ClassSetup::Room {
                listen,
                max_students,
            } => {
                let code = crate::classroom::auth::new_code().map_err(std::io::Error::other)?;
                let options = ClassOptions {
                    listen,
                    code: code.clone(),
                    max_students,
                    lesson,
                    title: app.lesson.meta.display_title(),
                };
                let server =
                    ClassServer::start(options, move |event| tx.send(Msg::Class(event)).is_ok())?;
                let addr = server.addr();
                app.class = Some(Class::Room(RoomClass {
                    join: format!(
                        "lectern join {}:{} {code}",
                        shown_host(addr.ip()),
                        addr.port()
                    ),
                    ..RoomClass::default()
                }));
                Role::Room { server, sent: None }
            }
            ClassSetup::Student(student) => {
                let sender =
                    student.listen(move |message| tx.send(Msg::FromRoom(message)).is_ok())?;
                app.class = Some(Class::Student(StudentClass {
                    following: true,
                    ..StudentClass::default()
                }));
                Role::Student(sender)
            }
        };
        Ok(Self { role })
    }

    /// After a batch of messages: tells the other side what changed.
    pub fn after_batch(&mut self, app: &mut App) {
        match &mut self.role {
            Role::Room { server, sent } => {
                let run = app.demos.running().filter(|r| r.slot.0 == app.slide);
                let joined = match &app.class {
                    Some(Class::Room(room)) => room.students,
                    _ => 0,
                };
                // A student who just joined hears where the room is, too.
                let now = (app.slide, run.map_or(0, |r| r.id), joined);
                if sent.is_some_and(|(slide, id, students)| {
                    (slide, id) == (now.0, now.1) && students >= joined
                }) {
                    *sent = Some(now);
                    return;
                }
                // A demo is announced once, as it starts.
                let demo = run
                    .filter(|r| sent.is_none_or(|(_, id, _)| id != r.id))
                    .map(|r| {
                        let params = r
                            .request
                            .params()
                            .iter()
                            .map(|(k, v)| (k.clone(), v.to_string()))
                            .collect();
                        (r.request.name().to_string(), params)
                    });
                server.send_all(&ToStudent::State {
                    slide: app.slide,
                    demo,
                });
                *sent = Some(now);
            }
            Role::Student(sender) => report(app, sender),
        }
    }
}

/// A student's new answers, and the results of runs of the room's demo, to the room.
fn report(app: &mut App, sender: &mut StudentSender) {
    let Some(Class::Student(student)) = &mut app.class else {
        return;
    };
    for answered in app.learn.answers.iter().skip(student.sent_answers) {
        let (Some(prediction), Some(claim)) =
            (answered.prediction, app.verdicts.claims.get(answered.claim))
        else {
            continue;
        };
        let Some(question) = &claim.question else {
            continue;
        };
        let answer = match prediction {
            Prediction::Number(n) => Answer::Number(n),
            Prediction::Choice(i) => Answer::Choice(i),
        };
        let _ = sender.send(&ToRoom::Prediction {
            slide: claim.slide,
            question: question.prompt.clone(),
            answer,
        });
    }
    student.sent_answers = app.learn.answers.len();
    let Some(room_demo) = student.room_demo.clone() else {
        return;
    };
    for run in &app.demos.runs {
        let done = !run.is_running() && run.error.is_none() && !run.results.is_empty();
        if !done || run.request.name() != room_demo || student.reported_runs.contains(&run.id) {
            continue;
        }
        student.reported_runs.push(run.id);
        let results = run
            .results
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_number()?)))
            .collect();
        let interpreter = run
            .reported_engine
            .as_ref()
            .map_or_else(|| run.engine.to_string(), |(_, detail)| detail.clone());
        let _ = sender.send(&ToRoom::Measurement {
            demo: room_demo.clone(),
            results,
            engine: run.engine.name().to_string(),
            interpreter,
            cores: u32::try_from(crate::demo_runtime::params::cores()).unwrap_or(1),
        });
    }
}

/// The address students should type: the one given, or for "all interfaces" this machine's
/// address on its outward network (no packet is sent to find it), else its loopback.
fn shown_host(listen: IpAddr) -> String {
    if !listen.is_unspecified() {
        return listen.to_string();
    }
    UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map_or_else(|_| "127.0.0.1".into(), |addr| addr.ip().to_string())
}

//! The room's side of a class: a TCP listener that admits students who prove the join code,
//! at most `max_students` of them, each on threads of its own with small stacks — a reader
//! that holds the student to a frame size, a rate and an idle timeout, and a writer fed by a
//! bounded queue. The room never waits for a student: a message to one whose queue is full
//! drops that student, not the frame rate. What students send reaches the room through
//! `on_event`, already decoded and checked.

use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::auth::{new_nonce, verify};
use super::frames::{PROTOCOL, ToRoom, ToStudent, WireError, read_frame, write_frame};

/// How long a student has to prove the code.
const HANDSHAKE: Duration = Duration::from_secs(5);

/// A student silent this long is dropped (students send little: answers, measurements).
const IDLE: Duration = Duration::from_secs(15 * 60);

/// Messages a student may send in a burst, and per second after it.
const BURST: f64 = 20.0;
const PER_SECOND: f64 = 5.0;

/// Frames waiting for a student's connection before it is dropped as too slow.
const QUEUE: usize = 64;

/// Stack of each connection's threads: they hold a buffer and a frame, no more.
const STACK: usize = 128 * 1024;

/// What happened in the class, for the room.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassEvent {
    /// A student proved the code and joined.
    Joined {
        /// The connection's number.
        id: u64,
        /// The name it gave.
        name: String,
    },
    /// A student left or was dropped, and why.
    Left {
        /// The connection's number.
        id: u64,
        /// Why, for the log.
        why: String,
    },
    /// A student sent a message.
    Said {
        /// The connection's number.
        id: u64,
        /// What (a prediction or a measurement; never a handshake message).
        message: ToRoom,
    },
}

/// How the room listens.
#[derive(Debug, Clone)]
pub struct ClassOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The join code.
    pub code: String,
    /// Students at most.
    pub max_students: usize,
    /// The lesson, as [`ToStudent::Welcome`] names it.
    pub lesson: String,
    /// Its title.
    pub title: String,
}

type Queues = Arc<Mutex<HashMap<u64, (SyncSender<Arc<Vec<u8>>>, TcpStream)>>>;

/// A room listening for students; dropping it ends the class (students are told).
pub struct ClassServer {
    addr: SocketAddr,
    queues: Queues,
    stop: Arc<AtomicBool>,
}

impl ClassServer {
    /// Listens as `options` say; `on_event` hears every student (it returns `false` when the
    /// room is gone).
    ///
    /// # Errors
    /// If the address cannot be listened on.
    pub fn start(
        options: ClassOptions,
        on_event: impl Fn(ClassEvent) -> bool + Send + Sync + 'static,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(options.listen)?;
        let addr = listener.local_addr()?;
        let queues: Queues = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (accepting, stopped) = (Arc::clone(&queues), Arc::clone(&stop));
        let on_event: Arc<dyn Fn(ClassEvent) -> bool + Send + Sync> = Arc::new(on_event);
        let options = Arc::new(options);
        std::thread::Builder::new()
            .name("class-accept".into())
            .spawn(move || {
                let next = AtomicU64::new(1);
                for stream in listener.incoming() {
                    if stopped.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    let (queues, options, on_event) = (
                        Arc::clone(&accepting),
                        Arc::clone(&options),
                        Arc::clone(&on_event),
                    );
                    // A thread that cannot start leaves that student unserved, no more.
                    let _ = std::thread::Builder::new()
                        .name(format!("class-{id}"))
                        .stack_size(STACK)
                        .spawn(move || serve(id, &stream, &options, &queues, on_event.as_ref()));
                }
            })?;
        Ok(Self { addr, queues, stop })
    }

    /// Where it listens (the port the system chose, for port 0).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many students are joined.
    #[must_use]
    pub fn students(&self) -> usize {
        self.queues.lock().map_or(0, |q| q.len())
    }

    /// Sends `message` to every student, without waiting: a student whose queue is full is
    /// dropped.
    pub fn send_all(&self, message: &ToStudent) {
        let mut frame = Vec::new();
        if write_frame(&mut frame, message).is_err() {
            return;
        }
        let frame = Arc::new(frame);
        let Ok(mut queues) = self.queues.lock() else {
            return;
        };
        queues.retain(
            |_, (queue, stream)| match queue.try_send(Arc::clone(&frame)) {
                Ok(()) => true,
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                    let _ = stream.shutdown(Shutdown::Both);
                    false
                }
            },
        );
    }
}

impl Drop for ClassServer {
    fn drop(&mut self) {
        self.send_all(&ToStudent::Ended);
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accepting thread, which then sees `stop`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        // Give the writers a moment to pass `Ended` on, then close every connection.
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(mut queues) = self.queues.lock() {
            for (_, (_, stream)) in queues.drain() {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

/// One student's connection, from the challenge to its end.
fn serve(
    id: u64,
    stream: &TcpStream,
    options: &ClassOptions,
    queues: &Queues,
    on_event: &(dyn Fn(ClassEvent) -> bool + Send + Sync),
) {
    let Ok(name) = admit(id, stream, options, queues) else {
        let _ = stream.shutdown(Shutdown::Both);
        return;
    };
    if !on_event(ClassEvent::Joined { id, name }) {
        return;
    }
    let why = read_messages(id, stream, on_event);
    if let Ok(mut queues) = queues.lock() {
        queues.remove(&id);
    }
    let _ = stream.shutdown(Shutdown::Both);
    on_event(ClassEvent::Left { id, why });
}

/// The handshake: challenge, hello, proof; then the student's queue and writer. Returns the
/// student's name.
fn admit(
    id: u64,
    stream: &TcpStream,
    options: &ClassOptions,
    queues: &Queues,
) -> Result<String, WireError> {
    stream.set_read_timeout(Some(HANDSHAKE))?;
    stream.set_nodelay(true)?;
    let mut out = BufWriter::new(stream.try_clone()?);
    let mut input = BufReader::new(stream.try_clone()?);
    let room_nonce = new_nonce().map_err(WireError::Malformed)?;
    write_frame(
        &mut out,
        &ToStudent::Challenge {
            protocol: PROTOCOL,
            nonce: room_nonce.clone(),
        },
    )?;
    let refuse = |out: &mut BufWriter<TcpStream>, why: String| {
        let _ = write_frame(out, &ToStudent::Refused { why: why.clone() });
        WireError::Malformed(why)
    };
    let (name, student_nonce) = match read_frame::<ToRoom>(&mut input)? {
        ToRoom::Hello {
            protocol,
            name,
            nonce,
        } if protocol == PROTOCOL => (name.chars().take(40).collect::<String>(), nonce),
        ToRoom::Hello { protocol, .. } => {
            return Err(refuse(
                &mut out,
                format!("the room speaks class protocol {PROTOCOL}, this lectern {protocol}"),
            ));
        }
        _ => return Err(refuse(&mut out, "a class starts with hello".into())),
    };
    let proved = match read_frame::<ToRoom>(&mut input)? {
        ToRoom::Proof { mac } => verify(&options.code, &room_nonce, &student_nonce, &mac),
        _ => false,
    };
    if !proved {
        return Err(refuse(&mut out, "that is not this room's join code".into()));
    }
    let (queue, frames) = sync_channel::<Arc<Vec<u8>>>(QUEUE);
    {
        let mut queues = queues
            .lock()
            .map_err(|_| WireError::Malformed("the room is gone".into()))?;
        if queues.len() >= options.max_students {
            return Err(refuse(
                &mut out,
                format!("the room is full ({} students)", options.max_students),
            ));
        }
        write_frame(
            &mut out,
            &ToStudent::Welcome {
                lesson: options.lesson.clone(),
                title: options.title.clone(),
            },
        )?;
        queues.insert(id, (queue, stream.try_clone()?));
    }
    std::thread::Builder::new()
        .name("class-write".into())
        .stack_size(STACK)
        .spawn(move || {
            for frame in frames {
                if out.write_all(&frame).and_then(|()| out.flush()).is_err() {
                    return;
                }
            }
        })?;
    Ok(name)
}

/// Reads a joined student's messages until it leaves or breaks a rule; returns why it ended.
fn read_messages(
    id: u64,
    stream: &TcpStream,
    on_event: &(dyn Fn(ClassEvent) -> bool + Send + Sync),
) -> String {
    if stream.set_read_timeout(Some(IDLE)).is_err() {
        return "its connection failed".into();
    }
    let Ok(clone) = stream.try_clone() else {
        return "its connection failed".into();
    };
    let mut input = BufReader::new(clone);
    let mut tokens = BURST;
    let mut refilled = Instant::now();
    loop {
        let message = match read_frame::<ToRoom>(&mut input) {
            Ok(message) => message,
            Err(WireError::Io(err)) if err.kind() == io::ErrorKind::UnexpectedEof => {
                return "left".into();
            }
            Err(WireError::Io(err))
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return format!("silent for {} minutes", IDLE.as_secs() / 60);
            }
            Err(err) => return format!("dropped: {err}"),
        };
        let now = Instant::now();
        tokens = (tokens + now.duration_since(refilled).as_secs_f64() * PER_SECOND).min(BURST);
        refilled = now;
        if tokens < 1.0 {
            return format!("dropped: more than {PER_SECOND} messages a second");
        }
        tokens -= 1.0;
        if matches!(message, ToRoom::Hello { .. } | ToRoom::Proof { .. }) {
            return "dropped: a second hello".into();
        }
        if !on_event(ClassEvent::Said { id, message }) {
            return "the room is gone".into();
        }
    }
}

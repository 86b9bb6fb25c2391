//! The room's end: a Unix socket any number of presenter screens connect to. Each gets the
//! room's state whenever it changes; their keys come back as if typed in the room. A
//! presenter screen that dies or hangs never holds the room up: writing is another thread's
//! job, and an unread screen is dropped.

use std::io::{BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;

use super::dir::LinkError;
use super::dir::{free_name, socket_path};
use super::wire::{LessonRef, PROTOCOL, RoomState, ToPresenter, ToRoom, encode, read_line};

/// What happens at the room's end of the link, for its event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEvent {
    /// A presenter screen connected.
    Joined,
    /// A presenter screen went away (quit, killed, or too slow to read).
    Left,
    /// A key pressed on a presenter screen.
    Key(KeyEvent),
    /// A presenter screen that kept going while this room was away hands it its slide and
    /// timer.
    Resume {
        /// The slide (0-based).
        slide: usize,
        /// The timer's count.
        timer: Duration,
        /// Whether the timer counts.
        running: bool,
    },
}

/// Lines queued for one presenter screen before it counts as hung and is dropped.
const QUEUE: usize = 64;

/// A timer or demo clock that drifted this far from what the presenter screen works out
/// from the last state (a reset, a pause) is sent again.
const DRIFT: Duration = Duration::from_millis(250);

/// One connected presenter screen: where its lines go.
struct Client {
    id: u64,
    lines: SyncSender<Arc<str>>,
    stream: UnixStream,
}

/// What the listening thread and the loop share.
#[derive(Default)]
struct Shared {
    clients: Mutex<Vec<Client>>,
    /// The latest state line, for a screen that connects later.
    latest: Mutex<Option<Arc<str>>>,
    closed: AtomicBool,
    next_id: AtomicU64,
}

/// The room's listening socket; dropping it closes every connection and removes the socket.
pub struct RoomLink {
    name: String,
    socket: PathBuf,
    shared: Arc<Shared>,
    last_sent: Option<(RoomState, Instant)>,
}

impl RoomLink {
    /// Listens in `dir` as `name` (or, when `explicit` is false and the name is taken, the
    /// first free `NAME-N`), telling presenter screens that the lesson is `lesson`. Events go
    /// to `deliver` from the link's threads.
    ///
    /// # Errors
    /// If the name is taken (when explicit) or the socket cannot be made.
    pub fn open(
        dir: &Path,
        name: &str,
        explicit: bool,
        lesson: LessonRef,
        deliver: impl Fn(LinkEvent) + Clone + Send + 'static,
    ) -> Result<Self, LinkError> {
        let name = free_name(dir, name, explicit)?;
        let socket = socket_path(dir, &name);
        let listener = UnixListener::bind(&socket).map_err(|source| LinkError::Socket {
            path: socket.clone(),
            source,
        })?;
        let shared = Arc::new(Shared::default());
        let hello: Arc<str> = encode(&ToPresenter::Hello {
            protocol: PROTOCOL,
            name: name.clone(),
            lesson,
        })
        .into();
        let accepting = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("room-link".into())
            .spawn(move || accept(&listener, &accepting, &hello, &deliver))
            .map_err(|source| LinkError::Socket {
                path: socket.clone(),
                source,
            })?;
        Ok(Self {
            name,
            socket,
            shared,
            last_sent: None,
        })
    }

    /// The session's name, for `lectern presenter --name`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Makes the next [`publish`](Self::publish) send whatever it is given: a screen that
    /// just joined has only the state last sent, whose clocks are old.
    pub fn resend(&mut self) {
        self.last_sent = None;
    }

    /// Sends `state` to every presenter screen if it differs from the last one sent in more
    /// than the passing of time.
    pub fn publish(&mut self, state: RoomState, now: Instant) {
        if let Some((last, at)) = &self.last_sent
            && !differs(last, *at, &state, now)
        {
            return;
        }
        let line: Arc<str> = encode(&ToPresenter::State(state.clone())).into();
        *self
            .shared
            .latest
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&line));
        let mut clients = self
            .shared
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A screen whose queue is full is not reading: drop it rather than wait for it.
        clients.retain(|client| match client.lines.try_send(Arc::clone(&line)) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                let _ = client.stream.shutdown(std::net::Shutdown::Both);
                false
            }
        });
        self.last_sent = Some((state, now));
    }
}

impl Drop for RoomLink {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        // Wakes the listening thread from `accept` so it sees `closed` and ends (before the
        // socket's file goes: connecting needs it).
        let _ = UnixStream::connect(&self.socket);
        let _ = std::fs::remove_file(&self.socket);
        for client in self
            .shared
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            let _ = client.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Whether `new` says something `last` (sent at `at`) does not, once the clocks it carries
/// are moved on to `now`.
fn differs(last: &RoomState, at: Instant, new: &RoomState, now: Instant) -> bool {
    let passed = u64::try_from(now.saturating_duration_since(at).as_millis()).unwrap_or(u64::MAX);
    let drifted = |then: u64, running: bool, current: u64| {
        let expected = if running {
            then.saturating_add(passed)
        } else {
            then
        };
        expected.abs_diff(current) > DRIFT.as_millis() as u64
    };
    let mut timeless = new.clone();
    timeless.timer_ms = last.timer_ms;
    if let (Some(demo), Some(old)) = (&mut timeless.demo, &last.demo) {
        if drifted(old.elapsed_ms, old.running, demo.elapsed_ms) {
            return true;
        }
        demo.elapsed_ms = old.elapsed_ms;
    }
    timeless != *last || drifted(last.timer_ms, last.timer_running, new.timer_ms)
}

/// The listening thread: each connection gets a writer thread and a reader thread.
fn accept(
    listener: &UnixListener,
    shared: &Arc<Shared>,
    hello: &Arc<str>,
    deliver: &(impl Fn(LinkEvent) + Clone + Send + 'static),
) {
    for stream in listener.incoming() {
        if shared.closed.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of descriptors, say: do not spin while it lasts.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let _ = serve(stream, shared, hello, deliver.clone());
    }
}

/// Starts the threads of one connection.
fn serve(
    stream: UnixStream,
    shared: &Arc<Shared>,
    hello: &Arc<str>,
    deliver: impl Fn(LinkEvent) + Send + 'static,
) -> std::io::Result<()> {
    let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
    let (lines, queue) = sync_channel::<Arc<str>>(QUEUE);
    let latest = shared
        .latest
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let writer = stream.try_clone()?;
    // A screen that stops reading blocks only its own writer, and only for this long.
    writer.set_write_timeout(Some(Duration::from_secs(2)))?;
    std::thread::Builder::new()
        .name("room-link-out".into())
        .spawn(move || write_lines(writer, &queue))?;
    let _ = lines.try_send(Arc::clone(hello));
    if let Some(latest) = latest {
        let _ = lines.try_send(latest);
    }
    let reader = stream.try_clone()?;
    let replies = lines.clone();
    shared
        .clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Client { id, lines, stream });
    let shared = Arc::clone(shared);
    std::thread::Builder::new()
        .name("room-link-in".into())
        .spawn(move || {
            let joined = read_keys(reader, &replies, &deliver);
            drop(replies);
            shared
                .clients
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|c| c.id != id);
            if joined && !shared.closed.load(Ordering::SeqCst) {
                deliver(LinkEvent::Left);
            }
        })?;
    Ok(())
}

fn write_lines(mut stream: UnixStream, queue: &Receiver<Arc<str>>) {
    for line in queue {
        if stream.write_all(line.as_bytes()).is_err() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// Reads a presenter screen's hello, then its keys, until it goes. Returns whether it
/// joined (spoke this protocol). A refusal goes through `replies`, after whatever is queued,
/// and the writer closes the connection once the last sender of the queue is gone.
fn read_keys(
    stream: UnixStream,
    replies: &SyncSender<Arc<str>>,
    deliver: &impl Fn(LinkEvent),
) -> bool {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut joined = false;
    while let Ok(true) = read_line(&mut reader, &mut line) {
        match serde_json::from_str::<ToRoom>(&line) {
            Ok(ToRoom::Hello { protocol }) if protocol == PROTOCOL => {
                if !joined {
                    joined = true;
                    deliver(LinkEvent::Joined);
                }
            }
            Ok(ToRoom::Hello { protocol }) => {
                let reason = format!(
                    "the room's lectern speaks presenter protocol {PROTOCOL}, this one \
                     {protocol}: use the same lectern for both"
                );
                let _ = replies.try_send(encode(&ToPresenter::Refused { reason }).into());
                return joined;
            }
            Ok(ToRoom::Key { key }) if joined => deliver(LinkEvent::Key(key)),
            Ok(ToRoom::Resume {
                slide,
                timer_ms,
                timer_running,
            }) if joined => deliver(LinkEvent::Resume {
                slide,
                timer: Duration::from_millis(timer_ms),
                running: timer_running,
            }),
            // Keys before a hello, or lines of another protocol: not a presenter screen.
            Ok(ToRoom::Key { .. } | ToRoom::Resume { .. }) | Err(_) => return joined,
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::wire::DemoState;

    fn at(ms: u64) -> RoomState {
        RoomState {
            slide: 2,
            timer_ms: ms,
            timer_running: true,
            ..RoomState::default()
        }
    }

    #[test]
    fn only_changes_beyond_the_clocks_moving_on_are_sent_again() {
        let start = Instant::now();
        let later = start + Duration::from_secs(3);
        // The timer moved on as expected: nothing to say.
        assert!(!differs(&at(1_000), start, &at(4_000), later));
        // Reset, or paused without saying so: say it.
        assert!(differs(&at(1_000), start, &at(0), later));
        let paused = RoomState {
            timer_running: false,
            ..at(4_000)
        };
        assert!(differs(&at(1_000), start, &paused, later));
        let next_slide = RoomState {
            slide: 3,
            ..at(4_000)
        };
        assert!(differs(&at(1_000), start, &next_slide, later));
        // A running demo's clock moves on too; its ending is news.
        let demo = |running, elapsed_ms, outcome: Option<&str>| RoomState {
            demo: Some(DemoState {
                name: "gil-bound".into(),
                engine: "native".into(),
                running,
                elapsed_ms,
                outcome: outcome.map(str::to_string),
                headline: None,
            }),
            ..at(1_000)
        };
        let moved = RoomState {
            timer_ms: 4_000,
            ..demo(true, 3_500, None)
        };
        assert!(!differs(&demo(true, 500, None), start, &moved, later));
        let ended = RoomState {
            timer_ms: 4_000,
            ..demo(false, 3_500, Some("finished"))
        };
        assert!(differs(&demo(true, 500, None), start, &ended, later));
    }
}

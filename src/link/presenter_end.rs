//! The presenter screen's end: connect to the room's socket, say hello, pass on what the room
//! says, and when the room goes, keep trying the same name (never another lecture's) until
//! it is back.

use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::dir::{live_sessions, socket_path};
use super::wire::{PROTOCOL, ToPresenter, ToRoom, encode, read_line};

/// How often a lost or missing room is looked for again.
pub const RETRY: Duration = Duration::from_millis(300);

/// What the presenter screen hears from its link.
#[derive(Debug, Clone, PartialEq)]
pub enum FromRoom {
    /// Nobody to talk to yet, and why (no lecture, or several to choose from).
    Waiting(String),
    /// Connected to the lecture with this name (it answered in this protocol).
    Connected(String),
    /// The room will not talk to this screen, and why (another protocol version): the link
    /// has stopped trying.
    Refused(String),
    /// The room said this.
    Said(ToPresenter),
    /// The connection ended (the room quit or died); the link keeps trying.
    Lost,
}

/// The presenter screen's link; keys sent while the room is away are dropped (the screen
/// handles them itself then).
#[derive(Clone, Default)]
pub struct ScreenLink {
    writer: Arc<Mutex<Option<UnixStream>>>,
}

impl ScreenLink {
    /// Starts the link's thread: connects to session `name` in `dir` (or, with no name, to
    /// the only lecture presented there, once there is exactly one), reports to `deliver`
    /// until it returns false.
    ///
    /// # Errors
    /// If the thread cannot be started.
    pub fn start(
        dir: PathBuf,
        name: Option<String>,
        deliver: impl Fn(FromRoom) -> bool + Send + 'static,
    ) -> std::io::Result<Self> {
        let link = Self::default();
        let writer = Arc::clone(&link.writer);
        std::thread::Builder::new()
            .name("presenter-link".into())
            .spawn(move || run(&dir, name, &writer, &deliver))?;
        Ok(link)
    }

    /// Sends `message` to the room if connected; returns whether it went.
    pub fn send(&self, message: &ToRoom) -> bool {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(stream) = writer.as_mut() else {
            return false;
        };
        if stream.write_all(encode(message).as_bytes()).is_ok() {
            true
        } else {
            *writer = None;
            false
        }
    }
}

/// Which lecture to talk to now: the named one, or the only one there is.
fn target(dir: &Path, name: Option<&str>) -> Result<String, String> {
    if let Some(name) = name {
        return Ok(name.to_string());
    }
    match live_sessions(dir).as_slice() {
        [] => Err(
            "no lecture is being presented on this machine yet: start `lectern present` \
                   in the room's terminal"
                .into(),
        ),
        [only] => Ok(only.clone()),
        several => Err(format!(
            "{} lectures are being presented ({}): choose one with --name",
            several.len(),
            several.join(", ")
        )),
    }
}

fn run(
    dir: &Path,
    mut name: Option<String>,
    writer: &Mutex<Option<UnixStream>>,
    deliver: &impl Fn(FromRoom) -> bool,
) {
    let mut waiting_said = None;
    loop {
        let stream = match target(dir, name.as_deref()) {
            Ok(chosen) => {
                if let Ok(stream) = UnixStream::connect(socket_path(dir, &chosen)) {
                    // Once chosen, always this lecture: a reconnect never picks another.
                    name = Some(chosen);
                    Some(stream)
                } else {
                    let others = live_sessions(dir);
                    let why = if others.is_empty() {
                        format!("waiting for the lecture `{chosen}` to be presented")
                    } else {
                        format!(
                            "waiting for the lecture `{chosen}` to be presented (presented \
                             now: {})",
                            others.join(", ")
                        )
                    };
                    say_waiting(&mut waiting_said, why, deliver)
                }
            }
            Err(why) => say_waiting(&mut waiting_said, why, deliver),
        };
        let Some(stream) = stream else {
            if waiting_said.is_none() {
                return;
            }
            std::thread::sleep(RETRY);
            continue;
        };
        waiting_said = None;
        let chosen = name.clone().unwrap_or_default();
        match talk(stream, &chosen, writer, deliver) {
            Talk::Ended => {}
            Talk::ScreenGone => return,
            Talk::Refused(why) => {
                deliver(FromRoom::Refused(why));
                return;
            }
        }
        *writer.lock().unwrap_or_else(PoisonError::into_inner) = None;
        if !deliver(FromRoom::Lost) {
            return;
        }
        std::thread::sleep(RETRY);
    }
}

/// Reports why the link waits, once per reason; `None` (and no reason kept) when the screen
/// is gone.
fn say_waiting(
    said: &mut Option<String>,
    why: String,
    deliver: &impl Fn(FromRoom) -> bool,
) -> Option<UnixStream> {
    if said.as_deref() != Some(why.as_str()) {
        if !deliver(FromRoom::Waiting(why.clone())) {
            *said = None;
            return None;
        }
        *said = Some(why);
    }
    None
}

/// How a connection ended.
enum Talk {
    /// The room went (or spoke something else): try again later.
    Ended,
    /// Nobody listens to the link any more.
    ScreenGone,
    /// The room refused this screen, for this reason: do not try again.
    Refused(String),
}

/// One connection: hello both ways, then the room's lines until it ends. The screen hears
/// it is connected only once the room has answered in this protocol.
fn talk(
    stream: UnixStream,
    name: &str,
    writer: &Mutex<Option<UnixStream>>,
    deliver: &impl Fn(FromRoom) -> bool,
) -> Talk {
    let Ok(mut out) = stream.try_clone() else {
        return Talk::Ended;
    };
    let _ = out.set_write_timeout(Some(Duration::from_secs(1)));
    if out
        .write_all(encode(&ToRoom::Hello { protocol: PROTOCOL }).as_bytes())
        .is_err()
    {
        return Talk::Ended;
    }
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut connected = false;
    while let Ok(true) = read_line(&mut reader, &mut line) {
        let Ok(message) = serde_json::from_str::<ToPresenter>(&line) else {
            // Not the room's protocol: treat as gone.
            break;
        };
        match &message {
            ToPresenter::Refused { reason } => return Talk::Refused(reason.clone()),
            ToPresenter::Hello { protocol, .. } if *protocol != PROTOCOL => {
                return Talk::Refused(format!(
                    "the room's lectern speaks presenter protocol {protocol}, this one \
                     {PROTOCOL}: use the same lectern for both"
                ));
            }
            ToPresenter::Hello { .. } if !connected => {
                connected = true;
                *writer.lock().unwrap_or_else(PoisonError::into_inner) = out.try_clone().ok();
                if !deliver(FromRoom::Connected(name.to_string())) {
                    return Talk::ScreenGone;
                }
            }
            _ => {}
        }
        if connected && !deliver(FromRoom::Said(message)) {
            return Talk::ScreenGone;
        }
    }
    Talk::Ended
}

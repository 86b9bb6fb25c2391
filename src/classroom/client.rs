//! A student's side of a class: connect, prove the join code, and then hear the room on a
//! thread of its own while sending answers and measurements.

use std::io::{BufReader, BufWriter};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use super::auth::{new_nonce, normalise, proof};
use super::frames::{PROTOCOL, ToRoom, ToStudent, WireError, read_frame, write_frame};

/// How long joining may take.
const JOIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a student could not join.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No room answers there.
    #[error("no room answers at {addr}: {why}")]
    Unreachable {
        /// Where.
        addr: String,
        /// Why.
        why: String,
    },
    /// The room refused.
    #[error("the room at {addr} refused join code {code}: {why}")]
    Refused {
        /// Where.
        addr: String,
        /// The code given.
        code: String,
        /// The room's words.
        why: String,
    },
    /// The room broke the protocol.
    #[error("the room at {addr} did not speak lectern's class protocol: {why}")]
    Protocol {
        /// Where.
        addr: String,
        /// What went wrong.
        why: String,
    },
}

/// A student in a class.
pub struct Student {
    /// The lesson the room presents (`built-in`, or a lesson file's hash).
    pub lesson: String,
    /// Its title.
    pub title: String,
    out: BufWriter<TcpStream>,
    input: BufReader<TcpStream>,
}

impl Student {
    /// Joins the room at `addr` with `code`, as `name`.
    ///
    /// # Errors
    /// [`JoinError`] saying which: unreachable, refused (naming the code), or not a room.
    pub fn join(addr: &str, code: &str, name: &str) -> Result<Self, JoinError> {
        let code = normalise(code);
        let unreachable = |why: String| JoinError::Unreachable {
            addr: addr.to_string(),
            why,
        };
        let protocol = |err: WireError| JoinError::Protocol {
            addr: addr.to_string(),
            why: err.to_string(),
        };
        let target: SocketAddr = addr
            .to_socket_addrs()
            .map_err(|e| unreachable(e.to_string()))?
            .next()
            .ok_or_else(|| unreachable("the address does not resolve".into()))?;
        let stream = TcpStream::connect_timeout(&target, JOIN_TIMEOUT)
            .map_err(|e| unreachable(e.to_string()))?;
        stream
            .set_read_timeout(Some(JOIN_TIMEOUT))
            .map_err(|e| unreachable(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        let clone = stream.try_clone().map_err(|e| unreachable(e.to_string()))?;
        let mut out = BufWriter::new(stream);
        let mut input = BufReader::new(clone);
        let room_nonce = match read_frame::<ToStudent>(&mut input).map_err(protocol)? {
            ToStudent::Challenge { nonce, .. } => nonce,
            other => {
                return Err(JoinError::Protocol {
                    addr: addr.into(),
                    why: format!("expected a challenge, got {other:?}"),
                });
            }
        };
        let nonce = new_nonce().map_err(unreachable)?;
        write_frame(
            &mut out,
            &ToRoom::Hello {
                protocol: PROTOCOL,
                name: name.to_string(),
                nonce: nonce.clone(),
            },
        )
        .map_err(protocol)?;
        write_frame(
            &mut out,
            &ToRoom::Proof {
                mac: proof(&code, &room_nonce, &nonce),
            },
        )
        .map_err(protocol)?;
        match read_frame::<ToStudent>(&mut input) {
            Ok(ToStudent::Welcome { lesson, title }) => {
                // From now on the room may be quiet for long: no read timeout.
                let _ = input.get_ref().set_read_timeout(None);
                Ok(Self {
                    lesson,
                    title,
                    out,
                    input,
                })
            }
            Ok(ToStudent::Refused { why }) => Err(JoinError::Refused {
                addr: addr.into(),
                code,
                why,
            }),
            // The room closed without a word: it refused.
            Err(WireError::Io(_)) => Err(JoinError::Refused {
                addr: addr.into(),
                code,
                why: "the room closed the connection".into(),
            }),
            Ok(other) => Err(JoinError::Protocol {
                addr: addr.into(),
                why: format!("expected a welcome, got {other:?}"),
            }),
            Err(err) => Err(protocol(err)),
        }
    }

    /// Sends `message` to the room.
    ///
    /// # Errors
    /// If the connection failed.
    pub fn send(&mut self, message: &ToRoom) -> Result<(), WireError> {
        write_frame(&mut self.out, message)
    }

    /// Waits for the room's next message.
    ///
    /// # Errors
    /// If the connection failed or the room sent something that is not a message.
    pub fn receive(&mut self) -> Result<ToStudent, WireError> {
        read_frame(&mut self.input)
    }

    /// Hears the room on a thread of its own from now on, handing each message to `on`
    /// (which returns `false` to stop); a connection that ends is heard as
    /// [`ToStudent::Ended`]. Returns the half that sends.
    ///
    /// # Errors
    /// If the thread cannot be started.
    pub fn listen(
        self,
        on: impl Fn(ToStudent) -> bool + Send + 'static,
    ) -> std::io::Result<StudentSender> {
        let Self { out, mut input, .. } = self;
        std::thread::Builder::new()
            .name("class-room".into())
            .spawn(move || {
                while let Ok(message) = read_frame::<ToStudent>(&mut input) {
                    let ended = message == ToStudent::Ended;
                    if !on(message) || ended {
                        return;
                    }
                }
                on(ToStudent::Ended);
            })?;
        Ok(StudentSender { out })
    }

    /// Stops waiting for the room after `timeout` (`None`: wait as long as it takes).
    ///
    /// # Errors
    /// If the socket refuses.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()> {
        self.input.get_ref().set_read_timeout(timeout)
    }
}

/// The sending half of a student that hears the room on its own thread.
pub struct StudentSender {
    out: BufWriter<TcpStream>,
}

impl StudentSender {
    /// Sends `message` to the room.
    ///
    /// # Errors
    /// If the connection failed.
    pub fn send(&mut self, message: &ToRoom) -> Result<(), WireError> {
        write_frame(&mut self.out, message)
    }
}

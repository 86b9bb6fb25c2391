//! The classroom: students' laptops follow the room over TCP — the room listens
//! (`lectern present --class`), students join with a code shown on the projector
//! (`lectern join HOST:PORT CODE`), follow the slides, and send back their predictions and
//! their machines' measurements. Data only crosses the wire, never code. See
//! `docs/classroom.md` for the threat model.

pub mod auth;
pub mod client;
pub mod frames;
pub mod server;
pub mod simulate;

pub use client::{JoinError, Student, StudentSender};
pub use server::{ClassEvent, ClassOptions, ClassServer};

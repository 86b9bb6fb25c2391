//! lectern: a terminal lecture companion. The binary is a thin shell over this library so
//! tests and benchmarks can drive the same code.
//!
//! The modules in layers, lowest first; a module uses only modules of lower layers
//! (`docs/architecture.md` says why, and `tests/layers.rs` checks it):
//!
//! 1. [`os`] — the one place with `unsafe`: fork, parent-death signals, pipes, shared memory.
//! 2. [`process`] — child processes of a multithreaded program; [`input`] — terminal input
//!    and signal threads.
//! 3. [`sampler`] — per-core CPU and per-process memory from `/proc`; [`lesson`] — lesson
//!    files as a terminal-free model.
//! 4. [`demo_runtime`] — how any demo runs (units, parameters, engines, runner, protocol).
//! 5. [`demos`] — the demo units and their catalog.
//! 6. [`claims`] — what a lesson says its demos will measure, and the verdicts.
//! 7. [`resolved`] — a lesson's demos and claims resolved against the demos, once, at load.
//! 8. [`theme`] — every style.
//! 9. [`ui`] — what the screens share for drawing.
//! 10. [`terminal`], [`link`], [`record`], [`script`], [`classroom`] — the full-screen
//!     session, the presenter link, recordings (and reading them back), tour scripts, the
//!     class of students' laptops.
//! 11. [`export`] — handouts, and a recording as a replay page or a GIF.
//! 12. [`lecture`] — the room's screen; [`watch`] — `lectern watch`.
//! 13. [`presenter`] — the speaker's screen (it reads the lecture's keys).
//! 14. [`cli`] — the command line.
//! 15. [`commands`] — `lectern check`, `lectern demo`, `lectern report`.

pub mod claims;
pub mod classroom;
pub mod cli;
pub mod commands;
pub mod demo_runtime;
pub mod demos;
pub mod export;
pub mod input;
pub mod lecture;
pub mod lesson;
pub mod link;
pub mod os;
pub mod presenter;
pub mod process;
pub mod record;
pub mod resolved;
pub mod sampler;
pub mod script;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod watch;

//! Child processes of a multithreaded program: started by a thread that then waits for them
//! (the parent-death signal is tied to the thread that created the child), their output
//! forwarded line by line at a bounded pace, in private directories, and how they ended; and
//! `lectern worker exec`, which asks to die with its parent before it becomes the command.

mod exec;
mod exit;
mod own_program;
mod pace;
mod private_dir;
mod waited;

pub use exec::exec_command;
pub use exit::{ExitInfo, signal_name};
pub use own_program::own_program;
pub use pace::{MAX_LINES_PER_SECOND, Pace};
pub use private_dir::private_dir;
pub use waited::{MAX_LINE, OnLine, Stream, exit_info, read_line_bounded, spawn_waited};

//! The one place lectern talks to the OS below the standard library's safe surface: forking
//! demo children, asking to die with the parent, and the token pipe that caps how many
//! processes a demo may create.
//!
//! Only single-threaded helper processes call [`fork_child`] (the UI never does); the
//! `fork-lock` demo is the one deliberate exception, because showing what goes wrong when a
//! multithreaded process forks is its whole point.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::unistd::{ForkResult, Pid};

/// Which side of a fork this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forked {
    /// The new process.
    Child,
    /// The original process, with the child's PID.
    Parent(u32),
}

/// Forks. In the child, asks the kernel for SIGKILL when the parent dies, and exits at once
/// if the parent already has, so no child can outlive its demo.
///
/// # Errors
/// If the kernel refuses the fork.
pub fn fork_child() -> io::Result<Forked> {
    let parent = std::process::id();
    #[expect(
        unsafe_code,
        reason = "fork() has no safe wrapper: it duplicates the whole process"
    )]
    // SAFETY: called from a process whose other threads (if any, only in the fork-lock demo)
    // hold no allocator locks that the child needs: glibc's fork resets malloc's locks, and
    // the child only allocates, writes to pipes, takes its own mutexes and exits. No Rust
    // object is shared between the two processes after the fork.
    let forked = unsafe { nix::unistd::fork() }.map_err(io::Error::from)?;
    match forked {
        ForkResult::Parent { child } => Ok(Forked::Parent(child.as_raw().unsigned_abs())),
        ForkResult::Child => {
            die_with_parent(parent, nix::sys::signal::Signal::SIGKILL);
            Ok(Forked::Child)
        }
    }
}

/// Asks the kernel for `signal` when the parent (the *thread* that created this process)
/// exits, and exits now, with status 125, if `expected_parent` is already gone (the request
/// would never fire). The one way a process of lectern's asks to die with its parent;
/// [`die_with_parent_on_exec`] makes the same request for a program that cannot.
pub fn die_with_parent(expected_parent: u32, signal: nix::sys::signal::Signal) {
    // Nothing is printed if the request fails: this also runs in children forked from a
    // multithreaded process, where taking stderr's lock could wait forever. (Only an
    // invalid signal makes it fail.)
    let _ = request_parent_death_signal(signal);
    if std::os::unix::process::parent_id() != expected_parent {
        std::process::exit(125);
    }
}

/// `PR_SET_PDEATHSIG`. It survives `exec`, so a command this process becomes inherits it.
/// Other systems have no parent-death signal; the runner still kills the group on exit.
fn request_parent_death_signal(signal: nix::sys::signal::Signal) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_pdeathsig(signal).map_err(io::Error::from)?;
    #[cfg(not(target_os = "linux"))]
    let _ = signal;
    Ok(())
}

/// Makes this process adopt the orphans of its descendants (`PR_SET_CHILD_SUBREAPER`), so it
/// can reap every process of its tree.
///
/// # Errors
/// If the kernel refuses.
pub fn become_subreaper() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_child_subreaper(true).map_err(io::Error::from)?;
    Ok(())
}

/// Makes the program `command` starts ask for SIGKILL when its parent dies, before it runs:
/// for a program that cannot ask itself (a CPython twin). Only the supervisor, a
/// single-threaded helper, starts programs this way; the UI never runs code between fork and
/// exec.
pub fn die_with_parent_on_exec(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    #[expect(
        unsafe_code,
        reason = "code between fork and exec must be given to pre_exec, which is unsafe"
    )]
    // SAFETY: the closure only makes one system call (prctl), which is async-signal-safe: it
    // allocates nothing and takes no lock, so it is sound between fork and exec even if the
    // parent had other threads.
    unsafe {
        command.pre_exec(|| request_parent_death_signal(nix::sys::signal::Signal::SIGKILL));
    }
}

/// A pipe whose ends survive `exec`, so spawned children can use them by number.
///
/// # Errors
/// If the pipe cannot be created.
pub fn inheritable_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let (read, write) = nix::unistd::pipe().map_err(io::Error::from)?;
    for fd in [&read, &write] {
        fcntl(fd.as_fd(), FcntlArg::F_SETFD(FdFlag::empty())).map_err(io::Error::from)?;
    }
    Ok((read, write))
}

/// Makes reads from `fd` return at once when there is nothing to read.
///
/// # Errors
/// If the flags cannot be changed.
pub fn set_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    let flags = fcntl(fd, FcntlArg::F_GETFL).map_err(io::Error::from)?;
    let flags = OFlag::from_bits_retain(flags) | OFlag::O_NONBLOCK;
    fcntl(fd, FcntlArg::F_SETFL(flags)).map_err(io::Error::from)?;
    Ok(())
}

/// Borrows a file descriptor inherited by number (from a parent's command line).
#[must_use]
pub fn inherited_fd(fd: i32) -> BorrowedFd<'static> {
    #[expect(
        unsafe_code,
        reason = "a descriptor number from our parent has no safe constructor"
    )]
    // SAFETY: the number comes from the parent that created the pipe without close-on-exec
    // and passed it on the command line; the descriptor stays open for the whole life of
    // this short-lived helper process, which never closes it.
    unsafe {
        BorrowedFd::borrow_raw(fd)
    }
}

/// PID as nix wants it.
#[must_use]
pub fn pid(pid: u32) -> Pid {
    Pid::from_raw(pid.cast_signed())
}

/// Closes a descriptor inherited by number (an end of a pipe this process must not hold).
pub fn close_inherited(fd: i32) {
    use std::os::fd::FromRawFd;
    #[expect(
        unsafe_code,
        reason = "taking ownership of a descriptor number has no safe form"
    )]
    // SAFETY: the parent passed this number as a descriptor it wants closed in this process;
    // nothing else in this process owns or uses it, so dropping the OwnedFd closes it once.
    drop(unsafe { OwnedFd::from_raw_fd(fd) });
}

/// Bytes waiting to be read in a pipe (`FIONREAD`): how full a queue is, measured rather than
/// counted.
///
/// # Errors
/// If the descriptor is not something that can tell.
pub fn bytes_waiting(fd: BorrowedFd<'_>) -> io::Result<usize> {
    use std::os::fd::AsRawFd;
    nix::ioctl_read_bad!(fionread, nix::libc::FIONREAD, nix::libc::c_int);
    let mut waiting: nix::libc::c_int = 0;
    #[expect(unsafe_code, reason = "ioctl has no safe wrapper")]
    // SAFETY: FIONREAD writes one int through the pointer, which points at a live local; the
    // descriptor is borrowed, so it stays open for the call.
    unsafe { fionread(fd.as_raw_fd(), &raw mut waiting) }.map_err(io::Error::from)?;
    Ok(usize::try_from(waiting).unwrap_or(0))
}

/// A named POSIX shared-memory mapping (`shm_open` + `mmap`), the native twin of Python's
/// `multiprocessing.shared_memory.SharedMemory`: every process that maps it sees the same
/// pages, so data crosses without a copy.
pub struct SharedMemory {
    start: std::ptr::NonNull<std::ffi::c_void>,
    len: usize,
}

impl SharedMemory {
    /// Creates `name` (which must not exist) with `len` bytes and maps it.
    ///
    /// # Errors
    /// If it exists already, or cannot be made or mapped.
    pub fn create(name: &str, len: usize) -> io::Result<Self> {
        use nix::sys::stat::Mode;
        let fd = nix::sys::mman::shm_open(
            name,
            OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR,
            Mode::S_IRUSR | Mode::S_IWUSR,
        )
        .map_err(io::Error::from)?;
        let size = nix::libc::off_t::try_from(len).map_err(io::Error::other)?;
        nix::unistd::ftruncate(&fd, size).map_err(io::Error::from)?;
        Self::map(&fd, len)
    }

    /// Maps `name`, which another process created with `len` bytes.
    ///
    /// # Errors
    /// If it does not exist or cannot be mapped.
    pub fn open(name: &str, len: usize) -> io::Result<Self> {
        let fd = nix::sys::mman::shm_open(name, OFlag::O_RDWR, nix::sys::stat::Mode::empty())
            .map_err(io::Error::from)?;
        Self::map(&fd, len)
    }

    fn map(fd: &OwnedFd, len: usize) -> io::Result<Self> {
        use nix::sys::mman::{MapFlags, ProtFlags, mmap};
        let length = std::num::NonZeroUsize::new(len)
            .ok_or_else(|| io::Error::other("a shared mapping needs at least one byte"))?;
        #[expect(unsafe_code, reason = "mmap has no safe wrapper: it creates memory")]
        // SAFETY: a fresh mapping of a shared-memory object at an address the kernel chooses;
        // it overlaps nothing in this process, and it is unmapped only in Drop.
        let start = unsafe {
            mmap(
                None,
                length,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
                fd,
                0,
            )
        }
        .map_err(io::Error::from)?;
        Ok(Self { start, len })
    }

    /// The shared bytes.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        #[expect(unsafe_code, reason = "a mapping is memory the compiler cannot see")]
        // SAFETY: `start` points at `len` mapped, readable bytes for as long as `self` lives;
        // other processes may write them, which for plain bytes only changes what is read.
        unsafe {
            std::slice::from_raw_parts(self.start.as_ptr().cast::<u8>(), self.len)
        }
    }

    /// The shared bytes, to write.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        #[expect(unsafe_code, reason = "a mapping is memory the compiler cannot see")]
        // SAFETY: as in `bytes`, and `&mut self` makes this the only reference in this process.
        unsafe {
            std::slice::from_raw_parts_mut(self.start.as_ptr().cast::<u8>(), self.len)
        }
    }

    /// Removes the name (the memory lives on while mapped); call it exactly once.
    pub fn unlink(name: &str) {
        let _ = nix::sys::mman::shm_unlink(name);
    }
}

impl Drop for SharedMemory {
    fn drop(&mut self) {
        #[expect(unsafe_code, reason = "unmapping ends memory the compiler cannot see")]
        // SAFETY: the mapping was made in `map` with this start and length, and no slice of it
        // outlives `self` (they borrow it).
        let _ = unsafe { nix::sys::mman::munmap(self.start, self.len) };
    }
}

/// Points standard error at `/dev/null`. For a terminal that has hung up: whatever still
/// prints on the way out (ratatui's `Drop` reports a cursor it cannot show) would otherwise
/// panic on EIO, and a panic there only wastes time on a report nobody can read.
pub fn silence_stderr() {
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        let _ = nix::unistd::dup2_stderr(null.as_fd());
    }
}

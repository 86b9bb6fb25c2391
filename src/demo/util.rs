//! Small process tools the demos share: fixed-size records over pipes, waiting for release,
//! simulated work, reaping, statistics.

use std::io;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{WaitStatus, waitpid};

use super::protocol::{Emitter, Event};
use crate::os;
use crate::sampler::ExitInfo;

/// Writes `values` as one record (little-endian `u32`s) in a single write, so records from
/// several processes sharing a pipe never interleave.
///
/// # Errors
/// If the write fails or is short.
pub fn write_record(fd: BorrowedFd<'_>, values: &[u32]) -> io::Result<()> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let written = nix::unistd::write(fd, &bytes).map_err(io::Error::from)?;
    if written == bytes.len() {
        Ok(())
    } else {
        Err(io::Error::other("short write of a record"))
    }
}

/// Reads one `N`-value record, waiting at most `timeout`; `Ok(None)` on timeout.
///
/// # Errors
/// If the pipe fails or closes mid-record.
pub fn read_record<const N: usize>(
    fd: BorrowedFd<'_>,
    timeout: Duration,
) -> io::Result<Option<[u32; N]>> {
    let mut bytes = vec![0u8; N * 4];
    let filled = fill(fd, &mut bytes, Some(Instant::now() + timeout))?;
    Ok(filled.then(|| decode(&bytes)))
}

/// Reads one `N`-value record, blocking until it is there.
///
/// # Errors
/// If the pipe fails or closes mid-record.
pub fn read_record_blocking<const N: usize>(fd: BorrowedFd<'_>) -> io::Result<[u32; N]> {
    let mut bytes = vec![0u8; N * 4];
    fill(fd, &mut bytes, None)?;
    Ok(decode(&bytes))
}

/// Fills `bytes` from `fd`; `Ok(false)` if `deadline` passes first.
fn fill(fd: BorrowedFd<'_>, bytes: &mut [u8], deadline: Option<Instant>) -> io::Result<bool> {
    let mut filled = 0;
    while filled < bytes.len() {
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            let millis = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            if poll(&mut fds, PollTimeout::from(millis)).map_err(io::Error::from)? == 0 {
                if left.is_zero() {
                    return Ok(false);
                }
                continue;
            }
        }
        let n = nix::unistd::read(fd, &mut bytes[filled..]).map_err(io::Error::from)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the pipe closed",
            ));
        }
        filled += n;
    }
    Ok(true)
}

fn decode<const N: usize>(bytes: &[u8]) -> [u32; N] {
    let mut values = [0u32; N];
    for (value, chunk) in values.iter_mut().zip(bytes.chunks_exact(4)) {
        *value = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    values
}

/// Blocks until every write end of the release pipe is closed (or the read fails).
pub fn wait_for_release(fd: i32) {
    let mut byte = [0u8; 1];
    while matches!(nix::unistd::read(os::inherited_fd(fd), &mut byte), Ok(n) if n > 0) {}
}

/// Allocates `mib` MiB and writes every page, so it really is resident.
#[must_use]
pub fn touch_mib(mib: u64) -> Vec<u8> {
    let bytes = usize::try_from(mib * 1024 * 1024).unwrap_or(0);
    let mut memory = vec![0u8; bytes];
    for page in memory.chunks_mut(4096) {
        page[0] = 1;
    }
    memory
}

/// Keeps this thread on a core until it has used `length` of CPU time, as measured by its own
/// CPU clock (`CLOCK_THREAD_CPUTIME_ID`), not the wall clock: "N µs of CPU work" then costs N
/// µs of CPU however many threads and processes compete for the cores, so a pool of more
/// workers than cores cannot look faster than the cores allow. The stand-in for one task's
/// work or an interpreter importing modules; the clock is read every few rounds so that
/// microsecond tasks end on time too.
pub fn busy_for(length: Duration) {
    const ROUND: u32 = 512;
    let start = thread_cpu_time();
    let mut x = 1u64;
    while thread_cpu_time().saturating_sub(start) < length {
        // About half a microsecond of arithmetic between clock reads: reading a thread's CPU
        // clock is a system call, and checking after every step would make the work mostly
        // kernel time.
        for _ in 0..ROUND {
            x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
    }
}

/// CPU time this thread has used.
#[must_use]
pub fn thread_cpu_time() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map_or(Duration::ZERO, Duration::from)
}

/// Waits for child `pid` and says how it ended.
#[must_use]
pub fn reap(pid: u32) -> ExitInfo {
    loop {
        match waitpid(os::pid(pid), None) {
            Ok(WaitStatus::Exited(_, code)) => return ExitInfo::Code(code),
            Ok(WaitStatus::Signaled(_, signal, _)) => return ExitInfo::Signal(signal as i32),
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return ExitInfo::Unknown,
        }
    }
}

/// Reaps `pid` and reports its end.
pub fn reap_and_report(out: Emitter, pid: u32, role: &str) -> ExitInfo {
    let exit = reap(pid);
    out.send(&exit_event(pid, role, exit));
    exit
}

/// The protocol event for a process's end.
#[must_use]
pub fn exit_event(pid: u32, role: &str, exit: ExitInfo) -> Event {
    let (code, signal) = match exit {
        ExitInfo::Code(code) => (Some(code), None),
        ExitInfo::Signal(signal) => (None, Some(signal)),
        ExitInfo::Unknown => (None, None),
    };
    Event::Exit {
        pid,
        role: role.into(),
        code,
        signal,
    }
}

/// The median of `values` (0 when empty).
#[must_use]
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => f64::midpoint(sorted[n / 2 - 1], sorted[n / 2]),
    }
}

/// Milliseconds since `start`.
#[must_use]
pub fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn records_cross_a_pipe_and_time_out_when_absent() {
        let (read, write) = os::inheritable_pipe().unwrap();
        write_record(write.as_fd(), &[7, 42]).unwrap();
        let got = read_record::<2>(read.as_fd(), Duration::from_secs(1)).unwrap();
        assert_eq!(got, Some([7, 42]));
        let none = read_record::<2>(read.as_fd(), Duration::from_millis(50)).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn busy_work_is_cpu_time_even_when_the_thread_is_not_running() {
        let wall = Instant::now();
        let cpu = thread_cpu_time();
        busy_for(Duration::from_millis(20));
        assert!(thread_cpu_time().saturating_sub(cpu) >= Duration::from_millis(20));
        assert!(wall.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn medians() {
        assert!((median(&[3.0, 1.0, 2.0]) - 2.0).abs() < 1e-9);
        assert!((median(&[4.0, 1.0, 2.0, 3.0]) - 2.5).abs() < 1e-9);
        assert!(median(&[]).abs() < 1e-9);
    }
}

//! Fixed-size records over pipes between a demo's processes: little-endian `u32`s written
//! in one `write` (so records from several writers never interleave), read whole with an
//! optional deadline; and the release pipe every child waits on.

use std::io;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::os;

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
}

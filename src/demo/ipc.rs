//! A process-safe FIFO like `multiprocessing.Queue`: fixed-size records over a pipe, with a
//! lock for readers (a single token in a second pipe). Writes of one record are atomic on a
//! pipe; the reader lock makes "take the next record" atomic too, as CPython's `_rlock` does.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::os;

/// Values per record.
pub const FIELDS: usize = 4;
/// A record: four little-endian `u32`s (16 bytes, well under the pipe's atomic-write size).
pub type Record = [u32; FIELDS];

/// The queue. Its descriptors survive fork, so children forked after it share it.
#[derive(Debug)]
pub struct Queue {
    read: OwnedFd,
    write: OwnedFd,
    lock_read: OwnedFd,
    lock_write: OwnedFd,
}

impl Queue {
    /// An empty queue.
    ///
    /// # Errors
    /// If the pipes cannot be made.
    pub fn new() -> io::Result<Self> {
        let (read, write) = os::inheritable_pipe()?;
        let (lock_read, lock_write) = os::inheritable_pipe()?;
        nix::unistd::write(&lock_write, b"L").map_err(io::Error::from)?;
        Ok(Self {
            read,
            write,
            lock_read,
            lock_write,
        })
    }

    /// Puts a record; blocks while the pipe is full (about 4,000 records).
    ///
    /// # Errors
    /// If the pipe fails.
    pub fn put(&self, record: Record) -> io::Result<()> {
        let bytes: Vec<u8> = record.iter().flat_map(|v| v.to_le_bytes()).collect();
        let written = nix::unistd::write(&self.write, &bytes).map_err(io::Error::from)?;
        if written == bytes.len() {
            Ok(())
        } else {
            Err(io::Error::other("short write to the queue"))
        }
    }

    /// Takes the next record, blocking until there is one (like `queue.get()`).
    ///
    /// # Errors
    /// If the pipe fails or is closed.
    pub fn get(&self) -> io::Result<Record> {
        let mut token = [0u8; 1];
        nix::unistd::read(self.lock_read.as_fd(), &mut token).map_err(io::Error::from)?;
        let record = self.read_record();
        nix::unistd::write(&self.lock_write, &token).map_err(io::Error::from)?;
        record
    }

    /// Takes a record if one is waiting; `None` after `wait` otherwise.
    ///
    /// # Errors
    /// If the pipe fails.
    pub fn get_timeout(&self, wait: Duration) -> io::Result<Option<Record>> {
        let millis = u16::try_from(wait.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(self.read.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(millis)).map_err(io::Error::from)? == 0 {
            return Ok(None);
        }
        self.get().map(Some)
    }

    fn read_record(&self) -> io::Result<Record> {
        let mut bytes = [0u8; FIELDS * 4];
        let mut filled = 0;
        while filled < bytes.len() {
            let n = nix::unistd::read(self.read.as_fd(), &mut bytes[filled..])
                .map_err(io::Error::from)?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the queue was closed",
                ));
            }
            filled += n;
        }
        let mut record = [0u32; FIELDS];
        for (i, chunk) in bytes.chunks_exact(4).enumerate() {
            record[i] = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_out_in_order() {
        let queue = Queue::new().unwrap();
        for i in 0..100 {
            queue.put([i, i * 2, 0, 7]).unwrap();
        }
        for i in 0..100 {
            assert_eq!(queue.get().unwrap(), [i, i * 2, 0, 7]);
        }
        assert_eq!(queue.get_timeout(Duration::from_millis(10)).unwrap(), None);
    }
}

//! A process-safe FIFO like `multiprocessing.Queue`: fixed-size records over a pipe, with a
//! lock for readers (a single token in a second pipe). Writes of one record are atomic on a
//! pipe; the reader lock makes "take the next record" atomic too, as CPython's `_rlock` does.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::records::{read_record_blocking, write_record};
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
        write_record(self.write.as_fd(), &record)
    }

    /// Takes the next record, blocking until there is one (like `queue.get()`).
    ///
    /// # Errors
    /// If the pipe fails or is closed.
    pub fn get(&self) -> io::Result<Record> {
        let mut token = [0u8; 1];
        nix::unistd::read(self.lock_read.as_fd(), &mut token).map_err(io::Error::from)?;
        let record = read_record_blocking(self.read.as_fd());
        nix::unistd::write(&self.lock_write, &token).map_err(io::Error::from)?;
        record
    }

    /// Puts a record followed by `bytes` (whose length the reader learns from `record[3]`).
    /// Only one process may put blobs on a queue: a blob is larger than the pipe's atomic
    /// write, so two writers could interleave.
    ///
    /// # Errors
    /// If the pipe fails, or the blob is 4 GiB or more.
    pub fn put_blob(&self, mut record: Record, bytes: &[u8]) -> io::Result<()> {
        record[3] = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        write_record(self.write.as_fd(), &record)?;
        let mut rest = bytes;
        while !rest.is_empty() {
            let written = nix::unistd::write(&self.write, rest).map_err(io::Error::from)?;
            rest = &rest[written..];
        }
        Ok(())
    }

    /// Takes the next record and the blob after it (`record[3]` bytes), holding the reader
    /// lock for both, so another reader never takes half a blob.
    ///
    /// # Errors
    /// If the pipe fails or closes mid-blob.
    pub fn get_blob(&self) -> io::Result<(Record, Vec<u8>)> {
        let mut token = [0u8; 1];
        nix::unistd::read(self.lock_read.as_fd(), &mut token).map_err(io::Error::from)?;
        let taken = (|| {
            let record = read_record_blocking::<FIELDS>(self.read.as_fd())?;
            let mut blob = vec![0u8; record[3] as usize];
            let mut filled = 0;
            while filled < blob.len() {
                let n = nix::unistd::read(self.read.as_fd(), &mut blob[filled..])
                    .map_err(io::Error::from)?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the pipe closed",
                    ));
                }
                filled += n;
            }
            Ok((record, blob))
        })();
        nix::unistd::write(&self.lock_write, &token).map_err(io::Error::from)?;
        taken
    }

    /// Records waiting in the queue now, read from the pipe itself.
    #[must_use]
    pub fn waiting(&self) -> usize {
        os::bytes_waiting(self.read.as_fd()).map_or(0, |bytes| bytes / (FIELDS * 4))
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
        assert_eq!(queue.waiting(), 100);
        for i in 0..100 {
            assert_eq!(queue.get().unwrap(), [i, i * 2, 0, 7]);
        }
        assert_eq!(queue.get_timeout(Duration::from_millis(10)).unwrap(), None);
    }

    #[test]
    fn blobs_come_whole_after_their_record() {
        let queue = Queue::new().unwrap();
        queue.put_blob([1, 7, 0, 0], b"hello").unwrap();
        queue.put_blob([1, 8, 0, 0], b"").unwrap();
        let (record, blob) = queue.get_blob().unwrap();
        assert_eq!(
            (record[1], record[3], blob.as_slice()),
            (7, 5, &b"hello"[..])
        );
        let (record, blob) = queue.get_blob().unwrap();
        assert_eq!((record[1], blob.len()), (8, 0));
    }
}

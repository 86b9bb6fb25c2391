//! How long each reported process lived: the emitter notes when a demo reports a process
//! (`process`) and fills in `lived_ms` when it reports its end (`exit`), so every demo — and
//! every way it reaps — tells the gauges how long a process too brief to be sampled lived.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Instant;

/// When each process reported by this process was reported. Per process: a forked child
/// inherits a copy and reports its own children in it.
static BORN: Mutex<Option<HashMap<u32, Instant>>> = Mutex::new(None);

/// The table, unless another thread holds it: a demo may fork while one of its threads
/// reports, and the child must still report (without a lifetime) rather than wait forever.
fn table() -> Option<MutexGuard<'static, Option<HashMap<u32, Instant>>>> {
    match BORN.try_lock() {
        Ok(born) => Some(born),
        Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    }
}

/// Notes that process `pid` was reported now.
pub(super) fn born(pid: u32) {
    if let Some(mut table) = table() {
        table
            .get_or_insert_with(HashMap::new)
            .insert(pid, Instant::now());
    }
}

/// How long process `pid` has lived since it was reported, in milliseconds, and forgets
/// it; `None` if it was never reported here.
pub(super) fn ended(pid: u32) -> Option<f64> {
    let at = table()?.as_mut()?.remove(&pid)?;
    Some(at.elapsed().as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_reported_then_ended_says_how_long_it_lived_once() {
        let pid = 4_000_001;
        assert_eq!(ended(pid), None, "never reported: no lifetime");
        born(pid);
        std::thread::sleep(std::time::Duration::from_millis(5));
        let ms = ended(pid).expect("reported, so timed");
        assert!((5.0..5000.0).contains(&ms), "{ms}");
        assert_eq!(ended(pid), None, "timed once");
    }
}

//! An interpreter lock that follows CPython's protocol since 3.2 (`Python/ceval_gil.c`):
//! a flag guarded by a mutex and a condition variable; a waiter waits up to the switch
//! interval, then asks for a drop only if the lock is still held and no switch happened
//! meanwhile; the holder checks the request between work units, drops the lock and waits
//! until another thread has taken it (forced switching).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
struct State {
    locked: bool,
    /// The thread that took the lock last (it may have dropped it since).
    last_holder: Option<usize>,
    /// Incremented each time a different thread takes the lock.
    switch_number: u64,
}

/// The lock.
#[derive(Debug)]
pub struct Gil {
    state: Mutex<State>,
    /// Signalled when the lock is dropped (CPython's `gil->cond`).
    released: Condvar,
    /// Signalled when a thread takes the lock (CPython's `gil->switch_cond`).
    switched: Condvar,
    /// The request to drop, read by the holder without the mutex (CPython's eval breaker).
    drop_request: AtomicBool,
    switches: AtomicU64,
    interval: Duration,
}

impl Gil {
    /// A free lock with this switch interval.
    #[must_use]
    pub fn new(interval: Duration) -> Self {
        Self {
            state: Mutex::new(State::default()),
            released: Condvar::new(),
            switched: Condvar::new(),
            drop_request: AtomicBool::new(false),
            switches: AtomicU64::new(0),
            interval,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the lock for thread `me`; returns how long it waited.
    pub fn take(&self, me: usize) -> Duration {
        let started = Instant::now();
        let mut state = self.lock();
        while state.locked {
            let saved = state.switch_number;
            let (guard, timeout) = self
                .released
                .wait_timeout(state, self.interval)
                .unwrap_or_else(PoisonError::into_inner);
            state = guard;
            // Waited a whole interval and nobody switched: ask the holder to let go.
            if timeout.timed_out() && state.locked && state.switch_number == saved {
                self.drop_request.store(true, Ordering::Release);
            }
        }
        state.locked = true;
        if state.last_holder != Some(me) {
            state.last_holder = Some(me);
            state.switch_number += 1;
            self.switches.fetch_add(1, Ordering::Relaxed);
        }
        // A request was meant for the previous holder; this thread starts afresh.
        self.drop_request.store(false, Ordering::Release);
        self.switched.notify_all();
        started.elapsed()
    }

    /// Drops the lock. When `forced` (a drop request made it let go), waits until another
    /// thread has taken it, so the same thread cannot grab it straight back.
    pub fn release(&self, me: usize, forced: bool) {
        let mut state = self.lock();
        state.locked = false;
        self.released.notify_one();
        if forced {
            // Bounded, in case the waiter that asked has meanwhile finished.
            let deadline = Instant::now() + self.interval * 4;
            while state.last_holder == Some(me) && !state.locked && Instant::now() < deadline {
                let (guard, _) = self
                    .switched
                    .wait_timeout(state, self.interval)
                    .unwrap_or_else(PoisonError::into_inner);
                state = guard;
            }
        }
    }

    /// Whether a waiter has asked the holder to let go.
    #[must_use]
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Acquire)
    }

    /// Times the lock changed hands.
    #[must_use]
    pub fn switches(&self) -> u64 {
        self.switches.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_waiter_gets_the_lock_after_about_one_interval_by_asking() {
        let gil = Arc::new(Gil::new(Duration::from_millis(5)));
        gil.take(0);
        let waiter = {
            let gil = Arc::clone(&gil);
            std::thread::spawn(move || gil.take(1))
        };
        // The holder "works" and checks for a request, as the eval loop does.
        let start = Instant::now();
        while !gil.drop_requested() {
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "no drop request came"
            );
            std::thread::yield_now();
        }
        assert!(
            start.elapsed() >= Duration::from_millis(4),
            "asked before the interval passed"
        );
        gil.release(0, true);
        let waited = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(4));
        assert_eq!(gil.switches(), 2);
        assert!(
            !gil.drop_requested(),
            "the new holder starts without a request"
        );
    }

    #[test]
    fn an_uncontended_lock_never_asks() {
        let gil = Gil::new(Duration::from_millis(1));
        for _ in 0..3 {
            gil.take(0);
            gil.release(0, false);
        }
        assert_eq!(gil.switches(), 1);
        assert!(!gil.drop_requested());
    }
}

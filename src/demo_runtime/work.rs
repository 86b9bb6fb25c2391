//! The work a demo does and how it is timed: CPU work measured in CPU time (never the wall
//! clock), memory that is really resident, medians and elapsed milliseconds.

use std::time::{Duration, Instant};

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
    use super::*;

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

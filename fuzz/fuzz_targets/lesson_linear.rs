//! Parsing must take about linear time: the input (at most 1 KiB) repeated to at least
//! 16 KiB, then to twice that, must not take much more than twice as long.
//!
//! The sizes are what makes a million runs affordable: at 64 KiB (and the fastest of three
//! parses) the instrumented build managed 31 runs a second, nine hours for a million. At
//! 16 KiB a quadratic term still shows once it costs as much as the linear one at that size,
//! and `tests/hostile_lessons.rs` parses a 10 MB lesson within a bound.
//!
//! Time is the thread's CPU time, not the wall clock: on a busy machine a wall clock also
//! counts the time the fuzzer waits for a core, and a run under `nice` on two busy cores
//! once measured 18.3 ms for twice the text against 4.1 ms (4.5 times) for an input that
//! parses in linear time. A failing comparison is also measured again before it counts.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use nix::time::{ClockId, clock_gettime};

/// Longer inputs are cut to this many bytes.
const MAX_INPUT: usize = 1024;

/// The shortest input repeated to reach this size is the smaller text.
const SMALL: usize = 16 * 1024;

/// Twice the text may take at most this many times as long (plus [`SLACK`]). Linear parsing
/// gives 2; quadratic parsing gives at most 4 (exactly 4 only when the quadratic term is all
/// there is), so a bound of 4 would never catch it. 3 catches it once the quadratic term
/// outweighs the linear one at 16 KiB, and still leaves linear parsing 50% for noise.
const MAX_RATIO: u32 = 3;

/// Absolute allowance for timer and cache noise.
const SLACK: Duration = Duration::from_micros(500);

/// How many times a comparison is made before a failure counts: super-linear parsing fails
/// every time, a burst of noise does not.
const ATTEMPTS: usize = 3;

/// CPU time this thread has used so far.
fn cpu_time() -> Duration {
    clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).map_or(Duration::ZERO, Duration::from)
}

/// The CPU time one parse of `text` takes (a comparison that fails is made again, so one
/// parse per size is enough).
fn parse_time(text: &str) -> Duration {
    let start = cpu_time();
    let parsed = lectern::lesson::parse(text);
    let elapsed = cpu_time().saturating_sub(start);
    drop(std::hint::black_box(parsed));
    elapsed
}

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(MAX_INPUT)];
    let input = String::from_utf8_lossy(data);
    if input.is_empty() {
        return;
    }
    let times = SMALL.div_ceil(input.len());
    let x = input.repeat(times);
    let y = input.repeat(2 * times);
    let mut measured = Vec::new();
    for _ in 0..ATTEMPTS {
        let tx = parse_time(&x);
        let ty = parse_time(&y);
        if ty <= tx * MAX_RATIO + SLACK {
            return;
        }
        measured.push((tx, ty));
    }
    panic!(
        "parsing {} bytes took more than {MAX_RATIO} times as long as {} bytes (+ {SLACK:?}) \
         every time: (small, large) = {measured:?}",
        y.len(),
        x.len()
    );
});

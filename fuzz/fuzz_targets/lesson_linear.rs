//! Parsing must take about linear time: the input (at most 4 KiB) repeated to at least
//! 64 KiB, then to twice that, must not take much more than twice as long.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;

/// The shortest input repeated to reach this size is the smaller text.
const SMALL: usize = 64 * 1024;

/// Twice the text may take at most this many times as long (plus [`SLACK`]). Linear parsing
/// gives 2; quadratic parsing gives at most 4 (exactly 4 only when the quadratic term is all
/// there is), so a bound of 4 would never catch it. 3 catches it once the quadratic term
/// outweighs the linear one at 64 KiB, and still leaves linear parsing 50% for noise.
const MAX_RATIO: u32 = 3;

/// Absolute allowance for timer and scheduler noise.
const SLACK: Duration = Duration::from_millis(5);

/// The fastest of three parses of `text`.
fn fastest_parse(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let parsed = lectern::lesson::parse(text);
            let elapsed = start.elapsed();
            drop(std::hint::black_box(parsed));
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(4096)];
    let input = String::from_utf8_lossy(data);
    if input.is_empty() {
        return;
    }
    let times = SMALL.div_ceil(input.len());
    let x = input.repeat(times);
    let y = input.repeat(2 * times);
    let tx = fastest_parse(&x);
    let ty = fastest_parse(&y);
    assert!(
        ty <= tx * MAX_RATIO + SLACK,
        "parsing {} bytes took {ty:?}, {} bytes only {tx:?}",
        y.len(),
        x.len()
    );
});

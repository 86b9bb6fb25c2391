//! Elapsed and expected time as the screens show it.

use std::time::Duration;

/// `MM:SS`, or `H:MM:SS` past an hour.
#[must_use]
pub fn format_clock(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A duration as an estimate says it: `4.8 s`, `25 s`, `3 min`.
#[must_use]
pub fn rough_duration(took: Duration) -> String {
    match took.as_secs_f64() {
        secs if secs < 10.0 => format!("{secs:.1} s"),
        secs if secs < 120.0 => format!("{secs:.0} s"),
        secs => format!("{:.0} min", secs / 60.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds_then_hours() {
        assert_eq!(format_clock(Duration::from_secs(65)), "01:05");
        assert_eq!(format_clock(Duration::from_secs(3_725)), "1:02:05");
    }
}

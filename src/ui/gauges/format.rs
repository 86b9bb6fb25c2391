//! Small text builders for gauges: eighth-block bars, sparklines, byte sizes.

/// Partial blocks for the last cell of a bar, in eighths.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// Sparkline levels, from empty to full.
const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A bar `width` cells wide, filled to `fraction` (clamped to 0–1) with eighth-cell precision.
#[must_use]
pub fn bar(fraction: f64, width: usize) -> String {
    bar_chars(fraction, width).collect()
}

/// The characters of [`bar`], one per cell, for drawing without building a string.
#[expect(
    clippy::cast_sign_loss,
    reason = "the value is clamped to be non-negative"
)]
pub fn bar_chars(fraction: f64, width: usize) -> impl Iterator<Item = char> {
    let eighths = (fraction.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let full = (eighths / 8).min(width);
    let partial = (full < width).then(|| EIGHTHS[eighths % 8]);
    let blank = width.saturating_sub(full + 1);
    std::iter::repeat_n('█', full)
        .chain(partial)
        .chain(std::iter::repeat_n(' ', blank))
}

/// One character for a percentage (0–100), as a block of that height.
#[must_use]
#[expect(
    clippy::cast_sign_loss,
    reason = "the value is clamped to be non-negative"
)]
pub fn level(pct: f32) -> char {
    let index = ((pct.clamp(0.0, 100.0) / 100.0) * 8.0).round() as usize;
    LEVELS[index.min(8)]
}

/// The last `width` percentages as a sparkline, right-aligned, one character per cell.
pub fn spark_chars(
    values: impl ExactSizeIterator<Item = f32>,
    width: usize,
) -> impl Iterator<Item = char> {
    let shown = values.len().min(width);
    let skipped = values.len() - shown;
    std::iter::repeat_n(' ', width - shown).chain(values.skip(skipped).map(level))
}

/// A byte count in binary units with 3 significant digits: `512K`, `45.2M`, `1.50G`.
#[must_use]
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "K", "M", "G", "T"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    match (unit, value) {
        (0, _) => format!("{n}B"),
        (_, v) if v >= 100.0 => format!("{v:.0}{}", UNITS[unit]),
        (_, v) if v >= 10.0 => format!("{v:.1}{}", UNITS[unit]),
        (_, v) => format!("{v:.2}{}", UNITS[unit]),
    }
}

/// Mebibytes with one decimal, for totals.
#[must_use]
pub fn mib(n: u64) -> String {
    format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
}

/// A percentage as the table shows it: whole percent. The table's keys use the same
/// rounding, so a change too small to show does not draw a row again.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a rounded percentage of a few thousand at most"
)]
pub(super) fn shown_pct(pct: f32) -> i64 {
    // Adding 0.0 turns -0.0 into 0.0, so an empty sum never shows "-0%".
    (pct + 0.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_keep_their_width() {
        assert_eq!(bar(0.0, 4), "    ");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(0.5 + 1.0 / 32.0, 4), "██▏ ");
        assert_eq!(bar(2.0, 3), "███");
        for f in [0.01, 0.33, 0.77, 0.99] {
            assert_eq!(bar(f, 7).chars().count(), 7, "{f}");
        }
    }

    #[test]
    fn sparklines_show_the_latest_values_right_aligned() {
        assert_eq!(
            spark_chars([0.0, 50.0, 100.0].into_iter(), 5).collect::<String>(),
            "   ▄█"
        );
        assert_eq!(
            spark_chars([100.0; 10].into_iter(), 3).collect::<String>(),
            "███"
        );
    }

    #[test]
    fn byte_sizes_are_short() {
        assert_eq!(bytes(512), "512B");
        assert_eq!(bytes(200 * 1024 * 1024), "200M");
        assert_eq!(bytes(45_300_000), "43.2M");
        assert_eq!(bytes(3 * 1024 * 1024 * 1024 / 2), "1.50G");
        assert_eq!(mib(200 * 1024 * 1024), "200.0 MiB");
    }
}

//! Program output made safe to draw in a terminal cell grid.

/// Makes a line of program output safe to draw: a carriage return keeps only what follows it
/// (as a terminal would show a progress bar), tabs become spaces, other control characters
/// (escape sequences) become `�`.
#[must_use]
pub fn printable(line: &str) -> String {
    let visible = line.rsplit('\r').next().unwrap_or(line);
    visible
        .chars()
        .flat_map(|c| match c {
            '\t' => vec![' '; 4],
            c if c.is_control() => vec!['\u{fffd}'],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn carriage_returns_tabs_and_escapes_are_made_harmless() {
        assert_eq!(printable("10%\r50%\r90%"), "90%");
        assert_eq!(printable("a\x1b[2Jb\tc"), "a\u{fffd}[2Jb    c");
    }
}

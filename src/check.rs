//! `lectern check PATH...`: validate lesson files without a terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::lesson::{Severity, parse_bytes};

/// Checks every file, printing one `PATH:LINE:COL: severity: message` line per problem on
/// stdout and a summary per file on stderr. Exit status 1 if any file has an error.
#[must_use]
pub fn run(paths: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let _ = writeln!(out, "{name}:1:1: error: cannot read the file: {err}");
                failed = true;
                continue;
            }
        };
        let parsed = parse_bytes(&bytes);
        for diagnostic in &parsed.diagnostics {
            let _ = writeln!(out, "{}", diagnostic.with_path(&name));
        }
        let errors = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = parsed.diagnostics.len() - errors;
        if errors > 0 {
            failed = true;
            eprintln!("{name}: {errors} error(s), {warnings} warning(s)");
        } else {
            let lesson = &parsed.lesson;
            let demos: usize = lesson.slides.iter().map(|s| s.demos.len()).sum();
            eprintln!(
                "{name}: ok — {} slides, {demos} demo directives, {warnings} warning(s)",
                lesson.slides.len()
            );
        }
    }
    let _ = out.flush();
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

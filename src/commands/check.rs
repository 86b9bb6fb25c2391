//! `lectern check PATH...`: validate lesson files without a terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::demo_runtime::view::count;
use crate::lesson::{Severity, parse_file};
use crate::resolved::resolve;

/// Checks every file, printing one `PATH:LINE:COL: severity: message` line per problem on
/// stdout and a summary per file on stderr. Exit status 1 if any file has an error.
#[must_use]
pub fn run(paths: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        let name = path.display().to_string();
        let bytes = match crate::lesson::read_lesson_file(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let _ = writeln!(out, "{name}:1:1: error: cannot read the file: {err}");
                failed = true;
                continue;
            }
        };
        // Parsed, then resolved against the demos: what loading it for the lecture does.
        let parsed = parse_file(path, &bytes);
        let (resolved, mut diagnostics) = resolve(parsed.lesson);
        diagnostics.extend(parsed.diagnostics);
        // The slides' Python, read (never run): a syntax error is found now, not in class.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            diagnostics.extend(crate::lesson::code_check::check(text));
        }
        diagnostics.sort_by_key(|d| (d.line, d.col));
        for diagnostic in &diagnostics {
            let _ = writeln!(out, "{}", diagnostic.with_path(&name));
        }
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics.len() - errors;
        if errors > 0 {
            failed = true;
            eprintln!("{name}: {errors} error(s), {warnings} warning(s)");
        } else {
            let demos: usize = resolved.demos.iter().map(Vec::len).sum();
            let questions = resolved
                .claims
                .iter()
                .filter(|c| c.question.is_some())
                .count();
            eprintln!(
                "{name}: ok — {}, {}, {}, {}, {}",
                count(resolved.lesson.slides.len() as u64, "slide", "slides"),
                count(demos as u64, "demo directive", "demo directives"),
                count(resolved.claims.len() as u64, "claim", "claims"),
                count(questions as u64, "question", "questions"),
                count(warnings as u64, "warning", "warnings")
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

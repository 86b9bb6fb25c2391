//! `lectern check PATH...`: validate lesson files without a terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::lesson::{Diagnostic, Lesson, Pos, Severity, parse_bytes};

/// Problems with the lesson's demo and claim directives: unknown demos, unknown parameters,
/// values out of range, parameters that do not fit together, unknown results, expectations
/// that do not parse (each names the valid choices).
#[must_use]
pub fn demo_diagnostics(lesson: &Lesson) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for directive in lesson.slides.iter().flat_map(|s| &s.demos) {
        let pos = Pos::new(directive.line, directive.col);
        let checked = crate::demos::find(&directive.name).and_then(|spec| {
            spec.params_from(
                directive
                    .params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            )
        });
        if let Err(err) = checked {
            problems.push(Diagnostic::error(pos, err.to_string()));
        }
    }
    // Claims name demos, parameters and results too.
    problems.extend(crate::claims::resolve(lesson).1);
    problems
}

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
        let mut parsed = parse_bytes(&bytes);
        parsed.diagnostics.extend(demo_diagnostics(&parsed.lesson));
        parsed.diagnostics.sort_by_key(|d| (d.line, d.col));
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
            let claims: usize = lesson.slides.iter().map(|s| s.claims.len()).sum();
            eprintln!(
                "{name}: ok — {} slides, {demos} demo directives, {claims} claims, {warnings} \
                 warning(s)",
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

//! `lectern progress [LESSON] [--json] [--reset]`: what a learner predicted in learn mode and
//! what their machine measured, per slide, with a summary of what is worth another look.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::claims::progress_log::{Progress, read};
use crate::resolved::ResolvedLesson;

/// Prints (or, with `reset`, forgets) the progress kept at `path` for `lesson`, called `name`.
/// Exit status 0, or 1 when the file cannot be read or is not a progress file (left as it is).
#[must_use]
pub fn run(
    lesson: &ResolvedLesson,
    name: &str,
    path: &Path,
    (json, reset): (bool, bool),
) -> ExitCode {
    if reset {
        return match std::fs::remove_file(path) {
            Ok(()) => {
                eprintln!(
                    "lectern progress: forgot every answer to {name} ({})",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                eprintln!("lectern progress: no answers to {name} to forget");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("lectern progress: cannot remove {}: {err}", path.display());
                ExitCode::FAILURE
            }
        };
    }
    let progress = match load(lesson, path) {
        Ok(Some(progress)) => progress,
        Ok(None) => {
            eprintln!(
                "lectern progress: no answers to {name} yet: `lectern --learn` asks a question \
                 before each demo"
            );
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("lectern progress: {why}");
            return ExitCode::FAILURE;
        }
    };
    let asked = asked(lesson);
    let printed = if json {
        print_json(&progress)
    } else {
        print_text(&progress, asked)
    };
    if printed.is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Reads the progress kept at `path` for `lesson`, saying on standard error what was left
/// out (a torn last line, answers to another version); `None` when there is no file yet.
///
/// # Errors
/// The file cannot be read, or is not a progress file (it is left as it is).
pub fn load(lesson: &ResolvedLesson, path: &Path) -> Result<Option<Progress>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(format!("cannot read {}: {err}", path.display())),
    };
    let version = crate::lesson::version(lesson.source_hash);
    let progress = read(&text, &version).map_err(|why| {
        format!(
            "{}: {why}; the file is left as it is (`lectern progress --reset` forgets it)",
            path.display()
        )
    })?;
    if progress.torn {
        eprintln!(
            "lectern progress: the last line was cut short (lectern stopped mid-write) and is left out"
        );
    }
    if progress.other_version > 0 {
        eprintln!(
            "lectern progress: {} answer(s) to another version of this lesson are left out",
            progress.other_version
        );
    }
    Ok(Some(progress))
}

/// How many questions `lesson` asks.
#[must_use]
pub fn asked(lesson: &ResolvedLesson) -> usize {
    lesson
        .claims
        .iter()
        .filter(|c| c.question.is_some())
        .count()
}

fn print_json(progress: &Progress) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in &progress.latest {
        writeln!(out, "{}", serde_json::to_string(line).unwrap_or_default())?;
    }
    out.flush()
}

fn print_text(progress: &Progress, asked: usize) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in &progress.latest {
        writeln!(out, "slide {} · {}", line.slide, line.question)?;
        let predicted = line
            .prediction
            .as_deref()
            .map_or_else(|| "skipped".to_string(), |p| format!("predicted {p}"));
        let measured = line
            .measured
            .as_deref()
            .map(|m| format!(" · measured {m}"))
            .unwrap_or_default();
        let outcome = if line.outcome == "skipped" {
            String::new()
        } else {
            format!(" · {}", line.outcome)
        };
        writeln!(out, "  {predicted}{measured}{outcome} ({})\n", line.engine)?;
    }
    writeln!(out, "{}.", progress.summary(asked))?;
    out.flush()
}

//! `lectern export --html FILE`: the lesson as a handout students can read offline and print.

mod gif;
mod glyphs;
mod html;
pub mod recording;
mod replay_page;
mod results;

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub use html::{escape, page};
pub use results::{Measured, Results, ResultsError};

use crate::claims::progress_log::ProgressLine;
use crate::lesson::Lesson;

/// Writes the handout of `lesson` to `out`, with the verdicts in `results` (from
/// `lectern report --json`) and the learner's `predictions` (with how many questions the
/// lesson asks) beside their claims. Returns the exit code: 0 when written, 2
/// for a results file that cannot be used, 1 when the page cannot be written.
#[must_use]
pub fn run(
    lesson: &Lesson,
    out: &Path,
    results: Option<&Path>,
    predictions: Option<(Vec<ProgressLine>, usize)>,
) -> ExitCode {
    let mut results = match results.map(Results::load).transpose() {
        Ok(results) => results.unwrap_or_default(),
        Err(err) => {
            eprintln!("lectern export: {err}");
            return ExitCode::from(2);
        }
    };
    if let Some((predictions, asked)) = predictions {
        if predictions.is_empty() {
            eprintln!(
                "lectern export: no predictions to put in the handout yet: `lectern --learn` \
                 asks a question before each demo"
            );
        }
        results = results.with_predictions(predictions, asked);
    }
    let page = page(lesson, &results);
    match write_whole(out, page.as_bytes()) {
        Ok(()) => {
            println!(
                "lectern export: wrote {} ({}, {} KiB)",
                out.display(),
                crate::demo_runtime::view::count(lesson.slides.len() as u64, "slide", "slides"),
                page.len().div_ceil(1024)
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("lectern export: cannot write {}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// Writes the handout of `lesson` to `out` with `results`, the verdicts this lecture session
/// measured (`w` in the lecture, `Verdicts::results` in the lecture). Returns what to tell the
/// presenter, or why it failed.
///
/// # Errors
/// The reason the page could not be written, in words.
pub fn write_session(lesson: &Lesson, results: &Results, out: &Path) -> Result<String, String> {
    write_whole(out, page(lesson, results).as_bytes())
        .map_err(|err| format!("{}: {err}", out.display()))?;
    // The whole path: the presenter may not know which directory lectern was started in.
    let shown = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    Ok(format!(
        "Handout written: {} ({} measured here).",
        shown.display(),
        crate::demo_runtime::view::count(results.len() as u64, "verdict", "verdicts")
    ))
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a reader
/// (or a full disk) never sees half a page.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the output needs a file name"))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

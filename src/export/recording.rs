//! `lectern export --replay CAST` and `--gif CAST`: a recording made with `--record` turned into
//! what a course page can show — an offline page with the player, or an animated GIF.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::record::read_vtt;

pub use super::gif::GifOptions;
use crate::record::replay::Cast;

/// `--replay`: writes the page for `cast` to `out` (default: beside it, `.html`).
#[must_use]
pub fn replay(cast_path: &Path, out: Option<&Path>) -> ExitCode {
    let out = out.map_or_else(|| cast_path.with_extension("html"), Path::to_path_buf);
    let (cast, text) = match load(cast_path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Captions recorded beside it, if any.
    let cues = std::fs::read_to_string(cast_path.with_extension("vtt"))
        .map(|vtt| read_vtt(&vtt))
        .unwrap_or_default();
    let page = super::replay_page::page(&cast, &text, &cues);
    written(
        &out,
        page.as_bytes(),
        &format!("{} chapters, {} captions", cast.markers().len(), cues.len()),
    )
}

/// `--gif`: renders `cast` to `out` (default: beside it, `.gif`).
#[must_use]
pub fn gif(cast_path: &Path, out: Option<&Path>, options: &GifOptions) -> ExitCode {
    let out: PathBuf = out.map_or_else(|| cast_path.with_extension("gif"), Path::to_path_buf);
    let (cast, _) = match load(cast_path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match super::gif::render(&cast, options) {
        Ok((bytes, frames)) => written(&out, &bytes, &format!("{frames} frames")),
        Err(why) => {
            eprintln!("lectern export: {why}");
            ExitCode::from(2)
        }
    }
}

/// The cast and its text, or the exit code after saying why not.
fn load(path: &Path) -> Result<(Cast, String), ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        eprintln!("lectern export: cannot read {}: {err}", path.display());
        ExitCode::from(2)
    })?;
    let cast = Cast::parse(&path.display().to_string(), &text).map_err(|err| {
        eprintln!("lectern export: {err}");
        ExitCode::from(2)
    })?;
    Ok((cast, text))
}

/// Writes `bytes` to `out` whole, and says what was written.
fn written(out: &Path, bytes: &[u8], what: &str) -> ExitCode {
    match super::write_whole(out, bytes) {
        Ok(()) => {
            println!(
                "lectern export: wrote {} ({what}, {} KiB)",
                out.display(),
                bytes.len().div_ceil(1024)
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("lectern export: cannot write {}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}

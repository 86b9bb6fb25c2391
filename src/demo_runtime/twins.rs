//! The CPython twins, embedded in the binary and written to a per-user cache directory on
//! first use, so an installed `lectern` runs them on its own and nothing is written to the
//! user's current directory.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The files of the CPython twins: each file's name and text, as the catalog embeds them
/// from `assets/python/`.
pub type TwinFiles = &'static [(&'static str, &'static str)];

/// The twins' side of the event protocol, which every twin imports: part of the runtime, not
/// of any demo.
pub const PROTOCOL_MODULE: (&str, &str) = (
    "lectern_protocol.py",
    include_str!("../../assets/python/lectern_protocol.py"),
);

/// Runs a lesson's own demo script as `__main__` (`python launcher SCRIPT --params …`), with
/// the protocol module importable from beside the launcher: the author copies nothing.
pub const LESSON_DEMO_LAUNCHER: (&str, &str) = (
    "lectern_lesson_demo.py",
    include_str!("../../assets/python/lectern_lesson_demo.py"),
);

/// Why the twins could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum TwinsError {
    /// Neither `XDG_CACHE_HOME` nor `HOME` says where a cache goes.
    #[error(
        "no cache directory: set XDG_CACHE_HOME or HOME so lectern can write its Python \
         demos, or use --engine native"
    )]
    NoCacheDir,
    /// Writing failed.
    #[error(
        "cannot write the Python demos to {path}: {source}; set XDG_CACHE_HOME to a writable \
         directory, or use --engine native"
    )]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Where the twins are written: `$XDG_CACHE_HOME/lectern/python-VERSION` or
/// `~/.cache/lectern/python-VERSION`.
#[must_use]
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(
        base.join("lectern")
            .join(format!("python-{}", env!("CARGO_PKG_VERSION"))),
    )
}

/// Writes `twins` and the protocol module to the cache directory (only what is missing or
/// different) and returns the directory.
///
/// # Errors
/// [`TwinsError`] naming the directory and what to do.
pub fn install(twins: TwinFiles) -> Result<PathBuf, TwinsError> {
    let dir = cache_dir().ok_or(TwinsError::NoCacheDir)?;
    install_in(&dir, twins)?;
    Ok(dir)
}

/// Writes `twins` and the protocol module into `dir`.
///
/// # Errors
/// [`TwinsError::Write`] naming the file.
pub fn install_in(dir: &Path, twins: TwinFiles) -> Result<(), TwinsError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TwinsError::Write { path, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(failed(dir))?;
    for (name, text) in [&PROTOCOL_MODULE, &LESSON_DEMO_LAUNCHER]
        .into_iter()
        .chain(twins)
    {
        let path = dir.join(name);
        if fs::read(&path).is_ok_and(|existing| existing == text.as_bytes()) {
            continue;
        }
        // Written beside, then renamed: a demo starting meanwhile never reads half a file.
        let partial = dir.join(format!(".{name}.{}", std::process::id()));
        fs::write(&partial, text).map_err(failed(&partial))?;
        fs::set_permissions(&partial, fs::Permissions::from_mode(0o600))
            .map_err(failed(&partial))?;
        fs::rename(&partial, &path).map_err(failed(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two made-up twins, so the runtime's tests need no demo.
    const TWINS: TwinFiles = &[("demo_a.py", "print('a')\n"), ("demo_b.py", "print('b')\n")];

    #[test]
    fn twins_are_written_once_and_rewritten_when_changed() {
        let dir = std::env::temp_dir().join(format!("lectern-twins-{}", std::process::id()));
        install_in(&dir, TWINS).unwrap();
        for (name, text) in [&PROTOCOL_MODULE, &LESSON_DEMO_LAUNCHER]
            .into_iter()
            .chain(TWINS)
        {
            assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), *text);
        }
        fs::write(dir.join(TWINS[0].0), "stale").unwrap();
        install_in(&dir, TWINS).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join(TWINS[0].0)).unwrap(),
            TWINS[0].1
        );
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "no partial files left: {leftovers:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unwritable_directory_is_a_clear_error() {
        let err = install_in(Path::new("/proc/lectern-cannot-write-here"), TWINS).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/proc/lectern-cannot-write-here"), "{text}");
        assert!(text.contains("--engine native"), "{text}");
    }
}

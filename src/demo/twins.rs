//! The CPython twins, embedded in the binary and written to a per-user cache directory on
//! first use, so an installed `lectern` runs them on its own and nothing is written to the
//! user's current directory.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::engine::cache_dir;

/// One twin: its file name and its text, embedded from `assets/python/`.
macro_rules! twin {
    ($name:literal) => {
        ($name, include_str!(concat!("../../assets/python/", $name)))
    };
}

/// Every file of `assets/python`: the shared protocol module, the twins, their helpers.
pub const FILES: &[(&str, &str)] = &[
    twin!("lectern_protocol.py"),
    twin!("demo_gil.py"),
    twin!("demo_start_methods.py"),
    twin!("demo_fork_lock.py"),
    twin!("demo_main_guard.py"),
    twin!("main_guard_guarded.py"),
    twin!("main_guard_unguarded.py"),
    twin!("demo_queue_sentinel.py"),
    twin!("demo_chunksize.py"),
    twin!("demo_process_cost.py"),
    twin!("demo_pickling.py"),
    twin!("demo_paths_vs_payloads.py"),
    twin!("demo_pool_api.py"),
    twin!("demo_crossover.py"),
    twin!("demo_worker_crash.py"),
    twin!("demo_io_bound.py"),
];

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

/// Writes the twins to the cache directory (only what is missing or different) and returns
/// the directory.
///
/// # Errors
/// [`TwinsError`] naming the directory and what to do.
pub fn install() -> Result<PathBuf, TwinsError> {
    let dir = cache_dir().ok_or(TwinsError::NoCacheDir)?;
    install_in(&dir)?;
    Ok(dir)
}

/// Writes the twins into `dir`.
///
/// # Errors
/// [`TwinsError::Write`] naming the file.
pub fn install_in(dir: &Path) -> Result<(), TwinsError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TwinsError::Write { path, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(failed(dir))?;
    for (name, text) in FILES {
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

    #[test]
    fn twins_are_written_once_and_rewritten_when_changed() {
        let dir = std::env::temp_dir().join(format!("lectern-twins-{}", std::process::id()));
        install_in(&dir).unwrap();
        for (name, text) in FILES {
            assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), *text);
        }
        fs::write(dir.join(FILES[0].0), "stale").unwrap();
        install_in(&dir).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join(FILES[0].0)).unwrap(),
            FILES[0].1
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
    fn every_demo_with_a_python_twin_ships_it() {
        for demo in crate::demo::ALL {
            if let Some(program) = demo.spec().python {
                assert!(
                    FILES.iter().any(|(name, _)| *name == program),
                    "{}: {program} is not embedded",
                    demo.spec().name
                );
            }
        }
    }

    #[test]
    fn an_unwritable_directory_is_a_clear_error() {
        let err = install_in(Path::new("/proc/lectern-cannot-write-here")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/proc/lectern-cannot-write-here"), "{text}");
        assert!(text.contains("--engine native"), "{text}");
    }
}

//! Where the room's socket lives: a directory only this user can enter, one socket per
//! lecture being presented, named so that two lectures on one machine never cross.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

/// Overrides the directory (tests use their own, so they never meet a real lecture).
pub const DIR_ENV: &str = "LECTERN_RUNTIME_DIR";

/// Longest session name accepted (a socket path must stay under 108 bytes).
pub const MAX_NAME: usize = 40;

/// The private directory for sockets: `$LECTERN_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/lectern`,
/// else `/tmp/lectern-UID` (`/tmp` itself, not `$TMPDIR`, so two terminals with different
/// temporary directories still meet). Created mode 0700 if missing; refused if another user owns it or
/// others can enter it (someone could otherwise put a socket of their own in its place).
///
/// # Errors
/// If it cannot be created, or is not private.
pub fn runtime_dir() -> Result<PathBuf, LinkError> {
    let dir = if let Some(dir) = std::env::var_os(DIR_ENV) {
        PathBuf::from(dir)
    } else if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        PathBuf::from(runtime).join("lectern")
    } else {
        PathBuf::from("/tmp").join(format!("lectern-{}", nix::unistd::getuid()))
    };
    ensure_private(&dir)?;
    Ok(dir)
}

/// Creates `dir` (mode 0700) if missing and checks that it is ours and closed to others.
///
/// # Errors
/// [`LinkError::Dir`] naming the directory.
pub fn ensure_private(dir: &Path) -> Result<(), LinkError> {
    let failed = |source: io::Error| LinkError::Dir {
        dir: dir.to_path_buf(),
        source,
    };
    match fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(failed(err)),
    }
    let meta = fs::symlink_metadata(dir).map_err(failed)?;
    if !meta.is_dir() {
        return Err(failed(io::Error::other("not a directory")));
    }
    if meta.uid() != nix::unistd::getuid().as_raw() {
        return Err(failed(io::Error::other("owned by another user")));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(failed(io::Error::other(format!(
            "others can enter it (mode {:o}); `chmod 700` it",
            meta.permissions().mode() & 0o777
        ))));
    }
    Ok(())
}

/// Checks a session name: letters, digits, `.`, `_`, `-`, at most [`MAX_NAME`] characters.
///
/// # Errors
/// [`LinkError::BadName`] saying what is allowed.
pub fn check_name(name: &str) -> Result<(), LinkError> {
    let fine = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if fine {
        Ok(())
    } else {
        Err(LinkError::BadName(name.to_string()))
    }
}

/// The socket of session `name` in `dir`.
#[must_use]
pub fn socket_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.sock"))
}

/// A name derived from the lesson's file: its stem made safe (`25-multiprocessing`), or
/// `lecture` for anything that leaves nothing usable.
#[must_use]
pub fn default_name(lesson: Option<&Path>) -> String {
    let stem = lesson
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(MAX_NAME - 4)
        .collect();
    let safe = safe.trim_matches('-');
    if safe.is_empty() {
        "lecture".into()
    } else {
        safe.into()
    }
}

/// Whether a lecture is listening on `socket`.
#[must_use]
pub fn is_live(socket: &Path) -> bool {
    UnixStream::connect(socket).is_ok()
}

/// Whether `socket` can be claimed: nothing there, or a socket nobody listens on (its lectern
/// was killed), which is removed. Only a room claiming a name calls this — a presenter screen
/// polling could otherwise catch a room between its bind and its listen and remove a live
/// socket.
fn claim(socket: &Path) -> bool {
    match UnixStream::connect(socket) {
        Ok(_) => false,
        Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => {
            fs::remove_file(socket).is_ok()
        }
        Err(_) => !socket.exists(),
    }
}

/// The names of the lectures presented now, sorted.
#[must_use]
pub fn live_sessions(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry
                .file_name()
                .to_str()?
                .strip_suffix(".sock")?
                .to_string();
            is_live(&entry.path()).then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// `wanted` if no lecture uses it; for a default name, the first of `NAME-2`, `NAME-3`, …
/// that is free. An explicitly chosen name that is taken is an error.
///
/// # Errors
/// [`LinkError::Taken`] when `explicit` and a lecture already listens under the name.
pub fn free_name(dir: &Path, wanted: &str, explicit: bool) -> Result<String, LinkError> {
    if claim(&socket_path(dir, wanted)) {
        return Ok(wanted.to_string());
    }
    if explicit {
        return Err(LinkError::Taken(wanted.to_string()));
    }
    (2..1000)
        .map(|n| format!("{wanted}-{n}"))
        .find(|name| claim(&socket_path(dir, name)))
        .ok_or_else(|| LinkError::Taken(wanted.to_string()))
}

/// Why the link could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The private directory for sockets is unusable.
    #[error("cannot use {} for the presenter link: {source}", dir.display())]
    Dir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The socket could not be made.
    #[error("cannot listen on {}: {source}", path.display())]
    Socket {
        /// The socket's path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A session name with characters a file name should not have.
    #[error(
        "`{0}` is not a usable name: use ASCII letters, digits, `.`, `_` and `-` (at most \
         {max} characters, not starting with `.`)",
        max = MAX_NAME
    )]
    BadName(String),
    /// Another lecture is presented under this name.
    #[error("a lecture named `{0}` is already being presented here: choose another --name")]
    Taken(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lectern-dir-test-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn the_directory_is_created_private_and_an_open_one_is_refused() {
        let dir = temp_dir("private");
        ensure_private(&dir).expect("created");
        let mode = fs::metadata(&dir).expect("exists").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
        let err = ensure_private(&dir).expect_err("open to others");
        assert!(err.to_string().contains("chmod 700"), "{err}");
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn names_are_checked_and_derived_from_the_lesson_file() {
        assert!(check_name("lecture-25_b.2").is_ok());
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "sp ace",
            &"x".repeat(MAX_NAME + 1),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            default_name(Some(Path::new("/l/25-multiprocessing.md"))),
            "25-multiprocessing"
        );
        assert_eq!(default_name(Some(Path::new("my lesson.md"))), "my-lesson");
        assert_eq!(default_name(Some(Path::new("..."))), "lecture");
        assert_eq!(default_name(None), "lecture");
        assert!(check_name(&default_name(Some(Path::new(&"é".repeat(90))))).is_ok());
    }

    #[test]
    fn a_live_name_is_skipped_or_refused_and_a_dead_socket_is_cleared() {
        let dir = temp_dir("names");
        ensure_private(&dir).expect("created");
        let live = UnixListener::bind(socket_path(&dir, "talk")).expect("bind");
        assert_eq!(free_name(&dir, "talk", false).expect("free"), "talk-2");
        assert!(matches!(
            free_name(&dir, "talk", true),
            Err(LinkError::Taken(name)) if name == "talk"
        ));
        // A socket whose listener is gone (its lectern was killed) is not listed, and is
        // cleared by the room that claims its name (only then).
        drop(UnixListener::bind(socket_path(&dir, "dead")).expect("bind"));
        assert_eq!(live_sessions(&dir), vec!["talk".to_string()]);
        assert!(socket_path(&dir, "dead").exists());
        assert_eq!(free_name(&dir, "dead", true).expect("free again"), "dead");
        assert!(!socket_path(&dir, "dead").exists());
        drop(live);
        fs::remove_dir_all(&dir).expect("clean up");
    }
}

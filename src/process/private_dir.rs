//! Private directories for what a child process writes: made with mode 0700 under the
//! system's temporary directory, so no other user can read or plant files in them.

use std::io;
use std::path::PathBuf;

/// A new private directory (mode 0700) under the system's temporary directory, named
/// `PREFIX-PID-N`.
///
/// # Errors
/// If no such directory can be made.
pub fn private_dir(prefix: &str) -> io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let dir = base.join(format!("{prefix}-{}-{attempt}", std::process::id()));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other(
        "cannot make a private temporary directory",
    ))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn each_directory_is_new_and_only_ours() {
        let first = super::private_dir("lectern-private-test").unwrap();
        let second = super::private_dir("lectern-private-test").unwrap();
        assert_ne!(first, second);
        let mode = std::fs::metadata(&first).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        std::fs::remove_dir(first).unwrap();
        std::fs::remove_dir(second).unwrap();
    }
}

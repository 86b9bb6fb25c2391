//! Where lectern's own program is, for the helpers it starts (`lectern worker …`).

use std::io;
use std::path::PathBuf;

/// Lectern's own executable, to start a helper with.
///
/// Linux keeps a running program's path even after its file is replaced (a rebuild, an
/// upgrade) and marks it "(deleted)"; starting that path would fail with a bare "No such
/// file or directory", so this says what happened instead.
///
/// # Errors
/// If the path cannot be found, or the file was replaced since lectern started.
pub fn own_program() -> io::Result<PathBuf> {
    let path = std::env::current_exe()?;
    if path.exists() {
        return Ok(path);
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "lectern's program file {} was replaced or removed after lectern started \
             (a rebuild or an upgrade?): restart lectern to run demos",
            path.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_test_finds_its_own_program() {
        let path = own_program().expect("the test binary exists");
        assert!(path.is_file(), "{}", path.display());
    }
}

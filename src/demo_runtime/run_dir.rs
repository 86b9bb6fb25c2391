//! A demo run's own files: a private temporary directory (the run's `TMPDIR`, where
//! `multiprocessing` puts its sockets and demos their files) and the shared memory named
//! after it (`/dev/shm/RUN_ID-…`). Whoever sees the run end removes them: the runner's waiting
//! thread, [`super::runner::RunHandle::kill`], or the supervisor when lectern died.

use std::io;
use std::path::PathBuf;
use std::process::Command;

use crate::process::private_dir;

/// What every run directory's name starts with; the supervisor removes nothing else.
const PREFIX: &str = "lectern-demo";

/// The environment variable that names the run (its directory's name) to its processes.
const RUN_ID_VAR: &str = "LECTERN_RUN_ID";

/// A run's private directory and the id that names its shared memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDir {
    /// The directory.
    path: PathBuf,
    /// Its name: what the run's shared memory is named after.
    id: String,
}

impl RunDir {
    /// A new run directory.
    ///
    /// # Errors
    /// If it cannot be made.
    pub fn create() -> io::Result<Self> {
        let path = private_dir(PREFIX)?;
        let id = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self { path, id })
    }

    /// The run directory named by this process's environment (`TMPDIR` and the run id), if it
    /// is one the runner made.
    #[must_use]
    pub fn from_env() -> Option<Self> {
        let path = PathBuf::from(std::env::var_os("TMPDIR")?);
        let id = std::env::var(RUN_ID_VAR).ok()?;
        let ours = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == id && id.starts_with(&format!("{PREFIX}-")));
        ours.then_some(Self { path, id })
    }

    /// Gives `command` the directory as its `TMPDIR`, and the run id.
    pub fn hand_to(&self, command: &mut Command) {
        command.env("TMPDIR", &self.path).env(RUN_ID_VAR, &self.id);
    }

    /// Removes the directory and the run's shared memory, whether or not it ended cleanly.
    pub fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.path);
        if self.id.is_empty() {
            return;
        }
        let prefix = format!("{}-", self.id);
        if let Ok(entries) = std::fs::read_dir("/dev/shm") {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_directory_goes_with_its_shared_memory_and_nothing_else() {
        let run = RunDir::create().unwrap();
        std::fs::write(run.path.join("file"), "x").unwrap();
        let shm = std::path::Path::new("/dev/shm");
        let ours = shm.join(format!("{}-buffer", run.id));
        let other = shm.join(format!("{}x-buffer", run.id));
        let have_shm = std::fs::write(&ours, "x").is_ok();
        if have_shm {
            std::fs::write(&other, "x").unwrap();
        }
        run.remove();
        assert!(!run.path.exists());
        if have_shm {
            assert!(!ours.exists(), "the run's shared memory is removed");
            assert!(other.exists(), "another run's is not");
            std::fs::remove_file(other).unwrap();
        }
    }

    #[test]
    fn only_a_directory_the_runner_made_is_taken_from_the_environment() {
        let run = RunDir::create().unwrap();
        let mut command = Command::new("true");
        run.hand_to(&mut command);
        let env: Vec<_> = command.get_envs().collect();
        assert!(env.iter().any(|(k, _)| *k == "TMPDIR"));
        assert!(env.iter().any(|(k, v)| *k == RUN_ID_VAR && v.is_some()));
        run.remove();
    }
}

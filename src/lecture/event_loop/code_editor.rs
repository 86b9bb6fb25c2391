//! `O`: the slide's Python — or the learner's copy of it — opened in the learner's own editor
//! (`$VISUAL`, else `$EDITOR`), in a private directory removed afterwards. The lecture lends
//! the terminal for as long as the editor runs; what was saved comes back as the copy `o`
//! runs.

use std::ffi::OsString;
use std::process::Command;

use crate::process::private_dir;

/// Opens `code` (slide `slide`'s) in `editor` (see [`chosen_editor`]) and returns what was
/// saved.
///
/// # Errors
/// No editor set, the editor could not start or failed, or the file could not be written or
/// read back: in words, saying what to do.
pub fn edit(code: &str, slide: usize, editor: Option<OsString>) -> Result<String, String> {
    let (program, args) = words(editor)?;
    let dir = private_dir("lectern-edit").map_err(|err| format!("no private directory: {err}"))?;
    let file = dir.join(format!("slide_{slide}.py"));
    let edited = (|| {
        std::fs::write(&file, code).map_err(|err| format!("cannot write the copy: {err}"))?;
        let status = Command::new(&program)
            .args(&args)
            .arg(&file)
            .status()
            .map_err(|err| format!("cannot start {}: {err}", program.to_string_lossy()))?;
        if !status.success() {
            return Err(format!(
                "{} ended with {status}; the copy is as it was",
                program.to_string_lossy()
            ));
        }
        std::fs::read_to_string(&file).map_err(|err| format!("cannot read the copy back: {err}"))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    edited
}

/// The learner's editor: `$VISUAL`, else `$EDITOR`.
#[must_use]
pub fn chosen_editor() -> Option<OsString> {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(std::env::var_os)
        .find(|value| !value.is_empty())
}

/// The editor to run and its arguments (`code -w` is two words).
fn words(chosen: Option<OsString>) -> Result<(OsString, Vec<OsString>), String> {
    let chosen = chosen.ok_or("set $EDITOR (for example EDITOR=nano) to edit the slide's code")?;
    let text = chosen.to_string_lossy().into_owned();
    let mut parts = text.split_whitespace().map(OsString::from);
    let program = parts
        .next()
        .ok_or("$EDITOR is blank: set it to an editor, for example EDITOR=nano")?;
    Ok((program, parts.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_editor_saves_comes_back_and_its_failure_is_said() {
        // An "editor" that appends a line to the file it is given.
        let script = std::env::temp_dir().join(format!("lectern-ed-{}.sh", std::process::id()));
        std::fs::write(&script, "#!/bin/sh\necho 'print(2)' >> \"$1\"\n").expect("setup");
        let run = |editor: &str| edit("print(1)\n", 8, Some(editor.into()));
        let saved = run(&format!("sh {}", script.display())).expect("edited");
        assert_eq!(saved, "print(1)\nprint(2)\n");
        let failed = run("false").unwrap_err();
        assert!(failed.contains("false ended with"), "{failed}");
        let none = edit("print(1)\n", 8, None).unwrap_err();
        assert!(none.contains("set $EDITOR"), "{none}");
        let _ = std::fs::remove_file(&script);
    }
}

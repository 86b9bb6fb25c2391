//! `lectern new FILE.md`: a starter lesson and its own demo, in the shape of
//! `lessons/examples/` — front matter, two slides, notes, a demo of its own in Python with a
//! view and results, a claim with a question, the verdicts — that `lectern check`,
//! `lectern demo --lesson` and `lectern report --quick` take as written. It never overwrites.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The starter lesson; `{title}` and `{script}` are filled in.
const LESSON: &str = include_str!("../../assets/new/lesson.md");

/// The starter demo.
const DEMO: &str = include_str!("../../assets/new/demo.py");

/// Writes the starter lesson at `path` and its demo beside it (`demos/STEM.py`).
#[must_use]
pub fn run(path: &Path) -> ExitCode {
    match write(path) {
        Ok((lesson, script)) => {
            println!(
                "lectern new: wrote {} and {}\n\nNext:\n  lectern check {0}\n  lectern demo \
                 --lesson {0} squares\n  lectern {0}            (reloads when you save)",
                lesson.display(),
                script.display()
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("lectern new: {why}");
            ExitCode::from(2)
        }
    }
}

/// The script's path relative to the lesson: `demos/STEM.py`, the stem made a Python name.
fn script_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "demo_");
    }
    format!("demos/{name}.py")
}

/// A title from the file's name: `lecture-26` → `Lecture 26`.
fn title_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut chars = stem.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "A New Lecture".into(),
    }
}

/// Writes both files, refusing to replace either.
fn write(path: &Path) -> Result<(PathBuf, PathBuf), String> {
    if path.extension().is_none_or(|e| e != "md") {
        return Err(format!(
            "{}: a lesson is a Markdown file; give a name ending in .md",
            path.display()
        ));
    }
    let script = script_for(path);
    let script_path = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.join(&script),
        None => PathBuf::from(&script),
    };
    for existing in [path, script_path.as_path()] {
        if existing.exists() {
            return Err(format!(
                "{} is already there: lectern new never overwrites; choose another name",
                existing.display()
            ));
        }
    }
    let lesson = LESSON
        .replace("{title}", &title_for(path))
        .replace("{script}", &script);
    if let Some(demos) = script_path.parent() {
        std::fs::create_dir_all(demos)
            .map_err(|err| format!("cannot make {}: {err}", demos.display()))?;
    }
    // `create_new`: a file that appeared meanwhile is not overwritten either.
    let create = |file: &Path, text: &str| {
        use std::io::Write as _;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|err| format!("cannot write {}: {err}", file.display()))
    };
    create(&script_path, DEMO)?;
    if let Err(why) = create(path, &lesson) {
        let _ = std::fs::remove_file(&script_path);
        return Err(why);
    }
    Ok((path.to_path_buf(), script_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_file_and_nothing_is_overwritten() {
        assert_eq!(
            script_for(Path::new("x/Lecture-26.md")),
            "demos/lecture_26.py"
        );
        assert_eq!(script_for(Path::new("26.md")), "demos/demo_26.py");
        assert_eq!(title_for(Path::new("lecture-26.md")), "Lecture 26");
        let dir = std::env::temp_dir().join(format!("lectern-new-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("setup");
        let lesson = dir.join("talk.md");
        write(&lesson).expect("written");
        let again = write(&lesson).unwrap_err();
        assert!(again.contains("never overwrites"), "{again}");
        assert!(write(&dir.join("talk.txt")).unwrap_err().contains(".md"));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}

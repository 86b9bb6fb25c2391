//! The README is the front door: short, the two commands near the top, every key the lecture
//! binds in its key table, and every link into `docs/` resolving.

use std::path::Path;

use lectern::lecture::BINDINGS;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn the_readme_is_short_and_gives_both_commands_first() {
    let readme = read(&root().join("README.md"));
    let lines: Vec<&str> = readme.lines().collect();
    assert!(lines.len() <= 250, "README.md has {} lines", lines.len());
    let top = lines[..40.min(lines.len())].join("\n");
    for command in ["cargo run --release", "scripts/test"] {
        assert!(
            top.contains(command),
            "`{command}` is not in the first 40 lines"
        );
    }
    let ci = read(&root().join(".ci/run"));
    assert!(
        ci.contains("scripts/test"),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn every_key_the_lecture_binds_is_in_the_readmes_key_table() {
    let readme = read(&root().join("README.md"));
    let table: String = readme
        .split("## Keys")
        .nth(1)
        .expect("a Keys section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(1))
        .collect::<Vec<_>>()
        .join(" ");
    for binding in BINDINGS {
        for key in binding.label.split_whitespace() {
            if key == "·" || key == "0-9" {
                continue;
            }
            assert!(
                table.contains(&format!("`{key}`")),
                "`{key}` ({}) is not in the README's key table",
                binding.help
            );
        }
    }
}

#[test]
fn every_link_of_the_readme_and_the_docs_resolves() {
    let mut files = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    let mut broken = Vec::new();
    for file in &files {
        let text = read(file);
        let base = file.parent().expect("a folder");
        for link in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            let target = link.split('#').next().unwrap_or_default();
            if target.is_empty() || target.starts_with("http") {
                continue;
            }
            if !base.join(target).exists() {
                broken.push(format!("{}: {link}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_manual_tells_results_not_the_history_of_its_sessions() {
    let mut files = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        files.push(entry.expect("entry").path());
    }
    for file in files {
        let text = read(&file).to_lowercase();
        for diary in ["this stop", "previous stop", "earlier stop", "last stop"] {
            assert!(!text.contains(diary), "{} says \"{diary}\"", file.display());
        }
    }
}

//! The layers of `src/`, checked: no two files import each other (directly or round a
//! circle), no module imports one of a higher layer, the layers are the ones
//! `docs/architecture.md` writes down (and `lib.rs` maps), and no two files share a name for
//! different jobs.
//!
//! An import is any path a file names outside its tests: `use` lines and paths in code,
//! starting at `crate::`, `super::`, `self::` or a child module. A name used through a
//! `pub use` re-export counts as a use of the file that defines it; a folder's `mod.rs`
//! declaring and re-exporting its children is its table of contents, not an import. The one
//! allowance: a demo unit that is a folder (`src/demos/NAME/`) may have its files use each
//! other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod import_graph;

use import_graph::{Tree, check, files_and_folders, layers_from_doc};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn architecture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn no_circles_and_no_import_runs_up_a_layer() {
    let layers = layers_from_doc(&architecture()).expect("docs/architecture.md has the layers");
    let tree = Tree::read(&src()).expect("src/ reads");
    let problems = check(&tree, &layers);
    assert!(
        problems.is_empty(),
        "{} problem(s) with the layers of src/ (see docs/architecture.md):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn lib_rs_maps_the_same_layers_as_the_architecture_doc() {
    let layers = layers_from_doc(&architecture()).expect("docs/architecture.md has the layers");
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let mut mapped: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//!")) {
        let line = line.trim_start();
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        // Each module is named as an intra-doc link: [`name`].
        let names = rest
            .split("[`")
            .skip(1)
            .filter_map(|s| s.split_once("`]").map(|(name, _)| name.to_string()));
        mapped.entry(number).or_default().extend(names);
    }
    let documented: BTreeMap<usize, BTreeSet<String>> = layers
        .iter()
        .enumerate()
        .map(|(i, layer)| (i + 1, layer.iter().cloned().collect()))
        .collect();
    assert_eq!(
        mapped, documented,
        "lib.rs's map differs from docs/architecture.md"
    );
}

#[test]
fn file_names_repeat_only_for_the_same_job() {
    // Each screen (lecture, presenter, watch) keeps its state in `app`, its messages in
    // `msg` and its drawing in `view`; any module's tests are `tests`; folders have `mod`.
    const SAME_JOB: &[&str] = &["mod", "tests", "app", "msg", "view"];
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in files_and_folders(&src()) {
        // A module's file and the folder of its submodules (`damage.rs`, `damage/`) are one.
        if path.is_dir() && path.with_extension("rs").is_file() {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = path
            .strip_prefix(src())
            .unwrap_or(&path)
            .display()
            .to_string();
        seen.entry(name).or_default().push(shown);
    }
    let clashes: Vec<String> = seen
        .into_iter()
        .filter(|(name, paths)| paths.len() > 1 && !SAME_JOB.contains(&name.as_str()))
        .map(|(name, paths)| format!("`{name}`: {}", paths.join(", ")))
        .collect();
    assert!(
        clashes.is_empty(),
        "names used for different jobs:\n{}",
        clashes.join("\n")
    );
}

/// The checker must fail where it should, or its passing means nothing: a small tree with an
/// upward import and a circle, each reported with both files.
#[test]
fn the_checker_reports_an_upward_import_and_a_circle_naming_both_files() {
    let dir = std::env::temp_dir().join(format!("lectern-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    };
    write("lib.rs", "pub mod low;\npub mod high;\n");
    // `low` reaches up into `high`, through a re-export of `high`'s mod.rs.
    write("low.rs", "use crate::high::Thing;\npub struct Base;\n");
    write(
        "high/mod.rs",
        "mod a;\nmod b;\npub use a::Thing;\n#[cfg(test)]\nmod tests {\n    use crate::nothing::At;\n}\n",
    );
    // a and b use each other.
    write("high/a.rs", "use super::b::helper;\npub struct Thing;\n");
    write(
        "high/b.rs",
        "pub fn helper() { let _ = crate::high::a::Thing; let _ = crate::low::Base; }\n",
    );
    let layers = vec![vec!["low".to_string()], vec!["high".to_string()]];
    let problems = check(&Tree::read(&dir).expect("reads"), &layers);
    std::fs::remove_dir_all(&dir).expect("clean up");
    let upward = problems
        .iter()
        .find(|p| p.contains("low.rs") && p.contains("high/a.rs"))
        .unwrap_or_else(|| panic!("no upward import reported: {problems:?}"));
    assert!(upward.contains("layer"), "{upward}");
    let circle = problems
        .iter()
        .find(|p| p.contains("circle"))
        .unwrap_or_else(|| panic!("no circle reported: {problems:?}"));
    assert!(
        circle.contains("high/a.rs") && circle.contains("high/b.rs"),
        "{circle}"
    );
    // b → low is downward, and the test module's path is not an import.
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn the_architecture_doc_names_every_module_of_src_once() {
    let layers = layers_from_doc(&architecture()).expect("docs/architecture.md has the layers");
    let mut documented: Vec<&String> = layers.iter().flatten().collect();
    documented.sort();
    let before = documented.len();
    documented.dedup();
    assert_eq!(before, documented.len(), "a module is in two layers");
    let tree = Tree::read(&src()).expect("src/ reads");
    let modules: BTreeSet<&String> = tree.top_modules().collect();
    let documented: BTreeSet<&String> = documented.into_iter().collect();
    assert_eq!(
        modules, documented,
        "src/'s modules and the documented layers differ"
    );
}

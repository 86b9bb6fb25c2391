//! The import graph of a crate's `src/`, file by file, and the checks on it: circles between
//! files and imports that run up a layer. Read from the text (no compiler): comments and
//! string literals are skipped, `#[cfg(test)]` items are cut out, and paths are resolved
//! through `pub use` re-exports to the file that defines the name.

mod lexer;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

/// A module path below the crate root: `["lecture", "view", "plan"]`.
type ModPath = Vec<String>;

/// One file of the crate.
#[derive(Debug)]
struct File {
    /// Where it is, relative to `src/`.
    shown: String,
    /// Its module's path.
    module: ModPath,
    /// Its code without comments, strings and test items.
    code: String,
    /// Whether its parent declares it under `#[cfg(test)]` (a file of tests).
    test_only: bool,
}

/// Every file of a crate's source folder.
#[derive(Debug)]
pub struct Tree {
    files: Vec<File>,
    by_module: BTreeMap<ModPath, usize>,
}

impl Tree {
    /// Reads every `.rs` file under `src`.
    pub fn read(src: &Path) -> io::Result<Self> {
        let mut files = Vec::new();
        let mut test_modules = BTreeSet::new();
        for path in rust_files(src)? {
            let text = std::fs::read_to_string(&path)?;
            let shown = path
                .strip_prefix(src)
                .unwrap_or(&path)
                .display()
                .to_string();
            let module = module_of(&shown);
            let code = lexer::without_comments_and_strings(&text);
            for child in lexer::test_only_children(&code) {
                let mut child_path = module.clone();
                child_path.push(child);
                test_modules.insert(child_path);
            }
            let code = lexer::without_test_items(&code);
            files.push(File {
                shown,
                module,
                code,
                test_only: false,
            });
        }
        for file in &mut files {
            file.test_only = test_modules
                .iter()
                .any(|t| file.module.starts_with(t) && !t.is_empty());
        }
        let by_module = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        Ok(Self { files, by_module })
    }

    /// The crate's top-level modules (`lecture`, `ui`, `os`…).
    pub fn top_modules(&self) -> impl Iterator<Item = &String> {
        self.files
            .iter()
            .filter_map(|f| f.module.first())
            .collect::<BTreeSet<_>>()
            .into_iter()
    }

    /// The file that defines what `path` names: the longest prefix that is a module, then
    /// through its `pub use` re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let (k, file) = (1..=path.len())
            .rev()
            .find_map(|k| self.by_module.get(&path[..k]).map(|f| (k, *f)))?;
        let Some(name) = path.get(k) else {
            return Some(file);
        };
        if depth < 8
            && let Some(target) = self.reexport(file, name)
        {
            let mut full = target;
            full.extend(path[k + 1..].iter().cloned());
            return self.resolve(&full, depth + 1).or(Some(file));
        }
        Some(file)
    }

    /// Where file `file` re-exports `name` from (`pub use x::Name;`), as an absolute path.
    fn reexport(&self, file: usize, name: &str) -> Option<ModPath> {
        let f = &self.files[file];
        lexer::use_items(&f.code)
            .into_iter()
            .filter(|u| u.public)
            .flat_map(|u| lexer::expand(&u.tree))
            .find_map(|(path, alias)| {
                let visible = alias.as_deref().or_else(|| path.last().map(String::as_str));
                if visible != Some(name) {
                    return None;
                }
                self.absolute(file, &path)
            })
    }

    /// `path` as written in file `file`, made absolute; `None` for another crate's path.
    fn absolute(&self, file: usize, path: &[String]) -> Option<ModPath> {
        let f = &self.files[file];
        let first = path.first()?;
        let mut base: ModPath = match first.as_str() {
            "crate" => Vec::new(),
            "self" => f.module.clone(),
            "super" => f.module[..f.module.len().saturating_sub(1)].to_vec(),
            child
                if self
                    .by_module
                    .contains_key(&[f.module.clone(), vec![child.into()]].concat()) =>
            {
                let mut base = f.module.clone();
                base.push(child.into());
                return Some(base.into_iter().chain(path[1..].iter().cloned()).collect());
            }
            _ => return None,
        };
        let mut rest = &path[1..];
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// Every import of every file that is not a file of tests: (from, to, the path).
    fn imports(&self) -> Vec<(usize, usize, String)> {
        let mut found = BTreeSet::new();
        for (i, f) in self.files.iter().enumerate() {
            if f.test_only {
                continue;
            }
            let mut paths: Vec<Vec<String>> = Vec::new();
            let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for item in lexer::use_items(&f.code) {
                for (path, alias) in lexer::expand(&item.tree) {
                    if let (Some(name), Some(abs)) = (
                        alias.clone().or_else(|| path.last().cloned()),
                        self.absolute(i, &path),
                    ) {
                        aliases.insert(name, abs);
                    }
                    // A folder's table of contents re-exports its children: not an import.
                    if !(item.public && lexer::is_child_path(&path, &f.code)) {
                        paths.push(path);
                    }
                }
            }
            for path in lexer::inline_paths(&f.code) {
                match aliases.get(&path[0]) {
                    Some(abs) => paths.push(
                        ["crate".to_string()]
                            .into_iter()
                            .chain(abs.iter().cloned())
                            .chain(path[1..].iter().cloned())
                            .collect(),
                    ),
                    None => paths.push(path),
                }
            }
            for path in paths {
                let Some(abs) = self.absolute(i, &path) else {
                    continue;
                };
                if let Some(to) = self.resolve(&abs, 0)
                    && to != i
                {
                    found.insert((i, to, path.join("::")));
                }
            }
        }
        found.into_iter().collect()
    }
}

/// The layers written in `doc`: the fenced block after the line
/// `<!-- layers: checked by tests/layers.rs -->`, one layer per line, lowest first, as
/// `N. module module…`.
pub fn layers_from_doc(doc: &str) -> Option<Vec<Vec<String>>> {
    let after = doc
        .split("<!-- layers: checked by tests/layers.rs -->")
        .nth(1)?;
    let block = after.split("```").nth(1)?;
    let layers = block
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (number, modules) = line.trim().split_once(". ")?;
            number.parse::<usize>().ok()?;
            Some(
                modules
                    .split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .collect::<Vec<_>>();
    (!layers.is_empty()).then_some(layers)
}

/// Every problem with `tree` against `layers` (lowest first), one sentence each.
pub fn check(tree: &Tree, layers: &[Vec<String>]) -> Vec<String> {
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |m| (m.as_str(), i + 1)))
        .collect();
    let mut problems = Vec::new();
    let imports = tree.imports();
    for (from, to, path) in &imports {
        let (f, t) = (&tree.files[*from], &tree.files[*to]);
        let (Some(fm), Some(tm)) = (f.module.first(), t.module.first()) else {
            continue;
        };
        if fm == tm {
            continue;
        }
        match (layer_of.get(fm.as_str()), layer_of.get(tm.as_str())) {
            (Some(lf), Some(lt)) if lt < lf => {}
            (Some(lf), Some(lt)) => problems.push(format!(
                "{} imports {} (`{path}`): `{tm}` is in layer {lt} and `{fm}` in layer {lf}; \
                 a module only imports modules of lower layers",
                f.shown, t.shown
            )),
            _ => problems.push(format!(
                "{} imports {} (`{path}`): `{fm}` or `{tm}` is in no layer of \
                 docs/architecture.md",
                f.shown, t.shown
            )),
        }
    }
    for group in circles(tree.files.len(), &imports) {
        let shown: Vec<&str> = group
            .iter()
            .map(|i| tree.files[*i].shown.as_str())
            .collect();
        // A demo unit that is a folder may have its files use each other.
        let unit = |s: &str| {
            let parts: Vec<&str> = s.split('/').collect();
            (parts.len() >= 3 && parts[0] == "demos").then(|| parts[1].to_string())
        };
        let units: BTreeSet<Option<String>> = shown.iter().map(|s| unit(s)).collect();
        if units.len() == 1 && units.iter().next().is_some_and(Option::is_some) {
            continue;
        }
        let edges: Vec<String> = imports
            .iter()
            .filter(|(a, b, _)| group.contains(a) && group.contains(b))
            .map(|(a, b, p)| {
                format!(
                    "{} → {} (`{p}`)",
                    tree.files[*a].shown, tree.files[*b].shown
                )
            })
            .collect();
        problems.push(format!(
            "a circle between {}: {}",
            shown.join(", "),
            edges.join("; ")
        ));
    }
    problems
}

/// The groups of files that import each other, directly or round a circle (Tarjan's strongly
/// connected components with more than one file).
fn circles(n: usize, imports: &[(usize, usize, String)]) -> Vec<Vec<usize>> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b, _) in imports {
        next[*a].push(*b);
    }
    let mut state = Tarjan {
        next,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
        groups: Vec::new(),
    };
    for v in 0..n {
        if state.index[v].is_none() {
            state.visit(v);
        }
    }
    state.groups
}

struct Tarjan {
    next: Vec<Vec<usize>>,
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    counter: usize,
    groups: Vec<Vec<usize>>,
}

impl Tarjan {
    fn visit(&mut self, v: usize) {
        self.index[v] = Some(self.counter);
        self.low[v] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        for w in self.next[v].clone() {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(self.low[v]) == self.index[v] {
            let mut group = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                group.push(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort_unstable();
                self.groups.push(group);
            }
        }
    }
}

/// `lecture/view/plan.rs` → `["lecture", "view", "plan"]`; `mod.rs`, `lib.rs` and `main.rs`
/// are their folder's module.
fn module_of(shown: &str) -> ModPath {
    let mut parts: Vec<String> = shown
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Every `.rs` file and every folder under `dir`.
pub fn files_and_folders(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files_and_folders(&path));
                found.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

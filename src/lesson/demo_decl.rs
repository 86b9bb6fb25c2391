//! A demo a lesson declares for itself in its front matter (`[[demo]]`): a Python program
//! beside the lesson, with its title, summary, typed parameters and the results it reports.
//! Here it is data, checked on its own (names, kinds, ranges, defaults); the demos layer turns
//! it into a runnable demo, and checks that its script is there.
//!
//! ```toml
//! [[demo]]
//! name = "ring"
//! script = "demos/ring.py"
//! title = "Passing a buffer round a ring of processes"
//! summary = "Each process adds one and passes the buffer on."
//! results = ["laps_per_s", "copies"]
//! seconds = 3
//!
//! [[demo.param]]
//! name = "processes"
//! kind = "int"
//! min = 2
//! max = 16
//! default = 4
//! quick = 2
//! doc = "processes in the ring"
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{Diagnostic, LineIndex, Pos};

/// A lesson's own demo, as declared.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoDecl {
    /// Its name in `<!-- demo: NAME -->` and `lectern demo --lesson FILE NAME`.
    pub name: Spanned<String>,
    /// Its Python program, relative to the lesson file.
    pub script: Spanned<String>,
    /// The title its panel shows.
    pub title: String,
    /// A sentence or two on what it shows.
    #[serde(default)]
    pub summary: String,
    /// The results it reports (claims may check only these).
    #[serde(default)]
    pub results: Vec<String>,
    /// Its parameters (a `cap` on its processes is added to every demo).
    #[serde(default, rename = "param")]
    pub params: Vec<ParamDecl>,
    /// About how long a run takes, in seconds (said before the first run).
    #[serde(default)]
    pub seconds: Option<u32>,
    /// The memory a run needs at its peak, in MiB: checked against what is free first.
    #[serde(default)]
    pub memory_mib: Option<u32>,
    /// Where `name = …` is in the lesson file (line, column), filled in after parsing.
    #[serde(skip)]
    pub at: (usize, usize),
    /// Where `script = …` is.
    #[serde(skip)]
    pub script_at: (usize, usize),
}

/// One parameter of a lesson's own demo.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDecl {
    /// Its name in directives and `--set`.
    pub name: String,
    /// `int`, `bool` or `choice`.
    pub kind: ParamKind,
    /// Smallest value (`int`).
    #[serde(default)]
    pub min: Option<i64>,
    /// Largest value (`int`).
    #[serde(default)]
    pub max: Option<i64>,
    /// The words it takes (`choice`).
    #[serde(default)]
    pub choices: Vec<String>,
    /// Its value when not given.
    pub default: Value,
    /// Its value for a quick run (`--quick`, the suite), if not the default.
    #[serde(default)]
    pub quick: Option<Value>,
    /// Its unit, for display (`ms`, `MiB`).
    #[serde(default)]
    pub unit: String,
    /// One line on what it changes.
    #[serde(default)]
    pub doc: String,
}

/// The kind of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// A whole number in a range.
    Int,
    /// `true` or `false`.
    Bool,
    /// One of a few words.
    Choice,
}

impl ParamKind {
    /// What a value of this kind is, in words.
    fn described(self) -> &'static str {
        match self {
            Self::Int => "a whole number",
            Self::Bool => "true or false",
            Self::Choice => "one of the choices",
        }
    }
}

/// A value in the front matter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A whole number.
    Int(i64),
    /// A yes/no.
    Bool(bool),
    /// A word.
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Text(t) => f.write_str(t),
        }
    }
}

/// Fills in where each declaration is (`toml_start`: where the TOML text begins in the file).
pub fn locate(decls: &mut [DemoDecl], toml_start: usize, index: &LineIndex) {
    for decl in decls {
        let pos = |span: std::ops::Range<usize>| {
            let pos = index.pos(toml_start + span.start);
            (pos.line, pos.col)
        };
        decl.at = pos(decl.name.span());
        decl.script_at = pos(decl.script.span());
    }
}

/// Every problem of the declarations that needs nothing but them: a name that is not a demo
/// name or is used twice, parameters that are not what their kind needs.
#[must_use]
pub fn check(decls: &[DemoDecl]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, decl) in decls.iter().enumerate() {
        let at = Pos::new(decl.at.0, decl.at.1);
        let name = decl.name.get_ref();
        let well_formed = !name.is_empty()
            && name.len() <= 40
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            problems.push(Diagnostic::error(
                at,
                format!(
                    "demo name `{name}`: use lowercase letters, digits and `-`, starting with a \
                     letter (e.g. `ring-buffer`)"
                ),
            ));
        }
        if decls[..i].iter().any(|d| d.name.get_ref() == name) {
            problems.push(Diagnostic::error(
                at,
                format!("demo `{name}` is declared twice"),
            ));
        }
        for (j, param) in decl.params.iter().enumerate() {
            if let Err(why) = check_param(param, &decl.params[..j]) {
                problems.push(Diagnostic::error(
                    at,
                    format!("demo `{name}`, parameter `{}`: {why}", param.name),
                ));
            }
        }
    }
    problems
}

/// Whether `param` is well formed (`before`: the parameters declared before it).
fn check_param(param: &ParamDecl, before: &[ParamDecl]) -> Result<(), String> {
    if param.name == "cap" {
        return Err("`cap` is every demo's own (the process cap); choose another name".into());
    }
    if param.name.is_empty()
        || !param
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err("a parameter name is letters, digits and `_`".into());
    }
    if before.iter().any(|p| p.name == param.name) {
        return Err("declared twice".into());
    }
    let fits = |value: &Value| -> Result<(), String> {
        match (param.kind, value) {
            (ParamKind::Int, Value::Int(n)) => match (param.min, param.max) {
                (Some(min), Some(max)) if min <= *n && *n <= max => Ok(()),
                (Some(min), Some(max)) => Err(format!("{n} is not from {min} to {max}")),
                _ => Err("an `int` needs `min` and `max`".into()),
            },
            (ParamKind::Bool, Value::Bool(_)) => Ok(()),
            (ParamKind::Choice, Value::Text(word)) if param.choices.contains(word) => Ok(()),
            (ParamKind::Choice, _) if param.choices.is_empty() => {
                Err("a `choice` needs `choices = [\"…\", …]`".into())
            }
            (ParamKind::Choice, other) => Err(format!(
                "`{other}` is none of the choices ({})",
                param.choices.join(", ")
            )),
            (kind, other) => Err(format!("`{other}` is not {}", kind.described())),
        }
    };
    if let (Some(min), Some(max)) = (param.min, param.max)
        && min > max
    {
        return Err(format!("`min` {min} is above `max` {max}"));
    }
    fits(&param.default).map_err(|why| format!("default: {why}"))?;
    if let Some(quick) = &param.quick {
        fits(quick).map_err(|why| format!("quick: {why}"))?;
    }
    Ok(())
}

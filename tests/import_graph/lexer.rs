//! Just enough of Rust's syntax to find the paths a file names: comments and literals blanked
//! out, `#[cfg(test)]` items cut, `use` items and their trees, and paths in code.

/// `text` with every comment and string or character literal replaced by spaces (newlines
/// kept), so that nothing inside them looks like code.
pub fn without_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br#"…"#: ends at a quote followed by as many hashes.
            i += hashes.0;
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes.1))
                .collect();
            while i < chars.len() && !chars[i..].starts_with(&closing) {
                blank(&mut out, chars[i]);
                i += 1;
            }
            i += closing.len();
            out.push_str("\"\"");
        } else if c == '"' || (c == 'b' && next == Some('"') && !ident_before(&chars, i)) {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && is_char_literal(&chars, i) {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// At a raw string's start: how many characters its opening takes and how many hashes.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if ident_before(chars, i) {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|c| **c == '#').count();
    j += hashes;
    (chars.get(j) == Some(&'"')).then_some((j + 1 - i, hashes))
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// A `'` that opens a character literal rather than a lifetime (`'a'`, `'\n'` vs `'a`).
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// The names of child modules declared as `#[cfg(test)] mod NAME;`: files of tests.
pub fn test_only_children(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        rest = &rest[at + "#[cfg(test)]".len()..];
        let item = skip_attributes(rest);
        if let Some(decl) = item.strip_prefix("mod ")
            && let Some((name, _)) = decl.split_once(';')
            && name.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            found.push(name.trim().to_string());
        }
    }
    found
}

/// `code` without the items under `#[cfg(test)]` (test modules, inline or declared).
pub fn without_test_items(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = skip_attributes(&rest[at + "#[cfg(test)]".len()..]);
        rest = &item[item_length(item)..];
    }
    out.push_str(rest);
    out
}

fn skip_attributes(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if text.starts_with("#[") {
            let mut depth = 0;
            for (i, c) in text.char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            text = &text[i + 1..];
                            break;
                        }
                    }
                    _ => {}
                }
            }
        } else {
            return text;
        }
    }
}

/// How long the item at the start of `text` is: to its `;`, or to the brace that closes its
/// first block.
fn item_length(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            ';' if depth == 0 => return i + 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// A `use` item: whether it is `pub` (any visibility), and its tree.
#[derive(Debug)]
pub struct UseItem {
    /// `pub use`, `pub(crate) use`, …
    pub public: bool,
    /// What follows `use`, up to the `;`.
    pub tree: String,
}

/// Every `use` item of `code` (`use` is a keyword: outside comments and strings, a `use`
/// word always starts one).
pub fn use_items(code: &str) -> Vec<UseItem> {
    let mut items = Vec::new();
    for (at, _) in code.match_indices("use ") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let before = code[..at].trim_end();
        // `pub use`, or `pub(crate) use` and the like.
        let public = before.ends_with("pub")
            || (before.ends_with(')')
                && before
                    .rfind("pub(")
                    .is_some_and(|p| !before[p..].contains([';', '{', '}'])));
        if let Some(end) = code[at..].find(';') {
            items.push(UseItem {
                public,
                tree: code[at + 4..at + end].to_string(),
            });
        }
    }
    items
}

/// A use tree's paths, each with its alias (`a::{b, c::{self, d as e}}` → `a::b`, `a::c`,
/// `a::c::d as e`). A glob keeps the path of what it reads from.
pub fn expand(tree: &str) -> Vec<(Vec<String>, Option<String>)> {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    expand_into(&tree, &[], &mut out);
    out
}

fn expand_into(tree: &str, prefix: &[String], out: &mut Vec<(Vec<String>, Option<String>)>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::").trim();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut base = prefix.to_vec();
        base.extend(segments(head));
        for part in split_top(inner) {
            expand_into(part, &base, out);
        }
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p.trim(), Some(a.trim().to_string())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    for segment in segments(path) {
        if segment != "self" && segment != "*" {
            full.push(segment);
        }
    }
    if !full.is_empty() {
        out.push((full, alias));
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits at the commas not inside braces.
fn split_top(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Whether `path` starts at a child module this file declares (`mod NAME;`).
pub fn is_child_path(path: &[String], code: &str) -> bool {
    path.first().is_some_and(|first| {
        code.split(';').any(|item| {
            let item = skip_attributes(item);
            let item = item
                .strip_prefix("pub ")
                .or_else(|| item.strip_prefix("pub(crate) "))
                .unwrap_or(item);
            item.strip_prefix("mod ")
                .is_some_and(|name| name.trim() == first)
        })
    })
}

/// The paths of two or more segments in `code` outside its `use` items (`a::b::c`), each
/// cut before any `::<` or lower segment that is not a name.
pub fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut text = code.to_string();
    for item in use_items(code) {
        text = text.replacen(&item.tree, "", 1);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let starts = is_ident(chars[i])
            && !chars[i].is_ascii_digit()
            && (i == 0 || (!is_ident(chars[i - 1]) && chars[i - 1] != ':'));
        if !starts {
            i += 1;
            continue;
        }
        let mut path = Vec::new();
        loop {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            path.push(chars[start..i].iter().collect::<String>());
            let more = chars.get(i) == Some(&':')
                && chars.get(i + 1) == Some(&':')
                && chars.get(i + 2).is_some_and(|c| is_ident(*c));
            if !more {
                break;
            }
            i += 2;
        }
        if path.len() > 1 {
            found.push(path);
        }
    }
    found
}

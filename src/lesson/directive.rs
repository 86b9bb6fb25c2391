//! Directives hidden in HTML comments: `<!-- demo: NAME key=value title="..." -->` and
//! `<!-- notes: ... -->`. A value in double quotes may contain spaces.
//!
//! A comment whose body starts with a lowercase `word:` is a directive; any other comment is an
//! ordinary comment and is ignored, so authors can still leave themselves notes like
//! `<!-- TODO tighten this -->`.

use super::claim_directive::parse_claim;
use super::diagnostic::{Diagnostic, Pos};
use super::directive_words::{is_identifier, offset_pos, tokens, unquote};
use super::model::{ClaimDirective, DemoDirective};
use super::scan::Comment;

/// The directive keywords lectern understands, for error messages.
pub const KNOWN: &[&str] = &["demo", "notes", "claim", "verdicts"];

/// What a comment turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `<!-- demo: NAME key=value ... -->`
    Demo(DemoDirective),
    /// `<!-- notes: ... -->`, dedented Markdown.
    Notes(String),
    /// `<!-- claim: DEMO ... result=KEY expect=EXPR text="..." -->`
    Claim(ClaimDirective),
    /// `<!-- verdicts: -->`: the slide's panel shows the lecture's claims, checked.
    Verdicts,
}

/// Reads a comment as a directive; `Ok(None)` for an ordinary comment.
pub fn parse(comment: &Comment) -> Result<Option<Directive>, Diagnostic> {
    let body = comment.body.as_str();
    let keyword_at = body.len() - body.trim_start().len();
    let keyword: String = body[keyword_at..]
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect();
    let after_keyword = keyword_at + keyword.len();
    let starts_lowercase = keyword.starts_with(|c: char| c.is_ascii_lowercase());
    // `word://` is a URL, not a directive.
    let is_url = body[after_keyword..].starts_with("://");
    if !starts_lowercase || !body[after_keyword..].starts_with(':') || is_url {
        return Ok(None);
    }
    let rest_at = after_keyword + 1;
    let keyword_pos = offset_pos(comment, keyword_at);
    match keyword.as_str() {
        "demo" => parse_demo(comment, rest_at, keyword_pos).map(|d| Some(Directive::Demo(d))),
        "notes" => Ok(Some(Directive::Notes(dedent_notes(&body[rest_at..])))),
        "claim" => parse_claim(comment, rest_at, keyword_pos).map(|c| Some(Directive::Claim(c))),
        "verdicts" if body[rest_at..].trim().is_empty() => Ok(Some(Directive::Verdicts)),
        "verdicts" => Err(Diagnostic::error(
            keyword_pos,
            "`verdicts:` takes nothing: write `<!-- verdicts: -->`",
        )),
        other => Err(Diagnostic::error(
            keyword_pos,
            format!(
                "unknown directive `{other}:`; known directives are {} \
                 (a comment not starting with `word:` is an ordinary comment)",
                KNOWN
                    .iter()
                    .map(|k| format!("`{k}:`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The engines a demo directive may pin with `engine=`.
const ENGINES: &[&str] = &["native", "python"];

fn parse_demo(
    comment: &Comment,
    rest_at: usize,
    keyword_pos: Pos,
) -> Result<DemoDirective, Diagnostic> {
    let mut tokens = tokens(&comment.body, rest_at);
    let Some((name_at, name)) = tokens.next() else {
        return Err(Diagnostic::error(
            keyword_pos,
            "demo directive names no demo: write `<!-- demo: NAME key=value ... -->`",
        ));
    };
    let name_pos = offset_pos(comment, name_at);
    if !is_identifier(name, '-') {
        return Err(Diagnostic::error(
            name_pos,
            format!("`{name}` is not a demo name: use lowercase letters, digits and `-`"),
        ));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    let mut title = None;
    let mut engine = None;
    for (at, token) in tokens {
        let pos = offset_pos(comment, at);
        let Some((key, value)) = token.split_once('=') else {
            return Err(Diagnostic::error(
                pos,
                format!("demo parameter `{token}` has no value: write `{token}=VALUE`"),
            ));
        };
        if !is_identifier(key, '_') {
            return Err(Diagnostic::error(
                pos,
                format!("`{key}` is not a parameter name: use lowercase letters, digits and `_`"),
            ));
        }
        if value.is_empty() {
            return Err(Diagnostic::error(
                pos,
                format!("demo parameter `{key}` has an empty value"),
            ));
        }
        let value = unquote(value).map_err(|message| {
            Diagnostic::error(pos, format!("demo parameter `{key}`: {message}"))
        })?;
        let repeated = match key {
            "title" => title.is_some(),
            "engine" => engine.is_some(),
            _ => params.iter().any(|(k, _)| k == key),
        };
        if repeated {
            return Err(Diagnostic::error(
                pos,
                format!("demo parameter `{key}` is given twice"),
            ));
        }
        // `title` names the variant on screen and `engine` pins the engine Enter uses: neither
        // is one of the demo's parameters.
        match key {
            "title" => title = Some(value),
            "engine" if ENGINES.contains(&value.as_str()) => engine = Some(value),
            "engine" => {
                return Err(Diagnostic::error(
                    pos,
                    format!(
                        "`engine={value}` is not an engine: use `engine=native` or \
                         `engine=python`"
                    ),
                ));
            }
            _ => params.push((key.to_string(), value)),
        }
    }
    Ok(DemoDirective {
        name: name.to_string(),
        params,
        title,
        engine,
        line: name_pos.line,
        col: name_pos.col,
    })
}

/// Notes may start on the `notes:` line and continue indented below it; strip the common
/// indentation of the continuation lines so Markdown lists inside them still parse.
fn dedent_notes(text: &str) -> String {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let rest = textwrap::dedent(rest);
    let joined = if first.trim().is_empty() {
        rest
    } else {
        format!("{}\n{rest}", first.trim())
    };
    joined.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(body: &str) -> Comment {
        Comment {
            open: Pos::new(4, 1),
            body_start: Pos::new(4, 5),
            body: body.to_string(),
        }
    }

    #[test]
    fn a_demo_directive_keeps_name_params_and_position() {
        let d = parse(&comment(" demo: gil mode=gil workers=2 "))
            .unwrap()
            .unwrap();
        let Directive::Demo(demo) = d else {
            panic!("not a demo: {d:?}")
        };
        assert_eq!(demo.name, "gil");
        assert_eq!(
            demo.params,
            [
                ("mode".into(), "gil".into()),
                ("workers".into(), "2".into())
            ]
        );
        assert_eq!((demo.line, demo.col), (4, 12));
    }

    #[test]
    fn a_quoted_title_names_the_variant_and_is_not_a_parameter() {
        let d = parse(&comment(
            r#" demo: gil io_threads=1 title="The convoy effect: I/O behind CPU" workers=1 "#,
        ))
        .unwrap()
        .unwrap();
        let Directive::Demo(demo) = d else {
            panic!("not a demo: {d:?}")
        };
        assert_eq!(
            demo.title.as_deref(),
            Some("The convoy effect: I/O behind CPU")
        );
        assert_eq!(
            demo.params,
            [
                ("io_threads".into(), "1".into()),
                ("workers".into(), "1".into())
            ]
        );
        let err = parse(&comment(r#" demo: gil title="never closed"#)).unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn notes_are_dedented_markdown() {
        let d = parse(&comment(
            " notes: Say hello.\n    - point one\n      - nested\n",
        ))
        .unwrap();
        assert_eq!(
            d,
            Some(Directive::Notes(
                "Say hello.\n- point one\n  - nested".into()
            ))
        );
    }

    #[test]
    fn ordinary_comments_are_not_directives() {
        for body in [" TODO: later ", " just a note ", "", " 3: x", " http://x"] {
            assert_eq!(parse(&comment(body)).unwrap(), None, "{body:?}");
        }
    }

    #[test]
    fn an_unknown_keyword_is_an_error_at_the_keyword() {
        let err = parse(&comment("\n  demos: gil")).unwrap_err();
        assert_eq!((err.line, err.col), (5, 3));
        assert!(
            err.message.contains("`demos:`") && err.message.contains("`notes:`"),
            "{err}"
        );
    }

    #[test]
    fn malformed_demo_parameters_are_located() {
        let err = parse(&comment(" demo: gil workers")).unwrap_err();
        assert_eq!((err.line, err.col), (4, 16));
        assert!(err.message.contains("workers=VALUE"));
        let err = parse(&comment(" demo: gil a=1 a=2")).unwrap_err();
        assert!(err.message.contains("twice"));
        let err = parse(&comment(" demo:")).unwrap_err();
        assert!(err.message.contains("names no demo"));
        let err = parse(&comment(" demo: Bad")).unwrap_err();
        assert!(err.message.contains("not a demo name"));
    }
}

//! `<!-- claim: DEMO key=value... result=KEY expect=EXPR [unit=UNIT] text="..." -->`: a claim
//! the lesson makes, next to the text that makes it, with the demo run and the result that
//! check it. Its syntax is checked here; whether the demo, its parameters and the result exist
//! is `lectern check`'s business (it knows the demos).

use super::diagnostic::{Diagnostic, Pos};
use super::directive_words::{is_identifier, offset_pos, tokens, unquote};
use super::model::ClaimDirective;
use super::scan::Comment;

/// Keys of a claim that are not the demo's parameters.
const OWN_KEYS: &[&str] = &["result", "expect", "unit", "text"];

/// Parses the part of a claim after `claim:`.
pub(super) fn parse_claim(
    comment: &Comment,
    rest_at: usize,
    keyword_pos: Pos,
) -> Result<ClaimDirective, Diagnostic> {
    const SHAPE: &str =
        "write `<!-- claim: DEMO [key=value...] result=KEY expect=EXPR text=\"...\" -->`";
    let mut tokens = tokens(&comment.body, rest_at);
    let Some((name_at, name)) = tokens.next() else {
        return Err(Diagnostic::error(
            keyword_pos,
            format!("claim names no demo: {SHAPE}"),
        ));
    };
    let name_pos = offset_pos(comment, name_at);
    if !is_identifier(name, '-') {
        return Err(Diagnostic::error(
            name_pos,
            format!("`{name}` is not a demo name: {SHAPE}"),
        ));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    let mut own: Vec<(&str, String, Pos)> = Vec::new();
    for (at, token) in tokens {
        let pos = offset_pos(comment, at);
        let Some((key, value)) = token.split_once('=') else {
            return Err(Diagnostic::error(
                pos,
                format!("`{token}` has no value: write `{token}=VALUE`"),
            ));
        };
        if !is_identifier(key, '_') {
            return Err(Diagnostic::error(
                pos,
                format!("`{key}` is not a key: use lowercase letters, digits and `_`"),
            ));
        }
        let value = unquote(value)
            .map_err(|message| Diagnostic::error(pos, format!("claim `{key}`: {message}")))?;
        if value.is_empty() {
            return Err(Diagnostic::error(pos, format!("claim `{key}` is empty")));
        }
        let duplicate = params.iter().any(|(k, _)| k == key) || own.iter().any(|(k, ..)| *k == key);
        if duplicate {
            return Err(Diagnostic::error(
                pos,
                format!("claim `{key}` is given twice"),
            ));
        }
        match OWN_KEYS.iter().find(|k| **k == key) {
            Some(own_key) => own.push((own_key, value, pos)),
            None => params.push((key.to_string(), value)),
        }
    }
    let mut take = |key: &str| {
        own.iter()
            .position(|(k, ..)| *k == key)
            .map(|i| own.swap_remove(i))
            .map(|(_, value, pos)| (value, pos))
    };
    let missing =
        |key: &str| Diagnostic::error(keyword_pos, format!("claim has no `{key}=`: {SHAPE}"));
    let (result, result_pos) = take("result").ok_or_else(|| missing("result"))?;
    let (expect, expect_pos) = take("expect").ok_or_else(|| missing("expect"))?;
    let (text, _) = take("text").ok_or_else(|| missing("text"))?;
    let unit = take("unit").map(|(unit, _)| unit);
    Ok(ClaimDirective {
        demo: name.to_string(),
        params,
        result,
        expect,
        unit,
        text,
        line: name_pos.line,
        col: name_pos.col,
        result_pos: (result_pos.line, result_pos.col),
        expect_pos: (expect_pos.line, expect_pos.col),
    })
}

#[cfg(test)]
mod tests {
    use super::super::directive::{Directive, parse};
    use super::*;

    fn comment(body: &str) -> Comment {
        Comment {
            open: Pos::new(7, 1),
            body_start: Pos::new(7, 5),
            body: body.to_string(),
        }
    }

    #[test]
    fn a_claim_keeps_its_demo_parameters_result_expectation_and_positions() {
        let parsed = parse(&comment(
            r#" claim: start-methods import_ms=60 result=spawn_median_ms expect=50..200 unit=ms text="spawn: 50–200 ms per process" "#,
        ))
        .unwrap()
        .unwrap();
        let Directive::Claim(claim) = parsed else {
            panic!("not a claim: {parsed:?}")
        };
        assert_eq!(claim.demo, "start-methods");
        assert_eq!(claim.params, [("import_ms".into(), "60".into())]);
        assert_eq!(claim.result, "spawn_median_ms");
        assert_eq!(claim.expect, "50..200");
        assert_eq!(claim.unit.as_deref(), Some("ms"));
        assert_eq!(claim.text, "spawn: 50–200 ms per process");
        assert_eq!((claim.line, claim.col), (7, 13));
        assert_eq!(claim.result_pos, (7, 40));
        assert_eq!(claim.expect_pos, (7, 63));
    }

    #[test]
    fn a_claim_missing_a_part_or_malformed_is_located() {
        for (body, says) in [
            (" claim:", "names no demo"),
            (" claim: gil expect=<1 text=\"x\"", "no `result=`"),
            (" claim: gil result=speedup text=\"x\"", "no `expect=`"),
            (" claim: gil result=speedup expect=<1", "no `text=`"),
            (
                " claim: gil result=speedup result=x expect=1 text=\"x\"",
                "given twice",
            ),
            (" claim: gil speedup", "has no value"),
            (" claim: gil result= expect=1 text=\"x\"", "is empty"),
        ] {
            let err = parse(&comment(body)).unwrap_err();
            assert!(err.message.contains(says), "{body}: {err}");
            assert_eq!(err.line, 7, "{body}");
        }
    }

    #[test]
    fn verdicts_takes_nothing() {
        assert_eq!(
            parse(&comment(" verdicts: ")).unwrap(),
            Some(Directive::Verdicts)
        );
        assert!(parse(&comment(" verdicts: all")).is_err());
    }
}

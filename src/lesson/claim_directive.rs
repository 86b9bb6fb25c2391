//! `<!-- claim: DEMO key=value... result=KEY expect=EXPR [unit=UNIT] text="..." -->`: a claim
//! the lesson makes, next to the text that makes it, with the demo run and the result that
//! check it — and, with `ask="…"`, the question a learner answers before the demo runs
//! (`choices="a|b|c" decide="<1|1..2|>2"`, or a number with `close=2`). Its syntax is checked
//! here; whether the demo, its parameters and the result exist, and whether the rules parse,
//! is `lectern check`'s business (it knows the demos).

use super::diagnostic::{Diagnostic, Pos};
use super::directive_words::{is_identifier, offset_pos, tokens, unquote};
use super::model::{ClaimDirective, QuestionDirective};
use super::scan::Comment;

/// Keys of a claim that are not the demo's parameters.
const OWN_KEYS: &[&str] = &[
    "result", "expect", "unit", "text", "ask", "choices", "decide", "close",
];

/// The most options a choice question may offer (more would not fit a projector's row).
const MOST_CHOICES: usize = 6;

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
    let choices = take("choices");
    let question =
        question(take("ask"), choices.as_ref(), take("decide"), take("close"))?.map(Box::new);
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
        question,
    })
}

/// A claim's question from its `ask`, `choices`, `decide` and `close`, each with where it is.
fn question(
    ask: Option<(String, Pos)>,
    choices: Option<&(String, Pos)>,
    decide: Option<(String, Pos)>,
    close: Option<(String, Pos)>,
) -> Result<Option<QuestionDirective>, Diagnostic> {
    let Some((prompt, ask_pos)) = ask else {
        let others = [choices, decide.as_ref(), close.as_ref()];
        return match others.into_iter().flatten().next() {
            Some((_, pos)) => Err(Diagnostic::error(
                *pos,
                "`choices=`, `decide=` and `close=` belong to a question: add `ask=\"...\"`",
            )),
            None => Ok(None),
        };
    };
    let split = |text: &str| -> Vec<String> {
        text.split('|')
            .map(|part| part.trim().to_string())
            .collect()
    };
    let options = choices
        .as_ref()
        .map(|(text, _)| split(text))
        .unwrap_or_default();
    if let Some((_, pos)) = &choices {
        if options.len() < 2 || options.len() > MOST_CHOICES {
            return Err(Diagnostic::error(
                *pos,
                format!("a choice question offers 2 to {MOST_CHOICES} options, `|` between them"),
            ));
        }
        if options.iter().any(String::is_empty) {
            return Err(Diagnostic::error(*pos, "a choice is empty: write `a|b|c`"));
        }
        if (1..options.len()).any(|i| options[..i].contains(&options[i])) {
            return Err(Diagnostic::error(*pos, "two choices are the same"));
        }
    }
    let rules = decide
        .as_ref()
        .map(|(text, _)| split(text))
        .unwrap_or_default();
    match (&decide, options.len()) {
        (Some((_, pos)), 0) => {
            return Err(Diagnostic::error(
                *pos,
                "`decide=` picks one of the `choices=`: give the choices",
            ));
        }
        (Some((_, pos)), n) if rules.len() != n => {
            return Err(Diagnostic::error(
                *pos,
                format!(
                    "`decide=` has {} rule(s) for {n} choices: one rule per choice, `|` between",
                    rules.len()
                ),
            ));
        }
        (None, n) if n > 2 => {
            return Err(Diagnostic::error(
                ask_pos,
                format!(
                    "{n} choices need `decide=` (one rule per choice on the result, e.g. \
                     `decide=\">1.2|0.8..1.2|<0.8\"`); without it, give two choices: the first \
                     when the claim holds, the second when it does not"
                ),
            ));
        }
        _ => {}
    }
    if let (Some((_, pos)), false) = (&close, options.is_empty()) {
        return Err(Diagnostic::error(
            *pos,
            "`close=` is for questions answered with a number; a choice is right or not",
        ));
    }
    Ok(Some(QuestionDirective {
        prompt,
        choices: options,
        decide: rules,
        close: close.map(|(text, _)| text),
        pos: (ask_pos.line, ask_pos.col),
        decide_pos: decide.map_or((ask_pos.line, ask_pos.col), |(_, pos)| (pos.line, pos.col)),
    }))
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
    fn a_claim_may_ask_a_number_or_a_choice_question() {
        let parsed = parse(&comment(
            r#" claim: gil result=speedup expect=<=1.2 text="t" ask="Faster?" choices="faster|same|slower" decide=">1.2|0.8..1.2|<0.8" "#,
        ))
        .unwrap()
        .unwrap();
        let Directive::Claim(claim) = parsed else {
            panic!("not a claim: {parsed:?}")
        };
        let question = claim.question.expect("a question");
        assert_eq!(question.prompt, "Faster?");
        assert_eq!(question.choices, ["faster", "same", "slower"]);
        assert_eq!(question.decide, [">1.2", "0.8..1.2", "<0.8"]);
        let parsed = parse(&comment(
            r#" claim: start-methods result=spawn_median_ms expect=50..200 text="t" ask="How long?" close=2 "#,
        ))
        .unwrap()
        .unwrap();
        let Directive::Claim(claim) = parsed else {
            panic!("not a claim: {parsed:?}")
        };
        let question = claim.question.expect("a question");
        assert!(question.choices.is_empty());
        assert_eq!(question.close.as_deref(), Some("2"));
    }

    #[test]
    fn a_malformed_question_is_located_and_says_how_to_fix_it() {
        for (body, says) in [
            (
                " claim: gil result=s expect=1 text=\"t\" choices=\"a|b\"",
                "add `ask=",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=a",
                "2 to 6",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=\"a||b\"",
                "empty",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=\"a|a\"",
                "the same",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" decide=<1",
                "give the choices",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=\"a|b|c\" decide=\"<1|>1\"",
                "2 rule(s) for 3 choices",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=\"a|b|c\"",
                "need `decide=`",
            ),
            (
                " claim: gil result=s expect=1 text=\"t\" ask=\"q\" choices=\"a|b\" close=2",
                "number",
            ),
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

//! A claim's question, resolved: what the learner is asked before the claim's demo runs, how
//! a typed answer is read, what the measurement answers, and whether the two are close.
//! Predicting first is what turns watching a demonstration into learning from it.

use std::collections::BTreeMap;

use super::Expect;
use crate::demo_runtime::protocol::ResultValue;
use crate::lesson::{Diagnostic, Pos, QuestionDirective};

/// How far a number may be from the measurement, as a factor, when the lesson does not say.
pub const DEFAULT_CLOSE: f64 = 2.0;

/// A question, resolved against the claim's demo.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The prompt, in the lesson's words.
    pub prompt: String,
    /// What kind of answer it takes.
    pub answer: Answer,
}

/// The kind of answer a question takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A number, close when within `close` times the measured value (either way).
    Number {
        /// The factor.
        close: f64,
    },
    /// One of a few options.
    Choice {
        /// The options, in the lesson's order.
        options: Vec<String>,
        /// How the measurement picks one.
        rules: Rules,
    },
}

/// How a measurement picks a choice.
#[derive(Debug, Clone, PartialEq)]
pub enum Rules {
    /// Two options: the first when the claim holds, the second when it does not.
    ByVerdict,
    /// One expectation per option on the claim's result; the first that holds is picked.
    Each(Vec<Expect>),
}

/// An answer: the learner's, or the one the measurement gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prediction {
    /// A number.
    Number(f64),
    /// An option, by index.
    Choice(usize),
}

impl Question {
    /// Resolves a question's directive; `Err` locates a rule or factor that does not parse.
    ///
    /// # Errors
    /// A diagnostic at `close=` or `decide=`.
    pub fn resolve(d: &QuestionDirective) -> Result<Self, Diagnostic> {
        let at = Pos::new(d.pos.0, d.pos.1);
        if d.choices.is_empty() {
            let close = match &d.close {
                None => DEFAULT_CLOSE,
                Some(text) => text
                    .parse::<f64>()
                    .ok()
                    .filter(|f| *f > 1.0)
                    .ok_or_else(|| {
                        Diagnostic::error(
                            at,
                            format!("`close={text}` is not a factor above 1 (write `close=2`)"),
                        )
                    })?,
            };
            return Ok(Self {
                prompt: d.prompt.clone(),
                answer: Answer::Number { close },
            });
        }
        let rules = if d.decide.is_empty() {
            Rules::ByVerdict
        } else {
            let at = Pos::new(d.decide_pos.0, d.decide_pos.1);
            let parsed: Result<Vec<Expect>, String> =
                d.decide.iter().map(|rule| Expect::parse(rule)).collect();
            Rules::Each(parsed.map_err(|message| Diagnostic::error(at, message))?)
        };
        Ok(Self {
            prompt: d.prompt.clone(),
            answer: Answer::Choice {
                options: d.choices.clone(),
                rules,
            },
        })
    }

    /// The results other than the claim's own that the rules compare with.
    #[must_use]
    pub fn other_results(&self) -> Vec<&str> {
        match &self.answer {
            Answer::Choice {
                rules: Rules::Each(rules),
                ..
            } => rules.iter().filter_map(Expect::other_result).collect(),
            _ => Vec::new(),
        }
    }

    /// Reads what the learner typed: a number, or an option by its number (1-based) or words.
    ///
    /// # Errors
    /// What to type instead, listing the options.
    pub fn read(&self, typed: &str) -> Result<Prediction, String> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Err("Type an answer first (Esc skips the question).".into());
        }
        match &self.answer {
            Answer::Number { .. } => typed
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Prediction::Number)
                .ok_or_else(|| format!("`{typed}` is not a number: type one, like 50 or 0.5.")),
            Answer::Choice { options, .. } => {
                let by_number = typed
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=options.len()).contains(n))
                    .map(|n| n - 1);
                let by_words = options
                    .iter()
                    .position(|option| option.eq_ignore_ascii_case(typed));
                by_number
                    .or(by_words)
                    .map(Prediction::Choice)
                    .ok_or_else(|| {
                        let listed: Vec<String> = options
                            .iter()
                            .enumerate()
                            .map(|(i, option)| format!("{} {option}", i + 1))
                            .collect();
                        format!("`{typed}` is none of the choices: {}.", listed.join(", "))
                    })
            }
        }
    }

    /// What the measurement answers: the claim's `result` for a number, the option its rules
    /// pick for a choice (`holds` is the claim's verdict on the same run). `None` when the
    /// run did not report the result, or no rule fits it.
    #[must_use]
    pub fn measured(
        &self,
        result: &str,
        results: &BTreeMap<String, ResultValue>,
        holds: Option<bool>,
    ) -> Option<Prediction> {
        match &self.answer {
            Answer::Number { .. } => results
                .get(result)
                .and_then(|v| v.as_number())
                .map(Prediction::Number),
            Answer::Choice {
                rules: Rules::ByVerdict,
                ..
            } => holds.map(|holds| Prediction::Choice(usize::from(!holds))),
            Answer::Choice {
                rules: Rules::Each(rules),
                ..
            } => rules
                .iter()
                .position(|rule| rule.judge(result, results).is_some_and(|v| v.holds))
                .map(Prediction::Choice),
        }
    }

    /// Whether `prediction` is close to what was `measured`: the same option, or a number
    /// within the question's factor (zero only matches zero).
    #[must_use]
    pub fn is_close(&self, prediction: Prediction, measured: Prediction) -> bool {
        match (prediction, measured, &self.answer) {
            (Prediction::Number(p), Prediction::Number(m), Answer::Number { close }) => {
                if p <= 0.0 || m <= 0.0 {
                    return p <= 0.0 && m <= 0.0;
                }
                let ratio = if p > m { p / m } else { m / p };
                ratio <= *close
            }
            (Prediction::Choice(p), Prediction::Choice(m), Answer::Choice { .. }) => p == m,
            _ => false,
        }
    }

    /// An answer as the learner reads it: `50`, `faster`.
    #[must_use]
    pub fn show(&self, answer: Prediction) -> String {
        match (answer, &self.answer) {
            (Prediction::Number(n), _) => crate::demo_runtime::view::number(n),
            (Prediction::Choice(i), Answer::Choice { options, .. }) => {
                options.get(i).cloned().unwrap_or_default()
            }
            (Prediction::Choice(i), Answer::Number { .. }) => i.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(choices: &[&str], decide: &[&str], close: Option<&str>) -> Question {
        Question::resolve(&QuestionDirective {
            prompt: "q".into(),
            choices: choices.iter().map(ToString::to_string).collect(),
            decide: decide.iter().map(ToString::to_string).collect(),
            close: close.map(ToString::to_string),
            pos: (3, 40),
            decide_pos: (3, 60),
        })
        .expect("resolves")
    }

    fn results(speedup: f64) -> BTreeMap<String, ResultValue> {
        [("speedup".to_string(), ResultValue::Number(speedup))].into()
    }

    #[test]
    fn a_number_is_close_within_the_lessons_factor_either_way() {
        let q = question(&[], &[], Some("2"));
        let measured = q
            .measured("speedup", &results(60.0), None)
            .expect("measured");
        assert!(q.is_close(Prediction::Number(30.0), measured));
        assert!(q.is_close(Prediction::Number(120.0), measured));
        assert!(!q.is_close(Prediction::Number(29.0), measured));
        assert!(!q.is_close(Prediction::Number(200.0), measured));
        let zero = q
            .measured("speedup", &results(0.0), None)
            .expect("measured");
        assert!(q.is_close(Prediction::Number(0.0), zero));
        assert!(!q.is_close(Prediction::Number(1.0), zero));
        assert_eq!(
            question(&[], &[], None).answer,
            Answer::Number { close: 2.0 }
        );
    }

    #[test]
    fn a_choice_is_picked_by_the_first_rule_that_holds_or_by_the_verdict() {
        let q = question(
            &["faster", "same", "slower"],
            &[">1.2", "0.8..1.2", "<0.8"],
            None,
        );
        let pick = |s| q.measured("speedup", &results(s), None);
        assert_eq!(pick(1.9), Some(Prediction::Choice(0)));
        assert_eq!(pick(0.97), Some(Prediction::Choice(1)));
        assert_eq!(pick(0.4), Some(Prediction::Choice(2)));
        assert!(q.is_close(Prediction::Choice(1), Prediction::Choice(1)));
        assert!(!q.is_close(Prediction::Choice(0), Prediction::Choice(1)));
        let by_verdict = question(&["the pool", "a process per task"], &[], None);
        let empty = BTreeMap::new();
        assert_eq!(
            by_verdict.measured("x", &empty, Some(true)),
            Some(Prediction::Choice(0))
        );
        assert_eq!(
            by_verdict.measured("x", &empty, Some(false)),
            Some(Prediction::Choice(1))
        );
        assert_eq!(by_verdict.measured("x", &empty, None), None);
    }

    #[test]
    fn typed_answers_are_read_or_refused_with_what_to_type() {
        let number = question(&[], &[], None);
        assert_eq!(number.read(" 1,200 "), Ok(Prediction::Number(1200.0)));
        assert!(number.read("fast").unwrap_err().contains("not a number"));
        assert!(number.read("").unwrap_err().contains("Esc skips"));
        let choice = question(&["faster", "same", "slower"], &[">1", "1..1", "<1"], None);
        assert_eq!(choice.read("2"), Ok(Prediction::Choice(1)));
        assert_eq!(choice.read("Slower"), Ok(Prediction::Choice(2)));
        let refused = choice.read("4").unwrap_err();
        assert!(refused.contains("1 faster, 2 same, 3 slower"), "{refused}");
        assert_eq!(choice.show(Prediction::Choice(2)), "slower");
    }

    #[test]
    fn a_bad_factor_or_rule_is_located() {
        let bad_close = Question::resolve(&QuestionDirective {
            prompt: "q".into(),
            choices: Vec::new(),
            decide: Vec::new(),
            close: Some("1".into()),
            pos: (3, 40),
            decide_pos: (3, 40),
        })
        .unwrap_err();
        assert_eq!((bad_close.line, bad_close.col), (3, 40));
        assert!(bad_close.message.contains("factor above 1"));
        let bad_rule = Question::resolve(&QuestionDirective {
            prompt: "q".into(),
            choices: vec!["a".into(), "b".into()],
            decide: vec!["<1".into(), "about".into()],
            close: None,
            pos: (3, 40),
            decide_pos: (3, 70),
        })
        .unwrap_err();
        assert_eq!((bad_rule.line, bad_rule.col), (3, 70));
        assert!(bad_rule.message.contains("not an expectation"));
    }
}

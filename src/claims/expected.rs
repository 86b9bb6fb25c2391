//! The answer a claim's question expects, as the instructor reads it on the presenter screen:
//! the claim's own range for a number, the option (or options) the claim's expectation
//! falls in for a choice — worked out from the lesson, never from a run.

use std::cmp::Ordering;

use super::expect::{Bound, Op};
use super::question::{Answer, Rules};
use super::{Claim, Expect};

/// The expected answer to `claim`'s question: `50..200 ms`, `the reused pool`, `about the
/// same or slower`; `None` when the claim has no question.
#[must_use]
pub fn expected_answer(claim: &Claim) -> Option<String> {
    let question = claim.question.as_ref()?;
    let unit = claim
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let as_stated = || format!("{} {}{unit}", claim.result, claim.expect);
    Some(match &question.answer {
        Answer::Number { .. } => match &claim.expect {
            Expect::Range(..) => format!("{}{unit}", claim.expect),
            _ => as_stated(),
        },
        // Two options decided by the verdict: the first is the claim holding.
        Answer::Choice {
            options,
            rules: Rules::ByVerdict,
        } => options.first().cloned().unwrap_or_default(),
        Answer::Choice {
            options,
            rules: Rules::Each(rules),
        } => {
            let fits: Option<Vec<&str>> = interval(&claim.expect).map(|claimed| {
                options
                    .iter()
                    .zip(rules)
                    .filter(|(_, rule)| interval(rule).is_some_and(|r| r.meets(claimed)))
                    .map(|(option, _)| option.as_str())
                    .collect()
            });
            match fits {
                Some(fits) if !fits.is_empty() => fits.join(" or "),
                _ => as_stated(),
            }
        }
    })
}

/// A stretch of numbers, each end open or closed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    low: (f64, bool),
    high: (f64, bool),
}

impl Interval {
    /// Whether the two share at least one number.
    fn meets(self, other: Self) -> bool {
        // The higher of the lows and the lower of the highs; an end both share is closed
        // only when closed in both.
        let pick = |a: (f64, bool), b: (f64, bool), higher: bool| match a.0.total_cmp(&b.0) {
            Ordering::Equal => (a.0, a.1 && b.1),
            Ordering::Greater if higher => a,
            Ordering::Less if !higher => a,
            _ => b,
        };
        let low = pick(self.low, other.low, true);
        let high = pick(self.high, other.high, false);
        match low.0.total_cmp(&high.0) {
            Ordering::Less => true,
            Ordering::Equal => low.1 && high.1,
            Ordering::Greater => false,
        }
    }
}

/// The numbers an expectation accepts; `None` when it compares with another result or is a
/// yes/no.
fn interval(expect: &Expect) -> Option<Interval> {
    let open = (f64::NEG_INFINITY, false);
    let to = (f64::INFINITY, false);
    match expect {
        Expect::Range(low, high) => Some(Interval {
            low: (*low, true),
            high: (*high, true),
        }),
        Expect::Compare(op, Bound::Number(n)) => Some(match op {
            Op::Less => Interval {
                low: open,
                high: (*n, false),
            },
            Op::AtMost => Interval {
                low: open,
                high: (*n, true),
            },
            Op::More => Interval {
                low: (*n, false),
                high: to,
            },
            Op::AtLeast => Interval {
                low: (*n, true),
                high: to,
            },
        }),
        Expect::Compare(_, Bound::Result { .. }) | Expect::Is(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(claim: &str) -> Option<String> {
        let lesson = crate::lesson::parse(&format!("# A\n\n{claim}\n")).lesson;
        let (claims, problems) = crate::claims::resolve(&lesson);
        assert!(problems.is_empty(), "{problems:?}");
        expected_answer(&claims[0])
    }

    #[test]
    fn a_number_expects_the_claims_range_and_a_choice_the_options_its_expectation_meets() {
        assert_eq!(
            expected(
                "<!-- claim: start-methods result=spawn_median_ms expect=50..200 unit=ms \
                 text=\"t\" ask=\"How long?\" -->"
            )
            .as_deref(),
            Some("50..200 ms")
        );
        // ≤ 1.2 meets "0.8..1.2" and "< 0.8", not "> 1.2" (1.2 itself is not above 1.2).
        assert_eq!(
            expected(
                "<!-- claim: gil mode=gil result=speedup expect=<=1.2 text=\"t\" ask=\"q\" \
                 choices=\"faster|about the same|slower\" decide=\">1.2|0.8..1.2|<0.8\" -->"
            )
            .as_deref(),
            Some("about the same or slower")
        );
        assert_eq!(
            expected(
                "<!-- claim: chunksize result=time_ms_cs100 expect=<time_ms_cs1 text=\"t\" \
                 ask=\"q\" choices=\"chunksize=100|chunksize=1\" -->"
            )
            .as_deref(),
            Some("chunksize=100"),
            "two options by verdict: the first"
        );
        assert_eq!(
            expected("<!-- claim: gil mode=gil result=speedup expect=<=1.2 text=\"t\" -->"),
            None
        );
    }

    #[test]
    fn intervals_meet_only_where_both_accept_a_number() {
        let at_most = interval(&Expect::parse("<=1.2").expect("parses")).expect("numeric");
        let above = interval(&Expect::parse(">1.2").expect("parses")).expect("numeric");
        let from = interval(&Expect::parse(">=1.2").expect("parses")).expect("numeric");
        assert!(!at_most.meets(above));
        assert!(at_most.meets(from));
        assert!(interval(&Expect::parse("<pool_ms").expect("parses")).is_none());
    }
}

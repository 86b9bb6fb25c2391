//! What a claim expects of a result, and the verdict on a measured value: holds, or differs
//! by how much and in which direction.
//!
//! ```text
//! 50..200            between 50 and 200 (inclusive)
//! <1   <=1.2   >=2   a bound
//! <payloads_ms       a bound that is another result of the same run
//! <0.25*sequential_ms   … times a factor
//! true   false       a yes/no result
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::demo_runtime::protocol::ResultValue;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Less,
    /// `<=`
    AtMost,
    /// `>`
    More,
    /// `>=`
    AtLeast,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Self::Less => "<",
            Self::AtMost => "≤",
            Self::More => ">",
            Self::AtLeast => "≥",
        }
    }

    fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Self::Less => value < bound,
            Self::AtMost => value <= bound,
            Self::More => value > bound,
            Self::AtLeast => value >= bound,
        }
    }
}

/// The other side of a bound.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// A number.
    Number(f64),
    /// `factor` times another result of the same run.
    Result {
        /// The factor (1 when not written).
        factor: f64,
        /// The result's key.
        key: String,
    },
}

/// What a claim expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Between two numbers, inclusive.
    Range(f64, f64),
    /// A comparison with a bound.
    Compare(Op, Bound),
    /// A yes/no.
    Is(bool),
}

/// The verdict on one measured value.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether the claim held here.
    pub holds: bool,
    /// The value measured.
    pub value: ResultValue,
    /// How it compares, in words ("3.1× below 50..200").
    pub detail: String,
}

impl Expect {
    /// Parses an expectation; `Err` says what is wrong.
    ///
    /// # Errors
    /// A sentence naming the accepted forms.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{text}` is not an expectation: write a range `50..200`, a bound `<1`, `>=2`, \
                 `<payloads_ms`, `<0.5*sequential_ms`, or `true`/`false`"
            )
        };
        match text {
            "true" => return Ok(Self::Is(true)),
            "false" => return Ok(Self::Is(false)),
            _ => {}
        }
        if let Some((low, high)) = text.split_once("..") {
            let (low, high) = (number(low).ok_or_else(bad)?, number(high).ok_or_else(bad)?);
            if low > high {
                return Err(format!("`{text}`: the range's start is above its end"));
            }
            return Ok(Self::Range(low, high));
        }
        let (op, rest) = [
            ("<=", Op::AtMost),
            (">=", Op::AtLeast),
            ("<", Op::Less),
            (">", Op::More),
        ]
        .into_iter()
        .find_map(|(symbol, op)| text.strip_prefix(symbol).map(|rest| (op, rest)))
        .ok_or_else(bad)?;
        if let Some(value) = number(rest) {
            return Ok(Self::Compare(op, Bound::Number(value)));
        }
        let (factor, key) = match rest.split_once('*') {
            Some((factor, key)) => (number(factor).ok_or_else(bad)?, key),
            None => (1.0, rest),
        };
        let is_key = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !is_key {
            return Err(bad());
        }
        Ok(Self::Compare(
            op,
            Bound::Result {
                factor,
                key: key.to_string(),
            },
        ))
    }

    /// The other result this expectation compares with, if any.
    #[must_use]
    pub fn other_result(&self) -> Option<&str> {
        match self {
            Self::Compare(_, Bound::Result { key, .. }) => Some(key),
            _ => None,
        }
    }

    /// The verdict on `key` in a run's `results`; `None` when the run did not report what is
    /// needed (the value, or the other result of a bound).
    #[must_use]
    pub fn judge(&self, key: &str, results: &BTreeMap<String, ResultValue>) -> Option<Verdict> {
        let value = *results.get(key)?;
        let verdict = |holds: bool, detail: String| Verdict {
            holds,
            value,
            detail,
        };
        match (self, &value) {
            (Self::Is(expected), ResultValue::Bool(measured)) => Some(verdict(
                expected == measured,
                if expected == measured {
                    format!("{}, as the slide says", yes_no(*measured))
                } else {
                    format!(
                        "{}, where the slide says {}",
                        yes_no(*measured),
                        yes_no(*expected)
                    )
                },
            )),
            (Self::Range(low, high), ResultValue::Number(v)) => {
                // A range of one number is that number: "exactly 0", not "within 0..0".
                let single = (low - high).abs() < f64::EPSILON;
                let range = if single {
                    short(*low)
                } else {
                    format!("{}..{}", short(*low), short(*high))
                };
                Some(if v < low {
                    verdict(false, format!("{} below {range}", off(*v, *low)))
                } else if v > high {
                    verdict(false, format!("{} above {range}", off(*v, *high)))
                } else {
                    verdict(
                        true,
                        if single {
                            format!("exactly {range}")
                        } else {
                            format!("within {range}")
                        },
                    )
                })
            }
            (Self::Compare(op, bound), ResultValue::Number(v)) => {
                // The bound as a number, never a result's key: the claim's text says what it
                // is compared with, in the slide's words.
                let limit = match bound {
                    Bound::Number(n) => *n,
                    Bound::Result { factor, key } => factor * results.get(key)?.as_number()?,
                };
                let named = short(limit);
                Some(if op.holds(*v, limit) {
                    verdict(true, format!("{} {named}", op.symbol()))
                } else {
                    let side = if *v >= limit { "above" } else { "below" };
                    let ratio = off(*v, limit);
                    verdict(
                        false,
                        format!("not {} {named}: {ratio} {side}", op.symbol()),
                    )
                })
            }
            _ => None,
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Range(low, high) => write!(f, "{}..{}", short(*low), short(*high)),
            Self::Is(b) => write!(f, "{b}"),
            Self::Compare(op, Bound::Number(n)) => write!(f, "{} {}", op.symbol(), short(*n)),
            Self::Compare(op, Bound::Result { factor, key }) if (*factor - 1.0).abs() < 1e-12 => {
                write!(f, "{} {key}", op.symbol())
            }
            Self::Compare(op, Bound::Result { factor, key }) => {
                write!(f, "{} {}×{key}", op.symbol(), short(*factor))
            }
        }
    }
}

/// A yes/no result as people say it.
#[must_use]
pub fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A number to about three significant digits, without needless decimals: `200`, `1.67`,
/// `86.4`, `0.05`.
#[must_use]
pub fn short(n: f64) -> String {
    let decimals = match n.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        a if a >= 1.0 => 2,
        _ => 3,
    };
    let text = format!("{n:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// How many times `big` is `small`, as "3.1×" (or "far" when `small` is not positive).
/// How far `value` is from `bound`: a percentage of the bound when close ("3%"), else a
/// factor ("29×") — "1.0× below" would hide a near miss.
fn off(value: f64, bound: f64) -> String {
    if value <= 0.0 || bound <= 0.0 {
        return "far".into();
    }
    let ratio = value.max(bound) / value.min(bound);
    if ratio < 1.5 {
        let percent = (value - bound).abs() / bound * 100.0;
        if percent < 1.0 {
            format!("{percent:.1}%")
        } else {
            format!("{percent:.0}%")
        }
    } else if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.1}×")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(pairs: &[(&str, ResultValue)]) -> BTreeMap<String, ResultValue> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
    }

    #[test]
    fn every_form_parses_and_bad_ones_say_what_is_accepted() {
        assert_eq!(Expect::parse("50..200"), Ok(Expect::Range(50.0, 200.0)));
        assert_eq!(Expect::parse("true"), Ok(Expect::Is(true)));
        assert_eq!(
            Expect::parse("<=1.2"),
            Ok(Expect::Compare(Op::AtMost, Bound::Number(1.2)))
        );
        assert_eq!(
            Expect::parse("<0.5*sequential_ms"),
            Ok(Expect::Compare(
                Op::Less,
                Bound::Result {
                    factor: 0.5,
                    key: "sequential_ms".into()
                }
            ))
        );
        assert_eq!(
            Expect::parse(">payloads_ms").unwrap().other_result(),
            Some("payloads_ms")
        );
        for bad in ["about 3", "=3", "<", "<Big", "200..50", "1..x", "<2*"] {
            let err = Expect::parse(bad).unwrap_err();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn verdicts_say_by_how_much_and_which_way() {
        let r = results(&[
            ("spawn_median_ms", ResultValue::Number(4.9)),
            ("paths_ms", ResultValue::Number(137.0)),
            ("payloads_ms", ResultValue::Number(157.0)),
            ("deadlocked", ResultValue::Bool(true)),
        ]);
        let v = Expect::parse("50..200")
            .unwrap()
            .judge("spawn_median_ms", &r)
            .unwrap();
        assert!(!v.holds);
        assert_eq!(v.detail, "10× below 50..200");
        let v = Expect::parse("1..5")
            .unwrap()
            .judge("spawn_median_ms", &r)
            .unwrap();
        assert!(v.holds);
        assert_eq!(v.detail, "within 1..5");
        let v = Expect::parse("<payloads_ms")
            .unwrap()
            .judge("paths_ms", &r)
            .unwrap();
        assert!(v.holds, "{v:?}");
        assert_eq!(v.detail, "< 157");
        let v = Expect::parse("<0.5*payloads_ms")
            .unwrap()
            .judge("paths_ms", &r)
            .unwrap();
        assert!(!v.holds);
        assert_eq!(v.detail, "not < 78.5: 1.7× above");
        let v = Expect::parse("50..200")
            .unwrap()
            .judge(
                "near_miss_ms",
                &results(&[("near_miss_ms", ResultValue::Number(48.5))]),
            )
            .unwrap();
        assert_eq!(v.detail, "3% below 50..200", "a near miss in percent");
        let v = Expect::parse("<1")
            .unwrap()
            .judge("x", &results(&[("x", ResultValue::Number(1.25))]))
            .unwrap();
        assert_eq!(v.detail, "not < 1: 25% above");
        let v = Expect::parse("false")
            .unwrap()
            .judge("deadlocked", &r)
            .unwrap();
        assert!(!v.holds);
        assert_eq!(v.detail, "yes, where the slide says no");
        assert!(Expect::parse("<1").unwrap().judge("missing", &r).is_none());
        assert!(
            Expect::parse("true")
                .unwrap()
                .judge("paths_ms", &r)
                .is_none(),
            "a number is not a yes/no"
        );
    }
}

//! Measured verdicts for the handout, read from `lectern report --json` (one JSON object per
//! claim and engine, one per line).

use std::path::Path;

use serde::Deserialize;

use crate::claims::progress_log::{Progress, ProgressLine};

use thiserror::Error;

/// Why a results file could not be used.
#[derive(Debug, Error)]
pub enum ResultsError {
    /// It could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line is not one of `lectern report --json`'s.
    #[error("{path}:{line}: not a line of `lectern report --json`: {source}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What went wrong.
        source: serde_json::Error,
    },
}

/// One claim's outcome on one engine.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Measured {
    /// 1-based slide the claim is on.
    pub slide: usize,
    /// The claim's text.
    pub claim: String,
    /// `native` or `python`.
    pub engine: String,
    /// What ran it: `native`, `CPython 3.8.18` (reports from before interpreters were
    /// named have none).
    #[serde(default)]
    pub interpreter: Option<String>,
    /// `holds`, `differs`, `edge` (the runs disagreed) or `not measured`.
    pub verdict: String,
    /// Why, in a few words.
    #[serde(default)]
    pub detail: String,
    /// Whether the demo only simulated what it shows.
    #[serde(default, deserialize_with = "simulated")]
    pub simulated: bool,
    /// The measured value (the median run's), as the report wrote it.
    #[serde(default, deserialize_with = "value")]
    pub value: Option<String>,
    /// How many runs measured it (reports from before repeated runs have none: one).
    #[serde(default)]
    pub runs: Option<usize>,
    /// In how many of them the claim held.
    #[serde(default)]
    pub holds_in: Option<usize>,
    /// The smallest value measured.
    #[serde(default, deserialize_with = "value")]
    pub min: Option<String>,
    /// The largest.
    #[serde(default, deserialize_with = "value")]
    pub max: Option<String>,
}

impl Measured {
    /// Where it was measured, as a reader says it: the interpreter when the report named it.
    #[must_use]
    pub fn measured_on(&self) -> &str {
        self.interpreter.as_deref().unwrap_or(&self.engine)
    }

    /// The spread over several runs, after the value and its unit: ` (0.82–1.17) · holds in
    /// 2 of 3 runs`; nothing for one run.
    #[must_use]
    pub fn spread(&self) -> String {
        let (Some(runs), Some(holds_in)) = (self.runs, self.holds_in) else {
            return String::new();
        };
        if runs < 2 {
            return String::new();
        }
        let range = match (&self.min, &self.max) {
            (Some(min), Some(max)) if min != max && !["true", "false"].contains(&min.as_str()) => {
                format!(" ({min}–{max})")
            }
            _ => String::new(),
        };
        format!("{range} · holds in {holds_in} of {runs} runs")
    }
}

/// `simulated` is `null`, `false`, or the reason it was simulated.
fn simulated<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Null | serde_json::Value::Bool(false) => false,
        serde_json::Value::String(s) => !s.is_empty(),
        _ => true,
    })
}

/// Numbers are shown with at most three decimals; anything else as written.
fn value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Null => None,
        serde_json::Value::Number(n) => n.as_f64().map(|f| {
            let text = format!("{f:.3}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }),
        other => Some(other.to_string()),
    })
}

/// "1 outcome", "3 outcomes".
fn outcomes(n: usize) -> String {
    format!("{n} outcome{}", if n == 1 { "" } else { "s" })
}

/// The source of results measured in the lecture itself.
const SESSION: &str = "this session";

/// The results a handout shows, and where they came from.
#[derive(Debug, Clone, Default)]
pub struct Results {
    measured: Vec<Measured>,
    source: Option<String>,
    /// The learner's latest answer to each question (learn mode's progress), when the
    /// handout keeps them (`export --progress`, `w` in learn mode).
    predictions: Vec<ProgressLine>,
    /// How many questions the lesson asks, for the summary.
    asked: usize,
    /// What a class predicted and measured, by slide and claim text, in words.
    class: Vec<(usize, String, Vec<String>)>,
}

impl Results {
    /// Reads `path`, written by `lectern report --json`.
    ///
    /// # Errors
    /// If it cannot be read or a line is not a report line.
    pub fn load(path: &Path) -> Result<Self, ResultsError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Read {
            path: name.clone(),
            source,
        })?;
        let mut measured = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            measured.push(
                serde_json::from_str(line).map_err(|source| ResultsError::Line {
                    path: name.clone(),
                    line: i + 1,
                    source,
                })?,
            );
        }
        Ok(Self {
            measured,
            source: Some(name),
            ..Self::default()
        })
    }

    /// Outcomes measured in the lecture itself (`w`), rather than read from a report.
    #[must_use]
    pub fn from_session(measured: Vec<Measured>) -> Self {
        Self {
            measured,
            source: Some(SESSION.into()),
            ..Self::default()
        }
    }

    /// The same, with the learner's `predictions` (the latest per question) beside the
    /// claims their questions come from, out of `asked` questions in the lesson.
    #[must_use]
    pub fn with_predictions(self, predictions: Vec<ProgressLine>, asked: usize) -> Self {
        Self {
            predictions,
            asked,
            ..self
        }
    }

    /// The same, with what the room's class said of each claim (slide, claim text, lines).
    #[must_use]
    pub fn with_class(self, class: Vec<(usize, String, Vec<String>)>) -> Self {
        Self { class, ..self }
    }

    /// What the class said of the claim `text` on slide `slide`.
    #[must_use]
    pub fn class_for(&self, slide: usize, text: &str) -> &[String] {
        self.class
            .iter()
            .find(|(s, t, _)| *s == slide && t == text)
            .map_or(&[], |(_, _, lines)| lines.as_slice())
    }

    /// The learner's answer to the question `prompt` on slide `slide`, if the handout keeps
    /// predictions and there is one.
    #[must_use]
    pub fn prediction(&self, slide: usize, prompt: &str) -> Option<&ProgressLine> {
        self.predictions
            .iter()
            .rev()
            .find(|p| p.slide == slide && p.question == prompt)
    }

    /// `Your predictions: 7 of 11 close; …` when the handout keeps predictions.
    #[must_use]
    pub fn predictions_summary(&self) -> Option<String> {
        if self.predictions.is_empty() {
            return None;
        }
        let progress = Progress {
            latest: self.predictions.clone(),
            ..Progress::default()
        };
        Some(format!(
            "Your predictions: {}.",
            progress.summary(self.asked)
        ))
    }

    /// How many outcomes there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.measured.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.measured.is_empty()
    }

    /// Every outcome for the claim with `text` on slide `slide`.
    #[must_use]
    pub fn for_claim(&self, slide: usize, text: &str) -> Vec<&Measured> {
        self.measured
            .iter()
            .filter(|m| m.slide == slide && m.claim == text)
            .collect()
    }

    /// One sentence on where the numbers come from.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.source {
            Some(source) if source == SESSION => format!(
                "Measured results: {} from the demos run in the lecture that wrote this \
                 handout, on the machine it ran on.",
                outcomes(self.measured.len())
            ),
            Some(source) => format!(
                "Measured results: {} from {source} (written by `lectern report --json` on the \
                 machine it ran on).",
                outcomes(self.measured.len())
            ),
            None => "No measured results in this handout: run `lectern report --json > \
                     results.jsonl`, then `lectern export --html FILE --results results.jsonl`."
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_are_read_and_found_by_slide_and_claim() {
        let dir = std::env::temp_dir().join(format!("lectern-results-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("r.jsonl");
        std::fs::write(
            &path,
            r#"{"slide":3,"claim":"fork is fast","engine":"native","verdict":"holds","detail":"","simulated":null,"value":1.23456}
{"slide":3,"claim":"fork is fast","engine":"python","verdict":"not measured","detail":"no python","simulated":null,"value":null}
"#,
        )
        .expect("write");
        let results = Results::load(&path).expect("loads");
        let found = results.for_claim(3, "fork is fast");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].value.as_deref(), Some("1.235"));
        assert!(results.for_claim(4, "fork is fast").is_empty());
        std::fs::write(&path, "{\"slide\":1}\nnot json\n").expect("write");
        let err = Results::load(&path)
            .expect_err("bad lines are refused")
            .to_string();
        assert!(err.contains("r.jsonl:1:"), "{err}");
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}

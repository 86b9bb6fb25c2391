//! What a learner predicted and what their machine measured, kept between sessions: one JSON
//! line per answered (or skipped) question, appended as it happens, so a crash or `kill -9`
//! at any moment leaves every earlier line whole. Reading takes the latest answer per
//! question, ignores a torn last line, and sets aside lines of another version of the lesson.

use serde::{Deserialize, Serialize};

/// One answer and its outcome. The record is plain data, so it can also travel over a wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressLine {
    /// The lesson's version: its text, hashed, in hex.
    pub lesson: String,
    /// The slide the question is on (1-based).
    pub slide: usize,
    /// The question's prompt.
    pub question: String,
    /// The learner's answer as shown (`50 ms`, `faster`); `None` when skipped.
    pub prediction: Option<String>,
    /// What the run measured, as shown; `None` when skipped or not answered by the run.
    pub measured: Option<String>,
    /// `close`, `off` or `skipped`.
    pub outcome: String,
    /// The engine the run used (`native`, `python`).
    pub engine: String,
    /// When, in seconds since the Unix epoch (filled in when written).
    pub time: u64,
}

/// A progress file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// The latest line per question, in slide order.
    pub latest: Vec<ProgressLine>,
    /// Whether the last line was cut short (a crash mid-write) and left out.
    pub torn: bool,
    /// Lines of another version of the lesson, left out.
    pub other_version: usize,
}

/// Reads a progress file's `text` for the lesson version `lesson`.
///
/// # Errors
/// A line other than the last that is not a progress line: its number and why.
pub fn read(text: &str, lesson: &str) -> Result<Progress, String> {
    let mut progress = Progress::default();
    let lines: Vec<&str> = text.lines().collect();
    let ends_whole = text.ends_with('\n');
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: ProgressLine = match serde_json::from_str(line) {
            Ok(parsed) => parsed,
            Err(_) if i + 1 == lines.len() && !ends_whole => {
                progress.torn = true;
                continue;
            }
            Err(err) => return Err(format!("line {} is not a progress line: {err}", i + 1)),
        };
        if parsed.lesson != lesson {
            progress.other_version += 1;
            continue;
        }
        progress.keep(parsed);
    }
    Ok(progress)
}

impl Progress {
    /// Takes `line` as the latest answer to its question (lines come oldest first), keeping
    /// the answers in slide order.
    pub fn keep(&mut self, line: ProgressLine) {
        self.latest
            .retain(|p| !(p.slide == line.slide && p.question == line.question));
        let at = self.latest.partition_point(|p| p.slide <= line.slide);
        self.latest.insert(at, line);
    }

    /// `7 of 11 predicted close; slides 4 and 8 worth another look` (questions asked in
    /// all: `asked`).
    #[must_use]
    pub fn summary(&self, asked: usize) -> String {
        let close = self.latest.iter().filter(|p| p.outcome == "close").count();
        let mut again: Vec<usize> = self
            .latest
            .iter()
            .filter(|p| p.outcome != "close")
            .map(|p| p.slide)
            .collect();
        again.dedup();
        let look = match again.as_slice() {
            [] => String::new(),
            [one] => format!("; slide {one} worth another look"),
            [rest @ .., last] => {
                let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
                format!("; slides {} and {last} worth another look", rest.join(", "))
            }
        };
        format!("{close} of {asked} predicted close{look}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(slide: usize, outcome: &str, time: u64) -> String {
        serde_json::to_string(&ProgressLine {
            lesson: "ab12".into(),
            slide,
            question: format!("q{slide}"),
            prediction: Some("50 ms".into()),
            measured: Some("68.6 ms".into()),
            outcome: outcome.into(),
            engine: "python".into(),
            time,
        })
        .expect("serializes")
    }

    #[test]
    fn the_latest_answer_per_question_counts_and_the_summary_names_what_to_revisit() {
        let text = [
            line(4, "off", 1),
            line(3, "close", 2),
            line(4, "close", 3),
            line(8, "skipped", 4),
            line(2, "off", 5),
        ]
        .join("\n")
            + "\n";
        let progress = read(&text, "ab12").expect("reads");
        let slides: Vec<usize> = progress.latest.iter().map(|p| p.slide).collect();
        assert_eq!(slides, [2, 3, 4, 8]);
        assert_eq!(
            progress.summary(11),
            "2 of 11 predicted close; slides 2 and 8 worth another look"
        );
        assert!(!progress.torn);
    }

    #[test]
    fn a_torn_last_line_is_left_out_and_a_bad_line_before_it_is_an_error() {
        let whole = line(3, "close", 1);
        let torn = format!("{whole}\n{}", &line(4, "off", 2)[..30]);
        let progress = read(&torn, "ab12").expect("a torn last line is no error");
        assert!(progress.torn);
        assert_eq!(progress.latest.len(), 1);
        let bad = format!("not json\n{whole}\n");
        let err = read(&bad, "ab12").unwrap_err();
        assert!(err.starts_with("line 1 is not a progress line"), "{err}");
    }

    #[test]
    fn lines_of_another_version_of_the_lesson_are_set_aside() {
        let text = format!("{}\n", line(3, "close", 1));
        let progress = read(&text, "ffff").expect("reads");
        assert!(progress.latest.is_empty());
        assert_eq!(progress.other_version, 1);
    }
}

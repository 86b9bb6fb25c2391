//! The captions of a recording as Web VTT subtitles beside its cast (`talk.vtt` for
//! `talk.cast`): one cue per caption, from when it appeared to when it changed or the
//! recording ended — what a web player shows as subtitles, and a transcript of what was said.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Shorter than this, a caption was not on screen to be read, and is no cue (seconds).
const MIN_CUE: f64 = 0.1;

/// One caption and when it was on screen, in seconds from the recording's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// When it appeared.
    pub start: f64,
    /// When it went.
    pub end: f64,
    /// What it said.
    pub text: String,
}

/// The cues so far, and the caption showing now.
#[derive(Debug, Clone)]
pub struct Subtitles {
    path: PathBuf,
    cues: Vec<Cue>,
    showing: Option<(f64, String)>,
}

impl Subtitles {
    /// Subtitles for the recording at `cast`, to be written beside it.
    #[must_use]
    pub fn beside(cast: &Path) -> Self {
        Self {
            path: cast.with_extension("vtt"),
            cues: Vec::new(),
            showing: None,
        }
    }

    /// `caption` is on screen at `now`: a different one ends the cue showing.
    pub fn show(&mut self, caption: Option<&str>, now: f64) {
        if self.showing.as_ref().map(|(_, text)| text.as_str()) == caption {
            return;
        }
        if let Some((start, text)) = self.showing.take()
            // A caption replaced at once (the notes' one, as a script sets its own) was
            // never read: no cue.
            && now - start >= MIN_CUE
        {
            self.cues.push(Cue {
                start,
                end: now,
                text,
            });
        }
        self.showing = caption.map(|text| (now, text.to_string()));
    }

    /// Ends the cue showing and writes the file, if there was any caption.
    ///
    /// # Errors
    /// If the file cannot be written.
    pub fn finish(mut self, now: f64) -> io::Result<()> {
        self.show(None, now);
        if self.cues.is_empty() {
            return Ok(());
        }
        std::fs::write(&self.path, vtt(&self.cues))
    }
}

/// `cues` as a Web VTT file.
#[must_use]
pub fn vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, cue) in cues.iter().enumerate() {
        // A cue's text may not hold a blank line or `-->`.
        let text = cue.text.replace("-->", "→").replace("\n\n", "\n");
        let _ = write!(
            out,
            "\n{}\n{} --> {}\n{text}\n",
            i + 1,
            stamp(cue.start),
            stamp(cue.end.max(cue.start + 0.001))
        );
    }
    out
}

/// The cues of a subtitles file as [`vtt`] writes them (other files' cue settings and notes
/// are skipped); a file that is not one gives none.
#[must_use]
pub fn read_vtt(text: &str) -> Vec<Cue> {
    let mut cues = Vec::new();
    for block in text.replace("\r\n", "\n").split("\n\n") {
        let mut lines = block.lines().skip_while(|l| !l.contains(" --> "));
        let Some(timing) = lines.next() else {
            continue;
        };
        let mut parts = timing.split(" --> ");
        let (Some(start), Some(end)) = (parts.next(), parts.next()) else {
            continue;
        };
        let end = end.split_whitespace().next().unwrap_or("");
        if let (Some(start), Some(end)) = (seconds(start.trim()), seconds(end)) {
            let text: Vec<&str> = lines.collect();
            cues.push(Cue {
                start,
                end,
                text: text.join("\n"),
            });
        }
    }
    cues
}

/// `HH:MM:SS.mmm` or `MM:SS.mmm` in seconds.
fn seconds(stamp: &str) -> Option<f64> {
    let mut total = 0.0;
    for part in stamp.split(':') {
        total = total * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(total)
}

/// `HH:MM:SS.mmm`.
fn stamp(seconds: f64) -> String {
    let ms = std::time::Duration::try_from_secs_f64(seconds + 0.000_5)
        .unwrap_or_default()
        .as_millis();
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_become_timed_cues_and_none_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("lectern-vtt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("setup");
        let mut subtitles = Subtitles::beside(&dir.join("talk.cast"));
        subtitles.show(Some("Hello"), 0.5);
        subtitles.show(Some("Hello"), 1.0);
        subtitles.show(Some("Second --> third"), 62.25);
        subtitles.show(None, 3725.0);
        subtitles.finish(3726.0).expect("written");
        let text = std::fs::read_to_string(dir.join("talk.vtt")).expect("a .vtt beside");
        assert_eq!(
            text,
            "WEBVTT\n\n1\n00:00:00.500 --> 00:01:02.250\nHello\n\n\
             2\n00:01:02.250 --> 01:02:05.000\nSecond → third\n"
        );
        let cues = read_vtt(&text);
        assert_eq!(cues.len(), 2);
        assert!((cues[1].end - 3725.0).abs() < 1e-9, "{cues:?}");
        assert_eq!(cues[0].text, "Hello");
        let quiet = Subtitles::beside(&dir.join("quiet.cast"));
        quiet.finish(1.0).expect("nothing to write");
        assert!(!dir.join("quiet.vtt").exists());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}

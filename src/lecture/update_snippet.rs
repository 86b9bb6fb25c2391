//! How `o` (run the slide's code), `x` and the snippet's messages change the App: the code
//! starts under lectern's supervisor, its lines arrive, it ends or is stopped.

use std::collections::VecDeque;
use std::time::Instant;

use super::App;
use super::snippet::{SNIPPET_LINE_CHARS, SNIPPET_LINES, SnippetEnd, SnippetRun};
use crate::lecture::msg::Effect;
use crate::lesson::Block;
use crate::process::{ExitInfo, Stream};

/// The first Python code block of `blocks` (lists and quotes included), if any.
fn first_python(blocks: &[Block]) -> Option<&crate::lesson::CodeBlock> {
    let mut found = Vec::new();
    crate::lesson::model::python_blocks_in(blocks, &mut found);
    found.first().copied()
}

impl App {
    /// `o`: runs the slide's Python code — the learner's edited copy when there is one —
    /// replacing a run that is still going; the last run of the other version stays beside it.
    pub(super) fn run_snippet(&mut self, now: Instant) -> Vec<Effect> {
        let Some(code) = first_python(&self.current_slide().blocks) else {
            self.status = Some("This slide has no Python code to run.".into());
            return vec![Effect::Redraw];
        };
        let copy = self.code_copies.get(&self.slide).cloned();
        if code.norun && copy.is_none() {
            self.status = Some(
                "This slide's code is marked `norun`: it is not meant to run as it stands.".into(),
            );
            return vec![Effect::Redraw];
        }
        let edited = copy.is_some();
        let source = copy.unwrap_or_else(|| code.source.clone());
        let mut effects = self.stop_snippet("started again", now);
        // The other version's last run on this slide stays, to be read beside this one.
        if let Some(last) = self.snippet.take() {
            if last.slide == self.slide && last.edited != edited {
                self.snippet_before = Some(last);
            } else if last.slide != self.slide {
                self.snippet_before = None;
            }
        }
        self.snippet_runs += 1;
        let run = self.snippet_runs;
        self.snippet = Some(SnippetRun {
            run,
            slide: self.slide,
            started: now,
            ended: None,
            lines: VecDeque::new(),
            dropped: 0,
            shown: true,
            edited,
        });
        effects.push(Effect::StartSnippet { run, code: source });
        effects.push(Effect::Redraw);
        effects
    }

    /// `O`: opens a copy of the slide's Python (the learner's own copy, if edited before) in
    /// the learner's editor.
    pub(super) fn edit_code(&mut self) -> Vec<Effect> {
        let Some(code) = first_python(&self.current_slide().blocks) else {
            self.status = Some("This slide has no Python code to edit.".into());
            return vec![Effect::Redraw];
        };
        let code = self
            .code_copies
            .get(&self.slide)
            .cloned()
            .unwrap_or_else(|| code.source.clone());
        self.status = Some("Editing a copy of the slide's code (the slide is unchanged)…".into());
        vec![
            Effect::Redraw,
            Effect::EditCode {
                slide: self.slide,
                code,
            },
        ]
    }

    /// The editor closed: a changed copy is kept for `o`; one saved back as the slide's own
    /// code is dropped.
    pub(super) fn on_code_edited(
        &mut self,
        slide: usize,
        outcome: Result<String, String>,
    ) -> Vec<Effect> {
        let original = self
            .lesson
            .slides
            .get(slide)
            .and_then(|s| first_python(&s.blocks))
            .map(|c| c.source.clone());
        self.status = Some(match outcome {
            Err(why) => format!("The code was not edited: {why}."),
            Ok(saved) if Some(saved.trim_end()) == original.as_deref().map(str::trim_end) => {
                self.code_copies.remove(&slide);
                "Your copy is the slide's own code again: o runs the slide's code.".into()
            }
            Ok(saved) => {
                let changed = changed_lines(original.as_deref().unwrap_or(""), &saved);
                self.code_copies.insert(slide, saved);
                format!("Your copy is kept ({changed} lines differ): o runs it; O edits it.")
            }
        });
        vec![Effect::Redraw]
    }

    /// Stops the running snippet, if any, saying `why`.
    pub(super) fn stop_snippet(&mut self, why: &str, now: Instant) -> Vec<Effect> {
        match &mut self.snippet {
            Some(snippet) if snippet.is_running() => {
                snippet.ended = Some((now, SnippetEnd::Stopped(why.into())));
                vec![Effect::StopSnippet { run: snippet.run }]
            }
            _ => Vec::new(),
        }
    }

    /// A line the snippet printed.
    pub(super) fn on_snippet_output(
        &mut self,
        run: u64,
        stream: Stream,
        line: &str,
    ) -> Vec<Effect> {
        let Some(snippet) = self.snippet.as_mut().filter(|s| s.run == run) else {
            return Vec::new();
        };
        if snippet.lines.len() == SNIPPET_LINES {
            snippet.lines.pop_front();
            snippet.dropped += 1;
        }
        let mut line = crate::ui::printable::printable(line);
        if let Some((cut, _)) = line.char_indices().nth(SNIPPET_LINE_CHARS) {
            line.truncate(cut);
            line.push('…');
        }
        snippet.lines.push_back((stream, line));
        vec![Effect::Redraw]
    }

    /// The snippet's interpreter ended (or its supervisor was killed) and was reaped.
    pub(super) fn on_snippet_exit(
        &mut self,
        run: u64,
        exit: ExitInfo,
        now: Instant,
    ) -> Vec<Effect> {
        let Some(snippet) = self.snippet.as_mut().filter(|s| s.run == run) else {
            return Vec::new();
        };
        if snippet.ended.is_none() {
            snippet.ended = Some((now, SnippetEnd::Exited(exit)));
        }
        vec![Effect::Redraw]
    }

    /// Gives the panel back to the demo.
    pub(super) fn hide_snippet(&mut self) {
        if let Some(snippet) = &mut self.snippet {
            snippet.shown = false;
        }
    }

    /// The snippet to show in the panel: this slide's, while it is shown.
    #[must_use]
    pub fn shown_snippet(&self) -> Option<&SnippetRun> {
        self.snippet
            .as_ref()
            .filter(|s| s.shown && s.slide == self.slide)
    }

    /// Leaving the slide stops its snippet and stops showing it.
    pub(super) fn leave_snippet(&mut self, now: Instant) -> Vec<Effect> {
        self.hide_snippet();
        self.stop_snippet("slide changed", now)
    }
}

/// How many lines differ between `a` and `b`, line by line (a rough count for the status).
fn changed_lines(a: &str, b: &str) -> usize {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .count()
}

//! Live reload in the App: a lesson saved while it is presented replaces the slides, demos
//! and claims in place — the slide stays, or goes to the one the save changed — while runs
//! going on are left alone; a save that does not pass the checker keeps the last good slides
//! and says the first problem until a good save.

use super::App;
use crate::lecture::msg::{Effect, Reloaded};
use crate::resolved::ResolvedLesson;

impl App {
    /// The lesson's file was saved: `reloaded` is the lesson read again, or its first problem.
    pub(super) fn on_lesson_reloaded(&mut self, reloaded: Result<Reloaded, String>) -> Vec<Effect> {
        let Reloaded {
            lesson,
            edited_line,
        } = match reloaded {
            Ok(reloaded) => reloaded,
            Err(problem) => {
                self.reload_error = Some(problem);
                return vec![Effect::Redraw];
            }
        };
        let ResolvedLesson {
            lesson,
            demos,
            claims,
            ..
        } = *lesson;
        // The slide holding the first edited line, if the edit is on a slide.
        let edited = edited_line.and_then(|line| {
            lesson
                .slides
                .iter()
                .rposition(|slide| slide.line <= line)
                .filter(|_| {
                    lesson
                        .slides
                        .first()
                        .is_some_and(|first| first.line <= line)
                })
        });
        let last = lesson.slides.len().saturating_sub(1);
        let slide = edited.unwrap_or(self.slide).min(last);
        if slide != self.slide {
            self.scroll = 0;
            self.notes_scroll = 0;
        }
        self.slide = slide;
        self.lesson = lesson;
        self.slide_demos = demos;
        self.verdicts.claims = claims;
        self.verdicts.shown = self.verdicts.shown || self.current_slide().verdicts;
        let offered = self.current_demos().len();
        self.demos.selected = self.demos.selected.min(offered.saturating_sub(1));
        self.reload_error = None;
        // The slide is laid out again (its text may have changed at the same size).
        self.highlights = self.highlights.wrapping_add(1);
        self.revision = self.revision.wrapping_add(1);
        self.status = Some(format!("Reloaded: slide {} of {}.", slide + 1, last + 1));
        vec![Effect::HighlightLesson, Effect::Redraw]
    }
}

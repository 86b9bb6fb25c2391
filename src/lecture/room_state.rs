//! What the presenter screen is told of the room's state (see [`crate::link`]).

use super::{App, RunEnd, SnippetEnd};
use crate::demo_runtime::view::View;
use crate::link::wire::ClassState;
use crate::link::wire::millis;
use crate::link::{DemoState, RoomState};
use crate::process::ExitInfo;

impl App {
    /// The room's state as the presenter screen shows it: slide, timer, the demo Enter
    /// starts, the latest run and the slide's running code.
    #[must_use]
    pub fn room_state(&self) -> RoomState {
        let selected_demo = self
            .current_demos()
            .get(self.demos.selected)
            .map(|d| d.request.name().to_string());
        // The run going (a pinned one may be from another slide), else this slide's latest.
        let run = self.demos.running().or_else(|| {
            self.demos
                .runs
                .iter()
                .rev()
                .find(|r| r.slot.0 == self.slide)
        });
        let demo = run.map(|run| DemoState {
            name: run.request.name().to_string(),
            engine: run.engine.name().to_string(),
            running: run.is_running(),
            elapsed_ms: millis(
                run.duration
                    .unwrap_or_else(|| self.now.saturating_duration_since(run.started)),
            ),
            outcome: run.ended.as_ref().map(|end| match (end, &run.error) {
                (_, Some(error)) => format!("failed: {error}"),
                (RunEnd::Finished(ExitInfo::Code(0)), None) => "finished".into(),
                (RunEnd::Finished(exit), None) => format!("ended ({})", exit.describe()),
                (RunEnd::Stopped("x"), None) => "stopped with x".into(),
                (RunEnd::Stopped(why), None) => format!("stopped: {why}"),
            }),
            headline: run.views.get("headline").and_then(|view| match view {
                View::Headline { text, .. } => Some(text.clone()),
                _ => None,
            }),
        });
        let snippet = self
            .snippet
            .as_ref()
            .filter(|s| s.slide == self.slide || s.is_running());
        let snippet = snippet.map(|s| match &s.ended {
            None => "running".into(),
            Some((_, SnippetEnd::Exited(exit))) => exit.describe(),
            Some((_, SnippetEnd::Stopped(why))) => format!("stopped: {why}"),
        });
        RoomState {
            slide: self.slide,
            timer_ms: millis(self.elapsed()),
            timer_running: self.stopwatch.is_running(),
            selected_demo,
            demo,
            snippet,
            jump: self.jump.clone(),
            class: match &self.class {
                Some(super::class_state::Class::Room(room)) => Some(Box::new(ClassState {
                    students: room.students,
                    said: self
                        .verdicts
                        .claims
                        .iter()
                        .filter(|c| c.slide == self.slide + 1)
                        .flat_map(|claim| super::view::demo_panel::class_results::said(self, claim))
                        .map(|(label, text)| label + &text)
                        .collect(),
                })),
                _ => None,
            },
        }
    }
}

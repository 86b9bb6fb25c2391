//! The moments a recording marks: every slide shown, every demo started and ended. Worked out
//! by watching the state after each change, so neither `update` nor the demos know about
//! recordings.

use std::collections::BTreeSet;

use crate::lecture::{App, Run, RunEnd};
use crate::process::ExitInfo;

/// Remembers what has been marked.
#[derive(Debug, Default)]
pub struct MarkerTracker {
    slide: Option<usize>,
    started: BTreeSet<u64>,
    ended: BTreeSet<u64>,
}

impl MarkerTracker {
    /// The markers for whatever changed since the last call, in order.
    pub fn observe(&mut self, app: &App) -> Vec<String> {
        let mut labels = Vec::new();
        if self.slide != Some(app.slide) {
            self.slide = Some(app.slide);
            let title = app.current_slide().title.as_deref().unwrap_or("(untitled)");
            labels.push(format!("{}: {title}", app.slide + 1));
        }
        for run in &app.demos.runs {
            if self.started.insert(run.id) {
                labels.push(format!(
                    "demo {} started ({})",
                    named(run),
                    run.engine.name()
                ));
            }
            if let Some(end) = &run.ended
                && self.ended.insert(run.id)
            {
                labels.push(format!("demo {} {}", named(run), ending(run, end)));
            }
        }
        labels
    }
}

/// A run as a marker names it: the demo, and the title its panel shows — the lesson's name
/// for the variant (`queue-sentinel “One sentinel short”`), else the demo's own — so a
/// slide's variants never look alike.
fn named(run: &Run) -> String {
    let title = run
        .title
        .as_deref()
        .unwrap_or(run.request.demo().spec().title);
    format!("{} “{title}”", run.request.name())
}

/// "finished in 2.1 s", "stopped (slide changed)", "failed: exit 1".
fn ending(run: &Run, end: &RunEnd) -> String {
    let seconds = run.duration.map_or(0.0, |d| d.as_secs_f64());
    match end {
        RunEnd::Finished(ExitInfo::Code(0)) if run.error.is_none() => {
            format!("finished in {seconds:.1} s")
        }
        RunEnd::Finished(exit) => format!("failed after {seconds:.1} s ({})", exit.describe()),
        RunEnd::Stopped(why) => format!("stopped after {seconds:.1} s ({why})"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use ratatui::layout::Size;

    use super::*;
    use crate::demo_runtime::protocol::Event;
    use crate::lecture::msg::Msg;
    use crate::lecture::{App, Run};
    use crate::theme::{Theme, ThemeName};

    fn app() -> App {
        let (lesson, _) = crate::resolved::embedded().unwrap();
        App::new(
            lesson,
            Theme::new(ThemeName::Dark, false),
            0,
            Size::new(120, 40),
            Instant::now(),
        )
    }

    #[test]
    fn each_slide_and_each_run_start_and_end_is_marked_once() {
        let mut app = app();
        let mut markers = MarkerTracker::default();
        assert_eq!(
            markers.observe(&app),
            vec!["1: Lecture Overview".to_string()]
        );
        assert!(markers.observe(&app).is_empty(), "nothing changed");
        app.slide = 2;
        let demo = crate::demos::find("fork-lock").unwrap();
        let now = Instant::now();
        app.demos.push(Run::new(
            1,
            crate::demo_runtime::RunRequest::defaults(demo),
            (2, 1),
            now,
        ));
        let labels = markers.observe(&app);
        assert_eq!(labels[0], "3: Process Start Methods: Fork vs Spawn");
        assert_eq!(
            labels[1],
            format!("demo fork-lock “{}” started (native)", demo.spec().title)
        );
        app.update(
            Msg::Demo {
                run: 1,
                event: Event::Progress {
                    message: "forking".into(),
                    done: None,
                    total: None,
                },
            },
            now,
        );
        assert!(markers.observe(&app).is_empty());
        app.update(
            Msg::DemoExited {
                run: 1,
                exit: ExitInfo::Code(0),
            },
            now + Duration::from_millis(2100),
        );
        assert_eq!(
            markers.observe(&app),
            vec![format!(
                "demo fork-lock “{}” finished in 2.1 s",
                demo.spec().title
            )]
        );
        assert!(markers.observe(&app).is_empty());
    }

    #[test]
    fn a_variants_marker_carries_its_title() {
        let mut app = app();
        let mut markers = MarkerTracker::default();
        markers.observe(&app);
        let demo = crate::demos::find("queue-sentinel").unwrap();
        let mut run = Run::new(
            1,
            crate::demo_runtime::RunRequest::defaults(demo),
            (5, 1),
            Instant::now(),
        );
        run.title = Some("One sentinel short".into());
        app.demos.push(run);
        assert_eq!(
            markers.observe(&app),
            vec!["demo queue-sentinel “One sentinel short” started (native)"]
        );
    }
}

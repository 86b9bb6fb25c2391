//! A lecture's session taken apart into what is saved ([`SavedSession`]), and put back into
//! the App when it is resumed.

use std::time::{Duration, Instant};

use super::App;
use super::run::{CoreTimeline, Run, RunEnd};
use super::session::{SavedEnd, SavedMeasurement, SavedRun, SavedSession, VERSION};
use super::stopwatch::Stopwatch;
use crate::claims::Measurement;
use crate::demo_runtime::RunRequest;

impl App {
    /// The session as it stands, to save (`saved_at` and `lesson_hash` are the caller's).
    #[must_use]
    pub fn saved_session(&self, lesson_hash: u64, saved_at: u64) -> SavedSession {
        let runs = self
            .demos
            .runs
            .iter()
            .filter_map(|run| {
                let ended = match run.ended.as_ref()? {
                    RunEnd::Finished(exit) => SavedEnd::Finished(*exit),
                    RunEnd::Stopped(why) => SavedEnd::Stopped((*why).to_string()),
                };
                Some(SavedRun {
                    slot: run.slot,
                    demo: run.request.name().to_string(),
                    params: run.request.json(),
                    title: run.title.clone(),
                    engine: run.engine,
                    interpreter: run.interpreter,
                    duration_ms: millis(run.duration.unwrap_or_default()),
                    reported_engine: run.reported_engine.clone(),
                    notes: run.notes.clone(),
                    results: run.results.clone(),
                    views: run
                        .views
                        .iter()
                        .map(|(id, view)| (id.to_string(), view.clone()))
                        .collect(),
                    error: run.error.clone(),
                    ended,
                    cores: run.cores.entries.clone(),
                })
            })
            .collect();
        let mut measured: Vec<SavedMeasurement> = self
            .verdicts
            .measured
            .iter()
            .flat_map(|((key, engine), runs)| {
                runs.iter().map(|m| SavedMeasurement {
                    demo: key.0.clone(),
                    params: key.1.clone(),
                    engine: *engine,
                    results: m.results.clone(),
                    simulated: m.simulated.clone(),
                })
            })
            .collect();
        measured
            .sort_by(|a, b| (&a.demo, &a.params, a.engine).cmp(&(&b.demo, &b.params, b.engine)));
        SavedSession {
            version: VERSION,
            lesson_hash,
            saved_at,
            slide: self.slide,
            timer_ms: millis(self.elapsed()),
            timer_running: self.stopwatch.is_running(),
            runs,
            measured,
            class: match &self.class {
                Some(super::class_state::Class::Room(room)) => room.record(),
                _ => None,
            },
        }
    }

    /// Takes the saved session back: its slide, timer, runs and measurements. A run whose
    /// demo or parameters this lectern no longer has is left out.
    pub fn resume(&mut self, saved: &SavedSession, now: Instant) {
        // A room taking a class again takes its class's results back.
        if let (Some(record), Some(super::class_state::Class::Room(room))) =
            (&saved.class, &mut self.class)
        {
            room.take_back(record);
        }
        self.slide = saved.slide.min(self.slide_count().saturating_sub(1));
        self.scroll = 0;
        self.demos.selected = 0;
        self.verdicts.shown = self.current_slide().verdicts;
        self.stopwatch = Stopwatch::resumed(
            Duration::from_millis(saved.timer_ms),
            saved.timer_running,
            now,
        );
        for saved_run in &saved.runs {
            let Some(run) = restore_run(&self.lesson, saved_run, self.demos.next_run + 1, now)
            else {
                continue;
            };
            self.demos.next_run = run.id;
            // Already ended, and no process of it lives: nothing to take off the gauges.
            let mut run = run;
            run.untracked = true;
            self.demos.push(run);
        }
        for m in &saved.measured {
            self.verdicts.record(
                (m.demo.clone(), m.params.clone()),
                m.engine,
                Measurement {
                    results: m.results.clone(),
                    simulated: m.simulated.clone(),
                },
            );
        }
        self.revision = self.revision.wrapping_add(1);
    }
}

fn restore_run(
    lesson: &crate::lesson::Lesson,
    saved: &SavedRun,
    id: u64,
    now: Instant,
) -> Option<Run> {
    let demo = crate::demos::find_in(lesson, &saved.demo).ok()?;
    let request = RunRequest::from_json(demo, &saved.params).ok()?;
    let duration = Duration::from_millis(saved.duration_ms);
    let mut run = Run::new(
        id,
        request,
        saved.slot,
        now.checked_sub(duration).unwrap_or(now),
    );
    run.title.clone_from(&saved.title);
    run.engine = saved.engine;
    run.interpreter = saved.interpreter;
    run.duration = Some(duration);
    run.reported_engine.clone_from(&saved.reported_engine);
    run.notes.clone_from(&saved.notes);
    run.results.clone_from(&saved.results);
    for (id, view) in &saved.views {
        run.views.apply(id.clone(), view.clone());
    }
    run.error.clone_from(&saved.error);
    run.cores = CoreTimeline::from_entries(saved.cores.clone());
    run.ended = Some(match &saved.ended {
        SavedEnd::Finished(exit) => RunEnd::Finished(*exit),
        SavedEnd::Stopped(_) => RunEnd::Stopped("stopped before lectern quit"),
    });
    Some(run)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_runtime::engine::Engine;
    use crate::demo_runtime::protocol::{Event, NoteLevel, ResultValue};
    use crate::demo_runtime::view::{Tone, View};
    use crate::process::ExitInfo;

    fn lecture() -> (App, Instant) {
        let (lesson, _) = crate::resolved::embedded().expect("the built-in lesson");
        let now = Instant::now();
        let theme = crate::theme::Theme::new(crate::theme::ThemeName::Dark, false);
        let app = App::new(lesson, theme, 0, ratatui::layout::Size::new(120, 40), now);
        (app, now)
    }

    /// A finished run of slide 3's first demo, with a result, a view and a note.
    fn ran(app: &mut App, now: Instant) {
        app.slide = 2;
        let request = app
            .request_for((2, 0))
            .cloned()
            .expect("slide 3 has a demo");
        let mut run = Run::new(1, request, (2, 0), now);
        run.apply(Event::Result {
            name: "spawn_median_ms".into(),
            value: ResultValue::Number(54.5),
        });
        run.apply(Event::View {
            id: "headline".into(),
            view: View::Headline {
                text: "spawn took 54.5 ms".into(),
                tone: Tone::Good,
            },
        });
        run.apply(Event::Note {
            level: NoteLevel::Differs,
            message: "why".into(),
        });
        run.cores.push(&[50.0, 25.0]);
        run.end(RunEnd::Finished(ExitInfo::Code(0)), now);
        app.demos.next_run = 1;
        app.demos.push(run);
    }

    #[test]
    fn a_session_survives_a_round_trip_through_json() {
        let (mut app, now) = lecture();
        ran(&mut app, now);
        let saved = app.saved_session(7, 100);
        let json = serde_json::to_string(&saved).expect("serializes");
        let back: SavedSession = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, saved);
        assert!(back.is_worth_offering());
        assert!(back.summary().contains("slide 3"), "{}", back.summary());
    }

    #[test]
    fn resuming_brings_the_slide_timer_runs_and_verdicts_back() {
        let (mut app, now) = lecture();
        ran(&mut app, now);
        app.verdicts.record(
            ("gil".into(), "workers=2".into()),
            Engine::Python,
            Measurement::default(),
        );
        app.stopwatch.toggle(now + Duration::from_secs(754));
        let saved = app.saved_session(7, 100);
        assert_eq!(saved.timer_ms, 754_000);
        let (mut fresh, later) = lecture();
        fresh.resume(&saved, later);
        assert_eq!(fresh.slide, 2);
        assert_eq!(fresh.elapsed(), Duration::from_secs(754));
        assert!(!fresh.stopwatch.is_running());
        let run = fresh.demos.latest((2, 0)).expect("the run is back");
        assert_eq!(run.results["spawn_median_ms"], ResultValue::Number(54.5));
        assert!(run.views.get("headline").is_some());
        assert!(!run.is_running());
        assert_eq!(run.cores.entries, vec![vec![50.0, 25.0]]);
        assert_eq!(fresh.verdicts.measured.len(), 1);
        // The next run is numbered after the resumed ones.
        assert_eq!(fresh.demos.next_run, 1);
    }

    #[test]
    fn a_fresh_session_is_not_worth_offering() {
        let (app, _) = lecture();
        assert!(!app.saved_session(7, 100).is_worth_offering());
    }
}

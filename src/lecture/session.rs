//! What survives a quit or a crash: the slide, the timer, every finished run's results and
//! views, and the verdicts' measurements — as one serializable value the event loop writes
//! whenever it changes (`event_loop::session_file`), and that a later start of the same lesson
//! offers on its first screen (or `--resume` restores at once).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::App;
use super::run::{CoreTimeline, Run, RunEnd};
use super::stopwatch::Stopwatch;
use crate::claims::Measurement;
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::protocol::{NoteLevel, ResultValue};
use crate::demo_runtime::view::View;
use crate::process::ExitInfo;

/// The format's version: a file of another version is not offered.
pub const VERSION: u32 = 1;

/// A lecture session as it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    /// [`VERSION`].
    pub version: u32,
    /// The lesson's text, hashed: a session of an edited lesson is not offered (its slides
    /// and demos may have moved).
    pub lesson_hash: u64,
    /// When it was saved, in seconds since the Unix epoch.
    pub saved_at: u64,
    /// The slide shown (0-based).
    pub slide: usize,
    /// The timer's count, in milliseconds.
    pub timer_ms: u64,
    /// Whether the timer was running.
    pub timer_running: bool,
    /// Every finished run kept, oldest first.
    pub runs: Vec<SavedRun>,
    /// The verdicts' measurements.
    pub measured: Vec<SavedMeasurement>,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    /// The slide and the demo's index on it (`usize::MAX` for the verdicts' runs).
    pub slot: (usize, usize),
    /// The demo's name.
    pub demo: String,
    /// Its parameters, as the JSON both engines are handed.
    pub params: String,
    /// The variant's title, if the lesson names it.
    pub title: Option<String>,
    /// The engine it ran on.
    pub engine: Engine,
    /// How long it ran, in milliseconds.
    pub duration_ms: u64,
    /// The engine as the demo named it, and exactly what it is.
    pub reported_engine: Option<(String, String)>,
    /// Its notes.
    pub notes: Vec<(NoteLevel, String)>,
    /// Its results.
    pub results: BTreeMap<String, ResultValue>,
    /// Its views, in order.
    pub views: Vec<(String, View)>,
    /// The error it reported.
    pub error: Option<String>,
    /// Its exit, or why it was stopped.
    pub ended: SavedEnd,
    /// Each core's load during the run: one entry per kept sample.
    pub cores: Vec<Vec<f32>>,
}

/// How a saved run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedEnd {
    /// The demo ended by itself.
    Finished(ExitInfo),
    /// It was stopped, and why.
    Stopped(String),
}

/// One measurement the verdicts count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMeasurement {
    /// The demo.
    pub demo: String,
    /// Its parameters, written out as the verdicts key them.
    pub params: String,
    /// The engine.
    pub engine: Engine,
    /// The run's results.
    pub results: BTreeMap<String, ResultValue>,
    /// What it simulated, if anything.
    pub simulated: Option<String>,
}

impl SavedSession {
    /// Whether there is anything to offer: a slide past the first, or a run.
    #[must_use]
    pub fn is_worth_offering(&self) -> bool {
        self.slide > 0 || !self.runs.is_empty() || !self.measured.is_empty()
    }

    /// One line for the offer: `slide 6 · timer 12:34 · 8 demo runs`.
    #[must_use]
    pub fn summary(&self) -> String {
        let runs = match self.runs.len() {
            1 => "1 demo run".to_string(),
            n => format!("{n} demo runs"),
        };
        format!(
            "slide {} · timer {} · {runs}",
            self.slide + 1,
            crate::ui::clock::format_clock(Duration::from_millis(self.timer_ms)),
        )
    }
}

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
            .map(|((key, engine), m)| SavedMeasurement {
                demo: key.0.clone(),
                params: key.1.clone(),
                engine: *engine,
                results: m.results.clone(),
                simulated: m.simulated.clone(),
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
        }
    }

    /// Takes the saved session back: its slide, timer, runs and measurements. A run whose
    /// demo or parameters this lectern no longer has is left out.
    pub fn resume(&mut self, saved: &SavedSession, now: Instant) {
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
            let Some(run) = restore_run(saved_run, self.demos.next_run + 1, now) else {
                continue;
            };
            self.demos.next_run = run.id;
            // Already ended, and no process of it lives: nothing to take off the gauges.
            let mut run = run;
            run.untracked = true;
            self.demos.push(run);
        }
        for m in &saved.measured {
            self.verdicts.measured.insert(
                ((m.demo.clone(), m.params.clone()), m.engine),
                Measurement {
                    results: m.results.clone(),
                    simulated: m.simulated.clone(),
                },
            );
        }
        self.revision = self.revision.wrapping_add(1);
    }
}

fn restore_run(saved: &SavedRun, id: u64, now: Instant) -> Option<Run> {
    let demo = crate::demos::find(&saved.demo).ok()?;
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
    use crate::demo_runtime::protocol::Event;
    use crate::demo_runtime::view::Tone;

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
        app.verdicts.measured.insert(
            (("gil".into(), "workers=2".into()), Engine::Python),
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

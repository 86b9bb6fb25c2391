//! Running a script inside the event loop: after every change the loop asks the runner how
//! far it can get, feeds the keys it returns through `update` like any other input, and sleeps
//! no later than the runner's next deadline. No thread of its own, no shared state.

use std::time::{Duration, Instant};

use crate::lecture::msg::Msg;
use crate::lecture::{App, RunEnd};
use crate::process::ExitInfo;
use crate::script::{Condition, Script, ScriptError, Step, StepKind};

/// A script being run.
#[derive(Debug)]
pub struct ScriptRunner {
    script: Script,
    next: usize,
    /// When the current step began, and how many runs had been started by then.
    began: Option<(Instant, u64)>,
    /// What the lecture showed last (its revision: every change but the live gauges and the
    /// clock moves it) and since when, for `wait settled`.
    frame: (u64, Instant),
}

/// What the runner wants after one call.
#[derive(Debug, Default)]
pub struct Advance {
    /// Input to feed to the app now, in order.
    pub msgs: Vec<Msg>,
    /// Recording markers the script asked for.
    pub markers: Vec<String>,
    /// Call again by then at the latest (besides after every change).
    pub deadline: Option<Instant>,
    /// Set when the script has ended: `Ok` after its last step, `Err` when a step failed.
    pub ended: Option<Result<(), ScriptError>>,
}

impl ScriptRunner {
    /// A runner at the script's first step.
    #[must_use]
    pub fn new(script: Script) -> Self {
        Self {
            script,
            next: 0,
            began: None,
            frame: (0, Instant::now()),
        }
    }

    /// Goes as far as it can now. Steps that press keys end the call, so that the loop
    /// applies the keys before anything waits on their effect; `screen` is the text of the
    /// latest frame.
    pub fn advance(&mut self, app: &App, screen: &str, now: Instant) -> Advance {
        let mut out = Advance::default();
        // The gauges move with every sample and the clock every second: a screen that waits
        // for them to stop would wait forever. What the lecture shows is what settles.
        let seen = app.revision;
        if seen != self.frame.0 {
            self.frame = (seen, now);
        }
        while let Some(step) = self.script.steps.get(self.next) {
            let (began, runs_before) = *self.began.get_or_insert((now, app.demos.next_run));
            match &step.kind {
                StepKind::Keys(keys) => {
                    out.msgs.extend(keys.iter().map(|k| Msg::Key(*k)));
                    self.step_done();
                    return out;
                }
                StepKind::Mark(label) => {
                    out.markers.push(label.clone());
                    self.step_done();
                }
                // Like keys, a caption is applied (and drawn) before the script goes on.
                StepKind::Caption(text) => {
                    out.msgs
                        .push(Msg::Caption(Some(text.clone()).filter(|t| !t.is_empty())));
                    self.step_done();
                    return out;
                }
                StepKind::Wait {
                    condition: Condition::Settled(quiet),
                    timeout,
                } => {
                    let settled_at = self.frame.1 + *quiet;
                    if now >= settled_at {
                        self.step_done();
                    } else if now >= began + *timeout {
                        let condition = Condition::Settled(*quiet);
                        out.ended = Some(Err(self.failed(step, gave_up(&condition, *timeout))));
                        return out;
                    } else {
                        // No message may come while the screen is still: wake up to look.
                        out.deadline = Some(settled_at.min(began + *timeout));
                        return out;
                    }
                }
                StepKind::Sleep(length) => {
                    if now < began + *length {
                        out.deadline = Some(began + *length);
                        return out;
                    }
                    self.step_done();
                }
                StepKind::Wait { condition, timeout } => {
                    match holds(condition, app, screen, runs_before) {
                        Ok(true) => self.step_done(),
                        Ok(false) if now >= began + *timeout => {
                            out.ended = Some(Err(self.failed(step, gave_up(condition, *timeout))));
                            return out;
                        }
                        Ok(false) => {
                            // Conditions change with messages, which call the runner anyway;
                            // the deadline is only for the timeout.
                            out.deadline = Some(began + *timeout);
                            return out;
                        }
                        Err(message) => {
                            out.ended = Some(Err(self.failed(step, message)));
                            return out;
                        }
                    }
                }
            }
        }
        out.ended = Some(Ok(()));
        out
    }

    fn step_done(&mut self) {
        self.next += 1;
        self.began = None;
    }

    fn failed(&self, step: &Step, message: String) -> ScriptError {
        ScriptError::Failed {
            name: self.script.name.clone(),
            line: step.line,
            text: step.text.clone(),
            message,
        }
    }
}

/// Whether `condition` holds; `Err` when it never can (the demo it waits for failed).
fn holds(condition: &Condition, app: &App, screen: &str, runs_before: u64) -> Result<bool, String> {
    Ok(match condition {
        Condition::Slide(n) => app.slide + 1 == *n,
        Condition::Text(text) => screen.contains(text.as_str()),
        Condition::DemoStarted => app.demos.running().is_some() || app.demos.next_run > runs_before,
        // Decided by the runner, which sees the frames.
        Condition::Settled(_) => true,
        Condition::DemoFinished => match app.demos.runs.last() {
            None => false,
            Some(run) if run.is_running() => false,
            Some(run) => match (&run.ended, &run.error) {
                (_, Some(error)) => {
                    return Err(format!("demo {} failed: {error}", run.request.name()));
                }
                (Some(RunEnd::Finished(ExitInfo::Code(0))), None) => true,
                (Some(RunEnd::Finished(exit)), None) => {
                    return Err(format!(
                        "demo {} ended badly: {}",
                        run.request.name(),
                        exit.describe()
                    ));
                }
                (Some(RunEnd::Stopped(why)), None) => {
                    return Err(format!("demo {} was stopped ({why})", run.request.name()));
                }
                (None, None) => false,
            },
        },
    })
}

fn gave_up(condition: &Condition, timeout: Duration) -> String {
    let what = match condition {
        Condition::Slide(n) => format!("slide {n} was not shown"),
        Condition::Text(text) => format!("\"{text}\" did not appear on screen"),
        Condition::DemoStarted => "no demo started".into(),
        Condition::DemoFinished => "the demo did not finish (or none was started)".into(),
        Condition::Settled(quiet) => format!(
            "the screen kept changing (never still for {} ms)",
            quiet.as_millis()
        ),
    };
    format!("{what} within {:.1} s", timeout.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Size;

    use super::*;
    use crate::lecture::Run;
    use crate::script::parse;
    use crate::theme::{Theme, ThemeName};

    fn app(now: Instant) -> App {
        let (lesson, _) = crate::resolved::embedded().unwrap();
        App::new(
            lesson,
            Theme::new(ThemeName::Dark, false),
            0,
            Size::new(120, 40),
            now,
        )
    }

    /// Drives the runner like the loop does, feeding its keys to the app.
    fn drive(runner: &mut ScriptRunner, app: &mut App, screen: &str, now: Instant) -> Advance {
        loop {
            let advance = runner.advance(app, screen, now);
            if advance.msgs.is_empty() {
                return advance;
            }
            for msg in advance.msgs {
                app.update(msg, now);
            }
        }
    }

    #[test]
    fn keys_go_through_update_and_waits_see_their_effect() {
        let now = Instant::now();
        let mut app = app(now);
        let script = parse("t", "type 3\nkey Enter\nwait slide 3\nmark \"three\"\n").unwrap();
        let mut runner = ScriptRunner::new(script);
        let advance = drive(&mut runner, &mut app, "", now);
        assert_eq!(app.slide, 2);
        assert_eq!(advance.markers, vec!["three".to_string()]);
        assert!(matches!(advance.ended, Some(Ok(()))));
    }

    #[test]
    fn sleeps_and_waits_give_a_deadline_and_a_timeout_names_the_line() {
        let now = Instant::now();
        let mut app = app(now);
        let script = parse("t", "sleep 2s\nwait text \"speedup\" within 5s\n").unwrap();
        let mut runner = ScriptRunner::new(script);
        let advance = drive(&mut runner, &mut app, "", now);
        assert_eq!(advance.deadline, Some(now + Duration::from_secs(2)));
        let later = now + Duration::from_secs(2);
        let advance = drive(&mut runner, &mut app, "nothing yet", later);
        assert_eq!(advance.deadline, Some(later + Duration::from_secs(5)));
        assert!(advance.ended.is_none());
        let advance = drive(
            &mut runner,
            &mut app,
            "nothing yet",
            later + Duration::from_secs(5),
        );
        let err = advance.ended.unwrap().unwrap_err().to_string();
        assert!(err.starts_with("t:2:"), "{err}");
        assert!(err.contains("\"speedup\" did not appear"), "{err}");
    }

    #[test]
    fn demo_finished_waits_for_the_latest_run_and_fails_on_its_error() {
        let now = Instant::now();
        let mut app = app(now);
        let demo = crate::demos::find("fork-lock").unwrap();
        app.demos.push(Run::new(
            1,
            crate::demo_runtime::RunRequest::defaults(demo),
            (2, 1),
            now,
        ));
        let script = parse("t", "wait demo-finished\n").unwrap();
        let mut runner = ScriptRunner::new(script.clone());
        assert!(drive(&mut runner, &mut app, "", now).ended.is_none());
        app.update(
            Msg::DemoExited {
                run: 1,
                exit: ExitInfo::Code(0),
            },
            now,
        );
        assert!(matches!(
            drive(&mut runner, &mut app, "", now).ended,
            Some(Ok(()))
        ));
        app.demos.push(Run::new(
            2,
            crate::demo_runtime::RunRequest::defaults(demo),
            (2, 1),
            now,
        ));
        app.update(
            Msg::DemoExited {
                run: 2,
                exit: ExitInfo::Code(1),
            },
            now,
        );
        let mut runner = ScriptRunner::new(script);
        let err = drive(&mut runner, &mut app, "", now)
            .ended
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("fork-lock ended badly"), "{err}");
    }
}

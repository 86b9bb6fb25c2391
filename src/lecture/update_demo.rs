//! How the demo keys and demo messages change the App.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};

use super::demo_panel_state::Compare;
use super::run::{Run, RunEnd, Slot};
use super::text_field::TextField;
use super::{Action, App};
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::demo_runtime::params::Kind;
use crate::demo_runtime::protocol::Event;
use crate::lecture::msg::Effect;
use crate::process::ExitInfo;
use crate::sampler::Command;

impl App {
    /// Runs the selected demo of the current slide (stopping any other run first). On a
    /// screen too small to show a run beside the slide, the run takes the screen.
    pub(super) fn start_demo(&mut self, now: Instant) -> Vec<Effect> {
        // A demo takes the panel back from the slide's code (which keeps running, if it is).
        self.hide_snippet();
        let slot = (self.slide, self.demos.selected);
        let (Some(request), Some(shown)) = (
            self.request_for(slot).cloned(),
            self.current_demos().get(slot.1),
        ) else {
            self.status = Some("This slide has no demo.".into());
            return vec![Effect::Redraw];
        };
        let title = shown.title.clone();
        if let Some(claim) = self.question_before(&request) {
            return self.ask(slot, claim);
        }
        let engine = self.engine_for(slot);
        self.launch(request, slot, title, engine, now)
    }

    /// Starts the run `request` asks for as a run of `slot` on `engine`, stopping any other
    /// run first. On a screen too small to show a run beside the slide, the run takes the
    /// screen.
    pub(super) fn launch(
        &mut self,
        request: RunRequest,
        slot: Slot,
        title: Option<String>,
        engine: Engine,
        now: Instant,
    ) -> Vec<Effect> {
        self.launch_on(request, slot, title, (engine, 0), now)
    }

    /// As [`App::launch`], on CPython number `interpreter` when `engine` is CPython.
    pub(super) fn launch_on(
        &mut self,
        request: RunRequest,
        slot: Slot,
        title: Option<String>,
        (engine, interpreter): (Engine, usize),
        now: Instant,
    ) -> Vec<Effect> {
        let interpreter = if engine == Engine::Python {
            interpreter
        } else {
            0
        };
        let mut effects = self.stop_demo("restarted", now);
        // The runs before this one leave the gauges: its rows are its own.
        effects.extend(
            self.demos
                .untrack_ended()
                .into_iter()
                .map(|run| Effect::ForgetRun { run }),
        );
        self.demos.next_run += 1;
        let id = self.demos.next_run;
        self.demos.close_editor();
        self.demos.scroll = 0;
        let mut run = Run::new(id, request.clone(), slot, now);
        run.title = title;
        run.engine = engine;
        run.interpreter = interpreter;
        self.demos.compare = None;
        self.demos.push(run);
        if self.layout.demo_cramped {
            self.demo_focus = true;
        }
        effects.push(Effect::StartDemo {
            run: id,
            request,
            engine,
            interpreter,
        });
        effects.push(Effect::Redraw);
        effects
    }

    /// Stops the running demo, if any, saying why.
    pub(super) fn stop_demo(&mut self, why: &'static str, now: Instant) -> Vec<Effect> {
        match self.demos.running_mut() {
            Some(run) => {
                run.end(RunEnd::Stopped(why), now);
                vec![Effect::StopDemo { run: run.id }, Effect::Redraw]
            }
            None => Vec::new(),
        }
    }

    /// `x`: stops the running demo and says so in the footer, since the panel may be showing
    /// another demo (a pinned run stopped from another slide).
    fn stop_with_x(&mut self, now: Instant) -> Vec<Effect> {
        if self
            .shown_snippet()
            .is_some_and(super::SnippetRun::is_running)
        {
            self.status = Some("Stopped the slide's code: every process of it was killed.".into());
            return self.stop_snippet("stopped with x", now);
        }
        // Stopping also stops the verdicts' round of runs.
        self.verdicts.queue.clear();
        let name = self.demos.running().map(|r| r.request.name());
        let effects = self.stop_demo("stopped with x", now);
        self.status = Some(match name {
            Some(name) => format!("Stopped {name}: every process of it was killed."),
            None => "No demo is running.".into(),
        });
        effects
    }

    /// The demo actions other than starting.
    pub(super) fn demo_action(&mut self, action: Action, now: Instant) -> Vec<Effect> {
        match action {
            // Tab from the verdicts goes back to the slide's demos.
            Action::NextDemo if self.verdicts.shown => {
                self.verdicts.shown = false;
                self.demos.scroll = 0;
                vec![Effect::Redraw]
            }
            Action::NextDemo => {
                let count = self.current_demos().len();
                if count > 1 {
                    self.demos.selected = (self.demos.selected + 1) % count;
                    self.demos.close_editor();
                    self.demos.scroll = 0;
                }
                vec![Effect::Redraw]
            }
            Action::StopDemo => {
                let mut effects = self.stop_with_x(now);
                effects.push(Effect::Redraw);
                effects
            }
            Action::RestartDemo => self.start_demo(now),
            Action::PinDemo => {
                if let Some(run) = self.demos.running_mut() {
                    run.pinned = !run.pinned;
                }
                vec![Effect::Redraw]
            }
            Action::EditParams => {
                let has_demo = !self.current_demos().is_empty();
                self.demos.editor = match (has_demo, self.demos.editor) {
                    (true, None) => Some(0),
                    _ => None,
                };
                // A panel too small to show a run is too small to show the editor: it takes
                // the screen, so what is typed is seen (and never mistaken for a slide number).
                if self.demos.editor.is_some() && self.layout.demo_cramped {
                    self.demo_focus = true;
                }
                vec![Effect::Redraw]
            }
            Action::ToggleFocus => {
                self.demo_focus = !self.demo_focus;
                vec![Effect::Redraw]
            }
            Action::SwitchEngine => self.switch_engine(now),
            Action::Compare => self.next_comparison(),
            _ => Vec::new(),
        }
    }

    /// `c`: the next comparison the demo's runs allow — its latest run against the one before
    /// with other parameters, then both engines — then the latest run again.
    fn next_comparison(&mut self) -> Vec<Effect> {
        let slot = (self.slide, self.demos.selected);
        let experiments = self.demos.experiment(slot).is_some();
        let engines = self.demos.latest_on(slot, Engine::Native).is_some()
            && self.demos.latest_on(slot, Engine::Python).is_some();
        let next = match self.demos.compare {
            None if experiments => Some(Compare::Experiments),
            None | Some(Compare::Experiments) if engines => Some(Compare::Engines),
            _ => None,
        };
        if next.is_none() && self.demos.compare.is_none() {
            self.status = Some(
                "Nothing to compare yet: change a parameter (e) and run again, or run on the \
                 other engine (E)."
                    .into(),
            );
        }
        self.demos.compare = next;
        self.demos.scroll = 0;
        vec![Effect::Redraw]
    }

    /// `E`: runs the demo shown again on the next engine — after the one its latest run used,
    /// or the one Enter would use: native, then each CPython given with `--python` — and
    /// changes nothing else: Enter still runs on the session's engine (`--engine`) or the one
    /// the lesson pins.
    fn switch_engine(&mut self, now: Instant) -> Vec<Effect> {
        if self.engines.python.is_none() {
            // Without a reason, CPython was not looked for: `--engine native` (with `auto`,
            // a failed search always says why).
            self.status = Some(match &self.engines.why_not_python {
                Some(why) => format!("Only the native engine is available: {why}"),
                None => "Only the native engine is in use: lectern was started with \
                         --engine native."
                    .into(),
            });
            return vec![Effect::Redraw];
        }
        let slot = (self.slide, self.demos.selected);
        let (Some(request), Some(shown)) = (
            self.request_for(slot).cloned(),
            self.current_demos().get(slot.1),
        ) else {
            self.status = Some("This slide has no demo to run on the other engine.".into());
            return vec![Effect::Redraw];
        };
        let title = shown.title.clone();
        let last = self.demos.latest(slot).map_or_else(
            || (self.engine_for(slot), 0),
            |run| (run.engine, run.interpreter),
        );
        let targets = self.targets();
        let at = targets.iter().position(|t| *t == last).unwrap_or(0);
        let next = targets[(at + 1) % targets.len()];
        if self.runnable_on(request.demo(), next.0) != next.0 {
            self.status = Some(format!(
                "`{}` has no CPython twin: it runs natively only.",
                request.name()
            ));
            return vec![Effect::Redraw];
        }
        let after = targets[(at + 2) % targets.len()];
        self.status = Some(format!(
            "{} on {} (E again: {}).",
            request.name(),
            self.target_name(next),
            self.target_name(after)
        ));
        self.launch_on(request, slot, title, next, now)
    }

    /// What `E` steps through: the native engine, then each CPython in the order given.
    fn targets(&self) -> Vec<(Engine, usize)> {
        let pythons = usize::from(self.engines.python.is_some()) + self.engines.more.len();
        std::iter::once((Engine::Native, 0))
            .chain((0..pythons).map(|i| (Engine::Python, i)))
            .collect()
    }

    /// A target as the status line names it.
    fn target_name(&self, (engine, interpreter): (Engine, usize)) -> String {
        match engine {
            Engine::Native => "lectern's native engine".into(),
            Engine::Python => self
                .engines
                .interpreter(interpreter)
                .unwrap_or("CPython")
                .to_string(),
        }
    }

    /// Keys while the parameter editor is open; `None` lets the key through (navigation,
    /// quitting), so a clicker still works. The characters a number is typed with, and
    /// Backspace, edit the selected value and never reach the slide keys.
    pub(super) fn editor_key(&mut self, key: KeyEvent, now: Instant) -> Option<Vec<Effect>> {
        let row = self.demos.editor?;
        let slot = (self.slide, self.demos.selected);
        let request = self.request_for(slot)?.clone();
        let params = request.demo().spec().params;
        let param = params.get(row)?;
        self.demos.refused = None;
        match key.code {
            KeyCode::Char(c) if TextField::number().takes(c) => {
                if matches!(param.kind, Kind::Int { .. }) {
                    let field = self.demos.typed.get_or_insert_with(TextField::number);
                    let _ = field.push(c);
                } else {
                    self.status = Some(format!(
                        "`{}` is {}: ←→ change it.",
                        param.name,
                        param.expected()
                    ));
                }
            }
            KeyCode::Backspace => {
                if let Some(field) = &mut self.demos.typed {
                    field.pop();
                    if field.is_empty() {
                        self.demos.typed = None;
                    }
                }
            }
            KeyCode::Enter => match self.demos.typed.take() {
                Some(field) => return Some(self.set_typed(slot, &request, row, field, now)),
                None => return Some(self.start_demo(now)),
            },
            KeyCode::Esc => {
                // Esc drops a value half typed first, then closes the editor.
                if self.demos.typed.take().is_none() {
                    self.demos.close_editor();
                }
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.demos.typed = None;
                self.demos.editor = Some(row.saturating_sub(1));
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.demos.typed = None;
                self.demos.editor = Some((row + 1).min(params.len() - 1));
            }
            KeyCode::Right | KeyCode::Char('l' | '+' | '=') => {
                self.demos.typed = None;
                self.demos.step_param(slot, &request, row, true);
            }
            KeyCode::Left | KeyCode::Char('h') => {
                self.demos.typed = None;
                self.demos.step_param(slot, &request, row, false);
            }
            KeyCode::Char('e') => self.demos.close_editor(),
            _ => {
                self.demos.close_editor();
                return None;
            }
        }
        Some(vec![Effect::Redraw])
    }

    /// Enter on a typed value: checked against the parameter's range and against the demo's
    /// other parameters; if the demo takes it, it runs with it, else the editor says why under
    /// the value, which stays as typed to be corrected.
    fn set_typed(
        &mut self,
        slot: Slot,
        request: &RunRequest,
        row: usize,
        field: TextField,
        now: Instant,
    ) -> Vec<Effect> {
        let text = field.text();
        let Some(param) = request.demo().spec().params.get(row) else {
            return vec![Effect::Redraw];
        };
        let checked = param
            .parse(text)
            .ok_or_else(|| {
                format!(
                    "`{}` takes {}; {text} is not one.",
                    param.name,
                    param.expected()
                )
            })
            .and_then(|value| {
                request
                    .with_checked(param.name, value)
                    .map_err(|err| err.to_string())
            });
        match checked {
            Ok(accepted) => {
                self.demos.edited.insert(slot, accepted);
                self.start_demo(now)
            }
            Err(why) => {
                self.demos.refused = Some(why);
                self.demos.typed = Some(field);
                vec![Effect::Redraw]
            }
        }
    }

    /// A demo reported something.
    pub(super) fn on_demo_event(&mut self, run_id: u64, event: Event) -> Vec<Effect> {
        let Some(run) = self.demos.run_mut(run_id).filter(|r| r.is_running()) else {
            return Vec::new();
        };
        let mut effects = vec![Effect::Redraw];
        match &event {
            Event::Process { pid, ppid, role } => {
                effects.push(Effect::Sampler(Command::Reported {
                    pid: *pid,
                    ppid: *ppid,
                    label: role.clone(),
                }));
            }
            // The demo reaped it and knows how it ended (and how long it lived): the gauges
            // say the same.
            Event::Exit {
                pid,
                code,
                signal,
                lived_ms,
                ..
            } => effects.push(Effect::Sampler(Command::Exited {
                pid: *pid,
                exit: ExitInfo::from_parts(*code, *signal),
                // Whatever a demo sends: a negative or enormous lifetime is none.
                lived: lived_ms.and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok()),
            })),
            _ => {}
        }
        run.apply(event);
        effects
    }

    /// A demo's worker ended.
    pub(super) fn on_demo_exit(
        &mut self,
        run_id: u64,
        exit: ExitInfo,
        now: Instant,
    ) -> Vec<Effect> {
        let Some(run) = self.demos.run_mut(run_id) else {
            return Vec::new();
        };
        run.end(RunEnd::Finished(exit), now);
        let ended = run.clone();
        if let (ExitInfo::Code(0), None, Some(took)) = (exit, &ended.error, ended.duration) {
            self.timings.record(&ended.request, ended.engine, took);
        }
        let mut effects = vec![Effect::Redraw];
        // The demo's own first process ended with it (a twin's interpreter is reaped by the
        // supervisor, which reports nothing after the summary): the panel and the gauges say so.
        if let Some(worker) = run.processes.first_mut().filter(|p| p.exit.is_none()) {
            worker.exit = Some(exit);
            effects.push(Effect::Sampler(Command::Exited {
                pid: worker.pid,
                exit,
                lived: None,
            }));
        }
        effects.extend(self.after_run(&ended, exit, now));
        effects
    }
}

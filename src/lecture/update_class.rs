//! How a class changes the lecture. In the room: students join and leave, and their
//! predictions and measurements are kept (a student's latest answer per question). On a
//! student's laptop: the room's slide is followed unless the student paged away (`F` follows
//! again), the room's demo is offered, and the room's end is said.

use super::App;
use super::class_state::{Class, Measured, StudentClass};
use crate::classroom::ClassEvent;
use crate::classroom::frames::{ToRoom, ToStudent};
use crate::lecture::msg::Effect;

impl App {
    /// Something happened in the room's class.
    pub(super) fn on_class_event(&mut self, event: ClassEvent) -> Vec<Effect> {
        let Some(Class::Room(room)) = &mut self.class else {
            return Vec::new();
        };
        match event {
            ClassEvent::Joined { .. } => room.students += 1,
            ClassEvent::Left { why, .. } => {
                room.students = room.students.saturating_sub(1);
                // A student dropped for breaking a rule is said (a leaving one is not).
                if why.starts_with("dropped") {
                    self.status = Some(format!("A student was {why}"));
                }
            }
            ClassEvent::Said {
                id,
                message:
                    ToRoom::Prediction {
                        slide,
                        question,
                        answer,
                    },
            } => {
                let answers = room.predictions.entry((slide, question)).or_default();
                answers.retain(|(student, _)| *student != id);
                answers.push((id, answer));
            }
            ClassEvent::Said {
                id,
                message:
                    ToRoom::Measurement {
                        demo,
                        results,
                        interpreter,
                        cores,
                        ..
                    },
            } => {
                // A student's latest run counts, once: a machine is one vote.
                let runs = room.measurements.entry(demo).or_default();
                runs.retain(|m| m.student != id);
                runs.push(Measured {
                    student: id,
                    results,
                    interpreter,
                    cores,
                });
            }
            ClassEvent::Said { .. } => return Vec::new(),
        }
        vec![Effect::Redraw]
    }

    /// The room said something to this student's lecture.
    pub(super) fn on_room(&mut self, message: ToStudent) -> Vec<Effect> {
        let Some(Class::Student(student)) = &mut self.class else {
            return Vec::new();
        };
        match message {
            ToStudent::State { slide, demo } => {
                student.room_slide = Some(slide);
                let following = student.following;
                let mut effects = if following {
                    self.go_to(slide.min(self.slide_count().saturating_sub(1)))
                } else {
                    Vec::new()
                };
                if let Some((name, params)) = demo {
                    self.offer_rooms_demo(slide, &name, &params);
                }
                effects.push(Effect::Redraw);
                effects
            }
            ToStudent::Ended => {
                student.ended = true;
                student.following = false;
                self.status = Some(
                    "The room ended the class; the lecture stays yours to page through.".into(),
                );
                vec![Effect::Redraw]
            }
            _ => Vec::new(),
        }
    }

    /// The room started demo `name` with `params` on its slide `slide`: the student's own demo
    /// of that name on that slide takes the room's parameters — checked here, as any typed
    /// value is; a name or a value this lectern does not accept changes nothing — and is offered.
    fn offer_rooms_demo(&mut self, slide: usize, name: &str, params: &[(String, String)]) {
        let slot = self.slide_demos.get(slide).and_then(|demos| {
            let index = demos.iter().position(|d| d.request.name() == name)?;
            Some(((slide, index), demos[index].request.demo()))
        });
        let Some((slot, demo)) = slot else {
            return;
        };
        let pairs = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        if let Ok(request) = crate::demo_runtime::RunRequest::from_pairs(demo, pairs) {
            self.demos.edited.insert(slot, request);
            if self.slide == slide {
                self.demos.selected = slot.1;
            }
        }
        if let Some(Class::Student(student)) = &mut self.class {
            student.room_demo = Some(name.to_string());
        }
        self.status = Some(format!(
            "The room runs {name}: Enter runs it on this machine too, and sends the room what \
             it measures."
        ));
    }

    /// `F`: follows the room again (a student only).
    pub(super) fn follow_room(&mut self) -> Vec<Effect> {
        let Some(Class::Student(student)) = &mut self.class else {
            self.status = Some("F follows the room's slide when you joined a class.".into());
            return vec![Effect::Redraw];
        };
        if student.ended {
            self.status = Some("The room ended the class.".into());
            return vec![Effect::Redraw];
        }
        student.following = true;
        let target = student.room_slide;
        self.status = Some("Following the room.".into());
        let mut effects = target.map(|s| self.go_to(s)).unwrap_or_default();
        effects.push(Effect::Redraw);
        effects
    }

    /// A student moved away from the room's slide: the screen stops following it.
    pub(super) fn left_the_room(&mut self) {
        if let Some(Class::Student(StudentClass {
            following,
            room_slide: Some(room),
            ended: false,
            ..
        })) = &mut self.class
            && *following
            && *room != self.slide
        {
            *following = false;
            self.status = Some("You left the room's slide: F follows it again.".into());
        }
    }
}

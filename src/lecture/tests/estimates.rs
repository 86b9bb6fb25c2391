//! Before Enter the panel says about how long the run will take: the demo's estimate, then
//! the time of its last run here.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::{app_at, key, panel_text, send};
use crate::lecture::msg::Msg;
use crate::process::ExitInfo;

#[test]
fn before_enter_the_panel_says_how_long_from_the_estimate_then_the_last_run_here() {
    let (mut app, now) = app_at(120, 40);
    let request = app
        .request_for((0, 0))
        .cloned()
        .expect("slide 1 has a demo");
    let engine = app.engine_for((0, 0));
    let estimate = request.demo().estimate(request.params());
    let text = panel_text(&app, 200);
    assert!(
        text.contains(&format!(
            "about {:.1} s (estimated)",
            estimate.as_secs_f64()
        )),
        "{text}"
    );
    // A run here that finished well: its time is what the next start says.
    key(&mut app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    send(
        &mut app,
        now + Duration::from_millis(3400),
        Msg::DemoExited {
            run,
            exit: ExitInfo::Code(0),
        },
    );
    assert_eq!(
        app.timings.expected(&request, engine).0,
        Duration::from_millis(3400)
    );
    let (mut fresh, _) = app_at(120, 40);
    fresh.timings = app.timings.clone();
    let text = panel_text(&fresh, 200);
    assert!(
        text.contains("about 3.4 s (as its last run here)"),
        "{text}"
    );
    // A run that failed is no measure of how long one takes.
    key(&mut app, now, KeyCode::Enter);
    let run = app.demos.next_run;
    send(
        &mut app,
        now + Duration::from_millis(100),
        Msg::DemoExited {
            run,
            exit: ExitInfo::Code(1),
        },
    );
    assert_eq!(
        app.timings.expected(&request, engine).0,
        Duration::from_millis(3400)
    );
}

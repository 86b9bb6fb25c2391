//! Any bytes as a demo's standard output: every line is read as the runner reads it, an
//! event that parses must write back to a line that reads as the same event, and the events
//! are applied to a run's state and its views drawn, as the UI would.
//! ("The same event": `Event::check_round_trip`.)
#![no_main]

use std::sync::OnceLock;
use std::time::Instant;

use lectern::lecture::Run;
use lectern::demo_runtime::protocol::Event;
use lectern::demos::ALL;
use lectern::demo_runtime::Params;
use lectern::theme::{Theme, ThemeName};
use libfuzzer_sys::fuzz_target;

/// A demo's default parameters, worked out once (they look at the machine).
fn defaults() -> &'static Params {
    static DEFAULTS: OnceLock<Params> = OnceLock::new();
    DEFAULTS.get_or_init(|| ALL[0].defaults())
}

fuzz_target!(|data: &[u8]| {
    let mut run = Run::new(1, ALL[0], defaults().clone(), (0, 0), Instant::now());
    // As `supervise::forward` and `runner::start` do: split after each `\n`, decode lossily,
    // drop the line ending, then `trim_end` before parsing.
    for raw in data.split_inclusive(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(raw)
            .trim_end_matches(['\n', '\r'])
            .to_string();
        let Some(event) = Event::from_line(text.trim_end()) else {
            continue;
        };
        if let Err(why) = event.check_round_trip() {
            panic!("{text:?} read as an event, but {why}");
        }
        run.apply(event);
    }
    let theme = Theme::new(ThemeName::Dark, false);
    for (_, view) in run.views.iter() {
        let _ = lectern::ui::views::lines(view, 80, &theme);
    }
});

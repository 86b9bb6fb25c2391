//! Layout facts for `update`, worked out by the drawing code after each change.

use crate::lecture::App;
use crate::lecture::msg::Msg;
use crate::lecture::view;

/// Works the layout facts out again after the state changed and hands them to the app as a
/// message when they differ, so `update` never calls the drawing code. The slide's part (the
/// costly one: laying the slide out) is redone only when the slide, size or notes changed.
#[derive(Debug, Default)]
pub struct LayoutTracker {
    key: Option<(usize, u16, u16, bool, u64)>,
    slide: crate::lecture::msg::LayoutFacts,
}

impl LayoutTracker {
    /// Sends `app` fresh layout facts if they changed, and lays the slide's text out again
    /// when the slide, size, notes or theme changed. `sample` says the message just handled
    /// was a sample, which changes only the gauges: the demo panel's facts stand.
    pub fn refresh(&mut self, app: &mut App, sample: bool) {
        // A sample changes neither the slide, the size, the notes nor the theme, and the
        // demo panel's facts stand: nothing to work out (not even comparing themes).
        if sample && self.key.is_some() {
            return;
        }
        let key = view::layout_key(app);
        let theme_changed = app
            .laid_out
            .slide
            .as_ref()
            .is_none_or(|kept| kept.theme != app.theme);
        if self.key != Some(key) || theme_changed {
            self.key = Some(key);
            app.set_laid_out(view::lay_out(app));
            self.slide = view::slide_facts(app);
        }
        let mut facts = self.slide;
        view::demo_facts(app, &mut facts);
        if facts != app.layout {
            app.update(Msg::Layout(facts), app.now);
        }
    }
}

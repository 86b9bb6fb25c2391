//! Live reload: a saved lesson replaces the slides in place — the slide stays, or goes to the
//! slide the save changed — and a save that does not check keeps the last good slides with
//! its first problem on screen until a good one.

use std::time::Instant;

use ratatui::layout::Size;

use super::{relayout, screen, send};
use crate::lecture::App;
use crate::lecture::msg::{Msg, Reloaded};
use crate::resolved::from_text;
use crate::theme::{Theme, ThemeName};

const LESSON: &str = "## One\n\ntext\n\n---\n\n## Two\n\ntext\n\n---\n\n## Three\n\ntext\n";

fn reloaded(text: &str, edited_line: Option<usize>) -> Msg {
    let (lesson, problems) = from_text(text);
    assert!(problems.is_empty(), "{problems:?}");
    Msg::LessonReloaded(Ok(Reloaded {
        lesson: Box::new(lesson),
        edited_line,
    }))
}

#[test]
fn a_save_replaces_the_slides_and_goes_to_the_one_it_changed() {
    let now = Instant::now();
    let theme = Theme::new(ThemeName::Dark, false);
    let mut app = App::new(from_text(LESSON).0, theme, 1, Size::new(100, 30), now);
    relayout(&mut app, now);
    // A save that changes the slide on screen: it stays, with the new text.
    let text = LESSON.replace("## Two", "## Two, renamed");
    send(&mut app, now, reloaded(&text, Some(7)));
    assert_eq!(app.slide, 1);
    assert!(screen(&app).contains("Two, renamed"), "{}", screen(&app));
    // A save on another slide: the lecture goes there.
    let text = text.replace("## Three", "## Three, edited");
    send(&mut app, now, reloaded(&text, Some(13)));
    assert_eq!(app.slide, 2);
    assert!(screen(&app).contains("Three, edited"));
    // A broken save: the slides stay, the first problem is said until a good save.
    let problem = "l.md:3:12: error: unknown demo `nope`; available demos: gil".to_string();
    send(&mut app, now, Msg::LessonReloaded(Err(problem)));
    let shown = screen(&app);
    assert!(shown.contains("Three, edited"), "{shown}");
    assert!(
        shown.contains("not reloaded: l.md:3:12: error: unknown demo"),
        "{shown}"
    );
    send(&mut app, now, reloaded(&text, None));
    assert_eq!(app.reload_error, None);
    assert!(!screen(&app).contains("not reloaded"));
    // Slides removed under the current one: the last one is shown.
    send(&mut app, now, reloaded("## Only\n\ntext\n", Some(1)));
    assert_eq!(app.slide, 0);
}

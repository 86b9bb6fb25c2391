//! The aids a recording shows its viewers, drawn over the bottom of the frame just above the
//! footer, inside the recorded size: the caption (at most two lines, centred) and, above it,
//! the keys just pressed. Both in the footer's colours, which every theme makes readable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::demo_runtime::view::count;
use crate::lecture::App;
use crate::lecture::class_state::Class;
use crate::lesson::{Block, plain_text};
use crate::ui::wrap::{text_width, truncate, wrap};

/// Caption lines at most.
const CAPTION_LINES: usize = 2;

/// Whether the strip may have anything to draw: asked without building the caption's text,
/// which the drawing does once.
#[must_use]
pub fn may_show(app: &App) -> bool {
    let aids = &app.aids;
    !aids.keys.is_empty()
        || aids.caption.is_some()
        || aids.captions_from_notes
        || app.class.is_some()
}

/// The caption on screen now: a script's, else (with `--captions notes`) the first "Say:"
/// paragraph of the slide's notes.
#[must_use]
pub fn caption_text(app: &App) -> Option<String> {
    if let Some(caption) = &app.aids.caption {
        return Some(caption.clone());
    }
    if !app.aids.captions_from_notes {
        return None;
    }
    app.current_slide()
        .notes
        .iter()
        .find_map(|block| match block {
            Block::Paragraph(inlines) => plain_text(inlines)
                .trim()
                .strip_prefix("Say:")
                .map(|said| said.trim().replace('\n', " ")),
            _ => None,
        })
}

/// The class's line: in the room how to join and who is here, on a student's laptop whether
/// this screen follows the room.
#[must_use]
pub fn class_line(app: &App) -> Option<String> {
    match app.class.as_ref()? {
        Class::Room(room) => Some(format!(
            "Join the class: {} · {}",
            room.join,
            count(room.students as u64, "student", "students")
        )),
        Class::Student(student) if student.ended => Some("The room ended the class".into()),
        Class::Student(student) => Some(match (student.following, student.room_slide) {
            (_, None) => "Joined: waiting for the room".into(),
            (true, Some(slide)) => format!("Following the room · slide {}", slide + 1),
            (false, Some(slide)) => format!("The room is on slide {}: F follows it", slide + 1),
        }),
    }
}

/// Draws the class line, the caption and the keys strip over the bottom of `screen`, above
/// the footer.
pub fn render(app: &App, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let width = usize::from(screen.width.saturating_sub(6)).max(10);
    // Rows above the footer (the screen's last row), from the bottom up.
    let mut bottom = screen.bottom().saturating_sub(1);
    if let Some(line) = class_line(app) {
        bottom = bottom.saturating_sub(1);
        let text = truncate(&format!(" {line} "), usize::from(screen.width));
        buf.set_string(
            screen.x,
            bottom,
            " ".repeat(usize::from(screen.width)),
            theme.footer,
        );
        buf.set_string(screen.x, bottom, text, theme.footer_accent);
    }
    if let Some(text) = caption_text(app) {
        let mut lines = wrap(&[(text.as_str(), theme.footer)], width);
        if lines.len() > CAPTION_LINES {
            lines.truncate(CAPTION_LINES);
            if let Some(last) = lines.last_mut() {
                let cut = truncate(&format!("{last}…"), width);
                *last = Line::styled(cut, theme.footer);
            }
        }
        // A band across the whole frame, as subtitles are: nothing behind shows through.
        for line in lines.iter().rev() {
            bottom = bottom.saturating_sub(1);
            let row = Rect::new(screen.x, bottom, screen.width, 1);
            buf.set_string(
                row.x,
                row.y,
                " ".repeat(usize::from(row.width)),
                theme.footer,
            );
            let text = line.to_string();
            let shown = u16::try_from(text_width(&text)).unwrap_or(screen.width);
            let x = screen.x + screen.width.saturating_sub(shown) / 2;
            buf.set_stringn(x, bottom, &text, usize::from(shown), theme.footer);
        }
    }
    if !app.aids.keys.is_empty() {
        let keys: Vec<&str> = app.aids.keys.iter().map(|(k, _)| k.as_str()).collect();
        let text = truncate(
            &format!(" ⌨ {} ", keys.join(" · ")),
            usize::from(screen.width),
        );
        let shown = u16::try_from(text_width(&text)).unwrap_or(screen.width);
        bottom = bottom.saturating_sub(1);
        let x = screen.right().saturating_sub(shown + 1);
        buf.set_stringn(x, bottom, &text, usize::from(shown), theme.footer_accent);
    }
}

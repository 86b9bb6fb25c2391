//! Frames as cell buffers: copying one into another at an offset (a fixed-size frame centred
//! in the window, a frame into a recording), and reading one back as text (what scripts
//! search, and what a headless run prints last).

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

/// Copies `src` into `dst` with its top-left corner at (`x`, `y`); what falls outside `dst` is
/// dropped.
pub fn blit(src: &Buffer, dst: &mut Buffer, x: u16, y: u16) {
    for row in 0..src.area.height {
        for col in 0..src.area.width {
            let from = Position::new(src.area.x + col, src.area.y + row);
            let to = Position::new(x.saturating_add(col), y.saturating_add(row));
            if let (Some(cell), Some(target)) = (src.cell(from), dst.cell_mut(to)) {
                *target = cell.clone();
            }
        }
    }
}

/// The text of a frame, one line per row, trailing blanks kept (scripts search it).
#[must_use]
pub fn text_of(buffer: &Buffer) -> String {
    let mut text = String::with_capacity(buffer.content().len() + buffer.area.height as usize);
    for row in 0..buffer.area.height {
        let mut skip = 0;
        for col in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let position = Position::new(buffer.area.x + col, buffer.area.y + row);
            if let Some(cell) = buffer.cell(position) {
                let symbol = cell.symbol();
                text.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    #[test]
    fn blit_places_a_frame_at_an_offset_and_clips_it() {
        let mut src = Buffer::empty(Rect::new(0, 0, 3, 2));
        src.set_string(0, 0, "abc", Style::new());
        src.set_string(0, 1, "def", Style::new());
        let mut dst = Buffer::empty(Rect::new(0, 0, 5, 3));
        blit(&src, &mut dst, 3, 1);
        assert_eq!(text_of(&dst), "     \n   ab\n   de\n");
    }

    #[test]
    fn text_of_counts_wide_characters_once() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf.set_string(0, 0, "日x", Style::new());
        assert_eq!(text_of(&buf), "日x \n");
    }
}

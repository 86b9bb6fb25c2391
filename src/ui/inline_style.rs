//! The style of inline lesson text (code, links, bold, italic, struck through) over the style
//! of the block it is in; shared by paragraphs, lists and tables.

use ratatui::style::{Modifier, Style};

use crate::lesson::Inline;
use crate::theme::Theme;

/// The style of an inline run on top of `base`.
#[must_use]
pub fn inline_style(inline: &Inline, base: Style, theme: &Theme) -> Style {
    let mut style = if inline.style.code {
        theme.inline_code
    } else if inline.style.link {
        base.patch(theme.link)
    } else {
        base
    };
    if inline.style.bold {
        style = style.add_modifier(Modifier::BOLD);
    }
    if inline.style.italic {
        style = style.add_modifier(Modifier::ITALIC);
    }
    if inline.style.strike {
        style = style.add_modifier(Modifier::CROSSED_OUT);
    }
    style
}

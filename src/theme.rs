//! Every style lectern draws with, in one place: dark, light, high-contrast and `NO_COLOR`.
//!
//! Widgets ask the theme for a role ("title", "keyword", "footer key"), never for a colour, so a
//! theme can change everything and `NO_COLOR` can strip colour without touching any widget.

use clap::ValueEnum;
use ratatui::style::{Color, Modifier, Style};

use crate::demo_runtime::view::Tone;
use crate::lesson::TokenKind;

/// The themes a user can pick with `--theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ThemeName {
    /// Light text on the terminal's own dark background.
    #[default]
    Dark,
    /// Dark text on a white background.
    Light,
    /// Maximum contrast for projectors: white and yellow on black, bold text.
    HighContrast,
}

/// Styles for every role in the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Which theme this is.
    pub name: ThemeName,
    /// Whether colour is off (`NO_COLOR`): states must then differ by symbol and modifier only.
    pub monochrome: bool,
    /// The whole screen's base style (background).
    pub base: Style,
    /// Slide titles.
    pub title: Style,
    /// Slide subtitles.
    pub subtitle: Style,
    /// Ordinary slide text.
    pub text: Style,
    /// Bullet symbols and list numbers.
    pub bullet: Style,
    /// Inline `code`.
    pub inline_code: Style,
    /// Link text.
    pub link: Style,
    /// Rules, table borders and other lines.
    pub rule: Style,
    /// Table header cells.
    pub table_header: Style,
    /// Code block background and plain code text.
    pub code: Style,
    /// The language label of a code block.
    pub code_label: Style,
    /// Secondary text: hints, placeholders, dimmed things.
    pub muted: Style,
    /// Panel borders.
    pub border: Style,
    /// Panel titles.
    pub panel_title: Style,
    /// The footer bar.
    pub footer: Style,
    /// Emphasised parts of the footer (slide counter, keys).
    pub footer_accent: Style,
    /// Warnings and problems on screen.
    pub warning: Style,
    /// Key names in the help overlay.
    pub key: Style,
    /// Gauge bars below 50%.
    pub gauge_low: Style,
    /// Gauge bars from 50% to 80%.
    pub gauge_mid: Style,
    /// Gauge bars above 80%.
    pub gauge_high: Style,
    /// Memory bars.
    pub gauge_memory: Style,
    /// A good outcome in a demo: running, finished, faster.
    pub good: Style,
    /// Something to look at twice: waiting, slower than expected, a warning note.
    pub caution: Style,
    /// Something that went wrong on purpose: deadlocked, blocked, hung. Bright enough to read
    /// on a projector, never reverse video.
    pub bad: Style,
    token_styles: [Style; 10],
}

impl Theme {
    /// The theme called `name`; with `no_color`, the same layout in monochrome.
    #[must_use]
    pub fn new(name: ThemeName, no_color: bool) -> Self {
        let theme = match name {
            ThemeName::Dark => dark(),
            ThemeName::Light => light(),
            ThemeName::HighContrast => high_contrast(),
        };
        if no_color { theme.monochrome() } else { theme }
    }

    /// The style for a demo view's tone.
    #[must_use]
    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Normal => self.text,
            Tone::Muted => self.muted,
            Tone::Accent => self.key,
            Tone::Good => self.good,
            Tone::Warn => self.caution,
            Tone::Bad => self.bad,
            Tone::Memory => self.gauge_memory,
        }
    }

    /// Whether the `NO_COLOR` convention asks for no colour (set and not empty).
    #[must_use]
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The style of a code token of `kind`.
    #[must_use]
    pub fn token(&self, kind: TokenKind) -> Style {
        self.token_styles[token_index(kind)]
    }

    /// Strips every colour and keeps modifiers, so hierarchy survives without colour.
    fn monochrome(self) -> Self {
        let strip = |s: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        };
        Self {
            monochrome: true,
            base: Style::new(),
            title: strip(self.title),
            subtitle: strip(self.subtitle),
            text: strip(self.text),
            bullet: strip(self.bullet),
            inline_code: strip(self.inline_code),
            link: strip(self.link),
            rule: strip(self.rule),
            table_header: strip(self.table_header),
            code: Style::new(),
            code_label: strip(self.code_label),
            muted: strip(self.muted),
            border: strip(self.border),
            panel_title: strip(self.panel_title),
            footer: Style::new().add_modifier(Modifier::REVERSED),
            footer_accent: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            warning: Style::new().add_modifier(Modifier::BOLD),
            key: strip(self.key),
            gauge_low: strip(self.gauge_low),
            gauge_mid: strip(self.gauge_mid),
            gauge_high: strip(self.gauge_high).add_modifier(Modifier::BOLD),
            gauge_memory: strip(self.gauge_memory),
            good: strip(self.good),
            caution: strip(self.caution).add_modifier(Modifier::BOLD),
            bad: strip(self.bad).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            token_styles: self.token_styles.map(strip),
            ..self
        }
    }
}

fn token_index(kind: TokenKind) -> usize {
    match kind {
        TokenKind::Plain => 0,
        TokenKind::Keyword => 1,
        TokenKind::String => 2,
        TokenKind::Comment => 3,
        TokenKind::Number => 4,
        TokenKind::Function => 5,
        TokenKind::Builtin => 6,
        TokenKind::Constant => 7,
        TokenKind::Operator => 8,
        TokenKind::Type => 9,
    }
}

/// Token styles in `token_index` order, over a code background.
struct Palette {
    keyword: Color,
    string: Color,
    comment: Color,
    number: Color,
    function: Color,
    builtin: Color,
    constant: Color,
    operator: Color,
    type_: Color,
}

fn tokens(code: Style, p: &Palette) -> [Style; 10] {
    [
        code,
        code.fg(p.keyword).add_modifier(Modifier::BOLD),
        code.fg(p.string),
        code.fg(p.comment).add_modifier(Modifier::ITALIC),
        code.fg(p.number),
        code.fg(p.function),
        code.fg(p.builtin),
        code.fg(p.constant),
        code.fg(p.operator),
        code.fg(p.type_),
    ]
}

fn dark() -> Theme {
    let code = Style::new().fg(Color::Indexed(253)).bg(Color::Indexed(236));
    Theme {
        name: ThemeName::Dark,
        monochrome: false,
        base: Style::new(),
        title: Style::new()
            .fg(Color::Indexed(117))
            .add_modifier(Modifier::BOLD),
        subtitle: Style::new()
            .fg(Color::Indexed(180))
            .add_modifier(Modifier::ITALIC),
        text: Style::new().fg(Color::Indexed(252)),
        bullet: Style::new().fg(Color::Indexed(117)),
        inline_code: Style::new().fg(Color::Indexed(222)).bg(Color::Indexed(236)),
        link: Style::new()
            .fg(Color::Indexed(117))
            .add_modifier(Modifier::UNDERLINED),
        rule: Style::new().fg(Color::Indexed(242)),
        table_header: Style::new()
            .fg(Color::Indexed(117))
            .add_modifier(Modifier::BOLD),
        code,
        code_label: Style::new().fg(Color::Indexed(248)).bg(Color::Indexed(236)),
        muted: Style::new().fg(Color::Indexed(245)),
        border: Style::new().fg(Color::Indexed(242)),
        panel_title: Style::new()
            .fg(Color::Indexed(117))
            .add_modifier(Modifier::BOLD),
        footer: Style::new().fg(Color::Indexed(252)).bg(Color::Indexed(237)),
        footer_accent: Style::new()
            .fg(Color::Indexed(117))
            .bg(Color::Indexed(237))
            .add_modifier(Modifier::BOLD),
        warning: Style::new()
            .fg(Color::Indexed(214))
            .add_modifier(Modifier::BOLD),
        key: Style::new()
            .fg(Color::Indexed(222))
            .add_modifier(Modifier::BOLD),
        // Load from light to saturated green: a full core is the goal of a demo, not an alarm.
        gauge_low: Style::new().fg(Color::Indexed(65)),
        gauge_mid: Style::new().fg(Color::Indexed(114)),
        gauge_high: Style::new()
            .fg(Color::Indexed(83))
            .add_modifier(Modifier::BOLD),
        gauge_memory: Style::new().fg(Color::Indexed(111)),
        good: Style::new().fg(Color::Indexed(114)),
        caution: Style::new().fg(Color::Indexed(221)),
        bad: Style::new()
            .fg(Color::Indexed(210))
            .add_modifier(Modifier::BOLD),
        token_styles: tokens(
            code,
            &Palette {
                keyword: Color::Indexed(176),
                string: Color::Indexed(150),
                comment: Color::Indexed(247),
                number: Color::Indexed(215),
                function: Color::Indexed(117),
                builtin: Color::Indexed(81),
                constant: Color::Indexed(215),
                operator: Color::Indexed(176),
                type_: Color::Indexed(222),
            },
        ),
    }
}

fn light() -> Theme {
    let paper = Color::Indexed(231);
    let ink = Color::Indexed(235);
    let code = Style::new().fg(ink).bg(Color::Indexed(254));
    Theme {
        name: ThemeName::Light,
        monochrome: false,
        base: Style::new().fg(ink).bg(paper),
        title: Style::new()
            .fg(Color::Indexed(25))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        subtitle: Style::new()
            .fg(Color::Indexed(130))
            .bg(paper)
            .add_modifier(Modifier::ITALIC),
        text: Style::new().fg(ink).bg(paper),
        bullet: Style::new().fg(Color::Indexed(25)).bg(paper),
        inline_code: Style::new().fg(Color::Indexed(124)).bg(Color::Indexed(254)),
        link: Style::new()
            .fg(Color::Indexed(25))
            .bg(paper)
            .add_modifier(Modifier::UNDERLINED),
        rule: Style::new().fg(Color::Indexed(244)).bg(paper),
        table_header: Style::new()
            .fg(Color::Indexed(25))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        code,
        code_label: Style::new().fg(Color::Indexed(240)).bg(Color::Indexed(254)),
        // Dark enough to read on a projector's white: explanations are body text too.
        muted: Style::new().fg(Color::Indexed(239)).bg(paper),
        border: Style::new().fg(Color::Indexed(244)).bg(paper),
        panel_title: Style::new()
            .fg(Color::Indexed(25))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        footer: Style::new().fg(ink).bg(Color::Indexed(254)),
        footer_accent: Style::new()
            .fg(Color::Indexed(25))
            .bg(Color::Indexed(254))
            .add_modifier(Modifier::BOLD),
        warning: Style::new()
            .fg(Color::Indexed(160))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        key: Style::new()
            .fg(Color::Indexed(24))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        gauge_low: Style::new().fg(Color::Indexed(29)).bg(paper),
        gauge_mid: Style::new().fg(Color::Indexed(28)).bg(paper),
        gauge_high: Style::new()
            .fg(Color::Indexed(22))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        gauge_memory: Style::new().fg(Color::Indexed(25)).bg(paper),
        good: Style::new().fg(Color::Indexed(28)).bg(paper),
        caution: Style::new()
            .fg(Color::Indexed(130))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        bad: Style::new()
            .fg(Color::Indexed(160))
            .bg(paper)
            .add_modifier(Modifier::BOLD),
        token_styles: tokens(
            code,
            &Palette {
                keyword: Color::Indexed(90),
                string: Color::Indexed(22),
                comment: Color::Indexed(240),
                number: Color::Indexed(88),
                function: Color::Indexed(25),
                builtin: Color::Indexed(24),
                constant: Color::Indexed(88),
                operator: Color::Indexed(90),
                type_: Color::Indexed(58),
            },
        ),
    }
}

/// Projectors wash out mid-tones, so this theme uses only black, white and saturated colours,
/// makes body text bold, and never relies on colour alone (symbols mark every state).
fn high_contrast() -> Theme {
    let black = Color::Black;
    // Text on a light background: palette black, which no terminal brightens when bold (many
    // turn bold colour 0 into grey).
    let ink = Color::Indexed(16);
    let white = Color::White;
    let yellow = Color::LightYellow;
    let cyan = Color::LightCyan;
    let bold = Modifier::BOLD;
    let code = Style::new().fg(white).bg(black);
    Theme {
        name: ThemeName::HighContrast,
        monochrome: false,
        base: Style::new().fg(white).bg(black),
        title: Style::new()
            .fg(yellow)
            .bg(black)
            .add_modifier(bold | Modifier::UNDERLINED),
        subtitle: Style::new().fg(cyan).bg(black).add_modifier(bold),
        text: Style::new().fg(white).bg(black).add_modifier(bold),
        bullet: Style::new().fg(yellow).bg(black).add_modifier(bold),
        inline_code: Style::new().fg(ink).bg(cyan).add_modifier(bold),
        link: Style::new()
            .fg(cyan)
            .bg(black)
            .add_modifier(bold | Modifier::UNDERLINED),
        rule: Style::new().fg(white).bg(black),
        table_header: Style::new().fg(yellow).bg(black).add_modifier(bold),
        code,
        code_label: Style::new().fg(ink).bg(white).add_modifier(bold),
        muted: Style::new().fg(white).bg(black).add_modifier(bold),
        border: Style::new().fg(white).bg(black),
        panel_title: Style::new().fg(yellow).bg(black).add_modifier(bold),
        footer: Style::new().fg(ink).bg(white).add_modifier(bold),
        footer_accent: Style::new().fg(ink).bg(yellow).add_modifier(bold),
        warning: Style::new().fg(ink).bg(yellow).add_modifier(bold),
        key: Style::new().fg(yellow).bg(black).add_modifier(bold),
        gauge_low: Style::new().fg(Color::Green).bg(black).add_modifier(bold),
        gauge_mid: Style::new()
            .fg(Color::LightGreen)
            .bg(black)
            .add_modifier(bold),
        gauge_high: Style::new()
            .fg(Color::LightGreen)
            .bg(black)
            .add_modifier(bold),
        gauge_memory: Style::new().fg(cyan).bg(black).add_modifier(bold),
        good: Style::new()
            .fg(Color::LightGreen)
            .bg(black)
            .add_modifier(bold),
        caution: Style::new().fg(yellow).bg(black).add_modifier(bold),
        bad: Style::new()
            .fg(Color::LightRed)
            .bg(black)
            .add_modifier(bold | Modifier::UNDERLINED),
        token_styles: tokens(
            code,
            &Palette {
                keyword: yellow,
                string: Color::LightGreen,
                comment: cyan,
                number: Color::LightMagenta,
                function: cyan,
                builtin: cyan,
                constant: Color::LightMagenta,
                operator: yellow,
                type_: yellow,
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_removes_every_colour_but_keeps_emphasis() {
        for name in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast] {
            let theme = Theme::new(name, true);
            assert!(theme.monochrome);
            for style in [
                theme.title,
                theme.text,
                theme.footer,
                theme.token(TokenKind::Keyword),
            ] {
                assert_eq!((style.fg, style.bg), (None, None), "{name:?}");
            }
            assert!(theme.title.add_modifier.contains(Modifier::BOLD));
        }
    }

    #[test]
    fn high_contrast_sets_both_colours_for_body_text() {
        let theme = Theme::new(ThemeName::HighContrast, false);
        assert_eq!(
            (theme.text.fg, theme.text.bg),
            (Some(Color::White), Some(Color::Black))
        );
    }
}

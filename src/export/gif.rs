//! `lectern export --gif`: a recording rendered as an animated GIF without any other program —
//! the cast played through a terminal emulator (`vt100`), sampled `--fps` times a second,
//! each changed screen drawn with the bundled font ([`super::glyphs`]) in the colours the
//! recording wrote, and encoded with the `gif` crate: one palette of the screens' own colours
//! (a terminal has few), and each frame only the rectangle that changed since the one before.

use std::borrow::Cow;
use std::collections::HashMap;

use super::glyphs::Glyphs;
use crate::record::replay::{Cast, Player};

/// What the GIF is made of.
#[derive(Debug, Clone)]
pub struct GifOptions {
    /// Frames per second.
    pub fps: u8,
    /// Start at the marker whose label contains this.
    pub from: Option<String>,
    /// Stop at the marker whose label contains this.
    pub to: Option<String>,
}

/// The font's size in pixels: a 100×30 recording makes a GIF about 1000 pixels wide.
const FONT_PX: f32 = 16.0;

/// What the screen's default colours are: the dark theme's terminal, light text on black.
const DEFAULT_FG: [u8; 3] = [229, 229, 229];
const DEFAULT_BG: [u8; 3] = [0, 0, 0];

/// How long the last frame stays, in hundredths of a second.
const LAST_FRAME: u16 = 200;

/// The GIF of `cast`, and how many frames it has.
///
/// # Errors
/// A marker that is not in the cast (listing those that are), or an encoding failure.
pub fn render(cast: &Cast, options: &GifOptions) -> Result<(Vec<u8>, usize), String> {
    let (start, end) = range(cast, options)?;
    let mut glyphs = Glyphs::new(FONT_PX)?;
    let (cell_w, cell_h) = glyphs.cell();
    let (cols, rows) = (usize::from(cast.width), usize::from(cast.height));
    let (width, height) = (cols * cell_w, rows * cell_h);
    let too_big = || format!("a {cols}×{rows} recording is too large for a GIF");
    let gif_w = u16::try_from(width).map_err(|_| too_big())?;
    let gif_h = u16::try_from(height).map_err(|_| too_big())?;

    // The screens to draw: the one at each sampling time that differs from the last.
    let step = 1.0 / f64::from(options.fps.max(1));
    let mut player = Player::new(cast);
    let mut shots: Vec<(f64, vt100::Screen)> = Vec::new();
    let mut t = start;
    // A recording starts blank: its first frame is the first thing drawn.
    if player.play_until(start) {
        shots.push((start, player.screen().clone()));
    }
    while t < end {
        t = (t + step).min(end);
        if player.play_until(t) {
            shots.push((t, player.screen().clone()));
        }
    }

    let mut palette = Palette::default();
    for (_, screen) in &shots {
        for_each_cell(screen, rows, cols, |_, _, _, fg, bg| {
            palette.index(fg);
            palette.index(bg);
        });
    }
    let mut bytes = Vec::new();
    let mut encoder =
        gif::Encoder::new(&mut bytes, gif_w, gif_h, &palette.flat()).map_err(|e| e.to_string())?;
    encoder
        .set_repeat(gif::Repeat::Infinite)
        .map_err(|e| e.to_string())?;
    let mut previous: Option<Vec<u8>> = None;
    let mut pending: Option<(f64, Frame)> = None;
    let mut frames = 0;
    for (time, screen) in &shots {
        let mut pixels = vec![0u8; width * height];
        for_each_cell(screen, rows, cols, |row, col, c, fg, bg| {
            let colours = (palette.index(fg), palette.index(bg));
            glyphs.paint(c, (col * cell_w, row * cell_h), colours, &mut pixels, width);
        });
        let Some(changed) = changed_rect(previous.as_deref(), &pixels, width, height) else {
            continue;
        };
        if let Some((at, frame)) = pending.take() {
            write(&mut encoder, frame, delay(*time - at))?;
            frames += 1;
        }
        pending = Some((*time, crop(&pixels, width, changed)));
        previous = Some(pixels);
    }
    if let Some((at, frame)) = pending {
        let held = delay(end - at).max(LAST_FRAME);
        write(&mut encoder, frame, held)?;
        frames += 1;
    }
    drop(encoder);
    Ok((bytes, frames))
}

/// Where the GIF starts and ends, in seconds: the markers asked for, or the whole cast.
fn range(cast: &Cast, options: &GifOptions) -> Result<(f64, f64), String> {
    let markers = cast.markers();
    let find = |text: &str, after: f64| {
        markers
            .iter()
            .find(|(time, label)| *time >= after && label.contains(text))
            .map(|(time, _)| *time)
            .ok_or_else(|| {
                let labels: Vec<&str> = markers.iter().map(|(_, l)| l.as_str()).collect();
                format!(
                    "no marker contains `{text}`; the recording's markers: {}",
                    if labels.is_empty() {
                        "none".to_string()
                    } else {
                        labels.join(" | ")
                    }
                )
            })
    };
    let start = options
        .from
        .as_deref()
        .map_or(Ok(0.0), |text| find(text, 0.0))?;
    let end = match options.to.as_deref() {
        Some(text) => find(text, start + f64::EPSILON)?,
        None => cast.duration(),
    };
    Ok((start, end.max(start)))
}

/// A frame's pixels and where they go.
struct Frame {
    left: u16,
    top: u16,
    width: u16,
    height: u16,
    pixels: Vec<u8>,
}

/// The part of `pixels` inside `rect` (left, top, width, height).
fn crop(
    pixels: &[u8],
    stride: usize,
    (left, top, width, height): (usize, usize, usize, usize),
) -> Frame {
    let mut out = Vec::with_capacity(width * height);
    for row in top..top + height {
        out.extend_from_slice(&pixels[row * stride + left..row * stride + left + width]);
    }
    let small = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    Frame {
        left: small(left),
        top: small(top),
        width: small(width),
        height: small(height),
        pixels: out,
    }
}

/// The rectangle where `now` differs from `before` (all of it when there is no before);
/// `None` when nothing changed.
fn changed_rect(
    before: Option<&[u8]>,
    now: &[u8],
    width: usize,
    height: usize,
) -> Option<(usize, usize, usize, usize)> {
    let Some(before) = before else {
        return Some((0, 0, width, height));
    };
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        let row = y * width..(y + 1) * width;
        if before[row.clone()] == now[row.clone()] {
            continue;
        }
        let (a, b) = (&before[row.clone()], &now[row]);
        let first = a.iter().zip(b).position(|(p, q)| p != q).unwrap_or(0);
        let last = a
            .iter()
            .zip(b)
            .rposition(|(p, q)| p != q)
            .unwrap_or(width - 1);
        (x0, x1, y0, y1) = (x0.min(first), x1.max(last), y0.min(y), y);
    }
    (x0 <= x1 && y0 <= y1 && x0 < width).then(|| (x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// Hundredths of a second, at least 2 (browsers slow shorter delays down).
fn delay(seconds: f64) -> u16 {
    let hundredths = std::time::Duration::try_from_secs_f64(seconds)
        .unwrap_or_default()
        .as_millis()
        / 10;
    u16::try_from(hundredths).unwrap_or(u16::MAX).max(2)
}

fn write(encoder: &mut gif::Encoder<&mut Vec<u8>>, frame: Frame, delay: u16) -> Result<(), String> {
    let gif_frame = gif::Frame {
        left: frame.left,
        top: frame.top,
        width: frame.width,
        height: frame.height,
        delay,
        buffer: Cow::Owned(frame.pixels),
        ..gif::Frame::default()
    };
    encoder.write_frame(&gif_frame).map_err(|e| e.to_string())
}

/// Calls `each(row, col, char, fg, bg)` for every cell of `screen`, colours resolved.
fn for_each_cell(
    screen: &vt100::Screen,
    rows: usize,
    cols: usize,
    mut each: impl FnMut(usize, usize, char, [u8; 3], [u8; 3]),
) {
    for row in 0..rows {
        for col in 0..cols {
            let (Ok(r), Ok(c)) = (u16::try_from(row), u16::try_from(col)) else {
                continue;
            };
            let Some(cell) = screen.cell(r, c) else {
                continue;
            };
            let mut fg = rgb(cell.fgcolor(), DEFAULT_FG);
            let mut bg = rgb(cell.bgcolor(), DEFAULT_BG);
            if cell.inverse() {
                std::mem::swap(&mut fg, &mut bg);
            }
            let ch = cell.contents().chars().next().unwrap_or(' ');
            each(row, col, ch, fg, bg);
        }
    }
}

/// A terminal colour as xterm's 256-colour palette draws it.
fn rgb(color: vt100::Color, default: [u8; 3]) -> [u8; 3] {
    const BASIC: [[u8; 3]; 16] = [
        [0, 0, 0],
        [205, 0, 0],
        [0, 205, 0],
        [205, 205, 0],
        [0, 0, 238],
        [205, 0, 205],
        [0, 205, 205],
        [229, 229, 229],
        [127, 127, 127],
        [255, 0, 0],
        [0, 255, 0],
        [255, 255, 0],
        [92, 92, 255],
        [255, 0, 255],
        [0, 255, 255],
        [255, 255, 255],
    ];
    const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match color {
        vt100::Color::Default => default,
        vt100::Color::Rgb(r, g, b) => [r, g, b],
        vt100::Color::Idx(i) if i < 16 => BASIC[usize::from(i)],
        vt100::Color::Idx(i) if i < 232 => {
            let i = usize::from(i - 16);
            [CUBE[i / 36], CUBE[i / 6 % 6], CUBE[i % 6]]
        }
        vt100::Color::Idx(i) => {
            let level = 8 + 10 * (i - 232);
            [level, level, level]
        }
    }
}

/// The GIF's colours: the screens' own, up to 256 (beyond, the nearest is used).
#[derive(Default)]
struct Palette {
    colours: Vec<[u8; 3]>,
    known: HashMap<[u8; 3], u8>,
}

impl Palette {
    fn index(&mut self, colour: [u8; 3]) -> u8 {
        if let Some(&i) = self.known.get(&colour) {
            return i;
        }
        let i = match u8::try_from(self.colours.len()) {
            Ok(i) => {
                self.colours.push(colour);
                i
            }
            Err(_) => self.nearest(colour),
        };
        self.known.insert(colour, i);
        i
    }

    fn nearest(&self, colour: [u8; 3]) -> u8 {
        let distance = |c: &[u8; 3]| -> u32 {
            c.iter()
                .zip(colour)
                .map(|(a, b)| u32::from(a.abs_diff(b)).pow(2))
                .sum()
        };
        let best = (0..self.colours.len()).min_by_key(|&i| distance(&self.colours[i]));
        best.and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
    }

    fn flat(&self) -> Vec<u8> {
        let mut flat: Vec<u8> = self.colours.iter().flatten().copied().collect();
        // A GIF palette has a power-of-two size of at least two colours.
        let size = self.colours.len().max(2).next_power_of_two();
        flat.resize(size * 3, 0);
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_changed_is_a_frame_and_markers_bound_the_range() {
        assert_eq!(changed_rect(Some(&[0, 0, 0, 0]), &[0, 0, 0, 0], 2, 2), None);
        assert_eq!(
            changed_rect(Some(&[0, 0, 0, 0]), &[0, 0, 0, 1], 2, 2),
            Some((1, 1, 1, 1))
        );
        assert_eq!(changed_rect(None, &[0; 4], 2, 2), Some((0, 0, 2, 2)));
        let text = "{\"version\":2,\"width\":4,\"height\":1}\n[0.5,\"m\",\"1: A\"]\n\
                    [1.0,\"o\",\"ab\"]\n[2.0,\"m\",\"2: B\"]\n[3.0,\"o\",\"cd\"]\n";
        let cast = Cast::parse("t", text).expect("reads");
        let options = |from: Option<&str>, to: Option<&str>| GifOptions {
            fps: 10,
            from: from.map(Into::into),
            to: to.map(Into::into),
        };
        assert_eq!(
            range(&cast, &options(Some("1:"), Some("2:"))),
            Ok((0.5, 2.0))
        );
        let err = range(&cast, &options(Some("9:"), None)).unwrap_err();
        assert!(err.contains("1: A | 2: B"), "{err}");
        let (bytes, frames) = render(&cast, &options(None, None)).expect("renders");
        assert!(bytes.starts_with(b"GIF89a"));
        assert_eq!(frames, 2, "ab, then abcd (the blank start is no frame)");
    }
}

//! Drawing terminal cells as pixels for a GIF: characters from the bundled font (Deja Vu Sans Mono,
//! `assets/fonts/`, its licence beside it) rasterized with `fontdue`, and the block elements
//! and braille patterns the gauges are made of drawn exactly, cell-sized, so bars and charts
//! join up as they do in a terminal. Pixels are palette indices: a glyph covers a pixel
//! (foreground) or not (background), so every frame uses only the screen's own colours.

use std::collections::HashMap;

/// The bundled font.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

/// A character's mask: where it covers its cell.
struct Mask {
    /// Whether each pixel of the cell is covered, row by row.
    covered: Vec<bool>,
}

/// The font at one size and the characters drawn so far.
pub struct Glyphs {
    font: fontdue::Font,
    px: f32,
    width: usize,
    height: usize,
    /// Pixels from the cell's top to the baseline.
    baseline: i32,
    cache: HashMap<char, Mask>,
}

impl Glyphs {
    /// The font at `px` pixels.
    ///
    /// # Errors
    /// If the bundled font does not load (it always does; a test says so).
    pub fn new(px: f32) -> Result<Self, String> {
        let font = fontdue::Font::from_bytes(FONT, fontdue::FontSettings::default())
            .map_err(|e| format!("the bundled font does not load: {e}"))?;
        let advance = font.metrics('M', px).advance_width;
        let line = font
            .horizontal_line_metrics(px)
            .ok_or("the bundled font has no line metrics")?;
        let height = (line.ascent - line.descent).ceil();
        Ok(Self {
            px,
            width: as_pixels(advance),
            height: as_pixels(height),
            baseline: i32::try_from(as_pixels(line.ascent)).unwrap_or(0),
            font,
            cache: HashMap::new(),
        })
    }

    /// A cell's size in pixels: width, height.
    #[must_use]
    pub fn cell(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    /// Paints `c` into `pixels` (`stride` wide) with its cell's top left at (`x`, `y`):
    /// `fg` where the character covers, `bg` elsewhere.
    pub fn paint(
        &mut self,
        c: char,
        (x, y): (usize, usize),
        (fg, bg): (u8, u8),
        pixels: &mut [u8],
        stride: usize,
    ) {
        let (width, height) = (self.width, self.height);
        let mask = self.mask(c);
        for row in 0..height {
            let start = (y + row) * stride + x;
            let Some(line) = pixels.get_mut(start..start + width) else {
                return;
            };
            for (col, pixel) in line.iter_mut().enumerate() {
                *pixel = if mask.covered[row * width + col] {
                    fg
                } else {
                    bg
                };
            }
        }
    }

    /// `c`'s mask, drawn once.
    fn mask(&mut self, c: char) -> &Mask {
        if !self.cache.contains_key(&c) {
            let covered = drawn(c, self.width, self.height).unwrap_or_else(|| self.rasterized(c));
            self.cache.insert(c, Mask { covered });
        }
        &self.cache[&c]
    }

    /// `c` from the font, placed on the baseline; blank when the font lacks it.
    fn rasterized(&self, c: char) -> Vec<bool> {
        let (width, height) = (self.width, self.height);
        let mut covered = vec![false; width * height];
        if c == ' ' || self.font.lookup_glyph_index(c) == 0 {
            return covered;
        }
        let (metrics, coverage) = self.font.rasterize(c, self.px);
        let top = self.baseline - metrics.ymin - i32::try_from(metrics.height).unwrap_or(0);
        for gy in 0..metrics.height {
            for gx in 0..metrics.width {
                let (Ok(dx), Ok(dy)) = (i32::try_from(gx), i32::try_from(gy)) else {
                    continue;
                };
                let (px, py) = (metrics.xmin + dx, top + dy);
                let (Ok(px), Ok(py)) = (usize::try_from(px), usize::try_from(py)) else {
                    continue;
                };
                if px < width && py < height && coverage[gy * metrics.width + gx] >= 128 {
                    covered[py * width + px] = true;
                }
            }
        }
        covered
    }
}

/// A font size in whole pixels.
fn as_pixels(size: f32) -> usize {
    format!("{:.0}", size.max(1.0)).parse().unwrap_or(1)
}

/// Block elements and braille, drawn to fill the cell exactly; `None` for other characters.
fn drawn(c: char, width: usize, height: usize) -> Option<Vec<bool>> {
    let code = u32::from(c);
    let fill = |inside: &dyn Fn(usize, usize) -> bool| {
        (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .map(|(x, y)| inside(x, y))
            .collect::<Vec<bool>>()
    };
    // Eighths: `n` eighths of a length.
    let part = |length: usize, n: usize| (length * n + 4) / 8;
    match code {
        // ▀ upper half.
        0x2580 => Some(fill(&|_, y| y < part(height, 4))),
        // ▁ … █: lower eighths.
        0x2581..=0x2588 => {
            let n = (code - 0x2580) as usize;
            Some(fill(&|_, y| y >= height - part(height, n)))
        }
        // ▉ … ▏: left eighths.
        0x2589..=0x258F => {
            let n = (0x2590 - code) as usize;
            Some(fill(&|x, _| x < part(width, n)))
        }
        // ▐ right half.
        0x2590 => Some(fill(&|x, _| x >= width - part(width, 4))),
        // ░ ▒ ▓ shades: a quarter, half, three quarters of the pixels.
        0x2591..=0x2593 => {
            let level = (code - 0x2590) as usize;
            Some(fill(&|x, y| (x + 2 * y) % 4 < level))
        }
        // ▔ upper eighth, ▕ right eighth.
        0x2594 => Some(fill(&|_, y| y < part(height, 1))),
        0x2595 => Some(fill(&|x, _| x >= width - part(width, 1))),
        // Quadrants ▖ … ▟: which of the four quarters are filled.
        0x2596..=0x259F => {
            const QUADRANTS: [u8; 10] = [
                0b0010, 0b0001, 0b1000, 0b1011, 0b1001, 0b1110, 0b1101, 0b0100, 0b0110, 0b0111,
            ];
            let bits = QUADRANTS[(code - 0x2596) as usize];
            Some(fill(&|x, y| {
                let (right, lower) = (x >= width / 2, y >= height / 2);
                let bit = match (right, lower) {
                    (false, false) => 0b1000,
                    (true, false) => 0b0100,
                    (false, true) => 0b0010,
                    (true, true) => 0b0001,
                };
                bits & bit != 0
            }))
        }
        // Light box drawing (the panels' frames): arms from the middle to the cell's edges,
        // so lines join from cell to cell.
        0x2500..=0x257F => {
            let (left, right, up, down) = arms(c)?;
            let (mid_x, mid_y) = (width / 2, height / 2);
            let rounded = matches!(c, '╭' | '╮' | '╰' | '╯');
            Some(fill(&|x, y| {
                let on_row = y == mid_y;
                let on_col = x == mid_x;
                // A rounded corner is a square one with its point cut off.
                if rounded && x.abs_diff(mid_x) + y.abs_diff(mid_y) < 2 && !(on_row && on_col) {
                    return false;
                }
                (on_row && ((left && x <= mid_x) || (right && x >= mid_x)))
                    || (on_col && ((up && y <= mid_y) || (down && y >= mid_y)))
            }))
        }
        // Braille: a 2×4 grid of dots.
        0x2800..=0x28FF => {
            let bits = code - 0x2800;
            let dot = |col: usize, row: usize| -> u32 {
                match (col, row) {
                    (0, 3) => 0x40,
                    (1, 3) => 0x80,
                    (0, r) => 1 << r,
                    (_, r) => 1 << (r + 3),
                }
            };
            Some(fill(&|x, y| {
                let (col, row) = (x * 2 / width, y * 4 / height);
                let (cx, cy) = (x * 2 % width, y * 4 % height);
                // A round-ish dot in the middle of its sub-cell.
                let near = |offset: usize, size: usize| {
                    let middle = size / 2;
                    offset.abs_diff(middle) * 3 <= size
                };
                bits & dot(col, row) != 0 && near(cx, width) && near(cy, height)
            }))
        }
        _ => None,
    }
}

/// Which arms a light box-drawing character has: left, right, up, down.
fn arms(c: char) -> Option<(bool, bool, bool, bool)> {
    Some(match c {
        '─' | '╌' | '┄' | '┈' => (true, true, false, false),
        '│' | '╎' | '┆' | '┊' => (false, false, true, true),
        '┌' | '╭' => (false, true, false, true),
        '┐' | '╮' => (true, false, false, true),
        '└' | '╰' => (false, true, true, false),
        '┘' | '╯' => (true, false, true, false),
        '├' => (false, true, true, true),
        '┤' => (true, false, true, true),
        '┬' => (true, true, false, true),
        '┴' => (true, true, true, false),
        '┼' => (true, true, true, true),
        '╴' => (true, false, false, false),
        '╶' => (false, true, false, false),
        '╵' => (false, false, true, false),
        '╷' => (false, false, false, true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_loads_and_blocks_fill_exactly_what_they_say() {
        let mut glyphs = Glyphs::new(16.0).expect("the bundled font");
        let (width, height) = glyphs.cell();
        assert!(
            (8..=11).contains(&width) && (16..=22).contains(&height),
            "{width}×{height}"
        );
        let full = drawn('█', width, height).expect("drawn");
        assert!(full.iter().all(|&c| c));
        let half = drawn('▄', width, height).expect("drawn");
        assert_eq!(
            half.iter().filter(|&&c| c).count(),
            width * ((height * 4 + 4) / 8)
        );
        assert!(drawn('a', width, height).is_none());
        // Lines run edge to edge, so a frame's sides join from row to row.
        let side = drawn('│', width, height).expect("drawn");
        assert!((0..height).all(|y| side[y * width + width / 2]));
        // A letter covers some of its cell, a space none.
        let mut pixels = vec![0u8; width * height];
        glyphs.paint('A', (0, 0), (1, 0), &mut pixels, width);
        assert!(pixels.contains(&1) && pixels.contains(&0));
        glyphs.paint(' ', (0, 0), (1, 0), &mut pixels, width);
        assert!(!pixels.contains(&1));
    }
}

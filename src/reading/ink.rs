//! The ink of a scanned page its text layer leaves unread.
//!
//! An OCR engine run over a whole page decides first where the text is, and it can decide
//! wrong: ocrmypdf's tesseract read the header of generated scan 7603's page 11 (a table
//! printed grey on a grey page) and none of its eight rows, so the layer has a header and
//! nothing under it, and the rows are lost without a trace. The page's pixels show them. This
//! module compares the two: the page is cut into tiles a fifth of an inch square; a tile is
//! inked when enough of its pixels are dark (rules and filled bands taken out first: a
//! table's borders and a header's fill are ink no word stands on); it is read when a word of
//! the layer stands on it. The share of inked tiles no word reads is the page's unread ink.

use super::rules::Gray;
use super::words::Word;

/// A tile's side (inches).
const TILE_INCHES: f32 = 0.2;

/// A tile is inked when at least this share of its pixels is ink: a line of 7-point text
/// crossing it inks a sixth and more; a scan's speckles, a few pixels, much less.
const INKED_SHARE: f32 = 0.04;

/// A run of ink this long (inches) across or down is a rule, a fill or a picture's edge,
/// not a letter.
const RULE_INCHES: f32 = 0.25;

/// How far (points) past a word's box a tile still counts as read by it: OCR's boxes are
/// tight, and a tile is larger than a letter.
const WORD_MARGIN: f32 = 3.;

/// A page point's position (x, y from the top-left, in page units) in the image's pixels.
pub type ToPixels<'a> = &'a dyn Fn(f32, f32) -> (f32, f32);

/// The share (0..1) of a page image's inked tiles that no word of `words` stands on; 0 when
/// the image holds no ink (a blank page). `to_pixels` maps a page point into `gray`.
pub fn unread_share(gray: &Gray, words: &[Word], to_pixels: ToPixels) -> f32 {
    let Some(threshold) = ink_threshold(gray) else {
        return 0.;
    };
    let ink = letter_ink(gray, threshold);
    let tile = (TILE_INCHES * gray.dpi).round().max(4.) as usize;
    let (cols, rows) = (gray.width.div_ceil(tile), gray.height.div_ceil(tile));
    let mut counts = vec![0u32; cols * rows];
    for y in 0..gray.height {
        for x in 0..gray.width {
            if ink[y * gray.width + x] {
                counts[(y / tile) * cols + x / tile] += 1;
            }
        }
    }
    let read = read_tiles(words, to_pixels, tile, cols, rows);
    let least = (INKED_SHARE * (tile * tile) as f32) as u32;
    let (mut inked, mut unread) = (0usize, 0usize);
    for (k, &n) in counts.iter().enumerate() {
        if n > least {
            inked += 1;
            unread += !read[k] as usize;
        }
    }
    if inked == 0 {
        0.
    } else {
        unread as f32 / inked as f32
    }
}

/// The lightness under which a pixel is ink: three tenths of the way from the paper
/// ([`Gray::paper`]) to the darkest ink (the darkest half percent), where the two stand apart.
/// Not halfway: rows printed grey under a header printed on a dark band (generated scan
/// 7603, the band at 30, the rows at 160-180 on paper at 240) are ink too; a cell's light
/// fill (217 and lighter) is not.
fn ink_threshold(gray: &Gray) -> Option<u8> {
    let mut histogram = [0usize; 256];
    for &p in &gray.pixels {
        histogram[p as usize] += 1;
    }
    let want = gray.pixels.len() / 200;
    let mut seen = 0;
    let dark = histogram.iter().position(|&n| {
        seen += n;
        seen > want
    })? as i32;
    let paper = gray.paper() as i32;
    (paper - dark >= 60).then(|| (paper - 3 * (paper - dark) / 10) as u8)
}

/// The ink pixels that belong to letters: dark, and not in a run across or down as long as
/// a rule's ([`RULE_INCHES`]).
fn letter_ink(gray: &Gray, threshold: u8) -> Vec<bool> {
    let (w, h) = (gray.width, gray.height);
    let mut ink: Vec<bool> = gray.pixels.iter().map(|&p| p < threshold).collect();
    let long = (RULE_INCHES * gray.dpi).round().max(3.) as usize;
    let mut rule = vec![false; ink.len()];
    let mut mark_runs = |at: &dyn Fn(usize, usize) -> usize, outer: usize, inner: usize| {
        for o in 0..outer {
            let mut start = 0;
            for i in 0..=inner {
                let dark = i < inner && ink[at(o, i)];
                if !dark {
                    if i - start >= long {
                        for j in start..i {
                            rule[at(o, j)] = true;
                        }
                    }
                    start = i + 1;
                }
            }
        }
    };
    mark_runs(&|y, x| y * w + x, h, w);
    mark_runs(&|x, y| y * w + x, w, h);
    for (k, r) in rule.into_iter().enumerate() {
        if r {
            ink[k] = false;
        }
    }
    ink
}

/// Which tiles a word stands on (its box, with [`WORD_MARGIN`] around it).
fn read_tiles(
    words: &[Word],
    to_pixels: ToPixels,
    tile: usize,
    cols: usize,
    rows: usize,
) -> Vec<bool> {
    let mut read = vec![false; cols * rows];
    for w in words {
        let corners = [
            to_pixels(w.x0 - WORD_MARGIN, w.top - WORD_MARGIN),
            to_pixels(w.x1 + WORD_MARGIN, w.top - WORD_MARGIN),
            to_pixels(w.x0 - WORD_MARGIN, w.bottom + WORD_MARGIN),
            to_pixels(w.x1 + WORD_MARGIN, w.bottom + WORD_MARGIN),
        ];
        let span = |pick: fn(&(f32, f32)) -> f32, limit: usize| {
            let lo = corners.iter().map(pick).fold(f32::MAX, f32::min).max(0.);
            let hi = corners.iter().map(pick).fold(f32::MIN, f32::max).max(0.);
            let lo = (lo as usize / tile).min(limit);
            let hi = (hi as usize / tile).min(limit.saturating_sub(1));
            lo..=hi
        };
        for ty in span(|p| p.1, rows) {
            for tx in span(|p| p.0, cols) {
                read[ty * cols + tx] = true;
            }
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page 2 inches square at 50 dpi: paper at 235, a "line of text" (short dark
    /// strokes) across its upper half and its lower half, a rule across its middle.
    fn page() -> Gray {
        let (w, h) = (100, 100);
        let mut pixels = vec![235u8; w * h];
        for y in [20usize, 70] {
            for x in 10..90 {
                // Letters: strokes 2 pixels wide, 2 apart, 6 high.
                if x % 4 < 2 {
                    for dy in 0..6 {
                        pixels[(y + dy) * w + x] = 80;
                    }
                }
            }
        }
        for x in 0..w {
            pixels[50 * w + x] = 60;
        }
        Gray {
            width: w,
            height: h,
            pixels,
            dpi: 50.,
        }
    }

    fn word(x0: f32, top: f32, x1: f32, bottom: f32) -> Word {
        Word {
            text: "text".into(),
            x0,
            x1,
            top,
            bottom,
            size: 8.,
            line: 1,
            confidence: 1.,
        }
    }

    /// Page points are pixels here (72 points to the inch on a 50-dpi image, scaled).
    fn to_pixels(x: f32, y: f32) -> (f32, f32) {
        (x * 50. / 72., y * 50. / 72.)
    }

    #[test]
    fn a_page_whose_words_stand_on_its_ink_has_none_unread() {
        // Both lines read: the rule between them is no letter, so nothing is unread.
        let words = [word(14., 29., 130., 37.), word(14., 101., 130., 109.)];
        assert_eq!(unread_share(&page(), &words, &to_pixels), 0.);
    }

    #[test]
    fn a_line_the_layer_lost_is_unread_ink() {
        // Only the upper line read: about half the inked tiles are unread.
        let words = [word(14., 29., 130., 37.)];
        let share = unread_share(&page(), &words, &to_pixels);
        assert!((0.4..=0.6).contains(&share), "{share}");
    }

    #[test]
    fn a_blank_page_has_no_unread_ink() {
        let blank = Gray {
            width: 50,
            height: 50,
            pixels: vec![240; 2500],
            dpi: 50.,
        };
        assert_eq!(unread_share(&blank, &[], &to_pixels), 0.);
    }
}

//! Ruling lines in a scanned page's image: the borders of a table's rows and columns.
//!
//! An OCR'd scan's text layer knows where each word stands, not the lines printed between a
//! table's rows. Its line spacing is uneven, so the widest gap between two ids can fall inside
//! a title (`Amending the Change / Board decision making / rules for Modification`, a wide
//! gap, then `Proposals`), and a reader that cuts rows at gaps gives `Proposals` to the next
//! row. The rules are in the page's pixels. camelot's lattice mode finds them there, and so
//! does this module: a rule is a thin dark ridge (pixels darker than those a few rows above
//! and below), in runs across the page that chain into one line however the scan is skewed.
//! A ridge, not a threshold: a grey scan's rules are lighter than its text, and a filled
//! header band is dark but not thin. Rules down the page (column borders) are found the same
//! way in the image turned a quarter: they part the columns where OCR garbled the header
//! (`SECHPE Modification Name Sous PAWG Request`) or lost it.
//!
//! Only images secreg decodes itself are searched (JPEG, and the gray or RGB pixels the OCR
//! step inflates); a page that must be rendered (JBIG2, CCITT, several images) has no rules,
//! and its tables are cut at gaps as before.

use lopdf::{Document, ObjectId};

use super::ink;
use super::isolate::contain;
use super::ocr::image::{self, PageImage, MAX_PIXELS};
use super::ocr::tsv::Placement;
use super::words::{Rule, Word};
use super::{PageTexts, TextSource};

/// A page image's pixels, one byte of lightness each (0 black), at `dpi`.
#[derive(Debug)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
    pub dpi: f32,
}

impl Gray {
    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// The page's paper: the most common lightness of its lighter half.
    pub(crate) fn paper(&self) -> u8 {
        let mut counts = [0usize; 256];
        for &p in self.pixels.iter().step_by(7) {
            counts[p as usize] += 1;
        }
        (128..256).max_by_key(|&i| counts[i]).unwrap_or(255) as u8
    }

    /// The image turned a quarter (mirrored on its diagonal): rules down become rules across.
    fn transposed(&self) -> Gray {
        let mut pixels = vec![0; self.pixels.len()];
        for y in 0..self.height {
            for x in 0..self.width {
                pixels[x * self.height + y] = self.pixels[y * self.width + x];
            }
        }
        Gray {
            width: self.height,
            height: self.width,
            pixels,
            dpi: self.dpi,
        }
    }
}

/// A rule in image pixels: its two ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelRule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// The rules are found at no less than this resolution: a rule half a point thick is still
/// half a pixel there (a ridge of 25 levels and more on generated scans at 150 to 300 dpi),
/// and a page decodes at a half or a quarter of its pixels, four to sixteen times fewer to
/// search.
const SEARCH_DPI: f32 = 72.;

/// How much darker than the pixels above and below a ridge pixel is (of 255): a grey scan's
/// light rules stand some 40 below their background; JPEG noise stays within 15.
const RIDGE_CONTRAST: i32 = 25;

/// A rule leans at most this much (5 degrees): a scan skewed further is not read as a table.
const MAX_SLOPE: f32 = 0.09;

/// The shortest rule across (inches): a table is wider than this; an underline is shorter.
const ACROSS_INCHES: f32 = 1.5;

/// The shortest rule down (inches): a column border of a table of two short rows.
const DOWN_INCHES: f32 = 0.5;

/// The rules of an OCR'd document's scanned pages, put into each page's words
/// (`texts.words[i].rules` across, `.column_rules` down): of the pages `wanted` says (0-based
/// index; decoding a page's image costs more than reading its text layer), or all. Pages
/// without words, or whose image secreg does not decode, keep none; a damaged image costs its
/// page's rules, never the read.
///
/// Returns, for each page searched, its index and the share of its image's ink its words
/// leave unread ([`ink::unread_share`]): a page the layer's OCR read only in part.
pub fn find_rules(
    bytes: &[u8],
    texts: &mut PageTexts,
    wanted: Option<&[bool]>,
) -> Vec<(usize, f32)> {
    let mut unread = Vec::new();
    if texts.source != TextSource::Ocr || texts.words.iter().all(|w| w.words.is_empty()) {
        return unread;
    }
    let Ok(Ok(doc)) = contain(|| Document::load_mem(bytes)) else {
        return unread;
    };
    let Ok(pages) = contain(|| doc.get_pages().into_values().collect::<Vec<ObjectId>>()) else {
        return unread;
    };
    for (i, id) in pages.into_iter().enumerate() {
        if wanted.is_some_and(|w| !w.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let Some(words) = texts.words.get_mut(i).filter(|w| !w.words.is_empty()) else {
            continue;
        };
        if let Ok(Some(found)) = contain(|| page_rules(&doc, id, &words.words)) {
            words.rules = found.across;
            words.column_rules = found.down;
            unread.push((i, found.unread_ink));
        }
    }
    unread
}

/// What a page's image shows: its rules, and the ink its words leave unread.
struct ImageFindings {
    /// Rules across, top to bottom.
    across: Vec<Rule>,
    /// Rules down, left to right.
    down: Vec<Rule>,
    /// The share of the image's ink no word stands on.
    unread_ink: f32,
}

/// The rules of one page, in page units from its top-left: those across top to bottom, those
/// down left to right; and the share of its ink `words` leave unread. `None` for a page whose
/// image secreg does not decode.
fn page_rules(doc: &Document, page: ObjectId, words: &[Word]) -> Option<ImageFindings> {
    let geometry = image::geometry(doc, page);
    let Ok(PageImage::File {
        bytes,
        extension,
        placement,
        dpi,
    }) = image::largest_image(doc, page, &geometry)
    else {
        return None;
    };
    let gray = match extension {
        "jpg" => decode_jpeg(&bytes, dpi as f32, SEARCH_DPI),
        _ => decode_netpbm(&bytes, dpi as f32),
    };
    let gray = gray.ok()?;
    // Decoded pixels are `scale` of the image's own.
    let scale = dpi as f32 / gray.dpi;
    let unread_ink = placement.inverse().map_or(0., |back| {
        let to_pixels = |x: f32, y: f32| {
            let (px, py) = back.map(x as f64, y as f64);
            (px as f32 / scale, py as f32 / scale)
        };
        ink::unread_share(&gray, words, &to_pixels)
    });
    let placed = |rules: Vec<PixelRule>, down: bool| -> Vec<Rule> {
        let mut rules: Vec<Rule> = rules
            .into_iter()
            .filter_map(|r| on_page(&r, scale, &placement, down))
            .collect();
        if down {
            rules.sort_by(|a, b| (a.x0 + a.x1).total_cmp(&(b.x0 + b.x1)));
        } else {
            rules.sort_by(|a, b| (a.y0 + a.y1).total_cmp(&(b.y0 + b.y1)));
        }
        rules
    };
    let (pieces, reach) = rule_pieces(&gray, ACROSS_INCHES);
    // A table's rules down stand between its rules across: a page with fewer has none worth
    // turning the image for.
    if joined_in_line(pieces.clone(), &reach, &[]).len() < 2 {
        return Some(ImageFindings {
            across: placed(joined_in_line(pieces, &reach, &[]), false),
            down: Vec::new(),
            unread_ink,
        });
    }
    let down: Vec<PixelRule> = rules_in_pixels(&gray.transposed(), DOWN_INCHES)
        .into_iter()
        .map(|r| PixelRule {
            x0: r.y0,
            y0: r.x0,
            x1: r.y1,
            y1: r.x1,
        })
        .collect();
    Some(ImageFindings {
        across: placed(joined_in_line(pieces, &reach, &down), false),
        down: placed(down, true),
        unread_ink,
    })
}

/// A pixel rule placed on the page, ordered left to right (across) or top to bottom
/// (`down`); `None` where the placement turns it off its direction.
fn on_page(rule: &PixelRule, scale: f32, placement: &Placement, down: bool) -> Option<Rule> {
    let (x0, y0) = placement.map((rule.x0 * scale) as f64, (rule.y0 * scale) as f64);
    let (x1, y1) = placement.map((rule.x1 * scale) as f64, (rule.y1 * scale) as f64);
    let swap = if down { y0 > y1 } else { x0 > x1 };
    let (x0, y0, x1, y1) = if swap {
        (x1, y1, x0, y0)
    } else {
        (x0, y0, x1, y1)
    };
    let rule = Rule {
        x0: x0 as f32,
        y0: y0 as f32,
        x1: x1 as f32,
        y1: y1 as f32,
    };
    let (run, lean) = if down {
        (rule.y1 - rule.y0, rule.x1 - rule.x0)
    } else {
        (rule.x1 - rule.x0, rule.y1 - rule.y0)
    };
    (run > 0. && lean.abs() <= MAX_SLOPE * run).then_some(rule)
}

/// A JPEG's lightness (its resolution `dpi`), decoded at a half, quarter or eighth of its
/// pixels where that still has `at_least` dpi (the decoder scales in its inverse DCT, so this
/// also saves time).
pub fn decode_jpeg(bytes: &[u8], dpi: f32, at_least: f32) -> Result<Gray, String> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|e| e.to_string())?;
    let info = decoder.info().ok_or("the JPEG has no header")?;
    if info.width as u64 * info.height as u64 > MAX_PIXELS {
        return Err(format!(
            "the JPEG says it is {} x {} pixels",
            info.width, info.height
        ));
    }
    let mut factor = 1u16;
    while factor < 8 && dpi / (2 * factor) as f32 >= at_least {
        factor *= 2;
    }
    let (width, height) = decoder
        .scale(info.width / factor, info.height / factor)
        .map_err(|e| e.to_string())?;
    let raw = decoder.decode().map_err(|e| e.to_string())?;
    let (width, height) = (width as usize, height as usize);
    let pixels = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => raw,
        jpeg_decoder::PixelFormat::L16 => raw.chunks_exact(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => raw.chunks_exact(3).map(lightness).collect(),
        jpeg_decoder::PixelFormat::CMYK32 => return Err("the JPEG is CMYK".into()),
    };
    if pixels.len() < width * height {
        return Err("the JPEG decoded to fewer pixels than it says".into());
    }
    Ok(Gray {
        width,
        height,
        pixels,
        dpi: dpi * width as f32 / info.width.max(1) as f32,
    })
}

/// The lightness of an RGB pixel (ITU-R 601 weights).
fn lightness(rgb: &[u8]) -> u8 {
    ((299 * rgb[0] as u32 + 587 * rgb[1] as u32 + 114 * rgb[2] as u32) / 1000) as u8
}

/// A binary PGM (`P5`) or PPM (`P6`) of 8-bit samples, as the OCR step writes an inflated
/// image.
pub fn decode_netpbm(bytes: &[u8], dpi: f32) -> Result<Gray, String> {
    let mut fields = Vec::with_capacity(4);
    let mut at = 0;
    while fields.len() < 4 && at < bytes.len() {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    let number = |k: usize| fields.get(k).and_then(|f| f.parse::<usize>().ok());
    let (Some(width), Some(height), Some(255)) = (number(1), number(2), number(3)) else {
        return Err("not an 8-bit netpbm image".into());
    };
    let components = match fields[0].as_str() {
        "P5" => 1,
        "P6" => 3,
        other => return Err(format!("a netpbm {other} image")),
    };
    let data = bytes.get(at + 1..).unwrap_or_default();
    if data.len() < width * height * components {
        return Err("the image holds fewer pixels than it says".into());
    }
    let pixels = if components == 1 {
        data[..width * height].to_vec()
    } else {
        data.chunks_exact(3)
            .take(width * height)
            .map(lightness)
            .collect()
    };
    Ok(Gray {
        width,
        height,
        pixels,
        dpi,
    })
}

/// A run of ridge pixels on one row of pixels.
#[derive(Debug, Clone, Copy)]
struct Segment {
    y: usize,
    x0: usize,
    x1: usize,
}

/// The sizes the search works in, in pixels of this image.
#[derive(Debug, Clone)]
struct Reach {
    /// How far above and below a ridge pixel its background is looked for: further than a
    /// rule is thick (up to two points).
    across: usize,
    /// The longest break inside a run (JPEG noise, a speck of white).
    gap: usize,
    /// The shortest run worth keeping: longer than a letter's stroke.
    run: usize,
    /// How far apart the ends of two runs of one rule may be, across and down.
    link: usize,
    step: usize,
    /// The shortest rule.
    rule: usize,
    /// The widest break between two pieces of one rule (three quarters of an inch), and how
    /// far off each other's line they may stand (two points).
    joined_gap: f32,
    joined_off: f32,
    /// The narrowest and widest break a rule down crosses between two pieces of one rule
    /// (a sixth of an inch, two inches): a column's width or part of it, where a shaded cell
    /// met the rule ([`joined_in_line`]).
    column_break: f32,
    column_gap: f32,
}

impl Reach {
    fn at(dpi: f32, shortest: f32) -> Reach {
        let px = |inches: f32| (dpi * inches).round().max(1.) as usize;
        Reach {
            across: px(1. / 40.).max(2),
            gap: px(1. / 50.).max(2),
            run: px(0.15),
            link: px(0.08),
            step: 3,
            rule: px(shortest),
            joined_gap: dpi * 0.75,
            joined_off: (dpi / 36.).max(1.5),
            column_break: dpi * 0.15,
            column_gap: dpi * 2.,
        }
    }
}

/// The rules across an image at least `shortest` inches long, in its pixels.
pub fn rules_in_pixels(gray: &Gray, shortest: f32) -> Vec<PixelRule> {
    let (pieces, reach) = rule_pieces(gray, shortest);
    joined_in_line(pieces, &reach, &[])
}

/// The rules across an image at least `shortest` inches long as found, before their pieces
/// are joined; and the sizes they were found at.
fn rule_pieces(gray: &Gray, shortest: f32) -> (Vec<PixelRule>, Reach) {
    let reach = Reach::at(gray.dpi, shortest);
    let segments = ridge_runs(gray, &reach);
    let pieces = chains(segments, &reach)
        .iter()
        .filter_map(|chain| fitted(chain, &reach))
        .collect();
    (pieces, reach)
}

/// Pieces of one rule joined across the breaks in its ink: a faint grey rule is found in
/// pieces, broken where the scan lightened it (generated scan 8002's rules under its
/// assessment rows: `60-334` and `340-540` points, `60-191` and `211-515`). Two pieces are
/// one rule where the second starts at most `joined_gap` past the first's end and each
/// stands on the other's line there, a pixel or two off (each a rule's length already). Cut apart, the bands between
/// them paired the pieces of two rules and the rows between were read no cell at a time.
///
/// Not where a rule down (`down`, in the same pixels) crosses a break narrower than
/// [`Reach::column_break`]: there the pieces are the edges of cells the rules down part
/// (generated scan 7302's header band, its top and bottom edges broken at each column's
/// rule; joined, the band was read again cell by cell and its header moved a column's edge:
/// `Batch 26` read `Batch`). A wider break that a rule down crosses is one rule whose ridge
/// a shaded cell beside it hid, up to [`Reach::column_gap`] (generated scan 9805's page 12:
/// the rules between its grey rows and the rows whose status cells are shaded break over
/// the status column, 20 to 63 points; apart, the grey row above read as one cell with the
/// table's heading and its header band, and the row below lost its cells).
fn joined_in_line(mut pieces: Vec<PixelRule>, reach: &Reach, down: &[PixelRule]) -> Vec<PixelRule> {
    let crossed = |r: &PixelRule, piece: &PixelRule| {
        down.iter().any(|d| {
            let x = (d.x0 + d.x1) / 2.;
            let (top, bottom) = (d.y0.min(d.y1), d.y0.max(d.y1));
            x >= r.x1 - reach.joined_off
                && x <= piece.x0 + reach.joined_off
                && top <= r.y1 + reach.joined_off
                && bottom >= r.y1 - reach.joined_off
        })
    };
    pieces.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let on_line = |r: &PixelRule, x: f32, y: f32| {
        let run = r.x1 - r.x0;
        let at = if run > 0. {
            r.y0 + (r.y1 - r.y0) * (x - r.x0) / run
        } else {
            r.y0
        };
        (at - y).abs() <= reach.joined_off
    };
    let mut rules: Vec<PixelRule> = Vec::new();
    for piece in pieces {
        let joins = rules.iter_mut().find(|r| {
            let gap = piece.x0 - r.x1;
            let joined = if crossed(r, &piece) {
                (reach.column_break..=reach.column_gap).contains(&gap)
            } else {
                (0. ..=reach.joined_gap).contains(&gap)
            };
            joined && on_line(r, piece.x0, piece.y0) && on_line(&piece, r.x1, r.y1)
        });
        match joins {
            Some(r) => {
                r.x1 = piece.x1;
                r.y1 = piece.y1;
            }
            None => rules.push(piece),
        }
    }
    rules
}

/// True where the pixel is darker than the pixels `across` above and below it by
/// [`RIDGE_CONTRAST`]: a thin dark line, not a dark area.
fn is_ridge(gray: &Gray, x: usize, y: usize, across: usize) -> bool {
    let p = gray.at(x, y) as i32;
    let above = gray.at(x, y - across) as i32;
    let below = gray.at(x, y + across) as i32;
    p + RIDGE_CONTRAST <= above.min(below)
}

/// The runs of ridge pixels, row by row, long enough to be part of a rule.
fn ridge_runs(gray: &Gray, reach: &Reach) -> Vec<Segment> {
    let mut segments = Vec::new();
    if gray.height <= 2 * reach.across {
        return segments;
    }
    for y in reach.across..gray.height - reach.across {
        let mut x = 0;
        while x < gray.width {
            if !is_ridge(gray, x, y, reach.across) {
                x += 1;
                continue;
            }
            let (x0, mut x1, mut gap) = (x, x, 0);
            while x < gray.width && gap <= reach.gap {
                if is_ridge(gray, x, y, reach.across) {
                    x1 = x;
                    gap = 0;
                } else {
                    gap += 1;
                }
                x += 1;
            }
            if x1 - x0 >= reach.run {
                segments.push(Segment { y, x0, x1 });
            }
        }
    }
    segments
}

/// Runs linked into rules, left to right: a skewed rule steps a row up or down every so
/// many pixels, and a thick one is runs on neighbouring rows, which are taken in.
fn chains(mut segments: Vec<Segment>, reach: &Reach) -> Vec<Vec<Segment>> {
    segments.sort_by_key(|s| (s.x0, s.y));
    let mut used = vec![false; segments.len()];
    let mut chains = Vec::new();
    for i in 0..segments.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let mut chain = vec![segments[i]];
        loop {
            let last = *chain.last().expect("a chain has a run");
            let near = |s: &Segment| s.y.abs_diff(last.y) <= reach.step;
            // The same stroke's other rows.
            for (j, s) in segments.iter().enumerate() {
                if !used[j] && near(s) && s.x0 + reach.step >= last.x0 && s.x1 <= last.x1 + 2 {
                    used[j] = true;
                }
            }
            let next = (0..segments.len())
                .filter(|&j| {
                    let s = &segments[j];
                    !used[j] && near(s) && s.x0 <= last.x1 + reach.link && s.x1 > last.x1
                })
                .min_by_key(|&j| segments[j].y.abs_diff(last.y));
            match next {
                Some(j) => {
                    used[j] = true;
                    chain.push(segments[j]);
                }
                None => break,
            }
        }
        chains.push(chain);
    }
    chains
}

/// A chain's line, from its left end to its right end (each end's height the mean of the
/// runs that reach it: a rule two pixels thick is runs on two rows), when it is long enough
/// and level enough to be a rule. (Shorter pieces joined into rules were letters' strokes
/// and underlines as often: generated scans' titles fell 0.05-0.18.) (A least-squares fit through the runs' middles leans where
/// a thick rule's runs on one row are longer than on the other.)
fn fitted(chain: &[Segment], reach: &Reach) -> Option<PixelRule> {
    let x0 = chain.iter().map(|s| s.x0).min()?;
    let x1 = chain.iter().map(|s| s.x1).max()?;
    if x1 - x0 < reach.rule {
        return None;
    }
    let mean_y = |at_end: &dyn Fn(&Segment) -> bool| {
        let ys: Vec<f32> = chain
            .iter()
            .filter(|s| at_end(s))
            .map(|s| s.y as f32)
            .collect();
        ys.iter().sum::<f32>() / ys.len().max(1) as f32
    };
    let y0 = mean_y(&|s| s.x0 <= x0 + reach.step);
    let y1 = mean_y(&|s| s.x1 + reach.step >= x1);
    let (x0, x1) = (x0 as f32, x1 as f32);
    ((y1 - y0).abs() <= MAX_SLOPE * (x1 - x0)).then_some(PixelRule { x0, y0, x1, y1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page of `w` x `h` pixels at 100 dpi.
    fn page(w: usize, h: usize) -> Gray {
        Gray {
            width: w,
            height: h,
            pixels: vec![245; w * h],
            dpi: 100.,
        }
    }

    /// Draws a line `thick` pixels thick from (x0, y0) to (x1, y1) at lightness `ink`.
    fn line(g: &mut Gray, (x0, y0): (usize, f32), (x1, y1): (usize, f32), thick: usize, ink: u8) {
        for x in x0..=x1 {
            let y = y0 + (y1 - y0) * (x - x0) as f32 / (x1 - x0) as f32;
            for t in 0..thick {
                let row = y.round() as usize + t;
                g.pixels[row * g.width + x] = ink;
            }
        }
    }

    #[test]
    fn a_skewed_rule_is_one_line_from_end_to_end() {
        // 1.5 degrees over 600 pixels: the rule falls 16 pixels, a row every 38.
        let mut g = page(800, 300);
        line(&mut g, (100, 100.), (700, 115.7), 2, 60);
        let rules = rules_in_pixels(&g, ACROSS_INCHES);
        assert_eq!(rules.len(), 1, "{rules:?}");
        let r = rules[0];
        assert!(r.x0 <= 101. && r.x1 >= 699., "{r:?}");
        assert!(
            (r.y0 - 100.5).abs() < 1.5 && (r.y1 - 116.2).abs() < 1.5,
            "{r:?}"
        );
    }

    #[test]
    fn a_grey_rule_on_a_grey_page_is_found_and_a_dark_band_is_not() {
        // A low-contrast scan: background 228, rule 190. A filled header band (a dark area
        // thicker than a rule) is no rule, though darker than it.
        let mut g = page(800, 300);
        g.pixels.iter_mut().for_each(|p| *p = 228);
        line(&mut g, (50, 60.), (750, 60.), 1, 190);
        line(&mut g, (50, 150.), (750, 150.), 30, 40);
        let rules = rules_in_pixels(&g, ACROSS_INCHES);
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert!((rules[0].y0 - 60.).abs() < 1., "{rules:?}");
    }

    #[test]
    fn a_rule_found_in_pieces_is_one_rule_and_a_piece_off_its_line_is_not_part_of_it() {
        // Generated scan 8002: a faint rule broken where the scan lightened it, its pieces
        // 30 and 60 pixels apart at 100 dpi.
        let mut g = page(900, 300);
        line(&mut g, (100, 100.), (260, 100.), 1, 200);
        line(&mut g, (290, 100.), (450, 100.), 1, 200);
        line(&mut g, (510, 100.), (800, 100.), 1, 200);
        // Another rule's piece past a break, six pixels lower: a rule of its own.
        line(&mut g, (100, 200.), (400, 200.), 1, 200);
        line(&mut g, (430, 206.), (800, 206.), 1, 200);
        let rules = rules_in_pixels(&g, ACROSS_INCHES);
        let ends: Vec<(f32, f32)> = rules.iter().map(|r| (r.x0, r.x1)).collect();
        assert_eq!(rules.len(), 3, "{rules:?}");
        assert!(
            ends.iter().any(|&(x0, x1)| x0 <= 101. && x1 >= 799.),
            "{ends:?}"
        );
        // Pieces further apart than three quarters of an inch stay apart.
        let mut g = page(900, 300);
        line(&mut g, (100, 100.), (300, 100.), 1, 200);
        line(&mut g, (400, 100.), (800, 100.), 1, 200);
        assert_eq!(rules_in_pixels(&g, ACROSS_INCHES).len(), 2);
    }

    #[test]
    fn pieces_parted_where_a_rule_down_crosses_stay_apart() {
        // Generated scan 7302: a header band's edges broken at each column's rule.
        let reach = Reach::at(100., ACROSS_INCHES);
        let piece = |x0: f32, x1: f32| PixelRule {
            x0,
            y0: 100.,
            x1,
            y1: 100.,
        };
        let pieces = vec![piece(100., 300.), piece(310., 600.)];
        assert_eq!(joined_in_line(pieces.clone(), &reach, &[]).len(), 1);
        let down = PixelRule {
            x0: 305.,
            y0: 98.,
            x1: 305.,
            y1: 400.,
        };
        assert_eq!(joined_in_line(pieces.clone(), &reach, &[down]).len(), 2);
        // A rule down elsewhere parts nothing.
        let elsewhere = PixelRule {
            x0: 450.,
            x1: 450.,
            ..down
        };
        assert_eq!(joined_in_line(pieces, &reach, &[elsewhere]).len(), 1);
        // Generated scan 9805: a break a column wide (63 points, 0.9 inch; and 20 points)
        // that a rule down crosses, where a shaded status cell hid the rule's ridge: one
        // rule.
        let down = PixelRule {
            x0: 388.,
            x1: 388.,
            ..down
        };
        let shaded = vec![piece(100., 300.), piece(390., 600.)];
        assert_eq!(joined_in_line(shaded.clone(), &reach, &[down]).len(), 1);
        let narrower = vec![piece(100., 300.), piece(328., 600.)];
        let down_at_320 = PixelRule {
            x0: 320.,
            x1: 320.,
            ..down
        };
        assert_eq!(joined_in_line(narrower, &reach, &[down_at_320]).len(), 1);
        // Further apart than two inches, two rules.
        let far = vec![piece(100., 300.), piece(510., 800.)];
        let down = PixelRule {
            x0: 505.,
            x1: 505.,
            ..down
        };
        assert_eq!(joined_in_line(far, &reach, &[down]).len(), 2);
    }

    #[test]
    fn text_strokes_and_short_lines_are_no_rules() {
        // A letter's bar (10 pixels) and an underline half an inch long.
        let mut g = page(800, 300);
        for k in 0..30 {
            line(&mut g, (100 + 20 * k, 80.), (110 + 20 * k, 80.), 1, 30);
        }
        line(&mut g, (100, 200.), (150, 200.), 1, 30);
        assert_eq!(rules_in_pixels(&g, ACROSS_INCHES), Vec::new());
    }

    #[test]
    fn a_rule_down_is_found_in_the_image_turned_a_quarter() {
        // A column border 0.8 inch long, leaning 1 degree, and a rule across: only the
        // border runs down.
        let mut g = page(400, 300);
        for y in 100..180 {
            let x = 200 + (y - 100) / 57;
            g.pixels[y * 400 + x] = 50;
            g.pixels[y * 400 + x + 1] = 50;
        }
        line(&mut g, (20, 250.), (380, 250.), 1, 50);
        let down = rules_in_pixels(&g.transposed(), DOWN_INCHES);
        assert_eq!(down.len(), 1, "{down:?}");
        // Turned back: from (y0, x0) at the top to (y1, x1) at the bottom.
        let r = down[0];
        assert!(
            (r.y0 - 200.5).abs() < 1.5 && r.x0 <= 101. && r.x1 >= 178.,
            "{r:?}"
        );
    }

    #[test]
    fn a_netpbm_image_is_read_and_a_short_one_is_refused() {
        let mut pgm = b"P5\n4 2\n255\n".to_vec();
        pgm.extend([0, 10, 20, 30, 40, 50, 60, 70]);
        let g = decode_netpbm(&pgm, 150.).expect("a PGM");
        assert_eq!((g.width, g.height, g.at(3, 1)), (4, 2, 70));
        let mut ppm = b"P6 1 1 255 ".to_vec();
        ppm.extend([255, 0, 0]);
        assert_eq!(decode_netpbm(&ppm, 150.).expect("a PPM").pixels, vec![76]);
        assert!(decode_netpbm(&pgm[..14], 150.).is_err());
        assert!(decode_netpbm(b"P2 1 1 255 0", 150.).is_err());
    }

    #[test]
    fn a_damaged_jpeg_is_an_error() {
        assert!(decode_jpeg(b"\xff\xd8\xff\xe0garbage", 150., SEARCH_DPI).is_err());
        assert!(decode_jpeg(b"", 150., SEARCH_DPI).is_err());
    }
}

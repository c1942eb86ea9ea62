//! A ruled table's cells on an OCR'd scan read again by tesseract, one cell at a time.
//!
//! The OCR layer a scan comes with was read from the whole page, where a table's rules stand
//! beside its words: tesseract then loses a letter next to a rule (`ules for Modification`
//! for `rules`), glues two cells (`PAin_-23/04/2021`) or reads a rule as a word (`|`, `_|`).
//! Read alone, cut inside its rules, the same cell reads as printed (generated scan 4000,
//! page 9: `rules for Modification` / `Proposals`). The cells come from the rules found in the
//! page image ([`crate::reading::rules`]): each band between two rules across, cut by the rules
//! down that cross it, or, in a table ruled only between its rows, at the white its columns
//! leave between their words in every row. All the cells of a page are stacked into one image
//! (or as few as tesseract's limit on an image's height allows), a gap of white between them,
//! so that tesseract starts once a page; a greyed-out cell's ink is deepened first, as the
//! stack is read at one level of ink. Each word tesseract reads is put back where its cell
//! stands on the page, and replaces the layer's words there.

use std::path::Path;
use std::process::Command;

use lopdf::{Document, ObjectId};

use super::image::{self, PageImage};
use super::tsv::{parse_tsv, Placement, TsvWord};
use super::{run, tool_version, OcrMode, OcrOptions, Scratch};
use crate::reading::isolate::contain;
use crate::reading::rules::{decode_jpeg, decode_netpbm, Gray};
use crate::reading::words::{PageWords, Rule, Word};
use crate::reading::{PageTexts, TextSource};

/// A cell: its box in the image's pixels (inside its rules, their heights at its middle),
/// how far its rules fall for each pixel across (`shear`), and the band it stands in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cell {
    pub(super) x0: usize,
    pub(super) y0: usize,
    pub(super) x1: usize,
    pub(super) y1: usize,
    pub(super) shear: f32,
    pub(super) band: Band,
}

impl Cell {
    /// The image's pixel that stands at `row` of the cell's box in column `x`, once the box
    /// is leaned with its rules: a skewed page's cell is read straight. (Cut as an upright box
    /// inside its rules, a title cell of 350 points at a skew of one degree lost 6 of its 9
    /// points of height, the tops of its first letters and the feet of its last: generated
    /// scan 7703's `Starm Pratectian`, `Sunnliare`, read with confidence.)
    fn pixel(&self, gray: &Gray, x: usize, row: usize) -> u8 {
        let middle = (self.x0 + self.x1) as f32 / 2.;
        let y = (row as f32 + self.shear * (x as f32 - middle)).round();
        if y < 0. || y >= gray.height as f32 || x >= gray.width {
            return gray.paper();
        }
        gray.pixels[y as usize * gray.width + x]
    }

    /// How far (pixels) the cell's rules stand below its box's at column `x`.
    fn lean_at(&self, x: f32) -> f32 {
        self.shear * (x - (self.x0 + self.x1) as f32 / 2.)
    }
}

/// The band between two rules across a cell stands in, on the page: the rules' heights at the
/// cell's middle (`x`) and how much they fall for each unit across. The layer's words in the
/// cell are those between the rules as the rules run: on a skewed page, a title's last words
/// stand below its box's inner rectangle (generated scan 7703: `Storm Protection` and
/// `Suppliers` were kept beside the `Starm Pratectian`, `Sunnliare` read again in their
/// place).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Band {
    pub(super) x: f32,
    pub(super) top: f32,
    pub(super) bottom: f32,
    pub(super) slope: f32,
}

impl Band {
    /// Whether a point of the page stands between the band's rules.
    fn holds(&self, x: f32, y: f32) -> bool {
        let level = y - self.slope * (x - self.x);
        (self.top..self.bottom).contains(&level)
    }
}

/// The mean confidence (0..1) of a cell's words read again above which they replace the
/// layer's words in the cell.
pub(super) const SURE: f32 = 0.8;

/// The confidence (0..1) under which a word of one letter or mark read again is a speck.
const SPECK_SURE: f32 = 0.6;

/// The narrowest white between two cells of a band without rules down (points): wider than
/// a space between words at the sizes reports are set in (3 points at 10).
const MIN_CORRIDOR: f32 = 6.;

/// The narrowest white (points) the page image shows between two columns: wider than a
/// space between words (2.9 points at 9 in DejaVu Sans, 3.8 at 12). A layer's word sizes
/// are no guide below it: one set at half the glyphs' size (generated scan 7603) made half
/// an em 2.5 points, and its duration cells were cut at their word space (`15 | WD`, read
/// back `WD 15`).
const MIN_WHITE: f32 = 5.0;

/// The share of a page's other bands (those with white between their words) in which a
/// cut must recur to part cells.
const RECUR_SHARE: f32 = 0.5;

/// How far (points) past another band's white a cut may stand and still recur there, once
/// the page's skew is allowed for: the error of a layer's word boxes.
const CUT_SLACK: f32 = 2.;

/// The tallest row band read as cells (inches): a taller band is not a row of a table.
const TALLEST_ROW: f32 = 3.;

/// Reads again the ruled cells of an OCR'd document's pages that have rules across and down,
/// in place in `texts.words`; the number of pages read again. Nothing happens with `--ocr
/// never`, without tesseract, or where a page's image is not one secreg decodes; a page whose
/// cells fail keeps its layer's words.
pub fn reread_ruled_cells(bytes: &[u8], texts: &mut PageTexts, options: &OcrOptions) -> usize {
    // (Rules across are enough: a table ruled only between its rows is cut into cells at
    // the white between its words, [`recurring_corridors`] and [`cuts_in_white`].)
    let ruled = |w: &PageWords| w.rules.len() >= 2;
    if !texts.words.iter().any(ruled) {
        return 0;
    }
    let Some(ScanDocument {
        doc,
        pages,
        scratch,
    }) = scan_document(bytes, texts, options)
    else {
        return 0;
    };
    let mut read = 0;
    for (i, id) in pages.into_iter().enumerate() {
        let Some(words) = texts.words.get_mut(i).filter(|w| ruled(w)) else {
            continue;
        };
        let page = contain(|| reread_page(&doc, id, words, i, &scratch.0, options));
        match page {
            Ok(Ok(true)) => read += 1,
            Ok(Ok(false)) => {}
            Ok(Err(e)) => texts
                .notes
                .push(format!("page {}: table cells not read again: {e}", i + 1)),
            Err(panic) => texts.notes.push(format!(
                "page {}: table cells not read again: crashed ({panic})",
                i + 1
            )),
        }
    }
    if read > 0 {
        texts.notes.push(format!(
            "{read} page(s) of ruled tables read again cell by cell (tesseract, -l {})",
            options.lang
        ));
    }
    read
}

/// An OCR'd document whose pages' images tesseract may read again: its pages, and a folder
/// for the images given to tesseract.
pub(super) struct ScanDocument {
    pub(super) doc: Document,
    pub(super) pages: Vec<ObjectId>,
    pub(super) scratch: Scratch,
}

/// The document of `bytes` to read cells of again; `None` with `--ocr never`, without
/// tesseract, for text not read by OCR, or for a document lopdf does not load.
pub(super) fn scan_document(
    bytes: &[u8],
    texts: &PageTexts,
    options: &OcrOptions,
) -> Option<ScanDocument> {
    if options.mode == OcrMode::Never
        || texts.source != TextSource::Ocr
        || tool_version(&options.tesseract).is_none()
    {
        return None;
    }
    let doc = contain(|| Document::load_mem(bytes)).ok()?.ok()?;
    let pages = contain(|| doc.get_pages().into_values().collect::<Vec<ObjectId>>()).ok()?;
    let scratch = Scratch::new().ok()?;
    Some(ScanDocument {
        doc,
        pages,
        scratch,
    })
}

/// One page's cells read again; `Ok(false)` when it has none to read.
fn reread_page(
    doc: &Document,
    page: ObjectId,
    words: &mut PageWords,
    index: usize,
    dir: &Path,
    options: &OcrOptions,
) -> Result<bool, String> {
    let Some(image) = page_image(doc, page)? else {
        return Ok(false);
    };
    let cells = cells_of(&image.gray, words, &image.placement);
    if cells.is_empty() {
        return Ok(false);
    }
    let name = format!("cells-{}.pgm", index + 1);
    let cleared = vec![false; cells.len()];
    let cells_read = (&cells[..], &cleared[..], GreyInk::Deepened);
    let placed = read_cells(&image, cells_read, words, &dir.join(name), options)?;
    replace_sure_cells(words, &cells, placed, &image.placement);
    Ok(true)
}

/// A scanned page's image, every pixel decoded, and where it stands on the page.
pub(super) struct ScanImage {
    pub(super) gray: Gray,
    pub(super) placement: Placement,
    pub(super) dpi: u32,
}

/// The page's one image decoded whole; `None` for a page without one, drawn turned or
/// sheared, or at a resolution the decoder did not keep.
pub(super) fn page_image(doc: &Document, page: ObjectId) -> Result<Option<ScanImage>, String> {
    let geometry = image::geometry(doc, page);
    let PageImage::File {
        bytes,
        extension,
        placement,
        dpi,
    } = image::largest_image(doc, page, &geometry)?
    else {
        return Ok(None);
    };
    if placement.b != 0. || placement.c != 0. {
        return Ok(None);
    }
    // Every pixel: the cells are read, not only searched.
    let gray = match extension {
        "jpg" => decode_jpeg(&bytes, dpi as f32, f32::MAX)?,
        _ => decode_netpbm(&bytes, dpi as f32)?,
    };
    Ok((gray.dpi == dpi as f32).then_some(ScanImage {
        gray,
        placement,
        dpi,
    }))
}

/// The words tesseract reads in `cells` of `image`, stacked into images at `path` (removed
/// after; as few as [`MOSAIC_TALLEST`] allows), each put back where its cell stands
/// ([`placed_words`]; `layer` ties them to lines); `rules_cleared` for each cell, true for
/// one cut where no rules were found ([`mosaic`]); `grey_ink`: whether grey cells are
/// deepened ([`GreyInk`]).
pub(super) fn read_cells(
    image: &ScanImage,
    (cells, rules_cleared, grey_ink): (&[Cell], &[bool], GreyInk),
    layer: &PageWords,
    path: &Path,
    options: &OcrOptions,
) -> Result<Vec<(usize, Word)>, String> {
    let mut placed = Vec::new();
    for stack in stacks(cells, mosaic_gap(&image.gray)) {
        let cleared = rules_cleared.get(stack.clone()).unwrap_or_default();
        let stacked = &cells[stack.clone()];
        let (mosaic, offsets) = mosaic(&image.gray, stacked, cleared, grey_ink);
        let read = read_stack(&mosaic, image.dpi, path, options)?;
        let words = placed_words(&read, stacked, &offsets, &image.placement, layer);
        placed.extend(words.into_iter().map(|(k, w)| (stack.start + k, w)));
    }
    Ok(placed)
}

/// The tallest image of stacked cells (pixels): tesseract refuses an image 32,767 pixels tall
/// or more (`Image too large: (795, 32852)`, generated scan 9602's page 11 at 300 dpi, 90
/// cells: every cell of the page was left as the layer read it).
const MOSAIC_TALLEST: usize = 30_000;

/// The cells in stacks of neighbours, each no taller stacked than [`MOSAIC_TALLEST`], `gap`
/// pixels of paper around each cell.
fn stacks(cells: &[Cell], gap: usize) -> Vec<std::ops::Range<usize>> {
    let mut stacks = Vec::new();
    let (mut start, mut height) = (0, gap);
    for (k, c) in cells.iter().enumerate() {
        let rows = c.y1 - c.y0 + gap;
        if k > start && height + rows > MOSAIC_TALLEST {
            stacks.push(start..k);
            (start, height) = (k, gap);
        }
        height += rows;
    }
    if start < cells.len() {
        stacks.push(start..cells.len());
    }
    stacks
}

/// What tesseract reads in one stack of cells (a PGM), written at `path` and removed after.
fn read_stack(
    mosaic: &[u8],
    dpi: u32,
    path: &Path,
    options: &OcrOptions,
) -> Result<Vec<TsvWord>, String> {
    std::fs::write(path, mosaic).map_err(|e| format!("cannot write the cells' image: {e}"))?;
    let mut cmd = Command::new(&options.tesseract);
    cmd.arg(path)
        .arg("stdout")
        .args([
            "--dpi",
            &dpi.to_string(),
            "--psm",
            "6",
            "-l",
            &options.lang,
            "tsv",
        ])
        .env("OMP_THREAD_LIMIT", "1");
    let output = {
        let _slot = options.slots.acquire();
        run(cmd, options.page_timeout, "tesseract")
    };
    let _ = std::fs::remove_file(path);
    parse_tsv(&String::from_utf8_lossy(&output?))
}

/// The cells' new words (by cell) replace the layer's where tesseract is sure of them: a cell
/// it reads badly (an id cell's `aoe 3`, a rule's edge) keeps what the layer has.
fn replace_sure_cells(
    words: &mut PageWords,
    cells: &[Cell],
    placed: Vec<(usize, Word)>,
    placement: &Placement,
) {
    let sure = sure_cells(cells.len(), &placed);
    let cell_of = layer_cells(words, cells, placement);
    let keep = layer_words_kept(words, &cell_of, &sure, &placed);
    let pieces: Vec<bool> = placed
        .iter()
        .map(|(k, w)| {
            sure[*k] && piece_of_a_layer_word(words, &cell_of, (&cells[*k], w), placement)
        })
        .collect();
    let blanks: Vec<bool> = placed
        .iter()
        .map(|(k, w)| !sure[*k] && fills_a_blank(words, &cell_of, (*k, w)))
        .collect();
    let mut keep = keep.into_iter();
    words.words.retain(|_| keep.next().unwrap_or(true));
    // (Less a speck tesseract is unsure of: `*`, `i 3` after a title read alone, generated
    // scan 7303.)
    let speck = |w: &Word| {
        w.confidence < SPECK_SURE && w.text.chars().filter(|c| c.is_alphanumeric()).count() <= 1
    };
    words.words.extend(
        placed
            .into_iter()
            .zip(pieces.into_iter().zip(blanks))
            .filter(|((k, w), (piece, blank))| (sure[*k] && !speck(w) && !piece) || *blank)
            .map(|((_, w), _)| w),
    );
}

/// Whether a word read again in a cell tesseract is unsure of fills a blank the layer left:
/// tesseract is sure of the word itself, it holds two letters or digits or more, and no word
/// of the layer's in the cell stands across from it. (Generated scan 8001: the layer lost a
/// table's `Type` column, and the cell cut from the white before it read `PA 22 Jun 17`, its
/// date unsure, `PA` at 0.97; the cell kept its layer's date, and lost the type.)
fn fills_a_blank(words: &PageWords, cell_of: &[Option<usize>], (k, w): (usize, &Word)) -> bool {
    let margin = 0.3 * w.size;
    w.confidence >= SURE
        && w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && !words
            .words
            .iter()
            .zip(cell_of)
            .any(|(l, &c)| c == Some(k) && l.x0 < w.x1 + margin && w.x0 - margin < l.x1)
}

/// Whether tesseract is sure of each cell: its words' mean confidence is [`SURE`] or more.
fn sure_cells(cells: usize, placed: &[(usize, Word)]) -> Vec<bool> {
    (0..cells)
        .map(|k| {
            let confidences: Vec<f32> = placed
                .iter()
                .filter(|(c, _)| *c == k)
                .map(|(_, w)| w.confidence)
                .collect();
            !confidences.is_empty()
                && confidences.iter().sum::<f32>() / confidences.len() as f32 >= SURE
        })
        .collect()
}

/// The cell each of the layer's words stands in (across its box, between its rules as they
/// run), if any.
fn layer_cells(words: &PageWords, cells: &[Cell], placement: &Placement) -> Vec<Option<usize>> {
    words
        .words
        .iter()
        .map(|w| {
            cells.iter().position(|c| {
                let (x0, x1, _, _) = page_box(placement, c);
                (x0..x1).contains(&w.x_mid()) && c.band.holds(w.x_mid(), w.y_mid())
            })
        })
        .collect()
}

/// Which of the layer's words stay: none in a sure cell; in a cell tesseract is unsure of but
/// whose second read bears out a word of the layer's there, not the layer's mark or lone
/// letter the second read does not have (a speck: a rule's edge the layer read as `7` beside
/// `SECMP0030`, generated scan 8102, started a row of its own); every other word.
fn layer_words_kept(
    words: &PageWords,
    cell_of: &[Option<usize>],
    sure: &[bool],
    placed: &[(usize, Word)],
) -> Vec<bool> {
    let read_again = |k: usize| placed.iter().filter(move |(c, _)| *c == k).map(|(_, w)| w);
    let one_mark = |w: &Word| w.text.chars().filter(|c| c.is_alphanumeric()).count() <= 1;
    let borne_out: Vec<bool> = (0..sure.len())
        .map(|k| {
            words.words.iter().zip(cell_of).any(|(w, &c)| {
                c == Some(k) && !one_mark(w) && read_again(k).any(|r| r.text == w.text)
            })
        })
        .collect();
    words
        .words
        .iter()
        .enumerate()
        .zip(cell_of)
        .map(|((i, w), &c)| match c {
            Some(k) if sure[k] => false,
            Some(k) if borne_out[k] && one_mark(w) => {
                read_again(k).any(|r| r.text == w.text) || between_words(words, cell_of, i)
            }
            _ => true,
        })
        .collect()
}

/// Whether a layer's word of one letter or digit, or a dash, stands in its line between two
/// words of two letters or more of its cell, a word space or so from each (or from the lone
/// letters and dashes between): a word (`Section D Review`, which the cell's second read
/// made `ecuon v Keview:`, generated scan 9400; `Section L - SMKI`, 9700), not a speck
/// beside a rule or past a cell's last word.
fn between_words(words: &PageWords, cell_of: &[Option<usize>], i: usize) -> bool {
    let lone = |w: &Word| {
        matches!(w.text.as_str(), "-" | "–" | "—")
            || (w.text.chars().count() == 1 && w.text.chars().all(char::is_alphanumeric))
    };
    if !lone(&words.words[i]) {
        return false;
    }
    // The nearest word of the cell's line a word space or so to one side of word `j`.
    let next_to = |j: usize, left: bool| {
        let w = &words.words[j];
        let reach = 1.5 * w.size;
        let gap = |n: &Word| if left { w.x0 - n.x1 } else { n.x0 - w.x1 };
        (0..words.words.len())
            .filter(|&k| k != j && cell_of[k] == cell_of[i])
            .filter(|&k| {
                let n = &words.words[k];
                (0. ..reach).contains(&gap(n)) && (n.y_mid() - w.y_mid()).abs() < 0.5 * w.size
            })
            .min_by(|&a, &b| gap(&words.words[a]).total_cmp(&gap(&words.words[b])))
    };
    let word_beside = |left: bool| {
        let mut j = i;
        // (A line holds few lone words in a row: `L -`.)
        for _ in 0..4 {
            let Some(k) = next_to(j, left) else {
                return false;
            };
            let n = &words.words[k];
            if n.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                return true;
            }
            if !lone(n) {
                return false;
            }
            j = k;
        }
        false
    };
    word_beside(true) && word_beside(false)
}

/// Whether a word read again in `cell` is a piece of a word of the layer's in no cell that
/// overlaps it, running across the cell's edge, and begins or ends as it does: a cell cut
/// inside its column (generated scan 8402: `outc` read again where the layer's `outcomes:`
/// runs past the cell's right edge, both kept, `CGR Phase 3 outc outcomes:`). The layer's
/// whole word stays.
fn piece_of_a_layer_word(
    words: &PageWords,
    cell_of: &[Option<usize>],
    (cell, w): (&Cell, &Word),
    placement: &Placement,
) -> bool {
    let letters = |w: &Word| -> String {
        w.text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (x0, x1, _, _) = page_box(placement, cell);
    let part = letters(w);
    words.words.iter().zip(cell_of).any(|(l, c)| {
        let whole = letters(l);
        c.is_none()
            && (l.x0 < x0 || l.x1 > x1)
            && l.x0 < w.x1
            && w.x0 < l.x1
            && cell.band.holds(w.x_mid(), l.y_mid())
            && !part.is_empty()
            && part.len() < whole.len()
            && (whole.starts_with(&part) || whole.ends_with(&part))
    })
}

/// A cell's box on the page (x0, x1, top, bottom).
pub(super) fn page_box(placement: &Placement, c: &Cell) -> (f32, f32, f32, f32) {
    let (x0, top) = placement.map(c.x0 as f64, c.y0 as f64);
    let (x1, bottom) = placement.map(c.x1 as f64, c.y1 as f64);
    (x0 as f32, x1 as f32, top as f32, bottom as f32)
}

/// The cells the page's rules (page units) make, in the image's pixels: each band between two
/// neighbouring rules across, cut at the rules down that run through it, or, in a band no two
/// rules down cross, at the white between its words ([`recurring_corridors`], placed in the
/// image's white by [`cuts_in_white`]). Cells without ink are
/// left out.
fn cells_of(gray: &Gray, page: &PageWords, placement: &Placement) -> Vec<Cell> {
    let (across, down) = (&page.rules, &page.column_rules);
    let to_px = |x: f32, y: f32| to_pixels(placement, x, y);
    let inch = gray.dpi;
    // Inside the rules: a rule's width and the error of its place (found at a half of a 200
    // dpi scan's pixels). (Trimming each side past its line of ink instead read worse: a
    // date's digits in a narrow cell made such a line.)
    let margin = (inch / 40.).ceil() as usize + 1;
    // Above and below, half as much: a one-line cell's descenders reach to a few pixels of
    // its rule below, and cut there read `g` as `a` and `y` as `v` (generated scan 7302,
    // 300 dpi: `Switchina`, `Gatewav`; its titles 0.77 -> 0.92 right with half the margin).
    let vmargin = (inch / 80.).ceil() as usize + 1;
    let cuts = recurring_corridors(page);
    // Ink, for the white a cut must stand in: a fifth darker than the paper (a grey scan's
    // text is lighter than a third).
    let ink = (gray.paper() as u32 * 4 / 5) as u8;
    let mut cells = Vec::new();
    for (band, pair) in across.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let (left, right, top, bottom) = band_box(a, b);
        if right - left < 0.6 * (a.x1 - a.x0).min(b.x1 - b.x0) {
            continue;
        }
        let (reach_left, reach_right) = band_reach(a, b);
        if bottom - top > TALLEST_ROW * 72. || bottom - top < 6. {
            continue;
        }
        let mut xs: Vec<f32> = down
            .iter()
            .filter(|r| r.y0 <= top + 4. && r.y1 >= bottom - 4.)
            .map(|r| r.x_at((top + bottom) / 2.))
            .filter(|&x| x > left - 4. && x < right + 4.)
            .collect();
        // (Only where no rules down cross the whole band: the cells of one they cross start
        // at its top.)
        let begun_at = if xs.len() < 2 {
            rules_down_begun_inside(down, (left, right, top, bottom)).map(|(begun, y)| {
                xs = begun;
                y
            })
        } else {
            None
        };
        xs.sort_by(f32::total_cmp);
        // Between rules down, a margin clears their ink; between corridors, there is none.
        let margin = if xs.len() >= 2 {
            margin
        } else {
            let within: Vec<f32> = cuts[band]
                .iter()
                .copied()
                .filter(|&x| x > left && x < right)
                .collect();
            let size = median_size(page, (left, right, top, bottom));
            let least = (0.5 * size).max(MIN_WHITE) / 72. * inch;
            let image_cuts = cuts_in_white(gray, placement, (a, b), &within, (ink, least), margin);
            xs = [reach_left]
                .into_iter()
                .chain(image_cuts)
                .chain([reach_right])
                .collect();
            1
        };
        for w in xs.windows(2) {
            let (x0, x1) = (w[0], w[1]);
            let mid = (x0 + x1) / 2.;
            let cell_top = begun_at.map_or(a.y_at(mid), |y| y.max(a.y_at(mid)));
            let (p0, p1) = (to_px(x0, cell_top), to_px(x1, b.y_at(mid)));
            let band = Band {
                x: mid,
                top: cell_top,
                bottom: b.y_at(mid),
                slope: (a.slope() + b.slope()) / 2.,
            };
            let shear = band.slope * (placement.a / placement.d) as f32;
            let between = Cell {
                x0: (p0.0.max(0.) as usize).min(gray.width),
                y0: (p0.1.max(0.) as usize).min(gray.height),
                x1: (p1.0.max(0.) as usize).min(gray.width),
                y1: (p1.1.max(0.) as usize).min(gray.height),
                shear,
                band,
            };
            let cell = Cell {
                x0: between.x0 + margin,
                y0: between.y0 + vmargin,
                x1: between.x1.saturating_sub(margin),
                y1: between.y1.saturating_sub(vmargin),
                shear,
                band,
            };
            if cell.x1 <= cell.x0 + margin || cell.y1 <= cell.y0 + margin {
                continue;
            }
            if inked(gray, &cell) {
                cells.push(cell);
            }
        }
    }
    cells
}

/// Where a band's rules down begin inside it, each running to its foot, two or more: their
/// places across at the band's middle, and the lowest of their tops. A table whose header is
/// printed on a dark band has no rule across at the band's foot, and its rules down begin
/// there (generated scan 9805's page 12: the band from the rule above the table's heading to
/// the one under its first row, a grey row, was read as one cell, heading and header with
/// it, and the row lost every cell). (A band's rules down that begin a few points apart
/// are one table's, the page's skew.)
fn rules_down_begun_inside(
    down: &[Rule],
    (left, right, top, bottom): (f32, f32, f32, f32),
) -> Option<(Vec<f32>, f32)> {
    let begun: Vec<&Rule> = down
        .iter()
        .filter(|r| r.y0 > top + 4. && r.y0 < bottom - 6. && r.y1 >= bottom - 4.)
        .filter(|r| {
            let x = r.x_at((r.y0 + bottom) / 2.);
            x > left - 4. && x < right + 4.
        })
        .collect();
    let lowest = begun.iter().map(|r| r.y0).fold(f32::MIN, f32::max);
    let highest = begun.iter().map(|r| r.y0).fold(f32::MAX, f32::min);
    if begun.len() < 2 || lowest - highest > 6. {
        return None;
    }
    let middle = (lowest + bottom) / 2.;
    Some((begun.iter().map(|r| r.x_at(middle)).collect(), lowest))
}

/// The median size of the words in a band (left, right, top, bottom): half of it (and
/// [`MIN_WHITE`]) is the narrowest white between two of its columns.
fn median_size(page: &PageWords, (left, right, top, bottom): (f32, f32, f32, f32)) -> f32 {
    let mut sizes: Vec<f32> = page
        .words
        .iter()
        .filter(|w| in_band(w, left, right, top, bottom))
        .map(|w| w.size)
        .collect();
    if sizes.is_empty() {
        // (No words: the narrowest white is [`MIN_WHITE`].)
        return 0.;
    }
    let n = sizes.len();
    *sizes.select_nth_unstable_by(n / 2, f32::total_cmp).1
}

/// Page units to the image's pixels (the placement scales and shifts only).
pub(super) fn to_pixels(placement: &Placement, x: f32, y: f32) -> (f32, f32) {
    (
        (x - placement.e as f32) / placement.a as f32,
        (y - placement.f as f32) / placement.d as f32,
    )
}

/// The cuts (page units) of a band between two rules across that stand in white the image
/// shows at least `least` pixels wide ([`white_near`], ink darker than `ink`), each moved to the middle
/// of that white: a column's edge, not a title's word space, nor a cut through letters its
/// layer's word boxes left out. The white is looked for between the rules at the cut,
/// `margin` pixels clear of their ink (a scan's skew moves them down across the page).
fn cuts_in_white(
    gray: &Gray,
    placement: &Placement,
    (above, below): (&Rule, &Rule),
    cuts: &[f32],
    (ink, least): (u8, f32),
    margin: usize,
) -> Vec<f32> {
    cuts.iter()
        .filter_map(|&x| {
            let (px, top) = to_pixels(placement, x, above.y_at(x));
            let (_, bottom) = to_pixels(placement, x, below.y_at(x));
            let rows =
                (top.max(0.) as usize + margin)..(bottom.max(0.) as usize).saturating_sub(margin);
            let (from, to) = white_near(gray, ink, px.max(0.) as usize, least as usize, rows)?;
            let wide = (to - from) as f32 >= least;
            wide.then(|| placement.map(((from + to) / 2) as f64, 0.).0 as f32)
        })
        .collect()
}

/// The band between two rules across (page units): where both run across, and their heights
/// at its middle (left, right, top, bottom).
fn band_box(a: &Rule, b: &Rule) -> (f32, f32, f32, f32) {
    let (left, right) = (a.x0.max(b.x0), a.x1.min(b.x1));
    let mid = (left + right) / 2.;
    (left, right, a.y_at(mid), b.y_at(mid))
}

/// How far a band's cells reach across: from the leftmost of its rules' left ends to the
/// rightmost of their right ends. A faint rule is found without its end (generated scan
/// 8002's rule from 93 points, under a table from 60): cut to the shorter, the row's id cells
/// lost their first letters (`P102B`, `APO74`) and their rows ran into the next. (The
/// band's words, whose white parts its cells, are still those where both rules run: taken
/// as far as either, they moved the cuts of generated scan 7302's titles, `Batch 26` read
/// `Batch`.)
fn band_reach(a: &Rule, b: &Rule) -> (f32, f32) {
    (a.x0.min(b.x0), a.x1.max(b.x1))
}

/// Each band's cuts at the white between its words (the middles of its [`gaps`]) that
/// recur in half the page's other bands or more: there, the white between their words spans
/// the cut's place, moved as the page's skew moves a column's edge (the slope of its rules
/// across), give or take [`CUT_SLACK`]. A table's columns part every row at the same place; a
/// gap inside one row's title (`Updating` / `the threat assessment ...`, generated scan 7303)
/// parts that row only, and a cell cut there was read as two, its words in the wrong order.
/// (Any gap within 12 points of the cut was once enough: a title column, a gap every few
/// words, was then cut at most of its gaps, each word read alone and its last letter lost
/// at the cut, generated scan 7600's `Amendinc`, `Modificatior`.)
fn recurring_corridors(page: &PageWords) -> Vec<Vec<f32>> {
    let slope = rules_slope(&page.rules);
    // Each band's middle, its words' spans across, and its gaps.
    let bands: Vec<(f32, Vec<(f32, f32)>, Vec<(f32, f32)>)> = page
        .rules
        .windows(2)
        .map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            let (left, right, top, bottom) = band_box(a, b);
            let spans = page
                .words
                .iter()
                .filter(|w| in_band(w, left, right, top, bottom))
                .map(|w| (w.x0, w.x1))
                .collect();
            let gaps = gaps(&page.words, left, right, top, bottom);
            ((top + bottom) / 2., spans, gaps)
        })
        .collect();
    let others = bands
        .iter()
        .filter(|(_, spans, _)| !spans.is_empty())
        .count()
        .saturating_sub(1);
    bands
        .iter()
        .enumerate()
        .map(|(i, (y, _, cuts))| {
            cuts.iter()
                .map(|&(g0, g1)| (g0 + g1) / 2.)
                .filter(|&x| {
                    let recurs = bands
                        .iter()
                        .enumerate()
                        .filter(|&(j, (other_y, spans, _))| {
                            // A column's edge at `x` here stands at `there` in the other band,
                            // where no word may cross it (a row with an empty cell, or a band
                            // holding some of a row's lines, is white past its words).
                            let there = x - slope * (other_y - y);
                            j != i
                                && !spans.is_empty()
                                && !spans.iter().any(|&(x0, x1)| {
                                    x0 + CUT_SLACK < there && there < x1 - CUT_SLACK
                                })
                        })
                        .count();
                    recurs as f32 >= RECUR_SHARE * others as f32 && recurs >= 1
                })
                .collect()
        })
        .collect()
}

/// The median slope (down over across) of a page's rules across: a scan's skew.
fn rules_slope(rules: &[Rule]) -> f32 {
    let mut slopes: Vec<f32> = rules
        .iter()
        .filter(|r| r.x1 - r.x0 > 1.)
        .map(|r| (r.y1 - r.y0) / (r.x1 - r.x0))
        .collect();
    if slopes.is_empty() {
        return 0.;
    }
    let n = slopes.len();
    *slopes.select_nth_unstable_by(n / 2, f32::total_cmp).1
}

/// True for a word of some letters or digits whose middle stands in the band.
fn in_band(w: &Word, left: f32, right: f32, top: f32, bottom: f32) -> bool {
    (top..bottom).contains(&w.y_mid())
        && (left..right).contains(&w.x_mid())
        && w.text.chars().any(char::is_alphanumeric)
}

/// Where a band of a table ruled only between its rows (page units, `left..right` across,
/// `top..bottom` down) may be cut into cells: the gaps (from, to) between its words of half
/// an em (and [`MIN_CORRIDOR`]) or more that no word of the band crosses, left to right; a
/// cut stands in a gap's middle. (Generated scan 7300: its tables have rules across only, so
/// their cells kept the layer's words, `Enduring Change a (CoS) arrangements`, and a status
/// column shaded grey lost its words.) A band, not the whole table, so that a page's skew
/// does not close the gaps.
fn gaps(words: &[Word], left: f32, right: f32, top: f32, bottom: f32) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32, f32)> = words
        .iter()
        .filter(|w| in_band(w, left, right, top, bottom))
        .map(|w| (w.x0, w.x1, w.size))
        .collect();
    if spans.is_empty() {
        return Vec::new();
    }
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let mut reach = spans[0].1;
    for &(x0, x1, size) in &spans[1..] {
        // (Six points at least: a layer set at half its glyphs' size, generated scan 7303,
        // would part a title's words, each then read alone and worse, `into` as `intc`.)
        if x0 - reach >= (0.5 * size).max(MIN_CORRIDOR) {
            out.push((reach, x0));
        }
        reach = reach.max(x1);
    }
    out
}

/// The widest run of the image's pixel columns that hold no ink in `rows` (pixels darker
/// than `ink`, two at least one above the other; a column with a speck or two is white) and reach into `x - reach ..=
/// x + reach`: (from, to), the first column past it on each side. The layer's word boxes
/// are tighter than the printed words and a little off their ink: a cut placed between them
/// by the boxes alone ran through letters (`WAN` read `WAI`, generated scan 7600) or stood
/// at the edge of a date's ink (scan 7402).
fn white_near(
    gray: &Gray,
    ink: u8,
    x: usize,
    reach: usize,
    rows: std::ops::Range<usize>,
) -> Option<(usize, usize)> {
    if rows.is_empty() || x >= gray.width {
        return None;
    }
    let rows = rows.start.min(gray.height)..rows.end.min(gray.height);
    // Ink is two dark pixels one above the other at least: a scan's noise is single specks
    // (at 300 dpi a band 50 pixels high had one or more in most columns of its white).
    let dark = |x: usize, y: usize| gray.pixels[y * gray.width + x] < ink;
    let white = |c: usize| {
        rows.clone()
            .filter(|&y| {
                dark(c, y) && ((y > 0 && dark(c, y - 1)) || (y + 1 < gray.height && dark(c, y + 1)))
            })
            .count()
            <= 2
    };
    let window = x.saturating_sub(reach)..(x + reach + 1).min(gray.width);
    let mut best: Option<(usize, usize)> = None;
    let mut c = window.start;
    while c < window.end {
        if !white(c) {
            c += 1;
            continue;
        }
        let from = (0..c).rev().find(|&k| !white(k)).map_or(0, |k| k + 1);
        let to = (c + 1..gray.width)
            .find(|&k| !white(k))
            .unwrap_or(gray.width);
        if best.is_none_or(|(f, t)| to - from > t - f) {
            best = Some((from, to));
        }
        c = to + 1;
    }
    best
}

/// True where a cell holds ink: a dozen pixels darker than its background by a fifth. (By a
/// third, a greyed-out row's cells held none: generated scan 9805's row 0139, its text some
/// 50 below a grey paper, was never read again.)
fn inked(gray: &Gray, c: &Cell) -> bool {
    let mut levels: Vec<u8> = (c.y0..c.y1)
        .flat_map(|y| (c.x0..c.x1).map(move |x| (x, y)))
        .map(|(x, y)| c.pixel(gray, x, y))
        .collect();
    let n = levels.len();
    let (_, &mut paper, _) = levels.select_nth_unstable(n / 2);
    let ink = (paper as u32 * 4 / 5) as u8;
    levels.iter().filter(|&&p| p < ink).count() >= 12
}

/// The cells stacked into one gray image (a PGM), a gap of the page's paper around each;
/// each cell's top in it. In a cell whose `rules_cleared` is true, a rule across it
/// ([`is_rule_row`]) is whitened, its edges with it. (Gaps of white around a grey scan's cells: tesseract's threshold
/// then falls between the white and the grey paper, and the cells read as black boxes.)
fn mosaic(
    gray: &Gray,
    cells: &[Cell],
    rules_cleared: &[bool],
    grey_ink: GreyInk,
) -> (Vec<u8>, Vec<usize>) {
    let gap = mosaic_gap(gray);
    let width = cells.iter().map(|c| c.x1 - c.x0).max().unwrap_or(0) + 2 * gap;
    let height: usize = cells.iter().map(|c| c.y1 - c.y0 + gap).sum::<usize>() + gap;
    let paper = gray.paper();
    let mut pixels = vec![paper; width * height];
    let mut offsets = Vec::with_capacity(cells.len());
    let mut top = gap;
    // A rule's edge rows, grey where it was scanned, go with it.
    let spread = (gray.dpi / 100.).ceil() as usize;
    for (k, c) in cells.iter().enumerate() {
        offsets.push(top);
        let cell_width = c.x1 - c.x0;
        let rules_cleared = rules_cleared.get(k).copied().unwrap_or(false);
        let mut rules = Vec::new();
        for y in c.y0..c.y1 {
            let at = (top + y - c.y0) * width + gap;
            let row = &mut pixels[at..at + cell_width];
            for (i, x) in (c.x0..c.x1).enumerate() {
                row[i] = c.pixel(gray, x, y);
            }
            if rules_cleared && is_rule_row(row, paper) {
                rules.push(y - c.y0);
            }
        }
        let rows = c.y1 - c.y0;
        for r in rules {
            for y in r.saturating_sub(spread)..(r + spread + 1).min(rows) {
                let at = (top + y) * width + gap;
                pixels[at..at + cell_width].fill(paper);
            }
        }
        if rules_cleared {
            whiten_rules_down(
                &mut pixels,
                (width, top, gap),
                (cell_width, rows),
                (paper, spread),
            );
        }
        let cell_rows = (top..top + rows).map(|y| y * width + gap..y * width + gap + cell_width);
        if grey_ink == GreyInk::Deepened {
            deepen_grey_ink(&mut pixels, cell_rows, paper);
        }
        top += rows + gap;
    }
    let mut pgm = format!("P5\n{width} {height}\n255\n").into_bytes();
    pgm.extend(pixels);
    (pgm, offsets)
}

/// The share of a cell's column of pixels that is ink where the column is a rule down it (a
/// table's border in a box cut from the page's left edge), not a stroke of a letter: a
/// letter's stroke is one line of text high, and a cell is padded above and below it.
const RULE_COLUMN_SHARE: f32 = 0.9;

/// Whitens the rules down a stacked cell (`cell_width` by `rows` pixels at row `top`, column
/// `left` of an image `width` wide), their edges with them: read with the table's border
/// down its middle, generated scan 9111's id cell `0099` read as `ws`.
fn whiten_rules_down(
    pixels: &mut [u8],
    (width, top, left): (usize, usize, usize),
    (cell_width, rows): (usize, usize),
    (paper, spread): (u8, usize),
) {
    let ink = paper.saturating_sub(RULE_INK);
    let least = (RULE_COLUMN_SHARE * rows as f32).ceil() as usize;
    let down: Vec<usize> = (0..cell_width)
        .filter(|&x| {
            (0..rows)
                .filter(|&y| pixels[(top + y) * width + left + x] < ink)
                .count()
                >= least.max(1)
        })
        .collect();
    for x in down {
        for dx in x.saturating_sub(spread)..(x + spread + 1).min(cell_width) {
            for y in 0..rows {
                pixels[(top + y) * width + left + dx] = paper;
            }
        }
    }
}

/// The paper left around each stacked cell (pixels): a fifth of an inch.
fn mosaic_gap(gray: &Gray) -> usize {
    (gray.dpi / 5.).ceil() as usize
}

/// How the stacked cells give tesseract a cell printed in grey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum GreyInk {
    /// As scanned: the cells OCR left unread, most of them ids (deepened, their specks grew
    /// with them: generated scan 9401's `60v2` was no longer read).
    AsScanned,
    /// Deepened to black text's contrast ([`deepen_grey_ink`]): a ruled table's cells.
    Deepened,
}

/// How much darker than the paper a cell's darkest ink (its [`INK_SHARE`] darkest pixels)
/// must be for the cell to hold ink at all, not only the scan's noise and specks.
const INK_CONTRAST: u8 = 25;

/// Below this contrast with the paper a cell's darkest ink is grey text (a greyed-out row);
/// black text scanned at 150 to 300 dpi stands some 100 below the paper.
const GREY_CONTRAST: u8 = 80;

/// The contrast a grey cell's darkest ink is deepened to.
const DEEPENED_CONTRAST: f32 = 110.;

/// The share of a cell's pixels taken as its darkest ink.
const INK_SHARE: f32 = 0.01;

/// A cell's grey ink made as dark as black text, each pixel's depth below the paper scaled
/// alike (at most fourfold). Tesseract reads the stacked cells at one level of ink for the
/// whole image, set by the black cells: a grey cell's strokes fell on both sides of it and
/// broke (generated scan 9705's greyed-out rows, ink 45 below a grey paper: `Working Group /
/// Terms of / Reference to a` read `Working Coleus / Panera oi / eae ara`; the cell alone read
/// as printed).
fn deepen_grey_ink(
    pixels: &mut [u8],
    rows: impl Iterator<Item = std::ops::Range<usize>> + Clone,
    paper: u8,
) {
    let mut counts = [0usize; 256];
    for row in rows.clone() {
        for &v in &pixels[row] {
            counts[v as usize] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let wanted = (total as f32 * INK_SHARE).ceil() as usize;
    let mut seen = 0;
    let Some(ink) = (0..256).find(|&v| {
        seen += counts[v];
        seen >= wanted.max(1)
    }) else {
        return;
    };
    let contrast = paper.saturating_sub(ink as u8);
    if !(INK_CONTRAST..GREY_CONTRAST).contains(&contrast) {
        return;
    }
    let scale = (DEEPENED_CONTRAST / contrast as f32).min(4.);
    for row in rows {
        for v in &mut pixels[row] {
            let depth = paper.saturating_sub(*v) as f32 * scale;
            *v = (paper as f32 - depth).max(0.) as u8;
        }
    }
}

/// How much darker than the paper a pixel is ink, for [`is_rule_row`].
const RULE_INK: u8 = 60;

/// The share of a cell's row of pixels that is ink where the row is a rule's or a dark
/// band's edge, not text: a line of text inks a third of its pixels at most.
const RULE_ROW_SHARE: f32 = 0.7;

/// Whether a row of a cell's pixels is a rule across it (or the edge of a header's dark band):
/// whitened before tesseract reads a cell cut where no rules were found (a ruled cell is cut
/// inside its rules; whitened there, the rows of a skewed rule's ends read as `-` between
/// words: generated image-only scan 8903's `Amendments to-the Anomaly`). One cut with the edge of a dark header band
/// above a grey first row moved tesseract's one level for the whole image below the grey,
/// and the row read as `Vo outstanding` and nothing else (generated scan 8801, page 11).
fn is_rule_row(row: &[u8], paper: u8) -> bool {
    let ink = paper.saturating_sub(RULE_INK);
    let dark = row.iter().filter(|&&v| v < ink).count();
    !row.is_empty() && dark as f32 >= RULE_ROW_SHARE * row.len() as f32
}

/// The words tesseract read in the stacked cells, each put back where its cell stands on the
/// page, tied to the page text line of the layer's word nearest it (the report model finds a
/// table's region by its lines), sized by its tesseract line's tallest box.
fn placed_words(
    read: &[TsvWord],
    cells: &[Cell],
    offsets: &[usize],
    placement: &Placement,
    layer: &PageWords,
) -> Vec<(usize, Word)> {
    let gap = offsets.first().copied().unwrap_or(0);
    let mut out: Vec<(usize, Word, (u32, u32, u32))> = Vec::new();
    for w in read.iter().filter(|w| !w.text.trim().is_empty()) {
        let mid = w.top + w.height / 2.;
        let Some(k) = offsets.iter().rposition(|&o| o as f32 <= mid) else {
            continue;
        };
        let c = &cells[k];
        let left = c.x0 as f32 + w.left - gap as f32;
        let top = c.y0 as f32 + w.top - offsets[k] as f32 + c.lean_at(left + w.width / 2.);
        let edge_marks = w.width * edge_marks_share(&w.text, w.left - gap as f32, w.height);
        let (x0, y0) = placement.map((left + edge_marks) as f64, top as f64);
        let (x1, y1) = placement.map((left + w.width) as f64, (top + w.height) as f64);
        let word = Word {
            text: w.text.as_str().into(),
            x0: x0 as f32,
            x1: x1 as f32,
            top: y0 as f32,
            bottom: y1 as f32,
            size: (y1 - y0) as f32,
            line: nearest_line(layer, page_box(placement, c), (y0 + y1) as f32 / 2.),
            confidence: w.conf.max(0.) / 100.,
        };
        out.push((k, word, (w.block, w.par, w.line)));
    }
    // A word's size: its tesseract line's tallest box, as a layer's font size.
    let mut sizes: std::collections::HashMap<(u32, u32, u32), f32> = Default::default();
    for (_, w, key) in &out {
        let size = sizes.entry(*key).or_insert(0.);
        *size = size.max(w.size);
    }
    out.into_iter()
        .map(|(k, mut w, key)| {
            w.size = sizes[&key];
            (k, w)
        })
        .collect()
}

/// The share of a word's box that quote marks at the cut edge of its cell take up: where
/// the word starts at the cell's left edge (`offset` from it, within half its box's height),
/// the quote marks it starts with, of its characters. tesseract reads the ink the cut left
/// at a cell's edge (a rule's remnant, the next cell's letters) as a quote glued to the
/// cell's first word, and boxes the word from there: generated scan 8803's title cell read
/// `"Demand` boxed from 89.6 points, where the layer has `Demand` from 102.9, and the
/// title's first line fell into the id column beside it; its `"13/07/2016` ran into the
/// title before it. The word keeps its text (a title can open with a quote); its box starts
/// where its letters do.
fn edge_marks_share(text: &str, offset: f32, height: f32) -> f32 {
    let is_mark = |c: char| matches!(c, '"' | '\'' | '‘' | '’' | '“' | '”' | '`');
    let marks = text.chars().take_while(|&c| is_mark(c)).count();
    let chars = text.chars().count();
    if marks == 0 || marks == chars || offset > 0.5 * height {
        return 0.;
    }
    marks as f32 / chars as f32
}

/// The page text line of the layer's word in the same cell (`cell`: x0, x1, top, bottom)
/// whose middle stands nearest `y`; where the layer had no word in the cell, of the word
/// nearest the cell's middle. (Nearest in height alone over the page would tie a word to a
/// line of another column: an OCR layer's lines run column by column.)
fn nearest_line(layer: &PageWords, cell: (f32, f32, f32, f32), y: f32) -> u32 {
    let (x0, x1, top, bottom) = cell;
    let inside = |w: &&Word| (x0..x1).contains(&w.x_mid()) && (top..bottom).contains(&w.y_mid());
    let (cx, cy) = ((x0 + x1) / 2., (top + bottom) / 2.);
    let distance = |w: &Word| (w.x_mid() - cx).hypot(w.y_mid() - cy);
    layer
        .words
        .iter()
        .filter(inside)
        .min_by(|a, b| (a.y_mid() - y).abs().total_cmp(&(b.y_mid() - y).abs()))
        .or_else(|| {
            layer
                .words
                .iter()
                .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        })
        .map_or(1, |w| w.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 40 x 20 cell on paper 230 whose first `inked` pixels of each row are at `ink`.
    fn cell_of_ink(ink: u8, inked: usize) -> Vec<u8> {
        let mut pixels = vec![230u8; 40 * 20];
        for row in pixels.chunks_mut(40) {
            row[..inked].fill(ink);
        }
        pixels
    }

    fn deepened(mut pixels: Vec<u8>) -> Vec<u8> {
        let rows = (0..20).map(|y| y * 40..y * 40 + 40);
        deepen_grey_ink(&mut pixels, rows, 230);
        pixels
    }

    #[test]
    fn a_grey_cells_ink_is_deepened_and_black_ink_and_specks_are_left() {
        // Generated scan 9705's greyed-out rows: ink some 45 below the paper, deepened to
        // black text's depth, the paper left as it is.
        let grey = deepened(cell_of_ink(185, 4));
        assert_eq!(grey[0], 120);
        assert_eq!(grey[39], 230);
        // Black text, and a cell of paper with a speck or two, are as scanned.
        assert_eq!(deepened(cell_of_ink(110, 4)), cell_of_ink(110, 4));
        let mut speck = cell_of_ink(230, 0);
        speck[5] = 100;
        assert_eq!(deepened(speck.clone()), speck);
        // Ink barely darker than the paper is the scan's noise: no ink to deepen.
        assert_eq!(deepened(cell_of_ink(215, 4)), cell_of_ink(215, 4));
    }

    #[test]
    fn a_quote_at_a_cells_cut_edge_is_no_part_of_its_words_box() {
        // Generated scan 8803: `"Demand` at the title cell's cut edge, 0 px in, 21 px high.
        assert!((edge_marks_share("\"Demand", 0., 21.) - 1. / 7.).abs() < 1e-6);
        assert!((edge_marks_share("“13/07/2016", 4., 21.) - 1. / 11.).abs() < 1e-6);
        // Inside the cell, a quote opens a quoted title: its box is the word's.
        assert_eq!(edge_marks_share("“Other", 40., 21.), 0.);
        // No mark, or a word that is all marks.
        assert_eq!(edge_marks_share("Demand", 0., 21.), 0.);
        assert_eq!(edge_marks_share("\"", 0., 21.), 0.);
    }

    #[test]
    fn a_row_of_pixels_inked_across_is_a_rule_and_a_line_of_text_is_not() {
        // Generated scan 8801, page 11: a cell cut with a dark header band's edge.
        let paper = 240;
        assert!(is_rule_row(&[30; 100], paper));
        let mut text = vec![paper; 100];
        for v in text.iter_mut().step_by(3) {
            *v = 20;
        }
        assert!(!is_rule_row(&text, paper));
        // Grey shading behind a cell is paper, to a rule.
        assert!(!is_rule_row(&[200; 100], paper));
        assert!(!is_rule_row(&[], paper));
    }

    #[test]
    fn a_rule_down_a_cell_is_whitened_and_a_letters_stroke_is_not() {
        // Generated scan 9111's id cell, cut from the page's left edge: the table's border
        // down its middle (column 10), and a `1` one line of text high (column 20).
        let (paper, width, rows) = (240u8, 30usize, 20usize);
        let mut pixels = vec![paper; width * rows];
        for y in 0..rows {
            pixels[y * width + 10] = 20;
        }
        for y in 6..14 {
            pixels[y * width + 20] = 20;
        }
        whiten_rules_down(&mut pixels, (width, 0, 0), (width, rows), (paper, 1));
        let column = |x: usize| (0..rows).map(|y| pixels[y * width + x]).collect::<Vec<_>>();
        assert!(column(10)
            .iter()
            .chain(&column(9))
            .chain(&column(11))
            .all(|&v| v == paper));
        assert_eq!(column(20).iter().filter(|&&v| v == 20).count(), 8);
    }

    /// Words at (x, top) with `width`, 10 points high.
    fn word(x: f32, top: f32, width: f32) -> Word {
        Word {
            text: "word".into(),
            x0: x,
            x1: x + width,
            top,
            bottom: top + 10.,
            size: 10.,
            line: 1,
            confidence: 1.,
        }
    }

    fn across(y: f32) -> Rule {
        Rule {
            x0: 50.,
            y0: y,
            x1: 550.,
            y1: y,
        }
    }

    #[test]
    fn a_band_runs_as_far_as_either_of_its_rules() {
        // Generated scan 8002: the rule under a row found from 93 points, the table's from
        // 50 (`across`); the band from 50, so that the row's ids are in its cells.
        let (a, b) = (across(100.), across(120.));
        let b = Rule { x0: 93., ..b };
        assert_eq!(band_reach(&a, &b), (50., 550.));
        let (left, right, top, bottom) = band_box(&a, &b);
        assert_eq!((left, right, top, bottom), (93., 550., 100., 120.));
    }

    #[test]
    fn a_bands_rules_down_begun_together_inside_it_part_its_cells_from_there() {
        // Generated scan 9805's page 12: from the rule under the table above (117) to the
        // one under the first row (259), the table's heading, its header on a dark band
        // (no rule at its foot) and the row; the table's rules down begin at the band's
        // foot, 224 to 228 as the page leans.
        let down = |x: f32, y0: f32| Rule {
            x0: x,
            y0,
            x1: x,
            y1: 507.,
        };
        let band = (50., 550., 117., 259.);
        let rules = [down(48., 224.), down(112., 225.), down(254., 228.)];
        let (xs, top) = rules_down_begun_inside(&rules, band).expect("begun inside");
        assert_eq!((xs, top), (vec![48., 112., 254.], 228.));
        // One rule down alone, or rules begun far apart, are no table's top.
        assert_eq!(rules_down_begun_inside(&rules[..1], band), None);
        let apart = [down(48., 160.), down(112., 225.)];
        assert_eq!(rules_down_begun_inside(&apart, band), None);
        // Rules down that stop above the band's foot are another table's.
        let short = [
            Rule {
                y1: 240.,
                ..rules[0]
            },
            Rule {
                y1: 240.,
                ..rules[1]
            },
        ];
        assert_eq!(rules_down_begun_inside(&short, band), None);
    }

    #[test]
    fn a_grey_rows_cell_holds_ink_and_a_cell_of_paper_does_not() {
        // Generated scan 9805's row 0139: text some 50 below a grey paper of 230.
        let (width, height) = (60, 20);
        let mut pixels = vec![230u8; width * height];
        let gray = |pixels: Vec<u8>| Gray {
            width,
            height,
            pixels,
            dpi: 100.,
        };
        let cell = Cell {
            x0: 0,
            y0: 0,
            x1: width,
            y1: height,
            shear: 0.,
            band: Band {
                x: 30.,
                top: 0.,
                bottom: 20.,
                slope: 0.,
            },
        };
        assert!(!inked(&gray(pixels.clone()), &cell));
        for y in 5..12 {
            pixels[y * width + 10..y * width + 30].fill(180);
        }
        assert!(inked(&gray(pixels), &cell));
    }

    #[test]
    fn cells_too_many_for_one_image_are_stacked_in_several() {
        // Generated scan 9602's page 11 at 300 dpi: 90 cells stacked 32,852 pixels tall,
        // which tesseract refused.
        let cell = |rows: usize| Cell {
            x0: 0,
            y0: 0,
            x1: 100,
            y1: rows,
            shear: 0.,
            band: Band {
                x: 0.,
                top: 0.,
                bottom: 0.,
                slope: 0.,
            },
        };
        let cells = vec![cell(300); 90];
        let stacked = stacks(&cells, 60);
        assert_eq!(stacked, [0..83, 83..90]);
        for stack in &stacked {
            assert!(60 + stack.len() * 360 <= MOSAIC_TALLEST);
        }
        assert_eq!(stacks(&cells[..3], 60), [0..3]);
        assert!(stacks(&[], 60).is_empty());
    }

    #[test]
    fn a_band_is_cut_where_no_word_crosses_the_white() {
        // An id, a title wrapped over two lines, a status: the white between the title's
        // words (3 points) cuts nothing, the columns' (10 points and more) do.
        let words = [
            word(60., 105., 20.),
            word(100., 105., 40.),
            word(143., 105., 30.),
            word(100., 118., 60.),
            word(190., 105., 50.),
        ];
        assert_eq!(
            gaps(&words, 50., 550., 100., 130.),
            [(80., 100.), (173., 190.)]
        );
        // No word in the band: no gaps.
        assert!(gaps(&words, 50., 550., 200., 230.).is_empty());
    }

    #[test]
    fn only_cuts_that_recur_in_the_other_bands_part_cells() {
        // Three rows: id | title | status, the columns' white at about 90 and 181 in each
        // (a page's skew moves them a little); the second row's title has a gap of its own
        // at 130 (`Updating` / `the threat assessment`, generated scan 7303).
        let mut words = Vec::new();
        for (row, drift) in [(0., 0.), (1., 2.), (2., 4.)] {
            let top = 105. + 40. * row;
            words.push(word(60. + drift, top, 20.));
            words.push(word(100. + drift, top, 60.));
            words.push(word(190. + drift, top, 50.));
        }
        words[4] = word(100. + 2., 145., 20.);
        words.push(word(140. + 2., 145., 20.));
        let page = PageWords {
            width: 600.,
            height: 800.,
            words,
            rules: vec![across(100.), across(140.), across(180.), across(220.)],
            column_rules: Vec::new(),
        };
        let cuts = recurring_corridors(&page);
        assert_eq!(cuts.len(), 3);
        for band in &cuts {
            assert_eq!(band.len(), 2, "{cuts:?}");
        }
        assert!(cuts[1].iter().all(|&x| (x - 131.).abs() > 5.), "{cuts:?}");
    }

    #[test]
    fn a_cut_stands_in_the_white_the_image_shows_not_between_word_boxes() {
        // A 100 dpi strip of paper: ink at columns 10..40 and 44..70 (a word space of 4
        // pixels, 3 points) and 90..120 (a column's edge, 20 pixels: 14 points), a rule
        // across its top rows, and a speck of noise in the column gap.
        let (width, height) = (130, 30);
        let mut pixels = vec![240u8; width * height];
        for y in 0..height {
            for x in (10..40).chain(44..70).chain(90..120) {
                if (8..22).contains(&y) {
                    pixels[y * width + x] = 30;
                }
            }
        }
        for x in 0..3 * width {
            pixels[x] = 30;
        }
        pixels[15 * width + 80] = 30;
        let gray = Gray {
            width,
            height,
            pixels,
            dpi: 100.,
        };
        let rows = 4..26;
        assert_eq!(white_near(&gray, 192, 80, 0, rows.clone()), Some((70, 90)));
        assert_eq!(white_near(&gray, 192, 42, 0, rows.clone()), Some((40, 44)));
        // Through a letter: no white there; the widest white within reach of it.
        assert_eq!(white_near(&gray, 192, 50, 0, rows.clone()), None);
        assert_eq!(white_near(&gray, 192, 50, 25, rows.clone()), Some((70, 90)));
        assert_eq!(white_near(&gray, 192, 50, 8, rows.clone()), Some((40, 44)));
        // The rule's rows are ink all across.
        assert_eq!(white_near(&gray, 192, 80, 0, 0..26), None);
    }

    /// Rules across from x 50 to `x1` at `slope` (down over across), `n` rows 40 points apart.
    fn sloped_rows(n: usize, slope: f32, x1: f32) -> Vec<Rule> {
        (0..=n)
            .map(|k| {
                let y = 100. + 40. * k as f32;
                Rule {
                    x0: 50.,
                    y0: y,
                    x1,
                    y1: y + (x1 - 50.) * slope,
                }
            })
            .collect()
    }

    #[test]
    fn a_title_columns_gaps_near_each_other_from_row_to_row_cut_no_title() {
        // Generated scan 7600: the titles' word gaps (7 points) stand 10 points apart from
        // one row to the next; cut there, each word was read alone and lost its last letter.
        let mut words = Vec::new();
        for row in 0..5 {
            let top = 105. + 40. * row as f32;
            let gap_at = 130. + 10. * row as f32;
            words.push(word(60., top, 20.));
            words.push(word(100., top, gap_at - 100.));
            words.push(word(gap_at + 7., top, 200. - gap_at - 7.));
            words.push(word(250., top, 40.));
        }
        let page = PageWords {
            width: 600.,
            height: 800.,
            words,
            rules: sloped_rows(5, 0., 550.),
            column_rules: Vec::new(),
        };
        for band in recurring_corridors(&page) {
            assert_eq!(band, [90., 225.]);
        }
    }

    #[test]
    fn a_skewed_pages_column_edges_recur_where_its_rules_slope_puts_them() {
        // 3 degrees: a column edge moves 1 point left for each 19 down, 19 over the table,
        // and a row's words and rules drop 1 point for each 19 across; the white between the
        // dates' columns is 8 points wide, so that unlevelled, an edge would recur in the
        // three bands nearest it only.
        let slope = 3f32.to_radians().tan();
        let mut words = Vec::new();
        for row in 0..10 {
            let top = 105. + 40. * row as f32;
            let shift = -slope * (top - 105.);
            for (x, width) in [(60., 20.), (100., 60.), (200., 40.), (248., 40.)] {
                let x = x + shift;
                words.push(word(x, top + slope * (x - 50.), width));
            }
        }
        let rules = sloped_rows(10, slope, 300.);
        let page = PageWords {
            width: 600.,
            height: 800.,
            words,
            rules,
            column_rules: Vec::new(),
        };
        for band in recurring_corridors(&page) {
            assert_eq!(band.len(), 3, "{band:?}");
        }
    }

    /// A cell of an image of 1 pixel a point (`Placement::full_page` at 72 dpi) between rules
    /// at `top` and `bottom` at its middle, falling `slope` for each point across.
    fn leaning_cell(x0: usize, x1: usize, (top, bottom): (f32, f32), slope: f32) -> Cell {
        let x = (x0 + x1) as f32 / 2.;
        Cell {
            x0,
            y0: top as usize + 1,
            x1,
            y1: bottom as usize - 1,
            shear: slope,
            band: Band {
                x,
                top,
                bottom,
                slope,
            },
        }
    }

    #[test]
    fn a_skewed_cell_is_read_along_its_rules() {
        // A line of ink 6 pixels high falling 1 pixel in 20 across a cell 200 wide: at its
        // ends it stands 5 pixels above and below where it crosses the middle.
        let (width, height) = (220, 40);
        let mut pixels = vec![240u8; width * height];
        let slope = 0.05;
        for x in 10..210 {
            let mid = 20. + slope * (x as f32 - 110.);
            for y in (mid - 3.).round() as usize..(mid + 3.).round() as usize {
                pixels[y * width + x] = 20;
            }
        }
        let gray = Gray {
            width,
            height,
            pixels,
            dpi: 72.,
        };
        let cell = leaning_cell(10, 210, (12., 28.), slope);
        // Read along its rules, the line stands on the same rows of the cell at both ends.
        let inked_rows = |x: usize| -> Vec<usize> {
            (cell.y0..cell.y1)
                .filter(|&row| cell.pixel(&gray, x, row) < 128)
                .collect()
        };
        assert_eq!(inked_rows(12), inked_rows(208));
        assert_eq!(inked_rows(110), (17..23).collect::<Vec<_>>());
        // Cut as the upright box inside both rules (rows 17..23: the top rule's height at
        // the right end, the bottom's at the left), the line's left end stands above it:
        // five of its six rows lost.
        let ink = |x: usize, y: usize| gray.pixels[y * width + x] < 128;
        assert!((12..17).all(|y| ink(12, y)));
        assert_eq!((17..23).filter(|&y| ink(12, y)).count(), 1);
        // A word of the layer at the cell's right end, below the box's bottom row at the
        // middle, stands between its rules.
        assert!(cell.band.holds(200., 26.));
        assert!(!cell.band.holds(20., 26.));
    }

    fn layer_word(text: &str, x: f32, confidence: f32) -> Word {
        Word {
            text: text.into(),
            confidence,
            ..word(x, 15., 8. * text.len() as f32)
        }
    }

    #[test]
    fn a_sure_word_read_again_where_the_layer_has_none_fills_that_blank() {
        let placement = Placement::full_page(600, 200, 600., 200.);
        let cells = [leaning_cell(150, 300, (10., 30.), 0.)];
        // Generated scan 8001: the layer lost the `Type` column; the cell cut from the white
        // before it read `PA 22 Jun 17`, its date at 0.42 (the cell unsure: its layer's date
        // stays), `PA` at 0.97 where the layer has nothing. A sure word over a layer's word,
        // and an unsure one in a blank, add nothing.
        let mut page = PageWords::new(
            600.,
            200.,
            vec![layer_word("22", 220., 1.), layer_word("Jun", 240., 1.)],
        );
        let placed = vec![
            (0, layer_word("PA", 160., 0.97)),
            (0, layer_word("22", 221., 0.9)),
            (0, layer_word("Jvn", 241., 0.42)),
            (0, layer_word("17", 275., 0.42)),
        ];
        replace_sure_cells(&mut page, &cells, placed, &placement);
        let kept: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(kept, ["22", "Jun", "PA"]);
    }

    #[test]
    fn a_lone_mark_of_the_layer_the_cells_second_read_does_not_bear_out_is_a_speck() {
        let placement = Placement::full_page(600, 200, 600., 200.);
        let cells = [
            leaning_cell(50, 150, (10., 30.), 0.),
            leaning_cell(300, 400, (10., 30.), 0.),
        ];
        // Generated scan 8102: `SECMP0030` and a rule's edge read as `7`; read again,
        // `SECMP0030` alone, at 0.77 (not sure enough to replace the cell). Beside it, a
        // real `7` the second read garbled (`J` at 0.52): kept.
        let mut page = PageWords {
            width: 600.,
            height: 200.,
            words: vec![
                layer_word("SECMP0030", 55., 1.),
                layer_word("7", 135., 1.),
                layer_word("7", 305., 1.),
            ],
            rules: Vec::new(),
            column_rules: Vec::new(),
        };
        let placed = vec![
            (0, layer_word("SECMP0030", 56., 0.77)),
            (1, layer_word("J", 306., 0.52)),
        ];
        replace_sure_cells(&mut page, &cells, placed, &placement);
        let kept: Vec<(&str, f32)> = page.words.iter().map(|w| (w.text.as_str(), w.x0)).collect();
        assert_eq!(kept, [("SECMP0030", 55.), ("7", 305.)]);
    }

    #[test]
    fn a_layers_lone_letter_or_dash_between_two_words_of_its_line_is_a_word() {
        // Generated scans 9400 and 9700: the title cell's second read, unsure, bore out
        // `Section` and `Review:` but made the `D` between them `v`; the layer's `D`, and
        // its `-` between `L` and `SMKI`, are words, not specks. A `7` past the cell's last
        // word, a rule's edge, is still a speck.
        let placement = Placement::full_page(600, 200, 600., 200.);
        let cells = [leaning_cell(50, 400, (10., 30.), 0.)];
        let words = vec![
            layer_word("Section", 55., 1.),
            layer_word("D", 116., 1.),
            layer_word("Review:", 129., 1.),
            layer_word("L", 190., 1.),
            layer_word("-", 203., 1.),
            layer_word("SMKI", 216., 1.),
            layer_word("7", 300., 1.),
        ];
        let mut page = PageWords {
            width: 600.,
            height: 200.,
            words,
            rules: Vec::new(),
            column_rules: Vec::new(),
        };
        let placed = vec![
            (0, layer_word("Section", 55., 0.7)),
            (0, layer_word("v", 116., 0.1)),
            (0, layer_word("Review:", 129., 0.7)),
        ];
        replace_sure_cells(&mut page, &cells, placed, &placement);
        let kept: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(kept, ["Section", "D", "Review:", "L", "-", "SMKI"]);
    }

    #[test]
    fn a_word_read_again_that_a_layers_word_runs_across_the_cells_edge_over_is_a_piece() {
        // Generated scan 8402: a title cell cut inside its column at x 200; read again, its
        // last word is `outc`, where the layer's `outcomes:` runs on past the cut.
        let placement = Placement::full_page(600, 200, 600., 200.);
        let cells = [leaning_cell(100, 200, (10., 30.), 0.)];
        let mut page = PageWords {
            width: 600.,
            height: 200.,
            words: vec![
                layer_word("Phase", 100., 1.),
                layer_word("outcomes:", 180., 1.),
            ],
            rules: Vec::new(),
            column_rules: Vec::new(),
        };
        let placed = vec![
            (0, layer_word("Phase", 101., 0.95)),
            (0, layer_word("outc", 180., 0.92)),
        ];
        replace_sure_cells(&mut page, &cells, placed, &placement);
        let mut kept: Vec<(&str, f32)> =
            page.words.iter().map(|w| (w.text.as_str(), w.x0)).collect();
        kept.sort_by(|a, b| a.1.total_cmp(&b.1));
        assert_eq!(kept, [("Phase", 101.), ("outcomes:", 180.)]);
    }
}

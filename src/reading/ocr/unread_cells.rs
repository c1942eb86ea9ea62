//! Cells the report model could not read on an OCR'd page, read again from the page image.
//!
//! An OCR layer is read from the whole page at once: a table's light grey rows come back as
//! words that are no words (generated scan 8300, page 11: the ids `0139`, `0144`, `0149`
//! printed in grey read `poe`, `sae`, `Pay`), while the same ink cut out alone and given to
//! tesseract reads as printed. The report model knows which cells it could not read and where
//! they stand ([`UnreadCell`]: a row's id cell; and the empty cells of a row that lost its
//! title or status, in the white around the row, whose words are added where the layer has
//! none: generated scan 8801's grey row `0184`); each is cut from the image inside the page's
//! rules, all of a page's cells stacked into one image and read by one tesseract run
//! ([`read_cells`], as the ruled cells are), and what tesseract reads there replaces the
//! layer's words in the cell.

use lopdf::{Document, ObjectId};

use super::cells::ScanDocument;
use super::cells::{
    page_box, page_image, read_cells, scan_document, to_pixels, Band, Cell, GreyInk, SURE,
};
use super::tsv::Placement;
use super::OcrOptions;
use crate::reading::isolate::contain;
use crate::reading::words::{CellReading, PageWords, UnreadCell, Word};
use crate::reading::PageTexts;

/// How far (points) a cell's box is taken above and below the row the model read: its rows
/// are levelled for the page's skew, a point or two off at the page's left edge.
const PAD_DOWN: f32 = 3.;

/// How far (points) a cell is kept inside a rule down that crosses its box: the rule's ink,
/// which tesseract reads as `|` or `l` beside an id.
const RULE_CLEAR: f32 = 2.;

/// How near (points) a word read again may end to its box's right edge before the box is
/// taken to cut through it.
const CUT_THROUGH: f32 = 1.;

/// The narrowest a cell's column may be (points): a rule down nearer its right edge than this
/// is its right border.
const CELL_LEAST: f32 = 10.;

/// Whether a cell read so is read on a page ruled between its rows (`ruled`) or not.
fn read_on(reading: CellReading, ruled: bool) -> bool {
    match reading {
        CellReading::Replace | CellReading::ReplaceWhereSure => true,
        CellReading::ReplaceWhereRuled => ruled,
        CellReading::ReplaceWhereUnruled | CellReading::Fill => !ruled,
    }
}

/// The lowest confidence (0..1) of a word read again in a cell for it to replace the
/// layer's: below it the cell was ink tesseract could not read either.
const READ_AGAIN_SURE: f32 = 0.5;

/// Reads again `cells` (unread cells of the report's pages) from the pages' images, in place
/// in `texts.words`; how many cells' words were replaced. Nothing happens with `--ocr never`,
/// without tesseract, or where a page's image is not one secreg decodes.
pub fn reread_unread_cells(
    bytes: &[u8],
    texts: &mut PageTexts,
    cells: &[UnreadCell],
    options: &OcrOptions,
) -> usize {
    if cells.is_empty() {
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
    let mut replaced = 0;
    for (i, id) in pages.into_iter().enumerate() {
        let page_cells: Vec<UnreadCell> = cells
            .iter()
            .filter(|c| c.page as usize == i + 1)
            .copied()
            .collect();
        let Some(words) = texts.words.get_mut(i) else {
            continue;
        };
        let ruled = words.rules.len() >= super::RULED_TABLE_RULES;
        let page_cells: Vec<UnreadCell> = page_cells
            .into_iter()
            .filter(|c| read_on(c.reading, ruled))
            .collect();
        if page_cells.is_empty() || words.words.is_empty() {
            continue;
        }
        let dir = &scratch.0;
        match contain(|| reread_page(&doc, id, words, &page_cells, i, dir, options)) {
            Ok(Ok(read)) if !read.is_empty() => {
                replaced += read.len();
                texts.notes.push(format!(
                    "page {}: {} table cell(s) OCR left unread read again from the image: {}",
                    i + 1,
                    read.len(),
                    read.join(", ")
                ));
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => texts
                .notes
                .push(format!("page {}: unread cells not read again: {e}", i + 1)),
            Err(panic) => texts.notes.push(format!(
                "page {}: unread cells not read again: crashed ({panic})",
                i + 1
            )),
        }
    }
    replaced
}

/// One page's unread cells read again; for each cell whose words were replaced, `"was" ->
/// "now"` (the layer's words and tesseract's, quoted as data).
fn reread_page(
    doc: &Document,
    page: ObjectId,
    words: &mut PageWords,
    unread: &[UnreadCell],
    index: usize,
    dir: &std::path::Path,
    options: &OcrOptions,
) -> Result<Vec<String>, String> {
    let Some(image) = page_image(doc, page)? else {
        return Ok(Vec::new());
    };
    let size = (image.gray.width, image.gray.height);
    let (cells, readings): (Vec<Cell>, Vec<CellReading>) = unread
        .iter()
        .filter_map(|c| Some((cell_in_image(c, words, &image.placement, size)?, c.reading)))
        .unzip();
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let path = dir.join(format!("unread-{}.pgm", index + 1));
    // The cells the layer left unread and those it may have garbled (its worded cells),
    // each kind read by a tesseract run of its own: read in one stack with twenty title
    // cells, generated scan 9600's grey id `0115` read `011s`, where alone with the page's
    // other id it reads `0115`.
    let mut placed = Vec::new();
    for worded in [false, true] {
        let group: Vec<usize> = (0..cells.len())
            .filter(|&k| (readings[k] == CellReading::ReplaceWhereSure) == worded)
            .collect();
        if group.is_empty() {
            continue;
        }
        let stacked: Vec<Cell> = group.iter().map(|&k| cells[k]).collect();
        // (Only a box in the white around a row is cut with a rule's or a dark band's edge.)
        let cleared: Vec<bool> = group
            .iter()
            .map(|&k| {
                matches!(
                    readings[k],
                    CellReading::Fill | CellReading::ReplaceWhereUnruled
                )
            })
            .collect();
        let cells_read = (&stacked[..], &cleared[..], GreyInk::AsScanned);
        let read = read_cells(&image, cells_read, words, &path, options)?;
        placed.extend(read.into_iter().map(|(k, w)| (group[k], w)));
    }
    let placement = image.placement;
    Ok(cells
        .iter()
        .zip(readings)
        .enumerate()
        .filter_map(|(k, (cell, reading))| {
            let new: Vec<Word> = placed
                .iter()
                .filter(|(c, _)| *c == k)
                .map(|(_, w)| w.clone())
                .collect();
            let cell_box = page_box(&placement, cell);
            match reading {
                CellReading::Fill => fill_cell_words(words, new),
                CellReading::ReplaceWhereSure => surer_than_before(words, cell_box, &new)
                    .then(|| replace_cell_words(words, cell_box, levelled(new)))
                    .flatten(),
                _ => replace_cell_words(words, cell_box, new),
            }
        })
        .collect())
}

/// An unread cell's box in the image's pixels: padded above and below by [`PAD_DOWN`], kept
/// [`RULE_CLEAR`] inside the page's rules down that cross it, within the image. `None` for a
/// box that comes to nothing.
fn cell_in_image(
    c: &UnreadCell,
    words: &PageWords,
    placement: &Placement,
    (width, height): (usize, usize),
) -> Option<Cell> {
    let (top, bottom) = (c.top - PAD_DOWN, c.bottom + PAD_DOWN);
    let middle = (top + bottom) / 2.;
    let (mut x0, mut x1) = (c.x0, c.x1);
    for rule in &words.column_rules {
        if rule.y1.min(bottom) - rule.y0.max(top) <= 0. {
            continue;
        }
        // A rule at the box's left edge (the column's own, where the columns are the rules)
        // starts it, and so does any but one at its right edge in a box run from the page's
        // left edge (the table's border); any other ends it (the column's own at its right
        // edge; the table's right border, where the last column's box runs to the page's
        // right edge: generated scan 9601's comments).
        let x = rule.x_at(middle);
        let starts = x < c.x0 + CELL_LEAST || (c.x0 <= 0. && x < c.x1 - CELL_LEAST);
        if x > x0 && starts {
            x0 = x0.max(x + RULE_CLEAR);
        } else if x > x0 && x < x1 {
            x1 = x1.min(x - RULE_CLEAR);
        }
    }
    let (px0, py0) = to_pixels(placement, x0, top);
    let (px1, py1) = to_pixels(placement, x1, bottom);
    let clamp = |v: f32, most: usize| (v.max(0.) as usize).min(most);
    let (px0, px1) = (clamp(px0, width), clamp(px1, width));
    let (py0, py1) = (clamp(py0, height), clamp(py1, height));
    (px1 > px0 + 4 && py1 > py0 + 4).then_some(Cell {
        x0: px0,
        y0: py0,
        x1: px1,
        y1: py1,
        shear: 0.,
        band: Band {
            x: (x0 + x1) / 2.,
            top,
            bottom,
            slope: 0.,
        },
    })
}

/// Whether a worded cell read again ([`CellReading::ReplaceWhereSure`]) reads better than
/// the page's words there: tesseract read every word of it that holds two letters or digits
/// or more [`SURE`] or surer (a speck read unsure, `.` or `'`, is no word lost), surer on the
/// whole than the page's words there were read where OCR read them with a confidence (a
/// layer's words are all 1, which no word tesseract reads is), and no word runs into the
/// box's right edge. Less sure, it reads grey print no better than the layer (generated scan
/// 9600's `Currently with Autnority ror. decision.`, `ror.` at 0.73, where the layer has the
/// comment whole); cut through a word, the box is narrower than its cell (generated scan
/// 9301's page 13, a title column read 40 points wide: `Publishir`).
fn surer_than_before(
    words: &PageWords,
    (x0, x1, top, bottom): (f32, f32, f32, f32),
    new: &[Word],
) -> bool {
    let mean = |confidences: &mut dyn Iterator<Item = f32>| {
        let (sum, n) = confidences.fold((0., 0), |(s, n), c| (s + c, n + 1));
        (n > 0).then(|| sum / n as f32)
    };
    let before = mean(
        &mut words
            .words
            .iter()
            .filter(|w| (x0..x1).contains(&w.x_mid()) && (top..bottom).contains(&w.y_mid()))
            .map(|w| w.confidence)
            .filter(|&c| c < 1.),
    );
    let now = mean(&mut new.iter().map(|w| w.confidence));
    let whole =
        |w: &Word| alphanumerics(w) < 2 || (w.confidence >= SURE && w.x1 < x1 - CUT_THROUGH);
    new.iter().all(whole) && now.is_some_and(|now| before.is_none_or(|before| now > before))
}

/// A cell's words read again, each line's set on one top and bottom (the line's), as a
/// layer sets its lines: tesseract boxes each word alone, `in` shorter than `customers`
/// beside it, and a table's row parts where its lines leave white.
fn levelled(mut new: Vec<Word>) -> Vec<Word> {
    new.sort_by(|a, b| a.y_mid().total_cmp(&b.y_mid()));
    let mut start = 0;
    while start < new.len() {
        // A line: the words whose middles stand within a third of a word's height of its
        // first word's (a group grown as tall as two lines took the next line's `premises`
        // into the line above: generated scan 9404's MP048).
        let first = &new[start];
        let (middle, height) = (first.y_mid(), first.bottom - first.top);
        let mut end = start + 1;
        while end < new.len() {
            let w = &new[end];
            if (w.y_mid() - middle).abs() > height.max(w.bottom - w.top) / 3. {
                break;
            }
            end += 1;
        }
        let top = new[start..end]
            .iter()
            .map(|w| w.top)
            .fold(f32::MAX, f32::min);
        let bottom = new[start..end]
            .iter()
            .map(|w| w.bottom)
            .fold(f32::MIN, f32::max);
        for w in &mut new[start..end] {
            (w.top, w.bottom) = (top, bottom);
        }
        start = end;
    }
    new.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
    new
}

/// How many letters and digits a word holds (one is a speck's).
fn alphanumerics(w: &Word) -> usize {
    w.text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// The words read again in a cell that tesseract read [`READ_AGAIN_SURE`] or surer; `None`
/// unless one of them holds two letters or digits or more (a speck, or nothing sure, leaves
/// the layer's words as they are).
fn sure_words(mut new: Vec<Word>) -> Option<Vec<Word>> {
    new.retain(|w| w.confidence >= READ_AGAIN_SURE);
    new.iter().any(|w| alphanumerics(w) >= 2).then_some(new)
}

/// Adds `new` (an empty cell's words read again, [`CellReading::Fill`]) to the page where the
/// layer has no word, each read [`READ_AGAIN_SURE`] or surer, where tesseract read a word of two
/// letters or digits or more; `"" -> "now"` when it did. Nothing of the layer's is taken out:
/// the cell's box is the white around its row, and on a skewed page its corners hold the
/// neighbouring rows' words (generated scan 8901, page 10: MP035's `Pending` read again as
/// `Pendina` in the box of the row below's lost status).
fn fill_cell_words(words: &mut PageWords, mut new: Vec<Word>) -> Option<String> {
    let overlaps = |a: &Word, b: &Word| {
        a.x0.max(b.x0) < a.x1.min(b.x1) && a.top.max(b.top) < a.bottom.min(b.bottom)
    };
    new.retain(|w| !words.words.iter().any(|old| overlaps(old, w)));
    let new = sure_words(new)?;
    let now: Vec<&str> = new.iter().map(|w| w.text.as_str()).collect();
    let change = format!("\"\" -> {:?}", now.join(" "));
    words.words.extend(new);
    Some(change)
}

/// Puts `new` (a cell's words read again) in place of the layer's words whose middles stand
/// in the cell's box (`x0, x1, top, bottom`), where tesseract read a word of two letters or
/// digits or more there, [`READ_AGAIN_SURE`] or surer; `"was" -> "now"` when it did. A word
/// read again less sure than that is left out: the feet of the line above a cell, or
/// the heads of the line below it, cut by its box (generated scan 8801, page 11: `PA eh ee`
/// at 0.12 to 0.21 under the title `Publication of DCC Service Management performance
/// reports`, read at 0.93 to 0.97).
fn replace_cell_words(
    words: &mut PageWords,
    (x0, x1, top, bottom): (f32, f32, f32, f32),
    new: Vec<Word>,
) -> Option<String> {
    let new = sure_words(new)?;
    let inside = |w: &Word| (x0..x1).contains(&w.x_mid()) && (top..bottom).contains(&w.y_mid());
    let was: Vec<&str> = words
        .words
        .iter()
        .filter(|w| inside(w))
        .map(|w| w.text.as_str())
        .collect();
    let now: Vec<&str> = new.iter().map(|w| w.text.as_str()).collect();
    if was == now {
        return None;
    }
    let change = format!("{:?} -> {:?}", was.join(" "), now.join(" "));
    words.words.retain(|w| !inside(w));
    words.words.extend(new);
    Some(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::words::Rule;

    fn word(text: &str, x0: f32, top: f32, confidence: f32) -> Word {
        Word {
            text: text.into(),
            x0,
            x1: x0 + 6. * text.len() as f32,
            top,
            bottom: top + 8.,
            size: 8.,
            line: 3,
            confidence,
        }
    }

    fn down(x: f32) -> Rule {
        Rule {
            x0: x,
            y0: 0.,
            x1: x,
            y1: 500.,
        }
    }

    #[test]
    fn an_id_cell_from_the_pages_edge_is_cut_inside_the_tables_border_and_its_columns_rule() {
        // Generated scan 8300: the id column from the page's edge to the title's, 96 points;
        // the table's border at 57 (right of the box's middle) was taken for its right edge,
        // and the cell cut was the margin, blank.
        let page = PageWords {
            column_rules: vec![down(57.), down(94.)],
            ..PageWords::new(600., 800., Vec::new())
        };
        let unread = UnreadCell {
            page: 1,
            x0: 0.,
            top: 190.,
            x1: 96.,
            bottom: 222.,
            reading: CellReading::Replace,
        };
        // One pixel a point.
        let placement = Placement::full_page(600, 800, 600., 800.);
        let cell = cell_in_image(&unread, &page, &placement, (600, 800)).unwrap();
        assert_eq!((cell.x0, cell.x1), (59, 92));
        assert_eq!((cell.y0, cell.y1), (187, 225));
        // No rules: the box as found, within the image.
        let bare = PageWords::new(600., 800., Vec::new());
        let cell = cell_in_image(&unread, &bare, &placement, (80, 800)).unwrap();
        assert_eq!((cell.x0, cell.x1), (0, 80));
    }

    #[test]
    fn a_worded_cell_read_again_replaces_the_layers_only_where_every_word_reads_sure_and_whole() {
        // Generated scan 9601's grey title, read from the layer as `Introducing a ~enbege`.
        let layer = PageWords::new(
            600.,
            800.,
            vec![
                word("Introducing", 100., 200., 1.),
                word("~enbege", 170., 200., 1.),
            ],
        );
        let cell = (95., 260., 190., 222.);
        let read = |words: &[(&str, f32, f32)]| -> Vec<Word> {
            words.iter().map(|&(t, x, c)| word(t, x, 201., c)).collect()
        };
        let sure = read(&[
            ("Introducing", 100., 0.96),
            ("a", 170., 0.97),
            ("Daily", 180., 0.95),
        ]);
        assert!(surer_than_before(&layer, cell, &sure));
        // A speck read unsure is no word lost.
        let speck = read(&[("Introducing", 100., 0.96), (".", 170., 0.3)]);
        assert!(surer_than_before(&layer, cell, &speck));
        // A word read less than sure (9600's `ror.` at 0.73), or one that runs into the box's
        // right edge (9301's `Publishir`, its column read too narrow), leaves the layer's.
        let unsure = read(&[("Currently", 100., 0.96), ("ror.", 170., 0.73)]);
        assert!(!surer_than_before(&layer, cell, &unsure));
        let cut = read(&[("Publishir", 206., 0.93)]);
        assert!(!surer_than_before(&layer, cell, &cut));
        // Words secreg's OCR read before are replaced only by surer ones.
        let ocrd = PageWords::new(600., 800., vec![word("Introducing", 100., 200., 0.97)]);
        assert!(!surer_than_before(&ocrd, cell, &sure));
    }

    #[test]
    fn a_cells_words_read_again_are_set_line_by_line_on_one_top_and_bottom() {
        let mut tall = word("customers", 100., 200., 0.9);
        tall.bottom = 210.;
        let short = word("in", 160., 202., 0.9);
        let below = word("scenarios", 100., 212., 0.9);
        let lines = levelled(vec![below, short, tall]);
        let placed: Vec<(&str, f32, f32)> = lines
            .iter()
            .map(|w| (w.text.as_str(), w.top, w.bottom))
            .collect();
        assert_eq!(
            placed,
            [
                ("customers", 200., 210.),
                ("in", 200., 210.),
                ("scenarios", 212., 220.)
            ]
        );
    }

    #[test]
    fn the_last_columns_cell_run_to_the_pages_edge_ends_at_the_tables_border() {
        // Generated scan 9601's comments: the box ran to the page's edge, and the table's
        // right border was taken for a border left of it (nothing was read).
        let page = PageWords {
            column_rules: vec![down(733.)],
            ..PageWords::new(842., 595., Vec::new())
        };
        let unread = UnreadCell {
            page: 1,
            x0: 652.,
            top: 90.,
            x1: f32::MAX,
            bottom: 150.,
            reading: CellReading::ReplaceWhereSure,
        };
        let placement = Placement::full_page(842, 595, 842., 595.);
        let cell = cell_in_image(&unread, &page, &placement, (842, 595)).unwrap();
        assert_eq!((cell.x0, cell.x1), (652, 731));
    }

    #[test]
    fn a_cell_read_again_replaces_the_layers_words_only_where_tesseract_read_it() {
        let layer = || {
            PageWords::new(
                600.,
                800.,
                vec![word("poe", 60., 200., 1.), word("SMETS1", 100., 200., 1.)],
            )
        };
        let cell = (55., 95., 190., 222.);
        let mut page = layer();
        let change = replace_cell_words(&mut page, cell, vec![word("0139", 60., 201., 0.96)]);
        assert_eq!(change.as_deref(), Some(r#""poe" -> "0139""#));
        let texts: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            ["SMETS1", "0139"],
            "the title's word outside the cell stays"
        );
        // A speck, or words tesseract is unsure of, leave the layer's.
        for new in [
            vec![word(";", 60., 201., 0.9)],
            vec![word("o1g1", 60., 201., 0.16)],
            Vec::new(),
        ] {
            let mut page = layer();
            assert_eq!(replace_cell_words(&mut page, cell, new), None);
            assert_eq!(page, layer());
        }
    }

    #[test]
    fn an_empty_cell_read_again_adds_its_sure_words_where_the_layer_has_none() {
        // Generated scan 8801, page 11: the grey row `0184`'s title cell, empty in the layer,
        // read again as its lines and `PA eh ee` (0.12 to 0.21), the heads of the next row's
        // title cut by the cell's foot. Scan 8901, page 10 (skewed): the box of a lost status
        // held the row above's `Pending`, read again as `Pendina`.
        let layer = || {
            PageWords::new(
                600.,
                800.,
                vec![word("0184", 10., 200., 1.), word("Pending", 100., 190., 1.)],
            )
        };
        let mut page = layer();
        let new = vec![
            word("Publication", 40., 200., 0.97),
            word("reports", 40., 210., 0.97),
            word("PA", 40., 219., 0.12),
            word("eh", 60., 219., 0.21),
            word("Pendina", 101., 192., 0.9),
        ];
        let change = fill_cell_words(&mut page, new);
        assert_eq!(change.as_deref(), Some(r#""" -> "Publication reports""#));
        let texts: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["0184", "Pending", "Publication", "reports"]);
        // Nothing sure, or only specks: the layer as it was.
        for new in [
            vec![word("Pendina", 101., 192., 0.9)],
            vec![word(";", 40., 201., 0.9)],
            vec![word("oana", 40., 201., 0.2)],
        ] {
            let mut page = layer();
            assert_eq!(fill_cell_words(&mut page, new), None);
            assert_eq!(page, layer());
        }
    }

    #[test]
    fn a_ruled_pages_cells_are_read_in_their_rows_and_an_unruled_pages_in_the_white_around() {
        use CellReading::*;
        assert!(read_on(Replace, true) && read_on(Replace, false));
        assert!(read_on(ReplaceWhereRuled, true) && !read_on(ReplaceWhereRuled, false));
        for reading in [ReplaceWhereUnruled, Fill] {
            assert!(!read_on(reading, true) && read_on(reading, false));
        }
    }
}

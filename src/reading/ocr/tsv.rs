//! tesseract's `tsv` output: each recognised word's box and confidence, read into a page's
//! text (one line the tesseract lines that share a baseline, a blank line between its
//! paragraphs) and its positioned words, each tied to its line of that text.

use compact_str::CompactString;

use crate::reading::baseline::{self, LineBox};
use crate::reading::words::{PageWords, Word};

/// One word as tesseract printed it (level 5 of its TSV), in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvWord {
    pub block: u32,
    pub par: u32,
    pub line: u32,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// 0..100; tesseract prints -1 for a box that holds no word.
    pub conf: f32,
    pub text: String,
}

/// The words of tesseract's TSV output, in its reading order. An output without TSV's header
/// (garbage, an error message) is an error; an output with the header and no word is a page
/// where tesseract found no text.
pub fn parse_tsv(output: &str) -> Result<Vec<TsvWord>, String> {
    let mut lines = output.lines();
    let header = lines.next().unwrap_or("");
    if !header.starts_with("level\tpage_num\tblock_num") {
        let start: String = output.chars().take(60).collect();
        return Err(format!(
            "tesseract's output is not its TSV (it starts with {start:?})"
        ));
    }
    let mut words = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.splitn(12, '\t').collect();
        if fields.len() < 11 {
            return Err(format!(
                "tesseract's TSV line {} has {} fields",
                n + 2,
                fields.len()
            ));
        }
        if fields[0] != "5" {
            continue;
        }
        let text = fields.get(11).copied().unwrap_or("").trim();
        if text.is_empty() {
            continue;
        }
        let int = |i: usize| -> Result<u32, String> {
            fields[i].trim().parse::<u32>().map_err(|_| {
                format!(
                    "tesseract's TSV line {} has {:?} for a number",
                    n + 2,
                    fields[i]
                )
            })
        };
        let num = |i: usize| -> Result<f32, String> {
            fields[i]
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "tesseract's TSV line {} has {:?} for a number",
                        n + 2,
                        fields[i]
                    )
                })
        };
        words.push(TsvWord {
            block: int(2)?,
            par: int(3)?,
            line: int(4)?,
            left: num(6)?,
            top: num(7)?,
            width: num(8)?,
            height: num(9)?,
            conf: num(10)?.clamp(0., 100.),
            text: text.to_string(),
        });
    }
    Ok(words)
}

/// Where an image's pixels stand on the page: page point (from the page's top-left corner,
/// y down, PDF units) = `(a x + c y + e, b x + d y + f)` for pixel `(x, y)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Placement {
    /// An image that fills a page of `width` x `height` units.
    pub fn full_page(pixels_w: u32, pixels_h: u32, width: f64, height: f64) -> Placement {
        Placement {
            a: width / pixels_w.max(1) as f64,
            b: 0.,
            c: 0.,
            d: height / pixels_h.max(1) as f64,
            e: 0.,
            f: 0.,
        }
    }

    /// The placement back: page units to the image's pixels (`None` for an image drawn
    /// flat, of no area).
    pub(crate) fn inverse(&self) -> Option<Placement> {
        let det = self.a * self.d - self.b * self.c;
        if det.abs() < 1e-12 {
            return None;
        }
        let (a, b, c, d) = (self.d / det, -self.b / det, -self.c / det, self.a / det);
        Some(Placement {
            a,
            b,
            c,
            d,
            e: -(a * self.e + c * self.f),
            f: -(b * self.e + d * self.f),
        })
    }

    pub(crate) fn map(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    /// A pixel box as a page box: (x0, x1, top, bottom).
    fn rect(&self, left: f32, top: f32, width: f32, height: f32) -> (f32, f32, f32, f32) {
        let (l, t, r, b) = (
            left as f64,
            top as f64,
            (left + width) as f64,
            (top + height) as f64,
        );
        let corners = [
            self.map(l, t),
            self.map(r, t),
            self.map(l, b),
            self.map(r, b),
        ];
        let xs = corners.iter().map(|c| c.0);
        let ys = corners.iter().map(|c| c.1);
        (
            xs.clone().fold(f64::INFINITY, f64::min) as f32,
            xs.fold(f64::NEG_INFINITY, f64::max) as f32,
            ys.clone().fold(f64::INFINITY, f64::min) as f32,
            ys.fold(f64::NEG_INFINITY, f64::max) as f32,
        )
    }
}

/// One OCR'd page: its text, its words, and the mean of its words' confidence (0..1; `None`
/// when it has no word).
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    pub text: String,
    pub words: PageWords,
    pub confidence: Option<f32>,
}

/// One of tesseract's lines: its block and paragraph, its words (indices into the page's
/// words, in reading order) and their extent in pixels.
#[derive(Debug, Clone)]
struct TessLine {
    block: u32,
    par: u32,
    words: Vec<usize>,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

/// tesseract's lines of a page, in its order.
fn tess_lines(words: &[TsvWord]) -> Vec<TessLine> {
    let mut lines: Vec<TessLine> = Vec::new();
    let mut last: Option<(u32, u32, u32)> = None;
    for (i, w) in words.iter().enumerate() {
        let key = (w.block, w.par, w.line);
        let (top, bottom, right) = (w.top, w.top + w.height, w.left + w.width);
        match lines.last_mut() {
            Some(line) if last == Some(key) => {
                line.words.push(i);
                line.top = line.top.min(top);
                line.bottom = line.bottom.max(bottom);
                line.left = line.left.min(w.left);
                line.right = line.right.max(right);
            }
            _ => lines.push(TessLine {
                block: w.block,
                par: w.par,
                words: vec![i],
                top,
                bottom,
                left: w.left,
                right,
            }),
        }
        last = Some(key);
    }
    lines
}

/// One tesseract line's words onto the page's text line `line_no` and its words, each sized
/// by the line's tallest box (not the row's: a table's row joined from its columns' blocks
/// would size a date by the title beside it, and the white between two dates would be less
/// than a space at that size: generated image-only scan 7900's four IA and PA dates read as
/// one cell).
fn push_line(
    line: &TessLine,
    words: &[TsvWord],
    placement: &Placement,
    line_no: u32,
    (text, out): (&mut String, &mut Vec<Word>),
) {
    let first = out.len();
    for (k, &i) in line.words.iter().enumerate() {
        let w = &words[i];
        if k > 0 {
            text.push(' ');
        }
        text.push_str(&w.text);
        let (x0, x1, top, bottom) = placement.rect(w.left, w.top, w.width, w.height);
        out.push(Word {
            text: CompactString::from(w.text.as_str()),
            x0,
            x1,
            top,
            bottom,
            size: bottom - top,
            line: line_no,
            confidence: w.conf / 100.,
        });
    }
    let size = line_size(&out[first..]);
    for w in &mut out[first..] {
        w.size = size;
    }
}

/// A tesseract line's size: its tallest word box, leaving out a box more than
/// [`TALL_BOX_OVER_MEDIAN`] times the line's middle height (a box tesseract stretched over
/// specks above or below its word: generated image-only scan 8700's `Withdrawn`, boxed 15
/// points high on a line of 7-point glyphs, sized the line twice the next one's pitch, and the
/// title's two lines beside it were read as one, their words interleaved).
fn line_size(words: &[Word]) -> f32 {
    let mut heights: Vec<f32> = words.iter().map(|w| w.size).collect();
    heights.sort_by(f32::total_cmp);
    let Some(&middle) = heights.get(heights.len() / 2) else {
        return 0.;
    };
    heights
        .into_iter()
        .filter(|&h| h <= TALL_BOX_OVER_MEDIAN * middle)
        .fold(middle, f32::max)
}

/// How much taller than its line's middle word box a box may be and still size the line (a
/// word with an ascender and a descender stands some 1.3 times the height of one without).
const TALL_BOX_OVER_MEDIAN: f32 = 1.6;

/// The page's lines as a reader sees them, top to bottom: tesseract's lines, where lines of
/// different blocks stand side by side on one baseline joined left to right
/// ([`crate::reading::baseline`]). tesseract may cut a table into a block a column (generated
/// image-only scan 7400's assessments: `Modification` / `SECMP0021` / ... then `Type` / `IA` /
/// ...): each row is then one line, as a text layer lays it out, and no row is lost for want of
/// its header's line.
fn rows_of_lines(lines: Vec<TessLine>) -> Vec<Vec<TessLine>> {
    let boxes: Vec<LineBox> = lines
        .iter()
        .map(|l| LineBox {
            top: l.top,
            bottom: l.bottom,
            left: l.left,
            right: l.right,
            group: l.block,
        })
        .collect();
    let mut lines: Vec<Option<TessLine>> = lines.into_iter().map(Some).collect();
    baseline::rows_of_lines(&boxes)
        .into_iter()
        .map(|row| row.into_iter().filter_map(|k| lines[k].take()).collect())
        .collect()
}

/// A page's text and words from tesseract's words: a line of text a row of tesseract's lines
/// on one baseline ([`rows_of_lines`]), a blank line between two rows that share no tesseract
/// paragraph, each word tied to its line. A word's size is its tesseract line's tallest box
/// (what a font size is to the text-layer reader's boxes).
pub fn page_from_words(
    words: &[TsvWord],
    placement: &Placement,
    page_width: f32,
    page_height: f32,
) -> OcrPage {
    let mut text = String::new();
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut line_no = 0u32;
    let mut last_pars: Vec<(u32, u32)> = Vec::new();
    for row in rows_of_lines(tess_lines(words)) {
        let pars: Vec<(u32, u32)> = row.iter().map(|l| (l.block, l.par)).collect();
        if line_no == 0 {
            line_no = 1;
        } else if pars.iter().any(|p| last_pars.contains(p)) {
            text.push('\n');
            line_no += 1;
        } else {
            text.push_str("\n\n");
            line_no += 2;
        }
        last_pars = pars;
        for (k, line) in row.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            push_line(line, words, placement, line_no, (&mut text, &mut out));
        }
    }
    let confidence =
        (!out.is_empty()).then(|| out.iter().map(|w| w.confidence).sum::<f32>() / out.len() as f32);
    OcrPage {
        text,
        words: PageWords::new(page_width, page_height, out),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t
2\t1\t1\t0\t0\t0\t100\t100\t500\t60\t-1\t
5\t1\t1\t1\t1\t1\t100\t100\t200\t40\t96.5\tChange
5\t1\t1\t1\t1\t2\t320\t100\t180\t50\t90\tStatus
5\t1\t1\t1\t2\t1\t100\t160\t100\t40\t80\tReport
5\t1\t1\t1\t2\t2\t210\t160\t10\t40\t-1\t 
5\t1\t2\t1\t1\t1\t100\t400\t150\t40\t50\tMP080
";

    #[test]
    fn words_become_lines_and_paragraphs_with_their_line_numbers() {
        let words = parse_tsv(TSV).unwrap();
        assert_eq!(words.len(), 4, "the empty word is dropped");
        assert_eq!(words[0].conf, 96.5);
        // 200 dpi pixels on a page of 612 x 792 units: 0.36 units a pixel.
        let placement = Placement::full_page(1700, 2200, 612., 792.);
        let page = page_from_words(&words, &placement, 612., 792.);
        assert_eq!(page.text, "Change Status\nReport\n\nMP080");
        let lines: Vec<u32> = page.words.words.iter().map(|w| w.line).collect();
        assert_eq!(lines, [1, 1, 2, 4]);
        assert_words_on_their_lines(&page);
        let w = &page.words.words[0];
        assert!(
            (w.x0 - 36.).abs() < 1e-3 && (w.x1 - 108.).abs() < 1e-3,
            "{w:?}"
        );
        assert!(
            (w.top - 36.).abs() < 1e-3 && (w.bottom - 50.4).abs() < 1e-3,
            "{w:?}"
        );
        // The line's tallest box: 50 pixels.
        assert!((w.size - 18.).abs() < 1e-3, "{w:?}");
        assert_eq!(page.words.words[3].confidence, 0.5);
        let mean = (0.965 + 0.9 + 0.8 + 0.5) / 4.;
        assert!((page.confidence.unwrap() - mean).abs() < 1e-6);
    }

    /// A TSV word line: block, paragraph, line, left, top, width (30 pixels high), text.
    fn tsv_word(b: u32, p: u32, l: u32, left: u32, top: u32, width: u32, text: &str) -> String {
        format!("5\t1\t{b}\t{p}\t{l}\t1\t{left}\t{top}\t{width}\t30\t95\t{text}\n")
    }

    /// The page of TSV word lines (after TSV's header), 200 dpi on a US letter page.
    fn page_of(word_lines: &str) -> OcrPage {
        let header = TSV.lines().next().unwrap();
        let words = parse_tsv(&format!("{header}\n{word_lines}")).unwrap();
        let placement = Placement::full_page(1700, 2200, 612., 792.);
        page_from_words(&words, &placement, 612., 792.)
    }

    /// Each word stands on the text line it is tied to.
    fn assert_words_on_their_lines(page: &OcrPage) {
        for w in &page.words.words {
            let text_line = page.text.lines().nth(w.line as usize - 1).unwrap();
            assert!(
                text_line.contains(w.text.as_str()),
                "{} on {text_line:?}",
                w.text
            );
        }
    }

    #[test]
    fn a_table_tesseract_cut_into_a_block_a_column_reads_a_row_a_line() {
        // Generated image-only scan 7400's open assessments: tesseract made the ids one
        // block, the types another, the dates a third; the heading above is a fourth.
        let mut tsv = tsv_word(1, 1, 1, 100, 50, 300, "Open");
        tsv += &tsv_word(1, 1, 1, 420, 52, 300, "Assessments");
        for (k, (id, kind, date)) in [
            ("Modification", "Type", "Accepted"),
            ("SECMP0021", "IA", "2"),
            ("SECMP0033", "PA", "14"),
        ]
        .into_iter()
        .enumerate()
        {
            let top = 150 + 60 * k as u32;
            // A skew: each column a little lower than the one before it.
            // The ids' boxes taller than the rest's (40 pixels, not 30).
            tsv += &tsv_word(2, 1, k as u32 + 1, 100, top, 250, id).replace("\t30\t", "\t40\t");
            tsv += &tsv_word(3, 1, k as u32 + 1, 500, top + 6, 80, kind);
            tsv += &tsv_word(4, 1, k as u32 + 1, 700, top + 11, 100, date);
            if k == 1 {
                tsv += &tsv_word(4, 1, 2, 820, top + 11, 60, "Mar");
            }
        }
        // The blocks' order in the TSV: the ids first, then the types, then the dates.
        let page = page_of(&tsv);
        assert_eq!(
            page.text,
            "Open Assessments\n\nModification Type Accepted\nSECMP0021 IA 2 Mar\nSECMP0033 PA 14"
        );
        // Each word sized by its own tesseract line, not by the taller id beside it.
        let size = |text: &str| {
            let w = page.words.words.iter().find(|w| w.text == text).unwrap();
            (w.size / 0.36).round()
        };
        assert_eq!(
            (size("SECMP0021"), size("IA"), size("Mar")),
            (40., 30., 30.)
        );
        assert_words_on_their_lines(&page);
    }

    #[test]
    fn a_box_tesseract_stretched_over_specks_does_not_size_its_line() {
        // Generated image-only scan 8700: `Withdrawn` boxed twice as high as its line's
        // other words (a speck above it), which sized the line twice their pitch.
        let mut tsv = tsv_word(1, 1, 1, 100, 100, 60, "0141");
        tsv += &tsv_word(1, 1, 1, 300, 100, 200, "recovery");
        tsv += &tsv_word(1, 1, 1, 700, 100, 100, "24/12/2020").replace("\t30\t", "\t36\t");
        tsv += &tsv_word(1, 1, 1, 1000, 80, 150, "Withdrawn").replace("\t30\t", "\t70\t");
        let page = page_of(&tsv);
        let sizes: Vec<f32> = page
            .words
            .words
            .iter()
            .map(|w| (w.size / 0.36).round())
            .collect();
        // The tallest box of those not far taller than the line's middle one: 36 pixels.
        assert_eq!(sizes, [36.; 4]);
    }

    #[test]
    fn lines_of_one_block_stay_lines_and_a_line_half_a_line_below_is_not_beside() {
        // Two lines of one paragraph, 40 pixels apart (boxes 30 high): not one line.
        let mut tsv = tsv_word(1, 1, 1, 100, 100, 300, "first");
        tsv += &tsv_word(1, 1, 2, 100, 140, 300, "second");
        // Another block's line, below the first by more than half its height: a line of its
        // own, between the two by its height on the page.
        tsv += &tsv_word(2, 1, 1, 600, 118, 300, "aside");
        let page = page_of(&tsv);
        assert_eq!(page.text, "first\n\naside\n\nsecond");
    }

    #[test]
    fn garbage_is_an_error_and_no_words_is_an_empty_page() {
        assert!(parse_tsv("Error opening data file eng.traineddata").is_err());
        assert!(parse_tsv("").is_err());
        assert!(parse_tsv("level\tpage_num\tblock_num\n5\t1\t1").is_err());
        let header = TSV.lines().next().unwrap();
        let words = parse_tsv(header).unwrap();
        assert!(words.is_empty());
        let page = page_from_words(&words, &Placement::full_page(1, 1, 1., 1.), 1., 1.);
        assert_eq!((page.text.as_str(), page.confidence), ("", None));
    }

    #[test]
    fn a_placed_image_maps_to_its_place() {
        // An image of 100 x 50 pixels drawn at (10, 20) from the top-left, 200 x 100 units.
        let p = Placement {
            a: 2.,
            b: 0.,
            c: 0.,
            d: 2.,
            e: 10.,
            f: 20.,
        };
        assert_eq!(p.rect(0., 0., 100., 50.), (10., 210., 20., 120.));
    }
}

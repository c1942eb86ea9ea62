//! Positioned words: what a page prints and where, for the readers of tables.
//!
//! Every reader that knows where text stands (a PDF's text layer, digital or an OCR engine's)
//! gives each page its words with their boxes, beside the page's laid-out text. Coordinates are
//! PDF units (1/72 inch) from the page's top-left corner, y growing downwards, as a person
//! reads the page; `line` ties a word to the line of the page text it was laid out on, so a
//! region the report model finds in the text (a table's header line) is found among the words.

use compact_str::CompactString;

/// One word and its box.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Word {
    pub text: CompactString,
    /// Left and right edges.
    pub x0: f32,
    pub x1: f32,
    /// Top and bottom edges (top < bottom).
    pub top: f32,
    pub bottom: f32,
    /// The font size as the page shows it (points).
    pub size: f32,
    /// The 1-based line of the page text the word was laid out on.
    pub line: u32,
    /// How sure the reader is of the word's text: 1 for a text layer, an OCR engine's own
    /// confidence (0..1) for a word it recognised.
    pub confidence: f32,
}

impl Word {
    /// The middle of the word, across.
    pub fn x_mid(&self) -> f32 {
        (self.x0 + self.x1) / 2.
    }

    /// The middle of the word, down.
    pub fn y_mid(&self) -> f32 {
        (self.top + self.bottom) / 2.
    }
}

/// A ruling line on a page (a table's row or column border), from one end to the other, in
/// the words' coordinates: left to right for a rule across, top to bottom for a rule down. A
/// scan's rules lean with its skew, so a rule is a segment, not a height.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rule {
    /// The rule's height at `x` (on its line, also beyond its ends).
    pub fn y_at(&self, x: f32) -> f32 {
        let run = self.x1 - self.x0;
        if run.abs() < f32::EPSILON {
            return self.y0;
        }
        self.y0 + (self.y1 - self.y0) * (x - self.x0) / run
    }

    /// A rule down's place across at height `y` (on its line, also beyond its ends).
    pub fn x_at(&self, y: f32) -> f32 {
        let fall = self.y1 - self.y0;
        if fall.abs() < f32::EPSILON {
            return self.x0;
        }
        self.x0 + (self.x1 - self.x0) * (y - self.y0) / fall
    }

    /// How much the rule falls for each unit across (a scan's skew).
    pub fn slope(&self) -> f32 {
        let run = self.x1 - self.x0;
        if run.abs() < f32::EPSILON {
            0.
        } else {
            (self.y1 - self.y0) / run
        }
    }
}

/// A table cell on a page whose words OCR left unreadable (a row's id cell of `poe` where the
/// page prints `0139` in grey, generated scan 8300), or left out (`empty`), in PDF units from
/// the page's top left: found by the report model, read again from the page's image by the
/// OCR reader. The box is the cell's column between its row's top and bottom as the table was
/// read (on a skewed page, levelled: a reader pads it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnreadCell {
    /// 1-based.
    pub page: u32,
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
    /// How what is read there is taken.
    pub reading: CellReading,
}

/// How the words read again in an [`UnreadCell`] are taken, and on which pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellReading {
    /// In place of the layer's words in the box (an id cell the layer read as no id), on
    /// every page.
    Replace,
    /// As [`CellReading::Replace`], on a page ruled between its rows only: the id cell of a
    /// row anchored on its dates with nothing in its id column, between the row's top and
    /// bottom.
    ReplaceWhereRuled,
    /// As [`CellReading::Replace`], on a page without rules between its rows only: the same
    /// id cell in the white around its row (generated scan 8801's grey `SECMP0176`, printed
    /// beside the middle of its title, below the one line of dates the layer read; image-only
    /// scan 8801's `0166`, of which the page's words held `66`).
    ReplaceWhereUnruled,
    /// Added where the layer has no word, nothing of the layer's taken out: a cell the layer
    /// left empty, its box the white around its row (on a skewed page the box's corners hold
    /// the next row's words). On a page without rules between its rows only: a ruled page's
    /// cells are each read again anyway, and the white as the layer's lines part it can cross
    /// its rules (generated image-only scan 8701, page 10: words added across them lost
    /// MP034's row).
    Fill,
    /// In place of the layer's words in the box only where tesseract read every word of it
    /// sure, on every page: a title or comment cell of a table not ruled between its rows,
    /// which a layer read from the whole page may have garbled where the same ink cut out
    /// alone reads as printed (generated scan 9601's grey delivery table: `Introducing a
    /// ~enbege Wistributton Netware Operators`).
    ReplaceWhereSure,
}

/// The words of one page and the page's size.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageWords {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
    /// The horizontal rules found in the page's image (a scan's table borders), top to
    /// bottom; empty where the page is not a scan or none was found
    /// ([`crate::reading::rules`]).
    pub rules: Vec<Rule>,
    /// The rules down the page's image (a scan's column borders), left to right.
    pub column_rules: Vec<Rule>,
}

impl PageWords {
    /// A page of this size holding `words`, with no rules found (yet) in its image.
    pub fn new(width: f32, height: f32, words: Vec<Word>) -> PageWords {
        PageWords {
            width,
            height,
            words,
            rules: Vec::new(),
            column_rules: Vec::new(),
        }
    }
}

/// Glyphs placed one by one into words: a word ends at a space glyph, at a gap the caller
/// says is a space, or where the baseline moves.
#[derive(Debug, Default)]
pub(crate) struct WordBuilder {
    words: Vec<Word>,
    current: Option<Word>,
}

impl WordBuilder {
    /// Starts a page: the words of the last one are gone.
    pub fn begin_page(&mut self) {
        self.words.clear();
        self.current = None;
    }

    /// Ends the word being built, if any.
    pub fn break_word(&mut self) {
        if let Some(word) = self.current.take() {
            if !word.text.trim().is_empty() {
                self.words.push(word);
            }
        }
    }

    /// A glyph from `x0` to `x1` on the baseline `baseline` (from the top), `size` points
    /// high, on page text line `line`. A glyph of whitespace only ends the word.
    pub fn glyph(&mut self, text: &str, x0: f64, x1: f64, baseline: f64, size: f64, line: u32) {
        if text.chars().all(char::is_whitespace) {
            self.break_word();
            return;
        }
        let (x0, x1, baseline, size) = (x0 as f32, x1 as f32, baseline as f32, size as f32);
        // The em square on the baseline: ascent 0.8, descent 0.2 of the size, as fonts of
        // reports (Arial, Calibri, Times) roughly have it.
        let (top, bottom) = (baseline - 0.8 * size, baseline + 0.2 * size);
        if let Some(word) = &mut self.current {
            word.text.push_str(text);
            word.x0 = word.x0.min(x0);
            word.x1 = word.x1.max(x1);
            word.top = word.top.min(top);
            word.bottom = word.bottom.max(bottom);
            word.size = word.size.max(size);
            return;
        }
        self.current = Some(Word {
            text: text.into(),
            x0,
            x1: x1.max(x0),
            top,
            bottom,
            size,
            line,
            confidence: 1.,
        });
    }

    /// The page's words; the builder is ready for the next page.
    pub fn end_page(&mut self, width: f64, height: f64) -> PageWords {
        self.break_word();
        PageWords::new(width as f32, height as f32, std::mem::take(&mut self.words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_glyph_ends_a_word_and_boxes_span_their_glyphs() {
        let mut b = WordBuilder::default();
        b.begin_page();
        b.glyph("0", 10., 15., 100., 10., 1);
        b.glyph("1", 15., 20., 100., 10., 1);
        b.glyph(" ", 20., 23., 100., 10., 1);
        b.glyph("PA", 23., 35., 100., 10., 1);
        let page = b.end_page(600., 800.);
        let texts: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["01", "PA"]);
        assert_eq!((page.words[0].x0, page.words[0].x1), (10., 20.));
        assert_eq!((page.words[0].top, page.words[0].bottom), (92., 102.));
        assert_eq!(page.width, 600.);
    }
}

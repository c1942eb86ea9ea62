//! Glyphs placed on a page into lines of text: the rules of pdf-extract's `PlainTextOutput`
//! with one change (below: no second space), shared by both PDF readers, and by the fallback's
//! page-by-page recovery, so that they lay text out alike.
//!
//! A new line when the baseline moves by more than 1.5 font sizes, or back to the left by more
//! than half of one; a space for a gap wider than a tenth of the font size (unless the text
//! already ends with a space or a line break); glyphs in between are joined.
//!
//! The same glyphs are gathered into positioned words ([`crate::reading::words`]), each tied
//! to the text line it was laid out on: the tables are read from those.

use crate::reading::words::{PageWords, WordBuilder};

/// One page laid out: its text and its positioned words.
#[derive(Debug, Default)]
pub struct LaidOutPage {
    pub text: String,
    pub words: PageWords,
}

#[derive(Debug, Default)]
pub struct PageLayout {
    text: String,
    words: WordBuilder,
    /// Line breaks laid out so far on this page: the current line is one more.
    line_breaks: u32,
    page_width: f64,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_of_word: bool,
}

impl PageLayout {
    /// Starts a page of this size (its media box's).
    pub fn begin_page(&mut self, page_width: f64, page_height: f64) {
        self.text.clear();
        self.words.begin_page();
        self.line_breaks = 0;
        self.page_width = page_width;
        self.page_height = page_height;
        self.last_end = 100000.;
        self.last_y = 0.;
        self.first_of_word = false;
    }

    /// The next shown string starts: only its first glyph may start a line or a word.
    pub fn begin_word(&mut self) {
        self.first_of_word = true;
    }

    /// A glyph at `(x, y)` of the page (PDF space, y upwards), `width` text space units wide,
    /// at `scaled` points: the font size as the page sees it.
    pub fn glyph(&mut self, x: f64, y: f64, width: f64, scaled: f64, text: &str) {
        self.placed_glyph(x, y, width, scaled, text, x + width * scaled, scaled);
    }

    /// [`Self::glyph`], with the glyph's right edge and height on the page as the words
    /// take them: the text is laid out by pdf-extract's rules, whose `scaled` size mixes the
    /// horizontal scaling in (OCR layers fit each word to its box with `Tz`); a word's box
    /// must not.
    #[allow(clippy::too_many_arguments)]
    pub fn placed_glyph(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        scaled: f64,
        text: &str,
        right: f64,
        height: f64,
    ) {
        let y = self.page_height - y;
        if self.first_of_word {
            if (y - self.last_y).abs() > scaled * 1.5 {
                self.text.push('\n');
                self.line_breaks += 1;
            }
            if x < self.last_end && (y - self.last_y).abs() > scaled * 0.5 {
                self.text.push('\n');
                self.line_breaks += 1;
            }
            // A gap is a space unless the text already ends with one: OCR layers (ocrmypdf)
            // show each word with its own trailing space, then move to the next word.
            if x > self.last_end + scaled * 0.1 && !self.text.ends_with([' ', '\n']) {
                self.text.push(' ');
            }
        }
        // A word ends where the text breaks, at a gap (a space laid out or not: a table's
        // cells may stand closer than a space's width apart only if they touch), where the
        // baseline moves, or where the pen jumps back.
        let moved = (y - self.last_y).abs() > scaled * 0.2
            || x > self.last_end + scaled * 0.1
            || x < self.last_end - scaled * 0.5;
        if moved || self.text.ends_with([' ', '\n']) {
            self.words.break_word();
        }
        self.words
            .glyph(text, x, right.max(x), y, height, self.line_breaks + 1);
        self.text.push_str(text);
        self.first_of_word = false;
        self.last_y = y;
        // The glyph's own right edge: where `scaled` mixes a horizontal scaling in, its
        // width at `scaled` falls short of it (a layer set at half the size and twice the
        // scaling: every glyph would stand a gap from the next, each its own word).
        self.last_end = right.max(x + width * scaled);
    }

    /// The page's text and words; the layout is ready for the next page.
    pub fn end_page(&mut self) -> LaidOutPage {
        LaidOutPage {
            text: std::mem::take(&mut self.text),
            words: self.words.end_page(self.page_width, self.page_height),
        }
    }
}

/// The font size as the page sees it, from the glyph's rendering matrix (pdf-extract's
/// formula, so both readers agree).
pub fn scaled_size(font_size: f64, m11: f64, m12: f64, m21: f64, m22: f64) -> f64 {
    ((font_size * m11 + font_size * m21) * (font_size * m12 + font_size * m22)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_a_horizontal_scaling_stretches_stay_one_word() {
        // An OCR layer set at half the size and twice the scaling: each glyph's width at
        // `scaled` (5 a glyph) falls short of its right edge (10 a glyph, where the next
        // starts). Its glyphs are one word, not one word each.
        let mut layout = PageLayout::default();
        layout.begin_page(600., 800.);
        layout.begin_word();
        for (i, c) in ["W", "o", "r", "d"].into_iter().enumerate() {
            let x = 100. + 10. * i as f64;
            layout.placed_glyph(x, 700., 0.5, 10., c, x + 10., 10.);
        }
        let page = layout.end_page();
        let texts: Vec<&str> = page.words.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Word"]);
        assert_eq!(page.text.trim(), "Word");
    }
}

//! Glyphs placed on a page into lines of text: the rules of pdf-extract's `PlainTextOutput`
//! with one change (below: no second space), shared by both PDF readers, and by the fallback's
//! page-by-page recovery, so that they lay text out alike.
//!
//! A new line when the baseline moves by more than 1.5 font sizes, or back to the left by more
//! than half of one; a space for a gap wider than a tenth of the font size (unless the text
//! already ends with a space or a line break); glyphs in between are joined.

#[derive(Debug, Default)]
pub struct PageLayout {
    text: String,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_of_word: bool,
}

impl PageLayout {
    /// Starts a page of this height (its media box's).
    pub fn begin_page(&mut self, page_height: f64) {
        self.text.clear();
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
        let y = self.page_height - y;
        if self.first_of_word {
            if (y - self.last_y).abs() > scaled * 1.5 {
                self.text.push('\n');
            }
            if x < self.last_end && (y - self.last_y).abs() > scaled * 0.5 {
                self.text.push('\n');
            }
            // A gap is a space unless the text already ends with one: OCR layers (ocrmypdf)
            // show each word with its own trailing space, then move to the next word.
            if x > self.last_end + scaled * 0.1 && !self.text.ends_with([' ', '\n']) {
                self.text.push(' ');
            }
        }
        self.text.push_str(text);
        self.first_of_word = false;
        self.last_y = y;
        self.last_end = x + width * scaled;
    }

    /// The page's text; the layout is ready for the next page.
    pub fn end_page(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

/// The font size as the page sees it, from the glyph's rendering matrix (pdf-extract's
/// formula, so both readers agree).
pub fn scaled_size(font_size: f64, m11: f64, m12: f64, m21: f64, m22: f64) -> f64 {
    ((font_size * m11 + font_size * m21) * (font_size * m12 + font_size * m22)).sqrt()
}

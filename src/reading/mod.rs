//! Reading: the bytes of one input file into pages of text.
//!
//! Every reader implements [`PageTextReader`], so the pipeline does not care where text came
//! from: a PDF's text layer, a `.txt` export, or (later) an OCR engine. Readers return plain
//! page texts; whitespace is normalised by the report model, never here.

mod baseline;
mod ink;
pub mod isolate;
pub mod ocr;
mod pdf;
pub mod rules;
mod txt;
pub mod words;

pub use pdf::{PdfExtractReader, PdfTextReader};
pub use txt::TxtReader;

use std::fmt;

/// Where a document's text came from (the `text_source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    PdfText,
    Txt,
    Ocr,
}

impl TextSource {
    pub fn name(self) -> &'static str {
        match self {
            TextSource::PdfText => "pdf_text",
            TextSource::Txt => "txt",
            TextSource::Ocr => "ocr",
        }
    }
}

impl fmt::Display for TextSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The pages of one document, and what went wrong on the way without stopping the read.
#[derive(Debug, Clone)]
pub struct PageTexts {
    /// Page texts in order; page `i` is number `i + 1`.
    pub pages: Vec<String>,
    /// Each page's positioned words, in the pages' order; empty for a reader that does not
    /// know where text stands (`.txt`).
    pub words: Vec<words::PageWords>,
    pub source: TextSource,
    /// Problems with single pages or encodings: the document was read, but not all of it.
    pub problems: Vec<String>,
    /// How the reader read it, worth knowing but not a problem (pages found without form
    /// feeds).
    pub notes: Vec<String>,
}

impl PageTexts {
    /// True when no page has any visible text: a scan that needs OCR.
    pub fn has_no_text(&self) -> bool {
        self.pages.iter().all(|p| p.trim().is_empty())
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not a PDF (the file starts with {0:?})")]
    NotPdf(String),
    #[error("the PDF is encrypted with a user password; it cannot be read without it")]
    Encrypted,
    #[error("the PDF is damaged and cannot be parsed: {0}")]
    Corrupt(String),
    #[error("the file is empty")]
    Empty,
    #[error("{0}")]
    TooLarge(String),
    #[error("the PDF library crashed on this file: {0}")]
    Crashed(String),
}

/// A way of getting pages of text from a file's bytes.
pub trait PageTextReader: Send + Sync {
    /// A short name for logs and diagnostics.
    fn name(&self) -> &'static str;
    fn read(&self, bytes: &[u8]) -> Result<PageTexts, ReadError>;
}

//! PDF text layers, through lopdf (parsing) and pdf-extract (text layout).
//!
//! Pages are extracted one at a time, so a page that fails is reported and the others are
//! kept. pdf-extract can panic on some fonts and encodings: the pipeline contains panics per
//! file (see `pipeline::isolate`).

use lopdf::Document;
use pdf_extract::{output_doc_page, PlainTextOutput};

use super::{PageTextReader, PageTexts, ReadError, TextSource};

#[derive(Debug, Default, Clone, Copy)]
pub struct PdfTextReader;

/// How far into a file the `%PDF-` header may start (readers tolerate leading junk).
const HEADER_WINDOW: usize = 1024;

fn check_header(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let window = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Ok(());
    }
    let start: String = String::from_utf8_lossy(&bytes[..bytes.len().min(16)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    Err(ReadError::NotPdf(start))
}

impl PageTextReader for PdfTextReader {
    fn name(&self) -> &'static str {
        "pdf-extract"
    }

    fn read(&self, bytes: &[u8]) -> Result<PageTexts, ReadError> {
        check_header(bytes)?;
        let mut doc = Document::load_mem(bytes).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            return Err(ReadError::Encrypted);
        }
        let mut pages = Vec::new();
        let mut problems = Vec::new();
        for (&number, _) in doc.get_pages().iter() {
            let mut text = String::new();
            let result = {
                let mut out = PlainTextOutput::new(&mut text);
                output_doc_page(&doc, &mut out, number)
            };
            if let Err(e) = result {
                problems.push(format!("page {number}: text could not be extracted: {e}"));
                text.clear();
            }
            pages.push(text);
        }
        Ok(PageTexts {
            pages,
            source: TextSource::PdfText,
            problems,
            notes: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_named_pdf_is_not_a_pdf() {
        let err = PdfTextReader.read(b"<!DOCTYPE html><html>").unwrap_err();
        assert!(
            matches!(err, ReadError::NotPdf(ref s) if s.starts_with("<!DOCTYPE")),
            "{err}"
        );
    }

    #[test]
    fn truncated_pdf_is_corrupt() {
        let err = PdfTextReader
            .read(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
            .unwrap_err();
        assert!(matches!(err, ReadError::Corrupt(_)), "{err}");
    }
}

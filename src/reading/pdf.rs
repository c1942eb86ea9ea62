//! PDF text layers, through lopdf (parsing) and pdf-extract (text layout).
//!
//! Pages are extracted one at a time, so a page that fails is reported and the others are
//! kept. pdf-extract can panic on some fonts and encodings: the pipeline contains panics per
//! file (see `pipeline::isolate`).

use std::io::Read;

use lopdf::{Document, Object};
use pdf_extract::{output_doc_page, PlainTextOutput};

use super::{PageTextReader, PageTexts, ReadError, TextSource};

#[derive(Debug, Default, Clone, Copy)]
pub struct PdfTextReader;

/// Words in a PDF's Creator or Producer that say its text layer was made by OCR (a scan run
/// through ocrmypdf, ABBYY, OmniPage...): its text is then reported as `ocr`, not `pdf_text`.
const OCR_PRODUCERS: &[&str] = &[
    "ocrmypdf",
    "tesseract",
    "abbyy",
    "finereader",
    "omnipage",
    "readiris",
    "ocr",
];

/// True when the document's metadata names an OCR engine.
fn made_by_ocr(doc: &Document) -> bool {
    let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(|o| doc.dereference(o))
        .and_then(|(_, o)| o.as_dict())
    else {
        return false;
    };
    [b"Creator".as_slice(), b"Producer".as_slice()]
        .iter()
        .any(|key| {
            info.get(key)
                .ok()
                .and_then(|o| o.as_str().ok())
                .map(|bytes| String::from_utf8_lossy(bytes).to_lowercase())
                .is_some_and(|text| OCR_PRODUCERS.iter().any(|w| text.contains(w)))
        })
}

/// The most one stream may inflate to. A report page's content stream is tens of kB; more
/// than this is a compression bomb, not a report.
const MAX_INFLATED_BYTES: u64 = 64 << 20;

/// Inflates the document's Flate-compressed streams (all but images, which are not read for
/// text) within [`MAX_INFLATED_BYTES`] each, so that pdf-extract reads them as they are and a
/// compression bomb is refused before anything allocates gigabytes.
fn inflate_within_limit(doc: &mut Document) -> Result<(), ReadError> {
    for (id, object) in doc.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let is_image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Image");
        let flate_only = stream
            .filters()
            .is_ok_and(|f| f == [b"FlateDecode".as_slice()]);
        if is_image || !flate_only {
            continue;
        }
        let mut inflated = Vec::new();
        let read = flate2::read::ZlibDecoder::new(stream.content.as_slice())
            .take(MAX_INFLATED_BYTES + 1)
            .read_to_end(&mut inflated);
        match read {
            Ok(n) if n as u64 > MAX_INFLATED_BYTES => {
                return Err(ReadError::TooLarge(format!(
                    "object {} {} R inflates to more than {} MiB (a compression bomb?): not read",
                    id.0,
                    id.1,
                    MAX_INFLATED_BYTES >> 20
                )));
            }
            // Streams with predictors are left for lopdf to decode; damaged ones to fail on
            // their page.
            Ok(_) if stream.dict.get(b"DecodeParms").is_err() => stream.set_plain_content(inflated),
            _ => {}
        }
    }
    Ok(())
}

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
        inflate_within_limit(&mut doc)?;
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
        let source = if made_by_ocr(&doc) {
            TextSource::Ocr
        } else {
            TextSource::PdfText
        };
        Ok(PageTexts {
            pages,
            source,
            problems,
            notes: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reports/").to_string() + name)
            .unwrap()
    }

    #[test]
    fn scans_are_told_from_digital_pdfs() {
        assert_eq!(
            PdfTextReader
                .read(&fixture("csr-2020-06-scan.pdf"))
                .unwrap()
                .source,
            TextSource::Ocr
        );
        assert_eq!(
            PdfTextReader
                .read(&fixture("csr-2020-06-digital.pdf"))
                .unwrap()
                .source,
            TextSource::PdfText
        );
    }

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

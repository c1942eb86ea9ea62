//! PDF text layers: pages of text from a PDF's bytes.
//!
//! lopdf parses the file (with the cross-reference table rebuilt when it is damaged);
//! secreg's own reader ([`text_layer`]) interprets each page's text operators, decoding each
//! font once per document and never touching images or font programs. A document with a font
//! that reader does not decode faithfully goes whole to pdf-extract ([`fallback`]), laid out
//! by the same rules ([`layout`]). Every call into lopdf and pdf-extract is contained: a panic
//! is this file's error (or this page's), not the end of the process.

mod cmap;
mod content;
mod fallback;
mod fonts;
mod layout;
mod paths;
#[rustfmt::skip]
mod standard_fonts;
pub(crate) mod streams;
mod text_layer;

use lopdf::{Document, LoadOptions, Object};

use super::baseline;
use super::isolate::contain;
use super::{PageTextReader, PageTexts, ReadError, TextSource};
use text_layer::{Stop, TextLayerReader};

/// PDFs read by secreg's own text-layer reader, with pdf-extract for documents it does not
/// decode: what the pipeline uses.
#[derive(Debug, Default, Clone, Copy)]
pub struct PdfTextReader;

/// PDFs read by pdf-extract only: kept to compare the readers (`secreg text --reader`).
#[derive(Debug, Default, Clone, Copy)]
pub struct PdfExtractReader;

/// Which text extraction reads a loaded document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Own,
    PdfExtract,
}

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
        "secreg"
    }

    fn read(&self, bytes: &[u8]) -> Result<PageTexts, ReadError> {
        check_header(bytes)?;
        read_pdf(bytes, Engine::Own)
    }
}

impl PageTextReader for PdfExtractReader {
    fn name(&self) -> &'static str {
        "pdf-extract"
    }

    fn read(&self, bytes: &[u8]) -> Result<PageTexts, ReadError> {
        check_header(bytes)?;
        read_pdf(bytes, Engine::PdfExtract)
    }
}

/// The cross-reference table rebuilt by scanning the file for `N G obj`: what readers do with
/// a damaged or truncated file. Appends a fresh xref section and trailer (keeping the old
/// trailer's /Root, /Encrypt, /ID and /Info where they can be found, else the catalog found
/// by its /Type), or `None` when the file holds no objects to index.
fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    use regex::bytes::Regex;
    use std::sync::OnceLock;
    static OBJ: OnceLock<Regex> = OnceLock::new();
    static REF: OnceLock<Regex> = OnceLock::new();
    let obj =
        OBJ.get_or_init(|| Regex::new(r"(?:^|[\r\n])(\d{1,10}) (\d{1,5}) obj\b").expect("valid"));
    let reference = REF.get_or_init(|| {
        Regex::new(r"/(Root|Encrypt|Info)\s+(\d+)\s+(\d+)\s+R|/ID\s*(\[[^\]]*\])").expect("valid")
    });
    let mut offsets: std::collections::BTreeMap<u32, (u16, usize)> =
        std::collections::BTreeMap::new();
    for c in obj.captures_iter(bytes) {
        let (num, gen) = (c.get(1)?, c.get(2)?);
        let (Ok(n), Ok(g)) = (
            std::str::from_utf8(num.as_bytes()).ok()?.parse::<u32>(),
            std::str::from_utf8(gen.as_bytes()).ok()?.parse::<u16>(),
        ) else {
            continue;
        };
        offsets.insert(n, (g, num.start()));
    }
    let max = *offsets.keys().last()?;
    if max > 10_000_000 {
        return None;
    }
    // The last trailer's entries: the file's final word.
    let trailer_at = bytes.windows(7).rposition(|w| w == b"trailer").unwrap_or(0);
    let mut entries: Vec<String> = Vec::new();
    let mut has_root = false;
    for c in reference.captures_iter(&bytes[trailer_at..]) {
        if let (Some(key), Some(n), Some(g)) = (c.get(1), c.get(2), c.get(3)) {
            let key = String::from_utf8_lossy(key.as_bytes()).into_owned();
            if entries.iter().any(|e| e.starts_with(&format!("/{key} "))) {
                continue;
            }
            has_root |= key == "Root";
            entries.push(format!(
                "/{key} {} {} R",
                String::from_utf8_lossy(n.as_bytes()),
                String::from_utf8_lossy(g.as_bytes())
            ));
        } else if let Some(id) = c.get(4) {
            entries.push(format!("/ID {}", String::from_utf8_lossy(id.as_bytes())));
        }
    }
    if !has_root {
        // No trailer left: the catalog is the object that says it is one.
        let catalog = offsets.iter().find(|(_, (_, at))| {
            let end = bytes[*at..]
                .windows(6)
                .position(|w| w == b"endobj")
                .map_or(bytes.len(), |e| at + e);
            let body = &bytes[*at..end];
            body.windows(8).any(|w| w == b"/Catalog")
        })?;
        entries.push(format!("/Root {} {} R", catalog.0, catalog.1 .0));
    }
    let mut out = bytes.to_vec();
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for n in 1..=max {
        match offsets.get(&n) {
            Some((g, at)) => out.extend_from_slice(format!("{at:010} {g:05} n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {} >>\nstartxref\n{xref_at}\n%%EOF\n",
            max + 1,
            entries.join(" ")
        )
        .as_bytes(),
    );
    Some(out)
}

/// Loads a document without its images' data, which no reader of text needs: a scan is
/// mostly image bytes, and holding them would cost their size in memory per file.
/// (pdf-extract draws every XObject, images too, as a content stream: without their data it
/// no longer parses image bytes as operators.)
fn load_text_objects(bytes: &[u8]) -> lopdf::Result<Document> {
    Document::load_mem_with_options(bytes, LoadOptions::with_filter(without_image_data))
}

/// True for an image XObject's stream.
fn is_image(stream: &lopdf::Stream) -> bool {
    stream
        .dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|n| n == b"Image")
}

/// Empties an image XObject's data in place, keeping its dictionary.
///
/// (lopdf 0.42 keeps the object as changed in place for objects of the file, and the object
/// returned for objects inside an object stream, which are never streams: so a stream is
/// changed in place and returned as a placeholder, anything else kept and returned as is.)
fn without_image_data(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    if let Object::Stream(stream) = object {
        if is_image(stream) {
            for key in [&b"Filter"[..], b"DecodeParms"] {
                stream.dict.remove(key);
            }
            stream.set_content(Vec::new());
        }
        return Some((id, Object::Null));
    }
    Some((id, object.clone()))
}

/// Loads a document; when its cross-reference table is damaged (the load fails, or it finds
/// no pages), loads it again with the table rebuilt. Says what it had to do.
fn load_document(bytes: &[u8], notes: &mut Vec<String>) -> Result<Document, ReadError> {
    let crashed = |panic: String| ReadError::Crashed(panic);
    let first = contain(|| load_text_objects(bytes)).map_err(crashed)?;
    let usable = |doc: &Document| contain(|| !doc.get_pages().is_empty()).unwrap_or(false);
    let first_error = match first {
        Ok(doc) if usable(&doc) => return Ok(doc),
        Ok(doc) => Ok(doc),
        Err(e) => Err(ReadError::Corrupt(e.to_string())),
    };
    if let Some(rebuilt) = rebuild_xref(bytes) {
        if let Ok(Ok(doc)) = contain(|| load_text_objects(&rebuilt)) {
            if usable(&doc) {
                notes.push(
                    "the cross-reference table was damaged: rebuilt by scanning the file's objects"
                        .into(),
                );
                return Ok(doc);
            }
        }
    }
    first_error
}

/// Reads a PDF whose header was checked. lopdf and pdf-extract panic on some malformed files
/// (an `expect` on a missing dictionary entry): every call into them is contained, so that a
/// panic is this file's error (or this page's), not the end of the process.
fn read_pdf(bytes: &[u8], engine: Engine) -> Result<PageTexts, ReadError> {
    let crashed = |panic: String| ReadError::Crashed(panic);
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        problems.push("the file ends before its end-of-file marker: it is truncated, and what followed the cut is missing".to_string());
    }
    let mut doc = load_document(bytes, &mut notes)?;
    if doc.is_encrypted() && contain(|| doc.decrypt("")).map_err(crashed)?.is_err() {
        return Err(ReadError::Encrypted);
    }
    let source = if made_by_ocr(&doc) {
        TextSource::Ocr
    } else {
        TextSource::PdfText
    };
    if engine == Engine::PdfExtract {
        let (pages, page_problems) = fallback::read_with_pdf_extract(doc)?;
        problems.extend(page_problems);
        return Ok(laid_out(pages, source, problems, notes));
    }
    let pages: Vec<(u32, lopdf::ObjectId)> =
        contain(|| doc.get_pages().into_iter().collect()).map_err(crashed)?;
    let own = contain(|| TextLayerReader::new(&doc).read_pages(&pages));
    let pages = match own {
        Ok(Ok((texts, page_problems))) => {
            problems.extend(page_problems.into_iter().map(|p| {
                format!(
                    "page {}: text could not be extracted: {}",
                    p.page, p.message
                )
            }));
            texts
        }
        Ok(Err(Stop::TooLarge(message))) => return Err(ReadError::TooLarge(message)),
        Ok(Err(Stop::Unsupported(why))) => {
            notes.push(format!(
                "text read by pdf-extract: secreg's reader does not decode {why}"
            ));
            let (texts, page_problems) = fallback::read_with_pdf_extract(doc)?;
            problems.extend(page_problems);
            texts
        }
        Err(panic) => {
            notes.push(format!(
                "text read by pdf-extract: secreg's reader crashed ({panic})"
            ));
            let (texts, page_problems) = fallback::read_with_pdf_extract(doc)?;
            problems.extend(page_problems);
            texts
        }
    };
    Ok(laid_out(pages, source, problems, notes))
}

/// A document's laid-out pages as page texts and their words.
fn laid_out(
    pages: Vec<layout::LaidOutPage>,
    source: TextSource,
    problems: Vec<String>,
    notes: Vec<String>,
) -> PageTexts {
    // An OCR layer lists its engine's lines block by block: where it cut a table into a
    // block a column, its lines side by side are joined into rows (generated scan 8001).
    // A digital PDF's own order is its author's, and kept.
    let (pages, words) = pages
        .into_iter()
        .map(|mut p| {
            if source == TextSource::Ocr {
                if let Some(text) = baseline::join_lines_on_one_baseline(&p.text, &mut p.words) {
                    p.text = text;
                }
            }
            (p.text, p.words)
        })
        .unzip();
    PageTexts {
        pages,
        words,
        source,
        problems,
        notes,
    }
}

/// A fixture report's bytes, for the tests of this module and its children.
#[cfg(test)]
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/reports/").to_string() + name)
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_loaded_without_their_data() {
        let bytes = fixture("csr-2020-06-scan.pdf");
        let image_bytes = |doc: &Document| -> (usize, usize) {
            let images: Vec<&lopdf::Stream> = doc
                .objects
                .values()
                .filter_map(|o| o.as_stream().ok())
                .filter(|s| is_image(s))
                .collect();
            (images.len(), images.iter().map(|s| s.content.len()).sum())
        };
        let (images, data) = image_bytes(&Document::load_mem(&bytes).unwrap());
        assert!(
            images > 0 && data > 1_000_000,
            "{images} images, {data} bytes"
        );
        let doc = load_text_objects(&bytes).unwrap();
        assert_eq!(image_bytes(&doc), (images, 0));
        // Everything else is kept: the pages, and the metadata that says a scan is one.
        assert!(!doc.get_pages().is_empty());
        assert!(made_by_ocr(&doc));
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
    fn fuzz_crashes_are_errors_not_panics() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions/pdf_reader");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let _ = PdfTextReader.read(&bytes);
            seen += 1;
        }
        assert!(seen >= 1);
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

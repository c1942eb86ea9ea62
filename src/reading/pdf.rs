//! PDF text layers, through lopdf (parsing) and pdf-extract (text layout).
//!
//! Pages are extracted one at a time, so a page that fails is reported and the others are
//! kept. pdf-extract can panic on some fonts and encodings: the pipeline contains panics per
//! file (see `pipeline::isolate`).

use std::io::Read;

use lopdf::{Document, Object};
use pdf_extract::{
    output_doc, output_doc_page, MediaBox, OutputDev, OutputError, PlainTextOutput, Transform,
};

use super::isolate::contain;
use super::{PageTextReader, PageTexts, ReadError, TextSource};

#[derive(Debug, Default, Clone, Copy)]
pub struct PdfTextReader;

/// pdf-extract's plain-text layout (the rules of its `PlainTextOutput`: a new line when the
/// baseline moves by more than 1.5 font sizes or back to the left, a space for a gap wider than
/// a tenth of the font size), collected page by page in one pass over the document. Its own
/// page-at-a-time API walks the page tree again for every page: quadratic in the pages.
#[derive(Debug, Default)]
struct PagedText {
    pages: Vec<String>,
    current: String,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_char: bool,
}

impl OutputDev for PagedText {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.current.clear();
        self.last_end = 100000.;
        self.last_y = 0.;
        self.first_char = false;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.pages.push(std::mem::take(&mut self.current));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The glyph's origin with the page flipped to put y downwards, and the font size
        // as the page sees it.
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        let scaled = ((font_size * trm.m11 + font_size * trm.m21)
            * (font_size * trm.m12 + font_size * trm.m22))
            .sqrt();
        if self.first_char {
            if (y - self.last_y).abs() > scaled * 1.5 {
                self.current.push('\n');
            }
            if x < self.last_end && (y - self.last_y).abs() > scaled * 0.5 {
                self.current.push('\n');
            }
            if x > self.last_end + scaled * 0.1 {
                self.current.push(' ');
            }
        }
        self.current.push_str(text);
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * scaled;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
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

/// The one-range identity ToUnicode map OCR tools give their glyph-less fonts.
const IDENTITY_RANGE: &[u8] = b"<0000> <FFFF> <0000>";

/// The string operands of the text operators of a content stream.
fn shown_strings(content: &[u8], out: &mut Vec<Vec<u8>>) -> Result<(), ()> {
    let ops = lopdf::content::Content::decode(content).map_err(|_| ())?;
    for op in ops.operations {
        match op.operator.as_str() {
            "Tj" | "'" | "\"" | "TJ" => {
                for operand in &op.operands {
                    match operand {
                        Object::String(bytes, _) => out.push(bytes.clone()),
                        Object::Array(items) => out.extend(
                            items
                                .iter()
                                .filter_map(|i| i.as_str().ok().map(<[u8]>::to_vec)),
                        ),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// ocrmypdf's glyph-less font maps every 2-byte code to itself with one ToUnicode range,
/// `<0000> <FFFF> <0000>`. pdf-extract expands that into a 65,536-entry map on every page (it
/// clears its font cache per page): 89% of the time it spends on a scan. The map is rewritten
/// to the same identity over just the codes the document's text shows (as 2-byte codes): the
/// same text, from a map of a few hundred entries. Nothing changes when any content stream
/// cannot be decoded (the codes would not be known for sure).
fn shrink_identity_cmaps(doc: &mut Document) {
    let identity: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| match o {
            Object::Stream(st)
                if st.dict.get(b"Filter").is_err()
                    && st
                        .content
                        .windows(IDENTITY_RANGE.len())
                        .any(|w| w == IDENTITY_RANGE)
                    && st.content.windows(7).filter(|w| *w == b"beginbf").count() == 1 =>
            {
                Some(*id)
            }
            _ => None,
        })
        .collect();
    if identity.is_empty() {
        return;
    }
    // The text of every page content stream and every form: where shown codes can come from.
    let mut strings = Vec::new();
    let mut sources: Vec<Vec<u8>> = doc
        .get_pages()
        .values()
        .filter_map(|&page| doc.get_page_content(page).ok())
        .collect();
    for o in doc.objects.values() {
        if let Object::Stream(st) = o {
            if st
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Form")
            {
                match st.get_plain_content() {
                    Ok(c) => sources.push(c),
                    Err(_) => return,
                }
            }
        }
    }
    for content in sources {
        if shown_strings(&content, &mut strings).is_err() {
            return;
        }
    }
    let mut codes: std::collections::BTreeSet<u16> = std::collections::BTreeSet::new();
    for s in &strings {
        for pair in s.chunks(2) {
            let code = if pair.len() == 2 {
                u16::from_be_bytes([pair[0], pair[1]])
            } else {
                pair[0] as u16
            };
            codes.insert(code);
        }
    }
    // Runs of consecutive codes, each an identity range; at most 100 ranges a section.
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for &c in &codes {
        match runs.last_mut() {
            Some((_, end)) if c > 0 && *end == c - 1 => *end = c,
            _ => runs.push((c, c)),
        }
    }
    let mut body = String::new();
    for chunk in runs.chunks(100) {
        body.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for (a, b) in chunk {
            body.push_str(&format!("<{a:04X}> <{b:04X}> <{a:04X}>\n"));
        }
        body.push_str("endbfrange\n");
    }
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    );
    for id in identity {
        if let Ok(Object::Stream(st)) = doc.get_object_mut(id) {
            st.set_plain_content(cmap.clone().into_bytes());
        }
    }
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
        read_pdf(bytes)
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

/// Loads a document; when its cross-reference table is damaged (the load fails, or it finds
/// no pages), loads it again with the table rebuilt. Says what it had to do.
fn load_document(bytes: &[u8], notes: &mut Vec<String>) -> Result<Document, ReadError> {
    let crashed = |panic: String| ReadError::Crashed(panic);
    let first = contain(|| Document::load_mem(bytes)).map_err(crashed)?;
    let usable = |doc: &Document| contain(|| !doc.get_pages().is_empty()).unwrap_or(false);
    let first_error = match first {
        Ok(doc) if usable(&doc) => return Ok(doc),
        Ok(doc) => Ok(doc),
        Err(e) => Err(ReadError::Corrupt(e.to_string())),
    };
    if let Some(rebuilt) = rebuild_xref(bytes) {
        if let Ok(Ok(doc)) = contain(|| Document::load_mem(&rebuilt)) {
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
fn read_pdf(bytes: &[u8]) -> Result<PageTexts, ReadError> {
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
    inflate_within_limit(&mut doc)?;
    // (Contained: it walks the document's structure as pdf-extract does.)
    let _ = contain(|| shrink_identity_cmaps(&mut doc));
    let source = if made_by_ocr(&doc) {
        TextSource::Ocr
    } else {
        TextSource::PdfText
    };
    // One pass over the whole document; only when a page breaks it, page by page, so that
    // one bad page costs only itself.
    let mut paged = PagedText::default();
    let pages = match contain(|| output_doc(&doc, &mut paged)) {
        Ok(Ok(())) => paged.pages,
        _ => {
            let numbers: Vec<u32> =
                contain(|| doc.get_pages().keys().copied().collect()).map_err(crashed)?;
            let mut pages = Vec::with_capacity(numbers.len());
            for number in numbers {
                let mut text = String::new();
                let result = contain(|| {
                    let mut out = PlainTextOutput::new(&mut text);
                    output_doc_page(&doc, &mut out, number)
                });
                let problem = match result {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(format!("page {number}: text could not be extracted: {e}")),
                    Err(panic) => Some(format!("page {number}: the PDF library crashed: {panic}")),
                };
                if let Some(problem) = problem {
                    problems.push(problem);
                    text.clear();
                }
                pages.push(text);
            }
            pages
        }
    };
    Ok(PageTexts {
        pages,
        source,
        problems,
        notes,
    })
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
    fn ocr_identity_maps_shrink_to_the_codes_shown() {
        let bytes = fixture("csr-2020-06-scan.pdf");
        let mut doc = Document::load_mem(&bytes).unwrap();
        inflate_within_limit(&mut doc).unwrap();
        let identity_maps = |doc: &Document| {
            doc.objects
                .values()
                .filter(|o| matches!(o, Object::Stream(st) if st.content.windows(IDENTITY_RANGE.len()).any(|w| w == IDENTITY_RANGE)))
                .count()
        };
        assert!(identity_maps(&doc) > 0);
        shrink_identity_cmaps(&mut doc);
        assert_eq!(identity_maps(&doc), 0);
        // The same text either way: the golden tables of the scans check every record.
        let text = PdfTextReader.read(&bytes).unwrap().pages.join("\n");
        assert!(text.contains("Change Status Report") || text.contains("Purpose"));
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

//! The fallback reader: pdf-extract, for documents with fonts secreg's own reader does not
//! decode (Type 3 fonts, Type 1 and CFF programs' built-in encodings, predefined CJK CMaps).
//!
//! pdf-extract decodes every stream it meets, so the document's streams are first inflated
//! within the size limit here (a compression bomb is refused before anything allocates
//! gigabytes), and OCR fonts' 65,536-entry identity maps are shrunk to the codes shown.

use std::io::Read;

use lopdf::{Document, Object};
use pdf_extract::{output_doc, output_doc_page, MediaBox, OutputDev, OutputError, Transform};

use super::layout::{scaled_size, LaidOutPage, PageLayout};
use super::streams::MAX_INFLATED_BYTES;
use crate::reading::isolate::contain;
use crate::reading::ReadError;

/// Page texts collected in one pass over the document, laid out by [`PageLayout`].
/// pdf-extract's own page-at-a-time API walks the page tree again for every page: quadratic
/// in the pages.
#[derive(Default)]
struct PagedText {
    pages: Vec<LaidOutPage>,
    layout: PageLayout,
}

impl OutputDev for PagedText {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.layout
            .begin_page(media_box.urx - media_box.llx, media_box.ury - media_box.lly);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.pages.push(self.layout.end_page());
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
        let scaled = scaled_size(font_size, trm.m11, trm.m12, trm.m21, trm.m22);
        self.layout.glyph(trm.m31, trm.m32, width, scaled, text);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.layout.begin_word();
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Reads a loaded (and decrypted) document with pdf-extract: page texts and page problems.
pub fn read_with_pdf_extract(
    mut doc: Document,
) -> Result<(Vec<LaidOutPage>, Vec<String>), ReadError> {
    let crashed = |panic: String| ReadError::Crashed(panic);
    inflate_within_limit(&mut doc)?;
    // (Contained: it walks the document's structure as pdf-extract does.)
    let _ = contain(|| shrink_identity_cmaps(&mut doc));
    let mut problems = Vec::new();
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
                // Laid out by the same rules as the one pass (not pdf-extract's own output).
                let mut one = PagedText::default();
                let result = contain(|| output_doc_page(&doc, &mut one, number));
                let mut page = one.pages.pop().unwrap_or_default();
                let problem = match result {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(format!("page {number}: text could not be extracted: {e}")),
                    Err(panic) => Some(format!("page {number}: the PDF library crashed: {panic}")),
                };
                if let Some(problem) = problem {
                    problems.push(problem);
                    page = LaidOutPage::default();
                }
                pages.push(page);
            }
            pages
        }
    };
    Ok((pages, problems))
}

/// Inflates the document's Flate-compressed streams (all but images, which are not read for
/// text) within [`MAX_INFLATED_BYTES`] each, so that pdf-extract reads them as they are and a
/// compression bomb is refused before anything allocates gigabytes.
fn inflate_within_limit(doc: &mut Document) -> Result<(), ReadError> {
    for (id, object) in doc.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let flate_only = stream
            .filters()
            .is_ok_and(|f| f == [b"FlateDecode".as_slice()]);
        if super::is_image(stream) || !flate_only {
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

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

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
    }
}

//! secreg's own PDF text-layer reader against pdf-extract: the same page text on every
//! fixture PDF (so the switch changed no table row and no reading order), without falling
//! back; and the cases the fixtures do not show, on PDFs built here with lopdf.

use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use secreg::reading::{PageTextReader, PdfExtractReader, PdfTextReader};

fn fixture_pdfs() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["fixtures/reports", "fixtures/bad"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pdf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn both_readers_give_the_same_text_on_every_fixture_pdf() {
    let mut compared = 0;
    for path in fixture_pdfs() {
        let bytes = std::fs::read(&path).unwrap();
        let ours = PdfTextReader.read(&bytes);
        let theirs = PdfExtractReader.read(&bytes);
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(ours.pages, theirs.pages, "{}", path.display());
                assert_eq!(ours.source, theirs.source, "{}", path.display());
                // Read by secreg's reader, not handed to pdf-extract.
                assert!(
                    !ours.notes.iter().any(|n| n.contains("pdf-extract")),
                    "{}: {:?}",
                    path.display(),
                    ours.notes
                );
                compared += ours.pages.iter().filter(|p| !p.trim().is_empty()).count();
            }
            // Files neither can read fail for both (with each reader's own wording).
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!(
                "{}: secreg {:?} / pdf-extract {:?}",
                path.display(),
                ours.map(|p| p.pages.len()),
                theirs.map(|p| p.pages.len())
            ),
        }
    }
    // The eight report PDFs: every page with text compared.
    assert!(compared >= 100, "{compared} pages compared");
}

/// A one-page PDF with the given fonts (name -> font dictionary) and content operations.
fn one_page_pdf(
    mut doc: Document,
    fonts: Vec<(&str, lopdf::Dictionary)>,
    ops: Vec<Operation>,
    forms: Vec<(&str, Stream)>,
) -> Vec<u8> {
    let resources = resources(&mut doc, fonts, forms);
    page_pdf(doc, resources, ops)
}

/// A page's resources: these fonts and forms (name -> dictionary or stream), added to `doc`.
fn resources(
    doc: &mut Document,
    fonts: Vec<(&str, lopdf::Dictionary)>,
    forms: Vec<(&str, Stream)>,
) -> lopdf::Dictionary {
    let mut font_dict = lopdf::Dictionary::new();
    for (name, font) in fonts {
        let id = doc.add_object(font);
        font_dict.set(name, id);
    }
    let mut xobjects = lopdf::Dictionary::new();
    for (name, form) in forms {
        let id = doc.add_object(form);
        xobjects.set(name, id);
    }
    dictionary! { "Font" => font_dict, "XObject" => xobjects }
}

/// `doc` with one A4 page of these resources and content operations, saved.
fn page_pdf(doc: Document, resources: lopdf::Dictionary, ops: Vec<Operation>) -> Vec<u8> {
    pages_pdf(doc, resources, vec![ops])
}

/// `doc` with A4 pages sharing these resources, one a list of content operations, saved.
fn pages_pdf(
    mut doc: Document,
    resources: lopdf::Dictionary,
    pages: Vec<Vec<Operation>>,
) -> Vec<u8> {
    let pages_id = doc.new_object_id();
    let resources = doc.add_object(resources);
    let count = pages.len() as i64;
    let mut kids: Vec<Object> = Vec::new();
    for ops in pages {
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().unwrap(),
        ));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content,
                "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })
            .into(),
        );
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

/// A Type 3 font (glyphs drawn by content streams), which secreg's reader leaves to
/// pdf-extract.
fn type3() -> lopdf::Dictionary {
    dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "CharProcs" => dictionary! {},
        "Encoding" => dictionary! { "Differences" => vec![65.into(), "A".into()] },
        "FirstChar" => 65, "LastChar" => 65, "Widths" => vec![500.into()],
    }
}

fn helvetica() -> lopdf::Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}

/// A text object (left open) showing `words` in font `F1` as ocrmypdf writes an OCR layer:
/// each word as given (with its own trailing space), then a move to the next word's place.
fn ocr_layer_words(words: &[&str]) -> Vec<Operation> {
    let mut ops = vec![
        op("BT", vec![]),
        op("Tf", vec!["F1".into(), 10.into()]),
        op("Td", vec![72.into(), 700.into()]),
    ];
    for word in words {
        ops.push(op("Tj", vec![Object::string_literal(*word)]));
        ops.push(op("Td", vec![50.into(), 0.into()]));
    }
    ops
}

fn op(name: &str, operands: Vec<Object>) -> Operation {
    Operation::new(name, operands)
}

/// The text of a one-page PDF, without the blank lines pdf-extract's layout rules (which
/// both readers follow) put before a page's first line.
fn text(bytes: &[u8]) -> (String, Vec<String>) {
    let pages = PdfTextReader.read(bytes).unwrap();
    (
        pages
            .pages
            .join("\u{c}")
            .trim_start_matches('\n')
            .to_string(),
        pages.notes,
    )
}

#[test]
fn next_line_show_operators_and_kerning_are_read() {
    let pdf = one_page_pdf(
        Document::with_version("1.5"),
        vec![("F1", helvetica())],
        vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("TL", vec![14.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![Object::string_literal("MP077 raised")]),
            // ' : next line, then show.
            op("'", vec![Object::string_literal("by Gemserv")]),
            // A kerned pair stays one word; a wide negative adjustment is a space.
            op("T*", vec![]),
            op(
                "TJ",
                vec![Object::Array(vec![
                    Object::string_literal("Appro"),
                    (-20).into(),
                    Object::string_literal("ved"),
                    (-600).into(),
                    Object::string_literal("27 May 2020"),
                ])],
            ),
            op("ET", vec![]),
        ],
        vec![],
    );
    let (got, notes) = text(&pdf);
    assert_eq!(got, "MP077 raised\nby Gemserv\nApproved 27 May 2020");
    assert!(notes.is_empty(), "{notes:?}");
    // pdf-extract does not implement ' : it drops that line.
    let theirs = PdfExtractReader.read(&pdf).unwrap().pages.join("");
    assert!(!theirs.contains("Gemserv"), "{theirs}");
}

#[test]
fn words_shown_with_their_own_space_are_one_space_apart() {
    // As ocrmypdf writes an OCR layer: each word with a trailing space, then a move to the
    // next word's place (a gap a space's rule would also fill).
    let mut ops = ocr_layer_words(&["MPO77 ", "raised ", "by "]);
    // A word without its own space still gets one from the gap.
    ops.push(op("Tj", vec![Object::string_literal("Gemserv")]));
    ops.push(op("Td", vec![50.into(), 0.into()]));
    ops.push(op("Tj", vec![Object::string_literal("Ltd")]));
    // A new line that starts right of where the last one ended starts without a space (a
    // gap after a line break adds none either).
    ops.push(op("Td", vec![100.into(), (-20).into()]));
    ops.push(op("Tj", vec![Object::string_literal("on 5 June")]));
    ops.push(op("ET", vec![]));
    let pdf = one_page_pdf(
        Document::with_version("1.5"),
        vec![("F1", helvetica())],
        ops,
        vec![],
    );
    let (got, notes) = text(&pdf);
    assert_eq!(got, "MPO77 raised by Gemserv Ltd\non 5 June");
    assert!(notes.is_empty(), "{notes:?}");
    // Both readers lay glyphs out by the same rules.
    let theirs = PdfExtractReader.read(&pdf).unwrap().pages.join("");
    assert_eq!(theirs.trim_start_matches('\n'), got);
}

#[test]
fn forms_are_drawn_where_their_matrix_and_the_ctm_put_them() {
    let form_content = Content {
        operations: vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Tj", vec![Object::string_literal("in the form")]),
            op("ET", vec![]),
        ],
    };
    let font_id_placeholder = helvetica();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-100).into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id_placeholder } },
        },
        form_content.encode().unwrap(),
    );
    let pdf = one_page_pdf(
        Document::with_version("1.5"),
        vec![("F1", helvetica())],
        vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![Object::string_literal("above")]),
            op("ET", vec![]),
            op("q", vec![]),
            op(
                "cm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    72.into(),
                    700.into(),
                ],
            ),
            op("Do", vec!["Fm1".into()]),
            op("Q", vec![]),
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 500.into()]),
            op("Tj", vec![Object::string_literal("below")]),
            op("ET", vec![]),
        ],
        vec![("Fm1", form)],
    );
    // The form's text sits at y = 600, between the two lines: read in drawing order, each
    // on its own line.
    let (got, _) = text(&pdf);
    assert_eq!(got, "above\n\nin the form\n\nbelow");
}

#[test]
fn type0_fonts_with_a_tounicode_range_are_decoded() {
    let mut doc = Document::with_version("1.5");
    let to_unicode = Stream::new(
        dictionary! {},
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0000> <FFFF> <0000> endbfrange\nendcmap end end".to_vec(),
    );
    let mut doc_font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "GlyphLessFont",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "GlyphLessFont",
            "DW" => 500,
        })],
    };
    doc_font.set("ToUnicode", doc.add_object(to_unicode));
    let utf16: Vec<u8> = "SECMP0053 £"
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    let pdf = one_page_pdf(
        doc,
        vec![("F1", doc_font)],
        vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op(
                "Tj",
                vec![Object::String(utf16, lopdf::StringFormat::Hexadecimal)],
            ),
            op("ET", vec![]),
        ],
        vec![],
    );
    let (got, notes) = text(&pdf);
    assert_eq!(got, "SECMP0053 £");
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn fonts_it_cannot_decode_send_the_document_to_pdf_extract_and_say_so() {
    let pdf = one_page_pdf(
        Document::with_version("1.5"),
        vec![("F1", helvetica()), ("F3", type3())],
        vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![Object::string_literal("MP102A")]),
            op("Tf", vec!["F3".into(), 10.into()]),
            op("Tj", vec![Object::string_literal("A")]),
            op("ET", vec![]),
        ],
        vec![],
    );
    let pages = PdfTextReader.read(&pdf).unwrap();
    assert!(
        pages
            .notes
            .iter()
            .any(|n| n.contains("pdf-extract") && n.contains("Type 3")),
        "{:?}",
        pages.notes
    );
    assert!(pages.pages[0].contains("MP102A"), "{:?}", pages.pages);
}

#[test]
fn forms_that_draw_themselves_or_fan_out_do_not_hang_the_reader() {
    let mut doc = Document::with_version("1.5");
    let font = doc.add_object(helvetica());
    // A chain of 12 forms, each drawing the next ten times: 10^12 runs without a budget.
    let mut next: Option<lopdf::ObjectId> = None;
    for _ in 0..12 {
        let mut ops = vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Tj", vec![Object::string_literal("x")]),
            op("ET", vec![]),
        ];
        let mut xobjects = lopdf::Dictionary::new();
        if let Some(id) = next {
            xobjects.set("Fn", id);
            ops.extend((0..10).map(|_| op("Do", vec!["Fn".into()])));
        }
        let id = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects },
            },
            Content { operations: ops }.encode().unwrap(),
        ));
        next = Some(id);
    }
    // And a form that draws itself.
    let selfish = doc.new_object_id();
    doc.objects.insert(
        selfish,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Me" => selfish } },
            },
            b"/Me Do /Me Do".to_vec(),
        )),
    );
    let pdf = page_pdf(
        doc,
        dictionary! {
            "Font" => dictionary! { "F1" => font },
            "XObject" => dictionary! { "Top" => next.unwrap(), "Me" => selfish },
        },
        vec![
            op("BT", vec![]),
            op("Tf", vec!["F1".into(), 10.into()]),
            op("Td", vec![72.into(), 700.into()]),
            op("Tj", vec![Object::string_literal("top")]),
            op("ET", vec![]),
            op("Do", vec!["Me".into()]),
            op("Do", vec!["Top".into()]),
        ],
    );
    let pages = PdfTextReader.read(&pdf).unwrap();
    assert!(pages.pages[0].contains("top"));
    // Each form drawn shows one "x": the page's budget of form runs bounds them.
    let xs = pages.pages[0].matches('x').count();
    assert!((1_000..=10_000).contains(&xs), "{xs} forms drawn");
}

#[test]
fn a_document_read_page_by_page_by_the_fallback_is_laid_out_by_the_same_rules() {
    // A Type 3 font sends the document to pdf-extract; a font the second page names but does
    // not have breaks pdf-extract's pass over the whole document, so it reads page by page.
    let mut doc = Document::with_version("1.5");
    let resources = resources(&mut doc, vec![("F1", helvetica()), ("F3", type3())], vec![]);
    // Page one: words shown with their own trailing space, then moved apart (as OCR layers).
    let mut first = ocr_layer_words(&["MPO77 ", "raised ", "by "]);
    first.push(op("Tf", vec!["F3".into(), 10.into()]));
    first.push(op("Tj", vec![Object::string_literal("A")]));
    first.push(op("ET", vec![]));
    let second = vec![
        op("BT", vec![]),
        op("Tf", vec!["F9".into(), 10.into()]),
        op("Td", vec![72.into(), 700.into()]),
        op("Tj", vec![Object::string_literal("lost")]),
        op("ET", vec![]),
    ];
    let pdf = pages_pdf(doc, resources, vec![first, second]);

    let read = PdfTextReader.read(&pdf).unwrap();
    assert!(
        read.notes.iter().any(|n| n.contains("pdf-extract")),
        "{:?}",
        read.notes
    );
    // The second page is lost, and said so; the first is read, one space between words.
    assert_eq!(read.pages.len(), 2, "{:?}", read.pages);
    assert!(
        read.problems.iter().any(|p| p.contains("page 2")),
        "{:?}",
        read.problems
    );
    assert!(
        read.pages[0].contains("MPO77 raised by "),
        "{:?}",
        read.pages[0]
    );
}

//! OCR of image-only scans (issue 24): a scan with no text layer is read by tesseract into
//! the same tables as its digital twin; a missing, crashing, hanging or babbling tesseract is
//! one file's diagnostic, never the end of the run.
//!
//! The tests that need tesseract say that they were skipped (and why) when it is not
//! installed; CI installs it (.ci/run).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use polars::prelude::*;
use secreg::grammar::Grammar;
use secreg::output::Format;
use secreg::pipeline::{ingest, IngestOptions};
use secreg::reading::ocr::{self, OcrMode, OcrOptions};

fn tesseract_found() -> bool {
    let found = ocr::tool_version(&OcrOptions::default().tesseract).is_some();
    if !found {
        eprintln!(
            "SKIPPED: tesseract is not installed (apt-get install {}): the OCR test checks only that the scan is reported as needing it",
            ocr::TESSERACT_PACKAGES
        );
    }
    found
}

fn run(inputs: Vec<PathBuf>, ocr: OcrOptions) -> (tempfile::TempDir, f64) {
    let out = tempfile::tempdir().unwrap();
    let options = IngestOptions {
        inputs,
        out_dir: out.path().to_path_buf(),
        jobs: None,
        formats: vec![Format::Parquet],
        progress: false,
        force: false,
        file_timeout: Duration::from_secs(600),
        ocr,
    };
    let start = Instant::now();
    ingest(&options, Grammar::builtin()).unwrap();
    (out, start.elapsed().as_secs_f64())
}

/// One file's `reports` row: (status, text_source, error, events, assessments, confidence).
fn row(out: &Path, file: &str) -> (String, String, String, u32, u32, Option<f32>) {
    let r = report_row(out, file);
    let confidence = r.column("ocr_confidence").unwrap().f32().unwrap().get(0);
    (
        text_of(&r, "status"),
        text_of(&r, "text_source"),
        text_of(&r, "error"),
        number_of(&r, "events"),
        number_of(&r, "assessments"),
        confidence,
    )
}

fn image_scan() -> PathBuf {
    fixtures().join("ocr").join("csr-2020-07-image.pdf")
}

#[test]
fn an_image_only_scan_reads_close_to_its_digital_twin() {
    let digital = fixture_reports().join("csr-2020-07-digital.pdf");
    if !tesseract_found() {
        let (out, _) = run(vec![image_scan()], OcrOptions::default());
        let (status, _, error, ..) = row(out.path(), "csr-2020-07-image.pdf");
        assert_eq!(status, "no_text_layer");
        assert!(error.contains("tesseract-ocr tesseract-ocr-eng"), "{error}");
        return;
    }
    let (out, seconds) = run(vec![image_scan(), digital], OcrOptions::default());
    let (status, source, error, events, assessments, confidence) =
        row(out.path(), "csr-2020-07-image.pdf");
    let (_, _, _, digital_events, digital_assessments, digital_confidence) =
        row(out.path(), "csr-2020-07-digital.pdf");
    eprintln!(
        "OCR'd scan: {status} {source}, {events}/{digital_events} events, {assessments}/{digital_assessments} assessments, confidence {confidence:?}, {seconds:.1} s with the digital twin ({error})"
    );
    assert!(
        matches!(status.as_str(), "ok" | "partial"),
        "{status}: {error}"
    );
    assert_eq!(source, "ocr");
    assert_eq!(digital_confidence, None);
    assert!(
        confidence.is_some_and(|c| c > 0.6 && c <= 1.),
        "{confidence:?}"
    );
    assert!(
        events as f64 >= 0.8 * digital_events as f64,
        "{events} of {digital_events} events"
    );
    assert!(
        assessments as f64 >= 0.8 * digital_assessments as f64,
        "{assessments} of {digital_assessments} assessments"
    );
    // A row read from OCR'd words is no surer than the words on its line.
    let events = read_parquet(out.path(), "events");
    let mean_confidence = |file: &str| {
        rows_of(&events, file)
            .column("confidence")
            .unwrap()
            .f32()
            .unwrap()
            .mean()
            .unwrap()
    };
    let (scan, twin) = (
        mean_confidence("csr-2020-07-image.pdf"),
        mean_confidence("csr-2020-07-digital.pdf"),
    );
    eprintln!("events' mean confidence: OCR'd {scan:.3}, digital {twin:.3}");
    assert!(scan < twin && scan > 0.5, "{scan} against {twin}");
}

#[test]
fn ocr_never_leaves_the_scan_unread() {
    let (out, _) = run(
        vec![image_scan()],
        OcrOptions::new(OcrMode::Never, "eng", None),
    );
    let (status, _, error, events, ..) = row(out.path(), "csr-2020-07-image.pdf");
    assert_eq!((status.as_str(), events), ("no_text_layer", 0));
    assert!(error.contains("needs OCR"), "{error}");
}

#[test]
fn a_missing_tesseract_says_what_to_install() {
    let mut options = OcrOptions::default();
    options.tesseract = PathBuf::from("/nonexistent/tesseract");
    let (out, _) = run(
        vec![fixtures().join("bad").join("image-only-scan.pdf")],
        options,
    );
    let (status, _, error, ..) = row(out.path(), "image-only-scan.pdf");
    assert_eq!(status, "no_text_layer");
    assert!(
        error.contains("install the Debian packages tesseract-ocr tesseract-ocr-eng"),
        "{error}"
    );
}

/// A stub tesseract: a shell script that answers `--version` and then does `body`.
fn stub(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'tesseract 5.3.0 (stub)'; exit 0; fi\n{body}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_crashing_hanging_or_babbling_tesseract_is_a_page_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "crash",
            "echo 'Segmentation fault' >&2; exit 139",
            "tesseract failed",
        ),
        ("hang", "exec sleep 30", "did not finish within"),
        ("garbage", "echo 'this is not TSV'", "not its TSV"),
        ("nothing", "exit 0", "not its TSV"),
    ];
    for (name, body, expected) in cases {
        let mut options = OcrOptions::default();
        options.tesseract = stub(dir.path(), name, body);
        options.page_timeout = Duration::from_secs(1);
        let start = Instant::now();
        let (out, _) = run(
            vec![fixtures().join("bad").join("image-only-scan.pdf")],
            options,
        );
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: the run waited on tesseract"
        );
        let (status, _, error, ..) = row(out.path(), "image-only-scan.pdf");
        assert_eq!(status, "no_text_layer", "{name}: {error}");
        assert!(error.contains(expected), "{name}: {error}");
    }
}

/// The image-only scan with its page 2 image made a broken JPEG (its bytes cut to a header
/// and garbage) and its page 3 image an image bomb (declared 100,000 x 100,000 pixels).
fn scan_with_a_broken_and_a_bombed_page(dir: &Path) -> PathBuf {
    let mut doc = lopdf::Document::load(image_scan()).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    let image_of = |doc: &lopdf::Document, page: lopdf::ObjectId| -> lopdf::ObjectId {
        let (resources, _) = doc.get_page_resources(page).unwrap();
        let xobjects = resources.unwrap().get(b"XObject").unwrap();
        let xobjects = doc.dereference(xobjects).unwrap().1.as_dict().unwrap();
        xobjects.iter().next().unwrap().1.as_reference().unwrap()
    };
    let broken = image_of(&doc, pages[1]);
    let bombed = image_of(&doc, pages[2]);
    let stream = doc.get_object_mut(broken).unwrap().as_stream_mut().unwrap();
    assert_eq!(
        stream.dict.get(b"Filter").unwrap().as_name().unwrap(),
        b"DCTDecode"
    );
    let mut bytes = stream.content[..200].to_vec();
    bytes.extend(std::iter::repeat_n(0x5a, 500));
    stream.set_content(bytes);
    let stream = doc.get_object_mut(bombed).unwrap().as_stream_mut().unwrap();
    stream.dict.set("Width", 100_000);
    stream.dict.set("Height", 100_000);
    let path = dir.join("csr-2020-07-image-damaged.pdf");
    doc.save(&path).unwrap();
    path
}

#[test]
fn a_broken_jpeg_and_an_image_bomb_cost_their_pages_only() {
    if !tesseract_found() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let damaged = scan_with_a_broken_and_a_bombed_page(dir.path());
    let (out, _) = run(vec![damaged, image_scan()], OcrOptions::default());
    let (status, source, error, events, ..) = row(out.path(), "csr-2020-07-image-damaged.pdf");
    let (_, _, _, whole_events, ..) = row(out.path(), "csr-2020-07-image.pdf");
    eprintln!("damaged scan: {status} {source}, {events}/{whole_events} events ({error})");
    assert_eq!(source, "ocr");
    assert_eq!(status, "partial", "{error}");
    let diagnostics = read_parquet(out.path(), "diagnostics");
    let messages = rows_of(&diagnostics, "csr-2020-07-image-damaged.pdf");
    let messages: Vec<&str> = messages
        .column("message")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    let said = |words: &str| messages.iter().any(|m| m.contains(words));
    assert!(said("page 2: not OCR'd"), "{messages:#?}");
    assert!(said("page 3: not OCR'd"), "{messages:#?}");
    assert!(said("image bomb"), "{messages:#?}");
    // The other pages are read: the events of pages 1 and 4 on are there.
    assert!(
        events > 0 && events < whole_events,
        "{events} of {whole_events}"
    );
}

//! Bad input and faults: every broken file of an archive is accounted for in `reports` with a
//! clear status and error, nothing else is lost, nothing hangs. The small cases are in
//! fixtures/bad/ (made by fixtures/make-bad.py); the large and machine-dependent ones are
//! made here at run time.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;
use polars::prelude::*;
use secreg::grammar::Grammar;
use secreg::output::Format;
use secreg::pipeline::{ingest, IngestOptions, IngestSummary};

fn bad(name: &str) -> PathBuf {
    fixtures().join("bad").join(name)
}

fn ingest_with(inputs: Vec<PathBuf>, out: &Path, timeout: Duration) -> IngestSummary {
    let options = IngestOptions {
        inputs,
        out_dir: out.to_path_buf(),
        jobs: None,
        formats: vec![Format::Parquet, Format::Csv],
        progress: false,
        force: false,
        file_timeout: timeout,
        ocr: Default::default(),
    };
    ingest(&options, Grammar::builtin()).unwrap()
}

/// The `reports` row of one file: (status, error, pages, events).
fn report_of(out: &Path, file_name: &str) -> (String, String, u32, u32) {
    let row = report_row(out, file_name);
    (
        text_of(&row, "status"),
        text_of(&row, "error"),
        number_of(&row, "pages"),
        number_of(&row, "events"),
    )
}

/// Ingests one file alone and returns its reports row. (The time limit is generous: these
/// tests ask whether a file is read, not how fast; the 100 MB text took 58 s of a 60 s limit
/// in the test build on a loaded 2-core machine. Speed is measured in `benches/`.)
fn one(path: PathBuf) -> (String, String, u32, u32) {
    let out = tempfile::tempdir().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let summary = ingest_with(vec![path], out.path(), Duration::from_secs(300));
    assert_eq!(summary.files, 1);
    report_of(out.path(), &name)
}

fn assert_failed_with(path: PathBuf, words: &str) {
    let (status, error, _, _) = one(path.clone());
    assert_eq!(status, "failed", "{}: {error}", path.display());
    assert!(
        error.contains(words),
        "{}: error {error:?} does not say {words:?}",
        path.display()
    );
}

#[test]
fn zero_bytes() {
    assert_failed_with(bad("empty.pdf"), "the file is empty");
}

#[test]
fn truncated_at_10_and_60_percent() {
    // At 10% nothing is left to read; at 60% the objects before the cut are read, with the
    // cross-reference table rebuilt, and the report says what is missing.
    assert_failed_with(bad("truncated-10.pdf"), "damaged and cannot be parsed");
    let (status, error, pages, _) = one(bad("truncated-60.pdf"));
    assert_eq!(status, "partial");
    assert!(error.contains("truncated"), "{error}");
    assert!(pages > 0);
}

#[test]
fn random_bytes_and_html_named_pdf() {
    assert_failed_with(bad("random-bytes.pdf"), "not a PDF");
    assert_failed_with(
        bad("html-page.pdf"),
        "not a PDF (the file starts with \"<!DOCTYPE html>",
    );
}

#[test]
fn encrypted_with_a_user_password_and_with_an_empty_one() {
    assert_failed_with(
        bad("encrypted-user-password.pdf"),
        "encrypted with a user password",
    );
    let (_, _, _, digital_events) = one(fixture_reports().join("csr-2020-06-digital.pdf"));
    let (status, error, pages, events) = one(bad("encrypted-empty-user-password.pdf"));
    assert_eq!((status.as_str(), error.as_str()), ("ok", ""));
    assert!(pages > 20);
    assert_eq!(
        events, digital_events,
        "an empty user password reads normally"
    );
}

#[test]
fn image_only_scan_needs_ocr() {
    let (status, error, pages, _) = one(bad("image-only-scan.pdf"));
    assert_eq!((status.as_str(), pages), ("no_text_layer", 1));
    assert!(error.contains("needs OCR"), "{error}");
}

#[test]
fn broken_xref_is_recovered() {
    let (_, _, _, digital_events) = one(fixture_reports().join("csr-2020-06-digital.pdf"));
    let (status, _, _, events) = one(bad("broken-xref.pdf"));
    assert_eq!(status, "ok");
    assert_eq!(events, digital_events);
}

#[test]
fn reference_loops_and_deep_nesting() {
    assert_failed_with(bad("reference-loop.pdf"), "no pages");
    assert_failed_with(bad("deep-nesting.pdf"), "no pages");
}

#[test]
fn a_flate_bomb_is_refused_before_it_inflates() {
    assert_failed_with(bad("flate-bomb.pdf"), "compression bomb");
}

#[test]
fn text_that_is_not_utf8_is_read_and_flagged() {
    let (status, error, _, _) = one(bad("windows-1252.txt"));
    assert_eq!(status, "partial");
    assert!(error.contains("not valid UTF-8"), "{error}");
}

/// A PDF of `pages` blank pages sharing one empty content stream.
fn blank_pdf(pages: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", i + 4))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "<< /Length 0 >>\nstream\n\nendstream".into(),
    ];
    objects.extend((0..pages).map(|_| {
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>".to_string()
    }));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn ten_thousand_blank_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank-10000.pdf");
    std::fs::write(&path, blank_pdf(10_000)).unwrap();
    let (status, _, pages, _) = one(path);
    assert_eq!((status.as_str(), pages), ("no_text_layer", 10_000));
}

#[test]
fn a_100_mb_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let report = std::fs::read_to_string(fixture_reports().join("csr-2020-06-ocr.txt")).unwrap();
    let mut text = String::with_capacity(100 << 20);
    while text.len() < 100 << 20 {
        text.push_str(&report.replace("\n ", "\n\u{c}"));
        text.push('\u{c}');
    }
    std::fs::write(&path, &text).unwrap();
    let (status, _, pages, events) = one(path);
    assert_eq!(status, "ok");
    assert!(pages > 80_000, "{pages}");
    assert!(events >= 61, "the report's facts are read ({events})");
}

#[test]
fn an_unreadable_file_a_symlink_loop_and_a_duplicate() {
    let archive = tempfile::tempdir().unwrap();
    let a = archive.path();
    std::fs::copy(
        fixture_reports().join("csr-2020-06-digital.pdf"),
        a.join("june.pdf"),
    )
    .unwrap();
    std::fs::copy(
        fixture_reports().join("csr-2020-06-digital.pdf"),
        a.join("june copy.pdf"),
    )
    .unwrap();
    // Root reads any file whatever its mode, so "unreadable" is a link to nowhere.
    std::os::unix::fs::symlink(a.join("gone.pdf"), a.join("unreadable.pdf")).unwrap();
    std::fs::create_dir(a.join("loop")).unwrap();
    std::os::unix::fs::symlink(a, a.join("loop").join("back")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = ingest_with(vec![a.to_path_buf()], out.path(), Duration::from_secs(60));
    let (status, error, _, _) = report_of(out.path(), "unreadable.pdf");
    assert_eq!(status, "failed");
    assert!(error.contains("cannot read the file"), "{error}");
    let reports = read_parquet(out.path(), "reports");
    let errors: Vec<String> = reports
        .column("error")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(String::from)
        .collect();
    assert!(
        errors.iter().any(|e| e.contains("symbolic link loop")),
        "{errors:?}"
    );
    // The same bytes twice: read once, both paths in reports.
    let (first, _, _, first_events) = report_of(out.path(), "june copy.pdf");
    let (second, second_error, _, second_events) = report_of(out.path(), "june.pdf");
    assert_eq!((first.as_str(), second.as_str()), ("ok", "skipped"));
    assert!(second_error.contains("june copy.pdf"), "{second_error}");
    assert!(first_events > 0 && second_events == 0);
    assert_eq!(summary.failed, 1);
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read() {
    let archive = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture_reports().join("csr-2020-06-ocr.txt"),
        archive.path().join("june.txt"),
    )
    .unwrap();
    let out = archive.path().join("tables");
    ingest_with(
        vec![archive.path().to_path_buf()],
        &out,
        Duration::from_secs(60),
    );
    // The second run finds the first run's CSV tables in the input folder: it must skip them.
    let summary = ingest_with(
        vec![archive.path().to_path_buf()],
        &out,
        Duration::from_secs(60),
    );
    assert_eq!(
        (summary.files, summary.skipped),
        (1, 0),
        "{}",
        summary.paragraph()
    );
}

#[test]
fn a_file_that_never_returns_times_out_and_the_run_goes_on() {
    let archive = tempfile::tempdir().unwrap();
    let fifo = archive.path().join("stuck.pdf");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    std::fs::copy(
        fixture_reports().join("csr-2020-06-ocr.txt"),
        archive.path().join("june.txt"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let summary = ingest_with(
        vec![archive.path().to_path_buf()],
        out.path(),
        Duration::from_secs(2),
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    let (status, error, _, _) = report_of(out.path(), "stuck.pdf");
    assert_eq!(status, "failed");
    assert!(error.contains("timed out"), "{error}");
    assert_eq!(report_of(out.path(), "june.txt").0, "ok");
    assert_eq!(summary.failed, 1);
}

#[test]
fn bad_files_beside_good_ones_change_nothing_of_the_good_ones() {
    let good = vec![
        fixture_reports().join("csr-2020-06-digital.pdf"),
        fixture_reports().join("csr-2020-06-ocr.txt"),
    ];
    let (alone, _) = run_ingest(good.clone(), None);
    let mut mixed_inputs = good.clone();
    mixed_inputs.push(fixtures().join("bad"));
    let (mixed, summary) = run_ingest(mixed_inputs, None);
    assert!(summary.failed >= 8, "{}", summary.paragraph());
    // (history and modifications gather all reports: a readable copy among the bad files, as
    // the encrypted one with an empty password, rightly adds to them.)
    for table in [
        "mentions",
        "events",
        "assessments",
        "dcc_status",
        "diagnostics",
    ] {
        let a = read_parquet(alone.path(), table);
        let b = read_parquet(mixed.path(), table);
        let b = if b.column("source_file").is_ok() {
            let files = b.column("source_file").unwrap().str().unwrap().clone();
            let mask: BooleanChunked = files
                .iter()
                .map(|f| !f.unwrap_or("").contains("/bad/"))
                .collect();
            b.filter(&mask).unwrap()
        } else {
            b
        };
        assert!(
            a.equals_missing(&b),
            "{table} differs when bad files are added"
        );
    }
}

fn secreg() -> Command {
    Command::new(env!("CARGO_BIN_EXE_secreg"))
}

#[test]
fn an_unwritable_output_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let out = secreg()
        .args(["ingest", "--quiet", "--out"])
        .arg(file.join("tables"))
        .arg(fixture_reports().join("csr-2020-06-ocr.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-a-folder"), "{stderr}");
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rapports été 2020");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        fixture_reports().join("csr-2020-06-ocr.txt"),
        input.join("juin — 2020.txt"),
    )
    .unwrap();
    let out = dir.path().join("tables à lire");
    let run = secreg()
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(report_of(&out, "juin — 2020.txt").0, "ok");
}

#[test]
fn exit_status_says_when_some_files_failed() {
    let dir = tempfile::tempdir().unwrap();
    let run = secreg()
        .args(["ingest", "--quiet", "--out"])
        .arg(dir.path())
        .arg(bad("empty.pdf"))
        .arg(fixture_reports().join("csr-2020-06-ocr.txt"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn output_cut_short_by_its_reader_is_not_an_error() {
    // `secreg text FILE | head -1`: the reader closes the pipe after one line. The text is
    // far longer than a pipe holds, so the writer meets the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.txt");
    let report = std::fs::read_to_string(fixture_reports().join("csr-2020-06-ocr.txt")).unwrap();
    std::fs::write(&long, report.repeat(40)).unwrap();
    let mut run = secreg()
        .args(["text"])
        .arg(&long)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(run.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(run.stdout.take());
    let done = run.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(first.starts_with(b"=== page 1"));
}

#[test]
fn a_run_killed_at_any_moment_leaves_whole_tables() {
    // A first run writes the tables; later runs over a larger archive are killed at several
    // moments, during reading and during writing. Every table must still read back whole,
    // as the old run's or the new run's, never a mix.
    let archive = tempfile::tempdir().unwrap();
    for i in 0..6 {
        for f in ["csr-2020-06-scan.pdf", "csr-2020-06-digital.pdf"] {
            let bytes = std::fs::read(fixture_reports().join(f)).unwrap();
            // Different bytes for each copy, so that none is a duplicate of another.
            let mut bytes = bytes;
            bytes.extend(format!("\n% copy {i}\n").bytes());
            std::fs::write(archive.path().join(format!("{i}-{f}")), bytes).unwrap();
        }
    }
    // What a killed run leaves in the temporary folder (OCR's scratch folders) is left here,
    // not in the machine's.
    let scratch = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let first = secreg()
        .args(["ingest", "--quiet", "--out"])
        .arg(out.path())
        .arg(fixture_reports().join("csr-2020-06-ocr.txt"))
        .status()
        .unwrap();
    assert!(first.success());
    let tables = [
        "reports",
        "events",
        "history",
        "modifications",
        "diagnostics",
    ];
    // Each table's rows in Parquet and in CSV (each read whole, or the read panics).
    let rows = || -> Vec<(usize, usize)> {
        tables
            .iter()
            .map(|t| {
                (
                    read_parquet(out.path(), t).height(),
                    read_csv_as_text(out.path(), t).height(),
                )
            })
            .collect()
    };
    let old = rows();
    let run = || {
        let mut run = secreg();
        run.args(["ingest", "--quiet", "--force", "--jobs", "2", "--out"])
            .arg(out.path())
            .arg(archive.path())
            .env("TMPDIR", scratch.path());
        run
    };
    let mut after_kills = Vec::new();
    for delay_ms in [200u64, 700, 1500, 2500, 4000] {
        let mut child = run().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        after_kills.push((delay_ms, rows()));
    }
    assert!(run().status().unwrap().success());
    let new = rows();
    assert!(
        (0..tables.len()).any(|i| old[i] != new[i]),
        "the old run and the new wrote as many rows in every table: the test tells them apart by nothing"
    );
    for (i, table) in tables.iter().enumerate() {
        for (delay_ms, rows) in &after_kills {
            let (parquet, csv) = rows[i];
            for (format, n, old, new) in [
                ("parquet", parquet, old[i].0, new[i].0),
                ("csv", csv, old[i].1, new[i].1),
            ] {
                assert!(
                    n == old || n == new,
                    "{table}.{format} after a kill at {delay_ms} ms: {n} rows, neither the old run's {old} nor the new run's {new}"
                );
            }
        }
    }
}

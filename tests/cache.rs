//! The parse cache and the record of the last run (issue 26): a run over files the cache
//! holds writes the bytes a `--force` run writes; a run with nothing changed writes nothing;
//! a damaged cache entry or record is parsed again, never trusted and never a crash.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secreg::grammar::Grammar;
use secreg::output::Format;
use secreg::pipeline::cache::CACHE_DIR;
use secreg::pipeline::record::RECORD_FILE;
use secreg::pipeline::{ingest, IngestOptions, IngestSummary};

/// Inputs quick to parse in a test build: the June text and two digital PDFs. They are the
/// checked-out fixtures, modified long before any test runs, so their stamps are trusted.
fn inputs() -> Vec<PathBuf> {
    let r = common::fixture_reports();
    vec![
        r.join("csr-2020-06-ocr.txt"),
        r.join("csr-2020-07-digital.pdf"),
        r.join("csr-2020-08-digital.pdf"),
    ]
}

fn run(out: &Path, inputs: Vec<PathBuf>, force: bool) -> IngestSummary {
    let options = IngestOptions {
        inputs,
        out_dir: out.to_path_buf(),
        jobs: Some(2),
        formats: vec![Format::Parquet, Format::Csv],
        progress: false,
        force,
        file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
        ocr: Default::default(),
    };
    ingest(&options, Grammar::builtin()).expect("ingest runs")
}

/// Every table file of an output folder: name -> bytes.
fn tables(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv" || x == "parquet"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The cache's entries of reports (not the record, not the segments').
fn entries(out: &Path) -> Vec<PathBuf> {
    cache_files(out)
        .into_iter()
        .filter(|p| !is_segment(p))
        .collect()
}

/// The cache's entries of segments (what a segment's reports add to the history).
fn segment_entries(out: &Path) -> Vec<PathBuf> {
    cache_files(out)
        .into_iter()
        .filter(|p| is_segment(p))
        .collect()
}

fn is_segment(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("segment-"))
}

fn cache_files(out: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(out.join(CACHE_DIR))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != RECORD_FILE))
        .collect()
}

fn assert_same_tables(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.len() >= 20, "every table in both formats: {:?}", a.keys());
    for (name, bytes) in a {
        assert!(b[name] == *bytes, "{name} differs from the --force run's");
    }
}

/// The `reports` CSV without its `millis` column (a parse's time, which no two parses share).
fn reports_without_millis(csv: &[u8]) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(csv.to_vec()))
        .finish()
        .expect("reports.csv reads back")
        .drop("millis")
        .expect("a millis column")
}

/// Parsed again, the tables are the same but for the parse times in `reports`.
fn assert_same_tables_but_times(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let strip = |t: &BTreeMap<String, Vec<u8>>| {
        let mut t = t.clone();
        t.remove("reports.parquet");
        let reports = t.remove("reports.csv").unwrap();
        (t, reports_without_millis(&reports))
    };
    let ((a, ra), (b, rb)) = (strip(a), strip(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(b[name] == *bytes, "{name} differs from the --force run's");
    }
    assert!(ra.equals_missing(&rb), "reports differ: {ra} {rb}");
}

#[test]
fn a_run_from_the_cache_writes_the_bytes_a_forced_run_writes() {
    let out = tempfile::tempdir().unwrap();
    let forced = run(out.path(), inputs(), true);
    assert_eq!(forced.reused, 0);
    let written = tables(out.path());
    // Without the record, the run must take every report from the cache and build every
    // table again; with tables removed, it must write them.
    std::fs::remove_file(out.path().join(CACHE_DIR).join(RECORD_FILE)).unwrap();
    for name in written.keys() {
        std::fs::remove_file(out.path().join(name)).unwrap();
    }
    let cached = run(out.path(), inputs(), false);
    assert_eq!(cached.reused, 3, "every report from the cache");
    assert_eq!(cached.tables_replaced, written.len());
    assert_same_tables(&written, &tables(out.path()));
    assert_eq!(cached.rows, forced.rows);
}

#[test]
fn a_run_with_nothing_changed_rewrites_nothing() {
    let out = tempfile::tempdir().unwrap();
    let first = run(out.path(), inputs(), false);
    let modified = |name: &str| {
        std::fs::metadata(out.path().join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified("events.parquet");
    // The record alone answers: the cache's entries are not needed.
    for e in entries(out.path()) {
        std::fs::remove_file(e).unwrap();
    }
    let again = run(out.path(), inputs(), false);
    assert_eq!(again.tables_replaced, 0);
    assert_eq!(again.reused, 3);
    assert_eq!(again.rows, first.rows);
    assert_eq!((again.ok, again.failed), (first.ok, first.failed));
    assert_eq!(modified("events.parquet"), before);
}

#[test]
fn a_table_changed_since_the_last_run_is_written_again() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), inputs(), false);
    let written = tables(out.path());
    std::fs::write(out.path().join("events.csv"), "edited by hand\n").unwrap();
    let again = run(out.path(), inputs(), false);
    assert_eq!(again.tables_replaced, 1, "events.csv alone");
    assert_same_tables(&written, &tables(out.path()));
}

#[test]
fn a_new_or_removed_file_changes_the_tables() {
    let out = tempfile::tempdir().unwrap();
    let two = inputs()[..2].to_vec();
    let first = run(out.path(), two.clone(), false);
    let three = run(out.path(), inputs(), false);
    assert_eq!(
        three.reused, 2,
        "the two files of the first run from the cache"
    );
    assert!(three.tables_replaced > 0);
    let reports = |s: &IngestSummary| s.rows.iter().find(|(t, _)| *t == "reports").unwrap().1;
    assert_eq!((reports(&first), reports(&three)), (2, 3));
    let back = run(out.path(), two, false);
    assert_eq!(reports(&back), 2);
}

#[test]
fn damaged_cache_entries_are_parsed_again() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), inputs(), true);
    let written = tables(out.path());
    std::fs::remove_file(out.path().join(CACHE_DIR).join(RECORD_FILE)).unwrap();
    // One entry cut short, one with a byte changed half way (what only its checksum tells),
    // one garbage.
    let damaged = entries(out.path());
    assert_eq!(damaged.len(), 3);
    let whole = std::fs::read(&damaged[0]).unwrap();
    std::fs::write(&damaged[0], &whole[..whole.len() / 2]).unwrap();
    let mut flipped = std::fs::read(&damaged[1]).unwrap();
    let half = flipped.len() / 2;
    flipped[half] ^= 0x01;
    std::fs::write(&damaged[1], &flipped).unwrap();
    std::fs::write(&damaged[2], b"\xff\x00 not a cache entry \x7f").unwrap();
    let again = run(out.path(), inputs(), false);
    assert_eq!(again.reused, 0, "no damaged entry taken");
    assert_eq!(again.failed, 0);
    assert_same_tables_but_times(&written, &tables(out.path()));
    // And the entries were written again, whole.
    std::fs::remove_file(out.path().join(CACHE_DIR).join(RECORD_FILE)).unwrap();
    assert_eq!(run(out.path(), inputs(), false).reused, 3);
}

#[test]
fn a_damaged_record_is_no_record() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), inputs(), false);
    let written = tables(out.path());
    let record = out.path().join(CACHE_DIR).join(RECORD_FILE);
    let whole = std::fs::read(&record).unwrap();
    std::fs::write(&record, &whole[..whole.len() / 3]).unwrap();
    for name in written.keys() {
        std::fs::remove_file(out.path().join(name)).unwrap();
    }
    let again = run(out.path(), inputs(), false);
    assert_eq!(again.reused, 3, "the cache still answers");
    assert_same_tables(&written, &tables(out.path()));
    // A record whose hashes are not hashes is not trusted either.
    let text = std::fs::read_to_string(&record).unwrap();
    let re = regex::Regex::new(r#""sha256":"[0-9a-f]{64}""#).unwrap();
    assert_eq!(re.find_iter(&text).count(), 3, "{text}");
    std::fs::write(
        &record,
        re.replace_all(&text, r#""sha256":"../../etc""#).as_ref(),
    )
    .unwrap();
    let again = run(out.path(), inputs(), false);
    assert_eq!(again.reused, 3);
    assert_eq!(again.tables_replaced, 0);
}

#[test]
fn a_file_modified_just_now_is_read_not_trusted() {
    let out = tempfile::tempdir().unwrap();
    let archive = tempfile::tempdir().unwrap();
    let copy = archive.path().join("report.txt");
    let june = std::fs::read_to_string(&inputs()[0]).unwrap();
    std::fs::write(&copy, &june).unwrap();
    let first = run(out.path(), vec![copy.clone()], false);
    assert_eq!(first.reused, 0);
    // Rewritten at once, the same size: its times may be those the record holds (one clock
    // tick), so only its bytes can tell.
    let edited = june.replacen("Modification", "Modificatiom", 1);
    assert_eq!(edited.len(), june.len());
    std::fs::write(&copy, &edited).unwrap();
    let again = run(out.path(), vec![copy], false);
    assert_eq!(again.reused, 0, "the edited file is parsed");
    assert!(again.tables_replaced > 0);
}

/// A copy of the June text, distinct from every other (`nonce`), that ends a segment or not
/// (segments end after a file whose hash says so: `segments::SEGMENT_MEAN`).
fn june_copy(dir: &Path, name: &str, ends_segment: bool) -> PathBuf {
    use sha2::Digest;
    let june =
        std::fs::read_to_string(common::fixture_reports().join("csr-2020-06-ocr.txt")).unwrap();
    let mean = secreg::pipeline::segments::SEGMENT_MEAN;
    for nonce in 0.. {
        let text = format!("{june}\n{name} {nonce}\n");
        let sha = sha2::Sha256::digest(text.as_bytes());
        let head = u32::from_be_bytes(sha[..4].try_into().unwrap());
        if (head % mean == 0) == ends_segment {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            return path;
        }
    }
    unreachable!()
}

#[test]
fn a_new_report_rebuilds_its_segment_and_copies_the_others() {
    let archive = tempfile::tempdir().unwrap();
    let a = archive.path();
    // Three segments: [a0], [a1 a2], [a3].
    june_copy(a, "a0.txt", true);
    june_copy(a, "a1.txt", false);
    june_copy(a, "a2.txt", true);
    june_copy(a, "a3.txt", true);
    // Stamps of files written this second are not trusted: make them older.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for e in std::fs::read_dir(a).unwrap().flatten() {
        let f = std::fs::File::options().write(true).open(e.path()).unwrap();
        f.set_modified(old).unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = tempfile::tempdir().unwrap();
    let first = run(out.path(), vec![a.to_path_buf()], false);
    assert_eq!(first.reused, 0);
    assert_eq!(segment_entries(out.path()).len(), 3, "three segments");
    // The first segment's report entry damaged: copying that segment's rows and reusing its
    // folds must not need it.
    let a0 = std::fs::read_to_string(a.join("a0.txt")).unwrap();
    let a0_sha: String = {
        use sha2::Digest;
        sha2::Sha256::digest(a0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let a0_entry = entries(out.path())
        .into_iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&a0_sha)
        })
        .expect("a0's entry");
    std::fs::write(&a0_entry, b"damaged").unwrap();
    // A new report in the middle segment.
    june_copy(a, "a1b.txt", false);
    let again = run(out.path(), vec![a.to_path_buf()], false);
    assert_eq!(
        again.reused, 4,
        "every earlier file from the cache, a0 without its entry"
    );
    assert!(again.tables_replaced > 0);
    assert_eq!(
        segment_entries(out.path()).len(),
        3,
        "the middle one replaced"
    );
    let reports = |s: &IngestSummary| s.rows.iter().find(|(t, _)| *t == "reports").unwrap().1;
    assert_eq!(reports(&again), 5);
    // What a run that builds every row writes.
    let forced = tempfile::tempdir().unwrap();
    run(forced.path(), vec![a.to_path_buf()], true);
    assert_same_tables_but_times(&tables(forced.path()), &tables(out.path()));
}

//! The public API gives what the command line writes: `secreg::read_report` one report's
//! records, `secreg::ingest` every table.

mod common;

use common::*;

#[test]
fn read_report_yields_the_records_ingest_writes_for_that_file() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let events = read_parquet(out.path(), "events");
    for file in ["csr-2020-06-digital.pdf", "csr-2020-06-ocr.txt"] {
        let bytes = std::fs::read(fixture_reports().join(file)).unwrap();
        let report = secreg::read_report(&bytes).unwrap();
        assert_eq!(
            report.records.events.len(),
            rows_of(&events, file).height(),
            "{file}"
        );
    }
    assert!(matches!(
        secreg::read_report(b"%PDF-1.4 not a PDF at all"),
        Err(secreg::ReadError::Unreadable(_))
    ));
}

#[test]
fn ingest_gives_every_table_with_the_rows_secreg_ingest_writes() {
    let (_out, summary) = run_ingest(vec![fixture_reports()], None);
    let dataset = secreg::ingest([fixture_reports()], &secreg::Options::default()).unwrap();
    let heights: Vec<(&str, usize)> = dataset
        .into_frames()
        .unwrap()
        .into_iter()
        .map(|(table, frame)| (table, frame.height()))
        .collect();
    assert_eq!(heights, summary.rows);
}

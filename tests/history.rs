//! History and register over an archive of four consecutive monthly reports (May to August
//! 2020; digital and scanned): restated facts collapse, a planted conflict is flagged, an
//! incremental run equals a full one, every fact traces to its report lines.

mod common;

use std::path::PathBuf;

use common::*;
use polars::prelude::*;
use secreg::grammar::Grammar;
use secreg::output::Format;
use secreg::pipeline::{ingest, IngestOptions, IngestSummary};

/// The four-month archive: two digital reports and two scans.
fn archive() -> Vec<PathBuf> {
    [
        "csr-2020-05-digital.pdf",
        "csr-2020-06-scan.pdf",
        "csr-2020-07-scan.pdf",
        "csr-2020-08-digital.pdf",
    ]
    .iter()
    .map(|f| fixture_reports().join(f))
    .collect()
}

fn ingest_into(dir: &std::path::Path, inputs: Vec<PathBuf>) -> IngestSummary {
    let options = IngestOptions {
        inputs,
        out_dir: dir.to_path_buf(),
        jobs: None,
        formats: vec![Format::Parquet, Format::Csv],
        progress: false,
        force: false,
        file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
        ocr: Default::default(),
    };
    ingest(&options, Grammar::builtin()).unwrap()
}

/// Rows of `df` where `column` equals `value`.
fn where_eq(df: &DataFrame, column: &str, value: &str) -> DataFrame {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    let mask: BooleanChunked = c.str().unwrap().iter().map(|v| v == Some(value)).collect();
    df.filter(&mask).unwrap()
}

fn text(df: &DataFrame, column: &str, row: usize) -> String {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str().unwrap().get(row).unwrap_or("").to_string()
}

#[test]
fn restated_facts_are_one_row_and_a_conflict_is_flagged() {
    let (out, summary) = run_ingest(archive(), None);
    assert_eq!(summary.ok, 4, "{}", summary.paragraph());
    let history = read_parquet(out.path(), "history");
    assert!(
        matches!(history.column("report_ids").unwrap().dtype(), DataType::List(inner) if **inner == DataType::String)
    );
    assert_eq!(
        history.column("first_reported").unwrap().dtype(),
        &DataType::Date
    );

    // MP080 is scheduled for the November 2020 release in the June, July and August reports.
    let scheduled = where_eq(
        &where_eq(&history, "mod_id", "MP080"),
        "event",
        "scheduled_for_release",
    );
    assert_eq!(scheduled.height(), 1);
    assert_eq!(text(&scheduled, "times_reported", 0), "3");
    assert_eq!(text(&scheduled, "first_reported", 0), "2020-06-12");
    assert_eq!(text(&scheduled, "last_reported", 0), "2020-08-14");
    // MP130's implementation is in June's and July's reports: one fact.
    let implemented = where_eq(
        &where_eq(&history, "mod_id", "MP130"),
        "event",
        "implemented",
    );
    assert_eq!(
        (
            implemented.height(),
            text(&implemented, "times_reported", 0).as_str()
        ),
        (1, "2")
    );

    // August says the Authority rejected MP084 on 28 May; June and July say 27 May.
    let rejected = where_eq(
        &where_eq(&history, "mod_id", "MP084"),
        "event",
        "authority_rejected",
    );
    assert_eq!(rejected.height(), 2);
    assert!((0..2).all(|i| text(&rejected, "conflict", i) == "true"));
    let dates: Vec<String> = (0..2).map(|i| text(&rejected, "event_date", i)).collect();
    assert_eq!(dates, ["2020-05-27", "2020-05-28"]);
    let diagnostics = where_eq(
        &read_parquet(out.path(), "diagnostics"),
        "code",
        "history_conflict",
    );
    let all: Vec<String> = (0..diagnostics.height())
        .map(|i| text(&diagnostics, "message", i))
        .collect();
    assert!(
        all.iter().any(|m| m.contains("MP084")
            && m.contains("csr-2020-06-scan.pdf")
            && m.contains("csr-2020-08-digital.pdf")),
        "{all:?}"
    );
    // Each conflict's diagnostic stands where the conflicting fact is stated: its file, report
    // date, page and line, and the line as read (not `file:page:line`: that is in the message).
    for i in 0..diagnostics.height() {
        let file = text(&diagnostics, "source_file", i);
        let snippet = text(&diagnostics, "snippet", i);
        assert!(file.ends_with(".pdf") || file.ends_with(".txt"), "{file:?}");
        for column in ["report_id", "report_date", "page", "line"] {
            assert!(!text(&diagnostics, column, i).is_empty(), "{column}");
        }
        assert!(
            !snippet.is_empty() && !snippet.contains(&format!("{file}:")),
            "{snippet:?}"
        );
    }
    // No other fact is in conflict.
    let conflicts = where_eq(&history, "conflict", "true");
    assert_eq!(conflicts.height(), 2, "{conflicts}");
}

#[test]
fn the_register_has_one_row_per_modification_agreeing_with_the_reports() {
    let (out, _) = run_ingest(archive(), None);
    let register = read_parquet(out.path(), "modifications");
    let ids = register
        .column("mod_id")
        .unwrap()
        .as_materialized_series()
        .clone();
    assert_eq!(
        ids.n_unique().unwrap(),
        register.height(),
        "one row per modification"
    );
    let row = |id: &str| where_eq(&register, "mod_id", id);
    let field = |id: &str, column: &str| text(&row(id), column, 0);

    assert_eq!(field("MP084", "stage"), "Rejected");
    assert_eq!(field("MP084", "decision_body"), "Authority");
    assert_eq!(
        field("MP084", "decision_date"),
        "2020-05-27",
        "the date most reports give"
    );
    assert_eq!(field("MP088", "stage"), "Approved");
    assert_eq!(field("MP088", "decision_date"), "2020-08-04");
    assert_eq!(field("MP130", "stage"), "Implemented");
    assert_eq!(field("MP130", "implemented_date"), "2020-05-27");
    assert_eq!(field("MP080", "stage"), "Pending implementation");
    // Planned in May for the June release, and implemented in it (June's report): the plan
    // does not outlast the implementation it announced.
    assert_eq!(field("MP053", "stage"), "Implemented");
    assert_eq!(field("MP053", "release_name"), "June 2020 SEC Release");
    // Part 1 implemented in June, part 2 planned for November since: still pending.
    assert_eq!(field("MP062", "stage"), "Pending implementation");
    assert_eq!(field("MP080", "release_name"), "November 2020 SEC Release");
    assert_eq!(field("MP135", "raised_date"), "2020-06-16");
    assert_eq!(field("MP135", "proposer"), "Ana Lopez");
    assert_eq!(field("MP135", "organisation"), "British Gas");
    assert_eq!(field("MP135", "stage"), "Refinement Process");
    assert_eq!(
        field("MP135", "title"),
        "Smart Meter Configuration Alignment"
    );
    // DP124 and MP124 are one modification; MP102A and MP102B two; MP078v2 is MP078's.
    assert_eq!(row("MP124").height(), 1);
    assert_eq!((row("MP102A").height(), row("MP102B").height()), (1, 1));
    assert_eq!(row("MP078").height(), 1);
    assert_eq!(row("MP078v2").height(), 0);
    // A modification no list or sentence titles takes the title the DCC's tables print.
    assert_eq!(
        field("MP092", "title"),
        "New Planned Maintenance methodology"
    );
    // A title read from the scans never replaces the digital reports' spelling.
    assert_eq!(
        field("MP062", "title"),
        "Northbound Application Traffic Management - Alert Storm Protection"
    );
}

/// Every value of a column as text (null as "").
fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_register_stage_is_the_last_stage_interval() {
    // Every fixture report: digital, scanned, OCR text.
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let register = read_parquet(out.path(), "modifications");
    let stages = read_parquet(out.path(), "stages");
    assert!(matches!(
        stages.column("stage").unwrap().dtype(),
        DataType::Enum(_, _)
    ));
    assert_eq!(stages.column("from_date").unwrap().dtype(), &DataType::Date);
    let (s_ids, s_stage, s_from, s_to, s_by, s_event, s_dcc, s_source) = (
        texts(&stages, "mod_id"),
        texts(&stages, "stage"),
        texts(&stages, "from_date"),
        texts(&stages, "to_date"),
        texts(&stages, "opened_by"),
        texts(&stages, "event"),
        texts(&stages, "dcc_status"),
        texts(&stages, "source"),
    );
    let mut intervals: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, id) in s_ids.iter().enumerate() {
        intervals.entry(id.as_str()).or_default().push(i);
    }
    let (ids, stage, stage_source) = (
        texts(&register, "mod_id"),
        texts(&register, "stage"),
        texts(&register, "stage_source"),
    );
    let mut staged = 0;
    for (r, id) in ids.iter().enumerate() {
        let Some(rows) = intervals.get(id.as_str()) else {
            assert_eq!(stage[r], "", "{id}: a stage with no interval");
            continue;
        };
        staged += 1;
        let last = *rows.last().unwrap();
        assert_eq!(
            s_stage[last], stage[r],
            "{id}: the register's stage is the last interval's"
        );
        assert_eq!(
            s_by[last], stage_source[r],
            "{id}: and so is where it came from"
        );
        assert_eq!(s_to[last], "", "{id}: the last interval is current");
        for pair in rows.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert_ne!(
                s_stage[a], s_stage[b],
                "{id}: an interval changes the stage"
            );
            assert_eq!(
                s_to[a], s_from[b],
                "{id}: an interval ends where the next begins"
            );
            if !s_from[a].is_empty() && !s_from[b].is_empty() {
                assert!(s_from[a] <= s_from[b], "{id}: intervals in order");
            }
        }
        for &i in rows {
            // What opened it: a fact or the DCC's status, never both, and where.
            assert_ne!(s_event[i].is_empty(), s_dcc[i].is_empty(), "{id}");
            assert!(!s_source[i].is_empty(), "{id}: interval {i} has no source");
        }
    }
    assert!(staged > 100, "{staged} modifications with stages");
    // MP053: planned for the June release in May, implemented in it.
    let mp053: Vec<&str> = intervals["MP053"]
        .iter()
        .map(|&i| s_stage[i].as_str())
        .collect();
    assert_eq!(mp053.last(), Some(&"Implemented"), "{mp053:?}");
    assert!(mp053.contains(&"Pending implementation"), "{mp053:?}");
}

#[test]
fn every_history_row_traces_to_the_lines_that_state_it() {
    let (out, _) = run_ingest(archive(), None);
    let history = read_parquet(out.path(), "history");
    let events = read_parquet(out.path(), "events");
    let stated: std::collections::HashSet<String> = (0..events.height())
        .map(|i| {
            format!(
                "{}:{}:{}",
                text(&events, "source_file", i),
                text(&events, "page", i),
                text(&events, "line", i)
            )
        })
        .collect();
    let sources = history.column("sources").unwrap().list().unwrap().clone();
    for (i, s) in sources.series_iter().enumerate() {
        let s = s.expect("every fact has sources");
        assert!(!s.is_empty());
        for source in s.str().unwrap().iter().flatten() {
            assert!(
                stated.contains(source),
                "history row {i}: {source} is no event's line"
            );
        }
    }
}

fn without_timing(mut df: DataFrame) -> DataFrame {
    if df.column("millis").is_ok() {
        df = df.drop("millis").unwrap();
    }
    df
}

#[test]
fn an_incremental_run_equals_a_full_run_and_dropped_files_drop_out() {
    let files = archive();
    let incremental = tempfile::tempdir().unwrap();
    let first = ingest_into(incremental.path(), files[..2].to_vec());
    assert_eq!(first.reused, 0);
    let second = ingest_into(incremental.path(), files.clone());
    assert_eq!(
        (second.reused, second.files),
        (2, 4),
        "only the new files are parsed"
    );
    let full = tempfile::tempdir().unwrap();
    ingest_into(full.path(), files.clone());
    for table in [
        "reports",
        "events",
        "history",
        "modifications",
        "diagnostics",
        "mentions",
        "assessments",
        "dcc_status",
    ] {
        let a = without_timing(read_parquet(incremental.path(), table));
        let b = without_timing(read_parquet(full.path(), table));
        assert!(
            a.equals_missing(&b),
            "{table}: incremental and full runs differ"
        );
        let csv_a = std::fs::read(incremental.path().join(format!("{table}.csv"))).unwrap();
        let csv_b = std::fs::read(full.path().join(format!("{table}.csv"))).unwrap();
        if table != "reports" {
            assert_eq!(csv_a, csv_b, "{table}.csv is not byte-identical");
        }
    }
    // August removed from the archive: its facts go.
    let third = ingest_into(incremental.path(), files[..3].to_vec());
    assert_eq!(third.reused, 3);
    let history = read_parquet(incremental.path(), "history");
    assert_eq!(
        where_eq(
            &where_eq(&history, "mod_id", "MP084"),
            "event",
            "authority_rejected"
        )
        .height(),
        1
    );
    assert_eq!(where_eq(&history, "mod_id", "MP137").height(), 0);
}

//! Golden tables: what each fixture report yields, reviewed by hand and checked in under
//! `fixtures/expected/<fixture file>/<table>.csv`. A parser change that alters what an old
//! report yields fails here; after reviewing the difference, re-bless with
//! `SECREG_BLESS=1 cargo test --test golden` and review the diff of the golden files.

mod common;

use common::*;

const TABLES: &[(&str, &[&str])] = &[
    (
        "events",
        &[
            "page",
            "line",
            "mod_id",
            "raw_id",
            "title",
            "event",
            "event_date",
            "date_inferred",
            "proposer",
            "organisation",
            "release_name",
            "detail",
        ],
    ),
    (
        "assessments",
        &[
            "page",
            "line",
            "mod_id",
            "raw_id",
            "table",
            "assessment_type",
            "date",
            "target_wd",
            "duration_wd",
            "read_from",
        ],
    ),
    (
        "dcc_status",
        &[
            "page",
            "line",
            "mod_id",
            "raw_id",
            "dcc_table",
            "status",
            "date_added",
            "pa_request_date",
            "pa_target_date",
            "pa_actual_date",
            "ia_request_date",
            "ia_target_date",
            "ia_actual_date",
            "title",
            "comment",
            "read_from",
        ],
    ),
    (
        "mentions",
        &[
            "page",
            "line",
            "mod_id",
            "raw_id",
            "id_prefix",
            "id_repaired",
            "title",
        ],
    ),
    (
        "diagnostics",
        &["page", "line", "severity", "code", "message"],
    ),
];

#[test]
fn fixture_reports_yield_their_golden_tables() {
    let mismatches = compare_with_goldens(&[fixture_reports(), fixtures().join("sources")]);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The scans made the way archives come (`fixtures/archive-scans/make.sh`), read on their own:
/// the archive-wide diagnostics of the fixtures above (a conflict between reports, placed at
/// one of its statements) stay where they were.
#[test]
fn archive_scans_yield_their_golden_tables() {
    let mismatches = compare_with_goldens(&[fixtures().join("archive-scans")]);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Ingests the folders and compares each file's tables with its goldens (or writes them with
/// `SECREG_BLESS`): the files that differ.
fn compare_with_goldens(inputs: &[std::path::PathBuf]) -> Vec<String> {
    let (out, summary) = run_ingest(inputs.to_vec(), None);
    assert_eq!(summary.failed, 0);
    let bless = std::env::var_os("SECREG_BLESS").is_some();
    let mut mismatches = Vec::new();
    let mut files: Vec<String> = inputs
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf") || n.ends_with(".txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for (table, columns) in TABLES {
        let df = read_parquet(out.path(), table);
        for file in &files {
            // (Messages that name an input name it as given: a path in this checkout.)
            let got = as_csv(&rows_of(&df, file), columns)
                .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "");
            let path = fixtures()
                .join("expected")
                .join(file)
                .join(format!("{table}.csv"));
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if got != want {
                mismatches.push(format!(
                    "{}: differs from what {file} yields now",
                    path.display()
                ));
            }
        }
    }
    mismatches
}

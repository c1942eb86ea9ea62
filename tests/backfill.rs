//! `secreg backfill`: the fixture register exports (`fixtures/register/`) reconciled with the
//! fixture archive. The `backfill` and `backfill_diagnostics` tables are reviewed goldens
//! (`fixtures/expected/backfill/<export>/`; after reviewing a change, re-bless them with
//! `SECREG_BLESS=1 cargo test --test backfill`); the other tests check what each verdict and
//! diagnostic means, against the export's own text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;
use polars::prelude::*;
use secreg::dataset::backfill::{
    reconcile, Archive, Backfill, BackfillField, BackfillRow, ColumnChoice, RegisterExport,
    RegisterProblem, Verdict,
};
use secreg::grammar::Grammar;

/// The fixture archive's tables, ingested once for all tests.
fn archive_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| run_ingest(vec![fixture_reports()], None).0)
        .path()
}

fn export_path(name: &str) -> PathBuf {
    fixtures().join("register").join(name)
}

/// The fixture exports and the `--columns` each needs.
const EXPORTS: &[(&str, &[&str])] = &[
    ("register.csv", &[]),
    ("register-other-headers.csv", &["title=Headline"]),
];

fn run(name: &str) -> Backfill {
    let columns = EXPORTS.iter().find(|(n, _)| *n == name).unwrap().1;
    let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let choice = ColumnChoice::parse(&columns).unwrap();
    let export = RegisterExport::read(&export_path(name), &choice).unwrap();
    let archive = Archive::read(Grammar::builtin(), archive_dir()).unwrap();
    reconcile(Grammar::builtin(), &export, &archive)
}

fn main_export() -> &'static Backfill {
    static B: OnceLock<Backfill> = OnceLock::new();
    B.get_or_init(|| run("register.csv"))
}

fn rows_of<'a>(b: &'a Backfill, id: &str, field: BackfillField) -> Vec<&'a BackfillRow> {
    b.rows
        .iter()
        .filter(|r| r.mod_id.to_string() == id && r.field == field)
        .collect()
}

fn one<'a>(b: &'a Backfill, id: &str, field: BackfillField) -> &'a BackfillRow {
    let rows = rows_of(b, id, field);
    assert_eq!(rows.len(), 1, "{id} {field}: {rows:#?}");
    rows[0]
}

/// A table as the golden holds it: every column, file paths as file names (the archive's
/// are absolute in a test run).
fn golden_text(frame: &DataFrame) -> String {
    let mut frame = frame.clone();
    let base = |s: Option<&str>| s.map(|s| s.rsplit('/').next().unwrap_or(s).to_string());
    let files: StringChunked = frame
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(base)
        .collect();
    frame
        .with_column(files.with_name("source_file".into()).into_column())
        .unwrap();
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    as_csv(&frame, &names)
}

#[test]
fn fixture_exports_yield_their_golden_tables() {
    let bless = std::env::var_os("SECREG_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, _) in EXPORTS {
        let b = run(name);
        let dir = fixtures()
            .join("expected/backfill")
            .join(name.trim_end_matches(".csv"));
        for (table, frame) in b.frames().unwrap() {
            let got = golden_text(&frame);
            let path = dir.join(format!("{table}.csv"));
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if got != want {
                failures.push(format!("{}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "differ from their goldens (review, then SECREG_BLESS=1): {failures:?}"
    );
}

#[test]
fn the_fixture_exports_reach_every_verdict() {
    let mut seen: Vec<Verdict> = EXPORTS
        .iter()
        .flat_map(|(n, _)| run(n).rows.into_iter().map(|r| r.verdict))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, Verdict::ALL);
}

#[test]
fn formatting_alone_never_makes_a_difference() {
    use BackfillField::*;
    let b = main_export();
    let agrees = |id: &str, field| {
        let r = one(b, id, field);
        assert_eq!(r.verdict, Verdict::Agrees, "{r:#?}");
        r
    };
    // Quotes, dashes, case; OCR's run-together words and accents on the archive's side.
    agrees("MP126", Title);
    agrees("MP125", Title);
    agrees("MP102A", Title);
    agrees("MP057", Title);
    agrees("MP133", Title);
    // Dates: ISO, a spreadsheet's midnight, day first, month names.
    agrees("MP124", RaisedDate);
    agrees("MP129", RaisedDate);
    agrees("MP126", RaisedDate);
    agrees("MP053", ImplementedDate);
    // Releases by their month, whatever else they say.
    agrees("MP080", Release);
    agrees("MP097", Release);
    // Id forms: SECMP0007, 0053, DP124, SEC MP077, DP094 are the archive's MP007 ... MP094.
    for id in ["MP007", "MP053", "MP124", "MP077", "MP094"] {
        assert!(
            b.rows
                .iter()
                .any(|r| r.mod_id.to_string() == id && r.verdict != Verdict::NotInArchive),
            "{id}"
        );
    }
    // The same in the other export (Windows-1252 en dash, other header words).
    let other = run("register-other-headers.csv");
    for (id, field) in [
        ("MP102A", Title),
        ("MP124", RaisedDate),
        ("MP114", ImplementedDate),
        ("MP114", Release),
        ("MP130", Proposer),
    ] {
        let r = one(&other, id, field);
        assert_eq!(r.verdict, Verdict::Agrees, "{r:#?}");
    }
}

#[test]
fn names_and_dates_agree_only_where_they_should() {
    use BackfillField::*;
    let b = main_export();
    let verdict = |id, field| one(b, id, field).verdict;
    // An OCR-sized slip in a name, an organisation in the proposer column, an abbreviation.
    assert_eq!(verdict("MP134", Proposer), Verdict::Agrees);
    assert_eq!(verdict("MP129", Proposer), Verdict::Agrees);
    assert_eq!(verdict("MP127", Organisation), Verdict::Agrees);
    // A date a day off, a title a letter short, a release a year off, a decision reversed.
    assert_eq!(verdict("MP127", RaisedDate), Verdict::Differs);
    assert_eq!(verdict("MP123", ImplementedDate), Verdict::Differs);
    let short = one(b, "MP136", Title);
    assert_eq!(short.verdict, Verdict::Differs);
    assert!(short.note.as_deref().unwrap().contains("1 letter"));
    assert_eq!(verdict("MP081", Release), Verdict::Differs);
    assert_eq!(verdict("MP084", Decision), Verdict::Differs);
    // The month-only date agrees, and says why (MP128 is listed twice: `May 2020` and in full).
    let dates = rows_of(b, "MP128", RaisedDate);
    let month = dates
        .iter()
        .find(|r| r.register_value.as_deref() == Some("May 2020"))
        .unwrap();
    assert_eq!(month.verdict, Verdict::Agrees);
    assert!(month.note.as_deref().unwrap().contains("only the month"));
    let organisation = rows_of(b, "MP128", Organisation);
    assert!(organisation.iter().all(|r| r.verdict == Verdict::Agrees));
}

#[test]
fn stages_compare_through_the_table_and_by_date() {
    use BackfillField::Stage;
    let b = main_export();
    // The register later in the lifecycle than the archive's last report: not a disagreement.
    for id in ["MP095", "MP102B", "MP120"] {
        let r = one(b, id, Stage);
        assert_eq!(r.verdict, Verdict::Agrees, "{r:#?}");
        assert!(
            r.note
                .as_deref()
                .unwrap()
                .contains("later in the lifecycle"),
            "{r:#?}"
        );
    }
    // The archive later than the register: the register is out of date.
    for id in ["MP130", "MP080", "MP105"] {
        let r = one(b, id, Stage);
        assert_eq!(r.verdict, Verdict::Differs, "{r:#?}");
        assert!(r.note.as_deref().unwrap().contains("out of date"), "{r:#?}");
    }
    // Neither follows the other: approved against rejected.
    assert_eq!(one(b, "MP084", Stage).verdict, Verdict::Differs);
    // Register words through the table: Workgroup, Development Stage, On hold, Targeted.
    for id in ["MP125", "MP126", "MP012", "MP093"] {
        assert_eq!(one(b, id, Stage).verdict, Verdict::Agrees, "{id}");
    }
    // MP128 is listed twice: Implemented (later) agrees, Refinement Process agrees plainly.
    let twice = rows_of(b, "MP128", Stage);
    assert_eq!(twice.len(), 2);
    assert!(twice.iter().all(|r| r.verdict == Verdict::Agrees));
}

/// The export's lines, numbered from 1 (the fixture has no line break inside a cell, so a
/// line is a spreadsheet row).
fn export_lines(name: &str) -> Vec<String> {
    let bytes = std::fs::read(export_path(name)).unwrap();
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_unreadable_value_is_a_diagnostic_at_its_row() {
    let b = main_export();
    let lines = export_lines("register.csv");
    let code_at = |code: RegisterProblem| -> Vec<u32> {
        b.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.row)
            .collect()
    };
    let line_of = |needle: &str| -> u32 {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
            .unwrap()
    };
    assert_eq!(code_at(RegisterProblem::IdUnread), [line_of("TBC,")]);
    assert_eq!(
        code_at(RegisterProblem::IdMissing),
        [line_of(",An orphan row")]
    );
    assert_eq!(
        code_at(RegisterProblem::DuplicateId),
        [line_of("listed twice")]
    );
    assert_eq!(
        code_at(RegisterProblem::HeaderUnrecognised),
        [line_of("Mod Ref,")]
    );
    let unread: Vec<(u32, Option<BackfillField>)> = b
        .diagnostics
        .iter()
        .filter(|d| d.code == RegisterProblem::ValueUnread)
        .map(|d| (d.row, d.field))
        .collect();
    use BackfillField::*;
    assert_eq!(
        unread,
        [
            (line_of("MP133,"), Some(Stage)),
            (line_of("MP133,"), Some(RaisedDate)),
            (line_of("MP134,"), Some(RaisedDate)),
            (line_of("MP122,"), Some(Decision)),
        ]
    );
    // Each value diagnosed is printed on its row, and its field's row says `unreadable`.
    for d in &b.diagnostics {
        let line = &lines[d.row as usize - 1];
        if let Some(v) = &d.value {
            assert!(line.contains(v.as_str()), "{d:?} not on {line:?}");
        }
        if d.code == RegisterProblem::ValueUnread {
            let id = line.split(',').next().unwrap();
            let r = b
                .rows
                .iter()
                .find(|r| r.register_row == Some(d.row) && Some(r.field) == d.field)
                .unwrap_or_else(|| panic!("no row for {d:?}"));
            assert_eq!(r.verdict, Verdict::Unreadable);
            assert_eq!(r.mod_id.to_string(), id);
        }
    }
    // Rows that cannot be compared are not, and the rest of the export still is.
    assert!(!b
        .rows
        .iter()
        .any(|r| r.register_row == Some(line_of("TBC,"))));
    assert!(b
        .rows
        .iter()
        .any(|r| r.register_row == Some(line_of("MP111,"))));
}

#[test]
fn modifications_on_one_side_only_are_listed_with_what_to_fill() {
    let b = main_export();
    for id in ["MP010", "MP200"] {
        let rows: Vec<&BackfillRow> = b
            .rows
            .iter()
            .filter(|r| r.mod_id.to_string() == id)
            .collect();
        assert_eq!(rows.len(), b.fields.len(), "{id}");
        assert!(rows
            .iter()
            .all(|r| r.verdict == Verdict::NotInArchive && r.evidence.is_none()));
    }
    // MP133 is listed; MP004 is not: every field the archive gives is a row, with evidence.
    let missing: Vec<&BackfillRow> = b
        .rows
        .iter()
        .filter(|r| r.mod_id.to_string() == "MP004")
        .collect();
    assert!(!missing.is_empty());
    for r in missing {
        assert_eq!(r.verdict, Verdict::NotInRegister);
        assert!(
            r.archive_value.is_some() && r.register_row.is_none(),
            "{r:#?}"
        );
    }
    // Blank cells where the archive has a value are the ones to fill in.
    for field in [
        BackfillField::Stage,
        BackfillField::Proposer,
        BackfillField::RaisedDate,
    ] {
        assert_eq!(
            one(b, "MP135", field).verdict,
            Verdict::RegisterEmpty,
            "{field}"
        );
    }
    assert_eq!(
        one(b, "MP007", BackfillField::Proposer).verdict,
        Verdict::ArchiveEmpty
    );
}

#[test]
fn every_archive_value_has_its_evidence() {
    for (name, _) in EXPORTS {
        for r in run(name).rows.iter().filter(|r| r.archive_value.is_some()) {
            let e = r.evidence.as_ref().unwrap_or_else(|| panic!("{r:#?}"));
            assert!(
                e.page.is_some()
                    && e.line.is_some()
                    && e.snippet.is_some()
                    && e.report_date.is_some(),
                "{r:#?}"
            );
            assert!(
                e.source_file
                    .starts_with(fixture_reports().to_str().unwrap()),
                "{e:?}"
            );
        }
    }
}

fn secreg(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_secreg"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_writes_both_tables_and_prints_a_summary() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let dir = out.path().to_str().unwrap();
    let export = export_path("register.csv");
    let (code, stdout, stderr) = secreg(&["backfill", export.to_str().unwrap(), "--out", dir]);
    assert_eq!(code, 0, "{stderr}");
    let b = main_export();
    for table in ["backfill", "backfill_diagnostics"] {
        let parquet = read_parquet(out.path(), table);
        let csv = read_csv_as_text(out.path(), table);
        assert_eq!(parquet.height(), csv.height(), "{table}");
        let want = if table == "backfill" {
            b.rows.len()
        } else {
            b.diagnostics.len()
        };
        assert_eq!(parquet.height(), want, "{table}");
        assert!(matches!(
            parquet.column("verdict").map(|c| c.dtype().clone()),
            Ok(DataType::Enum(..)) | Err(_)
        ));
    }
    // The counts the summary prints are the table's.
    let differs = b
        .rows
        .iter()
        .filter(|r| r.field == BackfillField::Stage && r.verdict == Verdict::Differs)
        .count();
    let stage_line = stdout
        .lines()
        .find(|l| l.starts_with("stage "))
        .expect(&stdout);
    let cells: Vec<&str> = stage_line.split_whitespace().collect();
    assert_eq!(cells[4], differs.to_string(), "{stdout}");
    let first = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Most differences"))
        .nth(1)
        .unwrap();
    let (top, fields) = &b.most_differences()[0];
    assert!(
        first.contains(&top.to_string()) && first.contains(&fields.len().to_string()),
        "{first}"
    );
}

#[test]
fn the_site_an_ingest_built_gets_a_back_fill_page_of_what_to_fill_and_check() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let reports = fixture_reports();
    let (code, _, stderr) = secreg(&["ingest", reports.to_str().unwrap(), "--out", dir, "--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let site = out.path().join("site");
    assert!(
        !site.join("backfill.html").exists(),
        "no back-fill page before a backfill"
    );
    let export = export_path("register.csv");
    let (code, stdout, stderr) = secreg(&["backfill", export.to_str().unwrap(), "--out", dir]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Site written to"), "{stdout}");
    let page = std::fs::read_to_string(site.join("backfill.html")).unwrap();
    let b = main_export();
    // One row per field to fill in or check, none for those that agree.
    for verdict in [
        Verdict::RegisterEmpty,
        Verdict::NotInRegister,
        Verdict::Differs,
        Verdict::Unreadable,
        Verdict::Agrees,
    ] {
        let want = b.rows.iter().filter(|r| r.verdict == verdict).count();
        let shown = page
            .matches(&format!("<tr data-facet=\"{}\"", verdict.name()))
            .count();
        let listed = if verdict == Verdict::Agrees { 0 } else { want };
        assert_eq!(shown, listed, "{verdict:?}");
    }
    // Evidence links to its report's line; every page's navigation names the page.
    assert!(page.contains(".html#L"), "no evidence link");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("href=\"backfill.html\""));
}

#[test]
fn show_puts_the_register_row_beside_the_archive_and_escapes_both() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let dir = out.path().to_str().unwrap();
    let export = out.path().join("hostile.csv");
    std::fs::write(
        &export,
        "Mod,Title,Stage\nMP130,\"CH order \u{1b}]0;owned\u{7} changes\",Refinement Process\n",
    )
    .unwrap();
    let (code, stdout, stderr) = secreg(&[
        "show",
        "SECMP0130",
        "--out",
        dir,
        "--register",
        export.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && stdout.contains("\\u{1b}]0;owned"),
        "{stdout}"
    );
    let beside = stdout.split("beside the archive:").nth(1).expect(&stdout);
    let stage = beside
        .lines()
        .find(|l| l.trim_start().starts_with("stage "))
        .expect(&stdout);
    assert!(
        stage.contains("Refinement Process")
            && stage.contains("Implemented")
            && stage.contains("differs"),
        "{stage}"
    );
    assert!(stdout.contains("(row 2)"), "{stdout}");
    // The history's sources are still one a line: only control characters in values are escaped.
    assert!(!stdout.contains("\\n"), "{stdout}");
    assert!(stdout.contains("\n        "), "{stdout}");
}

#[test]
fn an_export_that_cannot_be_read_is_a_usage_error() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let dir = out.path().to_str().unwrap();
    let no_id = out.path().join("no-id.csv");
    std::fs::write(&no_id, "Colour,Shape\nred,round\n").unwrap();
    let (code, _, stderr) = secreg(&["backfill", no_id.to_str().unwrap(), "--out", dir]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no column is the modification id") && stderr.contains("no-id.csv"),
        "{stderr}"
    );
    let workbook = out.path().join("register.xlsx");
    std::fs::write(&workbook, b"PK\x03\x04").unwrap();
    let (code, _, stderr) = secreg(&["backfill", workbook.to_str().unwrap(), "--out", dir]);
    assert_eq!(code, 2);
    assert!(stderr.contains("save the register as CSV"), "{stderr}");
    let export = export_path("register.csv");
    let (code, _, stderr) = secreg(&[
        "backfill",
        export.to_str().unwrap(),
        "--out",
        "/nonexistent-tables",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("modifications.parquet"), "{stderr}");
}

//! Report-over-report changes over the fixture reports (May to August 2020, each month in
//! several forms): what each month's report says that the one before did not, and
//! `secreg changes` printing them grouped by report.

mod common;

use common::*;
use polars::prelude::*;

fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

#[test]
fn each_report_is_compared_with_the_one_before() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let changes = read_parquet(out.path(), "changes");
    assert!(matches!(
        changes.column("change").unwrap().dtype(),
        DataType::Enum(_, _)
    ));
    let reports = read_parquet(out.path(), "reports");
    let (ids, files, dates) = (
        texts(&reports, "report_id"),
        texts(&reports, "source_file"),
        texts(&reports, "report_date"),
    );
    let file_of = |id: &str| files[ids.iter().position(|i| i == id).unwrap()].clone();
    let date_of = |id: &str| dates[ids.iter().position(|i| i == id).unwrap()].clone();
    let rows: Vec<[String; 8]> = {
        let c: Vec<Vec<String>> = [
            "report_id",
            "report_date",
            "previous_report_id",
            "mod_id",
            "change",
            "before",
            "after",
            "source",
        ]
        .iter()
        .map(|n| texts(&changes, n))
        .collect();
        (0..changes.height())
            .map(|i| std::array::from_fn(|k| c[k][i].clone()))
            .collect()
    };
    assert!(!rows.is_empty());
    for [report, date, previous, _, _, _, _, source] in &rows {
        // The month's digital report stands for it; the one before is the month before.
        assert!(file_of(report).ends_with("-digital.pdf"), "{report}");
        assert!(date_of(previous) < *date, "{previous} is not before {date}");
        assert_ne!(
            date, "2020-05-15",
            "the first report has nothing to compare with"
        );
        // Where it is said, as file:page:line.
        assert!(
            secreg::output::escape::split_source(source).is_some(),
            "{source:?}"
        );
    }
    let has = |date: &str, id: &str, change: &str, before: &str, after: &str| {
        rows.iter().any(|r| {
            r[1] == date && r[3] == id && r[4] == change && r[5] == before && r[6] == after
        })
    };
    // August: the Authority approved MP088 (with it since June), MP137 is new, MP135 went
    // from Draft Proposal to the Refinement Process.
    assert!(has(
        "2020-08-14",
        "MP088",
        "decision",
        "",
        "approved (Authority, 2020-08-04)"
    ));
    assert!(has(
        "2020-08-14",
        "MP088",
        "stage_moved",
        "Awaiting decision",
        "Approved"
    ));
    assert!(has(
        "2020-08-14",
        "MP137",
        "new_modification",
        "",
        "Clarifying Alt HAN Forum obligations"
    ));
    assert!(has(
        "2020-08-14",
        "MP135",
        "stage_moved",
        "Draft Proposal",
        "Refinement Process"
    ));
    // July: the Change Board approved MP103 for the November release.
    assert!(has(
        "2020-07-10",
        "MP103",
        "release_planned",
        "",
        "November 2020 SEC Release"
    ));
    // A modification new in July is not new again in August.
    assert!(!has(
        "2020-08-14",
        "MP135",
        "new_modification",
        "",
        "Smart Meter Configuration Alignment"
    ));
    // What a new modification's first stage is, is no move.
    assert!(!rows
        .iter()
        .any(|r| r[4] == "stage_moved" && r[5].is_empty()));

    // `secreg changes`, grouped by report, from July on.
    let printed =
        secreg::cli::changes::changes(out.path(), secreg::cli::changes::parse_since("2020-07"))
            .unwrap();
    let headings: Vec<&str> = printed
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect();
    assert_eq!(headings.len(), 2, "{printed}");
    assert!(headings[0].starts_with("2020-07-10  ") && headings[0].contains("against 2020-06-12"));
    assert!(headings[1].starts_with("2020-08-14  "));
    assert!(printed.contains("  MP088    decision              approved (Authority, 2020-08-04)  [csr-2020-08-digital.pdf p5 l8]"), "{printed}");
    assert!(!printed.contains("2020-06-12  "), "--since leaves June out");
}

#[test]
fn secreg_changes_shows_a_reports_control_characters_as_codes() {
    // A title holding an escape sequence (red text) and a right-to-left override.
    let dir = tempfile::tempdir().unwrap();
    let report = |date: &str, item: &str| {
        format!(
            "Change Status Report\n{date}\n\n1. Summary\n\nThe following Draft Proposals were raised since the last report:\n\n\u{2022} {item}\n"
        )
    };
    std::fs::write(
        dir.path().join("a.txt"),
        report(
            "14 August 2020",
            "MP201 'Plain title' was raised by Eve Hacker from Evil Corp on 1 August 2020.",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        report(
            "11 September 2020",
            "MP202 'Red \u{1b}[31mtitle\u{1b}[0m \u{202e}gnp-exe' was raised by Mallory from Evil Corp on 2 September 2020.",
        ),
    )
    .unwrap();
    let (out, _) = run_ingest(vec![dir.path().to_path_buf()], None);
    let printed = secreg::cli::changes::changes(out.path(), None).unwrap();
    assert!(
        printed
            .contains("MP202    new_modification      Red \\x1b[31mtitle\\x1b[0m \\u{202e}gnp-exe"),
        "{printed}"
    );
    assert!(!printed.contains('\u{1b}') && !printed.contains('\u{202e}'));
}

//! `secreg normalize` (the very code the pipeline uses) on every id, date and duration string of
//! the real June 2020 report, and on the near-misses printed beside them.

use secreg::cli::normalize::normalize;
use secreg::cli::NormalizeKind;
use secreg::grammar::{Date, Grammar};

#[test]
fn every_value_of_the_june_2020_report_reads_as_reviewed() {
    let table = include_str!("data/csr-2020-06-values.tsv");
    let report_date = Date::new(2020, 6, 12);
    let (mut read, mut rejected) = (0, 0);
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, input, value, flags] = fields[..] else {
            panic!("bad line {line:?}")
        };
        let kind = match kind {
            "id" => NormalizeKind::Id,
            "date" => NormalizeKind::Date,
            "duration" => NormalizeKind::Duration,
            "status" => NormalizeKind::Status,
            other => panic!("unknown kind {other}"),
        };
        let got = normalize(Grammar::builtin(), kind, input, report_date);
        if value.is_empty() {
            assert!(
                got["value"].is_null(),
                "{input:?} must be rejected, read as {}",
                got["value"]
            );
            rejected += 1;
            continue;
        }
        let got_value = match &got["value"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => panic!("{input:?} read as {other}"),
        };
        assert_eq!(got_value, value, "{input:?}");
        assert_eq!(
            got["repaired"],
            flags == "repaired",
            "{input:?} repaired flag"
        );
        assert_eq!(
            got["inferred"],
            flags == "inferred",
            "{input:?} inferred flag"
        );
        read += 1;
    }
    assert_eq!((read, rejected), (222, 33), "values read and rejected");
}

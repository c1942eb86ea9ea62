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

/// The register built from the real June 2020 report alone titles every modification as the
/// reviewed list says (`tests/data/csr-2020-06-titles.tsv`), and each the same way.
#[test]
fn every_modification_of_the_june_2020_report_has_its_title_as_reviewed() {
    let reviewed: Vec<(&str, &str)> = include_str!("data/csr-2020-06-titles.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut fields = l.split('\t');
            (fields.next().unwrap(), fields.next().unwrap_or(""))
        })
        .collect();
    let june = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/reports/csr-2020-06-ocr.txt");
    let dataset = secreg::ingest([june], &secreg::Options::default()).expect("the June text reads");
    let frames = dataset.into_frames().expect("tables");
    let (_, register) = frames
        .iter()
        .find(|(name, _)| *name == "modifications")
        .expect("a register");
    let ids = register.column("mod_id").unwrap().str().unwrap();
    let titles = register.column("title").unwrap().str().unwrap();
    let read: Vec<(&str, &str)> = ids
        .iter()
        .zip(titles.iter())
        .map(|(id, title)| (id.unwrap(), title.unwrap_or("")))
        .collect();
    let wrong: Vec<String> = reviewed
        .iter()
        .filter(|r| !read.contains(r))
        .map(|(id, title)| {
            let got = read.iter().find(|(i, _)| i == id).map(|(_, t)| *t);
            format!("{id}: want {title:?}, read {got:?}")
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "titles read otherwise:\n{}",
        wrong.join("\n")
    );
    assert_eq!(read.len(), reviewed.len(), "modifications in the register");
}

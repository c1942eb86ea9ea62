//! Precision and recall of what the PDFs of a report yield against what its text yields (the
//! reviewed golden truth), per table, for the digital and the scanned fixtures. Digital PDFs
//! must yield exactly what the text does; scans may lose a few rows to OCR (each one in
//! diagnostics), but never gain a wrong one beyond OCR-damaged names. Each scan's precision
//! and recall against its digital twin are printed beside (`cargo test --test accuracy --
//! --nocapture`). The image-only scans (`fixtures/ocr`, no text layer) are OCR'd by secreg
//! with tesseract and held to the scans' floors; without tesseract they are skipped, and the
//! test says so.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::*;
use polars::prelude::*;

const KEYS: &[(&str, &[&str])] = &[
    (
        "events",
        &[
            "mod_id",
            "event",
            "event_date",
            "release_name",
            "proposer",
            "organisation",
        ],
    ),
    (
        "assessments",
        &[
            "mod_id",
            "table",
            "assessment_type",
            "date",
            "target_wd",
            "duration_wd",
        ],
    ),
    (
        "dcc_status",
        &[
            "mod_id",
            "dcc_table",
            "status",
            "date_added",
            "pa_request_date",
            "pa_target_date",
            "pa_actual_date",
            "ia_request_date",
            "ia_target_date",
            "ia_actual_date",
        ],
    ),
];

/// Rows of `df` as keys, counted, grouped by (report month, kind of source).
fn keyed(
    df: &DataFrame,
    columns: &[&str],
) -> HashMap<(String, &'static str), BTreeMap<String, usize>> {
    let strings: Vec<Column> = columns
        .iter()
        .map(|c| df.column(c).unwrap().cast(&DataType::String).unwrap())
        .collect();
    let files = df.column("source_file").unwrap().str().unwrap();
    let mut out: HashMap<(String, &'static str), BTreeMap<String, usize>> = HashMap::new();
    for i in 0..df.height() {
        let file = files.get(i).unwrap();
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy();
        let month = name[4..11].to_string();
        let kind = if name.ends_with(".txt") {
            "text"
        } else if name.contains("digital") {
            "digital"
        } else if name.contains("image") {
            "image"
        } else {
            "scan"
        };
        let key: Vec<String> = strings
            .iter()
            .map(|c| c.str().unwrap().get(i).unwrap_or("").to_string())
            .collect();
        *out.entry((month, kind))
            .or_default()
            .entry(key.join("|"))
            .or_default() += 1;
    }
    out
}

fn overlap(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> usize {
    a.iter()
        .map(|(k, n)| (*n).min(*b.get(k).unwrap_or(&0)))
        .sum()
}

#[test]
fn pdfs_yield_what_their_text_yields() {
    let mut inputs = vec![fixture_reports(), fixtures().join("sources")];
    let mut kinds = vec!["digital", "scan"];
    // The months that have an image-only scan (`csr-2020-07-image.pdf`): each must yield.
    let image_months: Vec<String> = std::fs::read_dir(fixtures().join("ocr"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-image.pdf"))
        .map(|n| n[4..11].to_string())
        .collect();
    assert!(image_months.len() >= 2, "{image_months:?}");
    let tesseract = secreg::reading::ocr::OcrOptions::default().tesseract;
    if secreg::reading::ocr::tool_version(&tesseract).is_some() {
        inputs.push(fixtures().join("ocr"));
        kinds.push("image");
    } else {
        eprintln!(
            "SKIPPED the image-only scans: tesseract is not installed (apt-get install {})",
            secreg::reading::ocr::TESSERACT_PACKAGES
        );
    }
    let (out, _) = run_ingest(inputs, None);
    let mut report = String::new();
    for (table, columns) in KEYS {
        let by = keyed(&read_parquet(out.path(), table), columns);
        let mut months: Vec<&String> = by.keys().map(|(m, _)| m).collect();
        months.sort();
        months.dedup();
        for month in months {
            let Some(truth) = by.get(&(month.clone(), "text")) else {
                continue;
            };
            for &kind in &kinds {
                let empty = BTreeMap::new();
                if kind == "image" && !image_months.contains(month) {
                    continue;
                }
                let got = by.get(&(month.clone(), kind)).unwrap_or(&empty);
                let (t, g) = (truth.values().sum::<usize>(), got.values().sum::<usize>());
                let tp = overlap(truth, got);
                let precision = tp as f64 / g.max(1) as f64;
                let recall = tp as f64 / t.max(1) as f64;
                report.push_str(&format!("{table:<12} {month} {kind:<8} truth {t:>3} got {g:>3} precision {precision:.3} recall {recall:.3}\n"));
                let (min_p, min_r) = match (kind, *table) {
                    ("digital", "dcc_status") => (0.8, 0.8),
                    ("digital", _) => (1.0, 1.0),
                    (_, "dcc_status") | (_, "assessments") => (0.8, 0.8),
                    _ => (0.9, 0.9),
                };
                assert!(precision >= min_p && recall >= min_r, "{table} {month} {kind}: precision {precision:.3}, recall {recall:.3}\n{report}");
            }
            // A scan against its digital twin (the same report printed), for reading: where
            // the two differ is what OCR cost.
            if let (Some(twin), Some(scan)) = (
                by.get(&(month.clone(), "digital")),
                by.get(&(month.clone(), "scan")),
            ) {
                let (t, g) = (twin.values().sum::<usize>(), scan.values().sum::<usize>());
                let tp = overlap(twin, scan);
                report.push_str(&format!(
                    "{table:<12} {month} scan vs its digital twin: twin {t:>3} scan {g:>3} precision {:.3} recall {:.3}\n",
                    tp as f64 / g.max(1) as f64,
                    tp as f64 / t.max(1) as f64
                ));
            }
        }
    }
    println!("{report}");
}

//! The fuzzers' corpora and crash cases, replayed: what the fuzz targets (fuzz/) check, on
//! every input they kept, in every test run.

use std::path::Path;

use secreg::grammar::dates::find_dates;
use secreg::grammar::durations::find_durations;
use secreg::grammar::ids::find_mod_ids;
use secreg::grammar::{Date, Grammar, IdFinding};
use secreg::model::{extract_report, Page, ReportVocabulary};
use secreg::reading::{PageTextReader, PdfTextReader, TxtReader};

fn inputs(dirs: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            out.push(std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[test]
fn grammar_corpus() {
    let g = Grammar::builtin();
    let corpus = inputs(&["seeds/grammars", "regressions/grammars"]);
    assert!(!corpus.is_empty());
    for data in corpus {
        let text = String::from_utf8_lossy(&data);
        for line in text.lines() {
            for f in find_mod_ids(&g.ids, line) {
                if let IdFinding::Found(m) = f {
                    assert_eq!(&line[m.span.clone()], m.raw);
                }
            }
            let _ = find_dates(&g.dates, line, Date::new(2020, 6, 12));
            let _ = find_durations(&g.durations, line);
        }
    }
}

#[test]
fn report_model_corpus() {
    let g = Grammar::builtin();
    let vocab = ReportVocabulary::compile(g).unwrap();
    let corpus = inputs(&["seeds/report_model", "regressions/report_model"]);
    assert!(!corpus.is_empty());
    for data in corpus {
        let Ok(texts) = TxtReader.read(&data) else {
            continue;
        };
        let pages = Page::numbered(texts.pages, texts.words);
        let records = extract_report(g, &vocab, &pages);
        for e in &records.events {
            assert!(e.at.line as usize <= pages[e.at.page as usize - 1].text.lines().count());
        }
    }
}

#[test]
fn pdf_reader_crash_cases() {
    let cases = inputs(&["regressions/pdf_reader"]);
    assert!(!cases.is_empty());
    for data in cases {
        let _ = PdfTextReader.read(&data);
    }
}

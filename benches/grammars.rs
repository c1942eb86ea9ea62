//! Throughput of the grammars and the report model on the real June 2020 report text (MB/s),
//! and of the report model on the text layer of the June scan as secreg reads it.
//!
//! cargo bench --bench grammars

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use secreg::grammar::dates::find_dates;
use secreg::grammar::durations::find_durations;
use secreg::grammar::ids::find_mod_ids;
use secreg::grammar::{Date, Grammar};
use secreg::model::{extract_report, Page, ReportVocabulary};
use secreg::reading::{PageTextReader, PdfTextReader, TxtReader};

/// The binary's allocator (src/main.rs), so that the bench times what `secreg` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPORT: &str = include_str!("../fixtures/reports/csr-2020-06-ocr.txt");

fn grammars(c: &mut Criterion) {
    let g = Grammar::builtin();
    let report_date = Date::new(2020, 6, 12);
    let mut group = c.benchmark_group("grammars");
    group.throughput(Throughput::Bytes(REPORT.len() as u64));
    group.bench_function("ids", |b| {
        b.iter(|| {
            REPORT
                .lines()
                .map(|l| find_mod_ids(&g.ids, l).len())
                .sum::<usize>()
        })
    });
    group.bench_function("dates", |b| {
        b.iter(|| {
            REPORT
                .lines()
                .map(|l| find_dates(&g.dates, l, report_date).len())
                .sum::<usize>()
        })
    });
    group.bench_function("durations", |b| {
        b.iter(|| {
            REPORT
                .lines()
                .map(|l| find_durations(&g.durations, l).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn report_model(c: &mut Criterion) {
    let g = Grammar::builtin();
    let vocab = ReportVocabulary::compile(g).unwrap();
    let mut group = c.benchmark_group("report_model");
    // The June report as OCR'd to text, and as secreg reads the text layer ocrmypdf gave the
    // scanned fixture (its own line breaks, a space at most line ends): MB/s of page text.
    let scan = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/reports/csr-2020-06-scan.pdf"
    ))
    .unwrap();
    for (name, texts) in [
        ("extract_report", TxtReader.read(REPORT.as_bytes()).unwrap()),
        (
            "extract_report_scan_layer",
            PdfTextReader.read(&scan).unwrap(),
        ),
    ] {
        let bytes: usize = texts.pages.iter().map(String::len).sum();
        let pages = Page::numbered(texts.pages, texts.words);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| {
            b.iter(|| extract_report(g, &vocab, &pages).events.len())
        });
    }
    group.finish();
}

criterion_group!(benches, grammars, report_model);
criterion_main!(benches);

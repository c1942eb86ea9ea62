//! Page text per reader on the fixture PDFs (time per page), and the whole pipeline on the
//! fixtures.
//!
//! cargo bench --bench page_text

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use secreg::grammar::Grammar;
use secreg::pipeline::{discover, process_files, ParseContext, DEFAULT_FILE_TIMEOUT};
use secreg::reading::{PageTextReader, PdfTextReader};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/reports")
            .join(name),
    )
    .unwrap()
}

fn page_text(c: &mut Criterion) {
    let mut group = c.benchmark_group("page_text");
    group.sample_size(10);
    for name in ["csr-2020-06-digital.pdf", "csr-2020-06-scan.pdf"] {
        let bytes = fixture(name);
        let pages = PdfTextReader.read(&bytes).unwrap().pages.len();
        group.throughput(Throughput::Elements(pages as u64));
        group.bench_function(format!("pdf-extract/{name}"), |b| {
            b.iter(|| PdfTextReader.read(&bytes).unwrap().pages.len())
        });
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports");
    let found = discover(&[dir], None);
    let ctx = ParseContext::new(Grammar::builtin(), None, DEFAULT_FILE_TIMEOUT).unwrap();
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for jobs in [1, 2] {
        group.bench_function(format!("fixtures/jobs={jobs}"), |b| {
            b.iter(|| {
                let bar = indicatif::ProgressBar::hidden();
                process_files(&found.files, &ctx, Some(jobs), &bar)
                    .unwrap()
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, page_text, pipeline);
criterion_main!(benches);

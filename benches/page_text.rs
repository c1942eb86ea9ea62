//! Page text per reader on the fixture PDFs (time per page), and the whole pipeline (PDF to
//! records, per file isolated) on the fixtures and on a generated archive of report PDFs.
//!
//! cargo bench --bench page_text
//! SECREG_BENCH_ARCHIVE=1000 cargo bench --bench page_text -- archive   (default 1000 files)

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use secreg::grammar::Grammar;
use secreg::pipeline::{discover, process_files, ParseContext, DEFAULT_FILE_TIMEOUT};
use secreg::reading::{PageTextReader, PdfExtractReader, PdfTextReader};

/// The binary's allocator (src/main.rs), so that the bench times what `secreg` runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        group.bench_function(format!("secreg/{name}"), |b| {
            b.iter(|| PdfTextReader.read(&bytes).unwrap().pages.len())
        });
        group.bench_function(format!("pdf-extract/{name}"), |b| {
            b.iter(|| PdfExtractReader.read(&bytes).unwrap().pages.len())
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

/// The pipeline over an archive made by `benches/make_archive.sh` (half digital PDFs, half
/// scans, no two files alike): files per second with one job and with every core.
fn archive(c: &mut Criterion) {
    let n: usize = std::env::var("SECREG_BENCH_ARCHIVE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/make_archive.sh"))
        .arg(n.to_string())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let found = discover(&[dir.path().to_path_buf()], None);
    assert_eq!(found.files.len(), n / 2 * 2);
    let ctx = ParseContext::new(Grammar::builtin(), None, DEFAULT_FILE_TIMEOUT).unwrap();
    let mut group = c.benchmark_group("archive");
    group.sample_size(10);
    group.throughput(Throughput::Elements(found.files.len() as u64));
    for jobs in [1, 0] {
        let name = if jobs == 0 {
            "all-cores".to_string()
        } else {
            format!("jobs={jobs}")
        };
        group.bench_function(format!("{}-pdfs/{name}", found.files.len()), |b| {
            b.iter(|| {
                let bar = indicatif::ProgressBar::hidden();
                process_files(&found.files, &ctx, (jobs > 0).then_some(jobs), &bar)
                    .unwrap()
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, page_text, pipeline, archive);
criterion_main!(benches);

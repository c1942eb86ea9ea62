//! The report model in a loop, for A/B runs (`benches/ab`): reads the real June 2020 text
//! with the builtin grammar `N` times (default 400) after one warm-up, and prints the
//! throughput. With `N = 0` it does only the set-up and the warm-up, which is what a
//! callgrind count subtracts. Given a PDF, it reads that PDF's text layer (as secreg's reader
//! gives it) instead: the June scan's, to measure an OCR text layer.
//!
//! It runs on the system allocator, not the binary's (mimalloc): `benches/ab` builds it at
//! older revisions too, which do not have mimalloc, and both sides of a comparison must
//! allocate alike.
//!
//! cargo run --release --no-default-features --example extract_loop -- 400
//! cargo run --release --no-default-features --example extract_loop -- 400 fixtures/reports/csr-2020-06-scan.pdf

use secreg::grammar::Grammar;
use secreg::model::{extract_report, Page, ReportVocabulary};
use secreg::reading::{PageTextReader, PdfTextReader, TxtReader};

const REPORT: &str = include_str!("../fixtures/reports/csr-2020-06-ocr.txt");

fn main() {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("a number of reports"),
        None => 400,
    };
    let grammar = Grammar::builtin();
    let vocab = ReportVocabulary::compile(grammar).expect("the builtin vocabulary compiles");
    let texts = match std::env::args().nth(2) {
        Some(pdf) => {
            let bytes = std::fs::read(&pdf).expect("the PDF can be read");
            PdfTextReader
                .read(&bytes)
                .expect("the PDF has a text layer")
        }
        None => TxtReader
            .read(REPORT.as_bytes())
            .expect("the June text reads"),
    };
    let bytes: usize = texts.pages.iter().map(String::len).sum();
    let pages = Page::numbered(texts.pages, texts.words);
    // The warm-up fills the regex engine's lazy DFA caches, as a long run has them.
    let mut events = extract_report(grammar, &vocab, &pages).events.len();
    let start = std::time::Instant::now();
    for _ in 0..n {
        events += extract_report(grammar, &vocab, &pages).events.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{n} reports, {events} events, {:.2} MiB/s",
        (bytes * n) as f64 / seconds.max(1e-9) / 1048576.0
    );
}

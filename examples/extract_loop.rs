//! The report model in a loop, for A/B runs (`benches/ab`): reads the real June 2020 text
//! with the builtin grammar `N` times (default 400) after one warm-up, and prints the
//! throughput. With `N = 0` it does only the set-up and the warm-up, which is what a
//! callgrind count subtracts.
//!
//! cargo run --release --no-default-features --example extract_loop -- 400

use secreg::grammar::Grammar;
use secreg::model::{extract_report, Page, ReportVocabulary};
use secreg::reading::{PageTextReader, TxtReader};

const REPORT: &str = include_str!("../fixtures/reports/csr-2020-06-ocr.txt");

fn main() {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("a number of reports"),
        None => 400,
    };
    let grammar = Grammar::builtin();
    let vocab = ReportVocabulary::compile(grammar).expect("the builtin vocabulary compiles");
    let pages = Page::numbered(
        TxtReader
            .read(REPORT.as_bytes())
            .expect("the June text reads")
            .pages,
    );
    // The warm-up fills the regex engine's lazy DFA caches, as a long run has them.
    let mut events = extract_report(grammar, &vocab, &pages).events.len();
    let start = std::time::Instant::now();
    for _ in 0..n {
        events += extract_report(grammar, &vocab, &pages).events.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{n} reports, {events} events, {:.2} MiB/s",
        (REPORT.len() * n) as f64 / seconds.max(1e-9) / 1048576.0
    );
}

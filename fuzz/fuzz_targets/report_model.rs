//! Any text as a report: no panic, and every record points at a real page and line.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use secreg::grammar::Grammar;
use secreg::model::{extract_report, Page, ReportVocabulary};
use secreg::reading::{PageTextReader, TxtReader};

fuzz_target!(|data: &[u8]| {
    static VOCAB: OnceLock<ReportVocabulary> = OnceLock::new();
    let g = Grammar::builtin();
    let vocab = VOCAB.get_or_init(|| ReportVocabulary::compile(g).unwrap());
    let Ok(texts) = TxtReader.read(data) else { return };
    let pages = Page::numbered(texts.pages, texts.words);
    let records = extract_report(g, vocab, &pages);
    for e in &records.events {
        let page = &pages[e.at.page as usize - 1];
        assert!(e.at.line as usize <= page.text.lines().count());
    }
});

//! Paragraphs of PDF pages come from where the words stand, not from the layout text's empty
//! lines: an OCR layer read with an empty line between every two lines
//! (`fixtures/paragraphs/csr-gen-2000-gaps-scan.pdf`, the first seven pages of
//! `fixtures/generated/csr-gen-2000-scan.pdf` through `fixtures/generator/layer_gaps.py`,
//! which sets the layer's glyphs half as high and twice as wide, every word in its place)
//! yields the events its plain twin yields on those pages.

mod common;

use std::collections::BTreeSet;

use common::*;
use secreg::reading::{PageTextReader, PdfTextReader};

/// Each event of `file` on pages 1-7 as `mod_id event date`.
fn events_on_first_pages(events: &polars::prelude::DataFrame, file: &str) -> BTreeSet<String> {
    let rows = rows_of(events, file);
    let column = |name: &str| rows.column(name).unwrap().str().unwrap().clone();
    let (page, id, event, date) = (
        column("page"),
        column("mod_id"),
        column("event"),
        column("event_date"),
    );
    (0..rows.height())
        .filter(|&i| page.get(i).unwrap().parse::<u32>().unwrap() <= 7)
        .map(|i| {
            format!(
                "{} {} {}",
                id.get(i).unwrap(),
                event.get(i).unwrap(),
                date.get(i).unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn a_layer_read_with_an_empty_line_between_lines_yields_its_twins_events() {
    let gaps = fixtures().join("paragraphs/csr-gen-2000-gaps-scan.pdf");
    let plain = fixtures().join("generated/csr-gen-2000-scan.pdf");

    // The layer is what the test is about: its layout text has an empty line after most
    // lines of its list pages (page 2, Summary).
    let read = PdfTextReader.read(&std::fs::read(&gaps).unwrap()).unwrap();
    let lines: Vec<&str> = read.pages[1].lines().collect();
    let empty = lines.iter().filter(|l| l.trim().is_empty()).count();
    assert!(
        empty * 5 >= lines.len() * 2,
        "page 2: {empty} of {} lines empty",
        lines.len()
    );

    let (out, summary) = run_ingest(vec![gaps, plain], Some(1));
    assert_eq!(summary.failed, 0);
    let events = read_csv_as_text(out.path(), "events");
    let from_plain = events_on_first_pages(&events, "csr-gen-2000-scan.pdf");
    let from_gaps = events_on_first_pages(&events, "csr-gen-2000-gaps-scan.pdf");
    assert!(from_plain.len() >= 40, "{from_plain:#?}");
    let lost: Vec<_> = from_plain.difference(&from_gaps).collect();
    let invented: Vec<_> = from_gaps.difference(&from_plain).collect();
    assert!(
        lost.is_empty() && invented.is_empty(),
        "lost {lost:#?}\ninvented {invented:#?}"
    );
}

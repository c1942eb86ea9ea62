//! Of an OCR'd report's two reads, the one whose tables kept their rows, page by page.
//!
//! A scan's report is read once from its text layer, then again once its ruled cells are
//! read again by tesseract ([`crate::reading::ocr::reread_ruled_cells`]). The second read's
//! cells are better where the cells were cut where the page prints them; where a skewed
//! page's cut joined two columns, the words read again in them joined too, and a table that
//! read whole from the layer no longer reads as a table (generated scan 8003's page 15: its
//! date and status cells read as one, `07/03/2018 Implemented`, and all 24 rows the layer
//! gave were lost, without a word). A page whose second read holds fewer table rows than
//! its first (or as many, with fewer statuses read) keeps its first read's rows, mentions
//! and diagnostics, and the DCC rows only the second read found there (an id read again from
//! the image); the page's prose reads the same in both (cells read again change its words,
//! never its text).

use crate::model::{Diagnostic, Provenance, ReportRecords};

/// The lines (page, line) of the DCC rows the second read found on a page it lost rows of
/// (`lost`) whose modification the first read has no row of in that table on that page: an
/// id the layer left unread, read again from the image (generated scan 9401's page 14:
/// `80v2`, whose row the layer read without it, `| Managing DUIS uplifts | Implementec`).
/// They are kept beside the first read's rows.
fn rows_found_again(
    first: &ReportRecords,
    second: &ReportRecords,
    lost: &dyn Fn(u32) -> bool,
) -> Vec<(u32, u32)> {
    second
        .dcc_status
        .iter()
        .filter(|r| lost(r.at.page))
        .filter(|r| {
            !first.dcc_status.iter().any(|f| {
                f.at.page == r.at.page
                    && f.table == r.table
                    && f.modification.id == r.modification.id
            })
        })
        .map(|r| (r.at.page, r.at.line))
        .collect()
}

/// The pages (1-based) of the first read's tables where the second read lost table rows
/// (or, as many rows, their statuses).
pub fn pages_whose_rows_were_lost(first: &ReportRecords, second: &ReportRecords) -> Vec<u32> {
    // A page's tables as read: their rows, then the DCC rows whose status was read (a
    // second read whose cells were cut with two columns joined keeps its rows but runs
    // `15/07/2022 Withdrawn` into one cell: generated scan 8202's page 18, 30 rows, 10
    // statuses read again of the layer's 30).
    let rows_on = |r: &ReportRecords, page: u32| {
        let rows = r.dcc_status.iter().filter(|x| x.at.page == page).count()
            + r.assessments.iter().filter(|x| x.at.page == page).count();
        let statuses = r
            .dcc_status
            .iter()
            .filter(|x| x.at.page == page && x.status.is_some())
            .count();
        (rows, statuses)
    };
    let mut pages = table_pages(first);
    pages.retain(|&p| rows_on(second, p) < rows_on(first, p));
    pages
}

/// Puts back into `second` the first read's records of each page where the second read
/// lost table rows (or, as many rows, their statuses: [`pages_whose_rows_were_lost`]); the
/// pages (1-based) put back.
pub fn keep_pages_whose_rows_were_lost(
    first: ReportRecords,
    second: &mut ReportRecords,
) -> Vec<u32> {
    let pages = pages_whose_rows_were_lost(&first, second);
    put_back(first, second, RowsFoundAgain::Kept, pages)
}

/// As [`keep_pages_whose_rows_were_lost`], each page put back whole: none of the second
/// read's rows stays there. For a second read that read no cell again (the layer's words
/// with their images' rules, `ruled_layer_read`), whose rows the first lacks are the layer's
/// own digits: kept, they stood before the same rows the cells read again found (generated
/// scan 9401's MP080v2, `03/09/2019` where its cell read `23/09/2019`).
pub fn keep_pages_whose_rows_were_lost_whole(
    first: ReportRecords,
    second: &mut ReportRecords,
) -> Vec<u32> {
    let pages = pages_whose_rows_were_lost(&first, second);
    put_back(first, second, RowsFoundAgain::Dropped, pages)
}

/// The pages (1-based) a read's tables stand on, in order.
fn table_pages(read: &ReportRecords) -> Vec<u32> {
    let mut pages: Vec<u32> = read
        .dcc_status
        .iter()
        .map(|r| r.at.page)
        .chain(read.assessments.iter().map(|a| a.at.page))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Whether a page put back keeps the second read's DCC rows the first has none of there.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RowsFoundAgain {
    Kept,
    Dropped,
}

/// The pages (1-based) of the first read's tables where the second read holds fewer rows,
/// statuses, dates, titles or comments (any one of them).
pub fn pages_whose_cells_were_lost(first: &ReportRecords, second: &ReportRecords) -> Vec<u32> {
    let cells_on = |r: &ReportRecords, page: u32| {
        let rows = r.dcc_status.iter().filter(|x| x.at.page == page);
        let assessments = r.assessments.iter().filter(|x| x.at.page == page);
        let filled =
            |f: &dyn Fn(&crate::model::DccStatusRow) -> bool| rows.clone().filter(|x| f(x)).count();
        [
            rows.clone().count() + assessments.clone().count(),
            filled(&|x| x.status.is_some()),
            rows.clone().map(dates_read).sum::<usize>()
                + assessments.clone().filter(|a| a.date.is_some()).count(),
            filled(&|x| x.title.as_deref().is_some_and(|t| !t.is_empty())),
            filled(&|x| x.comment.as_deref().is_some_and(|c| !c.is_empty())),
        ]
    };
    let mut pages = table_pages(first);
    pages.retain(|&p| {
        let (before, after) = (cells_on(first, p), cells_on(second, p));
        before.iter().zip(&after).any(|(b, a)| a < b)
    });
    pages
}

/// How many dates a DCC row holds.
fn dates_read(row: &crate::model::DccStatusRow) -> usize {
    let added = usize::from(row.date_added.is_some());
    added + row.dates.in_order().iter().flatten().count()
}

/// Puts back into `second` the first read's records of each page where the second read
/// lost any of its tables' cells ([`pages_whose_cells_were_lost`]); the pages put back.
pub fn keep_pages_whose_cells_were_lost(
    first: ReportRecords,
    second: &mut ReportRecords,
) -> Vec<u32> {
    let pages = pages_whose_cells_were_lost(&first, second);
    put_back(first, second, RowsFoundAgain::Kept, pages)
}

fn put_back(
    first: ReportRecords,
    second: &mut ReportRecords,
    keep: RowsFoundAgain,
    pages: Vec<u32>,
) -> Vec<u32> {
    if pages.is_empty() {
        return pages;
    }
    let lost = |page: u32| pages.contains(&page);
    let diagnostic_page = |d: &Diagnostic| d.at.as_ref().map(|at| at.page);
    let found_again = match keep {
        RowsFoundAgain::Kept => rows_found_again(&first, second, &lost),
        RowsFoundAgain::Dropped => Vec::new(),
    };
    let of_a_row_found_again =
        |at: Option<&Provenance>| at.is_some_and(|at| found_again.contains(&(at.page, at.line)));
    second
        .dcc_status
        .retain(|r| !lost(r.at.page) || of_a_row_found_again(Some(&r.at)));
    second.assessments.retain(|a| !lost(a.at.page));
    let first_mentions = |m: &crate::model::Mention| {
        first
            .mentions
            .iter()
            .any(|f| f.at == m.at && f.modification.id == m.modification.id)
    };
    second
        .mentions
        .retain(|m| !lost(m.at.page) || (of_a_row_found_again(Some(&m.at)) && !first_mentions(m)));
    second
        .diagnostics
        .retain(|d| !diagnostic_page(d).is_some_and(lost) || of_a_row_found_again(d.at.as_ref()));
    second
        .dcc_status
        .extend(first.dcc_status.into_iter().filter(|r| lost(r.at.page)));
    second
        .assessments
        .extend(first.assessments.into_iter().filter(|a| lost(a.at.page)));
    second
        .mentions
        .extend(first.mentions.into_iter().filter(|m| lost(m.at.page)));
    second.diagnostics.extend(
        first
            .diagnostics
            .into_iter()
            .filter(|d| diagnostic_page(d).is_some_and(lost)),
    );
    // Back in page order (within a page, each read's own order).
    second.dcc_status.sort_by_key(|r| r.at.page);
    second.assessments.sort_by_key(|a| a.at.page);
    second.mentions.sort_by_key(|m| m.at.page);
    second
        .diagnostics
        .sort_by_key(|d| diagnostic_page(d).unwrap_or(0));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;
    use crate::pipeline::{discover::InputKind, parse_bytes, Vocabulary};
    use crate::reading::ocr::OcrOptions;

    /// The records of the digital June 2020 fixture.
    fn june() -> ReportRecords {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/reports/csr-2020-06-digital.pdf"),
        )
        .unwrap();
        let grammar = Grammar::builtin();
        let vocab = Vocabulary::new(grammar).unwrap();
        let parsed = parse_bytes(
            InputKind::Pdf,
            &bytes,
            grammar,
            &vocab,
            &OcrOptions::default(),
        );
        parsed.records.expect("the June fixture reads")
    }

    #[test]
    fn a_page_whose_rows_lost_a_date_title_or_comment_keeps_the_first_read() {
        let first = june();
        let page = first.dcc_status[0].at.page;
        // A date lost on one row (generated scan 9703: a title line read again went to the
        // row above, and its dates with it), and elsewhere a title gained: only the page
        // that lost a cell is put back.
        let mut second = first.clone();
        let row = second
            .dcc_status
            .iter_mut()
            .find(|r| r.at.page == page && r.dates.pa_request.is_some())
            .unwrap();
        row.dates.pa_request = None;
        assert_eq!(pages_whose_cells_were_lost(&first, &second), [page]);
        let kept = keep_pages_whose_cells_were_lost(first.clone(), &mut second);
        assert_eq!(kept, [page]);
        assert_eq!(second.dcc_status.len(), first.dcc_status.len());
        let mut second = first.clone();
        if let Some(r) = second.dcc_status.iter_mut().find(|r| r.comment.is_some()) {
            r.comment = None;
            assert_eq!(pages_whose_cells_were_lost(&first, &second).len(), 1);
        }
        let mut second = first.clone();
        second.dcc_status[0].title = Some("A title read again".into());
        assert!(pages_whose_cells_were_lost(&first, &second).is_empty());
    }

    #[test]
    fn a_page_the_second_read_lost_rows_of_keeps_the_first_reads_rows() {
        let first = june();
        let rows_on = |r: &ReportRecords, page: u32| {
            r.dcc_status.iter().filter(|x| x.at.page == page).count()
        };
        // The page with the most DCC rows loses all but one in the second read; another
        // page gains a row there (that page's second read is kept).
        let mut pages: Vec<u32> = first.dcc_status.iter().map(|r| r.at.page).collect();
        pages.dedup();
        let most = *pages.iter().max_by_key(|&&p| rows_on(&first, p)).unwrap();
        let other = *pages.iter().find(|&&p| p != most).unwrap();
        assert!(rows_on(&first, most) > 2);
        let mut second = first.clone();
        let mut kept_one = false;
        second.dcc_status.retain(|r| {
            let keep = r.at.page != most || !kept_one;
            kept_one |= r.at.page == most;
            keep
        });
        let extra = second
            .dcc_status
            .iter()
            .find(|r| r.at.page == other)
            .unwrap()
            .clone();
        second.dcc_status.push(extra);
        let before_other = rows_on(&second, other);
        let put_back = keep_pages_whose_rows_were_lost(first.clone(), &mut second);
        assert_eq!(put_back, vec![most]);
        assert_eq!(rows_on(&second, most), rows_on(&first, most));
        assert_eq!(rows_on(&second, other), before_other);
        // Page order kept.
        assert!(second
            .dcc_status
            .windows(2)
            .all(|w| w[0].at.page <= w[1].at.page));
    }

    #[test]
    fn a_page_the_second_read_kept_the_rows_of_but_lost_statuses_keeps_the_first_read() {
        let first = june();
        let page = first.dcc_status[0].at.page;
        let mut second = first.clone();
        for row in second
            .dcc_status
            .iter_mut()
            .filter(|r| r.at.page == page)
            .take(2)
        {
            row.status = None;
        }
        let put_back = keep_pages_whose_rows_were_lost(first.clone(), &mut second);
        assert_eq!(put_back, vec![page]);
        assert_eq!(second.dcc_status, first.dcc_status);
        // As many statuses (a title read differently): the second read stands.
        let mut second = first.clone();
        second.dcc_status[0].title = Some("read again".into());
        assert!(keep_pages_whose_rows_were_lost(first.clone(), &mut second).is_empty());
        assert_eq!(second.dcc_status[0].title.as_deref(), Some("read again"));
    }

    #[test]
    fn a_row_only_the_second_read_found_on_a_page_it_lost_rows_of_is_kept() {
        let june = june();
        let rows_on = |r: &ReportRecords, page: u32| {
            r.dcc_status.iter().filter(|x| x.at.page == page).count()
        };
        let page = june.dcc_status[0].at.page;
        assert!(rows_on(&june, page) > 3);
        // The layer read every row of the page but its first, whose id it left unread; the
        // second read found that id again, but lost three rows of the page.
        let found = june.dcc_status[0].clone();
        let mut first = june.clone();
        first.dcc_status.remove(0);
        first
            .diagnostics
            .retain(|d| d.at.as_ref() != Some(&found.at));
        let lost_three = || {
            let mut second = june.clone();
            let mut dropped = 0;
            second.dcc_status.retain(|r| {
                let drop =
                    r.at.page == page && r.modification.id != found.modification.id && dropped < 3;
                dropped += usize::from(drop);
                !drop
            });
            second
        };
        let mut second = lost_three();
        let put_back = keep_pages_whose_rows_were_lost(first.clone(), &mut second);
        assert_eq!(put_back, vec![page]);
        assert_eq!(rows_on(&second, page), rows_on(&june, page));
        assert!(second.dcc_status.contains(&found));
        let found_mentions =
            |r: &ReportRecords| r.mentions.iter().filter(|m| m.at == found.at).count();
        assert_eq!(found_mentions(&second), found_mentions(&june));
        // Put back whole (a second read of the layer's own words): the page is the first
        // read's, without the row only the second found.
        let mut second = lost_three();
        let put_back = keep_pages_whose_rows_were_lost_whole(first.clone(), &mut second);
        assert_eq!(put_back, vec![page]);
        assert_eq!(rows_on(&second, page), rows_on(&first, page));
        assert!(!second.dcc_status.contains(&found));
    }
}

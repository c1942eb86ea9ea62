//! `secreg site --out tables/`: the static HTML site of an ingest's tables, in `tables/site/`
//! (`secreg ingest` builds it too, after the tables). The pages are `output::site`'s.

use crate::output::site::SiteSummary;

/// The line printed once the site is written: where to open it.
pub fn described(s: &SiteSummary) -> String {
    format!(
        "Site written to {} ({} pages: {} modifications, {} reports, {} rows in the review queue) in {:.2} s: open {}",
        s.dir.display(),
        s.pages,
        s.modifications,
        s.reports,
        s.review_rows,
        s.seconds,
        s.index.display()
    )
}

//! `secreg site --out tables/`: the static HTML site of an ingest's tables, in `tables/site/`
//! (`secreg ingest` builds it too, after the tables). The pages are `output::site`'s.

use crate::output::site::SiteSummary;

/// The line `ingest` prints when the tables, and so the site, did not change.
pub fn unchanged(out: &std::path::Path) -> String {
    let index = out.join(crate::output::site::SITE_DIR).join("index.html");
    format!(
        "Site unchanged (its tables did not change): open {}",
        index.display()
    )
}

/// The line printed once the site is written: where to open it.
pub fn described(s: &SiteSummary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Site written to {} ({}: {}, {}, {} in the review queue) in {:.2} s: open {}",
        s.dir.display(),
        plural(s.pages, "page", "pages"),
        plural(s.modifications, "modification", "modifications"),
        plural(s.reports, "report file", "report files"),
        plural(s.review_rows, "row", "rows"),
        s.seconds,
        s.index.display()
    )
}

//! The register's title of a modification: of the spellings the reports print beside its id.

use std::collections::BTreeMap;

use super::super::history::name_key;
use super::Sightings;

/// How often one spelling of a title was printed beside a modification's id.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct TitleCounts {
    pub all: usize,
    /// In reports read from a digital text layer.
    pub digital: usize,
    /// Beside an id printed clean (OCR damaged neither).
    pub clean_id: usize,
}

/// Characters a title printed clean does not hold: OCR's marks (`Managément:-`).
fn ocr_marks(title: &str) -> usize {
    title
        .chars()
        .filter(|c| {
            !(c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '-' | '&' | '/' | '(' | ')' | ',' | '.' | '\'' | '+'
                ))
        })
        .count()
        + title.matches(":-").count()
}

/// The register's title: from the lists, sentences and headings that print it; from the DCC
/// tables of digital reports only when none does.
pub(super) fn consensus_title(sightings: &Sightings) -> (Option<String>, u32) {
    if sightings.titles.is_empty() {
        return consensus_of(&sightings.dcc_titles);
    }
    consensus_of(&sightings.titles)
}

/// The title of some spellings, and how many distinct titles they hold: of the spellings
/// (grouped after normalising), the one digital reports print; among scans, the one with the
/// fewest OCR marks; then the one most reports agree on; then the one printed beside a clean
/// id. So a damaged title never replaces a clean one.
fn consensus_of(titles: &BTreeMap<String, TitleCounts>) -> (Option<String>, u32) {
    #[derive(Default)]
    struct Group {
        digital: usize,
        all: usize,
        clean_id: usize,
        spellings: BTreeMap<String, usize>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (t, counts) in titles {
        let g = groups.entry(name_key(t)).or_default();
        g.digital += counts.digital;
        g.all += counts.all;
        g.clean_id += counts.clean_id;
        *g.spellings.entry(t.clone()).or_default() += counts.all;
    }
    let variants = groups.len() as u32;
    let best = groups
        .values()
        .filter_map(|g| {
            let (spelling, _) = g
                .spellings
                .iter()
                .max_by_key(|(t, n)| (**n, std::cmp::Reverse(ocr_marks(t))))?;
            Some((
                (
                    g.digital,
                    std::cmp::Reverse(ocr_marks(spelling)),
                    g.all,
                    g.clean_id,
                ),
                spelling.clone(),
            ))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, t)| t);
    (best, variants)
}

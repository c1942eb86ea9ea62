//! The cover paper: the report's date, title and author.

use super::layout::{plain_text, Line, Page};
use super::records::ReportInfo;
use super::vocabulary::ReportVocabulary;
use crate::grammar::dates::{find_dates, parse_date};
use crate::grammar::{DatePrecision, Grammar};

/// How many lines from the start the cover is searched.
const COVER_LINES: usize = 80;

/// Reads the cover. The report date is the first line that is a whole date (the signature
/// block); failing that, a month in the title or a footer ("Report - June 2020"), flagged as
/// inferred; failing that, none.
pub fn read_cover(
    lines: &[Line],
    pages: &[Page],
    grammar: &Grammar,
    vocab: &ReportVocabulary,
) -> ReportInfo {
    let mut info = ReportInfo::default();
    let head = &lines[..lines.len().min(COVER_LINES)];
    for (i, line) in head.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if info.report_date.is_none() {
            if let Ok(m) = parse_date(&grammar.dates, &line.text, None) {
                if m.precision == DatePrecision::Day {
                    info.report_date = Some(m.date);
                }
            }
        }
        if info.author.is_none() && vocab.author_team.iter().any(|p| p.is_match(&line.plain)) {
            info.author = head[..i]
                .iter()
                .rev()
                .find(|l| !l.is_blank())
                .map(|l| l.text.clone());
        }
    }
    for line in lines {
        if info.title.is_some() {
            break;
        }
        for p in &vocab.title {
            if let Some(m) = p.find(&line.plain) {
                let title = m.as_str().trim().to_string();
                if title.len() > "Change Status Report".len() || info.title.is_none() {
                    info.title = Some(title);
                }
            }
        }
    }
    if info.report_date.is_none() {
        // "Change Status Report - June 2020" or a footer "Report - June 2020".
        // Footers are furniture, so they are read from the pages, not the content lines.
        let month = pages
            .iter()
            .flat_map(|p| p.text.lines())
            .map(plain_text)
            .filter(|l| l.contains("Report -") || l.contains("Report-"))
            .flat_map(|l| find_dates(&grammar.dates, &l, None))
            .filter_map(Result::ok)
            .next();
        if let Some(m) = month {
            info.report_date = Some(m.date);
            info.report_date_inferred = true;
        }
    }
    info
}

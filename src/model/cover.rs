//! The cover paper: the report's date, title and author.

use super::layout::{plain_text, Line, Page};
use super::records::ReportInfo;
use super::vocabulary::ReportVocabulary;
use crate::grammar::dates::{dates_in, find_dates, whole_date, whole_date_with_ocr_day};
use crate::grammar::text::collapse_whitespace;
use crate::grammar::{Date, DatePrecision, Grammar};

/// The median year of the full dates printed in the report.
fn median_year(lines: &[Line], grammar: &Grammar) -> Option<i32> {
    let mut years: Vec<i32> = lines
        .iter()
        .flat_map(|l| dates_in(&grammar.dates, l.plain(), None))
        .filter_map(Result::ok)
        .filter(|d| d.precision == DatePrecision::Day)
        .map(|d| d.date.year)
        .collect();
    years.sort_unstable();
    years.get(years.len() / 2).copied()
}

/// The lines of `text` (as `str::lines` gives them) that hold `word`, in order: the word is
/// searched for in the whole text at once, and only the lines it is found on are cut out.
fn lines_holding<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = &'t str> + 't {
    let mut next_line_start = 0;
    memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()).filter_map(move |at| {
        if at < next_line_start {
            // Found again on the line just given.
            return None;
        }
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        next_line_start = end + 1;
        let line = &text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

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
            // The date line alone, without marks OCR read from specks beside it
            // (`” 14 August 2020`).
            let bare = line.text.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(m) = whole_date(&grammar.dates, bare, None) {
                if m.precision == DatePrecision::Day {
                    info.report_date = Some(m.date);
                }
            } else if let Some(m) = whole_date_with_ocr_day(&grammar.dates, bare) {
                info.report_date = Some(m.date);
                info.note = Some(format!(
                    "the cover's date {bare:?} read as {}: OCR read the day's digits as letters",
                    m.date
                ));
            }
        }
        if info.author.is_none() && vocab.author_team.iter().any(|p| p.is_match(line.plain())) {
            info.author = head[..i]
                .iter()
                .rev()
                .find(|l| !l.is_blank())
                .map(|l| l.text.to_string());
        }
    }
    for line in lines {
        if info.title.is_some() {
            break;
        }
        for p in &vocab.title {
            if let Some(m) = p.find(line.plain()) {
                let title = m.as_str().trim().to_string();
                // A longer match (a dated title) wins over a shorter one on the line.
                if info.title.as_ref().is_none_or(|t| title.len() > t.len()) {
                    info.title = Some(title);
                }
            }
        }
    }
    // "Change Status Report - June 2020" or a footer "Report - June 2020". Footers are
    // furniture, so they are read from the pages, not the content lines.
    let printed_month = pages
        .iter()
        .flat_map(|p| lines_holding(&p.text, &vocab.month_word))
        .map(|l| plain_text(&collapse_whitespace(l)))
        .filter(|l| vocab.month_markers.iter().any(|m| l.contains(m.as_str())))
        .flat_map(|l| find_dates(&grammar.dates, &l, None))
        .filter_map(Result::ok)
        .next();
    match (info.report_date, printed_month) {
        (None, Some(m)) => {
            info.report_date = Some(m.date);
            info.report_date_inferred = true;
            // A month names no day: the first is a stand-in, and the events dated by the
            // report ("recommended to proceed") carry it. Said, not silent.
            if m.precision == DatePrecision::Month {
                info.note = Some(format!(
                    "no date on the cover: the report date is {}, the first day of the month a footer or title names; events dated by the report carry that day",
                    m.date
                ));
            }
        }
        (Some(cover), Some(m)) if cover.month == m.date.month && cover.year != m.date.year => {
            // The cover and the title disagree on the year only: one of them is OCR damage
            // (`2026` for `2020`). The dates printed in the report say which.
            let median = median_year(lines, grammar);
            if median.is_some_and(|y| (y - m.date.year).abs() < (y - cover.year).abs()) {
                info.report_date = Date::new(m.date.year, cover.month, cover.day);
                info.report_date_inferred = true;
                info.note = Some(format!(
                    "the cover's date {cover} disagrees with the title's {:04}-{:02}; the report's other dates agree with the title, so the report date is {}",
                    m.date.year,
                    m.date.month,
                    info.report_date.map(|d| d.to_string()).unwrap_or_default()
                ));
            }
        }
        (Some(cover), Some(m)) if (cover.year, cover.month) != (m.date.year, m.date.month) => {
            info.note = Some(format!(
                "the cover's date {cover} is not in the month the title names ({:04}-{:02})",
                m.date.year, m.date.month
            ));
        }
        _ => {}
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_holding_a_word_are_the_lines_that_contain_it() {
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let texts = [
            report.to_string(),
            report.replace('\n', "\r\n"),
            "Report".to_string(),
            "Report - June 2020\r\nx\nReport Report\n\nReportReport\r\n".to_string(),
            "no word here\nreport\n REPORT \n".to_string(),
            "\n\nthe Report\n".to_string(),
            String::new(),
        ];
        for text in &texts {
            let want: Vec<&str> = text.lines().filter(|l| l.contains("Report")).collect();
            let got: Vec<&str> = lines_holding(text, "Report").collect();
            assert_eq!(got, want, "{:?}", &text[..text.len().min(60)]);
        }
        // The June report holds the word on several lines: the comparison is not only of nothing.
        assert!(lines_holding(report, "Report").count() >= 5);
    }

    #[test]
    fn the_cover_date_is_read_past_the_specks_ocr_put_beside_it() {
        let grammar = Grammar::builtin();
        let vocab = ReportVocabulary::compile(grammar).unwrap();
        let pages = vec![Page {
            number: 1,
            text: "Change Status Report\nHolly Burton\nSECAS Team\n\u{201d} 14 August 2020\n\nMP088 was approved on 21 July 2020.\n21 July 2020\n".into(),
            words: None,
        }];
        let lines = super::super::layout::content_lines(&pages, &vocab);
        let info = read_cover(&lines, &pages, grammar, &vocab);
        assert_eq!(info.report_date, Date::new(2020, 8, 14));
    }

    #[test]
    fn a_cover_date_whose_day_ocr_read_as_letters_is_read_and_said() {
        // "il June 2021" for "11 June 2021" (generated scan 5100): the footer's month gave the
        // 1st, and every fact dated by the report carried it.
        let grammar = Grammar::builtin();
        let vocab = ReportVocabulary::compile(grammar).unwrap();
        let pages = vec![Page {
            number: 1,
            text: "Change Status Report\nHolly Burton\nSECAS Team\nil June 2021\n\nMP088 was approved on 21 May 2021.\nReport - June 2021\n".into(),
            words: None,
        }];
        let lines = super::super::layout::content_lines(&pages, &vocab);
        let info = read_cover(&lines, &pages, grammar, &vocab);
        assert_eq!(info.report_date, Date::new(2021, 6, 11));
        assert!(info.note.is_some_and(|n| n.contains("\"il June 2021\"")));
    }

    #[test]
    fn the_month_line_is_found_by_the_vocabulary_words() {
        let pages = |footer: &str| {
            vec![
                Page {
                    number: 1,
                    text: "Change Status Report\n\nMP077 was raised.\n".into(),
                    words: None,
                },
                Page {
                    number: 2,
                    text: format!("Some text.\n{footer}\n"),
                    words: None,
                },
            ]
        };
        let cover = |grammar: &Grammar, footer: &str| {
            let vocab = ReportVocabulary::compile(grammar).unwrap();
            let pages = pages(footer);
            let lines = super::super::layout::content_lines(&pages, &vocab);
            read_cover(&lines, &pages, grammar, &vocab)
        };
        let builtin = Grammar::builtin();
        let info = cover(builtin, "Report  \u{2013} July 2021");
        assert_eq!(
            info.report_date.map(|d| (d.year, d.month)),
            Some((2021, 7)),
            "collapsed, with the dash made plain, the footer holds a marker"
        );
        assert!(info.report_date_inferred);
        assert!(
            info.note
                .as_deref()
                .is_some_and(|n| n.contains("2021-07-01")),
            "{:?}",
            info.note
        );
        assert_eq!(cover(builtin, "Bulletin - July 2021").report_date, None);

        // Another wording is a change of report.toml only.
        let dir = tempfile::tempdir().unwrap();
        let report = include_str!("../../grammars/report.toml")
            .replace(r#"month_word = "Report""#, r#"month_word = "Bulletin""#)
            .replace(r#"["Report -", "Report-"]"#, r#"["Bulletin -"]"#);
        std::fs::write(dir.path().join("report.toml"), report).unwrap();
        let grammar = Grammar::load_with_overrides(dir.path()).unwrap();
        let info = cover(&grammar, "Bulletin - July 2021");
        assert_eq!(info.report_date.map(|d| (d.year, d.month)), Some((2021, 7)));
        assert_eq!(cover(&grammar, "Report - July 2021").report_date, None);
    }
}

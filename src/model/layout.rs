//! A report's pages as a stream of content lines: page furniture dropped, each line kept with
//! its page and line number, its text as read and a plain form for matching.

use super::vocabulary::{LineStructure, ReportVocabulary, Section};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

use crate::grammar::page_scan::{scan_page_lines, PageMasks};
use crate::grammar::text::{plain_quotes_and_dashes, ScannedLine};
use crate::reading::words::PageWords;

/// One page of text as a reader produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub text: String,
    /// Where each word stands, when the reader knows (a PDF's text layer; not `.txt`).
    pub words: Option<PageWords>,
}

impl Page {
    /// A reader's page texts as pages, numbered from 1 in order, with their words where the
    /// reader gave them (one `PageWords` a page, or none at all).
    pub fn numbered(texts: Vec<String>, words: Vec<PageWords>) -> Vec<Page> {
        let mut words = words.into_iter();
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Page {
                number: i as u32 + 1,
                text,
                words: words.next(),
            })
            .collect()
    }
}

/// A line of content, borrowing its page's text where that is already collapsed.
#[derive(Debug, Clone)]
pub struct Line<'p> {
    pub page: u32,
    /// 1-based within the page.
    pub line: u32,
    /// As read (whitespace collapsed).
    pub text: Cow<'p, str>,
    /// For matching: quotes made `'`/`"`, dashes `-`, ligatures (`ﬁ`) their letters; `None`
    /// when that is the text as read (most lines: one string a line, not two).
    plain: Option<String>,
    /// The section it heads or the table header it is (from the plain text).
    pub structure: LineStructure,
    /// False when the line holds no modification id: it has no ASCII digit, which every id
    /// has (the id grammar's test `texts_without_a_digit_hold_no_id`). Most prose lines.
    pub may_hold_id: bool,
    /// The text as read, shared by every record read from the line (made on first asking).
    snippet: OnceCell<Arc<str>>,
}

impl Line<'_> {
    /// An empty line on `page` (line 0: none of the page text's, a break the model adds).
    pub(super) fn blank(page: u32, line: u32) -> Self {
        Line {
            page,
            line,
            text: Cow::Borrowed(""),
            plain: None,
            structure: LineStructure::default(),
            may_hold_id: false,
            snippet: OnceCell::new(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// For matching: quotes made `'`/`"`, dashes `-`, ligatures their letters.
    pub fn plain(&self) -> &str {
        self.plain.as_deref().unwrap_or(&self.text)
    }

    /// The text as read, for a record's provenance: one copy a line, however many records
    /// cite it (a line with an item holds its mention, its event and perhaps a diagnostic).
    pub fn snippet(&self) -> Arc<str> {
        Arc::clone(self.snippet.get_or_init(|| Arc::from(&*self.text)))
    }
}

/// Quotes and dashes made plain; used for phrase matching, never for output.
pub fn plain_text(text: &str) -> String {
    plain_quotes_and_dashes(text).into_owned()
}

/// Appendix A's title in the cover's list of attachments ("Attachments:" / "Appendix A: DCC
/// Preliminary Assessments and Impact Assessments update", its bullet lost to OCR: generated
/// scan 5105, whose Summary, Refine and votes were then read as the appendix) names the
/// appendix, it does not start it: the first line of the cover that would start Appendix A
/// does not. Only the first: where OCR lost every heading between the cover and the
/// appendix, the appendix's next heading ("1 Introduction") still starts it (generated scan
/// 5313, whose whole Appendix A was lost while every such line after the cover was cleared).
fn attachments_are_not_the_appendix(lines: &mut [Line]) {
    let mut section = None;
    for line in lines.iter_mut() {
        match line.structure.section {
            Some(Section::AppendixA) if section == Some(Section::Cover) => {
                line.structure.section = None;
                section = Some(Section::AppendixA);
            }
            Some(s) => section = Some(s),
            None => {}
        }
    }
}

/// The page's first and last lines with text, where each is the page's number printed alone
/// (`3` at the foot of page 3; a report numbered from its second page prints `2` on page 3):
/// page furniture. At the foot of a page a list goes on past, it read as a paragraph of its
/// own and ended the list (generated report 7800: `DP158` on page 4 lost its event, MP128,
/// MP133, MP134 on page 10 theirs).
fn page_number_lines<'a>(page_lines: &'a [Line], page: u32) -> impl Iterator<Item = usize> + 'a {
    let first = page_lines.iter().position(|l| !l.is_blank());
    let last = page_lines.iter().rposition(|l| !l.is_blank());
    let last = last.filter(|&l| Some(l) != first);
    [first, last]
        .into_iter()
        .flatten()
        .filter(move |&k| is_page_number(&page_lines[k].text, page))
}

/// True when `text` is a number alone (dashes around it allowed: `- 3 -`), at most three
/// before `page` and no more than it.
fn is_page_number(text: &str, page: u32) -> bool {
    let number = text.trim_matches(|c: char| c == '-' || c == '\u{2013}' || c.is_whitespace());
    number.len() <= 3
        && number.bytes().all(|b| b.is_ascii_digit())
        && number
            .parse::<u32>()
            .is_ok_and(|n| n <= page && n + 3 >= page)
}

/// The content lines of all pages, in reading order, a blank line between two paragraphs
/// (the text's own empty lines, or on a page with words where their positions break
/// paragraphs: [`super::paragraphs`]); furniture lines are dropped.
pub fn content_lines<'p>(pages: &'p [Page], vocab: &ReportVocabulary) -> Vec<Line<'p>> {
    // Room for lines of 16 bytes on average (report lines are longer): the vector is not
    // grown and copied line by line.
    let room = pages.iter().map(|p| p.text.len() / 16 + 1).sum();
    let mut lines = Vec::with_capacity(room);
    // Every line's plain form, one a line, and where each starts: the structural patterns
    // are searched in this once, not line by line.
    let mut plain_text = String::with_capacity(pages.iter().map(|p| p.text.len() + 1).sum());
    let mut starts: Vec<usize> = Vec::with_capacity(room);
    let mut masks = PageMasks::default();
    let mut furniture = Vec::new();
    for page in pages {
        let first_of_page = lines.len();
        for (i, scanned) in scan_page_lines(&page.text, &mut masks).enumerate() {
            let ScannedLine {
                text,
                plain,
                has_digit,
            } = scanned;
            starts.push(plain_text.len());
            plain_text.push_str(plain.as_deref().unwrap_or(&text));
            plain_text.push('\n');
            lines.push(Line {
                page: page.number,
                line: i as u32 + 1,
                may_hold_id: has_digit,
                text,
                plain,
                structure: LineStructure::default(),
                snippet: OnceCell::new(),
            });
        }
        furniture.extend(
            page_number_lines(&lines[first_of_page..], page.number).map(|k| first_of_page + k),
        );
        // A page break ends a paragraph.
        starts.push(plain_text.len());
        plain_text.push('\n');
        lines.push(Line::blank(page.number, 0));
    }
    for (start, is_furniture, structure) in vocab.line_kinds(&plain_text) {
        let k = starts.partition_point(|&s| s <= start) - 1;
        lines[k].structure = structure;
        if is_furniture {
            furniture.push(k);
        }
    }
    attachments_are_not_the_appendix(&mut lines);
    if !furniture.is_empty() {
        furniture.sort_unstable();
        furniture.dedup();
        // `furniture` is in line order: walked beside the lines, not searched.
        let (mut k, mut next) = (0, furniture.iter().peekable());
        lines.retain(|_| {
            let keep = next.next_if_eq(&&k).is_none();
            k += 1;
            keep
        });
    }
    // Paragraphs from where the words stand, where the pages say (PDF pages).
    if pages.iter().any(|p| p.words.is_some()) {
        lines = super::paragraphs::breaks_from_positions(lines, pages, &vocab.joining_words);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    fn texts(pages: &[&str]) -> Vec<String> {
        let vocab = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let pages = Page::numbered(pages.iter().map(|p| p.to_string()).collect(), Vec::new());
        content_lines(&pages, &vocab)
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.to_string())
            .collect()
    }

    #[test]
    fn a_page_number_printed_alone_at_a_page_foot_or_head_is_furniture() {
        let lines = texts(&[
            "There are eight proposals with the Authority:\n\n• MP099 'Batch 4'\n\n  1  \n\n",
            "\n- 2 -\n• MP128 'Gas Network Operators'\n\n1\n",
            "3 modifications were raised.\n\n12\n",
        ]);
        assert_eq!(
            lines,
            [
                "There are eight proposals with the Authority:",
                "• MP099 'Batch 4'",
                "• MP128 'Gas Network Operators'",
                // Page 2's `1` (pages numbered from the cover's next) is furniture too; a
                // number that is not near the page's (`12` on page 3) is not, nor one that
                // starts a sentence.
                "3 modifications were raised.",
                "12",
            ]
        );
    }
}

//! A report's pages as a stream of content lines: page furniture dropped, each line kept with
//! its page and line number, its text as read and a plain form for matching.

use super::vocabulary::{LineStructure, ReportVocabulary};
use std::cell::OnceCell;
use std::sync::Arc;

pub use crate::grammar::page_scan::LineBuffers;
use crate::grammar::page_scan::{scan_page_lines, PageMasks};
use crate::grammar::text::plain_quotes_and_dashes;

/// One page of text as a reader produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub text: String,
}

impl Page {
    /// A reader's page texts as pages, numbered from 1 in order.
    pub fn numbered(texts: Vec<String>) -> Vec<Page> {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Page {
                number: i as u32 + 1,
                text,
            })
            .collect()
    }
}

/// A line of content: its text borrowed from its page where that is already collapsed, or
/// from the report's [`LineBuffers`].
#[derive(Debug, Clone)]
pub struct Line<'p> {
    pub page: u32,
    /// 1-based within the page.
    pub line: u32,
    /// As read (whitespace collapsed).
    pub text: &'p str,
    /// For matching: quotes made `'`/`"`, dashes `-` (most lines: the text as read).
    plain: &'p str,
    /// The section it heads or the table header it is (from the plain text).
    pub structure: LineStructure,
    /// False when the line holds no modification id: it has no ASCII digit, which every id
    /// has (the id grammar's test `texts_without_a_digit_hold_no_id`). Most prose lines.
    pub may_hold_id: bool,
    /// The text as read, shared by every record read from the line (made on first asking).
    snippet: OnceCell<Arc<str>>,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// For matching: quotes made `'`/`"`, dashes `-`.
    pub fn plain(&self) -> &str {
        self.plain
    }

    /// The text as read, for a record's provenance: one copy a line, however many records
    /// cite it (a line with an item holds its mention, its event and perhaps a diagnostic).
    pub fn snippet(&self) -> Arc<str> {
        Arc::clone(self.snippet.get_or_init(|| Arc::from(self.text)))
    }
}

/// Quotes and dashes made plain; used for phrase matching, never for output.
pub fn plain_text(text: &str) -> String {
    plain_quotes_and_dashes(text).into_owned()
}

/// The content lines of all pages, in reading order. Blank lines are kept (they separate
/// paragraphs); furniture lines are dropped. What the lines' reading writes goes to
/// `buffers` (cleared first), which the lines borrow.
pub fn content_lines<'p>(
    pages: &'p [Page],
    buffers: &'p mut LineBuffers,
    vocab: &ReportVocabulary,
) -> Vec<Line<'p>> {
    let bytes: usize = pages.iter().map(|p| p.text.len() + 1).sum();
    // Room for lines of 16 bytes on average (report lines are longer): the vectors are not
    // grown and copied line by line.
    let room = bytes / 16 + pages.len();
    buffers.plain.clear();
    buffers.read.clear();
    buffers.plain.reserve(bytes);
    // The lines of all pages as read, each page's ending with the empty line of its break.
    let mut read = Vec::with_capacity(room);
    let mut page_ends = Vec::with_capacity(pages.len());
    let mut masks = PageMasks::default();
    for page in pages {
        scan_page_lines(&page.text, &mut masks, buffers, &mut read);
        // A page break ends a paragraph.
        read.push(buffers.empty_line());
        page_ends.push(read.len());
    }
    let buffers: &'p LineBuffers = buffers;
    let mut lines = Vec::with_capacity(read.len());
    let mut from = 0;
    for (page, end) in pages.iter().zip(page_ends) {
        let breaks_at = end - 1;
        for (k, r) in read[from..end].iter().enumerate() {
            lines.push(Line {
                page: page.number,
                line: if from + k == breaks_at {
                    0
                } else {
                    k as u32 + 1
                },
                text: buffers.text(&page.text, r),
                plain: buffers.plain(r),
                structure: LineStructure::default(),
                may_hold_id: r.has_digit,
                snippet: OnceCell::new(),
            });
        }
        from = end;
    }
    let mut furniture = Vec::new();
    for (start, is_furniture, structure) in vocab.line_kinds(&buffers.plain) {
        // The line whose plain form starts there (each is a slice of the searched text).
        let k = read.partition_point(|r| r.plain.start <= start) - 1;
        lines[k].structure = structure;
        if is_furniture {
            furniture.push(k);
        }
    }
    if !furniture.is_empty() {
        // `furniture` is in line order: walked beside the lines, not searched.
        let (mut k, mut next) = (0, furniture.iter().peekable());
        lines.retain(|_| {
            let keep = next.next_if_eq(&&k).is_none();
            k += 1;
            keep
        });
    }
    lines
}

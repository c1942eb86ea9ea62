//! A report's pages as a stream of content lines: page furniture dropped, each line kept with
//! its page and line number, its text as read and a plain form for matching.

use super::vocabulary::{LineStructure, ReportVocabulary};
use crate::grammar::text::{collapse_whitespace, is_dash, is_quote};

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

/// A line of content.
#[derive(Debug, Clone)]
pub struct Line {
    pub page: u32,
    /// 1-based within the page.
    pub line: u32,
    /// As read (whitespace collapsed).
    pub text: String,
    /// For matching: quotes made `'`/`"`, dashes `-`; `None` when that is the text as read
    /// (most lines: one string a line, not two).
    plain: Option<String>,
    /// The section it heads or the table header it is (from the plain text).
    pub structure: LineStructure,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// For matching: quotes made `'`/`"`, dashes `-`.
    pub fn plain(&self) -> &str {
        self.plain.as_deref().unwrap_or(&self.text)
    }
}

/// Quotes and dashes made plain; used for phrase matching, never for output.
pub fn plain_text(text: &str) -> String {
    plain_form(text).unwrap_or_else(|| text.to_string())
}

/// [`plain_text`], or `None` when it is `text` unchanged.
fn plain_form(text: &str) -> Option<String> {
    // Most lines are ASCII without a backtick: nothing to change.
    if text.is_ascii() && !text.contains('`') {
        return None;
    }
    let plain: String = text
        .chars()
        .map(|c| match c {
            '“' | '”' => '"',
            c if is_quote(c) => '\'',
            c if is_dash(c) => '-',
            c => c,
        })
        .collect();
    (plain != text).then_some(plain)
}

/// The content lines of all pages, in reading order. Blank lines are kept (they separate
/// paragraphs); furniture lines are dropped.
pub fn content_lines(pages: &[Page], vocab: &ReportVocabulary) -> Vec<Line> {
    let mut lines = Vec::new();
    for page in pages {
        for (i, raw) in page.text.lines().enumerate() {
            let text = collapse_whitespace(raw);
            let plain = plain_form(&text);
            let (furniture, structure) = if text.is_empty() {
                (false, LineStructure::default())
            } else {
                vocab.line_kind(plain.as_deref().unwrap_or(&text))
            };
            if furniture {
                continue;
            }
            lines.push(Line {
                page: page.number,
                line: i as u32 + 1,
                text,
                plain,
                structure,
            });
        }
        // A page break ends a paragraph.
        lines.push(Line {
            page: page.number,
            line: 0,
            text: String::new(),
            plain: None,
            structure: LineStructure::default(),
        });
    }
    lines
}

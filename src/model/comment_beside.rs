//! A delivery row read as text whose comment cell wraps beside its title cell, line by line
//! (the June 2020 report's OCR text, MP078v2):
//!
//! ```text
//! 17/04/2020 12/06/2020 PA in progress.
//! Incorporation of multiple Issue Chan%e Board
//! 0078v2 Resolution Proposals into the | PA in progress on 25% March
//! SEC - Part 2' 2020 requested
//! DCC complete a
//! new Preliminary
//! Assessment.
//! ```
//!
//! Once the row's title is rebuilt, each of its lines is known up to where its title words
//! end; the words after them, past the cells between (the status, once a row; date cells and
//! the status words wrapped before them; borders and specks), are the comment's, read down
//! the lines: `PA in progress. Chan%e Board on 25% March 2020 requested DCC complete a new
//! Preliminary Assessment.` The lines are the row's own: those its title was rebuilt from,
//! the dates line right above them, and the lines below that hold only other cells.

use super::layout::Line;
use super::tables::{
    has_date_cell, is_split_letter, starts_with_empty_marker, without_borders,
    without_first_words_where,
};
use super::ExtractContext;
use crate::grammar::dates::numeric_dates_in;
use crate::grammar::statuses::begins_a_phrase;

/// The lines of one row, as the title rebuild left them.
pub(super) struct RowTitleLines<'a, 'l> {
    /// Every line of the page run the rows were read from.
    pub lines: &'a [Line<'l>],
    /// For each line, the row whose title took words from it (the anchor's own row for an
    /// id's line), if any.
    pub owner: &'a [Option<usize>],
    /// For each line, whether it holds only cells beside a title (a status's or a comment's
    /// words, and the lines under them that go on).
    pub other_cells: &'a [bool],
    /// The row asked about, as `owner` names it.
    pub row: usize,
    /// The row's id's line.
    pub anchor: usize,
    /// Where the id ends on the anchor's text.
    pub anchor_rest: usize,
    /// The lines the row may take: after the row above's id up to the row below's.
    pub span: std::ops::Range<usize>,
}

/// A comment read beside a title: its text, and how many lines it was read from.
pub(super) struct CommentBeside {
    pub comment: String,
    pub lines: usize,
}

/// The comment a delivery row's lines hold after its title's words (`title`, as rebuilt),
/// if any; none where a line's words there are OCR's marks (`17/01/2020 éﬁzﬁjgv: o`, what
/// OCR made of `Approved at`), which are no comment a person reads.
pub(super) fn comment_beside_title(
    ctx: &ExtractContext,
    at: &RowTitleLines,
    title: &str,
) -> Option<CommentBeside> {
    let title_words: Vec<String> = title.split_whitespace().map(bare_word).collect();
    let (first, title_last, last) = row_lines(ctx, at)?;
    let mut comment = String::new();
    let mut status_read = false;
    let mut read = 0;
    for j in first..=last {
        let text = at.lines[j].plain();
        let from = if j == at.anchor { at.anchor_rest } else { 0 };
        let own = at.owner[j] == Some(at.row);
        let after_title = after_title_words(&text[from..], &title_words, own);
        // Among the title's lines, a line the title took no word of is another row's
        // (generated scan 9111: MP095's comment's last line `Release)` among MP100's title
        // lines); but for the id's own.
        let kept_none = !own || after_title.len() == text.len();
        if kept_none && j != at.anchor && j > first && j < title_last {
            continue;
        }
        let words = comment_words(ctx, after_title, &mut status_read);
        if words.is_empty() {
            continue;
        }
        if words.split_whitespace().any(is_ocr_marks) {
            return None;
        }
        super::grid::join_cell_line(&mut comment, words);
        read += 1;
    }
    // A comment's sentence that goes on below the row's other cells, on lines no title took
    // (`DCC complete a` / `new Preliminary` / `Assessment.`).
    let mut last = last;
    while last + 1 < at.span.end && free_line(ctx, at, last + 1) && !ends_sentence(&comment) {
        let text = at.lines[last + 1].plain();
        if text.split_whitespace().any(is_ocr_marks) {
            break;
        }
        last += 1;
        super::grid::join_cell_line(&mut comment, text);
    }
    let letters = comment.chars().filter(|c| c.is_alphabetic()).count();
    (read > 0 && letters >= 4 && comment.split_whitespace().count() >= 2).then_some(CommentBeside {
        comment,
        lines: last + 1 - first,
    })
}

/// The first of the row's lines, the last its title took words from, and the last: from the
/// first its title took words from (or its id's), with the dates line right above it, to
/// the last, with the lines below it that hold only other cells (`DCC complete a` / `new
/// Preliminary`).
fn row_lines(ctx: &ExtractContext, at: &RowTitleLines) -> Option<(usize, usize, usize)> {
    let own = |j: usize| at.owner[j] == Some(at.row);
    let mut first = at.span.clone().find(|&j| own(j))?;
    let title_last = at.span.clone().rev().find(|&j| own(j))?;
    let mut last = title_last;
    let free = |j: usize| !at.lines[j].is_blank() && at.owner[j].is_none();
    // (Only where the id's own line holds no dates: else that line is the row above's.)
    let anchor_dated = has_date_cell(ctx, &at.lines[at.anchor].plain()[at.anchor_rest..]);
    if first > at.span.start
        && !anchor_dated
        && free(first - 1)
        && has_date_cell(ctx, without_borders(at.lines[first - 1].plain()))
    {
        first -= 1;
    }
    while last + 1 < at.span.end && free_line(ctx, at, last + 1) && at.other_cells[last + 1] {
        last += 1;
    }
    Some((first, title_last, last))
}

/// Whether a line below a row's title holds only a comment's words: not blank, no row's
/// title took words from it, and no cell of dates.
fn free_line(ctx: &ExtractContext, at: &RowTitleLines, j: usize) -> bool {
    let line = &at.lines[j];
    !line.is_blank() && at.owner[j].is_none() && !has_date_cell(ctx, line.plain())
}

/// Whether a text ends a sentence (`Assessment.`).
fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?'])
}

/// A line's text after the title's words it starts with (where the title took words from
/// it), specks between them passed over; the whole line where the title took none.
fn after_title_words<'t>(text: &'t str, title_words: &[String], took: bool) -> &'t str {
    if !took {
        return text;
    }
    let mut end = 0;
    for word in text.split_whitespace() {
        let bare = bare_word(word);
        if bare.is_empty() {
            continue;
        }
        if !title_words.contains(&bare) {
            break;
        }
        end = word.as_ptr() as usize - text.as_ptr() as usize + word.len();
    }
    &text[end..]
}

/// A word without the marks around it, in lower case, to be compared with a title's
/// (`2'` is the title's `2`).
fn bare_word(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The comment's words of a line's text after its title's: past the borders and specks, the
/// status cell (once a row: `| PA in progress on 25% March`), and the date and empty cells
/// with the status's words wrapped before them (`implementation 22/11/2019 ... 17/01/2020
/// Change Board`). A date the comment's words lead up to is the comment's (`: P on
/// 27/05/2020`); after a date cell a status phrase is the comment's (`12/06/2020 PA in
/// progress.`).
fn comment_words<'t>(ctx: &ExtractContext, text: &'t str, status_read: &mut bool) -> &'t str {
    let holds_date = has_date_cell(ctx, text);
    let mut rest = text.trim();
    let mut after_date = false;
    loop {
        let Some(word) = rest.split_whitespace().next() else {
            return rest;
        };
        let after_word = rest[word.len()..].trim_start();
        if is_speck(ctx, word) || (holds_date && !after_date && is_status_tail_word(ctx, word)) {
            rest = after_word;
        } else if let Some(date) = numeric_dates_in(&ctx.grammar.dates, rest)
            .next()
            .filter(|d| d.span.start == 0)
        {
            rest = rest[date.span.end..].trim_start();
            after_date = true;
        } else if let Some(end) = starts_with_empty_marker(ctx, rest) {
            rest = rest[end..].trim_start();
        } else if !*status_read && !after_date {
            let past_status = without_status_cell(ctx, rest);
            *status_read = past_status.len() < rest.len();
            if !*status_read {
                return rest;
            }
            rest = past_status;
        } else {
            return rest;
        }
    }
}

/// A text past the status cell's words it starts with: a status phrase, or its first words
/// where the cell wraps (`Pending Approved at`: `Pending`, over `implementation`).
fn without_status_cell<'t>(ctx: &ExtractContext, text: &'t str) -> &'t str {
    let statuses = &ctx.grammar.statuses;
    without_first_words_where(text, |words| begins_a_phrase(statuses, words))
}

/// A word of OCR's marks or a border: only speck marks (`|`, `:`), or a capital letter
/// alone other than `A` and `I` (`: P on 27/05/2020`).
fn is_speck(ctx: &ExtractContext, word: &str) -> bool {
    is_split_letter(word) || word.chars().all(|c| ctx.vocab.speck_marks.contains(&c))
}

/// One of a wrapped status cell's words (`implementation`), in lower case as printed.
fn is_status_tail_word(ctx: &ExtractContext, word: &str) -> bool {
    ctx.vocab.status_tail_words.iter().any(|t| t == word)
}

/// A word OCR made of marks, no word of a report: a letter no English word of the reports
/// has (`éfizfijgv:`), or quotes set between its letters twice (`g'g'ggg'sfi'`).
fn is_ocr_marks(word: &str) -> bool {
    let inner = word.trim_matches(|c: char| !c.is_alphanumeric());
    inner.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
        || inner.chars().filter(|&c| c == '\'' || c == '"').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ocr_made_of_marks_are_told_from_a_comments() {
        assert!(is_ocr_marks("éfizfijgv:"));
        assert!(is_ocr_marks("g'g'ggg'sfi'"));
        for word in ["Chan%e", "2'", "Self-Governance", "(EDMI).", "DCC's", "25%"] {
            assert!(!is_ocr_marks(word), "{word}");
        }
    }

    #[test]
    fn a_title_word_is_compared_without_its_marks() {
        let title: Vec<String> = "SEC - Part 2".split_whitespace().map(bare_word).collect();
        assert_eq!(
            after_title_words("SEC - Part 2' 2020 requested", &title, true),
            " 2020 requested"
        );
        assert_eq!(
            after_title_words("DCC complete a", &title, false),
            "DCC complete a"
        );
    }
}

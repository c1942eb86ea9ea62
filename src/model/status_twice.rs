//! A delivery row read as text whose status and comment cells print the same status phrase,
//! side by side, wrapped over the lines around its id (the June 2020 report's OCR text):
//!
//! ```text
//! GPF timestam for readin No outstanding No outstanding
//! h P 9 assessment 03/10/2016 ... 21/02/2020 assessment
//! 0015 instantaneous Gas values
//! request request
//! ```
//!
//! Each line holds a piece of the phrase twice (`No outstanding No outstanding`), or once
//! after the row's dates (the comment's piece: the status's stands before the dates), or
//! none (the id's line, a line of dates alone). Without positions the two cells are told
//! apart only so: the phrase's pieces, read down the lines in order, make a status phrase
//! whole, at least one of them printed twice.

use super::tables::comment_after_dates;
use super::ExtractContext;
use crate::grammar::statuses::{is_piece_of_a_phrase, parse_status};
use crate::grammar::DccStatus;

/// A status phrase printed in a row's status and comment cells alike.
#[derive(Debug, PartialEq)]
pub(super) struct StatusTwice {
    /// The status both cells name.
    pub status: DccStatus,
    /// The comment cell's words, as printed (`No outstanding assessment request.`).
    pub comment: String,
    /// Whether the phrase's lines all stand above the id's line: a comment the id's line
    /// starts after its dates then follows it.
    pub above_anchor: bool,
}

/// What one line of a row gives the comment cell's phrase.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece<'t> {
    /// The line ends on the same words twice: the second copy (`request request.`).
    Twice(&'t str),
    /// The words after the line's dates.
    AfterDates(&'t str),
    /// A line of no piece that does not part the phrase: the id's line, a line of dates.
    Between,
    /// A line of other words: the phrase does not run across it.
    Other,
}

impl<'t> Piece<'t> {
    fn words(self) -> Option<&'t str> {
        match self {
            Piece::Twice(w) | Piece::AfterDates(w) => Some(w),
            Piece::Between | Piece::Other => None,
        }
    }
}

/// The status phrase a row prints twice, side by side, over `window`: its lines top to
/// bottom, each with its place from the id's line (negative above it; the id's line is 0,
/// given without its id). Where the phrase could be read from several runs of lines (the
/// rows above and below print theirs too), the run nearest the id's line.
pub(super) fn status_printed_twice(
    ctx: &ExtractContext,
    window: &[(isize, &str)],
) -> Option<StatusTwice> {
    let pieces: Vec<(isize, Piece)> = window
        .iter()
        .map(|&(at, text)| (at, piece_of(ctx, text, at == 0)))
        .collect();
    let mut best: Option<(isize, StatusTwice)> = None;
    for start in 0..pieces.len() {
        for end in start..pieces.len() {
            let run = &pieces[start..=end];
            if run.iter().any(|(_, p)| *p == Piece::Other) {
                break;
            }
            let Some(found) = phrase_of_run(ctx, run) else {
                continue;
            };
            let (first, last) = (run[0].0, run[run.len() - 1].0);
            let distance = if first <= 0 && last >= 0 {
                0
            } else {
                first.abs().min(last.abs())
            };
            // Nearest first; then the longest (`No outstanding assessment` is a phrase of
            // its own, a word short of the one its next line ends).
            let better = best.as_ref().is_none_or(|(d, b)| {
                distance < *d || (distance == *d && found.comment.len() > b.comment.len())
            });
            if better {
                best = Some((distance, found));
            }
        }
    }
    best.map(|(_, found)| found)
}

/// The phrase a run of lines' pieces make, when it is a status whole and one piece at
/// least was printed twice.
fn phrase_of_run(ctx: &ExtractContext, run: &[(isize, Piece)]) -> Option<StatusTwice> {
    if !run.iter().any(|(_, p)| matches!(p, Piece::Twice(_))) {
        return None;
    }
    let comment = run
        .iter()
        .filter_map(|(_, p)| p.words())
        .collect::<Vec<_>>()
        .join(" ");
    let status = parse_status(&ctx.grammar.statuses, &comment)?;
    let above_anchor = run.iter().all(|(at, _)| *at < 0);
    Some(StatusTwice {
        status,
        comment,
        above_anchor,
    })
}

fn piece_of<'t>(ctx: &ExtractContext, text: &'t str, is_anchor: bool) -> Piece<'t> {
    if let Some(tail) = comment_after_dates(ctx, text) {
        return Piece::AfterDates(tail);
    }
    if let Some(copy) = words_twice_at_end(text) {
        return Piece::Twice(copy);
    }
    if is_anchor || memchr::memchr(b'/', text.as_bytes()).is_some() {
        Piece::Between
    } else {
        Piece::Other
    }
}

/// A title line without the words of a status phrase its status and comment cells print
/// twice at its end (`Service Request Traffic request request.`: the title's words are
/// `Service Request Traffic`, and the line is no table heading for its three `request`s).
pub(super) fn without_status_pieces_twice<'t>(ctx: &ExtractContext, text: &'t str) -> &'t str {
    let Some(copy) = words_twice_at_end(text) else {
        return text;
    };
    if !is_piece_of_a_phrase(&ctx.grammar.statuses, copy) {
        return text;
    }
    // The first copy starts as many words before the second as the copy holds.
    let words = copy.split_whitespace().count();
    let starts: Vec<usize> = text
        .split_whitespace()
        .map(|w| w.as_ptr() as usize - text.as_ptr() as usize)
        .collect();
    text[..starts[starts.len() - 2 * words]].trim_end()
}

/// The second copy of the one to three words a line ends on twice (`No outstanding No
/// outstanding`, `request. request`: OCR's stops and rules aside, case aside), as printed.
fn words_twice_at_end(text: &str) -> Option<&str> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let key = |w: &str| {
        w.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | '|'))
            .to_lowercase()
    };
    let n = words.len();
    (1..=3).rev().find_map(|k| {
        if n < 2 * k {
            return None;
        }
        let (first, second) = (&words[n - 2 * k..n - k], &words[n - k..]);
        let same = first.iter().zip(second).all(|((_, a), (_, b))| {
            key(a) == key(b) && a.chars().any(char::is_alphabetic) && !a.contains('/')
        });
        same.then(|| text[second[0].0..].trim_end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_ending_on_its_words_twice_gives_the_second_copy() {
        assert_eq!(
            words_twice_at_end("GPF timestam for readin No outstanding No outstanding"),
            Some("No outstanding")
        );
        assert_eq!(
            words_twice_at_end("0093 v3.2 devices request request"),
            Some("request")
        );
        // The June 2020 scan's layer: OCR's stop after the first copy.
        assert_eq!(words_twice_at_end("request. request "), Some("request"));
        assert_eq!(
            words_twice_at_end("Service Request Traffic request request."),
            Some("request.")
        );
        assert_eq!(words_twice_at_end("Communications Hubs."), None);
        // Cells of dates or rules twice are no words.
        assert_eq!(words_twice_at_end("N/A | |"), None);
        assert_eq!(words_twice_at_end("request"), None);
    }

    #[test]
    fn a_title_line_loses_the_status_words_it_ends_on_twice() {
        let grammar = crate::grammar::Grammar::builtin();
        let vocab = crate::model::ReportVocabulary::compile(grammar).unwrap();
        let ctx = ExtractContext {
            grammar,
            vocab: &vocab,
            report_date: None,
        };
        let cut = |text| without_status_pieces_twice(&ctx, text);
        assert_eq!(
            cut("Service Request Traffic request request."),
            "Service Request Traffic"
        );
        assert_eq!(
            cut("Implementing IRP511 and No outstanding No outstanding"),
            "Implementing IRP511 and"
        );
        assert_eq!(cut("assessment assessment"), "");
        // Words twice that are no status's: a title's.
        assert_eq!(cut("Bye bye"), "Bye bye");
        assert_eq!(cut("Service Request Traffic"), "Service Request Traffic");
    }
}

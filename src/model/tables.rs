//! The report's tables: the DCC assessment timescales (open and returned PA/IA rows, in
//! Refine) and the Appendix A tables written by the DCC.
//!
//! Rows are anchored on the modification id that starts them. OCR interleaves cells of
//! neighbouring rows, so a value is only placed in a column when the row's own line shows
//! where it belongs; otherwise the row keeps what is certain (id, status) with a lower
//! confidence, and a diagnostic says what could not be placed.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::layout::Line;
use super::lists::provenance;
use super::records::{
    Assessment, AssessmentTable, AssessmentType, DccStatusRow, DccTable, DeliveryDates, Diagnostic,
    DiagnosticCode, ModRef, Severity, TableReading,
};
use super::status_twice::{status_printed_twice, without_status_pieces_twice};
use super::ExtractContext;
use crate::grammar::dates::{dates_in, find_dates, numeric_dates_in, whole_date};
use crate::grammar::durations::find_durations;
use crate::grammar::ids::{parse_bare_mod_id, whole_mod_id};
use crate::grammar::statuses::{self, find_status, status_after_space};
use crate::grammar::text::{clean_plain_title, clean_title};
use crate::grammar::{Date, DccStatus, IdMatch};

/// The assessment type word after the id (`PA`, `IA`, OCR'd `1A`, `PA’`), past any stray
/// punctuation OCR put between the cells (`SECMP0067 ; 1A`).
fn assessment_type<'i>(ctx: &ExtractContext, input: &'i str) -> Option<(&'i str, AssessmentType)> {
    let mut rest = input.trim_start();
    // One speck of a character OCR read before the type may be read past (generated scan
    // 9905: `~ SECMPO0018 : 7 PA 9 Feb17`, a rule read as `7`).
    let mut speck_passed = false;
    loop {
        let word_len = rest.find(' ').unwrap_or(rest.len());
        let word = &rest[..word_len];
        // (A bar before a letter is `|A`, an IA as OCR reads it; after the word, the
        // table's rule glued to it: `PA|`, the May 2020 scan's MP105, whose row was lost.)
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '|')
            .trim_end_matches('|');
        let kind = ctx
            .vocab
            .assessment_types
            .iter()
            .find(|(printed, _)| printed == bare);
        // A column rule alone is not a word.
        let rule = bare.chars().all(|c| c == '|');
        let speck = kind.is_none() && !speck_passed && bare.chars().count() == 1;
        if rule || speck {
            if word_len == rest.len() {
                return None;
            }
            speck_passed |= speck;
            rest = rest[word_len..].trim_start();
            continue;
        }
        return Some((&rest[word_len..], kind?.1));
    }
}

/// A table row without the borders OCR reads as characters (`[SECMP0007 ... ]`, `({mp122`).
pub fn without_borders(text: &str) -> &str {
    // Every border character is ASCII: trimming bytes trims characters, and is cheaper.
    let border = |b: u8| matches!(b, b'[' | b']' | b'{' | b'}' | b'(' | b')' | b'|' | b' ');
    let bytes = text.as_bytes();
    let (mut start, mut end) = (0, bytes.len());
    while start < end && border(bytes[start]) {
        start += 1;
    }
    while end > start && border(bytes[end - 1]) {
        end -= 1;
    }
    // A rule OCR read with a stop or a dash beside it: `|.0092 |`, `]-0058.|`; or as a
    // tilde (generated image-only scan 8702, page 5: every other row of a table ruled
    // between its rows, `~ SECMP0033 PA 13Sep17`).
    while start < end && matches!(bytes[start], b'.' | b'-' | b'_' | b' ' | b'|' | b'~') {
        start += 1;
    }
    &text[start..end]
}

/// The id a table row starts with, and where the rest of the row starts in its line's plain
/// text.
#[derive(Debug, Clone)]
pub struct RowId {
    pub id: IdMatch,
    pub rest_at: usize,
}

impl RowId {
    /// The row's text after its id.
    pub fn rest<'l>(&self, line: &'l Line) -> &'l str {
        &line.plain()[self.rest_at..]
    }
}

/// The id that starts a table row: prefixed (`SECMP0007`, `MPO78`) or bare (`0092`).
/// `cell` is the line's text without its borders ([`without_borders`] of `text`).
pub fn row_id_in_cell(ctx: &ExtractContext, text: &str, cell: &str) -> Option<RowId> {
    debug_assert!(text.as_bytes().as_ptr_range().contains(&cell.as_ptr()) || cell.is_empty());
    let (rest, id) = row_id_and_rest(ctx, cell)?;
    Some(RowId {
        id,
        rest_at: rest.as_ptr() as usize - text.as_ptr() as usize,
    })
}

/// The row id `text` (without its borders) starts with, and the text after it.
pub(crate) fn row_id_and_rest<'i>(
    ctx: &ExtractContext,
    text: &'i str,
) -> Option<(&'i str, IdMatch)> {
    let first = first_word(text)?;
    // Most lines are prose: an id's first letter or digit is a digit, a letter OCR prints
    // for one, or a prefix's initial; anything else is no id, without parsing.
    let ids = &ctx.grammar.ids;
    let lead = match first
        .bytes()
        .find(|b| !b.is_ascii() || b.is_ascii_alphanumeric())?
    {
        b if b.is_ascii() => char::from(b),
        _ => first.chars().find(|c| c.is_alphanumeric())?,
    };
    if !(lead.is_ascii_digit()
        || ids.digit_confusions.contains(lead)
        || (lead.is_ascii() && ids.starts_id[lead as usize]))
    {
        return None;
    }
    if let Some(m) = whole_mod_id(&ctx.grammar.ids, first) {
        return Some((&text[first.len()..], m));
    }
    // A bare id, perhaps glued to the next cell by a stray stop (`0015.instantaneous`,
    // `0057-second`).
    parse_bare_mod_id(&ctx.grammar.ids, text)
}

/// `text.split_whitespace().next()`, read as bytes where the text starts with an ASCII word
/// (a table row nearly always does).
pub(crate) fn first_word(text: &str) -> Option<&str> {
    // The ASCII characters `split_whitespace` splits at (`u8::is_ascii_whitespace` leaves
    // out the vertical tab).
    let splits = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    match text.bytes().position(|b| !b.is_ascii() || splits(b)) {
        None if !text.is_empty() => Some(text),
        Some(end) if end > 0 && text.as_bytes()[end].is_ascii() => Some(&text[..end]),
        _ => text.split_whitespace().next(),
    }
}

/// True when `text` holds `word` (ASCII, starting with a letter), letter case aside.
fn contains_ignoring_case(text: &str, word: &str) -> bool {
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let Some(&first) = word.first() else {
        return true;
    };
    // Only where the first letter is, in either case, is the word compared (`| 0x20` lowers
    // an ASCII letter).
    let first = first.to_ascii_lowercase();
    (0..text.len().saturating_sub(word.len() - 1))
        .any(|i| text[i] | 0x20 == first && text[i..i + word.len()].eq_ignore_ascii_case(word))
}

/// A row of the open/returned assessment tables:
/// `SECMP0007 1A 6 Feb 20 40 WD 82 WD` -> id, type, date, target, duration.
pub fn read_assessment_row(
    ctx: &ExtractContext,
    table: AssessmentTable,
    line: &Line,
    row: &RowId,
) -> Option<Assessment> {
    let id = &row.id;
    let (rest, kind) = assessment_type(ctx, row.rest(line))?;
    let date = dates_in(&ctx.grammar.dates, rest, ctx.report_date).find_map(Result::ok);
    let found = find_durations(&ctx.grammar.durations, rest);
    let mut durations: Vec<u32> = found.iter().map(|d| d.working_days).collect();
    let mut confidence: f32 = 1.0;
    // A duration whose number OCR printed a letter of (`4owD`).
    if found.iter().take(2).any(|d| d.repaired) {
        confidence -= 0.1;
    }
    // No duration with its unit: a table headed "Target (WD)  Current (WD)" prints the
    // numbers bare. Read those that follow the date, with less confidence.
    if durations.is_empty() {
        if let Some(d) = &date {
            durations = bare_working_days(&rest[d.span.end..]);
            if !durations.is_empty() {
                confidence -= 0.1;
            }
        }
    }
    if id.repaired {
        confidence -= 0.1;
    }
    if date.as_ref().is_none_or(|d| d.repaired) {
        confidence -= 0.2;
    }
    if durations.len() > 2 {
        confidence -= 0.3;
    }
    Some(Assessment {
        at: provenance(line),
        modification: ModRef::from(id),
        table,
        assessment_type: kind,
        date: date.map(|d| d.date),
        target_wd: durations.first().copied(),
        duration_wd: durations.get(1).copied(),
        read_from: TableReading::Text,
        confidence,
    })
}

/// The first two cells of a text that are whole numbers of at most three digits, up to the
/// first that is not: durations printed without their unit (`15 148`).
fn bare_working_days(text: &str) -> Vec<u32> {
    text.split_whitespace()
        .map_while(|w| {
            let number = w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit());
            number.then(|| w.parse().expect("at most three ASCII digits"))
        })
        .take(2)
        .collect()
}

/// The cells of a delivery row that stand for dates: numeric dates (`17/04/2020`; dates in
/// words belong to the comment column) and empty markers (`N/A`), in printed order. `None`
/// stands for an empty cell.
fn date_cells(ctx: &ExtractContext, text: &str) -> Vec<Option<Date>> {
    let mut cells: Vec<(usize, Option<Date>)> = numeric_dates_in(&ctx.grammar.dates, text)
        .map(|d| (d.span.start, Some(d.date)))
        .chain(empty_markers(ctx, text).map(|at| (at, None)))
        .collect();
    cells.sort_by_key(|(at, _)| *at);
    cells.into_iter().map(|(_, d)| d).collect()
}

/// True when [`date_cells`] finds any: it stops at the first.
pub(super) fn has_date_cell(ctx: &ExtractContext, text: &str) -> bool {
    empty_markers(ctx, text).next().is_some()
        || numeric_dates_in(&ctx.grammar.dates, text).next().is_some()
}

/// Where an empty marker (`N/A`) that a text starts with ends, if it starts with one.
pub(super) fn starts_with_empty_marker(ctx: &ExtractContext, text: &str) -> Option<usize> {
    if empty_markers(ctx, text).next() != Some(0) {
        return None;
    }
    let empties = ctx.vocab.empty_cells.iter();
    empties
        .filter(|empty| text.starts_with(empty.as_str()))
        .map(|empty| empty.len())
        .max()
}

/// Where the empty markers (`N/A`) of a text stand alone between spaces or rules.
fn empty_markers<'t>(ctx: &ExtractContext<'t>, text: &'t str) -> impl Iterator<Item = usize> + 't {
    let empties = &ctx.vocab.empty_cells;
    let bytes = text.as_bytes();
    let is_rule = |b: u8| matches!(b, b' ' | b'|');
    let marker_at = move |at: usize| {
        (at == 0 || is_rule(bytes[at - 1]))
            && empties.iter().any(|empty| {
                let empty = empty.as_bytes();
                let end = at + empty.len();
                bytes[at..].starts_with(empty) && (end == bytes.len() || is_rule(bytes[end]))
            })
    };
    // Only where a marker's first byte stands (three bytes at most, found by a vectorised
    // search; a row holds few of them) is a marker looked for; with more, at every byte.
    let firsts = &ctx.vocab.empty_cell_firsts;
    let next_candidate = move |from: usize| {
        let rest = &bytes[from..];
        let found = match firsts[..] {
            [a] => memchr::memchr(a, rest),
            [a, b] => memchr::memchr2(a, b, rest),
            [a, b, c] => memchr::memchr3(a, b, c, rest),
            [] => None,
            _ => (!rest.is_empty()).then_some(0),
        };
        found.map(|k| from + k)
    };
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = next_candidate(from) {
            from = at + 1;
            if marker_at(at) {
                return Some(at);
            }
        }
        None
    })
}

/// Places a delivery row's date cells into its six columns. In-progress rows cannot have an
/// actual date for the stage in progress, which bounds how many columns are filled: a PA in
/// progress fills request and target PA; an IA in progress all PA columns, then request and
/// target IA. A row awaiting its IA request has no IA dates: the three PA columns. Any other
/// status fills all six, or only the PA's three (an assessment starts with its PA, so three
/// dates alone are the PA's). The cells are placed only when their number is exactly what the
/// status allows.
fn place_delivery_dates(
    status: Option<DccStatus>,
    cells: &[Option<Date>],
) -> Option<DeliveryDates> {
    if !date_cells_allowed(status).contains(&cells.len()) {
        return None;
    }
    let expected = cells.len();
    let get = |i: usize| cells.get(i).copied().flatten();
    Some(DeliveryDates {
        pa_request: get(0),
        pa_target: get(1),
        pa_actual: if expected == 2 { None } else { get(2) },
        ia_request: get(3),
        ia_target: get(4),
        ia_actual: get(5),
    })
}

/// Whether a row's own line holds fewer dates than its status has date cells: none, or a
/// date of its comment alone (the June 2020 report's OCR text: `0080 : P on 27/05/2020`
/// under `DUIS version 3.1 implementation 22/11/2019 20/12/2019 17/01/2020 Change Board`).
fn too_few_to_place<T>(status: Option<DccStatus>, cells: &[T]) -> bool {
    date_cells_allowed(status)
        .iter()
        .all(|&allowed| cells.len() < allowed)
}

/// How many date cells a delivery row of a status may print ([`place_delivery_dates`]).
fn date_cells_allowed(status: Option<DccStatus>) -> &'static [usize] {
    match status {
        Some(DccStatus::PaInProgress) => &[2],
        Some(DccStatus::IaInProgress) => &[5],
        Some(DccStatus::AwaitingIaRequest) => &[3],
        Some(_) => &[3, 6],
        None => &[6],
    }
}

/// True for a line that holds only table cells of dates and empty markers, with rules and
/// OCR'd punctuation between them: `30/07/2019 | 19/06/2020 | | |`.
fn only_cells(ctx: &ExtractContext, text: &str) -> bool {
    // A line of cells holds a numeric date; most lines below a row do not.
    if memchr::memchr(b'/', text.as_bytes()).is_none() {
        return false;
    }
    let mut rest = text.to_string();
    for d in find_dates(&ctx.grammar.dates, text, None)
        .into_iter()
        .filter_map(Result::ok)
        .rev()
    {
        rest.replace_range(d.span, " ");
    }
    for empty in &ctx.vocab.empty_cells {
        rest = rest.replace(empty.as_str(), " ");
    }
    rest.chars().all(|c| {
        c.is_whitespace() || matches!(c, '|' | '.' | ',' | ':' | ';' | '-' | '_' | '\'' | '’')
    })
}

/// The cells of a row whose columns are ruled with `|` (a text export, or a digital PDF's
/// table read as such), or `None` when the row is not ruled.
pub fn ruled_cells(text: &str) -> Option<Vec<&str>> {
    // (Three rules at least: the search stops at the third.)
    let ruled = memchr::memchr_iter(b'|', text.as_bytes()).nth(2).is_some();
    ruled.then(|| text.split('|').map(str::trim).collect())
}

/// A ruled delivery row's six date columns: the six cells after the status cell, each a date,
/// an empty cell or an empty marker (`N/A`); or, where those hold no date, the six cells
/// before it (a table that prints the status after the dates). `None` when the row is not
/// ruled, has no status cell, or holds something else where a date column is.
fn ruled_delivery_dates(ctx: &ExtractContext, rest: &str) -> Option<DeliveryDates> {
    let cells = ruled_cells(rest)?;
    let status_at = cells
        .iter()
        .position(|c| crate::grammar::statuses::parse_status(&ctx.grammar.statuses, c).is_some())?;
    // Six cells of dates or empty ones, read into the six columns.
    let columns = |cells: &[&str]| -> Option<[Option<Date>; 6]> {
        let mut dates = [None; 6];
        for (slot, cell) in dates.iter_mut().zip(cells) {
            if cell.is_empty() || ctx.vocab.empty_cells.iter().any(|e| e == cell) {
                continue;
            }
            *slot = Some(whole_date(&ctx.grammar.dates, cell, None)?.date);
        }
        Some(dates)
    };
    let after = columns(&cells[status_at + 1..]);
    let holds_a_date =
        |d: &Option<[Option<Date>; 6]>| d.is_some_and(|d| d.iter().any(Option::is_some));
    let dates = if holds_a_date(&after) {
        after
    } else {
        let before = status_at
            .checked_sub(6)
            .and_then(|from| columns(&cells[from..status_at]));
        if holds_a_date(&before) {
            before
        } else {
            after
        }
    }?;
    let [pa_request, pa_target, pa_actual, ia_request, ia_target, ia_actual] = dates;
    Some(DeliveryDates {
        pa_request,
        pa_target,
        pa_actual,
        ia_request,
        ia_target,
        ia_actual,
    })
}

/// A ruled row's title: the first cell after the id with words that are neither a status nor
/// a date.
fn ruled_title(ctx: &ExtractContext, rest: &str) -> Option<String> {
    // A cell's words up to another cell's first words: the title cell may hold the status
    // OCR ran into it (`0077 DCC Service Flagging No outstanding | 06/11/2019 | ...`).
    ruled_cells(rest)?
        .into_iter()
        .map(|c| title_part(ctx, c))
        .find(|c| {
            c.chars().filter(|ch| ch.is_alphabetic()).count() >= 3
                && find_status(&ctx.grammar.statuses, c).is_none()
                && whole_date(&ctx.grammar.dates, c, None).is_none()
        })
        .map(clean_title)
}

/// How many non-blank lines above a row's id line are looked at: a tall row's lines are
/// centred on its id, its status and comment wrapped over up to four lines above it.
pub(crate) const LINES_ABOVE_A_ROW: usize = 4;

/// The lines above a row read as text.
pub(crate) struct LinesAbove<'r, 'p> {
    /// The first non-blank line above the row's id line (perhaps another row's).
    pub previous: Option<&'r Line<'p>>,
    /// The non-blank lines above it up to another row's, nearest first.
    pub above: &'r [&'r Line<'p>],
}

/// One Appendix A row: `rows` from the anchor line (starting with the row's id) up to the
/// next anchor, blank lines among them.
pub(crate) fn read_dcc_row(
    ctx: &ExtractContext,
    table: DccTable,
    rows: &[Line],
    row_id: &RowId,
    above: LinesAbove,
    diagnostics: &mut Vec<Diagnostic>,
) -> DccStatusRow {
    let mut lines = RowLines::new(table, rows, row_id.rest(&rows[0]), above.previous);
    lines.line_above_that = above.above.get(1).copied();
    lines.above = above.above;
    let id = &row_id.id;
    let (status, on_anchor) = text_row_status(ctx, &lines);
    let awaits_ia_request = table == DccTable::Delivery && holds_awaiting_ia_request(&lines);
    // The status as printed: "No outstanding" where the words of "Awaiting IA request"
    // beside it read as the status; where no status is printed but those words, the row
    // awaits its IA request.
    let status = match status {
        Some(DccStatus::AwaitingIaRequest) if awaits_ia_request && holds_no_outstanding(&lines) => {
            Some(DccStatus::NoOutstandingRequest)
        }
        None if awaits_ia_request => Some(DccStatus::AwaitingIaRequest),
        status => status,
    };
    let mut row = DccStatusRow {
        at: provenance(lines.anchor),
        modification: ModRef::from(id),
        table,
        status,
        date_added: None,
        dates: DeliveryDates::default(),
        title: None,
        comment: None,
        read_from: TableReading::Text,
        confidence: (if id.repaired { 0.9 } else { 1.0 })
            - (if on_anchor.is_none() { 0.2 } else { 0. }),
    };
    match table {
        DccTable::Delivery => {
            delivery_dates_from_text(ctx, &lines, on_anchor.or(status), &mut row, diagnostics)
        }
        DccTable::NoFurther => date_added_from_text(ctx, &lines, &mut row),
        DccTable::NotRequested => row.title = title_before_status(ctx, lines.rest),
    }
    if row.title.is_none() {
        row.title = ruled_title(ctx, lines.rest);
    }
    if awaits_ia_request && row.status != Some(DccStatus::AwaitingIaRequest) {
        awaiting_ia_request_comment(&lines, &mut row, diagnostics);
    }
    if table == DccTable::Delivery {
        read_delivery_comment(ctx, &lines, &mut row, diagnostics);
    }
    if row.status.is_none() {
        diagnostics.push(lines.said(
            Severity::Warning,
            DiagnosticCode::DccStatusUnread,
            format!("{}: no DCC status could be read for this row", id.id),
        ));
    }
    row
}

/// The lines of an Appendix A row read as text, and the texts its readers ask of them, each
/// built once and only when asked: most rows are read from their own line.
struct RowLines<'r, 'p> {
    rows: &'r [Line<'p>],
    anchor: &'r Line<'p>,
    /// The anchor's text after the id.
    rest: &'r str,
    previous_line: Option<&'r Line<'p>>,
    /// The non-blank line above `previous_line`, when neither starts a row.
    line_above_that: Option<&'r Line<'p>>,
    /// The non-blank lines above the anchor up to another row's, nearest first.
    above: &'r [&'r Line<'p>],
    /// A row whose anchor is the id alone was read cell by cell (one cell a line below it):
    /// only then do the lines below hold its cells. Elsewhere OCR interleaves neighbouring
    /// rows, and only the lines right above and below the anchor are looked at.
    cell_by_cell: bool,
    /// Tables of one status a row (no delivery dates) interleave only titles, which carry no
    /// status words: their whole block is safe to read.
    whole_block: bool,
    block_text: OnceCell<String>,
    near_text: OnceCell<String>,
}

impl<'r, 'p> RowLines<'r, 'p> {
    fn new(
        table: DccTable,
        rows: &'r [Line<'p>],
        rest: &'r str,
        previous_line: Option<&'r Line<'p>>,
    ) -> Self {
        let cell_by_cell = rest.trim().is_empty();
        RowLines {
            rows,
            anchor: &rows[0],
            rest,
            previous_line,
            line_above_that: None,
            above: &[],
            cell_by_cell,
            whole_block: cell_by_cell || table != DccTable::Delivery,
            block_text: OnceCell::new(),
            near_text: OnceCell::new(),
        }
    }

    /// The row's lines, without the blank ones between them; the first is the anchor.
    fn block(&self) -> impl Iterator<Item = &'r Line<'p>> {
        self.rows.iter().filter(|l| !l.is_blank())
    }

    /// The block's lines as one text.
    fn block_text(&self) -> &str {
        self.block_text.get_or_init(|| {
            let mut text = String::with_capacity(self.block().map(|l| l.plain().len() + 1).sum());
            for l in self.block() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(l.plain());
            }
            text
        })
    }

    /// The lines around the anchor, top to bottom, each with its place from the anchor's
    /// (the anchor's given without its id): those above it up to another row's, and the
    /// first three of its block below it.
    fn window(&self) -> Vec<(isize, &'r str)> {
        let above = self.above.iter().enumerate().rev();
        let above = above.map(|(k, l)| (-(k as isize) - 1, l.plain()));
        let below = self.block().skip(1).take(3).enumerate();
        let below = below.map(|(k, l)| (k as isize + 1, l.plain()));
        above
            .chain(std::iter::once((0, self.rest)))
            .chain(below)
            .collect()
    }

    /// A diagnostic about the row, at its id's line.
    fn said(&self, severity: Severity, code: DiagnosticCode, message: String) -> Diagnostic {
        Diagnostic {
            at: Some(provenance(self.anchor)),
            severity,
            code,
            message,
        }
    }

    /// The lines right above and below the anchor, and the anchor.
    fn near(&self) -> [&str; 3] {
        let above = self.previous_line.map_or("", |l| l.plain());
        let below = self.block().nth(1).map_or("", |l| l.plain());
        [above, self.anchor.plain(), below]
    }

    /// The row's context as one text: the whole block, or the lines near the anchor.
    fn context_text(&self) -> &str {
        if self.whole_block {
            self.block_text()
        } else {
            self.near_text.get_or_init(|| self.near().join(" "))
        }
    }

    /// Whether the context holds a word (no space in it), asked line by line: no line join
    /// makes or breaks such a word.
    fn context_holds(&self, word: &str) -> bool {
        if self.whole_block {
            self.block()
                .any(|l| contains_ignoring_case(l.plain(), word))
        } else {
            self.near().iter().any(|l| contains_ignoring_case(l, word))
        }
    }
}

/// A text row's DCC status, and the status its anchor line names (which alone says which
/// date columns its cells are in). The anchor first, then the row's context, last (for a row
/// of one line) the line above when it is a status alone ("On hold" printed above
/// "0037 Pairing Local PPMIDs").
fn text_row_status(
    ctx: &ExtractContext,
    lines: &RowLines,
) -> (Option<DccStatus>, Option<DccStatus>) {
    let statuses = &ctx.grammar.statuses;
    let on_anchor = find_status(statuses, lines.rest);
    let status = on_anchor
        .or_else(|| find_status(statuses, lines.context_text()))
        .or_else(|| {
            lines
                .previous_line
                .and_then(|l| crate::grammar::statuses::parse_status(statuses, l.plain()))
        })
        .or_else(|| wrapped_text_status(ctx, lines));
    (status, on_anchor)
}

/// A delivery row's comment read as text: a status phrase its status and comment cells both
/// print, side by side over the lines around its id (the status, where none was read, is
/// that phrase's), before the comment its id's line starts; else the status phrase or
/// comment its id's line ends on ([`status_phrase_comment`]).
fn read_delivery_comment(
    ctx: &ExtractContext,
    lines: &RowLines,
    row: &mut DccStatusRow,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let twice = status_printed_twice(ctx, &lines.window())
        .filter(|twice| row.status.is_none_or(|s| s == twice.status));
    if row.comment.is_none() {
        row.comment = if lines.cell_by_cell {
            comment_cell_after_dates(ctx, row.table, lines)
        } else {
            status_phrase_comment(ctx, lines)
        };
    }
    let Some(twice) = twice else {
        if row.comment.is_none() {
            say_comment_unread(ctx, lines, row, diagnostics);
        }
        return;
    };
    row.status.get_or_insert(twice.status);
    row.comment = Some(match row.comment.take() {
        Some(after) if twice.above_anchor => format!("{} {after}", twice.comment),
        Some(own) => own,
        None => twice.comment,
    });
}

/// The comment of a row read cell by cell (its id alone on its line, each cell a block
/// below it, its column's heading perhaps repeated above it): the lines after its last date
/// cell, joined (the June 2020 text's MP053: `20/09/2019` / blank / `Approved by the` /
/// `Change Board` / `under Self-` / `Governance on` / ... / `Release).`).
fn comment_cell_after_dates(
    ctx: &ExtractContext,
    table: DccTable,
    lines: &RowLines,
) -> Option<String> {
    let block: Vec<&str> = lines.block().map(|l| l.plain()).collect();
    let last_date = block
        .iter()
        .rposition(|text| has_date_cell(ctx, text) && only_cells(ctx, text))?;
    let mut comment = String::new();
    for text in &block[last_date + 1..] {
        // (The column's heading repeated above the cell: `Comments`.)
        if comment.is_empty() && is_heading_line(ctx, table, text) {
            continue;
        }
        super::grid::join_cell_line(&mut comment, text);
    }
    (!comment.is_empty()).then_some(comment)
}

/// Says so where a delivery row read as text has no comment but its lines hold words of one:
/// after its dates, words that are no status (`17/01/2020 éﬁzﬁjgv: o`, what OCR made of
/// `Approved at`), or after a title's words, a comment's first words (`Incorporation of
/// multiple Issue Chan%e Board`). Without positions such words are not told from the title's
/// and the row's neighbours' (MP078v2's comment in the June 2020 text wraps beside its title
/// over seven lines), and they are not read; the row's own line and the lines right above and
/// below it are looked at.
fn say_comment_unread(
    ctx: &ExtractContext,
    lines: &RowLines,
    row: &DccStatusRow,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let [above, _, below] = lines.near();
    let Some(words) = [lines.rest, above, below]
        .into_iter()
        .find_map(|text| comment_words_in(ctx, text))
    else {
        return;
    };
    let message = format!(
        "{}: the row's lines hold words of a comment ({words:?}) not told from its other cells' without positions; comment left empty",
        row.modification.id
    );
    diagnostics.push(lines.said(Severity::Info, DiagnosticCode::DccCommentUnread, message));
}

/// The words of a comment a line of a delivery row read as text holds: after its dates,
/// words that are no status phrase nor a piece of one; after its title's words, a comment's
/// first words (not a status's).
fn comment_words_in<'t>(ctx: &ExtractContext, text: &'t str) -> Option<&'t str> {
    if let Some(mut tail) = comment_after_dates(ctx, text) {
        // Empty cells after the last date are no comment (`14/11/2019 N/A N/A N/A`).
        while let Some(end) = starts_with_empty_marker(ctx, tail) {
            tail = tail[end..].trim_start();
        }
        let of_a_status = statuses::is_piece_of_a_phrase(&ctx.grammar.statuses, tail);
        let has_letters = tail.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        return (has_letters && !of_a_status).then_some(tail);
    }
    let title = title_part_after(ctx, text, false);
    let after = title.as_ptr() as usize - text.as_ptr() as usize + title.len();
    let rest = without_status_first(ctx, without_borders(&text[after..]).trim());
    opens_comment_cell(ctx, rest).then_some(rest)
}

/// A cell's words after the status phrase they start with, if any (`Pending Approved at`:
/// the status cell's word, then the comment's).
fn without_status_first<'t>(ctx: &ExtractContext, text: &'t str) -> &'t str {
    let statuses = &ctx.grammar.statuses;
    without_first_words_where(text, |words| {
        statuses::parse_status(statuses, words).is_some()
    })
}

/// A text past the longest run of its first words (four at most) that `holds` accepts, or
/// the text where no run is.
pub(super) fn without_first_words_where(text: &str, holds: impl Fn(&str) -> bool) -> &str {
    let ends: Vec<usize> = text
        .split_whitespace()
        .take(4)
        .map(|w| w.as_ptr() as usize - text.as_ptr() as usize + w.len())
        .collect();
    match ends.iter().rev().find(|&&end| holds(&text[..end])) {
        Some(&end) => text[end..].trim_start(),
        None => text,
    }
}

/// The comment a delivery row read as text ends its id's line on after its dates, where it
/// is a status phrase whole (the June 2020 text: `0092 New Planned Maintenance PA in progress
/// 02/12/2019 05/06/2020 PA in progress`), its last words perhaps wrapped onto the line below
/// (`... 12/06/2020 IA in` / `progress`); or a comment's first words there that go on below
/// ([`open_comment_below`]); or, on a line of no date, a status phrase after the row's status
/// ([`status_phrase_after_status`]). Other words after the dates (OCR's marks: `g‘g’ggg‘sﬁ’
/// IA`) are not told from a title's without positions, and are not read.
fn status_phrase_comment(ctx: &ExtractContext, lines: &RowLines) -> Option<String> {
    let whole =
        |text: &str| crate::grammar::statuses::parse_status(&ctx.grammar.statuses, text).is_some();
    let Some(tail) = comment_after_dates(ctx, lines.rest) else {
        return status_phrase_after_status(ctx, lines.rest);
    };
    if whole(tail) {
        return Some(tail.to_string());
    }
    if let Some(comment) = open_comment_below(ctx, lines, tail) {
        return Some(comment);
    }
    let below = lines.block().nth(1)?.plain();
    let first = below
        .split_whitespace()
        .next()?
        .trim_end_matches(['.', ',', '|']);
    let joined = format!("{tail} {first}");
    whole(&joined).then_some(joined)
}

/// The status phrase a line of no date ends on after the row's status: its comment (the
/// June 2020 text's `0106 PA in progress PA in progress`, its title and dates on the lines
/// around it). Title words before the status are no status: `0092 New Planned PA in
/// progress` has no comment.
fn status_phrase_after_status(ctx: &ExtractContext, rest: &str) -> Option<String> {
    let statuses = &ctx.grammar.statuses;
    let words: Vec<&str> = rest.split_whitespace().collect();
    (1..words.len()).find_map(|k| {
        let comment = words[k..].join(" ");
        let status_before = crate::grammar::statuses::parse_status(statuses, &words[..k].join(" "));
        (status_before.is_some()
            && crate::grammar::statuses::parse_status(statuses, &comment).is_some())
        .then_some(comment)
    })
}

/// A comment that starts after a row's dates with a comment's first words and goes on below
/// (`... 12/03/2020 Currently with` / `Authority for` / `decision.`, the June 2020 text):
/// the lines under it while the text so far ends on a joining word or the next line starts
/// in lower case, none of them with a date.
fn open_comment_below(ctx: &ExtractContext, lines: &RowLines, tail: &str) -> Option<String> {
    if !opens_comment(ctx, tail) {
        return None;
    }
    let mut comment = tail.to_string();
    for line in lines.block().skip(1) {
        let text = line.plain().trim();
        let goes_on = ends_open(ctx, &comment) || text.starts_with(|c: char| c.is_lowercase());
        if !goes_on || has_date_cell(ctx, text) {
            break;
        }
        comment.push(' ');
        comment.push_str(text);
    }
    (comment.len() > tail.len()).then_some(comment)
}

/// Whether a delivery row's lines read as text hold the words of a comment that says the
/// IA request is awaited (`Awaiting 1A`): its context, or the line two above its anchor,
/// which a tall row's first line is (`Enduring Approach to No outstanding Awaiting 1A` /
/// `Communication Hub Firmware | assessment 17/05/2019 ...` / `0024 M Request`).
fn holds_awaiting_ia_request(lines: &RowLines) -> bool {
    let says = crate::grammar::statuses::says_ia_request_awaited;
    (lines.context_holds("awaiting") && says(lines.context_text()))
        || lines
            .line_above_that
            .is_some_and(|l| contains_ignoring_case(l.plain(), "awaiting") && says(l.plain()))
}

/// Whether a delivery row's lines read as text name the status "No outstanding" beside
/// the comment that awaits the IA request: the status as printed, where the comment's
/// words read as a status (`Advanced Shipment No outstanding` / `Notifications (ASN) for
/// Awaiting 1A` / `0066 Consignment of assessment ... request`).
fn holds_no_outstanding(lines: &RowLines) -> bool {
    lines.context_holds("outstanding")
        || lines
            .line_above_that
            .is_some_and(|l| contains_ignoring_case(l.plain(), "outstanding"))
}

/// The comment of a delivery row read as text whose lines hold the words of "Awaiting IA
/// request" beside its status: the June 2020 text prints `No outstanding Awaiting 1A` /
/// `0090v2 Non-Mandated Alerts into the assessment re uestg` / `SEC request q`, the status
/// (`No outstanding assessment request`) and the comment wrapped side by side. The comment
/// is taken as that phrase, said. Other comments are not told from a title's words without
/// positions, and are left empty.
fn awaiting_ia_request_comment(
    lines: &RowLines,
    row: &mut DccStatusRow,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let comment = "Awaiting IA request";
    row.comment = Some(comment.to_string());
    row.confidence -= 0.1;
    let message = format!(
        "{}: the row's lines hold the words of {comment:?} beside its status; the comment is taken as that phrase (OCR repair)",
        row.modification.id
    );
    diagnostics.push(lines.said(Severity::Info, DiagnosticCode::DccCommentRepaired, message));
}

/// A status whose phrase wraps from one of the row's lines to the next, around its anchor:
/// the two lines above it (a row printed above its id), the line above and the anchor, or
/// the anchor and the line below (the June 2020 report's OCR text: `0080 Ensuring a managed
/// move to | Pending 22/11/2019 | ...` over `DUIS version 3.1 implementation on 27/05/2020`).
fn wrapped_text_status(ctx: &ExtractContext, lines: &RowLines) -> Option<DccStatus> {
    let statuses = &ctx.grammar.statuses;
    let below = lines.block().nth(1).map(|l| l.plain());
    let above = lines.previous_line.map(|l| l.plain());
    let above_that = lines.line_above_that.map(|l| l.plain());
    let pairs = [
        (Some(lines.rest), below),
        (above, Some(lines.rest)),
        (above_that, above),
    ];
    pairs.into_iter().find_map(|pair| match pair {
        (Some(upper), Some(lower)) => {
            crate::grammar::statuses::wrapped_status(statuses, upper, lower)
        }
        _ => None,
    })
}

/// A delivery row's six dates from its text: a ruled row's cells where their rules say; else
/// the date cells of its own line (with the lines right below that hold only cells: a row too
/// long for the page wraps there), placed by how many its status allows; else, for a row read
/// cell by cell, its whole block's. Dates that do not place are left out, and said.
fn delivery_dates_from_text(
    ctx: &ExtractContext,
    lines: &RowLines,
    status: Option<DccStatus>,
    row: &mut DccStatusRow,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // (From the line as printed, so that a closing rule before the wrap is kept; copied only
    // when such lines join it.)
    let mut row_line = Cow::Borrowed(lines.rest);
    for l in lines
        .block()
        .skip(1)
        .take_while(|l| only_cells(ctx, l.plain()))
    {
        let joined = row_line.to_mut();
        joined.push(' ');
        joined.push_str(l.plain());
    }
    let anchor_cells = date_cells(ctx, &row_line);
    // The whole block's cells only when the row's own do not place.
    let block_cells = OnceCell::new();
    let all_block_cells = || block_cells.get_or_init(|| date_cells(ctx, lines.block_text()));
    if let Some(dates) = ruled_delivery_dates(ctx, &row_line) {
        row.dates = dates;
    } else if let Some(dates) = place_delivery_dates(status, &anchor_cells) {
        row.dates = dates;
    } else if let Some((dates, above)) = too_few_to_place(status, &anchor_cells)
        .then(|| dates_on_line_above(ctx, lines, status))
        .flatten()
    {
        row.dates = dates;
        row.confidence -= 0.2;
        diagnostics.push(lines.said(
            Severity::Info,
            DiagnosticCode::DccDatesFromLineAbove,
            format!(
                "{}: the row's own line holds {}; its dates are above it ({above:?})",
                row.modification.id,
                match anchor_cells.len() {
                    0 => "no date".to_string(),
                    n => format!("{n} date(s), too few to be its date cells"),
                },
            ),
        ));
    } else if let Some(dates) = lines
        .cell_by_cell
        .then(|| place_delivery_dates(status, all_block_cells()))
        .flatten()
    {
        row.dates = dates;
        row.confidence -= 0.2;
    } else if block_cells
        .get()
        .map_or_else(|| has_date_cell(ctx, lines.block_text()), |c| !c.is_empty())
    {
        row.confidence -= 0.2;
        diagnostics.push(lines.said(
            Severity::Warning,
            DiagnosticCode::DccDatesUnplaced,
            format!(
                "{}: {} date cells on the row, {} expected for status {}; dates left empty",
                row.modification.id,
                anchor_cells.len(),
                date_cells_allowed(status)
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" or "),
                status.map_or("unknown", |s| s.name())
            ),
        ));
    }
}

/// A tall row's dates OCR put on a line of its own above the id's (the June 2020 text:
/// `Vehicle chargers connected to | assessment 22/07/2019 06/09/2019 06/09/2019 requ estg`
/// above `0046 Smart Meter infrastructure request`): the line right above holds title words
/// and date cells that place for the row's status, and no id (a line with an id is the row
/// above's), and is not a line of cells alone (those continue the row above). The dates line
/// may itself wrap where the page ends, its last cells starting the line below it (the June
/// 2020 report typeset: `CRP535 to support GBCS assessment 02/12/2019 ... 06/03/2020 |` /
/// `06/03/2020 assessment` / `0093 v3.2 devices request request`).
fn dates_on_line_above<'r>(
    ctx: &ExtractContext,
    lines: &RowLines<'r, '_>,
    status: Option<DccStatus>,
) -> Option<(DeliveryDates, Cow<'r, str>)> {
    let on = |above: Cow<'r, str>| {
        if row_id_and_rest(ctx, without_borders(&above)).is_some() {
            return None;
        }
        place_delivery_dates(status, &date_cells(ctx, &above)).map(|d| (d, above))
    };
    let previous = lines.previous_line?.plain();
    if !only_cells(ctx, previous) {
        if let Some(found) = on(Cow::Borrowed(previous)) {
            return Some(found);
        }
    }
    let above_that = lines.line_above_that?.plain();
    // A taller title: the dates two lines up, over a line of no date (`17/04/2020
    // 11/05/2020 11/05/2020` / `Incorporation of Non GBCS No outstanding` / `0090v2 ...`).
    if !has_date_cell(ctx, previous) {
        return on(Cow::Borrowed(above_that));
    }
    // The dates line wrapped: the line above starts with the cells it carried over.
    let carried_over = previous
        .split_whitespace()
        .next()
        .is_some_and(|first| has_date_cell(ctx, first));
    (carried_over && has_date_cell(ctx, above_that))
        .then(|| on(Cow::Owned(format!("{above_that} {previous}"))))
        .flatten()
}

/// A "no further" row's date added: the first date on its own line, else in its block.
fn date_added_from_text(ctx: &ExtractContext, lines: &RowLines, row: &mut DccStatusRow) {
    let dates = &ctx.grammar.dates;
    let added = match dates_in(dates, lines.rest, None).find_map(Result::ok) {
        Some(d) => Some(d),
        None => {
            row.confidence -= 0.2;
            dates_in(dates, lines.block_text(), None).find_map(Result::ok)
        }
    };
    if added.as_ref().is_some_and(|d| d.repaired) {
        row.confidence -= 0.1;
    }
    row.date_added = added.map(|d| d.date);
}

/// "0028 Prioritising Service Requests On hold": the title sits between id and status.
/// (`rest` is part of the anchor's plain form.)
fn title_before_status(ctx: &ExtractContext, rest: &str) -> Option<String> {
    let title_end = status_after_space(&ctx.grammar.statuses, rest).unwrap_or(rest.len());
    let title = clean_plain_title(&rest[..title_end]);
    (title.split_whitespace().count() >= 2).then_some(title)
}

/// A row of an Appendix A table read as text: its record, its anchor line and its table's
/// header line.
#[derive(Debug, Clone, Copy)]
pub struct TextRow {
    pub index: usize,
    pub anchor: usize,
    pub header: usize,
    /// Where, on its anchor, the number OCR left in its id's place ends, for a row read under
    /// it (`9007`: [`super::lost_ids`]).
    pub lost_id_end: Option<usize>,
}

/// The words a line of a table read as text gives a row's title: from its start up to the
/// first word of another cell (a date, an empty marker, a rule, a status's or a comment's
/// first words). `Advanced Shipment No outstanding` -> `Advanced Shipment`.
fn title_part<'t>(ctx: &ExtractContext, text: &'t str) -> &'t str {
    title_part_after(ctx, text, false)
}

/// [`title_part`] of a line under a title's line that goes on (`Amending the`): a status's
/// or comment's words that start it are the title's (MP041, `Amending the` / `Change Board`
/// / `decision making`), where `goes_on`.
fn title_part_after<'t>(ctx: &ExtractContext, text: &'t str, goes_on: bool) -> &'t str {
    let mut end = text.len();
    let leading = text.len() - text.trim_start().len();
    for pattern in &ctx.vocab.title_ends {
        // A status word quoted is a title's word (`remove 'Pending' devices from SMI`).
        let quoted = |at: usize| text[..at].ends_with(['\'', '"']);
        let title_word = |at: usize| quoted(at) || (goes_on && at == leading);
        if let Some(m) = pattern.find_iter(text).find(|m| !title_word(m.start())) {
            end = end.min(m.start());
        }
    }
    if let Some(d) = numeric_dates_in(&ctx.grammar.dates, text).next() {
        end = end.min(d.span.start);
    }
    if let Some(at) = garbled_date_at(ctx, text) {
        end = end.min(at);
    }
    if let Some(at) = empty_markers(ctx, text).next() {
        end = end.min(at);
    }
    if let Some(at) = memchr::memchr(b'|', text.as_bytes()) {
        end = end.min(at);
    }
    let part =
        text[..end].trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';'));
    // A colon ends a title's line (`Section D` / `Review:` / `Amendments to`); one standing
    // apart is a speck (`MAP ID in the :`).
    match part.strip_suffix(':') {
        Some(rest) if rest.ends_with(char::is_whitespace) || rest.is_empty() => rest.trim_end(),
        _ => part,
    }
}

/// Where a date OCR garbled into letters stands in a line, after a title's words: a word of
/// six or more of the digits and the letters OCR reads them as (the id grammar's
/// `digit_confusions`, and for a date also `A` for 4, `L` for 1 and its slashes, which an id
/// never holds), with a digit and a letter (June 2020: `SMETSL1 Validation of SRV DLI052020
/// 08/06/2020`, `CHISM update for Unknown LALAZ0 S`). `SMETS1`, `IRP511` and `6.15.1` are
/// no dates.
fn garbled_date_at(ctx: &ExtractContext, text: &str) -> Option<usize> {
    let confusions = &ctx.grammar.ids.digit_confusions;
    let date_char =
        |c: char| c.is_ascii_digit() || confusions.contains(c) || matches!(c, 'A' | 'L' | '/');
    text.split_whitespace().skip(1).find_map(|w| {
        let garbled = w.chars().count() >= 6
            && w.chars().all(date_char)
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().any(|c| c.is_ascii_alphabetic());
        garbled.then(|| w.as_ptr() as usize - text.as_ptr() as usize)
    })
}

/// True for a line that is a status cell alone, whatever its case (`0003 withdrawn`, a
/// status wrapped onto its own line: `implemented`): no title words.
fn is_status_alone(ctx: &ExtractContext, text: &str) -> bool {
    crate::grammar::statuses::parse_status(&ctx.grammar.statuses, text).is_some()
}

/// True for a line of a table's column headings (`SECMP# Assessment d Delivery Delivery`,
/// `tatus Date Date Date Date`): at least half its words are header words.
fn is_heading_line(ctx: &ExtractContext, table: DccTable, text: &str) -> bool {
    let Some(layout) = ctx
        .vocab
        .table_layout(super::vocabulary::TableKind::Dcc(table))
    else {
        return false;
    };
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let headers = words.iter().filter(|w| layout.is_header_word(w)).count();
    // More than half: a title line of two words, one of them a header word (`Request for`,
    // `Modification to`), is a title's.
    !words.is_empty() && 2 * headers > words.len()
}

/// The title lines between two rows' anchors (text read without positions), parted into the
/// row above's and the row below's. `parts` are the lines' title words (`None` for a blank
/// line, `""` for a line of no title words).
///
/// A title cell is printed around its id, so a block of lines touching the row above's id
/// (no blank line between) goes on its title, and a block touching the row below's id starts
/// that one. A block with blank lines on both sides (OCR put blank lines inside a cell) goes
/// up to the row above, unless no block touches the row below's id: then the last such block
/// starts its title, whether or not its id line has title words (`Amendment to / ... / SMKI`
/// / blank / `0042 Participants with ...`) (`Add New / Command to / Reset Debt / Registers` / blank /
/// `0002 06/10/2017 Rejected`; but `upport` / blank / `Materials` / blank / `Changes to the`
/// / `0034 for DCC ...`: `Materials` ends 0033's title). Without a blank line, a title's first
/// line starts with a capital, and the rows' titles are centred on their ids: the
/// capitalised line nearest the middle starts the row below.
fn split_between<'l>(
    ctx: &ExtractContext,
    parts: &[Option<&'l str>],
    above_open: bool,
    (above_alone, below_alone): (bool, bool),
) -> (Vec<&'l str>, Vec<&'l str>) {
    if above_alone || below_alone {
        return split_after_lone_ids(ctx, parts, above_alone, below_alone);
    }
    if parts.iter().all(Option::is_some) {
        return split_unbroken(parts, above_open);
    }
    let blocks = text_blocks(ctx, parts);
    let touches_above = |b: &TextBlock| b.start == 0;
    let touches_below = |b: &TextBlock| b.end == parts.len();
    let mut down: Vec<&str> = Vec::new();
    let mut up: Vec<&str> = Vec::new();
    let below_has_block = blocks.last().is_some_and(touches_below);
    let middle: Vec<&TextBlock> = blocks
        .iter()
        .filter(|b| !touches_above(b) && !touches_below(b))
        .collect();
    let last_middle_up = !below_has_block;
    for b in &blocks {
        let is_last_middle = middle.last().is_some_and(|m| std::ptr::eq(*m, b));
        if touches_below(b) || (is_last_middle && last_middle_up) {
            up.extend(&b.lines);
        } else {
            down.extend(&b.lines);
        }
    }
    (down, up)
}

/// The title lines below the last row of a table (or of its part on a page): the block
/// touching its id (or, for an id alone on its line, its title's blocks:
/// [`title_cell_blocks`]), and the blocks after it on the row's page (`on_rows_page`, a
/// part's index) whose lines are no longer than its title's (OCR put blank lines inside
/// the cell: `analysis` / blank / `provisions` / page foot).
fn last_row_below<'l>(
    ctx: &ExtractContext,
    parts: &[Option<&'l str>],
    alone: bool,
    title_so_far: &[&str],
    on_rows_page: impl Fn(usize) -> bool,
) -> Vec<&'l str> {
    let blocks = text_blocks(ctx, parts);
    if alone {
        // The blocks after the title are its other cells.
        return blocks
            .iter()
            .take(title_cell_blocks(parts, &blocks))
            .flat_map(|b| b.lines.iter().copied())
            .collect();
    }
    let mut longest = title_so_far.iter().map(|l| l.len()).max().unwrap_or(0);
    let mut below = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let touches = i == 0 && b.start == 0;
        // Only a block's lines on the row's page: the page's foot and the next page's head
        // run on from a title's last line across the page break (the June 2020 scan's `0011
        // Smart Metering ...` / blank / `inventory` / the site's address on the next page).
        let on_page: Vec<&str> = (b.start..b.end)
            .filter(|&j| on_rows_page(j))
            .filter_map(|j| parts[j])
            .filter(|t| !t.is_empty())
            .collect();
        let lines = if touches { &b.lines } else { &on_page };
        if !touches && (lines.is_empty() || lines.iter().any(|l| l.len() > longest + 2)) {
            break;
        }
        longest = longest.max(lines.iter().map(|l| l.len()).max().unwrap_or(0));
        below.extend(lines);
        if lines.len() < b.lines.len() {
            break;
        }
    }
    below
}

/// The title words of some lines, those with any.
fn texts_of<'l>(parts: &[Option<&'l str>]) -> Vec<&'l str> {
    parts
        .iter()
        .flatten()
        .copied()
        .filter(|t| !t.is_empty())
        .collect()
}

/// A run of non-blank lines holding title words: `parts[start..end]`.
struct TextBlock<'l> {
    start: usize,
    end: usize,
    lines: Vec<&'l str>,
}

/// How many of `blocks` (at least one) stand before the first line of another cell (a
/// status, a date: a part of no title words): a row read cell by cell prints its title
/// first, then its status, dates and comment, and a blank line a scan's layer set inside the
/// title parts no cell (the June 2020 scan's `0053` / `Amend Target Response` / `Times for
/// Service Requests` / blank / `Critical to Installation and` / `Commissioning Processes` /
/// blank / `Implemented`). Where no other cell is seen, only the first block is the title:
/// the blocks after it may be a comment the vocabulary does not know.
fn title_cell_blocks(parts: &[Option<&str>], blocks: &[TextBlock]) -> usize {
    let first = usize::from(!blocks.is_empty());
    let Some(other_cell) = parts.iter().position(|p| *p == Some("")) else {
        return first;
    };
    let before = blocks.iter().take_while(|b| b.end <= other_cell).count();
    before.max(first)
}

/// The blocks of title lines that blank lines part (blocks without title words left out).
fn text_blocks<'l>(ctx: &ExtractContext, parts: &[Option<&'l str>]) -> Vec<TextBlock<'l>> {
    let mut blocks: Vec<TextBlock> = Vec::new();
    let mut start = 0;
    for end in 0..=parts.len() {
        if end < parts.len() && parts[end].is_some() {
            continue;
        }
        let lines = texts_of(&parts[start..end]);
        if !lines.is_empty() {
            // A blank line OCR put inside a cell parts nothing where the block before ends
            // open (`Request for` / blank / `Setting Maximum`) or this one starts in lower
            // case (`Increase the` / `represeritation` / blank / `of the "Other`).
            let goes_on = |last: &TextBlock| {
                last.lines.last().is_some_and(|l| ends_open(ctx, l))
                    || lines[0].chars().next().is_some_and(char::is_lowercase)
            };
            match blocks.last_mut() {
                Some(last) if goes_on(last) => {
                    last.end = end;
                    last.lines.extend(lines);
                }
                _ => blocks.push(TextBlock { start, end, lines }),
            }
        }
        start = end + 1;
    }
    blocks
}

/// [`split_between`] where an id stands alone on its line, its cells read one after another
/// as blocks: the row above's title is the first block below its id (the blocks after it are
/// its other cells: its status, dates and comment); a row whose id stands alone takes nothing
/// from above. Otherwise the row above keeps the block touching its id and the row below the
/// block touching its.
fn split_after_lone_ids<'l>(
    ctx: &ExtractContext,
    parts: &[Option<&'l str>],
    above_alone: bool,
    below_alone: bool,
) -> (Vec<&'l str>, Vec<&'l str>) {
    let blocks = text_blocks(ctx, parts);
    let up_block = blocks
        .last()
        .filter(|b| !below_alone && b.end == parts.len() && (blocks.len() > 1 || !above_alone));
    let up = up_block.map_or_else(Vec::new, |b| b.lines.clone());
    let keep = blocks.len() - usize::from(up_block.is_some());
    let down = if above_alone {
        let title = title_cell_blocks(parts, &blocks).min(keep).max(1);
        blocks
            .iter()
            .take(title)
            .flat_map(|b| b.lines.iter().copied())
            .collect()
    } else {
        // The row above's title, with the blocks OCR parted from it (`analysis` / blank /
        // `provisions`), when it touches its id, or a blank line a scan's layer set parts
        // them (the June 2020 scan's `0034 ... for DCC` / blank / `analysis`). A block
        // touching the id alone below is not the row above's: that title is centred on its
        // id (generated scan 9003: `0015 SECMP0062` / blank / `Removal of the confidential
        // ...` / `0020` / `listed in SEC Schedule 5`).
        let touches_below = |b: &TextBlock| b.end == parts.len();
        match blocks.first() {
            Some(first) if first.start == 0 || (first.start == 1 && !touches_below(first)) => {
                blocks[..keep]
                    .iter()
                    .flat_map(|b| b.lines.iter().copied())
                    .collect()
            }
            _ => Vec::new(),
        }
    };
    (down, up)
}

/// [`split_between`] for lines no blank line parts: the capitalised line nearest the middle
/// starts the row below.
fn split_unbroken<'l>(parts: &[Option<&'l str>], above_open: bool) -> (Vec<&'l str>, Vec<&'l str>) {
    let lines = texts_of(parts);
    let n = lines.len();
    let starts_title =
        |k: usize| k == n || lines[k].chars().next().is_some_and(|c| c.is_uppercase());
    // A title that ends on a word that cannot end one (`into the`) goes on below its id.
    let split = (usize::from(above_open).min(n)..=n)
        .filter(|&k| starts_title(k))
        .min_by_key(|&k| ((2 * k as i64 - n as i64).abs(), k))
        .unwrap_or(n);
    (lines[..split].to_vec(), lines[split..].to_vec())
}

/// Rebuilds the titles of rows read as text from the title-only lines around their ids:
/// the June 2020 text prints `Add New / Command to / Reset Debt / Registers` above
/// `0002 06/10/2017 Rejected`. A row whose title cannot be rebuilt says so; what is said of
/// the rows read under a number OCR left in their id's place is returned (with each row's
/// index), said only if the row is given an id.
pub fn rebuild_text_titles(
    ctx: &ExtractContext,
    lines: &[Line],
    rows: &[TextRow],
    records: &mut [DccStatusRow],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(usize, Diagnostic)> {
    // (Most reports have no row read as text: nothing to do, no line to look at.)
    let Some(first_header) = rows.iter().map(|r| r.header).min() else {
        return Vec::new();
    };
    // Each line's title words: `None` for a blank line or one that separates (a header of
    // the table repeated, a section heading).
    // A blank line at a page's top or foot (before or after all of its content: what is left
    // of its header and footer) parts nothing: a row's title runs on across the page break
    // (`0005 Labels in ... Withdrawn` / page break / `SMETS2` / `Devices`).
    let at_page_edge = |k: usize| {
        let page = lines[k].page;
        let above = lines[..k].iter().rev().take_while(|l| l.page == page);
        let below = lines[k + 1..].iter().take_while(|l| l.page == page);
        above.clone().all(|l| l.is_blank()) || below.clone().all(|l| l.is_blank())
    };
    // Whether a line is a heading of the table, asked of each line once a table: a line
    // borders the blocks of the rows above and below it, and was asked again for each (in
    // the June 2020 text, 6.4M of the model's 19.7M instructions, `benches/ab`).
    let tables = <DccTable as crate::named::Named>::ALL;
    // Where a line's answer for a table is kept (these and `parts` below).
    let slot = |j: usize, table: DccTable| {
        j * tables.len() + tables.iter().position(|&t| t == table).unwrap_or(0)
    };
    let headings = vec![std::cell::Cell::new(None); lines.len() * tables.len()];
    let is_heading = |j: usize, table: DccTable| {
        let known = &headings[slot(j, table)];
        known.get().unwrap_or_else(|| {
            let text = without_status_pieces_twice(ctx, lines[j].plain());
            let heading = is_heading_line(ctx, table, text);
            known.set(Some(heading));
            heading
        })
    };
    // A line of header words between two lines of a title is the title's (`Amending the` /
    // `Change Board` / `decision making` / `rules for` / `Modification` / `Proposals`).
    let title_line = |j: usize, table: DccTable| {
        lines.get(j).is_some_and(|l| {
            let s = &l.structure;
            !l.is_blank()
                && !l.may_hold_id
                && s.section.is_none()
                && s.dcc_table.is_none()
                && !is_heading(j, table)
                && !is_status_alone(ctx, l.plain())
        })
    };
    let inside_title =
        |k: usize, table: DccTable| k > 0 && title_line(k - 1, table) && title_line(k + 1, table);
    let other_cells = other_cells_lines(ctx, lines, first_header);
    let title_words_of_line = |k: usize, table: DccTable| -> Option<&str> {
        let line = &lines[k];
        let s = &line.structure;
        if line.is_blank() && at_page_edge(k) {
            return Some("");
        }
        if line.is_blank() || s.section.is_some() || s.dcc_table.is_some() {
            return None;
        }
        if is_status_alone(ctx, line.plain()) || other_cells[k] {
            return Some("");
        }
        if is_heading(k, table) && !inside_title(k, table) {
            return None;
        }
        let above = k.checked_sub(1).map_or("", |j| lines[j].plain());
        let under_open_title = k > 0 && !other_cells[k - 1] && ends_open(ctx, above);
        let text = without_status_pieces_twice(ctx, line.plain());
        let title = title_part_after(ctx, text, under_open_title);
        Some(without_year_of_date_above(ctx, above, title))
    };
    // A line's title words are its own (and its neighbours'): worked out once a line and
    // table, where the rows whose blocks a line borders each asked again.
    let parts = vec![std::cell::OnceCell::new(); lines.len() * tables.len()];
    let part = |k: usize, table: DccTable| -> Option<&str> {
        *parts[slot(k, table)].get_or_init(|| title_words_of_line(k, table))
    };
    // The title words beside each row's id, on its anchor line.
    let rest_of_anchor = |row: &TextRow| {
        let text = lines[row.anchor].plain();
        match row.lost_id_end {
            Some(end) => text.get(end..),
            None => row_id_and_rest(ctx, without_borders(text)).map(|(rest, _)| rest),
        }
    };
    let on_anchor: Vec<&str> = rows
        .iter()
        .map(|row| {
            rest_of_anchor(row)
                .map_or("", |rest| title_part(ctx, rest))
                .trim()
        })
        .map(|part| if is_status_alone(ctx, part) { "" } else { part })
        .collect();
    // An id alone on its line: the row's cells were read one after another, each a block
    // (`0035` / blank / `Updates to SEC` / ... / `DCCKI ARL` / blank / `07/07/2017` / blank /
    // `Implemented`): its title is the first block below it, none above.
    let id_alone: Vec<bool> = rows
        .iter()
        .map(|row| rest_of_anchor(row).is_some_and(|rest| without_borders(rest).trim().is_empty()))
        .collect();
    // A line no title runs past: a heading of the table or a section.
    let separates = |j: usize, table: DccTable| {
        let s = &lines[j].structure;
        s.section.is_some() || s.dcc_table.is_some() || is_heading(j, table)
    };
    let mut above: Vec<Vec<&str>> = vec![Vec::new(); rows.len()];
    let mut below: Vec<Vec<&str>> = vec![Vec::new(); rows.len()];
    // Each row's lines: after the row above's id (or its table's header) up to the row
    // below's id (or where its table ends).
    let mut spans: Vec<std::ops::Range<usize>> = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let table = records[row.index].table;
        let same_table = |r: &TextRow| r.header == row.header;
        let next = rows.get(k + 1).filter(|r| same_table(r));
        if (k == 0 || !same_table(&rows[k - 1])) && !id_alone[k] {
            // The first row: the title lines after its table's header (up to a blank line
            // above the row, the first row's block starts after it).
            // (A blank line right above the row: the block above that blank is its title,
            // `Changes to the / governance of ...` / blank / `0058 24/04/2019 Implemented`.)
            let parts: Vec<Option<&str>> = (row.header + 1..row.anchor)
                .map(|j| part(j, table))
                .collect();
            // The block nearest the id (blocks a blank line OCR put inside the cell joined);
            // one a blank line parts from an id with title words beside it is not its (the
            // section heading's second line: `No system impact assessment yet` / `requested`
            // / ... / `0028 Prioritising Service Requests On hold`).
            let blocks = text_blocks(ctx, &parts);
            above[k] = blocks
                .last()
                .filter(|b| b.end == parts.len() || on_anchor[k].is_empty())
                .map_or_else(Vec::new, |b| b.lines.clone());
        }
        let end = match next {
            Some(n) => n.anchor,
            None => (row.anchor + 1..lines.len())
                .find(|&j| {
                    let s = &lines[j].structure;
                    s.section.is_some() || s.dcc_table.is_some_and(|t| t != table)
                })
                .unwrap_or(lines.len()),
        };
        let parts: Vec<Option<&str>> = (row.anchor + 1..end).map(|j| part(j, table)).collect();
        spans.push(match k.checked_sub(1).map(|j| &rows[j]) {
            Some(up) if same_table(up) => up.anchor + 1..end,
            _ => row.header + 1..end,
        });
        // The line the row below starts on, where its status (or, once the row above has
        // its dates, its dates) stand at the top of its cells: `Advanced Shipment No
        // outstanding`, `Sending SR11.2 to Devices in ) 14/04/2020 05/05/2020 05/05/2020`.
        let from = if k > 0 && same_table(&rows[k - 1]) {
            rows[k - 1].anchor + 1
        } else {
            row.header + 1
        };
        let has_dates = records[row.index].dates != DeliveryDates::default()
            || (from..=row.anchor).any(|j| {
                numeric_dates_in(&ctx.grammar.dates, lines[j].plain())
                    .next()
                    .is_some()
            });
        let row_start = (row.anchor + 1..end).position(|j| {
            let text = lines[j].plain();
            ctx.vocab.row_starts.iter().any(|p| p.is_match(text))
                || (has_dates && numeric_dates_in(&ctx.grammar.dates, text).next().is_some())
        });
        if next.is_some() {
            let anchor_part = on_anchor[k];
            let last_words = if anchor_part.is_empty() {
                above[k].last().copied().unwrap_or("")
            } else {
                anchor_part
            };
            let ids_alone = (id_alone[k], id_alone[k + 1]);
            let (down, up) = match row_start {
                // The lines between two rows hold the lower one's first line (a blank line
                // right above the row below parts nothing: the June 2020 scan's layer,
                // `Sending SR11.2 to Devices in ) 14/04/2020 ...` / `Suspended State. No
                // outstanding Awaiting 1A` / blank / `1105 assessment request`).
                Some(at)
                    if parts
                        .iter()
                        .enumerate()
                        .all(|(j, p)| p.is_some() || lines[row.anchor + 1 + j].is_blank()) =>
                {
                    (texts_of(&parts[..at]), texts_of(&parts[at..]))
                }
                _ => split_between(ctx, &parts, ends_open(ctx, last_words), ids_alone),
            };
            below[k] = down;
            above[k + 1] = up;
        } else {
            let limit = (row.anchor + 1..end)
                .find(|&j| separates(j, table))
                .map_or(parts.len(), |j| j - row.anchor - 1);
            let so_far: Vec<&str> = above[k].iter().copied().chain([on_anchor[k]]).collect();
            below[k] = last_row_below(ctx, &parts[..limit], id_alone[k], &so_far, |j| {
                lines[row.anchor + 1 + j].page == lines[row.anchor].page
            });
        }
    }
    let mut said_of_lost = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let pieces = above[k].iter().chain([&on_anchor[k]]).chain(&below[k]);
        let record = &mut records[row.index];
        if row.lost_id_end.is_none() {
            give_title(ctx, pieces.copied(), record, diagnostics);
            continue;
        }
        let mut said = Vec::new();
        give_title(ctx, pieces.copied(), record, &mut said);
        said_of_lost.extend(said.into_iter().map(|d| (row.index, d)));
    }
    // (Only a row said to hold a comment's words unread is read again.)
    let unread = |d: &Diagnostic| d.code == DiagnosticCode::DccCommentUnread;
    if !diagnostics.iter().any(unread) {
        return said_of_lost;
    }
    let titles = TitlesRebuilt {
        lines,
        rows,
        spans: &spans,
        pieces: (0..rows.len())
            .map(|k| {
                above[k]
                    .iter()
                    .chain([&on_anchor[k]])
                    .chain(&below[k])
                    .copied()
                    .collect()
            })
            .collect(),
        anchor_rests: rows
            .iter()
            .map(|row| rest_of_anchor(row).unwrap_or(""))
            .collect(),
        other_cells: &other_cells,
    };
    read_comments_beside_titles(ctx, &titles, records, diagnostics);
    said_of_lost
}

/// What [`rebuild_text_titles`] worked out of a page run's rows read as text.
struct TitlesRebuilt<'a, 'l> {
    lines: &'a [Line<'l>],
    rows: &'a [TextRow],
    /// Each row's lines: after the row above's id up to the row below's.
    spans: &'a [std::ops::Range<usize>],
    /// Each row's title pieces, slices of the lines' texts.
    pieces: Vec<Vec<&'a str>>,
    /// Each row's id's line after the id.
    anchor_rests: Vec<&'a str>,
    /// Whether each line holds only cells beside a title.
    other_cells: &'a [bool],
}

impl TitlesRebuilt<'_, '_> {
    /// For each line, the row whose title took words from it (or whose id it holds).
    fn owners(&self) -> Vec<Option<usize>> {
        let mut owner = vec![None; self.lines.len()];
        for (k, row) in self.rows.iter().enumerate() {
            for piece in self.pieces[k].iter().filter(|p| !p.trim().is_empty()) {
                let at = piece.as_ptr() as usize;
                let holds = |j: &usize| {
                    let text = self.lines[*j].plain();
                    let start = text.as_ptr() as usize;
                    (start..=start + text.len()).contains(&at)
                };
                if let Some(j) = self.spans[k].clone().find(holds) {
                    owner[j] = Some(k);
                }
            }
            owner[row.anchor] = Some(k);
        }
        owner
    }
}

/// Reads the comment of each delivery row read as text that [`say_comment_unread`] said
/// holds a comment's words, where they wrap beside its title, line by line
/// ([`super::comment_beside`]); the diagnostic then says how it was read.
fn read_comments_beside_titles(
    ctx: &ExtractContext,
    titles: &TitlesRebuilt,
    records: &mut [DccStatusRow],
    diagnostics: &mut [Diagnostic],
) {
    let mut owner = None;
    for (k, row) in titles.rows.iter().enumerate() {
        let record = &mut records[row.index];
        let unread = |d: &Diagnostic| {
            d.code == DiagnosticCode::DccCommentUnread && d.at.as_ref() == Some(&record.at)
        };
        if record.comment.is_some() || row.lost_id_end.is_some() {
            continue;
        }
        let Some(said) = diagnostics.iter().position(unread) else {
            continue;
        };
        // (An id alone on its line leaves nothing after it.)
        let anchor_text = titles.lines[row.anchor].plain();
        let rest = titles.anchor_rests[k];
        let anchor_rest = if rest.is_empty() {
            anchor_text.len()
        } else {
            rest.as_ptr() as usize - anchor_text.as_ptr() as usize
        };
        let at = super::comment_beside::RowTitleLines {
            lines: titles.lines,
            owner: owner.get_or_insert_with(|| titles.owners()),
            other_cells: titles.other_cells,
            row: k,
            anchor: row.anchor,
            anchor_rest,
            span: titles.spans[k].clone(),
        };
        let title = record.title.as_deref().unwrap_or("");
        let Some(read) = super::comment_beside::comment_beside_title(ctx, &at, title) else {
            continue;
        };
        diagnostics[said] = Diagnostic {
            at: Some(record.at.clone()),
            severity: Severity::Info,
            code: DiagnosticCode::DccCommentBesideTitle,
            message: format!(
                "{}: the comment wraps beside the title over {} lines; read as each line's words after the title's (text without positions)",
                record.modification.id, read.lines
            ),
        };
        record.comment = Some(read.comment);
        record.confidence = record.confidence.min(0.8);
    }
}

/// Flags the lines of a report read as text, from line `from` on (a table's first header),
/// that hold only cells beside a title: a line that starts with a status's or a comment's
/// first words (`[dcc_cells] title_ends`), and the lines under it that start in lower case. MP078v2's comment in the June 2020 text,
/// `Change Board on 25 March 2020 requested DCC complete a new Preliminary Assessment.`,
/// wraps beside and below its title: `DCC complete a` / `new Preliminary` are no title's.
fn other_cells_lines(ctx: &ExtractContext, lines: &[Line], from: usize) -> Vec<bool> {
    let starts_other_cell = |text: &str| starts_other_cell(ctx, text);
    let mut flags = vec![false; lines.len()];
    for k in from..lines.len() {
        let text = lines[k].plain();
        let above_open = k > 0 && ends_open(ctx, lines[k - 1].plain());
        // A comment goes on in lower case or under a line that goes on (`Approved by the`
        // / `Change Board` / `under Self-`), from a line of its own or from a row's line
        // after its dates (`0067 Management N/A ... 12/03/2020 Currently with` / `Authority
        // for` / `decision.`, the June 2020 text).
        let comment_above = k > 0
            && (flags[k - 1]
                || comment_after_dates(ctx, lines[k - 1].plain())
                    .is_some_and(|tail| opens_comment(ctx, tail)));
        let goes_on = comment_above
            && (above_open || text.trim_start().starts_with(|c: char| c.is_lowercase()));
        // Under a title's line that goes on, the words are the title's (MP041: `Amending
        // the` / `Change Board` / `decision making` / `rules for` / `Modification`).
        let title_goes_on = k > 0 && !flags[k - 1] && above_open;
        flags[k] = lines[k].structure.dcc_table.is_none()
            && (goes_on || (starts_other_cell(text) && !title_goes_on));
    }
    flags
}

/// Whether a line starts with another cell's first words than a title's (a status's or a
/// comment's: `[dcc_cells] title_ends`), past its borders.
fn starts_other_cell(ctx: &ExtractContext, text: &str) -> bool {
    let text = without_borders(text).trim_start();
    !text.is_empty()
        && ctx
            .vocab
            .title_ends
            .iter()
            .any(|p| p.find(text).is_some_and(|m| m.start() == 0))
}

/// Whether the words after a row's dates start a comment that goes on below: they start
/// with a comment's first words and end on a joining word (`Currently with`), and are not
/// a status's first words (`PA in`, over `progress`).
fn opens_comment(ctx: &ExtractContext, tail: &str) -> bool {
    opens_comment_cell(ctx, tail) && ends_open(ctx, tail)
}

/// Whether a cell's words start with a comment's first words, not a status's.
fn opens_comment_cell(ctx: &ExtractContext, text: &str) -> bool {
    starts_other_cell(ctx, text) && !statuses::begins_a_phrase(&ctx.grammar.statuses, text)
}

/// The words a table line holds after its last numeric date, if any.
pub(super) fn comment_after_dates<'t>(ctx: &ExtractContext, text: &'t str) -> Option<&'t str> {
    // (Most lines hold no numeric date: no slash, no search.)
    memchr::memchr(b'/', text.as_bytes())?;
    let last = numeric_dates_in(&ctx.grammar.dates, text).last()?;
    let tail = text[last.span.end..]
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '.' | ',' | ':' | ';'));
    (!tail.is_empty()).then_some(tail)
}

/// A title's line without the year that ends it when the line above ends on a month: a
/// comment's date wrapped beside the title (`0078v2 Resolution Proposals into the | PA in
/// progress on 25% March` / `SEC - Part 2' 2020 requested`: the title ends at `Part 2'`).
fn without_year_of_date_above<'t>(ctx: &ExtractContext, above: &str, part: &'t str) -> &'t str {
    let month_above = above
        .split_whitespace()
        .next_back()
        .is_some_and(|w| crate::grammar::dates::is_month_name(&ctx.grammar.dates, w));
    if !month_above {
        return part;
    }
    let is_year = |w: &str| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    };
    // The year, then only the comment's words in lower case (`2020 requested`).
    let words: Vec<&str> = part.split_whitespace().collect();
    let Some(at) = words.iter().rposition(|w| is_year(w)) else {
        return part;
    };
    let rest_lower = words[at + 1..]
        .iter()
        .all(|w| w.chars().all(|c| !c.is_uppercase()));
    if at == 0 || !rest_lower {
        return part;
    }
    let year_at = words[at].as_ptr() as usize - part.as_ptr() as usize;
    part[..year_at].trim_end()
}

/// A title's line of a delivery table read as text without the wrapped status cell's words
/// at its end (`[dcc_cells] status_tail_words`), OCR's misreadings of them (`re uestg`) and
/// the specks beside them (`q`, `P on`): `0046 Smart Meter infrastructure request q` ->
/// `Smart Meter infrastructure`. A capitalised word is a title's (`Service Request`).
fn without_status_tail<'l>(ctx: &ExtractContext, line: &'l str) -> &'l str {
    let tail_words = &ctx.vocab.status_tail_words;
    // (A speck OCR set inside a tail word is no letter of it: `re.uestg`, the June 2020
    // scan's `request`.)
    let is_tail = |w: &str| {
        let unspecked: String;
        let w = if w.chars().any(|c| ctx.vocab.speck_marks.contains(&c)) {
            unspecked = w
                .chars()
                .filter(|c| !ctx.vocab.speck_marks.contains(c))
                .collect();
            unspecked.as_str()
        } else {
            w
        };
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase())
            && tail_words
                .iter()
                .any(|t| t == w || (w.len() >= 4 && crate::grammar::text::edit_distance(w, t) <= 2))
    };

    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    let mut keep = words.len();
    while keep > 0 {
        let (_, w) = words[keep - 1];
        let near_tail = words[keep.saturating_sub(3)..keep]
            .iter()
            .any(|(_, w)| is_tail(w));
        let pair_is_tail = keep >= 2 && is_tail(&format!("{}{w}", words[keep - 2].1));
        // After a word's first letter OCR set apart, a capitalised tail word is the cell's
        // beside the title too: `0024 M Request` / `anagement request` (June 2020's
        // `Management`).
        let after_split_letter = keep >= 2 && is_split_letter(words[keep - 2].1);
        if is_tail(w)
            || (w.len() <= 2 && w != "a" && near_tail)
            || (after_split_letter && is_tail(&w.to_lowercase()))
        {
            keep -= 1;
        } else if pair_is_tail {
            keep -= 2;
        } else {
            break;
        }
    }
    match words.get(keep) {
        Some(&(at, _)) if keep > 0 => line[..at].trim_end(),
        Some(_) => "",
        None => line,
    }
}

/// Gives a row read as text the title its lines' `pieces` make (above its id, beside it,
/// below it). A title read from the id's line alone (a ruled row) is kept unless the pieces
/// give it whole: `Incorporation of multiple Issue` / `Resolution Proposals into the` /
/// `0099 SEC - Batch 4 IA in progress 03/02/2020 | 02/03/2020 ...`.
fn give_title<'l>(
    ctx: &ExtractContext,
    pieces: impl Iterator<Item = &'l str>,
    record: &mut DccStatusRow,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (title, joined) = title_of_pieces(ctx, record.table, pieces);
    if !joined.is_empty() && title.split_whitespace().count() >= 2 {
        diagnostics.push(Diagnostic {
            at: Some(record.at.clone()),
            severity: Severity::Info,
            code: DiagnosticCode::DccTitleRepaired,
            message: format!(
                "{}: title word(s) OCR parted after the first letter, joined: {}",
                record.modification.id,
                joined.join(", ")
            ),
        });
    }
    match &record.title {
        Some(line_title) => {
            if title.contains(line_title.as_str()) && title.len() > line_title.len() {
                record.title = Some(title);
            }
        }
        None if title.split_whitespace().count() >= 2 => {
            record.title = Some(title);
            record.confidence = record.confidence.min(0.8);
        }
        None => diagnostics.push(Diagnostic {
            at: Some(record.at.clone()),
            severity: Severity::Info,
            code: DiagnosticCode::DccTitleUnread,
            message: format!(
                "{}: no title could be rebuilt from the lines around the row (text without positions)",
                record.modification.id
            ),
        }),
    }
}

/// True for a capital letter standing alone that starts no word alone (not `A` or `I`):
/// the first letter of a word OCR set apart from the rest (`M` / `anagement`).
pub(super) fn is_split_letter(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_uppercase() && c != 'A' && c != 'I')
}

/// A title's lines joined: a delivery table's status words left off each line, and lines of
/// what OCR made of letters' tails and specks (`h P 9`, `: P on`) left out. A line ending on
/// a word's first letter, set apart (`0024 M Request`), gives it to the next line's first
/// word if that starts in lower case (`anagement request`: `Management`); the words so made
/// are the second value.
fn title_of_pieces<'l>(
    ctx: &ExtractContext,
    table: DccTable,
    pieces: impl Iterator<Item = &'l str>,
) -> (String, Vec<String>) {
    let specks = |w: &str| w.chars().count() <= 2;
    let mark = |w: &str| w.chars().all(|c| !c.is_alphabetic()) || (w.len() == 1 && w != "a");
    let pieces: Vec<&str> = pieces
        .map(|piece| match table {
            DccTable::Delivery => without_status_tail(ctx, piece),
            _ => piece,
        })
        .filter(|piece| !piece.trim().is_empty())
        .collect();
    let mut title = String::new();
    let mut joined = Vec::new();
    let mut letter: Option<char> = None;
    for (i, &piece) in pieces.iter().enumerate() {
        let mut piece: Cow<str> = match letter.take() {
            Some(first) => {
                let piece = format!("{first}{}", piece.trim_start());
                joined.extend(piece.split_whitespace().next().map(str::to_string));
                piece.into()
            }
            None => piece.into(),
        };
        // Not a letter that is a word (`SEC Section D` / `for DCC analysis`, MP034).
        let next_is_a_words_rest = pieces
            .get(i + 1)
            .and_then(|n| n.split_whitespace().next())
            .is_some_and(|w| {
                w.chars().count() >= 4
                    && w.chars().all(|c| c.is_lowercase())
                    && !ctx.vocab.joining_words.iter().any(|j| j == w)
            });
        let trimmed = piece.trim_end();
        let (head, last) = trimmed.rsplit_once(' ').unwrap_or(("", trimmed));
        if next_is_a_words_rest && is_split_letter(last) {
            letter = last.chars().next();
            piece = head.to_string().into();
        }
        let words = || piece.split_whitespace();
        if !(words().all(specks) && words().any(mark)) {
            super::grid::join_cell_line(&mut title, &piece);
        }
    }
    (clean_title(&title), joined)
}

/// Whether a title line goes on below it: it ends on a hyphen or a joining word
/// (`[dcc_cells] joining_words`: `Changes to the`).
fn ends_open(ctx: &ExtractContext, line: &str) -> bool {
    let last = line.split_whitespace().next_back().unwrap_or("");
    last.ends_with('-') || ctx.vocab.joining_words.contains(&last.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;
    use crate::model::ReportVocabulary;

    #[test]
    fn a_rows_borders_as_ocr_reads_them_are_not_its_text() {
        assert_eq!(without_borders("[SECMP0007 PA ]"), "SECMP0007 PA");
        assert_eq!(without_borders("|.0092 |"), "0092");
        // Generated image-only scan 8702, page 5: every other row's rule read as a tilde.
        assert_eq!(
            without_borders("~ SECMP0033 PA 13Sep17"),
            "SECMP0033 PA 13Sep17"
        );
        assert_eq!(without_borders("~SECMP0037 PA"), "SECMP0037 PA");
        assert_eq!(without_borders("MP077 ~"), "MP077 ~");
    }

    #[test]
    fn delivery_dates_are_placed_by_how_many_the_status_allows() {
        let d = |day| Some(Date::new(2019, 11, day).unwrap());
        let three = [d(1), d(2), d(3)];
        let six = [d(1), d(2), d(3), d(4), d(5), d(6)];
        // Awaiting its IA request, a row has the PA's three dates only.
        let placed = place_delivery_dates(Some(DccStatus::AwaitingIaRequest), &three).unwrap();
        assert_eq!(
            (placed.pa_request, placed.pa_actual, placed.ia_request),
            (d(1), d(3), None)
        );
        assert!(place_delivery_dates(Some(DccStatus::AwaitingIaRequest), &six).is_none());
        // Other finished statuses: the PA's three, or all six.
        for status in [
            DccStatus::NoOutstandingRequest,
            DccStatus::PendingImplementation,
        ] {
            let placed = place_delivery_dates(Some(status), &three).unwrap();
            assert_eq!((placed.pa_target, placed.ia_target), (d(2), None));
            let placed = place_delivery_dates(Some(status), &six).unwrap();
            assert_eq!(placed.ia_actual, d(6));
            assert!(place_delivery_dates(Some(status), &six[..4]).is_none());
        }
        // In progress: the stage in progress has no actual date.
        assert!(place_delivery_dates(Some(DccStatus::PaInProgress), &three).is_none());
        assert!(place_delivery_dates(Some(DccStatus::PaInProgress), &three[..2]).is_some());
        assert!(place_delivery_dates(Some(DccStatus::IaInProgress), &six[..5]).is_some());
        // No status read: only a full row places.
        assert!(place_delivery_dates(None, &three).is_none());
        assert!(place_delivery_dates(None, &six).is_some());
    }

    #[test]
    fn a_ruled_rows_dates_stand_after_its_status_or_before_it() {
        with_ctx(|ctx| {
            let day = |y, m, d| Date::new(y, m, d);
            for row in [
                "| New Planned Maintenance | PA in progress | 02/12/2019 | 05/06/2020 | | | | | |",
                "| New Planned Maintenance | 02/12/2019 | 05/06/2020 | | | | | PA in progress | |",
            ] {
                let dates = ruled_delivery_dates(ctx, row).unwrap();
                assert_eq!(
                    (dates.pa_request, dates.pa_target, dates.pa_actual),
                    (day(2019, 12, 2), day(2020, 6, 5), None),
                    "{row}"
                );
            }
            // Something other than a date where a date column is: not read as ruled.
            assert!(ruled_delivery_dates(
                ctx,
                "| Title | PA in progress | 02/12/2019 | soon | | | | |"
            )
            .is_none());
        })
    }

    fn with_ctx<T>(f: impl FnOnce(&ExtractContext) -> T) -> T {
        let grammar = Grammar::builtin();
        let vocab = ReportVocabulary::compile(grammar).expect("builtin vocabulary");
        f(&ExtractContext {
            grammar,
            vocab: &vocab,
            report_date: None,
        })
    }

    /// The parts of lines as [`rebuild_text_titles`] gives them: "" a blank line.
    fn parts<'l>(lines: &[&'l str]) -> Vec<Option<&'l str>> {
        lines
            .iter()
            .map(|l| (!l.is_empty()).then_some(*l))
            .collect()
    }

    #[test]
    fn title_lines_between_two_ids_go_to_the_row_whose_id_they_touch() {
        with_ctx(|ctx| {
            // The June 2020 text, between `0033 Handover 02/06/2017 | Implemented` and
            // `0034 for DCC 02/05/2018 Implemented`.
            let lines = parts(&[
                "upport",
                "",
                "Materials",
                "",
                "Changes to the",
                "SEC Section D",
            ]);
            assert_eq!(
                split_between(ctx, &lines, false, (false, false)),
                (
                    vec!["upport", "Materials"],
                    vec!["Changes to the", "SEC Section D"]
                )
            );
            // Between `0025 Access to Load` and `0002 06/10/2017 Rejected`.
            let lines = parts(&[
                "Switching",
                "Information",
                "",
                "Add New",
                "Command to",
                "Reset Debt",
                "Registers",
                "",
            ]);
            assert_eq!(
                split_between(ctx, &lines, false, (false, false)),
                (
                    vec!["Switching", "Information"],
                    vec!["Add New", "Command to", "Reset Debt", "Registers"]
                )
            );
            // A blank line OCR put inside a cell that ends open or goes on in lower case.
            let lines = parts(&[
                "",
                "Deficiencies in",
                "Request for",
                "",
                "Setting",
                "Time",
                "",
            ]);
            assert_eq!(
                split_between(ctx, &lines, false, (false, false)).1,
                vec!["Deficiencies in", "Request for", "Setting", "Time"]
            );
        });
    }

    #[test]
    fn an_id_alone_on_its_line_takes_the_first_block_below_it() {
        with_ctx(|ctx| {
            // `0035` / blank / its title / blank / its date / blank / its status / `0041`.
            let lines = parts(&["", "Updates to SEC", "DCCKI ARL", "", "", "", "", ""]);
            assert_eq!(
                split_between(ctx, &lines, false, (true, true)),
                (vec!["Updates to SEC", "DCCKI ARL"], vec![])
            );
            // The last row: its other cells (status, dates, comment) are not its title.
            let lines = parts(&[
                "",
                "Northbound Application",
                "Protection",
                "",
                "Approved by",
                "the Panel",
            ]);
            assert_eq!(
                last_row_below(ctx, &lines, true, &[], |_| true),
                vec!["Northbound Application", "Protection"]
            );
        });
    }

    #[test]
    fn blank_lines_a_scans_layer_set_inside_a_title_part_no_title() {
        with_ctx(|ctx| {
            // The June 2020 scan, `0053` alone on its line, the last row of its page: its
            // title's blocks up to its status (a line of another cell, `Some("")`).
            let mut lines = parts(&[
                "",
                "Amend Target Response",
                "Times for Service Requests",
                "",
                "Critical to Installation and",
                "Commissioning Processes",
                "",
            ]);
            lines.push(Some(""));
            lines.push(Some("Approved by"));
            assert_eq!(
                last_row_below(ctx, &lines, true, &[], |_| true).len(),
                4,
                "{lines:?}"
            );
            // Between `0034 ... for DCC` and `0035` alone on its line: a blank line under the
            // id parts `analysis` from it.
            let lines = parts(&["", "analysis", "", "provisions", ""]);
            assert_eq!(
                split_between(ctx, &lines, false, (false, true)),
                (vec!["analysis", "provisions"], vec![])
            );
            // But a block touching the id alone below is that row's title, centred on it
            // (generated scan 9003: `0015 SECMP0062` / blank / `Removal of the ...` / `0020`).
            let lines = parts(&["", "Removal of the confidential classification"]);
            assert_eq!(
                split_between(ctx, &lines, false, (false, true)).0,
                Vec::<&str>::new()
            );
            // The last row of a page, `0011 Smart Metering ...` / blank / `inventory`, and the
            // next page's head after the page break: the title's lines, not the address.
            let lines = vec![
                None,
                Some("inventory"),
                Some(""),
                Some("https://www.smartenergycodecompany.co.uk/modifications/modification/SECMP-4"),
            ];
            assert_eq!(
                last_row_below(
                    ctx,
                    &lines,
                    false,
                    &["Including the", "MAP ID in the"],
                    |j| j < 3
                ),
                vec!["inventory"]
            );
            // On one page, a line longer than the title's ends it, block and all (generated
            // scan 9003: the next row's title, its id lost, `Incorporation of the requirements
            // of the General Data Protection` / `Regulations ...`).
            let lines = parts(&[
                "",
                "Incorporation of the",
                "requirements of the General Data Protection Regulations",
            ]);
            assert!(last_row_below(ctx, &lines, false, &["Load Switching"], |_| true).is_empty());
        });
    }

    #[test]
    fn a_wrapped_status_cells_words_end_no_title_line() {
        with_ctx(|ctx| {
            for (line, want) in [
                (
                    "Smart Meter infrastructure request q",
                    "Smart Meter infrastructure",
                ),
                (
                    "Non-Mandated Alerts into the assessment re uestg",
                    "Non-Mandated Alerts into the",
                ),
                (
                    "Non-Mandated Alerts-into the assessment re.uestg",
                    "Non-Mandated Alerts-into the",
                ),
                ("DUIS version 3.1 implementation P on", "DUIS version 3.1"),
                ("Amending Service Request", "Amending Service Request"),
                ("assessment request", ""),
                // After a word's first letter set apart, `Request` is the comment's.
                ("M Request", "M"),
                ("Firmware A Request", "Firmware A Request"),
            ] {
                assert_eq!(without_status_tail(ctx, line), want, "{line:?}");
            }
        });
    }

    #[test]
    fn a_words_first_letter_ocr_set_apart_is_joined_to_its_rest_and_said() {
        with_ctx(|ctx| {
            let title =
                |pieces: &[&str]| title_of_pieces(ctx, DccTable::Delivery, pieces.iter().copied());
            let (joined, words) = title(&[
                "Enduring Approach to",
                "Communication Hub Firmware",
                "M Request",
                "anagement request",
            ]);
            assert_eq!(
                joined,
                "Enduring Approach to Communication Hub Firmware Management"
            );
            assert_eq!(words, ["Management"]);
            // A letter that is a word, before a joining word: `Section D` / `for DCC`.
            let (kept, words) = title(&["Changes to the", "SEC Section D", "for DCC", "analysis"]);
            assert_eq!(kept, "Changes to the SEC Section D for DCC analysis");
            assert!(words.is_empty());
        });
    }

    #[test]
    fn a_comment_wrapped_beside_and_below_a_title_is_no_part_of_it() {
        with_ctx(|ctx| {
            // The comment's date wrapped beside the title (MP078v2, June 2020).
            let above = "0078v2 Resolution Proposals into the | PA in progress on 25% March";
            let part = title_part(ctx, "SEC - Part 2' 2020 requested");
            assert_eq!(
                without_year_of_date_above(ctx, above, part),
                "SEC - Part 2'"
            );
            assert_eq!(
                without_year_of_date_above(ctx, "Release", "Changes for the 2020"),
                "Changes for the 2020"
            );
            assert_eq!(
                without_year_of_date_above(ctx, "on 5 November", "2020 (November"),
                "2020 (November"
            );
            // A date OCR garbled into letters ends the title's words; an id of letters and
            // digits does not.
            for (line, want) in [
                (
                    "SMETSL1 Validation of SRV DLI052020 08/06/2020",
                    "SMETSL1 Validation of SRV",
                ),
                (
                    "CHISM update for Unknown LALAZ0 S",
                    "CHISM update for Unknown",
                ),
                ("Implementing IRP511 and", "Implementing IRP511 and"),
                (
                    "SMETS1 Validation of SRV 6.15.1",
                    "SMETS1 Validation of SRV 6.15.1",
                ),
            ] {
                assert_eq!(title_part(ctx, line), want, "{line:?}");
            }
            // Under a title's line that goes on, a comment's first words are the title's.
            assert_eq!(title_part_after(ctx, "Change Board", true), "Change Board");
            assert_eq!(title_part_after(ctx, "Change Board", false), "");
        });
    }

    #[test]
    fn a_title_line_ends_where_another_cell_starts_but_not_at_a_quoted_status() {
        with_ctx(|ctx| {
            for (line, want) in [
                ("Advanced Shipment No outstanding", "Advanced Shipment"),
                (
                    "remove 'Pending' devices from SMI",
                    "remove 'Pending' devices from SMI",
                ),
                ("Review:", "Review:"),
                ("MAP ID in the :", "MAP ID in the"),
                (
                    "ADT and Exit Quarantine file | 5 i yrogress",
                    "ADT and Exit Quarantine file",
                ),
                // The July 2020 scan's layer: a rule's specks glued to the status (`_` is a
                // word's letter to a regex's `\b`).
                (
                    "New-Planned Maintenance methodology __PA in-progress.",
                    "New-Planned Maintenance methodology",
                ),
            ] {
                assert_eq!(title_part(ctx, line), want, "{line:?}");
            }
        });
    }

    #[test]
    fn date_cells_are_numeric_dates_and_lone_empty_markers_in_printed_order() {
        with_ctx(|ctx| {
            let d = |y, m, day| Some(Date::new(y, m, day).expect("a date"));
            assert_eq!(
                date_cells(ctx, "N/A | 17/04/2020 |TBC| n/a 6/2/20 NA"),
                vec![None, d(2020, 4, 17), None, None, d(2020, 2, 6), None]
            );
            // Markers run into other text are no cells, nor are dates in words.
            assert_eq!(
                date_cells(ctx, "N/Ax xNA TBC. NAB 17 April 2020 |NA|"),
                vec![None]
            );
            assert!(date_cells(ctx, "").is_empty());
            assert!(has_date_cell(ctx, "In progress NA"));
            assert!(!has_date_cell(ctx, "In progress NAB"));
        });
    }

    #[test]
    fn a_rows_first_word_is_the_first_word_split_whitespace_gives() {
        for text in [
            "",
            " ",
            "SECMP0067 1A 6 Feb 20",
            "0037",
            "0037\tPA",
            "0037\x0bPA",
            "0037\x0cPA\r\n",
            " \tlead",
            "é0037 x",
            "0037é x",
            "0037\u{a0}x y",
            "\u{2003}0037 x",
            "[SECMP0007",
        ] {
            assert_eq!(first_word(text), text.split_whitespace().next(), "{text:?}");
        }
    }

    #[test]
    fn empty_markers_with_more_first_bytes_than_one_search_takes_are_found_alike() {
        // Five first bytes: every byte is tried instead of the three-byte search.
        let dir = tempfile::tempdir().unwrap();
        let builtin = include_str!("../../grammars/report.toml");
        let more = builtin.replace(
            r#"empty = ["N/A", "n/a", "NA", "TBC"]"#,
            r#"empty = ["N/A", "n/a", "NA", "TBC", "-", "x"]"#,
        );
        assert_ne!(more, builtin);
        std::fs::write(dir.path().join("report.toml"), more).unwrap();
        let grammar = Grammar::load_with_overrides(dir.path()).unwrap();
        let vocab = ReportVocabulary::compile(&grammar).unwrap();
        let ctx = ExtractContext {
            grammar: &grammar,
            vocab: &vocab,
            report_date: None,
        };
        assert_eq!(vocab.empty_cell_firsts.len(), 5);
        let row = "N/A | 17/04/2020 |TBC| n/a - x-y 6/2/20 NA xNA";
        let found: Vec<usize> = empty_markers(&ctx, row).collect();
        // (`x` at 29 runs into `-y`, and `xNA` is one word.)
        assert_eq!(found, vec![0, 18, 23, 27, 40], "{row:?}");
        // The built-in vocabulary finds the same markers but the two it lacks.
        with_ctx(|builtin| {
            let found: Vec<usize> = empty_markers(builtin, row).collect();
            assert_eq!(found, vec![0, 18, 23, 40]);
        });
        // An empty marker is refused where the vocabulary loads.
        let empty = builtin.replace(r#"empty = ["N/A""#, r#"empty = ["", "N/A""#);
        std::fs::write(dir.path().join("report.toml"), empty).unwrap();
        let grammar = Grammar::load_with_overrides(dir.path()).unwrap();
        assert!(ReportVocabulary::compile(&grammar).is_err());
    }
}

//! Rows of an Appendix A table whose id OCR lost or damaged, read whole but for it, are given
//! the id the report itself says they have, once every table and list is read:
//! - **by their digits and their place**: an Appendix A table lists its modifications in the
//!   order of their numbers, so what digits OCR left in the id cell name the one number
//!   between the rows above and below (generated scan 9301's `0Qa71` between `0061` and
//!   `0075` is MP071; scan 8801's `6156 :` between `0155` and `0157` is MP156);
//! - **by their title**: the report's lists and sentences print the row's title with one id,
//!   and no row of the table has it yet (scan 9301's row with nothing in its id column,
//!   `Security Sub-Committee (SSC) membership and`, is MP089: `MP089 'Security
//!   Sub-Committee (SSC) membership and quoracy'` on page 6). Its place must not say
//!   otherwise.
//!
//! A row whose id OCR changed into another valid one is read the same way: it stands out of
//! its table's order, its title is another id's as the report prints it, that id fits its
//! place and is one digit from what OCR read (generated scan 9300's `0080` between `0048` and
//! `0051`, titled `Section D Review: Moving the Working Group Terms of Reference ...`, MP050's
//! title in the report's lists).
//!
//! Each row so read is flagged (`id_repaired`, its `raw_id` the cell as printed) and its
//! `dcc_row_id_unread` diagnostic becomes an `id_repaired` one saying why. Where the two
//! disagree, or either names two ids, the row stays unread, as its diagnostic says.

use std::collections::{BTreeMap, BTreeSet};

use super::grid::GridRow;
use super::positioned::dcc_row;
use super::records::{
    DccStatusRow, DccTable, Diagnostic, DiagnosticCode, Mention, ModRef, Provenance, ReportRecords,
    Severity, TableReading,
};
use super::vocabulary::ColumnField;
use super::ExtractContext;
use crate::grammar::ids::one_digit_apart;
use crate::grammar::{IdMatch, IdPrefix, ModId};

/// A row of a DCC table not read for its id: everything the row would have been read from.
#[derive(Debug, Clone)]
pub struct LostIdRow {
    pub table: DccTable,
    pub row: GridRow,
    pub at: Provenance,
    pub read_from: TableReading,
    /// Its `dcc_row_id_unread` diagnostic's index in the report's diagnostics.
    pub diagnostic: usize,
}

/// A row of a DCC table read as text under the number OCR left in its id's place (the June
/// 2020 scan's `9007`), where it stands among the report's rows until their titles are
/// rebuilt (so that the rows around it keep to their own lines).
#[derive(Debug)]
pub struct PendingTextRow {
    /// Its index in the report's `dcc_status`.
    pub index: usize,
    /// What OCR left of its id.
    pub printed: String,
    /// Its `dcc_row_id_unread` diagnostic's index in the report's diagnostics.
    pub diagnostic: usize,
    /// What its reading said (a status or dates not read), said only if it is given an id.
    pub aside: Vec<Diagnostic>,
}

/// A [`PendingTextRow`] taken out of the report's rows, its title rebuilt.
#[derive(Debug)]
pub struct LostTextRow {
    pub record: DccStatusRow,
    pub read: PendingTextRow,
}

/// Takes the rows read under a number OCR left out of `rows` (each is given back if the
/// report says which id it is: [`give_ids`]).
pub fn take_lost_text_rows(
    pending: Vec<PendingTextRow>,
    rows: &mut Vec<DccStatusRow>,
) -> Vec<LostTextRow> {
    if pending.is_empty() {
        return Vec::new();
    }
    // (`pending` is in the rows' order: each row is moved once, none copied.)
    let mut pending = pending.into_iter().peekable();
    let mut taken = Vec::new();
    for (k, record) in std::mem::take(rows).into_iter().enumerate() {
        match pending.next_if(|p| p.index == k) {
            Some(read) => taken.push(LostTextRow { record, read }),
            None => rows.push(record),
        }
    }
    taken
}

/// Words a title must share with a title the report prints to be it, and the share of the
/// longer title's words they must be.
const TITLE_WORDS: usize = 3;
const TITLE_SHARE: f32 = 0.75;

/// Where a row stands in the report: its page and line.
type Place = (u32, u32);

fn place_of(at: &Provenance) -> Place {
    (at.page, at.line)
}

/// A DCC table's rows in reading order (their places and ids), and how many rows hold each
/// id: built once, kept as rows are repaired and added (a report of 80,000 pages has
/// tables of as many rows).
struct TableOrder {
    rows: Vec<(Place, ModId)>,
    held: BTreeMap<ModId, usize>,
}

impl TableOrder {
    fn of(records: &[DccStatusRow], table: DccTable) -> TableOrder {
        let mut rows: Vec<(Place, ModId)> = records
            .iter()
            .filter(|r| r.table == table)
            .map(|r| (place_of(&r.at), r.modification.id.clone()))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut held = BTreeMap::new();
        for (_, id) in &rows {
            *held.entry(id.clone()).or_insert(0) += 1;
        }
        TableOrder { rows, held }
    }

    fn holds(&self, id: &ModId) -> bool {
        self.held.get(id).is_some_and(|&n| n > 0)
    }

    /// The bounds of a row not in the table, to stand at `place`.
    fn bounds_at(&self, place: Place) -> Option<(&ModId, &ModId)> {
        let k = self.rows.partition_point(|(p, _)| *p < place);
        self.bounds(k.checked_sub(1)?, k, k.checked_sub(2), k + 1)
    }

    /// The bounds of the table's row at `place`, itself left out.
    fn bounds_of(&self, place: Place) -> Option<(&ModId, &ModId)> {
        let k = self.rows.partition_point(|(p, _)| *p < place);
        self.bounds(k.checked_sub(1)?, k + 1, k.checked_sub(2), k + 2)
    }

    /// The ids of the rows `above` and `below`, where the table lists its rows there in the
    /// order of their numbers (the row further above, or the one further below, says so
    /// too: a table may start its order again, generated scan 8801's `0211` then `0148` at
    /// the top of page 13) and they leave room for a row between them.
    fn bounds(
        &self,
        above: usize,
        below: usize,
        further_above: Option<usize>,
        further_below: usize,
    ) -> Option<(&ModId, &ModId)> {
        let id = |k: usize| self.rows.get(k).map(|(_, id)| id);
        let (a, b) = (id(above)?, id(below)?);
        let confirmed = further_above
            .and_then(id)
            .is_some_and(|f| f.number <= a.number)
            || id(further_below).is_some_and(|f| b.number <= f.number);
        (a.number + 1 < b.number && confirmed).then_some((a, b))
    }

    /// The row at `place` is now `id` (it was `read`).
    fn repaired(&mut self, place: Place, read: &ModId, id: &ModId) {
        if let Ok(k) = self.rows.binary_search_by(|(p, _)| p.cmp(&place)) {
            self.rows[k].1 = id.clone();
        }
        if let Some(n) = self.held.get_mut(read) {
            *n = n.saturating_sub(1);
        }
        *self.held.entry(id.clone()).or_insert(0) += 1;
    }

    /// A row of `id` added at `place`.
    fn added(&mut self, place: Place, id: &ModId) {
        let k = self.rows.partition_point(|(p, _)| *p < place);
        self.rows.insert(k, (place, id.clone()));
        *self.held.entry(id.clone()).or_insert(0) += 1;
    }
}

/// The titles the report's lists and sentences print, each once with its id and where it is
/// first printed, in the order of their ids' numbers.
struct ReportTitles {
    titles: Vec<(ModId, Vec<String>, Provenance)>,
}

impl ReportTitles {
    fn of(mentions: &[Mention]) -> ReportTitles {
        let mut printed: Vec<(&ModId, &str, &Provenance)> = mentions
            .iter()
            .filter_map(|m| Some((&m.modification.id, m.title.as_deref()?, &m.at)))
            .collect();
        // (A report prints a title in each list it is on; a text of 80,000 pages, tens of
        // thousands of times: each is made words once.)
        printed.sort_by(|a, b| (a.0.number, a.0, a.1).cmp(&(b.0.number, b.0, b.1)));
        printed.dedup_by(|later, first| (later.0, later.1) == (first.0, first.1));
        let titles = printed
            .into_iter()
            .map(|(id, title, at)| (id.clone(), title_words(title), at.clone()))
            .collect();
        ReportTitles { titles }
    }

    /// The one id, not in `table` and between `bounds` (exclusive) if given, whose title the
    /// report prints as a row's title cell reads (three words in common at least, three in
    /// four of the longer title's), with where it is printed; `None` where the report prints
    /// another assessment request of it.
    fn id_titled(
        &self,
        mentions: &[Mention],
        cell: &str,
        table: &TableOrder,
        bounds: Option<(&ModId, &ModId)>,
    ) -> Option<(ModId, Provenance)> {
        let words = title_words(cell);
        if words.len() < TITLE_WORDS {
            return None;
        }
        // Only the titles of ids between the bounds are compared (a text of 80,000 pages
        // prints as many titles).
        let (low, high) = bounds.map_or((0, u32::MAX), |(a, b)| (a.number + 1, b.number));
        let first = self.titles.partition_point(|(id, _, _)| id.number < low);
        let last = self.titles.partition_point(|(id, _, _)| id.number < high);
        let mut found: Option<(&ModId, &Provenance)> = None;
        for (id, title, at) in &self.titles[first..last.max(first)] {
            if table.holds(id) || !same_title(&words, title) {
                continue;
            }
            match found {
                Some((other, _)) if other != id => return None,
                Some(_) => {}
                None => found = Some((id, at)),
            }
        }
        let (id, at) = found?;
        // A title names a modification, not which of its assessment requests a row is: where
        // the report prints another (`SECMP0060v2` beside `SECMP0060`), the title tells
        // neither (generated image-only scan 9003's lost `0060v2`, whose title MP060's list
        // item gives).
        let modification = id.register_id();
        let another_request = mentions.iter().any(|m| {
            let other = &m.modification.id;
            other.number == id.number && other != id && other.register_id() == modification
        });
        (!another_request).then(|| (id.clone(), at.clone()))
    }
}

/// Gives the report's DCC rows the ids the report gives them: each row read with an id OCR
/// changed into another valid one, then each row read but for its id (`lost`); see the
/// module's comment. The report's titles are indexed once, and only when a row asks.
pub fn give_ids(
    ctx: &ExtractContext,
    lost: Vec<LostIdRow>,
    lost_text: Vec<LostTextRow>,
    out: &mut ReportRecords,
) {
    let mut titles = None;
    repair_misread(out, &mut titles);
    recover(ctx, lost, out, &mut titles);
    recover_text_rows(lost_text, out, &mut titles);
}

/// Gives each row read with an id OCR changed into another valid one the id the report says
/// it is.
fn repair_misread(out: &mut ReportRecords, titles: &mut Option<ReportTitles>) {
    let mut orders: BTreeMap<DccTable, TableOrder> = BTreeMap::new();
    // In reading order, each repair made before the next row is judged: two misread rows
    // in a row (scan 9300's `0080` and `0084`) are each the other's neighbour.
    for i in 0..out.dcc_status.len() {
        let row = &out.dcc_status[i];
        let order = orders
            .entry(row.table)
            .or_insert_with(|| TableOrder::of(&out.dcc_status, row.table));
        let Some((id, why)) = misread_as(row, order, &out.mentions, titles) else {
            continue;
        };
        let read = row.modification.id.clone();
        order.repaired(place_of(&row.at), &read, &id);
        repair(out, i, id, &why);
    }
}

/// The id a row is when OCR changed its id into another valid one, and why: it stands out
/// of its table's order, and its title is another id's, one digit from it, that fits there.
fn misread_as(
    row: &DccStatusRow,
    order: &TableOrder,
    mentions: &[Mention],
    titles: &mut Option<ReportTitles>,
) -> Option<(ModId, String)> {
    let read = &row.modification.id;
    let (above, below) = order.bounds_of(place_of(&row.at))?;
    if above.number <= read.number && read.number <= below.number {
        return None;
    }
    let title = row.title.as_deref().unwrap_or("");
    let titles = titles.get_or_insert_with(|| ReportTitles::of(mentions));
    let (id, at) = titles.id_titled(mentions, title, order, Some((above, below)))?;
    let why = format!(
        "it stands between {above} and {below}, the rows above and below, and its title is {id}'s, as page {} line {} prints it",
        at.page, at.line
    );
    one_digit_apart(id.number, read.number).then_some((id, why))
}

/// Gives the row at `i` the id `id` (and its mention on the row's line), flagged, with a
/// diagnostic saying why.
fn repair(out: &mut ReportRecords, i: usize, id: ModId, why: &str) {
    let row = &mut out.dcc_status[i];
    let read = std::mem::replace(&mut row.modification.id, id.clone());
    row.modification.repaired = true;
    row.confidence *= 0.9;
    let place = place_of(&row.at);
    for m in out
        .mentions
        .iter_mut()
        .filter(|m| m.modification.id == read && place_of(&m.at) == place)
    {
        m.modification.id = id.clone();
        m.modification.repaired = true;
    }
    out.diagnostics.push(Diagnostic {
        at: Some(row.at.clone()),
        severity: Severity::Info,
        code: DiagnosticCode::IdRepaired,
        message: format!(
            "{:?} in the id column of a {} table row read as {id}, not {read} (OCR repair): {why}",
            row.modification.raw,
            row.table.name()
        ),
    });
}

/// Gives each lost row the id its digits and place, or its title, name.
fn recover(
    ctx: &ExtractContext,
    lost: Vec<LostIdRow>,
    out: &mut ReportRecords,
    titles: &mut Option<ReportTitles>,
) {
    let mut orders: BTreeMap<DccTable, TableOrder> = BTreeMap::new();
    for row in lost {
        let order = orders
            .entry(row.table)
            .or_insert_with(|| TableOrder::of(&out.dcc_status, row.table));
        let titles = titles.get_or_insert_with(|| ReportTitles::of(&out.mentions));
        let Some((id, why)) = id_of(&row, order, &out.mentions, titles) else {
            continue;
        };
        order.added(place_of(&row.at), &id);
        add_row(ctx, row, id, &why, out);
    }
}

/// Gives each row read as text under a number OCR left the id its digits and place, or its
/// title, name (the June 2020 scan's `1105` is MP105, whose title page 8 lists); failing
/// both, the id those digits are with their padding zero misread, where the report names it
/// elsewhere and the table does not hold it (its `9007`, MP007, which page 9 names). A row
/// given no id stays out.
fn recover_text_rows(
    lost: Vec<LostTextRow>,
    out: &mut ReportRecords,
    titles: &mut Option<ReportTitles>,
) {
    let mut orders: BTreeMap<DccTable, TableOrder> = BTreeMap::new();
    for row in lost {
        let table = row.record.table;
        let order = orders
            .entry(table)
            .or_insert_with(|| TableOrder::of(&out.dcc_status, table));
        let titles = titles.get_or_insert_with(|| ReportTitles::of(&out.mentions));
        let title = row.record.title.as_deref().unwrap_or("");
        let Some((id, why)) = id_of_cells(
            &row.read.printed,
            title,
            &row.record.at,
            order,
            &out.mentions,
            titles,
        )
        .or_else(|| named_with_its_padding_misread(&row, order, &out.mentions)) else {
            continue;
        };
        order.added(place_of(&row.record.at), &id);
        add_text_row(row, id, &why, out);
    }
}

/// The one id the report names (outside this row) that what OCR left of a row's id is with
/// its padding zero misread (`9007` for `0007`, `1105` for `0105`), that the row's table
/// does not hold, and why. Only for a row with a status: a line a year OCR garbled starts
/// (`1019 (November!`, generated image-only scan 9003's `2019 (November`) has none.
fn named_with_its_padding_misread(
    row: &LostTextRow,
    order: &TableOrder,
    mentions: &[Mention],
) -> Option<(ModId, String)> {
    let digits = row
        .read
        .printed
        .trim_end_matches(|c: char| !c.is_ascii_digit());
    let (4, Ok(read)) = (digits.len(), digits[1..].parse::<u32>()) else {
        return None;
    };
    if row.record.status.is_none() || digits.starts_with('0') {
        return None;
    }
    let place = place_of(&row.record.at);
    let mut named = mentions
        .iter()
        .filter(|m| place_of(&m.at) != place && m.modification.id.variant.is_empty())
        .filter(|m| m.modification.id.number == read)
        .filter(|m| !order.holds(&m.modification.id));
    let first = named.next()?;
    let id = &first.modification.id;
    if named.any(|m| &m.modification.id != id) {
        return None;
    }
    let why = format!(
        "its first digit a padding zero misread, it is the id the report names on page {} line {}, which the table does not hold",
        first.at.page, first.at.line
    );
    Some((id.clone(), why))
}

/// Gives a row read as text back to the report under the id `id`, flagged, its mention
/// beside it, what its reading said and its diagnostic saying why.
fn add_text_row(row: LostTextRow, id: ModId, why: &str, out: &mut ReportRecords) {
    let LostTextRow {
        mut record,
        read:
            PendingTextRow {
                printed,
                diagnostic,
                aside,
                ..
            },
    } = row;
    let placeholder = std::mem::replace(&mut record.modification.id, id.clone()).to_string();
    record.modification.raw = printed.as_str().into();
    record.modification.repaired = true;
    record.confidence *= 0.9;
    let place = place_of(&record.at);
    let at = out.dcc_status.partition_point(|r| place_of(&r.at) <= place);
    out.mentions.push(Mention {
        at: record.at.clone(),
        modification: record.modification.clone(),
        title: None,
    });
    let table = record.table;
    let row_at = record.at.clone();
    out.dcc_status.insert(at, record);
    // (What the row's reading said names it by the number it was read under.)
    out.diagnostics.extend(aside.into_iter().map(|mut d| {
        d.message = d.message.replacen(&placeholder, &id.to_string(), 1);
        d
    }));
    if let Some(d) = out
        .diagnostics
        .get_mut(diagnostic)
        .filter(|d| d.code == DiagnosticCode::DccRowIdUnread)
    {
        *d = Diagnostic {
            at: Some(row_at),
            severity: Severity::Info,
            code: DiagnosticCode::IdRepaired,
            message: format!(
                "{printed:?} starting a {} table row read as {id} (OCR repair): {why}",
                table.name()
            ),
        };
    }
}

/// Adds a lost row to the report under the id `id`, flagged, its mention beside it, its
/// diagnostic saying why.
fn add_row(ctx: &ExtractContext, row: LostIdRow, id: ModId, why: &str, out: &mut ReportRecords) {
    let printed = row.row.cell(ColumnField::Id).trim().to_string();
    let id = IdMatch {
        id,
        prefix: IdPrefix::None,
        raw: printed.as_str().into(),
        span: 0..printed.len(),
        repaired: true,
    };
    let record = dcc_row(
        ctx,
        row.table,
        &row.row,
        &id,
        row.at.clone(),
        row.read_from,
        &mut out.diagnostics,
    );
    let place = place_of(&row.at);
    let at = out.dcc_status.partition_point(|r| place_of(&r.at) <= place);
    out.dcc_status.insert(at, record);
    out.mentions.push(Mention {
        at: row.at.clone(),
        modification: ModRef::from(&id),
        title: None,
    });
    let unread = out
        .diagnostics
        .get_mut(row.diagnostic)
        .filter(|d| d.code == DiagnosticCode::DccRowIdUnread);
    if let Some(d) = unread {
        *d = Diagnostic {
            at: Some(row.at),
            severity: Severity::Info,
            code: DiagnosticCode::IdRepaired,
            message: format!(
                "{printed:?} in the id column of a {} table row read as {} (OCR repair): {why}",
                row.table.name(),
                id.id
            ),
        };
    }
}

/// The id a lost row is, and why; `None` unless the evidence names one.
fn id_of(
    row: &LostIdRow,
    order: &TableOrder,
    mentions: &[Mention],
    titles: &ReportTitles,
) -> Option<(ModId, String)> {
    id_of_cells(
        row.row.cell(ColumnField::Id),
        row.row.cell(ColumnField::Title),
        &row.at,
        order,
        mentions,
        titles,
    )
}

/// The id a row whose id cell reads `id_cell` and whose title `title` is, at `at`, and why:
/// its digits and place, or its title; `None` unless the evidence names one.
fn id_of_cells(
    id_cell: &str,
    title: &str,
    at: &Provenance,
    order: &TableOrder,
    mentions: &[Mention],
    titles: &ReportTitles,
) -> Option<(ModId, String)> {
    let bounds = order.bounds_at(place_of(at));
    let by_digits = bounds
        .and_then(|(above, below)| by_digits(id_cell, (above.number, below.number)))
        .filter(|id| !order.holds(id));
    let by_title = titles.id_titled(mentions, title, order, bounds);
    let place = || match bounds {
        Some((above, below)) => format!(", between {above} and {below}, the rows above and below"),
        None => String::new(),
    };
    let why = match (&by_digits, &by_title) {
        (Some(a), Some((b, _))) if a != b => return None,
        (Some(_), Some((_, at))) => format!(
            "its digits and its title say so{} (the title as page {} line {} prints it)",
            place(),
            at.page,
            at.line
        ),
        (Some(_), None) => format!("the one number its digits give{}", place()),
        (None, Some((id, at))) => format!(
            "its title is {id}'s, as page {} line {} prints it{} (a title names a modification, not which of its assessment requests a row is: a request suffix, `v2`, lost with the id cannot be told)",
            at.page,
            at.line,
            place()
        ),
        (None, None) => return None,
    };
    let id = by_digits.or(by_title.map(|(id, _)| id))?;
    Some((id, why))
}

/// The numbers a word of a damaged id cell may be: its digits, and each of their ends of two
/// digits or more (`10032`: 10032, 32); none from a word of one digit.
fn numbers_ending(word: &str) -> Vec<u32> {
    let digits: String = word
        .chars()
        .filter_map(|c| match c {
            'O' | 'o' | 'Q' | 'D' => Some('0'),
            'I' | 'l' | 'i' | '|' => Some('1'),
            c if c.is_ascii_digit() => Some(c),
            _ => None,
        })
        .collect();
    // Two digits at least: one left is no evidence of a number.
    if digits.trim_start_matches('0').len() < 2 && digits.len() < 3 {
        return Vec::new();
    }
    (0..digits.len() - 1)
        .filter_map(|start| digits[start..].parse::<u32>().ok())
        .collect()
}

/// The one id whose number the digits of a damaged id cell end with (OCR's specks read as
/// digits stand before them: `10032` is 0032) between `bounds` (exclusive); its variant the
/// cell's last letter (`O161A`) or request suffix. Letters OCR reads for digits are digits
/// (`O`, `Q` and `D` for 0, `I`, `l`, `i` and `|` for 1).
fn by_digits(cell: &str, (above, below): (u32, u32)) -> Option<ModId> {
    // (Marks OCR set after the id, `0090v2_`, are no part of its variant.)
    let cell = cell.trim().trim_end_matches(|c: char| !c.is_alphanumeric());
    let (body, variant) = variant_of(cell);
    // Letters are read as digits only in a word that holds a digit: `Ooo Security
    // obligations`, a title's words in the id column (generated scan 8700), hold none. Each
    // word is its own number: `0041 8` (a speck beside the id, generated scan 9300) is not
    // 00418.
    let numbers: BTreeSet<u32> = body
        .split_whitespace()
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .flat_map(numbers_ending)
        .filter(|&n| above < n && n < below)
        .collect();
    let mut numbers = numbers.into_iter();
    let only = numbers.next()?;
    numbers.next().is_none().then(|| ModId::new(only, variant))
}

/// A damaged id cell's body and its variant: a last capital letter after a digit (`O161A`) or
/// a request suffix (`0090v2`).
fn variant_of(cell: &str) -> (&str, &str) {
    if let Some(at) = cell.rfind(['v', 'V']) {
        let suffix = &cell[at + 1..];
        if at > 0 && !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()) {
            return (&cell[..at], &cell[at..]);
        }
    }
    let mut chars = cell.char_indices().rev();
    match (chars.next(), chars.next()) {
        (Some((at, last)), Some((_, before)))
            if last.is_ascii_uppercase() && before.is_ascii_digit() =>
        {
            (&cell[..at], &cell[at..])
        }
        _ => (cell, ""),
    }
}

/// A title's words as compared: lower case, letters and digits only.
fn title_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when two titles' words are one title's: enough words in common
/// ([`TITLE_WORDS`], [`TITLE_SHARE`] of the longer).
fn same_title(a: &[String], b: &[String]) -> bool {
    let mut rest: Vec<&String> = b.iter().collect();
    let common = a
        .iter()
        .filter(|w| match rest.iter().position(|r| r == w) {
            Some(at) => {
                rest.swap_remove(at);
                true
            }
            None => false,
        })
        .count();
    common >= TITLE_WORDS && common as f32 >= TITLE_SHARE * a.len().max(b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_id_cells_read_by_their_digits_between_their_neighbours() {
        // Generated scans 9301, 8801, 9003, 8700 and 9300.
        let cases = [
            ("0Qa71", (61, 75), Some("MP071")),
            ("6156 :", (155, 157), Some("MP156")),
            ("10032", (31, 35), Some("MP032")),
            ("O161A", (160, 162), Some("MP161A")),
            ("0024°", (19, 30), Some("MP024")),
            ("“0011", (9, 13), Some("MP011")),
            ("0090v2_", (80, 95), Some("MP090v2")),
            ("k 3 — 0027", (25, 30), Some("MP027")),
            ("0041 8", (40, 42), Some("MP041")),
        ];
        for (cell, (lo, hi), want) in cases {
            let got = by_digits(cell, (lo, hi)).map(|id| id.to_string());
            assert_eq!(got.as_deref(), want, "{cell}");
        }
    }

    #[test]
    fn specks_and_numbers_outside_the_rows_around_give_no_id() {
        for (cell, (lo, hi)) in [
            // Letters only, one digit, a number the rows around leave no room for.
            ("wae", (30, 40)),
            ("Ooo Security obligations", (10, 154)),
            ("q", (1, 200)),
            ("7", (1, 20)),
            ("0084", (49, 52)),
            // Two numbers fit: `1133` may be 113 or 133 (or 33).
            ("1133", (30, 200)),
        ] {
            assert_eq!(by_digits(cell, (lo, hi)), None, "{cell}");
        }
    }

    #[test]
    fn titles_are_the_same_with_a_word_lost_not_with_three_in_common() {
        let w = |s: &str| title_words(s);
        assert!(same_title(
            &w("Security Sub-Committee (SSC) membership and"),
            &w("Security Sub-Committee (SSC) membership and quoracy")
        ));
        assert!(same_title(
            &w("Publishing the DCC Annual Service Report"),
            &w("Publishing the DCC Annual Service Report")
        ));
        assert!(!same_title(
            &w("Changes to the SEC Section D"),
            &w("Changes to the SEC Panel elections for Large Suppliers")
        ));
        assert!(!same_title(&w("SMDA Budget"), &w("SMDA Budget")));
    }
}

//! The report's tables read from word positions ([`super::grid`]), where the page has them:
//! which region of a page a table fills, and the typed rows its cells give.
//!
//! The walk asks here first at a table's header (and at the top of each page a table runs
//! onto); where the page has no words (`.txt`) or no table can be read from them (a header
//! that names too few columns, no id cell), the walk reads the lines as text
//! ([`super::tables`]).

use std::sync::Arc;

use super::grid::{is_date_word, read_grid_with, Columns, ColumnsFrom, Grid, GridRow, PageRules};
use super::layout::{Line, Page};
use super::lost_ids::LostIdRow;
use super::records::{
    Assessment, AssessmentTable, DccStatusRow, DccTable, DeliveryDates, Diagnostic, DiagnosticCode,
    ModRef, Provenance, Severity, TableReading,
};
use super::tables::{row_id_and_rest, without_borders};
use super::vocabulary::{ColumnField, TableKind, TableLayout};
use super::ExtractContext;
use crate::grammar::dates::{dates_in, numeric_dates_in, whole_date};
use crate::grammar::durations::find_durations;
use crate::grammar::statuses::{
    closest_status, find_status, parse_status, status_in_any_order, DccStatus,
};
use crate::grammar::text::{clean_title, without_glued_marks};
use crate::grammar::{Date, DatePrecision, IdMatch};
use crate::reading::words::{CellReading, PageWords, UnreadCell, Word};

/// A table being read from positions: its columns (for the pages it runs onto) and its last
/// row (which the next page's first lines may continue).
#[derive(Debug, Clone)]
pub struct OpenTable {
    pub kind: TableKind,
    pub page: u32,
    columns: Columns,
    last: Option<LastRow>,
    /// The cells of a row begun under a header at a page's foot, its id not yet read.
    begun: Vec<(ColumnField, String)>,
}

/// The last row read, and where its record went.
#[derive(Debug, Clone)]
struct LastRow {
    row: GridRow,
    id: IdMatch,
    page: u32,
    /// Its index in `dcc_status` or `assessments`.
    index: usize,
    /// The diagnostics its read gave (indices into `diagnostics`): a row read again whole
    /// gives its own.
    diagnostics: std::ops::Range<usize>,
}

/// What reading a region gave: the rows' records and where the walk goes on.
pub struct RegionRead {
    /// The first line after the region.
    pub next: usize,
    pub table: OpenTable,
}

/// The records a table region adds to.
pub struct TableOutput<'o> {
    pub dcc_status: &'o mut Vec<DccStatusRow>,
    pub assessments: &'o mut Vec<Assessment>,
    pub diagnostics: &'o mut Vec<Diagnostic>,
    /// Ids printed without a prefix (`0092`), found only as table rows.
    pub bare_ids: &'o mut Vec<(Provenance, IdMatch)>,
    /// The cells to read again from a scan's page image ([`UnreadCell`]): id cells of rows
    /// not read for their id, empty cells of rows that lost their title or status, and the
    /// title and comment cells of tables not ruled between their rows.
    pub unread_cells: &'o mut Vec<UnreadCell>,
    /// The DCC rows not read for their id, given one at the report's end where it says which
    /// ([`super::lost_ids`]).
    pub lost_ids: &'o mut Vec<LostIdRow>,
    /// The diagnostics of rows read again whole, where the next page continues them (indices
    /// into `diagnostics`, dropped once the report is read: its rows' diagnostics are read
    /// by index until then). Generated scan 9301's MP082, its comment run onto page 15, said
    /// twice that its PA request cell `15/05` is no date.
    pub retracted: &'o mut Vec<usize>,
}

/// True for a line that ends a table's region: a section heading or another table's header.
fn ends_region(line: &Line) -> bool {
    let s = &line.structure;
    s.section.is_some() || s.dcc_table.is_some() || s.open_header || s.returned_header
}

/// Whether a row stands on a line that heads a section or a table, or is a table's header.
/// Such a row that holds no status and no date is no row: a heading's number stands where a
/// row's id does (`4 Modifications - Implementation Status`, `5 Modifications - No system
/// impact assessment yet requested`), and read as rows they invented MP004 and MP005 in
/// four generated scans (9400, 9401, 9505, image-only 9303), where OCR lost the table's
/// header under them and the columns came from the page before. (A row's line OCR laid out
/// with its header's, generated scan 9404's MP049 under `Date added`, holds its date.)
fn anchored_on_a_heading(lines: &[Line], page: u32, row: &GridRow) -> bool {
    lines
        .iter()
        .find(|l| l.page == page && l.line == row.anchor_line)
        .is_some_and(ends_region)
}

/// Whether a row holds a DCC status in its status cell or a date in a date column.
fn holds_a_status_or_date(ctx: &ExtractContext, row: &GridRow) -> bool {
    status_of(ctx, row.cell(ColumnField::Status)).is_some()
        || row
            .cells
            .iter()
            .any(|(field, cell)| field.holds_dates() && matches!(date_cell(ctx, cell), Ok(Some(_))))
}

/// Reads the table of `kind` whose region starts at line `i` (its header, or the first line
/// of a page it continues onto). `None` when the page has no words or no table reads from
/// them: the walk reads the lines as text.
pub fn read_region(
    ctx: &ExtractContext,
    pages: &[Page],
    lines: &[Line],
    i: usize,
    kind: TableKind,
    open: Option<&OpenTable>,
    out: &mut TableOutput,
) -> Option<RegionRead> {
    let line = &lines[i];
    let words = pages.get(line.page as usize - 1)?.words.as_ref()?;
    let carried = open.filter(|t| t.kind == kind).map(|t| &t.columns);
    let begun = open
        .filter(|t| t.kind == kind)
        .map_or(&[][..], |t| &t.begun[..]);
    let read_to = |end: usize| {
        let region = region_words(lines, i, end, &words.words, words.height);
        grid_of_region(ctx, kind, &region, words, (carried, begun))
    };
    // The region ends at the next heading or header in the text; where a table's heading
    // does not read so, at the next one below it on the page (an OCR layer's text column by
    // column). So does a table continued from the page before where the text goes back up
    // the page to the line that ended it: generated scan 7901's page 9 gives its ids, then
    // its titles, then its header's `Status` cell, which ended the region two words in,
    // above every row. (Not where that line stands below what came before it: a heading
    // under the table's last rows, the next table's, generated report 7500's page 11.)
    let mut end = (i + 1..lines.len())
        .find(|&j| lines[j].page != line.page || ends_region(&lines[j]))
        .unwrap_or(lines.len());
    let mut grid = read_to(end);
    let went_back_up =
        || carried.is_some() && stands_above_rows_before(ctx, lines, (i, end), words);
    if grid.is_none() && (ends_region(line) || went_back_up()) {
        let below = region_end(lines, i, &words.words, words.height);
        if below != end {
            grid = read_to(below);
            end = below;
        }
    }
    let grid = grid?;
    let same = open.filter(|t| t.kind == kind);
    let mut table = OpenTable {
        kind,
        page: line.page,
        columns: grid.columns.clone(),
        last: same.and_then(|t| t.last.clone()),
        begun: same.map_or_else(Vec::new, |t| t.begun.clone()),
    };
    if grid.rows.is_empty() {
        // Under a header printed again below the table's last row on this page, the cells
        // begin the next row, whose id is on the next page: the header stands between them
        // and the row above (generated report 9601, digital: `Approved by the Authority on
        // 25` under page 8's second header is the start of SECMP0057's comment, not the end
        // of 0082's).
        let below_last_row = table.last.as_ref().is_some_and(|l| l.page == line.page);
        if (ends_a_row(&grid) && !below_last_row) || completes_last_row(&table, &grid) {
            continue_last_row(ctx, &mut table, &grid, out);
        } else {
            // A row begun under a header: the next row read is its end.
            table.begun = grid.leading;
        }
        return Some(RegionRead { next: end, table });
    }
    let read_from = if grid.ruled {
        TableReading::RuledCells
    } else {
        TableReading::Positions
    };
    read_leading_cells(ctx, &mut table, &grid, (line.line, read_from), out);
    for mut row in grid.rows {
        if anchored_on_a_heading(&lines[i..end], line.page, &row)
            && !holds_a_status_or_date(ctx, &row)
        {
            continue;
        }
        let begun = std::mem::take(&mut table.begun);
        if !begun.is_empty() {
            row.begin_with(&begun);
        }
        out.unread_cells
            .extend(empty_cell_boxes(line.page, &row, &table.columns));
        if !grid.rows_ruled {
            out.unread_cells
                .extend(worded_cell_boxes(line.page, &row, &table.columns));
        }
        let Some(id) = cell_id(ctx, row.cell(ColumnField::Id)) else {
            out.unread_cells
                .extend(id_cell_box(line.page, &row, &table.columns));
            push_row_without_id(kind, line.page, row, &table.columns, read_from, out);
            continue;
        };
        if read_before(out, kind, line.page, &id) {
            continue;
        }
        let at = row_provenance(line.page, &row, &table.columns);
        let before = out.diagnostics.len();
        let index = push_row(ctx, kind, &row, &id, at.clone(), read_from, out);
        out.bare_ids.push((at, id.clone()));
        table.last = index.map(|index| LastRow {
            row,
            id,
            page: line.page,
            index,
            diagnostics: before..out.diagnostics.len(),
        });
    }
    Some(RegionRead { next: end, table })
}

/// The cells above a page's first row (`grid.leading`): the end of the page before's last
/// row ([`continue_last_row`]), or, where a row was begun at that page's foot, the rest of
/// it: one row, whose id was lost where the page cut it (generated scan 9505: SECMP0040's
/// title begun under page 10's second header, `Assessments after completion of the User
/// Entry Process` atop page 11, its id centred on the cut; given to the rows above and
/// below, they made three titles wrong of one lost). `line` is the region's first line.
fn read_leading_cells(
    ctx: &ExtractContext,
    table: &mut OpenTable,
    grid: &Grid,
    (line, read_from): (u32, TableReading),
    out: &mut TableOutput,
) {
    if table.begun.is_empty() || grid.leading.is_empty() {
        continue_last_row(ctx, table, grid, out);
        return;
    }
    let mut row = GridRow {
        cells: std::mem::take(&mut table.begun),
        anchor_line: line,
        confidence: 1.,
        id_lost: true,
        ..GridRow::default()
    };
    row.continue_with(&grid.leading);
    push_row_without_id(table.kind, table.page, row, &table.columns, read_from, out);
}

/// A row whose id cell holds no id: its `dcc_row_id_unread` diagnostic, and, in an Appendix
/// A table, the row kept for the report's own evidence of its id ([`LostIdRow`]).
fn push_row_without_id(
    kind: TableKind,
    page: u32,
    row: GridRow,
    columns: &Columns,
    read_from: TableReading,
    out: &mut TableOutput,
) {
    let at = row_provenance(page, &row, columns);
    out.diagnostics.push(Diagnostic {
        at: Some(at.clone()),
        severity: Severity::Warning,
        code: DiagnosticCode::DccRowIdUnread,
        message: match row.cell(ColumnField::Id) {
            "" => format!(
                "a {} table row has nothing in its id column (OCR lost the id?): row not read",
                kind_name(kind)
            ),
            cell => format!(
                "{cell:?} stands in the id column of a {} table row but is not a modification number (OCR damage?): row not read",
                kind_name(kind)
            ),
        },
    });
    if let TableKind::Dcc(table) = kind {
        out.lost_ids.push(LostIdRow {
            table,
            at,
            row,
            read_from,
            diagnostic: out.diagnostics.len() - 1,
        });
    }
}

/// The table a region's words read as, with the page's rules and the columns carried from
/// the page before; `None` unless it reads well ([`reads_well`]), its first row judged with
/// the cells `begun` at the foot of the page before (generated report 7701: MP049's part on
/// page 15 holds its id, its title's last words and its comment's; its status and dates
/// stand on page 14).
fn grid_of_region(
    ctx: &ExtractContext,
    kind: TableKind,
    region: &[&Word],
    words: &PageWords,
    (carried, begun): (Option<&Columns>, &[(ColumnField, String)]),
) -> Option<Grid> {
    let layout = ctx.vocab.table_layout(kind)?;
    let is_row_id = |text: &str| cell_id(ctx, text).is_some();
    let judged = |g: &Grid| match g.rows.first() {
        _ if !in_printed_order(layout, g) => false,
        None if carried.is_some() && ends_a_row(g) => true,
        Some(first) if !begun.is_empty() => {
            let mut whole = g.clone();
            whole.rows[0] = first.clone();
            whole.rows[0].begin_with(begun);
            reads_well(ctx, kind, &whole)
        }
        _ => reads_well(ctx, kind, g),
    };
    let well = |g: &Option<Grid>| g.as_ref().is_some_and(judged);
    let rules = PageRules {
        across: &words.rules,
        down: &words.column_rules,
    };
    let read = |from: ColumnsFrom| read_grid_with(region, rules, layout, carried, from, &is_row_id);
    let mut grid = read(ColumnsFrom::Header);
    // A repeated header OCR garbled worse than the first page's: the first page's columns.
    let fewer = |g: &Option<Grid>| {
        g.as_ref()
            .zip(carried)
            .is_some_and(|(g, c)| g.columns.len() < c.len())
    };
    if carried.is_some() && (!well(&grid) || fewer(&grid)) {
        let again = read(ColumnsFrom::Carried);
        if well(&again) {
            grid = again;
        }
    }
    // A header OCR read in the wrong places, no table before it: the body's corridors.
    if !well(&grid) {
        let again = read(ColumnsFrom::Body);
        if well(&again) {
            grid = again;
        }
    }
    grid.filter(judged)
}

/// Whether a grid's columns stand in the order its table prints them: a header whose cells
/// name columns out of that order is a header set as lines of text, its words not above the
/// rows' (the July 2020 fixture's delivery table, `PA WG Request Target PA Actual PA IA` /
/// `WG Request Target IA Actual IA`: its second line named the IA target and actual columns
/// left of the status, and the row's IA dates, wrapped under its id, were lost).
fn in_printed_order(layout: &TableLayout, grid: &Grid) -> bool {
    let places: Vec<usize> = grid
        .columns
        .iter()
        .filter_map(|c| layout.order().iter().position(|f| *f == c.field))
        .collect();
    places.windows(2).all(|pair| pair[0] < pair[1])
}

/// The id an id cell holds: the whole cell, as a row id (`SECMP0007`, `0092`), or a number
/// of one to four digits with a variant (`39`, `37v2`, `102A`): in a column of ids, a short
/// number is an id with its leading zeros left off (`0037v2`).
fn cell_id(ctx: &ExtractContext, cell: &str) -> Option<IdMatch> {
    let cell = without_borders(cell);
    if cell.contains(' ') {
        // Specks OCR read as words beside the id (`cit ous, 0117 ae _ i`): the one word that
        // is an id, if only one is; or the one printed with its prefix, beside a speck read
        // as a digit (`~ MP132 2`, generated scan 8002, whose `2` read as id 0002 merged
        // the row into the next).
        let ids: Vec<IdMatch> = cell.split(' ').filter_map(|w| word_id(ctx, w)).collect();
        if let [id] = &ids[..] {
            return Some(id.clone());
        }
        let mut prefixed = ids
            .into_iter()
            .filter(|id| id.prefix != crate::grammar::IdPrefix::None);
        let id = prefixed.next()?;
        return prefixed.next().is_none().then_some(id);
    }
    word_id(ctx, cell)
}

/// The id one word of an id cell is.
fn word_id(ctx: &ExtractContext, cell: &str) -> Option<IdMatch> {
    // A stop or comma OCR set after the id, a speck at the cell's edge (`122,` and `146.`
    // in generated scan 4002's id column, `0050"` in 7901's, `“0011` and `0024°` in 9300's),
    // or glued before it (`~MP110`, 8002's, whose row ran into the next).
    let cell = without_borders(cell)
        .trim_start_matches(['~', '»', '«', '•', '°', '*', '`', '^', '“', '"', '‘', '\''])
        .trim_end_matches([
            ',', '.', ';', ':', '\'', '’', '‘', '"', '”', '“', '_', '-', '°',
        ]);
    if cell.is_empty() {
        return None;
    }
    if let Some((rest, id)) = row_id_and_rest(ctx, cell) {
        if rest.trim().is_empty() {
            return Some(id);
        }
    }
    if let Some(id) = zero_padded_id_misread(ctx, cell) {
        return Some(id);
    }
    // A letter variant (`0102A`, `161A`) the bare-id grammar leaves as a rest.
    let (number, letter) = match cell.as_bytes() {
        [.., b'A'..=b'Z'] if cell.len() > 1 => (&cell[..cell.len() - 1], &cell[cell.len() - 1..]),
        _ => (cell, ""),
    };
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=4).contains(&digits) {
        return None;
    }
    let padded = format!("{}{number}", "0".repeat(4 - digits));
    let (rest, mut id) = row_id_and_rest(ctx, &padded)?;
    if !rest.trim().is_empty() || (!letter.is_empty() && !id.id.variant.is_empty()) {
        return None;
    }
    if !letter.is_empty() {
        id.id = crate::grammar::ModId::new(id.id.number, letter);
    }
    id.raw = cell.into();
    id.span = 0..cell.len();
    Some(id)
}

/// A zero-padded id of four digits OCR read with letters for some of them, alone in an id
/// cell (generated scan 7500's `‘oO0i` for `0001`, `oo11` for `0011`): every character a
/// digit or a letter OCR prints for one (`[digit_confusions]`), one at least a real digit,
/// the first a zero or a letter for it. The id grammar reads such letters only before real
/// digits, and no more letters than digits, since in prose `Oil` is a word; alone in a
/// table's id column, a four-character cell is the id. Flagged as an OCR repair.
fn zero_padded_id_misread(ctx: &ExtractContext, cell: &str) -> Option<IdMatch> {
    let bare = cell.trim_start_matches(['\'', '’', '‘', '"', '“', '`', '.', ',']);
    let confusions = &ctx.grammar.ids.digit_confusions;
    let digit = |c: char| {
        if c.is_ascii_digit() {
            Some(c)
        } else {
            confusions.digit_of(c)
        }
    };
    let digits: String = bare.chars().map(digit).collect::<Option<String>>()?;
    let real = bare.chars().filter(char::is_ascii_digit).count();
    if digits.len() != 4 || real == 0 || !digits.starts_with('0') {
        return None;
    }
    let (rest, mut id) = row_id_and_rest(ctx, &digits)?;
    if !rest.trim().is_empty() || real == 4 {
        return None;
    }
    id.raw = cell.into();
    id.span = 0..cell.len();
    id.repaired = true;
    Some(id)
}

/// A table's name for messages.
fn kind_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Dcc(t) => t.name(),
        TableKind::Assessments(t) => t.name(),
    }
}

/// True when most rows' typed cells read as what their columns hold: a status in the
/// status column, a PA or IA in the type column, dates in the date columns. A header that
/// stands apart from its columns (a line of text above rows laid out with spaces) names
/// columns the rows' words do not fall in: such a table is read as text.
fn reads_well(ctx: &ExtractContext, kind: TableKind, grid: &Grid) -> bool {
    let has = |field: ColumnField| grid.columns.iter().any(|c| c.field == field);
    if grid.rows.is_empty() {
        return begins_a_row(ctx, kind, grid);
    }
    let mut tally = Tally::default();
    let last = grid.rows.len() - 1;
    for (n, row) in grid.rows.iter().enumerate() {
        // The id cell is an id and nothing else: words of the next column in it mean the
        // columns are not where the header says (a header printed as a line of text).
        // The id cell holds the id alone, or with a speck or two beside it; more words are
        // the next column's (a header whose columns are not where the rows' words are).
        let id_cell = row.cell(ColumnField::Id);
        let words = id_cell
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        tally.crowded += (words > 2) as usize;
        // An id OCR damaged (`oon`): that row is lost, not the table. (A row anchored on
        // its dates is known to have lost its id: no evidence either way.)
        if !row.id_lost {
            let read = cell_id(ctx, id_cell).is_some();
            tally.ids += read as usize;
            tally.check(read);
        }
        match kind {
            TableKind::Assessments(_) => tally_type_cell(ctx, row, words, &mut tally),
            TableKind::Dcc(_) => {
                // A date in the id cell: the columns are not where the cells are (the July
                // 2020 fixture's `05/05/2020   09/07/2020`, a row's IA dates wrapped under
                // its id at the left margin, under a header set as a line of text).
                tally.misplaced += id_cell.split_whitespace().any(is_date_word) as usize;
                if has(ColumnField::Status) && !(n == last && cut_at_its_status(row)) {
                    tally.check(status_of(ctx, row.cell(ColumnField::Status)).is_some());
                }
            }
        }
        tally_date_cells(ctx, row, &has, &mut tally);
        tally_duration_cells(ctx, kind, row, &has, &mut tally);
    }
    // A DCC table without its title or status column is a header OCR lost most of, read as
    // two columns (generated scan 2001's `SECMP# Date added`: every title fell in the
    // date column, whose cells still hold a date).
    if matches!(kind, TableKind::Dcc(_)) && !(has(ColumnField::Title) && has(ColumnField::Status)) {
        return false;
    }
    // Columns the page's rules part are where the cells are: a row whose id reads is a row
    // however OCR damaged its other cells (each damaged cell is then a diagnostic).
    if grid.ruled {
        return 2 * tally.ids >= grid.rows.len().max(1);
    }
    10 * tally.crowded <= 3 * grid.rows.len()
        && 4 * tally.read >= 3 * tally.tried.max(1)
        && tally.misplaced == 0
}

/// What [`reads_well`] counts over a grid's rows: typed cells tried and read as what their
/// column holds, id cells crowded with more words and read as ids, cells out of their
/// columns.
#[derive(Debug, Default)]
struct Tally {
    tried: usize,
    read: usize,
    crowded: usize,
    ids: usize,
    misplaced: usize,
}

impl Tally {
    fn check(&mut self, ok: bool) {
        self.tried += 1;
        self.read += ok as usize;
    }
}

/// An assessment row's type cell, beside an id cell of `id_words` words.
fn tally_type_cell(ctx: &ExtractContext, row: &GridRow, id_words: usize, tally: &mut Tally) {
    let cell = alphanumeric_words(row.cell(ColumnField::Type));
    let typed = ctx.vocab.assessment_types.iter().any(|(p, _)| *p == cell);
    tally.check(typed);
    // A type cell that is no type: the columns are not where the cells are (`MP092 PA | 2
    // Dec 19 | 15 WD | 148 WD`, the July 2020 fixture's table set as text with spaces, its
    // cells not under its header's). A closed vocabulary with OCR's readings in it: one miss
    // is enough. (An empty one beside an id cell that holds its id alone is a cell OCR lost,
    // generated scan 8001's `1A` read unsure: that row's loss, not the table's.)
    let lost = cell.is_empty() && id_words <= 1;
    tally.misplaced += (!typed && !lost) as usize;
}

/// A row's date cells: each holds a date, or an empty marker.
fn tally_date_cells(
    ctx: &ExtractContext,
    row: &GridRow,
    has: &dyn Fn(ColumnField) -> bool,
    tally: &mut Tally,
) {
    for field in [
        ColumnField::PaRequest,
        ColumnField::PaTarget,
        ColumnField::IaRequest,
        ColumnField::DateAdded,
        ColumnField::Date,
    ] {
        if has(field) && !row.cell(field).trim().is_empty() {
            // (A cell holding two dates still shows the column holds dates: OCR ran two
            // columns' cells together, which costs those cells, not the table. An empty
            // marker, `n/a`, is what a date column holds where there is no date.)
            let cell = row.cell(field);
            tally.check(
                date_cell(ctx, cell).is_ok()
                    || numeric_dates_in(&ctx.grammar.dates, cell).next().is_some(),
            );
        }
    }
}

/// A row's duration cells: each holds one duration (two are two columns' cells run
/// together).
fn tally_duration_cells(
    ctx: &ExtractContext,
    kind: TableKind,
    row: &GridRow,
    has: &dyn Fn(ColumnField) -> bool,
    tally: &mut Tally,
) {
    for field in [ColumnField::Target, ColumnField::Duration] {
        let cell = row.cell(field);
        // A duration missing from its column and found in another is misplaced (`4 May 20
        // 15 WD` in the date column, the July 2020 fixture). An assessment not yet delivered
        // prints no actual duration (generated scan 8001's `SECMP0019 PA 7 Sep 16 15 WD`):
        // an empty cell alone says nothing.
        if has(field) && cell.trim().is_empty() && matches!(kind, TableKind::Assessments(_)) {
            let elsewhere = [ColumnField::Id, ColumnField::Type, ColumnField::Date]
                .into_iter()
                .any(|f| !find_durations(&ctx.grammar.durations, row.cell(f)).is_empty());
            tally.misplaced += elsewhere as usize;
        }
        if has(field) && !cell.trim().is_empty() {
            let two = find_durations(&ctx.grammar.durations, cell).len() > 1;
            tally.check(!two && working_days(ctx, cell).is_some());
            // The unit without its number: the number stands in the column before (`2 Mar 18
            // 15 | WD`, generated scan 7603's header read as `Target` / `duration Actual
            // duration`, which set the target column's edge in its cells).
            let unit_alone = !cell.chars().any(|c| c.is_ascii_digit())
                && cell.to_ascii_uppercase().contains("WD");
            tally.misplaced += unit_alone as usize;
            // (As a type cell that is no type: the July 2020 fixture's returned rows, `15 WD
            // 14 WD` in the target column. An assessment row is one line, which the text
            // reads whole.)
            tally.misplaced += two as usize;
        }
    }
}

/// True for a grid of no rows whose cells under its header (repeated at a page's top) hold
/// only the ends of wrapped text cells, a title's or a comment's: the end of the last row of
/// the page before. (Generated report 8203, digital: MP043's comment runs onto page 13, under
/// the header repeated there, `2018. To be implemented on 1 November 2018 (November 2018
/// Release).`, and was lost.)
fn ends_a_row(grid: &Grid) -> bool {
    grid.has_header
        && !grid.leading.is_empty()
        && grid
            .leading
            .iter()
            .all(|(f, _)| matches!(f, ColumnField::Title | ColumnField::Comment))
}

/// True for a DCC row with neither a status nor a date: the last row of a page whose foot cut
/// it after its id and its comment's first lines, its other cells under the header repeated
/// on the next page (generated report 9504, digital: SECMP0189 on page 14). An empty cell
/// says nothing of where the columns are.
fn cut_at_its_status(row: &GridRow) -> bool {
    row.cells
        .iter()
        .filter(|(f, _)| *f == ColumnField::Status || f.holds_dates())
        .all(|(_, text)| text.trim().is_empty())
}

/// True for a grid of no rows whose cells under its header (with no id) fill the cells the
/// last row read left empty, a page before: its status and dates, the row cut at its status
/// ([`cut_at_its_status`]). Generated report 9504, digital: SECMP0189's title, status and
/// dates stand under the header repeated on page 15; they were taken for a row begun there.
fn completes_last_row(table: &OpenTable, grid: &Grid) -> bool {
    let Some(last) = &table.last else {
        return false;
    };
    last.page < table.page
        && matches!(table.kind, TableKind::Dcc(_))
        && cut_at_its_status(&last.row)
        && !grid.leading.iter().any(|(f, _)| *f == ColumnField::Id)
        && grid.leading.iter().any(|(f, _)| *f == ColumnField::Status)
}

/// True for a grid of no rows whose cells under its header begin a DCC row: its status cell
/// holds a status (the rest of the row, with its id, is on the next page).
fn begins_a_row(ctx: &ExtractContext, kind: TableKind, grid: &Grid) -> bool {
    let status = grid
        .leading
        .iter()
        .find(|(f, _)| *f == ColumnField::Status)
        .map_or("", |(_, t)| t.as_str());
    matches!(kind, TableKind::Dcc(_))
        && grid.has_header
        && grid.columns.iter().any(|c| c.field == ColumnField::Title)
        && !grid.leading.iter().any(|(f, _)| *f == ColumnField::Id)
        && find_status(&ctx.grammar.statuses, status).is_some()
}

/// The top of a page text line's words (`None` for a line without words).
fn line_top(words: &[Word], line: u32) -> Option<f32> {
    words
        .iter()
        .filter(|w| w.line == line)
        .map(|w| w.top)
        .min_by(f32::total_cmp)
}

/// True for a line whose first word is a row's id.
fn starts_with_row_id(ctx: &ExtractContext, line: &Line) -> bool {
    line.text
        .split_whitespace()
        .next()
        .is_some_and(|w| cell_id(ctx, w).is_some())
}

/// The line a region starting at line `i` ends before: the next on another page, or the next
/// that ends a region (a heading, another table's header) and stands below line `i`, not far
/// above a line read before it (a sixth of the page: a header's cells, centred, stand a few
/// lines above the last line of the cell before them). An OCR layer may give a page's text column by column
/// (tesseract's blocks, generated scan 4002: the table's `Title` column, the footer, then
/// `DCC Assessment Status` and the dates), so a header cell that ends a region by its words
/// (`Target PA ...`) can come after the rows it heads in the text while standing above them.
fn region_end(lines: &[Line], i: usize, words: &[Word], height: f32) -> usize {
    let top_of = |line: u32| line_top(words, line);
    let start = top_of(lines[i].line).unwrap_or(f32::MIN);
    let mut lowest = start;
    for j in i + 1..lines.len() {
        if lines[j].page != lines[i].page {
            return j;
        }
        let top = top_of(lines[j].line);
        if ends_region(&lines[j]) && top.is_none_or(|t| t > start && t > lowest - height / 6.) {
            return j;
        }
        lowest = lowest.max(top.unwrap_or(f32::MIN));
    }
    lines.len()
}

/// True when line `end` stands above a line of `i..end` that starts with a row's id, by a
/// sixth of the page or more: the text went back up the page from the rows to it. (Not a
/// page's footer given first, generated report 7500's page 10, then its header's wrapped
/// cells: the region read to the page's foot and ran on past the next table's heading.)
fn stands_above_rows_before(
    ctx: &ExtractContext,
    lines: &[Line],
    (i, end): (usize, usize),
    words: &PageWords,
) -> bool {
    let Some(last) = lines.get(end).filter(|l| l.page == lines[i].page) else {
        return false;
    };
    let top_of = |line: u32| line_top(&words.words, line);
    let Some(top) = top_of(last.line) else {
        return false;
    };
    lines[i..end]
        .iter()
        .filter(|l| starts_with_row_id(ctx, l))
        .filter_map(|l| top_of(l.line))
        .any(|t| t > top + words.height / 6.)
}

/// Where a page a table would continue onto starts another table instead: the first line
/// after `i` on the page that heads a table other than `kind`, where it stands above every
/// line the text gives before it and rows follow. An OCR layer that gives the page column by
/// column puts the ids first and the heading after them: generated image-only scan 8103's
/// page 11 (the `No further assessment required` table, under the `No system impact
/// assessment` table's end on page 10) gave `Mod No.` and its 19 ids, the titles, then the
/// heading; read as the table before, every row went to the wrong table with its date in
/// its title.
pub fn heading_above_rows(
    ctx: &ExtractContext,
    pages: &[Page],
    lines: &[Line],
    i: usize,
    kind: TableKind,
) -> Option<usize> {
    let page = lines[i].page;
    let words = pages.get(page as usize - 1)?.words.as_ref()?;
    let top_of = |line: u32| line_top(&words.words, line);
    let on_page = || (i..lines.len()).take_while(|&j| lines[j].page == page);
    let heads = |l: &Line| match (l.structure.dcc_table, kind) {
        (Some(t), TableKind::Dcc(open)) => t != open,
        (Some(_), TableKind::Assessments(_)) => true,
        _ => false,
    };
    let j = on_page().find(|&j| heads(&lines[j]))?;
    let top = top_of(lines[j].line)?;
    // The page starts with it: no line given before it stands above it. (Generated scan
    // 7303's page 13 prints the delivery table's last two rows above the next table's
    // heading; their lines did not start with their ids, and with the rows' ids alone to
    // stand below, the heading took the page and the two rows were lost.)
    let topmost = on_page()
        .take_while(|&k| k < j)
        .filter_map(|k| top_of(lines[k].line))
        .all(|t| t >= top);
    let rows_below = on_page().any(|k| starts_with_row_id(ctx, &lines[k]));
    (topmost && rows_below).then_some(j)
}

/// The words of a region: those on the page's content lines (not its furniture) between the
/// top of line `i` (a few lines above it, where a header's taller cells start; the page's top
/// when it continues a table) and the top of line `end` (or the page's foot).
fn region_words<'w>(
    lines: &[Line],
    i: usize,
    end: usize,
    words: &'w [Word],
    height: f32,
) -> Vec<&'w Word> {
    let page = lines[i].page;
    let content: foldhash::HashSet<u32> = lines
        .iter()
        .filter(|l| l.page == page && l.line > 0)
        .map(|l| l.line)
        .collect();
    let top_of = |line: u32| {
        words
            .iter()
            .filter(|w| w.line == line)
            .map(|w| (w.top, w.size))
            .fold(None, |acc: Option<(f32, f32)>, (t, s)| {
                Some(acc.map_or((t, s), |(a, b)| (a.min(t), b.max(s))))
            })
    };
    let from = if ends_region(&lines[i]) {
        top_of(lines[i].line).map_or(0., |(t, s)| t - 4. * s)
    } else {
        0.
    };
    let to = lines
        .get(end)
        .filter(|l| l.page == page)
        .and_then(|l| top_of(l.line))
        .map_or(height + 1., |(t, _)| t);
    words
        .iter()
        .filter(|w| content.contains(&w.line) && w.y_mid() >= from && w.y_mid() < to)
        .collect()
}

/// Gives the rows of a page before whose end this page's first lines continue.
fn continue_last_row(
    ctx: &ExtractContext,
    table: &mut OpenTable,
    grid: &Grid,
    out: &mut TableOutput,
) {
    if grid.leading.is_empty() {
        return;
    }
    let Some(last) = &mut table.last else {
        return;
    };
    if let Some(diagnostic) = leading_row_without_id(table.kind, table.page, last, grid) {
        out.diagnostics.push(diagnostic);
        // Its id cell read again from the image: the layer may have garbled it (generated
        // scan 9111, page 12: `0099` read as `Cogs «| Ue`, under a header printed white on
        // a dark band, the columns carried from the page before).
        // (Cut clear of the table's border where its rows are not ruled apart: read with
        // it, `0099` read `ws`.)
        if let Some((top, bottom)) = grid.leading_span {
            let row = GridRow {
                top,
                bottom,
                ..GridRow::default()
            };
            let reading = match grid.rows_ruled {
                true => CellReading::Replace,
                false => CellReading::ReplaceWhereUnruled,
            };
            out.unread_cells.extend(
                id_cell_box(table.page, &row, &table.columns).map(|c| UnreadCell { reading, ..c }),
            );
        }
        return;
    }
    last.row.continue_with(&grid.leading);
    out.retracted.extend(last.diagnostics.clone());
    let before = out.diagnostics.len();
    let at = row_provenance(last.page, &last.row, &table.columns);
    // Read as its first page read it.
    match table.kind {
        TableKind::Dcc(t) => {
            let read_from = out.dcc_status[last.index].read_from;
            out.dcc_status[last.index] =
                dcc_row(ctx, t, &last.row, &last.id, at, read_from, out.diagnostics);
        }
        TableKind::Assessments(t) => {
            let read_from = out.assessments[last.index].read_from;
            if let Some(a) = assessment(ctx, t, &last.row, &last.id, at, read_from) {
                out.assessments[last.index] = a;
            }
        }
    }
    last.diagnostics = before..out.diagnostics.len();
}

/// Says that a page's first lines are a row whose id OCR lost, not the end of the page
/// before's last row: they hold a date in a date column where that row has one already (a
/// date cell never wraps into a second date). Joined to it, they made one row of two:
/// generated scan 8401's `0217 | ... Batch 24 Mandating Device Alerts for gas valve closure |
/// 01/11/2022 14/01/2021 | ...`, the next page's first row under its lost id.
fn leading_row_without_id(
    kind: TableKind,
    page: u32,
    last: &LastRow,
    grid: &Grid,
) -> Option<Diagnostic> {
    let holds_date = |text: &str| text.split_whitespace().any(is_date_word);
    let second_date = grid.leading.iter().any(|(field, text)| {
        field.holds_dates() && holds_date(text) && holds_date(last.row.cell(*field))
    });
    let cells: Vec<&str> = grid.leading.iter().map(|(_, text)| text.as_str()).collect();
    second_date.then(|| Diagnostic {
        at: Some(Provenance {
            page,
            line: 0,
            snippet: Arc::from(cells.join(" | ").trim()),
        }),
        severity: Severity::Warning,
        code: DiagnosticCode::DccRowIdUnread,
        message: format!(
            "the {} table's first lines on this page hold dates where {} has its own: a row whose id OCR lost (not read), not the end of {}",
            kind_name(kind),
            last.id.id,
            last.id.id
        ),
    })
}

/// True when the DCC table of `kind` already has a row of `id` on `page`: a region found by
/// where its words stand overlaps one read before, and an Appendix A table lists a
/// modification once on a page. (Generated scan 8200's page 10, its cells read again: the
/// table's heading read as its region the rows below its header, and the header's region
/// read the same 17 rows again.) An assessment table lists one twice or more, a PA and an
/// IA, or two PAs: its rows read before are known by all their cells ([`push_row`]).
fn read_before(out: &TableOutput, kind: TableKind, page: u32, id: &IdMatch) -> bool {
    let TableKind::Dcc(t) = kind else {
        return false;
    };
    out.dcc_status
        .iter()
        .rev()
        .take_while(|r| r.at.page == page)
        .any(|r| r.table == t && r.modification.id == id.id)
}

/// Types a row and adds it to its table; its index there.
fn push_row(
    ctx: &ExtractContext,
    kind: TableKind,
    row: &GridRow,
    id: &IdMatch,
    at: Provenance,
    read_from: TableReading,
    out: &mut TableOutput,
) -> Option<usize> {
    match kind {
        TableKind::Dcc(t) => {
            let record = dcc_row(ctx, t, row, id, at, read_from, out.diagnostics);
            out.dcc_status.push(record);
            Some(out.dcc_status.len() - 1)
        }
        TableKind::Assessments(t) => match assessment(ctx, t, row, id, at.clone(), read_from) {
            // Read before on this page (see [`read_before`]): the same row again. (Not a
            // second row of one type: generated report 7700 returned two PAs of MP060.)
            Some(a)
                if out
                    .assessments
                    .iter()
                    .rev()
                    .take_while(|b| b.at.page == a.at.page)
                    .any(|b| {
                        b.table == a.table
                            && b.modification.id == a.modification.id
                            && b.assessment_type == a.assessment_type
                            && b.date == a.date
                            && (b.target_wd, b.duration_wd) == (a.target_wd, a.duration_wd)
                    }) =>
            {
                None
            }
            Some(a) => {
                say_durations_unread(row, &a, &at, out.diagnostics);
                let cell = row.cell(ColumnField::Date).trim();
                if a.date.is_none() && cell.chars().any(|c| c.is_ascii_digit()) {
                    out.diagnostics.push(Diagnostic {
                        at: Some(at),
                        severity: Severity::Warning,
                        code: DiagnosticCode::UnreadableDate,
                        message: format!(
                            "{}'s {} date cell ({cell:?}) holds no whole date: left empty",
                            id.id,
                            a.assessment_type.name()
                        ),
                    });
                }
                out.assessments.push(a);
                Some(out.assessments.len() - 1)
            }
            None => {
                out.diagnostics.push(Diagnostic {
                    at: Some(at),
                    severity: Severity::Warning,
                    code: DiagnosticCode::TableRowUnread,
                    message: format!(
                        "{} starts a row of the {} assessments table whose type cell ({:?}) is neither PA nor IA",
                        id.id,
                        t.name(),
                        row.cell(ColumnField::Type)
                    ),
                });
                None
            }
        },
    }
}

/// Where a row's id cell stands: its column (from the page's left edge when it is the
/// first), between the row's top and bottom. For a row anchored on its dates with nothing in
/// its id column, read on a ruled page only ([`CellReading::ReplaceWhereRuled`]): elsewhere
/// [`empty_cell_boxes`] asks for it in the white around the row.
fn id_cell_box(page: u32, row: &GridRow, columns: &Columns) -> Option<UnreadCell> {
    let reading = match row.id_lost && row.cell(ColumnField::Id).trim().is_empty() {
        true => CellReading::ReplaceWhereRuled,
        false => CellReading::Replace,
    };
    let (x0, x1) = id_column_span(columns)?;
    (x1 > x0 && row.bottom > row.top).then_some(UnreadCell {
        page,
        x0,
        top: row.top,
        x1,
        bottom: row.bottom,
        reading,
    })
}

/// The id column's left and right (from the page's left edge when it is the first).
fn id_column_span(columns: &Columns) -> Option<(f32, f32)> {
    let k = columns.iter().position(|c| c.field == ColumnField::Id)?;
    let x0 = if k == 0 { 0. } else { columns[k].left };
    Some((x0, columns.get(k + 1)?.left))
}

/// The boxes of a row's empty cells in the white around it, for the OCR reader to read again
/// from the page image: its id cell, where the row was anchored on its dates with nothing in
/// its id column ([`CellReading::ReplaceWhereUnruled`]); every empty cell, where it lost its
/// title or its status ([`CellReading::Fill`]: an OCR layer that left grey print unread,
/// generated scan 8801's page 11, the row `0184` with its title, status and four of its dates
/// empty). A row whose id, title and status were read asks for nothing: an empty date or
/// comment cell is most often printed empty.
fn empty_cell_boxes(page: u32, row: &GridRow, columns: &Columns) -> Vec<UnreadCell> {
    let (top, bottom) = row.room;
    let lost = |field: ColumnField| {
        columns.iter().any(|c| c.field == field) && row.cell(field).trim().is_empty()
    };
    let cells_lost = lost(ColumnField::Title) || lost(ColumnField::Status);
    let id = id_column_span(columns)
        .filter(|_| row.id_lost && row.cell(ColumnField::Id).trim().is_empty())
        .map(|span| (span, CellReading::ReplaceWhereUnruled));
    let others = columns
        .iter()
        .enumerate()
        .filter(|_| cells_lost)
        .filter(|(_, c)| c.field != ColumnField::Id && row.cell(c.field).trim().is_empty())
        .map(|(k, c)| {
            (
                c.left,
                columns.get(k + 1).map_or(f32::MAX, |next| next.left),
            )
        })
        .map(|span| (span, CellReading::Fill));
    id.into_iter()
        .chain(others)
        .filter(|&((x0, x1), _)| x1 > x0 && bottom > top)
        .map(|((x0, x1), reading)| UnreadCell {
            page,
            x0,
            top,
            x1,
            bottom,
            reading,
        })
        .collect()
}

/// The boxes of a row's title and comment cells, in a table not ruled between its rows, for
/// the OCR reader to read again where it reads them surer ([`CellReading::ReplaceWhereSure`]):
/// a layer read from the whole page garbles grey print a cell cut out alone reads as printed
/// (generated scan 9601: `Introducing a ~enbege Wistributton Netware Operators`). A ruled
/// table's cells are each read again anyway, cut where its rules part them.
fn worded_cell_boxes(page: u32, row: &GridRow, columns: &Columns) -> Vec<UnreadCell> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.field, ColumnField::Title | ColumnField::Comment))
        .filter(|(_, c)| !row.cell(c.field).trim().is_empty())
        .map(|(k, c)| {
            (
                c.left,
                columns.get(k + 1).map_or(f32::MAX, |next| next.left),
            )
        })
        .filter(|&(x0, x1)| x1 > x0 && row.bottom > row.top)
        .map(|(x0, x1)| UnreadCell {
            page,
            x0,
            top: row.top,
            x1,
            bottom: row.bottom,
            reading: CellReading::ReplaceWhereSure,
        })
        .collect()
}

/// A row's provenance: its page, its id's line and the row as read, cell by cell.
fn row_provenance(page: u32, row: &GridRow, columns: &Columns) -> Provenance {
    let cells: Vec<&str> = columns.iter().map(|c| row.cell(c.field)).collect();
    Provenance {
        page,
        line: row.anchor_line,
        snippet: Arc::from(cells.join(" | ").trim()),
    }
}

/// A cell of a date column: a date, or an empty cell (blank or an empty marker). `Err` with
/// the cell when it holds something else.
pub(super) fn date_cell<'c>(ctx: &ExtractContext, cell: &'c str) -> Result<Option<Date>, &'c str> {
    let cell = cell.trim();
    if cell.is_empty() || ctx.vocab.empty_cells.iter().any(|e| e == cell) {
        return Ok(None);
    }
    if let Some(d) = whole_date(&ctx.grammar.dates, cell, None) {
        return Ok(Some(d.date));
    }
    // One date among OCR's marks (`.02/02/2017`, `09/02/2017. ,`); two dates are two
    // columns' cells run together, and neither is placed.
    let mut dates = numeric_dates_in(&ctx.grammar.dates, cell);
    match (dates.next(), dates.next()) {
        (Some(d), None) => Ok(Some(d.date)),
        _ => Err(cell),
    }
}

/// The status a status cell names: as printed, within other words, or with its words in
/// another order.
fn status_of(ctx: &ExtractContext, cell: &str) -> Option<DccStatus> {
    let v = &ctx.grammar.statuses;
    parse_status(v, cell)
        .or_else(|| find_status(v, cell))
        .or_else(|| status_in_any_order(v, cell))
}

/// An Appendix A row from its cells.
pub(super) fn dcc_row(
    ctx: &ExtractContext,
    table: DccTable,
    row: &GridRow,
    id: &IdMatch,
    at: Provenance,
    read_from: TableReading,
    diagnostics: &mut Vec<Diagnostic>,
) -> DccStatusRow {
    let mut confidence = row.confidence * if id.repaired { 0.9 } else { 1.0 };
    let status_cell = row.cell(ColumnField::Status);
    let mut status = status_of(ctx, status_cell);
    let strayed = status
        .is_none()
        .then(|| status_word_in_title(ctx, row.cell(ColumnField::Title), status_cell))
        .flatten();
    let repaired = |s: DccStatus, how: &str| Diagnostic {
        at: Some(at.clone()),
        severity: Severity::Info,
        code: DiagnosticCode::DccStatusRepaired,
        message: format!(
            "{}: the status cell {status_cell:?} read as {} {how}",
            id.id,
            s.name()
        ),
    };
    if let Some((word, s)) = strayed {
        status = Some(s);
        confidence -= 0.1;
        let how = format!("with {word:?}, which OCR set in the title cell beside it");
        diagnostics.push(repaired(s, &how));
    }
    if status.is_none() {
        status = closest_status(&ctx.grammar.statuses, status_cell);
        if let Some(s) = status {
            confidence -= 0.2;
            diagnostics.push(repaired(s, "(the nearest status, OCR repair)"));
        }
    }
    if status.is_none() {
        confidence -= 0.2;
        diagnostics.push(Diagnostic {
            at: Some(at.clone()),
            severity: Severity::Warning,
            code: DiagnosticCode::DccStatusUnread,
            message: format!(
                "{}: the status cell {status_cell:?} holds no DCC status",
                id.id
            ),
        });
    }
    let mut date = |field: ColumnField| match date_cell(ctx, row.cell(field)) {
        Ok(d) => d,
        Err(cell) => {
            confidence -= 0.1;
            diagnostics.push(Diagnostic {
                at: Some(at.clone()),
                severity: Severity::Warning,
                code: DiagnosticCode::DccDatesUnplaced,
                message: format!(
                    "{}: the {} cell {cell:?} is not a date; left empty",
                    id.id,
                    field.name()
                ),
            });
            None
        }
    };
    let dates = DeliveryDates {
        pa_request: date(ColumnField::PaRequest),
        pa_target: date(ColumnField::PaTarget),
        pa_actual: date(ColumnField::PaActual),
        ia_request: date(ColumnField::IaRequest),
        ia_target: date(ColumnField::IaTarget),
        ia_actual: date(ColumnField::IaActual),
    };
    let date_added = date(ColumnField::DateAdded);
    let strayed_word = strayed.map(|(word, _)| word);
    let words = |field: ColumnField| {
        let words: Vec<&str> = row
            .cell(field)
            .split_whitespace()
            .filter(|w| !is_speck(ctx, w))
            .filter(|w| field != ColumnField::Title || Some(*w) != strayed_word)
            .collect();
        let cell = without_glued_marks(&words.join(" "));
        Some(cell).filter(|c| !c.is_empty())
    };
    DccStatusRow {
        at,
        modification: ModRef::from(id),
        table,
        status,
        date_added,
        dates,
        title: words(ColumnField::Title).map(|t| clean_title(&t)),
        comment: words(ColumnField::Comment),
        read_from,
        confidence: confidence.max(0.),
    }
}

/// The word of a title cell, printed once there, that the status cell it sits beside lacks:
/// the status cell reads as a status only with it. A wrapped status cell's word that OCR boxed
/// a little left of its column falls in the title's (generated image-only scan 9000's MP188:
/// `Self-Governance route for minor outstanding 'Housekeeping' ...`, its status cell `No
/// assessment request`). `None` unless one word does.
fn status_word_in_title<'t>(
    ctx: &ExtractContext,
    title: &'t str,
    status_cell: &str,
) -> Option<(&'t str, DccStatus)> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let once = |w: &&str| words.iter().filter(|v| v.eq_ignore_ascii_case(w)).count() == 1;
    let mut found = words
        .iter()
        .filter(|w| w.len() > 1 && w.chars().all(char::is_alphabetic) && once(w))
        .filter_map(|w| Some((*w, status_of(ctx, &format!("{status_cell} {w}"))?)));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// A word OCR made of a speck on the page (`~`, `__`, `°`): marks only, all of them
/// `[dcc_cells] speck_marks`.
fn is_speck(ctx: &ExtractContext, word: &str) -> bool {
    word.chars().all(|c| ctx.vocab.speck_marks.contains(&c))
}

/// An open or returned assessment from its cells.
fn assessment(
    ctx: &ExtractContext,
    table: AssessmentTable,
    row: &GridRow,
    id: &IdMatch,
    at: Provenance,
    read_from: TableReading,
) -> Option<Assessment> {
    let type_cell = alphanumeric_words(row.cell(ColumnField::Type));
    let kind = ctx
        .vocab
        .assessment_types
        .iter()
        .find(|(printed, _)| *printed == type_cell)
        .map(|(_, kind)| *kind)?;
    // A day: a month alone is a date cell whose day OCR lost (generated scan 9904's `Dec
    // 2021`, printed `7 Dec 2021`), not the month's first day.
    let date = dates_in(
        &ctx.grammar.dates,
        row.cell(ColumnField::Date),
        ctx.report_date,
    )
    .find_map(Result::ok)
    .filter(|d| d.precision == DatePrecision::Day);
    let mut confidence = row.confidence * if id.repaired { 0.9 } else { 1.0 };
    if date.as_ref().is_none_or(|d| d.repaired) {
        confidence -= 0.2;
    }
    let target = working_days(ctx, row.cell(ColumnField::Target));
    let duration = working_days(ctx, row.cell(ColumnField::Duration));
    // A duration whose number OCR printed a letter of (`4owD`).
    if [target, duration]
        .iter()
        .flatten()
        .any(|&(_, repaired)| repaired)
    {
        confidence -= 0.1;
    }
    Some(Assessment {
        at,
        modification: ModRef::from(id),
        table,
        assessment_type: kind,
        date: date.map(|d| d.date),
        target_wd: target.map(|(days, _)| days),
        duration_wd: duration.map(|(days, _)| days),
        read_from,
        confidence: confidence.max(0.),
    })
}

/// Says so of an assessment's target or duration cell that holds a number but was read as
/// no duration in working days (the July 2020 image-only fixture's `88° WD`, before a speck
/// there was passed over, left MP007's duration empty, unsaid).
fn say_durations_unread(
    row: &GridRow,
    a: &Assessment,
    at: &Provenance,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let cells = [
        (ColumnField::Target, "target", a.target_wd),
        (ColumnField::Duration, "duration", a.duration_wd),
    ];
    for (field, name, read) in cells {
        let cell = row.cell(field).trim();
        if read.is_some() || !cell.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        diagnostics.push(Diagnostic {
            at: Some(at.clone()),
            severity: Severity::Warning,
            code: DiagnosticCode::DurationUnread,
            message: format!(
                "{}'s {} {name} cell ({cell:?}) holds no duration in working days: left empty",
                a.modification.id,
                a.assessment_type.name()
            ),
        });
    }
}

/// A cell's words that hold a letter or digit: OCR reads specks beside a cell as stops and
/// rules (`PA .`, `| 1A`).
fn alphanumeric_words(cell: &str) -> String {
    // (A quote or stop OCR glued to a word goes: `PA’` is PA. A bar stays: `|A` is an IA.)
    let words: Vec<&str> = cell
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '\'' | '’' | '‘' | '"' | '.' | ',' | ':' | ';'))
        })
        .collect();
    words.join(" ")
}

/// A duration cell: `40 WD`, `40WD`, or a bare number under a `(WD)` header; OCR splits the
/// unit's letters (`21 W D`). The days, and whether OCR printed a letter of the number (`4owD`).
fn working_days(ctx: &ExtractContext, cell: &str) -> Option<(u32, bool)> {
    let joined: String = cell.split_whitespace().collect();
    // A mark OCR set between the number and its unit (`40'WD`, generated scan 8100).
    let unmarked = cell.replace(['\'', '’', '‘', '"', '.', ',', ':', ';', '`'], " ");
    for text in [cell, &joined, &unmarked] {
        if let Some(d) = find_durations(&ctx.grammar.durations, text).first() {
            return Some((d.working_days, d.repaired));
        }
    }
    let cell = cell.trim();
    (cell.len() <= 3 && !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (cell.parse().expect("at most three ASCII digits"), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;
    use crate::model::grid::tests::words;
    use crate::model::{DccTable, ReportVocabulary};

    fn builtin_vocabulary() -> ReportVocabulary {
        ReportVocabulary::compile(Grammar::builtin()).unwrap()
    }

    /// The built-in grammar's context for reading, with no report date.
    fn context(vocab: &ReportVocabulary) -> ExtractContext<'_> {
        ExtractContext {
            grammar: Grammar::builtin(),
            vocab,
            report_date: None,
        }
    }

    #[test]
    fn an_assessments_duration_cell_with_a_number_read_as_none_is_said() {
        // The July 2020 image-only fixture's `88° WD`, before a speck there was passed
        // over: MP007's duration was left empty, and nothing said so. An empty cell (an open
        // assessment's duration not yet counted) says nothing.
        use ColumnField::*;
        let g = Grammar::builtin();
        let id = crate::grammar::ids::parse_mod_id(&g.ids, "SECMP0007").unwrap();
        let row = |duration: &str| GridRow {
            cells: vec![
                (Id, "SECMP0007".into()),
                (Type, "IA".into()),
                (Target, "40WD".into()),
                (Duration, duration.into()),
            ],
            ..GridRow::default()
        };
        let at = Provenance {
            page: 4,
            line: 23,
            snippet: std::sync::Arc::from("SECMP0007 | IA"),
        };
        let assessment = Assessment {
            at: at.clone(),
            modification: ModRef::from(&id),
            table: AssessmentTable::Open,
            assessment_type: crate::model::records::AssessmentType::Ia,
            date: None,
            target_wd: Some(40),
            duration_wd: None,
            read_from: TableReading::Positions,
            confidence: 1.,
        };
        let mut said = Vec::new();
        say_durations_unread(&row("88\u{b0}\u{b0} WD"), &assessment, &at, &mut said);
        say_durations_unread(&row(""), &assessment, &at, &mut said);
        let messages: Vec<(DiagnosticCode, &str)> =
            said.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [(
                DiagnosticCode::DurationUnread,
                "MP007's IA duration cell (\"88\u{b0}\u{b0} WD\") holds no duration in working days: left empty"
            )]
        );
    }

    #[test]
    fn a_pages_first_lines_that_are_a_row_whose_id_ocr_lost_ask_for_its_id_cell() {
        // Generated scan 9111, page 12: under a header the layer lost, `0099` read as `Cogs
        // «| Ue`; its dates in the columns where MP090v2, the page before's last row, has its
        // own. The id cell above the page's first row is read again, clear of the border.
        use ColumnField::*;
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let columns = columns_of(&[Id, Title, PaTarget], 100.);
        let last_row = GridRow {
            cells: vec![(Id, "0090v2".into()), (PaTarget, "11/05/2020".into())],
            ..GridRow::default()
        };
        let id = crate::grammar::ids::parse_bare_mod_id(&Grammar::builtin().ids, "0090v2")
            .unwrap()
            .1;
        let mut table = OpenTable {
            kind: TableKind::Dcc(DccTable::Delivery),
            page: 12,
            columns: columns.clone(),
            last: Some(LastRow {
                row: last_row,
                id,
                page: 11,
                index: 0,
                diagnostics: 0..0,
            }),
            begun: Vec::new(),
        };
        let grid = Grid {
            columns,
            leading: vec![(Id, "Cogs".into()), (PaTarget, "08/01/2020".into())],
            leading_span: Some((120., 160.)),
            ..assessment_grid(&[])
        };
        let (mut dcc_status, mut assessments, mut diagnostics) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut bare_ids, mut unread_cells, mut lost_ids, mut retracted) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut out = TableOutput {
            dcc_status: &mut dcc_status,
            assessments: &mut assessments,
            diagnostics: &mut diagnostics,
            bare_ids: &mut bare_ids,
            unread_cells: &mut unread_cells,
            lost_ids: &mut lost_ids,
            retracted: &mut retracted,
        };
        continue_last_row(&ctx, &mut table, &grid, &mut out);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, DiagnosticCode::DccRowIdUnread);
        assert_eq!(unread_cells.len(), 1, "{unread_cells:?}");
        let cell = &unread_cells[0];
        assert_eq!(
            (cell.page, cell.x1, cell.top, cell.bottom),
            (12, 100., 120., 160.)
        );
        assert_eq!(cell.reading, CellReading::ReplaceWhereUnruled);
    }

    /// Columns of `fields`, `spacing` points apart from the page's left edge.
    fn columns_of(fields: &[ColumnField], spacing: f32) -> Columns {
        fields
            .iter()
            .enumerate()
            .map(|(k, &field)| crate::model::grid::Column {
                field,
                left: spacing * k as f32,
                header: String::new(),
            })
            .collect()
    }

    /// An assessment table's grid of rows (id, type, date, target, duration), unruled.
    fn assessment_grid(rows: &[[&str; 5]]) -> Grid {
        use ColumnField::*;
        let fields = [Id, Type, Date, Target, Duration];
        Grid {
            columns: columns_of(&fields, 100.),
            rows: rows
                .iter()
                .enumerate()
                .map(|(k, cells)| GridRow {
                    cells: fields
                        .iter()
                        .zip(cells)
                        .map(|(&f, c)| (f, c.to_string()))
                        .collect(),
                    anchor_line: k as u32 + 1,
                    top: 10. * k as f32,
                    bottom: 10. * k as f32 + 8.,
                    confidence: 1.,
                    id_lost: false,
                    room: (10. * k as f32 - 2., 10. * k as f32 + 10.),
                })
                .collect(),
            leading: Vec::new(),
            leading_span: None,
            has_header: true,
            ruled: false,
            rows_ruled: false,
        }
    }

    #[test]
    fn a_row_that_lost_its_title_or_status_asks_for_its_empty_cells_and_no_other_does() {
        // Generated scan 8801, page 11: the grey row `0184` read as its id and two dates.
        use ColumnField::*;
        let columns: Columns = [(Id, 0.), (Title, 60.), (Status, 160.), (PaRequest, 240.)]
            .iter()
            .map(|&(field, left)| crate::model::grid::Column {
                field,
                left,
                header: String::new(),
            })
            .collect();
        let row = |cells: &[(ColumnField, &str)]| GridRow {
            cells: cells.iter().map(|&(f, t)| (f, t.to_string())).collect(),
            anchor_line: 3,
            top: 40.,
            bottom: 48.,
            confidence: 1.,
            id_lost: false,
            room: (30., 70.),
        };
        let grey = row(&[(Id, "0184"), (PaRequest, "12/11/2021")]);
        let boxes: Vec<(f32, f32)> = empty_cell_boxes(11, &grey, &columns)
            .iter()
            .map(|c| (c.x0, c.x1))
            .collect();
        assert_eq!(boxes, [(60., 160.), (160., 240.)]);
        assert!(empty_cell_boxes(11, &grey, &columns)
            .iter()
            .all(|c| (c.page, c.top, c.bottom) == (11, 30., 70.)));
        // Anchored on its dates with nothing in its id column: its id cell too, in the room
        // where the page is not ruled, in the row's band where it is.
        let lost_id = GridRow {
            id_lost: true,
            ..row(&[(Title, "Changes"), (Status, "PA in progress")])
        };
        let asked: Vec<(f32, f32, CellReading)> = empty_cell_boxes(11, &lost_id, &columns)
            .iter()
            .map(|c| (c.x0, c.top, c.reading))
            .collect();
        assert_eq!(asked, [(0., 30., CellReading::ReplaceWhereUnruled)]);
        let in_band = id_cell_box(11, &lost_id, &columns).unwrap();
        assert_eq!(
            (in_band.top, in_band.reading),
            (40., CellReading::ReplaceWhereRuled)
        );
        // Its title and status read, an empty date cell is most often printed empty.
        let whole = row(&[
            (Id, "0186"),
            (Title, "Allowing"),
            (Status, "PA in progress"),
        ]);
        assert!(empty_cell_boxes(11, &whole, &columns).is_empty());
        // The last column runs to the page's edge.
        let no_date = row(&[(Id, "0186"), (PaRequest, "12/11/2021")]);
        let last = row(&[(Id, "0186"), (Title, "Allowing")]);
        assert_eq!(empty_cell_boxes(11, &no_date, &columns).len(), 2);
        assert_eq!(
            empty_cell_boxes(11, &last, &columns).last().map(|c| c.x1),
            Some(f32::MAX)
        );
    }

    #[test]
    fn columns_named_out_of_their_printed_order_are_no_table() {
        // The July 2020 fixture's delivery header, two lines of text: its second line's
        // `Target IA Actual IA` named columns left of the status.
        use ColumnField::*;
        let vocab = builtin_vocabulary();
        let layout = vocab
            .table_layout(TableKind::Dcc(crate::model::DccTable::Delivery))
            .unwrap();
        let grid_of = |fields: &[ColumnField]| Grid {
            columns: columns_of(fields, 50.),
            ..assessment_grid(&[])
        };
        assert!(in_printed_order(
            layout,
            &grid_of(&[Id, Title, Status, PaRequest, IaActual])
        ));
        assert!(!in_printed_order(
            layout,
            &grid_of(&[Id, Title, IaTarget, IaActual, Status, PaRequest])
        ));
    }

    #[test]
    fn an_assessment_row_without_its_type_or_actual_duration_is_that_rows_loss() {
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let kind = TableKind::Assessments(AssessmentTable::Returned);
        let whole = ["SECMP0017", "PA", "7 Sep 16", "15 WD", "40 WD"];
        // Generated scan 8001: `1A` read unsure (its type cell empty); an assessment not yet
        // delivered (no actual duration). The table reads.
        let grid = assessment_grid(&[
            whole,
            ["SECMP0021", "", "2 Mar 17", "40 WD", "130 WD"],
            ["SECMP0019", "PA", "7 Sep 16", "15 WD", ""],
            whole,
        ]);
        assert!(reads_well(&ctx, kind, &grid));
        // Cells not under their columns: a type beside the id, a duration in the date
        // column (the July 2020 fixture's table set as text).
        for misplaced in [
            ["SECMP0021 PA", "", "2 Mar 17", "40 WD", "130 WD"],
            ["SECMP0019", "PA", "7 Sep 16 15 WD", "40 WD", ""],
            // A duration's number in the column before its unit (generated scan 7603).
            ["SECMP0050", "PA", "2 Mar 18 15", "WD", "12 WD"],
        ] {
            let grid = assessment_grid(&[whole, misplaced, whole, whole]);
            assert!(!reads_well(&ctx, kind, &grid), "{misplaced:?}");
        }
    }

    #[test]
    fn an_assessment_date_cell_whose_day_ocr_lost_is_no_date() {
        // Generated scan 9904: `7 Dec 2021` read `Dec 2021` was taken as 1 December 2021.
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let date_of = |cell: &str| {
            let grid = assessment_grid(&[["MP177", "IA", cell, "25 Wd", "18 Wd"]]);
            let row = &grid.rows[0];
            let id = cell_id(&ctx, "MP177").unwrap();
            let at = row_provenance(4, row, &grid.columns);
            let table = AssessmentTable::Open;
            assessment(&ctx, table, row, &id, at, TableReading::Positions).and_then(|a| a.date)
        };
        assert_eq!(date_of("7 Dec 2021"), Date::new(2021, 12, 7));
        assert_eq!(date_of("Dec 2021"), None);
    }

    #[test]
    fn a_status_word_ocr_set_in_the_title_cell_goes_back_to_the_status() {
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let strayed = |title: &str, status: &str| {
            status_word_in_title(&ctx, title, status).map(|(w, s)| (w.to_string(), s.name()))
        };
        // Generated image-only scans 9000 and 9300, scan 9300.
        assert_eq!(
            strayed(
                "Self-Governance route for minor outstanding 'Housekeeping' changes",
                "No assessment request"
            ),
            Some(("outstanding".into(), "no_outstanding_request"))
        );
        assert_eq!(
            strayed(
                "Modification to Services Force implementation Majeure",
                "Pending"
            ),
            Some(("implementation".into(), "pending_implementation"))
        );
        // A quoted word is the title's own (`Amend Requirements to remove 'Pending' devices`),
        // and no word makes `IA in` a status.
        assert_eq!(
            strayed(
                "Amend Requirements to remove 'Pending' devices",
                "implementation"
            ),
            None
        );
        assert_eq!(strayed("Changes to the SEC", "IA in"), None);
    }

    #[test]
    fn a_word_of_marks_ocr_makes_of_specks_is_no_word_of_a_cell() {
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        // `notification * mechanism`, `into * the SEC` (generated scans 9505, 9000),
        // `Dormant = Meters` (9500), `~`, `°`; not the marks titles print.
        for speck in ["*", "=", "~", "°", "|", "®"] {
            assert!(is_speck(&ctx, speck), "{speck:?}");
        }
        for mark in ["-", "&", "/", "(NCC)", "-"] {
            assert!(!is_speck(&ctx, mark), "{mark:?}");
        }
    }

    #[test]
    fn an_id_cell_with_specks_beside_its_id_is_that_id() {
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let read = |cell: &str| cell_id(&ctx, cell).map(|m| m.id.to_string());
        // Generated scan 8002's id column: a speck read as a digit beside a printed id, a
        // mark glued before one.
        assert_eq!(read("~ MP132 2").as_deref(), Some("MP132"));
        assert_eq!(read("~MP110").as_deref(), Some("MP110"));
        assert_eq!(read("» MP113").as_deref(), Some("MP113"));
        // Generated scan 9300's: an opening quote before an id, a degree sign after one.
        assert_eq!(read("“0011").as_deref(), Some("MP011"));
        assert_eq!(read("0024°").as_deref(), Some("MP024"));
        // Two printed ids, or two numbers: two rows run together, no one id.
        assert_eq!(read("MP110 MP111"), None);
        assert_eq!(read("0117 0118"), None);
    }

    #[test]
    fn an_id_cell_ocr_read_with_letters_for_digits_is_the_id_repaired() {
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let read = |cell: &str| cell_id(&ctx, cell).map(|m| (m.id.to_string(), m.repaired));
        // Generated scan 7500's id column.
        assert_eq!(read("‘oO0i"), Some(("MP001".into(), true)));
        assert_eq!(read("oo11"), Some(("MP011".into(), true)));
        // As printed: no repair.
        assert_eq!(read("0011"), Some(("MP011".into(), false)));
        // Not ids: letters no digit is read as, no real digit, not zero-padded, too long.
        for cell in ["ooce", "one", "DOK", "Oils", "oooo", "1l11", "oo111"] {
            assert_eq!(read(cell), None, "{cell}");
        }
    }

    #[test]
    fn a_rows_end_on_the_next_page_is_judged_with_its_start() {
        // Generated report 7701: MP049 split across pages 14 and 15; page 15's part holds its
        // id, its title's last words and its comment's, its status and dates on page 14.
        let vocab = builtin_vocabulary();
        let ctx = context(&vocab);
        let header = [
            (10., 10., "SECMP#"),
            (60., 10., "Title"),
            (160., 10., "Status"),
            (240., 10., "Target PA Delivery Date"),
            (380., 10., "Comments"),
        ];
        let foot: Vec<Word> = words(
            &[
                header.as_slice(),
                &[
                    (60., 30., "Section D Review:"),
                    (160., 30., "Implemented"),
                    (240., 30., "09/03/2018"),
                    (380., 30., "Approved by"),
                ],
            ]
            .concat(),
        );
        let next: Vec<Word> = words(
            &[
                header.as_slice(),
                &[
                    (10., 30., "0049"),
                    (60., 30., "the Modification Process"),
                    (380., 30., "Self-Governance"),
                ],
            ]
            .concat(),
        );
        let page = |w: &[Word]| PageWords::new(600., 800., w.to_vec());
        let kind = TableKind::Dcc(DccTable::Delivery);
        let refs: Vec<&Word> = foot.iter().collect();
        let begun = grid_of_region(&ctx, kind, &refs, &page(&foot), (None, &[]))
            .expect("the row's start under its header")
            .leading;
        assert!(begun
            .iter()
            .any(|(f, t)| *f == ColumnField::Status && t == "Implemented"));
        let refs: Vec<&Word> = next.iter().collect();
        // Alone, the row has no status: it reads as a row cut at its status
        // ([`cut_at_its_status`]), its status nowhere.
        let alone = grid_of_region(&ctx, kind, &refs, &page(&next), (None, &[]))
            .expect("a row cut at its status");
        assert_eq!(alone.rows[0].cell(ColumnField::Status), "");
        let grid = grid_of_region(&ctx, kind, &refs, &page(&next), (None, &begun))
            .expect("with its start, the row reads");
        let mut row = grid.rows[0].clone();
        row.begin_with(&begun);
        assert_eq!(
            row.cell(ColumnField::Title),
            "Section D Review: the Modification Process"
        );
        assert_eq!(row.cell(ColumnField::PaTarget), "09/03/2018");
    }
}

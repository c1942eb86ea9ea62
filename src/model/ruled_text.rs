//! Appendix A tables printed as lines of text whose cells are ruled with `|`: a text export,
//! or a page that sets its table so (the May 2020 report's `| 0077 | DCC Service Flagging |
//! No outstanding assessment request | 06/11/2019 | 18/12/2019 |` / `31/12/2019 | | | |
//! Awaiting IA request |`). The rules say where each cell is; only where a line breaks does
//! a row go on below. The steps: header -> columns; anchor -> the row's text (its lines
//! joined) -> cells -> cells by column -> the typed row, which the tables read from positions
//! make from their cells alike ([`super::positioned::dcc_row`]).

use std::sync::Arc;

use super::grid::GridRow;
use super::layout::Line;
use super::records::{DccStatusRow, DccTable, Diagnostic, Provenance, TableReading};
use super::tables::{ruled_cells, RowId};
use super::vocabulary::{ColumnField, TableKind};
use super::ExtractContext;

/// A ruled table's columns, left to right from its first cell: what each cell between two
/// rules holds (`None` for a header cell that names no column).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RuledColumns(Vec<Option<ColumnField>>);

/// True for a cell of nothing but the marks OCR reads in a rule's place or beside it (`.`,
/// `’`): an empty cell, or no cell at all past a border (`| 19/06/2020 | | |.`, the May 2020
/// gaps scan).
fn is_blank_cell(cell: &str) -> bool {
    cell.chars().all(|c| {
        c.is_whitespace() || matches!(c, '.' | ',' | ':' | ';' | '-' | '_' | '\'' | '’' | '‘')
    })
}

/// The lines of a text row or header: `first`, then the non-blank lines below it that go on
/// with its rules, each joined with a space (a line breaks where a space was), while `more`
/// says the text so far lacks cells and `continues` takes the line.
fn joined_lines(
    first: &str,
    below: &[Line],
    more: impl Fn(&str) -> bool,
    continues: impl Fn(usize, &Line) -> bool,
) -> (String, usize) {
    let mut text = first.to_string();
    let mut taken = 0;
    for (k, line) in below.iter().enumerate() {
        if !more(&text) {
            break;
        }
        if line.is_blank() {
            continue;
        }
        if !line.plain().contains('|') || !continues(k, line) {
            break;
        }
        text.push(' ');
        text.push_str(line.plain());
        taken = k + 1;
    }
    (text, taken)
}

/// A ruled header at line `i` of `lines`: its columns and how many lines it spans. It is a
/// ruled line of no row whose cells name two columns of the table or more, with the ruled
/// lines of header words below it that the page wrapped it onto (`| SECMP# | Title | ... |
/// Target PA Delivery Date |` / `Actual PA Delivery Date | ... | Actual IA Delivery Date` /
/// `| Comments |`). `starts_row` says which lines start a row.
pub(super) fn ruled_header(
    ctx: &ExtractContext,
    table: DccTable,
    lines: &[Line],
    i: usize,
    starts_row: impl Fn(usize) -> bool,
) -> Option<(RuledColumns, usize)> {
    let first = lines[i].plain();
    ruled_cells(first)?;
    let layout = ctx.vocab.table_layout(TableKind::Dcc(table))?;
    let of_header_words = |text: &str| {
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == '|')
            .filter(|w| !w.is_empty())
            .collect();
        2 * words.iter().filter(|w| layout.is_header_word(w)).count() >= words.len()
    };
    if !of_header_words(first) {
        return None;
    }
    let (text, taken) = joined_lines(
        first,
        &lines[i + 1..],
        |_| true,
        |k, line| {
            let s = &line.structure;
            !starts_row(i + 1 + k)
                && s.section.is_none()
                && s.dcc_table.is_none()
                && of_header_words(line.plain())
        },
    );
    // A header has no empty cell: an empty one is the borders', or a rule OCR made of a
    // letter (`Actual PA Delivery Date'| |A WG Request`, the May 2020 scan).
    let cells = ruled_cells(&text)?
        .into_iter()
        .filter(|c| !is_blank_cell(c));
    let mut columns: Vec<Option<ColumnField>> = cells.map(|c| layout.field_of(c)).collect();
    fill_from_printed_order(&mut columns, layout.order());
    let named = columns.iter().flatten().count();
    (named >= 2 && columns.contains(&Some(ColumnField::Id)))
        .then_some((RuledColumns(columns), 1 + taken))
}

/// Names the header cells that name no column (OCR garbled them: `A WG Request Accepted
/// Date`, its `I` read as a rule) by the order the table prints its columns in, where the
/// header has as many cells as that order and each cell that names a column stands where
/// the order has it.
fn fill_from_printed_order(columns: &mut [Option<ColumnField>], order: &[ColumnField]) {
    let in_order = columns.len() == order.len()
        && columns
            .iter()
            .zip(order)
            .all(|(c, o)| c.is_none_or(|c| c == *o));
    if in_order {
        for (c, o) in columns.iter_mut().zip(order) {
            *c = Some(*o);
        }
    }
}

/// A table's columns in the order it prints them, where no ruled header was read (OCR lost
/// it, or the rows go on under a page's heading alone).
fn printed_order(ctx: &ExtractContext, table: DccTable) -> Option<RuledColumns> {
    let layout = ctx.vocab.table_layout(TableKind::Dcc(table))?;
    let order = layout.order();
    (!order.is_empty()).then(|| RuledColumns(order.iter().copied().map(Some).collect()))
}

/// The cells of a row whose id cell is at `id_cell` of `cells`, each with its column: one
/// for one from the id's column, what stands after the closing border (nothing, or marks)
/// left out. `None` when they are not as many as the columns (a rule OCR lost or added: the
/// row is read as text).
fn cells_by_column(
    columns: &RuledColumns,
    cells: &[&str],
    id_cell: usize,
) -> Option<Vec<(ColumnField, String)>> {
    let id_column = columns.0.iter().position(|c| *c == Some(ColumnField::Id))?;
    let mut row = cells.get(id_cell..)?;
    let wanted = columns.0.len() - id_column;
    // (Always: a row whose last cell is empty keeps its closing border, or is not placed.)
    if row.last().is_some_and(|c| is_blank_cell(c)) {
        row = &row[..row.len() - 1];
    }
    (row.len() == wanted).then(|| {
        columns.0[id_column..]
            .iter()
            .zip(row)
            .filter_map(|(field, cell)| {
                let cell = if is_blank_cell(cell) { "" } else { *cell };
                field.map(|f| (f, cell.to_string()))
            })
            .collect()
    })
}

/// Whether a cell holds what its column does: a date column a date or nothing, a status
/// cell no date. A rule OCR lost between two cells, where the row ends on an empty cell,
/// leaves as many cells as columns, but one holds two columns' words (`| Implemented
/// 17/03/2020 | 02/03/2020 |`): the row is not placed cell for cell.
fn fits(ctx: &ExtractContext, field: ColumnField, cell: &str) -> bool {
    if field.holds_dates() {
        return super::positioned::date_cell(ctx, cell).is_ok();
    }
    field != ColumnField::Status
        || crate::grammar::dates::numeric_dates_in(&ctx.grammar.dates, cell)
            .next()
            .is_none()
}

/// An Appendix A row printed as ruled text: `rows` from its anchor line up to the next row's,
/// its cells placed by `columns` (the table's ruled header) or, without one, by the order the
/// table prints its columns in. `None` when the anchor is not ruled or its cells do not fall
/// one for one into the columns: the row is then read as text.
pub(super) fn read_ruled_row(
    ctx: &ExtractContext,
    table: DccTable,
    columns: Option<&RuledColumns>,
    rows: &[Line],
    row_id: &RowId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<DccStatusRow> {
    let anchor = rows.first()?;
    ruled_cells(anchor.plain())?;
    let printed;
    let columns = match columns {
        Some(c) => c,
        None => {
            printed = printed_order(ctx, table)?;
            &printed
        }
    };
    // The id's cell: the rules before its end.
    let id_cell = anchor.plain()[..row_id.rest_at].matches('|').count();
    let id_column = columns.0.iter().position(|c| *c == Some(ColumnField::Id))?;
    // The cells up to the id's, its columns' and the closing border's empty cell.
    let wanted = id_cell + (columns.0.len() - id_column) + 1;
    let (text, _) = joined_lines(
        anchor.plain(),
        rows.get(1..).unwrap_or_default(),
        // (A text of n rules holds n + 1 cells.)
        |text| text.matches('|').count() + 1 < wanted,
        |_, _| true,
    );
    let cells = ruled_cells(&text)?;
    let cells = cells_by_column(columns, &cells, id_cell)?;
    if !cells.iter().all(|(field, cell)| fits(ctx, *field, cell)) {
        return None;
    }
    let grid_row = GridRow {
        cells,
        anchor_line: anchor.line,
        confidence: 1.0,
        ..GridRow::default()
    };
    let at = Provenance {
        page: anchor.page,
        line: anchor.line,
        snippet: Arc::from(text.trim()),
    };
    let row = super::positioned::dcc_row(
        ctx,
        table,
        &grid_row,
        &row_id.id,
        at,
        TableReading::RuledText,
        diagnostics,
    );
    Some(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_cells_fall_into_the_columns_one_for_one_from_its_ids() {
        use ColumnField::*;
        let columns = RuledColumns(vec![Some(Id), Some(Title), None, Some(Status)]);
        let by_column = |text: &str, id_cell| {
            cells_by_column(
                &columns,
                &text.split('|').map(str::trim).collect::<Vec<_>>(),
                id_cell,
            )
            .map(|cells| {
                cells
                    .into_iter()
                    .map(|(f, c)| (f.name(), c))
                    .collect::<Vec<_>>()
            })
        };
        let read = Some(vec![
            ("id", "0058".to_string()),
            ("title", "Changes".to_string()),
            ("status", "Implemented".to_string()),
        ]);
        // Borders, or marks OCR read in a border's place (`]-0058.|.Changes`, the May 2020
        // scan); a cell that names no column is skipped.
        assert_eq!(by_column("| 0058 | Changes | x | Implemented |", 1), read);
        assert_eq!(by_column("0058 | Changes | x | Implemented |.", 0), read);
        assert_eq!(by_column("| 0058 | Changes | x | Implemented", 1), read);
        // A rule lost: a cell too few, however the row ends.
        assert_eq!(by_column("| 0058 | Changes x | Implemented |", 1), None);
        assert_eq!(by_column("| 0058 | Changes x | |", 1), None);
        // A cell of marks alone is empty.
        assert_eq!(
            by_column("| 0058 | ’ | x | Implemented |", 1).unwrap()[1],
            ("title", String::new())
        );
        // A rule too few or too many: not placed.
        assert_eq!(by_column("| 0058 | Changes x | Implemented |", 1), None);
        assert_eq!(
            by_column("| 0058 | Changes | x | y | Implemented |", 1),
            None
        );
    }

    #[test]
    fn a_cell_of_marks_alone_is_blank() {
        assert!(is_blank_cell(" .’ "));
        assert!(!is_blank_cell("N/A"));
    }
}

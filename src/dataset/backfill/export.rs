//! A register export read: its rows, numbered as a spreadsheet numbers them, and which column
//! holds which field, recognised by the header's words (`Mod`, `Reference`, `Title`,
//! `Status`/`Stage`/`Phase`, `Proposer`, `Raised`/`Date raised`, `Implementation`, `Release`)
//! or named by `--columns field=Header`.

use std::path::{Path, PathBuf};

use super::{BackfillField, RegisterDiagnostic, RegisterProblem};
use crate::grammar::text::plain_quotes_and_dashes;
use crate::named::Named;

/// A column of the export: the modification's id, or a field compared with the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegisterColumn {
    /// The modification's id (`SECMP0007`, `MP007`, `DP007`).
    Id,
    /// A field.
    Field(BackfillField),
}

impl RegisterColumn {
    /// The column a `--columns` key names: `mod` (or `id`) or a field's name.
    fn from_key(key: &str) -> Option<RegisterColumn> {
        match key.trim() {
            "mod" | "id" | "mod_id" => Some(RegisterColumn::Id),
            other => BackfillField::from_name(other).map(RegisterColumn::Field),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            RegisterColumn::Id => "the id",
            RegisterColumn::Field(f) => f.name(),
        }
    }
}

/// Why an export could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The export.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A spreadsheet workbook, which this build does not read.
    #[error("{path}: a spreadsheet workbook; save the register as CSV (UTF-8) and give that")]
    Workbook {
        /// The export.
        path: PathBuf,
    },
    /// No column holds the modifications' ids.
    #[error("{path}: no column is the modification id (headers: {headers}); name it with --columns mod=HEADER")]
    NoIdColumn {
        /// The export.
        path: PathBuf,
        /// The headers as printed.
        headers: String,
    },
    /// A `--columns` entry that is not `field=Header` with a known field.
    #[error("--columns {spec:?}: {reason}")]
    BadChoice {
        /// The entry as given.
        spec: String,
        /// Why.
        reason: String,
    },
    /// A `--columns` header that the export does not have.
    #[error("{path}: --columns names the header {header:?}, which is not in the export (headers: {headers})")]
    NoSuchHeader {
        /// The export.
        path: PathBuf,
        /// The header named.
        header: String,
        /// The headers as printed.
        headers: String,
    },
}

/// The columns named on the command line (`--columns title="Mod Name",stage=Where`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnChoice {
    named: Vec<(RegisterColumn, String)>,
}

impl ColumnChoice {
    /// Reads `field=Header` entries; fields are `mod` and the `backfill.field` names.
    pub fn parse(specs: &[String]) -> Result<ColumnChoice, ExportError> {
        let mut named = Vec::new();
        for spec in specs.iter().filter(|s| !s.trim().is_empty()) {
            let bad = |reason: String| ExportError::BadChoice {
                spec: spec.clone(),
                reason,
            };
            let (key, header) = spec
                .split_once('=')
                .ok_or_else(|| bad("not field=Header".into()))?;
            let column = RegisterColumn::from_key(key).ok_or_else(|| {
                bad(format!(
                    "{key:?} is not mod or one of {}",
                    BackfillField::names().join(", ")
                ))
            })?;
            named.push((column, header.trim().to_string()));
        }
        Ok(ColumnChoice { named })
    }
}

/// One data row of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Its row as a spreadsheet numbers it (the header is row 1).
    pub row: u32,
    /// Its cells, trimmed, in the header's order.
    pub cells: Vec<String>,
}

/// A register export: its headers, the columns recognised, its rows.
#[derive(Debug, Clone)]
pub struct RegisterExport {
    /// The export as given.
    pub source_file: String,
    /// The headers as printed.
    pub headers: Vec<String>,
    /// Which column holds what: the id and each field found, by position.
    pub columns: Vec<(RegisterColumn, usize)>,
    /// The data rows.
    pub rows: Vec<ExportRow>,
    /// What could not be read of the file itself (headers, records).
    pub diagnostics: Vec<RegisterDiagnostic>,
}

impl RegisterExport {
    /// Reads an export: CSV in UTF-8 (with or without a byte order mark), UTF-16 with a byte
    /// order mark, or Windows-1252 (what Excel writes as "CSV" on Windows).
    pub fn read(path: &Path, choice: &ColumnChoice) -> Result<RegisterExport, ExportError> {
        let workbook = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "xlsx" | "xlsm" | "xls" | "ods"
            )
        });
        if workbook {
            return Err(ExportError::Workbook {
                path: path.to_path_buf(),
            });
        }
        let bytes = std::fs::read(path).map_err(|source| ExportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_text(&path.display().to_string(), &decode(&bytes), choice)
    }

    /// Reads an export from its text; `source_file` names it in diagnostics.
    pub fn from_text(
        source_file: &str,
        text: &str,
        choice: &ColumnChoice,
    ) -> Result<RegisterExport, ExportError> {
        let (records, mut diagnostics) = records(source_file, text);
        let path = PathBuf::from(source_file);
        let Some(header_at) = header_record(&records, choice) else {
            let headers = records
                .first()
                .map(|r| r.cells.join(", "))
                .unwrap_or_default();
            return Err(ExportError::NoIdColumn { path, headers });
        };
        let header = &records[header_at];
        let (columns, header_problems) = recognise_columns(source_file, header, choice)?;
        diagnostics.extend(header_problems);
        let rows = records[header_at + 1..]
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .cloned()
            .collect();
        Ok(RegisterExport {
            source_file: source_file.to_string(),
            headers: header.cells.clone(),
            columns,
            rows,
            diagnostics,
        })
    }

    /// The fields the export has a column for, in the fields' order.
    pub fn fields(&self) -> Vec<BackfillField> {
        let mut fields: Vec<BackfillField> = self
            .columns
            .iter()
            .filter_map(|(c, _)| match c {
                RegisterColumn::Field(f) => Some(*f),
                RegisterColumn::Id => None,
            })
            .collect();
        fields.sort();
        fields
    }

    /// The position of a column, if the export has it.
    pub fn position(&self, column: RegisterColumn) -> Option<usize> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|&(_, i)| i)
    }
}

/// The characters Windows-1252 puts at 0x80-0x9F (where Latin-1 has control codes); the
/// other bytes are Latin-1. Undefined bytes are U+FFFD.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
    '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{fffd}',
    'ž', 'Ÿ',
];

/// The export's bytes as text: UTF-8 (a byte order mark dropped) when it is valid, UTF-16
/// by its byte order mark, else Windows-1252 (Excel's "CSV" on Windows prints `–` and `’` as
/// single bytes 0x96, 0x92).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |little: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| {
                if little {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xff, 0xfe, ..] => return utf16(true),
        [0xfe, 0xff, ..] => return utf16(false),
        _ => {}
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// A CSV reader's state between two characters.
#[derive(Debug, Default)]
struct RecordReader {
    records: Vec<ExportRow>,
    cells: Vec<String>,
    cell: String,
    /// In a quoted cell.
    quoted: bool,
    /// The row the record being read started on.
    started: u32,
    /// Rows so far (a line break outside quotes ends one).
    row: u32,
}

impl RecordReader {
    fn end_cell(&mut self) {
        self.cells.push(self.cell.trim().to_string());
        self.cell.clear();
    }

    fn end_record(&mut self) {
        self.end_cell();
        let cells = std::mem::take(&mut self.cells);
        // A blank line is a row of the sheet, and no record.
        if cells.len() > 1 || !cells[0].is_empty() {
            self.records.push(ExportRow {
                row: self.started,
                cells,
            });
        }
        self.row += 1;
        self.started = self.row;
    }
}

/// Every record of the file (RFC 4180: commas, cells in double quotes with `""` for a quote,
/// line breaks inside quotes), numbered as a spreadsheet numbers its rows: a blank line is a
/// row, a line break inside a quoted cell is not. A quote left open at the end is a
/// diagnostic at the row it opened on (the rest of the file was read into that cell).
fn records(source_file: &str, text: &str) -> (Vec<ExportRow>, Vec<RegisterDiagnostic>) {
    let mut r = RecordReader {
        row: 1,
        started: 1,
        ..RecordReader::default()
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (r.quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                r.cell.push('"');
            }
            (true, '"') => r.quoted = false,
            (true, c) => r.cell.push(c),
            (false, '"') if r.cell.trim().is_empty() => {
                r.cell.clear();
                r.quoted = true;
            }
            (false, ',') => r.end_cell(),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => r.end_record(),
            (false, c) => r.cell.push(c),
        }
    }
    let mut problems = Vec::new();
    if r.quoted {
        problems.push(RegisterDiagnostic {
            source_file: source_file.to_string(),
            row: r.started,
            field: None,
            header: None,
            value: None,
            code: RegisterProblem::RowUnread,
            message: "a quoted cell opened on this row is never closed: the rest of the file is read as that cell".to_string(),
        });
    }
    if !r.cell.is_empty() || !r.cells.is_empty() {
        r.end_record();
    }
    (r.records, problems)
}

/// The header's words: plain quotes and dashes, lower case, split at anything not a letter
/// or digit (`Date Raised`, `date_raised` and `Date-raised` are one header).
fn header_words(header: &str) -> Vec<String> {
    plain_quotes_and_dashes(header)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The column a header's words name. Checked in this order, because headers share words:
/// `Proposer organisation` is the organisation, `Raised by` the proposer, `Date raised` the
/// raised date, `Implementation release` the release, `Modification title` the title and
/// `Modification` alone the id.
pub fn recognise(header: &str) -> Option<RegisterColumn> {
    use BackfillField::*;
    let words = header_words(header);
    let has = |w: &str| words.iter().any(|x| x == w);
    let starts = |p: &str| words.iter().any(|x| x.starts_with(p));
    let field = if has("organisation") || has("organization") || has("company") {
        Organisation
    } else if has("proposer") || ((has("raised") || has("proposed")) && has("by")) {
        Proposer
    } else if has("raised") || has("proposed") {
        RaisedDate
    } else if has("release") {
        Release
    } else if starts("implement") {
        ImplementedDate
    } else if (has("decision") || has("outcome")) && !has("date") && !has("body") {
        Decision
    } else if has("status") || has("stage") || has("phase") || has("state") {
        Stage
    } else if has("title") || has("name") || has("description") {
        Title
    } else if [
        "mod",
        "modification",
        "reference",
        "ref",
        "id",
        "secmp",
        "mp",
        "number",
        "no",
    ]
    .iter()
    .any(|w| has(w))
        || header.trim() == "#"
    {
        return Some(RegisterColumn::Id);
    } else {
        return None;
    };
    Some(RegisterColumn::Field(field))
}

/// The header record: of the first ten, the one with the most cells that name a column,
/// one of them the id (an export may print a title line above its header, and a title may
/// hold a header word: "Modification Register export").
fn header_record(records: &[ExportRow], choice: &ColumnChoice) -> Option<usize> {
    let named = |cell: &str| {
        choice
            .named
            .iter()
            .find(|(_, h)| h.to_lowercase() == cell.to_lowercase())
            .map(|&(c, _)| c)
    };
    let column = |cell: &String| named(cell).or_else(|| recognise(cell));
    let scored = records.iter().take(10).enumerate().filter_map(|(i, r)| {
        let columns: Vec<RegisterColumn> = r.cells.iter().filter_map(column).collect();
        columns
            .contains(&RegisterColumn::Id)
            .then_some((columns.len(), std::cmp::Reverse(i)))
    });
    scored.max().map(|(_, std::cmp::Reverse(i))| i)
}

/// Which column holds what: first the columns `--columns` names, then each header's words;
/// a header that names nothing, or a field an earlier column already holds, is a diagnostic.
fn recognise_columns(
    source_file: &str,
    header: &ExportRow,
    choice: &ColumnChoice,
) -> Result<(Vec<(RegisterColumn, usize)>, Vec<RegisterDiagnostic>), ExportError> {
    let mut columns: Vec<(RegisterColumn, usize)> = Vec::new();
    for (column, wanted) in &choice.named {
        let at = header
            .cells
            .iter()
            .position(|h| h.to_lowercase() == wanted.to_lowercase())
            .ok_or_else(|| ExportError::NoSuchHeader {
                path: PathBuf::from(source_file),
                header: wanted.clone(),
                headers: header.cells.join(", "),
            })?;
        columns.retain(|(c, _)| c != column);
        columns.push((*column, at));
    }
    let mut problems = Vec::new();
    for (at, text) in header.cells.iter().enumerate() {
        if text.is_empty() || columns.iter().any(|&(_, i)| i == at) {
            continue;
        }
        let problem = |message: String| RegisterDiagnostic {
            source_file: source_file.to_string(),
            row: header.row,
            field: None,
            header: Some(text.clone()),
            value: None,
            code: RegisterProblem::HeaderUnrecognised,
            message,
        };
        match recognise(text) {
            Some(c) if columns.iter().any(|(held, _)| *held == c) => {
                let (_, first) = columns.iter().find(|(held, _)| *held == c).unwrap();
                problems.push(problem(format!(
                    "reads as {} too; the column {:?} is used (name another with --columns)",
                    c.describe(),
                    header.cells[*first]
                )));
            }
            Some(c) => columns.push((c, at)),
            None => problems.push(problem(
                "names no field of the register; not compared (name it with --columns field=HEADER)"
                    .to_string(),
            )),
        }
    }
    if !columns.iter().any(|(c, _)| *c == RegisterColumn::Id) {
        return Err(ExportError::NoIdColumn {
            path: PathBuf::from(source_file),
            headers: header.cells.join(", "),
        });
    }
    columns.sort();
    Ok((columns, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_by_their_words() {
        use BackfillField::*;
        let f = |h: &str| recognise(h);
        assert_eq!(f("Mod Ref"), Some(RegisterColumn::Id));
        assert_eq!(f("Reference"), Some(RegisterColumn::Id));
        assert_eq!(f("Modification"), Some(RegisterColumn::Id));
        assert_eq!(f("Modification Title"), Some(RegisterColumn::Field(Title)));
        assert_eq!(f("Current Phase"), Some(RegisterColumn::Field(Stage)));
        assert_eq!(f("Status"), Some(RegisterColumn::Field(Stage)));
        assert_eq!(f("Raised by"), Some(RegisterColumn::Field(Proposer)));
        assert_eq!(f("Date raised"), Some(RegisterColumn::Field(RaisedDate)));
        assert_eq!(f("date_raised"), Some(RegisterColumn::Field(RaisedDate)));
        assert_eq!(
            f("Proposer organisation"),
            Some(RegisterColumn::Field(Organisation))
        );
        assert_eq!(
            f("Implementation Date"),
            Some(RegisterColumn::Field(ImplementedDate))
        );
        assert_eq!(
            f("Implementation Release"),
            Some(RegisterColumn::Field(Release))
        );
        assert_eq!(f("Decision"), Some(RegisterColumn::Field(Decision)));
        assert_eq!(f("Decision date"), None);
        assert_eq!(f("Comments"), None);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_numbers_them() {
        let text = "Mod,Title\nMP001,\"two\nlines\"\n\nMP002,x\n";
        let (rows, problems) = records("r.csv", text);
        assert!(problems.is_empty());
        let numbered: Vec<(u32, &str)> =
            rows.iter().map(|r| (r.row, r.cells[0].as_str())).collect();
        // The blank line is row 4 (the csv reader skips it); the quoted line break is no row.
        assert_eq!(numbered, [(1, "Mod"), (2, "MP001"), (4, "MP002")]);
    }

    #[test]
    fn a_quote_never_closed_is_a_diagnostic_at_its_row() {
        let (rows, problems) = records("r.csv", "Mod,Title\nMP001,ok\nMP002,\"open\nMP003,x\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].cells[1], "open\nMP003,x");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].row, problems[0].code),
            (3, RegisterProblem::RowUnread)
        );
        let (rows, _) = records("r.csv", "a,\"say \"\"hi\"\"\",c\r\nd");
        assert_eq!(rows[0].cells, ["a", "say \"hi\"", "c"]);
        assert_eq!((rows[1].row, rows[1].cells[0].as_str()), (2, "d"));
    }

    #[test]
    fn named_columns_win_and_unknown_headers_are_diagnostics() {
        let choice = ColumnChoice::parse(&["title=What".to_string()]).unwrap();
        let text = "Register export 2026\nRef,What,Colour\nMP001,a,b\n";
        let export = RegisterExport::from_text("r.csv", text, &choice).unwrap();
        assert_eq!(
            export.position(RegisterColumn::Field(BackfillField::Title)),
            Some(1)
        );
        assert_eq!(export.rows.len(), 1);
        assert_eq!(export.rows[0].row, 3);
        assert_eq!(export.diagnostics.len(), 1);
        assert_eq!(export.diagnostics[0].header.as_deref(), Some("Colour"));
        assert!(ColumnChoice::parse(&["colour=X".to_string()]).is_err());
        let missing = ColumnChoice::parse(&["title=Nope".to_string()]).unwrap();
        assert!(matches!(
            RegisterExport::from_text("r.csv", text, &missing),
            Err(ExportError::NoSuchHeader { .. })
        ));
    }

    #[test]
    fn windows_1252_is_read_when_the_file_is_not_utf8() {
        assert_eq!(decode(b"Alt HAN \x96 P2P"), "Alt HAN \u{2013} P2P");
        assert_eq!(decode("\u{feff}Mod".as_bytes()), "Mod");
    }
}

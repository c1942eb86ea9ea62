//! Back-fill: an export of the live Modification Register (one row per modification, with
//! gaps and stale values) reconciled with the archive's register, field by field, with the
//! archive's evidence to paste in.
//!
//! One module a step: [`export`] reads the export's rows and recognises its columns by their
//! header words; [`values`] reads each value through the reports' own grammars (ids, dates,
//! statuses); [`stage_words`] is the one table of the register's stage words; [`archive`]
//! reads the archive's side from the tables an ingest wrote; [`compare`] gives each
//! (modification, field) its verdict.

pub mod archive;
pub(crate) mod compare;
pub mod export;
pub mod stage_words;
pub(crate) mod values;

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::{DataFrame, PolarsResult};

use super::frames::TableBuilder;
use super::schema::{self, Table};
use crate::grammar::{Date, Grammar, ModId};
use crate::named::named_enum;
pub use archive::{Archive, ArchiveError};
pub use export::{ColumnChoice, ExportError, RegisterExport};

named_enum! {
    /// A field of the register that the back-fill compares (the `field` column), in the
    /// order its rows are listed.
    pub enum BackfillField {
        /// The modification's title.
        Title = "title",
        /// Its stage (the register's status, stage or phase).
        Stage = "stage",
        /// Who raised it.
        Proposer = "proposer",
        /// The proposer's organisation.
        Organisation = "organisation",
        /// When it was raised.
        RaisedDate = "raised_date",
        /// The latest decision (approved, rejected, sent back).
        Decision = "decision",
        /// When it was implemented.
        ImplementedDate = "implemented_date",
        /// The SEC release it was or will be implemented in.
        Release = "release",
    }
}

named_enum! {
    /// What the archive says of a register value (the `verdict` column).
    pub enum Verdict {
        /// Both give it, and they agree (after normalising the way it is printed).
        Agrees = "agrees",
        /// The register is blank where the archive has a value: one to fill in.
        RegisterEmpty = "register_empty",
        /// The register has a value the archive does not give.
        ArchiveEmpty = "archive_empty",
        /// They disagree: one to check.
        Differs = "differs",
        /// The modification is not in the archive.
        NotInArchive = "not_in_archive",
        /// The modification is in the archive but not in the export.
        NotInRegister = "not_in_register",
        /// The register's value could not be read (a row of `backfill_diagnostics` says why).
        Unreadable = "unreadable",
    }
}

named_enum! {
    /// Why a register value could not be read (the `backfill_diagnostics.code` column).
    pub enum RegisterProblem {
        /// The row has no id: it is not compared.
        IdMissing = "id_missing",
        /// The row's id is not a modification id: it is not compared.
        IdUnread = "id_unread",
        /// A value is not what its column holds (a date that is no date, an unknown stage).
        ValueUnread = "value_unread",
        /// A second row for a modification already listed (both are compared).
        DuplicateId = "duplicate_id",
        /// A quoted cell never closed: the rest of the file was read into it.
        RowUnread = "row_unread",
        /// A column whose header names no field (not compared).
        HeaderUnrecognised = "header_unrecognised",
    }
}

/// Where the archive says what it says: a report's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The report's date.
    pub report_date: Option<Date>,
    /// The report file.
    pub source_file: String,
    /// 1-based page.
    pub page: Option<u32>,
    /// 1-based line within the page.
    pub line: Option<u32>,
    /// The line as read.
    pub snippet: Option<String>,
    /// The evidence row's confidence, where its table has one.
    pub confidence: Option<f32>,
}

/// A row of the `backfill` table.
#[derive(Debug, Clone, PartialEq)]
pub struct BackfillRow {
    /// The register's id.
    pub mod_id: ModId,
    /// The field compared.
    pub field: BackfillField,
    /// What the archive says of it.
    pub verdict: Verdict,
    /// The export's value, as printed.
    pub register_value: Option<String>,
    /// The archive's value.
    pub archive_value: Option<String>,
    /// The export's row (the header is row 1).
    pub register_row: Option<u32>,
    /// The archive's evidence.
    pub evidence: Option<Evidence>,
    /// Why the verdict, where it is not plain.
    pub note: Option<String>,
}

/// A row of the `backfill_diagnostics` table: a register value that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterDiagnostic {
    /// The export as given.
    pub source_file: String,
    /// The export's row (the header is row 1).
    pub row: u32,
    /// The field the value was read for.
    pub field: Option<BackfillField>,
    /// The column's header as printed.
    pub header: Option<String>,
    /// The value as printed.
    pub value: Option<String>,
    /// A stable code.
    pub code: RegisterProblem,
    /// What happened, in words.
    pub message: String,
}

/// A register export reconciled with the archive.
#[derive(Debug, Clone, Default)]
pub struct Backfill {
    /// One row per modification and field, by id then field.
    pub rows: Vec<BackfillRow>,
    /// Every value of the export that could not be read, by row.
    pub diagnostics: Vec<RegisterDiagnostic>,
    /// The fields the export has a column for.
    pub fields: Vec<BackfillField>,
    /// Data rows in the export.
    pub register_rows: usize,
}

impl Backfill {
    /// Rows by field and verdict.
    pub fn counts(&self) -> BTreeMap<(BackfillField, Verdict), usize> {
        let mut counts = BTreeMap::new();
        for r in &self.rows {
            *counts.entry((r.field, r.verdict)).or_default() += 1;
        }
        counts
    }

    /// The modifications with a field that differs, most differences first (then by id), each
    /// with the fields that differ.
    pub fn most_differences(&self) -> Vec<(ModId, Vec<BackfillField>)> {
        let mut differing: BTreeMap<&ModId, Vec<BackfillField>> = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.verdict == Verdict::Differs) {
            differing.entry(&r.mod_id).or_default().push(r.field);
        }
        let mut list: Vec<(ModId, Vec<BackfillField>)> = differing
            .into_iter()
            .map(|(id, fields)| (id.clone(), fields))
            .collect();
        list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        list
    }

    /// The `backfill` and `backfill_diagnostics` tables as frames, by table name.
    pub fn frames(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let mut rows = TableBuilder::new(Table::Backfill);
        let fields = schema::backfill();
        for r in &self.rows {
            rows.push(&fields, &(), r);
        }
        let mut problems = TableBuilder::new(Table::BackfillDiagnostics);
        let fields = schema::backfill_diagnostics();
        for d in &self.diagnostics {
            problems.push(&fields, &(), d);
        }
        Ok(vec![
            (Table::Backfill.name(), rows.into_frame()?),
            (Table::BackfillDiagnostics.name(), problems.into_frame()?),
        ])
    }
}

/// Reads a register export and reconciles it with the archive in `tables` (the folder an
/// ingest wrote).
pub fn backfill(
    grammar: &Grammar,
    register: &Path,
    choice: &ColumnChoice,
    tables: &Path,
) -> Result<Backfill, BackfillError> {
    let export = RegisterExport::read(register, choice)?;
    let archive = Archive::read(grammar, tables)?;
    Ok(reconcile(grammar, &export, &archive))
}

/// The export's rows read and compared with the archive, field by field.
pub fn reconcile(grammar: &Grammar, export: &RegisterExport, archive: &Archive) -> Backfill {
    let (entries, mut diagnostics) = values::read_entries(grammar, export);
    let fields = export.fields();
    let mut rows = compare::compare_all(grammar, &entries, &fields, archive);
    rows.sort_by(|a, b| {
        (&a.mod_id, a.field, a.register_row).cmp(&(&b.mod_id, b.field, b.register_row))
    });
    diagnostics.extend(export.diagnostics.iter().cloned());
    diagnostics.sort_by_key(|d| (d.row, d.field));
    Backfill {
        rows,
        diagnostics,
        fields,
        register_rows: export.rows.len(),
    }
}

/// Why a back-fill could not run at all (a bad value is a diagnostic, never this).
#[derive(Debug, thiserror::Error)]
pub enum BackfillError {
    /// The export could not be read.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The archive's tables could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

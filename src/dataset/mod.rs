//! The dataset: every report's records as rows of the output tables.
//!
//! Reports are added one at a time as the pipeline finishes them (their text is gone by
//! then); the frames are built once at the end.
//!
//! Depends on `model` and `grammar`.

pub mod backfill;
pub(crate) mod changes;
pub(crate) mod frames;
pub(crate) mod history;
pub(crate) mod register;
pub mod schema;

use polars::prelude::{DataFrame, PolarsResult};

use crate::model::{Diagnostic, DiagnosticCode, ReportRecords, Severity};
use crate::named::named_enum;
use crate::reading::TextSource;
use frames::TableBuilder;
use schema::{Field, Source, Table};

named_enum! {
    /// How reading one input file went (the `reports.status` column).
    pub enum ReportStatus {
        /// Read, with no problem.
        Ok = "ok",
        /// Read with problems (see `error` and the diagnostics).
        Partial = "partial",
        /// Not read (see `error`).
        Failed = "failed",
        /// A PDF with no text: it needs OCR.
        NoTextLayer = "no_text_layer",
        /// Not read: not a report file, or the same bytes as another input.
        Skipped = "skipped",
    }
}

/// What the pipeline knows about one input file besides its records.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// The first 16 hex digits of the file's SHA-256.
    pub report_id: String,
    /// The input path as given.
    pub source_file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The file's size.
    pub bytes: u64,
    /// Pages read.
    pub pages: u32,
    /// Where the text came from.
    pub text_source: Option<TextSource>,
    /// How reading it went.
    pub status: ReportStatus,
    /// Why it failed or was partial.
    pub error: Option<String>,
    /// Time spent on the file.
    pub millis: u32,
    /// The mean word confidence of the OCR'd pages (0..1), when pages were OCR'd.
    pub ocr_confidence: Option<f32>,
}

impl ReportRow {
    /// The report a fact table's row was read from.
    fn source(&self, records: Option<&ReportRecords>) -> Source {
        Source {
            report_id: self.report_id.clone(),
            source_file: self.source_file.clone(),
            report_date: records.and_then(|r| r.info.report_date),
        }
    }
}

/// Every table's definition (`schema.rs`), made once.
struct Definitions {
    reports: Vec<Field<ReportRow, ReportRecords>>,
    mentions: Vec<Field<Source, crate::model::Mention>>,
    events: Vec<Field<Source, crate::model::Event>>,
    assessments: Vec<Field<Source, crate::model::Assessment>>,
    dcc_status: Vec<Field<Source, crate::model::DccStatusRow>>,
    history: Vec<Field<(), history::HistoryRow>>,
    modifications: Vec<Field<(), register::RegisterRow>>,
    stages: Vec<Field<(), register::StageRow>>,
    changes: Vec<Field<(), changes::ChangeRow>>,
    diagnostics: Vec<Field<Source, Diagnostic>>,
}

impl Definitions {
    fn new() -> Definitions {
        Definitions {
            reports: schema::reports(),
            mentions: schema::mentions(),
            events: schema::events(),
            assessments: schema::assessments(),
            dcc_status: schema::dcc_status(),
            history: schema::history(),
            modifications: schema::modifications(),
            stages: schema::stages(),
            changes: schema::changes(),
            diagnostics: schema::diagnostics(),
        }
    }
}

/// What the history, the register and the changes need of a run of reports, gathered as
/// they arrive. The folds of consecutive runs merge into those of the whole run
/// ([`Folds::merge`]): a segment's folds are kept in the cache (`pipeline::segments`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Folds {
    history: history::HistoryInput,
    register: register::RegisterInput,
    changes: changes::ChangesInput,
}

impl Folds {
    /// Adds one report (in input order).
    pub fn add_report(&mut self, row: &ReportRow, records: Option<&ReportRecords>) {
        let empty = ReportRecords::default();
        let r = records.unwrap_or(&empty);
        self.history.add_report(row, r);
        self.register.add_report(row, r);
        self.changes.add_report(row, r);
    }

    /// Adds the folds of the reports that came after these: the same as adding each of
    /// those reports here in turn.
    pub fn merge(&mut self, later: Folds) {
        self.history.merge(later.history);
        self.register.merge(later.register);
        self.changes.merge(later.changes);
    }
}

/// The output tables, filled as reports arrive; the history and the register are built from
/// all reports at the end.
pub struct Dataset {
    definitions: Definitions,
    /// One builder per table `ingest` writes, in `Table::ALL` order (indexed by the table).
    tables: Vec<TableBuilder>,
    folds: Folds,
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset::new()
    }
}

impl Dataset {
    /// A dataset with no reports.
    pub fn new() -> Dataset {
        Dataset {
            definitions: Definitions::new(),
            tables: Table::ingested().map(TableBuilder::new).collect(),
            folds: Folds::default(),
        }
    }

    fn table(&mut self, table: Table) -> &mut TableBuilder {
        &mut self.tables[table as usize]
    }

    /// Adds one report: its `reports` row and all its records.
    pub fn add_report(&mut self, row: &ReportRow, records: Option<&ReportRecords>) {
        self.fold_report(row, records);
        self.add_rows(row, records);
    }

    /// Adds what the history, the register and the changes need of one report (every report,
    /// in input order), and none of its rows.
    pub fn fold_report(&mut self, row: &ReportRow, records: Option<&ReportRecords>) {
        self.folds.add_report(row, records);
    }

    /// Adds the folds of a run of reports (the next ones, in input order).
    pub fn merge_folds(&mut self, folds: Folds) {
        self.folds.merge(folds);
    }

    /// Adds one report's rows to the tables that hold a row per record (its `reports` row,
    /// its mentions, events, assessments, DCC rows and diagnostics), and nothing the history
    /// needs ([`Dataset::fold_report`]).
    pub fn add_rows(&mut self, row: &ReportRow, records: Option<&ReportRecords>) {
        let empty = ReportRecords::default();
        let r = records.unwrap_or(&empty);
        let source = row.source(records);
        let d = &self.definitions;
        let t = &mut self.tables;
        t[Table::Reports as usize].push(&d.reports, row, r);
        for m in &r.mentions {
            t[Table::Mentions as usize].push(&d.mentions, &source, m);
        }
        for e in &r.events {
            t[Table::Events as usize].push(&d.events, &source, e);
        }
        for a in &r.assessments {
            t[Table::Assessments as usize].push(&d.assessments, &source, a);
        }
        for s in &r.dcc_status {
            t[Table::DccStatus as usize].push(&d.dcc_status, &source, s);
        }
        for x in &r.diagnostics {
            t[Table::Diagnostics as usize].push(&d.diagnostics, &source, x);
        }
    }

    /// Adds a whole-file diagnostic (a read failure) for a report already added.
    pub fn add_file_diagnostic(
        &mut self,
        row: &ReportRow,
        severity: Severity,
        code: DiagnosticCode,
        message: String,
    ) {
        let diagnostic = Diagnostic {
            at: None,
            severity,
            code,
            message,
        };
        let source = row.source(None);
        let fields = &self.definitions.diagnostics;
        self.tables[Table::Diagnostics as usize].push(fields, &source, &diagnostic);
    }

    /// Builds the history, the register and the stages from all reports added.
    fn build_history(&mut self) {
        // Ids OCR changed into others, the repair confirmed by the archive, are the others'.
        let f = &mut self.folds;
        f.history
            .repair_ids(&register::confirmed_repairs(&f.register));
        let (rows, conflicts) = history::build_history(&mut f.history);
        let d = &self.definitions;
        let t = &mut self.tables;
        for (source, diagnostic) in &conflicts {
            t[Table::Diagnostics as usize].push(&d.diagnostics, source, diagnostic);
        }
        for h in &rows {
            t[Table::History as usize].push(&d.history, &(), h);
        }
        let register = register::build_register(&self.folds.register, &rows);
        for (source, diagnostic) in &register.suspects {
            t[Table::Diagnostics as usize].push(&d.diagnostics, source, diagnostic);
        }
        for m in &register.rows {
            t[Table::Modifications as usize].push(&d.modifications, &(), m);
        }
        for s in &register.stages {
            t[Table::Stages as usize].push(&d.stages, &(), s);
        }
        for c in changes::build_changes(&self.folds.changes, &rows) {
            t[Table::Changes as usize].push(&d.changes, &(), &c);
        }
    }

    /// Whether a table holds rows of each report as it is read (and so is written segment
    /// by segment), not rows built from all reports at the end (the history, the register,
    /// the stages, the changes).
    pub fn per_report(table: &str) -> bool {
        !matches!(
            <Table as crate::named::Named>::from_name(table),
            Some(Table::History | Table::Modifications | Table::Stages | Table::Changes) | None
        )
    }

    /// Every table with no rows: the schemas of the output files, in schema order.
    pub fn empty_frames() -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Table::ingested()
            .map(|t| Ok((t.name(), TableBuilder::new(t).into_frame()?)))
            .collect()
    }

    /// The rows added since the last call, as frames, for the tables that need nothing from
    /// later reports (all but the history and the register): a run writes them out in batches
    /// and never holds a whole table. The builders start empty again.
    pub(crate) fn take_batches(&mut self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let mut out = Vec::new();
        for table in Table::ingested() {
            if !Dataset::per_report(table.name()) {
                continue;
            }
            let builder = self.table(table);
            if builder.is_empty() {
                continue;
            }
            let empty = builder.emptied();
            let full = std::mem::replace(builder, empty);
            out.push((table.name(), full.into_frame()?));
        }
        Ok(out)
    }

    /// The finished frames, by table name, in schema order: the history and the register are
    /// built here, from every report added.
    pub fn into_frames(mut self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        self.build_history();
        self.tables
            .into_iter()
            .map(|t| Ok((t.table.name, t.into_frame()?)))
            .collect()
    }
}

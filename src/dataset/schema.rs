//! The output tables, each defined once: its columns in order, with each column's name, type,
//! meaning and how its value is taken from the record a row is made of. Frames are built from
//! these definitions, `secreg schema` prints them, tests check the Parquet files against them.
//! Adding a column is a change here, in the code that fills the record, and in README's
//! schema block (`tests/docs.rs`).
//!
//! A fact table's row is a record of the report model read from one report (`Source`); the
//! `reports` row is the pipeline's `ReportRow` with the report's records; `history`,
//! `modifications` and `stages` rows are built across the archive (`HistoryRow`,
//! `RegisterRow`, `StageRow`).

use super::backfill::{BackfillField, BackfillRow, RegisterDiagnostic, RegisterProblem, Verdict};
use super::changes::{ChangeKind, ChangeRow};
use super::frames::Value;
use super::history::HistoryRow;
use super::register::{
    DateBasis, Decision, DecisionBody, RegisterRow, Stage, StageRow, StageSource,
};
use super::{ReportRow, ReportStatus};
use crate::grammar::{Date, DccStatus, IdPrefix};
use crate::model::{
    Assessment, AssessmentTable, AssessmentType, DccStatusRow, DccTable, Diagnostic,
    DiagnosticCode, Event, EventKind, Mention, ModRef, Provenance, ReportRecords, Severity,
    TableReading,
};
use crate::named::{named_enum, Named};
use crate::reading::TextSource;

named_enum! {
    /// The output tables, in the order they are written.
    pub enum Table {
        /// One row per input file.
        Reports = "reports",
        /// Every modification id printed in a report.
        Mentions = "mentions",
        /// Dated facts, one report at a time.
        Events = "events",
        /// The DCC's assessment timescales tables.
        Assessments = "assessments",
        /// The DCC's Appendix A tables.
        DccStatus = "dcc_status",
        /// One row per distinct fact across the archive.
        History = "history",
        /// The register: one row per modification.
        Modifications = "modifications",
        /// Each modification's stage history, one row per interval.
        Stages = "stages",
        /// Report-over-report changes.
        Changes = "changes",
        /// What could not be read, repairs and inferences.
        Diagnostics = "diagnostics",
        /// A register export reconciled with the archive (`secreg backfill`).
        Backfill = "backfill",
        /// What `secreg backfill` could not read in a register export.
        BackfillDiagnostics = "backfill_diagnostics",
    }
}

/// A column's type as analysts see it in Parquet (and as text in CSV).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnType {
    /// UTF-8 text.
    Text,
    /// A calendar date (Parquet DATE, days since 1970-01-01).
    Date,
    /// An unsigned 32-bit integer.
    UInt32,
    /// An unsigned 64-bit integer.
    UInt64,
    /// A 32-bit float.
    Float32,
    /// true or false.
    Bool,
    /// A closed vocabulary (Polars Enum; Parquet dictionary-encoded string), its values in
    /// order.
    Enum(Vec<&'static str>),
    /// A list of strings (Parquet LIST; in CSV, the items joined by "; ").
    TextList,
}

impl ColumnType {
    /// The enum type of a closed vocabulary: its names, in order.
    fn of<T: Named>() -> ColumnType {
        ColumnType::Enum(T::names())
    }

    /// The type as `secreg schema` prints it.
    pub fn describe(&self) -> String {
        match self {
            ColumnType::Text => "string".into(),
            ColumnType::Date => "date".into(),
            ColumnType::UInt32 => "uint32".into(),
            ColumnType::UInt64 => "uint64".into(),
            ColumnType::Float32 => "float32".into(),
            ColumnType::Bool => "bool".into(),
            ColumnType::Enum(values) => format!("enum({})", values.join(" | ")),
            ColumnType::TextList => "list<string>".into(),
        }
    }
}

/// A column as the schema describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name.
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
    /// What it means.
    pub meaning: &'static str,
}

/// A table as the schema describes it: name, meaning, columns in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSchema {
    /// The table.
    pub table: Table,
    /// The table's name (its files are `NAME.parquet`, `NAME.csv`).
    pub name: &'static str,
    /// What a row is.
    pub meaning: &'static str,
    /// The columns, in order.
    pub columns: Vec<Column>,
}

impl TableSchema {
    /// The position of a column.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// The report a fact table's row was read from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Source {
    pub report_id: String,
    pub source_file: String,
    pub report_date: Option<Date>,
}

/// One column of a table whose rows are made of a `C` (the context) and an `R` (the record):
/// the column, and the one function that takes its value from them.
pub(crate) struct Field<C, R> {
    pub column: Column,
    pub get: fn(&C, &R) -> Value,
}

fn field<C, R>(
    name: &'static str,
    ty: ColumnType,
    meaning: &'static str,
    get: fn(&C, &R) -> Value,
) -> Field<C, R> {
    Field {
        column: Column { name, ty, meaning },
        get,
    }
}

/// A value of a closed vocabulary: its name.
fn name<T: Named>(v: T) -> Value {
    Value::Text(v.name().to_string())
}

fn opt_name<T: Named>(v: Option<T>) -> Value {
    v.map_or(Value::Null, name)
}

fn text(v: &Option<String>) -> Value {
    Value::from(v.clone())
}

fn count(n: usize) -> Value {
    Value::UInt32(n as u32)
}

/// Records that were read at a place in a report.
pub(crate) trait Located {
    fn at(&self) -> &Provenance;
}

/// Records that name a modification.
pub(crate) trait Names {
    fn modification(&self) -> &ModRef;
}

macro_rules! located_and_named {
    ($($ty:ty),+) => {
        $(
            impl Located for $ty {
                fn at(&self) -> &Provenance {
                    &self.at
                }
            }
            impl Names for $ty {
                fn modification(&self) -> &ModRef {
                    &self.modification
                }
            }
        )+
    };
}
located_and_named!(Mention, Event, Assessment, DccStatusRow);

/// The columns every fact table starts with: where the fact was read.
fn provenance_fields<R: Located>() -> Vec<Field<Source, R>> {
    let field = field::<Source, R>;
    vec![
        field(
            "report_id",
            ColumnType::Text,
            "first 16 hex digits of the report file's SHA-256",
            |s, _| s.report_id.clone().into(),
        ),
        field(
            "source_file",
            ColumnType::Text,
            "the input path as given",
            |s, _| s.source_file.clone().into(),
        ),
        field(
            "report_date",
            ColumnType::Date,
            "the report's date (from its cover)",
            |s, _| s.report_date.into(),
        ),
        field("page", ColumnType::UInt32, "1-based page number", |_, r| {
            r.at().page.into()
        }),
        field(
            "line",
            ColumnType::UInt32,
            "1-based line within the page",
            |_, r| r.at().line.into(),
        ),
        field(
            "snippet",
            ColumnType::Text,
            "the source line as read",
            |_, r| (&*r.at().snippet).into(),
        ),
    ]
}

/// The columns that name the modification of a fact, after its provenance.
fn modification_fields<R: Located + Names>(with_prefix: bool) -> Vec<Field<Source, R>> {
    let field = field::<Source, R>;
    let mut fields = provenance_fields();
    fields.extend([
        field(
            "mod_id",
            ColumnType::Text,
            "canonical id: MP + 3-digit number + variant (MP053, MP102B, MP078v2)",
            |_, r: &R| r.modification().id.to_string().into(),
        ),
        field(
            "mod_number",
            ColumnType::UInt32,
            "the modification number",
            |_, r| r.modification().id.number.into(),
        ),
        field(
            "mod_variant",
            ColumnType::Text,
            "variant letter or request suffix (A, B, v2); null when none",
            |_, r| r.modification().id.variant.clone().into(),
        ),
        field(
            "raw_id",
            ColumnType::Text,
            "the id exactly as printed",
            |_, r| r.modification().raw.as_str().into(),
        ),
    ]);
    if with_prefix {
        fields.push(field(
            "id_prefix",
            ColumnType::of::<IdPrefix>(),
            "the printed prefix's family",
            |_, r| name(r.modification().prefix),
        ));
    }
    fields.push(field(
        "id_repaired",
        ColumnType::Bool,
        "OCR damage was repaired to read the id",
        |_, r| r.modification().repaired.into(),
    ));
    fields
}

/// `reports`: one row per input file.
pub(crate) fn reports() -> Vec<Field<ReportRow, ReportRecords>> {
    let field = field::<ReportRow, ReportRecords>;
    vec![
        field(
            "report_id",
            ColumnType::Text,
            "first 16 hex digits of the file's SHA-256",
            |row, _| row.report_id.clone().into(),
        ),
        field(
            "source_file",
            ColumnType::Text,
            "the input path as given",
            |row, _| row.source_file.clone().into(),
        ),
        field(
            "sha256",
            ColumnType::Text,
            "SHA-256 of the file's bytes",
            |row, _| row.sha256.clone().into(),
        ),
        field("bytes", ColumnType::UInt64, "file size", |row, _| {
            Value::UInt64(row.bytes)
        }),
        field("pages", ColumnType::UInt32, "pages read", |row, _| {
            row.pages.into()
        }),
        field(
            "text_source",
            ColumnType::of::<TextSource>(),
            "where the text came from",
            |row, _| opt_name(row.text_source),
        ),
        field(
            "report_date",
            ColumnType::Date,
            "the report's date (from its cover)",
            |_, r| r.info.report_date.into(),
        ),
        field(
            "report_date_inferred",
            ColumnType::Bool,
            "the date came from a footer or title, not the cover",
            |_, r| r.info.report_date_inferred.into(),
        ),
        field(
            "report_title",
            ColumnType::Text,
            "the report's title as printed",
            |_, r| text(&r.info.title),
        ),
        field("author", ColumnType::Text, "the cover's author", |_, r| {
            text(&r.info.author)
        }),
        field(
            "status",
            ColumnType::of::<ReportStatus>(),
            "ok | partial (read with problems) | failed | no_text_layer (needs OCR) | skipped",
            |row, _| name(row.status),
        ),
        field(
            "error",
            ColumnType::Text,
            "why the file failed or was partial",
            |row, _| text(&row.error),
        ),
        field(
            "mentions",
            ColumnType::UInt32,
            "rows in mentions",
            |_, r| count(r.mentions.len()),
        ),
        field("events", ColumnType::UInt32, "rows in events", |_, r| {
            count(r.events.len())
        }),
        field(
            "assessments",
            ColumnType::UInt32,
            "rows in assessments",
            |_, r| count(r.assessments.len()),
        ),
        field(
            "dcc_status",
            ColumnType::UInt32,
            "rows in dcc_status",
            |_, r| count(r.dcc_status.len()),
        ),
        field(
            "diagnostics",
            ColumnType::UInt32,
            "rows in diagnostics",
            |_, r| count(r.diagnostics.len()),
        ),
        field(
            "millis",
            ColumnType::UInt32,
            "time spent on the file",
            |row, _| row.millis.into(),
        ),
        field(
            "ocr_confidence",
            ColumnType::Float32,
            "the mean over OCR'd pages of tesseract's mean word confidence (0-1); null when no page was OCR'd",
            |row, _| row.ocr_confidence.into(),
        ),
    ]
}

/// `mentions`: every modification id printed in a report.
pub(crate) fn mentions() -> Vec<Field<Source, Mention>> {
    let field = field::<Source, Mention>;
    let mut fields = modification_fields(true);
    fields.push(field(
        "title",
        ColumnType::Text,
        "the title printed with this mention, if any",
        |_, m| text(&m.title),
    ));
    fields
}

/// `events`: one row per dated fact about a modification in a report.
pub(crate) fn events() -> Vec<Field<Source, Event>> {
    let field = field::<Source, Event>;
    let mut fields = modification_fields(false);
    fields.extend([
        field(
            "title",
            ColumnType::Text,
            "the title printed with the fact",
            |_, e: &Event| text(&e.title),
        ),
        field("event", ColumnType::of::<EventKind>(), "what happened", |_, e| {
            name(e.event)
        }),
        field(
            "event_date",
            ColumnType::Date,
            "when (null where the report gives no date)",
            |_, e| e.date.into(),
        ),
        field(
            "date_inferred",
            ColumnType::Bool,
            "the year was not printed and was inferred from the report date",
            |_, e| e.date_inferred.into(),
        ),
        field(
            "date_repaired",
            ColumnType::Bool,
            "OCR damage in the printed date was repaired to read it",
            |_, e| e.date_repaired.into(),
        ),
        field(
            "proposer",
            ColumnType::Text,
            "who raised it (raised events)",
            |_, e| text(&e.proposer),
        ),
        field(
            "organisation",
            ColumnType::Text,
            "the proposer's organisation (raised events)",
            |_, e| text(&e.organisation),
        ),
        field(
            "release_name",
            ColumnType::Text,
            "the SEC release, as '<Month> <YYYY> SEC Release' ('SEC Minor Release' where printed so)",
            |_, e| text(&e.release_name),
        ),
        field(
            "detail",
            ColumnType::Text,
            "the rest of the statement (e.g. 'part 1', 'standalone release')",
            |_, e| text(&e.detail),
        ),
        field(
            "confidence",
            ColumnType::Float32,
            "0-1: lower for repairs, inferences, unclosed titles",
            |_, e| e.confidence.into(),
        ),
    ]);
    fields
}

/// `assessments`: rows of the DCC assessment timescales tables.
pub(crate) fn assessments() -> Vec<Field<Source, Assessment>> {
    let field = field::<Source, Assessment>;
    let mut fields = modification_fields(false);
    fields.extend([
        field(
            "table",
            ColumnType::of::<AssessmentTable>(),
            "which table the row is in",
            |_, a: &Assessment| name(a.table),
        ),
        field(
            "assessment_type",
            ColumnType::of::<AssessmentType>(),
            "Preliminary or Impact Assessment (1A is IA)",
            |_, a| name(a.assessment_type),
        ),
        field(
            "date",
            ColumnType::Date,
            "accepted (open) or returned (returned) date",
            |_, a| a.date.into(),
        ),
        field(
            "target_wd",
            ColumnType::UInt32,
            "target duration in working days",
            |_, a| a.target_wd.into(),
        ),
        field(
            "duration_wd",
            ColumnType::UInt32,
            "current (open) or actual (returned) duration in working days",
            |_, a| a.duration_wd.into(),
        ),
        field(
            "read_from",
            ColumnType::of::<TableReading>(),
            READ_FROM,
            |_, a| name(a.read_from),
        ),
        field("confidence", ColumnType::Float32, "0-1", |_, a| {
            a.confidence.into()
        }),
    ]);
    fields
}

/// The `read_from` column's meaning (`dcc_status` and `assessments`).
const READ_FROM: &str = "how the row was read: ruled_cells (between the page's rules, drawn or found in a scan's image), positions (its words' places on the page), ruled_text (lines whose cells are ruled with `|`, cell for cell under its header's columns), text (lines alone)";

/// `dcc_status`: rows of the Appendix A tables written by the DCC.
pub(crate) fn dcc_status() -> Vec<Field<Source, DccStatusRow>> {
    let field = field::<Source, DccStatusRow>;
    let mut fields = modification_fields(false);
    fields.extend([
        field(
            "dcc_table",
            ColumnType::of::<DccTable>(),
            "which Appendix A table",
            |_, d: &DccStatusRow| name(d.table),
        ),
        field(
            "status",
            ColumnType::of::<DccStatus>(),
            "the DCC assessment status",
            |_, d| opt_name(d.status),
        ),
        field(
            "date_added",
            ColumnType::Date,
            "date added (no-further-assessment table)",
            |_, d| d.date_added.into(),
        ),
        field(
            "pa_request_date",
            ColumnType::Date,
            "PA WG request accepted date",
            |_, d| d.dates.pa_request.into(),
        ),
        field(
            "pa_target_date",
            ColumnType::Date,
            "target PA delivery date",
            |_, d| d.dates.pa_target.into(),
        ),
        field(
            "pa_actual_date",
            ColumnType::Date,
            "actual PA delivery date",
            |_, d| d.dates.pa_actual.into(),
        ),
        field(
            "ia_request_date",
            ColumnType::Date,
            "IA WG request accepted date",
            |_, d| d.dates.ia_request.into(),
        ),
        field(
            "ia_target_date",
            ColumnType::Date,
            "target IA delivery date",
            |_, d| d.dates.ia_target.into(),
        ),
        field(
            "ia_actual_date",
            ColumnType::Date,
            "actual IA delivery date",
            |_, d| d.dates.ia_actual.into(),
        ),
        field(
            "title",
            ColumnType::Text,
            "the Modification Title cell, its lines joined",
            |_, d| text(&d.title),
        ),
        field(
            "comment",
            ColumnType::Text,
            "the Comments cell, its lines joined",
            |_, d| text(&d.comment),
        ),
        field(
            "read_from",
            ColumnType::of::<TableReading>(),
            READ_FROM,
            |_, d| name(d.read_from),
        ),
        field(
            "confidence",
            ColumnType::Float32,
            "0-1: how the row was read: 1 from word positions (a PDF's text layer), lower for text alone, repairs and cells found off the row's line",
            |_, d| d.confidence.into(),
        ),
    ]);
    fields
}

/// `history`: one row per distinct fact across the archive.
pub(crate) fn history() -> Vec<Field<(), HistoryRow>> {
    let field = field::<(), HistoryRow>;
    vec![
        field("mod_id", ColumnType::Text, "canonical id", |_, h| {
            h.mod_id.to_string().into()
        }),
        field(
            "event",
            ColumnType::of::<EventKind>(),
            "what happened",
            |_, h| name(h.event),
        ),
        field(
            "event_date",
            ColumnType::Date,
            "when (null where no report gives a date)",
            |_, h| h.event_date.into(),
        ),
        field(
            "proposer",
            ColumnType::Text,
            "who raised it (raised)",
            |_, h| text(&h.proposer),
        ),
        field(
            "organisation",
            ColumnType::Text,
            "the proposer's organisation (raised)",
            |_, h| text(&h.organisation),
        ),
        field(
            "release_name",
            ColumnType::Text,
            "the SEC release",
            |_, h| text(&h.release_name),
        ),
        field(
            "detail",
            ColumnType::Text,
            "the rest of the first statement",
            |_, h| text(&h.detail),
        ),
        field(
            "first_reported",
            ColumnType::Date,
            "the earliest report date that states it",
            |_, h| h.first_reported.into(),
        ),
        field(
            "last_reported",
            ColumnType::Date,
            "the latest report date that states it",
            |_, h| h.last_reported.into(),
        ),
        field(
            "times_reported",
            ColumnType::UInt32,
            "reports that state it (files of one report date count once)",
            |_, h| h.times_reported.into(),
        ),
        field(
            "report_ids",
            ColumnType::TextList,
            "the reports that state it, oldest first",
            |_, h| Value::TextList(h.report_ids.clone()),
        ),
        field(
            "sources",
            ColumnType::TextList,
            "every statement of it, as file:page:line",
            |_, h| Value::TextList(h.sources.clone()),
        ),
        field(
            "conflict",
            ColumnType::Bool,
            "another fact gives this once-only event a different value (see diagnostics)",
            |_, h| h.conflict.into(),
        ),
        field(
            "id_repaired",
            ColumnType::Bool,
            "a statement of it printed another id, which OCR made of it and the archive repaired (see diagnostics: id_repaired)",
            |_, h| h.id_repaired.into(),
        ),
    ]
}

/// `modifications`: the register, one row per modification.
pub(crate) fn modifications() -> Vec<Field<(), RegisterRow>> {
    let field = field::<(), RegisterRow>;
    vec![
        field(
            "mod_id",
            ColumnType::Text,
            "canonical id (MP078v2 is MP078's second assessment request: it belongs to MP078's row)",
            |_, m| m.mod_id.to_string().into(),
        ),
        field(
            "mod_number",
            ColumnType::UInt32,
            "the modification number",
            |_, m| m.mod_id.number.into(),
        ),
        field(
            "mod_variant",
            ColumnType::Text,
            "variant letter (A, B); null when none",
            |_, m| m.mod_id.variant.clone().into(),
        ),
        field(
            "title",
            ColumnType::Text,
            "consensus title: the spelling most reports agree on, digital reports first",
            |_, m| text(&m.title),
        ),
        field(
            "title_variants",
            ColumnType::UInt32,
            "how many different titles (after normalising) the reports print",
            |_, m| m.title_variants.into(),
        ),
        field(
            "first_seen",
            ColumnType::Date,
            "earliest report date that mentions it",
            |_, m| m.first_seen.into(),
        ),
        field(
            "last_seen",
            ColumnType::Date,
            "latest report date that mentions it",
            |_, m| m.last_seen.into(),
        ),
        field(
            "reports_seen",
            ColumnType::UInt32,
            "reports that mention it (files of one report date count once)",
            |_, m| m.reports_seen.into(),
        ),
        field("raised_date", ColumnType::Date, "date raised", |_, m| {
            m.raised_date.into()
        }),
        field("proposer", ColumnType::Text, "who raised it", |_, m| {
            text(&m.proposer)
        }),
        field(
            "organisation",
            ColumnType::Text,
            "the proposer's organisation",
            |_, m| text(&m.organisation),
        ),
        field(
            "stage",
            ColumnType::of::<Stage>(),
            "latest known stage: from its latest fact (see README), or from the DCC's status (Withdrawn always; any status where no fact gives a stage)",
            |_, m| opt_name(m.stage),
        ),
        field(
            "stage_source",
            ColumnType::of::<StageSource>(),
            "where the stage came from: fact (a dated statement) or dcc_status (the DCC's Appendix A status)",
            |_, m| opt_name(m.stage_source),
        ),
        field(
            "decision",
            ColumnType::of::<Decision>(),
            "the latest decision",
            |_, m| opt_name(m.decision),
        ),
        field(
            "decision_date",
            ColumnType::Date,
            "date of that decision",
            |_, m| m.decision_date.into(),
        ),
        field(
            "decision_body",
            ColumnType::of::<DecisionBody>(),
            "who decided",
            |_, m| opt_name(m.decision_body),
        ),
        field(
            "release_name",
            ColumnType::Text,
            "the release it was or will be implemented in",
            |_, m| text(&m.release_name),
        ),
        field(
            "implemented_date",
            ColumnType::Date,
            "date first implemented",
            |_, m| m.implemented_date.into(),
        ),
        field(
            "last_dcc_status",
            ColumnType::of::<DccStatus>(),
            "the DCC assessment status in the latest report that gives one, read with its comment (no outstanding request, commented `Awaiting IA request`: awaiting_ia_request)",
            |_, m| opt_name(m.last_dcc_status),
        ),
    ]
}

/// `stages`: each modification's stage history, one row per interval.
pub(crate) fn stages() -> Vec<Field<(), StageRow>> {
    let field = field::<(), StageRow>;
    vec![
        field(
            "mod_id",
            ColumnType::Text,
            "canonical id, as the register's",
            |_, s| s.mod_id.to_string().into(),
        ),
        field(
            "stage",
            ColumnType::of::<Stage>(),
            "the stage of the interval (the register's stage is the last interval's)",
            |_, s| name(s.stage),
        ),
        field(
            "from_date",
            ColumnType::Date,
            "when the interval began (null when the fact that opened it gives no date)",
            |_, s| s.from_date.into(),
        ),
        field(
            "to_date",
            ColumnType::Date,
            "when the next interval began; null while current",
            |_, s| s.to_date.into(),
        ),
        field(
            "date_basis",
            ColumnType::of::<DateBasis>(),
            "from_date is the opening fact's own date (fact) or the date of the first report that states it (report)",
            |_, s| opt_name(s.date_basis),
        ),
        field(
            "opened_by",
            ColumnType::of::<StageSource>(),
            "what opened the interval: a fact (a dated statement) or the DCC's Appendix A status",
            |_, s| name(s.opened_by),
        ),
        field(
            "event",
            ColumnType::of::<EventKind>(),
            "the fact that opened it (null when the DCC's status did)",
            |_, s| opt_name(s.event),
        ),
        field(
            "dcc_status",
            ColumnType::of::<DccStatus>(),
            "the DCC status that opened it (null when a fact did)",
            |_, s| opt_name(s.dcc_status),
        ),
        field(
            "report_id",
            ColumnType::Text,
            "the first report that states it",
            |_, s| text(&s.report_id),
        ),
        field(
            "source",
            ColumnType::Text,
            "that statement, as file:page:line",
            |_, s| text(&s.source),
        ),
    ]
}

/// `changes`: for each report after the first, what it says that the report before it did
/// not.
pub(crate) fn changes() -> Vec<Field<(), ChangeRow>> {
    let field = field::<(), ChangeRow>;
    vec![
        field(
            "report_id",
            ColumnType::Text,
            "the report (of the files of one report date, the one read best: digital, then text, then OCR)",
            |_, c| c.report_id.clone().into(),
        ),
        field(
            "report_date",
            ColumnType::Date,
            "its date",
            |_, c| Some(c.report_date).into(),
        ),
        field(
            "previous_report_id",
            ColumnType::Text,
            "the report before it (the latest earlier report date)",
            |_, c| c.previous_report_id.clone().into(),
        ),
        field(
            "mod_id",
            ColumnType::Text,
            "canonical id, as the register's",
            |_, c| c.mod_id.to_string().into(),
        ),
        field(
            "change",
            ColumnType::of::<ChangeKind>(),
            "what changed (see README)",
            |_, c| name(c.change),
        ),
        field(
            "before",
            ColumnType::Text,
            "the value in the report before (null when it had none)",
            |_, c| text(&c.before),
        ),
        field(
            "after",
            ColumnType::Text,
            "the value in this report",
            |_, c| text(&c.after),
        ),
        field(
            "source",
            ColumnType::Text,
            "where this report says it, as file:page:line",
            |_, c| text(&c.source),
        ),
    ]
}

/// `diagnostics`: what could not be read, and every repair or inference worth a second look.
pub(crate) fn diagnostics() -> Vec<Field<Source, Diagnostic>> {
    let field = field::<Source, Diagnostic>;
    vec![
        field(
            "report_id",
            ColumnType::Text,
            "first 16 hex digits of the report file's SHA-256",
            |s, _| s.report_id.clone().into(),
        ),
        field(
            "source_file",
            ColumnType::Text,
            "the input path as given",
            |s, _| s.source_file.clone().into(),
        ),
        field(
            "report_date",
            ColumnType::Date,
            "the report's date",
            |s, _| s.report_date.into(),
        ),
        field(
            "page",
            ColumnType::UInt32,
            "1-based page number (null for whole-file problems)",
            |_, d| d.at.as_ref().map(|at| at.page).into(),
        ),
        field(
            "line",
            ColumnType::UInt32,
            "1-based line within the page",
            |_, d| d.at.as_ref().map(|at| at.line).into(),
        ),
        field(
            "snippet",
            ColumnType::Text,
            "the source line as read",
            |_, d| d.at.as_ref().map(|at| at.snippet.to_string()).into(),
        ),
        field(
            "severity",
            ColumnType::of::<Severity>(),
            "info | warning | error",
            |_, d| name(d.severity),
        ),
        field(
            "code",
            ColumnType::of::<DiagnosticCode>(),
            "a stable code, e.g. ambiguous_id, dcc_dates_unplaced",
            |_, d| name(d.code),
        ),
        field(
            "message",
            ColumnType::Text,
            "what happened, in words",
            |_, d| d.message.clone().into(),
        ),
    ]
}

/// `backfill`: a register export reconciled with the archive, one row per modification and
/// field.
pub(crate) fn backfill() -> Vec<Field<(), BackfillRow>> {
    let field = field::<(), BackfillRow>;
    vec![
        field(
            "mod_id",
            ColumnType::Text,
            "canonical register id (MP053, MP102B), however the export prints it",
            |_, b| b.mod_id.to_string().into(),
        ),
        field(
            "field",
            ColumnType::of::<BackfillField>(),
            "the register's field",
            |_, b| name(b.field),
        ),
        field(
            "verdict",
            ColumnType::of::<Verdict>(),
            "agrees | register_empty (fill it in) | archive_empty | differs (check it) | not_in_archive | not_in_register | unreadable (see backfill_diagnostics)",
            |_, b| name(b.verdict),
        ),
        field(
            "register_value",
            ColumnType::Text,
            "the export's value, as printed",
            |_, b| text(&b.register_value),
        ),
        field(
            "archive_value",
            ColumnType::Text,
            "the archive's value (the modifications table's; for a title, the spelling the register matched)",
            |_, b| text(&b.archive_value),
        ),
        field(
            "register_row",
            ColumnType::UInt32,
            "the export's row, as a spreadsheet numbers it (the header is row 1); null for not_in_register",
            |_, b| b.register_row.into(),
        ),
        field(
            "report_date",
            ColumnType::Date,
            "the date of the report that is the archive's evidence",
            |_, b| b.evidence.as_ref().and_then(|e| e.report_date).into(),
        ),
        field(
            "source_file",
            ColumnType::Text,
            "the evidence's report file",
            |_, b| b.evidence.as_ref().map(|e| e.source_file.clone()).into(),
        ),
        field(
            "page",
            ColumnType::UInt32,
            "the evidence's 1-based page",
            |_, b| b.evidence.as_ref().and_then(|e| e.page).into(),
        ),
        field(
            "line",
            ColumnType::UInt32,
            "the evidence's 1-based line within the page",
            |_, b| b.evidence.as_ref().and_then(|e| e.line).into(),
        ),
        field(
            "snippet",
            ColumnType::Text,
            "the evidence's line as read",
            |_, b| b.evidence.as_ref().and_then(|e| e.snippet.clone()).into(),
        ),
        field(
            "confidence",
            ColumnType::Float32,
            "the evidence row's confidence (events, dcc_status); null for a title or id printed in a list or sentence (mentions carry none)",
            |_, b| b.evidence.as_ref().and_then(|e| e.confidence).into(),
        ),
        field(
            "note",
            ColumnType::Text,
            "why the verdict, where it is not plain (a later stage, a month-only date, a title spelling)",
            |_, b| text(&b.note),
        ),
    ]
}

/// `backfill_diagnostics`: what `secreg backfill` could not read in a register export.
pub(crate) fn backfill_diagnostics() -> Vec<Field<(), RegisterDiagnostic>> {
    let field = field::<(), RegisterDiagnostic>;
    vec![
        field(
            "source_file",
            ColumnType::Text,
            "the register export as given",
            |_, d| d.source_file.clone().into(),
        ),
        field(
            "row",
            ColumnType::UInt32,
            "the export's row, as a spreadsheet numbers it (the header is row 1)",
            |_, d| d.row.into(),
        ),
        field(
            "field",
            ColumnType::of::<BackfillField>(),
            "the field the value was read for; null for the id and whole rows",
            |_, d| opt_name(d.field),
        ),
        field(
            "header",
            ColumnType::Text,
            "the column's header, as printed",
            |_, d| text(&d.header),
        ),
        field("value", ColumnType::Text, "the value as printed", |_, d| {
            text(&d.value)
        }),
        field(
            "code",
            ColumnType::of::<RegisterProblem>(),
            "a stable code, e.g. id_unread, value_unread",
            |_, d| name(d.code),
        ),
        field(
            "message",
            ColumnType::Text,
            "what happened, in words",
            |_, d| d.message.clone().into(),
        ),
    ]
}

fn columns<C, R>(fields: Vec<Field<C, R>>) -> Vec<Column> {
    fields.into_iter().map(|f| f.column).collect()
}

impl Table {
    /// What one row of the table is.
    pub fn meaning(self) -> &'static str {
        match self {
            Table::Reports => "one row per input file: what was read and how it went",
            Table::Mentions => "every modification id printed in a report",
            Table::Events => "one row per dated fact about a modification in a report",
            Table::Assessments => {
                "rows of the DCC assessment timescales tables (open and returned PAs and IAs)"
            }
            Table::DccStatus => "rows of the Appendix A tables written by the DCC",
            Table::History => {
                "one row per distinct fact across the archive: a fact restated in several reports is one row"
            }
            Table::Modifications => "the register: one row per modification across the archive",
            Table::Stages => {
                "each modification's stage history: one row per modification and stage interval, oldest first"
            }
            Table::Changes => {
                "for each report after the first, what it says that the report before it did not"
            }
            Table::Diagnostics => {
                "what could not be read, and every repair or inference worth a second look"
            }
            Table::Backfill => {
                "written by `secreg backfill`: a register export reconciled with the archive, one row per modification and field"
            }
            Table::BackfillDiagnostics => {
                "written by `secreg backfill`: every value of the register export it could not read, by row"
            }
        }
    }

    /// The table's columns, in order, from its one definition.
    pub fn columns(self) -> Vec<Column> {
        match self {
            Table::Reports => columns(reports()),
            Table::Mentions => columns(mentions()),
            Table::Events => columns(events()),
            Table::Assessments => columns(assessments()),
            Table::DccStatus => columns(dcc_status()),
            Table::History => columns(history()),
            Table::Modifications => columns(modifications()),
            Table::Stages => columns(stages()),
            Table::Changes => columns(changes()),
            Table::Diagnostics => columns(diagnostics()),
            Table::Backfill => columns(backfill()),
            Table::BackfillDiagnostics => columns(backfill_diagnostics()),
        }
    }

    /// True for the tables `secreg ingest` writes: all but the back-fill's, which
    /// `secreg backfill` writes beside them.
    pub fn by_ingest(self) -> bool {
        !matches!(self, Table::Backfill | Table::BackfillDiagnostics)
    }

    /// The tables `secreg ingest` writes, in order (they come first in [`Table::ALL`]).
    pub fn ingested() -> impl Iterator<Item = Table> {
        Table::ALL.iter().copied().filter(|t| t.by_ingest())
    }

    /// The table as the schema describes it.
    pub fn schema(self) -> TableSchema {
        TableSchema {
            table: self,
            name: self.name(),
            meaning: self.meaning(),
            columns: self.columns(),
        }
    }
}

/// Every table `secreg ingest` writes, in the order they are written.
pub fn tables() -> Vec<TableSchema> {
    Table::ingested().map(|t| t.schema()).collect()
}

/// Every table secreg writes: `ingest`'s, then `backfill`'s.
pub fn all_tables() -> Vec<TableSchema> {
    Table::ALL.iter().map(|t| t.schema()).collect()
}

/// The schema as text: what `secreg schema` prints and README shows.
pub fn describe_tables() -> String {
    let mut out = String::new();
    for t in all_tables() {
        out.push_str(&format!("{} - {}\n", t.name, t.meaning));
        for c in &t.columns {
            out.push_str(&format!(
                "  {:<22} {:<12} {}\n",
                c.name,
                c.ty.describe(),
                c.meaning
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_columns_of_distinct_names() {
        for t in all_tables() {
            let mut names: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "{}", t.name);
        }
    }

    #[test]
    fn ingest_tables_come_first_so_their_builders_index_by_value() {
        for (i, t) in Table::ingested().enumerate() {
            assert_eq!(t as usize, i, "{t}");
        }
        assert!(!Table::Backfill.by_ingest() && Table::Diagnostics.by_ingest());
    }
}

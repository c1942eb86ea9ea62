//! The output tables: every column, its type and what it means. This is the one place the
//! schema is written; frames are built from it, `secreg schema` prints it, tests check the
//! Parquet files against it.

use crate::grammar::DccStatus;
use crate::model::EventKind;

/// A column's type as analysts see it in Parquet (and as text in CSV).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnType {
    Text,
    /// A calendar date (Parquet DATE, days since 1970-01-01).
    Date,
    Int32,
    UInt32,
    UInt64,
    Float32,
    Bool,
    /// A closed vocabulary (Polars Enum; Parquet dictionary-encoded string).
    Enum(Vec<&'static str>),
    /// A list of strings (Parquet LIST; in CSV, the items joined by "; ").
    TextList,
}

impl ColumnType {
    pub fn describe(&self) -> String {
        match self {
            ColumnType::Text => "string".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Int32 => "int32".into(),
            ColumnType::UInt32 => "uint32".into(),
            ColumnType::UInt64 => "uint64".into(),
            ColumnType::Float32 => "float32".into(),
            ColumnType::Bool => "bool".into(),
            ColumnType::Enum(values) => format!("enum({})", values.join(" | ")),
            ColumnType::TextList => "list<string>".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub meaning: &'static str,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

fn col(name: &'static str, ty: ColumnType, meaning: &'static str) -> Column {
    Column { name, ty, meaning }
}

pub const REPORT_STATUSES: [&str; 5] = ["ok", "partial", "failed", "no_text_layer", "skipped"];
pub const TEXT_SOURCES: [&str; 3] = ["pdf_text", "txt", "ocr"];
pub const ID_PREFIXES: [&str; 4] = ["DP", "MP", "SECMP", "none"];
pub const SEVERITIES: [&str; 3] = ["info", "warning", "error"];
pub const STAGES: [&str; 10] = [
    "Draft Proposal",
    "Refinement Process",
    "Report Phase",
    "Awaiting decision",
    "Approved",
    "Rejected",
    "Sent back",
    "Withdrawn",
    "Pending implementation",
    "Implemented",
];

/// The columns every fact table starts with: where the fact was read.
fn provenance_columns() -> Vec<Column> {
    vec![
        col(
            "report_id",
            ColumnType::Text,
            "first 16 hex digits of the report file's SHA-256",
        ),
        col("source_file", ColumnType::Text, "the input path as given"),
        col(
            "report_date",
            ColumnType::Date,
            "the report's date (from its cover)",
        ),
        col("page", ColumnType::UInt32, "1-based page number"),
        col("line", ColumnType::UInt32, "1-based line within the page"),
        col("snippet", ColumnType::Text, "the source line as read"),
    ]
}

fn modification_columns() -> Vec<Column> {
    vec![
        col(
            "mod_id",
            ColumnType::Text,
            "canonical id: MP + 3-digit number + variant (MP053, MP102B, MP078v2)",
        ),
        col("mod_number", ColumnType::UInt32, "the modification number"),
        col(
            "mod_variant",
            ColumnType::Text,
            "variant letter or request suffix (A, B, v2); null when none",
        ),
        col("raw_id", ColumnType::Text, "the id exactly as printed"),
    ]
}

fn with_provenance(mut columns: Vec<Column>) -> Vec<Column> {
    let mut all = provenance_columns();
    all.append(&mut columns);
    all
}

fn event_names() -> Vec<&'static str> {
    EventKind::ALL.iter().map(|e| e.name()).collect()
}

fn status_names() -> Vec<&'static str> {
    DccStatus::ALL.iter().map(|s| s.name()).collect()
}

/// Every output table, in the order they are written.
pub fn tables() -> Vec<Table> {
    vec![
        Table {
            name: "reports",
            meaning: "one row per input file: what was read and how it went",
            columns: vec![
                col("report_id", ColumnType::Text, "first 16 hex digits of the file's SHA-256"),
                col("source_file", ColumnType::Text, "the input path as given"),
                col("sha256", ColumnType::Text, "SHA-256 of the file's bytes"),
                col("bytes", ColumnType::UInt64, "file size"),
                col("pages", ColumnType::UInt32, "pages read"),
                col("text_source", ColumnType::Enum(TEXT_SOURCES.to_vec()), "where the text came from"),
                col("report_date", ColumnType::Date, "the report's date (from its cover)"),
                col("report_date_inferred", ColumnType::Bool, "the date came from a footer or title, not the cover"),
                col("report_title", ColumnType::Text, "the report's title as printed"),
                col("author", ColumnType::Text, "the cover's author"),
                col("status", ColumnType::Enum(REPORT_STATUSES.to_vec()), "ok | partial (read with problems) | failed | no_text_layer (needs OCR) | skipped"),
                col("error", ColumnType::Text, "why the file failed or was partial"),
                col("mentions", ColumnType::UInt32, "rows in mentions"),
                col("events", ColumnType::UInt32, "rows in events"),
                col("assessments", ColumnType::UInt32, "rows in assessments"),
                col("dcc_status", ColumnType::UInt32, "rows in dcc_status"),
                col("diagnostics", ColumnType::UInt32, "rows in diagnostics"),
                col("millis", ColumnType::UInt32, "time spent on the file"),
                col("ocr_confidence", ColumnType::Float32, "the mean over OCR'd pages of tesseract's mean word confidence (0-1); null when no page was OCR'd"),
            ],
        },
        Table {
            name: "mentions",
            meaning: "every modification id printed in a report",
            columns: with_provenance(
                modification_columns()
                    .into_iter()
                    .chain([
                        col("id_prefix", ColumnType::Enum(ID_PREFIXES.to_vec()), "the printed prefix's family"),
                        col("id_repaired", ColumnType::Bool, "OCR damage was repaired to read the id"),
                        col("title", ColumnType::Text, "the title printed with this mention, if any"),
                    ])
                    .collect(),
            ),
        },
        Table {
            name: "events",
            meaning: "one row per dated fact about a modification in a report",
            columns: with_provenance(
                modification_columns()
                    .into_iter()
                    .chain([
                        col("id_repaired", ColumnType::Bool, "OCR damage was repaired to read the id"),
                        col("title", ColumnType::Text, "the title printed with the fact"),
                        col("event", ColumnType::Enum(event_names()), "what happened"),
                        col("event_date", ColumnType::Date, "when (null where the report gives no date)"),
                        col("date_inferred", ColumnType::Bool, "the year was not printed and was inferred from the report date"),
                        col("date_repaired", ColumnType::Bool, "OCR damage in the printed date was repaired to read it"),
                        col("proposer", ColumnType::Text, "who raised it (raised events)"),
                        col("organisation", ColumnType::Text, "the proposer's organisation (raised events)"),
                        col("release_name", ColumnType::Text, "the SEC release, as '<Month> <YYYY> SEC Release' ('SEC Minor Release' where printed so)"),
                        col("detail", ColumnType::Text, "the rest of the statement (e.g. 'part 1', 'standalone release')"),
                        col("confidence", ColumnType::Float32, "0-1: lower for repairs, inferences, unclosed titles"),
                    ])
                    .collect(),
            ),
        },
        Table {
            name: "assessments",
            meaning: "rows of the DCC assessment timescales tables (open and returned PAs and IAs)",
            columns: with_provenance(
                modification_columns()
                    .into_iter()
                    .chain([
                        col("id_repaired", ColumnType::Bool, "OCR damage was repaired to read the id"),
                        col("table", ColumnType::Enum(vec!["open", "returned"]), "which table the row is in"),
                        col("assessment_type", ColumnType::Enum(vec!["PA", "IA"]), "Preliminary or Impact Assessment (1A is IA)"),
                        col("date", ColumnType::Date, "accepted (open) or returned (returned) date"),
                        col("target_wd", ColumnType::UInt32, "target duration in working days"),
                        col("duration_wd", ColumnType::UInt32, "current (open) or actual (returned) duration in working days"),
                        col("confidence", ColumnType::Float32, "0-1"),
                    ])
                    .collect(),
            ),
        },
        Table {
            name: "dcc_status",
            meaning: "rows of the Appendix A tables written by the DCC",
            columns: with_provenance(
                modification_columns()
                    .into_iter()
                    .chain([
                        col("id_repaired", ColumnType::Bool, "OCR damage was repaired to read the id"),
                        col("dcc_table", ColumnType::Enum(vec!["delivery", "not_requested", "no_further"]), "which Appendix A table"),
                        col("status", ColumnType::Enum(status_names()), "the DCC assessment status"),
                        col("date_added", ColumnType::Date, "date added (no-further-assessment table)"),
                        col("pa_request_date", ColumnType::Date, "PA WG request accepted date"),
                        col("pa_target_date", ColumnType::Date, "target PA delivery date"),
                        col("pa_actual_date", ColumnType::Date, "actual PA delivery date"),
                        col("ia_request_date", ColumnType::Date, "IA WG request accepted date"),
                        col("ia_target_date", ColumnType::Date, "target IA delivery date"),
                        col("ia_actual_date", ColumnType::Date, "actual IA delivery date"),
                        col("title", ColumnType::Text, "the Modification Title cell, its lines joined"),
                        col("comment", ColumnType::Text, "the Comments cell, its lines joined"),
                        col("confidence", ColumnType::Float32, "0-1: how the row was read: 1 from word positions (a PDF's text layer), lower for text alone, repairs and cells found off the row's line"),
                    ])
                    .collect(),
            ),
        },
        Table {
            name: "history",
            meaning: "one row per distinct fact across the archive: a fact restated in several reports is one row",
            columns: vec![
                col("mod_id", ColumnType::Text, "canonical id"),
                col("event", ColumnType::Enum(event_names()), "what happened"),
                col("event_date", ColumnType::Date, "when (null where no report gives a date)"),
                col("proposer", ColumnType::Text, "who raised it (raised)"),
                col("organisation", ColumnType::Text, "the proposer's organisation (raised)"),
                col("release_name", ColumnType::Text, "the SEC release"),
                col("detail", ColumnType::Text, "the rest of the first statement"),
                col("first_reported", ColumnType::Date, "the earliest report date that states it"),
                col("last_reported", ColumnType::Date, "the latest report date that states it"),
                col("times_reported", ColumnType::UInt32, "reports that state it (files of one report date count once)"),
                col("report_ids", ColumnType::TextList, "the reports that state it, oldest first"),
                col("sources", ColumnType::TextList, "every statement of it, as file:page:line"),
                col("conflict", ColumnType::Bool, "another fact gives this once-only event a different value (see diagnostics)"),
            ],
        },
        Table {
            name: "modifications",
            meaning: "the register: one row per modification across the archive",
            columns: vec![
                col("mod_id", ColumnType::Text, "canonical id (MP078v2 is MP078's second assessment request: it belongs to MP078's row)"),
                col("mod_number", ColumnType::UInt32, "the modification number"),
                col("mod_variant", ColumnType::Text, "variant letter (A, B); null when none"),
                col("title", ColumnType::Text, "consensus title: the spelling most reports agree on, digital reports first"),
                col("title_variants", ColumnType::UInt32, "how many different titles (after normalising) the reports print"),
                col("first_seen", ColumnType::Date, "earliest report date that mentions it"),
                col("last_seen", ColumnType::Date, "latest report date that mentions it"),
                col("reports_seen", ColumnType::UInt32, "reports that mention it (files of one report date count once)"),
                col("raised_date", ColumnType::Date, "date raised"),
                col("proposer", ColumnType::Text, "who raised it"),
                col("organisation", ColumnType::Text, "the proposer's organisation"),
                col("stage", ColumnType::Enum(STAGES.to_vec()), "latest known stage: from its latest fact (see README), or Withdrawn by the DCC's status"),
                col("decision", ColumnType::Enum(vec!["approved", "rejected", "sent back"]), "the latest decision"),
                col("decision_date", ColumnType::Date, "date of that decision"),
                col("decision_body", ColumnType::Enum(vec!["Change Board", "Authority"]), "who decided"),
                col("release_name", ColumnType::Text, "the release it was or will be implemented in"),
                col("implemented_date", ColumnType::Date, "date first implemented"),
                col("last_dcc_status", ColumnType::Enum(status_names()), "the DCC assessment status in the latest report that gives one"),
            ],
        },
        Table {
            name: "diagnostics",
            meaning: "what could not be read, and every repair or inference worth a second look",
            columns: vec![
                col("report_id", ColumnType::Text, "first 16 hex digits of the report file's SHA-256"),
                col("source_file", ColumnType::Text, "the input path as given"),
                col("report_date", ColumnType::Date, "the report's date"),
                col("page", ColumnType::UInt32, "1-based page number (null for whole-file problems)"),
                col("line", ColumnType::UInt32, "1-based line within the page"),
                col("snippet", ColumnType::Text, "the source line as read"),
                col("severity", ColumnType::Enum(SEVERITIES.to_vec()), "info | warning | error"),
                col("code", ColumnType::Text, "a stable code, e.g. ambiguous_id, dcc_dates_unplaced"),
                col("message", ColumnType::Text, "what happened, in words"),
            ],
        },
    ]
}

/// The schema as text: what `secreg schema` prints and README links.
pub fn describe_tables() -> String {
    let mut out = String::new();
    for t in tables() {
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

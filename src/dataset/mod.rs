//! The dataset: every report's records as rows of the output tables.
//!
//! Reports are added one at a time as the pipeline finishes them (their text is gone by
//! then); the frames are built once at the end.
//!
//! Depends on `model` and `grammar`.

pub mod frames;
pub mod history;
pub mod schema;

use polars::prelude::{DataFrame, PolarsResult};

use crate::grammar::Date;
use crate::model::{ModRef, Provenance, ReportRecords};
use frames::{TableBuilder, Value};

/// What the pipeline knows about one input file besides its records.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub report_id: String,
    pub source_file: String,
    pub sha256: String,
    pub bytes: u64,
    pub pages: u32,
    pub text_source: Option<&'static str>,
    pub status: &'static str,
    pub error: Option<String>,
    pub millis: u32,
    /// The mean word confidence of the OCR'd pages (0..1), when pages were OCR'd.
    pub ocr_confidence: Option<f32>,
}

/// All output tables, filled as reports arrive; the history and the register are built from
/// all reports at the end.
pub struct Dataset {
    tables: Vec<TableBuilder>,
    history: history::HistoryInput,
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset::new()
    }
}

const REPORTS: usize = 0;
const MENTIONS: usize = 1;
const EVENTS: usize = 2;
const ASSESSMENTS: usize = 3;
const DCC_STATUS: usize = 4;
const HISTORY: usize = 5;
const MODIFICATIONS: usize = 6;
const DIAGNOSTICS: usize = 7;

fn mod_values(m: &ModRef) -> [Value; 4] {
    [
        m.id.canonical().into(),
        m.id.number.into(),
        m.id.variant.clone().into(),
        m.raw.as_str().into(),
    ]
}

impl Dataset {
    pub fn new() -> Dataset {
        let tables: Vec<TableBuilder> = schema::tables()
            .into_iter()
            .map(TableBuilder::new)
            .collect();
        debug_assert_eq!(tables[HISTORY].table.name, "history");
        debug_assert_eq!(tables[MODIFICATIONS].table.name, "modifications");
        debug_assert_eq!(tables[DIAGNOSTICS].table.name, "diagnostics");
        Dataset {
            tables,
            history: history::HistoryInput::default(),
        }
    }

    /// Adds one report: its `reports` row and all its records.
    pub fn add_report(&mut self, row: &ReportRow, records: Option<&ReportRecords>) {
        let report_date = records.and_then(|r| r.info.report_date);
        let common = |at: &Provenance| -> Vec<Value> {
            vec![
                row.report_id.clone().into(),
                row.source_file.clone().into(),
                Value::from(report_date),
                at.page.into(),
                at.line.into(),
                (&*at.snippet).into(),
            ]
        };
        let count = |n: usize| Value::UInt32(n as u32);
        let empty = ReportRecords::default();
        let r = records.unwrap_or(&empty);
        self.history.add_report(row, r);
        self.tables[REPORTS].push(vec![
            row.report_id.clone().into(),
            row.source_file.clone().into(),
            row.sha256.clone().into(),
            Value::UInt64(row.bytes),
            row.pages.into(),
            row.text_source.map(String::from).into(),
            Value::from(report_date),
            r.info.report_date_inferred.into(),
            r.info.title.clone().into(),
            r.info.author.clone().into(),
            row.status.into(),
            row.error.clone().into(),
            count(r.mentions.len()),
            count(r.events.len()),
            count(r.assessments.len()),
            count(r.dcc_status.len()),
            count(r.diagnostics.len()),
            row.millis.into(),
            row.ocr_confidence.into(),
        ]);
        for m in &r.mentions {
            let mut v = common(&m.at);
            v.extend(mod_values(&m.modification));
            v.extend([
                m.modification.prefix.as_str().into(),
                m.modification.repaired.into(),
                m.title.clone().into(),
            ]);
            self.tables[MENTIONS].push(v);
        }
        for e in &r.events {
            let mut v = common(&e.at);
            v.extend(mod_values(&e.modification));
            v.extend([
                e.modification.repaired.into(),
                e.title.clone().into(),
                e.event.name().into(),
                Value::from(e.date),
                e.date_inferred.into(),
                e.date_repaired.into(),
                e.proposer.clone().into(),
                e.organisation.clone().into(),
                e.release_name.clone().into(),
                e.detail.clone().into(),
                e.confidence.into(),
            ]);
            self.tables[EVENTS].push(v);
        }
        for a in &r.assessments {
            let mut v = common(&a.at);
            v.extend(mod_values(&a.modification));
            v.extend([
                a.modification.repaired.into(),
                a.table.name().into(),
                a.assessment_type.name().into(),
                Value::from(a.date),
                a.target_wd.into(),
                a.duration_wd.into(),
                a.confidence.into(),
            ]);
            self.tables[ASSESSMENTS].push(v);
        }
        for d in &r.dcc_status {
            let mut v = common(&d.at);
            v.extend(mod_values(&d.modification));
            let date = |x: Option<Date>| Value::from(x);
            v.extend([
                d.modification.repaired.into(),
                d.table.name().into(),
                d.status.map(|s| s.name().to_string()).into(),
                date(d.date_added),
                date(d.dates.pa_request),
                date(d.dates.pa_target),
                date(d.dates.pa_actual),
                date(d.dates.ia_request),
                date(d.dates.ia_target),
                date(d.dates.ia_actual),
                d.title.clone().into(),
                d.comment.clone().into(),
                d.confidence.into(),
            ]);
            self.tables[DCC_STATUS].push(v);
        }
        for d in &r.diagnostics {
            let (page, line, snippet) = match &d.at {
                Some(at) => (
                    Value::from(at.page),
                    Value::from(at.line),
                    Value::from(&*at.snippet),
                ),
                None => (Value::Null, Value::Null, Value::Null),
            };
            self.tables[DIAGNOSTICS].push(vec![
                row.report_id.clone().into(),
                row.source_file.clone().into(),
                Value::from(report_date),
                page,
                line,
                snippet,
                d.severity.name().into(),
                d.code.clone().into(),
                d.message.clone().into(),
            ]);
        }
    }

    /// Adds a whole-file diagnostic (a read failure) for a report already added.
    pub fn add_file_diagnostic(
        &mut self,
        row: &ReportRow,
        severity: &'static str,
        code: &'static str,
        message: String,
    ) {
        self.tables[DIAGNOSTICS].push(vec![
            row.report_id.clone().into(),
            row.source_file.clone().into(),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            severity.into(),
            code.into(),
            message.into(),
        ]);
    }

    /// Builds the history and the register from all reports added.
    fn build_history(&mut self) {
        let (rows, conflicts) = history::build_history(&mut self.history);
        let date = |d: Option<Date>| Value::from(d);
        let text = |t: Option<&'static str>| Value::from(t.map(String::from));
        for c in conflicts {
            self.tables[DIAGNOSTICS].push(vec![
                c.report_id.into(),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                c.source.into(),
                "warning".into(),
                "history_conflict".into(),
                c.message.into(),
            ]);
        }
        for h in &rows {
            self.tables[HISTORY].push(vec![
                h.mod_id.clone().into(),
                h.event.name().into(),
                date(h.event_date),
                h.proposer.clone().into(),
                h.organisation.clone().into(),
                h.release_name.clone().into(),
                h.detail.clone().into(),
                date(h.first_reported),
                date(h.last_reported),
                h.times_reported.into(),
                Value::TextList(h.report_ids.clone()),
                Value::TextList(h.sources.clone()),
                h.conflict.into(),
            ]);
        }
        for m in history::build_register(&self.history, &rows) {
            self.tables[MODIFICATIONS].push(vec![
                m.mod_id.into(),
                m.mod_number.into(),
                m.mod_variant.into(),
                m.title.into(),
                m.title_variants.into(),
                date(m.first_seen),
                date(m.last_seen),
                m.reports_seen.into(),
                date(m.raised_date),
                m.proposer.into(),
                m.organisation.into(),
                text(m.stage),
                text(m.decision),
                date(m.decision_date),
                text(m.decision_body),
                m.release_name.into(),
                date(m.implemented_date),
                m.last_dcc_status.map(|s| s.name().to_string()).into(),
            ]);
        }
    }

    /// Every table with no rows: the schemas of the output files, in schema order.
    pub fn empty_frames() -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        schema::tables()
            .into_iter()
            .map(|t| {
                let name = t.name;
                Ok((name, TableBuilder::new(t).into_frame()?))
            })
            .collect()
    }

    /// The rows added since the last call, as frames, for the tables that need nothing from
    /// later reports (all but the history and the register): a run writes them out in batches
    /// and never holds a whole table. The builders start empty again.
    pub fn take_batches(&mut self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let mut out = Vec::new();
        for (i, builder) in self.tables.iter_mut().enumerate() {
            if i == HISTORY || i == MODIFICATIONS || builder.is_empty() {
                continue;
            }
            let full = std::mem::replace(builder, TableBuilder::new(builder.table.clone()));
            out.push((full.table.name, full.into_frame()?));
        }
        Ok(out)
    }

    /// The finished frames, by table name, in schema order.
    pub fn into_frames(mut self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        self.build_history();
        self.tables
            .into_iter()
            .map(|t| {
                let name = t.table.name;
                Ok((name, t.into_frame()?))
            })
            .collect()
    }
}

//! What the site shows, read from the tables an ingest wrote (Parquet where it was written,
//! else CSV), only the columns the pages use.

use foldhash::{HashMap, HashMapExt};
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::grammar::Date;

/// A report (a row of `reports`).
#[derive(Debug, Clone, Default)]
pub struct ReportInfo {
    pub report_id: String,
    pub source_file: String,
    pub report_date: Option<Date>,
    pub report_title: Option<String>,
    pub text_source: Option<String>,
    pub status: String,
    pub error: Option<String>,
    pub pages: Option<u32>,
    pub ocr_confidence: Option<f64>,
}

/// A modification (a row of `modifications`).
#[derive(Debug, Clone, Default)]
pub struct Modification {
    pub mod_id: String,
    pub mod_number: u32,
    pub title: Option<String>,
    pub title_variants: Option<u32>,
    pub first_seen: Option<Date>,
    pub last_seen: Option<Date>,
    pub reports_seen: Option<u32>,
    pub raised_date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub stage: Option<String>,
    pub stage_source: Option<String>,
    pub decision: Option<String>,
    pub decision_date: Option<Date>,
    pub decision_body: Option<String>,
    pub release_name: Option<String>,
    pub implemented_date: Option<Date>,
    pub last_dcc_status: Option<String>,
}

/// A stage interval (a row of `stages`).
#[derive(Debug, Clone, Default)]
pub struct StageInterval {
    pub mod_id: String,
    pub stage: String,
    pub from_date: Option<Date>,
    pub to_date: Option<Date>,
    pub date_basis: Option<String>,
    pub opened_by: Option<String>,
    pub event: Option<String>,
    pub dcc_status: Option<String>,
    pub report_id: Option<String>,
    pub source: Option<String>,
}

/// A fact (a row of `history`).
#[derive(Debug, Clone, Default)]
pub struct Fact {
    pub mod_id: String,
    pub event: String,
    pub event_date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub release_name: Option<String>,
    pub detail: Option<String>,
    pub first_reported: Option<Date>,
    pub last_reported: Option<Date>,
    pub times_reported: Option<u32>,
    pub sources: Vec<String>,
    pub conflict: bool,
}

/// Where a row was read: report, file, date, page, line and the line as read.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub report_id: String,
    pub source_file: String,
    pub report_date: Option<Date>,
    pub page: Option<u32>,
    pub line: Option<u32>,
    pub snippet: Option<String>,
}

/// A row of `events`: a statement of a fact.
#[derive(Debug, Clone, Default)]
pub struct EventLine {
    pub at: Place,
    pub mod_id: String,
    pub event: String,
    pub id_repaired: bool,
    pub confidence: Option<f64>,
}

/// A row of `assessments`.
#[derive(Debug, Clone, Default)]
pub struct AssessmentLine {
    pub at: Place,
    pub mod_id: String,
    pub table: String,
    pub assessment_type: String,
    pub date: Option<Date>,
    pub target_wd: Option<u32>,
    pub duration_wd: Option<u32>,
    pub id_repaired: bool,
    pub confidence: Option<f64>,
}

/// A row of `dcc_status`.
#[derive(Debug, Clone, Default)]
pub struct DccLine {
    pub at: Place,
    pub mod_id: String,
    pub status: Option<String>,
    pub pa_request: Option<Date>,
    pub pa_target: Option<Date>,
    pub pa_actual: Option<Date>,
    pub ia_request: Option<Date>,
    pub ia_target: Option<Date>,
    pub ia_actual: Option<Date>,
    pub comment: Option<String>,
    pub id_repaired: bool,
    pub confidence: Option<f64>,
}

/// A row of `diagnostics`.
#[derive(Debug, Clone, Default)]
pub struct DiagnosticLine {
    pub at: Place,
    pub severity: String,
    pub code: String,
    pub message: Option<String>,
}

/// A row of `changes`.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub report_id: String,
    pub report_date: Option<Date>,
    pub previous_report_id: Option<String>,
    pub mod_id: String,
    pub change: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub source: Option<String>,
}

/// A row of `backfill` (written by `secreg backfill`): one field of one modification, the
/// register export's value beside the archive's.
#[derive(Debug, Clone, Default)]
pub struct BackfillLine {
    pub mod_id: String,
    pub field: String,
    pub verdict: String,
    pub register_value: Option<String>,
    pub archive_value: Option<String>,
    pub register_row: Option<u32>,
    pub report_date: Option<Date>,
    pub source_file: Option<String>,
    pub page: Option<u32>,
    pub line: Option<u32>,
    pub snippet: Option<String>,
    pub note: Option<String>,
}

/// Every table the site shows.
#[derive(Debug, Clone, Default)]
pub struct SiteData {
    pub reports: Vec<ReportInfo>,
    pub modifications: Vec<Modification>,
    pub stages: Vec<StageInterval>,
    pub facts: Vec<Fact>,
    pub events: Vec<EventLine>,
    pub assessments: Vec<AssessmentLine>,
    pub dcc: Vec<DccLine>,
    pub diagnostics: Vec<DiagnosticLine>,
    pub changes: Vec<Change>,
    /// Empty until `secreg backfill` has written its table beside the others.
    pub backfill: Vec<BackfillLine>,
}

/// A column read back: as its type in the Parquet file (a CSV's columns are all text). The
/// site once cast every column to text and parsed its dates and numbers back: a tenth of
/// reading a 1,000-report archive's tables went formatting dates only to parse them.
enum Values {
    Text(Vec<Option<String>>),
    Date(Vec<Option<Date>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Flag(Vec<Option<bool>>),
}

impl Values {
    /// The values of `column`, by its type; other types as text.
    fn of(column: &Column) -> PolarsResult<Values> {
        let dtype = column.dtype();
        Ok(if dtype == &DataType::String {
            Values::Text(
                column
                    .str()?
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect(),
            )
        } else if dtype == &DataType::Date {
            let days = column.cast(&DataType::Int32)?;
            let days = days.i32()?.iter();
            Values::Date(days.map(|d| d.map(Date::from_days_since_epoch)).collect())
        } else if dtype.is_integer() {
            let ints = column.cast(&DataType::Int64)?;
            Values::Int(ints.i64()?.iter().collect())
        } else if dtype.is_float() {
            let floats = column.cast(&DataType::Float64)?;
            Values::Float(floats.f64()?.iter().collect())
        } else if dtype == &DataType::Boolean {
            Values::Flag(column.bool()?.iter().collect())
        } else {
            let text = column.cast(&DataType::String)?;
            Values::Text(text.str()?.iter().map(|v| v.map(str::to_string)).collect())
        })
    }
}

/// A table read back, every column the site asks for (lists as lists).
struct Loaded {
    columns: HashMap<&'static str, Values>,
    lists: HashMap<&'static str, Vec<Vec<String>>>,
    rows: usize,
}

impl Loaded {
    /// A column as text (a number or date as the CSV writes it).
    fn text(&mut self, name: &'static str) -> Vec<Option<String>> {
        match self.columns.remove(name) {
            None => vec![None; self.rows],
            Some(Values::Text(v)) => v,
            Some(Values::Date(v)) => v.into_iter().map(|d| d.map(|d| d.to_string())).collect(),
            Some(Values::Int(v)) => v.into_iter().map(|n| n.map(|n| n.to_string())).collect(),
            Some(Values::Float(v)) => v.into_iter().map(|n| n.map(|n| n.to_string())).collect(),
            Some(Values::Flag(v)) => v.into_iter().map(|b| b.map(|b| b.to_string())).collect(),
        }
    }

    fn string(&mut self, name: &'static str) -> Vec<String> {
        self.text(name)
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    }

    /// A column stored as another type than the one asked for (a CSV's are all text): read
    /// as text and parsed.
    fn parsed<T>(
        &mut self,
        name: &'static str,
        stored: Values,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Vec<Option<T>> {
        self.columns.insert(name, stored);
        self.text(name)
            .into_iter()
            .map(|v| v.as_deref().and_then(&parse))
            .collect()
    }

    fn date(&mut self, name: &'static str) -> Vec<Option<Date>> {
        match self.columns.remove(name) {
            Some(Values::Date(v)) => v,
            Some(other) => self.parsed(name, other, Date::parse_iso),
            None => vec![None; self.rows],
        }
    }

    fn uint(&mut self, name: &'static str) -> Vec<Option<u32>> {
        match self.columns.remove(name) {
            Some(Values::Int(v)) => v
                .into_iter()
                .map(|n| n.and_then(|n| u32::try_from(n).ok()))
                .collect(),
            Some(other) => self.parsed(name, other, |v| v.parse().ok()),
            None => vec![None; self.rows],
        }
    }

    fn float(&mut self, name: &'static str) -> Vec<Option<f64>> {
        match self.columns.remove(name) {
            Some(Values::Float(v)) => v,
            Some(other) => self.parsed(name, other, |v| v.parse().ok()),
            None => vec![None; self.rows],
        }
    }

    fn flag(&mut self, name: &'static str) -> Vec<bool> {
        match self.columns.remove(name) {
            Some(Values::Flag(v)) => v.into_iter().map(|b| b == Some(true)).collect(),
            Some(other) => {
                self.columns.insert(name, other);
                self.text(name)
                    .into_iter()
                    .map(|v| v.as_deref() == Some("true"))
                    .collect()
            }
            None => vec![false; self.rows],
        }
    }

    fn list(&mut self, name: &'static str) -> Vec<Vec<String>> {
        self.lists
            .remove(name)
            .unwrap_or_else(|| vec![Vec::new(); self.rows])
    }

    fn place(&mut self) -> Vec<Place> {
        let (ids, files, dates, pages, lines, snippets) = (
            self.string("report_id"),
            self.string("source_file"),
            self.date("report_date"),
            self.uint("page"),
            self.uint("line"),
            self.text("snippet"),
        );
        ids.into_iter()
            .zip(files)
            .zip(dates)
            .zip(pages)
            .zip(lines)
            .zip(snippets)
            .map(
                |(((((report_id, source_file), report_date), page), line), snippet)| Place {
                    report_id,
                    source_file,
                    report_date,
                    page,
                    line,
                    snippet,
                },
            )
            .collect()
    }
}

/// Why the site could not be built from a folder's tables.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{dir}: no {table}.parquet or {table}.csv (run `secreg ingest --out {dir}` first)")]
    Missing { dir: String, table: String },
    #[error("{path}: {message}")]
    Read { path: String, message: String },
}

/// Where the site's tables are read from: a folder's files, some of which may have been
/// opened before they were put in place there (an ingest's new tables, read back while it
/// syncs and renames them: [`TableFiles::with_opened`]).
pub struct TableFiles {
    dir: PathBuf,
    /// Files opened ahead, by the path they are put in place at.
    opened: HashMap<PathBuf, File>,
}

impl TableFiles {
    /// The table files of `dir`, as they are.
    pub fn of_dir(dir: &Path) -> TableFiles {
        TableFiles::with_opened(dir, Vec::new())
    }

    /// The table files of `dir`, but where `opened` has a file (by the path it will have in
    /// `dir`): that file. Its bytes are read, wherever it is renamed to meanwhile.
    pub fn with_opened(dir: &Path, opened: Vec<(PathBuf, File)>) -> TableFiles {
        TableFiles {
            dir: dir.to_path_buf(),
            opened: opened.into_iter().collect(),
        }
    }

    /// The folder's path of a table's file in `format` (`parquet`, `csv`).
    fn path(&self, table: &str, format: &str) -> PathBuf {
        self.dir.join(format!("{table}.{format}"))
    }

    fn holds(&self, path: &Path) -> bool {
        self.opened.contains_key(path) || path.is_file()
    }

    fn open(&self, path: &Path) -> std::io::Result<File> {
        match self.opened.get(path) {
            // (Each table is read by one reader, so the handles' shared offset is its own.)
            Some(file) => file.try_clone(),
            None => File::open(path),
        }
    }
}

fn read_frame(
    tables: &TableFiles,
    table: &str,
    columns: &[&'static str],
) -> Result<(DataFrame, bool), LoadError> {
    let parquet = tables.path(table, "parquet");
    let csv = tables.path(table, "csv");
    let err = |path: &Path, e: String| LoadError::Read {
        path: path.display().to_string(),
        message: e,
    };
    if tables.holds(&parquet) {
        let file = tables
            .open(&parquet)
            .map_err(|e| err(&parquet, e.to_string()))?;
        let reader = ParquetReader::new(file);
        // Only the columns the table has (an older ingest's tables may lack new ones).
        let mut reader = reader;
        let schema = reader.schema().map_err(|e| err(&parquet, e.to_string()))?;
        let present: Vec<String> = columns
            .iter()
            .filter(|c| schema.contains(c))
            .map(|c| c.to_string())
            .collect();
        let df = reader
            .with_columns(Some(present))
            // One thread a table: the tables are read side by side already
            // ([`load_site_data`]), and polars' own split of a file's columns or row groups
            // over the cores only added hand-offs (paired, `secreg site`: one report's tables
            // 16.4 -> 14.3 ms, a thousand's 235 -> 216 ms).
            .read_parallel(polars::io::parquet::read::ParallelStrategy::None)
            .finish()
            .map_err(|e| err(&parquet, e.to_string()))?;
        return Ok((df, false));
    }
    if tables.holds(&csv) {
        let file = tables.open(&csv).map_err(|e| err(&csv, e.to_string()))?;
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(file)
            .finish()
            .map_err(|e| err(&csv, e.to_string()))?;
        return Ok((df, true));
    }
    Err(LoadError::Missing {
        dir: tables.dir.display().to_string(),
        table: table.to_string(),
    })
}

fn load(
    tables: &TableFiles,
    table: &str,
    columns: &[&'static str],
    lists: &[&'static str],
) -> Result<Loaded, LoadError> {
    let (mut df, from_csv) = read_frame(tables, table, columns)?;
    let err = |e: PolarsError| LoadError::Read {
        path: tables.dir.join(table).display().to_string(),
        message: e.to_string(),
    };
    let rows = df.height();
    let mut loaded = Loaded {
        columns: HashMap::new(),
        lists: HashMap::new(),
        rows,
    };
    for &name in columns {
        // Taken out of the frame and dropped once converted: the frame and every column as
        // strings are never held at once (the site's 1,000-report tables: 60,000 rows).
        let Ok(column) = df.drop_in_place(name) else {
            continue;
        };
        if lists.contains(&name) {
            let values: Vec<Vec<String>> = if from_csv {
                column
                    .str()
                    .map_err(err)?
                    .iter()
                    .map(|v| {
                        v.map(|v| v.split("; ").map(str::to_string).collect())
                            .unwrap_or_default()
                    })
                    .collect()
            } else {
                column
                    .list()
                    .map_err(err)?
                    .series_iter()
                    .map(|items| {
                        items
                            .and_then(|s| {
                                s.str()
                                    .ok()
                                    .map(|s| s.iter().flatten().map(str::to_string).collect())
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            };
            loaded.lists.insert(name, values);
            continue;
        }
        loaded
            .columns
            .insert(name, Values::of(&column).map_err(err)?);
    }
    Ok(loaded)
}

/// Reads the tables of `dir` that the site shows.
pub fn load_site_data(dir: &Path) -> Result<SiteData, LoadError> {
    load_site_tables(&TableFiles::of_dir(dir))
}

/// Reads the tables that the site shows, as `tables` finds them.
pub fn load_site_tables(tables: &TableFiles) -> Result<SiteData, LoadError> {
    // Each table read on a core of its own: read one after another, a thousand reports'
    // tables took 53 ms of the 0.4 s a new report added to them took in all.
    let mut reports = None;
    let mut modifications = None;
    let mut stages = None;
    let mut facts = None;
    let mut events = None;
    let mut assessments = None;
    let mut dcc = None;
    let mut diagnostics = None;
    let mut changes = None;
    rayon::scope(|s| {
        s.spawn(|_| reports = Some(load_reports(tables)));
        s.spawn(|_| modifications = Some(load_modifications(tables)));
        s.spawn(|_| stages = Some(load_stages(tables)));
        s.spawn(|_| facts = Some(load_facts(tables)));
        s.spawn(|_| events = Some(load_events(tables)));
        s.spawn(|_| assessments = Some(load_assessments(tables)));
        s.spawn(|_| dcc = Some(load_dcc(tables)));
        s.spawn(|_| diagnostics = Some(load_diagnostics(tables)));
        s.spawn(|_| changes = Some(load_changes(tables)));
    });
    let taken = "each table's read ran in the scope";
    Ok(SiteData {
        reports: reports.expect(taken)?,
        modifications: modifications.expect(taken)?,
        stages: stages.expect(taken)?,
        facts: facts.expect(taken)?,
        events: events.expect(taken)?,
        assessments: assessments.expect(taken)?,
        dcc: dcc.expect(taken)?,
        diagnostics: diagnostics.expect(taken)?,
        changes: changes.expect(taken)?,
        backfill: load_backfill(tables)?,
    })
}

const PLACE: [&str; 6] = [
    "report_id",
    "source_file",
    "report_date",
    "page",
    "line",
    "snippet",
];
/// The columns of a row's place (its report, page, line and snippet), then `more`.
fn with_place(more: &[&'static str]) -> Vec<&'static str> {
    PLACE.iter().copied().chain(more.iter().copied()).collect()
}

/// The `reports` table's rows, read back.
fn load_reports(tables: &TableFiles) -> Result<Vec<ReportInfo>, LoadError> {
    let mut t = load(
        tables,
        "reports",
        &[
            "report_id",
            "source_file",
            "report_date",
            "report_title",
            "text_source",
            "status",
            "error",
            "pages",
            "ocr_confidence",
        ],
        &[],
    )?;
    Ok({
        let (ids, mut files, dates, mut titles, mut sources, mut statuses, mut errors, pages, ocr) = (
            t.string("report_id"),
            t.string("source_file"),
            t.date("report_date"),
            t.text("report_title"),
            t.text("text_source"),
            t.string("status"),
            t.text("error"),
            t.uint("pages"),
            t.float("ocr_confidence"),
        );
        let mut out = Vec::with_capacity(ids.len());
        for (i, report_id) in ids.into_iter().enumerate() {
            out.push(ReportInfo {
                report_id,
                source_file: std::mem::take(&mut files[i]),
                report_date: dates[i],
                report_title: std::mem::take(&mut titles[i]),
                text_source: std::mem::take(&mut sources[i]),
                status: std::mem::take(&mut statuses[i]),
                error: std::mem::take(&mut errors[i]),
                pages: pages[i],
                ocr_confidence: ocr[i],
            });
        }
        out
    })
}

/// The `modifications` table's rows, read back.
fn load_modifications(tables: &TableFiles) -> Result<Vec<Modification>, LoadError> {
    let mut t = load(
        tables,
        "modifications",
        &[
            "mod_id",
            "mod_number",
            "title",
            "title_variants",
            "first_seen",
            "last_seen",
            "reports_seen",
            "raised_date",
            "proposer",
            "organisation",
            "stage",
            "stage_source",
            "decision",
            "decision_date",
            "decision_body",
            "release_name",
            "implemented_date",
            "last_dcc_status",
        ],
        &[],
    )?;
    Ok({
        let ids = t.string("mod_id");
        let numbers = t.uint("mod_number");
        let mut titles = t.text("title");
        let variants = t.uint("title_variants");
        let first = t.date("first_seen");
        let last = t.date("last_seen");
        let seen = t.uint("reports_seen");
        let raised = t.date("raised_date");
        let mut proposer = t.text("proposer");
        let mut org = t.text("organisation");
        let mut stage = t.text("stage");
        let mut stage_source = t.text("stage_source");
        let mut decision = t.text("decision");
        let decision_date = t.date("decision_date");
        let mut decision_body = t.text("decision_body");
        let mut release = t.text("release_name");
        let implemented = t.date("implemented_date");
        let mut dcc = t.text("last_dcc_status");
        let mut out = Vec::with_capacity(ids.len());
        for (i, mod_id) in ids.into_iter().enumerate() {
            out.push(Modification {
                mod_id,
                mod_number: numbers[i].unwrap_or(0),
                title: std::mem::take(&mut titles[i]),
                title_variants: variants[i],
                first_seen: first[i],
                last_seen: last[i],
                reports_seen: seen[i],
                raised_date: raised[i],
                proposer: std::mem::take(&mut proposer[i]),
                organisation: std::mem::take(&mut org[i]),
                stage: std::mem::take(&mut stage[i]),
                stage_source: std::mem::take(&mut stage_source[i]),
                decision: std::mem::take(&mut decision[i]),
                decision_date: decision_date[i],
                decision_body: std::mem::take(&mut decision_body[i]),
                release_name: std::mem::take(&mut release[i]),
                implemented_date: implemented[i],
                last_dcc_status: std::mem::take(&mut dcc[i]),
            });
        }
        out
    })
}

/// The `stages` table's rows, read back.
fn load_stages(tables: &TableFiles) -> Result<Vec<StageInterval>, LoadError> {
    let mut t = load(
        tables,
        "stages",
        &[
            "mod_id",
            "stage",
            "from_date",
            "to_date",
            "date_basis",
            "opened_by",
            "event",
            "dcc_status",
            "report_id",
            "source",
        ],
        &[],
    )?;
    Ok({
        let ids = t.string("mod_id");
        let mut stage = t.string("stage");
        let from = t.date("from_date");
        let to = t.date("to_date");
        let mut basis = t.text("date_basis");
        let mut by = t.text("opened_by");
        let mut event = t.text("event");
        let mut dcc = t.text("dcc_status");
        let mut report = t.text("report_id");
        let mut source = t.text("source");
        let mut out = Vec::with_capacity(ids.len());
        for (i, mod_id) in ids.into_iter().enumerate() {
            out.push(StageInterval {
                mod_id,
                stage: std::mem::take(&mut stage[i]),
                from_date: from[i],
                to_date: to[i],
                date_basis: std::mem::take(&mut basis[i]),
                opened_by: std::mem::take(&mut by[i]),
                event: std::mem::take(&mut event[i]),
                dcc_status: std::mem::take(&mut dcc[i]),
                report_id: std::mem::take(&mut report[i]),
                source: std::mem::take(&mut source[i]),
            });
        }
        out
    })
}

/// The `history` table's rows, read back.
fn load_facts(tables: &TableFiles) -> Result<Vec<Fact>, LoadError> {
    let mut t = load(
        tables,
        "history",
        &[
            "mod_id",
            "event",
            "event_date",
            "proposer",
            "organisation",
            "release_name",
            "detail",
            "first_reported",
            "last_reported",
            "times_reported",
            "sources",
            "conflict",
        ],
        &["sources"],
    )?;
    Ok({
        let ids = t.string("mod_id");
        let mut event = t.string("event");
        let date = t.date("event_date");
        let mut proposer = t.text("proposer");
        let mut org = t.text("organisation");
        let mut release = t.text("release_name");
        let mut detail = t.text("detail");
        let first = t.date("first_reported");
        let last = t.date("last_reported");
        let times = t.uint("times_reported");
        let mut sources = t.list("sources");
        let conflict = t.flag("conflict");
        let mut out = Vec::with_capacity(ids.len());
        for (i, mod_id) in ids.into_iter().enumerate() {
            out.push(Fact {
                mod_id,
                event: std::mem::take(&mut event[i]),
                event_date: date[i],
                proposer: std::mem::take(&mut proposer[i]),
                organisation: std::mem::take(&mut org[i]),
                release_name: std::mem::take(&mut release[i]),
                detail: std::mem::take(&mut detail[i]),
                first_reported: first[i],
                last_reported: last[i],
                times_reported: times[i],
                sources: std::mem::take(&mut sources[i]),
                conflict: conflict[i],
            });
        }
        out
    })
}

/// The `events` table's rows, read back.
fn load_events(tables: &TableFiles) -> Result<Vec<EventLine>, LoadError> {
    let mut t = load(
        tables,
        "events",
        &with_place(&["mod_id", "event", "id_repaired", "confidence"]),
        &[],
    )?;
    Ok({
        let places = t.place();
        let ids = t.string("mod_id");
        let mut event = t.string("event");
        let repaired = t.flag("id_repaired");
        let confidence = t.float("confidence");
        places
            .into_iter()
            .zip(ids)
            .enumerate()
            .map(|(i, (at, mod_id))| EventLine {
                at,
                mod_id,
                event: std::mem::take(&mut event[i]),
                id_repaired: repaired[i],
                confidence: confidence[i],
            })
            .collect()
    })
}

/// The `assessments` table's rows, read back.
fn load_assessments(tables: &TableFiles) -> Result<Vec<AssessmentLine>, LoadError> {
    let mut t = load(
        tables,
        "assessments",
        &with_place(&[
            "mod_id",
            "table",
            "assessment_type",
            "date",
            "target_wd",
            "duration_wd",
            "id_repaired",
            "confidence",
        ]),
        &[],
    )?;
    Ok({
        let places = t.place();
        let ids = t.string("mod_id");
        let mut table = t.string("table");
        let mut kind = t.string("assessment_type");
        let date = t.date("date");
        let target = t.uint("target_wd");
        let duration = t.uint("duration_wd");
        let repaired = t.flag("id_repaired");
        let confidence = t.float("confidence");
        places
            .into_iter()
            .zip(ids)
            .enumerate()
            .map(|(i, (at, mod_id))| AssessmentLine {
                at,
                mod_id,
                table: std::mem::take(&mut table[i]),
                assessment_type: std::mem::take(&mut kind[i]),
                date: date[i],
                target_wd: target[i],
                duration_wd: duration[i],
                id_repaired: repaired[i],
                confidence: confidence[i],
            })
            .collect()
    })
}

/// The `dcc_status` table's rows, read back.
fn load_dcc(tables: &TableFiles) -> Result<Vec<DccLine>, LoadError> {
    let mut t = load(
        tables,
        "dcc_status",
        &with_place(&[
            "mod_id",
            "status",
            "pa_request_date",
            "pa_target_date",
            "pa_actual_date",
            "ia_request_date",
            "ia_target_date",
            "ia_actual_date",
            "comment",
            "id_repaired",
            "confidence",
        ]),
        &[],
    )?;
    Ok({
        let places = t.place();
        let ids = t.string("mod_id");
        let mut status = t.text("status");
        let pa_request = t.date("pa_request_date");
        let pa_target = t.date("pa_target_date");
        let pa_actual = t.date("pa_actual_date");
        let ia_request = t.date("ia_request_date");
        let ia_target = t.date("ia_target_date");
        let ia_actual = t.date("ia_actual_date");
        let mut comment = t.text("comment");
        let repaired = t.flag("id_repaired");
        let confidence = t.float("confidence");
        places
            .into_iter()
            .zip(ids)
            .enumerate()
            .map(|(i, (at, mod_id))| DccLine {
                at,
                mod_id,
                status: std::mem::take(&mut status[i]),
                pa_request: pa_request[i],
                pa_target: pa_target[i],
                pa_actual: pa_actual[i],
                ia_request: ia_request[i],
                ia_target: ia_target[i],
                ia_actual: ia_actual[i],
                comment: std::mem::take(&mut comment[i]),
                id_repaired: repaired[i],
                confidence: confidence[i],
            })
            .collect()
    })
}

/// The `diagnostics` table's rows, read back.
fn load_diagnostics(tables: &TableFiles) -> Result<Vec<DiagnosticLine>, LoadError> {
    let mut t = load(
        tables,
        "diagnostics",
        &with_place(&["severity", "code", "message"]),
        &[],
    )?;
    Ok({
        let places = t.place();
        let mut severity = t.string("severity");
        let mut code = t.string("code");
        let mut message = t.text("message");
        places
            .into_iter()
            .enumerate()
            .map(|(i, at)| DiagnosticLine {
                at,
                severity: std::mem::take(&mut severity[i]),
                code: std::mem::take(&mut code[i]),
                message: std::mem::take(&mut message[i]),
            })
            .collect()
    })
}

/// The `changes` table's rows, read back.
fn load_changes(tables: &TableFiles) -> Result<Vec<Change>, LoadError> {
    let mut t = load(
        tables,
        "changes",
        &[
            "report_id",
            "report_date",
            "previous_report_id",
            "mod_id",
            "change",
            "before",
            "after",
            "source",
        ],
        &[],
    )?;
    Ok({
        let ids = t.string("report_id");
        let dates = t.date("report_date");
        let mut previous = t.text("previous_report_id");
        let mut mods = t.string("mod_id");
        let mut change = t.string("change");
        let mut before = t.text("before");
        let mut after = t.text("after");
        let mut source = t.text("source");
        ids.into_iter()
            .enumerate()
            .map(|(i, report_id)| Change {
                report_id,
                report_date: dates[i],
                previous_report_id: std::mem::take(&mut previous[i]),
                mod_id: std::mem::take(&mut mods[i]),
                change: std::mem::take(&mut change[i]),
                before: std::mem::take(&mut before[i]),
                after: std::mem::take(&mut after[i]),
                source: std::mem::take(&mut source[i]),
            })
            .collect()
    })
}

/// The `backfill` table, when `secreg backfill` wrote one into the folder.
fn load_backfill(tables: &TableFiles) -> Result<Vec<BackfillLine>, LoadError> {
    let written = ["parquet", "csv"]
        .iter()
        .any(|ext| tables.holds(&tables.path("backfill", ext)));
    if !written {
        return Ok(Vec::new());
    }
    let mut t = load(
        tables,
        "backfill",
        &[
            "mod_id",
            "field",
            "verdict",
            "register_value",
            "archive_value",
            "register_row",
            "report_date",
            "source_file",
            "page",
            "line",
            "snippet",
            "note",
        ],
        &[],
    )?;
    let (mods, mut fields, mut verdicts, mut register, mut archive, rows) = (
        t.string("mod_id"),
        t.string("field"),
        t.string("verdict"),
        t.text("register_value"),
        t.text("archive_value"),
        t.uint("register_row"),
    );
    let (dates, mut files, pages, lines, mut snippets, mut notes) = (
        t.date("report_date"),
        t.text("source_file"),
        t.uint("page"),
        t.uint("line"),
        t.text("snippet"),
        t.text("note"),
    );
    Ok(mods
        .into_iter()
        .enumerate()
        .map(|(i, mod_id)| BackfillLine {
            mod_id,
            field: std::mem::take(&mut fields[i]),
            verdict: std::mem::take(&mut verdicts[i]),
            register_value: std::mem::take(&mut register[i]),
            archive_value: std::mem::take(&mut archive[i]),
            register_row: rows[i],
            report_date: dates[i],
            source_file: std::mem::take(&mut files[i]),
            page: pages[i],
            line: lines[i],
            snippet: std::mem::take(&mut snippets[i]),
            note: std::mem::take(&mut notes[i]),
        })
        .collect())
}

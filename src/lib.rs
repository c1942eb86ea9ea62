//! secreg: SEC Change Status Reports into a typed history of every modification.
//!
//! For Rust users the crate is two functions: [`read_report`] reads one report's bytes (a PDF
//! with a text layer, or a `.txt` export) into its records, and [`ingest`] reads files and
//! folders into the [`Dataset`] of every output table (the tables `secreg ingest` writes,
//! as polars frames).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let june = "fixtures/reports/csr-2020-06-ocr.txt";
//! let report = secreg::read_report(&std::fs::read(june)?)?;
//! let raised = report.records.events.iter();
//! let raised = raised.filter(|e| e.event == secreg::EventKind::Raised);
//! assert!(raised.count() > 0);
//!
//! let dataset = secreg::ingest([june], &secreg::Options::default())?;
//! for (table, frame) in dataset.into_frames()? {
//!     println!("{table}: {} rows", frame.height());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The pipeline, one module a stage (dependencies flow one way, down this list): the command
//! line (`cli`); `pipeline`: find files, read each in isolation and in parallel, gather,
//! write; `output`: atomic CSV and Parquet writing; `dataset`: records as rows of typed
//! tables, with the schema; `model`: a report's pages into records with provenance;
//! `reading`: a file's bytes into pages of text (PDF text layer, `.txt`); `grammar`: the
//! vocabulary (`grammars/`) and the nom parsers for ids, dates, durations and statuses. Those
//! modules are public for the crate's own binary, tests, benches and fuzz targets only: they
//! are hidden from the documentation and are not a stable API.

#![warn(missing_docs)]

#[cfg(feature = "tables")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "tables")]
#[doc(hidden)]
pub mod dataset;
#[doc(hidden)]
pub mod grammar;
#[doc(hidden)]
pub mod model;
pub(crate) mod named;
#[cfg(feature = "tables")]
#[doc(hidden)]
pub mod output;
#[cfg(feature = "tables")]
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod reading;

use std::sync::OnceLock;

#[cfg(feature = "tables")]
pub use dataset::schema::Table;
#[cfg(feature = "tables")]
pub use dataset::Dataset;
pub use grammar::{Date, ModId};
pub use model::{
    Assessment, DccStatusRow, Diagnostic, Event, EventKind, Mention, ReportRecords, Severity,
};
#[cfg(feature = "tables")]
pub use pipeline::IngestError;
pub use reading::TextSource;

/// One report as [`read_report`] reads it.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where its text came from.
    pub text_source: TextSource,
    /// Pages read.
    pub pages: u32,
    /// Everything it yields: its cover, mentions, events, assessments, DCC rows and
    /// diagnostics, each with its page, line and the line as read.
    pub records: ReportRecords,
    /// What went wrong without stopping the read (a page that could not be decoded).
    pub problems: Vec<String>,
}

/// Why a report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not a report secreg can read (a broken or encrypted PDF, text in an
    /// unknown encoding).
    #[error("{0}")]
    Unreadable(String),
    /// A PDF with no text layer: it needs OCR.
    #[error("no text layer: the file needs OCR")]
    NoTextLayer,
    /// A reader or the report model panicked: a bug.
    #[error("{0} (a bug, please report it)")]
    Crashed(String),
}

/// The built-in vocabulary, compiled once.
fn vocabulary() -> &'static model::ReportVocabulary {
    static VOCABULARY: OnceLock<model::ReportVocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        model::ReportVocabulary::compile(grammar::Grammar::builtin())
            .expect("the built-in vocabulary compiles")
    })
}

/// Reads one report from its bytes, with the built-in vocabulary: a PDF's text layer (`%PDF-`
/// in its first kilobyte), or else a text export (UTF-8, or UTF-16 with a byte order mark).
pub fn read_report(bytes: &[u8]) -> Result<Report, ReadError> {
    use reading::{PageTextReader, PdfTextReader, TxtReader};
    let is_pdf = bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-");
    let reader: &dyn PageTextReader = if is_pdf { &PdfTextReader } else { &TxtReader };
    let texts = match reading::isolate::contain(|| reader.read(bytes)) {
        Ok(Ok(texts)) => texts,
        Ok(Err(e)) => return Err(ReadError::Unreadable(e.to_string())),
        Err(panic) => {
            return Err(ReadError::Crashed(format!(
                "the {} reader crashed: {panic}",
                reader.name()
            )))
        }
    };
    if texts.pages.iter().all(|p| p.trim().is_empty()) {
        return Err(ReadError::NoTextLayer);
    }
    let pages = model::Page::numbered(texts.pages, texts.words);
    let records = reading::isolate::contain(|| {
        model::extract_report(grammar::Grammar::builtin(), vocabulary(), &pages)
    })
    .map_err(|panic| ReadError::Crashed(format!("the report model crashed: {panic}")))?;
    Ok(Report {
        text_source: texts.source,
        pages: pages.len() as u32,
        records,
        problems: texts.problems,
    })
}

/// How [`ingest`] reads files.
#[cfg(feature = "tables")]
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads; `None` for all cores.
    pub jobs: Option<usize>,
    /// How long one file may take before it is given up as `failed`.
    pub file_timeout: std::time::Duration,
}

#[cfg(feature = "tables")]
impl Default for Options {
    fn default() -> Options {
        Options {
            jobs: None,
            file_timeout: pipeline::DEFAULT_FILE_TIMEOUT,
        }
    }
}

/// Reads every `.pdf` and `.txt` file among `paths` (folders are walked) into the dataset of
/// every output table, as `secreg ingest` does, with the built-in vocabulary, but writing
/// nothing and caching nothing. A file that cannot be read is a `failed` row of `reports`.
#[cfg(feature = "tables")]
pub fn ingest<P: AsRef<std::path::Path>>(
    paths: impl IntoIterator<Item = P>,
    options: &Options,
) -> Result<Dataset, IngestError> {
    let inputs: Vec<std::path::PathBuf> = paths
        .into_iter()
        .map(|p| p.as_ref().to_path_buf())
        .collect();
    let grammar = grammar::Grammar::builtin();
    let ctx = pipeline::ParseContext::new(grammar, None, options.file_timeout)?;
    let mut writer = pipeline::AddRows;
    let (dataset, _) = pipeline::gather(&inputs, None, &ctx, options.jobs, false, &mut writer)?;
    Ok(dataset)
}

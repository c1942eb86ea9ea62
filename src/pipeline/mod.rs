//! The pipeline: find the input files, read each one in isolation (in parallel), turn its
//! pages into records, gather them into the dataset and write the tables.
//!
//! One file's failure - an unreadable file, a damaged PDF, a panic inside a reader - becomes
//! that file's `reports` row and a diagnostic; it never stops the batch.
//!
//! Depends on `reading`, `model`, `dataset` and `output`.

pub mod cache;
pub mod discover;
pub mod profile;
pub mod record;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::dataset::{Dataset, ReportRow, ReportStatus};
use crate::grammar::{Grammar, GrammarError};
use crate::model::{
    extract_report, DiagnosticCode, Page, ReportRecords, ReportVocabulary, Severity,
};
use crate::output::{self, Format, OutputError};
use crate::reading::isolate;
use crate::reading::ocr::{self, OcrOptions};
use crate::reading::rules;
use crate::reading::{PageTextReader, PdfExtractReader, PdfTextReader, TextSource, TxtReader};
pub use cache::Cache;
pub use discover::{discover, Discovered, InputFile, InputKind};
use record::{RunRecord, Stamp};

/// What `secreg ingest` was asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    /// Worker threads; `None` for all cores.
    pub jobs: Option<usize>,
    pub formats: Vec<Format>,
    pub progress: bool,
    /// Parse every file again instead of reusing the cache.
    pub force: bool,
    /// How long one file may take.
    pub file_timeout: Duration,
    /// Which pages are OCR'd, and how.
    pub ocr: OcrOptions,
}

/// The default of `--file-timeout`: generous for a 100-page scan on a slow machine.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(120);

/// How many files are parsed between two writes of the tables' rows: enough to keep every
/// core busy, few enough that a batch's records are a few MB.
const FILES_PER_BATCH: usize = 64;

/// The same bytes under two names are one report: the later path (in input order) keeps its
/// `reports` row, marked `skipped` with the path it repeats, and yields no records.
fn mark_duplicates(
    outcomes: &mut [FileOutcome],
    first_seen: &mut std::collections::HashMap<String, String>,
) {
    for o in outcomes.iter_mut() {
        if o.row.sha256.is_empty() {
            continue;
        }
        match first_seen.get(&o.row.sha256) {
            Some(first) => {
                o.row.status = ReportStatus::Skipped;
                o.row.error = Some(format!(
                    "the same file as {first}: read once, under that name"
                ));
                o.records = None;
                o.problems.clear();
                o.notes.clear();
            }
            None => {
                first_seen.insert(o.row.sha256.clone(), o.row.source_file.clone());
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Grammar(#[from] GrammarError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot build table {table}: {message}")]
    Frame { table: String, message: String },
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, String),
}

/// How a run went.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub files: usize,
    pub pages: u64,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub no_text_layer: usize,
    pub skipped: usize,
    /// Files whose records came from the cache of an earlier run.
    pub reused: usize,
    /// (table, rows)
    pub rows: Vec<(&'static str, usize)>,
    pub failures: Vec<(String, String)>,
    pub written: Vec<PathBuf>,
    pub seconds: f64,
    /// Table files put in place by this run: 0 when every table's bytes were already there
    /// (then the site need not be built again).
    pub tables_replaced: usize,
    /// (path as shown, SHA-256) of every file read or found in the cache, for the run's
    /// record.
    pub hashes: Vec<(String, String)>,
}

impl IngestSummary {
    /// True when every file was read (partial reads count as read).
    pub fn all_read(&self) -> bool {
        self.failed == 0
    }

    /// The paragraph printed at the end of a run.
    pub fn paragraph(&self) -> String {
        let rows: Vec<String> = self.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let mut s = format!(
            "Read {} files ({} pages, {} parsed, {} unchanged since the last run) in {:.2} s: {} ok, {} partial, {} failed, {} without a text layer, {} skipped. Rows: {}.",
            self.files,
            self.pages,
            self.files - self.reused,
            self.reused,
            self.seconds,
            self.ok,
            self.partial,
            self.failed,
            self.no_text_layer,
            self.skipped,
            rows.join(", ")
        );
        for (file, error) in &self.failures {
            s.push_str(&format!("\n  failed: {file}: {error}"));
        }
        s
    }
}

/// One file's result.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub row: ReportRow,
    pub records: Option<ReportRecords>,
    /// Problems worth a diagnostic (pages that failed, encodings).
    pub problems: Vec<String>,
    /// How the file was read (info diagnostics).
    pub notes: Vec<String>,
    /// Taken from the parse cache rather than parsed in this run.
    pub from_cache: bool,
}

/// What parsing a file's bytes gave: everything of its outcome that depends on the bytes
/// alone (and so can be cached by their hash).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub pages: u32,
    #[serde(with = "crate::named::by_name")]
    pub text_source: Option<TextSource>,
    pub status: ReportStatus,
    pub error: Option<String>,
    pub records: Option<ReportRecords>,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    pub millis: u32,
    /// The mean over OCR'd pages of their mean word confidence (0..1); `None` when no page
    /// was OCR'd.
    #[serde(default)]
    pub ocr_confidence: Option<f32>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The reader for a kind of input file.
fn reader_for(kind: InputKind) -> &'static dyn PageTextReader {
    match kind {
        InputKind::Pdf => &PdfTextReader,
        InputKind::Txt => &TxtReader,
    }
}

/// Reads one file's pages with the reader the pipeline would use (panics contained).
pub fn read_pages(path: &Path) -> Result<crate::reading::PageTexts, String> {
    read_pages_with(path, false)
}

/// Reads one file's pages; PDFs with pdf-extract only when `pdf_extract` is set (to compare
/// the readers).
pub fn read_pages_with(
    path: &Path,
    pdf_extract: bool,
) -> Result<crate::reading::PageTexts, String> {
    let kind = discover::kind_of(path).ok_or("not a .pdf or .txt file")?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let reader = match kind {
        InputKind::Pdf if pdf_extract => &PdfExtractReader,
        _ => reader_for(kind),
    };
    match isolate::contain(|| reader.read(&bytes)) {
        Ok(result) => {
            let mut texts = result.map_err(|e| e.to_string())?;
            // As `ingest` reads it: pages without a text layer OCR'd (`--ocr auto`).
            if kind == InputKind::Pdf {
                let report = ocr::ocr_document(&bytes, &mut texts, &OcrOptions::default());
                texts.problems.extend(report.unavailable);
                rules::find_rules(&bytes, &mut texts, None);
                ocr::reread_ruled_cells(&bytes, &mut texts, &OcrOptions::default());
            }
            Ok(texts)
        }
        Err(panic) => Err(format!("the {} reader crashed: {panic}", reader.name())),
    }
}

/// Parses a file's bytes: pages of text, then records. Never panics: what went wrong is in
/// the result.
pub fn parse_bytes(
    kind: InputKind,
    bytes: &[u8],
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    ocr_options: &OcrOptions,
) -> Parsed {
    let start = Instant::now();
    let mut parsed = Parsed {
        pages: 0,
        text_source: None,
        status: ReportStatus::Failed,
        error: None,
        records: None,
        problems: Vec::new(),
        notes: Vec::new(),
        millis: 0,
        ocr_confidence: None,
    };
    let reader = reader_for(kind);
    let texts = match isolate::contain(|| reader.read(bytes)) {
        Ok(Ok(t)) => Some(t),
        Ok(Err(e)) => {
            parsed.error = Some(e.to_string());
            None
        }
        Err(panic) => {
            parsed.error = Some(format!("the {} reader crashed: {panic}", reader.name()));
            None
        }
    };
    let mut ocr_unavailable = None;
    let texts = texts.map(|mut texts| {
        if kind == InputKind::Pdf {
            let report = ocr::ocr_document(bytes, &mut texts, ocr_options);
            parsed.ocr_confidence = report.mean_confidence();
            ocr_unavailable = report.unavailable;
        }
        texts
    });
    if let Some(mut texts) = texts {
        parsed.pages = texts.pages.len() as u32;
        parsed.text_source = Some(texts.source);
        parsed.problems = std::mem::take(&mut texts.problems);
        parsed.notes = std::mem::take(&mut texts.notes);
        if texts.pages.is_empty() {
            parsed.error = Some(
                "the PDF has no pages that can be read (a broken or looping page tree?)".into(),
            );
        } else if texts.pages.iter().all(|p| p.trim().is_empty()) {
            parsed.status = ReportStatus::NoTextLayer;
            parsed.error = Some(match &ocr_unavailable {
                Some(why) => format!("no text layer: the file needs OCR, and {why}"),
                None if ocr_options.mode == ocr::OcrMode::Never => {
                    "no text layer: the file needs OCR (--ocr never)".into()
                }
                None if parsed.problems.is_empty() => "no text layer: the file needs OCR".into(),
                None => format!(
                    "no text layer: the file needs OCR, which failed: {}",
                    parsed.problems.join("; ")
                ),
            });
        } else {
            let records = match texts.source {
                TextSource::Ocr => {
                    let records = read_ocr_tables(bytes, &mut texts, grammar, vocab, ocr_options);
                    parsed.notes.append(&mut texts.notes);
                    records
                }
                _ => {
                    let pages = Page::numbered(texts.pages, texts.words);
                    isolate::contain(|| extract_report(grammar, vocab, &pages))
                }
            };
            match records {
                Ok(records) => {
                    parsed.records = Some(records);
                    if parsed.problems.is_empty() {
                        parsed.status = ReportStatus::Ok;
                    } else {
                        parsed.status = ReportStatus::Partial;
                        parsed.error = Some(parsed.problems.join("; "));
                    }
                }
                Err(panic) => {
                    parsed.error = Some(format!(
                        "the report model crashed (a bug, please report it): {panic}"
                    ));
                }
            }
        }
    }
    parsed.millis = start.elapsed().as_millis().min(u32::MAX as u128) as u32;
    parsed
}

/// An OCR'd document's records, its tables read with the rules of their pages' images: the
/// report is read once as its layer gives it, and where it holds tables, the pages they span
/// are searched for rules (and their ruled cells read again, [`ocr::reread_ruled_cells`])
/// and the report read again. Only those pages' images are decoded: decoding every page of
/// a scan cost 17 ms a page, ten times what reading its layer does.
fn read_ocr_tables(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    ocr_options: &OcrOptions,
) -> Result<crate::model::ReportRecords, String> {
    let first = Page::numbered(texts.pages.clone(), texts.words.clone());
    let records = isolate::contain(|| extract_report(grammar, vocab, &first))?;
    // The pages from the first table row to the last: a page between them whose table the
    // layer garbled past reading (generated scan 4001, page 8: no row without the rules) is
    // one of them too.
    let pages = records
        .dcc_status
        .iter()
        .map(|r| r.at.page)
        .chain(records.assessments.iter().map(|a| a.at.page));
    let (Some(first_page), Some(last_page)) = (pages.clone().min(), pages.max()) else {
        return Ok(records);
    };
    let wanted: Vec<bool> = (1..=texts.pages.len() as u32)
        .map(|p| (first_page..=last_page).contains(&p))
        .collect();
    rules::find_rules(bytes, texts, Some(&wanted));
    if texts.words.iter().all(|w| w.rules.is_empty()) {
        return Ok(records);
    }
    ocr::reread_ruled_cells(bytes, texts, ocr_options);
    let pages = Page::numbered(
        std::mem::take(&mut texts.pages),
        std::mem::take(&mut texts.words),
    );
    isolate::contain(|| extract_report(grammar, vocab, &pages))
}

/// What a file's parse needs, shared with the thread that runs it.
#[derive(Debug, Clone)]
pub struct ParseContext {
    pub grammar: Arc<Grammar>,
    pub vocab: Arc<ReportVocabulary>,
    pub cache: Option<Arc<Cache>>,
    /// How long one file may take, reading included.
    pub file_timeout: Duration,
    pub ocr: OcrOptions,
}

impl ParseContext {
    pub fn new(
        grammar: &Grammar,
        cache: Option<Cache>,
        file_timeout: Duration,
    ) -> Result<ParseContext, IngestError> {
        Ok(ParseContext {
            vocab: Arc::new(ReportVocabulary::compile(grammar)?),
            grammar: Arc::new(grammar.clone()),
            cache: cache.map(Arc::new),
            file_timeout,
            ocr: OcrOptions::default(),
        })
    }
}

/// The stack of a parse thread: deep enough for the recursion of PDF parsers on nested
/// objects (a stack overflow would end the whole process, not just the file).
const PARSE_STACK_BYTES: usize = 256 << 20;

/// Reads one file and extracts its records on a thread of its own, within the context's time
/// limit: a file that hangs a reader (a FIFO, a parser loop) is reported as timed out and the
/// run goes on, leaving that thread behind.
pub fn process_file(file: &InputFile, ctx: &ParseContext) -> FileOutcome {
    // A file unchanged since the last run whose entry loads needs no parse, so no thread of
    // its own (a thousand such files spent more time starting threads than loading entries).
    if let Some(outcome) = from_known_hash(file, ctx.cache.as_deref(), &unread_row(file)) {
        return outcome;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let (thread_file, thread_ctx) = (file.clone(), ctx.clone());
    let spawned = std::thread::Builder::new()
        .name(format!("parse {}", file.display))
        .stack_size(PARSE_STACK_BYTES)
        .spawn(move || {
            let outcome = process_file_now(
                &thread_file,
                &thread_ctx.grammar,
                &thread_ctx.vocab,
                thread_ctx.cache.as_deref(),
                &thread_ctx.ocr,
            );
            let _ = tx.send(outcome);
        });
    let failed = |error: String| FileOutcome {
        row: ReportRow {
            report_id: String::new(),
            source_file: file.display.clone(),
            sha256: String::new(),
            bytes: 0,
            pages: 0,
            text_source: None,
            status: ReportStatus::Failed,
            error: Some(error),
            millis: ctx.file_timeout.as_millis().min(u32::MAX as u128) as u32,
            ocr_confidence: None,
        },
        records: None,
        problems: Vec::new(),
        notes: Vec::new(),
        from_cache: false,
    };
    if let Err(e) = spawned {
        return failed(format!("cannot start a thread to read the file: {e}"));
    }
    match rx.recv_timeout(ctx.file_timeout) {
        Ok(outcome) => outcome,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => failed(format!(
            "timed out: not read within {} s (--file-timeout)",
            ctx.file_timeout.as_secs_f64()
        )),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            failed("the reader thread ended without a result".into())
        }
    }
}

/// Reads one file and extracts its records, or takes them from the cache when the same
/// bytes were parsed before by this version of secreg with this grammar. Never panics and
/// never fails: what went wrong is in the outcome.
pub fn process_file_now(
    file: &InputFile,
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    cache: Option<&Cache>,
    ocr_options: &OcrOptions,
) -> FileOutcome {
    let mut row = unread_row(file);
    if let Some(outcome) = from_known_hash(file, cache, &row) {
        return outcome;
    }
    let bytes = match profile::span("worker: read file", || std::fs::read(&file.path)) {
        Ok(b) => b,
        Err(e) => {
            row.error = Some(format!("cannot read the file: {e}"));
            return FileOutcome {
                row,
                records: None,
                problems: Vec::new(),
                notes: Vec::new(),
                from_cache: false,
            };
        }
    };
    row.sha256 = profile::span("worker: sha256", || sha256_hex(&bytes));
    row.report_id = row.sha256[..16].to_string();
    row.bytes = bytes.len() as u64;
    let cached = profile::span("worker: cache load", || {
        cache.and_then(|c| c.load(&row.sha256))
    });
    let from_cache = cached.is_some();
    let parsed = match cached {
        Some(p) => p,
        None => {
            let p = profile::span("worker: parse", || {
                parse_bytes(file.kind, &bytes, grammar, vocab, ocr_options)
            });
            if let Some(c) = cache {
                profile::span("worker: cache store", || c.store(&row.sha256, &p));
            }
            p
        }
    };
    drop(bytes);
    outcome_of(row, parsed, from_cache)
}

/// A file's `reports` row before it is read.
fn unread_row(file: &InputFile) -> ReportRow {
    ReportRow {
        report_id: String::new(),
        source_file: file.display.clone(),
        sha256: String::new(),
        bytes: 0,
        pages: 0,
        text_source: None,
        status: ReportStatus::Failed,
        error: None,
        millis: 0,
        ocr_confidence: None,
    }
}

/// The outcome of a file the last run read, unchanged since (its stamp, `record`), whose
/// cache entry loads: the file itself is not read.
fn from_known_hash(
    file: &InputFile,
    cache: Option<&Cache>,
    row: &ReportRow,
) -> Option<FileOutcome> {
    let cache = cache?;
    let sha256 = cache.known_hash(&file.path)?;
    let parsed = profile::span("worker: cache load", || cache.load(sha256))?;
    let mut row = row.clone();
    row.sha256 = sha256.to_string();
    row.report_id = row.sha256.get(..16)?.to_string();
    row.bytes = std::fs::metadata(&file.path).ok()?.len();
    Some(outcome_of(row, parsed, true))
}

/// A file's outcome from its row (path, hash, size) and what its bytes yielded.
fn outcome_of(mut row: ReportRow, parsed: Parsed, from_cache: bool) -> FileOutcome {
    row.pages = parsed.pages;
    row.text_source = parsed.text_source;
    row.status = parsed.status;
    row.error = parsed.error;
    row.millis = parsed.millis;
    row.ocr_confidence = parsed.ocr_confidence;
    FileOutcome {
        row,
        records: parsed.records,
        problems: parsed.problems,
        notes: parsed.notes,
        from_cache,
    }
}

/// The run's progress bar: files read, pages, failures, and (while OCR runs, which takes
/// seconds a page) the pages OCR'd of those planned, redrawn as they finish.
fn progress_bar(total: usize, enabled: bool, ocr_pages: Arc<ocr::PageCount>) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let ocr_key = move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
        let (done, planned) = ocr_pages.get();
        if planned > 0 {
            let _ = write!(w, ", OCR {done}/{planned} pages");
        }
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files, {msg}{ocr} [{elapsed_precise}, ETA {eta}]",
        )
        .expect("valid template")
        .with_key("ocr", ocr_key),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Reads every file, in parallel, in isolation. Results come back in input order.
pub fn process_files(
    files: &[InputFile],
    ctx: &ParseContext,
    jobs: Option<usize>,
    bar: &ProgressBar,
) -> Result<Vec<FileOutcome>, IngestError> {
    let threads = jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| IngestError::Threads(threads, e.to_string()))?;
    let pages = std::sync::atomic::AtomicU64::new(0);
    let failures = std::sync::atomic::AtomicU64::new(0);
    isolate::install_quiet_panic_hook();
    let outcomes = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let outcome = process_file(f, ctx);
                let p = pages.fetch_add(
                    outcome.row.pages as u64,
                    std::sync::atomic::Ordering::Relaxed,
                ) + outcome.row.pages as u64;
                let failed = if outcome.row.status == ReportStatus::Failed {
                    failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
                } else {
                    failures.load(std::sync::atomic::Ordering::Relaxed)
                };
                bar.set_message(format!("{p} pages, {failed} failed"));
                bar.inc(1);
                outcome
            })
            .collect()
    });
    Ok(outcomes)
}

/// Reads every file found among `inputs` (never below `out_dir`) into a dataset, batch by
/// batch: `each_batch` gets the dataset after each batch of files (to write out the rows
/// added). The history and the register are not built yet.
pub(crate) fn gather(
    inputs: &[PathBuf],
    out_dir: Option<&Path>,
    ctx: &ParseContext,
    jobs: Option<usize>,
    progress: bool,
    each_batch: impl FnMut(&mut Dataset) -> Result<(), IngestError>,
) -> Result<(Dataset, IngestSummary), IngestError> {
    let found = profile::span("discover", || discover(inputs, out_dir));
    gather_found(found, ctx, jobs, progress, each_batch)
}

/// [`gather`] over files already found.
pub(crate) fn gather_found(
    found: Discovered,
    ctx: &ParseContext,
    jobs: Option<usize>,
    progress: bool,
    mut each_batch: impl FnMut(&mut Dataset) -> Result<(), IngestError>,
) -> Result<(Dataset, IngestSummary), IngestError> {
    let bar = progress_bar(found.files.len(), progress, ctx.ocr.pages.clone());
    let mut summary = IngestSummary {
        files: found.files.len(),
        skipped: found.skipped.len(),
        ..IngestSummary::default()
    };
    let mut dataset = Dataset::new();
    let mut first_seen = std::collections::HashMap::new();
    for batch in found.files.chunks(FILES_PER_BATCH) {
        let mut outcomes = profile::span("files (read, load or parse)", || {
            process_files(batch, ctx, jobs, &bar)
        })?;
        mark_duplicates(&mut outcomes, &mut first_seen);
        // Each outcome is dropped once its rows are in the dataset.
        profile::span("rows added to the dataset", || {
            for o in outcomes {
                if !o.row.sha256.is_empty() {
                    summary
                        .hashes
                        .push((o.row.source_file.clone(), o.row.sha256.clone()));
                }
                add_outcome(&mut dataset, &mut summary, &o);
            }
        });
        profile::span("batches written", || each_batch(&mut dataset))?;
    }
    bar.finish_and_clear();
    for (path, reason) in &found.skipped {
        let row = ReportRow {
            report_id: String::new(),
            source_file: path.clone(),
            sha256: String::new(),
            bytes: 0,
            pages: 0,
            text_source: None,
            status: ReportStatus::Skipped,
            error: Some(reason.clone()),
            millis: 0,
            ocr_confidence: None,
        };
        dataset.add_report(&row, None);
    }
    Ok((dataset, summary))
}

/// Adds one file's outcome to the dataset and counts it in the summary.
fn add_outcome(dataset: &mut Dataset, summary: &mut IngestSummary, o: &FileOutcome) {
    summary.pages += o.row.pages as u64;
    summary.reused += o.from_cache as usize;
    match o.row.status {
        ReportStatus::Ok => summary.ok += 1,
        ReportStatus::Partial => summary.partial += 1,
        ReportStatus::NoTextLayer => summary.no_text_layer += 1,
        ReportStatus::Skipped => summary.skipped += 1,
        ReportStatus::Failed => {
            summary.failed += 1;
            summary.failures.push((
                o.row.source_file.clone(),
                o.row.error.clone().unwrap_or_default(),
            ));
        }
    }
    dataset.add_report(&o.row, o.records.as_ref());
    if o.row.status == ReportStatus::Failed {
        let message = o.row.error.clone().unwrap_or_default();
        dataset.add_file_diagnostic(&o.row, Severity::Error, DiagnosticCode::FileFailed, message);
    }
    for p in &o.problems {
        let message = p.clone();
        dataset.add_file_diagnostic(
            &o.row,
            Severity::Warning,
            DiagnosticCode::ReadProblem,
            message,
        );
    }
    for n in &o.notes {
        dataset.add_file_diagnostic(&o.row, Severity::Info, DiagnosticCode::ReadNote, n.clone());
    }
}

/// The whole run: discover, read, gather, write.
pub fn ingest(options: &IngestOptions, grammar: &Grammar) -> Result<IngestSummary, IngestError> {
    let start = Instant::now();
    output::prepare_dir(&options.out_dir)?;
    // The OCR settings change what a scan reads as: they are part of the cache's key.
    let cache_key = format!("{}-{}", grammar.fingerprint, options.ocr.cache_key());
    let mut cache = Cache::open(&options.out_dir, &cache_key, !options.force);
    let found = profile::span("discover", || {
        discover(&options.inputs, Some(&options.out_dir))
    });
    let stamps: Vec<Option<Stamp>> = profile::span("files stamped", || {
        found.files.iter().map(|f| Stamp::of(&f.path)).collect()
    });
    let run_key = format!("{} {:?}", cache.generation(), options.formats);
    let previous = match options.force {
        true => None,
        false => profile::span("last run's record read", || RunRecord::load(cache.dir())),
    };
    if let Some(previous) = previous {
        // Nothing changed: every table would be written with the bytes it has.
        if previous.unchanged(&run_key, &found, &stamps) {
            let mut summary = previous.summary();
            summary.seconds = start.elapsed().as_secs_f64();
            return Ok(summary);
        }
        cache.set_known_hashes(previous.known_hashes(&found, &stamps));
    }
    let mut ctx = profile::span("vocabulary compiled", || {
        ParseContext::new(grammar, Some(cache), options.file_timeout)
    })?;
    ctx.ocr = options.ocr.clone();
    let frame_error = |e: polars::prelude::PolarsError| IngestError::Frame {
        table: "?".into(),
        message: e.to_string(),
    };
    // Every table is written batch by batch to temporary files, put in place together at the
    // end: memory holds one batch of files' records, the builders' rows since the last batch,
    // and what the history needs (events), never a whole table or the archive's text.
    let mut sinks = Vec::new();
    let sinks_start = Instant::now();
    for (name, empty) in Dataset::empty_frames().map_err(frame_error)? {
        sinks.push((
            name,
            output::TableSink::create(&options.out_dir, name, &empty, &options.formats)?,
        ));
    }
    profile::add("table files opened", sinks_start);
    let write_batches = |dataset: &mut Dataset| -> Result<(), IngestError> {
        for (name, frame) in dataset.take_batches().map_err(frame_error)? {
            if let Some((_, sink)) = sinks.iter_mut().find(|(n, _)| *n == name) {
                sink.write(&frame)?;
            }
        }
        Ok(())
    };
    let (dataset, mut summary) = gather_found(
        found.clone(),
        &ctx,
        options.jobs,
        options.progress,
        write_batches,
    )?;
    // The history, the register and their diagnostics need every report: built last.
    let frames = profile::span("history, register, changes", || dataset.into_frames())
        .map_err(frame_error)?;
    profile::span("last rows written", || -> Result<(), IngestError> {
        for (name, frame) in frames {
            if let Some((_, sink)) = sinks.iter_mut().find(|(n, _)| *n == name) {
                sink.write(&frame)?;
            }
        }
        Ok(())
    })?;
    profile::span("tables committed", || -> Result<(), IngestError> {
        for (name, sink) in sinks {
            summary.rows.push((name, sink.rows()));
            let committed = sink.commit()?;
            summary.written.extend(committed.paths);
            summary.tables_replaced += committed.replaced;
        }
        Ok(())
    })?;
    if let Some(cache) = &ctx.cache {
        profile::span("cache pruned", || cache.prune_unused());
        let record = RunRecord::of_run(run_key, &found, &stamps, &summary);
        profile::span("run's record written", || record.store(cache.dir()));
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

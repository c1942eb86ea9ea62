//! The pipeline: find the input files, read each one in isolation (in parallel), turn its
//! pages into records, gather them into the dataset and write the tables.
//!
//! One file's failure - an unreadable file, a damaged PDF, a panic inside a reader - becomes
//! that file's `reports` row and a diagnostic; it never stops the batch.
//!
//! Depends on `reading`, `model`, `dataset` and `output`.

pub mod cache;
pub mod discover;
mod page_choice;
pub mod profile;
pub mod record;
pub mod segments;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
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
use crate::reading::words::{CellReading, UnreadCell};
use crate::reading::{PageTextReader, PdfExtractReader, PdfTextReader, TextSource, TxtReader};
pub use cache::Cache;
use cache::{FileFacts, SegmentEntry};
pub use discover::{discover, Discovered, InputFile, InputKind};
use record::{RunRecord, Stamp};
use segments::{Cutter, Segment, SegmentWriter, Slot};

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
    /// (path as shown, SHA-256, its cache entry's checksum) of every file read or found in
    /// the cache, for the run's record.
    pub hashes: Vec<(String, String, Option<u32>)>,
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
    /// The checksum of the cache entry that holds what the file's bytes yielded (loaded or
    /// stored by this run): with the `reports` row, the key of the file's rows (`segments`).
    pub entry_crc: Option<u32>,
}

impl FileOutcome {
    /// A file that yielded no records (its row says why).
    fn unread(row: ReportRow) -> FileOutcome {
        FileOutcome {
            row,
            records: None,
            problems: Vec::new(),
            notes: Vec::new(),
            from_cache: false,
            entry_crc: None,
        }
    }
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
            // As `ingest` reads it: pages without a text layer OCR'd (`--ocr auto`), and an
            // OCR'd layer's pages with the rules of their images (all pages: no report is read
            // here to say which hold tables). Ruled cells are not read again: that changes
            // words only, never the page text this is for, and costs a tesseract run a page.
            if kind == InputKind::Pdf {
                let report = ocr::ocr_document(&bytes, &mut texts, &OcrOptions::default());
                texts.problems.extend(report.unavailable);
                let _ = rules::find_rules(&bytes, &mut texts, None);
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
    vocab: &Vocabulary,
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
    let texts = match profile::span("worker: pages read", || {
        isolate::contain(|| reader.read(bytes))
    }) {
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
    let mut ocr_read = Vec::new();
    let texts = texts.map(|mut texts| {
        if kind == InputKind::Pdf {
            let report = ocr::ocr_document(bytes, &mut texts, ocr_options);
            parsed.ocr_confidence = report.mean_confidence();
            ocr_unavailable = report.unavailable;
            ocr_read = report.read;
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
            let records = profile::span("worker: vocabulary awaited", || vocab.get())
                .map_err(|e| format!("the report grammar does not compile: {e}"));
            let records = records.and_then(|vocab| match texts.source {
                TextSource::Ocr => {
                    let ocr = (ocr_options, ocr_read.as_slice());
                    let records = read_ocr_report(bytes, &mut texts, grammar, vocab, ocr);
                    parsed.notes.append(&mut texts.notes);
                    parsed.problems.append(&mut texts.problems);
                    records
                }
                _ => {
                    let pages = Page::numbered(texts.pages, texts.words);
                    profile::span("worker: report model", || {
                        isolate::contain(|| extract_report(grammar, vocab, &pages))
                    })
                    .map_err(|panic| crashed(&panic))
                }
            });
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
                Err(e) => parsed.error = Some(e),
            }
        }
    }
    parsed.millis = start.elapsed().as_millis().min(u32::MAX as u128) as u32;
    parsed
}

/// What went wrong when the report model panicked.
fn crashed(panic: &str) -> String {
    format!("the report model crashed (a bug, please report it): {panic}")
}

/// An OCR'd document's records: its tables read with the rules of their pages' images
/// ([`read_ocr_tables`]), then the cells OCR plainly damaged repaired by the words its pages
/// print ([`crate::model::cell_repair`]).
fn read_ocr_report(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    ocr: (&OcrOptions, &[usize]),
) -> Result<crate::model::ReportRecords, String> {
    let first = Page::numbered(texts.pages.clone(), texts.words.clone());
    let mut records = read_ocr_tables(bytes, texts, &first, grammar, vocab, ocr)
        .map_err(|panic| crashed(&panic))?;
    let page_texts = first.iter().map(|p| p.text.as_str());
    crate::model::cell_repair::repair_ocr_cells(grammar, vocab, page_texts, &mut records);
    Ok(records)
}

/// An OCR'd document's records, its tables read with the rules of their pages' images: the report
/// is read once as its layer gives it, and where it holds tables, the pages they span are searched
/// for rules (and their ruled cells read again, [`ocr::reread_ruled_cells`]; pages OCR'd from their
/// images without such rules read again as sparse text, [`read_table_pages_sparse`]) and the report
/// read again. Only those pages' images are decoded: decoding and searching every page of 40
/// fixture scans took 3.5 s, where reading their layers takes 0.33 s.
fn read_ocr_tables(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    first: &[Page],
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    (ocr_options, ocr_read): (&OcrOptions, &[usize]),
) -> Result<crate::model::ReportRecords, String> {
    let records = profile::span("scan read from its layer", || {
        isolate::contain(|| extract_report(grammar, vocab, first))
    })?;
    // The pages from the first table row to the last: a page between them whose table the
    // layer garbled past reading (generated scan 4001, page 8: no row without the rules) is
    // one of them too.
    // So is a page whose rows were found but not read (generated scan 8001's assessments,
    // page 3: OCR lost their `Type` column, which the cells read again give back).
    let unread_rows = records.diagnostics.iter().filter_map(|d| {
        matches!(
            d.code,
            DiagnosticCode::TableRowUnread | DiagnosticCode::DccRowIdUnread
        )
        .then(|| d.at.as_ref().map(|at| at.page))
        .flatten()
    });
    let pages = records
        .dcc_status
        .iter()
        .map(|r| r.at.page)
        .chain(records.assessments.iter().map(|a| a.at.page))
        .chain(unread_rows);
    let (Some(first_page), Some(last_page)) = (pages.clone().min(), pages.max()) else {
        return Ok(records);
    };
    // (And the page after the last row: a page whose layer lost every row of a table's
    // end, generated scan 7603's page 11, is searched for its unread ink.)
    let wanted: Vec<bool> = (1..=texts.pages.len() as u32)
        .map(|p| (first_page..=last_page + 1).contains(&p))
        .collect();
    let unread = profile::span("scan rules found", || {
        rules::find_rules(bytes, texts, Some(&wanted))
    });
    // (A page whose layer left its ink unread is OCR'd again whole, below: not read sparse.)
    let mut sparse_wanted = wanted.clone();
    for &(i, share) in &unread {
        if let Some(w) = sparse_wanted
            .get_mut(i)
            .filter(|_| share >= READ_AGAIN_UNREAD)
        {
            *w = false;
        }
    }
    let misread = misread_layer(&records, &sparse_wanted, ocr_read);
    let misread_read = read_misread_pages_again(bytes, texts, ocr_options, misread.as_ref());
    let misread_pages = misread.map(|m| m.pages).unwrap_or_default();
    let ocr_read: Vec<usize> = ocr_read.iter().chain(&misread_pages).copied().collect();
    let sparse = read_table_pages_sparse(bytes, texts, ocr_options, &ocr_read, &sparse_wanted);
    let read_again = read_thin_pages_again(bytes, texts, ocr_options, &unread) + misread_read;
    // (The worded cells are read again last, once the tables read as well as they will
    // without them: [`with_worded_cells_read_again`].)
    let unread: Vec<UnreadCell> = records
        .unread_cells
        .iter()
        .filter(|c| c.reading != CellReading::ReplaceWhereSure)
        .copied()
        .collect();
    let ids_read_again = profile::span("scan unread cells read again", || {
        ocr::reread_unread_cells(bytes, texts, &unread, ocr_options)
    });
    if read_again == 0
        && ids_read_again == 0
        && sparse == 0
        && texts.words.iter().all(|w| w.rules.is_empty())
    {
        return with_worded_cells_read_again(bytes, texts, (grammar, vocab), ocr_options, records);
    }
    // The layer's words (and those OCR'd again above) with the rules of their images: what
    // a page whose cells, read again, lost rows is read from next. (Reading cells again
    // changes a page's words, never its text.)
    let layer_words = texts.words.clone();
    let cells_read_again = profile::span("scan cells read again", || {
        ocr::reread_ruled_cells(bytes, texts, ocr_options)
    });
    let pages = Page::numbered(
        std::mem::take(&mut texts.pages),
        std::mem::take(&mut texts.words),
    );
    let mut again = isolate::contain(|| extract_report(grammar, vocab, &pages))?;
    let lost = page_choice::pages_whose_rows_were_lost(&records, &again);
    let (fallback, unruled) = if lost.is_empty() || cells_read_again == 0 {
        (records, lost)
    } else {
        let texts = pages.iter().map(|p| p.text.clone()).collect();
        let ruled_layer = Page::numbered(texts, layer_words);
        ruled_layer_read(grammar, vocab, &ruled_layer, records)?
    };
    for page in page_choice::keep_pages_whose_rows_were_lost(fallback, &mut again) {
        let how = if unruled.contains(&page) {
            "the layer's reading of the page is kept"
        } else {
            "the page is read from the layer's words, its rows parted by its image's rules"
        };
        texts.notes.push(format!(
            "page {page}: its tables read from the cells read again held fewer rows (or \
             statuses) than from the text layer; {how}"
        ));
    }
    // (The pages' words lent back to the reader, for their worded cells.)
    (texts.pages, texts.words) = pages
        .into_iter()
        .map(|p| (p.text, p.words.unwrap_or_default()))
        .unzip();
    with_worded_cells_read_again(bytes, texts, (grammar, vocab), ocr_options, again)
}

/// A scan's report read again with the title and comment cells of its tables not ruled
/// between their rows read again from the page images, each where tesseract reads it surer
/// than the layer ([`CellReading::ReplaceWhereSure`]): a layer read from the whole page
/// garbles grey print that, cut out alone, reads as printed (generated scan 9601's delivery
/// table: `Introducing a ~enbege Wistributton Netware Operators`). `texts` holds the words
/// `read` was read from. A page whose tables then hold fewer rows, statuses, dates, titles
/// or comments keeps `read`'s: the words read again stand where tesseract boxes them, which
/// can part a table's rows otherwise than the layer's lines did (generated scan 9703, whose
/// titles stand on their rows' top lines: each title's first line went to the row above).
fn with_worded_cells_read_again(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    (grammar, vocab): (&Grammar, &ReportVocabulary),
    ocr_options: &OcrOptions,
    read: crate::model::ReportRecords,
) -> Result<crate::model::ReportRecords, String> {
    let worded: Vec<UnreadCell> = read
        .unread_cells
        .iter()
        .filter(|c| c.reading == CellReading::ReplaceWhereSure)
        .copied()
        .collect();
    if worded.is_empty() {
        return Ok(read);
    }
    let replaced = profile::span("scan worded cells read again", || {
        ocr::reread_unread_cells(bytes, texts, &worded, ocr_options)
    });
    if replaced == 0 {
        return Ok(read);
    }
    let pages = Page::numbered(
        std::mem::take(&mut texts.pages),
        std::mem::take(&mut texts.words),
    );
    let mut again = isolate::contain(|| extract_report(grammar, vocab, &pages))?;
    for page in page_choice::keep_pages_whose_cells_were_lost(read, &mut again) {
        texts.notes.push(format!(
            "page {page}: its tables read with their title and comment cells read again held \
             fewer rows, statuses, dates, titles or comments; the reading before is kept"
        ));
    }
    Ok(again)
}

/// The report read from its layer's words with the rules found in its pages' images
/// (`ruled_layer`), each page of whose tables that read lost rows against the layer read
/// without them (`unruled_read`) put back from it; and those pages. What a page whose cells,
/// read again one by one, lost rows falls back to: generated scan 9705's grey Appendix A,
/// whose ids stand on their rows' top lines and whose first page begins with the page
/// before's last row, continued. Its cells read again lost the grey ids; without the rules,
/// each row's title took the lower half of the row above's (`... eters installed at Domestic
/// Premises Section D-Review Moving the Working Group`).
fn ruled_layer_read(
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    ruled_layer: &[Page],
    unruled_read: crate::model::ReportRecords,
) -> Result<(crate::model::ReportRecords, Vec<u32>), String> {
    let mut ruled = isolate::contain(|| extract_report(grammar, vocab, ruled_layer))?;
    let unruled = page_choice::keep_pages_whose_rows_were_lost_whole(unruled_read, &mut ruled);
    Ok((ruled, unruled))
}

/// The pages secreg's OCR read from their images (`ocr_read`, 0-based) that hold tables
/// (`wanted`) without rules between their rows ([`ocr::RULED_TABLE_RULES`]) read again as sparse
/// text ([`ocr::ocr_table_pages_sparse`]), each page that took those words noted; how many
/// did. (A ruled table's cells are each read on their own again, [`ocr::reread_ruled_cells`],
/// cut where the rules part them; its page read sparse was cut worse: generated image-only
/// scan 8701's delivery table lost the first word of six titles, their rows drawn where the
/// sparse words stood.)
fn read_table_pages_sparse(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    ocr_options: &OcrOptions,
    ocr_read: &[usize],
    wanted: &[bool],
) -> usize {
    let pages: Vec<usize> = ocr_read
        .iter()
        .copied()
        .filter(|&i| wanted.get(i).copied().unwrap_or(false))
        .filter(|&i| {
            texts
                .words
                .get(i)
                .is_some_and(|w| !w.words.is_empty() && w.rules.len() < ocr::RULED_TABLE_RULES)
        })
        .collect();
    let (report, taken) = profile::span("scan table pages read sparse", || {
        ocr::ocr_table_pages_sparse(bytes, texts, ocr_options, &pages)
    });
    texts.problems.extend(report.unavailable);
    for &i in &taken {
        texts.notes.push(format!(
            "page {}: its tables read from OCR's sparse reading of the page image (more of its text read confidently)",
            i + 1
        ));
    }
    taken.len()
}

/// The share of a scanned report's Appendix A rows whose status cell its text layer
/// misread (read only as the nearest status, or as none) at which the layer is judged too
/// poor to read its tables from. DCC statuses are a closed vocabulary printed in every row:
/// a layer that cannot spell `PA in progress` (generated scan 8700, a 150 dpi layer:
/// `PAlmprogess`, `IAin pros progress`, `Nocutstanding`) misreads the titles and comments
/// beside them too (its titles F1 0.49; 0.82 read again from the images).
const MISREAD_LAYER_SHARE: f32 = 0.2;

/// The fewest Appendix A rows a report's layer must give for [`MISREAD_LAYER_SHARE`] to be
/// judged on them.
const MISREAD_LAYER_ROWS: usize = 10;

/// An OCR layer that misread its report's Appendix A: how many of the DCC rows it gave had
/// their status misread, and the pages (0-based) their tables span, to be OCR'd again.
struct MisreadLayer {
    misread: usize,
    rows: usize,
    pages: Vec<usize>,
}

/// The layer of a report that misread its DCC statuses ([`MISREAD_LAYER_SHARE`]), with the
/// pages its Appendix A spans (and the page after, as for rules) that `wanted` holds and
/// secreg's own OCR did not read (`ocr_read`); none where the layer reads them. (The pages
/// of the assessment tables, whose statuses the canary does not see, are left as read:
/// generated scan 8700's, read well by its layer, read again lost 0.02 of assessments.)
fn misread_layer(
    records: &crate::model::ReportRecords,
    wanted: &[bool],
    ocr_read: &[usize],
) -> Option<MisreadLayer> {
    let rows = records.dcc_status.len();
    let misread = records
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                DiagnosticCode::DccStatusRepaired | DiagnosticCode::DccStatusUnread
            )
        })
        .count();
    if rows < MISREAD_LAYER_ROWS || (misread as f32) < MISREAD_LAYER_SHARE * rows as f32 {
        return None;
    }
    let dcc_pages = records
        .dcc_status
        .iter()
        .map(|r| (r.at.page as usize).saturating_sub(1));
    let (first, last) = (dcc_pages.clone().min()?, dcc_pages.max()?);
    let pages = (first..=last + 1)
        .filter(|&i| wanted.get(i).copied().unwrap_or(false) && !ocr_read.contains(&i))
        .collect();
    Some(MisreadLayer {
        misread,
        rows,
        pages,
    })
}

/// OCRs again the Appendix A pages of a report whose layer misread them ([`misread_layer`]),
/// with a note; how many were read again.
fn read_misread_pages_again(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    ocr_options: &OcrOptions,
    layer: Option<&MisreadLayer>,
) -> u32 {
    let Some(layer) = layer.filter(|l| !l.pages.is_empty()) else {
        return 0;
    };
    let report = profile::span("scan misread pages OCR'd again", || {
        ocr::ocr_misread_pages(bytes, texts, ocr_options, &layer.pages)
    });
    let what = if report.pages > 0 {
        "read again by OCR from their images"
    } else {
        "not read again (OCR is off or unavailable)"
    };
    let (first, last) = (layer.pages[0] + 1, layer.pages[layer.pages.len() - 1] + 1);
    let pages = if first == last {
        format!("page {first}")
    } else {
        format!("pages {first}-{last}")
    };
    texts.notes.push(format!(
        "{pages}: the text layer misread {} of the {} DCC statuses it gave; {what}",
        layer.misread, layer.rows,
    ));
    texts.problems.extend(report.unavailable);
    report.pages
}

/// The share of a scanned page's ink its text layer must leave unread for the page to be
/// OCR'd again from its image. Generated scan 7603's page 11 (a table's header read, its
/// eight grey rows not) leaves 0.83; every other table page of 28 generated scans 0.20 or
/// less, most under 0.02. Pages that leave 0.09 to 0.20 (a grey row's cells, an id here
/// and there) read worse whole from tesseract than from their layer: 7401's and 7802's
/// titles fell 0.02 and 0.06.
const READ_AGAIN_UNREAD: f32 = 0.25;

/// OCRs again the pages whose text layer left [`READ_AGAIN_UNREAD`] or more of their ink
/// unread (`unread`: page index, share), each with a note; how many pages were read again
/// (the report must then be read again, rules or none).
fn read_thin_pages_again(
    bytes: &[u8],
    texts: &mut crate::reading::PageTexts,
    ocr_options: &OcrOptions,
    unread: &[(usize, f32)],
) -> u32 {
    let thin: Vec<(usize, f32)> = unread
        .iter()
        .copied()
        .filter(|&(_, share)| share >= READ_AGAIN_UNREAD)
        .collect();
    if thin.is_empty() {
        return 0;
    }
    let pages: Vec<usize> = thin.iter().map(|&(i, _)| i).collect();
    let report = profile::span("scan pages OCR'd again", || {
        ocr::ocr_pages_again(bytes, texts, ocr_options, &pages)
    });
    for (i, share) in thin {
        let what = if report.pages > 0 {
            "read again by OCR from its image"
        } else {
            "not read again (OCR is off or unavailable): rows there may be missing"
        };
        texts.notes.push(format!(
            "page {}: the text layer leaves {:.0}% of the page's ink unread; {what}",
            i + 1,
            100. * share
        ));
    }
    texts.problems.extend(report.unavailable);
    report.pages
}

/// The report vocabulary's automata, compiled when a file is first parsed (a run whose
/// files are all in the cache never compiles them: 27-29 ms of a run that parses one, on the
/// project's 2-core machine), beside its reading.
#[derive(Debug)]
pub struct Vocabulary {
    grammar: Arc<Grammar>,
    compiled: Arc<OnceLock<Result<ReportVocabulary, String>>>,
    /// Whether a thread was started to compile it.
    started: Arc<AtomicBool>,
}

impl Vocabulary {
    /// The vocabulary of a grammar, compiled now when it is not the built-in one (so that a
    /// grammar that does not compile is an error before any file is read), else when first
    /// needed.
    pub fn new(grammar: &Grammar) -> Result<Vocabulary, IngestError> {
        let vocabulary = Vocabulary {
            grammar: Arc::new(grammar.clone()),
            compiled: Arc::default(),
            started: Arc::default(),
        };
        if grammar.fingerprint != Grammar::builtin().fingerprint {
            let compiled = ReportVocabulary::compile(grammar)?;
            compiled.check_patterns()?;
            let _ = vocabulary.compiled.set(Ok(compiled));
        }
        Ok(vocabulary)
    }

    /// The compiled vocabulary (compiled by the first caller; the others wait for it).
    pub fn get(&self) -> Result<&ReportVocabulary, String> {
        Self::compiled(&self.compiled, &self.grammar)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn compiled<'c>(
        compiled: &'c OnceLock<Result<ReportVocabulary, String>>,
        grammar: &Grammar,
    ) -> &'c Result<ReportVocabulary, String> {
        compiled.get_or_init(|| {
            profile::span("vocabulary compiled", || {
                ReportVocabulary::compile(grammar).map_err(|e| e.to_string())
            })
        })
    }

    /// Starts compiling the vocabulary on a thread of its own, unless it is compiled or
    /// being compiled: a file about to be parsed is read meanwhile, and its parse waits for
    /// the vocabulary only when it needs it (the June 2020 digital report: its pages are read
    /// in the 40 ms the vocabulary takes). A thread that cannot be started leaves the compile
    /// to the first [`Vocabulary::get`].
    pub fn compile_in_background(&self) {
        if self.compiled.get().is_some() || self.started.swap(true, Ordering::Relaxed) {
            return;
        }
        let (compiled, grammar) = (self.compiled.clone(), self.grammar.clone());
        let _ = std::thread::Builder::new()
            .name("vocabulary".into())
            .spawn(move || {
                if let Ok(vocabulary) = Self::compiled(&compiled, &grammar) {
                    profile::span("vocabulary: the rest built", || vocabulary.build_the_rest());
                }
            });
    }
}

/// What a file's parse needs, shared with the thread that runs it.
#[derive(Debug, Clone)]
pub struct ParseContext {
    pub grammar: Arc<Grammar>,
    pub vocab: Arc<Vocabulary>,
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
            vocab: Arc::new(Vocabulary::new(grammar)?),
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
    Pending::start(file, ctx).finish(file, ctx)
}

/// A file being read on a thread of its own.
pub struct Pending {
    outcome: Result<std::sync::mpsc::Receiver<FileOutcome>, String>,
    started: Instant,
}

impl Pending {
    /// Starts reading a file on a thread of its own.
    pub fn start(file: &InputFile, ctx: &ParseContext) -> Pending {
        let (tx, rx) = std::sync::mpsc::channel();
        let (thread_file, thread_ctx) = (file.clone(), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("parse {}", file.display))
            .stack_size(PARSE_STACK_BYTES)
            .spawn(move || {
                // (Where a thread waits for a core, the timeline shows it.)
                profile::add("parse thread started", std::time::Instant::now());
                let outcome = process_file_now(
                    &thread_file,
                    &thread_ctx.grammar,
                    &thread_ctx.vocab,
                    thread_ctx.cache.as_deref(),
                    &thread_ctx.ocr,
                );
                let _ = tx.send(outcome);
            });
        Pending {
            outcome: spawned
                .map(|_| rx)
                .map_err(|e| format!("cannot start a thread to read the file: {e}")),
            started: Instant::now(),
        }
    }

    /// The file's outcome, once read, or once the context's time limit (counted from the
    /// start) has passed.
    pub fn finish(self, file: &InputFile, ctx: &ParseContext) -> FileOutcome {
        let failed = |error: String| {
            FileOutcome::unread(ReportRow {
                error: Some(error),
                millis: ctx.file_timeout.as_millis().min(u32::MAX as u128) as u32,
                ..unread_row(file)
            })
        };
        let rx = match self.outcome {
            Ok(rx) => rx,
            Err(e) => return failed(e),
        };
        let left = ctx.file_timeout.saturating_sub(self.started.elapsed());
        match rx.recv_timeout(left) {
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
}

/// Reads one file and extracts its records, or takes them from the cache when the same
/// bytes were parsed before by this version of secreg with this grammar. Never panics and
/// never fails: what went wrong is in the outcome.
pub fn process_file_now(
    file: &InputFile,
    grammar: &Grammar,
    vocab: &Vocabulary,
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
            return FileOutcome::unread(row);
        }
    };
    row.sha256 = profile::span("worker: sha256", || sha256_hex(&bytes));
    row.report_id = row.sha256[..16].to_string();
    row.bytes = bytes.len() as u64;
    let cached = profile::span("worker: cache load", || {
        cache.and_then(|c| c.load(&row.sha256))
    });
    let from_cache = cached.is_some();
    let (parsed, crc) = match cached {
        Some((p, crc)) => (p, Some(crc)),
        None => {
            vocab.compile_in_background();
            let p = profile::span("worker: parse", || {
                parse_bytes(file.kind, &bytes, grammar, vocab, ocr_options)
            });
            let crc = cache
                .and_then(|c| profile::span("worker: cache store", || c.store(&row.sha256, &p)));
            (p, crc)
        }
    };
    drop(bytes);
    outcome_of(row, parsed, from_cache, crc)
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
    let (parsed, crc) = profile::span("worker: cache load", || cache.load(sha256))?;
    let mut row = row.clone();
    row.sha256 = sha256.to_string();
    row.report_id = row.sha256.get(..16)?.to_string();
    row.bytes = cache.known_len(&file.path)?;
    Some(outcome_of(row, parsed, true, Some(crc)))
}

/// A file's outcome from its row (path, hash, size) and what its bytes yielded.
fn outcome_of(
    mut row: ReportRow,
    parsed: Parsed,
    from_cache: bool,
    entry_crc: Option<u32>,
) -> FileOutcome {
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
        entry_crc,
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

/// The worker threads of a run: `jobs`, or one a core.
fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, IngestError> {
    let threads = jobs.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| IngestError::Threads(threads, e.to_string()))
}

/// Reads every file, in parallel, in isolation. Results come back in input order.
pub fn process_files(
    files: &[InputFile],
    ctx: &ParseContext,
    jobs: Option<usize>,
    bar: &ProgressBar,
) -> Result<Vec<FileOutcome>, IngestError> {
    let pool = worker_pool(jobs)?;
    let pending = files.iter().map(|_| None).collect();
    Ok(process_batch(
        &pool,
        files,
        pending,
        ctx,
        bar,
        &Counts::default(),
    ))
}

/// Pages and failures so far, for the progress bar.
#[derive(Default)]
struct Counts {
    pages: std::sync::atomic::AtomicU64,
    failures: std::sync::atomic::AtomicU64,
}

/// Reads a batch of files in the pool, each one whose read has started already (`pending`,
/// aligned with `files`) waited for. Results come back in input order.
fn process_batch(
    pool: &rayon::ThreadPool,
    files: &[InputFile],
    pending: Vec<Option<Pending>>,
    ctx: &ParseContext,
    bar: &ProgressBar,
    counts: &Counts,
) -> Vec<FileOutcome> {
    isolate::install_quiet_panic_hook();
    pool.install(|| {
        files
            .par_iter()
            .zip(pending)
            .map(|(f, pending)| {
                let outcome = match pending {
                    Some(p) => p.finish(f, ctx),
                    None => process_file(f, ctx),
                };
                progress(bar, counts, &outcome);
                outcome
            })
            .collect()
    })
}

/// A run with this few files to read (not known from the last run) starts reading them all
/// at once, each on its thread, while the other files' records are loaded from the cache.
const READ_AHEAD: usize = 8;

/// Reads every file found among `inputs` (never below `out_dir`) into a dataset, segment by
/// segment (`segments`): every report's facts go to the history, the register and the
/// changes; `writer` gets the dataset and each segment of files in turn, to add their rows.
/// The history and the register are not built yet.
pub(crate) fn gather(
    inputs: &[PathBuf],
    out_dir: Option<&Path>,
    ctx: &ParseContext,
    jobs: Option<usize>,
    progress: bool,
    writer: &mut dyn SegmentWriter,
) -> Result<(Dataset, IngestSummary), IngestError> {
    let found = profile::span("discover", || discover(inputs, out_dir));
    let reading = reads_ahead(&found, ctx);
    gather_found((found, reading), ctx, jobs, progress, "", writer)
}

/// The reads started at once of a run with few files to read (at most [`READ_AHEAD`] not
/// known from the last run), each on its thread: their parse overlaps the cache's loads and
/// the opening of the table files. `None` for each file not so started.
pub(crate) fn reads_ahead(found: &Discovered, ctx: &ParseContext) -> Vec<Option<Pending>> {
    let cache = ctx.cache.as_deref();
    let known = |i: usize| cache.and_then(|c| c.known_file(&found.files[i].path));
    let mut pending: Vec<Option<Pending>> = found.files.iter().map(|_| None).collect();
    let unknown: Vec<usize> = (0..found.files.len())
        .filter(|&i| known(i).is_none())
        .collect();
    if unknown.len() <= READ_AHEAD {
        // A file not known from the last run is most likely parsed (its bytes may yet be in
        // the cache under another name): the vocabulary's compile is started now, beside
        // the file's read and hash, not after them.
        if !unknown.is_empty() {
            ctx.vocab.compile_in_background();
        }
        for i in unknown {
            pending[i] = Some(Pending::start(&found.files[i], ctx));
        }
    }
    pending
}

/// A writer that adds every segment's rows to the dataset (which then holds whole tables).
pub(crate) struct AddRows;

impl SegmentWriter for AddRows {
    fn can_copy(&self, _: &str) -> bool {
        false
    }

    fn write(&mut self, dataset: &mut Dataset, segment: Segment) -> Result<(), IngestError> {
        add_rows(dataset, &segment);
        Ok(())
    }
}

/// Adds a segment's rows to the dataset's tables, as they are, in order.
pub(crate) fn add_rows(dataset: &mut Dataset, segment: &Segment) {
    for o in &segment.outcomes {
        add_outcome_rows(dataset, o);
    }
}

/// The same bytes under two names are one report: the later path (in input order) keeps its
/// `reports` row, marked `skipped` with the path it repeats, and yields no records.
fn mark_duplicate(o: &mut FileOutcome, first: &str) {
    o.row.status = ReportStatus::Skipped;
    o.row.error = Some(format!(
        "the same file as {first}: read once, under that name"
    ));
    o.records = None;
    o.problems.clear();
    o.notes.clear();
}

/// The run's state while files are gathered.
struct Gathering<'a> {
    ctx: &'a ParseContext,
    /// Worker threads: `None` for one a core.
    jobs: Option<usize>,
    bar: ProgressBar,
    counts: Counts,
    summary: IngestSummary,
    dataset: Dataset,
    /// The first path of each file's bytes.
    first_seen: std::collections::HashMap<String, String>,
    /// The cache's generation: what every segment's key is salted with.
    salt: &'a str,
}

impl Gathering<'_> {
    /// The path of the file with these bytes seen first, if it is another.
    fn first_of(&mut self, sha256: &str, display: &str) -> Option<String> {
        if sha256.is_empty() {
            return None;
        }
        match self.first_seen.get(sha256) {
            Some(first) => Some(first.clone()),
            None => {
                self.first_seen
                    .insert(sha256.to_string(), display.to_string());
                None
            }
        }
    }

    /// Worker threads for one batch of files. (A pool kept for the whole run held 20-25 MB
    /// more at the peak of a first run of 1,000 reports: memory freed on its threads stays
    /// with them; a pool a batch gives it back when its threads end.)
    fn pool(&self) -> Result<rayon::ThreadPool, IngestError> {
        worker_pool(self.jobs)
    }

    /// Reads files of a batch (by their index in it), in parallel, each one whose read has
    /// started already waited for.
    fn read(
        &self,
        batch: &[InputFile],
        to_read: Vec<(usize, Option<Pending>)>,
    ) -> Result<std::collections::HashMap<usize, FileOutcome>, IngestError> {
        let ctx = self.ctx;
        if to_read.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let pool = self.pool()?;
        Ok(profile::span("files (read, load or parse)", || {
            pool.install(|| {
                to_read
                    .into_par_iter()
                    .map(|(i, p)| {
                        let outcome = match p {
                            Some(p) => p.finish(&batch[i], ctx),
                            None => process_file(&batch[i], ctx),
                        };
                        progress(&self.bar, &self.counts, &outcome);
                        (i, outcome)
                    })
                    .collect()
            })
        }))
    }

    /// A segment: copied and its folds reused when the writer can copy it and the cache
    /// holds its folds, else its files' records loaded (or read), folded and written.
    fn segment(
        &mut self,
        slots: Vec<Slot>,
        files: &[InputFile],
        writer: &mut dyn SegmentWriter,
    ) -> Result<(), IngestError> {
        let key = segments::key_of(self.salt, &slots);
        let reused = match (&key, self.ctx.cache.as_deref()) {
            (Some(key), Some(cache)) if writer.can_copy(key) => {
                profile::span("segments' folds loaded", || cache.load_segment(key))
            }
            _ => None,
        };
        let segment = match reused {
            Some(entry) => self.reuse(entry, key, slots.len()),
            None => {
                let outcomes = self.load(slots, files)?;
                // (An entry that did not load was parsed again: the key is the rows' as they
                // are.)
                let key = segments::key_of(self.salt, &outcomes);
                let outcomes = outcomes.into_iter().map(Slot::into_outcome).collect();
                self.fold(outcomes, key)
            }
        };
        profile::span("segments written", || {
            writer.write(&mut self.dataset, segment)
        })
    }

    /// A segment whose rows are copied: its folds merged from the cache, its files counted;
    /// their entries are kept, not read.
    fn reuse(&mut self, entry: SegmentEntry, key: Option<String>, files: usize) -> Segment {
        profile::span("segments' folds merged", || {
            self.dataset.merge_folds(entry.folds)
        });
        for f in &entry.files {
            if let Some(cache) = self.ctx.cache.as_deref() {
                cache.keep(&f.sha256);
            }
            count_facts(&mut self.summary, f, true);
            self.summary
                .hashes
                .push((f.source_file.clone(), f.sha256.clone(), f.entry_crc));
        }
        self.bar.inc(files as u64);
        Segment {
            outcomes: Vec::new(),
            key,
        }
    }

    /// The segment's files with their records: the entries of known files loaded (or the
    /// files read again when an entry does not load), in parallel.
    fn load(&self, slots: Vec<Slot>, files: &[InputFile]) -> Result<Vec<Slot>, IngestError> {
        let ctx = self.ctx;
        let (bar, counts) = (&self.bar, &self.counts);
        let pool = self.pool()?;
        Ok(profile::span("files (read, load or parse)", || {
            pool.install(|| {
                slots
                    .into_par_iter()
                    .map(|slot| match slot {
                        Slot::Known { file, first, .. } => {
                            let mut outcome = process_file(&files[file], ctx);
                            if let Some(first) = &first {
                                mark_duplicate(&mut outcome, first);
                            }
                            progress(bar, counts, &outcome);
                            Slot::Read { outcome, first }
                        }
                        read => read,
                    })
                    .collect()
            })
        }))
    }

    /// A segment whose rows are built: its reports counted and folded, its folds kept in the
    /// cache under its key and merged into the run's.
    fn fold(&mut self, outcomes: Vec<FileOutcome>, key: Option<String>) -> Segment {
        let folds = profile::span("reports folded (history, register, changes)", || {
            let mut folds = crate::dataset::Folds::default();
            for o in &outcomes {
                count_outcome(&mut self.summary, o);
                self.summary.hashes.push((
                    o.row.source_file.clone(),
                    o.row.sha256.clone(),
                    o.entry_crc,
                ));
                folds.add_report(&o.row, o.records.as_ref());
            }
            folds
        });
        match (&key, self.ctx.cache.as_deref()) {
            (Some(key), Some(cache)) => {
                let entry = SegmentEntry {
                    folds,
                    files: outcomes.iter().map(facts_of).collect(),
                };
                profile::span("segments' folds stored", || {
                    cache.store_segment(key, &entry)
                });
                self.dataset.merge_folds(entry.folds);
            }
            _ => self.dataset.merge_folds(folds),
        }
        Segment { outcomes, key }
    }
}

/// What a file's outcome counts for in a run's summary.
fn facts_of(o: &FileOutcome) -> FileFacts {
    FileFacts {
        source_file: o.row.source_file.clone(),
        sha256: o.row.sha256.clone(),
        pages: o.row.pages,
        status: o.row.status,
        error: o.row.error.clone(),
        entry_crc: o.entry_crc,
    }
}

/// Counts one file, read or reused, in the progress bar.
fn progress(bar: &ProgressBar, counts: &Counts, outcome: &FileOutcome) {
    use std::sync::atomic::Ordering::Relaxed;
    let pages = outcome.row.pages as u64;
    let p = counts.pages.fetch_add(pages, Relaxed) + pages;
    let failed = if outcome.row.status == ReportStatus::Failed {
        counts.failures.fetch_add(1, Relaxed) + 1
    } else {
        counts.failures.load(Relaxed)
    };
    bar.set_message(format!("{p} pages, {failed} failed"));
    bar.inc(1);
}

/// [`gather`] over files already found; `salt` goes into every segment's key.
pub(crate) fn gather_found(
    (found, pending): (Discovered, Vec<Option<Pending>>),
    ctx: &ParseContext,
    jobs: Option<usize>,
    progress_shown: bool,
    salt: &str,
    writer: &mut dyn SegmentWriter,
) -> Result<(Dataset, IngestSummary), IngestError> {
    let mut g = Gathering {
        ctx,
        jobs: {
            // (Checked once: each batch makes its own.)
            worker_pool(jobs)?;
            jobs
        },
        bar: progress_bar(found.files.len(), progress_shown, ctx.ocr.pages.clone()),
        counts: Counts::default(),
        summary: IngestSummary {
            files: found.files.len(),
            skipped: found.skipped.len(),
            ..IngestSummary::default()
        },
        dataset: Dataset::new(),
        first_seen: std::collections::HashMap::new(),
        salt,
    };
    let cache = ctx.cache.as_deref();
    let known = |i: usize| cache.and_then(|c| c.known_file(&found.files[i].path));
    let mut cutter = Cutter::default();
    let mut pending = pending.into_iter();
    for (b, batch) in found.files.chunks(FILES_PER_BATCH).enumerate() {
        let base = b * FILES_PER_BATCH;
        // The files not known from the last run are read, in parallel.
        let to_read: Vec<(usize, Option<Pending>)> = pending
            .by_ref()
            .take(batch.len())
            .enumerate()
            .filter(|(i, _)| known(base + i).is_none())
            .collect();
        let mut read = g.read(batch, to_read)?;
        for (i, file) in batch.iter().enumerate() {
            let slot = match read.remove(&i) {
                Some(mut outcome) => {
                    let first = g.first_of(&outcome.row.sha256, &file.display);
                    if let Some(first) = &first {
                        mark_duplicate(&mut outcome, first);
                    }
                    Slot::Read { outcome, first }
                }
                None => {
                    let (sha256, bytes, crc) = known(base + i).expect("known, not read");
                    let first = g.first_of(sha256, &file.display);
                    Slot::Known {
                        file: base + i,
                        display: file.display.clone(),
                        sha256: sha256.to_string(),
                        bytes,
                        crc,
                        first,
                    }
                }
            };
            if let Some(slots) = cutter.push(slot) {
                g.segment(slots, &found.files, writer)?;
            }
        }
    }
    if let Some(slots) = cutter.finish() {
        g.segment(slots, &found.files, writer)?;
    }
    g.bar.finish_and_clear();
    let (mut dataset, summary) = (g.dataset, g.summary);
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

/// Counts one file's facts in the summary (`reused`: from the cache).
fn count_facts(summary: &mut IngestSummary, f: &FileFacts, reused: bool) {
    summary.pages += f.pages as u64;
    summary.reused += reused as usize;
    match f.status {
        ReportStatus::Ok => summary.ok += 1,
        ReportStatus::Partial => summary.partial += 1,
        ReportStatus::NoTextLayer => summary.no_text_layer += 1,
        ReportStatus::Skipped => summary.skipped += 1,
        ReportStatus::Failed => {
            summary.failed += 1;
            summary
                .failures
                .push((f.source_file.clone(), f.error.clone().unwrap_or_default()));
        }
    }
}

/// Counts one file's outcome in the summary.
fn count_outcome(summary: &mut IngestSummary, o: &FileOutcome) {
    count_facts(summary, &facts_of(o), o.from_cache);
}

/// Adds one file's rows to the dataset's tables: its records' and its whole-file
/// diagnostics.
fn add_outcome_rows(dataset: &mut Dataset, o: &FileOutcome) {
    dataset.add_rows(&o.row, o.records.as_ref());
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
fn frame_error(e: polars::prelude::PolarsError) -> IngestError {
    IngestError::Frame {
        table: "?".into(),
        message: e.to_string(),
    }
}

/// The table files of a run, written segment by segment: a segment the last run wrote is
/// copied from its tables where they still hold it, else built and encoded.
struct TableWriter<'a> {
    /// (table, whether it holds rows per report, its sink)
    sinks: &'a mut Vec<(&'static str, bool, output::TableSink)>,
    earlier: &'a segments::Earlier,
    formats: &'a [Format],
    layout: &'a mut segments::LayoutBuilder,
}

impl SegmentWriter for TableWriter<'_> {
    fn can_copy(&self, key: &str) -> bool {
        self.sinks.iter().all(|(name, per_report, _)| {
            !per_report
                || self
                    .earlier
                    .copy_of(Some(key), name, self.formats)
                    .is_some()
        })
    }

    fn write(&mut self, dataset: &mut Dataset, segment: Segment) -> Result<(), IngestError> {
        let key = segment.key.as_deref();
        self.layout.segment(key);
        let copies: Vec<_> = self
            .sinks
            .iter()
            .map(|(name, per_report, _)| {
                per_report.then(|| self.earlier.copy_of(key, name, self.formats))
            })
            .collect();
        let build = copies.iter().any(|c| matches!(c, Some(None)));
        if build && segment.outcomes.is_empty() {
            // (`can_copy` said every table could copy it: the records were not loaded.)
            return Err(IngestError::Frame {
                table: "?".into(),
                message: "a segment to copy cannot be copied (a bug)".into(),
            });
        }
        let frames = match build {
            true => profile::span("segments built", || {
                add_rows(dataset, &segment);
                dataset.take_batches()
            })
            .map_err(frame_error)?,
            false => Vec::new(),
        };
        let mut to_encode = Vec::new();
        for ((name, _, sink), copy) in self.sinks.iter_mut().zip(copies) {
            match copy.flatten() {
                Some(Some(copy)) => {
                    profile::span("segments copied", || sink.copy(&copy))?;
                    let csv_bytes = copy.csv.map_or(0, |(_, _, len)| len);
                    self.layout.span(name, key, copy.rows, csv_bytes);
                }
                Some(None) => {}
                None => {
                    if let Some((_, frame)) = frames.iter().find(|(n, _)| n == name) {
                        to_encode.push((*name, sink, frame));
                    }
                }
            }
        }
        for (name, rows, csv_bytes) in encode_tables(to_encode)? {
            self.layout.span(name, key, rows, csv_bytes);
        }
        Ok(())
    }
}

/// `value` freed on a thread of its own: the parse context (the vocabulary's automata, many
/// thousands of allocations) took 1.8 ms to free at the end of a one-report run of 45, which
/// the caller (the site, built next) need not wait for. (Where no thread can be started, it is
/// freed here.)
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// Each table's rows appended to its files, the tables on all cores: encoding a report's
/// rows as CSV and Parquet, one table after another, was 4-6 ms of a one-report run's 45
/// on the project's two cores. The table's name, rows and CSV bytes, in the order given.
fn encode_tables<'n>(
    tables: Vec<(&'n str, &mut output::TableSink, &polars::prelude::DataFrame)>,
) -> Result<Vec<(&'n str, usize, u64)>, IngestError> {
    tables
        .into_par_iter()
        .map(|(name, sink, frame)| {
            let csv_bytes = profile::span("segments encoded", || sink.write(frame))?;
            Ok((name, frame.height(), csv_bytes))
        })
        .collect()
}

/// Reads the files of `options.inputs` (or what the cache holds of them) and writes every
/// table into `options.out_dir`, put in place together at the end.
pub fn ingest(options: &IngestOptions, grammar: &Grammar) -> Result<IngestSummary, IngestError> {
    ingest_then(options, grammar, |_, _| ()).map(|(summary, _)| summary)
}

/// [`ingest`], handing `ahead` the run's new table files once they are finished, before they
/// are synced and put in place: each with the path it goes to, opened for reading (so that
/// the site's read of them runs while the run waits on the disk), and the run's summary so
/// far. `ahead` is not called when no table changed, or when a file cannot be opened (what
/// it would read could then be the old file or the new). The run's summary, and what `ahead`
/// returned.
pub fn ingest_then<T>(
    options: &IngestOptions,
    grammar: &Grammar,
    ahead: impl FnOnce(Vec<(PathBuf, std::fs::File)>, &IngestSummary) -> T,
) -> Result<(IngestSummary, Option<T>), IngestError> {
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
    if let Some(previous) = &previous {
        // Nothing changed: every table would be written with the bytes it has.
        if previous.unchanged(&run_key, &found, &stamps) {
            let mut summary = previous.summary();
            summary.seconds = start.elapsed().as_secs_f64();
            return Ok((summary, None));
        }
        cache.set_known_files(previous.known_files(&found, &stamps));
    }
    // Rows made by another version of secreg, grammar or OCR settings are other rows.
    let salt = cache.generation().to_string();
    let mut ctx = profile::span("parse context", || {
        ParseContext::new(grammar, Some(cache), options.file_timeout)
    })?;
    ctx.ocr = options.ocr.clone();
    // The few files to read are started first: the table files are opened while they are
    // read (some 6-11 ms on the project's machine, which the one report of a monthly run
    // spent waiting).
    let reading = reads_ahead(&found, &ctx);
    // Every table is written segment by segment to temporary files, put in place together at
    // the end: memory holds a segment's records, and what the history needs (events), never a
    // whole table or the archive's text. A segment the last run wrote is copied from its
    // tables, not built again.
    let formats = &options.formats;
    let mut sinks = Vec::new();
    let mut layout = segments::LayoutBuilder::default();
    let mut headers = Vec::new();
    let sinks_start = Instant::now();
    for (name, empty) in Dataset::empty_frames().map_err(frame_error)? {
        layout.table(name);
        headers.push((name, output::csv_header(&empty).map_err(frame_error)?));
        let sink = output::TableSink::create(&options.out_dir, name, &empty, formats)?;
        sinks.push((name, Dataset::per_report(name), sink));
    }
    profile::add("table files opened", sinks_start);
    let earlier = profile::span("earlier tables read", || match &previous {
        Some(p) => segments::Earlier::of(p, &options.out_dir, formats, |name| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, h)| h.clone())
        }),
        None => segments::Earlier::none(),
    });
    let mut writer = TableWriter {
        sinks: &mut sinks,
        earlier: &earlier,
        formats,
        layout: &mut layout,
    };
    let (dataset, mut summary) = gather_found(
        (found.clone(), reading),
        &ctx,
        options.jobs,
        options.progress,
        &salt,
        &mut writer,
    )?;
    drop(earlier);
    profile::peak("the segments");
    // The segments' bytes go to the disk while the history and the register are built.
    let early_sync = output::EarlySync::start(
        sinks
            .iter()
            .flat_map(|(_, _, sink)| sink.file_handles())
            .collect(),
    );
    // The history, the register and their diagnostics need every report: built last.
    let frames = profile::span("history, register, changes", || dataset.into_frames())
        .map_err(frame_error)?;
    profile::span("last rows written", || -> Result<(), IngestError> {
        let to_encode = sinks
            .iter_mut()
            .filter_map(|(name, _, sink)| {
                let (_, frame) = frames.iter().find(|(n, _)| n == name)?;
                Some((*name, sink, frame))
            })
            .collect();
        encode_tables(to_encode).map(|_| ())
    })?;
    profile::peak("the history and register");
    // (Their rows are in the files: the memory is free for what reads them back.)
    drop(frames);
    let mut digests = Vec::new();
    let mut handed = None;
    profile::span("tables committed", || -> Result<(), IngestError> {
        let mut to_place = Vec::new();
        profile::span(
            "tables committed: files finished",
            || -> Result<(), IngestError> {
                for (name, _, sink) in sinks {
                    summary.rows.push((name, sink.rows()));
                    let mut finished =
                        sink.finish(|path| previous.as_ref().and_then(|p| p.digest_of(path)))?;
                    to_place.extend(finished.take_files());
                    summary.written.extend(finished.committed.paths);
                    digests.extend(finished.committed.digests);
                }
                Ok(())
            },
        )?;
        if !to_place.is_empty() {
            let opened: Result<Vec<_>, _> = to_place
                .iter()
                .map(output::ToPlace::open_for_reading)
                .collect();
            handed = opened.ok().map(|opened| ahead(opened, &summary));
        }
        summary.tables_replaced = profile::span("tables committed: synced, renamed", || {
            early_sync.wait();
            output::put_in_place(to_place)
        })?;
        Ok(())
    })?;
    if let Some(cache) = &ctx.cache {
        profile::span("cache pruned", || cache.prune_unused());
        let mut record = RunRecord::of_run(run_key, &found, &stamps, &summary);
        record.digests = digests;
        record.layout = layout.finish();
        profile::span("run's record written", || record.store(cache.dir()));
    }
    summary.seconds = start.elapsed().as_secs_f64();
    free_in_background(ctx);
    Ok((summary, handed))
}

//! OCR: pages that are only an image (scans nobody OCR'd) read with tesseract, into the same
//! page text and positioned words the text-layer reader gives, so the report model and the
//! table reader work on them unchanged.
//!
//! tesseract runs as a child process (`tesseract IMAGE stdout --dpi D -l LANG tsv`, with
//! `OMP_THREAD_LIMIT=1`), one page a worker, under a time limit a page; the pages of a file
//! are read in parallel, and all files' OCR together never runs more tesseracts than the run's
//! jobs ([`OcrOptions::slots`]). A page whose image cannot be taken out of the PDF (CCITT,
//! JBIG2, JPX, several images, a turned page) is rendered with poppler's `pdftoppm` when it
//! is installed. Whatever goes wrong with one page is that page's problem, never the file's.

mod cells;
pub mod image;
mod stretch;
pub mod tsv;
mod unread_cells;

pub use cells::reread_ruled_cells;
pub use unread_cells::reread_unread_cells;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use lopdf::Document;

use super::isolate::contain;
use super::words::{PageWords, Word};
use super::{PageTexts, TextSource};
use image::{PageGeometry, PageImage};
use tsv::{page_from_words, parse_tsv, OcrPage, Placement, TsvWord};

/// Which pages are OCR'd (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrMode {
    /// A page with no text layer (and an image) is OCR'd.
    Auto,
    /// No page is OCR'd: a scan without a text layer is `no_text_layer`.
    Never,
    /// Every page is OCR'd from its image, its text layer ignored.
    Always,
}

impl OcrMode {
    pub fn name(self) -> &'static str {
        match self {
            OcrMode::Auto => "auto",
            OcrMode::Never => "never",
            OcrMode::Always => "always",
        }
    }
}

/// A page with this many rules across or more holds a table ruled between its rows (a header
/// band's edges are two).
pub const RULED_TABLE_RULES: usize = 3;

/// The Debian packages that give secreg its OCR engine.
pub const TESSERACT_PACKAGES: &str = "tesseract-ocr tesseract-ocr-eng";

/// The default time one page's OCR may take.
pub const DEFAULT_PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// How pages are OCR'd.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// tesseract's `-l`: `eng`, `eng+fra`.
    pub lang: String,
    /// The tesseract program (`tesseract` on PATH unless `SECREG_TESSERACT` names another).
    pub tesseract: PathBuf,
    /// The pdftoppm program (`pdftoppm` unless `SECREG_PDFTOPPM` names another).
    pub pdftoppm: PathBuf,
    pub page_timeout: Duration,
    /// How many tesseracts may run at once, across all files of the run.
    pub slots: Arc<Slots>,
    /// The pages OCR has planned and finished across the run, for the progress bar.
    pub pages: Arc<PageCount>,
}

/// The pages OCR has planned and finished across a run. OCR takes seconds a page: a progress
/// bar that counts only files stands still through a 30-page scan, so it shows these too.
#[derive(Debug, Default)]
pub struct PageCount {
    planned: AtomicU64,
    done: AtomicU64,
}

impl PageCount {
    /// (pages finished, pages planned) so far.
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.planned.load(Ordering::Relaxed),
        )
    }
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions::new(OcrMode::Auto, "eng", None)
    }
}

impl OcrOptions {
    /// Options for a run of `jobs` workers (`None`: the machine's cores).
    pub fn new(mode: OcrMode, lang: &str, jobs: Option<usize>) -> OcrOptions {
        let jobs = jobs
            .filter(|&j| j > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let program = |var: &str, default: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map_or_else(|| PathBuf::from(default), PathBuf::from)
        };
        OcrOptions {
            mode,
            lang: lang.to_string(),
            tesseract: program("SECREG_TESSERACT", "tesseract"),
            pdftoppm: program("SECREG_PDFTOPPM", "pdftoppm"),
            page_timeout: DEFAULT_PAGE_TIMEOUT,
            slots: Arc::new(Slots::new(jobs)),
            pages: Arc::new(PageCount::default()),
        }
    }

    /// What of these options changes what a file reads as: part of the parse cache's key.
    pub fn cache_key(&self) -> String {
        let lang: String = self
            .lang
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '+'
                }
            })
            .collect();
        // Whether the OCR tools can be run changes what a scan reads as (its ruled cells read
        // again, its image-only pages read at all): a file cached on a machine without
        // tesseract is parsed again where it is installed. Looked for on PATH, not run: a
        // run whose files are all cached must not wait for `tesseract --version`.
        let tools = match self.mode {
            OcrMode::Never => "",
            _ if runnable(&self.tesseract) => "-tools",
            _ => "-notools",
        };
        format!("ocr-{}-{lang}{tools}", self.mode.name())
    }
}

/// True where `program` is a file that can be run: its path, or found on PATH.
fn runnable(program: &Path) -> bool {
    let is_file = |p: &Path| p.metadata().is_ok_and(|m| m.is_file());
    if program.components().count() > 1 {
        return is_file(program);
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| is_file(&dir.join(program))))
}

/// A counting semaphore: the tesseracts running at once.
#[derive(Debug)]
pub struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    pub fn new(n: usize) -> Slots {
        Slots {
            free: Mutex::new(n.max(1)),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) -> SlotGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        SlotGuard(self)
    }
}

struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// A program's version line (`tesseract 5.3.0`, `pdftoppm version 22.02.0`), or `None` when
/// it cannot be run. Asked once a program a process.
pub fn tool_version(program: &Path) -> Option<String> {
    static SEEN: OnceLock<Mutex<HashMap<PathBuf, Option<String>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Some(v) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(program) {
        return v.clone();
    }
    let flag = if program
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("pdftoppm"))
    {
        "-v"
    } else {
        "--version"
    };
    let version = Command::new(program)
        .arg(flag)
        .stdin(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            // pdftoppm prints its version to stderr, tesseract to stdout.
            let text = String::from_utf8_lossy(&o.stdout).into_owned()
                + &String::from_utf8_lossy(&o.stderr);
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(String::from)
        });
    seen.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(program.to_path_buf(), version.clone());
    version
}

/// The languages tesseract has (`tesseract --list-langs`).
pub fn tesseract_languages(program: &Path) -> Vec<String> {
    Command::new(program)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .skip(1)
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// What OCR did to a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OcrReport {
    /// Pages read by OCR.
    pub pages: u32,
    /// Each OCR'd page's mean word confidence (0..1), for pages with words.
    pub confidences: Vec<f32>,
    /// Set when pages needed OCR but tesseract could not be run: why.
    pub unavailable: Option<String>,
    /// The pages (0-based) read by OCR.
    pub read: Vec<usize>,
}

impl OcrReport {
    /// The mean over OCR'd pages of their mean word confidence.
    pub fn mean_confidence(&self) -> Option<f32> {
        (!self.confidences.is_empty())
            .then(|| self.confidences.iter().sum::<f32>() / self.confidences.len() as f32)
    }
}

/// A folder of temporary files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "secreg-ocr-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// OCRs the pages of a PDF (its bytes) that need it, in place in `texts`: their text and
/// words replaced by what tesseract read. Pages that fail keep what they had, with a problem.
pub fn ocr_document(bytes: &[u8], texts: &mut PageTexts, options: &OcrOptions) -> OcrReport {
    let wanted: Vec<usize> = match options.mode {
        OcrMode::Never => return OcrReport::default(),
        OcrMode::Always => (0..texts.pages.len()).collect(),
        OcrMode::Auto => (0..texts.pages.len())
            .filter(|&i| texts.pages[i].trim().is_empty())
            .collect(),
    };
    ocr_pages(bytes, texts, options, wanted, Reading::PAGE)
}

/// OCRs again, as sparse text, the pages (0-based) of a document that secreg's OCR read
/// from their images, where they hold tables: a page whose sparse reading holds
/// [`SPARSE_GAIN`] times the confidently read text ([`stretch::confident_chars`]) takes its
/// words, each tied to the line of the first reading's word nearest it; its text (which the
/// report's prose is read from) stays the first reading's. The pages whose words were
/// replaced are returned.
///
/// tesseract reads a page as blocks of lines; a table's rows, whose cells wrap to different
/// heights, become lines that cross from one row's cell into the next one's, and their
/// letters are read across both: generated image-only scan 8700's `Retrospective alignment
/// of the` / `SEC with the Data` title cell read `Ponehabi pry`, its `Alt HAN Forum funding
/// & cost` / `recovery arrangements` one line, the words interleaved. Read as sparse text
/// (`--psm 11`), each cell's lines are found on their own. Prose reads worse so (its
/// paragraphs part at every line), hence the first reading's text, and the choice by page:
/// a sparse reading can lose words (generated image-only scan 8701's grey delivery table:
/// `Sending`, `Proposals`, two ids). An OCR layer's pages are not read so: its words carry no
/// confidence to weigh, and reading the unruled table pages of the four fixture scans again took
/// their ingest from 1.6 s to 35 s (`--ocr always` reads a poor layer's pages afresh, and
/// then their table pages so too).
pub fn ocr_table_pages_sparse(
    bytes: &[u8],
    texts: &mut PageTexts,
    options: &OcrOptions,
    pages: &[usize],
) -> (OcrReport, Vec<usize>) {
    if options.mode == OcrMode::Never || pages.is_empty() {
        return (OcrReport::default(), Vec::new());
    }
    let mut sparse = texts.clone();
    let report = ocr_pages(bytes, &mut sparse, options, pages.to_vec(), Reading::SPARSE);
    texts
        .problems
        .extend(sparse.problems.drain(texts.problems.len()..));
    let mut taken = Vec::new();
    for &i in &report.read {
        let (Some(first), Some(read)) = (texts.words.get_mut(i), sparse.words.get_mut(i)) else {
            continue;
        };
        let gain = confident_word_chars(&read.words) as f32
            / confident_word_chars(&first.words).max(1) as f32;
        if gain < SPARSE_GAIN {
            continue;
        }
        let mut words = std::mem::take(&mut read.words);
        for w in &mut words {
            w.line = nearest_first_line(&first.words, w);
        }
        first.words = words;
        taken.push(i);
    }
    (report, taken)
}

/// How many times the first reading's confidently read characters a sparse reading must hold
/// to be taken: pages read alike by both differ by 2% either way (generated image-only scans
/// 8700, 8701, 8801), pages whose table rows the first reading ran into each other by 9% to
/// 28% (8700's six Appendix A pages).
const SPARSE_GAIN: f32 = 1.05;

/// [`stretch::confident_chars`] of a page's words.
fn confident_word_chars(words: &[Word]) -> usize {
    stretch::confident_chars_of(words.iter().map(|w| (100. * w.confidence, w.text.as_str())))
}

/// The page text line of the first reading's word nearest `word` in height among those it
/// overlaps across (a line of another column can stand at the same height: a page's lines
/// cross the table), else nearest in both; line 1 on a page without words.
fn nearest_first_line(first: &[Word], word: &Word) -> u32 {
    let across = |w: &&Word| w.x0 < word.x1 && w.x1 > word.x0;
    let (x, y) = (word.x_mid(), word.y_mid());
    first
        .iter()
        .filter(across)
        .min_by(|a, b| (a.y_mid() - y).abs().total_cmp(&(b.y_mid() - y).abs()))
        .filter(|w| (w.y_mid() - y).abs() < word.size.max(w.size))
        .or_else(|| {
            first.iter().min_by(|a, b| {
                (a.x_mid() - x)
                    .hypot(a.y_mid() - y)
                    .total_cmp(&(b.x_mid() - x).hypot(b.y_mid() - y))
            })
        })
        .map_or(1, |w| w.line)
}

/// OCRs again the pages (0-based) of an OCR'd document whose text layer left much of their
/// ink unread ([`crate::reading::rules::find_rules`] measures it): their text and words
/// replaced by what tesseract reads in their images, the rules found there kept. Nothing
/// happens with `--ocr never`.
pub fn ocr_pages_again(
    bytes: &[u8],
    texts: &mut PageTexts,
    options: &OcrOptions,
    pages: &[usize],
) -> OcrReport {
    // (Read as the layer's OCR read them, the pages would lose what it lost: tesseract's
    // global threshold, set between the paper and a dark header band, turns grey rows white.)
    ocr_pages_keeping_rules(bytes, texts, options, pages, Reading::STRETCHED)
}

/// OCRs again the pages (0-based) of an OCR'd document whose text layer misread them, as
/// tesseract reads a page by default (as `--ocr always` reads them): their text and words
/// replaced, the rules found there kept. (Read with their greys stretched, generated scan
/// 8700's delivery table read worse than so: its page 10 lost every title.) Nothing
/// happens with `--ocr never`.
pub fn ocr_misread_pages(
    bytes: &[u8],
    texts: &mut PageTexts,
    options: &OcrOptions,
    pages: &[usize],
) -> OcrReport {
    ocr_pages_keeping_rules(bytes, texts, options, pages, Reading::PAGE)
}

/// OCRs `pages` of a document read as `reading`, keeping the rules each page had where
/// its image read gives none.
fn ocr_pages_keeping_rules(
    bytes: &[u8],
    texts: &mut PageTexts,
    options: &OcrOptions,
    pages: &[usize],
    reading: Reading,
) -> OcrReport {
    if options.mode == OcrMode::Never {
        return OcrReport::default();
    }
    let kept: Vec<(usize, PageWords)> = pages
        .iter()
        .filter_map(|&i| Some((i, texts.words.get(i)?.clone())))
        .collect();
    let report = ocr_pages(bytes, texts, options, pages.to_vec(), reading);
    for (i, before) in kept {
        if let Some(words) = texts.words.get_mut(i) {
            if words.rules.is_empty() && words.column_rules.is_empty() {
                words.rules = before.rules;
                words.column_rules = before.column_rules;
            }
        }
    }
    report
}

/// How tesseract reads a page: how it parts ink from paper, and how it finds the page's
/// lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reading {
    threshold: Threshold,
    sparse: bool,
}

impl Reading {
    /// A page as tesseract reads it by default (blocks of lines).
    const PAGE: Reading = Reading {
        threshold: Threshold::Global,
        sparse: false,
    };
    /// Greys stretched first.
    const STRETCHED: Reading = Reading {
        threshold: Threshold::Stretched,
        sparse: false,
    };
    /// As sparse text (`--psm 11`): as much text as it finds, in no order of blocks.
    const SPARSE: Reading = Reading {
        threshold: Threshold::Global,
        sparse: true,
    };
}

/// How tesseract parts ink from paper before it reads a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Threshold {
    /// One level for the whole page (Otsu's, tesseract's default).
    Global,
    /// The page's greys stretched first ([`stretch`]), then Otsu's level: grey rows under
    /// a header printed on a dark band stay ink.
    Stretched,
}

/// OCRs the pages `wanted` (0-based) of a PDF, in place in `texts`.
fn ocr_pages(
    bytes: &[u8],
    texts: &mut PageTexts,
    options: &OcrOptions,
    wanted: Vec<usize>,
    reading: Reading,
) -> OcrReport {
    let mut report = OcrReport::default();
    if wanted.is_empty() {
        return report;
    }
    // The text reader loaded the document without image data: loaded again, whole.
    let doc = match contain(|| Document::load_mem(bytes)) {
        Ok(Ok(mut doc)) => {
            if doc.is_encrypted() && !matches!(contain(|| doc.decrypt("")), Ok(Ok(()))) {
                texts
                    .problems
                    .push("OCR: the encrypted document could not be opened".into());
                return report;
            }
            doc
        }
        Ok(Err(e)) => {
            texts
                .problems
                .push(format!("OCR: the document's images cannot be loaded: {e}"));
            return report;
        }
        Err(panic) => {
            texts.problems.push(format!(
                "OCR: the PDF library crashed loading the images: {panic}"
            ));
            return report;
        }
    };
    let page_ids: Vec<lopdf::ObjectId> =
        contain(|| doc.get_pages().into_values().collect()).unwrap_or_default();
    // Which pages draw an image at all (a blank page is not OCR'd), decided before tesseract
    // is looked for: a digital report with a blank page needs no OCR engine.
    let plans: Vec<(usize, PageGeometry, Result<PageImage, String>)> = wanted
        .into_iter()
        .filter_map(|i| {
            let id = *page_ids.get(i)?;
            let geometry = contain(|| image::geometry(&doc, id)).ok()?;
            let image = contain(|| image::page_image(&doc, id, &geometry))
                .unwrap_or_else(|panic| Err(format!("the PDF library crashed: {panic}")));
            match image {
                Ok(PageImage::None) => None,
                other => Some((i, geometry, other)),
            }
        })
        .collect();
    drop(doc);
    if plans.is_empty() {
        return report;
    }
    let Some(_) = tool_version(&options.tesseract) else {
        report.unavailable = Some(format!(
            "{} page(s) need OCR but tesseract ({}) is not installed: install the Debian packages {TESSERACT_PACKAGES}",
            plans.len(),
            options.tesseract.display()
        ));
        return report;
    };
    let scratch = match Scratch::new() {
        Ok(s) => s,
        Err(e) => {
            texts
                .problems
                .push(format!("OCR: cannot make a temporary folder: {e}"));
            return report;
        }
    };
    options
        .pages
        .planned
        .fetch_add(plans.len() as u64, Ordering::Relaxed);
    let pdf_path = OnceLock::new();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<OcrPage, String>)>> = Mutex::new(Vec::new());
    let workers = plans.len().min(available_workers(options));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some((i, geometry, image)) = plans.get(k) else {
                    break;
                };
                let _slot = options.slots.acquire();
                let result = contain(|| {
                    let page = PageToRead {
                        index: *i,
                        geometry,
                        image,
                        reading,
                    };
                    ocr_page(&page, bytes, &pdf_path, &scratch.0, options)
                })
                .unwrap_or_else(|panic| Err(format!("OCR crashed: {panic}")));
                options.pages.done.fetch_add(1, Ordering::Relaxed);
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((*i, result));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|r| r.0);
    if texts.words.len() < texts.pages.len() {
        texts.words.resize(texts.pages.len(), PageWords::default());
    }
    for (i, result) in results {
        match result {
            Ok(page) => {
                if page.words.words.is_empty() {
                    texts.problems.push(format!(
                        "page {}: OCR found no text on the page image",
                        i + 1
                    ));
                }
                report.pages += 1;
                report.read.push(i);
                report.confidences.extend(page.confidence);
                texts.pages[i] = page.text;
                texts.words[i] = page.words;
            }
            Err(e) => texts
                .problems
                .push(format!("page {}: not OCR'd: {e}", i + 1)),
        }
    }
    if report.pages > 0 {
        texts.source = TextSource::Ocr;
        texts.notes.push(format!(
            "{} page(s) read by OCR (tesseract, -l {})",
            report.pages, options.lang
        ));
    }
    report
}

/// The workers one file may use: all the run's slots (they are shared, so files together
/// never exceed them).
fn available_workers(options: &OcrOptions) -> usize {
    let free = *options.slots.free.lock().unwrap_or_else(|e| e.into_inner());
    free.max(1).min(64)
}

/// One page: its image written out (or rendered), read by tesseract, mapped onto the page.
/// A page planned for OCR: its index (0-based), geometry, image, and threshold.
struct PageToRead<'p> {
    index: usize,
    geometry: &'p PageGeometry,
    image: &'p Result<PageImage, String>,
    reading: Reading,
}

fn ocr_page(
    page: &PageToRead,
    pdf: &[u8],
    pdf_path: &OnceLock<Result<PathBuf, String>>,
    dir: &Path,
    options: &OcrOptions,
) -> Result<OcrPage, String> {
    let (i, geometry, image) = (page.index, page.geometry, page.image);
    let (shown_w, shown_h) = geometry.shown_size();
    let (path, placement, dpi) = match image {
        Err(e) => return Err(e.clone()),
        Ok(PageImage::None) => unreachable!("pages without an image are not planned"),
        Ok(PageImage::File {
            bytes,
            extension,
            placement,
            dpi,
        }) => {
            let path = dir.join(format!("page-{}.{extension}", i + 1));
            std::fs::write(&path, bytes)
                .map_err(|e| format!("cannot write the page image: {e}"))?;
            (path, *placement, *dpi)
        }
        Ok(PageImage::Render(why)) => {
            if tool_version(&options.pdftoppm).is_none() {
                return Err(format!(
                    "{why}, and it can only be read rendered: install poppler-utils (pdftoppm)"
                ));
            }
            let pdf = pdf_path
                .get_or_init(|| {
                    let p = dir.join("document.pdf");
                    std::fs::write(&p, pdf)
                        .map(|()| p)
                        .map_err(|e| e.to_string())
                })
                .clone()?;
            let prefix = dir.join(format!("render-{}", i + 1));
            let n = (i + 1).to_string();
            let mut cmd = Command::new(&options.pdftoppm);
            cmd.args(["-r", "300", "-gray", "-singlefile", "-f", &n, "-l", &n])
                .arg(&pdf)
                .arg(&prefix);
            run(cmd, options.page_timeout, "pdftoppm")?;
            let path = prefix.with_extension("pgm");
            let (w, h) = pnm_size(&path)?;
            (path, Placement::full_page(w, h, shown_w, shown_h), 300)
        }
    };
    let words = match page.reading.threshold {
        Threshold::Global => read_words(&path, dpi, options, page.reading.sparse),
        Threshold::Stretched => read_stretched(&path, dpi, options),
    };
    let _ = std::fs::remove_file(&path);
    Ok(page_from_words(
        &words?,
        &placement,
        shown_w as f32,
        shown_h as f32,
    ))
}

/// The words tesseract reads in the image at `path` (its resolution `dpi`).
fn read_words(
    path: &Path,
    dpi: u32,
    options: &OcrOptions,
    sparse: bool,
) -> Result<Vec<TsvWord>, String> {
    let mut cmd = Command::new(&options.tesseract);
    cmd.arg(path)
        .arg("stdout")
        .args(["--dpi", &dpi.to_string(), "-l", &options.lang]);
    if sparse {
        cmd.args(["--psm", "11"]);
    }
    cmd.arg("tsv").env("OMP_THREAD_LIMIT", "1");
    let output = run(cmd, options.page_timeout, "tesseract")?;
    parse_tsv(&String::from_utf8_lossy(&output))
}

/// The words of the image at `path` read stretched to each of [`stretch::DEPTHS`], the
/// reading with the most confident text kept; read as it is where it does not decode.
fn read_stretched(path: &Path, dpi: u32, options: &OcrOptions) -> Result<Vec<TsvWord>, String> {
    let Ok(images) = stretch::stretched_images(path, dpi) else {
        return read_words(path, dpi, options, false);
    };
    let mut best: Option<Vec<TsvWord>> = None;
    for image in images {
        let words = read_words(&image, dpi, options, false);
        let _ = std::fs::remove_file(&image);
        let words = words?;
        if best
            .as_ref()
            .is_none_or(|b| stretch::confident_chars(&words) > stretch::confident_chars(b))
        {
            best = Some(words);
        }
    }
    best.ok_or_else(|| "no stretched image was read".into())
}

/// A PGM's width and height, from its header.
fn pnm_size(path: &Path) -> Result<(u32, u32), String> {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| format!("the rendered page cannot be read: {e}"))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let mut fields = text
        .split_ascii_whitespace()
        .filter(|f| !f.starts_with('#'));
    let (Some(_), Some(w), Some(h)) = (fields.next(), fields.next(), fields.next()) else {
        return Err("the rendered page is not a PGM".into());
    };
    match (w.parse(), h.parse()) {
        (Ok(w), Ok(h)) => Ok((w, h)),
        _ => Err("the rendered page is not a PGM".into()),
    }
}

/// The most a tool may print: a page's TSV is tens of kB.
const MAX_OUTPUT: u64 = 64 << 20;

/// Runs a tool within a time limit; its standard output, or why it failed. A tool that does
/// not finish in time is killed.
fn run(mut cmd: Command, timeout: Duration, name: &str) -> Result<Vec<u8>, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{name} could not be started: {e}"))?;
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(p) = pipe {
                let _ = p.take(MAX_OUTPUT).read_to_end(&mut out);
            }
            let _ = tx.send(out);
        });
        rx
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{name} did not finish within {} s: stopped",
                    timeout.as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("{name} could not be waited for: {e}")),
        }
    };
    // The pipes close when the tool ends (unless it left a child holding them: then give up
    // waiting after a moment).
    let grace = Duration::from_secs(5);
    let out = stdout.recv_timeout(grace).unwrap_or_default();
    if !status.success() {
        let err = stderr.recv_timeout(grace).unwrap_or_default();
        let err = String::from_utf8_lossy(&err);
        let last = err
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .last()
            .unwrap_or("");
        return Err(format!("{name} failed ({status}): {last}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word at `x` (40 wide, 8 high, its top at `top`) on page text line `line`.
    fn word_at(x: f32, top: f32, line: u32) -> Word {
        Word {
            text: "word".into(),
            x0: x,
            x1: x + 40.,
            top,
            bottom: top + 8.,
            size: 8.,
            line,
            confidence: 0.9,
        }
    }

    #[test]
    fn a_sparse_word_takes_the_line_of_the_first_readings_word_above_or_below_it() {
        // The first reading ran a title's second line (x 100) into the line of the date
        // beside the row's first line (x 300): line 7. A sparse word on the title's second
        // line ties to the title word over it, line 8, not to the date at its height.
        let first = [
            word_at(100., 100., 7),
            word_at(300., 111., 7),
            word_at(100., 112., 8),
        ];
        assert_eq!(nearest_first_line(&first, &word_at(110., 111., 0)), 8);
        // A word standing under no first word takes the nearest one's line.
        assert_eq!(nearest_first_line(&first, &word_at(200., 40., 0)), 7);
        assert_eq!(nearest_first_line(&[], &word_at(200., 40., 0)), 1);
    }

    #[test]
    fn confidently_read_characters_count_letters_and_digits_of_confident_words() {
        let mut words = vec![word_at(0., 0., 1), word_at(50., 0., 1)];
        words[0].text = "0141,".into();
        words[1].confidence = 0.3;
        assert_eq!(confident_word_chars(&words), 4);
    }

    #[test]
    fn the_cache_key_says_whether_tesseract_can_be_run() {
        let mut options = OcrOptions::new(OcrMode::Auto, "eng", Some(1));
        options.tesseract = PathBuf::from("/nonexistent/tesseract");
        let without = options.cache_key();
        assert_eq!(without, "ocr-auto-eng-notools");
        // Any file that can be run stands in for it: the key looks, it does not run it.
        options.tesseract = std::env::current_exe().unwrap();
        assert_eq!(options.cache_key(), "ocr-auto-eng-tools");
        options.mode = OcrMode::Never;
        assert_eq!(options.cache_key(), "ocr-never-eng");
    }
}

//! The static site of an ingest's tables (`secreg site`, and `secreg ingest` after the
//! tables): HTML that opens from disk, with no server and no network. Every page carries its
//! style and script inline and a Content-Security-Policy that lets it load nothing else.
//!
//! One module per kind of page: the register and the list of reports ([`register`]), a page
//! per modification ([`modification`], its timeline in [`timeline`]), a page per report
//! ([`report`]), the review queue ([`review`]) and, once `secreg backfill` has run, the
//! back-fill ([`backfill`]); what they share in [`page`]; the tables
//! they are made of read back in [`data`]. Every string from a report is escaped by
//! `output::escape`. Pages are written as plain strings: a thousand reports' site renders in a
//! fraction of a second.

mod backfill;
pub mod data;
mod modification;
mod page;
mod register;
mod report;
mod review;
mod timeline;

use foldhash::{HashMap, HashMapExt};
use std::cmp::Reverse;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::escape::{file_name as safe_file_name, url_path};
use crate::grammar::Date;
pub use data::{load_site_data, LoadError};
use data::{AssessmentLine, Change, DccLine, Fact, Place, ReportInfo, SiteData, StageInterval};

/// Rows read with a confidence below this are in the review queue.
pub const LOW_CONFIDENCE: f64 = 0.8;

/// The folder of the site, inside the tables' folder.
pub const SITE_DIR: &str = "site";

/// What a line to check is, in the order the review queue puts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ReviewKind {
    /// A file that failed or was read with problems.
    File = 0,
    /// Reports that disagree about a fact.
    Conflict = 1,
    /// An id (or a row) that could not be read.
    Unread = 2,
    /// An id read through OCR repairs, or that could be read two ways.
    SuspectId = 3,
    /// A row read with low confidence.
    LowConfidence = 4,
    /// Another warning.
    Warning = 5,
    /// A note (an info diagnostic): on the report's page, not in the queue.
    Note = 6,
}

impl ReviewKind {
    /// The kinds the review queue lists.
    pub const QUEUED: &'static [ReviewKind] = &[
        ReviewKind::File,
        ReviewKind::Conflict,
        ReviewKind::Unread,
        ReviewKind::SuspectId,
        ReviewKind::LowConfidence,
        ReviewKind::Warning,
    ];

    /// The kind's name, as the filter's URL parameter spells it.
    pub fn name(self) -> &'static str {
        match self {
            ReviewKind::File => "file",
            ReviewKind::Conflict => "conflict",
            ReviewKind::Unread => "unread",
            ReviewKind::SuspectId => "suspect-id",
            ReviewKind::LowConfidence => "low-confidence",
            ReviewKind::Warning => "warning",
            ReviewKind::Note => "note",
        }
    }

    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::File => "File failed or partial",
            ReviewKind::Conflict => "Conflict",
            ReviewKind::Unread => "Unread id or row",
            ReviewKind::SuspectId => "Suspect id",
            ReviewKind::LowConfidence => "Low confidence",
            ReviewKind::Warning => "Warning",
            ReviewKind::Note => "Note",
        }
    }

    /// The kind of a diagnostic, by its code and severity.
    fn of_diagnostic(code: &str, severity: &str) -> ReviewKind {
        match code {
            "file_failed" | "read_problem" => ReviewKind::File,
            "history_conflict" => ReviewKind::Conflict,
            "list_item_id_unread"
            | "dcc_row_id_unread"
            | "table_row_unread"
            | "event_without_modification" => ReviewKind::Unread,
            "ambiguous_id" | "id_repaired" | "id_suspect" => ReviewKind::SuspectId,
            _ if severity == "info" => ReviewKind::Note,
            _ => ReviewKind::Warning,
        }
    }
}

/// A line to check: a diagnostic, or a row read with low confidence.
#[derive(Debug)]
pub(crate) struct Check {
    pub kind: ReviewKind,
    pub severity: &'static str,
    pub report_id: String,
    pub report_date: Option<Date>,
    pub page: Option<u32>,
    pub line: Option<u32>,
    pub what: String,
    pub snippet: Option<String>,
    /// The register's id of the modification it concerns, when the site has its page.
    pub mod_id: Option<String>,
}

/// The site's data with the indexes its pages look things up by.
pub(crate) struct Site<'a> {
    pub data: &'a SiteData,
    reports: HashMap<&'a str, &'a ReportInfo>,
    /// Each report's page, from the site's folder (the review queue links each of its
    /// 12,000 lines to one: formatted anew each time, 2% of `secreg site`'s instructions).
    report_pages: HashMap<&'a str, String>,
    /// Each source file a report was read from or a place names.
    files: HashMap<&'a str, SourceFile<'a>>,
    facts: HashMap<&'a str, Vec<&'a Fact>>,
    stages: HashMap<&'a str, Vec<&'a StageInterval>>,
    dcc: HashMap<&'a str, Vec<&'a DccLine>>,
    assessments: HashMap<&'a str, Vec<&'a AssessmentLine>>,
    pub changes_of: HashMap<&'a str, Vec<&'a Change>>,
    /// Every line to check, as [`Site::gather_checks`] made them.
    checks: Vec<Check>,
    /// Of each report, its lines to check in reading order: indexes into `checks`.
    lines_of: HashMap<&'a str, Vec<u32>>,
    /// The review queue: indexes into `checks` of all but the notes, most pressing first.
    review: Vec<u32>,
    /// The report that stands for each date in the changes.
    pub stands_for: HashMap<Option<Date>, &'a str>,
    dates: Vec<Date>,
}

/// What the pages say of one source file, found by one lookup of its path: a modification's
/// page names hundreds of `file:page:line` sources, and each looked its path up in three maps
/// (hashing the paths, with SipHash then, was 11% of `secreg site`'s samples for 1,000
/// reports).
#[derive(Default)]
pub(crate) struct SourceFile<'a> {
    /// The report read from it.
    pub report_id: Option<&'a str>,
    /// That report's page, from the site's folder.
    pub report_page: Option<String>,
    /// A link to the file from the site's folder, where it was found.
    pub link: Option<String>,
    /// The line read at each (page, line) of it: a fact's statement, a table row.
    lines: HashMap<(u32, u32), &'a Place>,
}

impl<'a> SourceFile<'a> {
    /// The line read at a place (a fact's statement, a table row).
    pub fn statement_at(&self, page: u32, line: u32) -> Option<&'a Place> {
        self.lines.get(&(page, line)).copied()
    }
}

impl<'a> Site<'a> {
    /// Indexes the data; `site_dir` is where the pages go (links to the source files are
    /// made relative to it, where the files are found).
    pub fn new(data: &'a SiteData, site_dir: Option<&Path>) -> Site<'a> {
        // The lines to check are made beside the indexes, on the other core (1,000 reports:
        // 13,000 checks, 24,000 strings formatted; the index took 27-30 ms, one core idle).
        let (checks, mut site) =
            rayon::join(|| Self::checks_of(data), || Self::indexed(data, site_dir));
        site.order_checks(checks);
        site
    }

    /// The site's indexes, without its lines to check.
    fn indexed(data: &'a SiteData, site_dir: Option<&Path>) -> Site<'a> {
        let mut reports = HashMap::new();
        let mut files: HashMap<&str, SourceFile> = HashMap::new();
        for r in &data.reports {
            if r.report_id.is_empty() {
                continue;
            }
            // Of one file's bytes under two names, the first read (the other is skipped).
            let keep = match reports.get(r.report_id.as_str()) {
                Some(old) => (*old as &ReportInfo).status == "skipped" && r.status != "skipped",
                None => true,
            };
            if keep {
                reports.insert(r.report_id.as_str(), r);
            }
            files.entry(r.source_file.as_str()).or_default().report_id = Some(r.report_id.as_str());
        }
        let report_pages: HashMap<&str, String> = reports
            .keys()
            .map(|&r| (r, format!("r/{}.html", safe_file_name(r))))
            .collect();
        for file in files.values_mut() {
            file.report_page = file.report_id.and_then(|r| report_pages.get(r).cloned());
        }
        let places = data
            .events
            .iter()
            .map(|e| &e.at)
            .chain(data.dcc.iter().map(|d| &d.at))
            .chain(data.assessments.iter().map(|a| &a.at));
        for at in places {
            if let (Some(p), Some(l)) = (at.page, at.line) {
                let file = files.entry(at.source_file.as_str()).or_default();
                file.lines.entry((p, l)).or_insert(at);
            }
        }
        let mut facts: HashMap<&str, Vec<&Fact>> = HashMap::new();
        for f in &data.facts {
            facts
                .entry(page::register_id(&f.mod_id))
                .or_default()
                .push(f);
        }
        let mut stages: HashMap<&str, Vec<&StageInterval>> = HashMap::new();
        for s in &data.stages {
            stages.entry(s.mod_id.as_str()).or_default().push(s);
        }
        let mut dcc: HashMap<&str, Vec<&DccLine>> = HashMap::new();
        for d in &data.dcc {
            dcc.entry(page::register_id(&d.mod_id)).or_default().push(d);
        }
        let mut assessments: HashMap<&str, Vec<&AssessmentLine>> = HashMap::new();
        for a in &data.assessments {
            assessments
                .entry(page::register_id(&a.mod_id))
                .or_default()
                .push(a);
        }
        let mut changes_of: HashMap<&str, Vec<&Change>> = HashMap::new();
        let mut stands_for: HashMap<Option<Date>, &str> = HashMap::new();
        for c in &data.changes {
            changes_of.entry(c.report_id.as_str()).or_default().push(c);
            stands_for.insert(c.report_date, c.report_id.as_str());
            if let Some(p) = c.previous_report_id.as_deref() {
                if let Some(r) = reports.get(p) {
                    stands_for.entry(r.report_date).or_insert(p);
                }
            }
        }
        let mut dates: Vec<Date> = reports.values().filter_map(|r| r.report_date).collect();
        dates.sort();
        dates.dedup();
        // (The site's folder may not exist yet: its parent does.)
        let site_dir = site_dir.and_then(|d| {
            let parent = d.parent()?.canonicalize().ok()?;
            Some(parent.join(d.file_name()?))
        });
        if let Some(dir) = site_dir {
            let mut folders = HashMap::new();
            for r in &data.reports {
                if let Some(file) = canonical_file(Path::new(&r.source_file), &mut folders) {
                    if let Some(rel) = relative(&dir, &file) {
                        files.entry(r.source_file.as_str()).or_default().link =
                            Some(url_path(&rel));
                    }
                }
            }
        }
        Site {
            data,
            reports,
            report_pages,
            files,
            facts,
            stages,
            dcc,
            assessments,
            changes_of,
            checks: Vec::new(),
            lines_of: HashMap::new(),
            review: Vec::new(),
            stands_for,
            dates,
        }
    }

    /// The lines to check: the diagnostics, and the rows read with a low confidence.
    fn checks_of(data: &SiteData) -> Vec<Check> {
        let registered: foldhash::HashSet<&str> = data
            .modifications
            .iter()
            .map(|m| m.mod_id.as_str())
            .collect();
        let modification = |id: &str| {
            let id = page::register_id(id);
            registered.contains(id).then(|| id.to_string())
        };
        let mut checks: Vec<Check> = Vec::new();
        for d in &data.diagnostics {
            let kind = ReviewKind::of_diagnostic(&d.code, &d.severity);
            // A conflict's message starts with its modification's id.
            let mod_id = d
                .message
                .as_deref()
                .and_then(|m| m.split_whitespace().next())
                .filter(|_| kind == ReviewKind::Conflict)
                .and_then(modification);
            checks.push(Check {
                kind,
                severity: match d.severity.as_str() {
                    "error" => "error",
                    "warning" => "warning",
                    _ => "info",
                },
                report_id: d.at.report_id.clone(),
                report_date: d.at.report_date,
                page: d.at.page,
                line: d.at.line,
                what: match &d.message {
                    Some(m) => format!("{}: {m}", d.code),
                    None => d.code.clone(),
                },
                snippet: d.at.snippet.clone(),
                mod_id,
            });
        }
        let low = |c: Option<f64>| c.is_some_and(|c| c < LOW_CONFIDENCE);
        let mut low_row = |at: &Place, mod_id: &str, what: String, confidence: Option<f64>| {
            checks.push(Check {
                kind: ReviewKind::LowConfidence,
                severity: "warning",
                report_id: at.report_id.clone(),
                report_date: at.report_date,
                page: at.page,
                line: at.line,
                what: format!("{what}, confidence {:.2}", confidence.unwrap_or(0.0)),
                snippet: at.snippet.clone(),
                mod_id: modification(mod_id),
            });
        };
        for e in data.events.iter().filter(|e| low(e.confidence)) {
            low_row(
                &e.at,
                &e.mod_id,
                format!("{} {}", e.mod_id, e.event),
                e.confidence,
            );
        }
        for a in data.assessments.iter().filter(|a| low(a.confidence)) {
            low_row(
                &a.at,
                &a.mod_id,
                format!("{} {} ({} table)", a.mod_id, a.assessment_type, a.table),
                a.confidence,
            );
        }
        for d in data.dcc.iter().filter(|d| low(d.confidence)) {
            low_row(
                &d.at,
                &d.mod_id,
                format!(
                    "{} DCC row{}",
                    d.mod_id,
                    d.status
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ),
                d.confidence,
            );
        }
        checks
    }

    /// Puts the lines to check in place: per report, and in the review queue.
    fn order_checks(&mut self, checks: Vec<Check>) {
        // Most pressing first; of one kind, the latest report first, then in reading order.
        // (The checks stay where they were made: their order, the reports' lists and the
        // queue are indexes. Sorted themselves and each cloned into its report's list, 13,000
        // checks of 1,000 reports took the site's index 136-143 `perf` samples, not 94-95.)
        fn key(
            c: &Check,
        ) -> (
            ReviewKind,
            Reverse<Option<Date>>,
            &str,
            Option<u32>,
            Option<u32>,
        ) {
            (
                c.kind,
                Reverse(c.report_date),
                c.report_id.as_str(),
                c.page,
                c.line,
            )
        }
        let mut order: Vec<u32> = (0..checks.len() as u32).collect();
        order.sort_by(|&a, &b| key(&checks[a as usize]).cmp(&key(&checks[b as usize])));
        let mut lines_of: HashMap<&str, Vec<u32>> = HashMap::new();
        for &i in &order {
            let c = &checks[i as usize];
            if let Some((&id, _)) = self.reports.get_key_value(c.report_id.as_str()) {
                lines_of.entry(id).or_default().push(i);
            }
        }
        for lines in lines_of.values_mut() {
            lines.sort_by_key(|&i| {
                let c = &checks[i as usize];
                (c.page, c.line, c.kind)
            });
        }
        self.lines_of = lines_of;
        order.retain(|&i| checks[i as usize].kind != ReviewKind::Note);
        self.review = order;
        self.checks = checks;
    }

    /// A report's lines to check, in reading order (none for a report without any).
    pub fn lines_of(&self, report_id: &str) -> Vec<&Check> {
        self.lines_of
            .get(report_id)
            .map_or(Vec::new(), |lines| self.checks_at(lines))
    }

    /// How many lines of a report there are to check.
    pub fn lines_to_check(&self, report_id: &str) -> usize {
        self.lines_of.get(report_id).map_or(0, Vec::len)
    }

    /// The review queue: every line to check but the notes, most pressing first.
    pub fn review(&self) -> Vec<&Check> {
        self.checks_at(&self.review)
    }

    fn checks_at(&self, indexes: &[u32]) -> Vec<&Check> {
        indexes.iter().map(|&i| &self.checks[i as usize]).collect()
    }

    pub fn report(&self, report_id: &str) -> Option<&'a ReportInfo> {
        self.reports.get(report_id).copied()
    }

    pub fn report_id_of_file(&self, file: &str) -> Option<&'a str> {
        self.source_file(file).and_then(|f| f.report_id)
    }

    /// What the pages say of a source file.
    pub fn source_file(&self, file: &str) -> Option<&SourceFile<'a>> {
        self.files.get(file)
    }

    /// The page of a report, from the site's folder.
    pub fn report_page(&self, report_id: &str) -> Option<&str> {
        self.report_pages.get(report_id).map(String::as_str)
    }

    pub fn facts_of(&self, mod_id: &str) -> &[&'a Fact] {
        self.facts.get(mod_id).map_or(&[], Vec::as_slice)
    }

    pub fn stages_of(&self, mod_id: &str) -> &[&'a StageInterval] {
        self.stages.get(mod_id).map_or(&[], Vec::as_slice)
    }

    pub fn dcc_of(&self, mod_id: &str) -> &[&'a DccLine] {
        self.dcc.get(mod_id).map_or(&[], Vec::as_slice)
    }

    pub fn assessments_of(&self, mod_id: &str) -> &[&'a AssessmentLine] {
        self.assessments.get(mod_id).map_or(&[], Vec::as_slice)
    }

    /// A link to a source file from the site's folder, where it was found.
    pub fn file_link(&self, file: &str) -> Option<&str> {
        self.source_file(file).and_then(|f| f.link.as_deref())
    }

    pub fn last_report_date(&self) -> Option<Date> {
        self.dates.last().copied()
    }

    pub fn first_date(&self) -> Option<Date> {
        self.dates.first().copied()
    }

    pub fn report_span(&self) -> (Option<Date>, Option<Date>) {
        (self.first_date(), self.last_report_date())
    }

    /// How many reports (report dates; undated files one each) the site covers, in words.
    pub fn report_dates(&self) -> String {
        let undated = self
            .reports
            .values()
            .filter(|r| r.report_date.is_none() && r.status != "skipped")
            .count();
        let n = self.dates.len() + undated;
        let files = self.reports.len();
        let reports = if n == 1 { "report" } else { "reports" };
        if files == n {
            format!("{n} {reports}")
        } else {
            format!("{n} {reports} ({files} files)")
        }
    }
}

/// `file`'s absolute path with no symbolic link in it (as `canonicalize`), its folder's
/// resolved once for all the files in it (`folders`): a thousand reports sit in a few
/// folders, and resolving each file's whole path anew was a tenth of the site's indexing.
fn canonical_file(file: &Path, folders: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let (Some(parent), Some(name)) = (file.parent(), file.file_name()) else {
        return file.canonicalize().ok();
    };
    // A link is resolved whole; so is a name such as `..`, which is not a file in the folder.
    let plain = Path::new(name).components().count() == 1
        && matches!(
            Path::new(name).components().next(),
            Some(std::path::Component::Normal(_))
        );
    if !plain || fs::symlink_metadata(file).map_or(true, |m| m.file_type().is_symlink()) {
        return file.canonicalize().ok();
    }
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let folder = folders
        .entry(parent.to_path_buf())
        .or_insert_with(|| parent.canonicalize().ok());
    folder.as_ref().map(|f| f.join(name))
}

/// `file` relative to the folder `dir` (both absolute), as a `/`-separated path.
fn relative(dir: &Path, file: &Path) -> Option<String> {
    let (d, f): (Vec<_>, Vec<_>) = (dir.components().collect(), file.components().collect());
    let common = d.iter().zip(&f).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); d.len() - common];
    for c in &f[common..] {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    Some(parts.join("/"))
}

/// The site's pages, rendered.
pub struct Rendered {
    /// Every page: its path in the site's folder and its HTML.
    pub pages: Vec<(PathBuf, String)>,
    /// Rows in the review queue.
    pub review_rows: usize,
}

/// Every page of the site, sorted by path. `site_dir` is where it will be written (for links
/// to the source files, made only when given).
pub fn render(data: &SiteData, site_dir: Option<&Path>) -> Rendered {
    let pages = std::sync::Mutex::new(Vec::new());
    let review_rows = render_each(data, site_dir, |path, html| {
        pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, html));
        Ok(())
    })
    .unwrap_or_else(|never: std::convert::Infallible| match never {});
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort();
    Rendered { pages, review_rows }
}

/// One page of the site to render.
enum PageJob<'d> {
    Register,
    Reports,
    Review,
    Backfill,
    Modification(&'d data::Modification),
    Report(&'d ReportInfo),
}

/// Renders the site's pages, in parallel, handing each to `emit` (its path in the site's
/// folder, its HTML) on the thread that rendered it, in no set order; returns the rows in the
/// review queue. A page is let go once emitted: pages are held one a thread, never all (a
/// thousand reports' site is 35 MB of HTML). (Rendered one at a time, the pages of 1,000
/// reports' site took 110 ms of the 0.41 s a new report added to them took in all.)
pub fn render_each<E: Send>(
    data: &SiteData,
    site_dir: Option<&Path>,
    emit: impl Fn(PathBuf, String) -> Result<(), E> + Sync,
) -> Result<usize, E> {
    use rayon::prelude::*;
    let site = crate::pipeline::profile::span("site: indexed", || Site::new(data, site_dir));
    crate::pipeline::profile::peak("site: indexed");
    let mut shell = page::Shell::new(&format!(
        "Made by secreg {} from the tables beside this folder. Every value links to the report lines it was read from.",
        env!("CARGO_PKG_VERSION")
    ));
    shell.backfill = !data.backfill.is_empty();
    let mut jobs = vec![PageJob::Register, PageJob::Reports, PageJob::Review];
    if shell.backfill {
        jobs.push(PageJob::Backfill);
    }
    jobs.extend(data.modifications.iter().map(PageJob::Modification));
    let mut done = foldhash::HashSet::default();
    jobs.extend(
        site.reports
            .values()
            .filter(|r| done.insert(r.report_id.as_str()))
            .map(|r| PageJob::Report(r)),
    );
    jobs.par_iter().try_for_each(|job| {
        let (path, html) = render_page(&site, &shell, job);
        let start = Instant::now();
        let out = emit(path, html);
        crate::pipeline::profile::add("site: pages compared, written", start);
        out
    })?;
    Ok(site.review.len())
}

/// One page of the site: its path in the site's folder and its HTML.
fn render_page(site: &Site, shell: &page::Shell, job: &PageJob) -> (PathBuf, String) {
    use crate::pipeline::profile::span;
    match job {
        PageJob::Register => span("site: pages rendered (index, reports, review)", || {
            ("index.html".into(), register::register_page(site, shell))
        }),
        PageJob::Reports => span("site: pages rendered (index, reports, review)", || {
            ("reports.html".into(), register::reports_page(site, shell))
        }),
        PageJob::Review => span("site: pages rendered (index, reports, review)", || {
            ("review.html".into(), review::review_page(site, shell))
        }),
        PageJob::Backfill => span("site: pages rendered (index, reports, review)", || {
            ("backfill.html".into(), backfill::backfill_page(site, shell))
        }),
        PageJob::Modification(m) => span("site: pages rendered (modifications)", || {
            (
                PathBuf::from(format!("m/{}.html", safe_file_name(&m.mod_id))),
                modification::modification_page(site, shell, m),
            )
        }),
        PageJob::Report(r) => span("site: pages rendered (reports)", || {
            (
                PathBuf::from(format!("r/{}.html", safe_file_name(&r.report_id))),
                report::report_page(site, shell, r),
            )
        }),
    }
}

/// What building the site did.
#[derive(Debug, Clone)]
pub struct SiteSummary {
    /// The site's folder.
    pub dir: PathBuf,
    /// Its first page (the register).
    pub index: PathBuf,
    pub pages: usize,
    pub modifications: usize,
    pub reports: usize,
    pub review_rows: usize,
    pub seconds: f64,
}

/// The file, in the site's folder, that names the table files the site was built from, with
/// each one's size and modification time.
pub const BUILT_FROM: &str = ".built-from";

/// Every table file of an output folder (its `.csv` and `.parquet` files), one a line, with
/// its size and modification time in nanoseconds, sorted by name.
fn tables_stamp(out_dir: &Path) -> String {
    let mut lines: Vec<String> = fs::read_dir(out_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let path = e.path();
            let ext = path.extension().and_then(|x| x.to_str());
            matches!(ext, Some("csv" | "parquet")) && e.file_type().is_ok_and(|t| t.is_file())
        })
        .map(|e| {
            let meta = e.metadata().ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {len} {modified}", e.file_name().to_string_lossy())
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

/// Builds the site unless the one in place was built from the table files as they are now
/// (same names, sizes and modification times): `secreg ingest` after a run that replaced no
/// table. `None` when the site was left as it was. `reading`, when given, is the tables' read
/// begun while they were put in place ([`Reading::start`]).
pub fn build_if_stale(
    out_dir: &Path,
    reading: Option<Reading>,
) -> Result<Option<SiteSummary>, SiteError> {
    let dir = out_dir.join(SITE_DIR);
    let built_from = fs::read_to_string(dir.join(BUILT_FROM)).ok();
    if dir.join("index.html").is_file() && built_from.as_deref() == Some(&tables_stamp(out_dir)) {
        return Ok(None);
    }
    build_reading(out_dir, reading).map(Some)
}

/// Why the site could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The tables the site shows, being read on a thread of their own: an ingest starts it as
/// soon as its table files are finished, and the read runs while they are synced and renamed
/// into place. (A thousand reports' tables took 43-73 ms to read back once they were in
/// place; their commit spends 13-21 ms waiting on the disk's syncs, both cores idle.)
pub struct Reading(std::thread::JoinHandle<Result<SiteData, LoadError>>);

impl Reading {
    /// Starts reading the tables of `out_dir`, where `opened` names a file (by the path it
    /// is to have there) from that file: opened before it is renamed into place, it is read
    /// wherever it is then. `None` if no thread can be started.
    pub fn start(out_dir: &Path, opened: Vec<(PathBuf, fs::File)>) -> Option<Reading> {
        let tables = data::TableFiles::with_opened(out_dir, opened);
        std::thread::Builder::new()
            .name("site tables".into())
            .spawn(move || {
                let data = crate::pipeline::profile::span("site: tables read back", || {
                    data::load_site_tables(&tables)
                });
                crate::pipeline::profile::peak("site: tables read back");
                data
            })
            .ok()
            .map(Reading)
    }

    fn finish(self, out_dir: &Path) -> Result<SiteData, LoadError> {
        self.0.join().unwrap_or_else(|_| {
            Err(LoadError::Read {
                path: out_dir.display().to_string(),
                message: "reading the tables for the site crashed".into(),
            })
        })
    }
}

/// Builds the site of the tables in `out_dir` into `out_dir/site`: written whole to a
/// temporary folder beside it, then put in place of the old one.
pub fn build(out_dir: &Path) -> Result<SiteSummary, SiteError> {
    build_reading(out_dir, None)
}

/// [`build`], from the tables' read `reading` where one was begun.
fn build_reading(out_dir: &Path, reading: Option<Reading>) -> Result<SiteSummary, SiteError> {
    let start = Instant::now();
    // The stamp of the files read: taken before they are read (a table replaced meanwhile
    // makes the next `build_if_stale` build again), or, where they were read as they were
    // put in place, once they are there (the same files, renamed).
    let built_from = tables_stamp(out_dir);
    let data = match reading {
        Some(reading) => reading.finish(out_dir)?,
        None => {
            let data = crate::pipeline::profile::span("site: tables read back", || {
                load_site_data(out_dir)
            })?;
            crate::pipeline::profile::peak("site: tables read back");
            data
        }
    };
    let dir = out_dir.join(SITE_DIR);
    let (pages, review_rows) = if dir.join(BUILT_FROM).is_file() {
        update_in_place(&data, &dir, &built_from)?
    } else {
        write_new(&data, out_dir, &dir, &built_from)?
    };
    let summary = SiteSummary {
        index: dir.join("index.html"),
        dir,
        pages,
        modifications: data.modifications.len(),
        reports: data.reports.len(),
        review_rows,
        seconds: start.elapsed().as_secs_f64(),
    };
    drop_aside(data);
    Ok(summary)
}

/// Frees the site's data on a thread of its own: a thousand reports' rows took 60M
/// instructions to free (7% of `secreg site`), and the run has nothing left to wait for but
/// them (the process ends without waiting for the thread).
fn drop_aside(data: SiteData) {
    // (No thread: the data is dropped with the closure that held it, here.)
    let _ = std::thread::Builder::new()
        .name("site data freed".into())
        .spawn(move || drop(data));
}

/// The error of writing `path`.
fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError {
    let path = path.to_path_buf();
    move |source| SiteError::Write { path, source }
}

/// Writes the whole site into a temporary folder and puts it in place of the old one (if
/// any): the first build, or a site this version did not build. Returns (pages, review rows).
fn write_new(
    data: &SiteData,
    out_dir: &Path,
    dir: &Path,
    built_from: &str,
) -> Result<(usize, usize), SiteError> {
    let pid = std::process::id();
    let tmp = out_dir.join(format!(".{SITE_DIR}.{pid}.tmp"));
    let old = out_dir.join(format!(".{SITE_DIR}.{pid}.old"));
    let _ = fs::remove_dir_all(&tmp);
    let written = (|| {
        for sub in ["m", "r"] {
            let d = tmp.join(sub);
            fs::create_dir_all(&d).map_err(write_error(&d))?;
        }
        let stamps = std::sync::Mutex::new(PageStamps::default());
        let review_rows = render_each(data, Some(dir), |path, html| {
            let p = tmp.join(&path);
            fs::write(&p, &html).map_err(write_error(&p))?;
            let stamp = PageStamp::of(&p, &html);
            stamps
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pages
                .insert(path, stamp);
            Ok::<(), SiteError>(())
        })?;
        let stamps = stamps.into_inner().unwrap_or_else(|e| e.into_inner());
        let pages = stamps.pages.len();
        let p = tmp.join(PAGES);
        fs::write(&p, stamps.to_text()).map_err(write_error(&p))?;
        let p = tmp.join(BUILT_FROM);
        fs::write(&p, built_from).map_err(write_error(&p))?;
        if dir.exists() {
            fs::rename(dir, &old).map_err(write_error(dir))?;
        }
        fs::rename(&tmp, dir).map_err(write_error(dir))?;
        Ok((pages, review_rows))
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&tmp);
        if !dir.exists() && old.exists() {
            let _ = fs::rename(&old, dir);
        }
    }
    let _ = fs::remove_dir_all(&old);
    written
}

/// The file, in the site's folder, that names every page the last build wrote or kept, with
/// its size, modification time and the hash of its HTML: a page rendered again to the same
/// HTML, whose file still has that size and time, is known to be in place without being read
/// (a new report changes some 100 pages of 1,114; reading the other 35 MB back to compare
/// them took a third of the site's time).
pub const PAGES: &str = ".pages";

/// What is known of a page's file: its size, its modification time (nanoseconds since the
/// epoch) and the xxh3-128 of the HTML written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PageStamp {
    len: u64,
    modified: u128,
    hash: u128,
}

impl PageStamp {
    /// The stamp of the file at `path` once `html` is in it (`None` if it cannot be stat'ed:
    /// the page is then written again next time).
    fn of(path: &Path, html: &str) -> Option<PageStamp> {
        let (len, modified) = file_times(path)?;
        Some(PageStamp {
            len,
            modified,
            hash: xxhash_rust::xxh3::xxh3_128(html.as_bytes()),
        })
    }
}

/// A file's size and modification time in nanoseconds.
fn file_times(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), modified))
}

/// The stamps of a site's pages by their paths in its folder ([`PAGES`]).
#[derive(Debug, Default)]
struct PageStamps {
    pages: HashMap<PathBuf, Option<PageStamp>>,
}

impl PageStamps {
    /// Records the page `path` (in the site's folder), just written to `file` with `html`.
    fn record(&mut self, file: &Path, path: PathBuf, html: &str) {
        self.pages.insert(path, PageStamp::of(file, html));
    }

    /// The stamps of the file [`PAGES`] of `dir`; none if it is missing or damaged (every page
    /// is then compared with its file).
    fn read(dir: &Path) -> PageStamps {
        let mut pages = HashMap::new();
        let Ok(text) = fs::read_to_string(dir.join(PAGES)) else {
            return PageStamps { pages };
        };
        for line in text.lines() {
            let mut parts = line.splitn(4, ' ');
            let (Some(hash), Some(len), Some(modified), Some(path)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return PageStamps::default();
            };
            let stamp = (|| {
                Some(PageStamp {
                    hash: u128::from_str_radix(hash, 16).ok()?,
                    len: len.parse().ok()?,
                    modified: modified.parse().ok()?,
                })
            })();
            match stamp {
                Some(stamp) => pages.insert(PathBuf::from(path), Some(stamp)),
                None => return PageStamps::default(),
            };
        }
        PageStamps { pages }
    }

    /// One line a page with a stamp (hash, size, time, path), sorted by path.
    fn to_text(&self) -> String {
        // (Sorted before they are written: sorting the lines by their fourth field split
        // each line again at each comparison, 2% of `secreg site`'s instructions.)
        let mut stamps: Vec<(&str, &PageStamp)> = self
            .pages
            .iter()
            .filter_map(|(path, stamp)| Some((path.to_str()?, stamp.as_ref()?)))
            .collect();
        stamps.sort_unstable_by_key(|&(path, _)| path);
        let mut text = String::with_capacity(80 * stamps.len());
        for (path, s) in stamps {
            use std::fmt::Write;
            let _ = writeln!(text, "{:032x} {} {} {path}", s.hash, s.len, s.modified);
        }
        text
    }
}

/// Whether the page's file at `file` holds `html`: known from its stamp when the file's size
/// and time are the stamp's, else read and compared (a site built before stamps were kept).
fn page_in_place(file: &Path, html: &str, stamp: Option<&PageStamp>) -> bool {
    match stamp {
        Some(s) => {
            s.hash == xxhash_rust::xxh3::xxh3_128(html.as_bytes())
                && file_times(file) == Some((s.len, s.modified))
        }
        None => fs::read(file).is_ok_and(|old| old == html.as_bytes()),
    }
}

/// Updates a site this version built: a page whose HTML is what is there already is left as
/// it is; a changed page is written beside its old self and renamed over it (each page is
/// whole at every moment); pages no longer in the site are removed; the stamp of the tables
/// is written last, so that a run stopped half way leaves a site that the next
/// `build_if_stale` builds again. A new report changes a few pages of a thousand: on ext4,
/// writing all 1,113 files of a 1,000-report site anew cost 0.3 s in the kernel alone,
/// finding inodes for them among the ones just freed. The changed pages are written on a
/// thread of their own while the next are rendered: a rename over an old page waits on the
/// disk (ext4's `auto_da_alloc` starts writing the new file at once), 0.1-0.3 s for the 104
/// pages a new June report changes. Returns (pages, review rows).
fn update_in_place(
    data: &SiteData,
    dir: &Path,
    built_from: &str,
) -> Result<(usize, usize), SiteError> {
    let pid = std::process::id();
    for sub in ["m", "r"] {
        let d = dir.join(sub);
        fs::create_dir_all(&d).map_err(write_error(&d))?;
    }
    let old = PageStamps::read(dir);
    let stamps = std::sync::Mutex::new(PageStamps::default());
    // A few pages in flight at most: a modification page is up to a few hundred kB.
    let (send, receive) = std::sync::mpsc::sync_channel::<(PathBuf, String)>(4);
    let (rendered, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<PageStamps, SiteError> {
            let mut written = PageStamps::default();
            for (path, html) in receive {
                let p = dir.join(&path);
                replace_file(&p, html.as_bytes(), pid)?;
                written.record(&p, path, &html);
            }
            Ok(written)
        });
        let rendered = render_each(data, Some(dir), |path, html| {
            let p = dir.join(&path);
            let stamp = old.pages.get(&path).and_then(Option::as_ref);
            if page_in_place(&p, &html, stamp) {
                let stamp = match stamp {
                    Some(s) => Some(*s),
                    None => PageStamp::of(&p, &html),
                };
                stamps
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .pages
                    .insert(path, stamp);
                return Ok(());
            }
            // The writer stopped on an error: it is the one joined below.
            send.send((path, html))
                .map_err(|_| write_error(&p)(writer_stopped()))
        });
        drop(send);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(write_error(dir)(writer_stopped())));
        (rendered, written)
    });
    let written = written?;
    let review_rows = rendered?;
    let mut stamps = stamps.into_inner().unwrap_or_else(|e| e.into_inner());
    stamps.pages.extend(written.pages);
    // Pages of modifications or reports no longer in the tables.
    for sub in ["", "m", "r"] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = Path::new(sub).join(e.file_name());
            let is_page = rel.extension().is_some_and(|x| x == "html");
            if is_page
                && e.file_type().is_ok_and(|t| t.is_file())
                && !stamps.pages.contains_key(&rel)
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    replace_file(&dir.join(PAGES), stamps.to_text().as_bytes(), pid)?;
    replace_file(&dir.join(BUILT_FROM), built_from.as_bytes(), pid)?;
    Ok((stamps.pages.len(), review_rows))
}

/// The error of a page not written because the thread writing pages stopped.
fn writer_stopped() -> std::io::Error {
    std::io::Error::other("the thread writing the site's pages stopped")
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
fn replace_file(path: &Path, bytes: &[u8], pid: u32) -> Result<(), SiteError> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{pid}.tmp"));
    let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(write_error(path))
}

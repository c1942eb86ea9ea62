//! History across the archive: one row per distinct fact, whatever how many reports restate
//! it.
//!
//! Facts are the reports' events. Two statements are the same fact when they name the same
//! modification and event and none of their values disagree (a missing value agrees with
//! any; names are compared after OCR-tolerant normalising). For events that happen once in a
//! modification's life (raised, a decision, implementation) two facts that disagree are both
//! kept and flagged `conflict`, with a diagnostic naming both sources; for events that recur
//! (Working Group meetings, consultations, release schedules) they are simply two facts.
//!
//! What the register makes of the facts is `register`'s.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::schema::Source;
use super::ReportRow;
use crate::grammar::{Date, ModId};
use crate::model::{Diagnostic, DiagnosticCode, EventKind, Provenance, ReportRecords, Severity};
use crate::reading::TextSource;

/// A report the history has heard from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ReportSource {
    report_id: String,
    source_file: String,
    report_date: Option<Date>,
}

/// A text the history keeps once however many reports restate it: an index into
/// [`Texts`].
type TextId = u32;

/// The texts of the history's statements, each kept once: ids, names and releases are
/// restated month after month.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Texts {
    texts: Vec<String>,
    /// (Not kept in the cache: a history read back is only merged into another.)
    #[serde(skip)]
    ids: HashMap<String, TextId>,
}

impl Texts {
    fn intern(&mut self, text: &str) -> TextId {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as TextId;
        self.texts.push(text.to_string());
        self.ids.insert(text.to_string(), id);
        id
    }

    fn get(&self, id: TextId) -> &str {
        &self.texts[id as usize]
    }

    fn get_opt(&self, id: Option<TextId>) -> Option<&str> {
        id.map(|id| self.get(id))
    }
}

/// What the history needs of an event: its text stays in the `events` table.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StatedEvent {
    mod_id: ModId,
    kind: EventKind,
    date: Option<Date>,
    proposer: Option<TextId>,
    organisation: Option<TextId>,
    release_name: Option<TextId>,
    detail: Option<TextId>,
}

/// One statement of a fact in one report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Statement {
    /// Index into `HistoryInput::reports`.
    report: u32,
    page: u32,
    line: u32,
    /// The line as read.
    snippet: TextId,
    report_date: Option<Date>,
    /// Read from a digital text layer (not OCR).
    digital: bool,
    /// The id printed was another, which the archive repaired (`register`'s confirmed
    /// repairs): the line as read keeps it.
    id_repaired: bool,
    event: StatedEvent,
}

/// What the history needs from every report, gathered as reports arrive.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct HistoryInput {
    reports: Vec<ReportSource>,
    texts: Texts,
    statements: Vec<Statement>,
}

impl HistoryInput {
    /// Adds what `later` gathered from the reports after this one's: the same as adding
    /// its reports here one by one.
    pub fn merge(&mut self, later: HistoryInput) {
        let first_report = self.reports.len() as u32;
        self.reports.extend(later.reports);
        let ids: Vec<TextId> = later
            .texts
            .texts
            .iter()
            .map(|t| self.texts.intern(t))
            .collect();
        let text = |id: TextId| ids[id as usize];
        self.statements
            .extend(later.statements.into_iter().map(|mut s| {
                s.report += first_report;
                s.snippet = text(s.snippet);
                let e = &mut s.event;
                e.proposer = e.proposer.map(text);
                e.organisation = e.organisation.map(text);
                e.release_name = e.release_name.map(text);
                e.detail = e.detail.map(text);
                s
            }));
    }

    pub fn add_report(&mut self, row: &ReportRow, records: &ReportRecords) {
        let digital = row.text_source == Some(TextSource::PdfText);
        let report_date = records.info.report_date;
        let report = self.reports.len() as u32;
        self.reports.push(ReportSource {
            report_id: row.report_id.clone(),
            source_file: row.source_file.clone(),
            report_date,
        });
        for e in &records.events {
            self.statements.push(Statement {
                report,
                page: e.at.page,
                line: e.at.line,
                snippet: self.texts.intern(&e.at.snippet),
                report_date,
                digital,
                id_repaired: false,
                event: StatedEvent {
                    mod_id: e.modification.id.clone(),
                    kind: e.event,
                    date: e.date,
                    proposer: e.proposer.as_deref().map(|t| self.texts.intern(t)),
                    organisation: e.organisation.as_deref().map(|t| self.texts.intern(t)),
                    release_name: e.release_name.as_deref().map(|t| self.texts.intern(t)),
                    detail: e.detail.as_deref().map(|t| self.texts.intern(t)),
                },
            });
        }
    }

    /// The statements of each id OCR changed into another (a key of `repairs`, by its
    /// register id) made statements of the id it is, flagged: the archive confirmed the
    /// repair. A request suffix (`v2`) stays.
    pub fn repair_ids(&mut self, repairs: &BTreeMap<ModId, ModId>) {
        for s in &mut self.statements {
            if let Some(to) = repairs.get(&s.event.mod_id.register_id()) {
                let suffix = s
                    .event
                    .mod_id
                    .variant
                    .strip_prefix(&to.variant)
                    .unwrap_or("");
                s.event.mod_id = ModId::new(to.number, &format!("{}{suffix}", to.variant));
                s.id_repaired = true;
            }
        }
    }

    /// `file:page:line` of a statement.
    fn source(&self, s: &Statement) -> String {
        format!(
            "{}:{}:{}",
            self.reports[s.report as usize].source_file, s.page, s.line
        )
    }

    fn report_id(&self, s: &Statement) -> &str {
        &self.reports[s.report as usize].report_id
    }

    /// A diagnostic at a statement: its report, page, line and the line as read.
    fn diagnostic_at(&self, s: &Statement, message: String) -> (Source, Diagnostic) {
        let report = &self.reports[s.report as usize];
        let source = Source {
            report_id: report.report_id.clone(),
            source_file: report.source_file.clone(),
            report_date: report.report_date,
        };
        let diagnostic = Diagnostic {
            at: Some(Provenance {
                page: s.page,
                line: s.line,
                snippet: self.texts.get(s.snippet).into(),
            }),
            severity: Severity::Warning,
            code: DiagnosticCode::HistoryConflict,
            message,
        };
        (source, diagnostic)
    }
}

/// True for events that happen at most once in a modification's life: two different values
/// for one of them is a conflict between reports.
fn happens_once(e: EventKind) -> bool {
    use EventKind::*;
    matches!(
        e,
        Raised
            | CscReadyForConversion
            | ChangeBoardApproved
            | ChangeBoardRejected
            | ChangeBoardRecommendedApproval
            | AuthorityApproved
            | AuthorityRejected
            | AuthoritySentBack
            | UrgentStatusApproved
            | Implemented
            | Withdrawn
    )
}

/// A name for comparing: lower case, letters and digits only.
pub(crate) fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) use crate::grammar::text::edit_distance;

/// Two printed names are one name when they differ by no more than OCR would make of it: an
/// edit in six letters ("Eastori Brown" / "Easton Brown": `n` read as `ri`).
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (name_key(a), name_key(b));
    a == b || edit_distance(&a, &b) <= (a.len().max(b.len()) / 6).max(1)
}

fn agree<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn names_agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same_name(x, y),
        _ => true,
    }
}

/// One fact and the statements of it.
#[derive(Debug, Clone)]
struct Fact {
    statements: Vec<Statement>,
    date: Option<Date>,
    proposer: Option<TextId>,
    organisation: Option<TextId>,
    release_name: Option<TextId>,
}

impl Fact {
    fn admits(&self, e: &StatedEvent, texts: &Texts) -> bool {
        agree(&self.date, &e.date)
            && names_agree(texts.get_opt(self.proposer), texts.get_opt(e.proposer))
            && names_agree(texts.get_opt(self.organisation), texts.get_opt(e.organisation))
            // (One text, one id.)
            && agree(&self.release_name, &e.release_name)
    }

    fn add(&mut self, s: Statement) {
        // A value read from a digital text layer replaces one read by OCR.
        let prefer = s.digital && !self.statements.iter().any(|t| t.digital);
        let take = |mine: &mut Option<TextId>, theirs: &Option<TextId>| {
            if mine.is_none() || (prefer && theirs.is_some()) {
                *mine = theirs.or(mine.take());
            }
        };
        take(&mut self.proposer, &s.event.proposer);
        take(&mut self.organisation, &s.event.organisation);
        take(&mut self.release_name, &s.event.release_name);
        self.date = self.date.or(s.event.date);
        self.statements.push(s);
    }
}

/// A row of the `history` table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistoryRow {
    pub mod_id: ModId,
    pub event: EventKind,
    pub event_date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub release_name: Option<String>,
    pub detail: Option<String>,
    pub first_reported: Option<Date>,
    pub last_reported: Option<Date>,
    pub times_reported: u32,
    pub report_ids: Vec<String>,
    pub sources: Vec<String>,
    pub conflict: bool,
    /// A statement of it printed another id, which the archive repaired.
    pub id_repaired: bool,
    /// The report that stated it first (the earliest report date; of one date, the first
    /// source), and that statement as `file:page:line`: where a stage interval it opens
    /// comes from. Not columns.
    pub first_report_id: Option<String>,
    pub first_source: Option<String>,
}

/// How many reports state a fact: files with the same report date are one report in
/// several forms (a text export, a digital PDF, a scan).
fn reports_stating(input: &HistoryInput, statements: &[Statement]) -> u32 {
    let dated: BTreeSet<Date> = statements.iter().filter_map(|s| s.report_date).collect();
    let undated: BTreeSet<&str> = statements
        .iter()
        .filter(|s| s.report_date.is_none())
        .map(|s| input.report_id(s))
        .collect();
    (dated.len() + undated.len()) as u32
}

/// The history: one row per distinct fact, sorted by modification, date and event; and a
/// `history_conflict` diagnostic for each fact that conflicts with the first of its event,
/// placed at the fact's first statement.
pub(crate) fn build_history(
    input: &mut HistoryInput,
) -> (Vec<HistoryRow>, Vec<(Source, Diagnostic)>) {
    // The statements are needed here only: moved into their groups, not copied.
    let statements = std::mem::take(&mut input.statements);
    let input = &*input;
    // Grouped by id and event (each group's statements in the order given), then the groups
    // put in the tables' order: by the id's text form, formatted once a group, which is the
    // id's one to one (`ModId`'s canonical form). (Keyed by that text, each of 1,000 + 1
    // reports' statements allocated its own.)
    let mut by_key: HashMap<(ModId, EventKind), Vec<Statement>> = HashMap::new();
    for s in statements {
        by_key
            .entry((s.event.mod_id.clone(), s.event.kind))
            .or_default()
            .push(s);
    }
    let mut groups: Vec<((String, EventKind), Vec<Statement>)> = by_key
        .into_iter()
        .map(|((id, kind), statements)| ((id.to_string(), kind), statements))
        .collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // The groups are facts of their own: made side by side, each group's rows and conflicts
    // kept in the groups' order.
    let made: Vec<Facts> = groups
        .into_par_iter()
        .map(|((_, event), statements)| facts_of_group(input, event, statements))
        .collect();
    let mut rows = Vec::new();
    let mut conflicts = Vec::new();
    for (r, c) in made {
        rows.extend(r);
        conflicts.extend(c);
    }
    // By the id's text form, as the groups.
    rows.sort_by_cached_key(|h| {
        (
            h.mod_id.to_string(),
            h.event_date.is_none(),
            h.event_date,
            h.event,
        )
    });
    (rows, conflicts)
}

/// History rows, and the conflicts among them (each at its statement).
type Facts = (Vec<HistoryRow>, Vec<(Source, Diagnostic)>);

/// The facts of one modification and event from its statements: their rows, and a conflict
/// diagnostic for each fact after the first of an event that happens once.
fn facts_of_group(input: &HistoryInput, event: EventKind, mut statements: Vec<Statement>) -> Facts {
    let mut rows = Vec::new();
    let mut conflicts = Vec::new();
    let mod_id = statements[0].event.mod_id.clone();
    // Dated statements first, so that undated restatements join the fact they restate.
    statements.sort_by_cached_key(|s| (s.event.date.is_none(), s.report_date, input.source(s)));
    let mut facts: Vec<Fact> = Vec::new();
    for s in statements {
        match facts.iter_mut().find(|f| f.admits(&s.event, &input.texts)) {
            Some(f) => f.add(s),
            None => {
                let mut f = Fact {
                    statements: Vec::new(),
                    date: None,
                    proposer: None,
                    organisation: None,
                    release_name: None,
                };
                f.add(s);
                facts.push(f);
            }
        }
    }
    let conflict = happens_once(event) && facts.len() > 1;
    if conflict {
        let first = &facts[0].statements[0];
        for other in &facts[1..] {
            let s = &other.statements[0];
            conflicts.push(input.diagnostic_at(
                s,
                format!(
                    "{mod_id} {}: {} says {}, {} says {}",
                    event.name(),
                    input.source(first),
                    describe(&facts[0], &input.texts),
                    input.source(s),
                    describe(other, &input.texts)
                ),
            ));
        }
    }
    for f in facts {
        let report_dates: Vec<Date> = f.statements.iter().filter_map(|s| s.report_date).collect();
        let mut report_ids: Vec<(Option<Date>, &str)> = f
            .statements
            .iter()
            .map(|s| (s.report_date, input.report_id(s)))
            .collect();
        report_ids.sort();
        report_ids.dedup();
        // Each statement's source formatted once: the fact's first statement is found by
        // it, and its sources are listed by it. (Formatted again at each comparison and
        // for the list, they were 20M of the history's 196M instructions in 1,000
        // reports + 1.)
        let sourced: Vec<(&Statement, String)> =
            f.statements.iter().map(|s| (s, input.source(s))).collect();
        let first = sourced
            .iter()
            .min_by_key(|(s, source)| (s.report_date.is_none(), s.report_date, source))
            .map(|(s, source)| (*s, source.clone()));
        let mut sources: Vec<String> = sourced.into_iter().map(|(_, source)| source).collect();
        sources.sort();
        sources.dedup();
        rows.push(HistoryRow {
            mod_id: mod_id.clone(),
            event,
            event_date: f.date,
            proposer: input.texts.get_opt(f.proposer).map(String::from),
            organisation: input.texts.get_opt(f.organisation).map(String::from),
            release_name: input.texts.get_opt(f.release_name).map(String::from),
            detail: f
                .statements
                .iter()
                .find_map(|s| input.texts.get_opt(s.event.detail))
                .map(String::from),
            first_reported: report_dates.iter().min().copied(),
            last_reported: report_dates.iter().max().copied(),
            times_reported: reports_stating(input, &f.statements),
            report_ids: report_ids
                .into_iter()
                .map(|(_, id)| id.to_string())
                .collect(),
            sources,
            conflict,
            id_repaired: f.statements.iter().any(|s| s.id_repaired),
            first_report_id: first.as_ref().map(|(s, _)| input.report_id(s).to_string()),
            first_source: first.map(|(_, source)| source),
        });
    }
    (rows, conflicts)
}

fn describe(f: &Fact, texts: &Texts) -> String {
    let mut parts = Vec::new();
    if let Some(d) = f.date {
        parts.push(d.to_string());
    }
    for v in [f.proposer, f.organisation, f.release_name]
        .into_iter()
        .flatten()
    {
        parts.push(texts.get(v).to_string());
    }
    if parts.is_empty() {
        "no date".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_variants_of_a_name_are_one_name() {
        assert!(same_name("Easton Brown", "Eastori Brown"));
        assert!(same_name(
            "Security Sub-Committee (SSC)",
            "Security Sub-Cammittee (SSC)"
        ));
        assert!(!same_name("Ed Rees", "Ed Reed Smith"));
        assert!(!same_name("DCC", "SSC"));
    }
}

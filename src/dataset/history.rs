//! History across the archive: one row per distinct fact, whatever how many reports restate
//! it, and the register: one row per modification.
//!
//! Facts are the reports' events. Two statements are the same fact when they name the same
//! modification and event and none of their values disagree (a missing value agrees with
//! any; names are compared after OCR-tolerant normalising). For events that happen once in a
//! modification's life (raised, a decision, implementation) two facts that disagree are both
//! kept and flagged `conflict`, with a diagnostic naming both sources; for events that recur
//! (Working Group meetings, consultations, release schedules) they are simply two facts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::ReportRow;
use crate::grammar::{Date, DccStatus};
use crate::model::{EventKind, ReportRecords};

/// A modification of the register: number and variant letter. `v2`-style request suffixes
/// are not variants (MP078v2 is a second assessment request of MP078).
pub type RegisterKey = (u32, String);

fn register_key(number: u32, variant: &str) -> RegisterKey {
    let letter = if variant.starts_with('v') {
        ""
    } else {
        variant
    };
    (number, letter.to_string())
}

fn register_id(key: &RegisterKey) -> String {
    format!("MP{:03}{}", key.0, key.1)
}

/// A report the history has heard from.
#[derive(Debug, Clone)]
struct ReportSource {
    report_id: String,
    source_file: String,
}

/// A text the history keeps once however many reports restate it: an index into
/// [`Texts`].
type TextId = u32;

/// The texts of the history's statements, each kept once: ids, names and releases are
/// restated month after month.
#[derive(Debug, Clone, Default)]
struct Texts {
    texts: Vec<String>,
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
#[derive(Debug, Clone)]
struct StatedEvent {
    mod_id: TextId,
    kind: EventKind,
    date: Option<Date>,
    proposer: Option<TextId>,
    organisation: Option<TextId>,
    release_name: Option<TextId>,
    detail: Option<TextId>,
}

/// One statement of a fact in one report.
#[derive(Debug, Clone)]
struct Statement {
    /// Index into `HistoryInput::reports`.
    report: u32,
    page: u32,
    line: u32,
    report_date: Option<Date>,
    /// Read from a digital text layer (not OCR).
    digital: bool,
    event: StatedEvent,
}

/// How often one spelling of a title was printed beside a modification's id.
#[derive(Debug, Clone, Copy, Default)]
struct TitleCounts {
    all: usize,
    /// In reports read from a digital text layer.
    digital: usize,
    /// Beside an id printed clean (OCR damaged neither).
    clean_id: usize,
}

/// What the register needs of every place a modification was seen, folded as reports
/// arrive: the report dates, and each spelling of its title with how it was printed. (Every
/// mention of every report is restated month after month; keeping them would grow with the
/// archive.)
#[derive(Debug, Clone, Default)]
struct Sightings {
    report_dates: BTreeSet<Date>,
    titles: BTreeMap<String, TitleCounts>,
    /// Titles the DCC's tables print in digital reports: the register's title when no list,
    /// sentence or heading gives one (their cells are often cut short, and a scan's are
    /// interleaved with other cells).
    dcc_titles: BTreeMap<String, TitleCounts>,
}

/// The DCC status of a modification in the latest report that gives one.
#[derive(Debug, Clone, Copy)]
struct DccSighting {
    report_date: Option<Date>,
    status: DccStatus,
}

/// What the history needs from every report, gathered as reports arrive.
#[derive(Debug, Clone, Default)]
pub struct HistoryInput {
    reports: Vec<ReportSource>,
    texts: Texts,
    statements: Vec<Statement>,
    sightings: BTreeMap<RegisterKey, Sightings>,
    dcc: BTreeMap<RegisterKey, DccSighting>,
}

impl HistoryInput {
    pub fn add_report(&mut self, row: &ReportRow, records: &ReportRecords) {
        let digital = row.text_source == Some("pdf_text");
        let report_date = records.info.report_date;
        let report = self.reports.len() as u32;
        self.reports.push(ReportSource {
            report_id: row.report_id.clone(),
            source_file: row.source_file.clone(),
        });
        for e in &records.events {
            self.statements.push(Statement {
                report,
                page: e.at.page,
                line: e.at.line,
                report_date,
                digital,
                event: StatedEvent {
                    mod_id: self.texts.intern(&e.modification.id.canonical()),
                    kind: e.event,
                    date: e.date,
                    proposer: e.proposer.as_deref().map(|t| self.texts.intern(t)),
                    organisation: e.organisation.as_deref().map(|t| self.texts.intern(t)),
                    release_name: e.release_name.as_deref().map(|t| self.texts.intern(t)),
                    detail: e.detail.as_deref().map(|t| self.texts.intern(t)),
                },
            });
        }
        let titled = records.mentions.iter().map(|m| (&m.modification, &m.title));
        let event_titles = records.events.iter().map(|e| (&e.modification, &e.title));
        for (m, title) in titled.chain(event_titles) {
            let seen = self
                .sightings
                .entry(register_key(m.id.number, &m.id.variant))
                .or_default();
            seen.report_dates.extend(report_date);
            if let Some(t) = title {
                let counts = match seen.titles.get_mut(t) {
                    Some(c) => c,
                    None => seen.titles.entry(t.clone()).or_default(),
                };
                counts.all += 1;
                counts.digital += digital as usize;
                counts.clean_id += !m.repaired as usize;
            }
        }
        for d in &records.dcc_status {
            // (A title with a digit is most likely cells run together: `09/07/2020 IA in`.)
            let clean = |t: &&String| digital && !t.bytes().any(|b| b.is_ascii_digit());
            if let Some(title) = d.title.as_ref().filter(clean) {
                let key = register_key(d.modification.id.number, &d.modification.id.variant);
                let counts = self
                    .sightings
                    .entry(key)
                    .or_default()
                    .dcc_titles
                    .entry(title.clone())
                    .or_default();
                counts.all += 1;
                counts.digital += 1;
                counts.clean_id += !d.modification.repaired as usize;
            }
            if let Some(status) = d.status {
                let key = register_key(d.modification.id.number, &d.modification.id.variant);
                let latest = self.dcc.entry(key).or_insert(DccSighting {
                    report_date,
                    status,
                });
                // The latest report wins; of one date, the one added last.
                if report_date >= latest.report_date {
                    *latest = DccSighting {
                        report_date,
                        status,
                    };
                }
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
fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != *cb) as usize)
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Two printed names are one name when they differ by no more than OCR would make of it: an
/// edit in six letters ("Eastori Brown" / "Easton Brown": `n` read as `ri`).
fn same_name(a: &str, b: &str) -> bool {
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
pub struct HistoryRow {
    pub mod_id: String,
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
}

/// A conflict between reports, for the diagnostics table.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub report_id: String,
    pub source: String,
    pub message: String,
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

/// The history: one row per distinct fact, sorted by modification, date and event.
pub fn build_history(input: &mut HistoryInput) -> (Vec<HistoryRow>, Vec<Conflict>) {
    // The statements are needed here only: moved into their groups, not copied.
    let statements = std::mem::take(&mut input.statements);
    let input = &*input;
    let mut groups: BTreeMap<(&str, EventKind), Vec<Statement>> = BTreeMap::new();
    for s in statements {
        groups
            .entry((input.texts.get(s.event.mod_id), s.event.kind))
            .or_default()
            .push(s);
    }
    let mut rows = Vec::new();
    let mut conflicts = Vec::new();
    for ((mod_id, event), mut statements) in groups {
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
                conflicts.push(Conflict {
                    report_id: input.report_id(s).to_string(),
                    source: input.source(s),
                    message: format!(
                        "{mod_id} {}: {} says {}, {} says {}",
                        event.name(),
                        input.source(first),
                        describe(&facts[0], &input.texts),
                        input.source(s),
                        describe(other, &input.texts)
                    ),
                });
            }
        }
        for f in facts {
            let report_dates: Vec<Date> =
                f.statements.iter().filter_map(|s| s.report_date).collect();
            let mut report_ids: Vec<(Option<Date>, &str)> = f
                .statements
                .iter()
                .map(|s| (s.report_date, input.report_id(s)))
                .collect();
            report_ids.sort();
            report_ids.dedup();
            let mut sources: Vec<String> = f.statements.iter().map(|s| input.source(s)).collect();
            sources.sort();
            sources.dedup();
            rows.push(HistoryRow {
                mod_id: mod_id.to_string(),
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
            });
        }
    }
    rows.sort_by(|a, b| {
        (&a.mod_id, a.event_date.is_none(), a.event_date, a.event).cmp(&(
            &b.mod_id,
            b.event_date.is_none(),
            b.event_date,
            b.event,
        ))
    });
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

/// A modification's stage, derived from its latest fact. Ties on the date go to the later
/// stage of the lifecycle.
fn stage_of(e: EventKind) -> (&'static str, u8) {
    use EventKind::*;
    match e {
        Raised | CscReadyForConversion => ("Draft Proposal", 1),
        RecommendedToRefinement | WorkingGroup | RefinementConsultationExpected => {
            ("Refinement Process", 2)
        }
        RecommendedToReportPhase | ReportConsultationExpected => ("Report Phase", 3),
        ChangeBoardRecommendedApproval | WithAuthority | UrgentStatusApproved => {
            ("Awaiting decision", 4)
        }
        AuthoritySentBack => ("Sent back", 5),
        ChangeBoardApproved | AuthorityApproved => ("Approved", 6),
        ChangeBoardRejected | AuthorityRejected => ("Rejected", 7),
        ScheduledForRelease => ("Pending implementation", 8),
        Implemented => ("Implemented", 9),
        Withdrawn => ("Withdrawn", 10),
    }
}

/// A row of the `modifications` table (the register).
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRow {
    pub mod_id: String,
    pub mod_number: u32,
    pub mod_variant: Option<String>,
    pub title: Option<String>,
    pub title_variants: u32,
    pub first_seen: Option<Date>,
    pub last_seen: Option<Date>,
    pub reports_seen: u32,
    pub raised_date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub stage: Option<&'static str>,
    pub decision: Option<&'static str>,
    pub decision_date: Option<Date>,
    pub decision_body: Option<&'static str>,
    pub release_name: Option<String>,
    pub implemented_date: Option<Date>,
    pub last_dcc_status: Option<DccStatus>,
}

/// Characters a title printed clean does not hold: OCR's marks (`Managément:-`).
fn ocr_marks(title: &str) -> usize {
    title
        .chars()
        .filter(|c| {
            !(c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '-' | '&' | '/' | '(' | ')' | ',' | '.' | '\'' | '+'
                ))
        })
        .count()
        + title.matches(":-").count()
}

/// The register's title: from the lists, sentences and headings that print it; from the DCC
/// tables of digital reports only when none does.
fn consensus_title(sightings: &Sightings) -> (Option<String>, u32) {
    if sightings.titles.is_empty() {
        return consensus_of(&sightings.dcc_titles);
    }
    consensus_of(&sightings.titles)
}

/// The title of some spellings, and how many distinct titles they hold: of the spellings
/// (grouped after normalising), the one digital reports print; among scans, the one with the
/// fewest OCR marks; then the one most reports agree on; then the one printed beside a clean
/// id. So a damaged title never replaces a clean one.
fn consensus_of(titles: &BTreeMap<String, TitleCounts>) -> (Option<String>, u32) {
    #[derive(Default)]
    struct Group {
        digital: usize,
        all: usize,
        clean_id: usize,
        spellings: BTreeMap<String, usize>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (t, counts) in titles {
        let g = groups.entry(name_key(t)).or_default();
        g.digital += counts.digital;
        g.all += counts.all;
        g.clean_id += counts.clean_id;
        *g.spellings.entry(t.clone()).or_default() += counts.all;
    }
    let variants = groups.len() as u32;
    let best = groups
        .values()
        .filter_map(|g| {
            let (spelling, _) = g
                .spellings
                .iter()
                .max_by_key(|(t, n)| (**n, std::cmp::Reverse(ocr_marks(t))))?;
            Some((
                (
                    g.digital,
                    std::cmp::Reverse(ocr_marks(spelling)),
                    g.all,
                    g.clean_id,
                ),
                spelling.clone(),
            ))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, t)| t);
    (best, variants)
}

/// A modification's facts with each conflict settled for the register: of the facts that
/// disagree about a once-only event, the one the most reports state (the earliest stated on
/// a tie). The history keeps them all.
fn settled(facts: Vec<&HistoryRow>) -> Vec<&HistoryRow> {
    let mut kept: Vec<&HistoryRow> = Vec::with_capacity(facts.len());
    for f in facts {
        if !f.conflict {
            kept.push(f);
            continue;
        }
        match kept
            .iter()
            .position(|k| k.conflict && k.event == f.event && k.mod_id == f.mod_id)
        {
            Some(i) => {
                let k = kept[i];
                if (f.times_reported, std::cmp::Reverse(f.first_reported))
                    > (k.times_reported, std::cmp::Reverse(k.first_reported))
                {
                    kept[i] = f;
                }
            }
            None => kept.push(f),
        }
    }
    kept
}

/// The register: one row per modification seen anywhere in the archive.
pub fn build_register(input: &HistoryInput, history: &[HistoryRow]) -> Vec<RegisterRow> {
    let mut facts_of: BTreeMap<RegisterKey, Vec<&HistoryRow>> = BTreeMap::new();
    for h in history {
        let number: u32 = h.mod_id[2..]
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(0);
        let variant = h.mod_id[2..].trim_start_matches(|c: char| c.is_ascii_digit());
        facts_of
            .entry(register_key(number, variant))
            .or_default()
            .push(h);
    }
    let mut keys: BTreeSet<&RegisterKey> = input.sightings.keys().collect();
    keys.extend(input.dcc.keys());
    let mut rows = Vec::with_capacity(keys.len());
    for key in keys {
        let id = register_id(key);
        let no_sightings = Sightings::default();
        let sightings = input.sightings.get(key).unwrap_or(&no_sightings);
        let facts: Vec<&HistoryRow> = facts_of.remove(key).unwrap_or_default();
        let facts = settled(facts);
        let (title, title_variants) = consensus_title(sightings);
        let seen = &sightings.report_dates;
        let raised = facts
            .iter()
            .filter(|f| f.event == EventKind::Raised)
            .min_by_key(|f| (f.conflict, f.event_date));
        // When a fact happened. "Currently with the Authority" is true as of the reports
        // that say it. A release planned for a date ahead ("approved for the November 2020
        // release (5 November)") is known as of the reports that say it, and a later report
        // may overtake it (implemented standalone in September): it counts from the earlier
        // of its release date and its last report. Other undated facts say nothing of when.
        let effective = |f: &HistoryRow| match f.event {
            EventKind::WithAuthority => f.last_reported,
            EventKind::ScheduledForRelease => match (f.event_date, f.last_reported) {
                (Some(d), Some(r)) => Some(d.min(r)),
                (d, r) => d.or(r),
            },
            _ => f.event_date,
        };
        let latest_stage = facts
            .iter()
            .max_by_key(|f| (effective(f), stage_of(f.event).1))
            .map(|f| stage_of(f.event).0);
        let decision = facts
            .iter()
            .filter_map(|f| {
                let (decision, body) = match f.event {
                    EventKind::ChangeBoardApproved => ("approved", "Change Board"),
                    EventKind::ChangeBoardRejected => ("rejected", "Change Board"),
                    EventKind::AuthorityApproved => ("approved", "Authority"),
                    EventKind::AuthorityRejected => ("rejected", "Authority"),
                    EventKind::AuthoritySentBack => ("sent back", "Authority"),
                    _ => return None,
                };
                Some((effective(f), decision, body))
            })
            .max();
        let last_dcc = input.dcc.get(key).map(|d| d.status);
        let stage = match (latest_stage, last_dcc) {
            (_, Some(DccStatus::Withdrawn)) => Some("Withdrawn"),
            (Some(s), _) => Some(s),
            (None, Some(DccStatus::Implemented)) => Some("Implemented"),
            (None, Some(DccStatus::Rejected)) => Some("Rejected"),
            (None, Some(DccStatus::PendingImplementation)) => Some("Pending implementation"),
            (None, _) => None,
        };
        // The release of the latest implementation or plan, if it names one (a standalone
        // implementation names none, and overtakes a plan that did).
        let release = facts
            .iter()
            .filter(|f| {
                matches!(
                    f.event,
                    EventKind::Implemented | EventKind::ScheduledForRelease
                )
            })
            .max_by_key(|f| (effective(f), f.release_name.is_some()))
            .and_then(|f| f.release_name.clone());
        let implemented = facts
            .iter()
            .filter(|f| f.event == EventKind::Implemented)
            .filter_map(|f| f.event_date)
            .min();
        rows.push(RegisterRow {
            mod_id: id,
            mod_number: key.0,
            mod_variant: (!key.1.is_empty()).then(|| key.1.clone()),
            title,
            title_variants,
            first_seen: seen.iter().min().copied(),
            last_seen: seen.iter().max().copied(),
            reports_seen: seen.len() as u32,
            raised_date: raised.and_then(|r| r.event_date),
            proposer: raised.and_then(|r| r.proposer.clone()),
            organisation: raised.and_then(|r| r.organisation.clone()),
            stage,
            decision: decision.map(|d| d.1),
            decision_date: decision.and_then(|d| d.0),
            decision_body: decision.map(|d| d.2),
            release_name: release,
            implemented_date: implemented,
            last_dcc_status: last_dcc,
        });
    }
    rows
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

    /// The register of reports read from their texts (each a one-page report).
    fn register_of(texts: &[&str]) -> Vec<RegisterRow> {
        use crate::grammar::Grammar;
        use crate::model::{extract_report, Page, ReportVocabulary};
        let grammar = Grammar::builtin();
        let vocab = ReportVocabulary::compile(grammar).unwrap();
        let mut input = HistoryInput::default();
        for (i, text) in texts.iter().enumerate() {
            let pages = [Page {
                number: 1,
                text: text.to_string(),
                words: None,
            }];
            let records = extract_report(grammar, &vocab, &pages);
            let row = ReportRow {
                report_id: format!("r{i}"),
                source_file: format!("r{i}.txt"),
                sha256: String::new(),
                bytes: text.len() as u64,
                pages: 1,
                text_source: Some("txt"),
                status: "ok",
                error: None,
                millis: 0,
                ocr_confidence: None,
            };
            input.add_report(&row, &records);
        }
        let (history, _) = build_history(&mut input);
        build_register(&input, &history)
    }

    #[test]
    fn an_implementation_overtakes_the_release_planned_before_it() {
        let august = "Change Status Report\n14 August 2020\n\n5. Releases\n\n\
            There are currently two modifications approved for implementation in the November \
            2020 SEC Release (5 November 2020):\n\n\
            e MP120 'Correcting DUIS Matrix for SRV7.7 Eligible Users'\n\n\
            e MP081 'Alignment of DUIS and CHISM'\n";
        let september = "Change Status Report\n11 September 2020\n\n5. Releases\n\n\
            One modification was implemented as a standalone release on 3 September 2020:\n\n\
            e MP120 'Correcting DUIS Matrix for SRV7.7 Eligible Users'\n\n\
            There is currently one modification approved for implementation in the November \
            2020 SEC Release (5 November 2020):\n\n\
            e MP081 'Alignment of DUIS and CHISM'\n";
        let register = register_of(&[august, september]);
        let row = |id: &str| register.iter().find(|r| r.mod_id == id).unwrap();
        let mp120 = row("MP120");
        assert_eq!(mp120.stage, Some("Implemented"));
        assert_eq!(mp120.implemented_date, Date::new(2020, 9, 3));
        assert_eq!(mp120.release_name, None, "implemented standalone");
        let mp081 = row("MP081");
        assert_eq!(mp081.stage, Some("Pending implementation"));
        assert_eq!(
            mp081.release_name.as_deref(),
            Some("November 2020 SEC Release")
        );
        // The plan alone, before it is overtaken.
        let planned = register_of(&[august]);
        assert_eq!(planned[0].stage, Some("Pending implementation"));
    }

    #[test]
    fn request_suffixes_are_not_register_variants() {
        assert_eq!(register_key(78, "v2"), (78, String::new()));
        assert_eq!(register_key(102, "B"), (102, "B".to_string()));
    }
}

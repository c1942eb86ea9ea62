//! The register: one row per modification across the archive, from the history's facts and
//! from where the modification was seen. Each of its choices is a module: the title
//! ([`title`]), the stage ([`stage`]) and the decision ([`decision`]).

pub(crate) mod decision;
pub(crate) mod stage;
mod suspect;
mod title;

use std::collections::{BTreeMap, BTreeSet};

use super::history::HistoryRow;
use super::schema::Source;
use super::ReportRow;
use crate::grammar::{Date, DccStatus, ModId};
use crate::model::{EventKind, ReportRecords};
use crate::reading::TextSource;
pub(crate) use decision::{decision_of, Decision, DecisionBody};
pub(crate) use stage::{stage_of, stage_of_dcc, DateBasis, DccEvidence, Stage, StageSource};
use title::{consensus_title, TitleCounts};

/// What the register needs of every place a modification was seen, folded as reports
/// arrive: the report dates, and each spelling of its title with how it was printed. (Every
/// mention of every report is restated month after month; keeping them would grow with the
/// archive.)
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Sightings {
    report_dates: BTreeSet<Date>,
    titles: BTreeMap<String, TitleCounts>,
    /// Titles the DCC's tables print in digital reports: the register's title when no list,
    /// sentence or heading gives one (their cells are often cut short, and a scan's are
    /// interleaved with other cells).
    dcc_titles: BTreeMap<String, TitleCounts>,
    /// Whether a digital report printed it (its id is then as printed, not OCR's).
    digital: bool,
    /// The first report it was seen in, for a diagnostic about it.
    source: Option<Source>,
    /// The first line it was seen on there, and the id as printed on it.
    first_at: Option<(crate::model::Provenance, String)>,
    /// The first lines (up to [`SCAN_LINES`]) it was seen on in each report that is not a
    /// digital PDF, by report date: two months' scans confirm an id only where a line is its
    /// own, not another id's row with its id garbled ([`suspect`]). A report may print both:
    /// MP003's own row in the DCC's last table, and MP023's (`0023` read as `3`) above it in
    /// generated scan 7204. A few lines a report: an archive's ids are a few hundred, each
    /// restated a few dozen months.
    scan_lines: BTreeMap<Date, Vec<std::sync::Arc<str>>>,
    /// Whether anything besides its mention is read of it: a fact, an assessment, a DCC
    /// row's status, title or date.
    described: bool,
}

/// A DCC status of a modification in one report: when, where (report and
/// `file:page:line`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DccSighting {
    report_date: Option<Date>,
    status: DccStatus,
    report_id: String,
    source: String,
}

/// The DCC statuses of a modification: the one of the latest report that gives one, and the
/// earliest report giving each status (where its stage interval starts).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DccSightings {
    latest: DccSighting,
    earliest: Vec<DccSighting>,
}

impl DccSightings {
    /// Adds the sightings of later reports: the same as adding each of them here in turn.
    fn merge(&mut self, later: DccSightings) {
        for s in later.earliest {
            match self.earliest.iter_mut().find(|e| e.status == s.status) {
                Some(e) if (s.report_date, &s.source) < (e.report_date, &e.source) => *e = s,
                Some(_) => {}
                None => self.earliest.push(s),
            }
        }
        if later.latest.report_date >= self.latest.report_date {
            self.latest = later.latest;
        }
    }

    fn add(&mut self, s: DccSighting) {
        match self.earliest.iter_mut().find(|e| e.status == s.status) {
            Some(e) if (s.report_date, &s.source) < (e.report_date, &e.source) => *e = s.clone(),
            Some(_) => {}
            None => self.earliest.push(s.clone()),
        }
        // The latest report wins; of one date, the one added last.
        if s.report_date >= self.latest.report_date {
            self.latest = s;
        }
    }

    /// The latest status, since its earliest report.
    fn evidence(&self) -> DccEvidence<'_> {
        let first = self
            .earliest
            .iter()
            .find(|e| e.status == self.latest.status)
            .unwrap_or(&self.latest);
        DccEvidence {
            status: self.latest.status,
            since: first.report_date,
            report_id: &first.report_id,
            source: &first.source,
        }
    }
}

/// How many lines of each OCR'd report an id's sightings keep.
const SCAN_LINES: usize = 4;

/// Keeps `line` among the report's lines of an id, if it is new and there is room.
fn add_scan_line(
    lines: &mut BTreeMap<Date, Vec<std::sync::Arc<str>>>,
    date: Date,
    line: std::sync::Arc<str>,
) {
    let kept = lines.entry(date).or_default();
    if kept.len() < SCAN_LINES && !kept.contains(&line) {
        kept.push(line);
    }
}

/// True when a text holds something like a numeric date (`09/07/2020`): digits on both sides
/// of a slash.
fn holds_numeric_date(text: &str) -> bool {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'/' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// What the register needs from every report, gathered as reports arrive; keyed by the
/// register's id ([`ModId::register_id`]).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct RegisterInput {
    sightings: BTreeMap<ModId, Sightings>,
    dcc: BTreeMap<ModId, DccSightings>,
}

impl Sightings {
    /// Adds the sightings of later reports: the same as adding each of them here in turn.
    fn merge(&mut self, later: Sightings) {
        self.report_dates.extend(later.report_dates);
        for (mine, theirs) in [
            (&mut self.titles, later.titles),
            (&mut self.dcc_titles, later.dcc_titles),
        ] {
            for (title, c) in theirs {
                let counts = mine.entry(title).or_default();
                counts.all += c.all;
                counts.digital += c.digital;
                counts.clean_id += c.clean_id;
            }
        }
        for (date, lines) in later.scan_lines {
            for line in lines {
                add_scan_line(&mut self.scan_lines, date, line);
            }
        }
        self.digital |= later.digital;
        self.described |= later.described;
        if self.source.is_none() {
            self.source = later.source;
            self.first_at = later.first_at;
        }
    }
}

impl RegisterInput {
    /// Adds what `later` gathered from the reports after this one's: the same as adding its
    /// reports here one by one.
    pub fn merge(&mut self, later: RegisterInput) {
        for (id, seen) in later.sightings {
            match self.sightings.get_mut(&id) {
                Some(mine) => mine.merge(seen),
                None => {
                    self.sightings.insert(id, seen);
                }
            }
        }
        for (id, seen) in later.dcc {
            match self.dcc.get_mut(&id) {
                Some(mine) => mine.merge(seen),
                None => {
                    self.dcc.insert(id, seen);
                }
            }
        }
    }

    pub fn add_report(&mut self, row: &ReportRow, records: &ReportRecords) {
        let digital = row.text_source == Some(TextSource::PdfText);
        let report_date = records.info.report_date;
        let titled = records
            .mentions
            .iter()
            .map(|m| (&m.modification, &m.title, &m.at));
        let event_titles = records
            .events
            .iter()
            .map(|e| (&e.modification, &e.title, &e.at));
        let source = || Source {
            report_id: row.report_id.clone(),
            source_file: row.source_file.clone(),
            report_date,
        };
        // (Every id of a DCC table row is among the mentions too.)
        let facts = records.events.iter().map(|e| &e.modification);
        let assessed = records.assessments.iter().map(|a| &a.modification);
        let dcc_read = records
            .dcc_status
            .iter()
            .filter(|d| d.status.is_some() || d.title.is_some() || d.date_added.is_some())
            .map(|d| &d.modification);
        for m in facts.chain(assessed).chain(dcc_read) {
            self.sightings
                .entry(m.id.register_id())
                .or_default()
                .described = true;
        }
        for (m, title, at) in titled.chain(event_titles) {
            let seen = self.sightings.entry(m.id.register_id()).or_default();
            seen.report_dates.extend(report_date);
            seen.digital |= digital;
            if seen.source.is_none() {
                seen.source = Some(source());
                seen.first_at = Some((at.clone(), m.raw.to_string()));
            }
            if let Some(date) = report_date.filter(|_| !digital) {
                add_scan_line(&mut seen.scan_lines, date, at.snippet.clone());
            }
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
            // (A title holding a date is cells run together: `09/07/2020 IA in`. Titles from
            // scans and text count after digital reports' in the choice, fewest OCR marks
            // first.)
            let clean = |t: &&String| !holds_numeric_date(t);
            if let Some(title) = d.title.as_ref().filter(clean) {
                let counts = self
                    .sightings
                    .entry(d.modification.id.register_id())
                    .or_default()
                    .dcc_titles
                    .entry(title.clone())
                    .or_default();
                counts.all += 1;
                counts.digital += digital as usize;
                counts.clean_id += !d.modification.repaired as usize;
            }
            if let Some(status) = d.standing() {
                let sighting = DccSighting {
                    report_date,
                    status,
                    report_id: row.report_id.clone(),
                    source: format!("{}:{}:{}", row.source_file, d.at.page, d.at.line),
                };
                match self.dcc.get_mut(&d.modification.id.register_id()) {
                    Some(seen) => seen.add(sighting),
                    None => {
                        self.dcc.insert(
                            d.modification.id.register_id(),
                            DccSightings {
                                latest: sighting.clone(),
                                earliest: vec![sighting],
                            },
                        );
                    }
                }
            }
        }
    }
}

/// The ids OCR changed into others whose repair the archive confirms ([`suspect`]), each
/// with the id it is: the history takes their facts as that id's.
pub(crate) fn confirmed_repairs(input: &RegisterInput) -> BTreeMap<ModId, ModId> {
    suspect::confirmed_repairs(&input.sightings)
}

/// A row of the `modifications` table (the register).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegisterRow {
    /// The register's id: number and variant letter, never a request suffix.
    pub mod_id: ModId,
    pub title: Option<String>,
    pub title_variants: u32,
    pub first_seen: Option<Date>,
    pub last_seen: Option<Date>,
    pub reports_seen: u32,
    pub raised_date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub stage: Option<Stage>,
    pub stage_source: Option<StageSource>,
    pub decision: Option<Decision>,
    pub decision_date: Option<Date>,
    pub decision_body: Option<DecisionBody>,
    pub release_name: Option<String>,
    pub implemented_date: Option<Date>,
    pub last_dcc_status: Option<DccStatus>,
}

/// When a fact happened, for the register. "Currently with the Authority" is true as of the
/// reports that say it. A release planned for a date ahead ("approved for the November 2020
/// release (5 November)") is known as of the reports that say it, and a later report may
/// overtake it (implemented standalone in September): it counts from the earlier of its
/// release date and its last report. Other undated facts say nothing of when. `as_of` (a
/// report date) takes the reports up to it only: a fact's last report is then no later.
pub(crate) fn effective(f: &HistoryRow, as_of: Option<Date>) -> Option<Date> {
    let last_reported = match (f.last_reported, as_of) {
        (Some(l), Some(a)) => Some(l.min(a)),
        (l, _) => l,
    };
    match f.event {
        EventKind::WithAuthority => last_reported,
        EventKind::ScheduledForRelease => match (f.event_date, last_reported) {
            (Some(d), Some(r)) => Some(d.min(r)),
            (d, r) => d.or(r),
        },
        _ => f.event_date,
    }
}

/// The release of the latest implementation or plan among a modification's facts (as of a
/// report date, or of all reports), if it names one: a standalone implementation names none,
/// and overtakes a plan that did.
pub(crate) fn release(facts: &[&HistoryRow], as_of: Option<Date>) -> Option<String> {
    facts
        .iter()
        .filter(|f| {
            matches!(
                f.event,
                EventKind::Implemented | EventKind::ScheduledForRelease
            )
        })
        .max_by_key(|f| (effective(f, as_of), f.release_name.is_some()))
        .and_then(|f| f.release_name.clone())
}

/// The history's facts by the register's id (MP078v2's are MP078's), each modification's
/// conflicts settled for the register.
pub(crate) fn facts_by_modification(history: &[HistoryRow]) -> BTreeMap<ModId, Vec<&HistoryRow>> {
    let mut facts_of: BTreeMap<ModId, Vec<&HistoryRow>> = BTreeMap::new();
    for h in history {
        facts_of.entry(h.mod_id.register_id()).or_default().push(h);
    }
    facts_of
        .into_iter()
        .map(|(id, facts)| (id, decision::settled(facts)))
        .collect()
}

/// A row of the `stages` table: one interval of a modification's stage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StageRow {
    pub mod_id: ModId,
    pub stage: Stage,
    pub from_date: Option<Date>,
    pub to_date: Option<Date>,
    pub date_basis: Option<DateBasis>,
    pub opened_by: StageSource,
    pub event: Option<EventKind>,
    pub dcc_status: Option<DccStatus>,
    pub report_id: Option<String>,
    pub source: Option<String>,
}

/// The rows of a modification's stage intervals: each lasts until the next one's start.
fn stage_rows(mod_id: &ModId, intervals: &[stage::Interval]) -> Vec<StageRow> {
    intervals
        .iter()
        .enumerate()
        .map(|(i, interval)| {
            let (event, dcc_status, report_id, source) = match interval.opened {
                stage::Opening::Fact(f) => (
                    Some(f.event),
                    None,
                    f.first_report_id.clone(),
                    f.first_source.clone(),
                ),
                stage::Opening::Dcc(d) => (
                    None,
                    Some(d.status),
                    Some(d.report_id.to_string()),
                    Some(d.source.to_string()),
                ),
            };
            StageRow {
                mod_id: mod_id.clone(),
                stage: interval.stage,
                from_date: interval.from,
                to_date: intervals.get(i + 1).and_then(|next| next.from),
                date_basis: interval.basis,
                opened_by: interval.opened.source(),
                event,
                dcc_status,
                report_id,
                source,
            }
        })
        .collect()
}

/// The register, one row per modification seen anywhere in the archive but for the ids OCR
/// likely made ([`suspect`]), and the stage intervals of each (the `stages` table): the
/// register's stage is its last interval's.
pub(crate) fn build_register(input: &RegisterInput, history: &[HistoryRow]) -> RegisterOutput {
    let mut facts_of = facts_by_modification(history);
    let raised: BTreeSet<ModId> = history
        .iter()
        .filter(|h| h.event == EventKind::Raised)
        .map(|h| h.mod_id.register_id())
        .collect();
    let suspects = suspect::suspects(&input.sightings, &raised);
    let mut keys: BTreeSet<&ModId> = input.sightings.keys().collect();
    keys.extend(input.dcc.keys());
    keys.retain(|k| !suspects.contains_key(*k));
    let mut rows = Vec::with_capacity(keys.len());
    let mut stages = Vec::new();
    for key in keys {
        let no_sightings = Sightings::default();
        let sightings = input.sightings.get(key).unwrap_or(&no_sightings);
        let facts: Vec<&HistoryRow> = facts_of.remove(key).unwrap_or_default();
        let (title, title_variants) = consensus_title(sightings);
        let seen = &sightings.report_dates;
        let raised = facts
            .iter()
            .filter(|f| f.event == EventKind::Raised)
            .min_by_key(|f| (f.conflict, f.event_date));
        let dcc = input.dcc.get(key);
        let intervals = stage::intervals(&facts, dcc.map(DccSightings::evidence), None);
        let stage = stage::stage(&intervals);
        stages.extend(stage_rows(key, &intervals));
        let decision = decision::latest(&facts, None);
        let implemented = facts
            .iter()
            .filter(|f| f.event == EventKind::Implemented)
            .filter_map(|f| f.event_date)
            .min();
        rows.push(RegisterRow {
            mod_id: key.clone(),
            title,
            title_variants,
            first_seen: seen.iter().min().copied(),
            last_seen: seen.iter().max().copied(),
            reports_seen: seen.len() as u32,
            raised_date: raised.and_then(|r| r.event_date),
            proposer: raised.and_then(|r| r.proposer.clone()),
            organisation: raised.and_then(|r| r.organisation.clone()),
            stage: stage.map(|s| s.0),
            stage_source: stage.map(|s| s.1),
            decision: decision.map(|d| d.1),
            decision_date: decision.and_then(|d| d.0),
            decision_body: decision.map(|d| d.2),
            release_name: release(&facts, None),
            implemented_date: implemented,
            last_dcc_status: dcc.map(|d| d.latest.status),
        });
    }
    RegisterOutput {
        rows,
        stages,
        suspects: suspects.into_values().collect(),
    }
}

/// The register's rows, its modifications' stage intervals, and the ids OCR likely made
/// ([`suspect`]), kept out of the register, each an `id_suspect` diagnostic with the report
/// it was read from.
pub(crate) struct RegisterOutput {
    pub rows: Vec<RegisterRow>,
    pub stages: Vec<StageRow>,
    pub suspects: Vec<(Source, crate::model::Diagnostic)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::history::{build_history, HistoryInput};
    use crate::dataset::ReportStatus;

    /// The register of reports read from their texts (each a one-page report).
    fn register_of(texts: &[&str]) -> Vec<RegisterRow> {
        register_and_stages(texts).0
    }

    /// The register and the stage intervals of reports read from their texts.
    fn register_and_stages(texts: &[&str]) -> (Vec<RegisterRow>, Vec<StageRow>) {
        let (out, _) = register_and_history(texts);
        (out.rows, out.stages)
    }

    /// The register's output and the history of reports read from their texts, as a run
    /// builds them (confirmed id repairs applied to the history first).
    fn register_and_history(texts: &[&str]) -> (RegisterOutput, Vec<HistoryRow>) {
        use crate::grammar::Grammar;
        use crate::model::{extract_report, Page, ReportVocabulary};
        let grammar = Grammar::builtin();
        let vocab = ReportVocabulary::compile(grammar).unwrap();
        let mut input = HistoryInput::default();
        let mut register = RegisterInput::default();
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
                text_source: Some(TextSource::Txt),
                status: ReportStatus::Ok,
                error: None,
                millis: 0,
                ocr_confidence: None,
            };
            input.add_report(&row, &records);
            register.add_report(&row, &records);
        }
        input.repair_ids(&confirmed_repairs(&register));
        let (history, _) = build_history(&mut input);
        let out = build_register(&register, &history);
        (out, history)
    }

    #[test]
    fn an_id_ocr_changed_into_another_one_digit_apart_is_repaired_when_the_archive_confirms_it() {
        // Two months list MP090 on their Working Group agenda; a third's scan prints MP590
        // (OCR read the 0 as a 5) with MP090's title on the same list.
        let report = |date: &str, meeting: &str, id: &str| {
            format!(
                "Change Status Report\n{date}\n\n3. Refine\n\nThe last monthly Working Group \
                 meeting was held on {meeting}, and included the following modifications:\n\n\
                 e {id} \u{2018}Incorporation of Non GBCS Non-Mandated Alerts into the SEC\u{2019}\n\n\
                 e MP095 \u{2018}Alignment of SEC Credit Cover\u{2019}\n"
            )
        };
        let may = report("15 May 2020", "6 May 2020", "MPO090");
        let june = report("12 June 2020", "3 June 2020", "MP090");
        let july = report("10 July 2020", "1 July 2020", "MP590");
        let (out, history) = register_and_history(&[&may, &june, &july]);
        let ids: Vec<String> = out.rows.iter().map(|r| r.mod_id.to_string()).collect();
        assert_eq!(ids, ["MP090", "MP095"]);
        let meetings: Vec<(String, Option<Date>, bool)> = history
            .iter()
            .filter(|h| h.event == EventKind::WorkingGroup && h.mod_id.number == 90)
            .map(|h| (h.mod_id.to_string(), h.event_date, h.id_repaired))
            .collect();
        assert_eq!(
            meetings,
            [
                ("MP090".to_string(), Date::new(2020, 5, 6), false),
                ("MP090".to_string(), Date::new(2020, 6, 3), false),
                ("MP090".to_string(), Date::new(2020, 7, 1), true),
            ]
        );
        let (source, diagnostic) = &out.suspects[0];
        assert_eq!(out.suspects.len(), 1);
        assert_eq!(source.source_file, "r2.txt");
        assert_eq!(diagnostic.code, crate::model::DiagnosticCode::IdRepaired);
        assert!(
            diagnostic.message.contains("\"MP590\""),
            "{}",
            diagnostic.message
        );
        assert!(
            diagnostic.message.contains("read as MP090"),
            "{}",
            diagnostic.message
        );
        // The line as printed, in the diagnostic's provenance.
        let at = diagnostic.at.as_ref().unwrap();
        assert!(
            at.snippet.contains("MP590 \u{2018}Incorporation"),
            "{}",
            at.snippet
        );

        // Two digits apart (MP540), or one report alone: not repaired, only suspect.
        let far = report("10 July 2020", "1 July 2020", "MP540");
        let (out, history) = register_and_history(&[&may, &june, &far]);
        assert!(history.iter().all(|h| !h.id_repaired));
        let july_meeting: Vec<String> = history
            .iter()
            .filter(|h| h.event_date == Date::new(2020, 7, 1) && h.mod_id.number != 95)
            .map(|h| h.mod_id.to_string())
            .collect();
        assert_eq!(july_meeting, ["MP540"]);
        assert_eq!(
            out.suspects[0].1.code,
            crate::model::DiagnosticCode::IdSuspect
        );
        let (out, _) = register_and_history(&[&june, &july]);
        assert_eq!(
            out.suspects[0].1.code,
            crate::model::DiagnosticCode::IdSuspect
        );
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
        let row = |id: &str| {
            register
                .iter()
                .find(|r| r.mod_id.to_string() == id)
                .unwrap()
        };
        let mp120 = row("MP120");
        assert_eq!(mp120.stage, Some(Stage::Implemented));
        assert_eq!(mp120.implemented_date, Date::new(2020, 9, 3));
        assert_eq!(mp120.release_name, None, "implemented standalone");
        let mp081 = row("MP081");
        assert_eq!(mp081.stage, Some(Stage::PendingImplementation));
        assert_eq!(
            mp081.release_name.as_deref(),
            Some("November 2020 SEC Release")
        );
        // The plan alone, before it is overtaken.
        let planned = register_of(&[august]);
        assert_eq!(planned[0].stage, Some(Stage::PendingImplementation));
    }

    #[test]
    fn the_stage_history_ends_in_the_register_stage() {
        let august = "Change Status Report\n14 August 2020\n\n5. Releases\n\n\
            There are currently two modifications approved for implementation in the November \
            2020 SEC Release (5 November 2020):\n\n\
            e MP120 'Correcting DUIS Matrix for SRV7.7 Eligible Users'\n";
        let september = "Change Status Report\n11 September 2020\n\n5. Releases\n\n\
            One modification was implemented as a standalone release on 3 September 2020:\n\n\
            e MP120 'Correcting DUIS Matrix for SRV7.7 Eligible Users'\n";
        let (register, stages) = register_and_stages(&[august, september]);
        let mp120: Vec<&StageRow> = stages
            .iter()
            .filter(|s| s.mod_id.to_string() == "MP120")
            .collect();
        let got: Vec<(Stage, Option<Date>, Option<Date>, Option<DateBasis>)> = mp120
            .iter()
            .map(|s| (s.stage, s.from_date, s.to_date, s.date_basis))
            .collect();
        assert_eq!(
            got,
            [
                // Planned as of the August report (its release date is later).
                (
                    Stage::PendingImplementation,
                    Date::new(2020, 8, 14),
                    Date::new(2020, 9, 3),
                    Some(DateBasis::Report)
                ),
                (
                    Stage::Implemented,
                    Date::new(2020, 9, 3),
                    None,
                    Some(DateBasis::Fact)
                ),
            ]
        );
        assert_eq!(mp120[1].event, Some(EventKind::Implemented));
        assert_eq!(mp120[1].opened_by, StageSource::Fact);
        assert_eq!(mp120[1].report_id.as_deref(), Some("r1"));
        assert_eq!(mp120[1].source.as_deref(), Some("r1.txt:1:8"));
        for row in &register {
            let last = stages.iter().filter(|s| s.mod_id == row.mod_id).last();
            assert_eq!(row.stage, last.map(|s| s.stage), "{}", row.mod_id);
        }
    }

    #[test]
    fn request_suffixes_are_not_register_variants() {
        assert_eq!(ModId::new(78, "v2").register_id(), ModId::new(78, ""));
        assert_eq!(ModId::new(102, "B").register_id(), ModId::new(102, "B"));
    }
}

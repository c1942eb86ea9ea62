//! Report-over-report changes: for each report after the first, what it says that the report
//! before it did not (the `changes` table).
//!
//! A report is a report date: the archive often holds one report in several forms (a digital
//! PDF, a scan, a text export). Of those, one stands for the date: the one read from a digital
//! text layer, then a text export, then OCR; of those, one read without problems; then the one
//! with the most rows; then the first by path. What the DCC's tables, the assessment tables
//! and the titles say is that file's. The facts (stage, decision, release) are the history's,
//! as known up to the report's date (every file of a date counts): a fact is new in the report
//! of the date it was first reported.
//!
//! What is kept of each report as it arrives is small (per modification: its first line, its
//! titles, its DCC status and its assessments): the report's records are gone by the end.

use std::collections::{BTreeMap, BTreeSet};

use super::history::{same_name, HistoryRow};
use super::register::{self, DccEvidence, Stage};
use super::{ReportRow, ReportStatus};
use crate::grammar::{Date, DccStatus, ModId};
use crate::model::{AssessmentTable, AssessmentType, EventKind, ReportRecords};
use crate::named::named_enum;
use crate::reading::TextSource;

named_enum! {
    /// What changed from one report to the next (the `changes.change` column).
    pub enum ChangeKind {
        /// A modification no earlier report names.
        NewModification = "new_modification",
        /// Its stage, as the facts known up to the report tell it, moved.
        StageMoved = "stage_moved",
        /// A decision first reported in this report.
        Decision = "decision",
        /// A release named for it where the report before named none.
        ReleasePlanned = "release_planned",
        /// Its release is another than the report before named.
        ReleaseMoved = "release_moved",
        /// A PA or IA requested (accepted) that the report before did not show.
        AssessmentRequested = "assessment_requested",
        /// A PA or IA delivered (returned) that the report before did not show.
        AssessmentReturned = "assessment_returned",
        /// A PA or IA open past its target that was not late in the report before.
        AssessmentLate = "assessment_late",
        /// The DCC's status of it changed.
        DccStatusChanged = "dcc_status_changed",
        /// The report prints a title for it that the report before did not.
        TitleChanged = "title_changed",
    }
}

/// A row of the `changes` table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChangeRow {
    pub report_id: String,
    pub report_date: Date,
    pub previous_report_id: String,
    pub mod_id: ModId,
    pub change: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
    pub source: Option<String>,
}

/// One assessment (PA or IA, of one request: MP078v2's is not MP078's) as a report shows it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct AssessmentState {
    requested: Option<Date>,
    target: Option<Date>,
    target_wd: Option<u32>,
    duration_wd: Option<u32>,
    delivered: Option<Date>,
    /// Open past its target: its working days past the target's, or its target date passed
    /// with no delivery.
    late: bool,
    source: Option<String>,
}

/// What one report says of one modification, for comparing with the next.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct ModSnapshot {
    /// The first line that names it (`file:page:line`).
    first_source: Option<String>,
    /// The titles its lists, sentences and headings print, with how often.
    titles: BTreeMap<String, usize>,
    /// The title the DCC's tables print (when no list or sentence does).
    dcc_title: Option<String>,
    /// The DCC's status, and the row that gives it.
    dcc_status: Option<(DccStatus, String)>,
    /// By the id as printed canonically (MP078v2) and the type.
    #[serde(with = "assessments_by_name")]
    assessments: BTreeMap<(String, &'static str), AssessmentState>,
}

/// Serde for the assessments of a snapshot, whose type names are the `AssessmentType`'s own
/// (`&'static str`): stored as text, read back as the type's name.
mod assessments_by_name {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::AssessmentState;
    use crate::model::AssessmentType;

    type Map = BTreeMap<(String, &'static str), AssessmentState>;

    pub fn serialize<S: Serializer>(map: &Map, s: S) -> Result<S::Ok, S::Error> {
        let entries: Vec<(&str, &str, &AssessmentState)> = map
            .iter()
            .map(|((id, t), a)| (id.as_str(), *t, a))
            .collect();
        entries.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
        let entries: Vec<(String, String, AssessmentState)> = Vec::deserialize(d)?;
        entries
            .into_iter()
            .map(|(id, t, a)| {
                let t = [AssessmentType::Pa, AssessmentType::Ia]
                    .into_iter()
                    .map(AssessmentType::name)
                    .find(|n| *n == t)
                    .ok_or_else(|| serde::de::Error::custom(format!("assessment type {t:?}")))?;
                Ok(((id, t), a))
            })
            .collect()
    }
}

impl ModSnapshot {
    /// The title printed most often (the first of those, by text); else the DCC's.
    fn title(&self) -> Option<&str> {
        self.titles
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(*t)))
            .map(|(t, _)| t.as_str())
            .or(self.dcc_title.as_deref())
    }
}

/// What the report that stands for a date says, per modification.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Snapshot {
    report_id: String,
    source_file: String,
    /// How well the file was read: lower is better (see the module's documentation).
    rank: (u8, u8, std::cmp::Reverse<usize>, String),
    mods: BTreeMap<ModId, ModSnapshot>,
}

/// What the changes need from every report, gathered as reports arrive: the snapshot of the
/// report that stands for each date.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ChangesInput {
    by_date: BTreeMap<Date, Snapshot>,
}

impl ChangesInput {
    /// Adds what `later` gathered from the reports after this one's: the same as adding its
    /// reports here one by one (of one date, the best ranked stands; of equals, the first).
    pub fn merge(&mut self, later: ChangesInput) {
        for (date, snapshot) in later.by_date {
            if self
                .by_date
                .get(&date)
                .is_some_and(|s| s.rank <= snapshot.rank)
            {
                continue;
            }
            self.by_date.insert(date, snapshot);
        }
    }
}

fn rank_of(row: &ReportRow, records: &ReportRecords) -> (u8, u8, std::cmp::Reverse<usize>, String) {
    let source = match row.text_source {
        Some(TextSource::PdfText) => 0,
        Some(TextSource::Txt) => 1,
        Some(TextSource::Ocr) => 2,
        None => 3,
    };
    let status = match row.status {
        ReportStatus::Ok => 0,
        ReportStatus::Partial => 1,
        _ => 2,
    };
    let rows = records.mentions.len()
        + records.events.len()
        + records.assessments.len()
        + records.dcc_status.len();
    (
        source,
        status,
        std::cmp::Reverse(rows),
        row.source_file.clone(),
    )
}

fn snapshot(row: &ReportRow, records: &ReportRecords, report_date: Date) -> Snapshot {
    let at = |page: u32, line: u32| format!("{}:{page}:{line}", row.source_file);
    let mut mods: BTreeMap<ModId, ModSnapshot> = BTreeMap::new();
    fn name<'m>(
        mods: &'m mut BTreeMap<ModId, ModSnapshot>,
        id: &ModId,
        source: String,
    ) -> &'m mut ModSnapshot {
        let m = mods.entry(id.register_id()).or_default();
        if m.first_source.is_none() {
            m.first_source = Some(source);
        }
        m
    }
    for m in &records.mentions {
        let s = name(&mut mods, &m.modification.id, at(m.at.page, m.at.line));
        if let Some(t) = &m.title {
            *s.titles.entry(t.clone()).or_default() += 1;
        }
    }
    for e in &records.events {
        let s = name(&mut mods, &e.modification.id, at(e.at.page, e.at.line));
        if let Some(t) = &e.title {
            *s.titles.entry(t.clone()).or_default() += 1;
        }
    }
    for a in &records.assessments {
        let source = at(a.at.page, a.at.line);
        let s = name(&mut mods, &a.modification.id, source.clone());
        let key = (a.modification.id.to_string(), a.assessment_type.name());
        let state = s.assessments.entry(key).or_default();
        state.source.get_or_insert(source);
        state.target_wd = state.target_wd.or(a.target_wd);
        match a.table {
            AssessmentTable::Open => {
                state.requested = state.requested.or(a.date);
                state.duration_wd = state.duration_wd.or(a.duration_wd);
                if let (Some(d), Some(t)) = (a.duration_wd, a.target_wd) {
                    state.late |= d > t;
                }
            }
            AssessmentTable::Returned => state.delivered = state.delivered.or(a.date),
        }
    }
    for d in &records.dcc_status {
        let source = at(d.at.page, d.at.line);
        let s = name(&mut mods, &d.modification.id, source.clone());
        if s.dcc_title.is_none() {
            s.dcc_title = d.title.clone();
        }
        if let (None, Some(status)) = (&s.dcc_status, d.standing()) {
            s.dcc_status = Some((status, source.clone()));
        }
        let dates = &d.dates;
        for (kind, request, target, actual) in [
            (
                AssessmentType::Pa,
                dates.pa_request,
                dates.pa_target,
                dates.pa_actual,
            ),
            (
                AssessmentType::Ia,
                dates.ia_request,
                dates.ia_target,
                dates.ia_actual,
            ),
        ] {
            if request.is_none() && target.is_none() && actual.is_none() {
                continue;
            }
            let key = (d.modification.id.to_string(), kind.name());
            let state = s.assessments.entry(key).or_default();
            state.source.get_or_insert(source.clone());
            state.requested = state.requested.or(request);
            state.target = state.target.or(target);
            state.delivered = state.delivered.or(actual);
        }
    }
    for m in mods.values_mut() {
        for a in m.assessments.values_mut() {
            if a.target.is_none() {
                if let (Some(r), Some(wd)) = (a.requested, a.target_wd) {
                    a.target = Some(r.add_working_days(wd as i32));
                }
            }
            if a.delivered.is_none() && a.target.is_some_and(|t| t < report_date) {
                a.late = true;
            }
        }
    }
    Snapshot {
        report_id: row.report_id.clone(),
        source_file: row.source_file.clone(),
        rank: rank_of(row, records),
        mods,
    }
}

impl ChangesInput {
    pub fn add_report(&mut self, row: &ReportRow, records: &ReportRecords) {
        let Some(date) = records.info.report_date else {
            return;
        };
        if !matches!(row.status, ReportStatus::Ok | ReportStatus::Partial) {
            return;
        }
        let rank = rank_of(row, records);
        if self.by_date.get(&date).is_some_and(|s| s.rank <= rank) {
            return;
        }
        self.by_date.insert(date, snapshot(row, records, date));
    }
}

fn describe_decision(
    d: Option<(Option<Date>, register::Decision, register::DecisionBody)>,
) -> Option<String> {
    d.map(|(date, decision, body)| match date {
        Some(date) => format!("{decision} ({body}, {date})"),
        None => format!("{decision} ({body})"),
    })
}

fn describe_assessment(
    id: &str,
    register_id: &ModId,
    kind: &str,
    a: &AssessmentState,
    what: &str,
) -> String {
    let mut s = if id == register_id.to_string() {
        format!("{kind} {what}")
    } else {
        format!("{id} {kind} {what}")
    };
    match what {
        "requested" => {
            if let Some(r) = a.requested {
                s.push_str(&format!(" {r}"));
            }
            match (a.target, a.target_wd) {
                (Some(t), Some(wd)) => s.push_str(&format!(", target {t} ({wd} WD)")),
                (Some(t), None) => s.push_str(&format!(", target {t}")),
                (None, Some(wd)) => s.push_str(&format!(", target {wd} WD")),
                (None, None) => {}
            }
        }
        "returned" => {
            if let Some(d) = a.delivered {
                s.push_str(&format!(" {d}"));
            }
            if let (Some(d), Some(t)) = (a.delivered, a.target) {
                if d > t {
                    s.push_str(&format!(", after its target {t}"));
                }
            }
        }
        _ => match (a.duration_wd, a.target_wd) {
            (Some(d), Some(t)) if d > t => s.push_str(&format!(": {d} WD open, target {t} WD")),
            _ => {
                if let Some(t) = a.target {
                    s.push_str(&format!(": target {t} passed, not delivered"));
                }
            }
        },
    }
    s
}

/// The source of a fact in a report's file, or its first statement.
fn fact_source(f: &HistoryRow, file: &str) -> Option<String> {
    f.sources
        .iter()
        .find(|s| {
            s.strip_prefix(file)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .cloned()
        .or_else(|| f.first_source.clone())
}

/// What a modification's facts known up to a report date tell: stage, decision, release.
struct Known {
    stage: Option<Stage>,
    decision: Option<String>,
    release: Option<String>,
}

/// The changes: for each report date after the first, its report against the one before.
pub(crate) fn build_changes(input: &ChangesInput, history: &[HistoryRow]) -> Vec<ChangeRow> {
    let facts_of = register::facts_by_modification(history);
    let reports: Vec<(&Date, &Snapshot)> = input.by_date.iter().collect();
    // What the facts known up to a date tell of a modification, with the DCC's status then.
    let known = |id: &ModId, as_of: Date, dcc: Option<DccEvidence>| -> Known {
        let facts: Vec<&HistoryRow> = facts_of
            .get(id)
            .map(|f| {
                f.iter()
                    .copied()
                    .filter(|f| f.first_reported.is_some_and(|d| d <= as_of))
                    .collect()
            })
            .unwrap_or_default();
        let intervals = register::stage::intervals(&facts, dcc, Some(as_of));
        Known {
            stage: register::stage::stage(&intervals).map(|s| s.0),
            decision: describe_decision(register::decision::latest(&facts, Some(as_of))),
            release: register::release(&facts, Some(as_of)),
        }
    };
    // The DCC's latest status of each modification, as of the report being compared (of the
    // reports that stand for their dates), and where it was read.
    let mut latest_dcc: BTreeMap<&ModId, (DccStatus, &str, &str)> = BTreeMap::new();
    let mut seen: BTreeSet<&ModId> = BTreeSet::new();
    let mut rows = Vec::new();
    for (i, &(date, report)) in reports.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| reports[p]);
        // The DCC's statuses as of the report before, then this one's.
        let dcc_before = latest_dcc.clone();
        for (id, m) in &report.mods {
            if let Some((status, source)) = &m.dcc_status {
                latest_dcc.insert(id, (*status, report.report_id.as_str(), source.as_str()));
            }
        }
        let Some((&previous_date, prev)) = previous else {
            seen.extend(report.mods.keys());
            continue;
        };
        let mut push = |id: &ModId,
                        change,
                        before: Option<String>,
                        after: Option<String>,
                        source: Option<String>| {
            rows.push(ChangeRow {
                report_id: report.report_id.clone(),
                report_date: *date,
                previous_report_id: prev.report_id.clone(),
                mod_id: id.clone(),
                change,
                before,
                after,
                source,
            })
        };
        // The modifications either report names, and those with a fact first reported now.
        let mut ids: BTreeSet<&ModId> = report.mods.keys().collect();
        ids.extend(prev.mods.keys());
        for (id, facts) in &facts_of {
            if facts.iter().any(|f| {
                f.first_reported
                    .is_some_and(|d| previous_date < d && d <= *date)
            }) {
                ids.insert(id);
            }
        }
        let no_snapshot = ModSnapshot::default();
        for id in ids {
            let now = report.mods.get(id).unwrap_or(&no_snapshot);
            let then = prev.mods.get(id);
            let is_new = report.mods.contains_key(id) && !seen.contains(id);
            if is_new {
                push(
                    id,
                    ChangeKind::NewModification,
                    None,
                    now.title().map(str::to_string),
                    now.first_source.clone(),
                );
            }
            // Facts: stage, decisions, release, as known up to each report.
            let dcc_of = |dcc: &BTreeMap<&ModId, (DccStatus, &str, &str)>| {
                dcc.get(id).map(|&(status, report_id, source)| {
                    (status, report_id.to_string(), source.to_string())
                })
            };
            let (b, a) = (dcc_of(&dcc_before), dcc_of(&latest_dcc));
            fn ev(d: &Option<(DccStatus, String, String)>) -> Option<DccEvidence<'_>> {
                d.as_ref().map(|(status, report_id, source)| DccEvidence {
                    status: *status,
                    since: None,
                    report_id: report_id.as_str(),
                    source: source.as_str(),
                })
            }
            let before = known(id, previous_date, ev(&b));
            let after = known(id, *date, ev(&a));
            let facts = facts_of.get(id).map(Vec::as_slice).unwrap_or_default();
            let first_now = |f: &&&HistoryRow| {
                f.first_reported
                    .is_some_and(|d| previous_date < d && d <= *date)
            };
            // (A new modification's first stage is no move.)
            if before.stage != after.stage && !(is_new && before.stage.is_none()) {
                if let Some(stage) = after.stage {
                    // The fact that moved it, if one was first reported now.
                    let source = facts
                        .iter()
                        .filter(first_now)
                        .filter(|f| register::stage::stage_of(f.event) == stage)
                        .find_map(|f| fact_source(f, &report.source_file))
                        .or_else(|| a.as_ref().map(|d| d.2.clone()));
                    push(
                        id,
                        ChangeKind::StageMoved,
                        before.stage.map(|s| s.name().to_string()),
                        Some(stage.name().to_string()),
                        source,
                    );
                }
            }
            let mut decision_before = before.decision.clone();
            let mut decisions: Vec<&&HistoryRow> = facts
                .iter()
                .filter(first_now)
                .filter(|f| register::decision::decision_of(f.event).is_some())
                .collect();
            decisions.sort_by_key(|f| (register::effective(f, Some(*date)), f.event));
            for f in decisions {
                let after = describe_decision(register::decision::latest(&[*f], Some(*date)));
                push(
                    id,
                    ChangeKind::Decision,
                    decision_before.take(),
                    after,
                    fact_source(f, &report.source_file),
                );
            }
            if before.release != after.release {
                if let Some(release) = &after.release {
                    let kind = if before.release.is_none() {
                        ChangeKind::ReleasePlanned
                    } else {
                        ChangeKind::ReleaseMoved
                    };
                    let source = facts
                        .iter()
                        .filter(|f| f.release_name.as_ref() == Some(release))
                        .filter(|f| {
                            matches!(
                                f.event,
                                EventKind::ScheduledForRelease | EventKind::Implemented
                            )
                        })
                        .find_map(|f| fact_source(f, &report.source_file));
                    push(
                        id,
                        kind,
                        before.release.clone(),
                        Some(release.clone()),
                        source,
                    );
                }
            }
            // What this report's tables say against the report before's.
            for (key, a) in &now.assessments {
                let old = then.and_then(|t| t.assessments.get(key));
                let (full, kind) = (key.0.as_str(), key.1);
                if a.requested.is_some() && old.is_none_or(|o| o.requested.is_none()) && !is_new {
                    push(
                        id,
                        ChangeKind::AssessmentRequested,
                        None,
                        Some(describe_assessment(full, id, kind, a, "requested")),
                        a.source.clone(),
                    );
                }
                if a.delivered.is_some() && old.is_none_or(|o| o.delivered.is_none()) {
                    push(
                        id,
                        ChangeKind::AssessmentReturned,
                        old.map(|o| describe_assessment(full, id, kind, o, "requested")),
                        Some(describe_assessment(full, id, kind, a, "returned")),
                        a.source.clone(),
                    );
                }
                if a.late && old.is_none_or(|o| !o.late) {
                    push(
                        id,
                        ChangeKind::AssessmentLate,
                        old.map(|o| describe_assessment(full, id, kind, o, "requested")),
                        Some(describe_assessment(full, id, kind, a, "late")),
                        a.source.clone(),
                    );
                }
            }
            if let (Some((status, source)), Some(then)) = (&now.dcc_status, then) {
                let was = then.dcc_status.as_ref().map(|s| s.0);
                if was != Some(*status) {
                    push(
                        id,
                        ChangeKind::DccStatusChanged,
                        was.map(|s| s.name().to_string()),
                        Some(status.name().to_string()),
                        Some(source.clone()),
                    );
                }
            }
            if let (Some(title), Some(then)) = (now.title(), then) {
                let renamed = !then.titles.is_empty()
                    && !now
                        .titles
                        .keys()
                        .any(|t| then.titles.keys().any(|u| same_name(t, u)));
                if renamed {
                    push(
                        id,
                        ChangeKind::TitleChanged,
                        then.title().map(str::to_string),
                        Some(title.to_string()),
                        now.first_source.clone(),
                    );
                }
            }
        }
        seen.extend(report.mods.keys());
    }
    rows
}

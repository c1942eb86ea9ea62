//! Each (modification, field) of a register export against the archive: the verdict, the
//! archive's value and its evidence.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::archive::{Archive, ArchiveEntry};
use super::stage_words::may_follow;
use super::values::{Reading, RegisterEntry, RegisterValue};
use super::{BackfillField, BackfillRow, Evidence, Verdict};
use crate::dataset::history::{edit_distance, name_key, same_name};
use crate::dataset::register::{decision_of, stage_of, stage_of_dcc, Stage, StageSource};
use crate::grammar::dates::dates_in;
use crate::grammar::{Date, Grammar, ModId};
use crate::model::EventKind;

/// What the archive says of one field: the value as the `backfill` table shows it, the value
/// read, and the line that says it.
struct ArchiveSide {
    shown: String,
    evidence: Option<Evidence>,
}

/// The better of two pieces of evidence: the higher confidence (a line read from a PDF's
/// text layer over one rebuilt from OCR'd text), then the later report, then the first line.
fn better(a: &Evidence, b: &Evidence) -> Ordering {
    let confidence = |e: &Evidence| e.confidence.unwrap_or(1.0);
    confidence(a)
        .total_cmp(&confidence(b))
        .then(a.report_date.cmp(&b.report_date))
        .then_with(|| (&b.source_file, b.page, b.line).cmp(&(&a.source_file, a.page, a.line)))
}

fn best<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> Option<Evidence> {
    evidence.max_by(|a, b| better(a, b)).cloned()
}

/// The statement behind the archive's stage: of the facts that give that stage, the latest;
/// or, for a stage from the DCC's status, the latest report giving a status of that stage.
fn stage_evidence(a: &ArchiveEntry, stage: Stage) -> Option<Evidence> {
    match a.stage_source? {
        StageSource::Fact => {
            let facts = a.statements.iter().filter(|s| stage_of(s.event) == stage);
            let latest = facts
                .clone()
                .map(|s| s.date.or(s.evidence.report_date))
                .max()?;
            best(
                facts
                    .filter(|s| s.date.or(s.evidence.report_date) == latest)
                    .map(|s| &s.evidence),
            )
        }
        StageSource::DccStatus => {
            let rows = a
                .dcc
                .iter()
                .filter(|(s, _)| stage_of_dcc(*s) == Some(stage));
            let latest = rows.clone().map(|(_, e)| e.report_date).max()?;
            best(
                rows.filter(|(_, e)| e.report_date == latest)
                    .map(|(_, e)| e),
            )
        }
    }
}

/// The evidence of the facts of some kinds that match.
fn fact_evidence(
    a: &ArchiveEntry,
    matches: impl Fn(&super::archive::Statement) -> bool,
) -> Option<Evidence> {
    best(
        a.statements
            .iter()
            .filter(|s| matches(s))
            .map(|s| &s.evidence),
    )
}

/// The line that prints a title spelling (compared after normalising).
fn title_evidence(a: &ArchiveEntry, title: &str) -> Option<Evidence> {
    let key = title_key(title);
    best(
        a.titles
            .iter()
            .filter(|(t, _)| title_key(t) == key)
            .map(|(_, e)| e),
    )
}

/// A title's letters and digits, lower case, with the accents OCR puts on plain letters
/// taken off (`intérim` is `interim`, `Requiréments` is `Requirements`): quotes, dashes,
/// spaces and OCR's specks do not count.
fn title_key(title: &str) -> String {
    name_key(title)
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// What the archive says of a field, if anything.
fn archive_side(a: &ArchiveEntry, field: BackfillField) -> Option<ArchiveSide> {
    use BackfillField::*;
    let side = |shown: String, evidence| Some(ArchiveSide { shown, evidence });
    let raised = |s: &super::archive::Statement| s.event == EventKind::Raised;
    match field {
        Title => {
            let t = a.title.as_ref()?;
            side(t.clone(), title_evidence(a, t))
        }
        Stage => {
            let stage = a.stage?;
            side(stage.to_string(), stage_evidence(a, stage))
        }
        Proposer => {
            let p = a.proposer.as_ref()?;
            let said = |s: &super::archive::Statement| raised(s) && s.proposer.as_ref() == Some(p);
            side(p.clone(), fact_evidence(a, said))
        }
        Organisation => {
            let o = a.organisation.as_ref()?;
            let said =
                |s: &super::archive::Statement| raised(s) && s.organisation.as_ref() == Some(o);
            side(o.clone(), fact_evidence(a, said))
        }
        RaisedDate => {
            let d = a.raised_date?;
            side(
                d.to_string(),
                fact_evidence(a, |s| raised(s) && s.date == Some(d)),
            )
        }
        Decision => {
            let d = a.decision?;
            let said = |s: &super::archive::Statement| {
                decision_of(s.event).is_some_and(|(x, _)| x == d) && s.date == a.decision_date
            };
            side(d.to_string(), fact_evidence(a, said))
        }
        ImplementedDate => {
            let d = a.implemented_date?;
            let said = |s: &super::archive::Statement| {
                s.event == EventKind::Implemented && s.date == Some(d)
            };
            side(d.to_string(), fact_evidence(a, said))
        }
        Release => {
            let r = a.release_name.as_ref()?;
            let said = |s: &super::archive::Statement| {
                matches!(
                    s.event,
                    EventKind::Implemented | EventKind::ScheduledForRelease
                ) && s.release_name.as_ref() == Some(r)
            };
            side(r.clone(), fact_evidence(a, said))
        }
    }
}

/// A verdict of agreement, the archive's value shown, its evidence and a note.
struct Judgement {
    agrees: bool,
    shown: Option<String>,
    evidence: Option<Option<Evidence>>,
    note: Option<String>,
}

impl Judgement {
    fn plain(agrees: bool) -> Judgement {
        Judgement {
            agrees,
            shown: None,
            evidence: None,
            note: None,
        }
    }

    fn noted(agrees: bool, note: String) -> Judgement {
        Judgement {
            note: Some(note),
            ..Judgement::plain(agrees)
        }
    }
}

/// A title agrees when it is one the archive prints, after normalising quotes, dashes, case
/// and OCR's marks (`‘Alt HAN – P2P’` is `'Alt HAN - P2P'`): the register's title, or
/// another spelling printed beside the id.
fn judge_title(register: &str, a: &ArchiveEntry) -> Judgement {
    let key = title_key(register);
    let title = a.title.as_deref().unwrap_or_default();
    if key == title_key(title) {
        return Judgement::plain(true);
    }
    if let Some((spelling, evidence)) = a.titles.iter().find(|(t, _)| title_key(t) == key) {
        return Judgement {
            agrees: true,
            shown: Some(spelling.clone()),
            evidence: Some(title_evidence(a, spelling).or(Some(evidence.clone()))),
            note: Some(format!(
                "a spelling the archive prints; its register title is {title:?}"
            )),
        };
    }
    let letters = edit_distance(&key, &title_key(title));
    if letters <= 2 {
        return Judgement::noted(
            false,
            format!("differs by {letters} letter(s): a typing or OCR error on one side?"),
        );
    }
    Judgement::plain(false)
}

/// A person agrees when the names are one allowing for OCR (`Eastori Brown`); a register
/// that names the proposer's organisation instead (`DCC`), or `Name (Organisation)`, agrees
/// too, with a note.
fn judge_proposer(register: &str, a: &ArchiveEntry) -> Judgement {
    let person = a.proposer.as_deref().unwrap_or_default();
    let name_part = register.split(['(', ',']).next().unwrap_or(register).trim();
    if same_name(register, person) || same_name(name_part, person) {
        return Judgement::plain(true);
    }
    match &a.organisation {
        Some(org) if same_name(register, org) => Judgement::noted(
            true,
            "the register names the proposer's organisation".to_string(),
        ),
        _ => Judgement::plain(false),
    }
}

/// Organisations agree allowing for OCR, or when one's letters hold the other's whole
/// (`Security Sub-Committee (SSC)` and `SSC`).
fn judge_organisation(register: &str, a: &ArchiveEntry) -> Judgement {
    let org = a.organisation.as_deref().unwrap_or_default();
    if same_name(register, org) {
        return Judgement::plain(true);
    }
    let (r, o) = (name_key(register), name_key(org));
    let shorter = r.len().min(o.len());
    if shorter >= 3 && (r.contains(&o) || o.contains(&r)) {
        return Judgement::noted(true, "one name holds the other".to_string());
    }
    Judgement::plain(false)
}

/// Dates agree when they are one day; a register's month-only date agrees with any day of
/// its month.
fn judge_date(date: Date, month_only: bool, archive: Option<Date>) -> Judgement {
    let Some(archive) = archive else {
        return Judgement::plain(false);
    };
    if month_only {
        let same = (date.year, date.month) == (archive.year, archive.month);
        return Judgement::noted(same, "the register gives only the month".to_string());
    }
    Judgement::plain(date == archive)
}

/// A release agrees by its month and year (`Nov 2020`, `November 2020 SEC Release`), or, for
/// a release named otherwise, by its words.
fn judge_release(grammar: &Grammar, reading: &Reading, a: &ArchiveEntry) -> Judgement {
    let release = a.release_name.as_deref().unwrap_or_default();
    let month = dates_in(&grammar.dates, release, None).find_map(Result::ok);
    match (reading, month) {
        (Reading::Date { date, .. }, Some(m)) => {
            Judgement::plain((date.year, date.month) == (m.date.year, m.date.month))
        }
        (Reading::Text(t), _) => Judgement::plain(name_key(t) == name_key(release)),
        _ => Judgement::plain(false),
    }
}

/// Stages agree when they are one, or when the register's comes after the archive's in the
/// lifecycle (the archive ends earlier than the register: its last report predates the
/// export) - unless the register dates its stage before the archive's evidence (implemented
/// on a date before a report that still has it in refinement).
fn judge_stage(register: Stage, implemented: Option<Date>, a: &ArchiveEntry) -> Judgement {
    let Some(archive) = a.stage else {
        return Judgement::plain(false);
    };
    if register == archive {
        return Judgement::plain(true);
    }
    let as_of = stage_evidence(a, archive)
        .and_then(|e| e.report_date)
        .or(a.last_seen);
    let when = as_of.map_or("its last report".to_string(), |d| d.to_string());
    if may_follow(archive, register) {
        let dated_before = register == Stage::Implemented
            && matches!((implemented, as_of), (Some(i), Some(r)) if i < r);
        if dated_before {
            return Judgement::noted(
                false,
                format!("the register dates it implemented before a report of {when} that has it at {archive}"),
            );
        }
        return Judgement::noted(
            true,
            format!("the register's stage is later in the lifecycle than the archive's ({archive} as of {when})"),
        );
    }
    if may_follow(register, archive) {
        return Judgement::noted(
            false,
            format!("the archive is later in the lifecycle ({archive} as of {when}): the register looks out of date"),
        );
    }
    Judgement::plain(false)
}

/// The register's implementation date, where it gives a day.
fn implemented_day(entry: &RegisterEntry) -> Option<Date> {
    match entry.values.get(&BackfillField::ImplementedDate)?.reading {
        Reading::Date {
            date,
            month_only: false,
        } => Some(date),
        _ => None,
    }
}

/// Whether a read register value agrees with the archive's.
fn judge(
    grammar: &Grammar,
    field: BackfillField,
    entry: &RegisterEntry,
    reading: &Reading,
    a: &ArchiveEntry,
) -> Judgement {
    use BackfillField as F;
    match (field, reading) {
        (F::Title, Reading::Text(t)) => judge_title(t, a),
        (F::Proposer, Reading::Text(t)) => judge_proposer(t, a),
        (F::Organisation, Reading::Text(t)) => judge_organisation(t, a),
        (F::RaisedDate, &Reading::Date { date, month_only }) => {
            judge_date(date, month_only, a.raised_date)
        }
        (F::ImplementedDate, &Reading::Date { date, month_only }) => {
            judge_date(date, month_only, a.implemented_date)
        }
        (F::Release, r) => judge_release(grammar, r, a),
        (F::Decision, Reading::Decision(d)) => Judgement::plain(a.decision == Some(*d)),
        (F::Stage, Reading::Stage(s)) => judge_stage(*s, implemented_day(entry), a),
        _ => Judgement::plain(false),
    }
}

fn row(
    id: &ModId,
    field: BackfillField,
    verdict: Verdict,
    value: Option<&RegisterValue>,
    register_row: Option<u32>,
) -> BackfillRow {
    BackfillRow {
        mod_id: id.clone(),
        field,
        verdict,
        register_value: value.map(|v| v.printed.clone()).filter(|v| !v.is_empty()),
        archive_value: None,
        register_row,
        evidence: None,
        note: None,
    }
}

/// One field of a listed modification the archive holds; none when neither side has a value.
fn compare_field(
    grammar: &Grammar,
    entry: &RegisterEntry,
    field: BackfillField,
    a: &ArchiveEntry,
) -> Option<BackfillRow> {
    let value = entry.values.get(&field)?;
    let side = archive_side(a, field);
    let verdict = match (&value.reading, &side) {
        (Reading::Unreadable, _) => Verdict::Unreadable,
        (Reading::Empty, None) => return None,
        (Reading::Empty, Some(_)) => Verdict::RegisterEmpty,
        (_, None) => Verdict::ArchiveEmpty,
        (reading, Some(_)) => {
            let j = judge(grammar, field, entry, reading, a);
            let mut r = row(
                &entry.id,
                field,
                verdict_of(j.agrees),
                Some(value),
                Some(entry.row),
            );
            let side = side.expect("matched Some");
            r.archive_value = Some(j.shown.unwrap_or(side.shown));
            r.evidence = j.evidence.unwrap_or(side.evidence);
            r.note = j.note;
            return Some(r);
        }
    };
    let mut r = row(&entry.id, field, verdict, Some(value), Some(entry.row));
    if let Some(side) = side {
        r.archive_value = Some(side.shown);
        r.evidence = side.evidence;
    }
    Some(r)
}

fn verdict_of(agrees: bool) -> Verdict {
    if agrees {
        Verdict::Agrees
    } else {
        Verdict::Differs
    }
}

/// Every row of the `backfill` table: each listed modification's fields, then each field the
/// archive gives of a modification the export does not list (a title row, empty, when it
/// gives none of them: the modification is still one to add).
pub(crate) fn compare_all(
    grammar: &Grammar,
    entries: &[RegisterEntry],
    fields: &[BackfillField],
    archive: &Archive,
) -> Vec<BackfillRow> {
    let mut rows = Vec::new();
    for entry in entries {
        match archive.mods.get(&entry.id) {
            Some(a) => rows.extend(
                fields
                    .iter()
                    .filter_map(|&f| compare_field(grammar, entry, f, a)),
            ),
            None => rows.extend(fields.iter().map(|&f| {
                row(
                    &entry.id,
                    f,
                    Verdict::NotInArchive,
                    entry.values.get(&f),
                    Some(entry.row),
                )
            })),
        }
    }
    let listed: BTreeSet<&ModId> = entries.iter().map(|e| &e.id).collect();
    for (id, a) in archive.mods.iter().filter(|(id, _)| !listed.contains(id)) {
        let before = rows.len();
        for &field in fields {
            if let Some(side) = archive_side(a, field) {
                let mut r = row(id, field, Verdict::NotInRegister, None, None);
                r.archive_value = Some(side.shown);
                r.evidence = side.evidence;
                rows.push(r);
            }
        }
        if rows.len() == before {
            rows.push(row(
                id,
                BackfillField::Title,
                Verdict::NotInRegister,
                None,
                None,
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::super::archive::Statement;
    use super::*;

    fn refinement_as_of_june() -> ArchiveEntry {
        let evidence = Evidence {
            report_date: Date::new(2020, 6, 12),
            source_file: "csr-2020-06.txt".into(),
            page: Some(3),
            line: Some(9),
            snippet: Some("MP128 was discussed at the Working Group".into()),
            confidence: Some(1.0),
        };
        ArchiveEntry {
            stage: Some(Stage::RefinementProcess),
            stage_source: Some(StageSource::Fact),
            statements: vec![Statement {
                event: EventKind::WorkingGroup,
                date: Date::new(2020, 6, 3),
                proposer: None,
                organisation: None,
                release_name: None,
                evidence,
            }],
            ..ArchiveEntry::default()
        }
    }

    #[test]
    fn a_later_register_stage_agrees_unless_it_is_dated_before_the_archive() {
        let a = refinement_as_of_june();
        let later = judge_stage(Stage::Implemented, Date::new(2020, 9, 3), &a);
        assert!(later.agrees, "{:?}", later.note);
        let undated = judge_stage(Stage::Implemented, None, &a);
        assert!(undated.agrees);
        // Implemented in March, yet a June report still has it in refinement.
        let before = judge_stage(Stage::Implemented, Date::new(2020, 3, 1), &a);
        assert!(!before.agrees);
        assert!(before.note.unwrap().contains("2020-06-12"));
        // Earlier in the lifecycle than the archive: out of date.
        let earlier = judge_stage(Stage::DraftProposal, None, &a);
        assert!(!earlier.agrees && earlier.note.unwrap().contains("out of date"));
    }

    #[test]
    fn titles_agree_through_quotes_dashes_case_and_ocr_accents_only() {
        let a = ArchiveEntry {
            title: Some("Power Outage Alerts - intérim solution".into()),
            ..ArchiveEntry::default()
        };
        assert!(
            judge_title(
                "\u{2018}POWER OUTAGE ALERTS \u{2013} Interim Solution\u{2019}",
                &a
            )
            .agrees
        );
        assert!(!judge_title("Power Outage Alerts - enduring solution", &a).agrees);
    }
}

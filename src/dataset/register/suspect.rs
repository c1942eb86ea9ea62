//! Ids OCR changed into other valid ids (`MP590` for MP090, `0003` for 0093): the archive
//! knows its ids, so an id no second report confirms is checked against the others once all
//! reports are read. It is suspect, flagged `id_suspect` naming the likely id and kept out of
//! the register, when
//! - its title (list, sentence or DCC table) is another id's, that id confirmed elsewhere
//!   (generated scan 3004: `MP0390 'Incorporation of Non GBCS Non-Mandated Alerts into the
//!   SEC'`, MP090's title), or
//! - its number is far from every id the archive saw within a year of it (no report of 2021
//!   prints a number near 390: they run to the 170s), or
//! - it is said to be raised, but ids of its time run far past it: a new proposal takes the
//!   next number ("Owen Blake (Wales & West Utilities) raised DP1 70.", read as DP001 in a
//!   report of 2021, generated scan 3002).
//!
//! An id is confirmed when a digital report prints it, or reports of two dates do.
//!
//! A suspect whose title, as a list or a sentence prints it, is a confirmed id's as lists and
//! sentences print it, and whose number is one digit from that id's, is that id OCR changed:
//! the repair is confirmed and applied ([`confirmed_repairs`]: its facts are the other id's in
//! the history, each flagged `id_repaired`), and its diagnostic is `id_repaired`, at the line
//! that printed it (the text as printed).

use std::collections::{BTreeMap, BTreeSet};

use super::super::schema::Source;
use super::Sightings;
use crate::grammar::ids::one_digit_apart;
use crate::grammar::{Date, ModId};
use crate::model::{Diagnostic, DiagnosticCode, Severity};

/// How far from every other id of its time a number must be to be suspect.
const FAR: u32 = 50;

/// The ids of a year either side count as of an id's time.
const TIME_DAYS: i32 = 366;

/// A title must have this many words to tell two modifications apart.
const TITLE_WORDS: usize = 3;

fn confirmed(s: &Sightings) -> bool {
    s.digital || s.report_dates.len() >= 2
}

/// Every confirmed id of each title, by the title's words: of every title, or (`lists`) of
/// the titles lists and sentences print (not the DCC tables' cells).
fn confirmed_by_title(
    sightings: &BTreeMap<ModId, Sightings>,
    lists: bool,
) -> BTreeMap<String, BTreeSet<&ModId>> {
    let mut by_title: BTreeMap<String, BTreeSet<&ModId>> = BTreeMap::new();
    for (id, s) in sightings.iter().filter(|(_, s)| confirmed(s)) {
        let titles: Vec<String> = if lists {
            list_titles_of(s).collect()
        } else {
            titles_of(s).collect()
        };
        for t in titles {
            by_title.entry(t).or_default().insert(id);
        }
    }
    by_title
}

/// The suspects whose repair the archive confirms, each with the id it is: printed with a
/// confirmed id's title as lists print it, and one digit from that id (generated scan:
/// `MP590 'Incorporation of Non GBCS Non-Mandated Alerts into the SEC'` on a Working Group
/// list, MP090's title on other months' lists).
pub(super) fn confirmed_repairs(sightings: &BTreeMap<ModId, Sightings>) -> BTreeMap<ModId, ModId> {
    let by_title = confirmed_by_title(sightings, true);
    sightings
        .iter()
        .filter(|(_, s)| !confirmed(s))
        .filter_map(|(id, s)| {
            let mut likely: BTreeSet<&ModId> = list_titles_of(s)
                .filter_map(|t| by_title.get(&t))
                .flatten()
                .filter(|other| {
                    other.number != id.number && one_digit_apart(other.number, id.number)
                })
                .copied()
                .collect();
            // (Two candidates: nothing is confirmed.)
            let only = likely.pop_first().filter(|_| likely.is_empty())?;
            Some((id.clone(), only.clone()))
        })
        .collect()
}

/// The suspect ids, each with its diagnostic and the report it was read from: `id_repaired`
/// for those [`confirmed_repairs`] repairs, `id_suspect` for the others.
pub(super) fn suspects(
    sightings: &BTreeMap<ModId, Sightings>,
    raised: &BTreeSet<ModId>,
) -> BTreeMap<ModId, (Source, Diagnostic)> {
    let by_title = confirmed_by_title(sightings, false);
    let list_titles = confirmed_list_titles(sightings);
    let repairs = confirmed_repairs(sightings);
    let mut out = BTreeMap::new();
    for (id, s) in sightings.iter().filter(|(_, s)| !s.digital) {
        let Some(source) = &s.source else { continue };
        if confirmed(s) {
            if let Some((likely, why)) = confirmed_by_borrowed_rows(id, s, &list_titles, sightings)
            {
                let message = format!(
                    "{id} is printed in OCR'd reports only and {why}: OCR likely changed {likely} into it there; kept out of the register until a second report prints it as its own"
                );
                out.insert(id.clone(), (source.clone(), suspect(s, message)));
            }
            continue;
        }
        if let Some(to) = repairs.get(id) {
            out.insert(id.clone(), (source.clone(), repaired(id, to, s)));
            continue;
        }
        let same_title = titles_of(s)
            .filter_map(|t| by_title.get(&t))
            .flatten()
            .find(|other| other.number != id.number)
            .copied()
            .or_else(|| title_on_its_line(id, s, &by_title))
            .or_else(|| {
                borrowed_rows(id, s, &list_titles, sightings)
                    .next()
                    .map(|(_, o)| o)
            });
        let reason = match same_title {
            Some(other) => Some((
                Some((*other).clone()),
                format!("its title is {other}'s, printed in other reports"),
            )),
            None => far_from_its_time(id, s, sightings)
                .map(|likely| {
                    (
                        likely,
                        format!("no report within a year prints a number within {FAR} of it"),
                    )
                })
                .or_else(|| {
                    let latest = raised_behind_its_time(id, s, sightings, raised)?;
                    let why = format!(
                        "it is said to be raised while reports of its time print ids up to {latest}"
                    );
                    Some((None, why))
                })
                .or_else(|| {
                    nothing_read(s).then(|| {
                        let why = "nothing else is read of it there (no title, status or fact)";
                        (None, why.to_string())
                    })
                }),
        };
        let Some((likely, why)) = reason else {
            continue;
        };
        let likely = likely.map_or(String::new(), |l| format!(" (likely {l})"));
        let message = format!(
            "{id} is printed in one OCR'd report only and {why}: OCR likely changed another id into it{likely}; kept out of the register until a second report confirms it"
        );
        out.insert(id.clone(), (source.clone(), suspect(s, message)));
    }
    out
}

/// The `id_suspect` diagnostic of an id, at the line that first printed it.
fn suspect(s: &Sightings, message: String) -> Diagnostic {
    Diagnostic {
        at: s.first_at.as_ref().map(|(at, _)| at.clone()),
        severity: Severity::Warning,
        code: DiagnosticCode::IdSuspect,
        message,
    }
}

/// True when an id is only a mention: no title, fact, assessment or DCC status, date or
/// title is read of it (a DCC row OCR garbled: `2 |  | request |  |  |` read as MP002 in
/// generated scan 3005, a register row of nothing but its id).
fn nothing_read(s: &Sightings) -> bool {
    s.titles.is_empty() && s.dcc_titles.is_empty() && !s.described
}

/// A confirmed id's title as words, the id, and whether only the DCC's tables print it so.
type OwnedTitle<'a> = (Vec<String>, &'a ModId, bool);

/// Each confirmed id's own title (the register's choice: lists' first, else the DCC's
/// cells'), flagged where only the DCC's tables print it, as words, with the id. Only its
/// own: the other titles a scan gave it may be another id's row read as it (MP014 given
/// MP114's 'Alt HAN P2P Charging Data' in generated scans 7100-7105).
fn confirmed_list_titles(sightings: &BTreeMap<ModId, Sightings>) -> Vec<OwnedTitle<'_>> {
    sightings
        .iter()
        .filter(|(_, s)| confirmed(s))
        .filter_map(|(id, s)| {
            let title = title_words(&super::title::consensus_title(s).0?)?;
            let in_lists = list_titles_of(s).any(|t| t == title);
            Some((
                title.split(' ').map(str::to_string).collect(),
                id,
                !in_lists,
            ))
        })
        .collect()
}

/// The reports (by date) whose every line printing `id` is another id's row, with that id
/// (of the first such line): the line holds its title as lists print it, or the start of it (a DCC cell wraps a title: its
/// row's line holds the first words), and its number is one digit from `id`'s, and reports
/// within a year of the line's print it. (Modifications share titles: MP051 and MP049 are
/// both 'Section D Review: ...', MP055 and MP155 'Incorporation of multiple Issue Resolution
/// Proposals into the SEC', three years apart; generated scans 7100-7105.)
fn borrowed_rows<'s, 'a>(
    id: &'s ModId,
    s: &'s Sightings,
    list_titles: &'s [OwnedTitle<'a>],
    sightings: &'a BTreeMap<ModId, Sightings>,
) -> impl Iterator<Item = (&'s Date, &'a ModId)> + 's {
    let of_its_time = |other: &ModId, date: &Date| {
        sightings.get(other).is_some_and(|o| {
            o.report_dates
                .iter()
                .any(|d| (d.days_since_epoch() - date.days_since_epoch()).abs() <= TIME_DAYS)
        })
    };
    let seen_more = move |other: &ModId| {
        sightings
            .get(other)
            .is_some_and(|o| o.report_dates.len() > s.report_dates.len())
    };
    // (Its own titles as lists print them: a title it shares is not another's alone;
    // MP114 'Alt HAN P2P Charging Data' in generated scans 7100 and 7101, the title an OCR'd
    // list also gave MP014.)
    let own_titles: Vec<Vec<String>> = list_titles_of(s)
        .map(|t| t.split(' ').map(str::to_string).collect())
        .collect();
    let shared = move |title: &[String]| {
        own_titles
            .iter()
            .any(|own| holds_title_start(own, title) || holds_title_start(title, own))
    };
    let owner = move |date: &Date, line: &str| {
        let words: Vec<String> = all_title_words(line)
            .split(' ')
            .map(str::to_string)
            .collect();
        // The row is the id's where the id starts it: `0058 Changes to the governance of
        // the Self-Service Interface On hold Superseded by MP088` is MP058's row that names
        // MP088 (generated scan 7201).
        if !starts_with_number(&words, id.number) {
            return None;
        }
        list_titles
            .iter()
            .filter(|(title, _, _)| !shared(title))
            .filter(|(_, other, _)| one_digit_apart(other.number, id.number))
            .filter(|(_, other, _)| of_its_time(other, date))
            // A title only the DCC's cells print is another's where that id is the better
            // seen: `3 | Changes to SEC Schedule 11 TS Applicability Tables'` is MP083's
            // (three reports) not MP003's (two); MP003's cell `Implementing IRP511 and
            // CRP535 to support GBCS v3.2` does not make MP093's own rows its (generated
            // scans 3002, 3004).
            .filter(|(_, other, dcc)| !dcc || seen_more(other))
            .find(|(title, _, _)| holds_title_start(&words, title))
            .map(|(_, other, _)| *other)
    };
    s.scan_lines.iter().filter_map(move |(date, lines)| {
        let owners: Vec<&ModId> = lines.iter().map_while(|l| owner(date, l)).collect();
        (owners.len() == lines.len())
            .then(|| owners.first().copied())
            .flatten()
            .map(|other| (date, other))
    })
}

/// Whether a line's first word holds `number` (`0003`, `3`, `SECMPO0055`: its digits once
/// OCR's letters for digits are left out).
fn starts_with_number(words: &[String], number: u32) -> bool {
    // (The number may stand apart from its prefix: `SECMP 0053`.)
    words
        .iter()
        .take(2)
        .find(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .is_some_and(|w| {
            let digits: String = w.chars().filter(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok() == Some(number)
        })
}

/// Whether `line` holds the first words of `title`: all of a short one, at least six words
/// and two thirds of a longer one.
fn holds_title_start(line: &[String], title: &[String]) -> bool {
    if title.len() < TITLE_WORDS {
        return false;
    }
    let need = title.len().min(6).max((2 * title.len()).div_ceil(3));
    (0..line.len()).any(|start| {
        line[start..]
            .iter()
            .zip(title)
            .take_while(|(a, b)| a == b)
            .count()
            >= need
    })
}

/// For an id two or more OCR'd reports print: `Some((likely id, why))` when none of them
/// prints it as its own, every line holding another confirmed id's title (a DCC row whose
/// id OCR garbled: `0003 . Implementing IRP511 and CRP535 to support GBCS v3.2 30/03/2020
/// Implemented`, MP093's row, and `3 | Changes to SEC Schedule 11 TS Applicability Tables'`,
/// MP083's: MP003 in the register of generated scans 3002 and 3004, which no report prints).
/// One report printing it as its own keeps it, as one scan alone does (MP003's own row in
/// generated scan 7202, MP023's read as MP003 in 7204).
fn confirmed_by_borrowed_rows(
    id: &ModId,
    s: &Sightings,
    list_titles: &[OwnedTitle<'_>],
    sightings: &BTreeMap<ModId, Sightings>,
) -> Option<(ModId, String)> {
    let borrowed: Vec<(&Date, &ModId)> = borrowed_rows(id, s, list_titles, sightings).collect();
    let (date, likely) = borrowed.first()?;
    if borrowed.len() < s.report_dates.len() {
        return None;
    }
    let line = s
        .scan_lines
        .get(date)
        .and_then(|l| l.first())
        .map_or("", |l| l);
    let why = format!(
        "the report of {date} prints it on {likely}'s line ({line:?}), with {likely}'s title as lists print it"
    );
    Some(((*likely).clone(), why))
}

/// The `id_repaired` diagnostic of a confirmed repair, at the line that printed the id.
fn repaired(id: &ModId, to: &ModId, s: &Sightings) -> Diagnostic {
    let printed = s
        .first_at
        .as_ref()
        .map_or(id.to_string(), |(_, raw)| format!("{raw:?}"));
    Diagnostic {
        at: s.first_at.as_ref().map(|(at, _)| at.clone()),
        severity: Severity::Warning,
        code: DiagnosticCode::IdRepaired,
        message: format!(
            "{printed} (read as {id}) is printed in one OCR'd report only, with {to}'s title as other reports list it, one digit from {to}: read as {to} (repaired against the archive; its facts are {to}'s, flagged id_repaired in the history)"
        ),
    }
}

/// A title's words, lower case, for comparing (quotes, stops and OCR's marks left out).
fn title_words(title: &str) -> Option<String> {
    let words = all_title_words(title);
    (words.split(' ').count() >= TITLE_WORDS).then_some(words)
}

/// A text's words, lower case, joined by single spaces (quotes, stops and marks left out).
fn all_title_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

fn list_titles_of(s: &Sightings) -> impl Iterator<Item = String> + '_ {
    s.titles.keys().filter_map(|t| title_words(t))
}

fn titles_of(s: &Sightings) -> impl Iterator<Item = String> + '_ {
    s.titles
        .keys()
        .chain(s.dcc_titles.keys())
        .filter_map(|t| title_words(t))
}

/// The confirmed id whose title the line that printed `id` holds, when that is another
/// number's: a DCC row read without its title cell (`3 i Electricity Network Party Access to
/// Load Switching Information | | On hold |`, MP025's title, the id OCR's `3` of `0025`:
/// generated scan 5303, where MP003 sat among the old ids of its time).
fn title_on_its_line<'a>(
    id: &ModId,
    s: &Sightings,
    by_title: &BTreeMap<String, BTreeSet<&'a ModId>>,
) -> Option<&'a ModId> {
    let (at, _) = s.first_at.as_ref()?;
    let line = format!(" {} ", all_title_words(&at.snippet));
    by_title
        .iter()
        .filter(|(title, _)| line.contains(&format!(" {title} ")))
        .flat_map(|(_, ids)| ids.iter().copied())
        .find(|other| other.number != id.number)
}

/// `Some` when no confirmed id seen within a year of `id`'s report is within [`FAR`] of its
/// number; inside, the id of that time one digit away, if there is one (`MP390` -> MP090).
fn far_from_its_time(
    id: &ModId,
    s: &Sightings,
    sightings: &BTreeMap<ModId, Sightings>,
) -> Option<Option<ModId>> {
    let date = *s.report_dates.iter().next()?;
    let near_in_time =
        |d: &Date| (d.days_since_epoch() - date.days_since_epoch()).abs() <= TIME_DAYS;
    let of_its_time: Vec<(&ModId, bool)> = sightings
        .iter()
        .filter(|(other, o)| *other != id && o.report_dates.iter().any(near_in_time))
        .map(|(other, o)| (other, confirmed(o)))
        .collect();
    let near = |o: &&(&ModId, bool)| o.0.number.abs_diff(id.number) <= FAR;
    // A confirmed id near it vouches for its number; unconfirmed ids only as a run of three
    // or more: two ids OCR made in one scan are no evidence for each other (`MPI1S6` and
    // `MPI181v2`, read as MP1156 and MP1181v2 in generated scan 5108, 25 apart), but the
    // newest modifications of a scans-only archive are printed by its last report alone
    // (MP096 to MP102A in generated scan 2003: all kept out of the register when only
    // confirmed ids counted).
    if !of_its_time.iter().any(|o| o.1)
        || of_its_time.iter().filter(near).any(|o| o.1)
        || of_its_time.iter().filter(near).count() >= 2
    {
        return None;
    }
    let of_its_time: Vec<&ModId> = of_its_time
        .into_iter()
        .filter(|o| o.1)
        .map(|o| o.0)
        .collect();
    let likely = of_its_time
        .into_iter()
        .find(|o| one_digit_apart(o.number, id.number))
        .cloned();
    Some(likely)
}

/// The highest id of `id`'s time, when `id` is said to be raised (a fact says so) and that
/// id is more than [`FAR`] past it.
fn raised_behind_its_time(
    id: &ModId,
    s: &Sightings,
    sightings: &BTreeMap<ModId, Sightings>,
    raised: &BTreeSet<ModId>,
) -> Option<ModId> {
    if !raised.contains(id) {
        return None;
    }
    let date = *s.report_dates.iter().next()?;
    let near_in_time =
        |d: &Date| (d.days_since_epoch() - date.days_since_epoch()).abs() <= TIME_DAYS;
    // (Confirmed ids only: an id OCR made in one scan is no measure of its time's, `MP1618`
    // for MP161B in generated scan 7100 kept MP179 to MP190, raised that month, out.)
    sightings
        .iter()
        .filter(|(_, o)| confirmed(o) && o.report_dates.iter().any(near_in_time))
        .map(|(other, _)| other)
        .max_by_key(|o| o.number)
        .filter(|latest| latest.number > id.number + FAR)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sighting(dates: &[(i32, u32, u32)], digital: bool, title: Option<&str>) -> Sightings {
        let mut s = Sightings {
            digital,
            source: Some(Source {
                report_id: "r".into(),
                source_file: "scan.pdf".into(),
                report_date: None,
            }),
            described: true,
            ..Sightings::default()
        };
        for &(y, m, d) in dates {
            s.report_dates.insert(Date::new(y, m, d).unwrap());
        }
        if let Some(t) = title {
            s.titles.insert(t.to_string(), Default::default());
        }
        s
    }

    fn id(n: u32) -> ModId {
        ModId {
            number: n,
            variant: String::new(),
        }
    }

    fn flagged(all: &BTreeMap<ModId, Sightings>) -> Vec<(u32, String)> {
        suspects(all, &BTreeSet::from([id(1)]))
            .into_iter()
            .map(|(k, (_, d))| (k.number, d.message))
            .collect()
    }

    #[test]
    fn digits_one_apart_differ_in_one_or_by_one_more() {
        assert!(one_digit_apart(590, 90));
        assert!(one_digit_apart(4128, 128));
        assert!(one_digit_apart(1128, 128));
        assert!(!one_digit_apart(4129, 128));
        assert!(!one_digit_apart(43, 4));
        assert!(!one_digit_apart(90, 90));
    }

    #[test]
    fn an_unconfirmed_id_with_another_ids_title_or_far_from_its_time_is_suspect() {
        let alerts = "Incorporation of Non GBCS Non-Mandated Alerts into the SEC";
        let mut all = BTreeMap::new();
        all.insert(id(90), sighting(&[(2021, 1, 15)], true, Some(alerts)));
        all.insert(
            id(150),
            sighting(&[(2021, 2, 12), (2021, 3, 12)], false, None),
        );
        // MP090's title, one scan: suspect, MP090 named.
        all.insert(
            id(93),
            sighting(
                &[(2021, 3, 19)],
                false,
                Some(&format!("\u{2018}{alerts}.\u{2019}")),
            ),
        );
        // No title, a number no report of its time comes near: suspect, MP090 one digit away;
        // another id OCR made in the same scan near it confirms nothing.
        all.insert(id(390), sighting(&[(2021, 3, 19)], false, None));
        all.insert(id(1390), sighting(&[(2021, 3, 19)], false, None));
        all.insert(id(1391), sighting(&[(2021, 3, 19)], false, None));
        // One scan, a number among its time's: kept.
        all.insert(
            id(149),
            sighting(&[(2021, 3, 19)], false, Some("Some other title here")),
        );
        // Raised in 2021 as number 1 ("DP1 70."), ids of its time up to 390: suspect. The
        // DCC's tables of old modifications print low numbers not raised, month after month
        // (MP012 in two reports): kept.
        all.insert(id(1), sighting(&[(2021, 3, 19)], false, None));
        all.insert(id(7), sighting(&[(2021, 3, 19)], false, None));
        all.insert(
            id(12),
            sighting(&[(2021, 2, 12), (2021, 3, 12)], false, None),
        );
        let got = flagged(&all);
        assert_eq!(
            got.iter().map(|g| g.0).collect::<Vec<_>>(),
            [1, 93, 390, 1390, 1391],
            "{got:#?}"
        );
        assert!(got[0].1.contains("said to be raised"), "{}", got[0].1);
        let got = &got[1..];
        assert!(got[0].1.contains("MP090's"), "{}", got[0].1);
        assert!(got[1].1.contains("likely MP090"), "{}", got[1].1);
        // A second report (another month) confirms them.
        for n in [1, 93, 390, 1390, 1391] {
            all.get_mut(&id(n))
                .unwrap()
                .report_dates
                .insert(Date::new(2021, 4, 16).unwrap());
        }
        assert!(flagged(&all).is_empty());
    }

    #[test]
    fn the_newest_ids_printed_by_one_scan_are_kept_as_a_run() {
        // A scans-only archive: its last report alone prints MP096 to MP100 (generated scan
        // 2003), 50 and more above the old ids both reports print. A run of three or more
        // is the month's new modifications, not OCR's inventions; one id alone is not.
        let mut all = BTreeMap::new();
        for n in [10, 20, 30, 40] {
            all.insert(
                id(n),
                sighting(&[(2019, 2, 15), (2019, 3, 15)], false, None),
            );
        }
        for n in 96..=100 {
            all.insert(id(n), sighting(&[(2019, 3, 15)], false, None));
        }
        all.insert(id(400), sighting(&[(2019, 3, 15)], false, None));
        let got = flagged(&all);
        assert_eq!(
            got.iter().map(|g| g.0).collect::<Vec<_>>(),
            [400],
            "{got:#?}"
        );
    }

    #[test]
    fn an_unconfirmed_id_whose_line_holds_a_confirmed_ids_title_is_suspect() {
        // A DCC row read without its title cell: the line holds MP025's title, the id is
        // OCR's `3` of `0025` (generated scan 5303), among the old ids of its time.
        let load = "Electricity Network Party Access to Load Switching Information";
        let mut all = BTreeMap::new();
        all.insert(id(25), sighting(&[(2019, 2, 15)], true, Some(load)));
        all.insert(id(5), sighting(&[(2019, 2, 15)], true, None));
        let mut three = sighting(&[(2019, 3, 15)], false, None);
        three.first_at = Some((
            crate::model::Provenance {
                page: 9,
                line: 111,
                snippet: format!("3 i {load} |  | On hold |").into(),
            },
            "3".into(),
        ));
        all.insert(id(3), three);
        // A line holding no other id's title: kept.
        let mut four = sighting(&[(2019, 3, 15)], false, None);
        four.first_at = Some((
            crate::model::Provenance {
                page: 9,
                line: 112,
                snippet: "4 Some Other Title | On hold".into(),
            },
            "4".into(),
        ));
        all.insert(id(4), four);
        let got = flagged(&all);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].0, 3);
        assert!(got[0].1.contains("MP025"), "{}", got[0].1);
    }

    #[test]
    fn an_id_two_scans_print_only_on_other_ids_rows_or_with_nothing_read_is_suspect() {
        // Generated scans 3002 and 3004 (2021): MP003 on MP093's DCC row (its title's first
        // line, `0093` read as `0003`) and on another row OCR garbled; MP002 a row of nothing.
        let irp = "Implementing IRP511 and CRP535 to support GBCS v3.2 devices";
        let line = |s: &mut Sightings, date: (i32, u32, u32), text: &str| {
            let d = Date::new(date.0, date.1, date.2).unwrap();
            s.report_dates.insert(d);
            s.scan_lines.entry(d).or_default().push(text.into());
        };
        let mut all = BTreeMap::new();
        // MP093 confirmed by two scans' lists; its own rows print MP003's DCC cell: kept.
        let mut mp093 = sighting(&[], false, Some(irp));
        line(
            &mut mp093,
            (2021, 3, 19),
            &format!("- MP093 \u{2018}{irp}\u{2019}"),
        );
        line(
            &mut mp093,
            (2021, 5, 14),
            "0093 Implementing IRP511 and CRP535 to support GBCS v3.2 | Implemented",
        );
        mp093.dcc_titles.insert(
            "Implementing IRP511 and CRP535 to support GBCS v3.2".into(),
            Default::default(),
        );
        all.insert(id(93), mp093);
        let mut mp003 = sighting(&[], false, None);
        mp003.dcc_titles.insert(
            "Implementing IRP511 and CRP535 to support GBCS v3.2".into(),
            Default::default(),
        );
        line(
            &mut mp003,
            (2021, 3, 19),
            "0003 . Implementing IRP511 and CRP535 to support GBCS v3.2 30/03/2020 Implemented",
        );
        line(&mut mp003, (2021, 5, 14), "3 | Changes to SEC Schedule 11 TS Applicability Tables\u{2019} \u{2014} 14/12/2020 |  | Withdrawn \u{2014}\u{2014}");
        all.insert(id(3), mp003);
        let mut mp083 = sighting(
            &[],
            false,
            Some("Changes to SEC Schedule 11 \u{2018}TS Applicability Tables\u{2019}"),
        );
        line(&mut mp083, (2021, 3, 19), "MP083 listed");
        line(&mut mp083, (2021, 5, 14), "MP083 listed");
        all.insert(id(83), mp083);
        // An id one report prints as its own (MP003 in generated scan 7202) and another on
        // MP093's row (MP023's in 7204): kept, as one scan printing it alone would be.
        let mut mp094 = sighting(&[], false, None);
        line(
            &mut mp094,
            (2021, 3, 19),
            "SECMP0094 Demand Configurable Time : 15/03/2016 Implemented",
        );
        line(
            &mut mp094,
            (2021, 5, 14),
            "0094 Implementing IRP511 and CRP535 to support GBCS v3.2 | Implemented",
        );
        all.insert(id(94), mp094);
        // A real old id two scans print on rows of their own: kept. So is one whose row holds
        // another's title (modifications share titles), but two digits from its number.
        let mut mp051 = sighting(&[], false, None);
        line(
            &mut mp051,
            (2021, 3, 19),
            &format!("- SECMP0051 \u{2018}{irp}\u{2019}"),
        );
        line(
            &mut mp051,
            (2021, 5, 14),
            &format!("- SECMP0051 \u{2018}{irp}\u{2019}"),
        );
        mp051.described = true;
        all.insert(id(51), mp051);
        let mut mp012 = sighting(&[], false, None);
        line(
            &mut mp012,
            (2021, 3, 19),
            "0012 Some Other Title Of Its Own | Implemented",
        );
        line(
            &mut mp012,
            (2021, 5, 14),
            "0012 Some Other Title Of Its Own | Implemented",
        );
        all.insert(id(12), mp012);
        // A real old id whose reports print its own row and, above it, MP093's with `0093`
        // read as its number (MP003 and MP023 in generated scan 7204): kept.
        let mut mp013 = sighting(&[], false, None);
        for date in [(2021, 3, 19), (2021, 5, 14)] {
            line(
                &mut mp013,
                date,
                "0013 . Implementing IRP511 and CRP535 to support GBCS v3.2 | Implemented",
            );
            line(
                &mut mp013,
                date,
                "0013 Its Own Title Printed Here | No further assessment",
            );
        }
        all.insert(id(13), mp013);
        // Ids a row names, not starts (`0058 ... Superseded by MP088`, generated scan 7201),
        // and ids whose own lists print the title too (MP114 and MP014 'Alt HAN P2P
        // Charging Data', scans 7100, 7101): kept.
        let mut mp098 = sighting(&[], false, None);
        let mut mp193 = sighting(&[], false, Some(irp));
        for date in [(2021, 3, 19), (2021, 5, 14)] {
            line(
                &mut mp098,
                date,
                &format!("0093 {irp} | Superseded by MP098"),
            );
            line(&mut mp193, date, &format!("0193 | {irp} | On hold"));
        }
        all.insert(id(98), mp098);
        all.insert(id(193), mp193);
        // One scan, nothing read of it but its id.
        let mut mp002 = sighting(&[(2021, 5, 14)], false, None);
        mp002.described = false;
        mp002
            .scan_lines
            .entry(Date::new(2021, 5, 14).unwrap())
            .or_default()
            .push("2 |  | request |  |  |  |".into());
        all.insert(id(2), mp002);
        let got: Vec<(u32, String)> = suspects(&all, &BTreeSet::new())
            .into_iter()
            .map(|(k, (_, d))| (k.number, d.message))
            .collect();
        assert_eq!(
            got.iter().map(|g| g.0).collect::<Vec<_>>(),
            [2, 3],
            "{got:#?}"
        );
        assert!(got[0].1.contains("nothing else is read"), "{}", got[0].1);
        assert!(got[1].1.contains("MP093's line"), "{}", got[1].1);
        // Described (a status read), MP002 stands; later scans printing MP003 as its own
        // confirm it (and MP093, listed in them too, keeps its own rows).
        all.get_mut(&id(2)).unwrap().described = true;
        for date in [(2021, 6, 11), (2021, 7, 9)] {
            line(
                all.get_mut(&id(93)).unwrap(),
                date,
                &format!("- MP093 \u{2018}{irp}\u{2019}"),
            );
        }
        line(
            all.get_mut(&id(3)).unwrap(),
            (2021, 6, 11),
            "MP003 Some Title Of Its Own Here",
        );
        line(
            all.get_mut(&id(3)).unwrap(),
            (2021, 7, 9),
            "MP003 Some Title Of Its Own Here",
        );
        assert!(suspects(&all, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn a_line_holds_a_title_when_it_holds_all_of_a_short_one_or_most_of_a_long_ones_start() {
        let words = |t: &str| {
            all_title_words(t)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let irp = words("Implementing IRP511 and CRP535 to support GBCS v3.2 devices");
        assert!(holds_title_start(
            &words("0003 . Implementing IRP511 and CRP535 to support GBCS v3.2 30/03"),
            &irp
        ));
        assert!(!holds_title_start(
            &words("0003 Implementing IRP511 and CRP535 to"),
            &irp
        ));
        let short = words("Alignment of SEC Credit Cover");
        assert!(holds_title_start(
            &words("x Alignment of SEC Credit Cover y"),
            &short
        ));
        assert!(!holds_title_start(
            &words("x Alignment of SEC Credit y"),
            &short
        ));
    }

    #[test]
    fn an_id_ocr_made_is_no_measure_of_how_far_its_time_has_run() {
        // Generated scans 7100-7102 (2021): `MP1618` (MP161B) in one scan; MP179 raised in
        // the next, ids of its time confirmed up to MP178. MP179 is kept, MP1618 flagged.
        let mut all = BTreeMap::new();
        for n in [150, 161, 178] {
            all.insert(
                id(n),
                sighting(&[(2021, 9, 10), (2021, 10, 8)], false, None),
            );
        }
        all.insert(id(1618), sighting(&[(2021, 9, 10)], false, None));
        all.insert(id(179), sighting(&[(2021, 11, 12)], false, None));
        let got: Vec<u32> = suspects(&all, &BTreeSet::from([id(179)]))
            .into_keys()
            .map(|k| k.number)
            .collect();
        assert_eq!(got, [1618]);
    }
}

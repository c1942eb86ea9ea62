//! The June 2020 report as other months, years and scanners print it: the real text changed
//! one way at a time (a blank line lost, an id OCR damaged past reading, a date written
//! another way, a ligature, other wording), each read as a careful reader would read it.
//! What the change costs must be only what it damaged, and said in a diagnostic.

use secreg::grammar::{Date, Grammar};
use secreg::model::{extract_report, DiagnosticCode, Event, Page, ReportRecords, ReportVocabulary};
use secreg::reading::{PageTextReader, TxtReader};

const JUNE: &str = include_str!("../fixtures/reports/csr-2020-06-ocr.txt");

/// The June text's working group lead-in, as printed.
const JUNE_WORKING_GROUP: &str = "The last monthly Working Group meeting was held on 3 June 2020, and included the following\nmodifications:";

/// Asserts that each id has one working group event, dated 3 June 2020 as the June text
/// dates its working group's list.
fn met_on_3_june(r: &ReportRecords, ids: &[&str]) {
    for id in ids {
        assert_eq!(
            dates(&events(r, id, "working_group")),
            [day(2020, 6, 3)],
            "{id}"
        );
    }
}

/// The June text with each `(from, to)` made, once each (each `from` must be there).
fn june_with(changes: &[(&str, &str)]) -> String {
    let mut text = JUNE.to_string();
    for (from, to) in changes {
        assert!(text.contains(from), "{from:?} is not in the June text");
        text = text.replacen(from, to, 1);
    }
    text
}

fn read(text: &str) -> ReportRecords {
    let grammar = Grammar::builtin();
    let vocab = ReportVocabulary::compile(grammar).unwrap();
    let pages = Page::numbered(TxtReader.read(text.as_bytes()).unwrap().pages, Vec::new());
    extract_report(grammar, &vocab, &pages)
}

/// The events of one modification and kind.
fn events<'r>(r: &'r ReportRecords, id: &str, kind: &str) -> Vec<&'r Event> {
    r.events
        .iter()
        .filter(|e| e.modification.id.to_string() == id && e.event.name() == kind)
        .collect()
}

fn dates(events: &[&Event]) -> Vec<Option<Date>> {
    events.iter().map(|e| e.date).collect()
}

fn codes(r: &ReportRecords, code: DiagnosticCode) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            d.at.as_ref()
                .map_or(String::new(), |a| a.snippet.to_string())
        })
        .collect()
}

fn day(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::new(y, m, d)
}

/// Each assessment row's cells: id, type, date, target and duration.
type AssessmentCells = (
    String,
    secreg::model::AssessmentType,
    Option<Date>,
    Option<u32>,
    Option<u32>,
);

fn assessment_rows(r: &ReportRecords) -> Vec<AssessmentCells> {
    r.assessments
        .iter()
        .map(|a| {
            (
                a.modification.id.to_string(),
                a.assessment_type,
                a.date,
                a.target_wd,
                a.duration_wd,
            )
        })
        .collect()
}

#[test]
fn a_lead_in_printed_right_under_the_last_item_starts_its_own_list() {
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "e MP127 ‘SMKI RAPP Security screening clarification’\n\nChange Board votes\n",
            "e MP127 ‘SMKI RAPP Security screening clarification’\n",
        ),
        (
            "November 2020 SEC Release.\n\nThe Change Board voted on the following",
            "November 2020 SEC Release.\nThe Change Board voted on the following",
        ),
    ]));
    // The items of the vote keep their decision and its date, not the consultation's.
    for id in ["MP080", "MP115"] {
        assert_eq!(
            dates(&events(&r, id, "change_board_approved")),
            dates(&events(&june, id, "change_board_approved")),
            "{id}"
        );
        assert!(
            events(&r, id, "report_consultation_expected").is_empty(),
            "{id}"
        );
    }
    assert_eq!(
        dates(&events(&r, "MP127", "report_consultation_expected")),
        [day(2020, 6, 22)]
    );
    assert_eq!(
        dates(&events(&r, "MP130", "change_board_recommended_approval")),
        dates(&events(&june, "MP130", "change_board_recommended_approval")),
    );
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn an_item_whose_id_is_unreadable_costs_its_own_event_only_and_says_so() {
    let june = read(JUNE);
    for (from, to, id, kind) in [
        // Alone between blank lines: read as a paragraph of its own.
        (
            "¢ MPO077 ‘DCC Service Flagging’",
            "¢ MP O77 ‘DCC Service Flagging’",
            "MP077",
            "working_group",
        ),
        // Printed after an item whose text runs on past the blank line.
        (
            "e MP081 ‘Alignment of DUIS",
            "e MP O81 ‘Alignment of DUIS",
            "MP081",
            "scheduled_for_release",
        ),
    ] {
        let r = read(&june_with(&[(from, to)]));
        let lost: Vec<_> = june
            .events
            .iter()
            .filter(|e| !r.events.contains(e))
            .map(|e| (e.modification.id.to_string(), e.event.name()))
            .collect();
        assert_eq!(lost, [(id.to_string(), kind)], "{to}");
        assert_eq!(r.events.len(), june.events.len() - 1, "{to}");
        let unread = codes(&r, DiagnosticCode::ListItemIdUnread);
        assert!(
            unread.len() == 1 && unread[0].starts_with(to),
            "{to}: {unread:?}"
        );
    }
}

#[test]
fn table_rules_read_into_lists_and_prose_hide_nothing() {
    let r = read(&june_with(&[
        (
            "e MP095 ‘Alignment of SEC Credit Cover’",
            "| e MP095 ‘Alignment of SEC Credit Cover’",
        ),
        (
            "was raised by Chun Chen from the DCC on\n",
            "was raised by Chun Chen from the DCC on |\n",
        ),
    ]));
    assert_eq!(
        dates(&events(&r, "MP095", "working_group")),
        [day(2020, 6, 3)]
    );
    let raised = events(&r, "MP131", "raised");
    assert_eq!(dates(&raised), [day(2020, 5, 21)]);
    assert_eq!(raised[0].proposer.as_deref(), Some("Chun Chen"));
    assert_eq!(r.events.len(), read(JUNE).events.len());
}

#[test]
fn sentences_state_dates_in_figures_and_with_a_comma_or_a_short_year() {
    let r = read(&june_with(&[
        (
            "On Friday 22 May, The Change Board voted to recommend",
            "On 22/05/2020, the Change Board voted to recommend",
        ),
        (
            "approved this modification on 26 May 2020, and it was\nimplemented on 27 May 2020.",
            "approved this modification on 26/05/2020, and it was\nimplemented on 27/05/2020.",
        ),
        (
            "was raised by Tony Pile from Landis & Gyr on 21 May 2020.",
            "was raised by Tony Pile from Landis & Gyr on 21st May, 2020.",
        ),
        (
            "from Utiligroup on 22\nMay 2020.",
            "from Utiligroup on 22 May 20.",
        ),
    ]));
    for (id, kind, date) in [
        (
            "MP130",
            "change_board_recommended_approval",
            day(2020, 5, 22),
        ),
        ("MP130", "authority_approved", day(2020, 5, 26)),
        ("MP130", "implemented", day(2020, 5, 27)),
        ("MP132", "raised", day(2020, 5, 21)),
        ("MP133", "raised", day(2020, 5, 22)),
    ] {
        let found = events(&r, id, kind);
        assert!(
            found.iter().any(|e| e.date == date && !e.date_inferred),
            "{id} {kind}: {found:?}"
        );
    }
}

#[test]
fn ligatures_read_as_their_letters() {
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "The following Refinement Consultations are expected",
        "The following Reﬁnement Consultations are expected",
    )]));
    assert_eq!(r.events, june.events);
    assert!(!events(&r, "MP122", "refinement_consultation_expected").is_empty());
}

#[test]
fn other_wordings_of_a_release_and_its_implementation() {
    let r = read(&june_with(&[(
        "Three modifications were implemented in the June 2020 Release (6 May 2020):",
        "Three modifications have been implemented in the June 2020 SEC Minor Release (6 May 2020):",
    )]));
    let implemented: Vec<_> = r
        .events
        .iter()
        .filter(|e| e.release_name.as_deref() == Some("June 2020 SEC Minor Release"))
        .map(|e| (e.modification.id.to_string(), e.event.name(), e.date))
        .collect();
    assert_eq!(
        implemented,
        [
            ("MP053".to_string(), "implemented", day(2020, 5, 6)),
            ("MP062".to_string(), "implemented", day(2020, 5, 6)),
            ("MP114".to_string(), "implemented", day(2020, 5, 7)),
        ]
    );
}

#[test]
fn repaired_unreadable_and_contradicted_dates_are_flagged() {
    let r = read(&june_with(&[
        // OCR's letter O for a zero: repaired, and said.
        (
            "On 26 May 2020, the Change Sub-Committee",
            "On 26 May 2O20, the Change Sub-Committee",
        ),
        // A month OCR damaged past reading: the vote's items are undated, and that is said.
        // (`Mav`, an abbreviation as OCR misreads it, is read as May, repaired: dates.toml's
        // `month_repairs`.)
        (
            "two modifications on 27 May 2020:",
            "two modifications on 27 Mxv 2020:",
        ),
        // 3 June 2020 was a Wednesday.
        (
            "was held on 3 June 2020, and",
            "was held on Tuesday 3 June 2020, and",
        ),
    ]));
    let ready = events(&r, "MP094", "csc_ready_for_conversion");
    assert!(
        ready
            .iter()
            .all(|e| e.date == day(2020, 5, 26) && e.date_repaired && e.confidence < 1.0),
        "{ready:?}"
    );
    assert!(!codes(&r, DiagnosticCode::DateRepaired).is_empty());
    assert!(events(&r, "MP080", "change_board_approved")
        .iter()
        .all(|e| e.date.is_none()));
    assert_eq!(
        codes(&r, DiagnosticCode::LeadInDateUnread),
        ["The Change Board voted on two modifications on 27 Mxv 2020:"]
    );
    let wg = events(&r, "MP095", "working_group");
    assert!(
        wg.iter()
            .all(|e| e.date == day(2020, 6, 3) && e.weekday_mismatch),
        "{wg:?}"
    );
    assert_eq!(
        codes(&r, DiagnosticCode::WeekdayMismatch).len(),
        r.events.iter().filter(|e| e.weekday_mismatch).count()
    );
    // The June text as printed has none of these.
    let june = read(JUNE);
    assert!(june
        .events
        .iter()
        .all(|e| !e.date_repaired && !e.weekday_mismatch));
}

#[test]
fn assessment_tables_headed_in_other_words_are_still_known() {
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "Modification Type Accepted Target duration Current duration",
            "Modification Type Date accepted Target (WD) Current (WD)",
        ),
        (
            "Modification Type Returned Target duration Actual duration",
            "Modification Type Date returned Target (WD) Actual (WD)",
        ),
    ]));
    assert!(june
        .assessments
        .iter()
        .any(|a| a.table.name() == "returned"));
    assert_eq!(r.assessments, june.assessments);
}

/// The `raised` events of a report: (id, date, proposer, organisation).
fn raised(r: &ReportRecords) -> Vec<(String, Option<Date>, String, String)> {
    let mut found: Vec<_> = r
        .events
        .iter()
        .filter(|e| e.event.name() == "raised")
        .map(|e| {
            (
                e.modification.id.to_string(),
                e.date,
                e.proposer.clone().unwrap_or_default(),
                e.organisation.clone().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn who_raised_a_proposal_in_other_wordings() {
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "DP125 ‘Correcting the ESME variant’ was raised by John Noad from Npower on 7 May 2020.",
            "DP125 was raised on 7 May 2020 by John Noad of Npower.",
        ),
        (
            "DP126 ‘Smart meter consumer data access and control’ was raised by Ed Rees from Citizens Advice\non 11 May 2020.",
            "Ed Rees (Citizens Advice) raised DP126 ‘Smart meter consumer data access and control’ on 11\nMay 2020.",
        ),
        (
            "was raised by Earl Richards of Cadent Gas on\n11 May 2020.",
            "was raised by Earl Richards (Cadent Gas) on\n11 May 2020.",
        ),
        (
            "was raised by David Rollason from the DCC on\n12 May 2020.",
            "was raised on 12 May 2020 by David Rollason\n(DCC).",
        ),
        (
            "was raised by Chun Chen from the DCC on\n21 May 2020.",
            "was raised by Chun Chen, DCC, on\n21 May 2020.",
        ),
        (
            "DP133 ‘Consequential changes to SEC Section G’ was raised by Simon Crouch from Utiligroup on 22\nMay 2020.",
            "Simon Crouch of Utiligroup raised DP133 ‘Consequential changes to SEC Section G’ on 22\nMay 2020.",
        ),
        (
            "was raised by Easton Brown from DCC on\n29 May 2020.",
            "was raised on 29 May 2020 by Easton Brown\nfrom DCC, and seeks to let the new Supplier use the SMKI Certificates.",
        ),
    ]));
    // Every proposal raised, with its date, proposer and organisation, as the June wording
    // gives them ("the DCC" and "DCC" are one organisation).
    let without_the = |v: Vec<(String, Option<Date>, String, String)>| {
        v.into_iter()
            .map(|(id, d, p, o)| (id, d, p, o.trim_start_matches("the ").to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(without_the(raised(&r)), without_the(raised(&june)));
    assert!(raised(&june).len() >= 10, "{:?}", raised(&june));
    // The title printed inside a sentence that names the proposer first.
    let dp126 = events(&r, "MP126", "raised");
    assert_eq!(
        dp126[0].title.as_deref(),
        Some("Smart meter consumer data access and control")
    );
}

#[test]
fn decisions_stated_in_prose() {
    let r = read(&june_with(&[
        (
            "e SECMPO0067 ‘Service Request Traffic Management’ was sent back on 27 May 2020 for\nfurther work.",
            "SECMPO0067 ‘Service Request Traffic Management’ was sent back by the Authority on 27 May 2020\nfor further work.",
        ),
        (
            "e MP084 ‘Other User Panel Seating Amendment’ was rejected on 27 May 2020.",
            "MP084 ‘Other User Panel Seating Amendment’ was rejected by the Authority on 27 May 2020.\n\n\
             The Change Board rejected MP118 ‘Communications Hub Finance Charges’ under\n\
             Self-Governance on 27 May 2020.\n\n\
             On 3 June 2020, the Change Board approved MP095 ‘Alignment of SEC Credit Cover’.\n\n\
             On 4 June 2020 the Change Board recommended that the Authority approve\n\
             MP122 ‘Operational Metrics’.\n\n\
             MP120 ‘Correcting DUIS Matrix for SRV7.7 Eligible Users’ was withdrawn by the Proposer on\n\
             3 June 2020.",
        ),
    ]));
    for (id, kind, date) in [
        ("MP067", "authority_sent_back", day(2020, 5, 27)),
        ("MP084", "authority_rejected", day(2020, 5, 27)),
        ("MP118", "change_board_rejected", day(2020, 5, 27)),
        ("MP095", "change_board_approved", day(2020, 6, 3)),
        // The id at the head of the sentence's second line is no item of a list.
        (
            "MP122",
            "change_board_recommended_approval",
            day(2020, 6, 4),
        ),
        ("MP120", "withdrawn", day(2020, 6, 3)),
    ] {
        assert_eq!(dates(&events(&r, id, kind)), [date], "{id} {kind}");
    }
    // "This request was approved by the Authority. On Friday 22 May, ..." is the urgent
    // status's approval, not the modification's.
    assert_eq!(
        dates(&events(&read(JUNE), "MP130", "authority_approved")),
        [day(2020, 5, 26)]
    );
}

#[test]
fn prose_that_starts_with_an_id_after_a_bulleted_list_is_not_its_item() {
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "e MP122 ‘Operational Metrics’\n\n",
        "e MP122 ‘Operational Metrics’\n\n\
         MP120 ‘Correcting DUIS Matrix for SRV7.7 Eligible Users’ was withdrawn by the Proposer\n\
         on 8 June 2020.\n\n",
    )]));
    assert!(events(&r, "MP120", "working_group").is_empty());
    assert_eq!(dates(&events(&r, "MP120", "withdrawn")), [day(2020, 6, 8)]);
    // The list's own items keep their meeting.
    assert_eq!(
        events(&r, "MP122", "working_group").len(),
        events(&june, "MP122", "working_group").len()
    );
    assert_eq!(r.events.len(), june.events.len() + 1);
}

#[test]
fn items_whose_bullets_ocr_dropped_stay_on_the_bulleted_list() {
    let june = read(JUNE);
    // The Working Group list's last three items printed without their bullets, as OCR
    // leaves a list that runs onto a new page (generated scan 3001, page 10).
    let r = read(&june_with(&[
        ("e MP095 ‘Alignment", "MP095 ‘Alignment"),
        ("¢ MP102B ‘Power", "MP102B ‘Power"),
        ("e MP105 ‘Sending", "MP105 ‘Sending"),
        ("e MP122 ‘Operational", "MP122 ‘Operational"),
    ]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        assert_eq!(
            dates(&events(&r, id, "working_group")),
            dates(&events(&june, id, "working_group")),
            "{id}"
        );
        assert_eq!(
            dates(&events(&r, id, "working_group")),
            [day(2020, 6, 3)],
            "{id}"
        );
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn punctuation_ocr_glued_between_words_is_read_across() {
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "The Change Board voted on two modifications on 27 May 2020:",
            "The Change Board voted on two modifications.on 27 May 2020:",
        ),
        (
            "on behalf of the\nSecurity Sub-Committee (SSC)",
            "on behalf of the\nSecurity.Sub-Committee (SSC)",
        ),
    ]));
    for id in ["MP080", "MP115"] {
        let approved = |r| dates(&events(r, id, "change_board_approved"));
        assert_eq!(approved(&r), approved(&june), "{id}");
        assert_eq!(approved(&r), [day(2020, 5, 27)], "{id}");
    }
    let raised = events(&r, "MP127", "raised");
    assert_eq!(
        raised[0].organisation.as_deref(),
        Some("Security Sub-Committee (SSC)")
    );
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_sentence_after_a_title_runs_on_past_a_gap_a_scan_opened() {
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "on behalf of the\nSecurity Sub-Committee (SSC) on 11 May 2020.",
        "on behalf of the Security\n\nSub-Committee (SSC) on 11 May 2020. [",
    )]));
    let raised = |r| {
        events(r, "MP127", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(raised(&r), raised(&june));
    assert_eq!(raised(&r)[0].0, day(2020, 5, 11));
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_raising_split_by_a_gap_after_a_comma_or_behind_a_speck_is_read_whole() {
    let june = read(JUNE);
    // As generated scan 7802 printed two: "... was raised by Tom Woolley," / gap / "DCC, on
    // Monday 21 June.", and "' Sara Whitfield from Bulb Energy raised DP178 ...".
    let r = read(&june_with(&[
        (
            "was raised by John Noad from Npower on 7 May 2020.",
            "was raised by John Noad,\n\nNpower, on 7 May 2020.",
        ),
        (
            "DP132 ‘DLMS references in GBCS’ was raised by Tony Pile from Landis & Gyr on 21 May 2020.",
            "‘ Tony Pile from Landis & Gyr raised DP132 ‘DLMS references in GBCS’ on 21 May 2020.",
        ),
    ]));
    for id in ["MP125", "MP132"] {
        let who = |r| {
            events(r, id, "raised")
                .iter()
                .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(who(&r), who(&june), "{id}");
        assert_eq!(who(&r).len(), 1, "{id}");
    }
}

#[test]
fn a_working_group_lead_in_whose_group_ocr_garbled_keeps_its_list() {
    // Generated scan 7501: `The Working prone met on 5 July 2017 and discussed the following
    // modifications:`, seven working_group events lost.
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "The last monthly Working Group meeting was held on 3 June 2020, and included the following\nmodifications:",
        "The Working prone met on 3 June 2020 and discussed the following modifications:",
    )]));
    let met = |r| dates(&events(r, "MP077", "working_group"));
    assert_eq!(met(&r), met(&june));
    assert_eq!(met(&r), [day(2020, 6, 3)]);
}

#[test]
fn a_working_group_agenda_whose_verb_ocr_garbled_keeps_its_list() {
    // Generated scan 9502: `The December Working Group agenda molded, the following
    // modifications (meeting held on Wednesday 1 December 2021):`, ten events lost.
    let r = read(&june_with(&[(
        JUNE_WORKING_GROUP,
        "The June Working Group agenda molded, the following modifications (meeting\nheld on Wednesday 3 June 2020):",
    )]));
    met_on_3_june(&r, &["MP077", "MP122"]);
}

#[test]
fn a_lead_in_whose_month_and_year_ocr_garbled_is_dated_by_its_weekday_and_day() {
    // Generated scan 8702: `A Working Group meeting was held on Wednesday 1 sie doa which
    // included the following modifications:`, seven events left undated. 3 June 2020 is a
    // Wednesday, 3 May a Sunday.
    let r = read(&june_with(&[(
        "held on 3 June 2020, and included",
        "held on Wednesday 3 sie doa, and included",
    )]));
    let met = events(&r, "MP077", "working_group");
    assert_eq!(dates(&met), [day(2020, 6, 3)]);
    assert!(met.iter().all(|e| e.date_repaired && e.date_inferred));
}

#[test]
fn a_title_closed_by_a_degree_sign_past_a_gap_keeps_its_list() {
    // Generated scan 8801: `- DP212 'Incorporation of ... into the SEC - Batch` / gap /
    // `19°`, the closing quote read as a degree sign: the title's end read as prose and
    // ended the list, whose three items after it lost their events.
    let r = read(&june_with(&[(
        "e MPO090 ‘Incorporation of Non GBCS Non-Mandated Alerts into the SEC’",
        "e MPO090 ‘Incorporation of Non GBCS Non-Mandated Alerts into the SEC - Batch\n\n1°",
    )]));
    met_on_3_june(&r, &["MP090", "MP095", "MP102B", "MP105", "MP122"]);
}

#[test]
fn a_running_foot_ocr_read_without_its_underscore_parts_no_list() {
    // Generated scan 9403: `SECP 100 0904 - Change Status Report - April-2021` at the foot of
    // the page between a Report Phase list's lead-in and its five items was read as prose.
    let r = read(&june_with(&[(
        "e MP095 ‘Alignment of SEC Credit Cover’\n",
        "e MP095 ‘Alignment of SEC Credit Cover’\n\nSECP 100 0904 - Change Status Report - June-2020\n\n",
    )]));
    met_on_3_june(&r, &["MP095", "MP102B", "MP105", "MP122"]);
}

#[test]
fn a_lead_in_after_a_sentence_stating_its_own_fact_is_its_own_sentence() {
    // Generated report 8700 (digital): `The Change Board approved MP161B '...' under
    // Self-Governance on 25 August 2021.` and `The Authority issued a determination on one
    // Modification Proposal this month:` set as one paragraph gave the determination listed
    // under it the Change Board's approval, dated 25 August.
    let r = read(&june_with(&[(
        JUNE_WORKING_GROUP,
        "The Change Board approved MP099 ‘Incorporation of multiple Issue Resolution Proposals’ under\nSelf-Governance on 27 May 2020. The last monthly Working Group meeting was held on 3 June\n2020, and included the following modifications:",
    )]));
    met_on_3_june(&r, &["MP077", "MP122"]);
    assert!(events(&r, "MP077", "change_board_approved").is_empty());
    // The sentence's own fact is read as before.
    assert_eq!(
        dates(&events(&r, "MP099", "change_board_approved")),
        [day(2020, 5, 27)]
    );
}

#[test]
fn an_item_whose_id_ocr_damaged_and_a_colon_after_its_title_does_not_end_its_list() {
    // Generated scan 9504: `+ MpP201 ‘Incorporation of ... into the SEC - Batch 8’ :` ended
    // its working group list, as a lead-in in words no rule knows: the items after it lost
    // their events.
    let r = read(&june_with(&[(
        "e MP095 ‘Alignment of SEC Credit Cover’",
        "e MpP095 ‘Alignment of SEC Credit Cover’ :",
    )]));
    assert!(events(&r, "MP095", "working_group").is_empty());
    met_on_3_june(&r, &["MP077", "MP090", "MP102B", "MP105", "MP122"]);
    assert!(codes(&r, DiagnosticCode::ListLeadInUnknown).is_empty());
    assert_eq!(
        codes(&r, DiagnosticCode::ListItemIdUnread),
        ["e MpP095 ‘Alignment of SEC Credit Cover’ :"]
    );
}

#[test]
fn a_release_lead_in_whose_implementation_ocr_garbled_keeps_its_list() {
    // Generated scan 7500: `The following modifications are approved for ances non ) in the
    // November _ 2017 SEC Release (2 November 2017):`, its two items lost.
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "approved for implementation in the November 2020 Release",
        "approved for ances non ) in the November 2020 Release",
    )]));
    let planned = |r| dates(&events(r, "MP081", "scheduled_for_release"));
    assert_eq!(planned(&r), planned(&june));
    assert_eq!(planned(&r).len(), 1);
    // A release of a kind (generated scan 8401: `approved for aun in the February 2023 SEC
    // Minor Release (23 February 2023):`).
    let r = read(&june_with(&[(
        "approved for implementation in the November 2020 Release",
        "approved for aun in the November 2020 SEC Minor Release",
    )]));
    assert_eq!(planned(&r), planned(&june));
    // Approved for something else, no release named: no list of a release.
    let r = read(&june_with(&[(
        "approved for implementation in the November 2020 Release",
        "approved for ances non ) in the coming months",
    )]));
    assert!(events(&r, "MP081", "scheduled_for_release").is_empty());
}

#[test]
fn a_list_in_words_no_rule_knows_does_not_take_the_list_above_it() {
    let r = read(&june_with(&[(
        "Decisions\nThe Change Board approved two Modification Proposals under Self-Governance this month:",
        "Decisions\nThe following decisions were made this month:",
    )]));
    // MP080 and MP115 were on no Report Phase list: the list above this one.
    for id in ["MP080", "MP115"] {
        assert!(
            events(&r, id, "recommended_to_report_phase").is_empty(),
            "{id}"
        );
    }
    assert_eq!(
        codes(&r, DiagnosticCode::ListLeadInUnknown),
        ["The following decisions were made this month:"]
    );
    assert!(codes(&read(JUNE), DiagnosticCode::ListLeadInUnknown).is_empty());
}

#[test]
fn a_self_governance_decision_among_the_authoritys_is_the_change_boards() {
    let r = read(&june_with(&[(
        "e MP084 ‘Other User Panel Seating Amendment’ was rejected on 27 May 2020.\n",
        "e MP084 ‘Other User Panel Seating Amendment’ was rejected on 27 May 2020.\n\n\
         e MP118 ‘Communications Hub Finance Charges’ was approved under Self-Governance on 27 May\n\
         2020 (Change Board decision).\n",
    )]));
    assert!(events(&r, "MP118", "authority_approved").is_empty());
    assert_eq!(
        dates(&events(&r, "MP118", "change_board_approved")),
        [day(2020, 5, 27)]
    );
    assert_eq!(
        dates(&events(&r, "MP084", "authority_rejected")),
        [day(2020, 5, 27)]
    );
}

#[test]
fn durations_printed_without_their_unit_under_a_header_that_gives_it() {
    let r = read(&june_with(&[
        (
            "Modification Type Accepted Target duration Current duration",
            "Modification Type Date accepted Target (WD) Current (WD)",
        ),
        ("MP092 PA 2 Dec 19 15WD 130 WD", "MP092 PA 2 Dec 19 15 130"),
    ]));
    let row = r
        .assessments
        .iter()
        .find(|a| a.modification.id.to_string() == "MP092")
        .unwrap();
    assert_eq!((row.target_wd, row.duration_wd), (Some(15), Some(130)));
    assert!(row.confidence < 1.0, "the unit was not printed");
    // A number that is no duration stops the reading: a year, a comment.
    let r = read(&june_with(&[(
        "MP092 PA 2 Dec 19 15WD 130 WD",
        "MP092 PA 2 Dec 19 see 2020 note",
    )]));
    let row = r
        .assessments
        .iter()
        .find(|a| a.modification.id.to_string() == "MP092")
        .unwrap();
    assert_eq!((row.target_wd, row.duration_wd), (None, None));
}

#[test]
fn a_speck_ocr_read_at_a_lines_start_is_not_part_of_a_name() {
    let june = read(JUNE);
    // "...of the" / ". DCC. ," (generated scan 3103): the organisation read as "the".
    let r = read(&june_with(&[(
        "David Rollason from the\nDCC on 12 May 2020.",
        "David Rollason from the\n. DCC on 12 May 2020.",
    )]));
    let raised = |r| {
        events(r, "MP130", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(raised(&r), raised(&june));
    assert_eq!(raised(&r)[0].2.as_deref(), Some("DCC"));
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn an_id_heading_with_a_speck_after_it_is_a_heading_not_the_proposers_first_words() {
    // `SECMP0048 ,` set close over `Owen Blake (Wales & West Utilities) raised SECMP0048 ...`
    // (generated scan 7403): read as one paragraph, the raised fact was lost.
    let june = read(JUNE);
    fn raised(r: &ReportRecords) -> Vec<(Option<Date>, Option<String>, Option<String>)> {
        events(r, "MP126", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect()
    }
    // And a heading printed with a space in its id (`SECMP 0031`, generated report 8503).
    for heading in ["DP126 ,", "DP126 .", "DP126", "SECMP 0126", "SEC MP126"] {
        let r = read(&june_with(&[(
            "DP126\n\nDP126 ‘Smart meter consumer data access and control’ was raised by Ed Rees from Citizens Advice\non 11 May 2020.",
            &format!("{heading}\nEd Rees (Citizens Advice) raised DP126 ‘Smart meter consumer data access and control’\non 11 May 2020."),
        )]));
        assert_eq!(raised(&r), raised(&june), "{heading:?}");
        assert_eq!(raised(&r).len(), 1, "{heading:?}");
    }
}

#[test]
fn a_numeric_date_with_a_space_ocr_set_beside_a_slash_is_read() {
    let june = read(JUNE);
    // "was held on 05/12 /2018" (generated scan 3100): the agenda's eight items lost their date.
    let r = read(&june_with(&[(
        "meeting was held on 3 June 2020, and",
        "meeting was held on 03/06 /2020, and",
    )]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        let held = |r| dates(&events(r, id, "working_group"));
        assert_eq!(held(&r), held(&june), "{id}");
        assert_eq!(held(&r), [day(2020, 6, 3)], "{id}");
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_round_bullet_ocr_read_as_letters_is_a_bullet() {
    let june = read(JUNE);
    // "re SECMP0060 ...", "oe SEC MP078 ...", a quote then "e" (generated scan 3103): the
    // first item, taken for prose, ran the lead-in on and its list was lost.
    // A square bullet read as letters: "ws SEC MP080 ...", "s SEC MPO70 ..." (generated scan
    // 7601), "u SEC MP186 ..." (generated scan 8903).
    for bullet in ["re", "oe", "\u{201c}e", "ws", "s", "u"] {
        let r = read(&june_with(&[(
            "o SECMPO0062 ‘Northbound",
            &format!("{bullet} SECMPO0062 ‘Northbound"),
        )]));
        for id in ["MP062", "MP080"] {
            let planned = |r| dates(&events(r, id, "scheduled_for_release"));
            assert_eq!(planned(&r), planned(&june), "{bullet} {id}");
            assert_eq!(planned(&r).len(), 1, "{bullet} {id}");
        }
        assert_eq!(r.events.len(), june.events.len(), "{bullet}");
    }
    // A word of the language is no bullet: "or MP062" goes on the line above.
    let r = read(&june_with(&[(
        "o SECMPO0062 ‘Northbound",
        "or SECMPO0062 ‘Northbound",
    )]));
    assert!(events(&r, "MP062", "scheduled_for_release").is_empty());
}

#[test]
fn a_square_bullet_read_as_letters_after_an_items_part_keeps_the_list() {
    // Generated scan 7601: `= SECMPO070 "Changes to ..."` / `part 1 . :` / blank / `ws SEC
    // MP080 "Managing DUIS uplifts"` / blank / `= MPO081 ...`: MP080 and MP081 lost their
    // release.
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "Protection’ part 2\n¢ MPO080",
        "Protection’\npart 2 . :\n\nws MPO080",
    )]));
    for id in ["MP062", "MP080", "MP081"] {
        let planned = |r| dates(&events(r, id, "scheduled_for_release"));
        assert_eq!(planned(&r), planned(&june), "{id}");
    }
}

#[test]
fn raised_as_ocr_garbles_it_is_read_in_its_sentence() {
    let june = read(JUNE);
    type Raised = Vec<(Option<Date>, Option<String>, Option<String>)>;
    fn raised(r: &ReportRecords) -> Raised {
        events(r, "MP125", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect()
    }
    // Generated scans 3112 ("was ralsey on 11/11/2019 by Hannah"), 3102 ("was 5 Eised by
    // Simon"), 3004 ("was jalsed by Megan Carr") and 3006 ("was — on 1st June 2020 by Sara
    // Whitfield", the word read as a rule).
    for garbled in ["ralsey", "5 Eised", "jalsed", "\u{2014}"] {
        let r = read(&june_with(&[(
            "was raised by John Noad from Npower",
            &format!("was {garbled} by John Noad from Npower"),
        )]));
        assert_eq!(raised(&r), raised(&june), "{garbled}");
        assert_eq!(raised(&r)[0].1.as_deref(), Some("John Noad"));
        assert_eq!(r.events.len(), june.events.len(), "{garbled}");
    }
    // Specks OCR read between the words, a copyright sign among them (generated scan 7603:
    // `was. © / raised on-Friday 15 June by Tom Woolley (DCC).`).
    for gap in [". \u{a9} ", ".\u{a2} ", " \u{a9}\n"] {
        let r = read(&june_with(&[(
            "was raised by John Noad from Npower",
            &format!("was{gap}raised by John Noad from Npower"),
        )]));
        assert_eq!(raised(&r), raised(&june), "{gap:?}");
    }
    // Another verb is not "raised", nor one of its shape.
    for verb in ["rejected", "caused", "passed"] {
        let r = read(&june_with(&[(
            "was raised by John Noad from Npower",
            &format!("was {verb} by John Noad from Npower"),
        )]));
        assert!(raised(&r).is_empty(), "{verb}");
    }
}

#[test]
fn a_sentence_printing_an_unreadable_id_states_no_fact_of_the_entry_it_sits_under() {
    // "Owen Blake (Wales & West Utilities) raised DP1 70. 'Changes to the SMKI Recovery
    // Procedure' on 19 April 2021." under DP169's heading (generated scan 3002): MP169 was
    // given DP170's proposer and date.
    let june = read(JUNE);
    let proposer_first = |id: &str| {
        read(&june_with(&[(
            "DP125 ‘Correcting the ESME variant’ was raised by John Noad from Npower on 7 May 2020.",
            &format!("John Noad from Npower raised {id} ‘Correcting the ESME variant’ on 7 May 2020."),
        )]))
    };
    let raised = |r: &ReportRecords| {
        events(r, "MP125", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(raised(&june), [(day(2020, 5, 7), Some("John Noad".into()))]);
    // Digits that are the entry's (DP125's): its fact, as before.
    assert_eq!(raised(&proposer_first("DP1 25")), raised(&june));
    // Another number's: no fact of the entry, and a diagnostic says why.
    let r = proposer_first("DP1 70");
    assert!(raised(&r).is_empty());
    assert_eq!(r.events.len(), june.events.len() - 1);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("unreadable (digits \"170\")")));
}

#[test]
fn an_assessment_type_with_the_tables_rule_glued_after_it_keeps_its_row() {
    // The May 2020 scan: `| MP105 | PA| 4 May 20| 15 WD | 9 WD |`, its open PA row lost.
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "SECMP0024 PA 21 Feb 20 15 WD 193 WD",
        "| SECMP0024 | PA| 21 Feb 20| 15 WD | 193 WD |",
    )]));
    assert_eq!(assessment_rows(&r), assessment_rows(&june));
}

#[test]
fn assessment_cells_and_headings_as_a_scan_reads_them_keep_their_rows() {
    // Generated scan 7100: `Returned Assessments :` and `_Actuat duration` (its returned rows
    // read as open ones), a lone `A` for IA (the I lost), `40d`, `25 wd`, `15 WwD`.
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "Modification Type Returned Target duration Actual duration",
            "Returned Assessments :\n\nModification Type Returned Target duration _Actuat duration",
        ),
        (
            "SECMP0015 1A 30 Apr 20 40 WD 266 WD",
            "SECMP0015 A 30 Apr 20 40d 266 wd",
        ),
        (
            "SECMP0024 PA 21 Feb 20 15 WD 193 WD",
            "SECMP0024 PA 21 Feb 20 15 WwD 193 wa",
        ),
    ]));
    let rows = |r: &ReportRecords| {
        r.assessments
            .iter()
            .map(|a| {
                (
                    a.modification.id.to_string(),
                    a.table,
                    a.assessment_type,
                    a.date,
                    a.target_wd,
                    a.duration_wd,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&r), rows(&june));
    let mp015 = rows(&june)
        .into_iter()
        .find(|a| a.0 == "MP015")
        .expect("MP015's returned row");
    assert_eq!((mp015.4, mp015.5), (Some(40), Some(266)));
}

#[test]
fn a_stop_ocr_set_inside_a_proposers_name_keeps_the_raised_fact() {
    // "was raised on 01/03/2021 by Easton. Brown (DCC)." (generated scan 3004): the fact
    // was lost, a name holding no stop.
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "was raised by John Noad from Npower on 7 May 2020.",
        "was raised on 7 May 2020 by John. Noad (Npower).",
    )]));
    let raised: Vec<_> = events(&r, "MP125", "raised")
        .iter()
        .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
        .collect();
    assert_eq!(
        raised,
        [(
            day(2020, 5, 7),
            Some("John Noad".into()),
            Some("Npower".into())
        )]
    );
    assert_eq!(r.events.len(), june.events.len());
    // Two words after a stop are the next sentence's: no name.
    let r = read(&june_with(&[(
        "was raised by John Noad from Npower on 7 May 2020.",
        "was raised on 7 May 2020 by John Noad. It was (then) withdrawn.",
    )]));
    assert!(events(&r, "MP125", "raised").is_empty());
}

#[test]
fn a_title_goes_on_past_a_gap_a_scan_opened_inside_it() {
    let june = read(JUNE);
    // "* MPO82 'Defining the Smart Meter Device Assurance (SMDA) Scheme -" / gap /
    // "Self-Governance arrangements'" (generated scan 3120): the title's end read as prose
    // ended the Working Group's list.
    let r = read(&june_with(&[(
        "e MP095 ‘Alignment of SEC Credit Cover’",
        "e MP095 ‘Alignment of SEC\n\nCredit Cover’",
    )]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        let held = |r| dates(&events(r, id, "working_group"));
        assert_eq!(held(&r), held(&june), "{id}");
        assert_eq!(held(&r), [day(2020, 6, 3)], "{id}");
    }
    let title = &events(&r, "MP095", "working_group")[0].title;
    assert_eq!(title.as_deref(), Some("Alignment of SEC Credit Cover"));
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn marks_ocr_set_in_and_before_an_organisation_are_not_kept() {
    let june = read(JUNE);
    // "the-Technical Architecture and Business Architecture - Sub-Committee (TABASC)"
    // (generated scan 3122).
    let r = read(&june_with(&[(
        "on behalf of the\nSecurity Sub-Committee (SSC)",
        "on behalf of the-Security\n- Sub-Committee (SSC)",
    )]));
    let org = |r: &ReportRecords| {
        events(r, "MP127", "raised")
            .iter()
            .map(|e| e.organisation.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(org(&r), org(&june));
    assert_eq!(org(&r), [Some("Security Sub-Committee (SSC)".to_string())]);
}

#[test]
fn an_item_ending_on_a_year_does_not_run_on_into_the_lead_in_below() {
    let june = read(JUNE);
    // "- approved on 25 November 2019" / gap / "The following modifications are currently
    // with the Authority awaiting a decision:" (generated report 3120): a year ends a date.
    let r = read(&june_with(&[(
        "was approved on 26 May 2020 for\nimplementation one Working Day following approval",
        "was approved on\n26 May 2020",
    )]));
    let with_authority = |r| events(r, "MP088", "with_authority").len();
    assert_eq!(with_authority(&r), with_authority(&june));
    assert_eq!(with_authority(&r), 1);
    assert_eq!(
        dates(&events(&r, "MP130", "authority_approved")),
        [day(2020, 5, 26)]
    );
}

#[test]
fn the_logos_words_between_a_lead_in_and_its_list_are_furniture() {
    let june = read(JUNE);
    // "Smart Energy Code", the logo's words at the head of the page the list goes on
    // (generated report 3123).
    let r = read(&june_with(&[(
        "and included the following\nmodifications:\n",
        "and included the following\nmodifications:\n\nSmart Energy Code\n",
    )]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        let held = |r| dates(&events(r, id, "working_group"));
        assert_eq!(held(&r), held(&june), "{id}");
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_thin_letter_ocr_read_between_a_phrases_words_is_tolerated() {
    let june = read(JUNE);
    // "approved for implementation i in the November 2018 SEC Release" (generated scan
    // 3110): a release list of seven lost.
    let r = read(&june_with(&[(
        "approved for implementation in the November 2020 Release",
        "approved for implementation i in the November 2020 Release",
    )]));
    for id in ["MP062", "MP080"] {
        let planned = |r| dates(&events(r, id, "scheduled_for_release"));
        assert_eq!(planned(&r), planned(&june), "{id}");
        assert_eq!(planned(&r).len(), 1, "{id}");
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_days_digit_ocr_read_as_a_letter_before_its_ordinal_is_read() {
    // "The Working Group met on Ist August 2018" (generated scan 3110).
    let r = read(&june_with(&[(
        "meeting was held on 3 June 2020, and",
        "meeting was held on Ist June 2020, and",
    )]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        let held = dates(&events(&r, id, "working_group"));
        assert_eq!(held, [day(2020, 6, 1)], "{id}");
    }
}

#[test]
fn a_proposer_in_brackets_is_not_read_past_into_the_next_sentence() {
    // "was raised on 11/11/2019 by Hannah Vickers (Utilita)." with the problem statement run
    // on into its paragraph (generated report 3112, its paragraph gap narrow): the "of" of a
    // later sentence made a raised fact more, its proposer the whole text between.
    let r = read(&june_with(&[(
        "was raised by John Noad from Npower on 7 May 2020.\n\nA gaining",
        "was raised on 7 May 2020 by John Noad (Npower).\nFollowing implementation of \
         SECMP0049 \u{2018}Section D Review: Amendments to the Modification Process\u{2019}, the \
         SEC is in conflict.\n\nA gaining",
    )]));
    let raised: Vec<_> = events(&r, "MP125", "raised")
        .iter()
        .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
        .collect();
    assert_eq!(
        raised,
        [(
            day(2020, 5, 7),
            Some("John Noad".to_string()),
            Some("Npower".to_string())
        )]
    );
    let raised_count = |r: &ReportRecords| {
        r.events
            .iter()
            .filter(|e| e.event.name() == "raised")
            .count()
    };
    assert_eq!(raised_count(&r), raised_count(&read(JUNE)));
}

#[test]
fn raised_read_as_a_shorter_word_or_beside_ocrs_stops_keeps_its_fact() {
    let june = read(JUNE);
    let raised = |r: &ReportRecords| -> Vec<(Option<Date>, Option<String>, Option<String>)> {
        events(r, "MP125", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect()
    };
    let want = vec![(
        day(2020, 5, 7),
        Some("John Noad".to_string()),
        Some("Npower".to_string()),
    )];
    assert_eq!(raised(&june), want);
    let sentence = "was raised by John Noad from Npower on 7 May 2020.";
    for (printed, scan) in [
        // `rais` read as a shorter word, a stop after the date (generated scans 7901, 8301).
        (
            "was paced on Thursday 7 May 2020.\nby John Noad from Npower.",
            "7901",
        ),
        ("was iced on 7th May 2020 by\nJohn Noad of Npower.", "8301"),
        // A semicolon for the comma after an organisation (generated scan 8103).
        ("was raised by John Noad, Npower; on 7 May 2020.", "8103"),
    ] {
        let r = read(&june_with(&[(sentence, printed)]));
        assert_eq!(raised(&r), want, "{scan}: {printed:?}");
        assert_eq!(r.events.len(), june.events.len(), "{scan}");
    }
    // Words of other shapes are other verbs, not "raised".
    for verb in ["placed", "used", "passed", "caused"] {
        let r = read(&june_with(&[(
            sentence,
            &format!("was {verb} on 7 May 2020 by John Noad of Npower."),
        )]));
        assert!(raised(&r).is_empty(), "{verb}");
    }
}

#[test]
fn an_id_heading_with_a_quote_ocr_set_after_it_is_a_heading_not_an_item() {
    // `SECMP0043 '` over "‘Jack Thornton (Smart Energy GB) raised SECMP0043 ‘Modification to
    // Services Force Majeure Provisions' on Thursday 24 August." (generated scan 8001): read
    // as an item with no title, the heading swallowed the sentence, and its raised fact.
    let june = read(JUNE);
    let raised = |r: &ReportRecords| -> Vec<(Option<Date>, Option<String>, Option<String>)> {
        events(r, "MP126", "raised")
            .iter()
            .map(|e| (e.date, e.proposer.clone(), e.organisation.clone()))
            .collect()
    };
    for heading in ["DP126 '", "DP126 \u{2018}", "DP126 \""] {
        let r = read(&june_with(&[(
            "DP126\n\nDP126 ‘Smart meter consumer data access and control’ was raised by Ed Rees from Citizens Advice\non 11 May 2020.",
            &format!("{heading}\n‘Ed Rees (Citizens Advice) raised DP126 ‘Smart meter consumer data access and control’\non 11 May 2020."),
        )]));
        assert_eq!(raised(&r), raised(&june), "{heading:?}");
        assert_eq!(raised(&r).len(), 1, "{heading:?}");
    }
}

#[test]
fn appendix_a_under_numbered_headings_and_a_colon_title_is_read() {
    let june = read(JUNE);
    // The DCC's headings numbered ("1 Introduction", "3 DCC Assessment Delivery Dates"), its
    // title set "Appendix A: ..." and the introduction's "production of" / "Preliminary"
    // wrapped (generated reports 5100 and 5104, digital and scanned): no Appendix A was read.
    let r = read(&june_with(&[
        (
            " Introduction\n",
            "Appendix A: DCC Preliminary Assessments and\nImpact Assessments Update\n1 Introduction\n",
        ),
        (
            "the production of Preliminary Assessments (PAS)\nand",
            "the production of\nPreliminary Assessments (PAS) and",
        ),
        (" Key and Definitions\n", "2 Key and Definitions\n"),
        (" DCC Assessment Delivery Dates\n", "3 DCC Assessment Delivery Dates\n"),
    ]));
    let rows = |r: &ReportRecords| {
        r.dcc_status
            .iter()
            .map(|d| format!("{} {:?}", d.modification.id, d.table))
            .collect::<Vec<_>>()
    };
    assert!(rows(&june).len() > 40);
    assert_eq!(rows(&r), rows(&june));
}

#[test]
fn an_item_ending_on_its_part_does_not_run_on_into_the_lead_in_below() {
    let june = read(JUNE);
    // "MP189 "Smart Metering Equipment ... v5 uplift" part 1" as a list's last item, a gap,
    // then the next lead-in (generated report 5115, digital): "part 1" was read as a line
    // stopping mid-phrase, so the lead-in ran into the item and its list took the list
    // above's event.
    let part1 = "e SECMPO0062 \u{2018}Northbound Application Traffic Management \u{2014} Alert Storm Protection\u{2019} part 1\n\n";
    let mp114 = "e MP114 \u{2018}Alt HAN P2P Charging Data\u{2019} (implemented on 7 May 2020)\n\n";
    let r = read(&june_with(&[(
        &format!("{part1}{mp114}"),
        &format!("{mp114}{part1}"),
    )]));
    let implemented = |r| dates(&events(r, "MP130", "implemented"));
    assert_eq!(implemented(&r), implemented(&june));
    assert_eq!(implemented(&r), [day(2020, 5, 27)]);
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn the_running_head_between_a_lead_in_and_its_list_is_furniture() {
    let june = read(JUNE);
    // "Change Status Report - March 2022" at the head of the page the list goes on
    // (generated reports 5112 and 5115, digital: seven items of a release and a vote lost).
    let r = read(&june_with(&[(
        "and included the following\nmodifications:\n",
        "and included the following\nmodifications:\n\nChange Status Report - June 2020\n",
    )]));
    for id in ["MP095", "MP102B", "MP105", "MP122"] {
        let held = |r| dates(&events(r, id, "working_group"));
        assert_eq!(held(&r), held(&june), "{id}");
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn a_speck_ocr_read_on_a_line_of_its_own_inside_a_list_does_not_end_it() {
    let june = read(JUNE);
    // A ";" alone between two items, blank lines round it (generated scan 5114: the
    // February 2021 release list lost its eight items after the first).
    let r = read(&june_with(&[(
        "e MP081 \u{2018}Alignment of DUIS",
        ";\n\ne MP081 \u{2018}Alignment of DUIS",
    )]));
    for id in ["MP081", "MP093", "MP112", "MP115"] {
        let planned = |r| dates(&events(r, id, "scheduled_for_release"));
        assert_eq!(planned(&r), planned(&june), "{id}");
        assert_eq!(planned(&r).len(), 1, "{id}");
    }
    assert_eq!(r.events.len(), june.events.len());
}

#[test]
fn on_before_a_raised_date_as_ocr_misreads_it() {
    let june = read(JUNE);
    // "was raised by Simon Crouch of Utiligroup en 14 November 2022." (generated scan 5108).
    let r = read(&june_with(&[
        (
            "was raised by John Noad from Npower on 7 May 2020.",
            "was raised by John Noad from Npower en 7 May 2020.",
        ),
        (
            "was raised by Earl Richards of Cadent Gas on\n11 May 2020.",
            "was raised by Earl Richards of Cadent Gas an\n11 May 2020.",
        ),
    ]));
    assert_eq!(raised(&r), raised(&june));
    assert!(raised(&june).len() >= 4);
}

#[test]
fn by_before_a_proposer_as_ocr_misreads_it() {
    let june = read(JUNE);
    // "was raised hy Tom Woolley from DCC on 13th September 2021" (generated scan 9805).
    let r = read(&june_with(&[
        (
            "was raised by John Noad from Npower on 7 May 2020.",
            "was raised hy John Noad from Npower on 7 May 2020.",
        ),
        (
            "was raised by Earl Richards of Cadent Gas on\n11 May 2020.",
            "was raised bv Earl Richards of Cadent Gas on\n11 May 2020.",
        ),
    ]));
    assert_eq!(raised(&r), raised(&june));
}

#[test]
fn a_raised_date_whose_month_ocr_garbled_or_beside_a_tilde_keeps_its_day() {
    let june = read(JUNE);
    // "was raised by Simon Crouch from Utiligroup on Monday 26 agust." (generated image-only
    // scan 9900) and "of the DCC on ~ / 26 November 2019." (scan 9902): both lost their date.
    let r = read(&june_with(&[
        (
            "was raised by John Noad from Npower on 7 May 2020.",
            "was raised by John Noad from Npower on Thursday 7 rnav.",
        ),
        (
            "was raised by Earl Richards of Cadent Gas on\n11 May 2020.",
            "was raised by Earl Richards of Cadent Gas on ~\n11 May 2020.",
        ),
    ]));
    assert_eq!(raised(&r), raised(&june));
    let noad = events(&r, "MP125", "raised");
    assert!(noad[0].date_repaired && noad[0].date_inferred, "{noad:?}");
}

#[test]
fn the_appendix_named_in_the_covers_attachments_does_not_start_there() {
    let june = read(JUNE);
    // The attachment's bullet lost and the Summary's heading read with a mark after it
    // ("1.Summary -", generated scan 5105): the Summary, Refine and the votes were read as
    // the appendix, and their lists lost.
    let r = read(&june_with(&[(
        "e Appendix A: DCC Preliminary Assessments and Impact Assessments update\n 1. Summary\n",
        "Appendix A: DCC Preliminary Assessments and Impact Assessments update\n 1.Summary -\n",
    )]));
    assert!(june.events.len() > 40);
    assert_eq!(r.events.len(), june.events.len());
    assert_eq!(r.dcc_status.len(), june.dcc_status.len());
}

#[test]
fn a_decision_stated_in_a_sentence_is_no_lead_in_for_the_paragraph_after_it() {
    // Generated report 7401's Decisions: one sentence a decision, no list after it.
    let r = read(&june_with(&[(
        "The Change Board approved two Modification Proposals under Self-Governance this month:\n\n\
         ¢ MP080 ‘Managing DUIS uplifts’\n\ne MP115 ‘Changes to the NSCS Good Practice Guides’\n",
        "The Change Board approved MP080 ‘Managing DUIS uplifts’ under Self-Governance on 22 May 2020.\n\
         MP115 'Changes to the NSCS Good Practice Guides' was withdrawn by its\n\
         Proposer on 29 May 2020.\n",
    )]));
    // (The June text dates MP080's approval elsewhere too.)
    assert!(dates(&events(&r, "MP080", "change_board_approved")).contains(&day(2020, 5, 22)));
    assert_eq!(dates(&events(&r, "MP115", "withdrawn")), [day(2020, 5, 29)]);
    let approved = dates(&events(&r, "MP115", "change_board_approved"));
    assert!(!approved.contains(&day(2020, 5, 29)), "{approved:?}");
}

#[test]
fn a_raised_fact_with_specks_ocr_made_of_marks_keeps_its_date() {
    // Generated scan 7401: `was raised ¢ on Friday" 17 September 2021 by Victoria Stone
    // (SECAS).`; scan 7301: `on 16th , October 2017`.
    let r = read(&june_with(&[
        (
            "DP125 ‘Correcting the ESME variant’ was raised by John Noad from Npower on 7 May 2020.",
            "DP125 ‘Correcting the ESME variant’ was raised ¢ on Thursday\" 7 May 2020 by John Noad (Npower).",
        ),
    ]));
    let raised = events(&r, "MP125", "raised");
    assert_eq!(dates(&raised), [day(2020, 5, 7)]);
    assert_eq!(raised[0].proposer.as_deref(), Some("John Noad"));
    assert_eq!(raised[0].organisation.as_deref(), Some("Npower"));
}

#[test]
fn a_subheading_ocr_set_right_over_a_sentence_is_not_the_proposers_name() {
    // Generated image scan 7403: `New Draft Proposals` / `John Noad (Npower) raised SECMP0047
    // ...`, no blank line between them.
    let r = read(&june_with(&[(
        "New Draft Proposals\nDP125\nDP125 ‘Correcting the ESME variant’ was raised by John Noad from Npower on 7 May 2020.",
        "New Draft Proposals\nJohn Noad (Npower) raised DP125 ‘Correcting the ESME variant’ on 7 May 2020.",
    )]));
    let raised = events(&r, "MP125", "raised");
    assert_eq!(dates(&raised), [day(2020, 5, 7)]);
    assert_eq!(raised[0].proposer.as_deref(), Some("John Noad"));
}

#[test]
fn a_returned_header_wrapped_cell_by_cell_still_names_its_table() {
    // Generated report 7500: no heading, and each header cell wrapped, so no line holds
    // `Returned` and `Target` and `Actual`: `returned Target` names it.
    // Its scan's OCR: `Modification Type Date Target Actual` / `returned duration duration`.
    let june_returned = read(JUNE)
        .assessments
        .iter()
        .filter(|a| a.table.name() == "returned")
        .count();
    for header in [
        "Modification Type Date\nreturned Target\nduration Actual\nduration\n",
        "Modification Type Date Target Actual\nreturned duration duration\n",
        // A quote mark OCR read before a word (image scan 7500, whose returned rows then
        // went on the open table).
        "Modification ‘Type Date Target Actual\nreturned duration duration\n",
        // A speck OCR read before the first cell (generated scan 9003, a layer with gaps
        // between its lines: its returned rows went on the open table).
        ". Modification Type Date Target Actual\n\nreturned duration duration\n",
    ] {
        let r = read(&june_with(&[(
            "Modification Type Returned Target duration Actual duration\n",
            header,
        )]));
        let returned: Vec<String> = r
            .assessments
            .iter()
            .filter(|a| a.table.name() == "returned")
            .map(|a| a.modification.id.to_string())
            .collect();
        assert!(
            returned.contains(&"MP015".to_string()),
            "{header}: {returned:?}"
        );
        assert_eq!(returned.len(), june_returned, "{header}");
    }
}

#[test]
fn a_change_board_decision_naming_an_id_apart_from_its_prefix_is_read() {
    // Generated report 7500: `The Change Board approved SEC MP029 '...' under Self-Governance
    // on 27th September 2017.`
    let r = read(&june_with(&[(
        "The Change Board approved two Modification Proposals under Self-Governance this month:\n\n\
         ¢ MP080 ‘Managing DUIS uplifts’\n\ne MP115 ‘Changes to the NSCS Good Practice Guides’\n",
        "The Change Board approved SEC MP080 'Managing DUIS uplifts' under Self-Governance on\n\
         22nd May 2020.\n",
    )]));
    assert!(dates(&events(&r, "MP080", "change_board_approved")).contains(&day(2020, 5, 22)));
}

#[test]
fn a_dcc_row_whose_id_ocr_damaged_keeps_its_neighbours_titles_and_takes_the_id_the_report_gives() {
    // The June 2020 scan's layer: `9007 and PPMIDs IA in progress ...` and `1105 assessment
    // request`. MP109 took `Firmware updates to IHDs 9007 and PPMIDs` into its title, and both
    // rows were lost.
    let june = read(JUNE);
    let row = |r: &ReportRecords, id: &str| {
        r.dcc_status
            .iter()
            .find(|row| row.modification.id.to_string() == id)
            .map(|row| (row.status, row.dates.clone(), row.title.clone()))
    };
    let damaged = [
        (
            "0007 and PPMIDs IA in progress",
            "9007 and PPMIDs IA in progress",
        ),
        ("105 assessment request", "1105 assessment request"),
    ];
    let r = read(&june_with(&damaged));
    for id in ["MP007", "MP105", "MP109", "MP024"] {
        assert!(row(&june, id).is_some(), "{id}");
        assert_eq!(row(&r, id), row(&june, id), "{id}");
    }
    let repaired: Vec<_> = r
        .dcc_status
        .iter()
        .filter(|row| row.modification.repaired)
        .map(|row| {
            (
                row.modification.id.to_string(),
                row.modification.raw.to_string(),
            )
        })
        .collect();
    assert_eq!(
        repaired,
        [
            ("MP007".into(), "9007".into()),
            ("MP105".into(), "1105".into())
        ]
    );
    assert!(codes(&r, DiagnosticCode::DccRowIdUnread).is_empty());
    assert_eq!(
        codes(&r, DiagnosticCode::IdRepaired).len(),
        2 + codes(&june, DiagnosticCode::IdRepaired).len()
    );
    // Where the report names no id one digit from the number (its assessment row of MP007
    // printed as another's), the row stays out, says so, and its neighbours keep their titles.
    let r = read(&june_with(&[
        damaged[0],
        ("SECMP0007 1A 6 Feb 20", "SECMP0008 1A 6 Feb 20"),
    ]));
    assert_eq!(row(&r, "MP007"), None);
    assert_eq!(row(&r, "MP109"), row(&june, "MP109"));
    assert_eq!(r.dcc_status.len(), june.dcc_status.len() - 1);
    assert_eq!(codes(&r, DiagnosticCode::DccRowIdUnread).len(), 1);
}

#[test]
fn blank_lines_a_scans_layer_sets_inside_rows_do_not_move_a_title_to_the_next_row() {
    // The June 2020 scan's layer: a blank line under `0066 Consignment of ...` and another
    // above `h P 9 assessment ...` (the digital text has neither). MP066's `Communications
    // Hubs.` went to MP015, whose own first line (`GPF timestam for readin No outstanding`)
    // starts its row.
    let june = read(JUNE);
    let r = read(&june_with(&[
        (
            "01/10/2019 request\nL request\n",
            "01/10/2019 request\n\nL request\n",
        ),
        (
            "No outstanding No outstanding\nh P 9",
            "No outstanding No outstanding\n\nh P 9",
        ),
    ]));
    let title = |r: &ReportRecords, id: &str| {
        r.dcc_status
            .iter()
            .find(|row| row.modification.id.to_string() == id)
            .and_then(|row| row.title.clone())
    };
    assert_eq!(
        title(&june, "MP066").as_deref(),
        Some("Advanced Shipment Notifications (ASN) for Consignment of Communications Hubs")
    );
    for id in ["MP066", "MP015", "MP046", "MP093"] {
        assert_eq!(title(&r, id), title(&june, id), "{id}");
    }
}

#[test]
fn an_assessment_row_whose_year_ocr_glued_to_its_month_keeps_its_date() {
    // Generated scan 9905's returned assessments: `~ SECMPO0018 : 7 PA 9 Feb17 : 25 WD 30 wD`
    // (lost as unread: `9 Feb` had no year).
    let june = read(JUNE);
    let r = read(&june_with(&[(
        "SECMP0007 1A 6 Feb 20 40 WD 82 WD",
        "~ SECMP0007 : 7 1A 6 Feb20 : 40 WD 82 wD",
    )]));
    assert_eq!(assessment_rows(&r), assessment_rows(&june));
    assert!(codes(&r, DiagnosticCode::TableRowUnread).is_empty());
}

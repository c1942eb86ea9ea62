//! The report model: a report's pages of text into typed records - mentions, events,
//! assessments, DCC statuses - each traced to its page and line, and diagnostics for what
//! could not be read.
//!
//! One pass over the content lines tracks where it is (section, the table whose rows follow,
//! the lead-in whose list follows, the modification whose entry it is in) and hands each line
//! or paragraph to the reader for its kind: `lists` for items and prose, `tables` for rows.
//! The words that decide all of this are data (`grammars/report.toml`).
//!
//! Depends on `grammar` only.

mod capture_pattern;
pub mod cell_repair;
mod comment_beside;
pub mod cover;
mod gated_set;
pub mod grid;
pub mod layout;
mod line_set;
pub mod lists;
mod lost_ids;
pub mod paragraphs;
mod pattern_set;
pub mod positioned;
pub mod records;
pub mod restated;
mod ruled_text;
mod status_twice;
pub mod tables;
pub mod vocabulary;

use crate::grammar::{Date, Grammar, IdPrefix};
pub use layout::Page;
use layout::{content_lines, Line};
use lists::{
    id_heading, item_event, item_start, last_sentence, line_mentions, listed_item_start,
    provenance, read_lead_in, read_started_item, sentence_events, strip_bullet,
    strip_bullet_marker, ItemStart, LeadIn, Paragraph, ParagraphBuffers,
};
pub use records::*;
use tables::{read_assessment_row, read_dcc_row, row_id_in_cell, RowId};
pub use vocabulary::ReportVocabulary;
use vocabulary::{LeadInDate, LeadInRule, PhraseRules, Section};

/// What every reader in the model needs: the vocabularies and the report's date (for years
/// printed without one).
#[derive(Debug, Clone, Copy)]
pub struct ExtractContext<'v> {
    pub grammar: &'v Grammar,
    pub vocab: &'v ReportVocabulary,
    pub report_date: Option<Date>,
}

/// Reads one report's pages into records.
pub fn extract_report(
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    pages: &[Page],
) -> ReportRecords {
    let lines = content_lines(pages, vocab);
    let info = cover::read_cover(&lines, pages, grammar, vocab);
    let ctx = ExtractContext {
        grammar,
        vocab,
        report_date: info.report_date,
    };
    let mut out = ReportRecords {
        info,
        ..ReportRecords::default()
    };
    if let Some(note) = &out.info.note {
        out.diagnostics.push(Diagnostic {
            at: None,
            severity: Severity::Warning,
            code: DiagnosticCode::ReportDateChecked,
            message: note.clone(),
        });
    }
    if out.info.report_date.is_none() {
        out.diagnostics.push(Diagnostic {
            at: None,
            severity: Severity::Warning,
            code: DiagnosticCode::NoReportDate,
            message: "no report date found on the cover; years cannot be inferred".into(),
        });
    }
    let mut findings = Vec::new();
    // Most lines with a digit hold an id at most: the mentions are sized once.
    out.mentions
        .reserve(lines.iter().filter(|l| l.may_hold_id).count());
    // The index of the line each of these mentions is on (in line order).
    let mut mention_lines = Vec::new();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.may_hold_id) {
        line_mentions(
            &ctx,
            line,
            &mut findings,
            &mut out.mentions,
            &mut out.diagnostics,
        );
        mention_lines.resize(out.mentions.len(), i);
    }
    // The walk gives these mentions the titles items give them.
    let walked = walk(&ctx, pages, &lines, &mut out, &mention_lines);

    for m in &mut out.mentions {
        if m.modification.repaired {
            out.diagnostics.push(Diagnostic {
                at: Some(m.at.clone()),
                severity: Severity::Info,
                code: DiagnosticCode::IdRepaired,
                message: format!(
                    "{:?} read as {} (OCR repair)",
                    m.modification.raw, m.modification.id
                ),
            });
        }
    }
    // (After the mentions' repairs are said: these say their own, with why.)
    lost_ids::give_ids(&ctx, walked.lost_ids, walked.lost_text_rows, &mut out);
    // (After the lost rows' diagnostics are rewritten where they stand.)
    retract(&mut out.diagnostics, walked.retracted);
    lower_by_word_confidence(pages, &mut out);
    out.events = restated::merge_restated(std::mem::take(&mut out.events));
    for e in &out.events {
        for &(flagged, severity, code, before, after) in &DATE_FLAGS {
            if !flagged(e) {
                continue;
            }
            let date = e.date.map(|d| d.to_string()).unwrap_or_default();
            out.diagnostics.push(Diagnostic {
                at: Some(e.at.clone()),
                severity,
                code,
                message: format!(
                    "{} {}: {before}{date}{after}",
                    e.modification.id,
                    e.event.name()
                ),
            });
        }
    }
    out
}

/// A record read from words OCR was unsure of is as unsure: its confidence is at most the
/// mean confidence of the words on its line (tesseract's, 0..1). Words a text layer gave
/// (digital, or an OCR layer another tool wrote) carry 1 and change nothing.
fn lower_by_word_confidence(pages: &[Page], out: &mut ReportRecords) {
    // (page, line) -> (sum of its words' confidence, its words), for pages OCR'd by secreg.
    let mut by_line: std::collections::HashMap<(u32, u32), (f32, f32)> = Default::default();
    for page in pages {
        let Some(words) = &page.words else { continue };
        if words.words.iter().all(|w| w.confidence >= 1.) {
            continue;
        }
        for w in &words.words {
            let sum = by_line.entry((page.number, w.line)).or_insert((0., 0.));
            sum.0 += w.confidence;
            sum.1 += 1.;
        }
    }
    if by_line.is_empty() {
        return;
    }
    let mean_on = |at: &Provenance| {
        by_line
            .get(&(at.page, at.line))
            .map_or(1., |(sum, n)| sum / n)
    };
    for e in &mut out.events {
        e.confidence = e.confidence.min(mean_on(&e.at));
    }
    for a in &mut out.assessments {
        a.confidence = a.confidence.min(mean_on(&a.at));
    }
    for r in &mut out.dcc_status {
        r.confidence = r.confidence.min(mean_on(&r.at));
    }
}

/// What an event's date may be flagged with, each said in a diagnostic: the flag, the
/// diagnostic's severity and code, and its message's words before and after the date.
type DateFlag = (
    fn(&Event) -> bool,
    Severity,
    DiagnosticCode,
    &'static str,
    &'static str,
);
const DATE_FLAGS: [DateFlag; 3] = [
    (
        |e| e.date_repaired,
        Severity::Info,
        DiagnosticCode::DateRepaired,
        "the date was read as ",
        " after repairing OCR damage in it",
    ),
    (
        |e| e.weekday_mismatch,
        Severity::Warning,
        DiagnosticCode::WeekdayMismatch,
        "the weekday printed with ",
        " does not fall on it (the date is kept as printed)",
    ),
    (
        |e| e.date_inferred,
        Severity::Info,
        DiagnosticCode::YearInferred,
        "the year of ",
        " was not printed; inferred from the report date",
    ),
];

/// What a line is, worked out once per line: the walk and the paragraph ends ask about most
/// lines more than once.
#[derive(Debug, Clone, Copy, Default)]
struct LineFacts {
    /// The item the line starts (an index into [`Facts::item_starts`]).
    item_start: Option<u32>,
    id_heading: bool,
    /// The id a table row would start with (an index into [`Facts::row_ids`]).
    row_id: Option<u32>,
    /// No row id, but a number where one would be (checked only without a row id).
    unreadable_row_id: bool,
}

impl LineFacts {
    /// Lines that always start something new: a section heading, an item, an id heading, a
    /// table header or a table row.
    fn starts_something_new(&self, line: &Line) -> bool {
        let structure = &line.structure;
        structure.section.is_some()
            || self.starts_item()
            || self.id_heading
            || structure.open_header
            || structure.returned_header
            || self.row_id.is_some()
    }

    fn starts_item(&self) -> bool {
        self.item_start.is_some()
    }

    /// A row's id, read or damaged: a line that starts a table row.
    fn starts_row(&self) -> bool {
        self.row_id.is_some() || self.unreadable_row_id
    }
}

/// The facts of every line, and the row ids and item starts read on the way: a table row's
/// readers need its id again, an item's reader its id and where its title starts. (Kept
/// apart from the facts, which stay small: most lines start no row and no item.)
struct Facts {
    lines: Vec<LineFacts>,
    row_ids: Vec<RowId>,
    item_starts: Vec<ItemStart>,
}

/// An item and the items its tail holds, each an id then a quoted title: a layer that set
/// a list's items on one line (generated scan 9704: `SECMP0023 "Correct Units of Measure for
/// Uncontrolled Gas Flow Rate" SECMP0024 "Enduring Approach to ..." SECMP0026 "..."`, three
/// Working Group items lost in the first one's tail).
fn items_run_together(ctx: &ExtractContext, first: lists::Item) -> Vec<lists::Item> {
    let mut items = vec![first];
    while let Some(next) = items
        .last()
        .filter(|item| item.title.is_some())
        .and_then(|item| lists::read_item(ctx, item.tail.trim_start()))
        .filter(|next| next.title.is_some() && !next.title_unclosed)
    {
        items.last_mut().expect("an item").tail.clear();
        items.push(next);
    }
    items
}

/// Whether the lines read so far stand in a list: after a lead-in (a line ending with a
/// colon) or an item, until a paragraph that starts with neither (a line after a blank one).
#[derive(Default)]
struct ListState {
    in_a_list: bool,
    after_blank: bool,
}

impl ListState {
    /// The state after `line` (an item's line sets it again).
    fn after(&mut self, line: &Line) {
        if line.is_blank() {
            self.after_blank = true;
            return;
        }
        if line.plain().trim_end().ends_with(':') {
            self.in_a_list = true;
        } else if self.after_blank {
            self.in_a_list = false;
        }
        self.after_blank = false;
    }
}

impl Facts {
    fn of(ctx: &ExtractContext, lines: &[Line]) -> Facts {
        let mut row_ids = Vec::new();
        let mut item_starts = Vec::new();
        let mut section = None;
        let mut list = ListState::default();
        let lines = lines
            .iter()
            .map(|line| {
                if line.structure.section.is_some() {
                    section = line.structure.section;
                }
                let listed = list.in_a_list;
                list.after(line);
                // Every fact here starts with an id (a blank line holds none).
                if !line.may_hold_id {
                    return LineFacts::default();
                }
                let cell = tables::without_borders(line.plain());
                let row_id = row_id_in_cell(ctx, line.plain(), cell).map(|r| {
                    row_ids.push(r);
                    row_ids.len() as u32 - 1
                });
                // Appendix A is read row by row (`appendix_line`): only where rows start
                // matters there, never items or headings.
                let in_appendix = section == Some(Section::AppendixA);
                let item_start = (!in_appendix)
                    .then(|| item_start(ctx, line))
                    .flatten()
                    .or_else(|| (!in_appendix && listed).then(|| listed_item_start(ctx, line))?)
                    .inspect(|_| list.in_a_list = true)
                    .map(|s| {
                        item_starts.push(s);
                        item_starts.len() as u32 - 1
                    });
                LineFacts {
                    item_start,
                    id_heading: !in_appendix && id_heading(ctx, line).is_some(),
                    unreadable_row_id: row_id.is_none()
                        && unreadable_row_id_in_cell(ctx, cell).is_some(),
                    row_id,
                }
            })
            .collect();
        Facts {
            lines,
            row_ids,
            item_starts,
        }
    }

    /// The item line `i` starts.
    fn item_start(&self, i: usize) -> Option<&ItemStart> {
        self.lines[i]
            .item_start
            .map(|k| &self.item_starts[k as usize])
    }

    /// The id line `i` would start a table row with.
    fn row_id(&self, i: usize) -> Option<&RowId> {
        self.lines[i].row_id.map(|k| &self.row_ids[k as usize])
    }
}

impl std::ops::Index<usize> for Facts {
    type Output = LineFacts;

    fn index(&self, i: usize) -> &LineFacts {
        &self.lines[i]
    }
}

/// Where the walk is.
struct WalkState<'v> {
    section: Option<Section>,
    lead: Option<LeadIn<'v>>,
    subject: Option<crate::grammar::IdMatch>,
    assessment_table: Option<AssessmentTable>,
    dcc_table: Option<DccTable>,
    /// The table being read from word positions, if any.
    open_table: Option<positioned::OpenTable>,
    /// The line of the last Appendix A table header, and the rows read as text since (their
    /// titles are rebuilt from the lines around them once the walk is done).
    dcc_header_at: usize,
    /// The columns of the table's ruled header, where it printed one (`| SECMP# | Title |`).
    ruled_columns: Option<ruled_text::RuledColumns>,
    text_rows: Vec<tables::TextRow>,
    /// The DCC rows read by positions but for their ids ([`lost_ids`]).
    lost_ids: Vec<lost_ids::LostIdRow>,
    /// The DCC rows read as text but for their ids, among the report's rows until the
    /// titles are rebuilt.
    lost_text_rows: Vec<lost_ids::PendingTextRow>,
    /// The diagnostics of rows read again whole ([`positioned::TableOutput::retracted`]).
    retracted: Vec<usize>,
    /// The last page a table read from positions was looked for at the top of.
    continuation_tried: u32,
}

/// What the walk leaves to do once the mentions are final: the DCC rows read but for their ids
/// (for [`lost_ids`]), and the diagnostics of rows read again whole, to drop.
struct Walked {
    lost_ids: Vec<lost_ids::LostIdRow>,
    lost_text_rows: Vec<lost_ids::LostTextRow>,
    retracted: Vec<usize>,
}

/// Drops the diagnostics at `retracted` (indices into `diagnostics`).
fn retract(diagnostics: &mut Vec<Diagnostic>, mut retracted: Vec<usize>) {
    if retracted.is_empty() {
        return;
    }
    retracted.sort_unstable();
    let mut index = 0;
    diagnostics.retain(|_| {
        index += 1;
        retracted.binary_search(&(index - 1)).is_err()
    });
}

/// Reads the report's lines in order (sections, lists, prose, tables).
fn walk<'v>(
    ctx: &ExtractContext<'v>,
    pages: &[Page],
    lines: &[Line],
    out: &mut ReportRecords,
    mention_lines: &[usize],
) -> Walked {
    let mut st = WalkState {
        section: None,
        lead: None,
        subject: None,
        assessment_table: None,
        dcc_table: None,
        open_table: None,
        dcc_header_at: 0,
        ruled_columns: None,
        text_rows: Vec::new(),
        lost_ids: Vec::new(),
        lost_text_rows: Vec::new(),
        retracted: Vec::new(),
        continuation_tried: 0,
    };
    let facts = Facts::of(ctx, lines);
    // Each row id starts one row at most (of the DCC tables or the assessment tables): the
    // row vectors are sized once, not grown row by row.
    out.dcc_status.reserve(facts.row_ids.len());
    out.assessments.reserve(facts.row_ids.len());
    // Each paragraph's text is built in the buffers of the one before.
    let mut buffers = ParagraphBuffers::default();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_blank() {
            i += 1;
            continue;
        }
        let fact = facts[i];
        if let Some(section) = line.structure.section {
            st = WalkState {
                section: Some(section),
                lead: None,
                subject: None,
                assessment_table: None,
                dcc_table: None,
                open_table: None,
                dcc_header_at: i,
                ruled_columns: None,
                text_rows: std::mem::take(&mut st.text_rows),
                lost_ids: std::mem::take(&mut st.lost_ids),
                lost_text_rows: std::mem::take(&mut st.lost_text_rows),
                retracted: std::mem::take(&mut st.retracted),
                continuation_tried: 0,
            };
            // A heading that starts a section and names a table (`DCC Assessment Delivery
            // Dates` starts Appendix A where its own heading is lost) starts the table too:
            // generated image-only scan 8103's page 9, whose header lost every cell the
            // table is known by, had no other line to start it, and its 12 rows were lost.
            if line.structure.dcc_table.is_none() || section != Section::AppendixA {
                i += 1;
                continue;
            }
        }
        if let Some(next) = positioned_table(ctx, pages, lines, i, &mut st, out) {
            i = next;
            continue;
        }
        if st.section == Some(Section::AppendixA) {
            i = appendix_line(ctx, lines, &facts, i, &mut st, out);
            continue;
        }
        if line.structure.open_header {
            st.assessment_table = Some(AssessmentTable::Open);
            i += 1;
            continue;
        }
        if line.structure.returned_header {
            st.assessment_table = Some(AssessmentTable::Returned);
            i += 1;
            continue;
        }
        if let (Some(table), Some(row)) = (st.assessment_table, facts.row_id(i)) {
            let id = &row.id;
            match read_assessment_row(ctx, table, line, row) {
                Some(a) => {
                    if id.prefix == IdPrefix::None {
                        out.mentions.push(Mention {
                            at: provenance(line),
                            modification: ModRef::from(id),
                            title: None,
                        });
                    }
                    out.assessments.push(a);
                }
                None => out.diagnostics.push(Diagnostic {
                    at: Some(provenance(line)),
                    severity: Severity::Warning,
                    code: DiagnosticCode::TableRowUnread,
                    message: format!(
                        "{} starts a row of the {} assessments table that could not be read",
                        id.id,
                        table.name()
                    ),
                }),
            }
            i += 1;
            continue;
        }
        // An item or a prose paragraph: each is read for its kind, then both for the
        // sentences their wording holds.
        let (end, paragraph, phrases) = if let Some(start) = facts.item_start(i) {
            let end = paragraph_end(ctx, lines, &facts, i + 1, ParagraphKind::Item);
            let paragraph = Paragraph::in_buffers(&lines[i..end], std::mem::take(&mut buffers));
            let item = read_started_item(ctx, start, &paragraph.text);
            // An item without a bullet after bulleted ones goes on their list (OCR drops
            // bullets: generated scan 3001 reads page 9's items with theirs and page 10's
            // "MP097 "Amendments to the Smart Meter Key ..."" without), unless what follows its
            // title is a sentence: then it is prose that starts with an id and its title
            // ("MP095 'Alignment of SEC Credit Cover' was withdrawn by the Proposer on ..."),
            // and the list has ended.
            let after_bulleted = st.lead.as_ref().and_then(|l| l.items_bulleted) == Some(true);
            if !start.bulleted && after_bulleted && tail_is_a_sentence(&item.tail) {
                st.lead = None;
            }
            if let Some(lead) = &mut st.lead {
                lead.items_bulleted.get_or_insert(start.bulleted);
            }
            for item in items_run_together(ctx, item) {
                if let Some(t) = &item.title {
                    let line_pass = &mut out.mentions[..mention_lines.len()];
                    title_mentions(line_pass, mention_lines, i, &item.id.raw, t);
                }
                if let Some(lead) = &st.lead {
                    if let Some(e) = item_event(ctx, lead, item, line, &mut out.diagnostics) {
                        out.events.push(e);
                    }
                }
            }
            let phrases = ctx.vocab.phrases_in(&paragraph.text);
            (end, paragraph, phrases)
        } else if let Some(id) = fact.id_heading.then(|| id_heading(ctx, line)).flatten() {
            st.subject = Some(id);
            st.lead = None;
            i += 1;
            continue;
        } else {
            let end = paragraph_end(ctx, lines, &facts, i + 1, ParagraphKind::Prose);
            let paragraph = Paragraph::in_buffers(&lines[i..end], std::mem::take(&mut buffers));
            // Specks OCR read as marks on a line of their own (";" between two items of a
            // release list, generated scan 5114) are no paragraph: they end no list.
            if !paragraph.text.contains(char::is_alphanumeric) {
                buffers = paragraph.into_buffers();
                i = end;
                continue;
            }
            // A paragraph that introduces a list (ends with a colon) but whose wording no rule
            // knows keeps the lead-in of the heading just above it: OCR may have damaged the
            // wording, and the heading says what the list is.
            let introduces_list = introduces_a_list(&paragraph.text);
            let phrases = ctx.vocab.phrases_in(&paragraph.text);
            // A sentence that states its own fact and introduces nothing is no lead-in: `The
            // Change Board approved MP164 '...' under Self-Governance on 22 September 2021.`
            // gave the next paragraph, `MP142 '...' was withdrawn by its Proposer on ...`,
            // an approval (generated report 7401).
            let (lead_in, lead_text) = lead_in_of(ctx, &paragraph.text, &phrases, introduces_list);
            st.lead = match lead_in {
                Some(rule) => {
                    let lead = read_lead_in(ctx, rule, lead_text);
                    out.diagnostics
                        .extend(lead_in_date_unread(&lead, lead_text, &paragraph));
                    out.diagnostics
                        .extend(lead_in_release_unread(&lead, lead_text, &paragraph));
                    Some(lead)
                }
                // A list whose wording no rule knows keeps the lead-in just above it, if that
                // has no items yet (a heading that says what the list is). After a list of
                // its own, the lead-in would give this list's items its events: they get none,
                // and a diagnostic says so.
                None if introduces_list => match st.lead.take() {
                    Some(lead) if lead.items_bulleted.is_none() => Some(lead),
                    Some(_) => {
                        out.diagnostics.push(unknown_list(&paragraph));
                        None
                    }
                    None => None,
                },
                // A bulleted paragraph that starts no item (OCR damaged its id: `MP O77`) is
                // still an item of the list: the items after it keep the lead-in.
                None if looks_like_an_item(ctx, &paragraph.text) => {
                    let lead = st.lead.take();
                    out.diagnostics
                        .extend(lead.as_ref().map(|l| unread_item(l, line)));
                    lead
                }
                None => None,
            };
            (end, paragraph, phrases)
        };
        read_sentences(
            ctx,
            &paragraph,
            &phrases.sentences,
            st.subject.as_ref(),
            out,
        );
        buffers = paragraph.into_buffers();
        i = end;
    }
    let said_of_lost = tables::rebuild_text_titles(
        ctx,
        lines,
        &st.text_rows,
        &mut out.dcc_status,
        &mut out.diagnostics,
    );
    for (index, said) in said_of_lost {
        if let Some(row) = st.lost_text_rows.iter_mut().find(|r| r.index == index) {
            row.aside.push(said);
        }
    }
    Walked {
        lost_ids: st.lost_ids,
        lost_text_rows: lost_ids::take_lost_text_rows(st.lost_text_rows, &mut out.dcc_status),
        retracted: st.retracted,
    }
}

/// The lead-in rule a prose paragraph's wording matches, if it starts a list, and the text
/// that says it. A sentence that states its own fact and introduces nothing is no lead-in:
/// `The Change Board approved MP164 '...' under Self-Governance on 22 September 2021.` gave
/// the next paragraph, `MP142 '...' was withdrawn by its Proposer on ...`, an approval
/// (generated report 7401). Where such a sentence comes before the one that introduces the
/// list, the lead-in is that last sentence, its rule and date its own (generated report 8700:
/// `The Change Board approved MP161B '...' under Self-Governance on 25 August 2021. The
/// Authority issued a determination on one Modification Proposal this month:` gave the
/// determination listed below it the Change Board's approval on 25 August).
fn lead_in_of<'v, 't>(
    ctx: &ExtractContext<'v>,
    text: &'t str,
    phrases: &PhraseRules<'v>,
    introduces_list: bool,
) -> (Option<&'v LeadInRule>, &'t str) {
    if !introduces_list {
        return (
            phrases.lead_in.filter(|_| phrases.sentences.is_empty()),
            text,
        );
    }
    let last = last_sentence(text);
    if !phrases.sentences.is_empty() && last.len() < text.len() {
        let own = ctx.vocab.phrases_in(last);
        if own.sentences.is_empty() && own.lead_in.is_some() {
            return (own.lead_in, last);
        }
    }
    (phrases.lead_in, text)
}

/// True when a paragraph ends with a colon, as a list's lead-in does: after a word, not
/// after a title's closing quote, where the colon is a speck OCR read beside it (generated
/// scan 9504: `+ MpP201 ‘Incorporation of ... into the SEC - Batch 8’ :`, an item whose id
/// OCR damaged, ended its working group list, whose six items after it lost their events).
fn introduces_a_list(text: &str) -> bool {
    let Some(before) = text.trim_end_matches([' ', '.']).strip_suffix(':') else {
        return false;
    };
    !before.trim_end().ends_with(['\'', '’', '"', '”', '°'])
}

/// True when the words after an item's title are a sentence of their own ("was withdrawn by
/// the Proposer on 8 June 2020."): three words or more from a lower-case one, where an item's
/// own tail is a part ("part 2"), a bracket ("(implemented on 09/11/2020)") or a dash
/// ("- approved").
fn tail_is_a_sentence(tail: &str) -> bool {
    let mut words = tail.split_whitespace();
    let first = words.next().unwrap_or("");
    first.starts_with(|c: char| c.is_lowercase()) && first != "part" && words.nth(1).is_some()
}

/// True when a paragraph that starts no item still looks like one: it starts with a bullet
/// and holds a quoted title or a number of two digits or more, as a damaged id leaves
/// (`¢ MP O77 'DCC Service Flagging'`). A heading OCR printed a mark before (`_ 5.
/// Releases`) does not.
fn looks_like_an_item(ctx: &ExtractContext, text: &str) -> bool {
    let (rest, bulleted) = strip_bullet(ctx.vocab, text);
    let bytes = rest.as_bytes();
    bulleted
        && (memchr::memchr2(b'\'', b'"', bytes).is_some()
            || bytes.windows(2).any(|w| w.iter().all(u8::is_ascii_digit)))
}

/// Says that a paragraph under a lead-in that looks like an item of its list names no
/// modification whose id could be read: the lead-in's event is not recorded for it.
fn unread_item(lead: &LeadIn, line: &Line) -> Diagnostic {
    Diagnostic {
        at: Some(provenance(line)),
        severity: Severity::Warning,
        code: DiagnosticCode::ListItemIdUnread,
        message: format!(
            "a list item under the {:?} lead-in names no modification id that could be read (OCR damage?): no event recorded for it",
            lead.rule.name
        ),
    }
}

/// The last line of a paragraph: a lead-in's own line, which ends in its colon (a heading
/// above may have joined the paragraph).
fn last_line<'l>(paragraph: &Paragraph<'l>) -> &'l Line<'l> {
    paragraph.line_at(paragraph.text.trim_end().len().saturating_sub(1))
}

/// Says that a paragraph introduces a list (it ends with a colon) in words no lead-in rule of
/// `grammars/report.toml` knows, after another list: the list's items get no events (rather
/// than the other list's).
fn unknown_list(paragraph: &Paragraph) -> Diagnostic {
    Diagnostic {
        at: Some(provenance(last_line(paragraph))),
        severity: Severity::Info,
        code: DiagnosticCode::ListLeadInUnknown,
        message: "a paragraph introduces a list in words no lead-in rule knows: its items get no events (a new wording is a lead_in pattern in grammars/report.toml)".into(),
    }
}

/// Says that a lead-in dated by its text prints a number but no day a date could be read
/// from ("on 27 Mxv 2020:"): OCR likely damaged the date, and its items' events are undated.
/// (One that prints no number, "this month", is undated as printed: nothing to say.)
fn lead_in_date_unread(lead: &LeadIn, text: &str, paragraph: &Paragraph) -> Option<Diagnostic> {
    let damaged = lead.rule.date == LeadInDate::Text
        && lead.date.is_none()
        && text.bytes().any(|b| b.is_ascii_digit());
    damaged.then(|| Diagnostic {
        at: Some(provenance(last_line(paragraph))),
        severity: Severity::Warning,
        code: DiagnosticCode::LeadInDateUnread,
        message: format!(
            "the {:?} lead-in prints a number but no day that could be read as a date (OCR damage?): the events of its items are undated",
            lead.rule.name
        ),
    })
}

/// Says that a lead-in prints a year's release (`2020 SEC Release`) but no name a release
/// could be read as (`the ha 2020 SEC Release`, the May 2020 gap layer's): OCR likely
/// garbled its month, and its items' events name no release.
fn lead_in_release_unread(lead: &LeadIn, text: &str, paragraph: &Paragraph) -> Option<Diagnostic> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let names_one = words.windows(2).enumerate().any(|(i, w)| {
        let release = w[1].trim_end_matches(|c: char| !c.is_alphanumeric()) == "Release";
        let year = |word: &str| word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit());
        release && words[i.saturating_sub(2)..=i].iter().any(|w| year(w))
    });
    (names_one && lead.release.is_none()).then(|| Diagnostic {
        at: Some(provenance(last_line(paragraph))),
        severity: Severity::Warning,
        code: DiagnosticCode::LeadInReleaseUnread,
        message: format!(
            "the {:?} lead-in prints a year's Release but no release name that could be read (OCR damage?): the events of its items name no release",
            lead.rule.name
        ),
    })
}

/// Gives the mentions of an id printed on line `i` the title an item there gives it (a later
/// item on the line wins). `mention_lines` is the line of each mention, in line order, so
/// line `i`'s are found by halving.
fn title_mentions(
    mentions: &mut [Mention],
    mention_lines: &[usize],
    i: usize,
    raw: &str,
    title: &str,
) {
    let from = mention_lines.partition_point(|&l| l < i);
    let on_line = mention_lines[from..]
        .iter()
        .take_while(|&&l| l == i)
        .count();
    for m in &mut mentions[from..from + on_line] {
        if m.modification.raw == raw {
            m.title = Some(title.to_string());
        }
    }
}

/// The events a paragraph's sentences yield under `rules`, added to `out`.
fn read_sentences(
    ctx: &ExtractContext,
    paragraph: &Paragraph,
    rules: &[&vocabulary::SentenceRule],
    subject: Option<&crate::grammar::IdMatch>,
    out: &mut ReportRecords,
) {
    let events = sentence_events(ctx, paragraph, rules, subject, &mut out.diagnostics);
    out.events.extend(events);
}

/// A paragraph of prose (a lead-in, a sentence) or a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParagraphKind {
    Prose,
    Item,
}

/// True when a line ends a sentence (or a lead-in's colon). Marks OCR makes of specks after
/// the stop do not count ("...by the end of the rollout. [", generated scan 3005, whose
/// paragraph otherwise ran on into "DP 104 'Sharing Consumption Data ...' was raised by").
fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\'' | '"' | ')' | ']' | '[' | '|' | '_' | '~')
    })
    .ends_with(['.', ':', ';', '!', '?'])
}

/// True when a line stops on a word that cannot end a sentence or a title: a connecting word
/// from the vocabulary ("...of Cadent Gas on", "...on behalf of the") or a day's number ("on
/// 22"). A year ends a date, and may end an item ("- approved on 25 November 2019" / gap /
/// "The following modifications are currently with the Authority awaiting a decision:",
/// generated report 3120, whose item ran on into that lead-in and lost its list). So does an
/// item's part ("... v5 uplift\" part 1", generated report 5115: the next lead-in ran into
/// the item, and its list took the list above's event).
fn stops_mid_phrase(vocab: &ReportVocabulary, text: &str) -> bool {
    let mut words = text.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    let a_part = words.next().is_some_and(|w| w.eq_ignore_ascii_case("part"));
    (last.len() <= 2 && last.chars().all(|c| c.is_ascii_digit()) && !a_part)
        || vocab
            .continuation_words
            .iter()
            .any(|w| w.eq_ignore_ascii_case(last))
}

/// True when an item's line is a sentence after its title cut mid-way: after the line's last
/// quote a sentence has begun ([`tail_is_a_sentence`]) and the line ends in a word ("DP 104
/// 'Sharing Consumption Data with Smart Energy Services Providers' was raised by Megan Carr
/// of Secure" / "Meters on 4 November 2019.", generated scan 3005, a gap opened between the
/// two). A tail that is no sentence ("- approved", May 2020) ends the item there.
fn runs_on_past_its_title(text: &str) -> bool {
    let Some(close) = text.rfind(['\'', '"']) else {
        return false;
    };
    // A comma ends no sentence: "... was raised by Tom Woolley," / gap / "DCC, on Monday 21
    // June." (generated scan 7802, whose raising was lost).
    text.trim_end()
        .ends_with(|c: char| c.is_alphanumeric() || c == ',')
        && tail_is_a_sentence(&text[close + 1..])
}

/// True when an item's lines so far open its title and do not close it (one quote), and the
/// line `next` closes it: the title goes on past a gap a scan opened inside it ("* MPO82
/// 'Defining the Smart Meter Device Assurance (SMDA) Scheme -" / gap / "Self-Governance
/// arrangements'", generated scan 3120, where the title's end read as a paragraph of prose
/// and ended the Working Group's list of ten after its third item). A degree sign glued to
/// the line's last word is the closing quote as OCR reads it (`- DP212 'Incorporation of
/// ... SEC - Batch` / gap / `19°`, generated scan 8801: three items after it lost their
/// events).
fn closes_its_title(item: &[Line], next: &Line) -> bool {
    let quotes = |l: &Line| {
        l.plain()
            .bytes()
            .filter(|b| matches!(b, b'\'' | b'"'))
            .count()
    };
    let degree_closes = || {
        let mut end = next.plain().trim_end().chars().rev();
        end.next() == Some('°') && end.next().is_some_and(char::is_alphanumeric)
    };
    item.iter().map(quotes).sum::<usize>() == 1 && (quotes(next) >= 1 || degree_closes())
}

/// A quote mark in a line: whether it opens (`‘`, `“`, or a straight one with a space or the
/// line's start before it and a word after) or closes (`’`, `”`, or a straight one after a
/// word, before a space, a stop or the line's end); `None` for an apostrophe (`don't`).
fn quote_side(before: Option<char>, mark: char, after: Option<char>) -> Option<bool> {
    let word = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let opens_after = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    match mark {
        '\u{2018}' | '\u{201c}' => Some(true),
        '\u{2019}' | '\u{201d}' if word(before) && opens_after(after) => None,
        '\u{2019}' | '\u{201d}' => Some(false),
        '\'' | '"' if !word(before) && opens_after(after) => Some(true),
        '\'' | '"' if word(before) && !opens_after(after) => Some(false),
        _ => None,
    }
}

/// The opening (`true`) and closing quote marks of a line, in order.
fn quote_marks(text: &str) -> impl Iterator<Item = bool> + '_ {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).filter_map(move |i| {
        if !matches!(
            chars[i],
            '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' | '\'' | '"'
        ) {
            return None;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        quote_side(before, chars[i], chars.get(i + 1).copied())
    })
}

/// Whether a line ends inside a quote it opened (its last mark opens one): a title wrapped
/// onto the next line.
fn leaves_quote_open(text: &str) -> bool {
    quote_marks(text).last() == Some(true)
}

/// Whether a line's first quote mark closes one (the rest of a title the line above opened).
fn closes_quote_first(text: &str) -> bool {
    quote_marks(text).next() == Some(false)
}

/// Whether a paragraph's first line is a heading of its own over `next`: a few words, each
/// capitalised, no digit and no stop, and the next line starts in upper case. OCR of a page
/// image sets no blank line under a subheading (generated image scan 7403: `New Draft
/// Proposals` / `John Noad (Npower) raised SECMP0047 ...`, read as the proposer `New Draft
/// Proposals John Noad`).
fn heads(first: &Line, next: &Line) -> bool {
    let words: Vec<&str> = first.plain().split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(char::is_alphabetic))
        && next.plain().starts_with(|c: char| c.is_uppercase())
        // (Over a list's lead-in it stays with it: the heading says what a list in words no
        // rule knows is, `Decisions` / `The following decisions were made this month:`.)
        && !next.plain().trim_end().ends_with(':')
}

/// How many words make a line a wrapped line of running text rather than a heading.
const RUNNING_TEXT_WORDS: usize = 8;

/// Where a paragraph that started before `from` ends. It ends at a line that starts something
/// new, and at a blank line - except where scans put blank lines inside a paragraph: a long
/// line that stops mid-sentence, or one that leaves a quoted title open when the next line
/// closes it, goes on after the blank (prose), and an item goes on with a line that starts in
/// lower case ("the November 2020 SEC Release.") or after a line that stops mid-phrase.
fn paragraph_end(
    ctx: &ExtractContext,
    lines: &[Line],
    facts: &Facts,
    from: usize,
    kind: ParagraphKind,
) -> usize {
    let mut end = from;
    let mut j = from;
    while j < lines.len() {
        let l = &lines[j];
        if l.is_blank() {
            let last = &lines[end - 1];
            let next = lines[j..].iter().find(|l| !l.is_blank());
            let goes_on = match (kind, next) {
                (_, None) => false,
                (ParagraphKind::Prose, Some(n)) => {
                    (!ends_sentence(last.plain())
                        && last
                            .plain()
                            .split_whitespace()
                            .nth(RUNNING_TEXT_WORDS - 1)
                            .is_some())
                        || (leaves_quote_open(&last.text) && closes_quote_first(&n.text))
                }
                (ParagraphKind::Item, Some(n)) => {
                    !ends_sentence(last.plain())
                        && (n.plain().starts_with(|c: char| c.is_lowercase())
                            || stops_mid_phrase(ctx.vocab, last.plain())
                            || runs_on_past_its_title(last.plain())
                            || closes_its_title(&lines[from - 1..end], n))
                }
            };
            if !goes_on {
                break;
            }
            j += 1;
            continue;
        }
        let object_of_sentence =
            kind == ParagraphKind::Prose && runs_into_its_id(&lines[end - 1], facts.item_start(j));
        if (facts[j].starts_something_new(l) && !object_of_sentence)
            || (kind == ParagraphKind::Prose && j == from && heads(&lines[from - 1], l))
            || (kind == ParagraphKind::Item
                && (reads_like_an_item(ctx.vocab, l.plain())
                    || lead_in_follows(ctx, lines, facts, end - 1, j)))
        {
            break;
        }
        j += 1;
        end = j;
    }
    end
}

/// True when a prose line stops mid-sentence on a lower-case word and the line under it
/// starts an item without a bullet: the id and its title are the sentence's words, wrapped
/// ("On Tuesday 12 January the Change Board recommended that the Authority approve" / "MP157
/// 'Alignment of CHTS with GBCS v4.0'.", generated report 7800, whose decision was lost). A
/// list's lead-in ends on its colon, and an item's bullet starts a list however the line
/// above ends.
fn runs_into_its_id(last: &Line, start: Option<&ItemStart>) -> bool {
    let last = last.plain().trim_end();
    start.is_some_and(|s| !s.bulleted)
        && !ends_sentence(last)
        && last.ends_with(|c: char| c.is_lowercase())
}

/// True when a line that starts no item still reads like one: a bullet marker of the
/// vocabulary, then a quoted title (`¢ MP O80 'Managing DUIS uplifts'`, its id damaged). It
/// ends the item before it, whose text it is not.
fn reads_like_an_item(vocab: &ReportVocabulary, text: &str) -> bool {
    strip_bullet_marker(vocab, text)
        .is_some_and(|rest| memchr::memchr2(b'\'', b'"', rest.as_bytes()).is_some())
}

/// True when line `j`, after an item's line `last`, starts a lead-in printed with no blank
/// line above it ("...in the November 2020 SEC Release." or "e MP127 'SMKI RAPP Security
/// screening clarification'" then "The Change Board voted on two modifications on 27 May
/// 2020:"): it ends the item. Such a line starts in upper case after a line that does not
/// stop mid-phrase; the lead-in's words may wrap onto the line after it, which is asked too.
fn lead_in_follows(
    ctx: &ExtractContext,
    lines: &[Line],
    facts: &Facts,
    last: usize,
    j: usize,
) -> bool {
    let line = lines[j].plain();
    if stops_mid_phrase(ctx.vocab, lines[last].plain())
        || !line.starts_with(|c: char| c.is_uppercase())
    {
        return false;
    }
    let mut text = line.to_string();
    if let Some(next) = lines
        .get(j + 1)
        .filter(|n| !n.is_blank() && !facts[j + 1].starts_something_new(n))
    {
        text.push(' ');
        text.push_str(next.plain());
    }
    ctx.vocab.phrases_in(&text).lead_in.is_some()
}

/// A number of four or five digits at the start of a table line that is neither an id nor a
/// year: most likely an id OCR damaged (`9007` for `0007`, `1105` for `105`).
fn unreadable_row_id<'t>(ctx: &ExtractContext, text: &'t str) -> Option<&'t str> {
    unreadable_row_id_in_cell(ctx, tables::without_borders(text))
}

/// [`unreadable_row_id`] given the line's text without its borders.
fn unreadable_row_id_in_cell<'t>(ctx: &ExtractContext, cell: &'t str) -> Option<&'t str> {
    // Such a number starts with a digit; most lines do not.
    if !cell.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let token = tables::first_word(cell)?;
    let digits = token.trim_end_matches(|c: char| !c.is_ascii_digit());
    let (lo, hi) = ctx.grammar.dates.year_range;
    let is_year = digits.parse::<i32>().is_ok_and(|y| (lo..=hi).contains(&y));
    ((4..=5).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !is_year
        && !token.contains('/'))
    .then_some(token)
}

/// A table read from word positions, where line `i` starts one (a table's header, or the top
/// of a page a table read so runs onto): where the walk goes on. `None` where the page has
/// no words or its table does not read from them: the lines are read as text.
fn positioned_table(
    ctx: &ExtractContext,
    pages: &[Page],
    lines: &[Line],
    i: usize,
    st: &mut WalkState,
    out: &mut ReportRecords,
) -> Option<usize> {
    use vocabulary::TableKind;
    let line = &lines[i];
    let structure = &line.structure;
    let in_appendix = st.section == Some(Section::AppendixA);
    let kind = if let (Some(t), true) = (structure.dcc_table, in_appendix) {
        TableKind::Dcc(t)
    } else if structure.open_header {
        TableKind::Assessments(AssessmentTable::Open)
    } else if structure.returned_header {
        TableKind::Assessments(AssessmentTable::Returned)
    } else {
        match &st.open_table {
            Some(t) if t.page != line.page && st.continuation_tried != line.page => {
                // (The other table's heading, further on in the text, is read from.)
                if let Some(j) = positioned::heading_above_rows(ctx, pages, lines, i, t.kind) {
                    if lines[j].structure.dcc_table.is_some() && in_appendix {
                        return positioned_table(ctx, pages, lines, j, st, out);
                    }
                }
                t.kind
            }
            _ => return None,
        }
    };
    let mut bare_ids = Vec::new();
    let mut tables_out = positioned::TableOutput {
        dcc_status: &mut out.dcc_status,
        assessments: &mut out.assessments,
        diagnostics: &mut out.diagnostics,
        bare_ids: &mut bare_ids,
        unread_cells: &mut out.unread_cells,
        lost_ids: &mut st.lost_ids,
        retracted: &mut st.retracted,
    };
    let read = positioned::read_region(
        ctx,
        pages,
        lines,
        i,
        kind,
        st.open_table.as_ref(),
        &mut tables_out,
    );
    let Some(read) = read else {
        // A page the table does not continue onto at its top (its header may be repeated
        // below, or the page holds no row): asked once a page.
        st.continuation_tried = line.page;
        // Another table's header or heading, its table read as text: the table read by
        // positions before it has ended, and no later page continues it. (Generated scan
        // 8202: the returned assessments, read as text from page 6, ran onto page 7, which
        // was read as the open table's continuation from page 5: six rows in the wrong table.)
        if st.open_table.as_ref().is_some_and(|t| t.kind != kind) {
            st.open_table = None;
        }
        return None;
    };
    for (at, id) in bare_ids {
        if id.prefix == IdPrefix::None {
            out.mentions.push(Mention {
                at,
                modification: ModRef::from(&id),
                title: None,
            });
        }
    }
    match kind {
        TableKind::Dcc(t) => st.dcc_table = Some(t),
        TableKind::Assessments(t) => st.assessment_table = Some(t),
    }
    st.open_table = Some(read.table);
    Some(read.next)
}

/// One step of the walk inside Appendix A: a table header, a row (its anchor and the lines up
/// to the next anchor), or a line of no table.
fn appendix_line(
    ctx: &ExtractContext,
    lines: &[Line],
    facts: &Facts,
    i: usize,
    st: &mut WalkState,
    out: &mut ReportRecords,
) -> usize {
    let line = &lines[i];
    let names_table = line.structure.dcc_table;
    if let Some(t) = names_table {
        st.dcc_table = Some(t);
        st.dcc_header_at = i;
        st.ruled_columns = None;
    }
    let Some(table) = st.dcc_table else {
        return i + 1;
    };
    // A ruled header (which may itself be the line that names the table).
    let header = (!facts[i].starts_row())
        .then(|| ruled_text::ruled_header(ctx, table, lines, i, |j| facts[j].starts_row()))
        .flatten();
    if let Some((columns, spans)) = header {
        st.ruled_columns = Some(columns);
        return i + spans;
    }
    if names_table.is_some() {
        return i + 1;
    }
    // Neither a row's id nor a damaged one (the line's facts say): a line of no row.
    if !facts[i].starts_row() {
        return i + 1;
    }
    let Some(row) = facts.row_id(i) else {
        return match unreadable_row_id(ctx, line.plain()) {
            Some(token) => read_text_row_but_its_id(ctx, lines, facts, i, table, token, st, out),
            None => i + 1,
        };
    };
    let end = read_text_row(ctx, lines, facts, i, table, row, st, out);
    if row.id.prefix == IdPrefix::None {
        out.mentions.push(Mention {
            at: provenance(line),
            modification: ModRef::from(&row.id),
            title: None,
        });
    }
    end
}

/// A row whose id OCR damaged past reading (`9007` for `0007`): said, and read whole but for
/// its id, under the number OCR left, so that the rows around it keep to their own lines
/// (the June 2020 scan's MP109 took `Firmware updates to IHDs` / `9007 and PPMIDs` into its
/// title). It is taken out of the report's rows once the titles are rebuilt, and given back
/// only if the report says which id it is ([`lost_ids`]).
#[allow(clippy::too_many_arguments)]
fn read_text_row_but_its_id(
    ctx: &ExtractContext,
    lines: &[Line],
    facts: &Facts,
    i: usize,
    table: DccTable,
    token: &str,
    st: &mut WalkState,
    out: &mut ReportRecords,
) -> usize {
    let line = &lines[i];
    let diagnostic = out.diagnostics.len();
    out.diagnostics.push(Diagnostic {
        at: Some(provenance(line)),
        severity: Severity::Warning,
        code: DiagnosticCode::DccRowIdUnread,
        message: format!(
            "{token:?} starts a line of the {} table like a modification number but is not one (OCR damage?): row not read",
            table.name()
        ),
    });
    let digits: String = token.chars().filter(char::is_ascii_digit).collect();
    let (Ok(number), Some(rest_at)) = (
        digits.parse::<u32>(),
        line.plain().find(token).map(|at| at + token.len()),
    ) else {
        return i + 1;
    };
    let placeholder = crate::grammar::IdMatch {
        id: crate::grammar::ModId::new(number, ""),
        prefix: IdPrefix::None,
        raw: token.into(),
        span: rest_at - token.len()..rest_at,
        repaired: false,
    };
    let row = RowId {
        id: placeholder,
        rest_at,
    };
    let said = out.diagnostics.len();
    let end = read_text_row(ctx, lines, facts, i, table, &row, st, out);
    // (A row read from its ruled cells has no text row: its title is its cell's.)
    let this_row = out.dcc_status.len() - 1;
    if let Some(read) = st.text_rows.last_mut().filter(|r| r.index == this_row) {
        read.lost_id_end = Some(rest_at);
    }
    st.lost_text_rows.push(lost_ids::PendingTextRow {
        index: out.dcc_status.len() - 1,
        printed: token.to_string(),
        diagnostic,
        aside: out.diagnostics.split_off(said),
    });
    end
}

/// Reads the table row line `i` starts (its anchor, and the lines up to the next row) as
/// text: where the walk goes on.
#[allow(clippy::too_many_arguments)]
fn read_text_row(
    ctx: &ExtractContext,
    lines: &[Line],
    facts: &Facts,
    i: usize,
    table: DccTable,
    row: &RowId,
    st: &mut WalkState,
    out: &mut ReportRecords,
) -> usize {
    let line = &lines[i];
    let mut end = i + 1;
    while end < lines.len() {
        let l = &lines[end];
        // A header of the same table inside a row is a repeated column heading (tables read
        // cell by cell repeat them); a header of another table ends the row.
        let other_table = l.structure.dcc_table.is_some_and(|t| t != table);
        // On the next page, the table's header repeated starts the page's rows: they are read
        // from their positions where the page has them (its columns may be readable there,
        // when OCR lost the first page's header printed white on a dark band).
        let next_page_header = l.structure.dcc_table.is_some() && l.page != line.page;
        if !l.is_blank()
            && (facts[end].starts_row()
                || other_table
                || next_page_header
                || l.structure.section.is_some())
        {
            break;
        }
        end += 1;
    }
    // The non-blank lines above the row's up to another row's (a tall row's lines are
    // centred on its id), nearest first.
    let above: Vec<&Line> = (0..i)
        .rev()
        .filter(|&j| !lines[j].is_blank())
        .take_while(|&j| !facts[j].starts_row() && lines[j].structure.dcc_table.is_none())
        .take(tables::LINES_ABOVE_A_ROW)
        .map(|j| &lines[j])
        .collect();
    let previous = lines[..i].iter().rev().find(|l| !l.is_blank());
    if let Some(ruled) = ruled_text::read_ruled_row(
        ctx,
        table,
        st.ruled_columns.as_ref(),
        &lines[i..end],
        row,
        &mut out.diagnostics,
    ) {
        // (Its cells are its header's: no title to rebuild from the lines around it.)
        out.dcc_status.push(ruled);
        return end;
    }
    out.dcc_status.push(read_dcc_row(
        ctx,
        table,
        &lines[i..end],
        row,
        tables::LinesAbove {
            previous,
            above: &above,
        },
        &mut out.diagnostics,
    ));
    st.text_rows.push(tables::TextRow {
        index: out.dcc_status.len() - 1,
        anchor: i,
        header: st.dcc_header_at,
        lost_id_end: None,
    });
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Arc;

    /// A page of positioned text: each line's words (`x`, `y`, text), the page's text its
    /// lines in the order given (an OCR layer's order, not necessarily the page's).
    fn page_of(lines: &[&[(f32, f32, &str)]]) -> (String, crate::reading::words::PageWords) {
        let mut text = String::new();
        let mut words = Vec::new();
        for (k, cells) in lines.iter().enumerate() {
            let line: Vec<&str> = cells.iter().map(|c| c.2).collect();
            text.push_str(&line.join(" "));
            text.push('\n');
            for mut w in grid::tests::words(cells) {
                w.line = k as u32 + 1;
                words.push(w);
            }
        }
        let words = crate::reading::words::PageWords::new(600., 800., words);
        (text, words)
    }

    /// The records of a report of two pages of positioned text ([`page_of`]).
    fn read_two_pages(
        first: (String, crate::reading::words::PageWords),
        second: (String, crate::reading::words::PageWords),
    ) -> ReportRecords {
        let pages = Page::numbered(vec![first.0, second.0], vec![first.1, second.1]);
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        extract_report(g, &vocab, &pages)
    }

    /// A delivery table's header: id, title, status, a date, comments.
    const DELIVERY_HEADER: &[(f32, f32, &str)] = &[
        (10., 60., "SECMP#"),
        (60., 60., "Modification Name"),
        (160., 60., "Status"),
        (240., 60., "Target PA"),
        (320., 60., "DCC Comments"),
    ];

    #[test]
    fn a_page_whose_text_gives_a_new_tables_heading_after_its_rows_starts_that_table() {
        // Generated image-only scan 8103's page 11: the `No system impact assessment` table
        // ends on page 10; page 11 prints the `No further assessment required` table, and
        // tesseract gave `Mod No.`, the ids and the titles before the heading. Read as the
        // table before, the rows went to it, their dates in their titles.
        let first = page_of(&[
            &[(10., 20., "Appendix A: DCC Assessments")],
            &[(
                10.,
                40.,
                "Modifications - No system impact assessment yet requested",
            )],
            &[
                (10., 60., "Mod No."),
                (60., 60., "Modification Title"),
                (240., 60., "DCC Assessment Status"),
                (360., 60., "Comments"),
            ],
            &[
                (10., 80., "0015"),
                (60., 80., "GPF timestamp"),
                (240., 80., "On hold"),
            ],
            &[
                (10., 100., "0020"),
                (60., 100., "Removal of"),
                (240., 100., "On hold"),
            ],
        ]);
        let second = page_of(&[
            &[(10., 60., "Mod No.")],
            &[(10., 80., "0001")],
            &[(10., 100., "0002")],
            &[(10., 120., "0003")],
            &[(60., 80., "Updating the SEC")],
            &[(60., 100., "Add New Command")],
            &[(60., 120., "Devices")],
            &[
                (60., 60., "Title"),
                (180., 60., "Date added"),
                (280., 60., "Status"),
            ],
            &[(
                10.,
                30.,
                "Modifications - No further assessment required by DCC",
            )],
            &[(180., 80., "03/03/2016"), (280., 80., "Implemented")],
            &[(180., 100., "16/03/2016"), (280., 100., "Implemented")],
            &[(180., 120., "13/03/2016"), (280., 120., "Withdrawn")],
        ]);
        let out = read_two_pages(first, second);
        let row = |id: &str| {
            out.dcc_status
                .iter()
                .find(|r| r.modification.id.to_string() == id)
                .unwrap_or_else(|| panic!("no row {id}: {:?}", out.dcc_status))
        };
        assert_eq!(row("MP015").table, DccTable::NotRequested);
        let second_rows = ["MP001", "MP002", "MP003"].map(row);
        assert!(second_rows.iter().all(|r| r.table == DccTable::NoFurther));
        assert_eq!(second_rows[0].title.as_deref(), Some("Updating the SEC"));
        assert_eq!(
            second_rows[1].date_added.map(|d| d.to_string()).as_deref(),
            Some("2016-03-16")
        );
        assert_eq!(
            second_rows[2].status,
            Some(crate::grammar::statuses::DccStatus::Withdrawn)
        );
    }

    #[test]
    fn a_comments_end_under_the_header_repeated_on_the_next_page_ends_its_row() {
        // Generated report 8203 (digital): MP043's comment runs onto page 13, where the
        // header is repeated above it and no id: read as the start of a row to come, it was
        // lost.
        let header = DELIVERY_HEADER;
        let first = page_of(&[
            &[(10., 10., "Appendix A: DCC Assessments")],
            &[(10., 30., "4 Modifications - Implementation Status")],
            header,
            &[
                (10., 80., "0043"),
                (60., 80., "Force Majeure"),
                (160., 80., "Implemented"),
                (240., 80., "15/11/2017"),
                (320., 80., "Approved by the"),
            ],
            &[(320., 90., "Authority on 23 April")],
        ]);
        let second = page_of(&[
            header,
            &[(320., 80., "2018. To be")],
            &[(320., 90., "implemented.")],
            &[(
                10.,
                200.,
                "5 Modifications - No system impact assessment yet requested",
            )],
        ]);
        let out = read_two_pages(first, second);
        assert_eq!(out.dcc_status.len(), 1, "{:?}", out.dcc_status);
        assert_eq!(
            out.dcc_status[0].comment.as_deref(),
            Some("Approved by the Authority on 23 April 2018. To be implemented.")
        );
    }

    #[test]
    fn a_pages_first_lines_with_dates_where_the_last_row_has_its_own_are_no_continuation() {
        // Generated scan 8401: page 13's first row lost its id to OCR; read as the end of
        // page 12's last row, its title, status and dates were joined to MP217's
        // (`01/11/2022 14/01/2021`).
        let header = DELIVERY_HEADER;
        let first = page_of(&[
            &[(10., 10., "Appendix A: DCC Assessments")],
            &[(10., 30., "3 DCC Assessment Delivery Dates")],
            header,
            &[
                (10., 80., "0217"),
                (60., 80., "Batch 24"),
                (160., 80., "PA in progress"),
                (240., 80., "22/11/2022"),
                (320., 80., "Awaiting IA request"),
            ],
        ]);
        let second = page_of(&[
            header,
            &[
                (60., 80., "Mandating Device Alerts"),
                (160., 80., "Implemented"),
                (240., 80., "04/02/2021"),
            ],
            &[(60., 90., "for gas valve closure")],
            &[
                (10., 130., "0149"),
                (60., 130., "Network Operator"),
                (160., 130., "Implemented"),
                (240., 130., "29/01/2021"),
            ],
            &[(60., 140., "access")],
            &[
                (10., 180., "0150"),
                (60., 180., "Changes to"),
                (160., 180., "Implemented"),
                (240., 180., "30/01/2021"),
            ],
            &[(60., 190., "Section L")],
        ]);
        let out = read_two_pages(first, second);
        let ids: Vec<String> = out
            .dcc_status
            .iter()
            .map(|r| r.modification.id.to_string())
            .collect();
        assert_eq!(ids, ["MP217", "MP149", "MP150"], "{:?}", out.dcc_status);
        let first_row = &out.dcc_status[0];
        assert_eq!(first_row.title.as_deref(), Some("Batch 24"));
        let second_row = &out.dcc_status[1];
        assert_eq!(second_row.title.as_deref(), Some("Network Operator access"));
        assert_eq!(
            first_row.dates.pa_target.map(|d| d.to_string()).as_deref(),
            Some("2022-11-22")
        );
        let lost = out
            .diagnostics
            .iter()
            .find(|d| d.code == DiagnosticCode::DccRowIdUnread)
            .expect("the row whose id OCR lost is said");
        assert_eq!(lost.at.as_ref().map(|at| at.page), Some(2));
        assert!(lost.message.contains("MP217"), "{}", lost.message);
    }

    #[test]
    fn a_table_read_as_text_ends_the_table_read_by_positions_before_it() {
        // Generated scan 8202: the open assessments read by positions on page 5, the
        // returned ones read as text from page 6 on; page 7, their continuation, was read as
        // the open table's, and six rows went to the wrong table. (Here page 2 has no words:
        // its table can only be read as text.)
        let header: &[(f32, f32, &str)] = &[
            (10., 40., "Modification"),
            (100., 40., "Type"),
            (160., 40., "Accepted"),
            (240., 40., "Target"),
            (320., 40., "Current"),
        ];
        let row = |y: f32, id: &'static str| -> Vec<(f32, f32, &'static str)> {
            vec![
                (10., y, id),
                (100., y, "PA"),
                (160., y, "2 Dec 19"),
                (240., y, "15 WD"),
                (320., y, "14 WD"),
            ]
        };
        let first = page_of(&[
            &[(10., 20., "Open Assessments")],
            header,
            &row(60., "MP092"),
        ]);
        let third = page_of(&[&row(60., "MP122"), &row(80., "MP123")]);
        let pages = vec![
            Page {
                number: 1,
                text: first.0,
                words: Some(first.1),
            },
            Page {
                number: 2,
                text: "Returned Assessments\nModification Type Returned Target Actual\n\
                       MP105 PA 4 May 20 15 WD 14 WD\n"
                    .into(),
                words: None,
            },
            Page {
                number: 3,
                text: third.0,
                words: Some(third.1),
            },
        ];
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let out = extract_report(g, &vocab, &pages);
        let tables: Vec<(String, AssessmentTable)> = out
            .assessments
            .iter()
            .map(|a| (a.modification.id.to_string(), a.table))
            .collect();
        assert_eq!(
            tables,
            [
                ("MP092".to_string(), AssessmentTable::Open),
                ("MP105".to_string(), AssessmentTable::Returned),
                ("MP122".to_string(), AssessmentTable::Returned),
                ("MP123".to_string(), AssessmentTable::Returned),
            ]
        );
    }

    #[test]
    fn a_modifications_two_pas_on_one_page_are_two_rows() {
        // Generated report 7700 (digital): MP060's PA returned twice, on two dates. (A row
        // read before on the page is not read again; these are not the same row.)
        let page = page_of(&[
            &[(10., 20., "Returned Assessments")],
            &[
                (10., 40., "Modification"),
                (100., 40., "Type"),
                (160., 40., "Returned"),
                (240., 40., "Target"),
                (320., 40., "Actual"),
            ],
            &[
                (10., 60., "MP060"),
                (100., 60., "PA"),
                (160., 60., "7 Dec 18"),
                (240., 60., "25 WD"),
                (320., 60., "27 WD"),
            ],
            &[
                (10., 80., "MP060"),
                (100., 80., "PA"),
                (160., 80., "4 Mar 19"),
                (240., 80., "20 WD"),
                (320., 80., "22 WD"),
            ],
        ]);
        let pages = Page::numbered(vec![page.0], vec![page.1]);
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let out = extract_report(g, &vocab, &pages);
        let dates: Vec<String> = out
            .assessments
            .iter()
            .map(|a| a.date.map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(dates, ["2018-12-07", "2019-03-04"]);
    }

    #[test]
    fn a_section_heading_naming_a_table_starts_the_table() {
        // Generated image-only scan 8103's page 9: `DCC Assessment Delivery Dates` starts
        // Appendix A (its own heading lost) and names the delivery table, whose header OCR
        // read without `Target PA` (the cell the header is otherwise known by). As a section
        // heading alone, it started no table, and the page's rows were lost.
        let page = page_of(&[
            &[(10., 20., "DCC Assessment Delivery Dates")],
            &[
                (10., 60., "Mod No."),
                (60., 60., "Title"),
                (160., 60., "Status"),
                (240., 60., "Actual PA"),
                (320., 60., "Comments"),
            ],
            &[
                (10., 80., "0021"),
                (60., 80., "Increase the"),
                (160., 80., "Implemented"),
                (240., 80., "05/12/2016"),
                (320., 80., "Approved"),
            ],
            &[
                (10., 100., "0032"),
                (60., 100., "Prioritising"),
                (160., 100., "Withdrawn"),
                (240., 100., "31/05/2017"),
            ],
        ]);
        let pages = Page::numbered(vec![page.0], vec![page.1]);
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let out = extract_report(g, &vocab, &pages);
        let ids: Vec<String> = out
            .dcc_status
            .iter()
            .map(|r| r.modification.id.to_string())
            .collect();
        assert_eq!(ids, ["MP021", "MP032"]);
        assert!(out.dcc_status.iter().all(|r| r.table == DccTable::Delivery));
        assert_eq!(out.dcc_status[0].title.as_deref(), Some("Increase the"));
        assert_eq!(
            out.dcc_status[1]
                .dates
                .pa_actual
                .map(|d| d.to_string())
                .as_deref(),
            Some("2017-05-31")
        );
    }

    /// The records of a report of one page of text (no positions).
    fn read_text_page(text: String) -> ReportRecords {
        let pages = [Page {
            number: 1,
            text,
            words: None,
        }];
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        extract_report(g, &vocab, &pages)
    }

    #[test]
    fn a_lists_items_behind_bullets_ocr_read_as_a_letter_or_a_digit_are_its_items() {
        // Generated scans 9705 (`a SECMP0059 ...`, a bullet read as the word `a`) and 9703
        // (`7 'MP208 ...`): each lost its list's items from there. In running text, a word
        // before an id and a title is a word: no item.
        let text = [
            "Working Group meetings",
            "",
            "The Working Group met on Wednesday 3 October 2018 and discussed the following",
            "modifications:",
            "",
            "a SECMP0059 \u{2018}Amendments to SEC Security Assessments for Non-Domestic",
            "Suppliers and Other Users\u{2019}",
            "",
            "= SECMP0060 \u{2018}Amend Requirements to remove devices from SMI\u{2019}",
            "",
            "7 \u{2018}MP063 \"Ensuring correct Network Operator Certificates\"",
            "",
            "The next monthly Working Group meeting will be held on 7 November 2018.",
            "",
            "a SECMP0070 \u{2018}Not an item\u{2019} stands in a paragraph of its own.",
        ]
        .join("\n");
        let out = read_text_page(text);
        let met: Vec<String> = out
            .events
            .iter()
            .filter(|e| e.event == EventKind::WorkingGroup)
            .map(|e| format!("{} {:?}", e.modification.id, e.date.map(|d| d.to_string())))
            .collect();
        let on = Some("2018-10-03".to_string());
        let want: Vec<String> = ["MP059", "MP060", "MP063"]
            .iter()
            .map(|id| format!("{id} {on:?}"))
            .collect();
        assert_eq!(met, want);
    }

    #[test]
    fn items_a_layer_set_on_one_line_are_each_an_item() {
        // Generated scan 9704: the layer set three of a list's items on one line; the
        // first took the others into its tail, and their events were lost.
        let text = [
            "A Working Group meeting was held on 1 February 2017, which included the following modifications:",
            "",
            "= SECMP0019 \"ALCS Description Labels\"",
            "",
            "SECMP0023 \"Correct Units of Measure\" SECMP0024 \u{201c}Enduring Approach\" SECMP0026 \"Changes to the Security Sub-Committee\" i",
            "",
            "Refinement Consultations",
        ]
        .join("\n");
        let out = read_text_page(text);
        let met: Vec<(String, Option<String>)> = out
            .events
            .iter()
            .filter(|e| e.event == EventKind::WorkingGroup)
            .map(|e| (e.modification.id.to_string(), e.title.clone()))
            .collect();
        let want = [
            ("MP019", "ALCS Description Labels"),
            ("MP023", "Correct Units of Measure"),
            ("MP024", "Enduring Approach"),
            ("MP026", "Changes to the Security Sub-Committee"),
        ]
        .map(|(id, title)| (id.to_string(), Some(title.to_string())));
        assert_eq!(met, want);
    }

    #[test]
    fn a_title_quoted_across_two_lines_holds_them_together() {
        // Generated scan 7103, its gaps opened between lines: the raised sentence parted
        // from its date at the title's wrap (and OCR made a stop of a speck after "Issue").
        let above = "Nia Parry from Western Power Distribution raised SECMPO0055 \u{2018}Incorporation of multiple Issue.";
        let below = "Resolution Proposals into the SEC\u{2019} on 21 February 2018.";
        assert!(leaves_quote_open(above));
        assert!(closes_quote_first(below));
        // Straight quotes, as a digital layer prints them.
        assert!(leaves_quote_open("DP190 \"Changes to the CPA Certificate"));
        assert!(closes_quote_first(
            "renewal process\" was raised on 1st November 2021"
        ));
        // A title closed on its own line, an apostrophe, a list item's next id: nothing open.
        assert!(!leaves_quote_open("SECMP0054 \u{2018}Changes to DCC Explicit Charges for Test Houses\u{2019} was raised on"));
        assert!(!leaves_quote_open("Parties' costs and the DCC's don't"));
        assert!(!closes_quote_first(
            "SECMP0051 \u{2018}Section D Review\u{2019}"
        ));
        assert!(!closes_quote_first("The DCC\u{2019}s costs"));
    }

    #[test]
    fn a_raised_sentence_goes_on_past_a_blank_line_inside_its_title() {
        // Generated scan 7103's layer (a blank line between every two lines): the title's
        // first line ends "Issue." (a speck read as a stop), so the sentence looked ended and
        // its date, on the next line, was lost with the raised fact.
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let text = "Change Status Report\n9 March 2018\n\n2. Define\n\nNew Draft Proposals\n\n\
            Nia Parry from Western Power Distribution raised SECMPO0055 \u{2018}Incorporation of multiple Issue.\n\n\
            Resolution Proposals into the SEC\u{2019} on 21 February 2018.\n\n\
            The DCC has identified an inconsistency.\n";
        let pages = vec![Page {
            number: 1,
            text: text.to_string(),
            words: None,
        }];
        let r = extract_report(g, &vocab, &pages);
        let raised: Vec<(String, Option<Date>, Option<&str>)> = r
            .events
            .iter()
            .filter(|e| e.event == EventKind::Raised)
            .map(|e| {
                (
                    e.modification.id.to_string(),
                    e.date,
                    e.organisation.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            raised,
            [(
                "MP055".to_string(),
                Date::new(2018, 2, 21),
                Some("Western Power Distribution")
            )]
        );
    }

    #[test]
    fn records_read_from_one_line_share_one_snippet() {
        let g = Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let text = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let pages = vec![Page {
            number: 1,
            text: text.to_string(),
            words: None,
        }];
        let r = extract_report(g, &vocab, &pages);
        let at = r
            .mentions
            .iter()
            .map(|m| &m.at)
            .chain(r.events.iter().map(|e| &e.at))
            .chain(r.assessments.iter().map(|a| &a.at))
            .chain(r.dcc_status.iter().map(|d| &d.at))
            .chain(r.diagnostics.iter().filter_map(|d| d.at.as_ref()));
        let mut by_line: HashMap<(u32, u32), Vec<&Arc<str>>> = HashMap::new();
        for p in at {
            // The snippet is the line as read (whitespace collapsed).
            let printed = text.lines().nth(p.line as usize - 1).unwrap();
            assert_eq!(
                &*p.snippet,
                printed.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            by_line
                .entry((p.page, p.line))
                .or_default()
                .push(&p.snippet);
        }
        let shared = by_line.values().filter(|s| s.len() > 1).count();
        assert!(shared > 50, "only {shared} lines hold two records or more");
        for snippets in by_line.values() {
            assert!(snippets.iter().all(|s| Arc::ptr_eq(s, snippets[0])));
        }
    }

    /// The delivery rows of a page of text: (id, status, the six dates, title, comment,
    /// how read).
    /// A delivery table's lines under the appendix's heading and the table's.
    fn under_delivery_heading<'l>(lines: &[&'l str]) -> Vec<&'l str> {
        let heading = [
            "Appendix A - DCC Preliminary Assessments and Impact Assessments update",
            "",
            "DCC Assessment Delivery Dates",
            "",
        ];
        heading.iter().chain(lines).copied().collect()
    }

    fn delivery_rows(text: &[&str]) -> Vec<[String; 11]> {
        let out = read_text_page(text.join("\n"));
        let day = |d: Option<Date>| d.map_or(String::new(), |d| d.to_string());
        out.dcc_status
            .iter()
            .map(|r| {
                let d = &r.dates;
                [
                    r.modification.id.to_string(),
                    r.status.map_or("", |s| s.name()).to_string(),
                    day(d.pa_request),
                    day(d.pa_target),
                    day(d.pa_actual),
                    day(d.ia_request),
                    day(d.ia_target),
                    day(d.ia_actual),
                    r.title.clone().unwrap_or_default(),
                    r.comment.clone().unwrap_or_default(),
                    r.read_from.name().to_string(),
                ]
            })
            .collect()
    }

    #[test]
    fn a_ruled_text_tables_cells_fall_into_its_headers_columns_across_wrapped_lines() {
        // The May 2020 report sets its tables as ruled lines, each wrapped where the page
        // ends (its scan's layer with a blank line between each two): MP077's PA actual date
        // and comment stand on the line below its id's, and were lost read as text.
        let text = under_delivery_heading(&[
            "| SECMP# | Title | DCC Assessment Status | PA WG Request Accepted Date | Target PA Delivery Date |",
            "",
            // (The scan's `I` of `IA WG` read as a rule: a header cell of no column.)
            "Actual PA Delivery Date'| |A WG Request Accepted Date | Target IA Delivery Date | Actual IA Delivery Date",
            "",
            "| Comments |",
            "",
            "| 0007 | Firmware updates to IHDs and PPMIDs | IA in progress | N/A | 14/06/2019 | 02/04/2019 |",
            "",
            "30/07/2019 | 19/06/2020 | | |.",
            "",
            "| 0077 | DCC Service Flagging | No outstanding assessment request | 06/11/2019 | 18/12/2019 |",
            "",
            "31/12/2019 | | | | Awaiting IA request |",
        ]);
        let rows = delivery_rows(&text);
        let row = |cells: [&str; 11]| cells.map(str::to_string);
        assert_eq!(
            rows,
            [
                row([
                    "MP007",
                    "ia_in_progress",
                    "",
                    "2019-06-14",
                    "2019-04-02",
                    "2019-07-30",
                    "2020-06-19",
                    "",
                    "Firmware updates to IHDs and PPMIDs",
                    "",
                    "ruled_text",
                ]),
                row([
                    "MP077",
                    "no_outstanding_request",
                    "2019-11-06",
                    "2019-12-18",
                    "2019-12-31",
                    "",
                    "",
                    "",
                    "DCC Service Flagging",
                    "Awaiting IA request",
                    "ruled_text",
                ]),
            ]
        );
    }

    #[test]
    fn a_ruled_text_table_of_other_columns_is_read_by_its_header_and_a_row_a_rule_short_as_text() {
        // The header, not the order tables usually print, says which cell is which: here
        // the comment stands before the status, and the table has two date columns.
        let text = under_delivery_heading(&[
            "| SECMP# | Title | Comments | DCC Assessment Status | Target PA Delivery Date | Actual PA Delivery Date |",
            "| 0092 | New Planned Maintenance methodology | PA delivered late | PA in progress | 05/06/2020 | |",
            "| 0099 | Incorporation of multiple IRPs Batch 4 | | Implemented 17/03/2020 | 02/03/2020 |",
        ]);
        let rows = delivery_rows(&text);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0][1..],
            [
                "pa_in_progress",
                "",
                "2020-06-05",
                "",
                "",
                "",
                "",
                "New Planned Maintenance methodology",
                "PA delivered late",
                "ruled_text",
            ]
            .map(str::to_string)
        );
        // (One rule OCR lost: its cells are not placed one for one, and it is read as text.)
        assert_eq!(rows[1][0], "MP099");
        assert_eq!(rows[1][10], "text");
    }

    #[test]
    fn a_text_rows_status_is_as_printed_and_the_awaited_ia_request_its_comment() {
        // The June 2020 text: status and comment cells wrapped side by side around the id.
        let text = under_delivery_heading(&[
            "SECMP# Title DCC Assessment Status PA WG Request Accepted Date Target PA Delivery Date",
            "Advanced Shipment No outstanding",
            "Notifications (ASN) for Awaiting 1A",
            "0066 Consignment of assessment 08/07/2019 30/07/2019 01/10/2019 request",
            "L request",
            "0092 New Planned Maintenance PA in progress 02/12/2019 05/06/2020 PA in",
            "progress",
            "0067 Management N/A 07/06/2019 05/06/2019 12/02/2020 17/04/2020 12/03/2020 Currently with",
            "Authority for",
            "decision.",
            "0077 DCC Service Flagging No outstanding | 06/11/2019 | 18/12/2019 | 31/12/2019 g\u{2018}g\u{2019}ggg\u{2018}s\u{fb01}\u{2019} IA",
            "CHISM update for Unknown",
            "0106 PA in progress PA in progress",
            "0107 SMETS1 Validation PA in progress",
        ]);
        let rows = delivery_rows(&text);
        assert_eq!(rows.len(), 6);
        let [id, status, pa_request, .., comment, read_from] = &rows[0];
        assert_eq!(
            [id, status, pa_request, comment, read_from],
            [
                "MP066",
                "no_outstanding_request",
                "2019-07-08",
                "Awaiting IA request",
                "text"
            ]
        );
        // A status phrase after the dates is the comment, its last word wrapped below.
        assert_eq!(rows[1][1], "pa_in_progress");
        assert_eq!(rows[1][9], "PA in progress");
        // A comment's first words there, ending open, go on below.
        assert_eq!(rows[2][0], "MP067");
        assert_eq!(rows[2][9], "Currently with Authority for decision.");
        // Other words there (OCR's marks) are no comment: none is made up.
        assert_eq!(rows[3][0], "MP077");
        assert_eq!(rows[3][9], "");
        // A status phrase after the status on a line of no date; not after title words.
        assert_eq!(rows[4][9], "PA in progress");
        assert_eq!(rows[5][9], "");
    }

    #[test]
    fn a_row_read_cell_by_cell_has_for_comment_the_lines_after_its_last_date() {
        // The June 2020 text: each cell a block under the id alone, the columns' headings
        // repeated among them.
        let mut text = under_delivery_heading(&[
            "SECMP# Title DCC Assessment Status PA WG Request Accepted Date Target PA Delivery Date",
            "0053",
            "",
            "Amend Target Response",
            "Times for Service Requests",
            "",
            "DCC",
            "Assessment",
            "",
            "Implemented",
            "",
        ]);
        let dates = [
            "11/02/2019",
            "23/01/2019",
            "01/05/2019",
            "05/08/2019",
            "20/09/2019",
        ];
        for date in dates.iter().chain(&["20/09/2019"]) {
            text.extend([*date, ""]);
        }
        text.extend([
            "Approved by the",
            "Change Board",
            "under Self-",
            "Governance on",
            "20 November",
            "2019.",
        ]);
        let rows = delivery_rows(&text);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            [&rows[0][0], &rows[0][1], &rows[0][7], &rows[0][9]],
            [
                "MP053",
                "implemented",
                "2019-09-20",
                "Approved by the Change Board under Self-Governance on 20 November 2019."
            ]
        );
    }

    #[test]
    fn a_status_printed_twice_around_a_rows_id_is_its_status_and_its_comment() {
        // The June 2020 report typeset (page 16): the status and comment cells print the same
        // phrase side by side, wrapped over the lines around the id; a row's dates line
        // wrapped where the page ended; a row whose status is only in the lines above it.
        let text = under_delivery_heading(&[
            "SECMP# Title DCC Assessment Status PA WG Request Accepted Date Target PA Delivery Date",
            "GPF timestam for readin No outstanding No outstanding",
            "h P 9 assessment 03/10/2016 10/10/2016 20/03/2017 19/08/2019 04/11/2019 21/02/2020 assessment",
            "0015 instantaneous Gas values",
            "request request",
            "Implementing IRP511 and No outstanding No outstanding",
            "CRP535 to support GBCS assessment 02/12/2019 23/12/2019 21/01/2020 26/02/2020 06/03/2020 |",
            "06/03/2020 assessment",
            "0093 v3.2 devices request request",
            "No outstanding No outstanding",
            "assessment assessment",
            "Service Request Traffic request request.",
            "",
            "0067 Management N/A 07/06/2019 05/06/2019 12/02/2020 17/04/2020 12/03/2020 Currently with",
            "Authority for",
            "decision.",
            "",
            "Ensuring a managed move to | Pending Approved at",
            "DUIS version 3.1 implementation 22/11/2019 20/12/2019 17/01/2020 Change Board",
            "0080 : P on 27/05/2020",
        ]);
        let out = read_text_page(text.join("\n"));
        let rows = delivery_rows(&text);
        assert_eq!(rows.len(), 4);
        let comment = "No outstanding assessment request";
        assert_eq!(
            [&rows[0][0], &rows[0][1], &rows[0][9]],
            ["MP015", "no_outstanding_request", comment]
        );
        assert_eq!(
            rows[1][1..10],
            [
                "no_outstanding_request",
                "2019-12-02",
                "2019-12-23",
                "2020-01-21",
                "2020-02-26",
                "2020-03-06",
                "2020-03-06",
                "Implementing IRP511 and CRP535 to support GBCS v3.2 devices",
                comment,
            ]
            .map(str::to_string)
        );
        // The phrase's first copy is the status no other line names; the title's words
        // stand before it (three `request`s made the line a heading of the table).
        assert_eq!(
            [&rows[2][0], &rows[2][1], &rows[2][8], &rows[2][9]],
            [
                "MP067",
                "no_outstanding_request",
                "Service Request Traffic Management",
                "No outstanding assessment request. Currently with Authority for decision."
            ]
        );
        // A comment wrapped beside the title's and dates' words is read after them, line by
        // line (the status cell's `Pending` and the specks `: P` left out), and said.
        assert_eq!(
            [&rows[3][0], &rows[3][9]],
            ["MP080", "Approved at Change Board on 27/05/2020"]
        );
        let said = |code| {
            let said = out.diagnostics.iter().filter(move |d| d.code == code);
            said.map(|d| d.message.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(said(DiagnosticCode::DccCommentUnread), Vec::<&str>::new());
        let beside = said(DiagnosticCode::DccCommentBesideTitle);
        assert_eq!(beside.len(), 1, "{beside:?}");
        assert!(beside[0].starts_with("MP080:") && beside[0].contains("over 3 lines"));
    }

    #[test]
    fn a_comment_wrapped_beside_a_title_is_the_words_after_the_titles_on_each_line() {
        // The June 2020 report typeset (page 14): MP078v2's comment starts after its dates
        // above the title, wraps beside the title's three lines (the status cell between on
        // the id's line), and goes on below it until its sentence ends. MP077's words there
        // are OCR's marks: its comment stays unread, and said.
        let text = under_delivery_heading(&[
            "SECMP# Title DCC Assessment Status PA WG Request Accepted Date Target PA Delivery Date",
            "17/04/2020 12/06/2020 PA in progress.",
            "Incorporation of multiple Issue Chan%e Board",
            "0078v2 Resolution Proposals into the | PA in progress on 25% March",
            "SEC - Part 2\u{2019} 2020 requested",
            "DCC complete a",
            "new Preliminary",
            "Assessment.",
            "0092 New Planned Maintenance PA in progress 02/12/2019 05/06/2020 PA in progress",
            "methodology",
            "0077 DCC Service Flagging No outstanding | 06/11/2019 | 18/12/2019 | 31/12/2019 g\u{2018}g\u{2019}ggg\u{2018}s\u{fb01}\u{2019} IA",
        ]);
        let out = read_text_page(text.join("\n"));
        let rows = delivery_rows(&text);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            [&rows[0][0], &rows[0][8], &rows[0][9]],
            [
                "MP078v2",
                "Incorporation of multiple Issue Resolution Proposals into the SEC - Part 2",
                "PA in progress. Chan%e Board on 25% March 2020 requested DCC complete a new Preliminary Assessment."
            ]
        );
        assert_eq!(
            [&rows[1][0], &rows[1][8], &rows[1][9]],
            [
                "MP092",
                "New Planned Maintenance methodology",
                "PA in progress"
            ]
        );
        assert_eq!([&rows[2][0], &rows[2][9]], ["MP077", ""]);
        let codes: Vec<(&str, DiagnosticCode)> = out
            .diagnostics
            .iter()
            .filter(|d| {
                matches!(
                    d.code,
                    DiagnosticCode::DccCommentBesideTitle | DiagnosticCode::DccCommentUnread
                )
            })
            .map(|d| (&d.message[..d.message.find(':').unwrap()], d.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("MP078v2", DiagnosticCode::DccCommentBesideTitle),
                ("MP077", DiagnosticCode::DccCommentUnread)
            ]
        );
    }
}

//! The report model's vocabulary (`grammars/report.toml`), compiled once into regexes.

use super::capture_pattern::CapturePattern;
use super::gated_set::GatedSet;
use super::line_set::LineSets;
use super::pattern_set::{self, PatternSet, PatternSetError};
use foldhash::HashSet;
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::Hir;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use super::records::{AssessmentTable, DccTable, EventKind};
use crate::grammar::text::plain_quotes_and_dashes;
use crate::grammar::vocabulary::ByFirstByte;
use crate::grammar::{Grammar, GrammarError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Cover,
    Summary,
    Define,
    Refine,
    Opine,
    Releases,
    AppendixA,
}

impl Section {
    fn from_name(name: &str) -> Option<Section> {
        Some(match name {
            "cover" => Section::Cover,
            "summary" => Section::Summary,
            "define" => Section::Define,
            "refine" => Section::Refine,
            "opine" => Section::Opine,
            "releases" => Section::Releases,
            "appendix_a" => Section::AppendixA,
            _ => return None,
        })
    }
}

/// How a lead-in's items are dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadInDate {
    Report,
    Text,
    None,
}

/// What a lead-in makes of its items: an event, or (for votes and determinations) a
/// decision that each item's tail must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadInEvent {
    Event(EventKind),
    DecidedByTail,
}

#[derive(Debug, Clone)]
pub struct TailRule {
    pub event: EventKind,
    /// The tail is this rule's when any of them matches.
    pub patterns: PatternSet,
}

#[derive(Debug, Clone)]
pub struct LeadInRule {
    pub name: String,
    pub event: LeadInEvent,
    pub date: LeadInDate,
    pub tails: Vec<TailRule>,
}

#[derive(Debug, Clone)]
pub struct SentenceRule {
    pub event: EventKind,
    /// The pattern as written in `report.toml` (its fragments put in).
    written: String,
    /// Whether the pattern is its own phrase pattern (it has no trigger): its automaton
    /// there, built when a paragraph first holds its wording, is what its groups are read
    /// with.
    own_phrase: bool,
    /// Its place among the vocabulary's sentence rules.
    index: usize,
    /// The pattern compiled, when a paragraph first holds its wording: a report reaches a
    /// third of the rules, and compiling all of them was 14 ms of a one-report run's 100.
    compiled: OnceLock<SentencePattern>,
}

/// A sentence rule's pattern, compiled.
#[derive(Debug, Clone)]
pub struct SentencePattern {
    pub regex: CapturePattern,
    /// The capture group indices of the pattern's named groups `date`, `person` and `org`
    /// (looked up once here, not by name in every match).
    pub date_group: Option<usize>,
    pub person_group: Option<usize>,
    pub org_group: Option<usize>,
}

impl SentenceRule {
    fn new(event: EventKind, pattern: &str, own_phrase: bool, index: usize) -> SentenceRule {
        SentenceRule {
            event,
            written: pattern.to_string(),
            own_phrase,
            index,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the regex engine is given it (made OCR-tolerant).
    #[cfg(test)]
    pub fn source(&self) -> String {
        ocr_tolerant(&self.written)
    }

    fn try_compile(&self) -> Result<SentencePattern, GrammarError> {
        let pattern = &self.written;
        let hir = tolerant_syntax(pattern, false)
            .map_err(|e| invalid(format!("pattern {pattern:?}: {}", e.0)))?;
        let regex = CapturePattern::new(&hir)
            .map_err(|e| invalid(format!("pattern {pattern:?}: {}", e.0)))?;
        Ok(SentencePattern::of(regex))
    }
}

impl SentencePattern {
    fn of(regex: CapturePattern) -> SentencePattern {
        let group = |name: &str| regex.group(name);
        SentencePattern {
            date_group: group("date"),
            person_group: group("person"),
            org_group: group("org"),
            regex,
        }
    }
}

/// The phrase rules a paragraph's wording matches.
#[derive(Debug, Clone, Default)]
pub struct PhraseRules<'v> {
    /// The first lead-in rule (in file order) it matches.
    pub lead_in: Option<&'v LeadInRule>,
    /// The sentence rules it matches, in file order.
    pub sentences: Vec<&'v SentenceRule>,
}

/// What the structural patterns say about one line: the section it heads, the table header
/// it is. Worked out in one pass of one automaton.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStructure {
    pub section: Option<Section>,
    pub open_header: bool,
    pub returned_header: bool,
    pub dcc_table: Option<DccTable>,
}

/// What one pattern of the line set marks.
#[derive(Debug, Clone, Copy)]
enum Structure {
    Furniture,
    Section(Section),
    OpenHeader,
    ReturnedHeader,
    DccTable(DccTable),
}

#[derive(Debug, Clone)]
pub struct ReportVocabulary {
    /// Section headings, table headers, DCC table headers and page furniture (in that
    /// order, each in file order, so the first match of a kind is the one its own list would
    /// give), in two automata: those that start a line and the others (`line_set.rs`).
    /// Every line is asked all of these, and most are none. The automata are also searched
    /// over many lines at once (`^` and `$` at each line's ends): they find the few lines
    /// worth asking which patterns they match, where asking each line costs a search's setup
    /// per line.
    line_set: LineSets,
    structure_of_pattern: Vec<Structure>,
    /// Bullet markers, longest first.
    bullets: Vec<String>,
    /// The bullet markers by their first byte: most lines start with none of them, the rest
    /// with one or two.
    bullets_by_first_byte: ByFirstByte,
    /// Letters OCR reads a bullet as (`[bullets] letters`, lower case).
    pub bullet_letters: String,
    pub author_team: Vec<Regex>,
    pub title: Vec<Regex>,
    /// A word every line naming the report's month holds (the pages are searched for it).
    pub month_word: String,
    /// What such a line holds besides (whitespace collapsed, quotes and dashes plain); each
    /// holds `month_word`.
    pub month_markers: Vec<String>,
    pub lead_ins: Vec<LeadInRule>,
    pub release: Regex,
    pub standalone_release: Regex,
    pub sentences: Vec<SentenceRule>,
    /// Every lead-in pattern, rule by rule, then every sentence pattern or its trigger
    /// (pattern `lead_in_of_pattern.len() + i` is `sentences[i]`'s): which rules a
    /// paragraph may match (most paragraphs match none).
    phrase_set: GatedSet,
    /// The rule (index into `lead_ins`) of each lead-in pattern of `phrase_set`.
    lead_in_of_pattern: Vec<usize>,
    pub organisation_strip: Vec<String>,
    /// The organisations that raise modifications, as the report names them: an OCR'd name
    /// a letter or two from one of them is that one (`[organisation] known`).
    pub known_organisations: Vec<String>,
    /// How an assessment's type is printed (`1A` is an IA), and the type.
    pub assessment_types: Vec<(String, super::records::AssessmentType)>,
    pub empty_cells: Vec<String>,
    /// The first bytes of `empty_cells`, each once.
    pub empty_cell_firsts: Vec<u8>,
    pub continuation_words: Vec<String>,
    /// Where a title's words end on a line of a table read as text: another cell's words.
    pub title_ends: Vec<Regex>,
    /// A title line ending on one of these words (lower case) goes on below it.
    pub joining_words: Vec<String>,
    /// The marks a word OCR made of a speck is made of (`~`, `_`, `°`).
    pub speck_marks: Vec<char>,
    /// The words a wrapped status cell puts on lines after its first (`assessment`,
    /// `request`): at the end of a title's line of a table read as text, they are the
    /// status's.
    pub status_tail_words: Vec<String>,
    /// A status's first words: a title's line they stand beside starts a row.
    pub row_starts: Vec<Regex>,
    /// The tables read from word positions, by the tables they are for.
    table_layouts: Vec<TableLayout>,
    /// Letters OCR reads one for the other in small print (`d` and `o`: `occ` for `DCC`),
    /// lower case, each pair once.
    pub letter_confusions: Vec<(char, char)>,
    /// Word endings OCR misreads (`ina` for `ing`), as read and as printed, lower case.
    pub ending_confusions: Vec<(String, String)>,
    /// Letters OCR reads for one letter anywhere in a word (`ri` for `n`), as read and as
    /// printed, lower case.
    pub sequence_confusions: Vec<(String, String)>,
}

/// What a table column holds (`grammars/report.toml`, `[[table_layout]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnField {
    Id,
    Title,
    Status,
    Comment,
    DateAdded,
    PaRequest,
    PaTarget,
    PaActual,
    IaRequest,
    IaTarget,
    IaActual,
    Type,
    Date,
    Target,
    Duration,
}

impl ColumnField {
    /// True for a column of dates (a cell holds one date, or none).
    pub fn holds_dates(self) -> bool {
        use ColumnField::*;
        matches!(
            self,
            DateAdded
                | PaRequest
                | PaTarget
                | PaActual
                | IaRequest
                | IaTarget
                | IaActual
                | Date
                | Target
        )
    }

    /// Every field, with its name in the vocabulary file.
    pub const NAMES: [(ColumnField, &'static str); 15] = [
        (ColumnField::Id, "id"),
        (ColumnField::Title, "title"),
        (ColumnField::Status, "status"),
        (ColumnField::Comment, "comment"),
        (ColumnField::DateAdded, "date_added"),
        (ColumnField::PaRequest, "pa_request"),
        (ColumnField::PaTarget, "pa_target"),
        (ColumnField::PaActual, "pa_actual"),
        (ColumnField::IaRequest, "ia_request"),
        (ColumnField::IaTarget, "ia_target"),
        (ColumnField::IaActual, "ia_actual"),
        (ColumnField::Type, "type"),
        (ColumnField::Date, "date"),
        (ColumnField::Target, "target"),
        (ColumnField::Duration, "duration"),
    ];

    pub fn from_name(name: &str) -> Option<ColumnField> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(f, _)| *f)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .expect("every field is named")
    }
}

/// The tables read from word positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Dcc(DccTable),
    Assessments(AssessmentTable),
}

impl TableKind {
    fn from_name(name: &str) -> Option<TableKind> {
        match name {
            "open" => Some(TableKind::Assessments(AssessmentTable::Open)),
            "returned" => Some(TableKind::Assessments(AssessmentTable::Returned)),
            other => DccTable::from_name(other).map(TableKind::Dcc),
        }
    }
}

/// How a table's header names its columns.
#[derive(Debug, Clone)]
pub struct TableLayout {
    tables: Vec<TableKind>,
    /// What each column holds, and the patterns that name it (one automaton: a header
    /// cell is asked them all, and the first that matches names its column).
    fields: Vec<ColumnField>,
    columns: PatternSet,
    /// The columns as the table prints them, left to right (empty when it varies).
    order: Vec<ColumnField>,
    /// The words header rows are made of (lower case).
    /// (A set: a word OCR glued from two is looked up at each of its splits, for each word
    /// of each line a table read as text asks about.)
    header_words: std::sync::Arc<HashSet<String>>,
    /// The length of the longest header word (bytes): a word longer than two of them is
    /// not two glued together.
    longest_header_word: usize,
    /// The table's heading, where it may run into its first header cell (`heading`).
    heading: Option<Regex>,
    /// The columns header cells named, by the cells' text: a report's tables print the same
    /// headers on page after page and month after month, and each was worked out anew, some
    /// 11,000 instructions a cell (parted where glued, lowered, searched).
    fields_of_headers: std::sync::Arc<FieldsOfHeaders>,
}

/// The columns header cells named, by the cells' text (as many as [`FieldsOfHeaders::MOST`]:
/// OCR garbles a header a new way on every scan).
#[derive(Debug, Default)]
struct FieldsOfHeaders(std::sync::Mutex<foldhash::HashMap<Box<str>, Option<ColumnField>>>);

impl FieldsOfHeaders {
    const MOST: usize = 4096;

    /// The field of `header`, from the ones known or worked out by `field_of`.
    fn get_or_work_out(
        &self,
        header: &str,
        field_of: impl FnOnce() -> Option<ColumnField>,
    ) -> Option<ColumnField> {
        let known = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(header)
            .copied();
        if let Some(field) = known {
            return field;
        }
        let field = field_of();
        let mut fields = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if fields.len() < Self::MOST {
            fields.insert(header.into(), field);
        }
        field
    }
}

impl TableLayout {
    /// The column a header cell's text names, if any.
    pub fn field_of(&self, header: &str) -> Option<ColumnField> {
        self.fields_of_headers
            .get_or_work_out(header, || self.work_out_field_of(header))
    }

    /// [`TableLayout::field_of`], worked out.
    fn work_out_field_of(&self, header: &str) -> Option<ColumnField> {
        let header = self.glued_words_parted(&plain_quotes_and_dashes(header).to_lowercase());
        let header = match self.heading.as_ref().and_then(|h| h.find(&header)) {
            Some(m) if m.start() == 0 && m.end() < header.len() => header[m.end()..].trim_start(),
            _ => header.as_str(),
        };
        let first = self.columns.matches(header).into_iter().next();
        first.map(|i| self.fields[i])
    }

    /// A header cell's text (lower case) with two header words OCR ran together parted:
    /// `actualpa` is `actual pa`, `actualla` `actual la` (generated scan 7901's `ActualPA`,
    /// `ActuallA`, which named no column, and three columns' dates went to their neighbours).
    /// `IA` read as `1A`, `lA`, `|A` or `!A` counts as a header word here.
    fn glued_words_parted(&self, header: &str) -> String {
        let words: Vec<String> = header
            .split(' ')
            .map(|word| {
                let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '!');
                if bare.is_empty() || self.is_part_of_header(bare) {
                    return word.to_string();
                }
                self.glued_at(bare).map_or_else(
                    || word.to_string(),
                    |i| format!("{} {}", &bare[..i], &bare[i..]),
                )
            })
            .collect();
        words.join(" ")
    }

    /// A header word (lower case), or `IA` as OCR reads it (`1a`, `la`, `|a`, `!a`).
    fn is_part_of_header(&self, word: &str) -> bool {
        self.header_words.contains(word)
            || matches!(word.as_bytes(), [b'i' | b'1' | b'l' | b'|' | b'!', b'a'])
    }

    /// Where a word (lower case) parts into two header words OCR ran together (`targetpa`,
    /// `actualla`), if it does.
    fn glued_at(&self, bare: &str) -> Option<usize> {
        // Each part is at most the longest header word (or `IA`'s two letters).
        let longest = self.longest_header_word.max(2);
        let first = bare.len().saturating_sub(longest).max(1);
        (first..bare.len().min(longest + 1))
            .filter(|&i| bare.is_char_boundary(i))
            .find(|&i| self.is_part_of_header(&bare[..i]) && self.is_part_of_header(&bare[i..]))
    }

    /// The columns as the table prints them, left to right.
    pub fn order(&self) -> &[ColumnField] {
        &self.order
    }

    /// True for a word header rows are made of.
    pub fn is_header_word(&self, word: &str) -> bool {
        // A word of ASCII (nearly every one) is lowered on the stack: lowering it twice
        // into new strings was 43% of this question's cost, asked of every word of every
        // line a table region holds above its first row (95,000 times in 40 reports).
        const ON_STACK: usize = 64;
        if word.is_ascii() && word.len() <= ON_STACK {
            let mut lower = [0u8; ON_STACK];
            let lower = &mut lower[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            // (ASCII, lowered: still UTF-8.)
            let Ok(lower) = std::str::from_utf8(lower) else {
                return false;
            };
            return self.is_lowered_header_word(lower, bare_of(lower));
        }
        self.is_lowered_header_word(&word.to_lowercase(), &bare_of(word).to_lowercase())
    }

    /// [`TableLayout::is_header_word`] of a word lowered (`with_stop`) and its bare form
    /// lowered (`bare`: the word without the punctuation at either end).
    fn is_lowered_header_word(&self, with_stop: &str, bare: &str) -> bool {
        let known = |w: &str| self.header_words.contains(w);
        // A word listed with its stop is known with it only: `No.` of `Mod` / `No.` is a
        // header's (generated report 7502: unknown, it ended the header above its second
        // line and the status column), `No` of `No outstanding` a status's.
        // Two header words OCR glued together (`TargetPA`, `ActualIA`) are header words too.
        !bare.is_empty()
            && (known(bare)
                || (with_stop.ends_with('.')
                    && known(with_stop.trim_start_matches(|c: char| !c.is_alphanumeric())))
                || self.glued_at(bare).is_some())
    }
}

/// A header word's bare form: without the punctuation at either end but `#` (`SECMP#`).
fn bare_of(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '#')
}

#[derive(Deserialize)]
struct TableHeader {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct TableLayoutEntry {
    tables: Vec<String>,
    columns: Vec<(String, String)>,
    #[serde(default)]
    order: Vec<String>,
    #[serde(default)]
    heading: Option<String>,
}

#[derive(Deserialize)]
struct PatternsEntry {
    name: String,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct DccTableEntry {
    kind: String,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct TailEntry {
    event: String,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct LeadInEntry {
    event: String,
    patterns: Vec<String>,
    date: String,
    #[serde(default)]
    tail: Vec<TailEntry>,
}

#[derive(Deserialize)]
struct SentenceEntry {
    event: String,
    pattern: String,
    /// A cheaper pattern every match of `pattern` holds, searched for in its place by the
    /// one pass over every paragraph (`phrase_set`); `pattern` is then run only on the
    /// paragraphs that hold it.
    #[serde(default)]
    trigger: Option<String>,
}

#[derive(Deserialize)]
struct Furniture {
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct Bullets {
    markers: Vec<String>,
    letters: String,
}

#[derive(Deserialize)]
struct Cover {
    author_team: Vec<String>,
    title: Vec<String>,
    month_word: String,
    month_markers: Vec<String>,
}

#[derive(Deserialize)]
struct Release {
    pattern: String,
    standalone: String,
}

#[derive(Deserialize)]
struct Organisation {
    strip_leading: Vec<String>,
    #[serde(default)]
    known: Vec<String>,
}

#[derive(Deserialize)]
struct Assessments {
    open_header: Vec<String>,
    returned_header: Vec<String>,
    types: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct DccCells {
    empty: Vec<String>,
    title_ends: Vec<String>,
    joining_words: Vec<String>,
    speck_marks: String,
    status_tail_words: Vec<String>,
    row_starts: Vec<String>,
    letter_confusions: Vec<String>,
    #[serde(default)]
    ending_confusions: Vec<[String; 2]>,
    #[serde(default)]
    sequence_confusions: Vec<[String; 2]>,
}

#[derive(Deserialize)]
struct ReportFile {
    section: Vec<PatternsEntry>,
    furniture: Furniture,
    bullets: Bullets,
    cover: Cover,
    lead_in: Vec<LeadInEntry>,
    release: Release,
    sentence: Vec<SentenceEntry>,
    organisation: Organisation,
    assessments: Assessments,
    dcc_table: Vec<DccTableEntry>,
    dcc_cells: DccCells,
    paragraphs: Paragraphs,
    table_header: TableHeader,
    table_layout: Vec<TableLayoutEntry>,
}

#[derive(Deserialize)]
struct Paragraphs {
    continuation_words: Vec<String>,
}

/// The `[[table_layout]]` entries, checked: known tables and fields, patterns that compile.
fn table_layouts(
    header: &TableHeader,
    entries: &[TableLayoutEntry],
) -> Result<Vec<TableLayout>, GrammarError> {
    let header_words = std::sync::Arc::new(
        header
            .words
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<HashSet<_>>(),
    );
    let longest_header_word = header_words.iter().map(String::len).max().unwrap_or(0);
    entries
        .iter()
        .map(|entry| {
            let tables = entry
                .tables
                .iter()
                .map(|t| {
                    TableKind::from_name(t)
                        .ok_or_else(|| invalid(format!("[[table_layout]]: unknown table {t:?}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let fields = entry
                .columns
                .iter()
                .map(|(field, _)| {
                    ColumnField::from_name(field).ok_or_else(|| {
                        invalid(format!("[[table_layout]]: unknown column {field:?}"))
                    })
                })
                .collect::<Result<Vec<_>, GrammarError>>()?;
            let columns = pattern_set(entry.columns.iter().map(|(_, pattern)| pattern), false)?;
            let order = entry
                .order
                .iter()
                .map(|f| {
                    ColumnField::from_name(f).ok_or_else(|| {
                        invalid(format!("[[table_layout]]: unknown column {f:?} in order"))
                    })
                })
                .collect::<Result<Vec<_>, GrammarError>>()?;
            Ok(TableLayout {
                tables,
                fields,
                columns,
                order,
                header_words: std::sync::Arc::clone(&header_words),
                longest_header_word,
                fields_of_headers: Default::default(),
                heading: entry.heading.as_deref().map(regex).transpose()?,
            })
        })
        .collect()
}

/// The report vocabulary with every `{name}` in its strings (outside `[fragments]` itself)
/// replaced by the fragment of that name: any pattern may use one.
fn with_fragments(report: &toml::Table) -> Result<toml::Table, GrammarError> {
    let fragments: BTreeMap<String, String> = match report.get("fragments") {
        Some(f) => f
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| invalid(format!("[fragments]: {e}")))?,
        None => BTreeMap::new(),
    };
    fn expand(
        value: &mut toml::Value,
        fragments: &BTreeMap<String, String>,
    ) -> Result<(), GrammarError> {
        match value {
            toml::Value::String(s) => *s = expand_fragments(s, fragments)?,
            toml::Value::Array(items) => {
                for v in items {
                    expand(v, fragments)?;
                }
            }
            toml::Value::Table(t) => {
                for (_, v) in t.iter_mut() {
                    expand(v, fragments)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut report = report.clone();
    for (key, value) in report.iter_mut() {
        if key != "fragments" {
            expand(value, &fragments)?;
        }
    }
    Ok(report)
}

/// `pattern` with each `{name}` replaced by the fragment of that name. A `{` that starts a
/// regex repetition (`{1,2}`) is left alone: a name is letters and `_` only, which no
/// repetition is. A name no fragment has is refused.
fn expand_fragments(
    pattern: &str,
    fragments: &BTreeMap<String, String>,
) -> Result<String, GrammarError> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        // A `{` right after a backslash is a literal brace.
        let escaped = rest[..open].ends_with('\\');
        if name.is_empty() || escaped || !after[name_len..].starts_with('}') {
            out.push_str(&rest[..=open]);
            rest = after;
            continue;
        }
        let fragment = fragments.get(name).ok_or_else(|| {
            invalid(format!(
                "pattern {pattern:?} uses {{{name}}}, which [fragments] does not define"
            ))
        })?;
        out.push_str(&rest[..open]);
        out.push_str(fragment);
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn invalid(message: String) -> GrammarError {
    GrammarError::Invalid {
        name: "report.toml".into(),
        message,
    }
}

/// What a space in a phrase pattern matches: the spaces and stray stops, colons, commas,
/// hyphens, underscores and table rules OCR prints between words ("was raised.by", "Hextall.on-behalf",
/// "This. request", "from the DCC on | 21 May 2020", "February 2018 _SEC Release"), and a
/// speck OCR read as a thin letter standing alone ("approved for implementation i in the
/// November 2018 SEC Release", generated scan 3110: a release list of seven lost), and the
/// double quotes, cent and copyright signs OCR makes of specks ("was raised ¢ on Friday\" 17
/// September 2021 by Victoria Stone (SECAS).", generated scan 7401: its raised fact lost;
/// "... Storm Protection\" was. © / raised on-Friday 15 June", generated scan 7603), and the
/// tilde OCR makes of one ("was raised by Rainer Lischetzki of the DCC on ~ 26 November
/// 2019.", generated scan 9902: the raised fact lost its date).
///
/// The class of those marks is written as an alternation of its ASCII part and its three
/// wide characters: the same matches, but the NFA compiler builds a class holding a
/// character outside ASCII as a UTF-8 automaton of its own at each of the seven places a gap
/// repeats it, which was 17M of a one-report run's 319M instructions (callgrind, June 2020's
/// digital report).
const OCR_WORD_GAP: &str = r#"(?:[ .:,;'"|_~-]|”|¢|©){1,4}(?:[iIl](?:[ .:,;'"|_~-]|”|¢|©){1,3})?"#;

/// A phrase pattern with each literal space (and hyphen between two letters) outside a
/// `[...]` class widened to [`OCR_WORD_GAP`], so that `report.toml` can say phrases plainly; and `\b`, `\w`, `\d`,
/// `\s` outside a class made ASCII.
pub fn ocr_tolerant(pattern: &str) -> String {
    with_gaps(pattern, &format!("(?:{OCR_WORD_GAP})"))
}

/// What a gap is written as in a pattern parsed with the gap's syntax spliced in
/// ([`tolerant_syntax`]): a private-use character, which no pattern holds.
const GAP_PLACEHOLDER: char = '\u{E000}';

/// The syntax of `ocr_tolerant(pattern)`, as a pattern set reads it (case-insensitive;
/// `multi_line`: `^`, `$` at each line's ends). The pattern is parsed with each gap one
/// character, and the gap's syntax, parsed once, is put in its place: the gaps are most of a
/// tolerant pattern's text, and parsing it whole was half the cost of building its automaton.
/// (Where the syntax did not keep each such character as itself, the whole text is parsed.)
fn tolerant_syntax(pattern: &str, multi_line: bool) -> Result<Hir, PatternSetError> {
    static GAP: LazyLock<Hir> = LazyLock::new(|| {
        pattern_set::parse(&format!("(?:{OCR_WORD_GAP})"), false).expect("the gap parses")
    });
    if !pattern.contains(GAP_PLACEHOLDER) {
        let marked = with_gaps(pattern, &GAP_PLACEHOLDER.to_string());
        let hir = pattern_set::parse(&marked, multi_line)?;
        let (hir, replaced) = pattern_set::splice(hir, GAP_PLACEHOLDER, &GAP);
        if replaced == marked.matches(GAP_PLACEHOLDER).count() {
            return Ok(hir);
        }
    }
    pattern_set::parse(&ocr_tolerant(pattern), multi_line)
}

/// [`ocr_tolerant`], with `gap` for each gap.
fn with_gaps(pattern: &str, gap: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let (mut in_class, mut escaped) = (false, false);
    let mut previous = ' ';
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let between_letters = previous.is_alphanumeric() && next.is_alphanumeric();
        previous = c;
        match c {
            // `\b` outside a class: an ASCII word boundary, which the regex engine's DFAs
            // run on any text (a Unicode one makes them give up at the first non-ASCII
            // byte - curly quotes, pound signs - and fall back to a slower engine).
            'b' if escaped && !in_class => {
                escaped = false;
                out.pop();
                out.push_str(r"(?-u:\b)");
            }
            // `\w`, `\d`, `\s` outside a class: their ASCII forms. Report text is whitespace
            // collapsed, and words the patterns name with them (months, days, `Assess\w+`)
            // are ASCII; the Unicode classes give the engine automata many times larger,
            // which the capture searches pay for on every sentence. (Their negations are
            // left Unicode: an ASCII `\W` would match half a character.)
            'w' | 'd' | 's' if escaped && !in_class => {
                escaped = false;
                out.pop();
                out.push_str(r"(?-u:\");
                out.push(c);
                out.push(')');
            }
            _ if escaped => {
                escaped = false;
                out.push(c);
            }
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            // One group, so that a quantifier after the space applies to all of the gap:
            // `Target ?PA` matched no `TargetPA` while the `?` made only the gap's last
            // group optional (generated scan 7303: its delivery table's header lost, and with
            // it every row of the page).
            ' ' if !in_class => out.push_str(gap),
            // A hyphen inside a word is read by OCR as a colon or a stop, or spaced:
            // `Self: Governance`, `Self - Governance`.
            '-' if !in_class && between_letters => out.push_str(gap),
            _ => out.push(c),
        }
    }
    out
}

fn regex(pattern: &str) -> Result<Regex, GrammarError> {
    tolerant_regex(&ocr_tolerant(pattern))
}

/// A pattern already made OCR-tolerant, compiled.
fn tolerant_regex(pattern: &str) -> Result<Regex, GrammarError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| invalid(format!("pattern {pattern:?}: {e}")))
}

/// Patterns made OCR-tolerant, searched together (`multi_line`: `^`, `$` at each line's
/// ends). A pattern the set's engine refuses is named.
fn pattern_set<'p>(
    patterns: impl Iterator<Item = &'p String>,
    multi_line: bool,
) -> Result<PatternSet, GrammarError> {
    let patterns: Vec<&String> = patterns.collect();
    let hirs = patterns
        .iter()
        .map(|p| {
            tolerant_syntax(p, multi_line).map_err(|e| invalid(format!("pattern {p:?}: {}", e.0)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    PatternSet::from_hirs(&hirs).map_err(|PatternSetError(e)| {
        // Built alone, the pattern at fault gives the engine's words with its own name.
        let culprit = patterns.iter().zip(&hirs).find_map(|(p, h)| {
            PatternSet::from_hirs(std::slice::from_ref(h))
                .err()
                .map(|e| (p, e.0))
        });
        match culprit {
            Some((p, e)) => invalid(format!("pattern {p:?}: {e}")),
            None => invalid(format!("patterns: {e}")),
        }
    })
}

/// True when a pattern holds an assertion of the whole text's start or end: `\A`, `\z`, or
/// `^`, `$` where multi-line mode is switched off (`(?-m)`). Read from its syntax tree, so a
/// `\\A` (a backslash, then `A`) is not one.
fn anchors_to_the_text(pattern: &str) -> Result<bool, GrammarError> {
    use regex_syntax::hir::Look;
    let hir = regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .build()
        .parse(pattern)
        .map_err(|e| invalid(format!("pattern {pattern:?}: {e}")))?;
    let looks = hir.properties().look_set();
    Ok(looks.contains(Look::Start) || looks.contains(Look::End))
}

fn regexes(patterns: &[String]) -> Result<Vec<Regex>, GrammarError> {
    patterns.iter().map(|p| regex(p)).collect()
}

/// Pairs of texts (as read, as printed), lower case.
fn lower_pairs(pairs: &[[String; 2]]) -> Vec<(String, String)> {
    let pairs = pairs.iter();
    pairs
        .map(|[read, printed]| (read.to_lowercase(), printed.to_lowercase()))
        .collect()
}

/// `[dcc_cells] letter_confusions`: each entry two letters.
fn letter_pairs(entries: &[String]) -> Result<Vec<(char, char)>, GrammarError> {
    entries
        .iter()
        .map(|e| {
            let letters: Vec<char> = e.to_lowercase().chars().collect();
            match letters[..] {
                [a, b] if a.is_alphabetic() && b.is_alphabetic() && a != b => Ok((a, b)),
                _ => Err(invalid(format!(
                    "[dcc_cells] letter_confusions: {e:?} is not two letters"
                ))),
            }
        })
        .collect()
}

fn event(name: &str) -> Result<EventKind, GrammarError> {
    EventKind::from_name(name).ok_or_else(|| invalid(format!("unknown event {name:?}")))
}

/// The lead-in rules and every phrase pattern (the lead-ins', the sentences'), gated.
struct CompiledPhrases {
    lead_ins: Vec<LeadInRule>,
    /// The lead-in rule of each of the phrase set's first patterns.
    lead_in_of_pattern: Vec<usize>,
    phrase_set: GatedSet,
}

impl CompiledPhrases {
    fn compile(file: &ReportFile) -> Result<CompiledPhrases, GrammarError> {
        let lead_ins = file
            .lead_in
            .iter()
            .map(|l| {
                let tails = l
                    .tail
                    .iter()
                    .map(|t| {
                        Ok(TailRule {
                            event: event(&t.event)?,
                            patterns: pattern_set(t.patterns.iter(), false)?,
                        })
                    })
                    .collect::<Result<Vec<_>, GrammarError>>()?;
                let lead_event = match EventKind::from_name(&l.event) {
                    Some(e) => LeadInEvent::Event(e),
                    None if !tails.is_empty() => LeadInEvent::DecidedByTail,
                    None => {
                        return Err(invalid(format!(
                            "unknown event {:?} (a decision needs tail rules)",
                            l.event
                        )))
                    }
                };
                let date = match l.date.as_str() {
                    "report" => LeadInDate::Report,
                    "text" => LeadInDate::Text,
                    "none" => LeadInDate::None,
                    other => return Err(invalid(format!("unknown lead-in date rule {other:?}"))),
                };
                Ok(LeadInRule {
                    name: l.event.clone(),
                    event: lead_event,
                    date,
                    tails,
                })
            })
            .collect::<Result<_, GrammarError>>()?;
        let lead_in_of_pattern = file
            .lead_in
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.patterns.iter().map(move |_| i))
            .collect();
        let phrase_patterns: Vec<String> = file
            .lead_in
            .iter()
            .flat_map(|l| l.patterns.iter())
            .chain(
                file.sentence
                    .iter()
                    .map(|s| s.trigger.as_ref().unwrap_or(&s.pattern)),
            )
            .cloned()
            .collect();
        let phrase_set = GatedSet::new(&phrase_patterns, |p| tolerant_syntax(p, false))
            .map_err(|e| invalid(e.0))?;
        Ok(CompiledPhrases {
            lead_ins,
            lead_in_of_pattern,
            phrase_set,
        })
    }
}

/// The line patterns (sections, table headers, furniture), in the two automata of
/// `line_set.rs`.
fn line_set(file: &ReportFile) -> Result<LineSets, GrammarError> {
    let line_patterns: Vec<&String> = file
        .section
        .iter()
        .flat_map(|s| s.patterns.iter())
        .chain(file.assessments.open_header.iter())
        .chain(file.assessments.returned_header.iter())
        .chain(file.dcc_table.iter().flat_map(|t| t.patterns.iter()))
        .chain(file.furniture.patterns.iter())
        .collect();
    // The line patterns are searched in many lines at once, where `^` and `$` are each
    // line's ends but `\A`, `\z` (and `^`, `$` with multi-line mode off) only the text's.
    for p in &line_patterns {
        if anchors_to_the_text(p)? {
            return Err(invalid(format!(
                "line pattern {p:?}: a line's ends are ^ and $ (in multi-line mode), not \\A or \\z"
            )));
        }
    }
    let line_hirs = line_patterns
        .iter()
        .map(|p| tolerant_syntax(p, true).map_err(|e| invalid(format!("pattern {p:?}: {}", e.0))))
        .collect::<Result<Vec<_>, _>>()?;
    // The pattern at fault named, as a set of its own reports it.
    LineSets::new(line_hirs).map_err(|_| {
        pattern_set(line_patterns.iter().copied(), true)
            .err()
            .unwrap_or_else(|| invalid("line patterns: the engine refused them".into()))
    })
}

/// The patterns each searched alone (the cover's, the releases', the DCC cells') and the
/// table layouts.
struct FilePatterns {
    author_team: Vec<Regex>,
    title: Vec<Regex>,
    release: Regex,
    standalone_release: Regex,
    title_ends: Vec<Regex>,
    row_starts: Vec<Regex>,
    table_layouts: Vec<TableLayout>,
}

impl FilePatterns {
    fn compile(file: &ReportFile) -> Result<FilePatterns, GrammarError> {
        Ok(FilePatterns {
            author_team: regexes(&file.cover.author_team)?,
            title: regexes(&file.cover.title)?,
            release: regex(&file.release.pattern)?,
            standalone_release: regex(&file.release.standalone)?,
            title_ends: regexes(&file.dcc_cells.title_ends)?,
            row_starts: regexes(&file.dcc_cells.row_starts)?,
            table_layouts: table_layouts(&file.table_header, &file.table_layout)?,
        })
    }
}

impl ReportVocabulary {
    pub fn compile(grammar: &Grammar) -> Result<ReportVocabulary, GrammarError> {
        let file: ReportFile = with_fragments(&grammar.report)?
            .try_into()
            .map_err(|e: toml::de::Error| invalid(e.to_string()))?;
        if file.dcc_cells.empty.iter().any(String::is_empty) {
            return Err(invalid(
                "[dcc_cells] empty: a marker is the empty string".into(),
            ));
        }
        // The month line's word is looked for in the pages as printed: it must read the same
        // there as in the plain, collapsed line its markers are looked for in.
        let month_word = &file.cover.month_word;
        if month_word.is_empty()
            || month_word.contains(char::is_whitespace)
            || plain_quotes_and_dashes(month_word) != month_word.as_str()
        {
            return Err(invalid(format!(
                "[cover] month_word {month_word:?}: a word is needed, without spaces, quotes or dashes"
            )));
        }
        if let Some(m) = file
            .cover
            .month_markers
            .iter()
            .find(|m| !m.contains(month_word.as_str()))
        {
            return Err(invalid(format!(
                "[cover] month marker {m:?} does not hold month_word {month_word:?}"
            )));
        }
        // Each pattern's meaning, in the order of the structure automaton: sections, then the
        // assessment table headers, then the DCC table headers.
        let mut structure_of_pattern: Vec<Structure> = Vec::new();
        for s in &file.section {
            let section = Section::from_name(&s.name)
                .ok_or_else(|| invalid(format!("unknown section {:?}", s.name)))?;
            structure_of_pattern.extend(s.patterns.iter().map(|_| Structure::Section(section)));
        }
        structure_of_pattern.extend(
            file.assessments
                .open_header
                .iter()
                .map(|_| Structure::OpenHeader),
        );
        structure_of_pattern.extend(
            file.assessments
                .returned_header
                .iter()
                .map(|_| Structure::ReturnedHeader),
        );
        for t in &file.dcc_table {
            let kind = DccTable::from_name(&t.kind)
                .ok_or_else(|| invalid(format!("unknown DCC table {:?}", t.kind)))?;
            structure_of_pattern.extend(t.patterns.iter().map(|_| Structure::DccTable(kind)));
        }
        structure_of_pattern.extend(file.furniture.patterns.iter().map(|_| Structure::Furniture));
        // The phrase rules (a third of the compile) are compiled on a thread of their own: a
        // one-report run's parse waits for the vocabulary once its pages are read, and the
        // second core was idle meanwhile.
        let (phrases, line_set, patterns) = std::thread::scope(|scope| {
            let phrases = std::thread::Builder::new()
                .name("vocabulary: phrases".into())
                .spawn_scoped(scope, || CompiledPhrases::compile(&file));
            let lines = line_set(&file);
            let patterns = FilePatterns::compile(&file);
            let phrases = match phrases {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => CompiledPhrases::compile(&file),
            };
            Ok::<_, GrammarError>((phrases?, lines?, patterns?))
        })?;
        let sentences = file
            .sentence
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let own_phrase = s.trigger.is_none();
                Ok(SentenceRule::new(
                    event(&s.event)?,
                    &s.pattern,
                    own_phrase,
                    i,
                ))
            })
            .collect::<Result<_, GrammarError>>()?;
        let mut bullets = file.bullets.markers;
        bullets.sort_by_key(|b| std::cmp::Reverse(b.len()));
        let bullets_by_first_byte =
            ByFirstByte::new(bullets.iter().map(|b| b.as_bytes().first().copied()));
        Ok(ReportVocabulary {
            phrase_set: phrases.phrase_set,
            lead_in_of_pattern: phrases.lead_in_of_pattern,
            line_set,
            structure_of_pattern,
            bullets,
            bullets_by_first_byte,
            bullet_letters: file.bullets.letters.to_lowercase(),
            author_team: patterns.author_team,
            title: patterns.title,
            month_word: file.cover.month_word,
            month_markers: file.cover.month_markers,
            lead_ins: phrases.lead_ins,
            release: patterns.release,
            standalone_release: patterns.standalone_release,
            sentences,
            organisation_strip: file.organisation.strip_leading,
            known_organisations: file.organisation.known,
            assessment_types: file
                .assessments
                .types
                .into_iter()
                .map(|(printed, kind)| {
                    <super::records::AssessmentType as crate::named::Named>::from_name(&kind)
                        .map(|kind| (printed, kind))
                        .ok_or_else(|| {
                            invalid(format!("{kind:?} is not an assessment type (PA or IA)"))
                        })
                })
                .collect::<Result<_, _>>()?,
            empty_cell_firsts: {
                let mut firsts: Vec<u8> = file
                    .dcc_cells
                    .empty
                    .iter()
                    .filter_map(|e| e.as_bytes().first().copied())
                    .collect();
                firsts.sort_unstable();
                firsts.dedup();
                firsts
            },
            title_ends: patterns.title_ends,
            joining_words: file
                .dcc_cells
                .joining_words
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            speck_marks: file.dcc_cells.speck_marks.chars().collect(),
            status_tail_words: file.dcc_cells.status_tail_words,
            row_starts: patterns.row_starts,
            letter_confusions: letter_pairs(&file.dcc_cells.letter_confusions)?,
            ending_confusions: lower_pairs(&file.dcc_cells.ending_confusions),
            sequence_confusions: lower_pairs(&file.dcc_cells.sequence_confusions),
            empty_cells: file.dcc_cells.empty,
            continuation_words: file.paragraphs.continuation_words,
            table_layouts: patterns.table_layouts,
        })
    }

    /// Compiles every pattern compiled only when first used (the sentence rules', and the
    /// phrase rules' automata), so that a grammar whose pattern does not compile is an error
    /// when it is loaded.
    pub fn check_patterns(&self) -> Result<(), GrammarError> {
        self.phrase_set.check().map_err(|e| invalid(e.0))?;
        for rule in &self.sentences {
            if rule.compiled.get().is_none() {
                let _ = rule.compiled.set(self.compile_sentence_pattern(rule)?);
            }
        }
        Ok(())
    }

    /// Builds every automaton built only when first used, in the order a report's parse
    /// first needs them (each phrase pattern, then each sentence rule's groups): run on the
    /// vocabulary's own thread once it is compiled, while a report's parse starts on another
    /// (a one-report run built 42 of the 44 phrase automata and 20 sentence patterns, 40M
    /// instructions, on the parse's thread). A parse that needs one being built waits for it;
    /// one not yet begun, it builds.
    pub fn build_the_rest(&self) {
        if self.phrase_set.check().is_ok() {
            for rule in &self.sentences {
                self.sentence_pattern(rule);
            }
        }
    }

    /// The pattern of `rule` (one of this vocabulary's), compiled on first use. A grammar's
    /// patterns are each compiled before a file is read ([`ReportVocabulary::check_patterns`]:
    /// the built-in one's by a test, any other's when it is loaded), so this cannot fail.
    pub fn sentence_pattern<'v>(&'v self, rule: &'v SentenceRule) -> &'v SentencePattern {
        rule.compiled.get_or_init(|| {
            self.compile_sentence_pattern(rule)
                .expect("sentence patterns are checked when a grammar is loaded")
        })
    }

    /// A rule that is its own phrase pattern reads its groups with that pattern's automaton
    /// (not compiled again); one with a trigger has its pattern compiled.
    fn compile_sentence_pattern(
        &self,
        rule: &SentenceRule,
    ) -> Result<SentencePattern, GrammarError> {
        if !rule.own_phrase {
            return rule.try_compile();
        }
        let nfa = self
            .phrase_set
            .nfa(self.lead_in_of_pattern.len() + rule.index);
        let regex = CapturePattern::from_nfa(nfa)
            .map_err(|e| invalid(format!("pattern {:?}: {}", rule.written, e.0)))?;
        Ok(SentencePattern::of(regex))
    }

    /// How the header of a table names its columns.
    pub fn table_layout(&self, kind: TableKind) -> Option<&TableLayout> {
        self.table_layouts.iter().find(|l| l.tables.contains(&kind))
    }

    /// The bullet markers a text may start with (longest first): those whose first byte is
    /// the text's (none for most texts).
    pub fn bullets_at_start<'s>(&'s self, text: &str) -> impl Iterator<Item = &'s str> + 's {
        let group = text
            .as_bytes()
            .first()
            .map_or(&[][..], |&b| self.bullets_by_first_byte.get(b));
        group.iter().map(|&k| self.bullets[usize::from(k)].as_str())
    }

    /// The rules whose wording a paragraph holds: the first lead-in rule, and the sentence
    /// rules in rule order.
    pub fn phrases_in(&self, text: &str) -> PhraseRules<'_> {
        let matched = self.phrase_set.matches(text);
        let lead_ins = self.lead_in_of_pattern.len();
        PhraseRules {
            lead_in: matched
                .iter()
                .take_while(|&&i| i < lead_ins)
                .next()
                .map(|&i| &self.lead_ins[self.lead_in_of_pattern[i]]),
            sentences: matched
                .iter()
                .filter(|&&i| i >= lead_ins)
                .map(|&i| &self.sentences[i - lead_ins])
                .collect(),
        }
    }

    /// What the structural patterns say about the lines of `text` (lines joined by `\n`):
    /// for each line they match, where it starts, whether it is furniture, and the structure
    /// it marks. Every other line is neither furniture nor structure.
    ///
    /// One scan of the whole text by each of the line automata finds the lines
    /// ([`LineSets::lines_matched`]): each search from the start of a line finds where the
    /// earliest match ends; a line with a match of its own ends no earlier, so the lines
    /// passed over have none, and the next search starts after the line where that match
    /// ended. Only those lines are asked which patterns they match (and a line printed
    /// again, a page's header or footer, is not asked twice).
    pub fn line_kinds(&self, text: &str) -> Vec<(usize, bool, LineStructure)> {
        let mut kinds = Vec::new();
        // Lines asked before (a report asks a few dozen): compared, not hashed.
        let mut known: Vec<(&str, (bool, LineStructure))> = Vec::new();
        for (line_start, line_end) in self.line_set.lines_matched(text) {
            let line = &text[line_start..line_end];
            let (furniture, structure) = match known.iter().find(|(l, _)| *l == line) {
                Some(&(_, kind)) => kind,
                None => {
                    let kind = self.line_kind(line);
                    known.push((line, kind));
                    kind
                }
            };
            if furniture || structure != LineStructure::default() {
                kinds.push((line_start, furniture, structure));
            }
        }
        kinds
    }

    /// Whether one line, asked alone, is page furniture (a footer, a page number) and what
    /// structure it marks: the definition [`ReportVocabulary::line_kinds`] keeps to.
    pub fn line_kind(&self, line: &str) -> (bool, LineStructure) {
        let mut furniture = false;
        let mut out = LineStructure::default();
        for i in self.line_set.matches(line) {
            match self.structure_of_pattern[i] {
                Structure::Furniture => furniture = true,
                Structure::Section(s) => {
                    out.section.get_or_insert(s);
                }
                Structure::OpenHeader => out.open_header = true,
                Structure::ReturnedHeader => out.returned_header = true,
                Structure::DccTable(t) => {
                    out.dcc_table.get_or_insert(t);
                }
            }
        }
        (furniture, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gated_phrase_rules_answer_as_one_set_of_them_on_a_real_report() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let whole = v.phrase_set.ungated();
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        // Each line, and each paragraph (lines between blank lines, joined by spaces).
        let paragraphs: Vec<String> = report
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let (mut texts, mut matched) = (0, 0);
        for text in report.lines().map(str::to_string).chain(paragraphs) {
            let gated = v.phrase_set.matches(&text);
            assert_eq!(gated, whole.matches(&text), "{text}");
            texts += 1;
            matched += usize::from(!gated.is_empty());
        }
        // The report states things: the comparison is not of empty answers only.
        assert!(matched > 20 && texts > 500, "{matched} of {texts}");
    }

    #[test]
    fn one_pass_names_a_paragraphs_lead_in_and_sentence_rules() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let text = "The Change Board voted on two modifications on 27 May 2020. MP090 was \
                    raised by Ali Example of Gemserv on 3 March 2020. The Authority approved \
                    this modification on 4 May 2020.";
        let phrases = v.phrases_in(text);
        assert_eq!(
            phrases.lead_in.map(|r| r.name.as_str()),
            Some("change_board_vote")
        );
        let events: Vec<EventKind> = phrases.sentences.iter().map(|r| r.event).collect();
        assert_eq!(events, [EventKind::Raised, EventKind::AuthorityApproved]);
        let none = v.phrases_in("This document is the Change Status Report.");
        assert!(none.lead_in.is_none() && none.sentences.is_empty());
    }

    #[test]
    fn delivery_header_cells_name_their_columns_as_ocr_reads_them() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let layout = v.table_layout(TableKind::Dcc(DccTable::Delivery)).unwrap();
        for (cell, field) in [
            ("PA WG Request Accepted Date", Some(ColumnField::PaRequest)),
            ("IA WG Request Accepted Date", Some(ColumnField::IaRequest)),
            // Generated scan 7402: the `I` of `IA WG` lost, the rest run together.
            ("AWG Request Accepted Date", Some(ColumnField::IaRequest)),
            ("1A WG Request Accepted Date", Some(ColumnField::IaRequest)),
            ("Target IA Delivery Date", Some(ColumnField::IaTarget)),
            ("Actual 1A Delivery Date", Some(ColumnField::IaActual)),
            // Generated scan 7901: header words OCR ran together.
            ("ActualPA Delivery Date", Some(ColumnField::PaActual)),
            ("Target!A Delivery Date", Some(ColumnField::IaTarget)),
            ("ActuallA Delivery Date", Some(ColumnField::IaActual)),
            ("TargetPA Delivery Date", Some(ColumnField::PaTarget)),
            // A word that only looks like it: no column.
            ("Awgward Date", None),
        ] {
            assert_eq!(layout.field_of(cell), field, "{cell}");
        }
    }

    #[test]
    fn an_assessment_tables_heading_run_into_its_first_header_cell_names_no_column() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let layout = v
            .table_layout(TableKind::Assessments(AssessmentTable::Returned))
            .unwrap();
        for (cell, field) in [
            // Generated scan 8001, its header read again cell by cell.
            ("Returned Assessments Modification.", Some(ColumnField::Id)),
            ("Open Assessments: Modification", Some(ColumnField::Id)),
            ("Modification", Some(ColumnField::Id)),
            ("Returned", Some(ColumnField::Date)),
            // The heading alone names the column its words name.
            ("Returned Assessments", Some(ColumnField::Date)),
        ] {
            assert_eq!(layout.field_of(cell), field, "{cell}");
        }
    }

    #[test]
    fn one_scan_of_many_lines_finds_what_each_line_asked_alone_would() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let mut lines: Vec<String> = report
            .lines()
            .map(|l| {
                let scanned = crate::grammar::text::scan_line(l);
                scanned.plain.unwrap_or_else(|| scanned.text.into_owned())
            })
            .collect();
        // Patterns whose `\s`, `\W` or unanchored words could run across a line break, and
        // the same footer twice.
        lines.extend(
            [
                "3.",
                "Refine",
                "DCC",
                "Assessment Delivery Dates",
                "Page 3 of",
                "25",
                "",
                "Page 2 of 25",
                "Page 2 of 25",
                "SECMP# Date",
                "added",
                // A match that ends on a character of two bytes (generated scan 9502).
                "DCC Public \u{a9}",
                "SEC Modifications - DCC Assessments . DCC Public",
            ]
            .map(String::from),
        );
        let kinds_alone = |lines: &[String]| {
            let mut expected = Vec::new();
            let mut start = 0;
            for line in lines {
                let kind = v.line_kind(line);
                if !line.is_empty() && kind != (false, LineStructure::default()) {
                    expected.push((start, kind.0, kind.1));
                }
                start += line.len() + 1;
            }
            expected
        };
        let expected = kinds_alone(&lines);
        assert!(expected.len() > 40, "{}", expected.len());
        assert_eq!(v.line_kinds(&lines.join("\n")), expected);
    }

    /// The builtin report vocabulary with `from` replaced by `to`, compiled.
    fn compile_changed(from: &str, to: &str) -> Result<ReportVocabulary, GrammarError> {
        let builtin = include_str!("../../grammars/report.toml");
        let changed = builtin.replace(from, to);
        assert_ne!(changed, builtin, "{from:?} is not in report.toml");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("report.toml"), changed).unwrap();
        let grammar = Grammar::load_with_overrides(dir.path()).unwrap();
        let v = ReportVocabulary::compile(&grammar)?;
        v.check_patterns()?;
        Ok(v)
    }

    #[test]
    fn a_letter_confusion_that_is_not_two_letters_is_refused() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        assert!(v.letter_confusions.contains(&('d', 'o')));
        assert!(v
            .ending_confusions
            .contains(&("ina".to_string(), "ing".to_string())));
        for bad in ["\"d\"", "\"dd\"", "\"d1\"", "\"dob\""] {
            let err = compile_changed("[\"do\", ", &format!("[{bad}, ")).unwrap_err();
            assert!(
                err.to_string().contains("letter_confusions"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn every_builtin_pattern_compiled_on_first_use_compiles() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        assert!(v.sentences.iter().all(|r| r.compiled.get().is_none()));
        v.check_patterns().unwrap();
        assert!(v.sentences.iter().all(|r| r.compiled.get().is_some()));
    }

    #[test]
    fn a_sentence_pattern_that_does_not_compile_is_refused_when_checked() {
        let err = compile_changed(
            "pattern = 'was {raised} {by} (?P<person>",
            "pattern = '(was {raised} {by} (?P<person>",
        )
        .unwrap_err();
        assert!(err.to_string().contains("was"), "{err}");
    }

    #[test]
    fn a_line_pattern_anchored_to_the_whole_text_is_refused() {
        for anchored in [
            r"'\AManaged by\z'",
            r"'^Managed by\z'",
            r"'(?-m)^Managed by$'",
            r"'^Managed (?-m:by$)'",
        ] {
            let error = compile_changed("'^Managed by$'", anchored)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("line pattern")
                    && error.contains("Managed")
                    && error.contains("^ and $"),
                "{anchored}: {error}"
            );
        }
        // A backslash before an `A` is no anchor; nor are the line's own ends.
        for line_anchored in [r"'^Managed by \\A$'", r"'(?m)^Managed by$'"] {
            assert!(
                compile_changed("'^Managed by$'", line_anchored).is_ok(),
                "{line_anchored}"
            );
        }
    }

    #[test]
    fn a_month_marker_without_the_month_word_is_refused() {
        let error = compile_changed(r#"["Report -", "Report-"]"#, r#"["Report -", "Rpt -"]"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"Rpt -\"") && error.contains("month_word"),
            "{error}"
        );
        for word in [r#""""#, r#""Status Report""#, r#""Report—""#] {
            let error =
                compile_changed(r#"month_word = "Report""#, &format!("month_word = {word}"))
                    .unwrap_err()
                    .to_string();
            assert!(error.contains("month_word"), "{word}: {error}");
        }
    }

    #[test]
    fn builtin_report_vocabulary_compiles() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let section = |line: &str| v.line_kind(line).1.section;
        let is_furniture = |line: &str| v.line_kind(line).0;
        assert_eq!(section("3. Refine"), Some(Section::Refine));
        assert_eq!(section("Refine the proposal"), None);
        // A speck or a rule OCR read before a numbered heading.
        assert_eq!(section("_ 5. Releases"), Some(Section::Releases));
        assert_eq!(section("|4 Opine"), Some(Section::Opine));
        assert_eq!(section("x 5. Releases"), None);
        assert_eq!(
            v.line_kind("SECMP# Date added Assessment"),
            (
                false,
                LineStructure {
                    dcc_table: Some(DccTable::NoFurther),
                    ..LineStructure::default()
                }
            )
        );
        assert!(is_furniture("Page 11 of 12"));
        assert!(is_furniture("TABASC_55 0207 - Change Status 4"));
        assert!(!is_furniture("DP125 'Correcting the ESME variant'"));
        assert!(v
            .lead_ins
            .iter()
            .any(|l| l.event == LeadInEvent::DecidedByTail));
        let raised = v.sentence_pattern(
            v.sentences
                .iter()
                .find(|s| s.event == EventKind::Raised)
                .unwrap(),
        );
        let c = raised
            .regex
            .captures(
                "DP127 'SMKI' was raised.by Gordon Hextall.on-behalf of the SSC on 11 May 2020.",
            )
            .unwrap();
        assert_eq!(
            (c.name("person"), c.name("org"), c.name("date")),
            (Some("Gordon Hextall"), Some("the SSC"), Some("11 May 2020"))
        );
        let c = raised
            .regex
            .captures(
                "MP184 was raised by Gordon Hextall on behalf ofthe Security Sub-Committee (SSC) on 30 August 2021.",
            )
            .unwrap();
        assert_eq!(
            (c.name("person"), c.name("org")),
            (
                Some("Gordon Hextall"),
                Some("the Security Sub-Committee (SSC)")
            )
        );
        assert!(raised
            .regex
            .is_match("DP184 'Publication' was aied by Gordon Hextall on behalf of the SSC on 30 August 2021."));
    }

    #[test]
    fn fragments_are_put_where_patterns_name_them() {
        let fragments = BTreeMap::from([
            ("date".to_string(), r"\d{1,2} \w+".to_string()),
            ("who".to_string(), "(?P<person>.+?)".to_string()),
        ]);
        for (pattern, want) in [
            ("on (?P<date>{date})", r"on (?P<date>\d{1,2} \w+)"),
            ("{who} on {date}.", r"(?P<person>.+?) on \d{1,2} \w+."),
            // Repetitions, escaped braces and braces around no name are the regex's own.
            (
                r"\d{4} a{2,} \{date} {} {date",
                r"\d{4} a{2,} \{date} {} {date",
            ),
        ] {
            assert_eq!(expand_fragments(pattern, &fragments).unwrap(), want);
        }
        let error = expand_fragments("on {day}", &fragments)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("{day}") && error.contains("[fragments]"),
            "{error}"
        );
        // Any pattern of report.toml may use a fragment; one no fragment names is refused.
        let error = compile_changed(
            "'^{heading_mark}\\d\\.?\\s*Opine{heading_end}$'",
            "'^{nope}Opine$'",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("{nope}"), "{error}");
        // The builtin sentences use the date fragment, and none is left unexpanded.
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        assert!(v.sentences.iter().all(|s| !s.source().contains("{date}")));
    }

    #[test]
    fn a_sentence_rule_with_a_trigger_is_chosen_by_its_trigger() {
        let text = "Ed Rees (Citizens Advice) raised DP126 'Smart meter data' on 11 May 2020.";
        let raised = |v: &ReportVocabulary| {
            v.phrases_in(text)
                .sentences
                .iter()
                .filter(|r| r.event == EventKind::Raised)
                .count()
        };
        // Both rules that name the proposer first share the trigger: both are chosen (the
        // second's pattern, "of" or "from" before "raised", then finds nothing).
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        assert_eq!(raised(&v), 2);
        // The set looks for the trigger, not the pattern: triggers the text does not hold
        // (both rules' changed) leave the rules out, though the first's pattern would match.
        let v = compile_changed(
            "trigger = 'raised (?:SEC[ -]?)?[DM]P'\n\n[[sentence]]",
            "trigger = 'never printed'\n\n[[sentence]]",
        )
        .unwrap();
        assert_eq!(raised(&v), 0);
        assert!(v
            .sentences
            .iter()
            .any(|r| v.sentence_pattern(r).regex.is_match(text)));
    }

    /// Every sentence rule's groups, read as a parse reads them (a rule that is its own
    /// phrase pattern, by that pattern's automaton), are where `regex` finds them in the
    /// pattern's text: on every line of the June 2020 report's text, and on sentences as
    /// OCR prints them.
    #[test]
    fn sentence_groups_are_where_regex_finds_them() {
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let june = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/reports/csr-2020-06-ocr.txt"
        ))
        .unwrap();
        let printed = [
            "DP127 'SMKI' was raised.by Gordon Hextall.on-behalf of the SSC on 11 May 2020.",
            "was raised ¢ on Friday\" 17 September 2021 by Victoria Stone (SECAS).",
            "Ed Rees (Citizens Advice) raised DP126 'Title' on 11 May 2020 and on 12 May.",
            "On 27 May 2020, the Change Board approved MP115. The Authority approved MP104 on 3 June 2020.",
        ];
        // Its paragraphs, each on one line as the model reads them.
        let paragraphs: Vec<String> = june
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let texts: Vec<&str> = paragraphs
            .iter()
            .map(String::as_str)
            .chain(printed)
            .collect();
        let mut matched = 0;
        for rule in &v.sentences {
            let ours = &v.sentence_pattern(rule).regex;
            let theirs = RegexBuilder::new(&rule.source())
                .case_insensitive(true)
                .build()
                .unwrap();
            for text in &texts {
                let spans: Vec<Vec<Option<(usize, usize)>>> = ours
                    .captures_all(text)
                    .iter()
                    .map(|c| {
                        (0..theirs.captures_len())
                            .map(|g| c.get(g).map(|g| (g.start(), g.end())))
                            .collect()
                    })
                    .collect();
                let expected: Vec<Vec<Option<(usize, usize)>>> = theirs
                    .captures_iter(text)
                    .map(|c| c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect())
                    .collect();
                assert_eq!(spans, expected, "{:?} in {text:?}", rule.written);
                matched += expected.len();
            }
        }
        assert!(matched >= 20, "the rules matched {matched} times");
    }

    #[test]
    fn spaces_widen_outside_classes_only() {
        let gap = format!("(?:{OCR_WORD_GAP})");
        assert_eq!(ocr_tolerant("a b"), format!("a{gap}b"));
        assert_eq!(
            ocr_tolerant("Self-Governance"),
            format!("Self{gap}Governance")
        );
        assert_eq!(
            ocr_tolerant("(?-i)a -?b [a-z]"),
            format!("(?-i)a{gap}-?b{gap}[a-z]")
        );
        assert_eq!(ocr_tolerant("a[ .]b"), "a[ .]b");
        assert_eq!(ocr_tolerant(r"a\ b"), r"a\ b");
    }

    #[test]
    fn a_header_word_listed_with_its_stop_is_known_with_it_only() {
        // `Mod` / `No.` (generated report 7502); `No` starts `No outstanding`, a status.
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let layout = v
            .table_layout(TableKind::Dcc(DccTable::NotRequested))
            .unwrap();
        assert!(layout.is_header_word("No."));
        assert!(!layout.is_header_word("No"));
        assert!(layout.is_header_word("Status"));
        assert!(layout.is_header_word("TargetPA"));
    }

    #[test]
    fn a_tables_heading_with_a_word_ocr_garbled_still_names_its_table() {
        // Generated scan 8600: `system` OCR'd as `een`; the table's nine rows went on the
        // delivery table above it.
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        for heading in [
            "Modifications - No system impact assessment yet requested",
            ". Modifications - No een impact assessment yet requested",
            // Generated scan 9504: `system` lost, an accent OCR set on `assessment`; eleven
            // rows went on the delivery table.
            "Modifications - No —— impact asséssment yet requested",
        ] {
            let kind = v.line_kind(heading).1.dcc_table;
            assert_eq!(kind, Some(DccTable::NotRequested), "{heading}");
        }
        let prose = "an impact assessment was requested";
        assert_eq!(v.line_kind(prose).1.dcc_table, None);
    }

    #[test]
    fn an_optional_space_is_an_optional_gap() {
        // The delivery table's header as generated scan 7303's OCR layer printed it.
        let v = ReportVocabulary::compile(Grammar::builtin()).unwrap();
        let header = "pec Reaves TargetPA Actual PA oe Target IA Actual IA";
        assert_eq!(v.line_kind(header).1.dcc_table, Some(DccTable::Delivery));
        let target = regex(r"\bTarget ?PA\b").unwrap();
        for text in ["TargetPA", "Target PA", "Target. PA"] {
            assert!(target.is_match(text), "{text}");
        }
    }

    #[test]
    fn word_digit_and_space_classes_are_ascii_outside_classes() {
        assert_eq!(
            ocr_tolerant(r"\w+day\s\d{4}\b"),
            r"(?-u:\w)+day(?-u:\s)(?-u:\d){4}(?-u:\b)"
        );
        assert_eq!(ocr_tolerant(r"[\w\d]\W\S\D\\w"), r"[\w\d]\W\S\D\\w");
        let month = regex(r"^\d \w+$").unwrap();
        assert!(month.is_match("3 March"));
        assert!(!month.is_match("3 Mär"), "a non-ASCII letter is no \\w");
    }
}

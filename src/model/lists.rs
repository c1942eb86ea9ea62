//! Lists and prose: bulleted items under their lead-in sentences, modification headings, and
//! the sentences that state facts ("was raised by ... on DATE").
//!
//! A lead-in paragraph ("The Change Board voted on two modifications on 27 May 2020:") gives
//! each following item its event and date; the item's tail ("was approved under
//! Self-Governance for implementation in the November 2020 SEC Release") can name the decision,
//! a more precise date and the release. Which words mean what is data: `grammars/report.toml`.

use super::layout::Line;
use super::records::{
    Diagnostic, DiagnosticCode, Event, EventKind, Mention, ModRef, Provenance, Severity,
};
use super::vocabulary::{LeadInDate, LeadInEvent, LeadInRule, ReportVocabulary, SentenceRule};
use super::ExtractContext;
use crate::grammar::dates::{dates_in, garbled_month_date, weekday_and_day_date};
use crate::grammar::ids::{find_mod_ids, find_mod_ids_into, whole_mod_id};
use crate::grammar::text::{clean_plain_title, collapse_whitespace, edit_distance, trim_collapsed};
use crate::grammar::{DateMatch, DatePrecision, IdFinding, IdMatch};

/// A run of lines read as one text, with the line each byte offset came from.
#[derive(Debug, Clone)]
pub struct Paragraph<'l> {
    /// The lines, blank ones among them.
    lines: &'l [Line<'l>],
    /// The plain text of the lines that are not blank, joined by single spaces.
    pub text: String,
    /// Where each of those lines starts in `text`, and its index in `lines`.
    starts: Vec<(usize, usize)>,
}

/// The buffers a paragraph's text and line starts are built in, handed from one paragraph
/// to the next (a report has some hundred and fifty).
#[derive(Debug, Default)]
pub struct ParagraphBuffers {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl<'l> Paragraph<'l> {
    /// A paragraph of the given lines, built in the buffers of the paragraph read before (or
    /// new ones); blank lines among them are left out of its text.
    pub fn in_buffers(lines: &'l [Line<'l>], buffers: ParagraphBuffers) -> Paragraph<'l> {
        let ParagraphBuffers {
            mut text,
            mut starts,
        } = buffers;
        text.clear();
        starts.clear();
        text.reserve(lines.iter().map(|l| l.plain().len() + 1).sum());
        starts.reserve(lines.len());
        for (i, l) in lines.iter().enumerate().filter(|(_, l)| !l.is_blank()) {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push((text.len(), i));
            let from = text.len();
            text.push_str(without_leading_speck(l.plain(), from > 0));
            unglue_ocr_marks(&mut text, from);
        }
        Paragraph {
            lines,
            text,
            starts,
        }
    }

    /// The paragraph's buffers, for the next.
    pub fn into_buffers(self) -> ParagraphBuffers {
        ParagraphBuffers {
            text: self.text,
            starts: self.starts,
        }
    }

    /// The line a byte offset of `text` came from.
    pub fn line_at(&self, offset: usize) -> &'l Line<'l> {
        let k = self
            .starts
            .partition_point(|&(s, _)| s <= offset)
            .saturating_sub(1);
        &self.lines[self.starts.get(k).map_or(0, |&(_, i)| i)]
    }
}

/// Marks OCR glued between two words made spaces, in `text` from byte `from` on, so that
/// phrases and names read across them: a stop, comma, bar or underscore after two lower-case
/// letters and before two letters ("voted on one modification.on 4 March 2019:", "Business
/// Architecture.Sub-Committee"). Initials and abbreviations ("E.ON", "e.g.") have one letter
/// before their stop; web addresses (a word holding `/`, `@` or `www`) keep theirs. A mark
/// becomes one space: every offset into the text stays where it was.
///
fn unglue_ocr_marks(text: &mut String, from: usize) {
    let glued: Vec<usize> = {
        let bytes = &text.as_bytes()[from..];
        (2..bytes.len().saturating_sub(2))
            .filter(|&i| matches!(bytes[i], b'.' | b',' | b'|' | b'_'))
            .filter(|&i| bytes[i - 2..i].iter().all(u8::is_ascii_lowercase))
            .filter(|&i| bytes[i + 1..i + 3].iter().all(u8::is_ascii_alphabetic))
            .filter(|&i| !in_web_address(bytes, i))
            .map(|i| from + i)
            .collect()
    };
    for i in glued {
        text.replace_range(i..i + 1, " ");
    }
}

/// A line that goes on a paragraph (`continues`) without the stop, comma, bar or underscore
/// standing alone at its start: no printed line goes on a sentence with one, it is a speck
/// OCR read at the line's left edge ("...raised on Monday 30 March by Chun Chen of the" /
/// ". DCC. ,", generated scan 3103, whose organisation read as "the"). The line's own text
/// (its snippet) keeps it.
fn without_leading_speck(line: &str, continues: bool) -> &str {
    let bytes = line.as_bytes();
    let speck = continues
        && bytes.len() > 2
        && matches!(bytes[0], b'.' | b',' | b'|' | b'_')
        && bytes[1] == b' ';
    if speck {
        &line[2..]
    } else {
        line
    }
}

/// True when the word around byte `i` is a web or mail address.
fn in_web_address(bytes: &[u8], i: usize) -> bool {
    let start = bytes[..i]
        .iter()
        .rposition(|&b| b == b' ')
        .map_or(0, |p| p + 1);
    let end = bytes[i..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(bytes.len(), |p| i + p);
    let word = &bytes[start..end];
    word.iter().any(|&b| b == b'/' || b == b'@') || word.windows(3).any(|w| w == b"www")
}

pub fn provenance(line: &Line) -> Provenance {
    Provenance {
        page: line.page,
        line: line.line,
        snippet: line.snippet(),
    }
}

/// An item of a bulleted list: the id, its title and the words after the title.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: IdMatch,
    pub title: Option<String>,
    /// The title had no closing quote: where it ends was inferred.
    pub title_unclosed: bool,
    pub tail: String,
}

/// Strips a bullet marker (`e `, `¢ `, `• `, OCR'd `e-`) from the start of a plain line, and a
/// second marker after a first one: a table's rule OCR read before the bullet (`| e MP095`).
pub fn strip_bullet<'t>(vocab: &ReportVocabulary, text: &'t str) -> (&'t str, bool) {
    let (rest, bulleted) = strip_one_bullet(vocab, text);
    if !bulleted {
        return (rest, false);
    }
    (strip_bullet_marker(vocab, rest).unwrap_or(rest), true)
}

/// A bullet marker of the vocabulary and the space or hyphen after it, stripped.
pub fn strip_bullet_marker<'t>(vocab: &ReportVocabulary, text: &'t str) -> Option<&'t str> {
    vocab.bullets_at_start(text).find_map(|marker| {
        let rest = text.strip_prefix(marker)?.strip_prefix([' ', '-'])?;
        Some(rest.trim_start())
    })
}

/// One bullet: a marker of the vocabulary, or a symbol OCR made of one.
fn strip_one_bullet<'t>(vocab: &ReportVocabulary, text: &'t str) -> (&'t str, bool) {
    if let Some(rest) = strip_bullet_marker(vocab, text) {
        return (rest, true);
    }
    // Any other symbol OCR makes of a bullet (`¥`, `*MP088`): one character that is neither
    // a letter, a digit, a quote nor a bracket. The caller still needs an id after it.
    let is_symbol = |c: char| {
        !c.is_alphanumeric() && !crate::grammar::text::is_quote(c) && !matches!(c, '(' | '[' | '{')
    };
    if let Some(rest) = strip_bullet_word(vocab, text) {
        return (rest, true);
    }
    let mut chars = text.chars();
    if let Some(c) = chars.next() {
        if is_symbol(c) {
            return (chars.as_str().trim_start(), true);
        }
        // A marker with a symbol glued after it, then a space: one bullet OCR read as two
        // marks ("e¢ DP143 'Removing the DCC's Charging Statement publication deadline'",
        // generated scan 3001).
        let mut rest = chars.as_str().chars();
        let glued = vocab.bullets_at_start(text).any(|m| m.chars().eq([c]))
            && rest.next().is_some_and(is_symbol)
            && rest.as_str().starts_with(' ');
        if glued {
            return (rest.as_str().trim_start(), true);
        }
    }
    (text, false)
}

/// The text after a bullet OCR read as a word of one or two of its letters,
/// perhaps with marks around them, that is no word of the language ("re SECMP0060 'Amend
/// Requirements...'", "oe SEC MP078", "\"e MP081", generated scan 3103: two lists lost
/// with their lead-ins, whose paragraphs ran on into their first items). The caller still
/// needs an id after it.
fn strip_bullet_word<'t>(vocab: &ReportVocabulary, text: &'t str) -> Option<&'t str> {
    let (word, rest) = text.split_once(' ')?;
    // Marks around the letters are the bullet's too: `m=`, `-m`, `'m` (generated scan 7802,
    // whose Working Group list of ten and release list lost every item marked so).
    let letters = word.trim_matches(|c: char| !c.is_alphanumeric());
    if !(1..=2).contains(&letters.len()) || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    // One or two letters glued to a mark are no word of running text, whatever the letters
    // (`a: SECMP0022 'SMKI PMA Governance Changes'`, generated scan 8802, whose release list
    // of five lost every item when its first one read so; a lettered list's `(a)` too).
    let marked = letters.len() < word.len();
    let bullet_letters = letters.chars().all(|c| vocab.bullet_letters.contains(c));
    let a_word = vocab
        .continuation_words
        .iter()
        .any(|w| w.eq_ignore_ascii_case(letters));
    (marked || (bullet_letters && !a_word)).then(|| rest.trim_start())
}

/// The id a text starts with, and the text after it.
/// (Stray quotes and stops OCR leaves before the id, `-'DP136`, `-.MP122`, do not count.)
fn leading_id<'t>(ctx: &ExtractContext, text: &'t str) -> Option<(IdMatch, &'t str)> {
    crate::grammar::ids::leading_mod_id(&ctx.grammar.ids, text)
}

/// The text after an item's id, past the punctuation OCR glues there (`MP080:'Managing`).
fn after_item_id(text: &str) -> &str {
    text.trim_start_matches([' ', '.', ':', '-', ','])
}

/// Where a line starts a list item: its id, and where the text after the id starts in the
/// line's plain text - and so in the text of the paragraph the line starts, which begins with
/// it. The walk reads the item from there without parsing the id again.
#[derive(Debug, Clone)]
pub struct ItemStart {
    id: IdMatch,
    after: usize,
    /// How far into the line a bullet only the list around it shows is ([`listed_item_start`]),
    /// else 0.
    misread_bullet: usize,
    /// The line starts with a bullet (else with the id, then a quoted title).
    pub bulleted: bool,
}

/// The item a line starts, if it starts one: a bullet then an id, or an id then a quoted
/// title.
pub fn item_start(ctx: &ExtractContext, line: &Line) -> Option<ItemStart> {
    let plain = line.plain();
    let (rest, bulleted) = strip_bullet(ctx.vocab, plain);
    // Without a bullet, only a line with a quote (plain text's are ASCII) can hold a title
    // after its id: most lines with an id at their start are table rows, and fail here
    // without parsing.
    if !bulleted && memchr::memchr2(b'\'', b'"', rest.as_bytes()).is_none() {
        return None;
    }
    let (id, after) = leading_id(ctx, rest)?;
    // Marks before the id are a bullet OCR misread (`"= SECMP0019 'ALCS Description Labels'`,
    // tesseract on an image-only scan): the item is bulleted like its neighbours, and does not
    // end their list.
    let marked = rest[..id.span.start].chars().any(|c| !c.is_whitespace());
    (bulleted || opens_a_title(after)).then(|| ItemStart {
        id,
        after: plain.len() - after.len(),
        misread_bullet: 0,
        bulleted: bulleted || marked,
    })
}

/// The item a line of a list starts (after a lead-in or an item) behind a bullet OCR read as
/// a word of one letter or digit: the word, an id, then a quoted title. In running text
/// such a word is a word (`a MP104 'Alert Storm'`); in a list, the bullet of its
/// neighbours (generated scan 9705: `a SECMP0059 'Amendments to ...'`, `a SECMP0060 ...`, then
/// `= SECMP0063 ...`; 9703: `7 'MP208 "Incorporation ..."` after six items bulleted `=`:
/// each lost its list's rest, the Working Group's items).
pub fn listed_item_start(ctx: &ExtractContext, line: &Line) -> Option<ItemStart> {
    let plain = line.plain();
    let (word, rest) = plain.split_once(' ')?;
    if word.chars().count() != 1 || !word.chars().all(char::is_alphanumeric) {
        return None;
    }
    let rest = rest.trim_start();
    let (id, after) = leading_id(ctx, rest)?;
    opens_a_title(after).then(|| ItemStart {
        id,
        after: plain.len() - after.len(),
        misread_bullet: plain.len() - rest.len(),
        bulleted: true,
    })
}

/// Whether the text after an item's id opens a quoted title. An id and a lone quote mark,
/// nothing else, is an entry's heading with a speck OCR read beside it (`SECMP0043 '` over
/// "‘Jack Thornton (Smart Energy GB) raised SECMP0043 ...", generated scan 8001, whose raised
/// fact the item swallowed): a title opens on its id's line.
fn opens_a_title(after_id: &str) -> bool {
    let title = after_item_id(after_id);
    title.starts_with(['\'', '"']) && title.trim_end().len() > 1
}

/// Reads an item from its paragraph's text, which must be plain and collapsed (the title and
/// tail are only trimmed).
pub fn read_item(ctx: &ExtractContext, text: &str) -> Option<Item> {
    let (rest, _) = strip_bullet(ctx.vocab, text);
    let (id, after) = leading_id(ctx, rest)?;
    Some(item_after_id(id, after))
}

/// [`read_item`] of the text of the paragraph a line starts, given the line's [`ItemStart`].
pub fn read_started_item(ctx: &ExtractContext, start: &ItemStart, text: &str) -> Item {
    let item = item_after_id(start.id.clone(), &text[start.after..]);
    // The line's id, read where the paragraph goes on past the line's end, is the same: an
    // id's parse looks one character past it, where the line's end and the space joining
    // the next line both end it.
    debug_assert_eq!(
        Some(&item),
        read_item(ctx, &text[start.misread_bullet..]).as_ref(),
        "{text:?}"
    );
    item
}

/// An item's title and tail from the text after its id.
fn item_after_id(id: IdMatch, after: &str) -> Item {
    let after = after_item_id(after);
    let Some(quoted) = after.strip_prefix(['\'', '"']) else {
        return Item {
            id,
            title: None,
            title_unclosed: false,
            tail: after.to_string(),
        };
    };
    // A doubled opening quote (`‘'SMKI`) is one quote.
    let quoted = quoted.trim_start_matches(['\'', '"']);
    // The closing quote is a quote followed by the end, a space or punctuation: an
    // apostrophe inside a word (DCC's) is not one.
    // (Bytes will do: the quotes are ASCII, and the only whitespace in collapsed text is the
    // space.)
    let bytes = quoted.as_bytes();
    let closes = |i: usize| {
        bytes
            .get(i + 1)
            .is_none_or(|n| matches!(n, b' ' | b',' | b'.' | b';' | b':' | b')' | b'\'' | b'"'))
    };
    // A quote inside the title opens at a word's start and closes one of its own
    // (`'Devices in 'Suspended' state following firmware failure'`): the title's closing
    // quote is the first that closes with no inner quote open. (Without one, the first that
    // closes: OCR lost a quote.)
    let opens = |i: usize| {
        (i == 0 || bytes[i - 1] == b' ') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    };
    let mut depth = 0usize;
    let nested = memchr::memchr2_iter(b'\'', b'"', bytes).find(|&i| {
        if opens(i) {
            depth += 1;
            false
        } else if closes(i) {
            if depth == 0 {
                return true;
            }
            depth -= 1;
            false
        } else {
            false
        }
    });
    let close = nested.or_else(|| memchr::memchr2_iter(b'\'', b'"', bytes).find(|&i| closes(i)));
    let (title, tail, unclosed) = match close {
        Some(i) => (
            &quoted[..i],
            quoted[i + 1..].trim_start_matches(['\'', '"']),
            false,
        ),
        None => match (quoted.rfind(" - "), quoted.find(" was ")) {
            // No closing quote: a short tail after a spaced dash ("- approved") is not title.
            (Some(i), _) if quoted[i + 3..].split_whitespace().count() <= 4 => {
                (&quoted[..i], &quoted[i + 1..], true)
            }
            // Nor is a sentence's verb and what follows: OCR read the closing quote as a
            // mark (`'Power to raise modifications: was approved on 4 August 2020.`).
            (_, Some(i)) => (
                quoted[..i].trim_end_matches([':', ';', ',', '.', '`']),
                &quoted[i + 1..],
                true,
            ),
            _ => (quoted, "", true),
        },
    };
    // (`after` is a paragraph's text: plain and collapsed already.)
    let title = clean_plain_title(title);
    Item {
        id,
        title: (!title.is_empty()).then_some(title),
        title_unclosed: unclosed,
        tail: trim_collapsed(tail),
    }
}

/// The active lead-in: its rule, its date and release, and the line it was read from.
#[derive(Debug, Clone)]
pub struct LeadIn<'v> {
    pub rule: &'v LeadInRule,
    pub date: Option<DateMatch>,
    pub release: Option<String>,
    pub standalone: bool,
    /// Whether the list's items so far start with a bullet (`None` before the first): a
    /// list's items are printed alike.
    pub items_bulleted: Option<bool>,
}

/// The release named in a text, written "<Month> <YYYY> SEC Release", or "<Month> <YYYY> SEC
/// <Kind> Release" where the pattern's `kind` group reads one ("Minor").
pub fn release_name(vocab: &ReportVocabulary, text: &str) -> Option<String> {
    let c = vocab.release.captures(text)?;
    let title_case = |word: &str| {
        let mut out = word[..1].to_uppercase();
        out.push_str(&word[1..].to_lowercase());
        out
    };
    let kind = c
        .name("kind")
        .filter(|k| !k.is_empty())
        .map(|k| title_case(k.as_str()) + " ")
        .unwrap_or_default();
    Some(format!(
        "{} {} SEC {kind}Release",
        title_case(&c["month"]),
        &c["year"]
    ))
}

/// The first well-read day in a text. A month alone ("the November 2020 SEC Release") names a
/// release, never the date of an event.
pub fn first_date(ctx: &ExtractContext, text: &str) -> Option<DateMatch> {
    dates_in(&ctx.grammar.dates, text, ctx.report_date)
        .filter_map(Result::ok)
        .find(|d| d.precision == DatePrecision::Day)
}

/// A date OCR garbled past the date grammar's reading: its month ([`garbled_month_date`]),
/// or its month and year beside a weekday ([`weekday_and_day_date`]), each flagged repaired.
fn garbled_date(ctx: &ExtractContext, text: &str) -> Option<DateMatch> {
    let report = ctx.report_date?;
    garbled_month_date(&ctx.grammar.dates, text, report)
        .or_else(|| weekday_and_day_date(&ctx.grammar.dates, text, report))
}

/// The lead-in a prose paragraph's `text` (the whole paragraph, or the sentence of it that
/// introduces the list) starts, by the rule its wording matches.
pub fn read_lead_in<'v>(ctx: &ExtractContext<'v>, rule: &'v LeadInRule, text: &str) -> LeadIn<'v> {
    let date = match rule.date {
        LeadInDate::Text => first_date(ctx, text).or_else(|| garbled_date(ctx, text)),
        LeadInDate::Report | LeadInDate::None => None,
    };
    LeadIn {
        rule,
        date,
        release: release_name(ctx.vocab, text),
        standalone: ctx.vocab.standalone_release.is_match(text),
        items_bulleted: None,
    }
}

/// A paragraph's last sentence: its text after the last stop that ends a sentence (a stop,
/// a space, a capital), or the whole text where it has one sentence.
pub fn last_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let start = (1..bytes.len().saturating_sub(2))
        .rev()
        .find(|&i| bytes[i] == b'.' && bytes[i + 1] == b' ' && bytes[i + 2].is_ascii_uppercase())
        .map_or(0, |i| i + 2);
    &text[start..]
}

/// What an event's printed date says of it, for the event's flags: the year was inferred,
/// OCR damage was repaired, the printed weekday does not fall on it.
fn date_flags(date: Option<&DateMatch>) -> (bool, bool, bool) {
    date.map_or((false, false, false), |d| {
        (d.year_inferred, d.repaired, d.weekday_mismatch)
    })
}

/// Confidence of a fact read from a list item.
fn item_confidence(item: &Item, date: Option<&DateMatch>) -> f32 {
    let mut c: f32 = 1.0;
    if item.id.repaired {
        c -= 0.1;
    }
    if item.title_unclosed {
        c -= 0.1;
    }
    if date.is_some_and(|d| d.year_inferred || d.repaired) {
        c -= 0.1;
    }
    c
}

/// The event an item gets under a lead-in, or a diagnostic when its tail names no decision
/// the lead-in allows. (Takes the item: its title and words become the event's.)
pub fn item_event(
    ctx: &ExtractContext,
    lead: &LeadIn,
    item: Item,
    at: &Line,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let tail_rule = lead
        .rule
        .tails
        .iter()
        .find(|t| t.patterns.is_match(&item.tail));
    let event = match (tail_rule, lead.rule.event) {
        (Some(t), _) => t.event,
        (None, LeadInEvent::Event(e)) => e,
        (None, LeadInEvent::DecidedByTail) => {
            diagnostics.push(Diagnostic {
                at: Some(provenance(at)),
                severity: Severity::Warning,
                code: DiagnosticCode::DecisionUnread,
                message: format!(
                    "{} is listed under a '{}' lead-in but its text names no decision",
                    item.id.id, lead.rule.name
                ),
            });
            return None;
        }
    };
    let tail_date = first_date(ctx, &item.tail);
    let (date, date_match) = match lead.rule.date {
        LeadInDate::None => (None, None),
        LeadInDate::Report if tail_date.is_none() => (ctx.report_date, None),
        _ => {
            let m = tail_date.or_else(|| lead.date.clone());
            (m.as_ref().map(|m| m.date), m)
        }
    };
    let release = release_name(ctx.vocab, &item.tail).or_else(|| lead.release.clone());
    let detail = if lead.standalone {
        Some("standalone release".to_string())
    } else {
        None
    };
    let confidence = item_confidence(&item, date_match.as_ref());
    let (date_inferred, date_repaired, weekday_mismatch) = date_flags(date_match.as_ref());
    let detail = match (detail, item.tail.is_empty()) {
        (Some(d), _) => Some(d),
        (None, false) => Some(item.tail),
        (None, true) => None,
    };
    Some(Event {
        at: provenance(at),
        modification: ModRef::from(item.id),
        title: item.title,
        event,
        date,
        date_inferred,
        date_repaired,
        weekday_mismatch,
        proposer: None,
        organisation: None,
        release_name: release,
        detail,
        confidence,
    })
}

/// The facts stated by sentences in a paragraph, by the sentence rules its wording matches.
/// `subject` is the modification whose heading the paragraph sits under.
pub fn sentence_events(
    ctx: &ExtractContext,
    paragraph: &Paragraph,
    rules: &[&SentenceRule],
    subject: Option<&IdMatch>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    let mut events = Vec::new();
    for rule in rules {
        let pattern = ctx.vocab.sentence_pattern(rule);
        for caps in pattern.regex.captures_all(&paragraph.text) {
            let whole = caps.get(0).expect("group 0");
            // The modification: one printed in the sentence ("The Authority rejected MP079
            // ..."); else the entry's own when the sentence says "this modification"; else
            // the last printed before the sentence ("DP125 '...' was raised by"); else the
            // entry's.
            let found = |text: &str| -> Vec<IdMatch> {
                find_mod_ids(&ctx.grammar.ids, text)
                    .into_iter()
                    .filter_map(|f| match f {
                        IdFinding::Found(m) => Some(m),
                        IdFinding::Ambiguous { .. } => None,
                    })
                    .collect()
            };
            let before = &paragraph.text[..whole.start()];
            // (No character but ASCII lowers to these letters, so ASCII case will do.)
            let refers_to_entry = whole
                .as_str()
                .as_bytes()
                .windows(5)
                .any(|w| w.eq_ignore_ascii_case(b"this "));
            let printed = found(whole.as_str()).into_iter().next().or_else(|| {
                if refers_to_entry && subject.is_some() {
                    None
                } else {
                    found(before).pop()
                }
            });
            let line = paragraph.line_at(whole.start());
            // A sentence that prints an id OCR left unreadable states its fact of that id,
            // not of the entry it sits under, unless the id's digits are the entry's
            // ("Owen Blake (Wales & West Utilities) raised DP1 70." in DP169's entry, generated
            // scan 3002: MP169 was given DP170's proposer).
            let unreadable = printed
                .is_none()
                .then(|| unreadable_id_digits(ctx, whole.as_str()))
                .flatten();
            let not_the_entrys =
                |d: &String| subject.is_none_or(|s| d.parse().ok() != Some(s.id.number));
            if let Some(digits) = unreadable.filter(not_the_entrys) {
                diagnostics.push(Diagnostic {
                    at: Some(provenance(line)),
                    severity: Severity::Warning,
                    code: DiagnosticCode::EventWithoutModification,
                    message: format!(
                        "a '{}' sentence names a modification whose id OCR left unreadable (digits {digits:?}): not read",
                        rule.event.name()
                    ),
                });
                continue;
            }
            let Some(id) = printed.or_else(|| subject.cloned()) else {
                diagnostics.push(Diagnostic {
                    at: Some(provenance(line)),
                    severity: Severity::Warning,
                    code: DiagnosticCode::EventWithoutModification,
                    message: format!("a '{}' sentence names no modification", rule.event.name()),
                });
                continue;
            };
            // A weekday and day whose month OCR garbled (`was raised by Simon Crouch from
            // Utiligroup on Monday 26 agust.`, generated image-only scan 9900) is the day the
            // weekday falls on in the report's month or the one before ([`garbled_date`]).
            let date_match = pattern.date_group.and_then(|g| caps.get(g)).and_then(|d| {
                match dates_in(&ctx.grammar.dates, d.as_str(), ctx.report_date).next() {
                    Some(Ok(m)) => Some(m),
                    unread => garbled_date(ctx, d.as_str()).or_else(|| {
                        if let Some(Err(e)) = unread {
                            diagnostics.push(Diagnostic {
                                at: Some(provenance(line)),
                                severity: Severity::Warning,
                                code: (&e).into(),
                                message: e.to_string(),
                            });
                        }
                        None
                    }),
                }
            });
            // A raised sentence's title: after the id printed before it ("DP125 'Title' was
            // raised by"), or inside it as an item's would be ("Ed Rees (Citizens Advice)
            // raised DP126 'Title' on").
            let title = if rule.event == EventKind::Raised {
                title_after_id(before, &id).or_else(|| {
                    let (_, after) = whole.as_str().split_once(id.raw.as_str())?;
                    item_after_id(id.clone(), after).title
                })
            } else {
                None
            };
            let mut confidence: f32 = 1.0;
            if id.repaired {
                confidence -= 0.1;
            }
            if date_match
                .as_ref()
                .is_some_and(|d| d.year_inferred || d.repaired)
            {
                confidence -= 0.1;
            }
            let (date_inferred, date_repaired, weekday_mismatch) = date_flags(date_match.as_ref());
            let organisation = pattern.org_group.and_then(|g| caps.get(g)).map(|o| {
                let line = paragraph.line_at(o.start());
                known_organisation(ctx.vocab, o.as_str(), line, diagnostics)
            });
            if organisation.as_ref().is_some_and(|(_, repaired)| *repaired) {
                confidence -= 0.1;
            }
            events.push(Event {
                at: provenance(paragraph.line_at(whole.start())),
                modification: ModRef::from(&id),
                title,
                event: rule.event,
                date: date_match.as_ref().map(|d| d.date),
                date_inferred,
                date_repaired,
                weekday_mismatch,
                proposer: pattern
                    .person_group
                    .and_then(|g| caps.get(g))
                    .map(|p| person_name(p.as_str())),
                organisation: organisation.map(|(name, _)| name),
                release_name: None,
                detail: None,
                confidence,
            });
        }
    }
    events
}

/// The digits of the first id a sentence prints that could not be read, with the digits OCR
/// set apart after it (`DP1 70` -> "170"); `None` when it prints none.
fn unreadable_id_digits(ctx: &ExtractContext, sentence: &str) -> Option<String> {
    let span = find_mod_ids(&ctx.grammar.ids, sentence)
        .into_iter()
        .find_map(|f| match f {
            IdFinding::Ambiguous { span, .. } => Some(span),
            IdFinding::Found(_) => None,
        })?;
    let raw = &sentence[span.clone()];
    let apart = sentence[span.end..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit);
    Some(
        raw.chars()
            .filter(char::is_ascii_digit)
            .chain(apart)
            .collect(),
    )
}

/// The quoted title after an id in "DP125 'Correcting the ESME variant' was raised by".
fn title_after_id(before: &str, id: &IdMatch) -> Option<String> {
    let (_, after) = before.rsplit_once(id.raw.as_str())?;
    // (`before` is part of a paragraph's text: plain and collapsed already.)
    let t = clean_plain_title(after);
    (!t.is_empty()).then_some(t)
}

/// A person's name as printed, without the stops OCR puts after whole words ("Gordon.
/// Hextall"); initials ("J. Smith") keep theirs. What OCR puts before a name is not part of
/// it: marks and an entry's id heading run into the paragraph ("- DP147 Stephen Pearce from
/// Northern Powergrid raised DP147", generated scan 3001), and a capital I read as a bar
/// ("\u{201c} |mran Qureshi from E.ON", scan 3003) is an I.
fn person_name(text: &str) -> String {
    let words: Vec<String> = without_ocr_marks(text)
        .split_whitespace()
        .skip_while(|w| !starts_a_name(w))
        .map(|w| match w.strip_suffix('.') {
            Some(stem) if stem.chars().count() >= 2 => stem.to_string(),
            _ => w.to_string(),
        })
        .collect();
    if words.is_empty() {
        // Nothing reads as a name: the text as printed, for a person to read.
        return collapse_whitespace(text);
    }
    words.join(" ")
}

/// True for a word a name can start with: a capital, no digit (not an id).
fn starts_a_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase()) && !word.bytes().any(|b| b.is_ascii_digit())
}

/// A name's text without the marks OCR makes of specks and rules: a bar starting a word
/// before lower-case letters is a capital I ("|mran"); other bars, underscores, and marks
/// before the first or after the last letter or digit (quotes, dashes, stops, commas) go.
fn without_ocr_marks(text: &str) -> String {
    let is_mark = |c: char| !c.is_alphanumeric() && !matches!(c, '(' | ')' | '&');
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            let w = match w.strip_prefix('|') {
                Some(rest) if rest.starts_with(|c: char| c.is_lowercase()) => format!("I{rest}"),
                _ => w.to_string(),
            };
            w.chars()
                .filter(|c| !matches!(c, '|' | '_'))
                .collect::<String>()
        })
        // A word of marks alone is a speck or a rule, not a word of the name ("Business
        // Architecture - Sub-Committee", generated scan 3122).
        .filter(|w| !w.chars().all(is_mark))
        .collect();
    let joined = words.join(" ");
    let trimmed = joined.trim_start_matches(is_mark);
    // A closing stop stays ("Ltd."): a sentence's own is not in the name's words.
    trimmed
        .trim_end_matches(|c: char| is_mark(c) && c != '.')
        .to_string()
}

/// An organisation as printed, without a leading article ("the DCC" -> "DCC") or the marks
/// OCR puts before and after it ("- DCC on 22 February", generated scan 3004).
fn organisation(vocab: &ReportVocabulary, text: &str) -> String {
    let cleaned = without_ocr_marks(text);
    let mut org = if cleaned.is_empty() {
        collapse_whitespace(text)
    } else {
        cleaned
    };
    for prefix in &vocab.organisation_strip {
        // An article OCR glued to the name with a mark ("the-Technical Architecture and
        // Business Architecture Sub-Committee", generated scan 3122).
        let article = prefix.trim_end();
        let glued = org
            .get(..article.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(article))
            && org[article.len()..].starts_with(['-', '.', '_', '|']);
        if glued && !article.is_empty() {
            org = org[article.len() + 1..].trim_start().to_string();
            continue;
        }
        // (`get`: the prefix's length may fall inside a character of the name.)
        let starts_with_prefix = org
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix));
        if org.len() > prefix.len() && starts_with_prefix {
            org = org[prefix.len()..].to_string();
        }
    }
    org
}

/// [`organisation`], read as the known organisation OCR garbled by a letter or two, if it is
/// near one (`[organisation] known`), with an `organisation_repaired` diagnostic; and whether
/// it was.
fn known_organisation(
    vocab: &ReportVocabulary,
    text: &str,
    line: &Line,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, bool) {
    let printed = organisation(vocab, text);
    let Some(known) = nearest_known_organisation(&vocab.known_organisations, &printed) else {
        return (printed, false);
    };
    diagnostics.push(Diagnostic {
        at: Some(provenance(line)),
        severity: Severity::Info,
        code: DiagnosticCode::OrganisationRepaired,
        message: format!("organisation {printed:?} read as {known:?}"),
    });
    (known.to_string(), true)
}

/// The known organisation a printed one differs from by a letter or two: at most one edit in
/// five of its letters, letter case aside, and nearer than to any other known one. `None` for
/// a known one as printed, one near none (a new party), and a name of four letters or fewer
/// but where it is a known one's letters less a thin last letter OCR lost into the bracket
/// after it ([`thin_letter_lost`]).
fn nearest_known_organisation<'k>(known: &'k [String], printed: &str) -> Option<&'k str> {
    let lower = printed.to_lowercase();
    if known.iter().any(|k| k.to_lowercase() == lower) {
        return None;
    }
    if lower.chars().count() <= 4 {
        return thin_letter_lost(known, printed);
    }
    let mut by_distance: Vec<(usize, &str)> = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k.as_str()))
        .collect();
    by_distance.sort_unstable();
    let (best, name) = *by_distance.first()?;
    let allowed = (name.chars().count() / 5).max(1);
    let unique = by_distance.get(1).is_none_or(|(next, _)| *next > best);
    (best <= allowed && unique).then_some(name)
}

/// The one known organisation whose name is a short printed one (an acronym, capitals
/// only) and one thin letter after it (`I`, `l`, `1`, `i`, `t`, `f`, `j`), which OCR merges
/// into the bracket that closes the name: `Julian Hunt (EDM).` for `(EDMI)` (generated scan
/// 9111). Any other short name is too short to judge (`SSN`: SSE or SGN?).
fn thin_letter_lost<'k>(known: &'k [String], printed: &str) -> Option<&'k str> {
    let acronym = printed.len() >= 2 && printed.chars().all(|c| c.is_ascii_uppercase());
    if !acronym {
        return None;
    }
    let mut lost = known.iter().filter(|k| {
        k.strip_prefix(printed)
            .is_some_and(|rest| matches!(rest, "I" | "l" | "1" | "i" | "t" | "f" | "j"))
    });
    let one = lost.next()?;
    lost.next().is_none().then_some(one.as_str())
}

/// Every id printed on a content line, as mentions; ambiguous ids as diagnostics.
/// `findings` is a scratch vector the caller keeps from line to line.
pub fn line_mentions(
    ctx: &ExtractContext,
    line: &Line,
    findings: &mut Vec<IdFinding>,
    mentions: &mut Vec<Mention>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    find_mod_ids_into(&ctx.grammar.ids, &line.text, findings);
    for finding in findings.drain(..) {
        match finding {
            IdFinding::Found(m) => mentions.push(Mention {
                at: provenance(line),
                modification: ModRef::from(m),
                title: None,
            }),
            IdFinding::Ambiguous { raw, reason, .. } => diagnostics.push(Diagnostic {
                at: Some(provenance(line)),
                severity: Severity::Warning,
                code: DiagnosticCode::AmbiguousId,
                message: format!("{raw:?} looks like a modification id but {reason}: not read"),
            }),
        }
    }
}

/// True for a line that is only a modification id: the heading of a modification's entry.
pub fn id_heading(ctx: &ExtractContext, line: &Line) -> Option<IdMatch> {
    // (Less the specks OCR read after it: `SECMP0048 ,`, generated scan 7403, whose heading
    // ran into the proposer's sentence below and lost its raised fact.)
    let text = line
        .plain()
        .trim_end_matches(|c: char| c.is_whitespace() || ctx.vocab.speck_marks.contains(&c));
    // (An id is one word, or two: `SEC MP077`, `SECMP 0031`, generated report 8503, whose
    // heading ran into the proposer's sentence below: `SECMP 0031 Sara Whitfield` raised it.)
    if text.split(' ').nth(2).is_some() {
        return None;
    }
    whole_mod_id(&ctx.grammar.ids, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_ocr_garbled_by_a_letter_or_two_is_the_known_one() {
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let near = |printed: &str| nearest_known_organisation(&vocab.known_organisations, printed);
        // Generated scans 7500 and 8202.
        assert_eq!(near("Uriligroup"), Some("Utiligroup"));
        assert_eq!(
            near("SMKI Policy Management Auloiy (SMKI PMA)"),
            Some("SMKI Policy Management Authority (SMKI PMA)")
        );
        assert_eq!(
            near("Electricty North West"),
            Some("Electricity North West")
        );
        assert_eq!(near("cadent gas"), None, "known, letter case aside");
        // A short name less a thin last letter OCR merged into its bracket (generated scan
        // 9111: `Julian Hunt (EDM).`).
        assert_eq!(near("EDM"), Some("EDMI"));
        for kept in [
            "Utiligroup",  // known as printed
            "SSN",         // too short to judge (SSE or SGN?)
            "SS",          // SSE less a letter, but no thin one
            "Edm",         // no acronym
            "Bulb",        // short, and a name of its own
            "Acme Energy", // a new party, near none
            "Utility Group",
        ] {
            assert_eq!(near(kept), None, "{kept}");
        }
    }

    #[test]
    fn names_lose_what_ocr_put_around_them_and_keep_what_is_theirs() {
        for (printed, name) in [
            ("- DP147 Stephen Pearce", "Stephen Pearce"),
            ("\u{201c} |mran Qureshi", "Imran Qureshi"),
            ("Gordon. Hextall", "Gordon Hextall"),
            ("J. Smith", "J. Smith"),
            ("Ana_ Lopez,", "Ana Lopez"),
            ("Ana - Lopez", "Ana Lopez"),
            ("O'Neill", "O'Neill"),
        ] {
            assert_eq!(person_name(printed), name, "{printed:?}");
        }
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        for (printed, org) in [
            ("- DCC", "DCC"),
            ("the DCC", "DCC"),
            ("E.ON", "E.ON"),
            ("Wales & West Utilities", "Wales & West Utilities"),
            (
                "the Security Sub-Committee (SSC)",
                "Security Sub-Committee (SSC)",
            ),
            ("| British Gas '", "British Gas"),
        ] {
            assert_eq!(organisation(&vocab, printed), org, "{printed:?}");
        }
    }
    use crate::grammar::Grammar;

    /// An item's id as printed, title, whether the title was unclosed, and tail.
    type ItemParts = Option<(String, Option<String>, bool, String)>;

    fn vocab() -> ReportVocabulary {
        ReportVocabulary::compile(Grammar::builtin()).expect("the builtin vocabulary")
    }

    /// The built-in grammar's context, without a report date.
    fn ctx(vocab: &ReportVocabulary) -> ExtractContext<'_> {
        ExtractContext {
            grammar: Grammar::builtin(),
            vocab,
            report_date: None,
        }
    }

    fn some(id: &str, title: Option<&str>, unclosed: bool, tail: &str) -> ItemParts {
        Some((id.into(), title.map(String::from), unclosed, tail.into()))
    }

    #[test]
    fn an_item_starts_with_a_bullet_and_an_id_or_an_id_and_a_quoted_title() {
        let vocab = vocab();
        let ctx = ctx(&vocab);
        let cases = [
            ("MP104 \u{2018}Alert Storm\u{2019}", true),
            ("MP104 - \"Alert Storm\"", true),
            ("e MP104 was approved", true),
            ("\u{2022} DP125 raised", true),
            // A table's rule OCR read before the bullet.
            (
                "| e MP095 \u{2018}Alignment of SEC Credit Cover\u{2019}",
                true,
            ),
            ("| e the list goes on", false),
            // An id without a bullet or a title: a table row.
            ("MP104 PA 31 Dec 19 40 WD", false),
            ("SECMP0007 1A 6 Feb 20 40 WD 82 WD", false),
            // A quote, but not right after the id.
            ("MP104 was the DCC's", false),
            ("the 'MP104' title", false),
            ("e 2020 'a year'", false),
            // A word of running text before an id is no bullet; glued to a mark it is.
            ("a MP104 \u{2018}Alert Storm\u{2019}", false),
            ("a: MP104 \u{2018}Alert Storm\u{2019}", true),
        ];
        let pages = [crate::model::Page {
            number: 1,
            text: cases.map(|(t, _)| t).join("\n"),
            words: None,
        }];
        let lines = crate::model::layout::content_lines(&pages, &vocab);
        for ((printed, want), line) in cases.iter().zip(&lines) {
            assert_eq!(&*line.text, *printed);
            assert_eq!(item_start(&ctx, line).is_some(), *want, "{printed:?}");
        }
    }

    #[test]
    fn marks_before_an_items_id_are_a_misread_bullet() {
        // Tesseract on an image-only scan read the bullets of one list as `-`, `"=` and `- .`.
        let vocab = vocab();
        let ctx = ctx(&vocab);
        for (text, bulleted) in [
            ("\"= SECMP0019 'ALCS Description Labels'", true),
            ("- . SECMP0022 'SMKI PMA Governance Changes'", true),
            (
                "e\u{a2} DP143 'Removing the DCC's Charging Statement'",
                true,
            ),
            // A square bullet's letters with marks around them (generated scan 7802).
            ("m= MP142 'Consumer Access Device (CAD) pairing'", true),
            ("-m MP145 'Retrospective alignment of the SEC'", true),
            (
                "\u{2018}m SECMP144 'Replacing the Parse and Correlate'",
                true,
            ),
            // Any one or two letters glued to a mark (generated scan 8802), or a lettered
            // list's marker.
            ("a: SECMP0022 'SMKI PMA Governance Changes'", true),
            ("(b) MP024 'Enduring Approach to Communication Hub'", true),
            (
                "SECMP0022 'SMKI PMA Governance Changes' was approved",
                false,
            ),
        ] {
            let pages = [crate::model::Page {
                number: 1,
                text: text.to_string(),
                words: None,
            }];
            let lines = crate::model::layout::content_lines(&pages, &vocab);
            let start = item_start(&ctx, &lines[0]).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(start.bulleted, bulleted, "{text:?}");
        }
    }

    #[test]
    fn an_item_read_from_where_its_line_started_it_is_the_item_read_afresh() {
        let vocab = vocab();
        let ctx = ctx(&vocab);
        for (text, title) in [
            // The id ends its line; the title is on the next.
            (
                "\u{2022} MP104\n\u{2018}Alert Storm\u{2019} raised",
                Some("Alert Storm"),
            ),
            ("e MP104\n'Alert Storm' raised", Some("Alert Storm")),
            ("e MP 104\nwas raised", None),
            (
                "MP104: \u{2018}Alert\nStorm\u{2019} approved",
                Some("Alert Storm"),
            ),
            ("¢ SECMPO0053 - approved", None),
        ] {
            let pages = [crate::model::Page {
                number: 1,
                text: text.to_string(),
                words: None,
            }];
            let lines = crate::model::layout::content_lines(&pages, &vocab);
            let start = item_start(&ctx, &lines[0]).unwrap_or_else(|| panic!("{text:?}"));
            let paragraph = Paragraph::in_buffers(&lines[..2], ParagraphBuffers::default());
            let item = read_started_item(&ctx, &start, &paragraph.text);
            assert_eq!(
                Some(&item),
                read_item(&ctx, &paragraph.text).as_ref(),
                "{text:?}"
            );
            assert_eq!(item.title.as_deref(), title, "{text:?}");
        }
    }

    #[test]
    fn an_items_title_ends_at_a_closing_quote_not_at_an_apostrophe() {
        let vocab = vocab();
        let ctx = ctx(&vocab);
        let item = |text: &str| -> ItemParts {
            read_item(&ctx, text).map(|i| (i.id.raw.to_string(), i.title, i.title_unclosed, i.tail))
        };
        for (text, want) in [
            (
                "e MP104 'Alert Storm' was approved",
                some("MP104", Some("Alert Storm"), false, "was approved"),
            ),
            (
                "MP104 'The DCC's Alert Storm', rejected",
                some("MP104", Some("The DCC's Alert Storm"), false, ", rejected"),
            ),
            (
                "• DP136:''Smart Meter Data'.",
                some("DP136", Some("Smart Meter Data"), false, "."),
            ),
            (
                "MP104 \"Alert Storm\"",
                some("MP104", Some("Alert Storm"), false, ""),
            ),
            (
                "- MPO088 'Power to raise modifications: was approved on 4 August 2020.",
                some(
                    "MPO088",
                    Some("Power to raise modifications"),
                    true,
                    "was approved on 4 August 2020.",
                ),
            ),
            (
                "MP104 'Alert Storm') approved",
                some("MP104", Some("Alert Storm"), false, ") approved"),
            ),
            // A quote inside the title closes its own, not the title.
            (
                "SECMP0101 'Devices in 'Suspended' state following firmware failure' was raised",
                some(
                    "SECMP0101",
                    Some("Devices in 'Suspended' state following firmware failure"),
                    false,
                    "was raised",
                ),
            ),
            (
                "MP021 \"Increase the representation of the \"Other SEC Party\" category\".",
                some(
                    "MP021",
                    Some("Increase the representation of the \"Other SEC Party\" category"),
                    false,
                    ".",
                ),
            ),
            (
                "MP104 'Alert Storm'; 'SMKI':",
                some("MP104", Some("Alert Storm"), false, "; 'SMKI':"),
            ),
            (
                "MP104 'Alert Storm': approved",
                some("MP104", Some("Alert Storm"), false, ": approved"),
            ),
            (
                "MP104 'Alert Storm - approved",
                some("MP104", Some("Alert Storm"), true, "- approved"),
            ),
            (
                "MP104 'Alert Storm's fix",
                some("MP104", Some("Alert Storm's fix"), true, ""),
            ),
            ("MP104 approved", some("MP104", None, false, "approved")),
            ("Alert Storm 'MP104'", None),
        ] {
            assert_eq!(item(text), want, "{text:?}");
        }
    }
}

//! An OCR'd report's DCC table cells repaired where OCR's damage is plain, each repair flagged.
//!
//! A table cell is small print between rules: generated scan 7802 read `pairing via the-DCC`,
//! `ch.handover`, `{Large Supplier`, `Corrécting` where its lists print the same titles
//! whole. A title cell a few letters away from the title the report's own prose gives the
//! same modification is one of the two misread, and the report's words say which: the prose's
//! is taken where the cell holds a word printed nowhere else (or more marks OCR makes) and the
//! prose does not. A cell further away (the DCC's own wording, or words of a neighbouring
//! cell) is left as read. A comment cell loses the stops and commas OCR set inside its
//! sentences (`on.3 November`, `4 July. 2022`, `approved. by`, `3, November`) and reads `1A`
//! as the `IA` it is.

use super::records::{
    AssessmentType, DccStatusRow, Diagnostic, DiagnosticCode, ReportRecords, Severity,
};
use super::vocabulary::ReportVocabulary;
use crate::grammar::dates::is_month_name;
use crate::grammar::text::{clean_title, edit_distance, is_dash, is_quote};
use crate::grammar::Grammar;
use std::collections::HashMap;

/// Repairs one OCR'd report's DCC cells: titles from its prose, then words misread by a
/// letter OCR confuses ([`with_known_words`]) in titles and comments, and comments' marks.
/// `page_texts` are the report's pages as its layer (or secreg's OCR) gave them: the words
/// it prints, and how often.
pub fn repair_ocr_cells<'t>(
    grammar: &Grammar,
    vocab: &ReportVocabulary,
    page_texts: impl IntoIterator<Item = &'t str>,
    out: &mut ReportRecords,
) {
    let lexicon = Lexicon::of_texts(page_texts);
    let confusions = &Confusions {
        letters: &vocab.letter_confusions,
        endings: &vocab.ending_confusions,
        sequences: &vocab.sequence_confusions,
    };
    repair_titles_from_prose(out, &lexicon, confusions);
    let is_month = |w: &str| is_month_name(&grammar.dates, w);
    // The misreadings of `IA` the assessment tables' type cells know (`1A`, `lA`), but
    // not the lone letters a type cell may be (`A`), which in a sentence are words.
    let ia_misread = |w: &str| {
        w.chars().count() == 2
            && w != "IA"
            && vocab
                .assessment_types
                .iter()
                .any(|(printed, kind)| printed == w && *kind == AssessmentType::Ia)
    };
    // Each step reads the title as the one before left it.
    let title_steps: [&dyn Fn(&str) -> Option<String>; 6] = [
        &|t| with_known_words(t, &lexicon, confusions),
        &|t| with_glued_words_parted(t, &lexicon),
        &title_without_ocr_marks,
        &|t| {
            with_marks_between_words_mended(t, &lexicon, (&vocab.speck_marks, &vocab.joining_words))
        },
        &|t| without_a_speck_at_its_end(t, &lexicon, &vocab.joining_words),
        &hex_codes_with_their_zeros,
    ];
    for row in &mut out.dcc_status {
        let mut repaired: Option<String> = None;
        for step in title_steps {
            let Some(read) = repaired.as_deref().or(row.title.as_deref()) else {
                break;
            };
            if let Some(better) = step(read) {
                repaired = Some(better);
            }
        }
        if let Some(repaired) = repaired {
            let code = DiagnosticCode::DccTitleRepaired;
            out.diagnostics.push(repaired_cell(
                row,
                code,
                ("title", row.title.as_deref()),
                &repaired,
            ));
            row.title = Some(repaired);
        }
        let Some(comment) = row.comment.as_deref() else {
            continue;
        };
        let known = with_known_words(comment, &lexicon, confusions);
        let read = known.as_deref().unwrap_or(comment);
        let marks = comment_without_ocr_marks(read, &is_month, &ia_misread);
        if let Some(repaired) = marks.or(known) {
            let code = DiagnosticCode::DccCommentRepaired;
            out.diagnostics.push(repaired_cell(
                row,
                code,
                ("comment", row.comment.as_deref()),
                &repaired,
            ));
            row.comment = Some(repaired);
        }
    }
}

/// A cell's text with each word OCR misread by one letter it confuses (`[dcc_cells]
/// letter_confusions`, an accent read on a letter too: `Corrécting`) made the word the report
/// prints, or `None` where no word is: a word of three letters or more, where changing one
/// letter makes a word the report prints three times or more and [`RARER`] times as often
/// (the commonest such, if one is commoner than the rest), printed as the report prints it
/// most.
/// What OCR misreads in small print (`[dcc_cells]`): letters, and word endings.
struct Confusions<'v> {
    letters: &'v [(char, char)],
    endings: &'v [(String, String)],
    sequences: &'v [(String, String)],
}

fn with_known_words(cell: &str, lexicon: &Lexicon, confusions: &Confusions) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = cell
        .split_whitespace()
        .map(|token| {
            let core = token.trim_matches(|c: char| !c.is_alphanumeric());
            match known_word(core, lexicon, confusions) {
                Some(word) => {
                    changed = true;
                    let start = token.find(core).unwrap_or(0);
                    format!("{}{word}{}", &token[..start], &token[start + core.len()..])
                }
                None => token.to_string(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// How many times more often than a word the report must print the word one confused letter
/// away for the first to be a misreading of the second: a scan misreads one word the same way
/// on every page (the June 2020 scan's table header, `bcc` for `DCC`, five times).
const RARER: usize = 5;

/// The word the report prints that `core` is a misreading of, by [`with_known_words`]'s rule.
fn known_word(core: &str, lexicon: &Lexicon, confusions: &Confusions) -> Option<String> {
    let key = core.to_lowercase();
    let letters: Vec<char> = key.chars().collect();
    if letters.len() < 3 || !letters.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let printed = lexicon.count(&key);
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for (i, &c) in letters.iter().enumerate() {
        let plain = unaccented(c);
        let confused = confusions.letters.iter().filter_map(move |&(a, b)| {
            if a == plain {
                Some(b)
            } else if b == plain {
                Some(a)
            } else {
                None
            }
        });
        for other in confused.chain((plain != c).then_some(plain)) {
            let mut word = letters.clone();
            word[i] = other;
            let word: String = word.into_iter().collect();
            let count = lexicon.count(&word);
            let commoner = count >= 3 && count >= RARER * printed;
            if commoner && !candidates.iter().any(|(_, w)| *w == word) {
                candidates.push((count, word));
            }
        }
    }
    // Letters OCR read for one (`requiremerits`): each place they stand, read back.
    if candidates.is_empty() {
        for (read, meant) in confusions.sequences {
            for (at, _) in key.match_indices(read.as_str()) {
                let word = format!("{}{meant}{}", &key[..at], &key[at + read.len()..]);
                let count = lexicon.count(&word);
                let commoner = count >= 3 && count >= RARER * printed;
                if commoner && !candidates.iter().any(|(_, w)| *w == word) {
                    candidates.push((count, word));
                }
            }
        }
    }
    // A word ending OCR misreads the same way in every such word of a table (`Prioritisina`,
    // `[dcc_cells] ending_confusions`): the word the report prints once is enough.
    if candidates.is_empty() && letters.len() >= 6 {
        for (read, ending) in confusions.endings {
            let Some(stem) = key.strip_suffix(read.as_str()) else {
                continue;
            };
            let word = format!("{stem}{ending}");
            let count = lexicon.count(&word);
            if count >= 1 && count >= printed {
                candidates.push((count, word));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0));
    let best = match &candidates[..] {
        [] => return None,
        [only] => only,
        [first, second, ..] if first.0 > second.0 => first,
        _ => return None,
    };
    let form = lexicon.form(&best.1)?;
    // As the report prints it (`DCC`), but a word's first letter in the cell's case.
    let acronym = !form.chars().any(char::is_lowercase);
    let mut chars = form.chars();
    Some(match chars.next() {
        Some(first) if !acronym => {
            let first: String = if core.starts_with(char::is_uppercase) {
                first.to_uppercase().collect()
            } else {
                first.to_lowercase().collect()
            };
            first + chars.as_str()
        }
        _ => form.to_string(),
    })
}

/// A letter without its accent (`é` is `e`); any other letter as it is.
fn unaccented(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'á' | 'à' | 'â' | 'ä' => 'a',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        _ => c,
    }
}

/// The diagnostic of a cell of `row` (its name, and its text as read) taken as `repaired`.
fn repaired_cell(
    row: &DccStatusRow,
    code: DiagnosticCode,
    (cell, read): (&str, Option<&str>),
    repaired: &str,
) -> Diagnostic {
    Diagnostic {
        at: Some(row.at.clone()),
        severity: Severity::Info,
        code,
        message: format!(
            "{}: {cell} cell read as {:?}, taken as {repaired:?} (OCR repair)",
            row.modification.id,
            read.unwrap_or_default()
        ),
    }
}

/// A comment without the marks OCR set inside its sentences, or `None` when it has none: a
/// stop or comma glued between two words (`on.3`, `June.2022`; not initials, `E.ON`, nor a
/// web address), a stop before a word in lower case or a number (`approved. by`, `July.
/// 2022`), a comma between a day and its month (`3, November`); a hyphen alone between
/// words or at either end (`on 27 - October 2021`, `- PA in progress`: a rule's or a line
/// end's fleck, 31 comments of the generated sets 9000-9905); `on` glued to the day after it
/// (`on3 May 2017`, 12 comments there); `PA` or `IA` glued to `in` before `progress`
/// (`PAin progress`); and a misreading of `IA` (`1A`: `ia_misread`) read as `IA`.
fn comment_without_ocr_marks(
    comment: &str,
    is_month: &dyn Fn(&str) -> bool,
    ia_misread: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut words: Vec<&str> = comment.split_whitespace().collect();
    // A letter or mark alone after the last sentence's stop is a speck (`Awaiting IA request.
    // e`, generated scan 7301; `for decision. x`, image scan 7503).
    if let [.., last_sentence, speck] = words[..] {
        if last_sentence.ends_with('.')
            && speck.chars().count() == 1
            && !speck.starts_with(|c: char| c.is_ascii_digit())
        {
            words.pop();
        }
    }
    words.retain(|w| *w != "-");
    let goes_on = |w: &str| w.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, &word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if let Some(parted) = on_glued_to_day(word).or_else(|| in_glued_to_stage(word, next)) {
            out.push(parted);
            continue;
        }
        let web = word.contains(['/', '@']) || word.to_ascii_lowercase().contains("www");
        let mut word = word.to_string();
        // Glued: `on.3`, `June.2022`, `approved.by`; a day and its month (`06.May 2020`).
        if !web {
            if let Some((left, right)) = glued_at_stop(&word, &['.', ',']) {
                if goes_on(right) && (right.len() >= 2 || right.bytes().all(|b| b.is_ascii_digit()))
                {
                    word = format!("{left} {right}");
                }
            } else if let Some((day, month)) = day_glued_to_month(&word, is_month) {
                word = format!("{day} {month}");
            }
        }
        if let Some(core) = word.strip_suffix(['.', ',']) {
            let stop = word.ends_with('.');
            // (A bracket opens before the word: `(November. 2020 SEC Release)`.)
            let core_word = core.trim_start_matches(['(', '[', '\'', '"']);
            let drop = if stop {
                is_letters(core_word) && goes_on(next)
            } else {
                core.len() <= 2 && core.bytes().all(|b| b.is_ascii_digit()) && is_month(next)
            };
            if drop && !web {
                word = core.to_string();
            }
        }
        if ia_misread(&word) {
            word = "IA".into();
        }
        out.push(word);
    }
    let repaired = out.join(" ");
    (repaired != comment.split_whitespace().collect::<Vec<_>>().join(" ")).then_some(repaired)
}

/// A day and its month OCR glued with a stop or comma (`06.May`, `3,November`), parted.
fn day_glued_to_month<'w>(
    word: &'w str,
    is_month: &dyn Fn(&str) -> bool,
) -> Option<(&'w str, &'w str)> {
    let at = word.find(['.', ','])?;
    let (day, month) = (&word[..at], &word[at + 1..]);
    let is_day = !day.is_empty() && day.len() <= 2 && day.bytes().all(|b| b.is_ascii_digit());
    (is_day && is_month(month)).then_some((day, month))
}

/// `on` and the day OCR glued to it (`on3`, `On27`: no space read between them), parted.
fn on_glued_to_day(word: &str) -> Option<String> {
    let (on, day) = (word.get(..2)?, &word[2..]);
    let digits = day.trim_end_matches(['.', ',']);
    let is_day = matches!(digits.len(), 1 | 2)
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (1..=31).contains(&digits.parse::<u32>().ok()?);
    (on.eq_ignore_ascii_case("on") && is_day).then(|| format!("{on} {day}"))
}

/// `PA` or `IA` glued to `in` before `progress` (`PAin progress`), parted.
fn in_glued_to_stage(word: &str, next: &str) -> Option<String> {
    let stage = word.strip_suffix("in")?;
    let progress = next
        .trim_end_matches(['.', ','])
        .eq_ignore_ascii_case("progress");
    (matches!(stage, "PA" | "IA") && progress).then(|| format!("{stage} in"))
}

/// A word of two letters or more, and nothing else.
fn is_letters(w: &str) -> bool {
    w.chars().count() >= 2 && w.chars().all(char::is_alphabetic)
}

/// The two words a word is where OCR glued them with a stop or comma (one of `marks`, the
/// first in the word): the word before it all letters (`NCSC.Good`, `on.3`, `June.2022`);
/// whether what follows is a word the caller judges (a title's and a comment's differ).
fn glued_at_stop<'w>(word: &'w str, marks: &[char]) -> Option<(&'w str, &'w str)> {
    let at = word.find(marks)?;
    let (left, right) = (&word[..at], &word[at + 1..]);
    is_letters(left).then_some((left, right))
}

/// A title without the marks OCR set at its ends or glued inside it, or `None` when it has
/// none: a mark alone at either end (`Changing the Panel Sub-Committee reporting cycle -`,
/// `SMKI PMA Governance Changes *`: a speck or a rule's edge beside the cell), a dash or quote
/// glued to its first word (`-Changes to the governance ...`) or a dash to its last
/// (`Smart meter device diagnostics and triage-`), a lone small letter after its last word
/// (`... sending commands via PPMIDs i`), and a stop glued to a word inside it (`Removing the
/// requirement for. Users`, `Changes to the NCSC.Good Practice Guides`: a title is no
/// sentence). Generated scans 7300-8203 print 40 such titles.
fn title_without_ocr_marks(title: &str) -> Option<String> {
    let is_mark = |w: &str| !w.chars().any(char::is_alphanumeric);
    let mut words: Vec<String> = title.split_whitespace().map(str::to_string).collect();
    while words.len() > 1 && is_mark(&words[0]) {
        words.remove(0);
    }
    while words.len() > 1 && is_mark(words.last().expect("two words")) {
        words.pop();
    }
    if let [.., before, last] = &words[..] {
        let speck = last.chars().count() == 1 && last.chars().all(|c| c.is_lowercase());
        if speck && before.chars().count() > 1 {
            words.pop();
        }
    }
    if let Some(first) = words.first_mut() {
        let bare = first.trim_start_matches(['-', '_', '\'', '‘', '’', '—', '–', '~', '*']);
        if bare.starts_with(char::is_alphanumeric) && bare.len() < first.len() {
            *first = bare.to_string();
        }
    }
    if let Some(last) = words.last_mut() {
        let bare = last.trim_end_matches(['-', '_', '—', '–', '~', '*']);
        if bare.ends_with(char::is_alphanumeric) && bare.len() < last.len() {
            *last = bare.to_string();
        }
    }
    let count = words.len();
    let mut out: Vec<String> = Vec::with_capacity(count);
    for (i, word) in words.into_iter().enumerate() {
        // Glued between two words: `NCSC.Good`, `for.setting` (not `v2.0`, `E.ON`).
        if let Some((left, right)) = glued_at_stop(&word, &['.']) {
            if is_letters(right) && !right.contains('.') {
                out.push(left.to_string());
                out.push(right.to_string());
                continue;
            }
        }
        match word.strip_suffix('.') {
            Some(core) if i + 1 < count && is_letters(core) => out.push(core.to_string()),
            _ => out.push(word),
        }
    }
    let repaired = out.join(" ");
    (repaired != title.split_whitespace().collect::<Vec<_>>().join(" ")).then_some(repaired)
}

/// A title with the marks OCR set between its words mended, or `None` where it has none: a
/// word of `specks` (`[dcc_cells] speck_marks`, quotes aside: `into * the SEC`, generated
/// scans 9000, 9505; a cell read by positions drops them already, one read as text does
/// not: the June 2020 scan's `device © display`) or a bar glued to a word's start (`the
/// |National Consumer Council`, 9405) taken out; two dashes
/// where one stood (`Policy --Enduring`, `the SEC - - Part 2`: 9000, 9402) made one; a
/// hyphen between a word and one of `small_words` in lower case (`[dcc_cells]
/// joining_words`: `Commissioning of-SMETS2`, `Increase-the`: 8700, 8803) a space, unless
/// the report prints the two so joined elsewhere; and a comma or
/// colon glued between two words (`customers:in no SM WAN`, 9401) a space.
fn with_marks_between_words_mended(
    title: &str,
    lexicon: &Lexicon,
    (specks, small_words): (&[char], &[String]),
) -> Option<String> {
    let dash_word = |w: &str| !w.is_empty() && w.chars().all(is_dash);
    let speck = |w: &str| w.chars().all(|c| specks.contains(&c) && !is_quote(c));
    let mut out: Vec<String> = Vec::new();
    let tokens: Vec<&str> = title.split_whitespace().filter(|t| !speck(t)).collect();
    // A word hyphenated at a line's end, held to be joined to the next.
    let mut held: Option<&str> = None;
    let mut joined: String;
    for (i, &token) in tokens.iter().enumerate() {
        let token = match held.take() {
            Some(first) => {
                joined = format!("{first}{token}");
                joined.as_str()
            }
            None => token,
        };
        let token = match token.strip_prefix('|') {
            Some(rest) if rest.starts_with(char::is_alphanumeric) => rest,
            _ => token,
        };
        // `--Enduring`: a dash of its own, then the word.
        let bare = token.trim_start_matches(is_dash);
        let token = if token.len() - bare.len() >= 2 && bare.starts_with(char::is_alphabetic) {
            out.push("-".to_string());
            bare
        } else {
            token
        };
        if dash_word(token) && out.last().is_some_and(|w| dash_word(w)) {
            continue;
        }
        // `SEC- Batch 4`: a dash between two words that lost its space before (a word
        // hyphenated at a line's end is joined to the next line's without one).
        let next_is_word = tokens
            .get(i + 1)
            .is_some_and(|t| t.starts_with(char::is_uppercase));
        match token.strip_suffix(is_dash) {
            // `Non- Gateway`, `Self- Governance`: a compound hyphenated at a cell line's end
            // and joined to the next line's word with a space (generated scans 9701, 9702).
            // The report prints it whole elsewhere: one word.
            Some(word)
                if next_is_word
                    && tokens.get(i + 1).is_some_and(|next| {
                        lexicon.count(&format!("{word}-{next}").to_lowercase()) > 0
                    }) =>
            {
                held = Some(tokens[i]);
            }
            Some(word) if next_is_word && word.ends_with(char::is_alphanumeric) => {
                out.extend(parted_at_a_glued_mark(word, lexicon, small_words));
                out.push("-".to_string());
            }
            _ => out.extend(parted_at_a_glued_mark(token, lexicon, small_words)),
        }
    }
    let mended = out.join(" ");
    (mended != title.split_whitespace().collect::<Vec<_>>().join(" ")).then_some(mended)
}

/// A word OCR glued from two at a mark ([`with_marks_between_words_mended`]) as those two,
/// or the word alone.
fn parted_at_a_glued_mark(token: &str, lexicon: &Lexicon, small_words: &[String]) -> Vec<String> {
    let alone = || vec![token.to_string()];
    let Some(at) = token.find(['-', ',', ':']) else {
        return alone();
    };
    let (left, right) = (&token[..at], &token[at + 1..]);
    let word = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_alphanumeric);
    // `Officer-(ARO)`: a hyphen before a bracket joins nothing.
    if &token[at..=at] == "-" && right.starts_with('(') && word(left) {
        return vec![left.to_string(), right.to_string()];
    }
    if !word(left) || !word(right) || !left.starts_with(char::is_alphabetic) {
        return alone();
    }
    let parted = match &token[at..=at] {
        "-" => {
            // (As printed: `In-Home Display` is a name.)
            let stop = |w: &str| small_words.iter().any(|s| s == w);
            (stop(left) || stop(right)) && lexicon.count(&token.to_lowercase()) <= 1
        }
        _ => left.chars().all(char::is_alphabetic) && right.chars().all(char::is_alphabetic),
    };
    if parted {
        vec![left.to_string(), right.to_string()]
    } else {
        alone()
    }
}

/// A title with each word OCR glued from two the report prints apart parted, or `None` where
/// none is: a word printed nowhere else in the report (letters, or letters then a number)
/// that is two words each printed three times or more, printed one after the other there too
/// (`changes tothe SEC`, `relating toa SoLR`, `SEC Schedule5`: generated scans 9300, 9500,
/// 8803). A word a report prints once whose halves are words (`timestamp`) is not parted
/// unless the report prints the halves so; a number after a word needs no such pair.
fn with_glued_words_parted(title: &str, lexicon: &Lexicon) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = title
        .split_whitespace()
        .map(|token| {
            let core = token.trim_matches(|c: char| !c.is_alphanumeric());
            let parted = parted_word(core, lexicon).map(|at| {
                let start = token.find(core).unwrap_or(0) + at;
                format!("{} {}", &token[..start], &token[start..])
            });
            changed |= parted.is_some();
            parted.unwrap_or_else(|| token.to_string())
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Where a word OCR glued from two the report prints parts ([`with_glued_words_parted`]):
/// the byte offset of the second, if one split alone qualifies.
fn parted_word(core: &str, lexicon: &Lexicon) -> Option<usize> {
    let key = core.to_lowercase();
    if key.len() != core.len() || key.len() < 3 || lexicon.count(&key) > 1 {
        return None;
    }
    let letters = key.trim_end_matches(|c: char| c.is_ascii_digit());
    if !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    // A number glued after a word the report prints (`Schedule5`, `Batch4`; not a name in
    // capitals whose number is its own, `SMETS2`, `CRP535`).
    if letters.len() < key.len() {
        let word = letters.len() >= 3
            && core[..letters.len()]
                .chars()
                .any(|c| c.is_ascii_lowercase())
            && lexicon.count(letters) >= 3;
        return word.then_some(letters.len());
    }
    let mut splits = (1..key.len()).filter(|&i| {
        let (first, second) = key.split_at(i);
        lexicon.count(first) >= 3 && lexicon.count(second) >= 3 && lexicon.pair(first, second) >= 1
    });
    let at = splits.next()?;
    splits.next().is_none().then_some(at)
}

/// A title without the one or two small letters OCR read from a speck after its last word
/// (`... for Load Controlling Devices ij`, `... at Change of Supplier pp`: generated scans
/// 9303 and 8700), or `None`: letters the report prints nowhere else, after a word. A
/// joining word the report prints (`[dcc_cells] joining_words`: `of`, `an`) may be the
/// title's own, cut short; other small letters are a speck however often the report's OCR
/// text has them (`... for Network Operators ae`: generated scan 9801, whose garbled table
/// lines read `ae` a dozen times). (A speck read with a capital, 9801's `... Triage Ts`, is
/// left: it may be an abbreviation.)
fn without_a_speck_at_its_end(
    title: &str,
    lexicon: &Lexicon,
    joining_words: &[String],
) -> Option<String> {
    let (rest, last) = title.trim_end().rsplit_once(' ')?;
    let joining = joining_words.iter().any(|w| w == last);
    let speck = (1..=2).contains(&last.chars().count())
        && last.chars().all(|c| c.is_ascii_lowercase())
        && (!joining || lexicon.count(last) <= 1);
    let after_a_word = rest
        .split_whitespace()
        .last()
        .is_some_and(|w| w.chars().filter(|c| c.is_alphanumeric()).count() > 1);
    (speck && after_a_word).then(|| rest.trim_end().to_string())
}

/// A text whose hexadecimal codes OCR read with a letter `O` for their zero (`Correction of
/// GBCS Alert Codes Ox8F84 & Ox8F85`, generated scans 7601 and 8403) written with the zero,
/// or `None` where it has none: a word `Ox` followed by two or more hexadecimal digits, one of
/// them a digit.
fn hex_codes_with_their_zeros(text: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let digits = word
                .strip_prefix("Ox")
                .or_else(|| word.strip_prefix("OX"))
                .map(|rest| rest.trim_end_matches(|c: char| !c.is_ascii_hexdigit()));
            match digits {
                Some(d)
                    if d.len() >= 2
                        && d.chars().all(|c| c.is_ascii_hexdigit())
                        && d.chars().any(|c| c.is_ascii_digit()) =>
                {
                    changed = true;
                    format!("0{}", &word[1..])
                }
                _ => word.to_string(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Repairs the DCC rows' titles of one OCR'd report from its prose titles.
fn repair_titles_from_prose(out: &mut ReportRecords, lexicon: &Lexicon, confusions: &Confusions) {
    let prose = prose_titles(out);
    if prose.is_empty() {
        return;
    }
    titles_words_moved_back(out, &prose);
    for row in &mut out.dcc_status {
        let Some(cell) = &row.title else { continue };
        let Some(titles) = prose.get(&row.modification.id.to_string()) else {
            continue;
        };
        let Some(title) = better_title(cell, titles, (lexicon, confusions)) else {
            continue;
        };
        let code = DiagnosticCode::DccTitleRepaired;
        out.diagnostics
            .push(repaired_cell(row, code, ("title", Some(cell)), title));
        row.title = Some(title.to_string());
    }
}

/// The most words a row's title gives the row beside it where a table's rows were cut
/// between the wrong lines.
const MOVED_WORDS: usize = 3;

/// Titles whose first or last words the row beside them took (a table's rows cut between
/// the wrong lines: titles centred beside their ids, a line standing as near the row above
/// as the row below) given back where the report's lists print the title whole: a row's
/// title is the list's but its first words, and those are the last words of the row above
/// (generated image-only scan 9500: `... (Large Supplier & Small Supplier categories) SMETS1
/// Dormant` above `Meters - Enrolment arrangements`), or the list's but its last words, and
/// those are the first of the row below (scan 9500: `Improving the Communications Hub
/// Returns process (CH` above `Returns & Replacement) Operational Metrics`). Both rows are
/// flagged repaired.
fn titles_words_moved_back(out: &mut ReportRecords, prose: &HashMap<String, Vec<ProseTitle>>) {
    let printed = |row: &DccStatusRow| -> Vec<Vec<String>> {
        prose
            .get(&row.modification.id.to_string())
            .map(|ts| ts.iter().map(|t| words(&t.text).collect()).collect())
            .unwrap_or_default()
    };
    for b in 1..out.dcc_status.len() {
        let a = b - 1;
        let (upper, lower) = (&out.dcc_status[a], &out.dcc_status[b]);
        if upper.table != lower.table {
            continue;
        }
        let (Some(above), Some(below)) = (upper.title.as_deref(), lower.title.as_deref()) else {
            continue;
        };
        let (words_above, words_below): (Vec<String>, Vec<String>) =
            (words(above).collect(), words(below).collect());
        let down = printed(lower).iter().find_map(|p| {
            (1..=MOVED_WORDS).find(|&k| {
                p.len() > k
                    && words_above.len() > k
                    && p[k..] == words_below[..]
                    && p[..k] == words_above[words_above.len() - k..]
            })
        });
        let up = printed(upper).iter().find_map(|p| {
            (1..=MOVED_WORDS).find(|&k| {
                p.len() > k
                    && words_below.len() > k
                    && p[..p.len() - k] == words_above[..]
                    && p[p.len() - k..] == words_below[..k]
            })
        });
        let cut = match (down, up) {
            (Some(k), None) => words_start(above, words_above.len() - k),
            (None, Some(k)) => above.len() + 1 + words_start(below, k).min(below.len()),
            _ => continue,
        };
        let joined = format!("{above} {below}");
        let (new_above, new_below) = joined.split_at(cut.min(joined.len()));
        for (i, repaired) in [(a, new_above.trim()), (b, new_below.trim())] {
            let row = &mut out.dcc_status[i];
            let code = DiagnosticCode::DccTitleRepaired;
            out.diagnostics.push(repaired_cell(
                row,
                code,
                ("title", row.title.as_deref()),
                repaired,
            ));
            row.title = Some(repaired.to_string());
        }
    }
}

/// The byte offset in `text` where its `n`th word (0-based, as [`words`] counts them)
/// starts; the text's length past its last.
fn words_start(text: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut at = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let core = token.trim_matches(|c: char| !c.is_alphanumeric());
        if !core.is_empty() {
            if seen == n {
                return at;
            }
            seen += 1;
        }
        at += token.len();
    }
    text.len()
}

/// A prose title of a modification, and how many times the report prints it so.
#[derive(Debug)]
struct ProseTitle {
    text: String,
    key: String,
    printed: usize,
}

/// The titles the report's items and sentences give each modification (by its id).
fn prose_titles(out: &ReportRecords) -> HashMap<String, Vec<ProseTitle>> {
    let mut titles: HashMap<String, Vec<ProseTitle>> = HashMap::new();
    for m in &out.mentions {
        let Some(title) = &m.title else { continue };
        let text = clean_title(title);
        let key = comparison_key(&text);
        if key.is_empty() {
            continue;
        }
        let known = titles.entry(m.modification.id.to_string()).or_default();
        match known.iter_mut().find(|t| t.key == key) {
            Some(t) => t.printed += 1,
            None => known.push(ProseTitle {
                text,
                key,
                printed: 1,
            }),
        }
    }
    titles
}

/// A title as compared: lower case, whitespace collapsed.
fn comparison_key(title: &str) -> String {
    clean_title(title).to_lowercase()
}

/// The prose title a cell misread, if one is near enough and the evidence is for it: fewer of
/// its own words are printed nowhere else in the report ([`Lexicon::doubts`]: a misread word
/// is printed once, where the report prints the real one again) and it shows no more marks
/// of OCR damage ([`ocr_marks`]); or as few such words and fewer marks; or the cell is the
/// prose's words with a neighbour's word or two around them ([`holds_with_words_around`]),
/// and no more marks. Neither reading is
/// taken on trust: `Kemoval`, `switchina`, `the-DCC` were the cells' in generated scans
/// 7300-7302, `Power aiage Alerts`, `Other-SEC` the prose's in image scans 7600 and 7603.
/// Of two prose titles, the one printed more often.
fn better_title<'t>(
    cell: &str,
    titles: &'t [ProseTitle],
    (lexicon, confusions): (&Lexicon, &Confusions),
) -> Option<&'t str> {
    let cell_key = comparison_key(cell);
    let cell_marks = ocr_marks(cell);
    // A prose title that reads as the cell does bears it out (generated scan 7400 printed
    // MP024's title whole once and cut short once).
    if titles.iter().any(|t| t.key == cell_key) {
        return None;
    }
    let misread = |w: &str| known_word(w, lexicon, confusions).is_some();
    titles
        .iter()
        .filter(|t| {
            // The same words, marks apart: the reading with fewer marks (OCR sets stray ones
            // in a table's small print and in prose alike: `Section D. Review`, `Allowing:
            // Suppliers`, `Supplier-&` the cells' in generated scans 9300, 9000 and 9303;
            // `Default Provisions .for`, `CHISM. update` the prose's in 8901 and 9500).
            // Quotes are no such mark: a title's own, or lost, either way.
            if words(&t.key).eq(words(&cell_key)) {
                return stray_marks(&t.text) < stray_marks(cell);
            }
            // Two of the prose's words the cell glued into one (`exemptionto`): a mark of
            // OCR's, and the cell's words compared as the prose parts them.
            let unglued = unglued_as(&cell_key, &t.key);
            let cell_marks = cell_marks + unglued.is_some() as usize;
            let prose_marks = ocr_marks(&t.text);
            if prose_marks > cell_marks {
                return false;
            }
            if holds_with_words_around(&cell_key, &t.key, &misread) {
                return true;
            }
            let letters = t.key.chars().count();
            let near = edit_distance(&cell_key, &t.key) <= (letters / 8).max(2);
            let cell_words = unglued.as_deref().unwrap_or(&cell_key);
            let (prose_doubts, cell_doubts) = lexicon.doubts(&t.key, cell_words);
            near && (prose_doubts < cell_doubts
                || (prose_doubts == cell_doubts && prose_marks < cell_marks))
        })
        .max_by_key(|t| t.printed)
        .map(|t| t.text.as_str())
}

/// How many marks a title prints that are neither letters, digits, spaces nor quotes.
fn stray_marks(title: &str) -> usize {
    title
        .chars()
        .filter(|&c| !c.is_alphanumeric() && !c.is_whitespace() && !is_quote(c))
        .count()
}

/// A cell's words with each word that is two adjacent words of a prose title glued (by
/// nothing, a stop or a comma) parted as the prose parts them, or `None` where none is:
/// generated scan 9300's `Extension of SMETS gas Valve exemptionto include ...`, whose prose
/// prints `exemption to`. (Not a hyphen: `Non-Domestic` is a word the DCC may print so.)
fn unglued_as(cell: &str, prose: &str) -> Option<String> {
    let prose: Vec<&str> = prose.split_whitespace().collect();
    let mut changed = false;
    let words: Vec<String> = cell
        .split_whitespace()
        .map(|word| {
            let pair = prose.windows(2).find(|p| {
                let (a, b) = (p[0], p[1]);
                word.len() >= a.len() + b.len()
                    && word.len() <= a.len() + b.len() + 1
                    && word.starts_with(a)
                    && word.ends_with(b)
                    && matches!(&word[a.len()..word.len() - b.len()], "" | "." | ",")
            });
            match pair {
                Some(p) => {
                    changed = true;
                    format!("{} {}", p[0], p[1])
                }
                None => word.to_string(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// True when a cell's words are a prose title's with a word or two more before them (the row
/// above's last words: generated scan 7303's `annually Smart Meter data access ...`), or
/// after them where each is a misreading of a word the report prints often (a heading's
/// word read under it: the June 2020 scan's `... Alert Storm Protection bcc`, the `DCC`
/// above). A title's own last words (`- Batch 4`, `Management`) are no misreadings: a prose
/// title cut short there is not taken (generated scans 7400 and 7800).
fn holds_with_words_around(cell: &str, title: &str, misread: &dyn Fn(&str) -> bool) -> bool {
    let (cell, title): (Vec<String>, Vec<String>) = (words(cell).collect(), words(title).collect());
    let extra = cell.len().saturating_sub(title.len());
    !title.is_empty()
        && (1..=2).contains(&extra)
        && (0..=extra).any(|before| {
            let after = &cell[before + title.len()..];
            cell[before..before + title.len()] == title[..] && after.iter().all(|w| misread(w))
        })
}

/// How often each word is printed in a report's records (its lines read, its titles, its
/// cells), each text once.
struct Lexicon {
    counts: HashMap<String, usize>,
    /// Each word's commonest printed form (`DCC` for `dcc`).
    forms: HashMap<String, String>,
    /// How often each two words are printed one after the other (lower case).
    pairs: HashMap<(String, String), usize>,
}

impl Lexicon {
    fn of_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> Lexicon {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut printed: HashMap<(String, &str), usize> = HashMap::new();
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        for text in texts {
            let mut before: Option<String> = None;
            for (word, form) in words_as_printed(text) {
                *counts.entry(word.clone()).or_default() += 1;
                if let Some(before) = before.replace(word.clone()) {
                    *pairs.entry((before, word.clone())).or_default() += 1;
                }
                *printed.entry((word, form)).or_default() += 1;
            }
        }
        let mut forms: HashMap<String, (usize, String)> = HashMap::new();
        for ((word, form), n) in printed {
            let best = forms.entry(word).or_insert((0, String::new()));
            if (n, form) > (best.0, best.1.as_str()) {
                *best = (n, form.to_string());
            }
        }
        let forms = forms.into_iter().map(|(w, (_, f))| (w, f)).collect();
        Lexicon {
            counts,
            forms,
            pairs,
        }
    }

    /// How many times the report prints two words (lower case) one after the other.
    fn pair(&self, first: &str, second: &str) -> usize {
        // (Looked up rarely, for a word printed once: the key is built then.)
        let key = (first.to_string(), second.to_string());
        self.pairs.get(&key).copied().unwrap_or(0)
    }

    /// How many times the report prints a word (lower case).
    fn count(&self, word: &str) -> usize {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// How the report prints a word (lower case) most often.
    fn form(&self, word: &str) -> Option<&str> {
        self.forms.get(word).map(String::as_str)
    }

    /// How many of the words only one of two readings holds (each) are printed nowhere but
    /// there: once in all the report's texts. Readings that differ only in marks have none.
    fn doubts(&self, a: &str, b: &str) -> (usize, usize) {
        let (a_words, b_words): (Vec<String>, Vec<String>) =
            (words(a).collect(), words(b).collect());
        let once = |own: &[String], other: &[String]| {
            own.iter()
                .filter(|w| !other.contains(w))
                .filter(|w| self.counts.get(*w).copied().unwrap_or(0) <= 1)
                .count()
        };
        (once(&a_words, &b_words), once(&b_words, &a_words))
    }
}

/// The words of a text as compared: lower case, without the marks at their ends (`'Party`,
/// `Tables'` are `party`, `tables`); a mark alone is no word.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    words_as_printed(text).map(|(word, _)| word)
}

/// [`words`], each with its form as printed (its marks at the ends trimmed).
fn words_as_printed(text: &str) -> impl Iterator<Item = (String, &str)> + '_ {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| (w.to_lowercase(), w))
}

/// How many marks of OCR damage a title shows: a stop, colon or comma glued between two
/// words (`ch.handover`, `for:Users`; not initials, `E.ON`), a hyphen after a word in lower
/// case (`the-DCC`; a compound's first word has a capital, `Post-Commissioning`), a stop or
/// colon before a lower-case word (`practice. guides`, `for: energy`), a letter with an accent
/// (`Corrécting`), a mark no title prints (`{`, `|`, `_`, `~`, `©`, `<`), and a word of
/// marks alone first or last (`- approved`, `failure ;`), or inside but a dash (`SEC -:`).
fn ocr_marks(title: &str) -> usize {
    let chars: Vec<char> = title.chars().collect();
    let letters = |from: usize, to: usize, f: fn(char) -> bool| {
        chars
            .get(from..to)
            .is_some_and(|cs| cs.iter().all(|&c| f(c)))
    };
    let glued = (1..chars.len().saturating_sub(1))
        .filter(|&i| {
            let word_start = chars[..i]
                .iter()
                .rposition(|c| c.is_whitespace())
                .map_or(0, |p| p + 1);
            match chars[i] {
                // `ch.handover`, `for:Users`; not `E.ON`, `e.g.`, `v4.0`.
                // `practice. guides`, `for: energy`; not `e.g. others`.
                '.' | ':' | ',' if i >= 2 && letters(i - 2, i, char::is_alphabetic) => {
                    let lower = |from| letters(from, from + 2, |c| c.is_ascii_lowercase());
                    let glued_word = letters(i + 1, i + 3, char::is_alphabetic);
                    glued_word || (chars[i] != ',' && chars[i + 1] == ' ' && lower(i + 2))
                }
                // `the-DCC`, `to-the`; not `Post-Commissioning`, `SMETS1-`.
                '-' => chars[word_start].is_ascii_lowercase() && chars[i + 1].is_alphabetic(),
                _ => false,
            }
        })
        .count();
    let odd = chars
        .iter()
        .filter(|&&c| {
            (c.is_alphabetic() && !c.is_ascii())
                || matches!(
                    c,
                    '{' | '}' | '|' | '_' | '~' | '©' | '¢' | '®' | '°' | '<' | '>'
                )
        })
        .count();
    let words: Vec<&str> = title.split_whitespace().collect();
    let bare = |w: Option<&&str>| w.is_some_and(|w| !w.chars().any(char::is_alphanumeric));
    let ends =
        usize::from(bare(words.first())) + usize::from(words.len() > 1 && bare(words.last()));
    // Inside, a word of marks other than a dash alone (`SEC -: Batch 24`).
    let inside = words.len().saturating_sub(2);
    let marks_alone = words
        .iter()
        .skip(1)
        .take(inside)
        .filter(|w| !w.chars().any(char::is_alphanumeric) && !w.chars().all(is_dash))
        .count();
    glued + odd + ends + marks_alone
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFUSIONS: Confusions = Confusions {
        letters: &[('d', 'o'), ('d', 'b')],
        endings: &[],
        sequences: &[],
    };

    fn prose(titles: &[(&str, usize)]) -> Vec<ProseTitle> {
        titles
            .iter()
            .map(|&(t, printed)| ProseTitle {
                text: t.to_string(),
                key: comparison_key(t),
                printed,
            })
            .collect()
    }

    #[test]
    fn a_titles_words_the_row_beside_took_are_given_back_where_the_reports_list_prints_it() {
        use crate::model::{DccTable, ModRef, Provenance, TableReading};
        let grammar = crate::grammar::Grammar::builtin();
        let row = |id: &str, title: &str| DccStatusRow {
            at: Provenance {
                page: 13,
                line: 1,
                snippet: std::sync::Arc::from(title),
            },
            modification: ModRef::from(
                crate::grammar::ids::parse_mod_id(&grammar.ids, id).unwrap(),
            ),
            table: DccTable::Delivery,
            status: None,
            date_added: None,
            dates: Default::default(),
            title: Some(title.to_string()),
            comment: None,
            read_from: TableReading::Positions,
            confidence: 1.,
        };
        // Generated scans 9500 (image-only and OCR'd): rows cut between the wrong lines.
        let mut out = ReportRecords {
            dcc_status: vec![
                row("MP0138", "Changes to SEC Panel elections (Large Supplier & Small Supplier categories) SMETS1 Dormant"),
                row("MP0139", "Meters - Enrolment arrangements"),
                row("MP0119", "Improving the Communications Hub Returns process (CH"),
                row("MP0122", "Returns & Replacement) Operational Metrics"),
                row("MP0126", "Smart meter consumer data access"),
                row("MP0129", "and control Allowing the use of CNSA variant"),
            ],
            ..Default::default()
        };
        let mut titles: HashMap<String, Vec<ProseTitle>> = HashMap::new();
        for (id, title) in [
            ("MP139", "SMETS1 Dormant Meters - Enrolment arrangements"),
            (
                "MP119",
                "Improving the Communications Hub Returns process (CH Returns & Replacement)",
            ),
            // Printed otherwise than the rows read: no words move.
            (
                "MP126",
                "Smart meter consumer data access and control rights",
            ),
        ] {
            titles.insert(id.to_string(), prose(&[(title, 1)]));
        }
        titles_words_moved_back(&mut out, &titles);
        let read: Vec<&str> = out
            .dcc_status
            .iter()
            .map(|r| r.title.as_deref().unwrap())
            .collect();
        assert_eq!(
            read,
            [
                "Changes to SEC Panel elections (Large Supplier & Small Supplier categories)",
                "SMETS1 Dormant Meters - Enrolment arrangements",
                "Improving the Communications Hub Returns process (CH Returns & Replacement)",
                "Operational Metrics",
                "Smart meter consumer data access",
                "and control Allowing the use of CNSA variant",
            ]
        );
        assert_eq!(out.diagnostics.len(), 4);
    }

    #[test]
    fn marks_ocr_makes_in_a_title_are_counted_a_titles_own_are_not() {
        for (title, marks) in [
            ("Consumer Access Device (CAD) pairing via the DCC", 0),
            ("Post-Commissioning Obligations for Communications Hubs", 0),
            ("Alignment of CHTS with GBCS v4.0", 0),
            ("Changes to Section L - SMKI Independent Assurance", 0),
            ("Consumer Access Device (CAD) pairing via the-dcc", 1),
            ("Update to CH.handover Support Materials", 1),
            ("Alt HAN Company: E.ON and e.g. others", 0),
            ("Update to ch.handover support materials", 1),
            ("Changes to the NCSC Good Practice. guides", 1),
            ("Smart Meter data access for: Energy Service Companies", 0),
            ("Smart meter data access for: energy service companies", 1),
            ("Corrécting the ESME variant", 1),
            ("Changes to SEC Panel elections {Large Supplier", 1),
            (
                "Devices in 'Suspended' state following firmware failure ;",
                1,
            ),
            // A number ends a title as often as a speck does (`Batch 24`, `Act 2018`).
            (
                "Devices in 'Suspended' state following firmware failure 7",
                0,
            ),
            ("- Incorporation of multiple Issue Resolution Proposals", 1),
            (
                "Incorporation of multiple Issue Resolution Proposals into the SEC -: Batch 24",
                1,
            ),
            (
                "Incorporation of multiple Issue Resolution Proposals into the SEC - Batch 24",
                0,
            ),
        ] {
            assert_eq!(ocr_marks(title), marks, "{title:?}");
        }
    }

    /// A report's texts: the prose titles, the cell, and lines that print some words again.
    fn report(titles: &[ProseTitle], cell: &str, lines: &[&str]) -> Lexicon {
        let texts = titles.iter().map(|t| t.text.as_str());
        Lexicon::of_texts(texts.chain([cell]).chain(lines.iter().copied()))
    }

    #[test]
    fn a_cell_a_few_letters_from_a_prose_title_the_report_bears_out_is_that_title() {
        let titles = prose(&[("Consumer Access Device (CAD) pairing via the DCC", 1)]);
        let cell = "Consumer Access Device (CAD) pairing via the-DCC";
        let lexicon = report(&titles, cell, &["The DCC raised it."]);
        assert_eq!(
            better_title(cell, &titles, (&lexicon, &CONFUSIONS)),
            Some("Consumer Access Device (CAD) pairing via the DCC")
        );
        // Letters misread with no mark to tell which reading is right: the words the report
        // prints again.
        let once = prose(&[("Removal of obsolete SMETS1 Service Requests", 1)]);
        let cell = "Kemoval of obsolete SMETS1 Service Requests";
        let lexicon = report(&once, cell, &["Removal of the Threshold"]);
        assert_eq!(
            better_title(cell, &once, (&lexicon, &CONFUSIONS)),
            Some("Removal of obsolete SMETS1 Service Requests")
        );
        // Each printed once: neither reading is taken on trust.
        assert_eq!(
            better_title(cell, &once, (&report(&once, cell, &[]), &CONFUSIONS)),
            None
        );
        // The same words, marks apart: the reading with fewer marks, quotes aside
        // (generated scans 9300 and 9500).
        let marked = prose(&[(
            "Section D Review: Amendments to the Fast Track Modification process",
            1,
        )]);
        let cell = "Section D. Review: Amendments to the Fast Track Modification process";
        let lexicon = report(&marked, cell, &[]);
        assert_eq!(
            better_title(cell, &marked, (&lexicon, &CONFUSIONS)),
            Some(marked[0].text.as_str())
        );
        let marked = prose(&[("CHISM. update for Unknown WAN Variant", 1)]);
        let cell = "CHISM update for Unknown WAN Variant";
        let lexicon = report(&marked, cell, &[]);
        assert_eq!(better_title(cell, &marked, (&lexicon, &CONFUSIONS)), None);
        let quoted = prose(&[("Changes to SEC Schedule 11 'TS Applicability Tables", 1)]);
        let cell = "Changes to SEC Schedule 11 'TS Applicability Tables'";
        let lexicon = report(&quoted, cell, &[]);
        assert_eq!(better_title(cell, &quoted, (&lexicon, &CONFUSIONS)), None);
        // Two of the prose's words glued in the cell (generated scan 9300), each reading
        // printed once: the glue is OCR's mark, and tells them apart.
        let glued = prose(&[(
            "Extension of SMETS gas Valve exemption to include Large Gas Meters installed at Domestic Premises",
            1,
        )]);
        let cell = "Extension of SMETS gas Valve exemptionto include Large Gas Meters installed at Doniestic Premises";
        let lexicon = report(&glued, cell, &[]);
        assert_eq!(
            better_title(cell, &glued, (&lexicon, &CONFUSIONS)),
            Some(glued[0].text.as_str())
        );
        assert_eq!(
            unglued_as("exemptionto include", "exemption to include").as_deref(),
            Some("exemption to include")
        );
        // Not a hyphen (a compound the DCC may print so), nor words that only start and
        // end alike.
        assert_eq!(unglued_as("non-domestic", "non domestic"), None);
        assert_eq!(unglued_as("toward", "to ward"), Some("to ward".into()));
        assert_eq!(unglued_as("tooward", "to ward"), None);
        // A prose title OCR misread where the cell reads as the report prints it elsewhere
        // (generated image scan 7600).
        let misread = prose(&[("Power aiage Alerts triggered by an OTA firmware upgrade", 1)]);
        let cell = "Power Outage Alerts triggered by an OTA firmware upgrade";
        let lexicon = report(&misread, cell, &["MP102A 'Power Outage Alerts'"]);
        assert_eq!(better_title(cell, &misread, (&lexicon, &CONFUSIONS)), None);
        // A word of another cell in the title cell (the June 2020 scan's `bcc`) goes; a word
        // the prose lost the cell keeps.
        let june = prose(&[("Northbound Application Traffic Management - Alert Storm", 1)]);
        let cell = "Northbound Application Traffic Management - Alert Storm bcc";
        let lexicon = report(&june, cell, &["DCC DCC DCC DCC DCC DCC"]);
        assert_eq!(
            better_title(cell, &june, (&lexicon, &CONFUSIONS)),
            Some(june[0].text.as_str())
        );
        let row_above = prose(&[("Smart Meter data access for ESCOs", 1)]);
        let cell = "annually Smart Meter data access for ESCOs";
        let lexicon = report(&row_above, cell, &["annually", "annually"]);
        assert_eq!(
            better_title(cell, &row_above, (&lexicon, &CONFUSIONS)),
            Some(row_above[0].text.as_str())
        );
        // A prose title cut short is not taken; one that reads as the cell bears it out.
        let cut = prose(&[(
            "Incorporation of multiple Issue Resolution Proposals into the SEC",
            1,
        )]);
        let cell = "Incorporation of multiple Issue Resolution Proposals into the SEC - Batch 4";
        let lexicon = report(&cut, cell, &[]);
        assert_eq!(better_title(cell, &cut, (&lexicon, &CONFUSIONS)), None);
        let both = prose(&[
            ("Enduring Approach to Communication Hub Firmware", 1),
            (
                "Enduring Approach to Communication Hub Firmware Management",
                1,
            ),
        ]);
        let cell = "Enduring Approach to Communication Hub Firmware Management";
        let lexicon = report(&both, cell, &[]);
        assert_eq!(better_title(cell, &both, (&lexicon, &CONFUSIONS)), None);
        let lost = prose(&[("Amending SMETS1 Service Provider Charging Methodology", 1)]);
        let cell = "Amending the SMETS1 Service Provider Charging Methodology";
        let lexicon = report(&lost, cell, &["the DCC", "the SEC"]);
        assert_eq!(better_title(cell, &lost, (&lexicon, &CONFUSIONS)), None);
        // Prose OCR damaged more than the cell is not taken (generated scans 7300, 7302).
        let damaged = prose(&[
            (
                "Removing the requirement for:Users to submit SMKI Certificates",
                1,
            ),
            (
                "Incorporation of multiple Issue Resolution Proposals into the < SEC - Batch 18",
                1,
            ),
        ]);
        for cell in [
            "Removing the requirement for Users to submit SMKI Certificates",
            "Incorporation of multiple Issue Resolution Proposals into the SEC - Batch 18",
        ] {
            let lexicon = report(&damaged, cell, &[]);
            assert_eq!(
                better_title(cell, &damaged, (&lexicon, &CONFUSIONS)),
                None,
                "{cell:?}"
            );
        }
        // Of two prose titles, the one printed more often.
        let two = prose(&[
            ("Removal of obsolete SMETS1 Service Reguests", 1),
            ("Removal of obsolete SMETS1 Service Requests", 2),
        ]);
        let cell = "Kemoval of obsolete SMETS1 Service Requests";
        let lexicon = report(&two, cell, &["Removal of the Threshold"]);
        assert_eq!(
            better_title(cell, &two, (&lexicon, &CONFUSIONS)),
            Some("Removal of obsolete SMETS1 Service Requests")
        );
        // The same title in other capitals, or other marks only, is the cell as printed.
        for (prose_title, cell) in [
            (
                "CONSUMER ACCESS DEVICE (CAD) PAIRING VIA THE DCC",
                "Consumer Access Device (CAD) pairing via the DCC",
            ),
            (
                "Enduring Change of Supplier (CoS) 'Party arrangements",
                "Enduring Change of Supplier (CoS) Party arrangements",
            ),
        ] {
            let titles = prose(&[(prose_title, 2)]);
            let lexicon = report(&titles, cell, &[]);
            assert_eq!(
                better_title(cell, &titles, (&lexicon, &CONFUSIONS)),
                None,
                "{prose_title:?}"
            );
        }
    }

    #[test]
    fn a_cell_further_from_the_prose_title_is_left_as_read() {
        // Another cell's words in the title, and the DCC's own shorter wording.
        let titles = prose(&[
            ("User Security Assessment of a Shared Resource", 3),
            ("Changes to the NCSC Good Practice Guides", 3),
        ]);
        for cell in [
            "User Security Assessment No outstanding of a Shared Resource",
            "Changes to the NCSC GPGs",
            "Post-Commissioning",
        ] {
            let lexicon = report(&titles, cell, &[]);
            assert_eq!(
                better_title(cell, &titles, (&lexicon, &CONFUSIONS)),
                None,
                "{cell:?}"
            );
        }
    }

    #[test]
    fn marks_ocr_set_inside_a_comments_sentences_are_taken_out() {
        let months = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        let is_month = |w: &str| months.contains(&w.to_lowercase().as_str());
        let ia = |w: &str| w == "1A" || w == "1a";
        for (read, repaired) in [
            // As generated scans 7300-7800 read them.
            (
                "to be implemented on.3 November 2022 (November 2022 release).",
                Some("to be implemented on 3 November 2022 (November 2022 release)."),
            ),
            (
                "implemented on 4 July. 2022 (June 2022 SEC. release).",
                Some("implemented on 4 July 2022 (June 2022 SEC release)."),
            ),
            (
                "Part 1 was implemented on 30 June.2022",
                Some("Part 1 was implemented on 30 June 2022"),
            ),
            (
                "Approved. by the Authority",
                Some("Approved by the Authority"),
            ),
            (
                "to be implemented on 3, November 2022",
                Some("to be implemented on 3 November 2022"),
            ),
            ("1A in progress", Some("IA in progress")),
            // Generated scans 9500-9905.
            (
                "under self-governance on 27 - October 2021 -",
                Some("under self-governance on 27 October 2021"),
            ),
            ("- PA in progress", Some("PA in progress")),
            (
                "IA due to be presented on3 May 2017.",
                Some("IA due to be presented on 3 May 2017."),
            ),
            ("PAin progress", Some("PA in progress")),
            // The June 2020 scan's layer (MP062): a day glued to its month; a stop after a
            // word a bracket opens, before the year.
            (
                "implemented on 06.May 2020 (November. 2020 SEC Release).",
                Some("implemented on 06 May 2020 (November 2020 SEC Release)."),
            ),
            (
                "PA delivered to Working Group. Awaiting IA request. e",
                Some("PA delivered to Working Group. Awaiting IA request."),
            ),
            // Sentences, initials, decimals, addresses and commas before words stay.
            (
                "Currently with Authority for decision. To be implemented",
                None,
            ),
            (
                "Raised by E.ON, to be implemented on 3 November 2022.",
                None,
            ),
            (
                "GBCS v4.0 uplift, see www.smartenergycodecompany.co.uk",
                None,
            ),
            ("PA delivered on 01/09/2021.", None),
            ("IA in progress", None),
            // No day: no part.
            ("Part 2 on32 Bonus1 PAin", None),
        ] {
            assert_eq!(
                comment_without_ocr_marks(read, &is_month, &ia).as_deref(),
                repaired,
                "{read:?}"
            );
        }
    }

    #[test]
    fn marks_ocr_set_at_a_titles_ends_or_glued_inside_it_are_taken_out() {
        for (read, repaired) in [
            // As generated scans 7300-8203 read them.
            (
                "Changing the Panel Sub-Committee reporting cycle -",
                Some("Changing the Panel Sub-Committee reporting cycle"),
            ),
            (
                "SMKI PMA Governance Changes *",
                Some("SMKI PMA Governance Changes"),
            ),
            (
                "-Changes to the governance of the Self-Service Interface",
                Some("Changes to the governance of the Self-Service Interface"),
            ),
            (
                "Smart meter device diagnostics and triage-",
                Some("Smart meter device diagnostics and triage"),
            ),
            (
                "Sending Commands via PPMIDs i",
                Some("Sending Commands via PPMIDs"),
            ),
            (
                "Removing the requirement for. Users to submit",
                Some("Removing the requirement for Users to submit"),
            ),
            (
                "Changes to the NCSC.Good Practice Guides",
                Some("Changes to the NCSC Good Practice Guides"),
            ),
            // A title's own marks stay: hyphens, versions, initials, its last stop, a
            // colon, a capital letter at its end.
            ("IVP realignment of SMETS2 v2.0 and v3.1", None),
            ("Changes to the Self-Service Interface (SSI)", None),
            ("Amendments to E.ON's obligations", None),
            ("CGR Phase 3 outcomes: Code Administrator", None),
            ("Alternative Proposal Part A", None),
            ("Incorporation of multiple proposals - Batch 4", None),
        ] {
            assert_eq!(
                title_without_ocr_marks(read).as_deref(),
                repaired,
                "{read:?}"
            );
        }
    }

    #[test]
    fn marks_ocr_set_between_a_titles_words_are_mended() {
        let lexicon = Lexicon::of_texts([
            "the In-Home Display; a Point-to-Point link; an out-of-band route",
            "the Self-Governance route, twice: Self-Governance",
            "for Non-Gateway Suppliers",
        ]);
        let vocab = ReportVocabulary::compile(crate::grammar::Grammar::builtin()).unwrap();
        let words = (&vocab.speck_marks[..], &vocab.joining_words[..]);
        let mended = |t: &str| with_marks_between_words_mended(t, &lexicon, words);
        for (read, repaired) in [
            // As generated scans 9000, 9402, 8700, 8803, 9405 and 9401 read them.
            (
                "Incorporation of multiple Issue Resolution Proposals into * the SEC - Batch 15",
                "Incorporation of multiple Issue Resolution Proposals into the SEC - Batch 15",
            ),
            (
                "DCC Release Management Policy --Enduring Arrangements",
                "DCC Release Management Policy - Enduring Arrangements",
            ),
            (
                "Issue Resolution Proposals into the SEC - - Part 2",
                "Issue Resolution Proposals into the SEC - Part 2",
            ),
            (
                "Network Operator Commissioning of-SMETS2 Electricity Meters",
                "Network Operator Commissioning of SMETS2 Electricity Meters",
            ),
            (
                "Increase-the representation of the \"Other SEC Party\" category",
                "Increase the representation of the \"Other SEC Party\" category",
            ),
            (
                "Updating the SEC to reflect abolition of the |National Consumer Council (NCC)",
                "Updating the SEC to reflect abolition of the National Consumer Council (NCC)",
            ),
            (
                "Supporting prepayment customers:in no SM WAN scenarios",
                "Supporting prepayment customers in no SM WAN scenarios",
            ),
            // 9301, 9505.
            (
                "Issue Resolution Proposals into the SEC- Batch 4",
                "Issue Resolution Proposals into the SEC - Batch 4",
            ),
            (
                "with Authorised Responsible Officer-(ARO) Statistics",
                "with Authorised Responsible Officer (ARO) Statistics",
            ),
            // 9701, 9702: a compound the report prints whole, hyphenated at a line's end
            // (and a speck between its halves).
            (
                "Defining the SMDA Scheme - Self- . Governance arrangements",
                "Defining the SMDA Scheme - Self-Governance arrangements",
            ),
            (
                "Testing obligations for Non- Gateway Suppliers",
                "Testing obligations for Non-Gateway Suppliers",
            ),
        ] {
            assert_eq!(mended(read).as_deref(), Some(repaired), "{read:?}");
        }
        // A title's own marks stay: compounds (a small word's in capitals, or printed so
        // elsewhere), a dash between words, a colon after a word, versions and initials.
        for read in [
            "Introducing Self-Governance for SMKI Document Set changes",
            "Changes to the In-Home Display requirements",
            "Enabling a Point-to-Point link",
            "Section D Review: Amendments to the Modification Process",
            "Incorporation of multiple proposals - Batch 4",
            "IVP realignment of SMETS2 v2.0 and v3.1 & E.ON's obligations",
            "Alt HAN Co- permission to seek access",
        ] {
            assert_eq!(mended(read), None, "{read:?}");
        }
        let printed = Lexicon::of_texts(["an out-of-band route and an in-band one", "in-band"]);
        assert_eq!(
            with_marks_between_words_mended("Supporting in-band commands", &printed, words),
            None
        );
    }

    #[test]
    fn words_ocr_glued_are_parted_where_the_report_prints_them_apart() {
        let lexicon = Lexicon::of_texts([
            "Changes to the SEC. Moved to the Panel, and to the DCC. A note, a list, a rule.",
            "SEC Schedule 5, Schedule 11 and Schedule 2; Batch 4, Batch 5 and Batch 6 of SMETS2.",
            "relating to a SoLR event; timestamp of time and stamp ",
        ]);
        let parted = |t: &str| with_glued_words_parted(t, &lexicon);
        // Generated scans 9300, 9500 and 8803.
        assert_eq!(
            parted("Changes tothe SEC Section D").as_deref(),
            Some("Changes to the SEC Section D")
        );
        assert_eq!(
            parted("relating toa SoLR event").as_deref(),
            Some("relating to a SoLR event")
        );
        assert_eq!(
            parted("listed in SEC Schedule5.").as_deref(),
            Some("listed in SEC Schedule 5.")
        );
        // A name in capitals keeps its number; a word the report prints again, or whose
        // halves it never prints one after the other, stays whole.
        assert_eq!(parted("in SMETS2 Devices"), None);
        assert_eq!(parted("GPF timestamp alignment"), None);
        let again = Lexicon::of_texts(["to the Panel, to the DCC, to the SEC", "tothe, tothe"]);
        assert_eq!(with_glued_words_parted("Changes tothe SEC", &again), None);
    }

    #[test]
    fn small_letters_after_a_titles_last_word_printed_nowhere_else_are_a_speck() {
        let lexicon = Lexicon::of_texts(["the cost of an item", "of an", "ae ts, ae ts"]);
        let joining = ["of", "an"].map(String::from);
        let speck = |t: &str| without_a_speck_at_its_end(t, &lexicon, &joining);
        // Generated scans 9303 and 8700.
        assert_eq!(
            speck("Changes to Smart Metering Systems for Load Controlling Devices ij").as_deref(),
            Some("Changes to Smart Metering Systems for Load Controlling Devices")
        );
        assert_eq!(
            speck("Sending Commands via PPMIDs iz").as_deref(),
            Some("Sending Commands via PPMIDs")
        );
        // A word the report prints, a number, a capital: the title's own.
        assert_eq!(
            speck("Advanced Shipment Notifications for Consignment of"),
            None
        );
        assert_eq!(speck("Incorporation into the SEC - Batch 15"), None);
        assert_eq!(speck("Clarifying Alt HAN Forum obligations Go"), None);
        // Small letters no title joins with are a speck however often OCR read them
        // elsewhere (generated scan 9801's `ae`; `ts` as such a speck would be).
        assert_eq!(
            speck("Anomaly Detection Thresholds for Network Operators ae").as_deref(),
            Some("Anomaly Detection Thresholds for Network Operators")
        );
        assert_eq!(
            speck("Standardising HAN Connectivity Testing / Triage ts").as_deref(),
            Some("Standardising HAN Connectivity Testing / Triage")
        );
    }

    #[test]
    fn a_hex_codes_zero_read_as_a_letter_o_is_a_zero() {
        assert_eq!(
            hex_codes_with_their_zeros("Correction of GBCS Alert Codes Ox8F84 & Ox8F85").as_deref(),
            Some("Correction of GBCS Alert Codes 0x8F84 & 0x8F85")
        );
        assert_eq!(
            hex_codes_with_their_zeros("Alert OX8F3E, reviewed").as_deref(),
            Some("Alert 0X8F3E, reviewed")
        );
        // Words that only start so: `Oxford`, `Oxfe`, `Ox` alone.
        assert_eq!(hex_codes_with_their_zeros("Oxford Oxfe Ox 0x8F84"), None);
    }

    #[test]
    fn a_word_ending_ina_the_report_prints_ending_ing_is_that_word() {
        // Generated scan 7702's no-further table: every `-ing` read `-ina`.
        let page = "Prioritising the work. Sending commands. Pendina.";
        let lexicon = Lexicon::of_texts([page, "Prioritisina Prepavment Customers"]);
        let endings = [("ina".to_string(), "ing".to_string())];
        let confusions = Confusions {
            letters: &[('g', 'a')],
            endings: &endings,
            sequences: &[],
        };
        let read = |cell: &str| with_known_words(cell, &lexicon, &confusions);
        assert_eq!(
            read("Prioritisina Prepavment").as_deref(),
            Some("Prioritising Prepavment")
        );
        assert_eq!(
            read("sendina commands").as_deref(),
            Some("sending commands")
        );
        // Not printed with `-ing`, or printed as often with `-ina`; a short word: as read.
        assert_eq!(read("Movina the terms"), None);
        assert_eq!(read("Pendina"), None);
        assert_eq!(read("China"), None);
    }

    #[test]
    fn letters_ocr_read_for_one_in_a_word_the_report_prints_often_are_that_letter() {
        let sequences = [("ri", "n"), ("ri", "m"), ("mi", "m")].map(|(a, b)| (a.into(), b.into()));
        let confusions = Confusions {
            letters: &[],
            endings: &[],
            sequences: &sequences,
        };
        let page = "requirements, Requirements, requirements. Amendments amendments amendments. \
                    company company company; the assessment, assessment, assessment.";
        let lexicon = Lexicon::of_texts([page]);
        for (cell, repaired) in [
            // As the generated sets' scans read them.
            ("the requiremerits of", Some("the requirements of")),
            ("Ameridments to", Some("Amendments to")),
            ("Alt HAN Coripany", Some("Alt HAN Company")),
            ("DCC assessmient", Some("DCC assessment")),
            // No word the report prints often is so made: left as read.
            ("Carin Road", None),
        ] {
            assert_eq!(
                with_known_words(cell, &lexicon, &confusions).as_deref(),
                repaired,
                "{cell:?}"
            );
        }
    }

    #[test]
    fn a_word_one_confused_letter_from_a_word_the_report_prints_often_is_that_word() {
        let confusions = Confusions {
            letters: &[('d', 'o'), ('d', 'b'), ('r', 'k'), ('g', 'a'), ('l', 'i')],
            endings: &[],
            sequences: &[],
        };
        let page = "The DCC and the DCC; DCC. Removal of removal, REMOVAL. Switching, switching \
                    switching. Gas valve, valve, valve. Date added, date, date. Smart data.";
        for (cell, repaired) in [
            // As generated scans 7300-7802 read them.
            ("Kemoval of the occ", Some("Removal of the DCC")),
            (
                "load switchina information (bcc).",
                Some("load switching information (DCC)."),
            ),
            ("Corrécting the gas vaive", Some("Correcting the gas valve")),
            // A word printed often elsewhere, or no confused letter away from one, stays: `data`
            // is a letter from `date`, but not a letter OCR confuses with it.
            ("Smart Meter data access", None),
            ("Gas valve", None),
            ("Removing obsolete", None),
        ] {
            let lexicon = if cell.starts_with("Corr") {
                Lexicon::of_texts([page, "Correcting Correcting Correcting"])
            } else {
                Lexicon::of_texts([page])
            };
            assert_eq!(
                with_known_words(cell, &lexicon, &confusions).as_deref(),
                repaired,
                "{cell:?}"
            );
        }
        // A word the report prints almost as often is no misreading; one it misreads on
        // every page is.
        let often = Lexicon::of_texts([page, "occ occ"]);
        assert_eq!(with_known_words("the occ", &often, &confusions), None);
        let dcc = "DCC ".repeat(30);
        let every_page = Lexicon::of_texts([dcc.as_str(), "bcc bcc bcc"]);
        assert_eq!(
            with_known_words("Alert Storm Protection bcc", &every_page, &confusions).as_deref(),
            Some("Alert Storm Protection DCC")
        );
    }
}

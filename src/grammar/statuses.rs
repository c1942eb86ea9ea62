//! DCC assessment statuses: the closed set of values and the printed phrases that name them
//! (`PA in progress`, OCR'd `1A in progress`, wrapped `No outstanding / assessment request`).

use std::fmt;

use super::vocabulary::StatusVocabulary;

/// A DCC assessment status. One spelling for each value everywhere: [`DccStatus::name`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum DccStatus {
    PaInProgress,
    IaInProgress,
    NoOutstandingRequest,
    AwaitingIaRequest,
    PendingImplementation,
    Implemented,
    Withdrawn,
    Rejected,
    OnHold,
}

impl DccStatus {
    pub const ALL: [DccStatus; 9] = [
        DccStatus::PaInProgress,
        DccStatus::IaInProgress,
        DccStatus::NoOutstandingRequest,
        DccStatus::AwaitingIaRequest,
        DccStatus::PendingImplementation,
        DccStatus::Implemented,
        DccStatus::Withdrawn,
        DccStatus::Rejected,
        DccStatus::OnHold,
    ];

    /// The snake_case name used in tables, CLI output and docs.
    pub fn name(self) -> &'static str {
        match self {
            DccStatus::PaInProgress => "pa_in_progress",
            DccStatus::IaInProgress => "ia_in_progress",
            DccStatus::NoOutstandingRequest => "no_outstanding_request",
            DccStatus::AwaitingIaRequest => "awaiting_ia_request",
            DccStatus::PendingImplementation => "pending_implementation",
            DccStatus::Implemented => "implemented",
            DccStatus::Withdrawn => "withdrawn",
            DccStatus::Rejected => "rejected",
            DccStatus::OnHold => "on_hold",
        }
    }

    pub fn from_name(name: &str) -> Option<DccStatus> {
        DccStatus::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for DccStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower case, punctuation dropped (so "in-progress" is "in progress"), one space between
/// words, and the OCR forms of "IA"
/// (`1A`, `lA`, `|A`) read as `ia`.
pub fn normalise_status_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_normalised(text, &mut out);
    out
}

/// Appends the normalised words of `text` to `out` (one space before each word when `out`
/// is not empty).
fn push_normalised(text: &str, out: &mut String) {
    if text.is_ascii() {
        push_normalised_ascii(text.as_bytes(), out)
    } else {
        push_normalised_chars(text, out)
    }
}

/// The characters between a status text's words: whitespace and punctuation.
#[inline]
fn separates_status_words(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '|'
                | '('
                | ')'
                | '—'
                | '–'
                | '\''
                | '"'
                | '‘'
                | '’'
                | '_'
                | '-'
        )
}

/// [`push_normalised`] for any text.
fn push_normalised_chars(text: &str, out: &mut String) {
    for word in text.split(separates_status_words).filter(|w| !w.is_empty()) {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        let start = out.len();
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
        if matches!(&out[start..], "1a" | "la" | "!a") {
            out.truncate(start);
            out.push_str("ia");
        }
    }
}

/// [`push_normalised`] for ASCII text (most cells and rows), byte by byte.
fn push_normalised_ascii(text: &[u8], out: &mut String) {
    // Bytes, not chars, are written: ASCII in, ASCII out, checked once at the end. Each byte
    // is a separator, or lowered and written; a word's end is where a separator follows.
    let mut bytes = std::mem::take(out).into_bytes();
    let mut in_word = false;
    let mut word_start = 0;
    for &b in text {
        let lowered = ASCII_LOWERED_WORD_BYTE[b as usize];
        if lowered == SEPARATOR {
            if in_word {
                read_ia(&mut bytes, word_start);
                in_word = false;
            }
            continue;
        }
        if !in_word {
            if bytes.last().is_some_and(|&b| b != b' ') {
                bytes.push(b' ');
            }
            word_start = bytes.len();
            in_word = true;
        }
        bytes.push(lowered);
    }
    if in_word {
        read_ia(&mut bytes, word_start);
    }
    *out = String::from_utf8(bytes).expect("a string and ASCII words");
}

/// What [`ASCII_LOWERED_WORD_BYTE`] gives a separator: no ASCII byte.
const SEPARATOR: u8 = 0xff;

/// Each ASCII byte of a word lowered, and [`SEPARATOR`] for a separator
/// ([`ASCII_SEPARATOR`]).
const ASCII_LOWERED_WORD_BYTE: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 128 {
        if !ASCII_SEPARATOR[b] {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The OCR forms of `ia` (`1a`, `la`, `!a`), as the word from `start` to the end of `out`
/// (lowered), made `ia`.
fn read_ia(out: &mut [u8], start: usize) {
    if let [first @ (b'1' | b'l' | b'!'), b'a'] = &mut out[start..] {
        *first = b'i';
    }
}

/// The ASCII bytes that separate words for [`push_normalised_ascii`]: whitespace (with the
/// vertical tab) and the punctuation OCR leaves between a status's words.
const ASCII_SEPARATOR: [bool; 256] = {
    let mut table = [false; 256];
    let separators = b" \t\n\x0b\x0c\r.,;:|()'\"_-";
    let mut i = 0;
    while i < separators.len() {
        table[separators[i] as usize] = true;
        i += 1;
    }
    table
};

/// The status a DCC row tells of where its modification stands: `status` as printed, but
/// for a row printed "No outstanding assessment request" whose comment says the IA request is
/// awaited (the May 2020 report's MP077: `Awaiting IA request`), which awaits it.
pub fn standing(status: DccStatus, comment: Option<&str>) -> DccStatus {
    match status {
        DccStatus::NoOutstandingRequest if comment.is_some_and(says_ia_request_awaited) => {
            DccStatus::AwaitingIaRequest
        }
        status => status,
    }
}

/// Whether a text says the IA request is awaited (`Awaiting IA request`, `Awaiting 1A`),
/// wherever in it.
pub fn says_ia_request_awaited(text: &str) -> bool {
    normalise_status_text(text).contains("awaiting ia")
}

/// Whether a text's words are a run of a status phrase's words (`assessment`, `No
/// outstanding`, `request`: a status cell's pieces as it wraps), letter case and OCR's
/// punctuation aside.
pub fn is_piece_of_a_phrase(v: &StatusVocabulary, text: &str) -> bool {
    let piece = format!(" {} ", normalise_status_text(text));
    piece.trim() != ""
        && v.phrases
            .iter()
            .any(|(p, _)| format!(" {p} ").contains(&piece))
}

/// Whether a text's words are a status phrase's first words (`PA in`, over `progress`).
pub fn begins_a_phrase(v: &StatusVocabulary, text: &str) -> bool {
    let norm = normalise_status_text(text);
    !norm.is_empty()
        && v.phrases
            .iter()
            .any(|(p, _)| p == &norm || p.starts_with(&format!("{norm} ")))
}

/// The status named by a text that holds only a status phrase.
pub fn parse_status(v: &StatusVocabulary, text: &str) -> Option<DccStatus> {
    let norm = normalise_status_text(text);
    v.phrases.iter().find(|(p, _)| *p == norm).map(|(_, s)| *s)
}

/// The status a table's status cell names with its words out of order: every word of a
/// phrase of two or more words in the cell, and at most one word besides. OCR joins a wrapped
/// status cell's lines in another order where they stand at different heights beside a
/// centred id (generated scan 8101: `Awaiting request IA`, `implementation Pending`). The
/// longest such phrase; none where two statuses' phrases are as long. Only for a cell known
/// to hold a status.
pub fn status_in_any_order(v: &StatusVocabulary, cell: &str) -> Option<DccStatus> {
    let norm = normalise_status_text(cell);
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    longest_phrase_where(v, |phrase| {
        if phrase.len() < 2 || words.len() > phrase.len() + 1 {
            return false;
        }
        let mut unused = words.clone();
        phrase
            .iter()
            .all(|w| match unused.iter().position(|u| u == w) {
                Some(i) => {
                    unused.swap_remove(i);
                    true
                }
                None => false,
            })
    })
}

/// The status of the longest phrase (its words) `holds` accepts; none where two statuses'
/// phrases are as long.
fn longest_phrase_where(
    v: &StatusVocabulary,
    holds: impl Fn(&[String]) -> bool,
) -> Option<DccStatus> {
    let mut best: Option<(usize, DccStatus)> = None;
    let mut tied = false;
    for (k, phrase) in v.phrase_words.iter().enumerate() {
        if !holds(phrase) {
            continue;
        }
        let status = v.phrases[k].1;
        match best {
            Some((len, s)) if len == phrase.len() && s != status => tied = true,
            Some((len, _)) if len >= phrase.len() => {}
            _ => {
                best = Some((phrase.len(), status));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, s)| s)
}

/// The status a table's status cell names when OCR garbled its letters beyond every phrase
/// (`Noouistanding assessment request`, `Iniplemented`, `Rendin €N2!ng implementation`): the
/// phrase nearest the cell's letters, when it is near (an edit in five letters) and no
/// phrase of another status is as near (`XA in progress` is as near to IA's as to PA's, and
/// is left unread). A cell that is a phrase's first words alone (`Awaiting IA`) names it
/// when it names no other. Only for a cell known to hold a status: a repair, to be flagged.
pub fn closest_status(v: &StatusVocabulary, cell: &str) -> Option<DccStatus> {
    let letters = |t: &str| -> String {
        t.chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let cell = letters(cell);
    if cell.len() < 6 {
        return None;
    }
    // Each status's nearest phrase, then the nearest status and the one after it.
    let mut nearest: Vec<(usize, DccStatus)> = Vec::new();
    for (phrase, status) in &v.phrases {
        let phrase = letters(phrase);
        let distance = if phrase.starts_with(&cell) && cell.len() >= 8 {
            0
        } else {
            super::text::edit_distance(&cell, &phrase)
        };
        match nearest.iter_mut().find(|(_, s)| s == status) {
            Some(n) => n.0 = n.0.min(distance),
            None => nearest.push((distance, *status)),
        }
    }
    nearest.sort_by_key(|n| n.0);
    let (distance, status) = *nearest.first()?;
    let near = distance <= (cell.len() / 5).max(1);
    let alone = nearest.get(1).is_none_or(|n| n.0 > distance);
    (near && alone).then_some(status)
}

/// The status a longer text (a table cell, a wrapped row) names: the longest phrase found, on
/// word boundaries; the earliest when two are as long.
pub fn find_status(v: &StatusVocabulary, text: &str) -> Option<DccStatus> {
    // ASCII text (most cells and rows) is read word by word as it is printed, without
    // writing its normalised form, and so is text whose other characters change nothing
    // (below); other text is normalised first (its words lowered, OCR's `1A` made `ia`), and
    // read the same way.
    if text.is_ascii() || words_read_as_printed(text) {
        return longest_phrase(v, text.as_bytes());
    }
    let mut norm = String::with_capacity(text.len() + 1);
    push_normalised(text, &mut norm);
    longest_phrase(v, norm.as_bytes())
}

/// The status whose phrase a text row wraps from one line to the next: its first words stand
/// among `upper`'s words, the rest among `lower`'s, each part whole and in order (the June 2020 report's OCR text: `0080 Ensuring a managed move to |
/// Pending 22/11/2019 | ...` over `DUIS version 3.1 implementation on 27/05/2020`). The longest
/// such phrase; none where two statuses' phrases are as long.
pub fn wrapped_status(v: &StatusVocabulary, upper: &str, lower: &str) -> Option<DccStatus> {
    let words = |t: &str| -> Vec<String> {
        normalise_status_text(t)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (upper, lower) = (words(upper), words(lower));
    let holds = |text: &[String], part: &[String]| text.windows(part.len()).any(|w| w == part);
    longest_phrase_where(v, |phrase| {
        (1..phrase.len()).any(|at| holds(&upper, &phrase[..at]) && holds(&lower, &phrase[at..]))
    })
}

/// True when the characters of `text` beyond ASCII are inside words (no separator among
/// them) and stay beyond ASCII when lowered (`é`, `ﬁ`, `¢`; not the Kelvin sign): the words
/// are then where the ASCII separators put them, and a word holding one matches no phrase,
/// whether as printed or normalised, since the phrases are ASCII.
fn words_read_as_printed(text: &str) -> bool {
    text.chars()
        .filter(|c| !c.is_ascii())
        .all(|c| !separates_status_words(c) && c.to_lowercase().any(|l| !l.is_ascii()))
}

/// The words of a text as [`normalise_status_text`] finds them in ASCII text: runs of bytes
/// between the ASCII separators, not yet lowered. (Normalised text, whatever its characters,
/// is words one space apart, and splits here into those words.)
#[derive(Clone)]
struct Words<'t> {
    text: &'t [u8],
    at: usize,
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t [u8];

    fn next(&mut self) -> Option<&'t [u8]> {
        let text = self.text;
        let mut at = self.at;
        while at < text.len() && ASCII_SEPARATOR[text[at] as usize] {
            at += 1;
        }
        let start = at;
        while at < text.len() && !ASCII_SEPARATOR[text[at] as usize] {
            at += 1;
        }
        self.at = at;
        (start < at).then(|| &text[start..at])
    }
}

/// True when a printed word normalises to `word` (ASCII letters lowered; `1A`, `lA`, `!A`
/// are `ia`).
fn normalises_to(printed: &[u8], word: &[u8]) -> bool {
    printed.len() == word.len()
        && (printed.eq_ignore_ascii_case(word) || (word == b"ia" && is_ocr_ia(printed)))
}

/// `1a`, `la`, `!a` in any letter case: OCR's forms of `ia`.
fn is_ocr_ia(printed: &[u8]) -> bool {
    matches!(printed, [b'1' | b'l' | b'L' | b'!', b'a' | b'A'])
}

/// The status of the longest phrase in a text (ASCII as printed, or normalised), the
/// earliest when two are as long: a phrase matches at a word when its words are the words
/// from there on, each normalised. Only the phrases of the word's first letter are tried.
fn longest_phrase(v: &StatusVocabulary, text: &[u8]) -> Option<DccStatus> {
    // (length, phrase) of the best so far: a phrase found later must be longer to win.
    let mut best: Option<(usize, usize)> = None;
    let mut words = Words { text, at: 0 };
    while let Some(word) = words.next() {
        let first = if is_ocr_ia(word) {
            b'i'
        } else {
            word[0].to_ascii_lowercase()
        };
        for &k in v.starting_with.get(first) {
            let k = usize::from(k);
            if best.is_some_and(|(len, _)| v.phrases[k].0.len() <= len) {
                // Longest first: no later phrase of this word is longer.
                break;
            }
            let (head, tail) = v.phrase_words[k].split_first().expect("a phrase has words");
            let mut following = words.clone();
            let matches = normalises_to(word, head.as_bytes())
                && tail.iter().all(|w| {
                    following
                        .next()
                        .is_some_and(|p| normalises_to(p, w.as_bytes()))
                });
            if matches {
                best = Some((v.phrases[k].0.len(), k));
                break;
            }
        }
    }
    best.map(|(_, k)| v.phrases[k].1)
}

/// Where the first status phrase printed after a space starts in `text` as printed (the
/// offset of that space), letter case aside: where a title run into its status ends
/// ("0028 Prioritising Service Requests On hold").
pub fn status_after_space(v: &StatusVocabulary, text: &str) -> Option<usize> {
    v.after_space.find(text).map(|m| m.start())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    fn v() -> &'static StatusVocabulary {
        &Grammar::builtin().statuses
    }

    #[test]
    fn a_status_cells_pieces_are_runs_of_a_phrases_words() {
        for piece in [
            "assessment",
            "No outstanding",
            "request.",
            "PA in",
            "implementation",
        ] {
            assert!(is_piece_of_a_phrase(v(), piece), "{piece:?}");
        }
        // Words of no phrase, or parts of its words, are no piece.
        for other in ["Change Board", "outstand", "request request", "", "|"] {
            assert!(!is_piece_of_a_phrase(v(), other), "{other:?}");
        }
        assert!(begins_a_phrase(v(), "PA in"));
        assert!(begins_a_phrase(v(), "No outstanding"));
        assert!(!begins_a_phrase(v(), "assessment"));
        assert!(!begins_a_phrase(v(), "PA i"));
        assert!(!begins_a_phrase(v(), "Currently with"));
    }

    #[test]
    fn a_status_cell_with_its_words_out_of_order_names_its_status() {
        let read = |cell: &str| status_in_any_order(v(), cell);
        assert_eq!(
            read("Awaiting request IA"),
            Some(DccStatus::AwaitingIaRequest)
        );
        assert_eq!(
            read("implementation Pending"),
            Some(DccStatus::PendingImplementation)
        );
        assert_eq!(
            read("assessment request No outstanding"),
            Some(DccStatus::NoOutstandingRequest)
        );
        assert_eq!(read("progress 1A in"), Some(DccStatus::IaInProgress));
        // A word missing, or too many others: no status.
        assert_eq!(read("request IA"), None);
        assert_eq!(read("Awaiting the DCC's IA request today"), None);
        assert_eq!(read("5, i, rouresst Prog!"), None);
    }

    #[test]
    fn printed_phrases_map_to_one_value_each() {
        for (s, want) in [
            ("PA in progress", DccStatus::PaInProgress),
            ("1A in progress", DccStatus::IaInProgress),
            ("lA in progress", DccStatus::IaInProgress),
            ("IA in progress.", DccStatus::IaInProgress),
            (
                "No outstanding assessment request",
                DccStatus::NoOutstandingRequest,
            ),
            (
                "No  outstanding\nassessment   request",
                DccStatus::NoOutstandingRequest,
            ),
            ("Awaiting 1A request", DccStatus::AwaitingIaRequest),
            ("Pending implementation", DccStatus::PendingImplementation),
            ("Implemented", DccStatus::Implemented),
            ("Withdrawn", DccStatus::Withdrawn),
            ("Rejected", DccStatus::Rejected),
            ("On hold.", DccStatus::OnHold),
            ("PA'in progress.", DccStatus::PaInProgress),
            ("__PA in-progress.", DccStatus::PaInProgress),
        ] {
            assert_eq!(parse_status(v(), s), Some(want), "{s:?}");
        }
    }

    #[test]
    fn the_ascii_fast_path_normalises_like_the_general_one() {
        for text in [
            "",
            " PA in-progress. ",
            "1A\x0bin progress",
            "lA|!a|1a|LA|1aa|a",
            "On hold.__(x);y:z,w\"q'",
            "\t\r\nNo  outstanding",
            "a\0b 1A\x7f",
        ] {
            for prefix in ["", "x", "x "] {
                let (mut fast, mut general) = (prefix.to_string(), prefix.to_string());
                push_normalised_ascii(text.as_bytes(), &mut fast);
                push_normalised_chars(text, &mut general);
                assert_eq!(fast, general, "{prefix:?} + {text:?}");
            }
        }
    }

    /// The definition [`find_status`] keeps to: every occurrence of every phrase with a space
    /// either side, in the normalised text with a space either side; the longest, then the
    /// earliest.
    fn find_status_by_definition(v: &StatusVocabulary, text: &str) -> Option<DccStatus> {
        let norm = format!(" {} ", normalise_status_text(text));
        let padded =
            aho_corasick::AhoCorasick::new(v.phrases.iter().map(|(p, _)| format!(" {p} ")))
                .unwrap();
        padded
            .find_overlapping_iter(norm.as_str())
            .min_by_key(|m| (std::cmp::Reverse(m.len()), m.start()))
            .map(|m| v.phrases[m.pattern().as_usize()].1)
    }

    #[test]
    fn finding_a_status_at_word_starts_finds_what_the_definition_finds() {
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let lines: Vec<&str> = report.lines().collect();
        let mut texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        // Neighbouring lines together, as rows' contexts are read.
        texts.extend(lines.windows(3).map(|w| w.join(" ")));
        // Phrases run together, cut short, inside words, one inside another.
        for (p, _) in &v().phrases {
            for (a, b) in [
                ("", ""),
                ("x", ""),
                ("", "x"),
                ("re", " done"),
                ("1 ", "ed"),
            ] {
                texts.push(format!("{a}{p}{b}"));
                texts.push(format!("{a}{} {p}{b}", &p[..p.len() / 2]));
                texts.push(format!("{p} {a}{p}{b} PA in progress"));
                // Longer than a cell: normalised in a string, not on the stack.
                texts.push(format!(
                    "{} {a}{p}{b}",
                    "words of a wrapped row ".repeat(12)
                ));
                texts.push(format!("{a}{p}{b} ’ non-ASCII"));
                // Characters beyond ASCII inside words, beside a phrase or in it.
                for c in [
                    "é", "ﬁ", "¢", "\u{212a}", "\u{130}", "\u{a0}", "\u{2003}", "—",
                ] {
                    texts.push(format!("{a}{c}{p}{b}"));
                    texts.push(format!("{a}{p}{c}{b}"));
                    texts.push(format!("{c} {a}{p}{b} {c}"));
                    texts.push(format!(
                        "{a}{}{c}{}{b}",
                        &p[..p.len() / 2],
                        &p[p.len() / 2..]
                    ));
                }
            }
        }
        // OCR's forms of IA, letter case, punctuation between the words.
        for ia in [
            "IA", "ia", "1A", "1a", "lA", "LA", "!A", "!a", "|A", "iA1", "LAA",
        ] {
            texts.push(format!("{ia} in progress"));
            texts.push(format!("Awaiting {ia}-request."));
            texts.push(format!("0092 | PA/{ia}: IN__PROGRESS; On (hold)"));
        }
        let mut found = 0;
        for text in &texts {
            let want = find_status_by_definition(v(), text);
            found += usize::from(want.is_some());
            assert_eq!(find_status(v(), text), want, "{text:?}");
        }
        // The comparison meets statuses, not only their absence.
        assert!(found > 200, "{found}");
    }

    #[test]
    fn text_beyond_ascii_is_read_as_printed_only_where_that_changes_nothing() {
        for (text, as_printed) in [
            ("PA in progress", true),
            ("Speciﬁc PA in progress", true),
            ("Café ¢ IA in progress", true),
            // Separators beyond ASCII: words split where the ASCII ones would not.
            ("PA\u{a0}in progress", false),
            ("PA in\u{2003}progress", false),
            ("PA—in progress", false),
            ("On hold’", false),
            // Lowered to ASCII: the Kelvin sign is `k`.
            ("\u{212a}ept on hold", false),
            // `İ` lowers to `i` and a combining dot: still beyond ASCII.
            ("\u{130}A in progress", true),
        ] {
            assert_eq!(words_read_as_printed(text), as_printed, "{text:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in DccStatus::ALL {
            assert_eq!(DccStatus::from_name(s.name()), Some(s));
        }
    }

    #[test]
    fn a_garbled_status_cell_reads_as_the_nearest_status_only_when_no_other_is_as_near() {
        let v = v();
        for (cell, want) in [
            (
                "Noouistanding assessment —_ request",
                Some(DccStatus::NoOutstandingRequest),
            ),
            (
                "Nooutstanding assessment request",
                Some(DccStatus::NoOutstandingRequest),
            ),
            ("Iniplemented", Some(DccStatus::Implemented)),
            (
                "Rendin €N2!ng implementation",
                Some(DccStatus::PendingImplementation),
            ),
            ("Awaiting [A —_ request", Some(DccStatus::AwaitingIaRequest)),
            ("Awaiting IA", Some(DccStatus::AwaitingIaRequest)),
            // `TA` is OCR's IA (grammars/statuses.toml); `XA` as near to IA's as to PA's.
            ("TA in progress", Some(DccStatus::IaInProgress)),
            ("XA in progress", None),
            ("Bendin a ay EATON s c a t", None),
            ("18/03/2019", None),
            ("", None),
        ] {
            assert_eq!(closest_status(v, cell), want, "{cell:?}");
        }
    }

    #[test]
    fn a_status_wrapped_from_one_line_to_the_next_names_its_status() {
        let v = v();
        // The June 2020 report's OCR text.
        assert_eq!(
            wrapped_status(
                v,
                "Ensuring a managed move to | Pending 22/11/2019 | 20/12/2019 | 17/01/2020",
                "DUIS version 3.1 implementation on 27/05/2020"
            ),
            Some(DccStatus::PendingImplementation)
        );
        assert_eq!(
            wrapped_status(v, "Data access No outstanding", "assessment request"),
            Some(DccStatus::NoOutstandingRequest)
        );
        // Each part whole: `implementation` alone names nothing, nor `Pending` alone.
        assert_eq!(wrapped_status(v, "Pending", "the report"), None);
        assert_eq!(wrapped_status(v, "a plan", "implementation"), None);
    }

    #[test]
    fn unknown_phrases_are_none() {
        for s in ["in progress", "PA", "hold", "Approved", ""] {
            assert_eq!(parse_status(v(), s), None, "{s:?}");
        }
    }

    #[test]
    fn finds_the_longest_phrase_in_a_cell() {
        assert_eq!(
            find_status(v(), "No outstanding assessment request Awaiting 1A request"),
            Some(DccStatus::NoOutstandingRequest)
        );
        assert_eq!(
            find_status(v(), "0028 Prioritising Service Requests On hold"),
            Some(DccStatus::OnHold)
        );
        assert_eq!(find_status(v(), "Prioritising Service Requests"), None);
    }

    #[test]
    fn a_title_ends_where_a_status_starts_after_a_space() {
        let text = "Prioritising Service Requests On hold";
        assert_eq!(status_after_space(v(), text), Some(29));
        // The earliest phrase wins, whichever is longer; one inside a word does not count.
        assert_eq!(
            status_after_space(v(), "Reimplemented widgets WITHDRAWN; PA in progress"),
            Some(21)
        );
        assert_eq!(status_after_space(v(), "On hold at the start"), None);
        assert_eq!(status_after_space(v(), "Reimplemented"), None);
    }
}

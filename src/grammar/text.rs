//! Small text normalisations shared by the parsers: whitespace, quotes, dashes and ligatures.

use std::borrow::Cow;

/// One space between words, no space at either end. pdf-extract doubles spaces in OCR text
/// layers; OCR breaks spacing; the grammars should not care.
pub fn collapse_whitespace(text: &str) -> String {
    collapsed_whitespace(text).into_owned()
}

/// [`collapse_whitespace`], borrowing `text` when it is already collapsed (most lines are).
pub fn collapsed_whitespace(text: &str) -> Cow<'_, str> {
    if line_bytes(text).collapsed {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(collapse_into_new(text))
    }
}

/// `text` with its whitespace collapsed, built anew (the caller knows it is not collapsed).
fn collapse_into_new(text: &str) -> String {
    if text.is_ascii() {
        return collapse_ascii_whitespace(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A line as the report model reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedLine<'t> {
    /// Whitespace collapsed; borrowed when the line already was.
    pub text: Cow<'t, str>,
    /// [`plain_quotes_and_dashes`] of `text`, where that differs from it.
    pub plain: Option<String>,
    /// The line holds an ASCII digit.
    pub has_digit: bool,
}

/// What one pass over a line's bytes tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineBytes {
    collapsed: bool,
    needs_plain: bool,
    has_digit: bool,
}

/// Reads a line in one pass over its bytes: most lines (ASCII, collapsed, no backtick) are
/// borrowed as they are. (A report's lines are read from their page's bit masks,
/// `page_scan`; this reads the lines those send here, and single texts.)
pub fn scan_line(line: &str) -> ScannedLine<'_> {
    scanned(line, line_bytes(line))
}

/// A line as [`LineBytes`] says it is.
fn scanned(line: &str, facts: LineBytes) -> ScannedLine<'_> {
    let text = if facts.collapsed {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(collapse_into_new(line))
    };
    // Collapsing removes only whitespace, so it changes nothing the plain form changes.
    let plain = facts
        .needs_plain
        .then(|| plain_quotes_and_dashes(&text).into_owned());
    ScannedLine {
        text,
        plain,
        has_digit: facts.has_digit,
    }
}

/// A word of eight bytes (read little-endian: the first byte is the lowest lane), each `b`.
const fn lanes(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}
const HIGH: u64 = lanes(0x80);

/// The high bit set in each lane of `x` that is an ASCII digit (any lane, ASCII or not).
pub(crate) fn ascii_digit_lanes(x: u64) -> u64 {
    // Each lane's low seven bits, so that adding cannot carry into the next lane; a lane is a
    // digit when those are at least '0' and below ':' and its own high bit is clear.
    let low = x & lanes(0x7f);
    let at_least_0 = low.wrapping_add(lanes(0x80 - b'0'));
    let at_least_colon = low.wrapping_add(lanes(0x80 - b':'));
    at_least_0 & !at_least_colon & !x & HIGH
}

/// The high bit set in each lane of `x` (bytes below 0x80) that is `b`.
fn lanes_equal(x: u64, b: u8) -> u64 {
    // (Lanes below 0x80 cannot carry into their neighbours.)
    !((x ^ lanes(b)).wrapping_add(lanes(0x7f))) & HIGH
}

/// [`scan_line`]'s pass: eight bytes at a time where they are ASCII without a control
/// character, byte by byte elsewhere, decoding only non-ASCII characters.
fn line_bytes(line: &str) -> LineBytes {
    let bytes = line.as_bytes();
    let mut out = LineBytes {
        collapsed: true,
        needs_plain: false,
        has_digit: false,
    };
    // A space at the start counts as one after a space.
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            // Lanes below 0x20 (control characters and whitespace other than the space)
            // have no high bit after adding 0x60.
            let control = !x.wrapping_add(lanes(0x60)) & HIGH;
            if x & HIGH == 0 && control == 0 {
                let spaces = lanes_equal(x, b' ');
                // A space after a space, within the eight bytes or across their start.
                if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
                    out.collapsed = false;
                }
                out.needs_plain |= lanes_equal(x, b'`') != 0;
                out.has_digit |= ascii_digit_lanes(x) != 0;
                after_space = spaces >> 63 != 0;
                i += 8;
                continue;
            }
        }
        // One character.
        let b = bytes[i];
        if b < 0x80 {
            let space = is_ascii_space(b);
            out.collapsed &= !(space && (after_space || b != b' '));
            out.needs_plain |= b == b'`';
            out.has_digit |= b.is_ascii_digit();
            after_space = space;
            i += 1;
        } else {
            let c = line[i..].chars().next().expect("a char at a lead byte");
            // A line with Unicode whitespace takes the general path.
            out.collapsed &= !c.is_whitespace();
            out.needs_plain |= plain_form(c).is_some();
            after_space = false;
            i += c.len_utf8();
        }
    }
    out.collapsed &= !after_space || bytes.is_empty();
    out
}

/// The bytes `split_whitespace` splits ASCII text at: `is_ascii_whitespace` and the vertical
/// tab it leaves out.
fn is_ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// [`collapse_whitespace`] for ASCII text, byte by byte: most report lines are ASCII, and
/// Unicode's whitespace table and per-word UTF-8 checks cost more than the copy.
fn collapse_ascii_whitespace(line: &str) -> String {
    let text = line.as_bytes();
    let mut out = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text {
        if is_ascii_space(b) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// The plain form of a character, `None` when that is the character itself: `'` or `"` for
/// quotes, `-` for dashes, and the letters of a typographic ligature (`ﬁ` is `fi`: a PDF's
/// text layer and OCR give "Reﬁnement", which the phrases must match as "Refinement").
pub(crate) fn plain_form(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => return None,
        '“' | '”' => "\"",
        '\'' => return None,
        c if is_quote(c) => "'",
        '-' => return None,
        c if is_dash(c) => "-",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

/// Quotes made `'`/`"`, dashes `-` and ligatures their letters, borrowing `text` when it has none to change (most
/// lines: ASCII without a backtick).
pub fn plain_quotes_and_dashes(text: &str) -> Cow<'_, str> {
    let Some(first) = next_to_make_plain(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut at = Some(first);
    while let Some((i, c, plain)) = at {
        out.push_str(&text[from..i]);
        out.push_str(plain);
        from = i + c.len_utf8();
        at = next_to_make_plain(text, from);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// The next character from byte `from` on that [`plain_form`] changes, where it is, and
/// its plain form.
/// Bytes are scanned: only a backtick or a non-ASCII character can change, so every other
/// byte is passed over without decoding.
fn next_to_make_plain(text: &str, from: usize) -> Option<(usize, char, &'static str)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(skip) = bytes[i..].iter().position(|&b| b == b'`' || b >= 0x80) {
        i += skip;
        // `i` is a char boundary: a backtick or the lead byte of a character.
        let c = text[i..].chars().next().expect("a char at a boundary");
        if let Some(plain) = plain_form(c) {
            return Some((i, c, plain));
        }
        i += c.len_utf8();
    }
    None
}

/// True for every character a report uses as a quote mark around a title.
pub fn is_quote(c: char) -> bool {
    matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | '`' | '´')
}

/// True for the dashes a report prints between a title and its tail (`— approved`).
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―')
}

/// A title as a register wants it: quotes and dashes made plain, whitespace collapsed,
/// stray quote marks at either end removed.
/// The edits (insertions, deletions, substitutions of a character) that turn `a` into `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != *cb) as usize)
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

pub fn clean_title(text: &str) -> String {
    let plain = plain_quotes_and_dashes(text);
    collapse_whitespace(trim_title_ends(&plain))
}

/// A title's text without what OCR leaves at its ends, but with the closing quote of a quote
/// the title opens (`Changes to SEC Schedule 11 'TS Applicability Tables'`).
fn trim_title_ends(text: &str) -> &str {
    let title = text.trim_matches(stray_at_title_end);
    let end = title.as_ptr() as usize - text.as_ptr() as usize + title.len();
    let opens = |q: char| {
        let words = || title.split_whitespace();
        words().filter(|w| w.starts_with(q)).count() > words().filter(|w| w.ends_with(q)).count()
    };
    match text[end..].chars().next() {
        Some(q @ ('\'' | '"')) if opens(q) => &text[end - title.len()..end + 1],
        _ => title,
    }
}

/// What a title loses at either end: OCR leaves stray quotes, stops and colons there
/// (".Sending Commands via PPMIDs").
fn stray_at_title_end(c: char) -> bool {
    is_quote(c) || c.is_whitespace() || matches!(c, ',' | '.' | ':' | ';')
}

/// [`clean_title`] of a text that must already be plain and collapsed: a part of a content
/// line's plain form or of a paragraph's text (plain lines joined by one space). Only its ends
/// can change, so it is not scanned again for quotes, dashes or runs of whitespace. (Other
/// text gets a different result; debug builds assert it is the same.)
pub fn clean_plain_title(text: &str) -> String {
    let title = trim_title_ends(text);
    debug_assert_eq!(
        title,
        clean_title(text),
        "not plain and collapsed: {text:?}"
    );
    title.to_string()
}

/// A scanned table cell's words without the marks OCR glued to them and no reader would
/// keep: a quote between two words (`available on'the HAN`, `for'alt HAN`: two words; not
/// `DCC's`), a stop or underscore at a word's start or an underscore at its end
/// (`.non-domestic`, `CHISM_`), and a quote opening a word that no later word closes
/// (`(SMDA) 'Scheme`; `'TS Applicability Tables'` is kept). The words are `text`'s,
/// whitespace collapsed; its quotes, straight or curly, stay as printed.
pub fn without_glued_marks(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = word
            .trim_start_matches(|c| matches!(c, '.' | '_' | ',' | ':' | ';'))
            .trim_end_matches('_');
        match split_at_glued_quote(word) {
            Some((left, right)) => words.extend([left.to_string(), right.to_string()]),
            None if !word.is_empty() => words.push(word.to_string()),
            None => {}
        }
    }
    // (A double quote closes a double quote only: `‘Amending the” Change Board`, scan 9300,
    // opens nothing its `”` closes.)
    let double = |c: char| matches!(c, '"' | '“' | '”');
    let kind = |c: Option<char>| c.filter(|&c| is_quote(c)).map(double);
    for k in 0..words.len() {
        let Some(opens) = kind(words[k].chars().next()) else {
            continue;
        };
        let closed = |w: &String| w.chars().count() > 1 && kind(w.chars().last()) == Some(opens);
        if !closed(&words[k]) && !words[k + 1..].iter().any(closed) {
            words[k].remove(0);
        }
    }
    // A quote closing a word that no earlier word opens: a speck OCR read as a quote (`the"
    // Change Board`, `Enrolment and' Adoption`: generated scans 9300 and 9000). Not a plural's
    // apostrophe (`Users' rights`).
    let mut opened = [false; 2];
    for word in words.iter_mut() {
        if let Some(opens) = kind(word.chars().next()) {
            opened[usize::from(opens)] = true;
        }
        let mut chars = word.chars().rev();
        let (last, before) = (chars.next(), chars.next());
        let possessive = matches!(last, Some('\'' | '’')) && matches!(before, Some('s' | 'S'));
        let closes = kind(last).is_some_and(|k| !opened[usize::from(k)]);
        if closes && word.chars().count() > 1 && !possessive {
            word.pop();
        }
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

/// A word that is two words with a quote OCR read between them: both at least two letters,
/// the second no contraction's end (`'ll`, `'re`, `'ve`).
fn split_at_glued_quote(word: &str) -> Option<(&str, &str)> {
    let (at, quote) = word.char_indices().find(|&(_, c)| is_quote(c))?;
    let (left, right) = (&word[..at], &word[at + quote.len_utf8()..]);
    let letters = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic);
    let contraction = matches!(right.to_lowercase().as_str(), "ll" | "re" | "ve");
    (letters(left) && letters(right) && !contraction).then_some((left, right))
}

/// [`collapse_whitespace`] of a text that must already be collapsed but for its ends (a part of
/// a content line or of a paragraph's text): the ends trimmed, nothing scanned again. (Debug
/// builds assert it is the same.)
pub fn trim_collapsed(text: &str) -> String {
    let trimmed = text.trim();
    debug_assert_eq!(
        trimmed,
        collapse_whitespace(text),
        "not collapsed: {text:?}"
    );
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_ocr_glued_to_a_cells_words_go_and_a_quoted_phrase_stays() {
        for (cell, want) in [
            (
                "IHD / PPMID Zigbee Attributes Available on'the HAN",
                "IHD / PPMID Zigbee Attributes Available on the HAN",
            ),
            (
                "for .Non-Domestic Suppliers and Alignment of CHISM_",
                "for Non-Domestic Suppliers and Alignment of CHISM",
            ),
            (
                "Assurance (SMDA) 'Scheme - Self-Governance",
                "Assurance (SMDA) Scheme - Self-Governance",
            ),
            (
                "Changes to SEC Schedule 11 'TS Applicability Tables'",
                "Changes to SEC Schedule 11 'TS Applicability Tables'",
            ),
            (
                "the DCC's role and Users' rights",
                "the DCC's role and Users' rights",
            ),
            (
                "Service Request 'Traffic' Management",
                "Service Request 'Traffic' Management",
            ),
            (
                "Awaiting the \u{2018}Change Board\u{2019} for\u{2019}decision",
                "Awaiting the \u{2018}Change Board\u{2019} for decision",
            ),
            (
                "Amending the\" Change Board decision making rules",
                "Amending the Change Board decision making rules",
            ),
            (
                "SMETS1 Enrolment and' Adoption - Active Enrolment",
                "SMETS1 Enrolment and Adoption - Active Enrolment",
            ),
            ("Suppliers' obligations", "Suppliers' obligations"),
            (
                "\u{2018}Amending the\u{201d} Change Board",
                "Amending the Change Board",
            ),
        ] {
            assert_eq!(super::without_glued_marks(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn a_title_keeps_the_closing_quote_of_a_quote_it_opens() {
        for (text, want) in [
            (
                "Changes to SEC Schedule 11 'TS Applicability Tables'",
                "Changes to SEC Schedule 11 'TS Applicability Tables'",
            ),
            ("'Alert Storm Protection'.", "Alert Storm Protection"),
            (
                "Removal of redundant \u{201c}Other User\u{201d}",
                "Removal of redundant \"Other User\"",
            ),
            ("The DCC's Alert Storm'", "The DCC's Alert Storm"),
        ] {
            assert_eq!(clean_title(text), want, "{text:?}");
        }
    }

    use super::*;

    #[test]
    fn the_ascii_fast_path_collapses_like_split_whitespace() {
        for text in [
            "",
            " ",
            "\t\x0b\x0c\r\n",
            "  a  b ",
            "MP077\x0bSEC\x1fx",
            "a\r\nb",
            " lead",
            "trail\t",
        ] {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), want, "{text:?}");
            let borrowed = matches!(collapsed_whitespace(text), Cow::Borrowed(_));
            assert_eq!(borrowed, want == text, "{text:?}");
            let line = scan_line(text);
            assert_eq!(
                (line.text.as_ref(), line.plain),
                (want.as_str(), None),
                "{text:?}"
            );
        }
    }

    #[test]
    fn titles_of_plain_collapsed_text_are_only_trimmed() {
        // As a line is read (plain, collapsed), then cut anywhere as an item's title or tail
        // is: the shortcuts clean every piece as the full cleaning does.
        for text in [
            " .‘Alert  Storm’ — x. ",
            "':Sending Commands via PPMIDs,;",
            "“Gemserv’s  Title”",
            "'' ",
            "Title \t with\u{a0}odd   spaces.",
            "-'DP136 – rejected",
        ] {
            let line = scan_line(text);
            let plain = line.plain.as_deref().unwrap_or(&line.text);
            assert_eq!(clean_plain_title(plain), clean_title(text), "{text:?}");
            let cuts = (0..=plain.len()).filter(|&i| plain.is_char_boundary(i));
            for at in cuts {
                for piece in [&plain[..at], &plain[at..]] {
                    assert_eq!(clean_plain_title(piece), clean_title(piece), "{piece:?}");
                    assert_eq!(
                        trim_collapsed(piece),
                        collapse_whitespace(piece),
                        "{piece:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn quotes_dashes_and_ligatures_made_plain_only_where_printed() {
        for (text, want) in [
            ("", ""),
            ("MP077 approved", "MP077 approved"),
            (
                "‘Alert Storm’ — “x” – `y´ ―",
                "'Alert Storm' - \"x\" - 'y' -",
            ),
            ("Gemserv’s “é” ok", "Gemserv's \"é\" ok"),
            ("é ü", "é ü"),
            // Ligatures as a text layer or OCR gives them.
            (
                "Reﬁnement Consultations ‘Modiﬁcation’ ﬂagged",
                "Refinement Consultations 'Modification' flagged",
            ),
            ("eﬀect, oﬃce, baﬄe", "effect, office, baffle"),
        ] {
            let plain = plain_quotes_and_dashes(text);
            assert_eq!(plain, want, "{text:?}");
            let line = scan_line(text);
            assert_eq!(line.plain.as_deref().unwrap_or(text), want, "{text:?}");
            assert_eq!(matches!(plain, Cow::Borrowed(_)), text == want, "{text:?}");
        }
    }

    /// What [`line_bytes`] must say, from the definitions (`split_whitespace`, [`plain_form`],
    /// a digit search): the eight-byte path is tested against it.
    fn line_bytes_by_definition(line: &str) -> LineBytes {
        let want = line.split_whitespace().collect::<Vec<_>>().join(" ");
        LineBytes {
            collapsed: want == line,
            needs_plain: line.chars().any(|c| plain_form(c).is_some()),
            has_digit: line.bytes().any(|b| b.is_ascii_digit()),
        }
    }

    #[test]
    fn the_eight_byte_scan_agrees_with_the_definitions() {
        // Every arrangement of a few telling bytes at every offset across the eight-byte
        // boundaries, in lines of several lengths.
        let parts = [
            "a", " ", "  ", "\t", "\n", "\x0b", "\x1f", "`", "0", "9", "/", ":", "‘", "’",
            "\u{a0}", "é", "ﬁ", "MP077", "x y", "\x7f", "~",
        ];
        let mut lines = vec![String::new()];
        for a in parts {
            for b in parts {
                for pad in 0..10 {
                    let filler = "abcdefghij";
                    lines.push(format!("{}{a}{}{b}", &filler[..pad], &filler[pad..]));
                    lines.push(format!("{a}{}{b}{}", &filler[..pad], &filler[..9 - pad]));
                    lines.push(format!("{}{a}{b}", &filler[..pad]));
                }
            }
        }
        lines.push("Modification Proposal SECMP0067 ‘DCC’ — 17/04/2020  PA in progress ".into());
        for line in &lines {
            let want = line_bytes_by_definition(line);
            assert_eq!(line_bytes(line), want, "{line:?}");
        }
    }

    #[test]
    fn collapses_doubled_spaces_and_tabs() {
        assert_eq!(
            collapse_whitespace("  PA  in\tprogress  "),
            "PA in progress"
        );
    }

    #[test]
    fn titles_lose_stray_stops_at_the_ends() {
        assert_eq!(
            clean_title(".Sending Commands via PPMIDs"),
            "Sending Commands via PPMIDs"
        );
        assert_eq!(clean_title("SR11.2 to Devices"), "SR11.2 to Devices");
    }

    #[test]
    fn titles_lose_curly_and_doubled_quotes() {
        assert_eq!(
            clean_title("‘'SMKI RAPP Security Screening clarification’"),
            "SMKI RAPP Security Screening clarification"
        );
        assert_eq!(
            clean_title("‘Northbound Application Traffic Management — Alert Storm Protection’"),
            "Northbound Application Traffic Management - Alert Storm Protection"
        );
    }
}

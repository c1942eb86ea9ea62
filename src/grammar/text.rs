//! Small text normalisations shared by the parsers: whitespace, quotes and dashes.

use std::borrow::Cow;

/// One space between words, no space at either end. pdf-extract doubles spaces in OCR text
/// layers; OCR breaks spacing; the grammars should not care.
pub fn collapse_whitespace(text: &str) -> String {
    collapsed_whitespace(text).into_owned()
}

/// [`collapse_whitespace`], borrowing `text` when it is already collapsed (most lines are).
pub fn collapsed_whitespace(text: &str) -> Cow<'_, str> {
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
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// The bytes `split_whitespace` splits ASCII text at: `is_ascii_whitespace` and the vertical
/// tab it leaves out.
fn is_ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// True when ASCII text has single spaces between words and none at either end.
fn is_collapsed_ascii(text: &[u8]) -> bool {
    // A space at the start counts as one after a space.
    let mut after_space = true;
    for &b in text {
        let space = is_ascii_space(b);
        if space && (after_space || b != b' ') {
            return false;
        }
        after_space = space;
    }
    !after_space || text.is_empty()
}

/// [`collapse_whitespace`] for ASCII text, byte by byte: most report lines are ASCII, and
/// Unicode's whitespace table and per-word UTF-8 checks cost more than the copy.
fn collapse_ascii_whitespace(line: &str) -> Cow<'_, str> {
    let text = line.as_bytes();
    if is_collapsed_ascii(text) {
        return Cow::Borrowed(line);
    }
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
    Cow::Owned(String::from_utf8(out).expect("ASCII in, ASCII out"))
}

/// The plain form of a quote or dash: `'` or `"` for quotes, `-` for dashes; other
/// characters are themselves.
fn plain_char(c: char) -> char {
    match c {
        '"' | '“' | '”' => '"',
        c if is_quote(c) => '\'',
        c if is_dash(c) => '-',
        c => c,
    }
}

/// Quotes made `'`/`"` and dashes `-`, borrowing `text` when it has none to change (most
/// lines: ASCII without a backtick).
pub fn plain_quotes_and_dashes(text: &str) -> Cow<'_, str> {
    let changes = |c: char| c != plain_char(c);
    let Some(first) = text.find(changes) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut at = first;
    loop {
        out.push_str(&text[from..at]);
        let c = text[at..].chars().next().expect("a char at a match");
        out.push(plain_char(c));
        from = at + c.len_utf8();
        match text[from..].find(changes) {
            Some(i) => at = from + i,
            None => break,
        }
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
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
pub fn clean_title(text: &str) -> String {
    let plain = plain_quotes_and_dashes(text);
    // OCR leaves stray stops and colons at either end (".Sending Commands via PPMIDs").
    collapse_whitespace(plain.trim_matches(|c: char| {
        is_quote(c) || c.is_whitespace() || matches!(c, ',' | '.' | ':' | ';')
    }))
}

#[cfg(test)]
mod tests {
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
        }
    }

    #[test]
    fn quotes_and_dashes_made_plain_only_where_printed() {
        for (text, want) in [
            ("", ""),
            ("MP077 approved", "MP077 approved"),
            ("‘Alert Storm’ — “x” – `y´ ―", "'Alert Storm' - \"x\" - 'y' -"),
            ("Gemserv’s “é” ok", "Gemserv's \"é\" ok"),
            ("é ü", "é ü"),
        ] {
            let plain = plain_quotes_and_dashes(text);
            assert_eq!(plain, want, "{text:?}");
            assert_eq!(matches!(plain, Cow::Borrowed(_)), text == want, "{text:?}");
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

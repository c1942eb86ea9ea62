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

/// A line as the report model reads it: its text with whitespace collapsed (borrowed when
/// already so), and its plain form ([`plain_quotes_and_dashes`]) where that differs.
pub fn collapsed_and_plain(line: &str) -> (Cow<'_, str>, Option<String>) {
    // One pass over the bytes says whether the line is collapsed and whether any character
    // changes in the plain form. Most bytes are ASCII letters and take the first branch;
    // only non-ASCII characters are decoded.
    let bytes = line.as_bytes();
    let mut after_space = true;
    let mut collapsed = true;
    let mut needs_plain = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b > b' ' && b < 0x80 {
            needs_plain |= b == b'`';
            after_space = false;
            i += 1;
        } else if b < 0x80 {
            let space = is_ascii_space(b);
            collapsed &= !(space && (after_space || b != b' '));
            after_space = space;
            i += 1;
        } else {
            let c = line[i..].chars().next().expect("a char at a lead byte");
            // A line with Unicode whitespace takes the general path.
            collapsed &= !c.is_whitespace();
            needs_plain |= c != plain_char(c);
            after_space = false;
            i += c.len_utf8();
        }
    }
    collapsed &= !after_space || bytes.is_empty();
    let text = if collapsed {
        Cow::Borrowed(line)
    } else {
        collapsed_whitespace(line)
    };
    // Collapsing removes only whitespace, so it changes nothing the plain form changes.
    let plain = needs_plain.then(|| plain_quotes_and_dashes(&text).into_owned());
    (text, plain)
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
    let Some(first) = next_to_make_plain(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut at = Some(first);
    while let Some((i, c)) = at {
        out.push_str(&text[from..i]);
        out.push(plain_char(c));
        from = i + c.len_utf8();
        at = next_to_make_plain(text, from);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// The next character from byte `from` on that [`plain_char`] changes, and where it is.
/// Bytes are scanned: only a backtick or a non-ASCII character can change, so every other
/// byte is passed over without decoding.
fn next_to_make_plain(text: &str, from: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(skip) = bytes[i..].iter().position(|&b| b == b'`' || b >= 0x80) {
        i += skip;
        // `i` is a char boundary: a backtick or the lead byte of a character.
        let c = text[i..].chars().next().expect("a char at a boundary");
        if c != plain_char(c) {
            return Some((i, c));
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
            let (line_text, line_plain) = collapsed_and_plain(text);
            assert_eq!((line_text.as_ref(), line_plain), (want.as_str(), None), "{text:?}");
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
            let (_, line_plain) = collapsed_and_plain(text);
            assert_eq!(line_plain.as_deref().unwrap_or(text), want, "{text:?}");
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

//! Small text normalisations shared by the parsers: whitespace, quotes and dashes.

/// One space between words, no space at either end. pdf-extract doubles spaces in OCR text
/// layers; OCR breaks spacing; the grammars should not care.
pub fn collapse_whitespace(text: &str) -> String {
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

/// [`collapse_whitespace`] for ASCII text, byte by byte: most report lines are ASCII, and
/// Unicode's whitespace table and per-word UTF-8 checks cost more than the copy.
fn collapse_ascii_whitespace(line: &str) -> String {
    let text = line.as_bytes();
    // `split_whitespace` splits ASCII text at these bytes: `is_ascii_whitespace` and the
    // vertical tab it leaves out.
    let is_space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
    // Most lines are already collapsed: single spaces between words, none at the ends.
    let collapsed = !text.first().is_some_and(|&b| is_space(b))
        && !text.last().is_some_and(|&b| is_space(b))
        && !text
            .windows(2)
            .any(|w| is_space(w[0]) && (w[0] != b' ' || is_space(w[1])));
    if collapsed {
        return line.to_string();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text {
        if is_space(b) {
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
    let plain: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' | '`' | '´' => '\'',
            '“' | '”' => '"',
            '–' | '—' | '―' => '-',
            other => other,
        })
        .collect();
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

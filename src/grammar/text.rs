//! Small text normalisations shared by the parsers: whitespace, quotes and dashes.

/// One space between words, no space at either end. pdf-extract doubles spaces in OCR text
/// layers; OCR breaks spacing; the grammars should not care.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // Word slices between ASCII whitespace: most report lines are ASCII, and Unicode's
        // whitespace table is slow.
        let words = text
            .as_bytes()
            .split(|b| b.is_ascii_whitespace() || *b == 0x0b)
            .filter(|w| !w.is_empty());
        for word in words {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(std::str::from_utf8(word).expect("ASCII text splits into ASCII words"));
        }
        return out;
    }
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

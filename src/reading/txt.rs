//! Plain-text exports of reports (`.txt`): pages split at form feeds.
//!
//! Text exports without form feeds are common in the archive: OCR tools that join pages with
//! a newline and a single leading space (`" ".join(pages)`). When no form feed is present and
//! lines indented by exactly one space are page starts (and a few lines indented deeper are
//! text), and the reader says so in its notes.
//!
//! Text is UTF-8; a file that starts with a UTF-16 byte order mark (Windows "Unicode" text)
//! is decoded from UTF-16, and the notes say so.

use super::{PageTextReader, PageTexts, ReadError, TextSource};

#[derive(Debug, Default, Clone, Copy)]
pub struct TxtReader;

impl PageTextReader for TxtReader {
    fn name(&self) -> &'static str {
        "txt"
    }

    fn read(&self, bytes: &[u8]) -> Result<PageTexts, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError::Empty);
        }
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let text = if let Some(text) = utf16_with_bom(bytes, &mut problems) {
            notes.push("UTF-16 text (it starts with a byte order mark), decoded".to_string());
            text
        } else {
            utf8(bytes, &mut problems)
        };
        let pages = if text.contains('\u{c}') {
            text.split('\u{c}').map(str::to_string).collect()
        } else if let Some(pages) = split_at_space_joined_pages(&text) {
            notes.push(format!(
                "no form feeds: {} pages found at lines that start with one space",
                pages.len()
            ));
            pages
        } else {
            vec![text]
        };
        Ok(PageTexts {
            pages,
            words: Vec::new(),
            source: TextSource::Txt,
            problems,
            notes,
        })
    }
}

/// UTF-8 text; invalid bytes are replaced, and `problems` says where the first was.
fn utf8(bytes: &[u8], problems: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            problems.push(format!(
                "not valid UTF-8 from byte {}: invalid bytes replaced with U+FFFD",
                e.valid_up_to()
            ));
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// The text of a file that starts with a UTF-16 byte order mark (little- or big-endian),
/// without the mark; `None` for any other file. Unpaired surrogates and an odd last byte are
/// replaced, and `problems` says so.
fn utf16_with_bom(bytes: &[u8], problems: &mut Vec<String>) -> Option<String> {
    let unit: fn([u8; 2]) -> u16 = match bytes {
        [0xff, 0xfe, ..] => u16::from_le_bytes,
        [0xfe, 0xff, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let body = &bytes[2..];
    let units = body.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let odd_byte = !body.len().is_multiple_of(2);
    let mut damaged = odd_byte;
    let mut text: String = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                damaged = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if odd_byte {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    if damaged {
        problems.push("not valid UTF-16: invalid code units replaced with U+FFFD".to_string());
    }
    Some(text)
}

/// Pages joined by "\n " (each page starting with one space). `None` when the text does not
/// look like that: fewer than two such lines, or lines indented deeper (two spaces, a tab)
/// more than a quarter as many as they are - indented text, not joined pages. (A few deeper
/// lines are a report's own indentation: they stay text.)
fn split_at_space_joined_pages(text: &str) -> Option<Vec<String>> {
    let mut starts = Vec::new();
    let mut deeper = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("  ") || line.starts_with('\t') {
            deeper += 1;
        } else if line.starts_with(' ') && !line.trim().is_empty() {
            starts.push(offset);
        }
        offset += line.len();
    }
    if starts.len() < 2 || deeper * 4 > starts.len() {
        return None;
    }
    if starts[0] != 0 {
        starts.insert(0, 0);
    }
    let mut pages = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(text.len());
        let page = &text[s..e];
        pages.push(page.strip_prefix(' ').unwrap_or(page).to_string());
    }
    Some(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_feeds_split_pages() {
        let p = TxtReader.read(b"one\n\x0ctwo\nthree\n").unwrap();
        assert_eq!(p.pages, vec!["one\n", "two\nthree\n"]);
        assert!(p.problems.is_empty());
    }

    #[test]
    fn space_joined_pages_are_split_and_said() {
        let p = TxtReader
            .read(b" 1. Purpose\nabc\n 2. Define\ndef\n")
            .unwrap();
        assert_eq!(p.pages, vec!["1. Purpose\nabc\n", "2. Define\ndef\n"]);
        assert!(p.problems.is_empty());
        assert_eq!(p.notes.len(), 1);
    }

    #[test]
    fn indented_text_is_one_page() {
        let p = TxtReader.read(b"a\n  indented\n b\n c\n").unwrap();
        assert_eq!(p.pages.len(), 1);
    }

    #[test]
    fn a_few_deeper_indented_lines_among_joined_pages_stay_text() {
        let text = " p1\na\n  indented\n p2\nb\n p3\nc\n p4\nd\n";
        let p = TxtReader.read(text.as_bytes()).unwrap();
        assert_eq!(
            p.pages,
            ["p1\na\n  indented\n", "p2\nb\n", "p3\nc\n", "p4\nd\n"]
        );
        // Two deeper lines for four page starts: indented text, one page.
        let text = text.replace("b\n", "  b\n");
        assert_eq!(TxtReader.read(text.as_bytes()).unwrap().pages.len(), 1);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_and_said() {
        let text = "MP077 \u{2018}DCC\u{2019}\n\u{c}p2\n";
        for (mark, unit) in [
            ([0xff, 0xfe], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            ([0xfe, 0xff], u16::to_be_bytes),
        ] {
            let mut bytes = mark.to_vec();
            bytes.extend(text.encode_utf16().flat_map(unit));
            let p = TxtReader.read(&bytes).unwrap();
            assert_eq!(p.pages, ["MP077 \u{2018}DCC\u{2019}\n", "p2\n"]);
            assert!(p.problems.is_empty(), "{:?}", p.problems);
            assert!(
                p.notes.iter().any(|n| n.contains("UTF-16")),
                "{:?}",
                p.notes
            );
            // An odd last byte is replaced, and said.
            bytes.push(0x41);
            let p = TxtReader.read(&bytes).unwrap();
            assert!(p.pages[1].ends_with('\u{fffd}'));
            assert!(p.problems[0].contains("UTF-16"), "{:?}", p.problems);
        }
    }

    #[test]
    fn invalid_utf8_is_read_and_reported() {
        let p = TxtReader.read(b"MP077 \xff\xfe ok").unwrap();
        assert!(p.pages[0].starts_with("MP077"));
        assert!(p.problems[0].contains("UTF-8"), "{:?}", p.problems);
    }

    #[test]
    fn empty_file_is_an_error() {
        assert_eq!(TxtReader.read(b"").unwrap_err(), ReadError::Empty);
    }
}

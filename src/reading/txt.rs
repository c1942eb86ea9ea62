//! Plain-text exports of reports (`.txt`): pages split at form feeds.
//!
//! Text exports without form feeds are common in the archive: OCR tools that join pages with
//! a newline and a single leading space (`" ".join(pages)`). When no form feed is present and
//! lines indented by exactly one space are page starts (and a few lines indented deeper are
//! text), and the reader says so in its notes.
//!
//! Text is UTF-8; a file that starts with a UTF-16 byte order mark (Windows "Unicode" text)
//! is decoded from UTF-16, and the notes say so.

use super::words::{PageWords, Word};
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
        let words = if is_column_aligned(&pages) {
            notes.push(
                "columns aligned with spaces: each word placed at its character column, for the tables"
                    .to_string(),
            );
            pages.iter().map(|p| words_at_columns(p)).collect()
        } else {
            Vec::new()
        };
        Ok(PageTexts {
            pages,
            words,
            source: TextSource::Txt,
            problems,
            notes,
        })
    }
}

/// The points a character column and a line stand apart in the words placed at them.
const COLUMN_WIDTH: f32 = 5.0;
const LINE_PITCH: f32 = 12.0;

/// Whether a text's columns are aligned with spaces (a layout export: `pdftotext -layout`,
/// or the July 2020 source's tables): a few lines at least hold three spaces or more between
/// two words. OCR text (the June 2020 report's) holds none such.
fn is_column_aligned(pages: &[String]) -> bool {
    let wide_gap = |line: &str| {
        let inner = line.trim();
        inner.contains("   ")
    };
    let aligned = pages
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| wide_gap(l))
        .take(3)
        .count();
    aligned >= 3
}

/// A page's words, each placed at its character column and its line, as a monospaced page
/// sets them: the tables' columns stand where their header's words do.
fn words_at_columns(page: &str) -> PageWords {
    let mut words = Vec::new();
    let mut width = 0usize;
    let mut lines = 0u32;
    for (k, line) in page.split('\n').enumerate() {
        lines = k as u32 + 1;
        let top = k as f32 * LINE_PITCH;
        let mut column = 0usize;
        let mut start: Option<(usize, usize)> = None;
        let mut push = |from: usize, to: usize, at: usize, column: usize| {
            words.push(Word {
                text: line[from..to].into(),
                x0: at as f32 * COLUMN_WIDTH,
                x1: column as f32 * COLUMN_WIDTH,
                top: top + 2.0,
                bottom: top + LINE_PITCH - 1.0,
                size: 9.0,
                line: lines,
                confidence: 1.0,
            });
        };
        for (i, c) in line.char_indices() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some((i, column)),
                (true, Some((from, at))) => {
                    push(from, i, at, column);
                    start = None;
                }
                _ => {}
            }
            column += 1;
        }
        if let Some((from, at)) = start {
            push(from, line.len(), at, column);
        }
        width = width.max(column);
    }
    PageWords::new(
        width as f32 * COLUMN_WIDTH,
        lines as f32 * LINE_PITCH,
        words,
    )
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
    fn a_layout_exports_words_stand_at_their_character_columns() {
        // The July 2020 source's delivery table, as a layout export sets it.
        let text = [
            "SECMP#  Title                                   DCC Assessment Status",
            "0092    New Planned Maintenance methodology     PA in progress",
            "0078v2  Incorporation of multiple IRPs Part 2   PA in progress",
            "",
            "0099    Incorporation of multiple IRPs Batch 4  IA in progress",
        ]
        .join("\n");
        let read = TxtReader.read(text.as_bytes()).unwrap();
        assert_eq!(read.words.len(), 1);
        let words = &read.words[0].words;
        let at = |text: &str, line: u32| {
            let w = words
                .iter()
                .find(|w| w.text == text && w.line == line)
                .unwrap_or_else(|| panic!("{text} on line {line}"));
            (w.x0 / COLUMN_WIDTH, w.x1 / COLUMN_WIDTH, w.top)
        };
        // Each word from its first character's column to past its last; each line one
        // pitch below the one before, a blank line too.
        assert_eq!(at("Title", 1), (8., 13., 2.));
        assert_eq!(at("New", 2), (8., 11., 14.));
        assert_eq!(at("PA", 3), (48., 50., 26.));
        assert_eq!(at("IA", 5), (48., 50., 50.));
        assert!(read.notes.iter().any(|n| n.contains("columns aligned")));
    }

    #[test]
    fn text_of_single_spaces_has_no_positions() {
        // OCR text (the June 2020 report's): words one space apart, a double space at most.
        let text = "0092 New Planned Maintenance PA in progress 02/12/2019 05/06/2020\n\
            DCce ;@ VL:SS , Target PA  Actual PA\n0106 PA in progress PA in progress\n";
        let read = TxtReader.read(text.as_bytes()).unwrap();
        assert!(read.words.is_empty());
        // Two aligned lines are not yet a layout.
        let two = "a   b\nc   d\ne f\n";
        assert!(TxtReader.read(two.as_bytes()).unwrap().words.is_empty());
    }

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

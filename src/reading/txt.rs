//! Plain-text exports of reports (`.txt`): pages split at form feeds.
//!
//! Text exports without form feeds are common in the archive: OCR tools that join pages with
//! a newline and a single leading space (`" ".join(pages)`). When no form feed is present and
//! the only indented lines are indented by exactly one space, those lines are read as page
//! starts, and the reader says so in `problems`.

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
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                problems.push(format!(
                    "not valid UTF-8 from byte {}: invalid bytes replaced with U+FFFD",
                    e.valid_up_to()
                ));
                String::from_utf8_lossy(bytes).into_owned()
            }
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
            source: TextSource::Txt,
            problems,
            notes,
        })
    }
}

/// Pages joined by "\n " (each page starting with one space). `None` when the text does not
/// look like that: an indented line of two or more spaces, or fewer than two such lines.
fn split_at_space_joined_pages(text: &str) -> Option<Vec<String>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("  ") || line.starts_with('\t') {
            return None;
        }
        if line.starts_with(' ') && !line.trim().is_empty() {
            starts.push(offset);
        }
        offset += line.len();
    }
    if starts.len() < 2 {
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

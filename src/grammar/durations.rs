//! Durations in working days: `40 WD`, `15WD`, `115wWD` (OCR), `40WD.`, `40 working days`.

use nom::bytes::complete::take_while_m_n;
use nom::character::complete::digit1;
use nom::error::{Error, ErrorKind};
use nom::{IResult, Parser};

use super::vocabulary::DurationVocabulary;

/// A number of working days.
pub type WorkingDays = u32;

/// A duration read from text, with the byte range it was printed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationMatch {
    pub working_days: WorkingDays,
    pub span: std::ops::Range<usize>,
    /// A letter OCR printed for a digit was read as that digit (`4owD` is 40 WD).
    pub repaired: bool,
}

/// The digit a letter OCR prints for it stands for, inside a duration's number: `4owD`
/// (generated scan 8300's `40 WD`), `1swD` (`15 WD`).
fn digit_for(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        'o' | 'O' => Some('0'),
        's' | 'S' => Some('5'),
        'l' | 'I' | 'i' => Some('1'),
        'g' => Some('9'),
        _ => None,
    }
}

/// A number that starts with a digit and goes on in digits or letters OCR prints for them,
/// read as digits: (rest, number, whether a letter was read as a digit).
fn number_as_ocr_reads_it(input: &str) -> Option<(&str, String, bool)> {
    if !starts_a_number(input.as_bytes()) {
        return None;
    }
    let end = input
        .char_indices()
        .find(|&(_, c)| digit_for(c).is_none())
        .map_or(input.len(), |(i, _)| i);
    let printed = &input[..end];
    let digits: String = printed.chars().filter_map(digit_for).collect();
    let repaired = digits != printed;
    Some((&input[end..], digits, repaired))
}

/// Whether a text starts with a digit, or with a one OCR printed as a letter before a digit
/// (`I5WD`, `i5WwD`: generated scans 9000-9905).
fn starts_a_number(bytes: &[u8]) -> bool {
    let one_as_letter = matches!(bytes.first(), Some(b'I' | b'l' | b'i'))
        && bytes.get(1).is_some_and(u8::is_ascii_digit);
    bytes.first().is_some_and(u8::is_ascii_digit) || one_as_letter
}

/// A working-day unit from the vocabulary, not followed by a letter.
fn working_day_unit<'i>(v: &DurationVocabulary, input: &'i str) -> IResult<&'i str, &'i str> {
    for unit in &v.units {
        if let Some(rest) = input.strip_prefix(unit.as_str()) {
            if !rest.starts_with(|c: char| c.is_alphanumeric()) {
                return Ok((rest, &input[..unit.len()]));
            }
        }
    }
    Err(nom::Err::Error(Error::new(input, ErrorKind::Tag)))
}

/// `40 WD` at the start of `input`.
fn working_days<'i>(v: &DurationVocabulary, input: &'i str) -> IResult<&'i str, WorkingDays> {
    let (rest, digits) = digit1(input)?;
    unit_after(v, input, rest, digits)
}

/// The unit after a number's `digits`, `rest` the text after them: the number of days.
fn unit_after<'i>(
    v: &DurationVocabulary,
    input: &'i str,
    rest: &'i str,
    digits: &str,
) -> IResult<&'i str, WorkingDays> {
    if digits.len() > v.max_digits {
        return Err(nom::Err::Error(Error::new(input, ErrorKind::TooLarge)));
    }
    // OCR prints stray stops, hyphens and specks between number and unit: `40.WD`, `15-WD`,
    // `88° WD` (the July 2020 image-only fixture, whose MP007 lost its duration so).
    let speck = |c: char| matches!(c, ' ' | '.' | '-' | ',' | '°' | '\'' | '’' | '*');
    let (rest, _) = take_while_m_n(0, 2, speck).parse(rest)?;
    let (rest, _) = working_day_unit(v, rest)?;
    Ok((rest, digits.parse().expect("ascii digits")))
}

/// [`working_days`], or a number OCR printed a letter of as a digit's (`4owD`) before its
/// unit: (rest, days, repaired).
fn working_days_as_ocr_reads_them<'i>(
    v: &DurationVocabulary,
    input: &'i str,
) -> Option<(&'i str, WorkingDays, bool)> {
    if let Ok((rest, days)) = working_days(v, input) {
        return Some((rest, days, false));
    }
    let (rest, digits, repaired) = number_as_ocr_reads_it(input)?;
    let (rest, days) = unit_after(v, input, rest, &digits).ok()?;
    Some((rest, days, repaired))
}

/// Reads one duration that fills `text` (a trailing full stop allowed).
pub fn parse_duration(v: &DurationVocabulary, text: &str) -> Result<WorkingDays, String> {
    let trimmed = text.trim().trim_end_matches('.');
    match working_days(v, trimmed) {
        Ok((rest, days)) if rest.trim().is_empty() => Ok(days),
        Ok((rest, _)) => Err(format!("unexpected text after the duration: {rest:?}")),
        Err(_) => Err("not a duration in working days".into()),
    }
}

/// Every duration in a line, left to right.
pub fn find_durations(v: &DurationVocabulary, text: &str) -> Vec<DurationMatch> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let starts_number =
            starts_a_number(&bytes[pos..]) && (pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric());
        if starts_number {
            if let Some((rest, days, repaired)) = working_days_as_ocr_reads_them(v, &text[pos..]) {
                let end = text.len() - rest.len();
                found.push(DurationMatch {
                    working_days: days,
                    span: pos..end,
                    repaired,
                });
                pos = end;
                continue;
            }
        }
        pos += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    fn v() -> &'static DurationVocabulary {
        &Grammar::builtin().durations
    }

    #[test]
    fn printed_forms() {
        for (s, d) in [
            ("40 WD", 40),
            ("15WD", 15),
            ("115wWD", 115),
            ("25wD", 25),
            ("40WD.", 40),
            ("31 WD", 31),
            ("40 working days", 40),
            ("279 WD", 279),
            // As scans' cells read (generated scans 7100-7105).
            ("25 wd", 25),
            ("15 WwD", 15),
            ("40d", 40),
            ("43 wa", 43),
            // A speck between number and unit (the July 2020 image-only fixture).
            ("88° WD", 88),
            ("40, WD", 40),
        ] {
            assert_eq!(parse_duration(v(), s), Ok(d), "{s:?}");
        }
    }

    #[test]
    fn non_durations() {
        for s in [
            "40",
            "WD",
            "40 WDX",
            "12 June 2020",
            "MP040",
            "12345 WD",
            "40 W D",
            "2nd",
            "40 dx",
        ] {
            assert!(parse_duration(v(), s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn a_letter_ocr_printed_for_a_digit_is_read_as_it_and_flagged() {
        // Generated scan 8300's cells.
        for (row, want) in [
            ("MP131 A 19 Nov 20 4owD 43wD", vec![(40, true), (43, false)]),
            (
                "MP142 PA 18 Feb 21 1swD -15WD",
                vec![(15, true), (15, false)],
            ),
            (
                "MP146 PA 28 Jan 21 25wD 27wo",
                vec![(25, false), (27, false)],
            ),
            (
                "SECMP0007 1A 6 Feb 20 40 WD 82 WD",
                vec![(40, false), (82, false)],
            ),
            // The generated sets' scans 9000-9905: a one read as a letter before a digit, a
            // nine read `g`.
            ("MP023 PA 3 Mar 17 I5WD 4gwD", vec![(15, true), (49, true)]),
            (
                "MP030 PA 8 Jun 17 i5WwD 15 WD",
                vec![(15, true), (15, false)],
            ),
        ] {
            let found: Vec<(u32, bool)> = find_durations(v(), row)
                .iter()
                .map(|d| (d.working_days, d.repaired))
                .collect();
            assert_eq!(found, want, "{row:?}");
        }
        // Not a number that starts with a letter, nor a word after a number.
        for text in ["os WD", "1st", "15 so", "2020s", "In WD", "IA 15"] {
            assert!(find_durations(v(), text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn finds_target_and_actual_in_a_row() {
        let row = "SECMP0007 1A 6 Feb 20 40 WD 82 WD";
        let found: Vec<u32> = find_durations(v(), row)
            .iter()
            .map(|d| d.working_days)
            .collect();
        assert_eq!(found, [40, 82]);
        let found = find_durations(v(), "Proposals concluded in the last 12 months 23 115wWD");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].working_days, 115);
    }
}

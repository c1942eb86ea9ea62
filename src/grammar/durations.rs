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
    if digits.len() > v.max_digits {
        return Err(nom::Err::Error(Error::new(input, ErrorKind::TooLarge)));
    }
    // OCR prints stray stops and hyphens between number and unit: `40.WD`, `15-WD`.
    let (rest, _) = take_while_m_n(0, 2, |c: char| matches!(c, ' ' | '.' | '-')).parse(rest)?;
    let (rest, _) = working_day_unit(v, rest)?;
    Ok((rest, digits.parse().expect("ascii digits")))
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
            bytes[pos].is_ascii_digit() && (pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric());
        if starts_number {
            if let Ok((rest, days)) = working_days(v, &text[pos..]) {
                let end = text.len() - rest.len();
                found.push(DurationMatch {
                    working_days: days,
                    span: pos..end,
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

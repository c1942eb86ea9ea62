//! Dates as the reports print them: `12 June 2020`, `28th February 2019`, `6 Feb 20`,
//! `5Jun 19`, `Friday 22 May` (year inferred from the report date), `17/04/2020` (day first,
//! always), `November 2020` (month precision, for releases) and OCR damage: `2O20`,
//! `03/012019` (a lost slash, repaired), `03/03/201` (unrecoverable: an error, no date).
//!
//! A date is never shifted silently: impossible dates (`31/02/2020`) are errors, inferred
//! years and repairs are flagged on the match.

use std::fmt;
use std::ops::Range;

use nom::bytes::complete::tag;
use nom::character::complete::{char, one_of, space1};
use nom::combinator::opt;
use nom::error::{Error, ErrorKind};
use nom::{IResult, Parser};

use super::text::edit_distance;
use super::vocabulary::{DateVocabulary, WordList};

/// A calendar date (proleptic Gregorian), always valid.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A valid date, or `None` (31 February, month 13, day 0).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (what Arrow and Parquet store for a Date).
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        } as i64;
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146097 + doe - 719468) as i32
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i32) -> Date {
        let z = days as i64 + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// ISO weekday: Monday = 1 ... Sunday = 7.
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() as i64 + 3).rem_euclid(7) + 1) as u32
    }

    /// The date `wd` working days (Monday to Friday) after this one (before it, when
    /// negative): how the DCC counts an assessment's days.
    pub fn add_working_days(self, wd: i32) -> Date {
        let mut days = self.days_since_epoch();
        let step = wd.signum();
        let mut left = wd.unsigned_abs();
        while left > 0 {
            days += step;
            if Date::from_days_since_epoch(days).iso_weekday() <= 5 {
                left -= 1;
            }
        }
        Date::from_days_since_epoch(days)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Date::new(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// How much of a date the text gave: a day, or only a month (`November 2020 SEC Release`),
/// stored as the month's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePrecision {
    Day,
    Month,
}

/// A date read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    pub date: Date,
    pub precision: DatePrecision,
    /// Byte range of the printed date in the searched text.
    pub span: Range<usize>,
    /// The year was not printed and came from the report date.
    pub year_inferred: bool,
    /// OCR damage was repaired (`2O20`, `03/012019`).
    pub repaired: bool,
    /// A printed weekday that does not fall on the date (kept, and worth a diagnostic).
    pub weekday_mismatch: bool,
}

/// A date-shaped text that is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Well formed but not on the calendar: `31/02/2020`.
    Impossible { raw: String, span: Range<usize> },
    /// Damaged beyond repair: `03/03/201`.
    Unrecoverable { raw: String, span: Range<usize> },
    /// No year printed and no report date to infer it from.
    NoYear { raw: String, span: Range<usize> },
}

impl DateError {
    pub fn raw(&self) -> &str {
        match self {
            DateError::Impossible { raw, .. }
            | DateError::Unrecoverable { raw, .. }
            | DateError::NoYear { raw, .. } => raw,
        }
    }

    pub fn span(&self) -> Range<usize> {
        match self {
            DateError::Impossible { span, .. }
            | DateError::Unrecoverable { span, .. }
            | DateError::NoYear { span, .. } => span.clone(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Impossible { raw, .. } => write!(f, "{raw:?} is not a calendar date"),
            DateError::Unrecoverable { raw, .. } => {
                write!(f, "{raw:?} looks like a date but is too damaged to read")
            }
            DateError::NoYear { raw, .. } => {
                write!(
                    f,
                    "{raw:?} has no year and there is no report date to infer it from"
                )
            }
        }
    }
}

/// What one date parser read, before validation.
#[derive(Debug, Clone, Copy)]
struct PrintedDate {
    day: Option<u32>,
    month: u32,
    year: Option<i32>,
    weekday: Option<u32>,
    repaired: bool,
    /// Shaped like a date but with a part that cannot be read (a 3-digit year).
    damaged: bool,
}

fn fail(input: &str) -> nom::Err<Error<&str>> {
    nom::Err::Error(Error::new(input, ErrorKind::Verify))
}

/// A word from a vocabulary list, case-insensitively, not followed by a letter.
fn vocabulary_word<'i>(words: &WordList, input: &'i str) -> IResult<&'i str, u32> {
    let Some(&first) = input.as_bytes().first() else {
        return Err(fail(input));
    };
    for (word, value) in words.starting_with(first) {
        if input.len() >= word.len()
            && input.is_char_boundary(word.len())
            && input[..word.len()].eq_ignore_ascii_case(word)
            && !input[word.len()..].starts_with(|c: char| c.is_alphabetic())
        {
            return Ok((&input[word.len()..], *value));
        }
    }
    Err(fail(input))
}

/// From `min` to `max` leading bytes of `input` that pass `test` (nom's `take_while_m_n`,
/// for tests of ASCII bytes): byte by byte, without decoding characters. Non-ASCII bytes
/// never pass, so the split is at a character boundary.
fn ascii_run(
    input: &str,
    min: usize,
    max: usize,
    test: impl Fn(u8) -> bool,
) -> IResult<&str, &str> {
    let n = input
        .bytes()
        .take(max)
        .take_while(|&b| b.is_ascii() && test(b))
        .count();
    if n < min {
        return Err(fail(input));
    }
    Ok((&input[n..], &input[..n]))
}

fn month_name<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, u32> {
    vocabulary_word(&v.months, input)
}

/// True for a word that is a month's name, whole (`March`, `Sept`), whatever its case.
pub fn is_month_name(v: &DateVocabulary, word: &str) -> bool {
    matches!(month_name(v, word), Ok(("", _)))
}

/// What may stand between day, month and year: spaces, and the stray full stops and hyphens
/// OCR prints there (`6.Feb 20`, `27 May.2020`, `22 May-2020`, `Sept. 2020`).
fn date_gap(min: usize) -> impl Fn(&str) -> IResult<&str, &str> {
    move |input| ascii_run(input, min, 3, |b| matches!(b, b' ' | b'.' | b'-'))
}

/// What may stand between a day and its month: [`date_gap`]'s, and a comma, colon or
/// semicolon OCR set there (`16th , October 2017`, generated scan 7301, read as 1 October;
/// `held on 1: December 2021`, generated scan 8603, ten working group events left without
/// their date), or a tilde (`the week commencing 13th~ September 2021`, generated image-only
/// scan 8700: two refinement consultations left without their date), or a quote (`raised by
/// Chun Chen of the DCC on 12 'August 2022`, generated scan 9703: the raised fact took the
/// 1st). Not before a year: `5 May, 20 modifications` has no year.
fn day_month_gap(input: &str) -> IResult<&str, &str> {
    ascii_run(input, 0, 3, |b| {
        matches!(
            b,
            b' ' | b'.' | b'-' | b',' | b':' | b';' | b'~' | b'\'' | b'"' | b'`'
        )
    })
}

/// A day glued to its month whose digits OCR read as letters (`Sjun 19` for `5Jun 19`).
fn ocr_glued_day<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, u32> {
    let (rest, printed) = ascii_run(input, 1, 2, |b| b.is_ascii_digit() || is_glued_digit(b))?;
    if printed.chars().all(|c| c.is_ascii_digit()) || month_name(v, rest).is_err() {
        return Err(fail(input));
    }
    Ok((rest, ocr_day_digits(printed)))
}

/// A day's number from its digits as OCR printed them, letters read for digits
/// ([`is_glued_digit`]).
fn ocr_day_digits(printed: &str) -> u32 {
    let digits: String = printed
        .chars()
        .map(|c| match c {
            'S' | 's' => '5',
            'I' | 'l' | 'i' => '1',
            'O' | 'o' => '0',
            d => d,
        })
        .collect();
    digits.parse().expect("ascii digits")
}

/// A day with its ordinal suffix whose digit OCR read as a letter, before its month: `Ist
/// August 2018` (generated scan 3110: a Working Group's date lost, and with it its agenda's).
fn ocr_ordinal_day<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, u32> {
    for len in [2, 1] {
        let Some(printed) = input.get(..len) else {
            continue;
        };
        let letters_for_digits = printed
            .bytes()
            .all(|b| b.is_ascii_digit() || is_glued_digit(b))
            && !printed.bytes().all(|b| b.is_ascii_digit());
        if !letters_for_digits {
            continue;
        }
        let rest = &input[len..];
        let Some(after) = v
            .ordinal_suffixes
            .iter()
            .find_map(|suffix| rest.strip_prefix(suffix.as_str()))
        else {
            continue;
        };
        let before_month = date_gap(1)(after).is_ok_and(|(r, _)| month_name(v, r).is_ok());
        if before_month {
            return Ok((after, ocr_day_digits(printed)));
        }
    }
    Err(fail(input))
}

/// A letter OCR prints for a digit of a day glued to its month (`O6Feb`).
fn is_glued_digit(b: u8) -> bool {
    matches!(b, b'S' | b's' | b'I' | b'l' | b'i' | b'O' | b'o')
}

/// A weekday's name and what may follow it before the day: a comma, or a quote mark OCR made
/// of a speck (`Friday" 17 September 2021`, generated scan 7401).
/// Whether the speck was there is the second value (a repair).
fn weekday_name<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, (u32, bool)> {
    let (rest, day) = vocabulary_word(&v.weekdays, input)?;
    let (rest, mark) = opt(one_of(",\"\u{201d}")).parse(rest)?;
    let (rest, _) = space1(rest)?;
    Ok((rest, (day, mark.is_some_and(|c| c != ','))))
}

/// One or two digits of a day, with an optional ordinal suffix (`28th`).
fn day_number<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, u32> {
    let (rest, digits) = ascii_run(input, 1, 2, |b| b.is_ascii_digit())?;
    // A third digit is no day's, unless it begins a month OCR spelt with a digit, glued on
    // (`250ct17`, generated image-only scan 8702: `25 Oct 17`).
    if rest.starts_with(|c: char| c.is_ascii_digit())
        && vocabulary_word(&v.month_repairs, rest).is_err()
    {
        return Err(fail(input));
    }
    let mut rest = rest;
    for suffix in &v.ordinal_suffixes {
        if let Ok((r, _)) = tag::<_, _, Error<&str>>(suffix.as_str()).parse(rest) {
            rest = r;
            break;
        }
    }
    Ok((rest, digits.parse().expect("ascii digits")))
}

/// A year as read: its value (`None` for three digits, a year OCR damaged), whether OCR
/// letters were read as its digits, and whether it was damaged.
type YearRead = (Option<i32>, bool, bool);

/// A year: four digits (`2020`, OCR'd `2O20` repaired), two digits (`20`), or a damaged
/// three-digit form (`201`), which is reported, not read.
fn year_number<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, YearRead> {
    let is_yearish = |b: u8| b.is_ascii_digit() || matches!(b, b'O' | b'o' | b'I' | b'l' | b'i');
    let (rest, printed) = ascii_run(input, 2, 5, is_yearish)?;
    if rest.starts_with(|c: char| c.is_alphanumeric()) || printed.len() == 5 {
        return Err(fail(input));
    }
    let real = printed.chars().filter(char::is_ascii_digit).count();
    if real * 2 < printed.len() {
        return Err(fail(input));
    }
    let repaired = real != printed.len();
    // The value, with the letters read as the digits they stand for.
    let value = printed.bytes().fold(0, |value, b| {
        let digit = match b {
            b'O' | b'o' => 0,
            b'I' | b'l' | b'i' => 1,
            d => i32::from(d - b'0'),
        };
        value * 10 + digit
    });
    match printed.len() {
        4 => Ok((rest, (Some(value), repaired, false))),
        2 => Ok((rest, (Some(v.two_digit_year_base + value), repaired, false))),
        3 => Ok((rest, (None, repaired, true))),
        _ => Err(fail(input)),
    }
}

/// `[Weekday] D[th] Month [YYYY|YY]`: `12 June 2020`, `Friday 22 May`, `5Jun 19`.
fn day_month_year<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, PrintedDate> {
    let (rest, weekday) = opt(|i| weekday_name(v, i)).parse(input)?;
    let (weekday, speck_repaired) = (weekday.map(|w| w.0), weekday.is_some_and(|w| w.1));
    let (rest, (day, day_repaired)) = match day_number(v, rest) {
        Ok((rest, day)) => (rest, (day, false)),
        Err(_) => {
            let (rest, day) = ocr_glued_day(v, rest).or_else(|_| ocr_ordinal_day(v, rest))?;
            (rest, (day, true))
        }
    };
    let (rest, gap) = day_month_gap(rest)?;
    let comma_repaired = gap.contains([',', ':', ';', '~', '\'', '"', '`']);
    let (rest, (month, month_repaired)) = match month_name(v, rest) {
        Ok((rest, month)) => (rest, (month, false)),
        Err(_) => {
            let (rest, month) = vocabulary_word(&v.month_repairs, rest)?;
            (rest, (month, true))
        }
    };
    // The year may be glued on too (`6Feb20`), but only when the day was glued to the month.
    let glued = !rest.is_empty()
        && input.len() > rest.len()
        && !input[..input.len() - rest.len()].contains(' ');
    let (year_rest, year) =
        opt((date_gap(if glued { 0 } else { 1 }), |i| year_number(v, i))).parse(rest)?;
    let year = match year {
        Some((_, y)) => Some((year_rest, y)),
        None => comma_year(v, rest)
            .ok()
            .or_else(|| year_glued_to_month(v, rest, glued)),
    };
    let (rest, (year, repaired, damaged)) = match year {
        Some((year_rest, y)) => (year_rest, y),
        // An abbreviation's full stop ("7 Feb.") stays with the month.
        None => (rest.strip_prefix('.').unwrap_or(rest), (None, false, false)),
    };
    let repaired = repaired || day_repaired || speck_repaired || comma_repaired || month_repaired;
    Ok((
        rest,
        PrintedDate {
            day: Some(day),
            month,
            year,
            weekday,
            repaired,
            damaged,
        },
    ))
}

/// A whole year OCR glued to its month where the day stands apart (`9 Feb17`, generated
/// scan 9905's returned assessment of MP018, lost as unread): an OCR repair.
fn year_glued_to_month<'i>(
    v: &DateVocabulary,
    rest: &'i str,
    glued: bool,
) -> Option<(&'i str, YearRead)> {
    if glued || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (rest, (year, _, damaged)) = year_number(v, rest).ok()?;
    (year.is_some() && !damaged).then_some((rest, (year, true, false)))
}

/// `, YYYY` after a day's month (`21st May, 2020`). Four digits only: after a comma, two
/// digits are as likely a count ("on 5 May, 20 modifications").
fn comma_year<'i>(
    v: &DateVocabulary,
    input: &'i str,
) -> IResult<&'i str, (Option<i32>, bool, bool)> {
    let rest = input.strip_prefix(',').ok_or_else(|| fail(input))?;
    let (year_text, _) = date_gap(1)(rest)?;
    let (after, year) = year_number(v, year_text)?;
    if year_text.len() - after.len() != 4 {
        return Err(fail(input));
    }
    Ok((after, year))
}

/// `Month YYYY`: `November 2020` (month precision). Four-digit years only: after a bare
/// month, two digits are too often a day or a count ("May 20 modifications").
fn month_year<'i>(v: &DateVocabulary, input: &'i str) -> IResult<&'i str, PrintedDate> {
    let (rest, month) = month_name(v, input)?;
    let (year_text, _) = date_gap(1)(rest)?;
    let (rest, (year, repaired, damaged)) = year_number(v, year_text)?;
    if damaged || year_text.len() - rest.len() != 4 {
        return Err(fail(input));
    }
    Ok((
        rest,
        PrintedDate {
            day: None,
            month,
            year,
            weekday: None,
            repaired,
            damaged,
        },
    ))
}

/// `DD/MM/YYYY` (day first, always), `D/M/YY`, and the OCR form with a lost slash
/// `03/012019`.
fn numeric_date(input: &str) -> IResult<&str, PrintedDate> {
    let digits = |min, max| move |i| ascii_run(i, min, max, |b| b.is_ascii_digit());
    let (rest, day) = digits(1, 2).parse(input)?;
    let (rest, _) = char('/').parse(rest)?;
    let (rest, tail) = digits(1, 7).parse(rest)?;
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return Err(fail(input));
    }
    let day: u32 = day.parse().expect("digits");
    let (rest, month, year, repaired, damaged) = if let Some((r, spaced)) = year_slash(rest) {
        // DD/MM/YYYY or DD/MM/YY
        if tail.len() > 2 {
            return Err(fail(input));
        }
        let (r2, year) = digits(1, 5).parse(r)?;
        if r2.starts_with(|c: char| c.is_alphanumeric()) || (spaced && year.len() != 4) {
            return Err(fail(input));
        }
        match year.len() {
            4 => (
                r2,
                tail.parse().unwrap(),
                Some(year.parse().unwrap()),
                spaced,
                false,
            ),
            2 => (
                r2,
                tail.parse().unwrap(),
                Some(2000 + year.parse::<i32>().unwrap()),
                false,
                false,
            ),
            _ => (r2, tail.parse().unwrap(), None, false, true),
        }
    } else if tail.len() == 6 {
        // The slash between month and year was lost: 03/012019.
        (
            rest,
            tail[..2].parse().unwrap(),
            Some(tail[2..].parse().unwrap()),
            true,
            false,
        )
    } else {
        return Err(fail(input));
    };
    Ok((
        rest,
        PrintedDate {
            day: Some(day),
            month,
            year,
            weekday: None,
            repaired,
            damaged,
        },
    ))
}

/// The text after the slash between a numeric date's month and year, and whether OCR set a
/// space beside it (`05/12 /2018`, generated scan 3100: a Working Group's date lost, and with
/// it the dates of the eight modifications on its agenda). A spaced date must print four
/// digits of year, and is flagged as repaired.
fn year_slash(rest: &str) -> Option<(&str, bool)> {
    let (r, space_before) = match rest.strip_prefix(" /") {
        Some(r) => (r, true),
        None => (rest.strip_prefix('/')?, false),
    };
    match r.strip_prefix(' ') {
        Some(r) if !space_before && r.starts_with(|c: char| c.is_ascii_digit()) => Some((r, true)),
        _ => Some((r, space_before)),
    }
}

/// The year for a date printed without one: of the years around the report date, the one
/// whose date is nearest, a distance after the report date counting `after_report_penalty`
/// times over.
pub fn infer_year(v: &DateVocabulary, month: u32, day: u32, report: Date) -> Option<Date> {
    let report_days = report.days_since_epoch() as i64;
    (report.year - 1..=report.year + 1)
        .filter_map(|y| Date::new(y, month, day))
        .min_by_key(|d| {
            let diff = d.days_since_epoch() as i64 - report_days;
            if diff > 0 {
                diff * v.after_report_penalty
            } else {
                -diff
            }
        })
}

/// Runs the date parsers at the start of `input`. `Ok(None)`: no date starts here.
fn date_at(
    v: &DateVocabulary,
    input: &str,
    report_date: Option<Date>,
) -> Option<Result<(usize, DateMatch), DateError>> {
    let first = input.chars().next()?;
    let parsed = if first.is_ascii_digit() {
        numeric_date(input).or_else(|_| day_month_year(v, input))
    } else if first.is_alphabetic() {
        // Here a date starts with a weekday or month name, or a day OCR glued from letters:
        // most capitalised words start none, and are passed over without parsing.
        let bytes = input.as_bytes();
        if !(v.name_starts.may_start(bytes) || is_glued_digit(bytes[0])) {
            return None;
        }
        day_month_year(v, input).or_else(|_| month_year(v, input))
    } else {
        return None;
    };
    let (rest, p) = parsed.ok()?;
    let len = input.len() - rest.len();
    // Only an error keeps the text as printed.
    let raw = || input[..len].to_string();
    let span = 0..len;
    if p.damaged {
        return Some(Err(DateError::Unrecoverable { raw: raw(), span }));
    }
    let (date, precision, year_inferred) = match (p.day, p.year) {
        (Some(day), Some(year)) => match Date::new(year, p.month, day) {
            Some(d) => (d, DatePrecision::Day, false),
            None => return Some(Err(DateError::Impossible { raw: raw(), span })),
        },
        (Some(day), None) => {
            if Date::new(2000, p.month, day).is_none() {
                return Some(Err(DateError::Impossible { raw: raw(), span }));
            }
            match report_date.and_then(|r| infer_year(v, p.month, day, r)) {
                Some(d) => (d, DatePrecision::Day, true),
                None => return Some(Err(DateError::NoYear { raw: raw(), span })),
            }
        }
        (None, Some(year)) => (Date::new(year, p.month, 1)?, DatePrecision::Month, false),
        (None, None) => return None,
    };
    if !(v.year_range.0..=v.year_range.1).contains(&date.year) {
        return None;
    }
    let weekday_mismatch = p.weekday.is_some_and(|w| w != date.iso_weekday());
    Some(Ok((
        len,
        DateMatch {
            date,
            precision,
            span,
            year_inferred,
            repaired: p.repaired,
            weekday_mismatch,
        },
    )))
}

/// Reads one date that fills `text` (surrounding space and punctuation allowed).
pub fn parse_date(
    v: &DateVocabulary,
    text: &str,
    report_date: Option<Date>,
) -> Result<DateMatch, String> {
    let trimmed = trim_date_punctuation(text);
    match date_at(v, trimmed, report_date) {
        Some(Ok((len, m))) if trimmed[len..].trim_end_matches('.').is_empty() => Ok(m),
        Some(Ok((len, _))) => Err(format!(
            "unexpected text after the date: {:?}",
            &trimmed[len..]
        )),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("not a date".to_string()),
    }
}

/// [`parse_date`] without saying why not: for the model, which asks it of many lines and
/// cells that are no date, and needs no reason.
pub fn whole_date(v: &DateVocabulary, text: &str, report_date: Option<Date>) -> Option<DateMatch> {
    let trimmed = trim_date_punctuation(text);
    match date_at(v, trimmed, report_date) {
        Some(Ok((len, m))) if trimmed[len..].trim_end_matches('.').is_empty() => Some(m),
        _ => None,
    }
}

/// [`whole_date`] of a text whose day OCR read as letters and that states its month and
/// year: `il June 2021`, a cover's `11 June 2021` (generated scan 5100: the report date read
/// from the footer's month instead, the 1st, and every fact dated by the report with it).
/// Only a whole date of a day, with its year printed; flagged repaired.
pub fn whole_date_with_ocr_day(v: &DateVocabulary, text: &str) -> Option<DateMatch> {
    let trimmed = trim_date_punctuation(text);
    let (day, rest) = trimmed.split_once(' ')?;
    let letters_for_digits = (1..=2).contains(&day.len())
        && day.bytes().all(|b| b.is_ascii_digit() || is_glued_digit(b))
        && !day.bytes().all(|b| b.is_ascii_digit());
    if !letters_for_digits {
        return None;
    }
    let repaired = format!("{} {rest}", ocr_day_digits(day));
    let m = whole_date(v, &repaired, None)?;
    (m.precision == DatePrecision::Day && !m.year_inferred).then_some(DateMatch {
        repaired: true,
        span: 0..trimmed.len(),
        ..m
    })
}

/// The space and punctuation a date filling a text may stand between.
fn trim_date_punctuation(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '(' | ')'))
}

/// Every date in a line, left to right, and every date-shaped text that is not a date.
pub fn find_dates(
    v: &DateVocabulary,
    text: &str,
    report_date: Option<Date>,
) -> Vec<Result<DateMatch, DateError>> {
    dates_in(v, text, report_date).collect()
}

/// [`find_dates`] one at a time: most callers want the first date, or the first well read,
/// and the scan stops there.
pub fn dates_in<'t>(
    v: &'t DateVocabulary,
    text: &'t str,
    report_date: Option<Date>,
) -> DatesIn<'t> {
    DatesIn {
        v,
        text,
        report_date,
        pos: 0,
    }
}

/// The iterator of [`dates_in`].
pub struct DatesIn<'t> {
    v: &'t DateVocabulary,
    text: &'t str,
    report_date: Option<Date>,
    /// Where the scan goes on.
    pos: usize,
}

impl Iterator for DatesIn<'_> {
    type Item = Result<DateMatch, DateError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (v, text) = (self.v, self.text);
        let bytes = text.as_bytes();
        while self.pos < text.len() {
            let pos = self.pos;
            // Only a digit or an initial in upper case can start a date (all ASCII, so `pos`
            // is then a char boundary): skip to the next one.
            let Some(skip) = bytes[pos..].iter().position(|&b| v.starts_date[b as usize]) else {
                self.pos = text.len();
                break;
            };
            let pos = pos + skip;
            let prev = text[..pos].chars().next_back();
            let at_word_start = !prev.is_some_and(|p| p.is_alphanumeric() || p == '/');
            if at_word_start {
                if let Some(result) = date_at(v, &text[pos..], self.report_date) {
                    let shift = |span: Range<usize>| span.start + pos..span.end + pos;
                    return Some(match result {
                        Ok((len, mut m)) => {
                            m.span = shift(m.span);
                            self.pos = pos + len;
                            Ok(m)
                        }
                        Err(e) => {
                            self.pos = pos + e.span().end;
                            Err(match e {
                                DateError::Impossible { raw, span } => DateError::Impossible {
                                    raw,
                                    span: shift(span),
                                },
                                DateError::Unrecoverable { raw, span } => {
                                    DateError::Unrecoverable {
                                        raw,
                                        span: shift(span),
                                    }
                                }
                                DateError::NoYear { raw, span } => DateError::NoYear {
                                    raw,
                                    span: shift(span),
                                },
                            })
                        }
                    });
                }
            }
            self.pos = pos + 1;
        }
        None
    }
}

/// The numeric dates of a text (`17/04/2020`, `6/2/20`, the OCR form `03/012019`), left to
/// right: a table's date cells, where dates in words belong to other columns.
///
/// Every numeric date holds a `/`, so only the one or two digits before each `/` are read,
/// where they start a word (after no letter, digit or `/`), and the date grammar's numeric
/// form decides from there. (So a date's own later `/`, after its day's or month's digits
/// and a `/`, starts nothing.) Unlike [`dates_in`], a date in words never
/// hides a numeric one: in `5 June 17/04/2020` the cell `17/04/2020` is found, where reading
/// every date in turn takes `5 June 17` first.
pub fn numeric_dates_in<'t>(
    v: &'t DateVocabulary,
    text: &'t str,
) -> impl Iterator<Item = DateMatch> + 't {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'/', bytes).filter_map(move |slash| {
        let digits = bytes[..slash]
            .iter()
            .rev()
            .take(2)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let start = slash - digits;
        let prev = text[..start].chars().next_back();
        if digits == 0 || prev.is_some_and(|p| p.is_alphanumeric() || p == '/') {
            return None;
        }
        let shift = |span: Range<usize>| span.start + start..span.end + start;
        // (A numeric date prints its year: no report date is needed to read it.)
        match date_at(v, &text[start..], None)? {
            // (A date in words, read where the numeric form failed, holds no `/`.)
            Ok((len, mut m)) if start + len > slash => {
                m.span = shift(m.span);
                Some(m)
            }
            _ => None,
        }
    })
}

/// A text's words, each with its byte offset in the text.
fn words_at(text: &str) -> Vec<(usize, &str)> {
    text.split_whitespace()
        .map(|t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
        .collect()
}

/// The year and month before a date's month: a report tells of its month's meetings and the
/// month before's.
fn month_before(report: Date) -> (i32, u32) {
    if report.month == 1 {
        (report.year - 1, 12)
    } else {
        (report.year, report.month - 1)
    }
}

/// A day, a word OCR garbled past reading as a month, and a year (`held on 06 Seceiee 2017`,
/// generated scan 8402; `6th Banteniben 2017`, image-only scan 7400): the date in the report's
/// month or the month before, whichever the word is nearer to by [`edit_distance`], flagged as
/// repaired. The word must be nearer to that month's name by two letters or more than to the
/// other's, and no further from it than two thirds of the name; the printed year must be the
/// month's. A report tells of its month's meetings and the month before's; a date OCR left
/// as `06 ... 2017` is otherwise lost with every event its list dates. A speck of one or two
/// characters OCR read between the word and the year is read past (`held on 1 geeceenber 4
/// 2021`, image-only scan 8700: eleven working group events left without their date).
pub fn garbled_month_date(v: &DateVocabulary, text: &str, report: Date) -> Option<DateMatch> {
    let tokens = words_at(text);
    let previous = month_before(report);
    let name = |month: u32| {
        v.months
            .words()
            .iter()
            .filter(|(_, m)| *m == month)
            .map(|(w, _)| w.as_str())
            .max_by_key(|w| w.len())
    };
    for (i, &(start, day)) in tokens.iter().enumerate() {
        let Some(&(_, word)) = tokens.get(i + 1) else {
            break;
        };
        let speck = |t: &str| t.chars().count() <= 2;
        let year_token = match tokens.get(i + 2) {
            Some(&(_, t)) if speck(t) => tokens.get(i + 3),
            next => next,
        };
        let Some(&(year_at, year)) = year_token else {
            continue;
        };
        let day = day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let year = year.trim_end_matches(|c: char| !c.is_ascii_digit());
        let (Ok(day), Ok(printed_year)) = (day.parse::<u32>(), year.parse::<i32>()) else {
            continue;
        };
        let letters = word.chars().count();
        // A lower-case first letter too: `geeceenber` (image-only scan 8700).
        let garbled = (4..=12).contains(&letters)
            && word.chars().all(char::is_alphabetic)
            && month_name(v, word).is_err();
        if !garbled || year.len() != 4 {
            continue;
        }
        let lower = word.to_lowercase();
        let distance = |month: u32| name(month).map_or(usize::MAX, |n| edit_distance(&lower, n));
        let (this, before) = (distance(report.month), distance(previous.1));
        let (best, other, (year_of, month)) = if this <= before {
            (this, before, (report.year, report.month))
        } else {
            (before, this, previous)
        };
        let name_len = name(month).map_or(0, str::len);
        if best + 2 > other || 3 * best > 2 * name_len || printed_year != year_of {
            continue;
        }
        let date = Date::new(printed_year, month, day)?;
        return Some(DateMatch {
            date,
            precision: DatePrecision::Day,
            span: start..year_at + year.len(),
            year_inferred: false,
            repaired: true,
            weekday_mismatch: false,
        });
    }
    None
}

/// A weekday and a day whose month and year OCR garbled past reading (`held on Wednesday 1
/// sie doa which included`, generated scan 8702: `1 August 2018`, its seven working group
/// events left undated): the day in the report's month or the month before on which that
/// weekday falls, where it falls in one of them only; flagged as repaired, its year inferred.
pub fn weekday_and_day_date(v: &DateVocabulary, text: &str, report: Date) -> Option<DateMatch> {
    let tokens = words_at(text);
    let previous = month_before(report);
    tokens.windows(3).find_map(|w| {
        let [(start, weekday), (day_at, day), (_, after)] = *w else {
            return None;
        };
        let weekday = weekday.trim_end_matches(',').to_lowercase();
        let (_, weekday) = v.weekdays.words().iter().find(|(w, _)| *w == weekday)?;
        let digits = v
            .ordinal_suffixes
            .iter()
            .find_map(|s| day.strip_suffix(s.as_str()))
            .unwrap_or(day);
        let number = digits
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=31).contains(d))?;
        if month_name(v, after).is_ok() {
            return None;
        }
        let mut falls = [(report.year, report.month), previous]
            .into_iter()
            .filter_map(|(y, m)| Date::new(y, m, number))
            .filter(|d| d.iso_weekday() == *weekday);
        let date = falls.next()?;
        falls.next().is_none().then(|| DateMatch {
            date,
            precision: DatePrecision::Day,
            span: start..day_at + day.len(),
            year_inferred: true,
            repaired: true,
            weekday_mismatch: false,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    #[test]
    fn a_weekday_and_day_whose_month_ocr_garbled_fall_in_the_report_month_or_the_one_before() {
        let report = |year, month| Date {
            year,
            month,
            day: 10,
        };
        let read = |text: &str, r: Date| {
            weekday_and_day_date(v(), text, r).map(|m| {
                assert!(m.repaired && m.year_inferred, "{text:?}");
                (m.date.to_string(), text[m.span].to_string())
            })
        };
        // Generated scan 8702 (August 2018): 1 August 2018 is a Wednesday, 1 July a Sunday.
        assert_eq!(
            read(
                "A Working Group meeting was held on Wednesday 1 sie doa which included",
                report(2018, 8)
            ),
            Some(("2018-08-01".into(), "Wednesday 1".into()))
        );
        // The month before (the report's own has no Sunday the 1st).
        assert_eq!(
            read("held on Sunday 1st Jxlv 2018:", report(2018, 8)).map(|m| m.0),
            Some("2018-07-01".into())
        );
        // On neither month's weekday, or on both (the 3rd of December 2020 and of November
        // 2020 are a Thursday and a Tuesday: a Friday falls on neither).
        assert_eq!(read("held on Friday 3 Dxxember", report(2020, 12)), None);
        // 3 February and 3 March 2021 are both Wednesdays (February has 28 days).
        assert_eq!(
            read("held on Wednesday 3 Mxxch 2021", report(2021, 3)),
            None
        );
        assert!(weekday_and_day_date(v(), "on Wednesday 3 Mxxch", report(2021, 4)).is_some());
        // A month printed: the date parser's, not this.
        assert_eq!(read("held on Wednesday 1 August", report(2018, 8)), None);
        // No weekday, no day.
        assert_eq!(read("held on 1 sie doa", report(2018, 8)), None);
        assert_eq!(read("held on Wednesday the first", report(2018, 8)), None);
    }

    fn v() -> &'static DateVocabulary {
        &Grammar::builtin().dates
    }

    const JUNE_REPORT: Date = Date {
        year: 2020,
        month: 6,
        day: 12,
    };

    fn iso(s: &str) -> String {
        let m = parse_date(v(), s, Some(JUNE_REPORT)).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        m.date.to_string()
    }

    #[test]
    fn a_month_ocr_garbled_is_the_report_months_or_the_one_before_it_is_nearer_to() {
        let report = |year, month| Date {
            year,
            month,
            day: 8,
        };
        let read = |text: &str, r: Date| {
            garbled_month_date(v(), text, r).map(|m| {
                assert!(m.repaired, "{text:?}");
                (m.date.to_string(), text[m.span].to_string())
            })
        };
        // Generated scan 8402 (December 2017), image-only scan 7400 (September 2017).
        assert_eq!(
            read(
                "meeting was held on 06 Seceiee 2017, which included",
                report(2017, 12)
            ),
            Some(("2017-12-06".into(), "06 Seceiee 2017".into()))
        );
        assert_eq!(
            read("was held on 6th Banteniben 2017, which", report(2017, 9)),
            Some(("2017-09-06".into(), "6th Banteniben 2017".into()))
        );
        // The month before, across a year's end.
        assert_eq!(
            read("held on 14 Decenber 2019:", report(2020, 1)).map(|m| m.0),
            Some("2019-12-14".into())
        );
        // A speck between the word and the year, a first letter in lower case (image-only
        // scan 8700, September 2021).
        assert_eq!(
            read("was held on 1 geeceenber 4 2021, which", report(2021, 9)),
            Some(("2021-09-01".into(), "1 geeceenber 4 2021".into()))
        );
        assert_eq!(
            read("held on 1 geeceenber 42 of 2021", report(2021, 9)),
            None
        );
        // Not near enough to either month, near both alike, another year, a month read.
        assert_eq!(read("held on 06 Committee 2017", report(2017, 12)), None);
        assert_eq!(read("held on 06 Jule 2017", report(2017, 7)), None);
        assert_eq!(read("held on 06 Seceiee 2016", report(2017, 12)), None);
        assert_eq!(read("held on 06 December 2017", report(2017, 12)), None);
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        for days in [-800_000, -1, 0, 1, 18_425, 20_000, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(2020, 6, 12).unwrap().days_since_epoch(), 18_425);
        assert_eq!(Date::new(2020, 5, 22).unwrap().iso_weekday(), 5);
        assert!(Date::new(2020, 2, 29).is_some());
        assert!(Date::new(2019, 2, 29).is_none());
        // Friday 12 June 2020: 1 WD is Monday 15th, 5 WD Friday 19th, -1 WD Thursday 11th.
        let friday = Date::new(2020, 6, 12).unwrap();
        assert_eq!(friday.add_working_days(1).to_string(), "2020-06-15");
        assert_eq!(friday.add_working_days(5).to_string(), "2020-06-19");
        assert_eq!(friday.add_working_days(-1).to_string(), "2020-06-11");
        assert_eq!(friday.add_working_days(0), friday);
    }

    #[test]
    fn printed_forms_from_the_real_report() {
        assert_eq!(iso("12 June 2020"), "2020-06-12");
        assert_eq!(iso("7 May 2020"), "2020-05-07");
        assert_eq!(iso("28th February 2019"), "2019-02-28");
        assert_eq!(iso("17/04/2020"), "2020-04-17");
        assert_eq!(iso("6 Feb 20"), "2020-02-06");
        assert_eq!(iso("5Jun 19"), "2019-06-05");
        assert_eq!(iso("9 Sep 19"), "2019-09-09");
        assert_eq!(iso("Sept 2020"), "2020-09-01");
        assert_eq!(iso("3 June 2020,"), "2020-06-03");
        assert_eq!(iso("Sept. 2020"), "2020-09-01");
        // A month OCR spelt with a zero, glued to its day.
        assert_eq!(iso("250ct17"), "2017-10-25");
        assert!(parse_date(v(), "2501 17", Some(JUNE_REPORT)).is_err());
    }

    #[test]
    fn specks_ocr_set_after_a_weekday_or_a_day_are_read_past_and_flagged() {
        // Generated scans 7401 (`Friday" 17 September 2021`) and 7301 (`16th , October
        // 2017`, once read as 1 October).
        for (text, want) in [
            ("Friday\" 17 September 2021", "2021-09-17"),
            ("Friday\u{201d} 17 September 2021", "2021-09-17"),
            ("16th , October 2017", "2017-10-16"),
            ("1: December 2021", "2021-12-01"),
            ("1; December 2021", "2021-12-01"),
            ("13th~ September 2021", "2021-09-13"),
            // Generated scan 9703, its raised fact dated the 1st.
            ("12 'August 2022", "2022-08-12"),
        ] {
            let m = parse_date(v(), text, None).expect(text);
            assert_eq!(
                (m.date.to_string().as_str(), m.repaired),
                (want, true),
                "{text}"
            );
        }
        let m = parse_date(v(), "Friday, 17 September 2021", None).unwrap();
        assert!(!m.repaired);
        assert!(parse_date(v(), "Friday' 17 September 2021", None).is_err());
    }

    #[test]
    fn a_comma_stands_before_a_four_digit_year_only() {
        assert_eq!(iso("21st May, 2020"), "2020-05-21");
        assert_eq!(iso("Friday 22 May, 2020"), "2020-05-22");
        // After a comma two digits are a count, not a year: the date's year is inferred.
        let found = find_dates(v(), "on 5 May, 20 modifications", Some(JUNE_REPORT));
        let read: Vec<_> = found
            .iter()
            .map(|m| m.as_ref().map(|m| (m.date.to_string(), m.year_inferred)))
            .collect();
        assert_eq!(read, [Ok(("2020-05-05".to_string(), true))]);
        assert!(parse_date(v(), "21 May,2020", Some(JUNE_REPORT)).is_err());
    }

    #[test]
    fn ocr_forms_from_the_fixture_scan() {
        let read = |s: &str| {
            let m = parse_date(v(), s, Some(JUNE_REPORT)).unwrap_or_else(|e| panic!("{s:?}: {e}"));
            (m.date.to_string(), m.repaired)
        };
        assert_eq!(read("6.Feb 20"), ("2020-02-06".into(), false));
        assert_eq!(read("27 May.2020"), ("2020-05-27".into(), false));
        assert_eq!(read("22 May-2020"), ("2020-05-22".into(), false));
        assert_eq!(read("4 jul 19"), ("2019-07-04".into(), false));
        assert_eq!(read("2 Jul i9"), ("2019-07-02".into(), true));
        assert_eq!(read("Sjun 19"), ("2019-06-05".into(), true));
        assert_eq!(read("6Feb20"), ("2020-02-06".into(), false));
        assert_eq!(read("28May20"), ("2020-05-28".into(), false));
        // The year glued to the month where the day stands apart (generated scan 9905): the
        // space OCR lost, a repair; not a number of three digits or one running on.
        assert_eq!(read("9 Feb17"), ("2017-02-09".into(), true));
        assert_eq!(read("9 Feb2017"), ("2017-02-09".into(), true));
        assert!(parse_date(v(), "9 Feb170", Some(JUNE_REPORT)).is_err());
        assert!(parse_date(v(), "9 Feb17th", Some(JUNE_REPORT)).is_err());
        assert!(parse_date(v(), "Is May", Some(JUNE_REPORT)).is_err());
        assert!(parse_date(v(), "In June", Some(JUNE_REPORT)).is_err());
    }

    #[test]
    fn a_whole_date_is_what_parse_date_reads() {
        for text in [
            "12 June 2020",
            " (17/04/2020). ",
            "Friday 22 May",
            "June 2020",
            "6Feb20",
            "12 June 2020 and more",
            "31/02/2020",
            "2O1",
            "not a date",
            "",
        ] {
            assert_eq!(
                whole_date(v(), text, Some(JUNE_REPORT)),
                parse_date(v(), text, Some(JUNE_REPORT)).ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_date_starts_at_a_letter_only_with_a_name_or_a_glued_day() {
        let starts = &v().name_starts;
        for text in ["September", "SEPT.", "fri", "Mayday", "dec 2020"] {
            assert!(starts.may_start(text.as_bytes()), "{text:?}");
        }
        for text in ["Modification", "Smart", "SEC", "Ma", "M4y", "Jy", ""] {
            assert!(!starts.may_start(text.as_bytes()), "{text:?}");
        }
        // Words passed over; names, weekdays and glued days still read.
        let text = "Smart Metering Sjun 19 and SEC Friday 22 May 2020, Modification O6Feb20";
        let found: Vec<String> = find_dates(v(), text, Some(JUNE_REPORT))
            .into_iter()
            .map(|d| d.unwrap().date.to_string())
            .collect();
        assert_eq!(found, ["2019-06-05", "2020-05-22", "2020-02-06"]);
    }

    #[test]
    fn inferred_years_are_flagged() {
        let m = parse_date(v(), "Friday 22 May", Some(JUNE_REPORT)).unwrap();
        assert_eq!(m.date.to_string(), "2020-05-22");
        assert!(m.year_inferred && !m.weekday_mismatch);
        let jan = parse_date(v(), "5 January", Date::new(2020, 12, 10)).unwrap();
        assert_eq!(jan.date.to_string(), "2021-01-05");
        let dec = parse_date(v(), "20 December", Date::new(2021, 1, 14)).unwrap();
        assert_eq!(dec.date.to_string(), "2020-12-20");
        assert!(parse_date(v(), "22 May", None)
            .unwrap_err()
            .contains("no year"));
        let wrong_day = parse_date(v(), "Monday 22 May", Some(JUNE_REPORT)).unwrap();
        assert!(wrong_day.weekday_mismatch);
    }

    #[test]
    fn month_precision_for_releases() {
        let m = parse_date(v(), "November 2020", None).unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.precision),
            ("2020-11-01", DatePrecision::Month)
        );
    }

    #[test]
    fn a_months_abbreviation_as_ocr_misreads_it_after_a_day_is_that_month_repaired() {
        // The June 2020 scan's assessment cells read again.
        for (cell, iso) in [("5 Mav 20", "2020-05-05"), ("21 lan 20", "2020-01-21")] {
            let m = parse_date(v(), cell, None).unwrap();
            assert_eq!(
                (m.date.to_string().as_str(), m.repaired),
                (iso, true),
                "{cell}"
            );
        }
        // Not without a day, nor a word that is no month's.
        assert!(parse_date(v(), "Mav 2020", None).is_err());
        assert!(parse_date(v(), "5 Mat 20", None).is_err());
        assert_eq!(
            parse_date(v(), "5 May 20", None).map(|m| m.repaired),
            Ok(false)
        );
    }

    #[test]
    fn ocr_damage_repaired_or_reported() {
        let m = parse_date(v(), "03/012019", None).unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.repaired),
            ("2019-01-03", true)
        );
        // A day's digit OCR read as a letter before its ordinal (generated scan 3110).
        let m = whole_date_with_ocr_day(v(), "il June 2021").unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.repaired),
            ("2021-06-11", true)
        );
        assert!(whole_date_with_ocr_day(v(), "il June").is_none());
        assert!(whole_date_with_ocr_day(v(), "In June 2021").is_none());
        assert!(whole_date_with_ocr_day(v(), "11 June 2021").is_none());
        let m = parse_date(v(), "Ist August 2018", None).unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.repaired),
            ("2018-08-01", true)
        );
        assert!(parse_date(v(), "Ist 2018", None).is_err());
        // A space OCR set beside the slash before the year (generated scan 3100).
        for spaced in ["05/12 /2018", "05/12/ 2018"] {
            let m = parse_date(v(), spaced, None).unwrap();
            assert_eq!(
                (m.date.to_string().as_str(), m.repaired),
                ("2018-12-05", true),
                "{spaced}"
            );
        }
        for not_a_date in ["05/12 / 2018", "05/12 /18", "05 /12/2018"] {
            assert!(parse_date(v(), not_a_date, None).is_err(), "{not_a_date}");
        }
        let m = parse_date(v(), "12 June 2O20", None).unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.repaired),
            ("2020-06-12", true)
        );
        assert!(parse_date(v(), "03/03/201", None)
            .unwrap_err()
            .contains("damaged"));
        assert!(parse_date(v(), "31/02/2020", None)
            .unwrap_err()
            .contains("not a calendar date"));
        assert!(parse_date(v(), "31 June 2020", None)
            .unwrap_err()
            .contains("not a calendar date"));
    }

    #[test]
    fn non_dates_are_rejected() {
        for s in [
            "113 WD",
            "0207",
            "SR11.2",
            "May",
            "2020",
            "6.15.1",
            "12 Junes 2020",
            "40 WD",
            "v3.2",
            "Page 11 of 12",
            "1899/01/01",
        ] {
            assert!(
                parse_date(v(), s, Some(JUNE_REPORT)).is_err(),
                "{s:?} was read as a date"
            );
        }
    }

    #[test]
    fn finds_every_date_in_a_table_row() {
        let row = "0099 SEC - Batch 4 IA in progress 03/02/2020 | 02/03/2020 17/03/2020 | 05/05/2020 | 09/07/2020 IA";
        let dates: Vec<String> = find_dates(v(), row, None)
            .into_iter()
            .map(|d| d.unwrap().date.to_string())
            .collect();
        assert_eq!(
            dates,
            [
                "2020-02-03",
                "2020-03-02",
                "2020-03-17",
                "2020-05-05",
                "2020-07-09"
            ]
        );
        let sentence = "On Friday 22 May, The Change Board voted; approved on 26 May 2020, implemented on 27 May 2020.";
        let found: Vec<_> = find_dates(v(), sentence, Some(JUNE_REPORT))
            .into_iter()
            .map(|d| d.unwrap())
            .collect();
        assert_eq!(found.len(), 3);
        assert!(found[0].year_inferred);
        assert_eq!(&sentence[found[2].span.clone()], "27 May 2020");
    }

    #[test]
    fn week_commencing_dates_split_over_lines_still_give_the_day() {
        // The year went to the next line: inferred, and flagged.
        let found = find_dates(
            v(),
            "issued in the week commencing 8 June",
            Some(JUNE_REPORT),
        );
        let m = found[0].as_ref().unwrap();
        assert_eq!(
            (m.date.to_string().as_str(), m.year_inferred),
            ("2020-06-08", true)
        );
    }

    /// The numeric dates reading every date in turn finds (those holding a `/`).
    fn numeric_by_reading_all(text: &str) -> Vec<(Range<usize>, Date, bool)> {
        dates_in(v(), text, Some(JUNE_REPORT))
            .filter_map(Result::ok)
            .filter(|d| text[d.span.clone()].contains('/'))
            .map(|d| (d.span, d.date, d.repaired))
            .collect()
    }

    fn numeric(text: &str) -> Vec<(Range<usize>, Date, bool)> {
        numeric_dates_in(v(), text)
            .map(|d| (d.span, d.date, d.repaired))
            .collect()
    }

    #[test]
    fn numeric_dates_are_the_numeric_dates_reading_every_date_finds() {
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let lines: Vec<&str> = report.lines().collect();
        let mut with_slash = 0;
        // Each line, and each line run into the next (a row's block of lines).
        for (i, line) in lines.iter().enumerate() {
            let joined = format!("{line} {}", lines.get(i + 1).unwrap_or(&""));
            for text in [*line, joined.as_str()] {
                with_slash += !numeric(text).is_empty() as usize;
                assert_eq!(numeric(text), numeric_by_reading_all(text), "{text:?}");
            }
        }
        assert!(with_slash > 50, "{with_slash} texts with numeric dates");
        for text in [
            "17/04/2020",
            "| 17/04/2020 | 6/2/20 | N/A |",
            "0037 PA in progress 03/012019 19/06/2020",
            "32/13/2020 01/02/2020",
            "1/2/3/4/2020 x17/04/2020 117/04/2020 /17/04/2020 17//04/2020",
            "é17/04/2020 (17/04/2020) 17/04/2020. 17/04/20201",
            "17/April/2020 17/ 04/2020 17 /04/2020 1/1/1 99/99/99",
            "Friday 17/04/2020 on 6 Feb 20 and 17/4",
            "",
            "/",
        ] {
            assert_eq!(numeric(text), numeric_by_reading_all(text), "{text:?}");
        }
    }

    #[test]
    fn a_date_in_words_never_hides_a_numeric_one() {
        // Reading every date in turn takes "5 June 17" (a two-digit year) and passes over the
        // numeric cell; the cell is what a table row needs.
        let text = "5 June 17/04/2020";
        assert!(numeric_by_reading_all(text).is_empty());
        let found = numeric(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0.clone()], "17/04/2020");
        assert_eq!(found[0].1, Date::new(2020, 4, 17).unwrap());
    }
}

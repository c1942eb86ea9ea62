//! Modification identifiers: `DP094`, `MP102B`, `SECMP0053`, `SEC MP077`, table forms such as
//! `0078v2`, and what OCR does to them (`MPO077`, `SECMPO0053`, `MF077`).
//!
//! Rules that keep repairs honest:
//! - a letter is read as a digit only where a real digit follows it inside the number
//!   (`MPO77`, `MPI05`), never at the end, where it is a variant (`MP102B`) or not an id;
//! - a number needs at least as many real digits as repaired ones;
//! - a damaged prefix (`MF077`) is read only in front of a clean 3-4 digit number;
//! - anything that starts like an id but breaks these rules is reported as
//!   [`IdFinding::Ambiguous`], never guessed.

use std::fmt;
use std::ops::Range;

use nom::bytes::complete::tag;
use nom::character::complete::{digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::error::{Error, ErrorKind};
use nom::{IResult, Parser};

use super::vocabulary::IdVocabulary;
use compact_str::CompactString;

/// The family a printed prefix belongs to. `None` for bare table forms (`0092`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum IdPrefix {
    Dp,
    Mp,
    Secmp,
    None,
}

impl IdPrefix {
    pub fn as_str(self) -> &'static str {
        match self {
            IdPrefix::Dp => "DP",
            IdPrefix::Mp => "MP",
            IdPrefix::Secmp => "SECMP",
            IdPrefix::None => "none",
        }
    }
}

/// One modification: its number and variant (`""`, `"A"`, `"v2"`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ModId {
    pub number: u32,
    pub variant: String,
}

impl ModId {
    /// A request suffix is written `v` + digits however it was printed (`0078V2` is
    /// `MP078v2`).
    pub fn new(number: u32, variant: &str) -> ModId {
        let variant = match variant.strip_prefix('V') {
            Some(digits) if is_request_number(digits) => format!("v{digits}"),
            _ => variant.to_string(),
        };
        ModId { number, variant }
    }

    /// The modification of the register this id belongs to: a request suffix is not a
    /// variant (`MP078v2` is the second assessment request of `MP078`); a variant letter is
    /// (`MP102B`).
    pub fn register_id(&self) -> ModId {
        if self.variant.starts_with('v') {
            ModId {
                number: self.number,
                variant: String::new(),
            }
        } else {
            self.clone()
        }
    }
}

/// The canonical text form, the only one: `MP` + number padded to 3 digits + variant
/// (`MP053`, `MP102B`, `MP078v2`).
impl fmt::Display for ModId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MP{:03}{}", self.number, self.variant)
    }
}

/// An identifier read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMatch {
    pub id: ModId,
    pub prefix: IdPrefix,
    /// Exactly as printed (inline: ids are short).
    pub raw: CompactString,
    /// Byte range of `raw` in the searched text.
    pub span: Range<usize>,
    /// True when OCR damage was repaired to read it.
    pub repaired: bool,
}

/// What a search for identifiers finds: an id, or text that starts like one but could not be
/// read without guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdFinding {
    Found(IdMatch),
    Ambiguous {
        raw: String,
        span: Range<usize>,
        reason: String,
    },
}

/// The number part of an id before interpretation: the printed characters.
struct NumberBody<'i> {
    printed: &'i str,
}

fn parse_error(input: &str) -> nom::Err<Error<&str>> {
    nom::Err::Error(Error::new(input, ErrorKind::Verify))
}

/// A printed prefix from the vocabulary (`SECMP`, `SEC MP`, `DP`, `MP`), in any letter case:
/// OCR prints `mPo093`, `{mp122`. The flag says whether the case was as printed in the
/// vocabulary (anything else is a repair).
fn printed_prefix<'i>(v: &IdVocabulary, input: &'i str) -> IResult<&'i str, (IdPrefix, bool)> {
    // Prefixes are ASCII (checked when the vocabulary loads), so comparing bytes without
    // case is nom's `tag_no_case`, without its per-character case mapping.
    let initial = input.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
    for &k in v.prefixes_by_initial.get(initial) {
        let (printed, family) = &v.prefixes[usize::from(k)];
        let n = printed.len();
        if input.len() >= n && input.as_bytes()[..n].eq_ignore_ascii_case(printed.as_bytes()) {
            return Ok((&input[n..], (*family, &input[..n] == printed.as_str())));
        }
    }
    Err(parse_error(input))
}

/// A prefix damaged by OCR (`MF`, `NP`, `0P`).
fn damaged_prefix<'i>(v: &IdVocabulary, input: &'i str) -> IResult<&'i str, IdPrefix> {
    for (printed, family) in &v.prefix_repairs {
        if let Ok((rest, _)) = tag::<_, _, Error<&str>>(printed.as_str()).parse(input) {
            return Ok((rest, *family));
        }
    }
    Err(parse_error(input))
}

/// One space between prefix and number (`SECMP 0076`), only when a digit follows; or one
/// hyphen (`MP-123`, `SECMP-0053`), only when three digits follow: a link's path in the real
/// report ends `.../SECMP-4`, which is no modification. A stop or comma there, before three
/// digits, is a speck OCR read (`SECMP.0022`): an OCR repair.
fn prefix_gap(input: &str) -> IResult<&str, Option<char>> {
    let digits = input
        .bytes()
        .skip(1)
        .take(3)
        .take_while(u8::is_ascii_digit)
        .count();
    let gap = match input.as_bytes().first() {
        Some(b' ') => digits >= 1,
        Some(b'-' | b'.' | b',') => digits == 3,
        _ => false,
    };
    if gap {
        opt(one_of(" -.,")).parse(input)
    } else {
        Ok((input, None))
    }
}

/// Digits and digit-like OCR letters, as many as a number can hold (plus one extra `O`).
fn number_body<'i>(v: &IdVocabulary, input: &'i str) -> IResult<&'i str, NumberBody<'i>> {
    // The run of digit-like characters (at most `max_digits + 4`), read byte by byte: only a
    // character beyond ASCII is decoded.
    let bytes = input.as_bytes();
    let (mut at, mut chars) = (0, 0);
    // A confusable letter counts as a digit only where a real digit follows it: the body
    // ends after the run's last real digit.
    let mut last_digit = None;
    while at < bytes.len() && chars < v.max_digits + 4 {
        let b = bytes[at];
        let len = if b.is_ascii_digit() {
            last_digit = Some(at + 1);
            1
        } else if b.is_ascii() {
            if !v.digit_confusions.contains(b as char) {
                break;
            }
            1
        } else {
            let c = input[at..].chars().next().expect("a char starts here");
            if !v.digit_confusions.contains(c) {
                break;
            }
            c.len_utf8()
        };
        at += len;
        chars += 1;
    }
    let end = last_digit.ok_or_else(|| parse_error(input))?;
    let end = end + zeros_read_as_letters_at_end(&input[..end], &input[end..]);
    Ok((
        &input[end..],
        NumberBody {
            printed: &input[..end],
        },
    ))
}

/// How many bytes of `after` (what follows a number's last real digit) are zeros OCR read as
/// the letter O: only where they end a number of three or four characters at an id's end
/// (generated scan 9902's `MPO8O_`, MP080, whose row went into MP080v2's as `PA PA`). A
/// letter that may be a variant (`B`) is never taken for a digit here.
fn zeros_read_as_letters_at_end(body: &str, after: &str) -> usize {
    let zeros = after
        .bytes()
        .take_while(|&b| b == b'O' || b == b'o')
        .count();
    let whole = body.chars().count() + zeros;
    let at_end = after[zeros..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    if zeros > 0 && (3..=4).contains(&whole) && at_end {
        zeros
    } else {
        0
    }
}

/// The digits of a request suffix (`2` of `v2`).
fn is_request_number(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A request suffix: `v` + digits (`v2`; `V2` as some tables print it), the assessment
/// request it names.
fn request_suffix(input: &str) -> IResult<&str, &str> {
    recognize((one_of("vV"), digit1)).parse(input)
}

/// A request suffix whose `v` OCR read twice (generated scan 8801: `0181Vv2` for `0181v2`):
/// the suffix as it should read (`v2` of `Vv2`).
fn doubled_request_suffix(input: &str) -> IResult<&str, &str> {
    let (rest, _) = one_of("vV").parse(input)?;
    request_suffix(rest)
}

/// A variant suffix: a single variant letter (`B`) or a request suffix (`v2`).
fn variant_suffix<'i>(v: &IdVocabulary, input: &'i str) -> IResult<&'i str, &'i str> {
    if let Ok((rest, printed)) = request_suffix(input) {
        return Ok((rest, printed));
    }
    match input.chars().next() {
        Some(c) if v.variant_letters.contains(&c) => {
            Ok((&input[c.len_utf8()..], &input[..c.len_utf8()]))
        }
        _ => Err(parse_error(input)),
    }
}

/// True where an identifier may end: not inside a word, and not before a character OCR prints
/// for a digit (`|` for 1: `DPO3|` may be `DP031`).
fn at_id_end(v: &IdVocabulary, rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => !c.is_alphanumeric() && !v.digit_confusions.contains(c),
    }
}

/// True where an identifier may start: at the start of the text or after a non-word char.
fn at_id_start(text: &str, pos: usize) -> bool {
    match text[..pos].chars().next_back() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || matches!(c, '_' | '/' | '-' | '.' | '@' | '#')),
    }
}

/// Reads the digits of a body, repairing confusable letters. Returns the number and whether a
/// repair happened, or why the body cannot be read without guessing.
fn interpret_number(v: &IdVocabulary, body: &NumberBody) -> Result<(u32, bool), String> {
    // Counted as read, without building the digits: most bodies are read once and dropped.
    let digit = |c: char| {
        if c.is_ascii_digit() {
            c
        } else {
            v.digit_confusions
                .digit_of(c)
                .expect("a number's letters are digit confusions")
        }
    };
    let (mut count, mut real, mut repaired, mut significant) = (0usize, 0usize, 0usize, 0usize);
    let mut value: u64 = 0;
    let padding = letter_before_a_whole_number(body.printed);
    if padding {
        count += 1;
        repaired += 1;
    }
    for (i, c) in body.printed.chars().enumerate().skip(usize::from(padding)) {
        if c.is_ascii_digit() {
            real += 1;
        } else if !(i == 0 && matches!(c, 'O' | 'o')) {
            // A leading O before a zero-padded number is an extra letter (`SECMPO0053`):
            // it costs nothing in value, but it is still a repair.
            repaired += 1;
        }
        let d = digit(c);
        count += 1;
        if significant > 0 || d != '0' {
            significant += 1;
            value = value
                .saturating_mul(10)
                .saturating_add(u64::from(d as u8 - b'0'));
        }
    }
    let repaired_any = count != real;
    if repaired > real {
        return Err(format!(
            "{repaired} of its {count} number characters are letters read as digits"
        ));
    }
    if significant == 0 {
        return Err("its number is zero".into());
    }
    let too_long = || {
        let digits: String = body.printed.chars().map(digit).collect();
        format!("its number {digits} is longer than {} digits", v.max_digits)
    };
    if significant > v.max_digits || count > v.max_digits + 1 {
        return Err(too_long());
    }
    let number = u32::try_from(value).map_err(|_| too_long())?;
    Ok((number, repaired_any))
}

/// True when a number's first character is a letter OCR prints for a digit and three more
/// follow it: the letter is a mark OCR read before a three-digit number or a zero of its
/// padding misread, never a fourth significant digit (no printed form has one: `MP` + three
/// digits, `SECMP` + four with a zero first).
/// `MPI181v2` is MP181v2, `MPI1S6` MP156 and `SECMPG034` MP034 (generated scans 5108, 5105:
/// read as MP1181v2, MP1156 and MP6034, ids no report ever printed).
fn letter_before_a_whole_number(printed: &str) -> bool {
    let mut chars = printed.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    !first.is_ascii_digit() && !matches!(first, 'O' | 'o') && chars.count() == 3
}

/// What [`prefixed_mod_id`] reads: the text after the id, the id, its family, and whether
/// OCR damage was repaired.
type PrefixedId<'i> = (&'i str, ModId, IdPrefix, bool);

/// A prefixed identifier at the start of `input`: `DP094`, `SECMPO0053`, `MP102B`, `MF077`.
/// On failure, `Err(Some(reason))` means it started like an id but could not be read.
fn prefixed_mod_id<'i>(v: &IdVocabulary, input: &'i str) -> Result<PrefixedId<'i>, Option<String>> {
    // A damaged prefix (`MF`) must stand before a clean number; a prefix only in the wrong
    // letter case (`mP`) is a lighter repair and takes the usual number rules.
    let (after_prefix, prefix, prefix_damaged, prefix_case_repaired) =
        match printed_prefix(v, input) {
            Ok((rest, (p, exact_case))) => (rest, p, false, !exact_case),
            Err(_) => match damaged_prefix(v, input) {
                Ok((rest, p)) => (rest, p, true, false),
                Err(_) => return Err(None),
            },
        };
    let (after_gap, gap) = prefix_gap(after_prefix).map_err(|_| None)?;
    let speck_in_gap = matches!(gap, Some('.' | ','));
    let (after_number, body) = number_body(v, after_gap).map_err(|_| None)?;
    // Every printed form has three digits or more (`MP007`, `SECMP0007`): one or two are
    // what OCR left of a number (`MP7`, `MPI3` in a table of ids MP117 and MP113, generated
    // scan 5114; `DP1 70`), not the id they would make.
    let printed_digits = body.printed.chars().count();
    if printed_digits < 3 {
        return Err(Some(format!(
            "its number {:?} has {printed_digits} of the three digits ids are printed with: OCR lost some",
            body.printed
        )));
    }
    let (number, digits_repaired) = interpret_number(v, &body).map_err(Some)?;
    if prefix_damaged {
        let clean = body.printed.chars().all(|c| c.is_ascii_digit());
        if !clean || !(3..=4).contains(&body.printed.len()) {
            return Err(None);
        }
    }
    let (rest, variant) = match variant_suffix(v, after_number) {
        Ok((rest, variant)) if at_id_end(v, rest) => (rest, variant),
        _ => (after_number, ""),
    };
    let prefix_text = &input[..input.len() - after_prefix.len()];
    let prefix_clean = !(prefix_damaged || prefix_case_repaired);
    if variant_may_be_a_digit(v, prefix, prefix_text, prefix_clean, body.printed, variant) {
        return Err(Some(format!(
            "{:?} after {:?} may be a variant or an OCR'd digit",
            variant, body.printed
        )));
    }
    if !at_id_end(v, rest) {
        return Err(Some(format!(
            "the number runs into {:?}",
            rest.chars().take(3).collect::<String>()
        )));
    }
    Ok((
        rest,
        ModId::new(number, variant),
        prefix,
        prefix_damaged || prefix_case_repaired || digits_repaired || speck_in_gap,
    ))
}

/// True when a variant letter that OCR also prints for a digit (`B` for 8, `D` for 0) comes
/// after a number too short to be whole: `MP10B` is `MP010B` or `MP108`, `SECMP010B` is
/// `SECMP0108` or `SECMP010B`. A whole number is three digits, or four when zero-padded after
/// the compact `SECMP` (`SECMP0062`; but `SEC MP077`). After a repaired prefix or number the
/// letter is never trusted (`MPO1B`, `SECMF012B`).
fn variant_may_be_a_digit(
    v: &IdVocabulary,
    prefix: IdPrefix,
    prefix_text: &str,
    prefix_clean: bool,
    printed: &str,
    variant: &str,
) -> bool {
    let mut letters = variant.chars();
    let (Some(letter), None) = (letters.next(), letters.next()) else {
        return false;
    };
    if !v.digit_confusions.contains(letter) {
        return false;
    }
    // After a number OCR already damaged, the letter is one more possible damage.
    if !prefix_clean || !printed.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let padded = printed.starts_with('0');
    let compact_secmp = prefix == IdPrefix::Secmp && !prefix_text.contains([' ', '-']);
    let whole = if padded && compact_secmp { 4 } else { 3 };
    printed.chars().count() < whole
}

/// Reads one identifier that fills `text` (surrounding space, quotes and punctuation allowed).
/// Bare digits are not an id here: they need a table's modification column.
pub fn parse_mod_id(v: &IdVocabulary, text: &str) -> Result<IdMatch, String> {
    if let Some(m) = whole_mod_id(v, text) {
        return Ok(m);
    }
    // Not an id: parsed again only to say why.
    let trimmed = trim_id_punctuation(text);
    match prefixed_mod_id(v, trimmed) {
        Ok((rest, ..)) => Err(format!("unexpected text after the id: {:?}", rest.trim())),
        Err(Some(reason)) => Err(format!("not a readable id: {reason}")),
        Err(None)
            if parse_bare_mod_id(v, trimmed).is_some_and(|(rest, _)| rest.trim().is_empty()) =>
        {
            Err("bare digits are an id only in a table's modification column".to_string())
        }
        Err(None) => Err("not a modification id".to_string()),
    }
}

/// [`parse_mod_id`] without saying why not: for the model, which asks it of many words that
/// are no id and needs no reason.
pub fn whole_mod_id(v: &IdVocabulary, text: &str) -> Option<IdMatch> {
    let trimmed = trim_id_punctuation(text);
    if !v.may_start_id(trimmed.as_bytes()) {
        return None;
    }
    let offset = trimmed.as_ptr() as usize - text.as_ptr() as usize;
    match prefixed_mod_id(v, trimmed) {
        Ok((rest, id, prefix, repaired)) if trim_id_punctuation(rest).is_empty() => Some(IdMatch {
            id,
            prefix,
            raw: CompactString::from(&trimmed[..trimmed.len() - rest.len()]),
            span: offset..offset + trimmed.len() - rest.len(),
            repaired,
        }),
        _ => None,
    }
}

fn trim_id_punctuation(s: &str) -> &str {
    // Most texts asked are an id as printed, an ASCII letter or digit at both ends: nothing
    // to trim, without testing characters against the list.
    if let (Some(first), Some(last)) = (s.as_bytes().first(), s.as_bytes().last()) {
        if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
            return s;
        }
    }
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\'' | '"'
                    | '‘'
                    | '’'
                    | '“'
                    | '”'
                    | ','
                    | '.'
                    | ';'
                    | ':'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
            )
    })
}

/// The identifier a text starts with, past any punctuation before it (`-'DP136`), and the
/// text after it. Cheaper than [`find_mod_ids`] where only the start matters.
pub fn leading_mod_id<'t>(v: &IdVocabulary, text: &'t str) -> Option<(IdMatch, &'t str)> {
    let (pos, (rest, id, prefix, repaired)) = leading_id_parts(v, text)?;
    let end = text.len() - rest.len();
    let m = IdMatch {
        id,
        prefix,
        raw: CompactString::from(&text[pos..end]),
        span: pos..end,
        repaired,
    };
    Some((m, rest))
}

/// The text after the identifier a text starts with ([`leading_mod_id`] without keeping the
/// id: most texts asked only need to know whether one is there).
pub fn after_leading_mod_id<'t>(v: &IdVocabulary, text: &'t str) -> Option<&'t str> {
    leading_id_parts(v, text).map(|(_, (rest, ..))| rest)
}

/// Where the identifier a text starts with begins, and its parts.
fn leading_id_parts<'t>(v: &IdVocabulary, text: &'t str) -> Option<(usize, PrefixedId<'t>)> {
    let pos = text.find(|c: char| c.is_alphanumeric())?;
    let input = &text[pos..];
    // Only the first letters of the prefixes can start one (as in `find_mod_ids`): most
    // texts asked are prose, and fail here without parsing.
    if !v.may_start_id(input.as_bytes()) {
        return None;
    }
    Some((pos, prefixed_mod_id(v, input).ok()?))
}

/// Every identifier in a line of text, left to right.
pub fn find_mod_ids(v: &IdVocabulary, text: &str) -> Vec<IdFinding> {
    let mut found = Vec::new();
    find_mod_ids_into(v, text, &mut found);
    found
}

/// [`find_mod_ids`] added to `found` (a caller reading many lines keeps one vector).
pub fn find_mod_ids_into(v: &IdVocabulary, text: &str, found: &mut Vec<IdFinding>) {
    scan_mod_ids(v, text, true, found)
}

/// Where the first ASCII digit at or after `from` is: eight bytes at a time (a line's words
/// are long runs without one).
fn next_ascii_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let digits = super::text::ascii_digit_lanes(x);
        if digits != 0 {
            return Some(i + digits.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| i + k)
}

/// [`find_mod_ids`]; `near_digits_only: false` tries every place (the definition the
/// skipping is tested against).
fn scan_mod_ids(v: &IdVocabulary, text: &str, near_digits_only: bool, found: &mut Vec<IdFinding>) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // The first ASCII digit at or after `pos`: an id starts no further than
    // `digit_reach` before one (most of a line is words far from any digit).
    let mut digit = 0;
    while pos < text.len() {
        if near_digits_only {
            if digit < pos {
                digit = pos;
            }
            match next_ascii_digit(bytes, digit) {
                Some(at) => digit = at,
                None => break,
            }
            // (Any byte will do: the scan below stops only at ASCII bytes.)
            pos = pos.max((digit + 1).saturating_sub(v.digit_reach));
        }
        // Only the first two letters of the vocabulary's prefixes can start an id: skip to
        // the next place they stand (all ASCII, so `pos` is then a char boundary).
        match v.next_id_start(bytes, pos) {
            Some(at) => pos = at,
            None => break,
        }
        if at_id_start(text, pos) {
            let input = &text[pos..];
            match prefixed_mod_id(v, input) {
                Ok((rest, id, prefix, repaired)) => {
                    let end = text.len() - rest.len();
                    found.push(IdFinding::Found(IdMatch {
                        id,
                        prefix,
                        raw: CompactString::from(&text[pos..end]),
                        span: pos..end,
                        repaired,
                    }));
                    pos = end.max(pos + 1);
                    continue;
                }
                Err(Some(reason)) => {
                    let end = pos
                        + input
                            .find(|c: char| {
                                c.is_whitespace() || matches!(c, '‘' | '\'' | '"' | '“')
                            })
                            .unwrap_or(input.len());
                    found.push(IdFinding::Ambiguous {
                        raw: text[pos..end].to_string(),
                        span: pos..end,
                        reason,
                    });
                    pos = end.max(pos + 1);
                    continue;
                }
                Err(None) => {}
            }
        }
        pos += 1;
    }
}

/// A bare identifier as DCC tables print it in their modification column: `0092`, `107`,
/// `0078v2`. Only for the start of a table row: elsewhere digits are years, counts, footers.
pub fn parse_bare_mod_id<'i>(v: &IdVocabulary, input: &'i str) -> Option<(&'i str, IdMatch)> {
    // The number is printed in the first `max_digits` bytes with three real digits at least
    // (below): most texts asked hold fewer, and fail here without parsing.
    // Those three are in the run of digit-like bytes the text starts with (the body is part
    // of it): a date's `25/07` has two.
    let head = &input.as_bytes()[..input.len().min(v.max_digits)];
    if head.iter().take(3).any(|&b| !v.digit_like[usize::from(b)])
        || head.iter().filter(|b| b.is_ascii_digit()).count() < 3
    {
        return None;
    }
    let (after, body) = number_body(v, input).ok()?;
    // Tables print three or four digits, four only zero-padded (`0092`): `2020` is a year
    // and `22` a day, never an id.
    let real = body.printed.chars().filter(|c| c.is_ascii_digit()).count();
    let padded = body.printed.starts_with(['0', 'O']);
    if real < 3 || body.printed.len() > v.max_digits || (body.printed.len() == 4 && !padded) {
        return None;
    }
    let (number, mut repaired) = interpret_number(v, &body).ok()?;
    let (rest, variant) = match request_suffix(after) {
        Ok(read) => read,
        Err(_) => match doubled_request_suffix(after) {
            Ok((rest, printed)) => {
                repaired = true;
                (rest, printed)
            }
            Err(_) => (after, ""),
        },
    };
    // A date (`17/04/2020`), a decimal (`6.15`) or a word run-in is not an id.
    if rest.starts_with(['/', '.', ',']) && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let len = input.len() - rest.len();
    Some((
        rest,
        IdMatch {
            id: ModId::new(number, variant),
            prefix: IdPrefix::None,
            raw: CompactString::from(&input[..len]),
            span: 0..len,
            repaired,
        },
    ))
}

/// True when two numbers, written with three digits, differ in one digit, or one is the
/// other with a digit more (OCR read a speck as a digit: `MP4128` for MP128, generated scan
/// 3132).
pub fn one_digit_apart(a: u32, b: u32) -> bool {
    let (a, b) = (format!("{a:03}"), format!("{b:03}"));
    if a.len() == b.len() {
        return a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1;
    }
    let (long, short) = if a.len() > b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long.len() == short.len() + 1
        && (0..long.len()).any(|i| format!("{}{}", &long[..i], &long[i + 1..]) == *short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    fn v() -> &'static IdVocabulary {
        &Grammar::builtin().ids
    }

    #[test]
    fn only_two_letters_that_begin_a_prefix_may_start_an_id() {
        for text in [
            "SECMP0007",
            "sec mp",
            "MP077",
            "mP",
            "DP125",
            "MF077",
            "NP1",
            "0P12",
        ] {
            assert!(v().may_start_id(text.as_bytes()), "{text:?}");
        }
        for text in [
            "some", "made", "Dear", "M", "", "S", "N/A", "0.5", "M\u{e9}",
        ] {
            assert!(!v().may_start_id(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn the_next_id_start_is_the_first_place_its_two_letters_stand() {
        // The definition: the first two letters of a prefix, printed or damaged, letter case
        // aside (a one-letter prefix: its letter and any ASCII byte).
        let v = v();
        let by_definition = |pair: &[u8]| {
            v.prefixes.iter().chain(&v.prefix_repairs).any(|(p, _)| {
                let p = p.as_bytes();
                pair[0].eq_ignore_ascii_case(&p[0])
                    && match p.get(1) {
                        Some(second) => pair[1].eq_ignore_ascii_case(second),
                        None => pair[1] < 128,
                    }
            })
        };
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let mut texts: Vec<&str> = report.lines().collect();
        texts.extend([
            "", "M", "MP", "mp", "xMP", "M\u{e9}P", "0P", "sEC", "s", "Ms",
        ]);
        let mut found = 0;
        for text in texts {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let want = (from..bytes.len().saturating_sub(1))
                    .find(|&i| by_definition(&bytes[i..i + 2]));
                assert_eq!(v.next_id_start(bytes, from), want, "{text:?} from {from}");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 1000, "{found}");
    }

    fn read(s: &str) -> (String, &'static str, bool) {
        let m = parse_mod_id(v(), s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        (m.id.to_string(), m.prefix.as_str(), m.repaired)
    }

    #[test]
    fn clean_printed_forms() {
        assert_eq!(read("DP094"), ("MP094".into(), "DP", false));
        assert_eq!(read("MP077"), ("MP077".into(), "MP", false));
        assert_eq!(read("SECMP0053"), ("MP053".into(), "SECMP", false));
        assert_eq!(read("SECMP130"), ("MP130".into(), "SECMP", false));
        assert_eq!(read("SEC MP077"), ("MP077".into(), "SECMP", false));
        assert_eq!(read("SECMP 0076"), ("MP076".into(), "SECMP", false));
        assert_eq!(read("SECMP-0053"), ("MP053".into(), "SECMP", false));
        assert_eq!(read("MP-123"), ("MP123".into(), "MP", false));
        assert!(parse_mod_id(v(), "SECMP-4").is_err());
        assert!(parse_mod_id(v(), "MP-12").is_err());
        assert_eq!(read("MP102B"), ("MP102B".into(), "MP", false));
        assert_eq!(read("MP122A"), ("MP122A".into(), "MP", false));
        assert_eq!(read("MP078v2"), ("MP078v2".into(), "MP", false));
        assert_eq!(read("MP078V2"), ("MP078v2".into(), "MP", false));
    }

    #[test]
    fn punctuation_and_quotes_around_an_id() {
        assert_eq!(read("‘MP130’,").0, "MP130");
        assert_eq!(read("(DP125)").0, "MP125");
        assert_eq!(read("\"SECMP0007\".").0, "MP007");
    }

    #[test]
    fn ocr_damage_in_the_real_report() {
        assert_eq!(read("MPO077"), ("MP077".into(), "MP", true));
        assert_eq!(read("MPO78"), ("MP078".into(), "MP", true));
        assert_eq!(read("MPO080"), ("MP080".into(), "MP", true));
        assert_eq!(read("MPO090"), ("MP090".into(), "MP", true));
        assert_eq!(read("SECMPO0053"), ("MP053".into(), "SECMP", true));
        assert_eq!(read("SECMPO0062"), ("MP062".into(), "SECMP", true));
        // A speck OCR read as a stop between prefix and number (an image-only scan).
        assert_eq!(read("SECMP.0022"), ("MP022".into(), "SECMP", true));
        assert_eq!(read("SEC MP,031"), ("MP031".into(), "SECMP", true));
        assert!(parse_mod_id(v(), "SECMP.4").is_err());
        // One or two digits are what OCR left of a number, not an id of their own.
        for s in ["MP7", "MPI3", "SECMPO1", "DP1", "MP13"] {
            assert!(parse_mod_id(v(), s).is_err(), "{s:?} was read");
        }
    }

    #[test]
    fn ocr_damage_inside_digits_and_prefix() {
        assert_eq!(read("MPI05"), ("MP105".into(), "MP", true));
        // A letter before a whole three-digit number is no fourth digit.
        assert_eq!(read("MPI181v2"), ("MP181v2".into(), "MP", true));
        assert_eq!(read("MPI1S6"), ("MP156".into(), "MP", true));
        assert_eq!(read("SECMPG034"), ("MP034".into(), "SECMP", true));
        assert_eq!(read("MP4128"), ("MP4128".into(), "MP", false));
        assert_eq!(read("MP1O5"), ("MP105".into(), "MP", true));
        assert_eq!(read("MP1S2"), ("MP152".into(), "MP", true));
        // A variant letter after a repaired number may itself be a damaged digit.
        assert!(parse_mod_id(v(), "MP1O2B").is_err());
        assert_eq!(read("MF077"), ("MP077".into(), "MP", true));
        assert_eq!(read("NP077"), ("MP077".into(), "MP", true));
        assert_eq!(read("0P094"), ("MP094".into(), "DP", true));
        // `SECMP` whose first letters grey print lost (generated scan 9504's id cell).
        assert_eq!(read("CMP0189"), ("MP189".into(), "SECMP", true));
        assert_eq!(read("ECMP0189"), ("MP189".into(), "SECMP", true));
        assert!(parse_mod_id(v(), "CMPO189").is_err());
        // From the OCR'd fixture scan: lower-case prefixes and letters, table borders.
        assert_eq!(read("mPo093"), ("MP093".into(), "MP", true));
        assert_eq!(read("({mp122"), ("MP122".into(), "MP", true));
        assert_eq!(read("[SECMP0007"), ("MP007".into(), "SECMP", false));
        assert_eq!(read("MPo92"), ("MP092".into(), "MP", true));
        assert_eq!(read("MPOO77"), ("MP077".into(), "MP", true));
        assert_eq!(read("SECMPQ0062"), ("MP062".into(), "SECMP", true));
        // A last zero read as the letter O, where it ends a whole number (generated scan
        // 9902); not where a word goes on, nor where letters outnumber the digits.
        assert_eq!(read("MPO8O"), ("MP080".into(), "MP", true));
        assert_eq!(read("MP11O"), ("MP110".into(), "MP", true));
        assert_eq!(read("SECMP01O"), ("MP010".into(), "SECMP", true));
        for s in ["MPO8Od", "MP1OO", "MP8O", "MPO8OOOO"] {
            assert!(parse_mod_id(v(), s).is_err(), "{s:?} was read");
        }
    }

    #[test]
    fn non_ids_are_rejected() {
        for s in [
            "113 WD",
            "0207",
            "2020",
            "SECP_80_1604_07",
            "GBCS v3.2",
            "SR11.2",
            "SECMP#",
            "MPs",
            "MPAN",
            "MPID",
            "DPO",
            "MP000",
            "MF77",
            "MFO77",
            "NP1",
            "MP12345",
            "MP1OO",
            "IRP511",
        ] {
            assert!(parse_mod_id(v(), s).is_err(), "{s:?} was read as an id");
        }
    }

    #[test]
    fn a_variant_letter_after_a_short_number_is_not_guessed() {
        for s in ["MP10B", "SECMP010B", "MP00D", "DP12B"] {
            assert!(parse_mod_id(v(), s).is_err(), "{s:?} was read");
        }
        assert_eq!(read("SECMP130B").0, "MP130B");
        assert_eq!(read("SECMP0130B").0, "MP130B");
        assert_eq!(read("MP102A").0, "MP102A");
    }

    #[test]
    fn ambiguous_repairs_are_reported_not_guessed() {
        let found = find_mod_ids(v(), "see MPOOI7 and MP1OOS next");
        assert!(
            found
                .iter()
                .all(|f| matches!(f, IdFinding::Ambiguous { .. })),
            "{found:?}"
        );
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn finds_ids_in_running_text_and_skips_words_and_urls() {
        let line =
            "Following implementation of SECMP0018 ‘Standard’, GBCS v3.2 Table 28d and DP125's MPs";
        let ids: Vec<String> = find_mod_ids(v(), line)
            .into_iter()
            .filter_map(|f| match f {
                IdFinding::Found(m) => Some(m.id.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec!["MP018", "MP125"]);
        assert!(find_mod_ids(v(), "modifications/modification/SECMP-4 TABASC_55 0207").is_empty());
    }

    /// The report model skips the id tests of lines without an ASCII digit (most prose): an
    /// id's number ends in a real digit (a letter OCR printed for a digit is read as one only
    /// before a real digit), and a bare id has three.
    #[test]
    fn texts_without_a_digit_hold_no_id() {
        for text in [
            "MPO OOO DPOIO SECMPOlO MP DP SECMP",
            "¢ MPO ‘DCC Service Flagging’",
            "mPo MF NP OP SECNP SECMF SEC MP O SEC-MP lOl",
            "MP|O| DPOOB MPOOO",
        ] {
            assert!(!text.bytes().any(|b| b.is_ascii_digit()), "{text:?}");
            assert!(find_mod_ids(v(), text).is_empty(), "{text:?}");
            for (i, _) in text.char_indices() {
                let rest = &text[i..];
                assert!(leading_mod_id(v(), rest).is_none(), "{rest:?}");
                assert!(whole_mod_id(v(), rest).is_none(), "{rest:?}");
                assert!(parse_bare_mod_id(v(), rest).is_none(), "{rest:?}");
            }
        }
    }

    #[test]
    fn the_eight_byte_digit_search_finds_the_first_digit() {
        let texts = [
            "",
            "7",
            "abcdefgh9",
            "abcdefghijklmno/:0",
            "é½٣0",
            "°¹ 12 and more words 3",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let want = bytes[from..]
                    .iter()
                    .position(u8::is_ascii_digit)
                    .map(|k| from + k);
                assert_eq!(next_ascii_digit(bytes, from), want, "{text:?} from {from}");
            }
        }
        // Every byte value in every lane.
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'x'; 11];
                bytes[lane] = b;
                let want = bytes.iter().position(u8::is_ascii_digit);
                assert_eq!(next_ascii_digit(&bytes, 0), want, "{b:#x} at {lane}");
            }
        }
    }

    #[test]
    fn skipping_places_far_from_digits_finds_what_trying_every_place_finds() {
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let mut texts: Vec<String> = report.lines().map(str::to_string).collect();
        // Ids at the edge of the reach: the longest prefix, its space, confusable letters
        // before the first digit, and non-ASCII letters around them.
        let parts = [
            "SEC-MP", "SECMP", "SEC MP", "MP", "DP", "0P", "NP", "MF", " ", "O", "o", "OOOO",
            "OOOOOOO", "1", "077", "0078v2", "10B", "é", "x", "mp", "|", "'",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("words {a}{b} {c}9 and {b}{c}"));
                }
            }
        }
        let v = v();
        assert!(v.digit_reach >= "SEC-MP OOOOOOO".len(), "{}", v.digit_reach);
        for text in &texts {
            let mut every_place = Vec::new();
            scan_mod_ids(v, text, false, &mut every_place);
            assert_eq!(
                format!("{:?}", find_mod_ids(v, text)),
                format!("{every_place:?}"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn spans_point_at_the_printed_text() {
        let line = "¢ MPO077 ‘DCC Service Flagging’";
        let IdFinding::Found(m) = &find_mod_ids(v(), line)[0] else {
            panic!()
        };
        assert_eq!(&line[m.span.clone()], "MPO077");
        assert_eq!(m.raw, "MPO077");
    }

    #[test]
    fn bare_table_forms() {
        let bare = |s: &'static str| parse_bare_mod_id(v(), s).map(|(_, m)| m.id.to_string());
        assert_eq!(bare("0092 New Planned"), Some("MP092".into()));
        assert_eq!(bare("107 PA in progress"), Some("MP107".into()));
        assert_eq!(bare("0078v2 Resolution"), Some("MP078v2".into()));
        assert_eq!(bare("0078V2 Resolution"), Some("MP078v2".into()));
        // A `v` OCR read twice is one.
        assert_eq!(bare("0181Vv2 Extending"), Some("MP181v2".into()));
        assert_eq!(bare("0181vv2"), Some("MP181v2".into()));
        assert_eq!(bare("0181Vvx"), None);
        assert!(parse_bare_mod_id(v(), "0181Vv2").is_some_and(|(_, m)| m.repaired));
        assert!(parse_bare_mod_id(v(), "0181v2").is_some_and(|(_, m)| !m.repaired));
        assert_eq!(bare("17/04/2020"), None);
        assert_eq!(bare("6.15.1"), None);
        assert_eq!(bare("5 Modifications"), None);
        assert_eq!(bare("12345"), None);
        assert_eq!(bare("2020 SEC Release)."), None);
        assert_eq!(bare("20 November"), None);
        assert_eq!(bare("0000"), None);
        // Digit-like letters and rules in the number (OCR), or a separator among its first
        // three bytes.
        assert_eq!(bare("0O92 New"), Some("MP092".into()));
        assert_eq!(bare("OO92 New"), None);
        assert_eq!(bare("0|07 Alert"), Some("MP107".into()));
        assert_eq!(bare("25/07/2018"), None);
        // Every digit-like character OCR prints, among the first three places (where a bare
        // id's first check looks), is read as its digit: inside a zero-padded number (which
        // only a `0` or `O` starts, and whose last digit is real).
        assert_eq!(bare("O092 New"), Some("MP092".into()));
        for (c, d) in [
            "O0", "o0", "Q0", "D0", "I1", "l1", "|1", "i1", "S5", "s5", "B8", "Z2", "G6",
        ]
        .map(|p| (p.as_bytes()[0] as char, p.as_bytes()[1] as char))
        {
            assert_eq!(v().digit_confusions.digit_of(c), Some(d), "{c}");
            for at in 1..3 {
                let mut printed: Vec<char> = "0092".chars().collect();
                printed[at] = c;
                let printed: String = printed.into_iter().collect();
                let want: u32 = printed.replace(c, &d.to_string()).parse().unwrap();
                let row = format!("{printed} New Planned");
                let got = parse_bare_mod_id(v(), &row).map(|(_, m)| m.id.number);
                assert_eq!(got, Some(want), "{printed:?}");
            }
        }
        assert_eq!(bare("10 0092"), None);
        assert_eq!(bare("1.005"), None);
    }

    #[test]
    fn a_number_may_hold_a_confusion_beyond_ascii() {
        // The built-in confusions are ASCII; a vocabulary may add others (here `Ø` for 0),
        // which the number scan decodes where it meets a byte beyond ASCII.
        let dir = tempfile::tempdir().unwrap();
        let builtin = include_str!("../../grammars/ids.toml");
        std::fs::write(
            dir.path().join("ids.toml"),
            format!("{builtin}\"Ø\" = \"0\"\n"),
        )
        .unwrap();
        let g = Grammar::load_with_overrides(dir.path()).unwrap();
        let m = parse_mod_id(&g.ids, "MP1Ø4").unwrap();
        assert_eq!(
            (m.id.to_string(), m.repaired, m.raw.as_str()),
            ("MP104".into(), true, "MP1Ø4")
        );
        let m = parse_mod_id(&g.ids, "SECMPØ0053").unwrap();
        assert_eq!((m.id.to_string(), m.repaired), ("MP053".into(), true));
        // A confusion after the last real digit is no digit: the number ends before it.
        let found = find_mod_ids(&g.ids, "MP104Ø x");
        assert!(
            matches!(&found[..], [IdFinding::Ambiguous { .. }]),
            "{found:?}"
        );
        assert!(parse_mod_id(&g.ids, "MPØØØ").is_err());
        // Without the added confusion, `Ø` ends the number.
        assert!(parse_mod_id(v(), "MP1Ø4").is_err());
    }
}

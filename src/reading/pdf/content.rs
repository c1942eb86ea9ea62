//! A content-stream lexer: the operators of a page or form, each with its operands.
//!
//! Only what text extraction needs is kept: numbers, strings (borrowed when they hold no
//! escapes), names and arrays of those. Dictionaries (marked-content properties) are skipped,
//! and inline images (`BI ... ID <bytes> EI`) are stepped over without reading their data.
//! Damaged syntax never stops the walk: an unreadable byte is skipped, as viewers do.

use std::borrow::Cow;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Str(Cow<'a, [u8]>),
    Name(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// Dictionaries, booleans, null: kept only so operand counts stay right.
    Other,
}

impl Operand<'_> {
    pub fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Walks a content stream's operators in order.
pub struct Operations<'a> {
    bytes: &'a [u8],
    at: usize,
    operands: Vec<Operand<'a>>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

/// How deep arrays and dictionaries may nest before the rest is skipped (a hostile stream
/// must not recurse without end).
const MAX_NESTING: usize = 32;

enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
    ArrayEnd,
    DictEnd,
    End,
}

impl<'a> Operations<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Operations {
            bytes,
            at: 0,
            operands: Vec::new(),
        }
    }

    fn skip_white(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            if is_white(b) {
                self.at += 1;
            } else if b == b'%' {
                while let Some(&c) = self.bytes.get(self.at) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        let b = self.bytes;
        let mut i = self.at;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let digits_from = i;
        while matches!(b.get(i), Some(b'0'..=b'9' | b'.')) {
            i += 1;
        }
        if i == digits_from {
            return None;
        }
        self.at = i;
        if let Some(n) = short_decimal(&b[start..i]) {
            return Some(n);
        }
        let text = std::str::from_utf8(&b[start..i]).ok()?;
        // Producers write "--5" or "5." or "-.5": read what makes sense, 0 otherwise.
        let text = text.trim_start_matches("--");
        Some(text.parse::<f64>().unwrap_or_else(|_| {
            text.trim_end_matches('.')
                .split('.')
                .next()
                .and_then(|t| t.parse::<f64>().ok())
                .unwrap_or(0.0)
        }))
    }

    fn literal_string(&mut self) -> Cow<'a, [u8]> {
        // At '('. Fast path: no backslash before the balancing ')'.
        let b = self.bytes;
        let start = self.at + 1;
        let mut depth = 1usize;
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b'\\' => return self.escaped_string(),
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.at = i + 1;
                        return Cow::Borrowed(&b[start..i]);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.at = b.len();
        Cow::Borrowed(&b[start..])
    }

    fn escaped_string(&mut self) -> Cow<'a, [u8]> {
        let b = self.bytes;
        let mut out = Vec::new();
        let mut depth = 1usize;
        let mut i = self.at + 1;
        while i < b.len() {
            let c = b[i];
            i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = b.get(i) else { break };
                    i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match b.get(i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // A line break after a backslash continues the string.
                        b'\r' => {
                            if b.get(i) == Some(&b'\n') {
                                i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        self.at = i;
        Cow::Owned(out)
    }

    fn hex_string(&mut self) -> Cow<'a, [u8]> {
        // At '<' (not '<<').
        let b = self.bytes;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        let mut i = self.at + 1;
        while i < b.len() {
            let c = b[i];
            i += 1;
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        self.at = i;
        Cow::Owned(out)
    }

    fn name(&mut self) -> Cow<'a, [u8]> {
        // At '/'.
        let b = self.bytes;
        let start = self.at + 1;
        let mut i = start;
        while i < b.len() && is_regular(b[i]) {
            i += 1;
        }
        self.at = i;
        let raw = &b[start..i];
        if !raw.contains(&b'#') {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut j = 0;
        while j < raw.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if raw[j] == b'#' && j + 2 < raw.len() {
                if let (Some(h), Some(l)) = (hex(raw[j + 1]), hex(raw[j + 2])) {
                    out.push((h * 16 + l) as u8);
                    j += 3;
                    continue;
                }
            }
            out.push(raw[j]);
            j += 1;
        }
        Cow::Owned(out)
    }

    fn token(&mut self, depth: usize) -> Token<'a> {
        loop {
            self.skip_white();
            let Some(&b) = self.bytes.get(self.at) else {
                return Token::End;
            };
            return match b {
                b'(' => Token::Operand(Operand::Str(self.literal_string())),
                b'<' if self.bytes.get(self.at + 1) == Some(&b'<') => {
                    self.at += 2;
                    self.skip_dict(depth + 1);
                    Token::Operand(Operand::Other)
                }
                b'<' => Token::Operand(Operand::Str(self.hex_string())),
                b'>' if self.bytes.get(self.at + 1) == Some(&b'>') => {
                    self.at += 2;
                    Token::DictEnd
                }
                b'/' => Token::Operand(Operand::Name(self.name())),
                b'[' => {
                    self.at += 1;
                    Token::Operand(self.array(depth + 1))
                }
                b']' => {
                    self.at += 1;
                    Token::ArrayEnd
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => match self.number() {
                    Some(n) => Token::Operand(Operand::Number(n)),
                    None => {
                        self.at += 1;
                        continue;
                    }
                },
                _ if is_regular(b) => {
                    let start = self.at;
                    while self.at < self.bytes.len() && is_regular(self.bytes[self.at]) {
                        self.at += 1;
                    }
                    match &self.bytes[start..self.at] {
                        b"true" | b"false" | b"null" => Token::Operand(Operand::Other),
                        word => Token::Operator(word),
                    }
                }
                // A stray ')', '>', '{', '}': skipped.
                _ => {
                    self.at += 1;
                    continue;
                }
            };
        }
    }

    fn array(&mut self, depth: usize) -> Operand<'a> {
        let mut items = Vec::new();
        loop {
            if depth > MAX_NESTING {
                self.skip_to_close(b'[', b']');
                return Operand::Array(items);
            }
            match self.token(depth) {
                Token::Operand(o) => items.push(o),
                Token::ArrayEnd | Token::End => return Operand::Array(items),
                // An operator inside an array: the array was not closed; end it here.
                Token::Operator(_) | Token::DictEnd => return Operand::Array(items),
            }
        }
    }

    fn skip_dict(&mut self, depth: usize) {
        loop {
            if depth > MAX_NESTING {
                self.skip_to_close(b'<', b'>');
                return;
            }
            match self.token(depth) {
                Token::DictEnd | Token::End => return,
                _ => {}
            }
        }
    }

    /// Skips bytes to the end of a nesting too deep to parse, counting brackets only.
    fn skip_to_close(&mut self, open: u8, close: u8) {
        let mut depth = 1usize;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b == open {
                depth += 1;
            } else if b == close {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// Steps over an inline image's data, from after `ID` to after its `EI`.
    fn skip_inline_image(&mut self) {
        let b = self.bytes;
        let mut i = self.at + 1;
        while i + 1 < b.len() {
            if b[i] == b'E'
                && b[i + 1] == b'I'
                && is_white(b[i - 1])
                && b.get(i + 2).is_none_or(|&c| is_white(c))
            {
                self.at = i + 2;
                return;
            }
            i += 1;
        }
        self.at = b.len();
    }

    /// The next operator and its operands, or `None` at the end of the stream.
    pub fn next_operation(&mut self) -> Option<(&'a [u8], &[Operand<'a>])> {
        self.operands.clear();
        loop {
            match self.token(0) {
                Token::Operand(o) => self.operands.push(o),
                // An inline image: its dictionary up to ID, then its data up to EI.
                Token::Operator(b"BI") => {
                    loop {
                        match self.token(0) {
                            Token::Operator(b"ID") => {
                                self.skip_inline_image();
                                break;
                            }
                            Token::End => return None,
                            _ => {}
                        }
                    }
                    self.operands.clear();
                }
                Token::Operator(op) => return Some((op, &self.operands)),
                Token::ArrayEnd | Token::DictEnd => {}
                Token::End => return None,
            }
        }
    }
}

/// A number of at most 15 digits and one point (`612`, `-0.5`, `.25`, `72.`), read exactly as
/// `str::parse::<f64>` reads it: its digits are an integer below 2^53 and its power of ten at
/// most 10^15, both exact as `f64`, so their quotient is the correctly rounded value. (Each
/// glyph's position is a number or two: parsed as text, the numbers of 40 reports' content
/// streams cost 24M instructions.) `None` for anything else, read the long way.
fn short_decimal(text: &[u8]) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let (mut mantissa, mut count, mut after_point) = (0u64, 0usize, None::<usize>);
    for &c in digits {
        match c {
            // (Past 15 digits, before the integer could overflow: a stream may hold any.)
            b'0'..=b'9' if count == 15 => return None,
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
                if let Some(n) = after_point.as_mut() {
                    *n += 1;
                }
            }
            b'.' if after_point.is_none() => after_point = Some(0),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let value = mantissa as f64 / POWERS[after_point.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A short decimal is read as `str::parse` reads it, to the bit.
        #[test]
        fn a_short_decimal_is_the_parsed_value(text in "[+-]?[0-9]{0,9}[.]?[0-9]{0,9}") {
            let parsed = text.parse::<f64>().ok();
            match short_decimal(text.as_bytes()) {
                Some(n) => proptest::prop_assert_eq!(Some(n.to_bits()), parsed.map(f64::to_bits)),
                // Only no digit, or more than 15.
                None => proptest::prop_assert!(
                    text.bytes().filter(u8::is_ascii_digit).count() > 15
                        || !text.bytes().any(|b| b.is_ascii_digit())
                ),
            }
        }
    }

    #[test]
    fn short_decimals_are_read_to_the_bit() {
        for text in [
            "0", "-0", "612", "-0.5", ".25", "72.", "+3.14159", "0.1", "841.89",
        ] {
            let n = short_decimal(text.as_bytes()).unwrap();
            assert_eq!(
                n.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
        for text in [
            "",
            "-",
            ".",
            "1.2.3",
            "1234567890123456",
            "1e5",
            "-123456789012345678901234567890.5",
        ] {
            assert_eq!(short_decimal(text.as_bytes()), None, "{text}");
        }
    }

    fn ops(content: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut walk = Operations::new(content);
        let mut out = Vec::new();
        while let Some((op, operands)) = walk.next_operation() {
            out.push((String::from_utf8_lossy(op).into_owned(), operands.to_vec()));
        }
        out
    }

    #[test]
    fn reads_text_operators_with_their_operands() {
        let got =
            ops(b"BT /F1 9.5 Tf 1 0 0 1 72 -.5 Tm (MP077 \\(urgent\\)) Tj [(A) -120 <0041>] TJ ET");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Tm", "Tj", "TJ", "ET"]);
        assert_eq!(got[1].1[0], Operand::Name(Cow::Borrowed(b"F1")));
        assert_eq!(got[1].1[1], Operand::Number(9.5));
        assert_eq!(got[2].1[5], Operand::Number(-0.5));
        assert_eq!(got[3].1[0], Operand::Str(Cow::Borrowed(b"MP077 (urgent)")));
        assert_eq!(
            got[4].1[0],
            Operand::Array(vec![
                Operand::Str(Cow::Borrowed(b"A")),
                Operand::Number(-120.0),
                Operand::Str(Cow::Borrowed(b"\0A")),
            ])
        );
    }

    #[test]
    fn steps_over_inline_images_dictionaries_and_comments() {
        let got = ops(b"/P <</MCID 3 /Nested <</A [1 2]>>>> BDC % a comment Tj\nBI /W 2 /H 1 ID \x00EI\xffBT EI Q (x) Tj");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BDC", "Q", "Tj"]);
        assert_eq!(got[0].1.len(), 2);
    }

    #[test]
    fn octal_escapes_and_line_continuations() {
        let got = ops(b"(\\101\\0617\\\nB) Tj");
        assert_eq!(got[0].1[0], Operand::Str(Cow::Owned(b"A17B".to_vec())));
    }

    #[test]
    fn damaged_streams_end_without_panicking() {
        for bad in [
            &b"(unclosed Tj"[..],
            b"<4142",
            b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ TJ",
            b"BI ID no end",
            b"/Name#4",
            b"- . +",
            b"<<<<<<<<",
        ] {
            let _ = ops(bad);
        }
        let deep = "[".repeat(100_000);
        let _ = ops(deep.as_bytes());
    }
}

//! Escaping, in one place: text read from reports is shown in HTML (the site) and on a
//! terminal (`secreg changes`), and neither may take it as markup or as control sequences.

use std::fmt;

/// Text made safe for HTML, as element content or as a quoted attribute value: `& < > " '`
/// become character references. Written with `{}`: `write!(out, "<td>{}</td>", Html(title))`.
pub struct Html<'a>(pub &'a str);

/// What `Html` writes for a byte: an index into [`ENTITIES`], 0 for the byte itself. (A table:
/// the escape runs on every byte of a 1,000-report site's 35 MB, and written as a match of
/// ranges it was 9% of `secreg site`'s samples there.)
const ESCAPE_OF_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    // NUL and the other C0 controls but tab and newlines are not allowed in HTML text: shown
    // as the replacement character.
    let mut b = 0;
    while b < 32 {
        if !matches!(b, 9 | 10 | 13) {
            table[b] = 6;
        }
        b += 1;
    }
    table[127] = 6;
    table[b'&' as usize] = 1;
    table[b'<' as usize] = 2;
    table[b'>' as usize] = 3;
    table[b'"' as usize] = 4;
    table[b'\'' as usize] = 5;
    table
};

const ENTITIES: [&str; 7] = ["", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "\u{fffd}"];

/// `s` escaped for HTML, handed to `write` piece by piece: runs of `s` and entities.
fn html_pieces<E>(s: &str, mut write: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let entity = ESCAPE_OF_BYTE[b as usize];
        if entity == 0 {
            continue;
        }
        write(&s[start..i])?;
        write(ENTITIES[entity as usize])?;
        start = i + 1;
    }
    write(&s[start..])
}

impl fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        html_pieces(self.0, |piece| f.write_str(piece))
    }
}

/// `s` escaped for HTML, appended to `out`: what `Html(s)` writes, without the formatter's
/// machinery (a site's sources are written so, a thousand reports' 50,000 of them).
pub fn push_html(out: &mut String, s: &str) {
    let _ = html_pieces(s, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// `n` in decimal, appended to `out`: what `{}` writes.
pub fn push_number(out: &mut String, n: i64) {
    push_padded(out, n, 0);
}

/// `n` in decimal, zero-padded to `width` characters (its sign one of them), appended to
/// `out`: what `{:0width$}` writes.
pub fn push_padded(out: &mut String, n: i64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    for _ in digits.len() - start + usize::from(n < 0)..width {
        out.push('0');
    }
    out.push_str(std::str::from_utf8(&digits[start..]).expect("ASCII digits"));
}

/// `s` escaped for HTML, as a string.
pub fn html(s: &str) -> String {
    Html(s).to_string()
}

/// True for characters a terminal acts on rather than shows: C0 and C1 controls, DEL, and
/// the Unicode controls that reorder or hide text (bidirectional overrides and isolates, line
/// and paragraph separators).
fn acts_on_a_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Text made safe for a terminal: every character a terminal would act on (an escape
/// sequence's ESC, a carriage return, a bidirectional override) is shown as its code
/// (`\x1b`, `\r`, `\u{202e}`) instead.
pub struct Terminal<'a>(pub &'a str);

impl fmt::Display for Terminal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if !s.chars().any(acts_on_a_terminal) {
            return f.write_str(s);
        }
        for c in s.chars() {
            match c {
                '\t' => f.write_str("\\t")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                c if acts_on_a_terminal(c) && (c as u32) < 0x100 => {
                    write!(f, "\\x{:02x}", c as u32)?
                }
                c if acts_on_a_terminal(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

/// `s` escaped for a terminal, as a string.
pub fn terminal(s: &str) -> String {
    Terminal(s).to_string()
}

/// A path or file name made safe as a URL path: every byte but unreserved characters and `/`
/// percent-encoded (a `#`, `?`, `:` or space in a file name stays part of it).
pub fn url_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A name made safe as a file name of the site: ASCII letters, digits, `-` and `_` kept,
/// anything else `_`.
pub fn file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A `file:page:line` source split into its parts (the file may hold colons).
pub fn split_source(source: &str) -> Option<(&str, u32, u32)> {
    let mut parts = source.rsplitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let page = parts.next()?.parse().ok()?;
    Some((parts.next()?, page, line))
}

/// Standard base64 with padding (the hashes of a Content-Security-Policy).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_html_and_numbers_are_what_the_formatter_writes() {
        for text in [
            "",
            "plain",
            "a < b & c > \"d\" 'e'",
            "\u{0}\u{1b}[31m\t\r\n\u{7f}",
            "Ĳ ☃ <",
            "&&",
        ] {
            let mut pushed = String::from("x");
            push_html(&mut pushed, text);
            assert_eq!(pushed, format!("x{}", Html(text)), "{text:?}");
        }
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            2020,
            -1,
            -7,
            -2020,
            i64::MAX,
            i64::MIN,
            u32::MAX as i64,
        ] {
            let mut pushed = String::new();
            push_number(&mut pushed, n);
            assert_eq!(pushed, n.to_string());
            for width in [0, 2, 4, 25] {
                let mut pushed = String::new();
                push_padded(&mut pushed, n, width);
                assert_eq!(pushed, format!("{n:0width$}"), "{n} {width}");
            }
        }
    }

    #[test]
    fn html_escapes_markup_in_text_and_attributes() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(html("Tom's & Jerry's"), "Tom&#39;s &amp; Jerry&#39;s");
        assert_eq!(html("a\u{0}b\u{1b}c"), "a\u{fffd}b\u{fffd}c");
        assert_eq!(html("plain é – text"), "plain é – text");
    }

    #[test]
    fn every_ascii_character_is_itself_but_markup_and_controls() {
        for b in 0u8..128 {
            let c = char::from(b);
            let want = match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                '\t' | '\n' | '\r' => c.to_string(),
                c if c.is_ascii_control() => "\u{fffd}".to_string(),
                c => c.to_string(),
            };
            assert_eq!(html(&format!("a{c}b")), format!("a{want}b"), "byte {b}");
        }
    }

    #[test]
    fn terminal_shows_control_characters_as_codes() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(
            terminal("\u{1b}[2J\u{1b}]0;title\u{7}"),
            "\\x1b[2J\\x1b]0;title\\x07"
        );
        assert_eq!(terminal("a\rb\tc\nd"), "a\\rb\\tc\\nd");
        assert_eq!(terminal("\u{9b}31m"), "\\x9b31m");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal("é – ü"), "é – ü");
    }

    #[test]
    fn base64_is_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn urls_and_file_names() {
        assert_eq!(url_path("a b/c#d?.pdf"), "a%20b/c%23d%3F.pdf");
        assert_eq!(file_name("MP078v2"), "MP078v2");
        assert_eq!(file_name("../x y"), "___x_y");
    }
}

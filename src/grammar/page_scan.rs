//! A page's lines read as [`scan_line`] reads them, from bit masks of the whole page's bytes:
//! one pass over the page, sixteen bytes at a time, marks line ends, doubled spaces, digits
//! and the bytes a line must be read in parts for (anything but printable ASCII, and the
//! backtick); each line's facts are then a few tests of the bits in its range. Most lines
//! are printable ASCII with single spaces, and are borrowed without another look at their
//! bytes (spaces at its ends are cut first: a text layer ends most lines with one); a line
//! with odd bytes looks only at those (its plain form is made from them); a line with two
//! spaces together (text whose words are set two spaces apart) has the spaces the masks mark
//! left out; and a line with whitespace other than the space goes to [`scan_line`].
//!
//! Asked line by line, finding each line's end and reading its bytes costs a call's setup
//! and a tail per line, which is most of a short line's cost.

use std::borrow::Cow;

use super::text::{plain_form, plain_quotes_and_dashes, scan_line, ScannedLine};

/// The masks of 64 bytes of a page, bit `i` for byte `i`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Masks {
    newline: u64,
    /// A space followed by a space.
    double_space: u64,
    digit: u64,
    /// Not printable ASCII (a control character other than the line end, a byte of a
    /// character beyond ASCII), or a backtick (which the plain form changes).
    odd: u64,
}

/// The masks of sixteen bytes, bit `i` for byte `i`: line ends, spaces, digits, odd bytes.
type ChunkMasks = [u16; 4];

/// [`ChunkMasks`] with SSE2, which every x86-64 processor has.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn chunk_masks(chunk: &[u8; 16]) -> ChunkMasks {
    // SAFETY: the build's target has SSE2 (the `cfg` above), which is all these need.
    unsafe { chunk_masks_sse2(chunk) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn chunk_masks_sse2(chunk: &[u8; 16]) -> ChunkMasks {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_set_epi64x,
    };
    let lo = u64::from_le_bytes(chunk[..8].try_into().expect("eight bytes"));
    let hi = u64::from_le_bytes(chunk[8..].try_into().expect("eight bytes"));
    let x = _mm_set_epi64x(hi as i64, lo as i64);
    // Compared as signed bytes: those beyond ASCII are negative, below the space.
    let at_least_0 = _mm_movemask_epi8(_mm_cmpgt_epi8(x, _mm_set1_epi8(b'/' as i8)));
    let at_most_9 = _mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(b':' as i8)));
    let below_space = _mm_cmplt_epi8(x, _mm_set1_epi8(b' ' as i8));
    let delete = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
    let backtick = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'`' as i8));
    let odd = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(below_space, delete), backtick));
    let newline = _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\n' as i8)));
    let space = _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8)));
    [
        newline as u16,
        space as u16,
        (at_least_0 & at_most_9) as u16,
        (odd & !newline) as u16,
    ]
}

/// [`ChunkMasks`] eight bytes at a time, for other processors (and the definition the SSE2
/// form is tested against).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn chunk_masks_portable(chunk: &[u8; 16]) -> ChunkMasks {
    let mut out = [0u16; 4];
    for (i, &b) in chunk.iter().enumerate() {
        let bits = [
            b == b'\n',
            b == b' ',
            b.is_ascii_digit(),
            (b < b' ' && b != b'\n') || b >= 0x7f || b == b'`',
        ];
        for (m, bit) in out.iter_mut().zip(bits) {
            *m |= u16::from(bit) << i;
        }
    }
    out
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn chunk_masks(chunk: &[u8; 16]) -> ChunkMasks {
    chunk_masks_portable(chunk)
}

/// The masks of a page, 64 bytes to an entry, into `out` (cleared first).
fn page_masks(text: &[u8], out: &mut Vec<Masks>) {
    out.clear();
    out.reserve(text.len() / 64 + 1);
    let mut spaces_before: u64 = 0;
    let mut block;
    for (k, piece) in text.chunks(64).enumerate() {
        let bytes: &[u8; 64] = match piece.try_into() {
            Ok(whole) => whole,
            Err(_) => {
                // The page's last bytes, the rest of the block letters (no bit set).
                block = [b'a'; 64];
                block[..piece.len()].copy_from_slice(piece);
                &block
            }
        };
        let mut m = Masks::default();
        let mut spaces = 0u64;
        for (j, chunk) in bytes.chunks_exact(16).enumerate() {
            let [newline, space, digit, odd] =
                chunk_masks(chunk.try_into().expect("sixteen bytes"));
            let at = 16 * j;
            m.newline |= u64::from(newline) << at;
            spaces |= u64::from(space) << at;
            m.digit |= u64::from(digit) << at;
            m.odd |= u64::from(odd) << at;
        }
        // A doubled space is marked on its first space; the last byte of the block before
        // waits for this block's first.
        m.double_space = spaces & (spaces >> 1);
        if k > 0 && spaces & 1 == 1 {
            out[k - 1].double_space |= spaces_before & (1 << 63);
        }
        spaces_before = spaces;
        out.push(m);
    }
}

/// The masks of the bytes `start..end`, each word's bits outside the range cleared and
/// the words ORed together: whether each kind of byte is in the range.
#[inline]
fn masks_in(masks: &[Masks], start: usize, end: usize) -> Masks {
    let mut out = Masks::default();
    for (_, m, keep) in words_in(masks, start, end) {
        out.double_space |= m.double_space & keep;
        out.digit |= m.digit & keep;
        out.odd |= m.odd & keep;
    }
    out
}

/// The words of the masks that hold `start..end`, each with its index and the bits of the
/// range in it (`keep`).
#[inline]
fn words_in(
    masks: &[Masks],
    start: usize,
    end: usize,
) -> impl Iterator<Item = (usize, &Masks, u64)> {
    let (first, last) = (start / 64, end.saturating_sub(1) / 64);
    // An empty range holds no word.
    let words = if start < end {
        &masks[first..=last]
    } else {
        &[]
    };
    (first..).zip(words).map(move |(k, m)| {
        let mut keep = u64::MAX;
        if k == first {
            keep &= u64::MAX << (start % 64);
        }
        if k == last {
            keep &= u64::MAX >> (63 - (end - 1) % 64);
        }
        (k, m, keep)
    })
}

/// The masks of a page, kept from page to page (one buffer for a whole report).
#[derive(Debug, Default)]
pub struct PageMasks {
    masks: Vec<Masks>,
}

/// The lines of a page as `str::lines` gives them, each as [`scan_line`] reads it.
pub fn scan_page_lines<'t: 'm, 'm>(
    text: &'t str,
    buffer: &'m mut PageMasks,
) -> impl Iterator<Item = ScannedLine<'t>> + 'm {
    let bytes = text.as_bytes();
    page_masks(bytes, &mut buffer.masks);
    let masks: &'m [Masks] = &buffer.masks;
    let mut ends = masks.iter().enumerate().flat_map(|(k, m)| {
        let mut bits = m.newline;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                64 * k + i
            })
        })
    });
    let mut start = 0;
    std::iter::from_fn(move || {
        let from = start;
        let end = match ends.next() {
            Some(newline) => {
                start = newline + 1;
                // A `\r` before the line end is not the line's.
                if newline > from && bytes[newline - 1] == b'\r' {
                    newline - 1
                } else {
                    newline
                }
            }
            // The last line, unless the text ended with a line end (or is empty).
            None if from < bytes.len() => {
                start = bytes.len();
                bytes.len()
            }
            None => return None,
        };
        Some(read_line(text, masks, from, end))
    })
}

/// One line, `start..end` of the page, read from the masks; in parts when it has odd bytes.
// (Inlined into the page's line iterator, and so into its caller's loop: called once a line,
// most lines take its shortest path, and a call's setup was a fifth of its cost.)
#[inline(always)]
fn read_line<'t>(text: &'t str, masks: &[Masks], start: usize, end: usize) -> ScannedLine<'t> {
    // Spaces at the line's ends are cut first: a text layer ends most lines with one, and
    // the line between them is borrowed like any other.
    let bytes = text.as_bytes();
    let (start, end) = match bytes.get(start..end) {
        Some([b' ', ..] | [.., b' ']) => trim_spaces(bytes, start, end),
        _ => (start, end),
    };
    let line = &text[start..end];
    // (A doubled space marked on the line's last byte would need a space after it: the
    // line's last byte is no space.)
    let found = masks_in(masks, start, end);
    if found.double_space != 0 {
        return read_uncollapsed_line(text, masks, start, end, found);
    }
    let mut plain = None;
    if found.odd != 0 {
        match OddChars::of(masks, text, start, end, true) {
            OddChars::Whitespace => return scan_line(line),
            OddChars::Plain(p) => plain = p,
        }
    }
    ScannedLine {
        text: Cow::Borrowed(line),
        plain,
        has_digit: found.digit != 0,
    }
}

/// `start..end` without the spaces at its ends.
fn trim_spaces(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && bytes[start] == b' ' {
        start += 1;
    }
    while end > start && bytes[end - 1] == b' ' {
        end -= 1;
    }
    (start, end)
}

/// [`read_line`] for a line with two spaces together (no space at its ends): text whose
/// words are set two spaces apart. When spaces are its only whitespace, they are collapsed
/// from the masks; otherwise the line is read as [`scan_line`] reads it.
// (Not inlined: it would make the reading of every line dearer, and most need no copy.)
#[inline(never)]
fn read_uncollapsed_line<'t>(
    text: &'t str,
    masks: &[Masks],
    start: usize,
    end: usize,
    found: Masks,
) -> ScannedLine<'t> {
    let mut need_plain = false;
    if found.odd != 0 {
        // (The plain form is made below, of the collapsed text: here only whether there is one.)
        match OddChars::of(masks, text, start, end, false) {
            OddChars::Whitespace => return scan_line(&text[start..end]),
            OddChars::Plain(p) => need_plain = p.is_some(),
        }
    }
    let collapsed = collapse_spaces(masks, text, start, end);
    ScannedLine {
        plain: need_plain.then(|| plain_quotes_and_dashes(&collapsed).into_owned()),
        text: Cow::Owned(collapsed),
        has_digit: found.digit != 0,
    }
}

/// What a line's odd characters (its control characters, backticks and characters beyond
/// ASCII) ask for, read in one pass over them: only those need a look.
enum OddChars {
    /// Whitespace other than the space, which only [`scan_line`] collapses.
    Whitespace,
    /// The line with its quotes, dashes and backticks made plain; `None` when it has none.
    Plain(Option<String>),
}

impl OddChars {
    /// With `make_plain` false, `Plain(Some(..))` holds an empty string: it says there is a
    /// plain form to make, without making it.
    fn of(masks: &[Masks], text: &str, start: usize, end: usize, make_plain: bool) -> OddChars {
        let line = &text[start..end];
        let mut whitespace = false;
        // Made at the first character to change (most odd characters change nothing).
        let mut plain: Option<String> = None;
        let mut from = 0;
        for_each_odd_char(masks, text, start, end, |at, c| {
            whitespace |= c.is_whitespace();
            let Some(p) = plain_form(c) else {
                return;
            };
            if !make_plain {
                plain.get_or_insert_with(String::new);
            } else {
                let out = plain.get_or_insert_with(|| String::with_capacity(line.len()));
                let at = at - start;
                out.push_str(&line[from..at]);
                out.push_str(p);
                from = at + c.len_utf8();
            }
        });
        if whitespace {
            return OddChars::Whitespace;
        }
        OddChars::Plain(plain.map(|mut out| {
            if make_plain {
                out.push_str(&line[from..]);
            }
            out
        }))
    }
}

/// Calls `f` with the offset of each bit of `start..end` set in the masks' `field`, in order.
#[inline]
fn for_each_bit(
    masks: &[Masks],
    start: usize,
    end: usize,
    field: impl Fn(&Masks) -> u64,
    mut f: impl FnMut(usize),
) {
    for (k, word, keep) in words_in(masks, start, end) {
        let mut bits = field(word) & keep;
        while bits != 0 {
            f(64 * k + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

/// Calls `f` with each character of `start..end` that starts at an odd byte (a control
/// character, a backtick, a character beyond ASCII: its first byte), and where it starts,
/// in order.
fn for_each_odd_char(
    masks: &[Masks],
    text: &str,
    start: usize,
    end: usize,
    mut f: impl FnMut(usize, char),
) {
    for_each_bit(
        masks,
        start,
        end,
        |m| m.odd,
        |at| {
            // A character's later bytes are odd too: only its first starts it.
            if text.is_char_boundary(at) {
                f(at, text[at..].chars().next().expect("a char here"));
            }
        },
    );
}

/// The line `start..end` of `text`, whose only whitespace is spaces and none at either end,
/// with them collapsed as [`scan_line`] does: one between words. The spaces followed by a
/// space are the ones the masks mark: those are left out.
fn collapse_spaces(masks: &[Masks], text: &str, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(end - start);
    let mut from = start;
    // (The spaces are ASCII: every cut is at a character boundary.)
    for_each_bit(
        masks,
        start,
        end,
        |m| m.double_space,
        |at| {
            out.push_str(&text[from..at]);
            from = at + 1;
        },
    );
    out.push_str(&text[from..end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    fn by_definition(text: &str) -> Vec<ScannedLine<'_>> {
        text.lines().map(scan_line).collect()
    }

    fn by_masks(text: &str) -> Vec<ScannedLine<'_>> {
        let mut masks = PageMasks::default();
        scan_page_lines(text, &mut masks)
            .map(|l| ScannedLine {
                text: Cow::Owned(l.text.into_owned()),
                ..l
            })
            .collect()
    }

    #[test]
    fn sse2_masks_are_the_bytes_masks() {
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[at] = b;
                chunk[(at + 5) % 16] = b'9';
                assert_eq!(
                    chunk_masks(&chunk),
                    chunk_masks_portable(&chunk),
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn a_page_reads_as_its_lines_read_one_by_one() {
        let report = include_str!("../../fixtures/reports/csr-2020-06-ocr.txt");
        let mut texts = vec![
            report.to_string(),
            report.replace('\n', "\r\n"),
            report.replace("  ", " \t"),
            // Two spaces between words, some at line ends (as a text layer read by the
            // layout rules before a gap after a space added none).
            report.replace(' ', "  ").replace('\n', " \n  "),
            report.replace(' ', "  ").replace('\n', " \r\n  "),
        ];
        for text in [
            // Line ends as `str::lines` splits them.
            "",
            "\n",
            "\n\n",
            "one",
            "one\n",
            "one\ntwo",
            "one\r\ntwo\r\n",
            "one\r",
            "one\r\r\n\rtwo",
            "a\n\nb\n",
            "é\n’\r\n",
            // What a line is read for.
            " lead",
            "trail ",
            "dou  ble",
            "  two  spaces ’quoted’  and `ticks`   ",
            "é  —  x",
            "   ",
            // Runs of spaces across the 64-byte blocks' edges.
            &" ".repeat(130),
            &format!("a{}b", " ".repeat(70)),
            &format!("{}a  b{}", " ".repeat(62), " ".repeat(66)),
            "tick`s",
            "tab\there",
            "nbsp\u{a0}here",
            "ctrl\x01x\x7f",
            "\r\n\r\n",
        ] {
            texts.push(text.to_string());
        }
        // Each kind of byte at each place around the 16- and 64-byte edges, and line ends
        // and doubled spaces across them.
        for len in [15, 16, 17, 31, 63, 64, 65, 127, 128, 129] {
            for at in [0, 1, len / 2, len - 2, len - 1] {
                for ins in [
                    " ", "  ", "\n", "\r\n", "7", "`", "’", "ﬁ", "\t", "\n ", " \n",
                ] {
                    let mut s = "x".repeat(len);
                    s.replace_range(at..at + 1, ins);
                    texts.push(s.clone());
                    texts.push(format!("{s}\n{s}"));
                }
            }
        }
        for text in &texts {
            assert_eq!(by_masks(text), by_definition(text), "{text:?}");
        }
    }

    #[test]
    fn lines_with_spaces_only_at_their_ends_are_borrowed_not_copied() {
        let mut masks = PageMasks::default();
        let text = "Energy Code (SEC) Modifications \n  0092 In progress\nTwo  apart ";
        let lines: Vec<_> = scan_page_lines(text, &mut masks).collect();
        let borrowed: Vec<_> = lines
            .iter()
            .map(|l| (&*l.text, matches!(l.text, Cow::Borrowed(_))))
            .collect();
        assert_eq!(
            borrowed,
            [
                ("Energy Code (SEC) Modifications", true),
                ("0092 In progress", true),
                ("Two apart", false),
            ]
        );
    }
}

//! CMaps: a font's ToUnicode map (character code -> text) and the byte-to-code rules of a
//! composite font's encoding (codespace ranges, code -> CID).
//!
//! Ranges stay ranges: the one-line identity map `<0000> <FFFF> <0000>` that OCR tools give
//! their glyph-less fonts is one entry here, not 65,536.

use foldhash::HashMap;

use super::content::{Operand, Operations};

/// Ranges up to this many codes are spelled out in the map (so that later definitions
/// override earlier ones exactly); wider ones are kept as ranges.
const EXPAND_UP_TO: u32 = 256;

/// Character code -> text, from `bfchar` and `bfrange` definitions.
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    single: HashMap<u32, String>,
    /// (first code, last code, UTF-16 of the first code's text): each next code adds one to
    /// the last unit.
    ranges: Vec<(u32, u32, Vec<u16>)>,
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | b as u32)
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect()
}

/// Text for UTF-16 units; `None` for a lone surrogate, which maps to nothing.
fn text_of(units: &[u16]) -> Option<String> {
    String::from_utf16(units).ok()
}

impl ToUnicode {
    pub fn parse(bytes: &[u8]) -> ToUnicode {
        let mut map = ToUnicode::default();
        let mut ops = Operations::new(bytes);
        // Definitions arrive as operands before `endbfchar` / `endbfrange`.
        while let Some((op, operands)) = ops.next_operation() {
            match op {
                b"endbfchar" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::Str(code), Operand::Str(text)] = pair {
                            if let Some(t) = text_of(&utf16_units(text)) {
                                map.single.insert(code_of(code), t);
                            }
                        }
                    }
                }
                b"endbfrange" => {
                    for triple in operands.chunks(3) {
                        let [Operand::Str(lo), Operand::Str(hi), dst] = triple else {
                            continue;
                        };
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        if hi < lo {
                            continue;
                        }
                        match dst {
                            Operand::Str(first) => {
                                let units = utf16_units(first);
                                if units.is_empty() {
                                    continue;
                                }
                                if hi - lo < EXPAND_UP_TO {
                                    for (i, code) in (lo..=hi).enumerate() {
                                        if let Some(t) = text_of(&step(&units, i as u32)) {
                                            map.single.insert(code, t);
                                        }
                                    }
                                } else {
                                    map.ranges.push((lo, hi, units));
                                }
                            }
                            Operand::Array(texts) => {
                                for (code, text) in (lo..=hi).zip(texts) {
                                    if let Operand::Str(text) = text {
                                        if let Some(t) = text_of(&utf16_units(text)) {
                                            map.single.insert(code, t);
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        map
    }

    /// The text of a code, if the map has one.
    pub fn get(&self, code: u32) -> Option<String> {
        if let Some(t) = self.single.get(&code) {
            return Some(t.clone());
        }
        self.ranges
            .iter()
            .rev()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))
            .and_then(|(lo, _, units)| text_of(&step(units, code - lo)))
    }
}

/// The units of the text `by` codes after the range's first.
fn step(units: &[u16], by: u32) -> Vec<u16> {
    let mut out = units.to_vec();
    if let Some(last) = out.last_mut() {
        *last = last.wrapping_add(by as u16);
    }
    out
}

/// How a composite font's bytes split into codes, and the CID of each code.
#[derive(Debug, Clone)]
pub struct CodeMap {
    /// (bytes, first, last) codes of each codespace range.
    codespace: Vec<(u8, u32, u32)>,
    /// (first code, last code, CID of the first code).
    cids: Vec<(u32, u32, u32)>,
}

impl CodeMap {
    /// `Identity-H` / `Identity-V`: two bytes a code, CID = code.
    pub fn identity() -> CodeMap {
        CodeMap {
            codespace: vec![(2, 0, 0xffff)],
            cids: vec![(0, 0xffff, 0)],
        }
    }

    /// An embedded encoding CMap; `None` when it defines no codespace or refers to another
    /// CMap (`usecmap`), which this reader does not resolve.
    pub fn parse(bytes: &[u8]) -> Option<CodeMap> {
        let mut map = CodeMap {
            codespace: Vec::new(),
            cids: Vec::new(),
        };
        let mut ops = Operations::new(bytes);
        while let Some((op, operands)) = ops.next_operation() {
            match op {
                b"usecmap" => return None,
                b"endcodespacerange" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::Str(lo), Operand::Str(hi)] = pair {
                            if !lo.is_empty() && lo.len() <= 4 {
                                map.codespace
                                    .push((lo.len() as u8, code_of(lo), code_of(hi)));
                            }
                        }
                    }
                }
                b"endcidrange" => {
                    for triple in operands.chunks(3) {
                        if let [Operand::Str(lo), Operand::Str(hi), Operand::Number(cid)] = triple {
                            map.cids.push((code_of(lo), code_of(hi), *cid as u32));
                        }
                    }
                }
                b"endcidchar" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::Str(code), Operand::Number(cid)] = pair {
                            let code = code_of(code);
                            map.cids.push((code, code, *cid as u32));
                        }
                    }
                }
                _ => {}
            }
        }
        (!map.codespace.is_empty()).then_some(map)
    }

    /// The next code of `bytes` from `at`: (code, its length in bytes, its CID), or `None`
    /// when the bytes fit no codespace range or the code has no CID (the rest of the string
    /// is then not shown, as pdf-extract does).
    pub fn next_code(&self, bytes: &[u8], at: usize) -> Option<(u32, usize, u32)> {
        let mut code = 0u32;
        for len in 1..=4usize {
            code = (code << 8) | *bytes.get(at + len - 1)? as u32;
            if self
                .codespace
                .iter()
                .any(|&(n, lo, hi)| n as usize == len && (lo..=hi).contains(&code))
            {
                let &(lo, _, cid) = self
                    .cids
                    .iter()
                    .rev()
                    .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))?;
                return Some((code, len, cid + (code - lo)));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_range_is_one_entry_and_reads_every_code() {
        let map = ToUnicode::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange",
        );
        assert_eq!(map.single.len(), 0);
        assert_eq!(map.ranges.len(), 1);
        assert_eq!(map.get(0x4d).as_deref(), Some("M"));
        assert_eq!(map.get(0x20ac).as_deref(), Some("\u{20ac}"));
        // A lone surrogate has no text.
        assert_eq!(map.get(0xd800), None);
    }

    #[test]
    fn chars_ranges_and_arrays() {
        let map = ToUnicode::parse(
            b"2 beginbfchar <01> <0041> <02> <00660066> endbfchar\n\
              2 beginbfrange <10> <12> <0030> <20> <21> [<0078> <0079>] endbfrange",
        );
        assert_eq!(map.get(1).as_deref(), Some("A"));
        assert_eq!(map.get(2).as_deref(), Some("ff"));
        assert_eq!(map.get(0x12).as_deref(), Some("2"));
        assert_eq!(map.get(0x21).as_deref(), Some("y"));
        assert_eq!(map.get(0x13), None);
    }

    #[test]
    fn mixed_width_codespaces_split_bytes() {
        let map = CodeMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange\n\
              2 begincidrange <00> <80> 1 <8140> <817f> 500 endcidrange",
        )
        .unwrap();
        let bytes = [0x41, 0x81, 0x41];
        assert_eq!(map.next_code(&bytes, 0), Some((0x41, 1, 0x42)));
        assert_eq!(map.next_code(&bytes, 1), Some((0x8141, 2, 501)));
        assert_eq!(map.next_code(&[0x81], 0), None);
        assert!(CodeMap::parse(b"/Other usecmap").is_none());
        let identity = CodeMap::identity();
        assert_eq!(identity.next_code(&[0, 0x4d], 0), Some((0x4d, 2, 0x4d)));
    }
}

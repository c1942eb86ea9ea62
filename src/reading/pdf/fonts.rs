//! Fonts, as far as text extraction needs them: how a shown string splits into character
//! codes, the text of each code, and each glyph's width (for where the next one starts).
//!
//! The rules follow pdf-extract's (ToUnicode first, then the encoding with its Differences;
//! `Widths`, else the standard fonts' metrics), so that both readers give the same text. Font
//! programs and images are never decoded. A font this reader cannot decode faithfully (Type 3,
//! a Type 1 or CFF program's built-in encoding, a predefined CJK CMap) is an
//! [`Unsupported`] error: the document is then read by pdf-extract instead.

use foldhash::HashMap;
use std::cell::RefCell;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{CodeMap, ToUnicode};
use super::standard_fonts as std_fonts;
use super::streams::{stream_bytes, StreamError};

/// Why a font (and so the document) is left to the fallback reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

impl From<StreamError> for Unsupported {
    fn from(e: StreamError) -> Self {
        Unsupported(e.to_string())
    }
}

/// One glyph of a shown string.
#[derive(Debug, Clone, Copy)]
pub struct Glyph<'f> {
    pub text: &'f str,
    /// In text space units (the font's width / 1000).
    pub width: f64,
    /// A single-byte code 32: word spacing applies.
    pub is_space: bool,
}

#[derive(Debug)]
enum Kind {
    /// One byte a code: text and width per code.
    Simple {
        texts: Box<[String]>,
        widths: Box<[f64; 256]>,
    },
    Composite(Box<Composite>),
}

/// A composite (Type 0) font: codes of one to four bytes, a CID for each.
#[derive(Debug)]
struct Composite {
    codes: CodeMap,
    to_unicode: Option<ToUnicode>,
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Texts of codes already seen, so a code's text is built once.
    texts: RefCell<HashMap<u32, Rc<str>>>,
}

#[derive(Debug)]
pub struct Font {
    kind: Kind,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

fn name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, dict, key).and_then(|o| o.as_name().ok())
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn glyph_unicode(name: &[u8], zapf: bool) -> Option<u16> {
    let table: &[(&str, u16)] = if zapf {
        &std_fonts::ZAPF_GLYPH_NAMES
    } else {
        &std_fonts::GLYPH_NAMES
    };
    table
        .binary_search_by(|(n, _)| n.as_bytes().cmp(name))
        .ok()
        .map(|i| table[i].1)
}

fn named_encoding(name: &[u8]) -> Result<[u16; 256], Unsupported> {
    match name {
        b"WinAnsiEncoding" => Ok(std_fonts::WIN_ANSI),
        b"MacRomanEncoding" => Ok(std_fonts::MAC_ROMAN),
        b"MacExpertEncoding" => Ok(std_fonts::MAC_EXPERT),
        b"StandardEncoding" => Ok(std_fonts::STANDARD),
        other => Err(Unsupported(format!(
            "a font uses the encoding /{}",
            String::from_utf8_lossy(other)
        ))),
    }
}

/// One UTF-16 unit as text; code 0 (undefined) gives "\0", as pdf-extract does.
fn unit_text(unit: u16) -> String {
    String::from_utf16(&[unit]).unwrap_or_default()
}

impl Font {
    pub fn load(doc: &Document, font: &Dictionary) -> Result<Font, Unsupported> {
        match name(doc, font, b"Subtype") {
            Some(b"Type0") => Font::composite(doc, font),
            Some(b"Type3") => Err(Unsupported("a Type 3 font".into())),
            _ => Font::simple(doc, font),
        }
    }

    fn to_unicode(doc: &Document, font: &Dictionary) -> Result<Option<ToUnicode>, Unsupported> {
        match get(doc, font, b"ToUnicode") {
            Some(Object::Stream(s)) => Ok(Some(ToUnicode::parse(&stream_bytes(s)?))),
            Some(Object::Name(n)) if n == b"Identity-H" => Ok(None),
            None => Ok(None),
            Some(_) => Err(Unsupported("a font's ToUnicode is not a stream".into())),
        }
    }

    fn simple(doc: &Document, font: &Dictionary) -> Result<Font, Unsupported> {
        let base_font = name(doc, font, b"BaseFont").unwrap_or_default();
        let subtype = name(doc, font, b"Subtype").unwrap_or_default();
        let descriptor = get(doc, font, b"FontDescriptor").and_then(|d| d.as_dict().ok());
        let to_unicode = Font::to_unicode(doc, font)?;
        let has_program = |key: &[u8]| descriptor.is_some_and(|d| get(doc, d, key).is_some());
        let encoding = get(doc, font, b"Encoding");
        // The encoding table; `None` leaves it to the standard font's built-in one.
        let mut table: Option<[u16; 256]> = match encoding {
            Some(Object::Name(n)) => Some(named_encoding(n)?),
            Some(Object::Dictionary(enc)) => {
                let mut t = match name(doc, enc, b"BaseEncoding") {
                    Some(base) => named_encoding(base)?,
                    None => std_fonts::PDF_DOC,
                };
                if let Some(Object::Array(diffs)) = get(doc, enc, b"Differences") {
                    let mut code: i64 = 0;
                    for d in diffs {
                        match deref(doc, d) {
                            Object::Integer(i) => code = *i,
                            Object::Name(n) => {
                                if let (Some(u), Ok(c)) =
                                    (glyph_unicode(n, false), usize::try_from(code))
                                {
                                    if c < 256 {
                                        t[c] = u;
                                    }
                                }
                                code += 1;
                            }
                            _ => return Err(Unsupported("a damaged Differences array".into())),
                        }
                    }
                }
                Some(t)
            }
            Some(_) => return Err(Unsupported("a font's Encoding is not a name".into())),
            None if to_unicode.is_none()
                && subtype == b"Type1"
                && (has_program(b"FontFile") || has_program(b"FontFile3")) =>
            {
                return Err(Unsupported(
                    "an embedded Type 1 font's own encoding".to_string(),
                ));
            }
            None if subtype == b"TrueType" => Some(std_fonts::WIN_ANSI),
            None => None,
        };
        if to_unicode.is_none() && has_program(b"FontFile3") && encoding.is_none() {
            return Err(Unsupported("an embedded CFF font's own encoding".into()));
        }

        let mut widths = Box::new([0.0f64; 256]);
        let first = get(doc, font, b"FirstChar").and_then(|o| o.as_i64().ok());
        let listed = get(doc, font, b"Widths").and_then(|o| o.as_array().ok());
        let missing = get(doc, font, b"MissingWidth")
            .and_then(number)
            .unwrap_or(0.0);
        match (first, listed) {
            (Some(first), Some(listed)) => {
                widths.fill(missing);
                for (i, w) in listed.iter().enumerate() {
                    let code = first + i as i64;
                    if (0..256).contains(&code) {
                        widths[code as usize] = number(deref(doc, w)).unwrap_or(missing);
                    }
                }
            }
            _ => {
                widths.fill(missing);
                if let Some((_, glyphs)) = std_fonts::CORE_FONTS
                    .iter()
                    .find(|(n, _)| n.as_bytes() == base_font)
                {
                    match &table {
                        Some(t) => {
                            // Each code's width is its unit's glyph's (the last listed for
                            // it): every glyph asked of every code, 77,000 comparisons a
                            // font, was 15.6M instructions of 40 small reports' 271M read.
                            let mut width_of_unit: HashMap<u16, f64> = HashMap::default();
                            for &(_, w, u) in glyphs.iter() {
                                width_of_unit.insert(u, w as f64);
                            }
                            for (code, unit) in t.iter().enumerate() {
                                if let Some(&w) = width_of_unit.get(unit) {
                                    widths[code] = w;
                                }
                            }
                        }
                        None => {
                            let mut builtin = [0u16; 256];
                            for &(code, w, u) in glyphs.iter() {
                                if let Ok(c) = usize::try_from(code) {
                                    builtin[c] = u;
                                    widths[c] = w as f64;
                                }
                            }
                            table = Some(builtin);
                        }
                    }
                }
            }
        }
        let table = table.unwrap_or(std_fonts::PDF_DOC);
        let texts: Box<[String]> = (0..256u32)
            .map(|code| {
                to_unicode
                    .as_ref()
                    .and_then(|m| m.get(code))
                    .unwrap_or_else(|| unit_text(table[code as usize]))
            })
            .collect();
        Ok(Font {
            kind: Kind::Simple { texts, widths },
        })
    }

    fn composite(doc: &Document, font: &Dictionary) -> Result<Font, Unsupported> {
        let descendant = get(doc, font, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| deref(doc, d).as_dict().ok())
            .ok_or_else(|| Unsupported("a composite font without its CID font".into()))?;
        let codes = match get(doc, font, b"Encoding") {
            Some(Object::Name(n)) if n == b"Identity-H" || n == b"Identity-V" => {
                CodeMap::identity()
            }
            Some(Object::Stream(s)) => CodeMap::parse(&stream_bytes(s)?)
                .ok_or_else(|| Unsupported("a CMap that uses another CMap".into()))?,
            Some(Object::Name(n)) => {
                return Err(Unsupported(format!(
                    "a font uses the predefined CMap /{}",
                    String::from_utf8_lossy(n)
                )))
            }
            _ => return Err(Unsupported("a composite font without an encoding".into())),
        };
        let to_unicode = Font::to_unicode(doc, font)?;
        let default_width = get(doc, descendant, b"DW")
            .and_then(number)
            .unwrap_or(1000.0);
        let mut widths = HashMap::default();
        if let Some(Object::Array(w)) = get(doc, descendant, b"W") {
            let mut i = 0;
            while i + 1 < w.len() {
                let Some(first) = number(deref(doc, &w[i])) else {
                    break;
                };
                match deref(doc, &w[i + 1]) {
                    Object::Array(list) => {
                        for (j, width) in list.iter().enumerate() {
                            if let Some(width) = number(deref(doc, width)) {
                                widths.insert(first as u32 + j as u32, width);
                            }
                        }
                        i += 2;
                    }
                    last => {
                        let (Some(last), Some(width)) = (
                            number(last),
                            w.get(i + 2).and_then(|o| number(deref(doc, o))),
                        ) else {
                            break;
                        };
                        // A range: at most 65,536 CIDs, whatever the file claims.
                        for cid in (first as u32)..=(last as u32).min(first as u32 + 0xffff) {
                            widths.insert(cid, width);
                        }
                        i += 3;
                    }
                }
            }
        }
        Ok(Font {
            kind: Kind::Composite(Box::new(Composite {
                codes,
                to_unicode,
                widths,
                default_width,
                texts: Default::default(),
            })),
        })
    }

    /// Calls `each` for every glyph of a shown string, in order.
    pub fn glyphs(&self, bytes: &[u8], mut each: impl FnMut(Glyph<'_>)) {
        match &self.kind {
            Kind::Simple { texts, widths } => {
                for &b in bytes {
                    each(Glyph {
                        text: &texts[b as usize],
                        width: widths[b as usize] / 1000.0,
                        is_space: b == 32,
                    });
                }
            }
            Kind::Composite(font) => {
                let Composite {
                    codes,
                    to_unicode,
                    widths,
                    default_width,
                    texts,
                } = font.as_ref();
                let mut at = 0;
                while let Some((code, len, cid)) = codes.next_code(bytes, at) {
                    at += len;
                    let text: Rc<str> = texts
                        .borrow_mut()
                        .entry(code)
                        .or_insert_with(|| {
                            to_unicode
                                .as_ref()
                                .and_then(|m| m.get(code))
                                .unwrap_or_default()
                                .into()
                        })
                        .clone();
                    each(Glyph {
                        text: &text,
                        width: widths.get(&cid).copied().unwrap_or(*default_width) / 1000.0,
                        is_space: code == 32 && len == 1,
                    });
                }
            }
        }
    }
}

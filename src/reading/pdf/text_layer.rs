//! secreg's own page-text reader: the text operators of each page's content streams (and of
//! the forms they draw), interpreted on lopdf's object model.
//!
//! It reads only content streams, font dictionaries and ToUnicode maps: never images or font
//! programs. Fonts are decoded once per document (keyed by object), not once per page as in
//! pdf-extract, which made that reader spend most of its time rebuilding the same maps. Text
//! is laid out by the rules pdf-extract uses, but for one ([`super::layout`]), so the two
//! readers give the same page text on the same file; a file with a font this reader does not
//! handle goes to pdf-extract whole (see [`super::fonts::Unsupported`]).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{Operand, Operations};
use super::fonts::{Font, Unsupported};
use super::layout::{scaled_size, LaidOutPage, PageLayout};
use super::paths::Paths;
use super::streams::{stream_bytes, StreamError};

/// Whether a colour-setting operator's operands (gray, RGB or CMYK; a pattern's name) paint
/// something that shows on white paper: anything but white (each component 0.95 or more, or
/// CMYK's each 0.05 or less).
fn shows(operands: &[Operand]) -> bool {
    let n: Vec<f64> = operands.iter().filter_map(Operand::number).collect();
    match n.len() {
        1 | 3 if n.len() == operands.len() => n.iter().any(|&v| v < 0.95),
        4 if n.len() == operands.len() => n.iter().any(|&v| v > 0.05),
        _ => true,
    }
}

/// How deep forms may draw forms.
const MAX_FORM_DEPTH: usize = 12;

/// How many forms one page may draw in all: a hostile file whose forms each draw the next
/// ten times would otherwise ask for 10^12 runs within the depth limit.
const MAX_FORMS_PER_PAGE: usize = 10_000;

/// An affine matrix `[a b c d e f]`, for row vectors (PDF's convention).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1., 0., 0., 1., 0., 0.]);

    fn translation(x: f64, y: f64) -> Matrix {
        Matrix([1., 0., 0., 1., x, y])
    }

    /// `self` then `then` (the product self × then), in euclid's order of operations so that
    /// positions round as in pdf-extract.
    fn then(&self, then: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn from_operands(operands: &[Operand]) -> Option<Matrix> {
        if operands.len() != 6 {
            return None;
        }
        let mut m = [0.; 6];
        for (slot, o) in m.iter_mut().zip(operands) {
            *slot = o.number()?;
        }
        Some(Matrix(m))
    }

    fn from_object(doc: &Document, o: Option<&Object>) -> Option<Matrix> {
        let items = o?.as_array().ok()?;
        if items.len() != 6 {
            return None;
        }
        let mut m = [0.; 6];
        for (slot, o) in m.iter_mut().zip(items) {
            *slot = match deref(doc, o) {
                Object::Integer(i) => *i as f64,
                Object::Real(r) => *r as f64,
                _ => return None,
            };
        }
        Some(Matrix(m))
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// The graphics state that text depends on: saved by `q`, restored by `Q`.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    horizontal_scaling: f64,
    leading: f64,
    rise: f64,
    /// Whether strokes and fills are painted in a colour that shows on white paper (a path
    /// painted white draws no rule).
    stroke_shows: bool,
    fill_shows: bool,
}

impl State {
    fn new(ctm: Matrix) -> State {
        State {
            ctm,
            font: None,
            font_size: f64::NAN,
            char_spacing: 0.,
            word_spacing: 0.,
            horizontal_scaling: 1.,
            leading: 0.,
            rise: 0.,
            stroke_shows: true,
            fill_shows: true,
        }
    }
}

/// Reads every page of a document; fonts are shared across its pages.
pub struct TextLayerReader<'d> {
    doc: &'d Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// The forms being drawn (a form that draws itself is skipped) and how many this page
    /// has drawn.
    active_forms: Vec<ObjectId>,
    forms_drawn: usize,
    layout: PageLayout,
    /// The page's paths, for its rules.
    paths: Paths,
}

/// A page whose text could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageProblem {
    pub page: u32,
    pub message: String,
}

impl<'d> TextLayerReader<'d> {
    pub fn new(doc: &'d Document) -> Self {
        TextLayerReader {
            doc,
            fonts: HashMap::new(),
            layout: PageLayout::default(),
            active_forms: Vec::new(),
            forms_drawn: 0,
            paths: Paths::default(),
        }
    }

    /// The text of every page in order. A font this reader cannot decode stops it (the
    /// caller reads the document with pdf-extract); a page whose content cannot be decoded
    /// is empty and reported.
    pub fn read_pages(
        &mut self,
        pages: &[(u32, ObjectId)],
    ) -> Result<(Vec<LaidOutPage>, Vec<PageProblem>), Stop> {
        let mut texts = Vec::with_capacity(pages.len());
        let mut problems = Vec::new();
        for &(number, id) in pages {
            match self.read_page(id) {
                Ok(text) => texts.push(text),
                Err(PageError::Stop(Stop::TooLarge(why))) => {
                    return Err(Stop::TooLarge(format!("page {number}: {why}")))
                }
                Err(PageError::Stop(stop)) => return Err(stop),
                Err(PageError::Damaged(message)) => {
                    problems.push(PageProblem {
                        page: number,
                        message,
                    });
                    texts.push(LaidOutPage::default());
                }
            }
        }
        Ok((texts, problems))
    }

    fn inherited(&self, page: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
        let doc = self.doc;
        let mut dict = page;
        // A page tree is shallow; a loop in /Parent must not hang the reader.
        for _ in 0..64 {
            if let Ok(o) = dict.get(key) {
                return Some(deref(doc, o));
            }
            dict = deref(doc, dict.get(b"Parent").ok()?).as_dict().ok()?;
        }
        None
    }

    fn read_page(&mut self, id: ObjectId) -> Result<LaidOutPage, PageError> {
        let doc = self.doc;
        let page = doc
            .get_object(id)
            .and_then(Object::as_dict)
            .map_err(|e| PageError::Damaged(format!("the page object is unreadable: {e}")))?;
        let media_box = self
            .inherited(page, b"MediaBox")
            .and_then(|o| o.as_array().ok())
            .filter(|a| a.len() == 4)
            .and_then(|a| {
                let n: Vec<f64> = a
                    .iter()
                    .filter_map(|o| match deref(doc, o) {
                        Object::Integer(i) => Some(*i as f64),
                        Object::Real(r) => Some(*r as f64),
                        _ => None,
                    })
                    .collect();
                (n.len() == 4).then(|| ((n[2] - n[0]).abs(), n[3] - n[1]))
            })
            // Letter, when the page does not say (viewers assume a default too).
            .unwrap_or((612., 792.));
        let resources = self
            .inherited(page, b"Resources")
            .and_then(|o| o.as_dict().ok());
        let mut content = Vec::new();
        match page.get(b"Contents").map(|o| deref(doc, o)) {
            Ok(Object::Stream(s)) => content.extend_from_slice(&stream_bytes(s)?),
            Ok(Object::Array(parts)) => {
                for part in parts {
                    if let Object::Stream(s) = deref(doc, part) {
                        content.extend_from_slice(&stream_bytes(s)?);
                        content.push(b'\n');
                    }
                }
            }
            _ => {}
        }
        self.layout.begin_page(media_box.0, media_box.1);
        self.active_forms.clear();
        self.forms_drawn = 0;
        self.paths = Paths::default();
        self.run(&content, resources, Matrix::IDENTITY, 0)?;
        let mut page = self.layout.end_page();
        (page.words.rules, page.words.column_rules) = self.paths.take_rules(media_box.1);
        Ok(page)
    }

    fn font(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
    ) -> Result<Option<Rc<Font>>, Unsupported> {
        let doc = self.doc;
        let Some(entry) = resources
            .and_then(|r| r.get(b"Font").ok())
            .and_then(|f| deref(doc, f).as_dict().ok())
            .and_then(|fonts| fonts.get(name).ok())
        else {
            return Ok(None);
        };
        if let Object::Reference(id) = entry {
            if let Some(font) = self.fonts.get(id) {
                return Ok(Some(font.clone()));
            }
            let Ok(dict) = doc.get_object(*id).and_then(Object::as_dict) else {
                return Ok(None);
            };
            let font = Rc::new(Font::load(doc, dict)?);
            self.fonts.insert(*id, font.clone());
            return Ok(Some(font));
        }
        match entry.as_dict() {
            Ok(dict) => Ok(Some(Rc::new(Font::load(doc, dict)?))),
            Err(_) => Ok(None),
        }
    }

    /// Interprets one content stream (a page's, or a form's) with its resources.
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        ctm: Matrix,
        depth: usize,
    ) -> Result<(), PageError> {
        let doc = self.doc;
        let mut gs = State::new(ctm);
        let mut saved: Vec<State> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut ops = Operations::new(content);
        while let Some((op, operands)) = ops.next_operation() {
            let num = |i: usize| operands.get(i).and_then(Operand::number);
            match op {
                b"q" => saved.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = saved.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_operands(operands) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                b"m" | b"l" | b"c" | b"v" | b"y" | b"re" | b"h" => {
                    self.build_path(op, operands, &gs.ctm);
                }
                b"S" | b"s" => self.paths.paint(gs.stroke_shows, false),
                b"f" | b"F" | b"f*" => self.paths.paint(false, gs.fill_shows),
                b"B" | b"B*" | b"b" | b"b*" => self.paths.paint(gs.stroke_shows, gs.fill_shows),
                b"n" => self.paths.end(),
                b"G" | b"RG" | b"K" | b"SC" | b"SCN" => gs.stroke_shows = shows(operands),
                b"g" | b"rg" | b"k" | b"sc" | b"scn" => gs.fill_shows = shows(operands),
                b"CS" => gs.stroke_shows = true,
                b"cs" => gs.fill_shows = true,
                b"BT" | b"ET" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                b"Tc" => gs.char_spacing = num(0).unwrap_or(gs.char_spacing),
                b"Tw" => gs.word_spacing = num(0).unwrap_or(gs.word_spacing),
                b"Tz" => gs.horizontal_scaling = num(0).map_or(gs.horizontal_scaling, |s| s / 100.),
                b"TL" => gs.leading = num(0).unwrap_or(gs.leading),
                b"Ts" => gs.rise = num(0).unwrap_or(gs.rise),
                b"Tf" => {
                    if let (Some(Operand::Name(name)), Some(size)) = (operands.first(), num(1)) {
                        gs.font = self.font(resources, name)?;
                        gs.font_size = size;
                    }
                }
                b"Tm" => {
                    if let Some(m) = Matrix::from_operands(operands) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"Td" | b"TD" => {
                    if let (Some(tx), Some(ty)) = (num(0), num(1)) {
                        if op == b"TD" {
                            gs.leading = -ty;
                        }
                        tlm = Matrix::translation(tx, ty).then(&tlm);
                        tm = tlm;
                    }
                }
                b"T*" => {
                    tlm = Matrix::translation(0., -gs.leading).then(&tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(Operand::Str(s)) = operands.first() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                // Next line, then show (`"` sets the spacings first).
                b"'" | b"\"" => {
                    if op == b"\"" {
                        gs.word_spacing = num(0).unwrap_or(gs.word_spacing);
                        gs.char_spacing = num(1).unwrap_or(gs.char_spacing);
                    }
                    tlm = Matrix::translation(0., -gs.leading).then(&tlm);
                    tm = tlm;
                    if let Some(Operand::Str(s)) = operands.last() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = operands.first() {
                        for item in items {
                            match item {
                                Operand::Str(s) => self.show(&gs, &mut tm, s),
                                Operand::Number(adjust) => {
                                    let tx = gs.horizontal_scaling
                                        * ((0. - adjust / 1000.) * gs.font_size);
                                    tm = Matrix::translation(tx, 0.).then(&tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" if depth < MAX_FORM_DEPTH => {
                    let Some(Operand::Name(name)) = operands.first() else {
                        continue;
                    };
                    let entry = resources
                        .and_then(|r| r.get(b"XObject").ok())
                        .and_then(|x| deref(doc, x).as_dict().ok())
                        .and_then(|x| x.get(name).ok());
                    let form_id = entry.and_then(|o| o.as_reference().ok());
                    if form_id.is_some_and(|id| self.active_forms.contains(&id))
                        || self.forms_drawn >= MAX_FORMS_PER_PAGE
                    {
                        continue;
                    }
                    let form = entry.map(|o| deref(doc, o));
                    let Some(Object::Stream(form)) = form else {
                        continue;
                    };
                    // Images are never decoded: only forms hold text.
                    let is_form = form
                        .dict
                        .get(b"Subtype")
                        .and_then(Object::as_name)
                        .is_ok_and(|n| n == b"Form");
                    if !is_form {
                        continue;
                    }
                    let matrix = Matrix::from_object(doc, form.dict.get(b"Matrix").ok())
                        .unwrap_or(Matrix::IDENTITY);
                    let form_resources = form
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|r| deref(doc, r).as_dict().ok())
                        .or(resources);
                    let bytes = stream_bytes(form)?;
                    self.forms_drawn += 1;
                    self.active_forms.extend(form_id);
                    let drawn = self.run(&bytes, form_resources, matrix.then(&gs.ctm), depth + 1);
                    if form_id.is_some() {
                        self.active_forms.pop();
                    }
                    drawn?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A path-building operator (`m`, `l`, the curves, `re`, `h`), its points in device
    /// space.
    fn build_path(&mut self, op: &[u8], operands: &[Operand], ctm: &Matrix) {
        let num = |i: usize| operands.get(i).and_then(Operand::number);
        let at = |x: f64, y: f64| {
            let [a, b, c, d, e, f] = ctm.0;
            (a * x + c * y + e, b * x + d * y + f)
        };
        // A curve ends at its last pair of operands.
        let last = |n: usize| Some(at(num(n - 2)?, num(n - 1)?));
        match op {
            b"m" => {
                if let Some(p) = last(2) {
                    self.paths.move_to(p);
                }
            }
            b"l" => {
                if let Some(p) = last(2) {
                    self.paths.line_to(p);
                }
            }
            b"c" | b"v" | b"y" => {
                if let Some(p) = last(operands.len().max(2)) {
                    self.paths.curve_to(p);
                }
            }
            b"re" => {
                if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                    self.paths
                        .rect([at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)]);
                }
            }
            _ => self.paths.close(),
        }
    }

    /// Shows a string: each glyph placed at the text rendering matrix, then the text matrix
    /// moved past it (PDF 32000-1, 9.4.4).
    fn show(&mut self, gs: &State, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        self.layout.begin_word();
        let tsm = Matrix([gs.horizontal_scaling, 0., 0., 1., 0., gs.rise]);
        let layout = &mut self.layout;
        font.glyphs(bytes, |glyph| {
            // (The text matrix on the page, once a glyph: it was worked out twice.)
            let on_page = tm.then(&gs.ctm);
            let trm = tsm.then(&on_page);
            let [m11, m12, m21, m22, x, y] = trm.0;
            let scaled = scaled_size(gs.font_size, m11, m12, m21, m22);
            // The glyph's own box on the page (for the words): its advance along the
            // baseline, the font size across it.
            let [a, _, c, d, _, _] = on_page.0;
            let right = x + glyph.width * gs.font_size * gs.horizontal_scaling * a;
            let height = gs.font_size * c.hypot(d);
            layout.placed_glyph(x, y, glyph.width, scaled, glyph.text, right, height);
            let spacing = gs.char_spacing + if glyph.is_space { gs.word_spacing } else { 0. };
            let tx = gs.horizontal_scaling * (glyph.width * gs.font_size + spacing);
            *tm = Matrix::translation(tx, 0.).then(tm);
        });
    }
}

/// Why this reader stops reading a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A font it cannot decode: the document goes to pdf-extract.
    Unsupported(Unsupported),
    /// A stream past the size limit: the document is refused.
    TooLarge(String),
}

enum PageError {
    Stop(Stop),
    Damaged(String),
}

impl From<Unsupported> for PageError {
    fn from(u: Unsupported) -> Self {
        PageError::Stop(Stop::Unsupported(u))
    }
}

impl From<StreamError> for PageError {
    fn from(e: StreamError) -> Self {
        match e {
            StreamError::TooLarge => PageError::Stop(Stop::TooLarge(e.to_string())),
            StreamError::Undecodable(_) => PageError::Damaged(e.to_string()),
        }
    }
}

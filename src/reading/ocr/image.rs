//! A scanned page's image, taken out of the PDF for the OCR engine: the one image the page
//! draws, as a file tesseract reads (a JPEG as it is stored, or a PGM/PPM of inflated
//! pixels), with where it stands on the page and its resolution.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::tsv::Placement;
use crate::reading::pdf::streams::{inflate, stream_bytes};

/// The most pixels a page image may declare: 100 megapixels is a 1,000 dpi letter page, far
/// beyond a scan; more is an image bomb.
pub const MAX_PIXELS: u64 = 100_000_000;

/// A page's size as it is shown: its media box, turned by its `/Rotate`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// The media box: x0, y0, x1, y1.
    pub media: [f64; 4],
    /// 0, 90, 180 or 270.
    pub rotate: i64,
}

impl PageGeometry {
    /// The shown page's width and height (PDF units).
    pub fn shown_size(&self) -> (f64, f64) {
        let (w, h) = (self.media[2] - self.media[0], self.media[3] - self.media[1]);
        if self.rotate % 180 == 0 {
            (w.abs(), h.abs())
        } else {
            (h.abs(), w.abs())
        }
    }
}

/// What a page gives the OCR engine.
#[derive(Debug)]
pub enum PageImage {
    /// The page draws no image: nothing to read.
    None,
    /// The page's one image, as a file's bytes.
    File {
        bytes: Vec<u8>,
        /// "jpg", "pgm" or "ppm".
        extension: &'static str,
        placement: Placement,
        dpi: u32,
    },
    /// The page must be rendered to be read (why).
    Render(String),
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn number(doc: &Document, o: &Object) -> Option<f64> {
    match deref(doc, o) {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// A page attribute, from the page or the page-tree nodes above it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..64 {
        if let Ok(o) = dict.get(key) {
            return Some(deref(doc, o));
        }
        dict = deref(doc, dict.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// A page's media box and rotation (Letter and upright when it does not say).
pub fn geometry(doc: &Document, page: ObjectId) -> PageGeometry {
    let Ok(dict) = doc.get_object(page).and_then(Object::as_dict) else {
        return PageGeometry {
            media: [0., 0., 612., 792.],
            rotate: 0,
        };
    };
    let media = inherited(doc, dict, b"MediaBox")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| {
            let n: Vec<f64> = a.iter().filter_map(|o| number(doc, o)).collect();
            (n.len() == 4 && n[2] != n[0] && n[3] != n[1]).then(|| [n[0], n[1], n[2], n[3]])
        })
        .unwrap_or([0., 0., 612., 792.]);
    let rotate = inherited(doc, dict, b"Rotate")
        .and_then(|o| number(doc, o))
        .map_or(0, |r| (r as i64).rem_euclid(360) / 90 * 90);
    PageGeometry { media, rotate }
}

/// 3x2 matrices as PDF writes them: [a b c d e f].
type Matrix = [f64; 6];

/// `m` then `n`: PDF's `cm` makes the new CTM `m x CTM`.
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// The image XObjects a page draws, with the CTM each is drawn under, and whether it draws
/// anything else that may hold an image (forms, inline images).
fn drawn_images<'a>(
    doc: &'a Document,
    page: ObjectId,
) -> Result<(Vec<(&'a Stream, Matrix)>, bool), String> {
    let dict = doc
        .get_object(page)
        .and_then(Object::as_dict)
        .map_err(|e| format!("the page object is unreadable: {e}"))?;
    let xobjects = inherited(doc, dict, b"Resources")
        .and_then(|r| r.as_dict().ok())
        .and_then(|r| r.get(b"XObject").ok())
        .map(|x| deref(doc, x))
        .and_then(|x| x.as_dict().ok());
    let mut content = Vec::new();
    for id in doc.get_page_contents(page) {
        if let Ok(Object::Stream(s)) = doc.get_object(id) {
            content.extend_from_slice(&stream_bytes(s).map_err(|e| e.to_string())?);
            content.push(b'\n');
        }
    }
    let ops = Content::decode(&content)
        .map_err(|e| format!("the page's content cannot be parsed: {e}"))?
        .operations;
    let mut ctm: Matrix = [1., 0., 0., 1., 0., 0.];
    let mut stack: Vec<Matrix> = Vec::new();
    let mut images = Vec::new();
    let mut other = false;
    for op in &ops {
        match op.operator.as_str() {
            "q" if stack.len() < 256 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" if op.operands.len() == 6 => {
                let m: Vec<f64> = op.operands.iter().filter_map(|o| number(doc, o)).collect();
                if m.len() == 6 {
                    ctm = multiply(&[m[0], m[1], m[2], m[3], m[4], m[5]], &ctm);
                }
            }
            "BI" | "ID" | "EI" => other = true,
            "Do" => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Some(Object::Stream(s)) = xobjects
                    .and_then(|x| x.get(name).ok())
                    .map(|o| deref(doc, o))
                else {
                    continue;
                };
                match s.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => images.push((s, ctm)),
                    _ => other = true,
                }
            }
            _ => {}
        }
    }
    Ok((images, other))
}

/// The page's image for OCR.
pub fn page_image(
    doc: &Document,
    page: ObjectId,
    geometry: &PageGeometry,
) -> Result<PageImage, String> {
    let (images, other) = drawn_images(doc, page)?;
    let (image, ctm) = match images.as_slice() {
        [] if !other => return Ok(PageImage::None),
        [] => {
            return Ok(PageImage::Render(
                "the page draws a form or an inline image".into(),
            ))
        }
        [one] if !other => *one,
        _ => {
            return Ok(PageImage::Render(format!(
                "the page draws {} images",
                images.len() + other as usize
            )))
        }
    };
    image_file(doc, image, ctm, geometry)
}

/// The largest image a page draws, whatever else it draws: the scan under an OCR'd page
/// (ocrmypdf draws its text layer as a form beside it).
pub fn largest_image(
    doc: &Document,
    page: ObjectId,
    geometry: &PageGeometry,
) -> Result<PageImage, String> {
    let (images, _) = drawn_images(doc, page)?;
    let area = |(_, m): &&(&Stream, Matrix)| (m[0] * m[3] - m[1] * m[2]).abs();
    match images.iter().max_by(|a, b| area(a).total_cmp(&area(b))) {
        Some(&(image, ctm)) => image_file(doc, image, ctm, geometry),
        None => Ok(PageImage::None),
    }
}

/// One drawn image (at `ctm`) as a file for the OCR engine, or why it must be rendered.
fn image_file(
    doc: &Document,
    image: &Stream,
    ctm: Matrix,
    geometry: &PageGeometry,
) -> Result<PageImage, String> {
    if geometry.rotate != 0 {
        return Ok(PageImage::Render(format!(
            "the page is turned by {} degrees",
            geometry.rotate
        )));
    }
    let int = |key: &[u8]| {
        image
            .dict
            .get(key)
            .ok()
            .and_then(|o| number(doc, o))
            .map(|n| n as i64)
    };
    let (Some(w), Some(h)) = (int(b"Width"), int(b"Height")) else {
        return Err("the page image does not say its size".into());
    };
    if w <= 0 || h <= 0 {
        return Err(format!("the page image is {w} x {h} pixels"));
    }
    if (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(format!(
            "the page image says it is {w} x {h} pixels: too large to read (an image bomb?)"
        ));
    }
    let (w, h) = (w as u32, h as u32);
    // Where the image's unit square lands, as a map from pixels to the page's top-left
    // coordinates (y down).
    let [a, b, c, d, e, f] = ctm;
    let [x0, _, _, y1] = geometry.media;
    let placement = Placement {
        a: a / w as f64,
        c: -c / h as f64,
        e: c + e - x0,
        b: -b / w as f64,
        d: d / h as f64,
        f: y1 - f - d,
    };
    let inches = (a * a + b * b).sqrt() / 72.;
    let dpi = if inches > 0. {
        (w as f64 / inches).round().clamp(30., 2400.) as u32
    } else {
        300
    };
    let filters: Vec<Vec<u8>> = image
        .filters()
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.to_vec())
        .collect();
    let bpc = int(b"BitsPerComponent").unwrap_or(8);
    if image
        .dict
        .get(b"ImageMask")
        .and_then(Object::as_bool)
        .unwrap_or(false)
    {
        return Ok(PageImage::Render("the page image is a stencil mask".into()));
    }
    match filters
        .iter()
        .map(Vec::as_slice)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [b"DCTDecode"] => {
            return Ok(PageImage::File {
                bytes: image.content.clone(),
                extension: "jpg",
                placement,
                dpi,
            })
        }
        [] | [b"FlateDecode"] => {}
        other => {
            let names: Vec<String> = other
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            return Ok(PageImage::Render(format!(
                "the page image is {}",
                names.join(" + ")
            )));
        }
    }
    let components = match color_components(doc, image) {
        Some(n) => n,
        None => {
            return Ok(PageImage::Render(
                "the page image's colour space is not gray or RGB".into(),
            ))
        }
    };
    if !matches!(bpc, 1 | 8) {
        return Ok(PageImage::Render(format!(
            "the page image has {bpc} bits a component"
        )));
    }
    let raw = if filters.is_empty() {
        image.content.clone()
    } else {
        inflate(&image.content).map_err(|e| e.to_string())?
    };
    let params = image
        .dict
        .get(b"DecodeParms")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| match o {
            Object::Array(a) => a.first().map(|o| deref(doc, o)),
            o => Some(o),
        })
        .and_then(|o| o.as_dict().ok());
    let predictor = params
        .and_then(|p| p.get(b"Predictor").ok())
        .and_then(|o| number(doc, o))
        .unwrap_or(1.) as i64;
    let row_bytes = (w as usize * components * bpc as usize).div_ceil(8);
    let pixels = if predictor >= 10 {
        let bytes_per_pixel = (components * bpc as usize).div_ceil(8);
        undo_png_predictor(&raw, row_bytes, bytes_per_pixel)?
    } else if predictor == 2 {
        return Ok(PageImage::Render(
            "the page image uses the TIFF predictor".into(),
        ));
    } else {
        raw
    };
    if pixels.len() < row_bytes * h as usize {
        return Err(format!(
            "the page image holds {} bytes, not the {} its size says",
            pixels.len(),
            row_bytes * h as usize
        ));
    }
    let decode_inverted = image
        .dict
        .get(b"Decode")
        .ok()
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first().and_then(|o| number(doc, o)))
        .is_some_and(|first| first > 0.5);
    let bytes = netpbm(&pixels, w, h, components, bpc as u8, decode_inverted);
    Ok(PageImage::File {
        bytes,
        extension: if components == 3 { "ppm" } else { "pgm" },
        placement,
        dpi,
    })
}

/// 1 for gray, 3 for RGB; `None` for what is neither (CMYK, indexed, Lab...).
fn color_components(doc: &Document, image: &Stream) -> Option<usize> {
    let cs = image.dict.get(b"ColorSpace").ok().map(|o| deref(doc, o));
    match cs {
        None => Some(1),
        Some(Object::Name(n)) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" => Some(1),
            b"DeviceRGB" | b"CalRGB" => Some(3),
            _ => None,
        },
        Some(Object::Array(a)) => match a.first().and_then(|o| o.as_name().ok()) {
            Some(b"ICCBased") => {
                let stream = a.get(1).map(|o| deref(doc, o))?.as_stream().ok()?;
                match stream.dict.get(b"N").ok().and_then(|o| number(doc, o)) {
                    Some(n) if n == 1. => Some(1),
                    Some(n) if n == 3. => Some(3),
                    _ => None,
                }
            }
            Some(b"CalGray") => Some(1),
            Some(b"CalRGB") => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// PNG predictors undone (PDF's /Predictor 10-15: each row starts with its filter type).
pub fn undo_png_predictor(
    data: &[u8],
    row_bytes: usize,
    bytes_per_pixel: usize,
) -> Result<Vec<u8>, String> {
    if row_bytes == 0 {
        return Err("the page image has rows of no bytes".into());
    }
    let stride = row_bytes + 1;
    let rows = data.len() / stride;
    let mut out = vec![0u8; rows * row_bytes];
    let bpp = bytes_per_pixel.max(1);
    for r in 0..rows {
        let filter = data[r * stride];
        let src = &data[r * stride + 1..(r + 1) * stride];
        let (before, current) = out.split_at_mut(r * row_bytes);
        let prior: &[u8] = if r == 0 {
            &[]
        } else {
            &before[(r - 1) * row_bytes..]
        };
        let row = &mut current[..row_bytes];
        for i in 0..row_bytes {
            let left = if i >= bpp { row[i - bpp] } else { 0 };
            let up = if r > 0 { prior[i] } else { 0 };
            let up_left = if r > 0 && i >= bpp { prior[i - bpp] } else { 0 };
            let x = src[i];
            row[i] = match filter {
                0 => x,
                1 => x.wrapping_add(left),
                2 => x.wrapping_add(up),
                3 => x.wrapping_add(((left as u16 + up as u16) / 2) as u8),
                4 => x.wrapping_add(paeth(left, up, up_left)),
                f => {
                    return Err(format!(
                        "the page image has an unknown PNG filter {f} in row {r}"
                    ))
                }
            };
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Pixels as a binary PGM (gray) or PPM (RGB) file; 1-bit gray expanded to 8 bits.
fn netpbm(pixels: &[u8], w: u32, h: u32, components: usize, bpc: u8, inverted: bool) -> Vec<u8> {
    let magic = if components == 3 { "P6" } else { "P5" };
    let mut out = format!("{magic}\n{w} {h}\n255\n").into_bytes();
    let row_bytes = (w as usize * components * bpc as usize).div_ceil(8);
    for r in 0..h as usize {
        let row = &pixels[r * row_bytes..(r + 1) * row_bytes];
        if bpc == 8 {
            if inverted {
                out.extend(row.iter().map(|v| 255 - v));
            } else {
                out.extend_from_slice(row);
            }
        } else {
            for i in 0..w as usize * components {
                let bit = (row[i / 8] >> (7 - i % 8)) & 1;
                let white = (bit == 1) != inverted;
                out.push(if white { 255 } else { 0 });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_predictors_are_undone() {
        // Two rows of 3 gray pixels: Sub then Up, then Average and Paeth.
        let data = [1, 10, 5, 5, 2, 1, 1, 1];
        assert_eq!(
            undo_png_predictor(&data, 3, 1).unwrap(),
            [10, 15, 20, 11, 16, 21]
        );
        let data = [3, 10, 10, 10, 4, 1, 1, 1];
        // Row 1 (Average, no row above): 10, 10+5=15, 10+7=17.
        // Row 2 (Paeth): 10+1=11, then paeth(11, 15, 10) = 15 -> 16, paeth(16, 17, 15) = 17 -> 18.
        assert_eq!(
            undo_png_predictor(&data, 3, 1).unwrap(),
            [10, 15, 17, 11, 16, 18]
        );
        assert!(undo_png_predictor(&[9, 0, 0, 0], 3, 1).is_err());
    }

    #[test]
    fn one_bit_pixels_become_a_gray_pgm() {
        let pgm = netpbm(&[0b1010_0000], 3, 1, 1, 1, false);
        assert_eq!(pgm, b"P5\n3 1\n255\n\xff\x00\xff".to_vec());
    }

    use lopdf::dictionary;

    /// A one-page document drawing one image XObject over the page's lower half.
    fn page_drawing(image: Dictionary, data: Vec<u8>) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.5");
        let img = doc.add_object(Stream::new(image, data));
        let content = b"q 612 0 0 396 0 0 cm /Im0 Do Q".to_vec();
        let contents = doc.add_object(Stream::new(Dictionary::new(), content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Contents" => Object::Reference(contents),
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => Object::Reference(img) } },
        });
        (doc, page)
    }

    #[test]
    fn a_flate_image_with_a_predictor_becomes_a_placed_pgm() {
        use std::io::Write;
        // 2 x 2 gray pixels, rows Up-filtered.
        let rows = [2u8, 10, 20, 2, 5, 5];
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&rows).unwrap();
        let (doc, page) = page_drawing(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "FlateDecode",
                "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 1, "Columns" => 2 },
            },
            z.finish().unwrap(),
        );
        let g = geometry(&doc, page);
        let PageImage::File {
            bytes,
            extension,
            placement,
            dpi,
        } = page_image(&doc, page, &g).unwrap()
        else {
            panic!("not a file");
        };
        assert_eq!(extension, "pgm");
        assert_eq!(bytes, b"P5\n2 2\n255\n\x0a\x14\x0f\x19".to_vec());
        // 2 pixels over 8.5 inches.
        assert_eq!(dpi, 30);
        // The image's top-left pixel is at the page's middle, left edge (y down).
        assert_eq!((placement.e, placement.f), (0., 396.));
        assert_eq!((placement.a, placement.d), (306., 198.));
    }

    #[test]
    fn an_image_bomb_is_refused_and_an_undecodable_filter_is_rendered() {
        let (doc, page) = page_drawing(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 100_000, "Height" => 100_000,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            vec![0xff, 0xd8, 0xff],
        );
        let err = page_image(&doc, page, &geometry(&doc, page)).unwrap_err();
        assert!(err.contains("too large"), "{err}");
        let (doc, page) = page_drawing(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 10, "Height" => 10,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "JBIG2Decode",
            },
            vec![0; 10],
        );
        let image = page_image(&doc, page, &geometry(&doc, page)).unwrap();
        assert!(
            matches!(image, PageImage::Render(ref why) if why.contains("JBIG2Decode")),
            "{image:?}"
        );
    }

    #[test]
    fn rotation_swaps_the_shown_size() {
        let g = PageGeometry {
            media: [0., 0., 612., 792.],
            rotate: 90,
        };
        assert_eq!(g.shown_size(), (792., 612.));
    }
}

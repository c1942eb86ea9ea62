//! Grey pages made legible to tesseract's one threshold for a page.
//!
//! tesseract parts ink from paper with one level for the whole page (Otsu's). On a page
//! whose table header is printed on a dark band and whose rows are grey, that level falls
//! between the band and everything else, and the grey rows turn white: generated scan 7603's
//! page 11 (eight grey rows) gave no id, and Sauvola's local levels (`thresholding_method=2`)
//! four. Stretched first, so that the greys from some depth below the paper to the paper
//! span the whole range, the same page gives all eight. How deep depends on the grey: scan
//! 8103's page 10 (text some 50 below its paper) reads all ten ids stretched 100 deep and
//! nine 50 deep; scan 8101's page 10 (text 15 to 70 below a grey paper, a header band 110
//! below) none at 100 and five of six at 50. Each page is read at both depths and the
//! reading with the most confidently read text is kept.

use std::path::{Path, PathBuf};

use super::tsv::TsvWord;
use crate::reading::rules::{decode_jpeg, decode_netpbm};

/// How far below the paper a grey is read as black, for each reading.
pub const DEPTHS: [u8; 2] = [100, 50];

/// A word counts as confidently read from this confidence (tesseract's 0-100).
const CONFIDENT: f32 = 60.;

/// The image at `path` (a JPEG or netpbm file, its resolution `dpi`) stretched to each of
/// [`DEPTHS`], written beside it as PGMs: their paths.
pub fn stretched_images(path: &Path, dpi: u32) -> Result<Vec<PathBuf>, String> {
    let image = std::fs::read(path).map_err(|e| e.to_string())?;
    let gray = match path.extension().and_then(|e| e.to_str()) {
        Some("jpg") => decode_jpeg(&image, dpi as f32, f32::MAX)?,
        _ => decode_netpbm(&image, dpi as f32)?,
    };
    drop(image);
    // (The paper's own noise stays paper.)
    let paper = gray.paper().saturating_sub(4);
    let header = format!("P5\n{} {}\n255\n", gray.width, gray.height);
    DEPTHS
        .iter()
        .map(|&depth| {
            let table = stretch_table(paper, depth);
            let mut pgm = header.clone().into_bytes();
            pgm.extend(gray.pixels.iter().map(|&v| table[v as usize]));
            let out = path.with_extension(format!("stretched-{depth}.pgm"));
            std::fs::write(&out, pgm).map_err(|e| e.to_string())?;
            Ok(out)
        })
        .collect()
}

/// Each grey's level once stretched: `depth` below `paper` and darker black, `paper` and
/// lighter white, the greys between spread linearly.
fn stretch_table(paper: u8, depth: u8) -> [u8; 256] {
    let black = paper.saturating_sub(depth);
    let span = u32::from(paper - black).max(1);
    let mut table = [0u8; 256];
    for (v, level) in table.iter_mut().enumerate() {
        let v = v as u8;
        *level = match v {
            v if v <= black => 0,
            v if v >= paper => 255,
            v => (u32::from(v - black) * 255 / span) as u8,
        };
    }
    table
}

/// The characters of the words read with [`CONFIDENT`] confidence or more: the measure by
/// which one reading of a page beats another.
pub fn confident_chars(words: &[TsvWord]) -> usize {
    confident_chars_of(words.iter().map(|w| (w.conf, w.text.as_str())))
}

/// [`confident_chars`] of words given as (confidence 0..100, text).
pub fn confident_chars_of<'t>(words: impl Iterator<Item = (f32, &'t str)>) -> usize {
    words
        .filter(|(conf, _)| *conf >= CONFIDENT)
        .map(|(_, text)| text.chars().filter(|c| c.is_alphanumeric()).count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greys_from_the_depth_to_the_paper_span_the_range() {
        let t = stretch_table(240, 100);
        assert_eq!(t[0], 0);
        assert_eq!(t[140], 0);
        assert_eq!(t[240], 255);
        assert_eq!(t[250], 255);
        assert_eq!(t[190], 127);
        // A paper darker than the depth: everything below it black.
        let t = stretch_table(30, 50);
        assert_eq!((t[0], t[15], t[30]), (0, 127, 255));
    }
}

//! Where a PDF page's paragraphs break, from where its words stand rather than from the empty
//! lines of its laid-out text.
//!
//! The layout text puts an empty line where the baseline jumps by more than one and a half
//! font sizes. An OCR layer's font size is not its line pitch: layers that set their glyphs
//! small and stretch them across (`Tz`) read as an empty line between every two lines, and a
//! lead-in splits from its own continuation ("...and included the following" / empty /
//! "modifications:"), its list losing its events. So a page with words has its paragraph
//! breaks measured: a line starts a paragraph where the gap above it is clearly larger than
//! the page's usual line pitch, where a somewhat larger gap has an empty layout line or a
//! change of font size to agree, or where it is indented past the line above (not to one of
//! that line's own word starts: a bullet's text) - never at an empty layout line alone.
//! `.txt` pages, which have no words, keep the layout's empty lines; so does Appendix A,
//! whose tables are read from positions by [`super::positioned`].

use super::layout::{Line, Page};
use super::vocabulary::Section;
use crate::reading::words::PageWords;

/// A text line as its words place it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// The baseline (the words' bottoms, levelled for the page's skew; the median word's).
    pub y: f32,
    /// The left edge of the line's first word.
    pub x0: f32,
    /// The left edge of its second word (after a bullet, where the item's text starts).
    pub second_x0: Option<f32>,
    /// The median word's size.
    pub size: f32,
}

/// Each text line's box, indexed by its 1-based line number (index 0 unused); `None` for a
/// line with no words.
pub fn line_boxes(words: &PageWords) -> Vec<Option<LineBox>> {
    let slope = skew_slope(words);
    let lines = words.words.iter().map(|w| w.line).max().unwrap_or(0) as usize;
    let mut grouped: Vec<Vec<&crate::reading::words::Word>> = vec![Vec::new(); lines + 1];
    for w in &words.words {
        grouped[w.line as usize].push(w);
    }
    grouped
        .into_iter()
        .map(|mut ws| {
            if ws.is_empty() {
                return None;
            }
            ws.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut ys: Vec<f32> = ws.iter().map(|w| w.bottom - slope * w.x_mid()).collect();
            let mut sizes: Vec<f32> = ws.iter().map(|w| w.size).collect();
            Some(LineBox {
                y: median(&mut ys),
                x0: ws[0].x0,
                second_x0: ws.get(1).map(|w| w.x0),
                size: median(&mut sizes),
            })
        })
        .collect()
}

/// The page's skew: the median slope between neighbouring words of one line (0 for a page
/// with too few such pairs to tell).
fn skew_slope(words: &PageWords) -> f32 {
    let mut slopes: Vec<f32> = words
        .words
        .windows(2)
        .filter(|p| p[0].line == p[1].line && p[1].x0 > p[0].x1)
        .filter(|p| p[1].x0 - p[0].x1 < 3. * p[0].size)
        .map(|p| (p[1].bottom - p[0].bottom) / (p[1].x_mid() - p[0].x_mid()))
        .collect();
    if slopes.len() < 8 {
        return 0.;
    }
    median(&mut slopes)
}

fn median(values: &mut [f32]) -> f32 {
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f32::total_cmp).1
}

/// How much larger than the page's usual pitch a gap must be to part two paragraphs. Body
/// text is set at about 1.2-1.3 font sizes a line, paragraphs and list items a third of a line
/// further apart or more (generated report 3001: lines 14.3 pt apart, items 19.2, paragraphs
/// 24.2): 1.25 of the pitch stands between the two, and above an OCR layer's jitter (a point).
const PARAGRAPH_GAP: f32 = 1.25;

/// A gap this many usual pitches wide parts two paragraphs whatever else the page says.
const CLEAR_GAP: f32 = 1.6;

/// Lines closer than this share one printed line (a superscript, a word laid out again).
const SAME_LINE: f32 = 0.5;

/// How much a font size must change to start a paragraph (headings are set larger).
const SIZE_CHANGE: f32 = 1.25;

/// Pitches within this of each other are one pitch (an OCR layer's baselines wander).
const SAME_PITCH: f32 = 0.08;

/// The page's usual line pitch: the smallest gap between successive lines that at least one
/// other gap repeats (two lines of one paragraph; a page of one-line items and paragraphs
/// would otherwise pass for text set wide, its paragraph gaps for lines: generated report
/// 3001's page 2), or `None` where no gap repeats: the layout's empty lines stand.
pub fn usual_pitch(boxes: &[LineBox]) -> Option<f32> {
    let mut pitches: Vec<f32> = boxes
        .windows(2)
        .filter(|p| p[1].y - p[0].y > SAME_LINE * p[0].size.max(1.))
        .map(|p| p[1].y - p[0].y)
        .collect();
    pitches.sort_by(f32::total_cmp);
    pitches
        .windows(2)
        .find(|p| p[1] <= p[0] * (1. + SAME_PITCH))
        .map(|p| (p[0] + p[1]) / 2.)
}

/// Whether a paragraph breaks between two successive lines of a page whose usual pitch is
/// `pitch`; `text_blank` says whether the layout text has an empty line between them, and
/// `runs_on` whether the line above ends inside a sentence (on a joining word,
/// [`ends_inside_a_sentence`]).
///
/// A gap of [`CLEAR_GAP`] pitches parts them alone. A gap of [`PARAGRAPH_GAP`] parts them
/// where something else agrees - the layout's empty line, or a change of font size - since a
/// scan may print lines of one paragraph that far apart (generated scan 3002, its gaps
/// opened: "* MP156 'Removing the requirement for Users to submit SMKI Organisation" /
/// "Certificates annually'" 1.44 pitches apart, where list items stand 1.6 apart), and
/// unless the sentence runs on (generated scan 9902's layer set "... was raised by Rainer
/// Lischetzki of the DCC on ~" 1.35 pitches above "26 November 2019.", with an empty line
/// between every two lines: the raised fact lost its date). An indented first line parts
/// them at any gap.
pub fn breaks_between(
    above: &LineBox,
    below: &LineBox,
    pitch: f32,
    (text_blank, runs_on): (bool, bool),
) -> bool {
    let gap = below.y - above.y;
    let size = above.size.max(below.size).max(1.);
    if gap.abs() < SAME_LINE * pitch.min(size) {
        return false;
    }
    // A line above the one before (a new column, a text box) starts afresh.
    if gap < 0. || gap > CLEAR_GAP * pitch {
        return true;
    }
    let larger = above.size.max(below.size) / above.size.min(below.size).max(0.1);
    if gap > PARAGRAPH_GAP * pitch && (text_blank || larger > SIZE_CHANGE) && !runs_on {
        return true;
    }
    // Indented past the line above, and not to where its second word (a bullet's text) or
    // its first starts: a new paragraph's first line.
    let indented = below.x0 > above.x0 + size;
    let hanging = above
        .second_x0
        .is_some_and(|x| (below.x0 - x).abs() < 0.6 * size);
    indented && !hanging
}

/// The content lines with their blank lines redrawn from positions on every page with words
/// (Appendix A excepted):
/// the layout's empty lines dropped, a blank line put where [`breaks_between`] says. Next to a
/// line without words (none to place it), the layout's empty line is kept. The blank line
/// that ends each page (line 0) stays.
/// `joining_words` (`of`, `on`, `the`): the words a sentence never ends on.
pub(super) fn breaks_from_positions<'p>(
    lines: Vec<Line<'p>>,
    pages: &[Page],
    joining_words: &[String],
) -> Vec<Line<'p>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut page_boxes: (u32, Vec<Option<LineBox>>, Option<f32>) = (0, Vec::new(), None);
    // The last line kept of this page (its box, and whether it ends inside a sentence), and
    // whether the layout had an empty line since.
    let mut above: Option<(Option<LineBox>, bool)> = None;
    let mut text_blank = false;
    let mut in_appendix = false;
    for line in lines {
        if let Some(section) = line.structure.section {
            in_appendix = section == Section::AppendixA;
        }
        // Appendix A's tables are read from positions themselves; where one falls back to
        // its text, a row's title is rebuilt from the lines between the layout's empty lines
        // (June 2020 scan, MP093 'Implementing IRP511 and CRP535 to support GBCS v3.2
        // devices' split between two rows without them).
        if in_appendix {
            out.push(line);
            continue;
        }
        if line.page != page_boxes.0 {
            page_boxes = measure_page(pages, line.page);
            above = None;
            text_blank = false;
        }
        let (_, boxes, pitch) = &page_boxes;
        let Some(pitch) = *pitch else {
            out.push(line);
            continue;
        };
        if line.line == 0 {
            above = None;
            out.push(line);
            continue;
        }
        if line.is_blank() {
            text_blank = true;
            continue;
        }
        let this = boxes.get(line.line as usize).copied().flatten();
        if let Some((prev, runs_on)) = above {
            let parted = match (prev, this) {
                (Some(a), Some(b)) => breaks_between(&a, &b, pitch, (text_blank, runs_on)),
                _ => text_blank,
            };
            if parted {
                out.push(Line::blank(line.page, line.line - 1));
            }
        }
        above = Some((this, ends_inside_a_sentence(&line.text, joining_words)));
        text_blank = false;
        out.push(line);
    }
    out
}

/// Whether a line ends on a joining word (`on`, `of`), the specks OCR set after it read past
/// (`on ~`): its sentence goes on below.
fn ends_inside_a_sentence(text: &str, joining_words: &[String]) -> bool {
    text.split_whitespace()
        .rev()
        .find(|w| w.chars().any(char::is_alphanumeric))
        .is_some_and(|last| joining_words.iter().any(|j| last.eq_ignore_ascii_case(j)))
}

/// The line boxes of page `number` and its usual pitch (`None`: the page has no words, or
/// too few lines to measure; its layout's empty lines stand).
fn measure_page(pages: &[Page], number: u32) -> (u32, Vec<Option<LineBox>>, Option<f32>) {
    let Some(words) = pages
        .iter()
        .find(|p| p.number == number)
        .and_then(|p| p.words.as_ref())
    else {
        return (number, Vec::new(), None);
    };
    let boxes = line_boxes(words);
    let placed: Vec<LineBox> = boxes.iter().flatten().copied().collect();
    let pitch = usual_pitch(&placed);
    (number, boxes, pitch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::words::Word;

    /// A page of words, one line of text a `(line, x0, baseline, size, words)`.
    fn page(lines: &[(u32, f32, f32, f32, usize)]) -> PageWords {
        let mut words = Vec::new();
        for &(line, x0, baseline, size, n) in lines {
            for k in 0..n {
                let x = x0 + k as f32 * 4. * size;
                words.push(Word {
                    text: "word".into(),
                    x0: x,
                    x1: x + 3. * size,
                    top: baseline - 0.8 * size,
                    bottom: baseline + 0.2 * size,
                    size,
                    line,
                    confidence: 1.,
                });
            }
        }
        PageWords::new(600., 800., words)
    }

    fn breaks(words: &PageWords) -> Vec<u32> {
        breaks_with_blanks(words, &[])
    }

    /// The lines a paragraph starts at, the layout text having an empty line above each of
    /// `blank_above`.
    fn breaks_with_blanks(words: &PageWords, blank_above: &[u32]) -> Vec<u32> {
        let boxes = line_boxes(words);
        let placed: Vec<(u32, LineBox)> = boxes
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| (i as u32, b)))
            .collect();
        let only: Vec<LineBox> = placed.iter().map(|p| p.1).collect();
        let pitch = usual_pitch(&only).expect("enough lines to measure");
        placed
            .windows(2)
            .filter(|p| {
                breaks_between(
                    &p[0].1,
                    &p[1].1,
                    pitch,
                    (blank_above.contains(&p[1].0), false),
                )
            })
            .map(|p| p[1].0)
            .collect()
    }

    #[test]
    fn a_gap_clearly_wider_than_the_pitch_parts_paragraphs_an_even_one_does_not() {
        // Two paragraphs of three lines at a 12 pt pitch, 20 pt apart; the text's line
        // numbers skip as a layout's empty lines would (2, 4, ...), which must not matter.
        let words = page(&[
            (1, 50., 100., 10., 8),
            (3, 50., 112., 10., 8),
            (5, 50., 124., 10., 3),
            (7, 50., 144., 10., 8),
            (9, 50., 156., 10., 8),
            (11, 50., 168., 10., 2),
        ]);
        assert_eq!(breaks(&words), [7]);
        // Every line with an empty line above it in the layout text: the same.
        assert_eq!(breaks_with_blanks(&words, &[3, 5, 7, 9, 11]), [7]);
    }

    #[test]
    fn a_line_ending_on_a_joining_word_goes_on_across_a_somewhat_wider_gap() {
        // Generated scan 9902: "... of the DCC on ~" 1.35 pitches above "26 November 2019.",
        // the layout an empty line between every two lines.
        let joining: Vec<String> = ["on", "of", "the"].map(String::from).to_vec();
        assert!(ends_inside_a_sentence(
            "Rainer Lischetzki of the DCC on ~",
            &joining
        ));
        assert!(ends_inside_a_sentence("raised by Chun Chen of", &joining));
        assert!(!ends_inside_a_sentence("26 November 2019.", &joining));
        assert!(!ends_inside_a_sentence("New Draft Proposals", &joining));
        let line = |y: f32| LineBox {
            y,
            x0: 50.,
            second_x0: Some(60.),
            size: 10.,
        };
        let (above, below) = (line(100.), line(100. + 1.35 * 12.7));
        assert!(breaks_between(&above, &below, 12.7, (true, false)));
        assert!(!breaks_between(&above, &below, 12.7, (true, true)));
        // A clear gap parts them still: a heading's last word.
        let far = line(100. + 1.7 * 12.7);
        assert!(breaks_between(&above, &far, 12.7, (true, true)));
    }

    #[test]
    fn a_gap_somewhat_wider_parts_paragraphs_only_where_the_layout_agrees() {
        // 12 pt lines, 17 pt gaps: a scan's opened line (no empty line in the layout) or a
        // list's items (the layout has one).
        let words = page(&[
            (1, 50., 100., 10., 8),
            (2, 50., 112., 10., 8),
            (3, 50., 129., 10., 8),
            (4, 50., 141., 10., 8),
            (6, 50., 158., 10., 8),
        ]);
        assert!(breaks(&words).is_empty());
        assert_eq!(breaks_with_blanks(&words, &[6]), [6]);
    }

    #[test]
    fn a_skewed_scan_is_levelled_before_gaps_are_measured() {
        // 1.5 degrees: a short last line's median word stands higher on the page than a full
        // line's, by more than the gap a paragraph would add if not levelled.
        let slope = 0.026_f32;
        let mut words = page(&[
            (1, 50., 100., 10., 12),
            (2, 50., 112., 10., 12),
            (3, 50., 124., 10., 2),
            (4, 50., 136., 10., 12),
            (5, 50., 148., 10., 12),
            (6, 50., 168., 10., 12),
            (7, 50., 180., 10., 12),
        ]);
        for w in &mut words.words {
            let dy = slope * w.x_mid();
            w.top += dy;
            w.bottom += dy;
        }
        assert_eq!(breaks(&words), [6]);
    }

    #[test]
    fn a_larger_font_or_an_indented_first_line_starts_a_paragraph_a_bullets_text_does_not() {
        let mut words = page(&[
            (1, 50., 100., 14., 3),
            (2, 50., 116., 10., 8),
            (3, 50., 128., 10., 8),
            (4, 80., 140., 10., 8),
            (5, 50., 152., 10., 8),
            // A bullet item whose second line starts under its text, not its bullet.
            (6, 50., 164., 10., 8),
            (7, 90., 176., 10., 8),
        ]);
        // The bullet: the item's second word stands where its wrapped line starts.
        let bullet_text = words
            .words
            .iter()
            .position(|w| w.line == 6)
            .map(|i| i + 1)
            .unwrap();
        words.words[bullet_text].x0 = 90.;
        assert_eq!(breaks(&words), [2, 4]);
    }

    #[test]
    fn words_laid_out_on_two_text_lines_of_one_printed_line_part_nothing() {
        let words = page(&[
            (1, 50., 100., 10., 8),
            (2, 50., 112., 10., 8),
            (3, 50., 124., 10., 4),
            (4, 250., 124.5, 10., 2),
            (5, 50., 136., 10., 8),
            (6, 50., 148., 10., 8),
        ]);
        assert!(breaks(&words).is_empty());
    }
}

//! Lines that stand side by side on one baseline, joined into the rows a reader sees.
//!
//! An OCR engine may cut a table into a block a column, and list a block's lines before the
//! next block's: `Modification` / `SECMP0021` / `SECMP0033` ... then `Accepted` / `2 Mar 17`
//! ... (generated scan 8001's assessments, image-only scan 7400's). Laid out in that order,
//! no line holds a table's header, and no line a row. Joined where they share a baseline,
//! each row is one line, as `pdftotext -layout` and a person read it.

use super::words::PageWords;

/// The share of the lower of two lines' heights by which they must overlap to stand on one
/// baseline.
const SAME_BASELINE: f32 = 0.5;

/// Where a line of text stands, and the group it belongs to (an OCR engine's block): lines of
/// one group are never beside each other.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineBox {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    pub group: u32,
}

impl LineBox {
    fn height(&self) -> f32 {
        self.bottom - self.top
    }

    fn mid(&self) -> f32 {
        (self.top + self.bottom) / 2.
    }
}

/// The lines (indices into `lines`, given in reading order) as rows, top to bottom, each row
/// its lines left to right: a line joins the row it overlaps most by height (at least half
/// the lower one's, measured against the row's line nearest across, since a skewed row's
/// baseline drifts along it) if none of the row's lines is of its group or overlaps it across.
pub(crate) fn rows_of_lines(lines: &[LineBox]) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let beside = |row: &Vec<usize>| -> Option<f32> {
            let members = || row.iter().map(|&k| &lines[k]);
            if members()
                .any(|m| m.group == line.group || (m.left < line.right && line.left < m.right))
            {
                return None;
            }
            let gap = |m: &LineBox| (m.left - line.right).max(line.left - m.right);
            let near = members().min_by(|a, b| gap(a).total_cmp(&gap(b)))?;
            let overlap = near.bottom.min(line.bottom) - near.top.max(line.top);
            let share = overlap / near.height().min(line.height()).max(1.);
            (share >= SAME_BASELINE).then_some(share)
        };
        let best = rows
            .iter()
            .enumerate()
            .filter_map(|(k, row)| beside(row).map(|share| (k, share)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((k, _)) => rows[k].push(i),
            None => rows.push(vec![i]),
        }
    }
    for row in &mut rows {
        row.sort_by(|&a, &b| lines[a].left.total_cmp(&lines[b].left));
    }
    // Top to bottom by the row's first line (stable: the given order where they tie).
    rows.sort_by(|a, b| lines[a[0]].mid().total_cmp(&lines[b[0]].mid()));
    rows
}

/// A text layer's page laid out again with the lines that share a baseline joined
/// ([`rows_of_lines`]): its new text, its words' lines renumbered. `None` (the page as it
/// was) where no two lines stand side by side. A blank line stands between two rows whose
/// baselines are more than one and a half font sizes apart, as the layout's rule has it
/// ([`super::pdf`]).
pub(crate) fn join_lines_on_one_baseline(text: &str, words: &mut PageWords) -> Option<String> {
    let texts: Vec<&str> = text.split('\n').collect();
    if words
        .words
        .iter()
        .any(|w| w.line == 0 || w.line as usize > texts.len())
    {
        return None;
    }
    // Each text line with words: its box, and its words' size.
    let mut boxes: Vec<LineBox> = Vec::new();
    let mut line_nos: Vec<u32> = Vec::new();
    let mut sizes: Vec<f32> = Vec::new();
    for w in &words.words {
        if line_nos.last() != Some(&w.line) {
            if let Some(k) = line_nos.iter().position(|&l| l == w.line) {
                // A line whose words came back after another's: grow its box.
                grow(&mut boxes[k], &mut sizes[k], w);
                continue;
            }
            line_nos.push(w.line);
            sizes.push(w.size);
            boxes.push(LineBox {
                top: w.top,
                bottom: w.bottom,
                left: w.x0,
                right: w.x1,
                group: w.line,
            });
            continue;
        }
        let k = line_nos.len() - 1;
        grow(&mut boxes[k], &mut sizes[k], w);
    }
    let rows = rows_of_lines(&boxes);
    if rows.iter().all(|r| r.len() == 1) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut new_line = vec![0u32; texts.len() + 1];
    let mut line_no = 0u32;
    let mut last_bottom: Option<f32> = None;
    for row in &rows {
        let first = &boxes[row[0]];
        let size = row.iter().map(|&k| sizes[k]).fold(0., f32::max);
        match last_bottom {
            None => line_no = 1,
            Some(b) if first.bottom - b > 1.5 * size => {
                out.push_str("\n\n");
                line_no += 2;
            }
            Some(_) => {
                out.push('\n');
                line_no += 1;
            }
        }
        for (n, &k) in row.iter().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            let old = line_nos[k];
            out.push_str(texts.get(old as usize - 1).map_or("", |t| t.trim()));
            new_line[old as usize] = line_no;
        }
        last_bottom = Some(first.bottom);
    }
    for w in &mut words.words {
        w.line = new_line[w.line as usize];
    }
    // Words in reading order, line by line, as the layout gave them.
    words
        .words
        .sort_by(|a, b| a.line.cmp(&b.line).then(a.x0.total_cmp(&b.x0)));
    Some(out)
}

fn grow(line: &mut LineBox, size: &mut f32, w: &super::words::Word) {
    line.top = line.top.min(w.top);
    line.bottom = line.bottom.max(w.bottom);
    line.left = line.left.min(w.x0);
    line.right = line.right.max(w.x1);
    *size = size.max(w.size);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::words::Word;

    /// A word of a 10-point line whose baseline is at `y`.
    fn word(text: &str, x0: f32, y: f32, line: u32) -> Word {
        Word {
            text: text.into(),
            x0,
            x1: x0 + 6. * text.len() as f32,
            top: y - 8.,
            bottom: y + 2.,
            size: 10.,
            line,
            confidence: 1.,
        }
    }

    fn page(words: Vec<Word>) -> PageWords {
        PageWords::new(600., 800., words)
    }

    /// The text of each line the words are on, as the words give it.
    fn lines_of_words(words: &PageWords) -> Vec<(u32, String)> {
        let mut out: Vec<(u32, String)> = Vec::new();
        for w in &words.words {
            match out.last_mut() {
                Some((line, text)) if *line == w.line => {
                    text.push(' ');
                    text.push_str(&w.text);
                }
                _ => out.push((w.line, w.text.to_string())),
            }
        }
        out
    }

    #[test]
    fn a_table_listed_a_column_at_a_time_reads_a_row_a_line() {
        // Generated scan 8001's layer: the ids' block, then the dates' block.
        let text = "Open Assessments\n\nModification\nSECMP0021\nSECMP0033\n\nAccepted\n2 Mar 17\n14 Jun 17";
        let mut words = page(vec![
            word("Open", 70., 100., 1),
            word("Assessments", 100., 100., 1),
            word("Modification", 80., 130., 3),
            word("SECMP0021", 80., 145., 4),
            word("SECMP0033", 80., 160., 5),
            word("Accepted", 250., 130., 7),
            word("2", 250., 145., 8),
            word("Mar", 260., 145., 8),
            word("17", 285., 145., 8),
            word("14", 250., 160., 9),
            word("Jun", 265., 160., 9),
            word("17", 290., 160., 9),
        ]);
        let joined = join_lines_on_one_baseline(text, &mut words).expect("rows joined");
        assert_eq!(
            joined,
            "Open Assessments\n\nModification Accepted\nSECMP0021 2 Mar 17\nSECMP0033 14 Jun 17"
        );
        // Each word is on the line of the text that holds it.
        let lines: Vec<&str> = joined.split('\n').collect();
        for (line, text) in lines_of_words(&words) {
            assert_eq!(lines[line as usize - 1], text);
        }
    }

    #[test]
    fn lines_that_stand_only_above_one_another_are_left_as_laid_out() {
        let text = "The Panel is requested\nto NOTE this report.";
        let mut words = page(vec![
            word("The", 70., 100., 1),
            word("Panel", 95., 100., 1),
            word("to", 70., 112., 2),
            word("NOTE", 85., 112., 2),
        ]);
        let before = words.clone();
        assert_eq!(join_lines_on_one_baseline(text, &mut words), None);
        assert_eq!(words, before);
    }

    #[test]
    fn a_line_half_a_line_lower_over_another_across_or_of_its_group_is_not_beside_it() {
        let line = |top: f32, left: f32, right: f32, group: u32| LineBox {
            top,
            bottom: top + 10.,
            left,
            right,
            group,
        };
        let first = line(100., 0., 100., 1);
        for (other, beside) in [
            (line(101., 200., 300., 2), true),
            (line(106., 200., 300., 2), false),
            (line(100., 90., 150., 2), false),
            (line(100., 200., 300., 1), false),
        ] {
            let rows = rows_of_lines(&[first, other]);
            let want = if beside {
                vec![vec![0, 1]]
            } else {
                vec![vec![0], vec![1]]
            };
            assert_eq!(rows, want, "{other:?}");
        }
    }
}

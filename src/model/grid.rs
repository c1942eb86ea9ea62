//! Tables read from where their words stand: header -> columns -> row anchors -> cells.
//!
//! The way pdfplumber's text strategy, camelot's stream mode and tabula's basic algorithm read
//! a table without rules: the header's words name the columns and give their left edges; the
//! body's runs of words (words closer than half an em) fall into the column their first word
//! starts in; each row is anchored on its id cell, and the rows are cut apart at the widest
//! vertical gap between two anchors (cell padding is wider than a cell's line spacing), so a
//! title wrapped over five lines with its id printed beside the third is one row. A table that
//! runs onto the next page is read there with the columns of its first page, and lines before
//! the first anchor that stand apart from it continue the last row of the page before.

use crate::reading::words::{Rule, Word};

use super::vocabulary::{ColumnField, TableLayout};

/// A column: what it holds and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub field: ColumnField,
    /// A run of words starting at or right of this belongs to the column (up to the next
    /// column's `left`).
    pub left: f32,
    /// The header cell as printed, its lines joined.
    pub header: String,
}

/// The columns of one table, left to right.
pub type Columns = Vec<Column>;

/// One row: its cells by column, the page text lines it spans, and how sure its words are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridRow {
    pub cells: Vec<(ColumnField, String)>,
    /// The page text line of the row's id cell.
    pub anchor_line: u32,
    /// The row's box (PDF units from the page's top left).
    pub top: f32,
    pub bottom: f32,
    /// The lowest confidence of its words (1 for a text layer).
    pub confidence: f32,
    /// True for a row anchored on its dates, not its id: OCR lost the id
    /// ([`rows_without_ids`]).
    pub id_lost: bool,
    /// The white around the row (top, bottom): from the foot of the line above its first
    /// (the header's, above the first row) to the head of the line below its last. Cells an
    /// OCR layer lost stand there (generated scan 8801, page 11: the grey row `0184`'s layer
    /// holds its id and two dates; its title's three lines stand above and below them).
    pub room: (f32, f32),
}

impl GridRow {
    /// The text of a column's cell ("" when the row has no words there).
    pub fn cell(&self, field: ColumnField) -> &str {
        self.cells
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, text)| text.as_str())
    }

    /// Puts before this row's cells those of its beginning (the foot of the page before,
    /// where the row started under a repeated header without its id), column by column.
    pub fn begin_with(&mut self, first: &[(ColumnField, String)]) {
        for (field, text) in first {
            match self.cells.iter_mut().find(|(f, _)| f == field) {
                Some((_, cell)) => {
                    let mut joined = text.clone();
                    join_cell_line(&mut joined, cell);
                    *cell = joined;
                }
                None => self.cells.push((*field, text.clone())),
            }
        }
    }

    /// Appends cells that continue this row (the top of the next page), column by column.
    pub fn continue_with(&mut self, more: &[(ColumnField, String)]) {
        for (field, text) in more {
            match self.cells.iter_mut().find(|(f, _)| f == field) {
                Some((_, cell)) => join_cell_line(cell, text),
                None => self.cells.push((*field, text.clone())),
            }
        }
    }
}

/// A table read from a region of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub columns: Columns,
    pub rows: Vec<GridRow>,
    /// Cells above the first row that stand apart from it: the end of the page before's last
    /// row. Under a header with no row below it, the start of a row whose id is on the next
    /// page.
    pub leading: Vec<(ColumnField, String)>,
    /// Where the lines of `leading` stand (top, bottom), when they are above the first row.
    pub leading_span: Option<(f32, f32)>,
    /// True when the columns came from a header on this page (not carried from the page
    /// before).
    pub has_header: bool,
    /// True when the columns came from the page's rules down: where the table's cells are is
    /// then seen, not inferred from its words.
    pub ruled: bool,
    /// True when a rule across parts two of its rows: where each row's cells are is then
    /// seen (and a scan's cells are read again between its rules), not inferred.
    pub rows_ruled: bool,
}

/// Words on one visual line, left to right.
#[derive(Debug)]
struct VisualLine<'w> {
    words: Vec<&'w Word>,
    top: f32,
    bottom: f32,
    size: f32,
}

/// Words closer than this many ems belong to one run (a cell's words are a space apart;
/// neighbouring cells are at least their padding apart).
const RUN_GAP_EMS: f32 = 0.5;

/// The gap (in ems) that parts two runs in this table: half an em, or more where the words'
/// own spaces are wider (an OCR layer's word boxes are tighter than the printed words, so
/// its spaces measure wider): twice the lower quartile of the gaps between neighbouring words
/// (most are spaces), at most an em. (Twice the median merged the date columns of digital
/// tables printed a space and a half apart.)
fn run_gap_ems(lines: &[VisualLine]) -> f32 {
    let mut gaps: Vec<f32> = lines
        .iter()
        .flat_map(|l| l.words.windows(2))
        .map(|w| (w[1].x0 - w[0].x1) / w[1].size.max(1.))
        .filter(|g| *g > 0.)
        .collect();
    if gaps.len() < 8 {
        return RUN_GAP_EMS;
    }
    let quarter = gaps.len() / 4;
    let (_, low, _) = gaps.select_nth_unstable_by(quarter, f32::total_cmp);
    (2. * *low).clamp(RUN_GAP_EMS, 1.)
}

/// The words levelled: a scan's skew (its lines rise or fall across the page by `slope`)
/// taken out, so that a row's words share a line from its first column to its last.
fn deskewed(words: &[&Word], slope: f32) -> Vec<Word> {
    words
        .iter()
        .map(|w| {
            let mut w = (*w).clone();
            let shift = slope * w.x_mid();
            w.top -= shift;
            w.bottom -= shift;
            w
        })
        .collect()
}

/// The median slope between neighbouring words of a line (0 for fewer than 8 pairs).
fn words_slope(words: &[&Word]) -> f32 {
    // Each word's neighbour is looked for among the words by their left edges, from the
    // first right of it to the last within three sizes: every word asked of every other
    // (a table page's 400 words, 160,000 pairs) was 26M instructions of the 455M that 40
    // small digital reports' models took.
    // (A word whose left edge is not finite is no one's neighbour, as in the search of all.)
    let mut by_left: Vec<usize> = (0..words.len())
        .filter(|&j| words[j].x0.is_finite())
        .collect();
    by_left.sort_by(|&i, &j| words[i].x0.total_cmp(&words[j].x0).then(i.cmp(&j)));
    median_slope(words, |i, a| {
        // The nearest word to the right on about the same baseline (the first by its left
        // edge, then by its place among the words, as a search of them all in order finds).
        let right = by_left.partition_point(|&j| words[j].x0 <= a.x1);
        by_left[right..]
            .iter()
            .map(|&j| (j, words[j]))
            .take_while(|(_, b)| b.x0 - a.x1 < 3. * a.size)
            .find(|(j, b)| *j != i && (b.bottom - a.bottom).abs() < 0.4 * a.size)
            .map(|(_, b)| b)
    })
}

/// The median slope from each word (the `i`th) to its neighbour on the right, as `next_of`
/// finds it (0 for fewer than 8 pairs).
fn median_slope<'w>(
    words: &[&'w Word],
    next_of: impl Fn(usize, &'w Word) -> Option<&'w Word>,
) -> f32 {
    let mut slopes: Vec<f32> = Vec::new();
    for (i, &a) in words.iter().enumerate() {
        if let Some(b) = next_of(i, a) {
            let run = b.x_mid() - a.x_mid();
            if run > 0. {
                slopes.push((b.bottom - a.bottom) / run);
            }
        }
    }
    if slopes.len() >= 8 {
        let mid = slopes.len() / 2;
        *slopes.select_nth_unstable_by(mid, f32::total_cmp).1
    } else {
        0.
    }
}

/// The rules that border the region's rows, levelled as its words are (less `slope` at each
/// point), top to bottom. A rule counts when it runs across most of the words' width (a
/// table's row border, not a cell's underline) and lies among them (or two lines above or
/// below: the table's own top and bottom). A rule keeps its own lean: an OCR layer sets a
/// line's words at one height however the scan leans, so the words' slope (0 on such a
/// layer) is not the rule's, and a line is told above or below a rule word by word.
fn levelled_rules(words: &[&Word], rules: &[Rule], slope: f32) -> Vec<Rule> {
    let (Some(left), Some(right)) = (
        words.iter().map(|w| w.x0).min_by(f32::total_cmp),
        words.iter().map(|w| w.x1).max_by(f32::total_cmp),
    ) else {
        return Vec::new();
    };
    let size = median(words.iter().map(|w| w.size)).unwrap_or(10.);
    let top = words.iter().map(|w| w.top).fold(f32::MAX, f32::min) - 2. * size;
    let bottom = words.iter().map(|w| w.bottom).fold(f32::MIN, f32::max) + 2. * size;
    let middle = (left + right) / 2.;
    let mut levelled: Vec<Rule> = rules
        .iter()
        .filter(|r| r.x1.min(right) - r.x0.max(left) >= 0.6 * (right - left))
        .filter(|r| (top..bottom).contains(&r.y_at(middle)))
        .map(|r| Rule {
            y0: r.y0 - slope * r.x0,
            y1: r.y1 - slope * r.x1,
            ..*r
        })
        .collect();
    levelled.sort_by(|a, b| a.y_at(middle).total_cmp(&b.y_at(middle)));
    levelled
}

/// The words, each its printed size where an OCR layer set its glyphs shorter than the
/// printed text (half as high: a reader laying lines out by size reads an empty line between
/// every two): where even the closest lines (the lower quartile of the gaps between line
/// positions: a wrapped cell's lines) stand more than two sizes apart, the size is the
/// closest lines' pitch over 1.25 (a line's usual pitch), since every threshold here is in
/// ems of the printed text.
fn sized_by_pitch(mut words: Vec<Word>) -> Vec<Word> {
    let Some(size) = median(words.iter().map(|w| w.size)) else {
        return words;
    };
    let mut mids: Vec<f32> = words.iter().map(Word::y_mid).collect();
    mids.sort_by(f32::total_cmp);
    let mut lines: Vec<f32> = Vec::new();
    for m in mids {
        if lines.last().is_none_or(|&l| m - l > 0.5 * size) {
            lines.push(m);
        }
    }
    let mut pitches: Vec<f32> = lines.windows(2).map(|p| p[1] - p[0]).collect();
    if pitches.len() < 8 {
        return words;
    }
    let q1 = pitches.len() / 4;
    let close = *pitches.select_nth_unstable_by(q1, f32::total_cmp).1;
    if close > 2. * size {
        let scale = close / (1.25 * size);
        for w in &mut words {
            w.size *= scale;
        }
    }
    words
}

/// Reads the table in `words` (a region of one page, header included if it has one).
/// `carried` are the columns of the same table on the page before, used when this region
/// has no header. `is_row_id` says whether a cell's text is a row's id.
pub fn read_grid(
    words: &[&Word],
    layout: &TableLayout,
    carried: Option<&Columns>,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Option<Grid> {
    read_grid_with(
        words,
        PageRules::default(),
        layout,
        carried,
        ColumnsFrom::Header,
        is_row_id,
    )
}

/// The rules of a page (a scan's, found in its image) the grid reads by.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRules<'r> {
    /// Rules across: row borders.
    pub across: &'r [Rule],
    /// Rules down: column borders.
    pub down: &'r [Rule],
}

/// Where a table's columns are taken from first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnsFrom {
    /// The page's rules down, then the header, then the body's corridors of white.
    Header,
    /// The columns carried from the page before, even where the region has a header (a
    /// header repeated on a later page that OCR garbled worse than the first).
    Carried,
    /// The body's corridors of white alone, the header's words ignored (OCR read a header
    /// printed white on a dark band as words in the wrong places: generated scan 4002's
    /// `Title` edge 40 points left of its ids).
    Body,
}

/// [`read_grid`], with the page's `rules` (a scan's row borders, found in its image), which
/// part rows where they cross the table, and the columns taken `from` first.
pub fn read_grid_with(
    words: &[&Word],
    rules: PageRules,
    layout: &TableLayout,
    carried: Option<&Columns>,
    from: ColumnsFrom,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Option<Grid> {
    let slope = words_slope(words);
    let across = levelled_rules(words, rules.across, slope);
    let level = sized_by_pitch(deskewed(words, slope));
    let level: Vec<&Word> = level.iter().collect();
    let lines = visual_lines(&level);
    let gap = run_gap_ems(&lines);
    let band = header_band(&lines, layout, is_row_id);
    let has_header = band.is_some();
    let (columns, body, ruled) = table_columns(
        &lines,
        band,
        (rules.down, layout),
        (carried, from),
        gap,
        is_row_id,
    )?;
    let id_column = columns.iter().position(|c| c.field == ColumnField::Id)?;
    let runs: Vec<Vec<Run>> = body
        .iter()
        .map(|l| runs_in_columns(l, &columns, gap, ruled))
        .collect();
    let anchors: Vec<usize> = (0..body.len())
        .filter(|&i| {
            runs[i]
                .iter()
                .any(|r| r.column == id_column && is_row_id(&r.text) && !r.is_speck(&body[i]))
        })
        .collect();
    // Under a header, a page whose rows all lost their ids (generated scan 9401's grey ids,
    // which its layer never read): two lines or more dated in one date column are two rows
    // or more, each anchored on its dates, not a row begun at the page's foot (a date cell
    // never wraps into a second date). Begun, they all went into the next page's first row.
    let dated_rows = if anchors.is_empty() && has_header {
        lines_dated_in_one_column(&columns, &runs, 0..runs.len())
    } else {
        Vec::new()
    };
    if anchors.is_empty() && dated_rows.len() < 2 {
        let begun = begun_row(&columns, body, &runs);
        return (has_header && !begun.is_empty()).then_some(Grid {
            columns,
            rows: Vec::new(),
            leading: begun,
            leading_span: None,
            has_header,
            ruled,
            rows_ruled: false,
        });
    }
    let dated = dated_lines(&columns, &runs);
    let lost = if anchors.is_empty() {
        dated_rows
    } else {
        rows_without_ids(body, (&runs, &dated), &columns, &anchors, &across)
    };
    let anchors = if lost.is_empty() {
        anchors
    } else {
        let mut all = [anchors, lost.clone()].concat();
        all.sort_unstable();
        all.dedup();
        all
    };
    let id_beside_title = id_line_without_title(&columns, &runs, &anchors);
    let mut bands = row_bands(body, (&dated, id_beside_title), &anchors, &across);
    let mut lost = lost;
    let mut anchors = anchors;
    if carried.is_none() && has_header {
        let above = rows_above_the_first(&runs, &dated, &columns, &bands);
        if !above.is_empty() {
            lost.extend(&above);
            anchors = [above, anchors].concat();
            bands = row_bands(body, (&dated, id_beside_title), &anchors, &across);
        }
    }
    let leading_lines = 0..bands.first().map_or(0, |b| b.start);
    let leading_span =
        (!leading_lines.is_empty()).then(|| (body[0].top, body[leading_lines.end - 1].bottom));
    let leading = cells_of(&columns, &runs[leading_lines]);
    // (The body is the lines' last part: the line above its first is the header's last.)
    let above_body = lines.len() - body.len();
    // (A rule across between a row and its neighbours bounds it too: the foot of a header
    // printed on a dark band, whose edge read with a grey first row's cells turned them
    // white to tesseract: generated scan 8801, page 11.)
    let middle = |l: &VisualLine| {
        let x = |w: &&Word| (w.x0 + w.x1) / 2.;
        l.words.iter().map(x).sum::<f32>() / l.words.len().max(1) as f32
    };
    let room = |band: &std::ops::Range<usize>| {
        let (first, last) = (&body[band.start], &body[band.end - 1]);
        let mut top = match (above_body + band.start).checked_sub(1) {
            Some(above) => lines[above].bottom.min(first.top),
            None => first.top - (first.bottom - first.top),
        };
        let mut bottom = match body.get(band.end) {
            Some(below) => below.top.max(last.bottom),
            None => last.bottom + 2. * (last.bottom - last.top),
        };
        for rule in &across {
            let y = rule.y_at(middle(first));
            if (top..first.top).contains(&y) {
                top = y;
            }
            if y > last.bottom && y < bottom {
                bottom = y;
            }
        }
        (top, bottom)
    };
    let rows: Vec<GridRow> = bands
        .iter()
        .zip(&anchors)
        .map(|(band, &anchor)| GridRow {
            room: room(band),
            cells: cells_of(&columns, &runs[band.clone()]),
            anchor_line: body[anchor].words[0].line,
            top: body[band.start].top,
            bottom: body[band.end - 1].bottom,
            confidence: body[band.clone()]
                .iter()
                .flat_map(|l| &l.words)
                .map(|w| w.confidence)
                .fold(1., f32::min),
            id_lost: lost.contains(&anchor),
        })
        .collect();
    let rows_ruled = rows_parted_by_rules(&rows, &across);
    Some(Grid {
        columns,
        rows,
        leading: leading.into_iter().filter(|(_, t)| !t.is_empty()).collect(),
        leading_span,
        has_header,
        ruled,
        rows_ruled,
    })
}

/// Whether a rule across stands between two neighbouring rows.
fn rows_parted_by_rules(rows: &[GridRow], across: &[Rule]) -> bool {
    rows.windows(2).any(|pair| {
        across.iter().any(|r| {
            let y = (r.y0 + r.y1) / 2.;
            y > pair[0].bottom && y < pair[1].top
        })
    })
}

/// The lines of `lines` holding a date in the date column where most of them do.
fn lines_dated_in_one_column(
    columns: &Columns,
    runs: &[Vec<Run>],
    lines: std::ops::Range<usize>,
) -> Vec<usize> {
    (0..columns.len())
        .filter(|&k| columns[k].field.holds_dates())
        .map(|k| {
            lines
                .clone()
                .filter(|&j| {
                    runs[j]
                        .iter()
                        .any(|r| r.column == k && r.text.split(' ').any(is_date_word))
                })
                .collect::<Vec<usize>>()
        })
        .max_by_key(Vec::len)
        .unwrap_or_default()
}

/// The cells under a header that no row's id anchors: the start of a row whose id is on the
/// next page (a row split at the page's foot; generated report 7601's `Amending the
/// definition of` / `Implemented` under the header repeated at page 12's foot, `0073v2` on
/// page 13). Its lines are those set close one under another, not the page's foot below.
fn begun_row(
    columns: &Columns,
    body: &[VisualLine],
    runs: &[Vec<Run>],
) -> Vec<(ColumnField, String)> {
    let close = 1 + body
        .windows(2)
        .take_while(|pair| pair[1].top - pair[0].bottom < 2. * pair[0].size)
        .count();
    let lines = close.min(runs.len());
    cells_of(columns, &runs[..lines])
        .into_iter()
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// The table's columns, its body (the lines below its header `band`), and whether the
/// columns are the rules' ([`columns_from_rules`]). In order: the columns
/// carried from the page before when `carried_first`; the columns the page's rules down part
/// ([`columns_from_rules`]); the header's; the white corridors between the rows' words.
fn table_columns<'l, 'w>(
    lines: &'l [VisualLine<'w>],
    band: Option<std::ops::Range<usize>>,
    (down, layout): (&[Rule], &TableLayout),
    (carried, from): (Option<&Columns>, ColumnsFrom),
    gap: f32,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Option<(Columns, &'l [VisualLine<'w>], bool)> {
    let (header, body) = match &band {
        Some(band) => (&lines[band.clone()], &lines[band.end..]),
        None => (&lines[..0], lines),
    };
    match (from, carried) {
        (ColumnsFrom::Carried, Some(carried)) if band.is_some() => {
            return Some((shifted_to(carried, body, gap), body, false));
        }
        (ColumnsFrom::Body, _) => {
            let columns = columns_from_corridors(body, header, layout, &Vec::new(), is_row_id)?;
            return Some((columns, body, false));
        }
        _ => {}
    }
    if let Some(ruled) = columns_from_rules(header, body, down, layout) {
        return Some((ruled, body, true));
    }
    let columns = match band {
        Some(_) => match columns_from_header(header, body, layout, gap)
            .map(|columns| with_id_column(columns, body, layout, gap, is_row_id))
        {
            Some(columns) if columns.len() < layout.order().len() => {
                columns_from_corridors(body, header, layout, &columns, is_row_id).unwrap_or(columns)
            }
            Some(columns) => named_in_printed_order(columns, body, layout),
            None => columns_from_corridors(body, header, layout, &Vec::new(), is_row_id)?,
        },
        // No header this page, none before (OCR lost a header printed white on a dark
        // band): the corridors of white between the rows' words part the columns, named by
        // the table's printed order when they part as many.
        None => match carried {
            Some(carried) => shifted_to(carried, body, gap),
            None => columns_from_corridors(lines, &[], layout, &Vec::new(), is_row_id)?,
        },
    };
    Some((columns, body, false))
}

/// A header that parts the table into every column it prints but names one of them twice,
/// its columns named in the printed order instead, when each column named for dates is as
/// wide as the body's dates: OCR garbled a header cell into another column's name
/// (generated scan 9001, page 11: `Actual PA` / `Delivery Date` read so that its column was
/// named `pa_request` as the one two columns left of it). Out of order, the grid was
/// refused, and the page read with the columns of the table before, whose edges stood 40 to
/// 50 points left of this one's: four rows lost their PA dates. (A header cell OCR split in
/// two parts the table into as many columns with one too narrow for a date, generated scan
/// 9300's `Target PA` / `Delivery Date`: named in order, its dates moved a column right.
/// Every name once, out of order, is a header set as lines of text:
/// [`crate::model::positioned`] refuses it.)
fn named_in_printed_order(columns: Columns, body: &[VisualLine], layout: &TableLayout) -> Columns {
    let order = layout.order();
    let named_twice = columns
        .iter()
        .enumerate()
        .any(|(i, c)| columns[..i].iter().any(|b| b.field == c.field));
    if !named_twice || columns.len() != order.len() {
        return columns;
    }
    let Some(date_width) = median(
        body.iter()
            .flat_map(|l| &l.words)
            .filter(|w| is_date_word(&w.text))
            .map(|w| w.x1 - w.x0),
    ) else {
        return columns;
    };
    let wide_enough = columns.windows(2).zip(order).all(|(pair, field)| {
        !field.holds_dates() || pair[1].left - pair[0].left >= 0.9 * date_width
    });
    if !wide_enough {
        return columns;
    }
    let mut named = columns;
    for (column, &field) in named.iter_mut().zip(order) {
        column.field = field;
    }
    named
}

/// The columns carried from the page before, moved across as this page's body is: a scan's
/// pages are placed a little apart on the glass. (Generated scan 4002's page 18 stands 1.3
/// points left of page 17: carried as they were, `Improving` fell in the id column and
/// `Implemented` in the title's.) The move is the median, over the columns, of how far the
/// leftmost run starting near a column's left edge (within half an em) stands from it, when
/// it is a move left.
fn shifted_to(carried: &Columns, body: &[VisualLine], gap_ems: f32) -> Columns {
    let Some(size) = median(body.iter().flat_map(|l| &l.words).map(|w| w.size)) else {
        return carried.clone();
    };
    let starts: Vec<f32> = body
        .iter()
        .flat_map(|l| runs_of(l, gap_ems))
        .filter_map(|r| r.word_x0)
        .collect();
    let mut moves: Vec<f32> = carried
        .iter()
        .filter(|c| c.left > f32::MIN)
        .filter_map(|c| {
            starts
                .iter()
                .filter(|&&x| (x - c.left).abs() <= 0.5 * size)
                .map(|&x| x - c.left)
                .min_by(f32::total_cmp)
        })
        .collect();
    // Too few columns to say where the page stands: as carried.
    if moves.len() < 2 {
        return carried.clone();
    }
    moves.sort_by(f32::total_cmp);
    // And a quarter em further left, into the padding before the column's words: a skew
    // the deskewing left moves a line's words by as much (`Implemented` at 194.9, its
    // column's edge at 195).
    let shift = moves[moves.len() / 2].min(0.) - 0.25 * size;
    let mut columns = carried.clone();
    for c in columns.iter_mut().filter(|c| c.left > f32::MIN) {
        c.left += shift;
    }
    columns
}

/// The columns a scan's rules down part, as camelot's lattice mode reads a ruled table: each
/// rule that runs down most of the body starts a column (the last, the table's right border,
/// only where words stand right of it; words left of the first make a column too). The columns take the table's printed order when
/// they are as many; else each is named by its header words, and the rules are not used
/// unless every column is named (a rule OCR's image lost would shift every name after it).
/// OCR garbles a header read across a ruled band (`SECHPE Modification Name Sous PAWG
/// Request Accepted Date`, generated scan 4001): the rules still part it.
fn columns_from_rules(
    header: &[VisualLine],
    body: &[VisualLine],
    down: &[Rule],
    layout: &TableLayout,
) -> Option<Columns> {
    let words = || body.iter().flat_map(|l| &l.words);
    let top = body.first()?.top;
    let bottom = body.last()?.bottom;
    let size = median(words().map(|w| w.size))?;
    let left = words().map(|w| w.x0).fold(f32::MAX, f32::min);
    let right = words().map(|w| w.x1).fold(f32::MIN, f32::max);
    let middle = (top + bottom) / 2.;
    let mut xs: Vec<f32> = down
        .iter()
        .filter(|r| r.y1.min(bottom) - r.y0.max(top) >= 0.6 * (bottom - top))
        .map(|r| r.x_at(middle))
        .filter(|&x| x > left - 2. * size && x < right + 2. * size)
        .collect();
    xs.sort_by(f32::total_cmp);
    xs.dedup_by(|b, a| *b - *a < 0.5 * size);
    // (A cell's word, not a speck OCR read off the border: generated scan 8401's `|` left
    // of its table's left border made a column of its own, and the rules were not used.)
    let stands = |from: f32, to: f32| {
        words().any(|w| {
            w.x_mid() > from
                && w.x_mid() < to
                && w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        })
    };
    let mut lefts: Vec<f32> = Vec::new();
    if xs.first().is_some_and(|&x| stands(f32::MIN, x)) {
        lefts.push(f32::MIN);
    }
    // Every rule starts a column (empty on this page or not) but the last, which does
    // where words stand right of it (no right border found).
    for (k, &x) in xs.iter().enumerate() {
        if k + 1 < xs.len() || stands(x, f32::MAX) {
            lefts.push(x);
        }
    }
    if lefts.len() < 2 {
        return None;
    }
    let headers: Vec<String> = (0..lefts.len())
        .map(|k| {
            let to = lefts.get(k + 1).copied().unwrap_or(f32::MAX);
            let mut text = String::new();
            for line in header {
                let cell: Vec<&str> = line
                    .words
                    .iter()
                    .filter(|w| w.x_mid() >= lefts[k] && w.x_mid() < to)
                    .map(|w| w.text.as_str())
                    .collect();
                join_cell_line(&mut text, &cell.join(" "));
            }
            text
        })
        .collect();
    let order = layout.order();
    let fields: Vec<ColumnField> = if lefts.len() == order.len() {
        order.to_vec()
    } else {
        let named: Option<Vec<ColumnField>> = headers.iter().map(|h| layout.field_of(h)).collect();
        let named = named?;
        let mut distinct = named.clone();
        distinct.sort_by_key(|f| *f as u8);
        distinct.dedup();
        (distinct.len() == named.len()).then_some(named)?
    };
    if !fields.contains(&ColumnField::Id) {
        return None;
    }
    let mut columns: Columns = lefts
        .into_iter()
        .zip(fields)
        .zip(headers)
        .map(|((left, field), header)| Column {
            field,
            left,
            header,
        })
        .collect();
    columns[0].left = f32::MIN;
    Some(columns)
}

/// Groups words into visual lines: words whose middles are within half a size of the line's
/// middle share it, unless a word stands over one of the line's words (two words of one line
/// never share their width): it goes to the nearest line it fits, or one of its own.
/// (Generated scan 8700's 150-dpi OCR layer boxes its table's 7-point text 12 points high, its
/// lines 7.5 points apart: `requirement for` and the sloping `0156 Users to submit ... IA in
/// progress` under it, each within half a box of the other's middle, read as one line,
/// `requirement Users to submit for`. Grouping the words of each line of the page's text
/// first was tried: tesseract's lines of a table page, and the lines a sparse reading's words
/// are tied to, are not the printed lines, and titles on the seven image-only scans fell.)
fn visual_lines<'w>(words: &[&'w Word]) -> Vec<VisualLine<'w>> {
    let mut sorted: Vec<&Word> = words.to_vec();
    sorted.sort_by(|a, b| a.y_mid().total_cmp(&b.y_mid()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<VisualLine> = Vec::new();
    for w in sorted {
        let near = |l: &VisualLine| (w.y_mid() - (l.top + l.bottom) / 2.).abs();
        let fits = |l: &VisualLine| near(l) < 0.5 * l.size.min(w.size) && !stands_over(l, w);
        // Lines are made top down, so the lines a word may join are the last few.
        let open = lines
            .iter()
            .rev()
            .take_while(|l| l.bottom + 2. * l.size.max(w.size) > w.top)
            .count();
        let from = lines.len() - open;
        let best = (from..lines.len())
            .filter(|&i| fits(&lines[i]))
            .min_by(|&a, &b| near(&lines[a]).total_cmp(&near(&lines[b])));
        match best {
            Some(i) => {
                let l = &mut lines[i];
                l.words.push(w);
                l.top = l.top.min(w.top);
                l.bottom = l.bottom.max(w.bottom);
                l.size = l.size.max(w.size);
            }
            None => lines.push(VisualLine {
                words: vec![w],
                top: w.top,
                bottom: w.bottom,
                size: w.size,
            }),
        }
    }
    for l in &mut lines {
        l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Whether `w` stands over a word of `line` (over half the narrower one's width) whose
/// middle is more than a quarter size above or below its own, its text another's. (The same
/// word printed twice over itself, for bold, stays; so do two words of one line of OCR'd
/// text whose boxes OCR drew wide, generated scan 8801's `Clarifying` over `obligations`,
/// their middles level.)
fn stands_over(line: &VisualLine, w: &Word) -> bool {
    line.words.iter().any(|o| {
        let shared = o.x1.min(w.x1) - o.x0.max(w.x0);
        shared > 0.5 * (o.x1 - o.x0).min(w.x1 - w.x0)
            && o.text != w.text
            && (o.y_mid() - w.y_mid()).abs() > 0.25 * o.size.min(w.size)
    })
}

/// The share of a line's words that are header words.
fn header_share(line: &VisualLine, layout: &TableLayout) -> (usize, f32) {
    let n = line
        .words
        .iter()
        .filter(|w| layout.is_header_word(&w.text))
        .count();
    (n, n as f32 / line.words.len() as f32)
}

/// The header: among the region's first lines, the one with the most header words (at
/// least two, and half its words: a heading above the table, `3 DCC Assessment Delivery
/// Dates`, has fewer than the header's first line), with the close lines around it that
/// are mostly header words (a header cell wrapped over four lines).
fn header_band(
    lines: &[VisualLine],
    layout: &TableLayout,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Option<std::ops::Range<usize>> {
    // Each line's share of header words, worked out once: a region without a header line
    // (a table's later page) is asked it of every line, twice.
    let shares: Vec<std::cell::OnceCell<(usize, f32)>> =
        lines.iter().map(|_| std::cell::OnceCell::new()).collect();
    let share_of = |k: usize| *shares[k].get_or_init(|| header_share(&lines[k], layout));
    let headerish = |k: usize, least: f32| {
        let (n, share) = share_of(k);
        n >= 1 && share >= least
    };
    // Only lines above the first row: a region may run on to the next table's header,
    // with more header words than this one's (generated report 7302: `Modification Type
    // Returned Target Actual duration` under the open table's five rows, and no heading
    // between the tables).
    // (A row after a header line: a heading's number, `4 Modifications - Implementation
    // Status`, reads as an id too.)
    let is_header_line = |k: usize| {
        let (n, share) = share_of(k);
        n >= 2 && share >= 0.5
    };
    let starts_row = |l: &VisualLine| l.words.first().is_some_and(|w| is_row_id(&w.text));
    let first_row = lines
        .iter()
        .enumerate()
        .skip_while(|&(k, _)| !is_header_line(k))
        .find(|&(k, l)| starts_row(l) && !is_header_line(k))
        .map_or(lines.len(), |(k, _)| k);
    let (best, _) = (0..12.min(first_row).min(lines.len()))
        .map(|k| (k, share_of(k)))
        .filter(|(_, (n, share))| *n >= 2 && *share >= 0.5)
        .max_by_key(|(k, (n, _))| (*n, std::cmp::Reverse(*k)))?;
    let close =
        |upper: &VisualLine, lower: &VisualLine| lower.top - upper.bottom < 0.8 * lower.size;
    // (OCR garbles a header's words: `setiteiin pec ae oe Target PA Actual PA` is a third
    // header words. A line with a date is a row's. A line in a larger type is the table's
    // heading: generated scan 4002's `DCC Assessment Delivery Dates`, 15 points over a
    // 10-point header, set the `Title` column's edge left of the ids. Below the header's
    // best line, sizes say nothing: OCR sized a header line read again cell by cell 8
    // points, the layer's line beside it 5.4.)
    // (Unless it stands in cells, mostly header words: OCR sizes a line it read from two
    // of a wrapped header's lines by both, generated scan 9500's page 13, `PA WG` over
    // `Request` read as one 14-point line above the header's best, at 9: `ees we Target PA
    // Actual PA 1“ haben Target IA. Actual IA`. Without it, no date column was found.)
    let header_sized = |k: usize| {
        let l = &lines[k];
        l.size <= 1.4 * lines[best].size || (spans_cells(l) && share_of(k).1 >= 0.5)
    };
    // A line in a type a little larger is the table's heading too where it is one run of
    // words, not cells (generated image-only scan 8903: `Modifications - Implementation
    // Status` at 13 points over the header's `Status` at 10, its `Implementation` taken for
    // the status column's edge, 48 points left of it: every title's last word went to the
    // status).
    let heading = |l: &VisualLine| l.size > 1.2 * lines[best].size && !spans_cells(l);
    let mut start = best;
    while start > 0
        && close(&lines[start - 1], &lines[start])
        && headerish(start - 1, 0.3)
        && header_sized(start - 1)
        && !heading(&lines[start - 1])
        && !holds_date(&lines[start - 1])
    {
        start -= 1;
    }
    // Nor a row's line: `MP115 IA 26 Oct 20 60 WD 60 WD` is a third header words (`IA`,
    // `WD`), set close under its header in generated scan 7401. Nor one cell's first line
    // with header words in it: `Target date revised to`, a comment set at the top of the
    // first row of generated report 7903 (its id centred lower), is half header words, but
    // two of its words are none, and it stands in one cell; a header's lower line that
    // holds as many words that are none spans cells (OCR's `SECMP# Moet le CAE Assessment
    // Received Received`, generated scan 7300).
    let unknown = |l: &VisualLine| {
        l.words
            .iter()
            .filter(|w| w.text.chars().any(char::is_alphanumeric))
            .filter(|w| !layout.is_header_word(&w.text))
            .count()
    };
    let mut end = best + 1;
    while end < lines.len()
        && close(&lines[end - 1], &lines[end])
        && headerish(end, 0.3)
        && (unknown(&lines[end]) <= 1 || spans_cells(&lines[end]))
        && !holds_date(&lines[end])
        && end < first_row
    {
        end += 1;
    }
    Some(start..end)
}

/// True when a line's words stand in more than one cell: two of them an em or more apart.
fn spans_cells(line: &VisualLine) -> bool {
    line.words
        .windows(2)
        .any(|pair| pair[1].x0 - pair[0].x1 >= line.size)
}

/// True when a line holds a word like a numeric date (`19/04/2017`): a row's line, not a
/// header's.
fn holds_date(line: &VisualLine) -> bool {
    line.words.iter().any(|w| is_date_word(&w.text))
}

/// A run of words on a line: words closer than the table's run gap ([`run_gap_ems`]).
#[derive(Debug, Clone)]
struct Run {
    x0: f32,
    x1: f32,
    /// Where its first word with a letter or digit starts: a run is placed by it, not by
    /// a speck OCR read left of it (`-_ assessment`, the speck left of the status column).
    word_x0: Option<f32>,
    /// The middle of that word: a word OCR boxed wider than printed, past its column's edge,
    /// is placed by where most of it stands.
    word_mid: Option<f32>,
    /// The height of its tallest word's box.
    height: f32,
    /// Where its last word that is not a speck of punctuation ends: the space to the next
    /// word is measured from there. (Generated scan 8700's layer read a speck between two
    /// date cells as `.`: `22/07/2021 . 16/09/2021`, two cells bridged into one.)
    ink_x1: f32,
    text: String,
    column: usize,
}

impl Run {
    /// Whether the run is a speck OCR read as text: narrower than a fifth of its height for
    /// each of its letters and digits, where a digit is half as wide as its box is high, or
    /// lower than a third of the middle height of its line's boxes. (Not of the line's size:
    /// a layer's sizes are taken from its lines' pitch, [`sized_by_pitch`], twice the
    /// glyphs' in a table set with an empty line between rows.)
    /// (Generated scan 8603: a speck 0.36 points wide under `SECMP0174`, read `2`, anchored
    /// a row of its own, MP002, that took the title's last line. Generated image-only scan
    /// 8900: a speck boxed 0.7 points square in a 7-point line, read `3`, anchored MP003,
    /// which took the first lines of MP027's comment.)
    /// Whether the run is one word boxed narrower than any letter or digit a person reads
    /// ([`PIXEL_WIDE_EMS`] of its height for each): a speck OCR read as text, which is no
    /// cell's. (Generated scan 9302: `5`, boxed 0.4 points wide on an 8-point line, alone
    /// right of `... on the SSC and TABASC`; 9501: `7`, 0.3 wide, under `... Communications
    /// Hubs`. Both ended their titles.)
    fn is_a_pixel_wide(&self) -> bool {
        let letters = self.text.chars().filter(|c| c.is_alphanumeric()).count();
        !self.text.contains(' ')
            && letters > 0
            && self.x1 - self.x0 < PIXEL_WIDE_EMS * self.height * letters as f32
    }

    fn is_speck(&self, line: &VisualLine) -> bool {
        let boxes = median(line.words.iter().map(|w| w.bottom - w.top)).unwrap_or(0.);
        narrower_than_its_letters(&self.text, self.x1 - self.x0, self.height)
            || self.height < boxes / 3.
    }
}

/// The width (ems of its height, for each letter or digit) under which a word alone is a
/// speck: an OCR layer boxes the specks it reads as text 0.00-0.07 em wide (generated scans
/// 9000-9505), and the narrowest digit a person reads beside another word, `1` in `Part 1`,
/// 0.06 and more.
const PIXEL_WIDE_EMS: f32 = 0.08;

/// Whether text boxed `width` by `height` is narrower than a fifth of its height for each of
/// its letters and digits: a speck OCR read as text.
fn narrower_than_its_letters(text: &str, width: f32, height: f32) -> bool {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    width < 0.2 * height * letters as f32
}

/// A line's runs (words closer than `gap_ems` of their size), not yet placed in columns.
fn runs_of(line: &VisualLine, gap_ems: f32) -> Vec<Run> {
    runs_within(line, gap_ems, ColumnEdges::None)
}

/// A space this many ems wide or wider (and three quarters of the run gap, where an OCR
/// layer's spaces measure wide) between two words, the second standing in the next column,
/// parts two cells even where the run gap would join them (`... Data Protection Regulations
/// On hold`: a title run up to its cell's edge, 0.6 em from the status beside it).
const CELL_EDGE_GAP_EMS: f32 = 0.45;

/// How a line's runs are cut at its table's columns.
#[derive(Debug, Clone, Copy)]
enum ColumnEdges<'c> {
    /// Not cut: the columns are not yet known.
    None,
    /// Edges taken from the words (the header's, the body's white): a run ends before a word
    /// standing in a column right of the run's, a wide space after the word before it.
    Inferred(&'c Columns),
    /// Edges the page's rules down draw: a run ends before any word whose middle stands
    /// right of a rule the run started left of, however narrow the space.
    Ruled(&'c Columns),
}

/// [`runs_of`]; with `edges`, a run also ends before a word that starts in a column right
/// of the run's (or [`EDGE_SLACK_EMS`] short of it, or whose middle stands in it), a space of
/// [`CELL_EDGE_GAP_EMS`] or more after the word before it; under ruled columns, before a word
/// whose middle stands right of the rule. (Generated scan 8100: `Mandating Device   1, in`,
/// the status cell's `IA in` read 1.5 points left of its column's edge, ran into the title.
/// Generated scan 8402: the date `19/09/2016` boxed 5 points left of its column's edge, its
/// middle 18 points right of it, ran into the title before it. Generated scan 8401: the
/// status cell's `request`, 0.75 em after the title's `the` across a rule, joined the title.)
fn runs_within(line: &VisualLine, gap_ems: f32, edges: ColumnEdges) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    // A column rule OCR read as a word (`14/06/2017 | 05/07/2017`) parts two cells: it ends
    // the run before it and is no word of either.
    let mut ruled = false;
    // The size of the word before: a gap is measured in the smaller of the two words' ems
    // (generated scan 8100: a status cell read again alone came back boxed at 11 points
    // beside a title's words at 6, and joined the title across the column's edge).
    let mut size_before = f32::MAX;
    // A date is a cell's whole text, or words of a comment: it starts a run of its own, and
    // so does a word after it (generated scan 8902's cells read again, boxed wider than
    // printed: `28/09/2015 29/10/2015 24/12/2015` one run, three columns' dates in one;
    // `26/05/2016 Currently`, a comment's first word in the IA date's cell; generated scan
    // 8700: `WmPlemented — 26/03/2020`, the PA request date in the status cell). Runs of one
    // column are one cell again ([`cells_of`]).
    let mut after_date = false;
    for w in &line.words {
        if w.text.chars().all(|c| matches!(c, '|' | '[' | ']' | '¦')) {
            ruled = true;
            continue;
        }
        let size = w.size.min(size_before);
        size_before = w.size;
        let word_x0 = w.text.chars().any(char::is_alphanumeric).then_some(w.x0);
        let crosses_edge = |r: &Run| {
            let gap = w.x0 - r.ink_x1;
            let from = |c: &Columns| column_at(c, r.word_x0.unwrap_or(r.x0));
            word_x0.is_some()
                && match edges {
                    ColumnEdges::None => false,
                    ColumnEdges::Inferred(c) => {
                        gap >= CELL_EDGE_GAP_EMS.max(0.75 * gap_ems) * size
                            && column_at(c, (w.x0 + EDGE_SLACK_EMS * size).max(w.x_mid())) > from(c)
                    }
                    ColumnEdges::Ruled(c) => gap > 0. && column_at(c, w.x_mid()) > from(c),
                }
        };
        let is_date = is_date_word(&w.text);
        let ends_date = std::mem::replace(&mut after_date, is_date);
        match runs.last_mut() {
            Some(r)
                if !ruled
                    && !is_date
                    && !(ends_date && word_x0.is_some())
                    && w.x0 - r.ink_x1 < gap_ems * size
                    && !crosses_edge(r) =>
            {
                r.text.push(' ');
                r.text.push_str(&w.text);
                r.x1 = r.x1.max(w.x1);
                if !is_punctuation_speck(w) {
                    r.ink_x1 = r.ink_x1.max(w.x1);
                }
                r.height = r.height.max(w.bottom - w.top);
                if r.word_x0.is_none() {
                    r.word_x0 = word_x0;
                    r.word_mid = word_x0.map(|_| w.x_mid());
                }
            }
            _ => runs.push(Run {
                x0: w.x0,
                x1: w.x1,
                word_x0,
                word_mid: word_x0.map(|_| w.x_mid()),
                height: w.bottom - w.top,
                ink_x1: w.x1,
                text: w.text.to_string(),
                column: 0,
            }),
        }
        ruled = false;
    }
    runs
}

/// Whether a word is a speck OCR read as a point or a comma (`.`, `:`, `;`, `'`), narrower
/// than a fifth of its size. (Not a dash: a title's `SEC - Batch 5`, its dash set narrow, is
/// one run.)
fn is_punctuation_speck(w: &Word) -> bool {
    w.text.chars().all(|c| ".,:;'‘’`\"·*".contains(c)) && w.x1 - w.x0 < 0.2 * w.size
}

/// How far left of a column's edge a run may start and still be the column's (in ems),
/// where it stands clear of the run before it.
const EDGE_SLACK_EMS: f32 = 0.4;

/// How far left of a column's edge (in ems) a run may start and be the column's where its
/// first word's middle stands in it: an OCR box wider than the word printed. (Any distance
/// was measured too: a status run starting further left, under a header centred over its
/// column, then went to the status, but tables set as lines of text read as tables with
/// their dates in the wrong columns, and the checks that caught those sent scans' tables
/// to be read as text: scan dates 0.91 -> 0.82 on seeds 7400-7403.)
const BOXED_WIDE_EMS: f32 = 1.;

/// A line's runs, each in the column its first word (with a letter or digit) starts in, or
/// the next where it starts just short of that column's edge (or within [`BOXED_WIDE_EMS`]
/// of it, its middle in that column), clear of the run before it: a scan's skew moves a
/// column's cells left as the page goes down, past the edge taken from its header, and OCR
/// boxes a word wider than printed.
/// (Generated scan 8101's page 12: `Implemented` at 378.2 points under `DCC Assessment
/// Status`, whose column starts at 378.4, went to the date before it, and 22 rows lost their
/// status. Generated scan 8402: `19/09/2016` boxed from 339.1 under `Date added` at 344.2.)
/// `ruled`: the columns are the page's rules down ([`ColumnEdges::Ruled`]).
fn runs_in_columns(line: &VisualLine, columns: &Columns, gap_ems: f32, ruled: bool) -> Vec<Run> {
    let edges = if ruled {
        ColumnEdges::Ruled(columns)
    } else {
        ColumnEdges::Inferred(columns)
    };
    let mut runs = runs_within(line, gap_ems, edges);
    let mut end_before = f32::MIN;
    for r in &mut runs {
        let x = r.word_x0.unwrap_or(r.x0);
        let slack = EDGE_SLACK_EMS * line.size;
        let mut k = column_at(columns, x);
        let clear = x - end_before >= slack;
        if clear && columns.get(k + 1).is_some_and(|next| next.left - x < slack) {
            k += 1;
        }
        let boxed_wide = |mid: f32| {
            columns
                .get(k + 1)
                .is_some_and(|next| next.left - x < BOXED_WIDE_EMS * line.size && mid >= next.left)
        };
        if clear && r.word_mid.is_some_and(boxed_wide) {
            k += 1;
        }
        r.column = k;
        end_before = r.x1;
    }
    runs
}

/// The column a run starting at `x` falls in.
fn column_at(columns: &Columns, x: f32) -> usize {
    columns.iter().rposition(|c| c.left <= x).unwrap_or(0)
}

/// The columns named by the header's cells. A header cell is the header words whose runs
/// start at one left edge (a wrapped header cell starts each line there); its left edge is
/// moved left to where the body's runs start when a header is centred over its column.
fn columns_from_header(
    band: &[VisualLine],
    body: &[VisualLine],
    layout: &TableLayout,
    gap_ems: f32,
) -> Option<Columns> {
    let (resized, sizes) = header_words(band);
    let band: Vec<VisualLine> = band
        .iter()
        .zip(resized.iter().zip(sizes))
        .map(|(l, (words, size))| VisualLine {
            words: words.iter().collect(),
            size,
            ..*l
        })
        .filter(|l| !l.words.is_empty())
        .collect();
    let band = &band[..];
    let size = band.iter().map(|l| l.size).fold(0., f32::max);
    // Each header run's left edge, clustered across the band's lines.
    let mut edges: Vec<f32> = band
        .iter()
        .flat_map(|l| runs_of(l, gap_ems))
        .map(|r| r.x0)
        .collect();
    edges.sort_by(f32::total_cmp);
    edges.dedup_by(|b, a| *b - *a < 0.8 * size);
    // Body runs that start left of a header cell but right of the cell before it: the
    // column starts there (a centred header).
    let body_starts: Vec<f32> = body
        .iter()
        .flat_map(|l| runs_of(l, gap_ems))
        .map(|r| r.x0)
        .collect();
    // A column moves left only to where several lines start a run: one title run OCR set
    // apart (`Including the MAP   ID in the Smart Metering`) must not pull the next column
    // (`Date added`) under the title.
    let support = (body.len() / 8).max(2);
    let column_under = |x: f32| {
        let starts = body_starts
            .iter()
            .filter(|&&b| b > x - 1.5 * size && b < x + 0.8 * size);
        starts.count() >= support
    };
    join_split_header_cells(band, &mut edges, layout, size, gap_ems);
    let (mut texts, rights) = header_cells(band, &edges, size, gap_ems);
    let mut columns: Columns = Vec::new();
    for k in 0..edges.len() {
        let after = if k == 0 { f32::MIN } else { rights[k - 1] };
        let mut under: Vec<f32> = body_starts
            .iter()
            .copied()
            .filter(|&x| x > after + 0.2 * size && x < edges[k])
            .collect();
        under.sort_by(f32::total_cmp);
        // ... and where few lines' words run across from the left (one in ten: OCR's boxes
        // and a scan's skew let a title's last word reach past its column's edge).
        let crossed = |x: f32| {
            body.iter()
                .filter(|l| l.words.iter().any(|w| w.x0 < x - 1. && w.x1 > x - 1.))
                .count()
        };
        let left = under
            .iter()
            .enumerate()
            .find(|&(i, &x)| {
                under[i..]
                    .iter()
                    .take_while(|&&y| y - x < 0.8 * size)
                    .count()
                    >= support
                    && crossed(x) <= (body.len() / 10).max(1)
            })
            .map_or(edges[k], |(_, &x)| x.min(edges[k]));
        let mut field = layout.field_of(&texts[k]);
        // A header cell OCR split at a wide gap (`Date` `added`): with the next cell it names
        // that cell's column, it starts it. Not a cell that starts under the one before it:
        // that is the cell before's wrapped line (`Modification` / `le`, the `Tit` of `Title`
        // lost on a dark band, generated scan 7300: joined to `DCC Assessment Status`, it
        // moved the status column's edge into the titles).
        let clear_of_previous = k == 0 || edges[k] > rights[k - 1];
        // Nor a header cell OCR garbled that stands for a column of its own.
        let before = columns.last().map(|c| c.field);
        let cells = (&edges[..], &texts[..]);
        let garbled = garbled_cell_column(
            band,
            cells,
            k,
            before,
            layout,
            (size, gap_ems),
            &column_under,
        );
        let own_column = field.is_none() && garbled.is_some();
        if field.is_none() && clear_of_previous && !own_column && k + 1 < edges.len() {
            let joined = format!("{} {}", texts[k], texts[k + 1]);
            let next = layout.field_of(&texts[k + 1]);
            if next.is_some() && layout.field_of(&joined) == next {
                texts[k + 1] = joined;
                edges[k + 1] = edges[k];
                continue;
            }
        }
        if field.is_none() {
            field = garbled;
        }
        match (field.take(), columns.last_mut()) {
            (Some(field), _) => columns.push(Column {
                field,
                left: left - 1.,
                header: std::mem::take(&mut texts[k]),
            }),
            // A header cell no column is named by belongs with the one before it (a wide
            // gap inside a header cell); the first, with the next.
            (None, Some(previous)) => join_cell_line(&mut previous.header, &texts[k]),
            (None, None) => {}
        }
    }
    // Two cells naming one column: the second continues the first (adjacent) or is dropped.
    columns.dedup_by(|b, a| {
        let same = a.field == b.field;
        if same {
            let more = std::mem::take(&mut b.header);
            join_cell_line(&mut a.header, &more);
        }
        same
    });
    complete_by_body(&mut columns, body, layout, gap_ems, size);
    if let Some(first) = columns.first_mut() {
        first.left = f32::MIN;
    }
    (columns.len() >= 2).then_some(columns)
}

/// The header's columns with an id column first where the header named none but the rows
/// start with ids left of the first column's words: OCR lost `MP#` on a dark band, or ran
/// it into the next cell (`mMP# Modification Title`, named the title's; generated scan
/// 7402, whose delivery table had no id column and lost every row). The id column ends
/// where the ids do; the columns the body adds are found again with it.
fn with_id_column(
    mut columns: Columns,
    body: &[VisualLine],
    layout: &TableLayout,
    gap_ems: f32,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Columns {
    // (Only before a title: an assessment table whose `Modification` OCR ran into its
    // heading, `Returned Modification Assessments`, reads better as text, generated scan
    // 7402.)
    if columns.iter().any(|c| c.field == ColumnField::Id)
        || columns
            .first()
            .is_none_or(|c| c.field != ColumnField::Title)
    {
        return columns;
    }
    let mut ids: Vec<&Word> = body
        .iter()
        .filter_map(|l| l.words.first().copied())
        .filter(|w| is_row_id(&w.text))
        .collect();
    // The ids stand in a column of their own at the left: a title line starting with a
    // number (`12 TS Applicability`) is not one.
    let size = median(ids.iter().map(|w| w.size)).unwrap_or(10.);
    let Some(leftmost) = ids.iter().map(|w| w.x0).min_by(f32::total_cmp) else {
        return columns;
    };
    ids.retain(|w| w.x0 < leftmost + 2. * size);
    let Some(ids_end) = ids.iter().map(|w| w.x1).max_by(f32::total_cmp) else {
        return columns;
    };
    // Every id must end before the second column starts, and several lines start with one,
    // or the body's first line does: a table begun at a page's foot, one row under its
    // header (generated scan 9705's page 8, whose header cells, read again from its grey
    // band, lost `MP#`: the table, and the pages it runs on to with its columns, lost every
    // row).
    let second = columns.get(1).map_or(f32::MAX, |c| c.left);
    let first_line_starts_with_one = body
        .first()
        .and_then(|l| l.words.first())
        .is_some_and(|w| ids.iter().any(|id| std::ptr::eq(*id, *w)));
    if (ids.len() < 2 && !first_line_starts_with_one) || ids_end >= second {
        return columns;
    }
    // The title column starts where the rows' runs start right of the ids (several lines).
    let mut starts: Vec<f32> = body
        .iter()
        .flat_map(|l| runs_of(l, gap_ems))
        .filter_map(|r| r.word_x0)
        .filter(|&x| x > ids_end)
        .collect();
    starts.sort_by(f32::total_cmp);
    let title_left = starts
        .windows(3)
        .find(|w| w[2] - w[0] < 0.8 * size)
        .map_or(ids_end + 0.25 * size, |w| w[0] - 1.);
    if title_left >= second {
        return columns;
    }
    columns[0].left = title_left;
    columns.insert(
        0,
        Column {
            field: ColumnField::Id,
            left: f32::MIN,
            header: String::new(),
        },
    );
    complete_by_body(&mut columns, body, layout, gap_ems, size);
    columns
}

/// A header band's words that may start a cell, line by line, each line's at its size: marks
/// OCR read in a header's white (`,` `'` a few points wide: generated scan 7602's `,`
/// halfway to `Date added` gave that cell its left edge, and its column the titles' last
/// words) are left out, and so is a speck read as a letter, narrower than a fifth of its
/// height (generated scan 9404's `e`, 0.5 points wide 79 points left of `Date added`:
/// joined to it, it moved the column's edge into the titles, and 17 titles lost their last
/// words). A line OCR read from two of a wrapped header's lines is sized by both (generated
/// scan 9500's page 13: `Target PA Actual PA` at 14 points in a header at 9): sized so, its
/// cells' gaps measured less than a space and three cells read as one. It takes the header's
/// usual size, its words too.
fn header_words(band: &[VisualLine]) -> (Vec<Vec<Word>>, Vec<f32>) {
    let usual = median(band.iter().map(|l| l.size)).unwrap_or(0.);
    let size_of = |l: &VisualLine| if l.size > 1.25 * usual { usual } else { l.size };
    let words = band
        .iter()
        .map(|l| {
            let oversized = size_of(l) != l.size;
            l.words
                .iter()
                .filter(|w| {
                    w.text.chars().any(char::is_alphanumeric)
                        && !narrower_than_its_letters(&w.text, w.x1 - w.x0, w.bottom - w.top)
                })
                .map(|&w| Word {
                    size: if oversized { usual } else { w.size },
                    ..w.clone()
                })
                .collect()
        })
        .collect();
    (words, band.iter().map(size_of).collect())
}

/// The column a header cell naming none stands for, its header garbled: the one column the
/// table prints between the column before it and the next cell's, where the cell is stacked
/// over lines beside the next, side by side on two lines or more, or the body's runs start
/// under it as under the next (`column_under`). Generated scan 9500's page 13: `ees we` /
/// `pegs` / `Date` for `PA WG Request Received Date`, beside `Target PA` / `Delivery` /
/// `Date`; scan 9601's `Status` on a shaded band read `tus`, the statuses under it. (A cell
/// OCR split at a wide gap, `Date` `added`, stands on one line, over one column of cells.)
fn garbled_cell_column(
    band: &[VisualLine],
    (edges, texts): (&[f32], &[String]),
    k: usize,
    before: Option<ColumnField>,
    layout: &TableLayout,
    (size, gap_ems): (f32, f32),
    column_under: &dyn Fn(f32) -> bool,
) -> Option<ColumnField> {
    if layout.field_of(texts.get(k)?).is_some() {
        return None;
    }
    let after = layout.field_of(texts.get(k + 1)?);
    let between = one_between(layout.order(), before, after)?;
    let (own, next) = (
        cell_lines(band, edges, size, gap_ems, k),
        cell_lines(band, edges, size, gap_ems, k + 1),
    );
    let beside = own.iter().filter(|l| next.contains(l)).count();
    let stacked = own.len() >= 2 && beside >= 2;
    (stacked || (column_under(edges[k]) && column_under(edges[k + 1]))).then_some(between)
}

/// The one field `order` prints between `before` and `after`, if exactly one stands there.
fn one_between(
    order: &[ColumnField],
    before: Option<ColumnField>,
    after: Option<ColumnField>,
) -> Option<ColumnField> {
    let at = |f: ColumnField| order.iter().position(|&o| o == f);
    let (b, a) = (at(before?)?, at(after?)?);
    (a == b + 2).then(|| order[b + 1])
}

/// The band's lines (indices) on which the header cell starting at `edges[k]` has words.
/// (Two cells stacked over lines side by side are two columns' headers, however OCR
/// garbled one: a cell split at a wide gap, `Date` `added`, stands on one line.)
fn cell_lines(band: &[VisualLine], edges: &[f32], size: f32, gap_ems: f32, k: usize) -> Vec<usize> {
    band.iter()
        .enumerate()
        .filter(|(_, line)| {
            runs_of(line, gap_ems).iter().any(|run| {
                edges
                    .iter()
                    .rposition(|&e| e <= run.x0 + 0.8 * size)
                    .unwrap_or(0)
                    == k
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The header cells' texts (each line's runs joined, lines in order) and right ends, for
/// the cells starting at `edges`.
fn header_cells(
    band: &[VisualLine],
    edges: &[f32],
    size: f32,
    gap_ems: f32,
) -> (Vec<String>, Vec<f32>) {
    let mut texts = vec![String::new(); edges.len()];
    let mut rights = vec![f32::MIN; edges.len()];
    for line in band {
        for run in runs_of(line, gap_ems) {
            let k = edges
                .iter()
                .rposition(|&e| e <= run.x0 + 0.8 * size)
                .unwrap_or(0);
            join_cell_line(&mut texts[k], &run.text);
            rights[k] = rights[k].max(run.x1);
        }
    }
    (texts, rights)
}

/// Joins a header cell OCR's word boxes split at a wide space to the cell before it, where
/// the cell before names no column alone, together they name one, and each of its runs
/// stands close after a run of the cell before on its line. (Generated scan 4002: `Target`
/// and `PA` of `Target PA / Delivery / Date` 9 points apart at 10 points, read as two cells,
/// `Target Delivery Date` and `PA`, neither a column.)
fn join_split_header_cells(
    band: &[VisualLine],
    edges: &mut Vec<f32>,
    layout: &TableLayout,
    size: f32,
    gap_ems: f32,
) {
    let runs: Vec<Vec<Run>> = band.iter().map(|l| runs_of(l, gap_ems)).collect();
    let cell_of = |edges: &[f32], x: f32| edges.iter().rposition(|&e| e <= x + 0.8 * size);
    let mut k = 0;
    while k + 1 < edges.len() {
        let (texts, _) = header_cells(band, edges, size, gap_ems);
        let follows = runs.iter().all(|line| {
            line.iter().enumerate().all(|(i, r)| {
                cell_of(edges, r.x0) != Some(k + 1)
                    || i > 0
                        && cell_of(edges, line[i - 1].x0) == Some(k)
                        && r.x0 - line[i - 1].x1 < 1.5 * size
            })
        });
        if follows && layout.field_of(&texts[k]).is_none() {
            let mut joined = edges.clone();
            joined.remove(k + 1);
            let (together, _) = header_cells(band, &joined, size, gap_ems);
            if layout.field_of(&together[k]).is_some() {
                *edges = joined;
                continue;
            }
        }
        k += 1;
    }
}

/// Columns the header lost (OCR garbles a header's small words: `setiteiin pec ae oe`): where
/// the body's runs start, in many lines, well inside a named column, another column starts.
/// When with those the columns are as many as the table's printed order has, they are named
/// by that order; otherwise the header's columns stand.
fn complete_by_body(
    columns: &mut Columns,
    body: &[VisualLine],
    layout: &TableLayout,
    gap_ems: f32,
    size: f32,
) {
    let order = layout.order();
    if order.is_empty() || columns.len() >= order.len() {
        return;
    }
    // Run starts, clustered: (left edge, lines starting a run there).
    let mut starts: Vec<f32> = body
        .iter()
        .flat_map(|l| runs_of(l, gap_ems))
        .map(|r| r.x0)
        .collect();
    starts.sort_by(f32::total_cmp);
    // A start joins the cluster before it when it stands close to the last start in it:
    // a scan's skew moves a column's edge across as the page goes down (generated scan
    // 7402's page 9: the titles start at 102.7 points at the top, 111 at the foot), and
    // its starts, clustered by the first, part into two too small to count. Not further
    // than three ems from the first: that is another column.
    let mut clusters: Vec<(f32, usize)> = Vec::new();
    let mut last = f32::MIN;
    for x in starts {
        match clusters.last_mut() {
            Some((left, n)) if x - last < 0.8 * size && x - *left < 3. * size => *n += 1,
            _ => clusters.push((x, 1)),
        }
        last = x;
    }
    let support = (body.len() / 10).max(3);
    let mut lefts: Vec<f32> = columns.iter().map(|c| c.left).collect();
    // An id column found from its ids stands open to the left (`f32::MIN`): it starts where
    // the leftmost run does. (Generated scan 7402's page 9, `MP#`, `DCC Assessment Status`
    // and `IA WG Request` lost: the ids' own run starts were taken for a column, eleven
    // for ten, and the page's fifteen rows went unread.)
    let first_at = match (lefts.first(), clusters.first()) {
        (Some(&l), Some(&(x, _))) if l == f32::MIN => Some(x),
        _ => None,
    };
    for (x, n) in clusters {
        let inside = lefts
            .iter()
            .chain(&first_at)
            .all(|&l| (x - l).abs() > 1.5 * size);
        if n >= support && inside && lefts.first().is_some_and(|&l| x > l) {
            lefts.push(x);
        }
    }
    if lefts.len() != order.len() {
        return;
    }
    lefts.sort_by(f32::total_cmp);
    let headers: Vec<(f32, String)> = columns.iter().map(|c| (c.left, c.header.clone())).collect();
    *columns = lefts
        .iter()
        .zip(order)
        .map(|(&left, &field)| Column {
            field,
            left,
            header: headers
                .iter()
                .find(|(l, _)| *l == left)
                .map(|(_, h)| h.clone())
                .unwrap_or_default(),
        })
        .collect();
}

/// The columns where the body's words leave corridors of white, when the header lost some
/// (a header printed white on a dark band comes back from OCR as `setiteiin pec ae oe`, and
/// its cells run together) and the corridors part exactly as many columns as the table's
/// printed order has: named by that order. Only the rows' lines are looked at (from the first
/// line that starts with an id to the last), and only words with a letter or digit in them:
/// a rule OCR read as `|` stands in a corridor, and so may a speck. A corridor is at least
/// half an em wide (a space inside a cell is narrower) and crossed by at most one line.
fn columns_from_corridors(
    body: &[VisualLine],
    band: &[VisualLine],
    layout: &TableLayout,
    header: &Columns,
    is_row_id: &dyn Fn(&str) -> bool,
) -> Option<Columns> {
    let order = layout.order();
    let starts_with_id = |l: &VisualLine| l.words.first().is_some_and(|w| is_row_id(&w.text));
    let first = body.iter().position(starts_with_id)?;
    let last = body.iter().rposition(starts_with_id)?;
    let rows = &body[first..=last];
    let size = median(rows.iter().map(|l| l.size))?;
    let words = || {
        rows.iter()
            .flat_map(|l| &l.words)
            .filter(|w| w.text.chars().any(char::is_alphanumeric))
    };
    let left = words().map(|w| w.x0).fold(f32::MAX, f32::min);
    let right = words().map(|w| w.x1).fold(f32::MIN, f32::max);
    if right <= left {
        return None;
    }
    // How many lines cover each half point across the table.
    let step = 0.5;
    let mut cover = vec![0u32; ((right - left) / step) as usize + 1];
    for line in rows {
        let mut covered = vec![false; cover.len()];
        for w in line
            .words
            .iter()
            .filter(|w| w.text.chars().any(char::is_alphanumeric))
        {
            let (a, b) = (
                ((w.x0 - left) / step) as usize,
                ((w.x1 - left) / step) as usize,
            );
            covered[a.min(cover.len() - 1)..=b.min(cover.len() - 1)].fill(true);
        }
        for (c, hit) in cover.iter_mut().zip(covered) {
            *c += u32::from(hit);
        }
    }
    // Each corridor's right end starts a column. A corridor is between words: the table's
    // left edge, where one line's word stands out further left (generated scan 4002's
    // `0166`, boxed a size larger than the other ids), starts none.
    let mut lefts = vec![f32::MIN];
    let mut open: Option<usize> = None;
    let mut inked = false;
    for (i, &c) in cover.iter().enumerate() {
        inked |= c > 1;
        match (c <= 1 && inked, open) {
            (true, None) => open = Some(i),
            (false, Some(start)) => {
                if (i - start) as f32 * step >= 0.5 * size {
                    // The column starts at the first word that starts in the corridor, if one
                    // does: the one line a corridor lets through is most often the next
                    // column's first word, set left by a scan's skew (generated scan 8103:
                    // `02/03/2017` at 331 points, its corridor ending at 332.8, fell in the
                    // column before and made its row two).
                    let (from, to) = (left + start as f32 * step, left + i as f32 * step);
                    let first = words()
                        .map(|w| w.x0)
                        .filter(|&x| x > from && x < to)
                        .fold(to, f32::min);
                    lefts.push(first - 1.);
                }
                open = None;
            }
            _ => {}
        }
    }
    if lefts.len() > order.len() {
        lefts = starting_most_lines(lefts, rows, band, size, order.len());
    }
    if lefts.len() != order.len() {
        return None;
    }
    // Each header cell's words go to the column its left edge (give or take an em) is in.
    let mut headers = vec![String::new(); lefts.len()];
    for c in header {
        let k = lefts.iter().rposition(|&l| l <= c.left + size).unwrap_or(0);
        join_cell_line(&mut headers[k], &c.header);
    }
    Some(
        lefts
            .iter()
            .zip(order)
            .zip(headers)
            .map(|((&left, &field), header)| Column {
                field,
                left,
                header,
            })
            .collect(),
    )
}

/// The `wanted` column edges of `lefts` (corridors' right ends, the table's left edge
/// first) that stand under a header cell's start or that most lines start a word at, where
/// the others are corridors in a ragged column: a column's cells are set flush left under
/// their header cell, while a corridor inside wrapped comments has a word or two beside it
/// and no header word above it. (Generated scan 8103's delivery table: a corridor at 512
/// points inside the `DCC Comments` column made eleven columns of ten, and its 26 rows were
/// read as text without their dates; `Actual IA`'s column, mostly empty, had as few words
/// starting at its edge, but its header cell starts there.) The edges stand as they are
/// unless each one dropped is under no header cell and started at by at most half as many
/// lines as any kept that is under none.
fn starting_most_lines(
    lefts: Vec<f32>,
    rows: &[VisualLine],
    band: &[VisualLine],
    size: f32,
    wanted: usize,
) -> Vec<f32> {
    let alphanumeric = |w: &&&Word| w.text.chars().any(char::is_alphanumeric);
    let starts_at = |left: f32| {
        rows.iter()
            .filter(|l| {
                l.words
                    .iter()
                    .filter(alphanumeric)
                    .any(|w| w.x0 >= left && w.x0 < left + size)
            })
            .count()
    };
    let headed = |left: f32| {
        band.iter()
            .flat_map(|l| l.words.iter().filter(alphanumeric))
            .any(|w| w.x0 > left - 2. * size && w.x0 < left + 3. * size)
    };
    // (The table's left edge, `f32::MIN`, is always kept.)
    let mut ranked: Vec<(bool, usize, usize)> = lefts
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, &l)| (headed(l), starts_at(l), k))
        .collect();
    ranked.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)));
    let (kept, dropped) = ranked.split_at((wanted.saturating_sub(1)).min(ranked.len()));
    let weakest_unheaded = kept
        .iter()
        .filter(|k| !k.0)
        .map(|k| k.1)
        .min()
        .unwrap_or(usize::MAX);
    if dropped.iter().any(|d| d.0 || 2 * d.1 > weakest_unheaded) {
        return lefts;
    }
    let mut keep: Vec<usize> = kept.iter().map(|k| k.2).collect();
    keep.push(0);
    keep.sort_unstable();
    keep.into_iter().map(|k| lefts[k]).collect()
}

/// The median of some values (`None` for none).
fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return None;
    }
    let mid = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    Some(*m)
}

/// Cuts the body into rows: one per anchor. Between two anchors the cut is the first rule
/// below the upper anchor's line (`rules`, levelled as the lines are), else, where the rows
/// print their dates above their ids, the lower row's dated line ([`dated_tops`]; `dated`
/// says which lines hold a date in a date column), else the widest gap between lines; the
/// first row reaches up to the first line below a rule above its anchor, else to the first
/// line unless a wider gap than its own lines' sets lines above it apart (the page before's
/// last row, continued), and at least to its dated line; the last row reaches down to a rule
/// below it, else while its lines stay as close as a row's own.
fn row_bands(
    body: &[VisualLine],
    (dated, id_beside_title): (&[bool], bool),
    anchors: &[usize],
    rules: &[Rule],
) -> Vec<std::ops::Range<usize>> {
    let on_top = ids_on_top(dated, anchors);
    let dated_tops = if on_top {
        vec![None; anchors.len()]
    } else {
        dated_tops(dated, anchors)
    };
    let (cuts, row_gap) = row_cuts(body, anchors, rules, (on_top, &dated_tops, id_beside_title));
    let start = first_row_start(body, anchors[0], rules, row_gap, (on_top, dated_tops[0]));
    let last = *anchors.last().expect("anchors");
    let end = last_row_end(body, last, rules, (row_gap, body[anchors[0]].size));
    let mut bands = Vec::with_capacity(anchors.len());
    let mut from = start;
    for &cut in &cuts {
        bands.push(from..cut);
        from = cut;
    }
    bands.push(from..end);
    bands
}

/// The gap between body line `j` and the next.
fn gap_below(body: &[VisualLine], j: usize) -> f32 {
    body[j + 1].top - body[j].bottom
}

/// Whether most of body line `j`'s words stand below `rule`.
fn below_rule(body: &[VisualLine], j: usize, rule: &Rule) -> bool {
    let words = &body[j].words;
    let under = words
        .iter()
        .filter(|w| w.y_mid() > rule.y_at(w.x_mid()))
        .count();
    2 * under > words.len()
}

/// Whether a gap sets two rows apart: four fifths of the gap between rows (`row_gap`, an em
/// where the page gives none), a third of an em at least.
fn sets_apart(g: f32, row_gap: Option<f32>, size: f32) -> bool {
    g >= (0.8 * row_gap.unwrap_or(size)).max(0.35 * size)
}

/// Where the rows between the anchors part ([`row_bands`]): each cut the first line of the
/// lower row; and the gap between rows, the middle of those cut at (none for one row).
/// `(on_top, dated_tops)`: whether the ids stand on their rows' top lines ([`ids_on_top`]),
/// and each anchor's dated top line ([`dated_tops`]).
fn row_cuts(
    body: &[VisualLine],
    anchors: &[usize],
    rules: &[Rule],
    (on_top, dated_tops, id_beside_title): (bool, &[Option<usize>], bool),
) -> (Vec<usize>, Option<f32>) {
    let gap = |j: usize| gap_below(body, j);
    // The first line below the first rule between lines `a` and `b`.
    let ruled = |a: usize, b: usize| {
        let rule = rules
            .iter()
            .find(|r| !below_rule(body, a, r) && below_rule(body, b, r))?;
        (a + 1..=b).find(|&j| below_rule(body, j, rule))
    };
    let mut cuts = Vec::with_capacity(anchors.len() + 1);
    let mut cut_gaps = Vec::new();
    // Where the body's lines are evenly spaced (a layout export: no row sets itself apart)
    // and the cells are seen centred on the ids (the first row has lines above its id, or an
    // id's line holds no title words, its title's lines above and below it), the upper row
    // takes as many lines below its id as it has above it, from the first row down (its top
    // the body's first line). (Otherwise an id on its row's top line has all its lines below
    // it.)
    let centred = (anchors[0] > 0 || id_beside_title) && evenly_spaced(body);
    let mut upper_top = 0;
    for (k, pair) in anchors.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        // The widest gap; of equal ones, the last (a row's top line is its id's). Where the
        // ids stand on their rows' top lines, the line above the lower id.
        let widest = if on_top {
            b - 1
        } else if centred {
            (a + a.saturating_sub(upper_top)).min(b - 1)
        } else {
            (a..b)
                .max_by(|&x, &y| gap(x).total_cmp(&gap(y)).then(x.cmp(&y)))
                .expect("a < b")
        };
        let j = ruled(a, b)
            .or(dated_tops[k + 1])
            .map_or(widest, |cut| cut - 1);
        cuts.push(j + 1);
        cut_gaps.push(gap(j));
        upper_top = j + 1;
    }
    cut_gaps.sort_by(f32::total_cmp);
    (cuts, cut_gaps.get(cut_gaps.len() / 2).copied())
}

/// Whether a table has a title column and an id's line that holds none of its words: the
/// title stands above and below its id, centred (a layout export's `Removal of the
/// confidential classification ...` / `0020 ... On hold` / `SEC Schedule 5`). An id on its
/// row's top line shares that line with its title's first words.
fn id_line_without_title(columns: &Columns, runs: &[Vec<Run>], anchors: &[usize]) -> bool {
    let field = |field: ColumnField| columns.iter().position(|c| c.field == field);
    let (Some(title), Some(id)) = (field(ColumnField::Title), field(ColumnField::Id)) else {
        return false;
    };
    // (An id run of more than one word holds the title's first words: an export set them
    // one space from the id, `SECMP0090v2 Incorporation of Non`.)
    let id_alone = |r: &Run| r.column == id && r.text.split_whitespace().count() == 1;
    anchors
        .iter()
        .any(|&a| runs[a].iter().all(|r| r.column != title) && runs[a].iter().any(id_alone))
}

/// Whether a table body's lines stand at one pitch, each placed exactly (a text layer's
/// words, not OCR's): a layout export of a table, whose rows no gap sets apart.
fn evenly_spaced(body: &[VisualLine]) -> bool {
    let Some(size) = body.first().map(|l| l.size) else {
        return false;
    };
    let placed_exactly = body
        .iter()
        .flat_map(|l| &l.words)
        .all(|w| w.confidence >= 1.);
    let gaps: Vec<f32> = (0..body.len().saturating_sub(1))
        .map(|j| gap_below(body, j))
        .collect();
    let (low, high) = gaps
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), &g| (lo.min(g), hi.max(g)));
    placed_exactly && gaps.len() >= 2 && high - low <= 0.05 * size
}

/// The first row's top line: the line after the last gap above its anchor (`first`) that sets
/// rows apart, and not above the first line below a rule above it; the anchor's own line
/// where the ids stand on their rows' top lines (`on_top`), and at least its dated top line
/// (`dated_top`). (A rule alone is not enough: a table ruled only round its outside draws its
/// top border above the page's first lines, which are the last row of the page before,
/// continued: generated report 9000's MP166 lost `Independent Assurance` to the row below.)
fn first_row_start(
    body: &[VisualLine],
    first: usize,
    rules: &[Rule],
    row_gap: Option<f32>,
    (on_top, dated_top): (bool, Option<usize>),
) -> usize {
    let size = body[first].size;
    // Above a page's only row, a gap three times the middle one between the page's lines
    // sets lines apart too (the page before's row, continued: generated report 9301's page
    // 15, `v3.2 devices` and a comment's four lines 2.1 points apart, then 7.1 points down to
    // `0095`, whose row took them, less than an em below them). Not below it, and not
    // among words tesseract read from an image (each with its confidence): it sets a row's
    // lines unevenly, and image-only scan 8800's rows lost lines of their comments, and a
    // row its id.
    let line_gap =
        median((0..body.len().saturating_sub(1)).map(|j| gap_below(body, j))).unwrap_or(size);
    let placed_exactly = body
        .iter()
        .flat_map(|l| &l.words)
        .all(|w| w.confidence >= 1.);
    let apart = |g: f32| match row_gap {
        None if placed_exactly => {
            sets_apart(g, row_gap, size) || g >= (3. * line_gap).max(0.35 * size)
        }
        _ => sets_apart(g, row_gap, size),
    };
    let after_gap = (0..first)
        .rev()
        .find(|&j| apart(gap_below(body, j)))
        .map_or(0, |j| j + 1)
        .min(dated_top.unwrap_or(first));
    let above = rules.iter().rev().find(|r| below_rule(body, first, r));
    match above {
        Some(rule) => (0..=first)
            .find(|&j| below_rule(body, j, rule))
            .unwrap_or(first)
            .max(after_gap),
        None if on_top => first,
        None => after_gap,
    }
}

/// The last row's end (one past its last line): down to a rule below its anchor (`last`),
/// else while its lines stay as close as a row's own (`row_gap`, in the first row's `size`).
fn last_row_end(
    body: &[VisualLine],
    last: usize,
    rules: &[Rule],
    (row_gap, size): (Option<f32>, f32),
) -> usize {
    match rules.iter().find(|r| !below_rule(body, last, r)) {
        Some(rule) => (last + 1..body.len())
            .find(|&j| below_rule(body, j, rule))
            .unwrap_or(body.len()),
        None => {
            let mut end = last + 1;
            while end < body.len() && !sets_apart(gap_below(body, end - 1), row_gap, size) {
                end += 1;
            }
            end
        }
    }
}

/// Whether the table prints each row's id on the row's top line and centres its other cells
/// beside it: most ids' lines hold no date (`dated`, by line), no dated line stands above the
/// first id, none on the last id's line, and one below it. Read by the widest gap between
/// two ids, such rows part inside a row (their cells, centred at different heights, leave no
/// wider gap between rows than within them), and read as rows whose dates stand above their
/// ids ([`dated_tops`]), each took the row above's dates: generated report 9214, whose table is ruled only round its outside
/// (`0176` beside `Changes to the`, its dates two lines down), read 0.74 of its titles and
/// 0.41 of its dates so. (A table of rows whose dates stand above their ids prints the last
/// row's dates above its id, and the first row's above the first id or on its line.)
fn ids_on_top(dated: &[bool], anchors: &[usize]) -> bool {
    let (Some(&first), Some(&last)) = (anchors.first(), anchors.last()) else {
        return false;
    };
    // (Most ids' own lines hold no date: in a table that centres every cell, the ids and
    // dates share their lines, and a scan's skew can part the last row's line in two:
    // generated scan 8700's page 10 lost three rows to it.)
    let undated = anchors.iter().filter(|&&a| !dated[a]).count();
    2 * undated > anchors.len()
        && !dated[..first].iter().any(|&d| d)
        && !dated[last]
        && dated[last + 1..].iter().any(|&d| d)
}

/// For each anchor, the line its row starts on where the table prints each row's dates on its top
/// line and its id lower, beside the middle of a wrapped title: the last line holding a date in a
/// date column (`dated`, by line) between the anchor above (or the body's top) and the anchor,
/// where the anchor's own line holds none. `None` for every anchor where the table is not printed
/// so: where most anchors' lines are not such lines below a dated one. (An id printed on its row's
/// dated line, a skew parting that line in two, is not: generated scan 8103's page 3, whose rows'
/// titles ran into the rows above.) (Generated scan 8801's page 13: ids centred beside titles of
/// two to four lines, the scan's line gaps opened, so that the widest gap between two ids fell
/// inside a row: MP163 took the next row's dates, and MP156's were lost.)
fn dated_tops(dated: &[bool], anchors: &[usize]) -> Vec<Option<usize>> {
    let from = |k: usize| if k == 0 { 0 } else { anchors[k - 1] + 1 };
    let top = |k: usize| (from(k)..anchors[k]).rev().find(|&j| dated[j]);
    let below_dates = (0..anchors.len())
        .filter(|&k| !dated[anchors[k]] && top(k).is_some())
        .count();
    let printed_so = 2 * below_dates > anchors.len();
    (0..anchors.len())
        .map(|k| (printed_so && !dated[anchors[k]]).then(|| top(k)).flatten())
        .collect()
}

/// Lines that anchor rows whose id OCR lost (`rat` printed for `21`, or no word at all):
/// where one row's band holds two dates in one column, the band is two rows, since a date
/// cell never wraps into a second date. Each date line but the one nearest the id's line
/// anchors a row of its own, whose id cell is then read as whatever OCR left there.
fn rows_without_ids(
    body: &[VisualLine],
    (runs, dated): (&[Vec<Run>], &[bool]),
    columns: &Columns,
    anchors: &[usize],
    rules: &[Rule],
) -> Vec<usize> {
    let id_beside_title = id_line_without_title(columns, runs, anchors);
    let bands = row_bands(body, (dated, id_beside_title), anchors, rules);
    let y = |j: usize| (body[j].top + body[j].bottom) / 2.;
    let mut lost = Vec::new();
    for (band, &anchor) in bands.iter().zip(anchors) {
        let lines = lines_dated_in_one_column(columns, runs, band.clone());
        if lines.len() < 2 {
            continue;
        }
        let own = lines
            .iter()
            .copied()
            .min_by(|&a, &b| {
                (y(a) - y(anchor))
                    .abs()
                    .total_cmp(&(y(b) - y(anchor)).abs())
            })
            .expect("two lines");
        lost.extend(lines.into_iter().filter(|&j| j != own));
    }
    lost
}

/// Lines above a table's first row, under its header on the page where it starts, that anchor
/// rows whose id OCR lost: each line holding a date in a date column where the first row holds
/// one too (a date cell never wraps into a second date). Generated scan 8801, page 11: the
/// grey first row `SECMP0176`, whose layer holds two of its dates and nothing else, above
/// `0181v2`; its dates were dropped as the end of a row on the page before.
fn rows_above_the_first(
    runs: &[Vec<Run>],
    dated: &[bool],
    columns: &Columns,
    bands: &[std::ops::Range<usize>],
) -> Vec<usize> {
    let Some(first) = bands.first() else {
        return Vec::new();
    };
    let date_columns = |j: usize| -> Vec<usize> {
        runs[j]
            .iter()
            .filter(|r| columns[r.column].field.holds_dates())
            .filter(|r| r.text.split(' ').any(is_date_word))
            .map(|r| r.column)
            .collect()
    };
    let first_rows: Vec<usize> = first.clone().flat_map(date_columns).collect();
    (0..first.start)
        .filter(|&j| dated[j] && date_columns(j).iter().any(|k| first_rows.contains(k)))
        .collect()
}

/// Whether each line holds a date in a date column (not a comment's `Board on 18/09/2017`).
fn dated_lines(columns: &Columns, runs: &[Vec<Run>]) -> Vec<bool> {
    runs.iter()
        .map(|line| {
            line.iter().any(|r| {
                columns[r.column].field.holds_dates() && r.text.split(' ').any(is_date_word)
            })
        })
        .collect()
}

/// True for a word like a numeric date (`19/04/2017`, `02/03/2017:`).
pub(crate) fn is_date_word(word: &str) -> bool {
    word.bytes().filter(|&b| b == b'/').count() >= 2
        && word.bytes().filter(u8::is_ascii_digit).count() >= 4
}

/// The cells of some lines' runs, column by column, each cell's lines joined in order.
fn cells_of(columns: &Columns, runs: &[Vec<Run>]) -> Vec<(ColumnField, String)> {
    let mut cells: Vec<(ColumnField, String)> =
        columns.iter().map(|c| (c.field, String::new())).collect();
    for line in runs {
        // Runs of one line in one column are one cell line (a wide space inside a cell).
        let mut k_last = usize::MAX;
        for run in line.iter().filter(|r| !r.is_a_pixel_wide()) {
            let cell = &mut cells[run.column].1;
            if run.column == k_last {
                cell.push(' ');
                cell.push_str(&run.text);
            } else {
                join_cell_line(cell, &run.text);
            }
            k_last = run.column;
        }
    }
    cells
}

/// Adds a line to a cell: a space between, but none after a line that ends with a hyphen
/// inside a word (`Self-` / `Governance`).
pub(crate) fn join_cell_line(cell: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    let hyphenated = cell.ends_with('-')
        && cell[..cell.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
    if !cell.is_empty() && !hyphenated {
        cell.push(' ');
    }
    cell.push_str(line);
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::vocabulary::ReportVocabulary;
    use crate::model::vocabulary::TableKind;
    use crate::model::DccTable;

    /// Words laid on a grid of text rows: `(x, row, text)` with rows 10 units apart and words
    /// 5 units an ASCII character wide, size 8. (The table readers' tests use it too.)
    pub(in crate::model) fn words(cells: &[(f32, f32, &str)]) -> Vec<Word> {
        let mut out = Vec::new();
        for &(x, y, text) in cells {
            let mut x = x;
            for w in text.split(' ') {
                let width = 5. * w.len() as f32;
                out.push(Word {
                    text: w.into(),
                    x0: x,
                    x1: x + width,
                    top: y,
                    bottom: y + 8.,
                    size: 8.,
                    line: 1 + (y / 10.) as u32,
                    confidence: 1.,
                });
                x += width + 2.5;
            }
        }
        out
    }

    /// The slope of `words_slope` found by asking every word of every other, as it was.
    fn words_slope_of_all_pairs(words: &[&Word]) -> f32 {
        median_slope(words, |i, a| {
            words
                .iter()
                .enumerate()
                .filter(|(j, b)| {
                    *j != i
                        && b.x0 > a.x1
                        && b.x0 - a.x1 < 3. * a.size
                        && (b.bottom - a.bottom).abs() < 0.4 * a.size
                })
                .min_by(|(_, b), (_, c)| b.x0.total_cmp(&c.x0))
                .map(|(_, b)| *b)
        })
    }

    proptest::proptest! {
        /// Words on a coarse grid (many sharing a left edge or a baseline, some overlapping,
        /// a few not finite), and a neighbour is the one asking every pair finds.
        #[test]
        fn the_slope_of_sorted_neighbours_is_the_slope_of_all_pairs(
            cells in proptest::collection::vec(
                (0u8..40, 1u8..12, 0u8..30, 0u8..5, 0u8..3, 0u8..40),
                0..120,
            )
        ) {
            let words: Vec<Word> = cells
                .iter()
                .map(|&(x, width, y, lean, size, odd)| {
                    let x0 = match odd {
                        0 => f32::NAN,
                        1 => f32::INFINITY,
                        2 => -0.,
                        _ => 7.5 * f32::from(x),
                    };
                    let bottom = 10. * f32::from(y) + 0.8 * f32::from(lean);
                    Word {
                        text: "w".into(),
                        x0,
                        x1: x0 + 5. * f32::from(width),
                        top: bottom - 8.,
                        bottom,
                        size: 6. + 2. * f32::from(size),
                        line: 1,
                        confidence: 1.,
                    }
                })
                .collect();
            let refs: Vec<&Word> = words.iter().collect();
            let (sorted, all) = (words_slope(&refs), words_slope_of_all_pairs(&refs));
            proptest::prop_assert_eq!(sorted.to_bits(), all.to_bits());
        }
    }

    /// The fields of a grid's columns, left to right.
    fn fields_of(grid: &Grid) -> Vec<ColumnField> {
        grid.columns.iter().map(|c| c.field).collect()
    }

    fn is_id(t: &str) -> bool {
        t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit())
    }

    /// A delivery table's header, as the words on its line (`words`' cells).
    const DELIVERY_HEADER: [(f32, f32, &str); 4] = [
        (10., 0., "SECMP#"),
        (60., 0., "Title"),
        (160., 0., "Status"),
        (230., 0., "Target PA Delivery Date"),
    ];

    /// A "no further assessment" table's header, as the words on its line.
    const NO_FURTHER_HEADER: [(f32, f32, &str); 4] = [
        (10., 0., "SECMP#"),
        (60., 0., "Title"),
        (160., 0., "Date added"),
        (240., 0., "Status"),
    ];

    #[test]
    fn ids_on_their_rows_top_lines_beside_centred_cells_are_told_by_where_the_dates_are() {
        // Lines by index, `true` where a line holds a date; anchors are the ids' lines.
        // Generated report 9214: each id on its row's top line, the dates centred two lines
        // down, the last row's dates below its id.
        let (f, t) = (false, true);
        let on_top = [f, f, t, f, f, f, t, f, f, t, f];
        assert!(ids_on_top(&on_top, &[0, 4, 8]));
        // Rows whose dates stand above their ids (generated scan 8801): the first row's
        // dates above the first id.
        let dates_above = [t, f, f, t, f, f, t, f];
        assert!(!ids_on_top(&dates_above, &[1, 4, 7]));
        // Every cell centred: the ids share their lines with their dates, but for a last
        // line a scan's skew parted (generated scan 8700, page 10).
        let centred = [f, t, f, f, t, f, f, f, t];
        assert!(!ids_on_top(&centred, &[1, 4, 7]));
    }

    #[test]
    fn a_header_line_ocr_read_from_two_and_a_garbled_stacked_cell_still_name_their_columns() {
        // Generated scan 9500's page 13: `PA WG` over `Request` read as one 14-point line
        // above a header set at 8, `ees we` for `PA WG`, `pegs` for `Request`; the PA dates
        // of each row under three columns.
        let mut w = words(&[
            (10., 16., "SECMP#"),
            (50., 16., "Title"),
            (100., 16., "Status"),
            (150., 16., "pegs"),
            (200., 16., "Delivery"),
            (260., 16., "Delivery"),
            (150., 26., "Date"),
            (200., 26., "Date"),
            (260., 26., "Date"),
            (10., 46., "0021"),
            (50., 46., "Batch 4"),
            (100., 46., "Pending"),
            (150., 46., "01/02/2020"),
            (200., 46., "02/03/2020"),
            (260., 46., "03/04/2020"),
            (10., 56., "0022"),
            (50., 56., "Batch 5"),
            (100., 56., "Pending"),
            (150., 56., "04/02/2020"),
            (200., 56., "05/03/2020"),
            (260., 56., "06/04/2020"),
        ]);
        // The header's top line, 14 points high: `Target PA` and `Actual PA` 10 points
        // apart, more than an em at 8 points, less at 14.
        let tall = |text: &str, x0: f32| Word {
            text: text.into(),
            x0,
            x1: x0 + 5. * text.len() as f32,
            top: 0.,
            bottom: 14.,
            size: 14.,
            line: 1,
            confidence: 1.,
        };
        let top_line = [
            tall("ees", 150.),
            tall("we", 167.5),
            tall("Target", 200.),
            tall("PA", 232.5),
            tall("Actual", 252.5),
            tall("PA", 285.),
        ];
        w.splice(0..0, top_line);
        use ColumnField::*;
        let grid = delivery_grid(&w);
        let fields = [Id, Title, Status, PaRequest, PaTarget, PaActual];
        assert_eq!(fields_of(&grid), fields);
        let dates = [PaRequest, PaTarget, PaActual].map(|f| grid.rows[1].cell(f));
        assert_eq!(dates, ["04/02/2020", "05/03/2020", "06/04/2020"]);
    }

    #[test]
    fn a_header_without_its_id_cell_over_one_row_with_an_id_is_an_id_column() {
        // Generated scan 9705's page 8: the delivery table begins at the page's foot, one row
        // under its header, whose cells read again from its grey band lost `MP#`. Its id
        // begins the body's first line: an id column, not a table with none (which lost the
        // row, and the next pages' rows read with its columns).
        let w = words(&[
            (50., 0., "Modification"),
            (50., 10., "Title"),
            (130., 0., "DCC Assessment"),
            (130., 10., "Status"),
            (230., 0., "PA WG Request"),
            (230., 10., "Accepted Date"),
            (330., 0., "Target PA"),
            (330., 10., "Delivery Date"),
            (10., 30., "0061"),
            (50., 30., "Enduring SEC"),
            (50., 40., "Release"),
            (130., 40., "PA in progress"),
            (230., 40., "24/08/2018"),
            (330., 40., "28/09/2018"),
            (50., 50., "Provisions"),
        ]);
        let grid = delivery_grid(&w);
        assert_eq!(grid.rows.len(), 1);
        let row = &grid.rows[0];
        assert_eq!(row.cell(ColumnField::Id), "0061");
        assert_eq!(
            row.cell(ColumnField::Title),
            "Enduring SEC Release Provisions"
        );
        assert_eq!(row.cell(ColumnField::PaTarget), "28/09/2018");
    }

    /// The delivery table the words read as, its columns from its header.
    fn delivery_grid(w: &[Word]) -> Grid {
        let refs: Vec<&Word> = w.iter().collect();
        read_grid(&refs, &delivery(), None, &is_id).unwrap()
    }

    #[test]
    fn a_garbled_header_cell_over_its_own_column_between_two_one_apart_is_that_column() {
        // Generated scan 9601's pages 7 and 8: `Status` on a shaded band read `tus`; joined
        // to the next cell, which named the PA request column, it lost the status column.
        let w = words(&[
            (10., 0., "SECMP#"),
            (50., 0., "Title"),
            (110., 0., "tus"),
            (170., 0., "PA WG Request"),
            (240., 0., "Target PA"),
            (170., 10., "Accepted Date"),
            (240., 10., "Delivery Date"),
            (10., 30., "0021"),
            (50., 30., "Batch 4"),
            (110., 30., "Pending"),
            (170., 30., "01/02/2020"),
            (240., 30., "02/03/2020"),
            (10., 40., "0022"),
            (50., 40., "Batch 5"),
            (110., 40., "Withdrawn"),
            (170., 40., "04/02/2020"),
            (240., 40., "05/03/2020"),
        ]);
        use ColumnField::*;
        let grid = delivery_grid(&w);
        assert_eq!(fields_of(&grid), [Id, Title, Status, PaRequest, PaTarget]);
        let cells = [Status, PaRequest].map(|f| grid.rows[1].cell(f));
        assert_eq!(cells, ["Withdrawn", "04/02/2020"]);
    }

    /// A delivery table's whole header over one row, every column 60 units apart, the PA
    /// actual column's header printed as `actual` (two lines): `Actual PA` / `Delivery`.
    fn whole_delivery_table(actual: [&'static str; 2]) -> Vec<Word> {
        let mut cells = vec![
            (10., 0., "SECMP#"),
            (50., 0., "Title"),
            (150., 0., "DCC"),
            (150., 10., "Status"),
            (210., 0., "PA WG"),
            (210., 10., "Request"),
            (270., 0., "Target PA"),
            (270., 10., "Delivery"),
            (330., 0., actual[0]),
            (330., 10., actual[1]),
            (390., 0., "IA WG"),
            (390., 10., "Request"),
            (450., 0., "Target IA"),
            (450., 10., "Delivery"),
            (510., 0., "Actual IA"),
            (510., 10., "Delivery"),
            (570., 0., "Comments"),
            (10., 30., "0148"),
            (50., 30., "Mandating Alerts"),
            (150., 30., "Pending"),
            (570., 30., "Approved"),
        ];
        let dates = [
            "14/01/2021",
            "04/02/2021",
            "05/02/2021",
            "05/04/2021",
            "31/05/2021",
        ];
        cells.extend(
            [210., 270., 330., 390., 450.]
                .into_iter()
                .zip(dates)
                .map(|(x, d)| (x, 30., d)),
        );
        words(&cells)
    }

    #[test]
    fn a_header_naming_one_of_all_its_columns_twice_names_them_in_printed_order() {
        // Generated scan 9001's page 11: `Actual PA` / `Delivery Date` read so that its
        // column was named as the PA request column two to its left. Out of order, the page
        // was read with the columns of the table before, and four rows lost their PA dates.
        use ColumnField::*;
        let printed = delivery_grid(&whole_delivery_table(["Actual PA", "Delivery"]));
        let garbled = delivery_grid(&whole_delivery_table(["PA WG", "Request"]));
        assert_eq!(fields_of(&garbled), fields_of(&printed));
        assert_eq!(garbled.columns.len(), 10);
        let dates = [PaRequest, PaTarget, PaActual, IaRequest].map(|f| garbled.rows[0].cell(f));
        assert_eq!(
            dates,
            ["14/01/2021", "04/02/2021", "05/02/2021", "05/04/2021"]
        );
    }

    #[test]
    fn a_header_naming_a_column_twice_keeps_its_names_where_a_date_column_is_too_narrow() {
        // Generated scan 9300: a header cell OCR split in two gave as many columns as the
        // table prints, one of them 20 points wide. Named in order, its dates moved a column
        // right.
        let named = |lefts: [f32; 10]| {
            use ColumnField::*;
            let fields = [
                Id, Title, Status, PaRequest, PaTarget, PaTarget, IaRequest, IaTarget, IaActual,
                Comment,
            ];
            let columns: Columns = fields
                .into_iter()
                .zip(lefts)
                .map(|(field, left)| Column {
                    field,
                    left,
                    header: String::new(),
                })
                .collect();
            let w = whole_delivery_table(["Actual PA", "Delivery"]);
            let body: Vec<&Word> = w.iter().filter(|w| w.top >= 30.).collect();
            let lines = visual_lines(&body);
            named_in_printed_order(columns, &lines, &delivery())
                .iter()
                .map(|c| c.field)
                .collect::<Vec<_>>()
        };
        let apart = [
            f32::MIN,
            50.,
            150.,
            210.,
            270.,
            330.,
            390.,
            450.,
            510.,
            570.,
        ];
        assert_eq!(named(apart)[5], ColumnField::PaActual);
        let split = [
            f32::MIN,
            50.,
            150.,
            210.,
            270.,
            290.,
            390.,
            450.,
            510.,
            570.,
        ];
        assert_eq!(named(split)[5], ColumnField::PaTarget);
    }

    #[test]
    fn a_word_boxed_a_pixel_wide_alone_is_a_speck_in_no_cell() {
        // Generated scan 9302: `5` boxed 0.4 points wide on the title's line below, alone
        // right of `... SSC and TABASC`; a `1` as narrow beside `Part` is the title's own.
        let mut w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (160., 0., "Status"),
            (10., 20., "0021"),
            (60., 20., "SSC and TABASC"),
            (160., 20., "Pending"),
            (10., 40., "0193"),
            (60., 40., "Devices Part"),
            (160., 40., "Pending"),
        ]);
        let template = w[0].clone();
        let narrow = |text: &str, x0: f32, y: f32| Word {
            text: text.into(),
            x0,
            x1: x0 + 0.4,
            top: y,
            bottom: y + 8.,
            line: 1 + (y / 10.) as u32,
            ..template.clone()
        };
        let part = w.iter().position(|w| w.text == "Part").unwrap();
        let one = narrow("1", w[part].x1 + 2., 40.);
        w.insert(part + 1, one);
        w.push(narrow("5", 140., 30.));
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "SSC and TABASC");
        assert_eq!(grid.rows[1].cell(ColumnField::Title), "Devices Part 1");
    }

    #[test]
    fn a_title_run_up_to_its_cells_edge_stops_where_the_next_column_starts() {
        // `Regulations` ends under half an em before the status column, where `On hold`
        // starts: closer than the run gap, yet two cells.
        let mut w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (158., 0., "Status"),
            (10., 20., "0045"),
            (60., 20., "Data Protection"),
        ]);
        let regulations = Word {
            text: "Regulations".into(),
            x0: 135.,
            x1: 155.2,
            ..w[4].clone()
        };
        let on = Word {
            text: "On".into(),
            x0: 159.,
            x1: 169.,
            ..w[4].clone()
        };
        let hold = Word {
            text: "hold".into(),
            x0: 171.5,
            x1: 191.5,
            ..w[4].clone()
        };
        w.extend([regulations, on, hold]);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(
            grid.rows[0].cell(ColumnField::Title),
            "Data Protection Regulations"
        );
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "On hold");
    }

    #[test]
    fn a_rows_room_runs_from_the_line_above_it_to_the_line_below() {
        // Generated scan 8801, page 11: the grey row `0184` read as its id and a date, its
        // title lost; the room it may fill is the white between its neighbours' lines (the
        // header's foot above the first row).
        let w = words(
            &[
                &NO_FURTHER_HEADER[..],
                &[
                    (10., 20., "0040"),
                    (60., 20., "Changes to how"),
                    (160., 20., "12/11/2018"),
                    (240., 20., "Implemented"),
                    (60., 30., "users schedule"),
                    (10., 60., "0184"),
                    (160., 60., "08/10/2018"),
                    (10., 100., "0041"),
                    (60., 100., "Amending"),
                    (160., 100., "08/10/2018"),
                    (240., 100., "Withdrawn"),
                ],
            ]
            .concat(),
        );
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).unwrap();
        let rooms: Vec<(f32, f32)> = grid.rows.iter().map(|r| r.room).collect();
        assert_eq!(rooms, [(8., 60.), (38., 100.), (68., 124.)]);
        assert_eq!(grid.rows[1].cell(ColumnField::Title), "");
        // A rule across between the header and the first row (a dark band's foot) bounds its
        // room; so does one under the last row.
        let rule = |y: f32| Rule {
            x0: 0.,
            y0: y,
            x1: 400.,
            y1: y,
        };
        let across = [rule(14.), rule(112.)];
        let rules = PageRules {
            across: &across,
            down: &[],
        };
        let layout = no_further();
        let grid = read_grid_with(&refs, rules, &layout, None, ColumnsFrom::Header, &is_id);
        let rooms: Vec<(f32, f32)> = grid.unwrap().rows.iter().map(|r| r.room).collect();
        assert_eq!(rooms, [(14., 60.), (38., 100.), (68., 112.)]);
    }

    #[test]
    fn a_cell_a_skew_moved_just_short_of_its_columns_edge_is_the_columns() {
        // Generated scan 8101's page 12: `Implemented` 0.2 points left of the status
        // column's edge (its header's `DCC` at 379.4, the column from 378.4) went to the
        // date cell before it. Here 1 unit short, at size 8: within 0.4 em, clear of the date.
        let w = words(
            &[
                &NO_FURTHER_HEADER[..],
                &[
                    (10., 20., "0040"),
                    (60., 20., "Changes to how"),
                    (160., 20., "12/11/2018"),
                    (238., 20., "Implemented"),
                    (10., 40., "0041"),
                    (60., 40., "Amending"),
                    (160., 40., "08/10/2018"),
                    (241., 40., "Withdrawn"),
                ],
            ]
            .concat(),
        );
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).unwrap();
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "Implemented");
        assert_eq!(grid.rows[0].cell(ColumnField::DateAdded), "12/11/2018");
        assert_eq!(grid.rows[1].cell(ColumnField::Status), "Withdrawn");
    }

    #[test]
    fn a_word_boxed_from_left_of_its_columns_edge_is_the_column_its_middle_stands_in() {
        // Generated scan 8402: `19/09/2016` boxed from 339.1 under `Date added` at 344.2, 11
        // points after the title's `and`: it ran into the title. Here 6 units short of the
        // edge at size 8 (past the 0.4 em of slack), its middle 19 units into the column,
        // 12.5 units after the title's last word.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (166., 0., "Date added"),
            (240., 0., "Status"),
            (10., 20., "0013"),
            (60., 20., "Device diagnostics"),
            (160., 20., "19/09/2016"),
            (240., 20., "Rejected"),
            (60., 30., "triage"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).unwrap();
        assert_eq!(
            grid.rows[0].cell(ColumnField::Title),
            "Device diagnostics triage"
        );
        assert_eq!(grid.rows[0].cell(ColumnField::DateAdded), "19/09/2016");
        // A title's own word standing a space from the one before it is never cut there,
        // however far it reaches toward the next column.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (166., 0., "Date added"),
            (240., 0., "Status"),
            (10., 20., "0013"),
            (60., 20., "Device diagnostics andtriage"),
            (240., 20., "Rejected"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).unwrap();
        assert_eq!(
            grid.rows[0].cell(ColumnField::Title),
            "Device diagnostics andtriage"
        );
    }

    #[test]
    fn a_speck_read_as_a_digit_in_the_id_column_anchors_no_row() {
        // Generated scan 8603: a speck 0.36 points wide under `SECMP0174`, read `2`, anchored
        // a row of its own (MP002) that took the title's second line.
        let mut w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (240., 0., "Status"),
            (10., 20., "0174"),
            (60., 20., "DCC Systems Disaster"),
            (240., 20., "Implemented"),
            (60., 30., "Recovery Objectives"),
            (10., 50., "0175"),
            (60., 50., "Making the CH"),
            (240., 50., "Withdrawn"),
        ]);
        let speck = |width: f32, height: f32| Word {
            text: "2".into(),
            x0: 14.,
            x1: 14. + width,
            top: 30.,
            bottom: 30. + height,
            size: 8.,
            line: 4,
            confidence: 1.,
        };
        w.push(speck(0.4, 8.));
        let titles = |w: &[Word]| {
            let refs: Vec<&Word> = w.iter().collect();
            let grid = read_grid(&refs, &no_further(), None, &|t: &str| {
                !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())
            })
            .unwrap();
            grid.rows
                .iter()
                .map(|r| r.cell(ColumnField::Title).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            titles(&w),
            ["DCC Systems Disaster Recovery Objectives", "Making the CH"]
        );
        // Generated image-only scan 8900: a speck boxed 0.7 points square, read `3`.
        w.pop();
        w.push(speck(0.7, 0.7));
        assert_eq!(titles(&w).len(), 2);
        // The same `2` as wide and as high as a digit is printed is a row's id.
        w.pop();
        w.push(speck(4.5, 8.));
        assert_eq!(titles(&w).len(), 3);
    }

    #[test]
    fn a_rule_down_between_two_words_parts_their_cells_however_narrow_the_space() {
        // Generated scan 8401: the status cell's `request`, 0.75 em after the title's `the`
        // across the rule between them, joined the title (`Proposals into the request`).
        // Here 3 units apart at size 8 across the rule at 154.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (160., 0., "Status"),
            (240., 0., "Target PA Delivery Date"),
            (10., 20., "0203"),
            (60., 20., "Incorporation of"),
            (60., 30., "Proposals into"),
            (160., 20., "No outstanding"),
            (240., 20., "16/08/2022"),
        ]);
        // `the` ends at 152, `request` starts 3 units later (0.375 em), left of `Status`.
        let at = |text: &str, x0: f32, x1: f32| Word {
            text: text.into(),
            x0,
            x1,
            top: 30.,
            bottom: 38.,
            size: 8.,
            line: 4,
            confidence: 1.,
        };
        let mut w = w;
        w.extend([at("the", 137., 152.), at("request", 155., 190.)]);
        let refs: Vec<&Word> = w.iter().collect();
        let borders: Vec<Rule> = [5., 55., 154., 235., 330.]
            .iter()
            .map(|&x| Rule {
                x0: x,
                y0: -5.,
                x1: x,
                y1: 45.,
            })
            .collect();
        let rules = PageRules {
            across: &[],
            down: &borders,
        };
        let grid = read_grid_with(&refs, rules, &delivery(), None, ColumnsFrom::Header, &is_id);
        let grid = grid.expect("a table");
        assert!(grid.ruled);
        assert!(
            !grid.rows[0].cell(ColumnField::Title).contains("request"),
            "{:?}",
            grid.rows[0]
        );
        assert_eq!(
            grid.rows[0].cell(ColumnField::Status),
            "No outstanding request"
        );
        assert_eq!(
            grid.rows[0].cell(ColumnField::Title),
            "Incorporation of Proposals into the"
        );
    }

    #[test]
    fn a_gap_between_words_of_two_sizes_is_measured_in_the_smaller() {
        // Generated scan 8100: a status cell read again alone came back boxed at 11 points
        // beside a title's words at 6: `Mandating Device   1, in`, 6.7 points apart, was
        // one run (under an em of 11) and the status words joined the title. Here 4.5 apart.
        let mut w = words(&[
            (10., 0., "MP#"),
            (60., 0., "Title"),
            (140., 0., "Status"),
            (10., 20., "0148"),
            (60., 20., "Mandating Device"),
            (10., 40., "0149"),
            (60., 40., "Network Operator"),
            (140., 40., "No outstanding"),
        ]);
        for word in w.iter_mut().filter(|w| w.top == 20.) {
            word.size = 6.;
        }
        let status = Word {
            text: "IA".into(),
            x0: 142.,
            x1: 152.,
            size: 11.,
            ..w[4].clone()
        };
        w.push(status);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "Mandating Device");
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "IA");
    }

    #[test]
    fn a_corridor_in_ragged_comments_under_no_header_cell_is_no_column() {
        // Generated scan 8103: OCR lost `Mod No.` and `Title` of the header; the corridors of
        // white between the body's words parted eleven columns of ten, one of them inside
        // the wrapped comments, where few lines start a word and no header cell stands.
        let table = (0..6).flat_map(|k| {
            let y = 30. + 30. * k as f32;
            let comment: [(f32, f32, &'static str); 2] = if k % 2 == 0 {
                [(620., y, "Awaiting"), (620., y + 10., "Change Board")]
            } else {
                [(620., y, "IA"), (700., y, "due")]
            };
            [
                (10., y, ["0021", "0032", "0035", "0036", "0038", "0039"][k]),
                (60., y, "Sending Commands"),
                (160., y, "No outstanding"),
                (240., y, "17/11/2016"),
                (300., y, "08/12/2016"),
                (360., y, "05/12/2016"),
                (420., y, "02/03/2017"),
                (480., y, "27/04/2017"),
                (540., y, "28/09/2017"),
            ]
            .into_iter()
            .chain(comment)
        });
        // The delivery header without its `MP#` and `Title`.
        let mut w = delivery_table(&[(300., 0., "Target PA"), (300., 10., "Delivery")], 0);
        w.retain(|w| !matches!(&*w.text, "MP#" | "Title"));
        w.extend(words(&table.collect::<Vec<_>>()));
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(fields_of(&grid), delivery().order().to_vec());
        assert_eq!(grid.rows.len(), 6);
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "Sending Commands");
        assert_eq!(grid.rows[1].cell(ColumnField::Comment), "IA due");
        assert_eq!(grid.rows[1].cell(ColumnField::IaActual), "28/09/2017");
    }

    #[test]
    fn words_set_shorter_than_their_lines_pitch_take_the_pitch_for_their_size() {
        // Lines 10 apart at size 8: the printed size stands.
        let printed: Vec<Word> = (0..10)
            .flat_map(|r| words(&[(10., 10. * r as f32, "0001 Title")]))
            .collect();
        assert!(sized_by_pitch(printed).iter().all(|w| w.size == 8.));
        // The same lines in a layer set at half the size: 10 apart at size 4 is two and a
        // half sizes, so each word's size becomes the pitch over 1.25.
        let half: Vec<Word> = (0..10)
            .flat_map(|r| words(&[(10., 10. * r as f32, "0001 Title")]))
            .map(|w| Word { size: 4., ..w })
            .collect();
        assert!(sized_by_pitch(half).iter().all(|w| w.size == 8.));
    }

    #[test]
    fn lines_above_a_pages_only_row_set_apart_from_it_continue_the_row_before() {
        // Generated report 9301, page 15: a row split across the page, `v3.2 devices` and
        // the lines under it two units apart, then `0095` six units below them, the page's
        // only row: less than an em, but three times the page's gap between lines.
        let w = words(
            &[
                &DELIVERY_HEADER[..],
                &[
                    (60., 10., "v3.2 devices"),
                    (60., 20., "and a line"),
                    (60., 30., "and another"),
                    (10., 44., "0095"),
                    (60., 44., "Alignment of SEC"),
                    (160., 44., "Pending"),
                    (230., 44., "14/11/2019"),
                    (60., 54., "Credit Cover"),
                ],
            ]
            .concat(),
        );
        let refs: Vec<&Word> = w.iter().collect();
        let carried = read_grid(&refs, &delivery(), None, &is_id).unwrap().columns;
        let grid = read_grid(&refs, &delivery(), Some(&carried), &is_id).unwrap();
        assert_eq!(grid.rows.len(), 1, "{:?}", grid.rows);
        assert_eq!(
            grid.rows[0].cell(ColumnField::Title),
            "Alignment of SEC Credit Cover"
        );
        assert_eq!(
            grid.leading,
            [(
                ColumnField::Title,
                "v3.2 devices and a line and another".into()
            )]
        );
        // Set as close as the page's other lines: the row's own.
        let w: Vec<Word> = w
            .into_iter()
            .map(|w| {
                if w.top >= 44. {
                    Word {
                        top: w.top - 4.,
                        bottom: w.bottom - 4.,
                        ..w
                    }
                } else {
                    w
                }
            })
            .collect();
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), Some(&carried), &is_id).unwrap();
        assert!(grid.leading.is_empty(), "{:?}", grid.leading);
    }

    #[test]
    fn dates_above_a_tables_first_row_where_it_holds_its_own_are_a_row_without_its_id() {
        // Generated scan 8801, page 11: the grey first row `SECMP0176`, its layer two dates
        // and nothing else, above `0181v2`: they were dropped as the end of a row on the page
        // before. Carried from a page before, the same lines are that page's row's end.
        let w = words(
            &[
                &DELIVERY_HEADER[..],
                &[
                    (230., 20., "27/08/2021"),
                    (10., 40., "0181"),
                    (60., 40., "Extending the"),
                    (160., 40., "Awaiting"),
                    (230., 40., "24/02/2022"),
                ],
            ]
            .concat(),
        );
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(grid.rows.len(), 2, "{:?}", grid.rows);
        assert!(grid.rows[0].id_lost);
        assert_eq!(grid.rows[0].cell(ColumnField::PaTarget), "27/08/2021");
        assert_eq!(grid.rows[0].cell(ColumnField::Id), "");
        assert!(!grid.rows[1].id_lost);
        assert_eq!(grid.rows[1].cell(ColumnField::PaTarget), "24/02/2022");
        let carried = grid.columns.clone();
        let grid = read_grid(&refs, &delivery(), Some(&carried), &is_id).unwrap();
        assert_eq!(grid.rows.len(), 1, "{:?}", grid.rows);
        assert_eq!(grid.leading, [(ColumnField::PaTarget, "27/08/2021".into())]);
        // A first row with no date of its own in the column: the line is its own.
        let w: Vec<Word> = w.into_iter().filter(|w| w.text != "24/02/2022").collect();
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        assert_eq!(grid.rows.len(), 1, "{:?}", grid.rows);
    }

    #[test]
    fn two_dates_in_one_column_of_a_row_are_two_rows_one_without_its_id() {
        // OCR read the id `21` as `rat`: rows 21 and 23 would be one row of two titles.
        let w = words(
            &[
                &DELIVERY_HEADER[..],
                &[
                    (10., 10., "0020"),
                    (60., 10., "Removal"),
                    (160., 10., "Implemented"),
                    (230., 10., "01/12/2016"),
                    (10., 24., "rat"),
                    (60., 24., "Increase the"),
                    (60., 34., "representation"),
                    (160., 34., "Awaiting"),
                    (230., 34., "08/12/2016"),
                    (60., 44., "of Other Parties"),
                    (10., 60., "0023"),
                    (60., 60., "Correct Units"),
                    (60., 70., "of Measure"),
                    (160., 70., "Rejected"),
                    (230., 70., "20/12/2016"),
                ],
            ]
            .concat(),
        );
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).unwrap();
        let fields = fields_of(&grid);
        assert_eq!(grid.rows.len(), 3, "{fields:?} {:?}", grid.rows);
        assert!(!grid.rows[0].id_lost);
        assert!(grid.rows[1].id_lost);
        assert_eq!(grid.rows[1].cell(ColumnField::Id), "rat");
        assert_eq!(
            grid.rows[1].cell(ColumnField::Title),
            "Increase the representation of Other Parties"
        );
        assert_eq!(grid.rows[1].cell(ColumnField::PaTarget), "08/12/2016");
        assert!(!grid.rows[2].id_lost);
        assert_eq!(
            grid.rows[2].cell(ColumnField::Title),
            "Correct Units of Measure"
        );
        assert_eq!(grid.rows[2].cell(ColumnField::PaTarget), "20/12/2016");
    }

    fn delivery() -> TableLayout {
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        vocab
            .table_layout(TableKind::Dcc(DccTable::Delivery))
            .expect("a delivery layout")
            .clone()
    }

    fn no_further() -> TableLayout {
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        vocab
            .table_layout(TableKind::Dcc(DccTable::NoFurther))
            .expect("a no-further layout")
            .clone()
    }

    #[test]
    fn columns_a_header_lost_are_found_in_a_skewed_body() {
        // Generated scan 7402, page 9: OCR lost `MP#`, `DCC Assessment Status` and `IA WG
        // Request Accepted Date` from the header (the id column was then found from the ids,
        // open to the left), and the scan's skew moves every column's edge right as the
        // page goes down, here 1.5 points a row: eleven columns were found for ten, the
        // ids' own starts one of them, the statuses' starts parted in two.
        let named = |field, left: f32| Column {
            field,
            left,
            header: String::new(),
        };
        let mut columns = vec![
            named(ColumnField::Id, f32::MIN),
            named(ColumnField::Title, 59.),
            named(ColumnField::PaRequest, 219.),
            named(ColumnField::PaTarget, 279.),
            named(ColumnField::PaActual, 339.),
            named(ColumnField::IaTarget, 459.),
            named(ColumnField::IaActual, 519.),
            named(ColumnField::Comment, 579.),
        ];
        let mut cells = Vec::new();
        for k in 0..8 {
            let (dx, y) = (1.5 * k as f32, 40. + 30. * k as f32);
            cells.extend([
                (10. + dx, y, "0083"),
                (60. + dx, y, "Changes to"),
                (60. + dx, y + 10., "the Code"),
                (150. + dx, y, "PA in"),
                (150. + dx, y + 10., "progress"),
                (220. + dx, y, "19/07/2019"),
                (280. + dx, y, "16/08/2019"),
                (340. + dx, y, "N/A"),
                (400. + dx, y, "N/A"),
                (460. + dx, y, "N/A"),
                (520. + dx, y, "N/A"),
                (580. + dx, y, "Revised"),
            ]);
        }
        let w = words(&cells);
        let refs: Vec<&Word> = w.iter().collect();
        let body = visual_lines(&refs);
        complete_by_body(&mut columns, &body, &delivery(), RUN_GAP_EMS, 8.);
        let fields: Vec<ColumnField> = columns.iter().map(|c| c.field).collect();
        assert_eq!(fields, delivery().order());
        let at = |field| columns.iter().find(|c| c.field == field).unwrap().left;
        assert_eq!(at(ColumnField::Status), 150.);
        assert_eq!(at(ColumnField::IaRequest), 400.);
    }

    #[test]
    fn a_first_rows_cell_starting_with_header_words_is_not_the_headers() {
        // Generated report 7903 (digital): the first row's comment, set at the row's top,
        // starts `Target date revised to`, half header words, close under the header.
        let w = words(&[
            (10., 0., "Mod"),
            (10., 10., "No."),
            (60., 0., "Title"),
            (160., 0., "DCC"),
            (160., 10., "Assessment"),
            (160., 20., "Status"),
            (240., 0., "Target PA"),
            (240., 10., "Delivery Date"),
            (320., 0., "Comments"),
            (320., 30., "Target date revised to"),
            (60., 40., "Aligning the SMETS2"),
            (10., 50., "0168"),
            (60., 50., "Auxiliary Controller"),
            (160., 50., "PA in progress"),
            (240., 50., "13/08/2021"),
            (320., 40., "13/08/2021 following"),
            (320., 50., "clarification."),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        assert_eq!(grid.rows.len(), 1);
        assert_eq!(
            grid.rows[0].cell(ColumnField::Comment),
            "Target date revised to 13/08/2021 following clarification."
        );
        assert_eq!(grid.columns.last().unwrap().header, "Comments");
    }

    #[test]
    fn a_header_line_ocr_garbled_across_its_cells_stays_the_headers() {
        // Generated scan 7300: the header's second line holds words that are no header
        // words (`Moet le CAE`, garbled), across cells: still the header's, and `Status`
        // in it names its column.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Modification Title"),
            (160., 0., "DCC Assessment"),
            (240., 0., "Target PA"),
            (60., 10., "Moet le CAE"),
            (160., 10., "Status"),
            (240., 10., "Delivery Date"),
            (10., 30., "0168"),
            (60., 30., "Aligning the SMETS2"),
            (160., 30., "PA in progress"),
            (240., 30., "13/08/2021"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let fields = fields_of(&grid);
        assert_eq!(
            fields,
            [
                ColumnField::Id,
                ColumnField::Title,
                ColumnField::Status,
                ColumnField::PaTarget
            ]
        );
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "PA in progress");
    }

    /// A delivery table's header over three lines: id, title, status and PA target columns.
    const HEADER: [(f32, f32, &str); 8] = [
        (10., 0., "SECMP#"),
        (60., 0., "Modification"),
        (60., 10., "Title"),
        (160., 0., "DCC"),
        (160., 10., "Assessment"),
        (160., 20., "Status"),
        (240., 0., "Target PA"),
        (240., 10., "Delivery Date"),
    ];

    /// A word boxed from (x0, top) to (x1, top + 12), size 12, on page text line `line`.
    fn boxed(text: &str, x0: f32, x1: f32, top: f32, line: u32) -> Word {
        Word {
            text: text.into(),
            x0,
            x1,
            top,
            bottom: top + 12.,
            size: 12.,
            line,
            confidence: 1.,
        }
    }

    #[test]
    fn lines_closer_than_their_boxes_are_tall_stay_apart_where_their_words_stand_over_each_other() {
        // Generated scan 8700's 150-dpi layer: 12-point boxes 7.5 points apart, the lower line
        // sloping up to the right (its right end within half a box of the upper line).
        let w = [
            boxed("requirement", 87.4, 122.1, 281.7, 33),
            boxed("for", 127.7, 133.8, 281.7, 33),
            boxed("0156", 58.1, 70.0, 288.9, 34),
            boxed("Users", 87.8, 101.8, 288.8, 34),
            boxed("to", 107.0, 110.9, 288.7, 34),
            boxed("submit", 114.7, 132.8, 288.6, 34),
            boxed("16/09/2021", 379.2, 408.9, 287.2, 34),
            boxed("IA", 461.8, 465.9, 286.7, 34),
            boxed("progress", 478.1, 501.5, 286.7, 34),
        ];
        let refs: Vec<&Word> = w.iter().collect();
        let lines: Vec<String> = visual_lines(&refs)
            .iter()
            .map(|l| {
                l.words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        // The title's two lines stay apart, each in its order. (The lower line's right end,
        // sloping up, is met first and joins the upper: a row's cells are its lines' words,
        // so the row keeps them.)
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("requirement for"), "{lines:?}");
        assert_eq!(lines[1], "0156 Users to submit");
    }

    #[test]
    fn a_point_read_between_two_date_cells_bridges_no_run_across_them() {
        let line = VisualLine {
            words: Vec::new(),
            top: 287.,
            bottom: 299.,
            size: 12.,
        };
        let w = [
            boxed("22/07/2021", 337.0, 367.5, 287.4, 34),
            boxed(".", 374.9, 376.3, 287.2, 34),
            boxed("16/09/2021", 379.2, 408.9, 287.2, 34),
        ];
        let line = VisualLine {
            words: w.iter().collect(),
            ..line
        };
        let columns: Columns = [
            (ColumnField::IaRequest, 330.),
            (ColumnField::IaTarget, 375.),
        ]
        .into_iter()
        .map(|(field, left)| Column {
            field,
            left,
            header: String::new(),
        })
        .collect();
        let runs = runs_in_columns(&line, &columns, 1., false);
        let cells: Vec<(usize, &str)> = runs.iter().map(|r| (r.column, r.text.as_str())).collect();
        assert_eq!(cells, [(0, "22/07/2021 ."), (1, "16/09/2021")]);
    }

    #[test]
    fn a_word_after_a_date_starts_a_run_of_its_own() {
        // Generated scan 8902's cells read again, boxed wider than printed: three columns'
        // dates, and a comment's first word after the last date, a few points apart.
        let w = [
            boxed("28/09/2015", 406.8, 462.0, 156.5, 13),
            boxed("29/10/2015", 466.0, 530.0, 156.9, 13),
            boxed("26/05/2016", 603.8, 664.0, 157.5, 13),
            boxed("Currently", 668.4, 711.9, 157.9, 13),
            boxed("with", 720.0, 737.5, 158.1, 13),
        ];
        let line = VisualLine {
            words: w.iter().collect(),
            top: 156.5,
            bottom: 170.1,
            size: 12.,
        };
        let runs: Vec<String> = runs_of(&line, 1.).into_iter().map(|r| r.text).collect();
        assert_eq!(
            runs,
            ["28/09/2015", "29/10/2015", "26/05/2016", "Currently with"]
        );
        // A date after a status OCR ran it into (generated scan 8700).
        let w = [
            boxed("Implemented", 150.0, 205.0, 156.5, 13),
            boxed("—", 207.0, 212.0, 156.5, 13),
            boxed("26/03/2020", 214.0, 262.0, 156.5, 13),
        ];
        let line = VisualLine {
            words: w.iter().collect(),
            ..line
        };
        let runs: Vec<String> = runs_of(&line, 1.).into_iter().map(|r| r.text).collect();
        assert_eq!(runs, ["Implemented —", "26/03/2020"]);
    }

    #[test]
    fn a_title_wrapped_around_its_centred_id_is_one_cell_of_one_row() {
        let rows = [
            // Row 1: the title over three lines, the id beside the second.
            (60., 40., "Firmware updates"),
            (10., 50., "0007"),
            (60., 50., "to IHDs and"),
            (60., 60., "PPMIDs"),
            (160., 40., "IA in"),
            (160., 50., "progress"),
            (240., 40., "14/06/2019"),
            // Row 2, one line.
            (10., 80., "0092"),
            (60., 80., "New Planned"),
            (160., 80., "PA in progress"),
            (240., 80., "05/06/2020"),
        ];
        let w = words(&[&HEADER[..], &rows[..]].concat());
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let fields = fields_of(&grid);
        assert_eq!(
            fields,
            [
                ColumnField::Id,
                ColumnField::Title,
                ColumnField::Status,
                ColumnField::PaTarget
            ]
        );
        assert_eq!(grid.rows.len(), 2);
        let first = &grid.rows[0];
        assert_eq!(first.cell(ColumnField::Id), "0007");
        assert_eq!(
            first.cell(ColumnField::Title),
            "Firmware updates to IHDs and PPMIDs"
        );
        assert_eq!(first.cell(ColumnField::Status), "IA in progress");
        assert_eq!(first.cell(ColumnField::PaTarget), "14/06/2019");
        assert_eq!(grid.rows[1].cell(ColumnField::Title), "New Planned");
        assert!(grid.leading.is_empty());
    }

    /// The titles of a delivery table's rows laid under [`HEADER`].
    fn delivery_titles(rows: &[(f32, f32, &str)]) -> Vec<String> {
        let w = words(&[&HEADER[..], rows].concat());
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        grid.rows
            .iter()
            .map(|r| r.cell(ColumnField::Title).to_string())
            .collect()
    }

    #[test]
    fn evenly_spaced_rows_part_where_each_cell_is_centred_on_its_id() {
        // A table exported with `pdftotext -layout` (generated report 9110): one line pitch
        // throughout, each title centred on its id, the row below's first title line right
        // under the row above's last.
        let rows = [
            (60., 30., "Aligning the SMETS2"),
            (60., 40., "Auxiliary"),
            (10., 50., "0168"),
            (60., 50., "Proportional"),
            (160., 50., "PA in progress"),
            (240., 50., "09/07/2021"),
            (60., 60., "Controller with Load"),
            (60., 70., "Control"),
            (60., 80., "Changes to the"),
            (10., 90., "0176"),
            (60., 90., "Supplier Nominated"),
            (160., 90., "PA in progress"),
            (240., 90., "06/08/2021"),
            (60., 100., "Agent (SNA) role"),
            (10., 110., "0092"),
            (60., 110., "New Planned"),
            (160., 110., "PA in progress"),
            (240., 110., "05/06/2020"),
        ];
        assert_eq!(
            delivery_titles(&rows),
            [
                "Aligning the SMETS2 Auxiliary Proportional Controller with Load Control",
                "Changes to the Supplier Nominated Agent (SNA) role",
                "New Planned"
            ]
        );
    }

    #[test]
    fn evenly_spaced_rows_whose_first_is_one_line_are_centred_where_an_id_line_has_no_title() {
        // Generated report 9110's layout export, its "not requested" table: the first row one
        // line, the second's title above and below its id's line, which holds none of it.
        let rows = [
            (10., 30., "0015"),
            (60., 30., "GPF timestamp"),
            (160., 30., "On hold"),
            (60., 40., "Removal of the"),
            (10., 50., "0020"),
            (160., 50., "On hold"),
            (60., 60., "SEC Schedule 5"),
            (10., 70., "0025"),
            (60., 70., "Electricity Access"),
            (160., 70., "On hold"),
        ];
        assert_eq!(
            delivery_titles(&rows),
            [
                "GPF timestamp",
                "Removal of the SEC Schedule 5",
                "Electricity Access"
            ]
        );
    }

    #[test]
    fn rows_printing_their_dates_on_top_and_their_ids_lower_start_at_their_dated_lines() {
        // Generated scan 8801's page 13: each id centred beside its title, the status and
        // dates on the row's top line, the scan's gaps opened: between two ids the widest
        // gap (10 units) falls inside the lower row, between its dated line and its id's.
        let rows = [
            (60., 40., "Removing the"),
            (160., 40., "Implemented"),
            (240., 40., "22/04/2021"),
            (10., 52., "0156"),
            (60., 52., "requirement for"),
            (60., 62., "Users"),
            (60., 76., "Smart Meter"),
            (160., 76., "Implemented"),
            (240., 76., "20/05/2021"),
            (10., 94., "0159"),
            (60., 94., "data access"),
            (60., 108., "Updating the"),
            (160., 108., "Withdrawn"),
            (240., 108., "03/06/2021"),
            (10., 126., "0163"),
            (60., 126., "Threat"),
        ];
        let w = words(&[&HEADER[..], &rows[..]].concat());
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let rows: Vec<(&str, &str, &str)> = grid
            .rows
            .iter()
            .map(|r| {
                (
                    r.cell(ColumnField::Id),
                    r.cell(ColumnField::Title),
                    r.cell(ColumnField::PaTarget),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("0156", "Removing the requirement for Users", "22/04/2021"),
                ("0159", "Smart Meter data access", "20/05/2021"),
                ("0163", "Updating the Threat", "03/06/2021"),
            ]
        );
        assert!(grid.leading.is_empty());
    }

    #[test]
    fn rules_found_in_a_scan_cut_rows_where_the_widest_gap_falls_inside_a_title() {
        // OCR's uneven line spacing (generated scan 4000, page 9): `Proposals`, the last line
        // of 0041's title, stands further from the line above it than from 0044 below, so a
        // cut at the widest gap gives it to 0044. The scan's rules (leaning as it leans) part
        // the rows where the page does.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Modification Name"),
            (160., 0., "Status"),
            (240., 0., "Target PA"),
            (240., 10., "Delivery Date"),
            (10., 30., "0041"),
            (60., 30., "Amending the Change"),
            (60., 40., "rules for Modification"),
            (160., 30., "IA in progress"),
            (240., 30., "14/12/2017"),
            (60., 56., "Proposals"),
            (10., 68., "0044"),
            (60., 68., "Shared Resource"),
            (160., 68., "IA in progress"),
            (240., 68., "29/11/2017"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let read = |rules: &[Rule]| {
            let rules = PageRules {
                across: rules,
                down: &[],
            };
            let grid = read_grid_with(&refs, rules, &delivery(), None, ColumnsFrom::Header, &is_id)
                .unwrap();
            let titles: Vec<String> = grid
                .rows
                .iter()
                .map(|r| r.cell(ColumnField::Title).to_string())
                .collect();
            titles
        };
        assert_eq!(
            read(&[]),
            [
                "Amending the Change rules for Modification",
                "Proposals Shared Resource"
            ],
            "without rules, the widest gap"
        );
        // A border leaning 1.2 points over the table, under `Proposals`, and the table's foot.
        let rule = |y: f32| Rule {
            x0: 5.,
            y0: y,
            x1: 320.,
            y1: y + 1.2,
        };
        assert_eq!(
            read(&[rule(24.), rule(65.), rule(78.)]),
            [
                "Amending the Change rules for Modification Proposals",
                "Shared Resource"
            ]
        );
        // A rule across a third of the table is a cell's underline, not a row's border.
        let short = Rule {
            x1: 110.,
            ..rule(65.)
        };
        assert_eq!(read(&[short])[1], "Proposals Shared Resource");
    }

    #[test]
    fn a_scans_rules_down_part_the_columns_of_a_header_ocr_garbled() {
        // Generated scan 4001, page 8: the header read `SECHPE Modification Name Sous PAWG
        // Request Accepted Date`: no header cell named the status column. The rules down the page part
        // the ten printed columns, named in the table's printed order.
        let layout = delivery();
        assert_eq!(layout.order().len(), 10, "{:?}", layout.order());
        let lefts = [
            5., 40., 140., 215., 280., 345., 410., 475., 540., 605., 705.,
        ];
        let w = words(&[
            (8., 0., "SECHPE"),
            (45., 0., "Modification Name Sous PAWG"),
            (10., 20., "0057"),
            (45., 20., "Users to notify SSC"),
            (143., 20., "PA in progress"),
            (218., 20., "17/07/2018"),
            (283., 20., "14/08/2018"),
            (413., 20., "N/A"),
            (608., 20., "PA in progress"),
            (10., 30., "0059"),
            (45., 30., "Amendments to SEC"),
            (143., 30., "PA in progress"),
            (218., 30., "19/07/2018"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let borders: Vec<Rule> = lefts
            .iter()
            .map(|&x| Rule {
                x0: x,
                y0: -5.,
                x1: x + 0.5,
                y1: 45.,
            })
            .collect();
        let rules = PageRules {
            across: &[],
            down: &borders,
        };
        let grid = read_grid_with(&refs, rules, &layout, None, ColumnsFrom::Header, &is_id)
            .expect("a table");
        assert!(grid.ruled);
        let fields = fields_of(&grid);
        assert_eq!(fields, layout.order());
        let row = &grid.rows[0];
        assert_eq!(row.cell(ColumnField::Title), "Users to notify SSC");
        assert_eq!(row.cell(ColumnField::Status), "PA in progress");
        assert_eq!(row.cell(ColumnField::PaTarget), "14/08/2018");
        assert_eq!(row.cell(ColumnField::Comment), "PA in progress");
        assert_eq!(grid.rows[1].cell(ColumnField::Status), "PA in progress");
        // Without the rules the garbled header names too few columns to read the status.
        let unruled = read_grid(&refs, &layout, None, &is_id);
        assert!(unruled.is_none_or(|g| g.rows[0].cell(ColumnField::Status) != "PA in progress"));
    }

    #[test]
    fn a_garbled_header_s_columns_are_where_the_rows_leave_white() {
        // The header of a scan's delivery table, printed white on a dark band: OCR kept
        // `SECMP#`, `Title`, `Status` and one cell of the six dates, run together.
        let mut cells = vec![
            (10., 0., "SECMP#"),
            (60., 0., "setiteiin Title"),
            (160., 0., "pec Status"),
            (240., 0., "ae oe Received Target PA Delivery Date Ee"),
            (620., 0., "Comments"),
        ];
        let ids = ["0031", "0034", "0038", "0040"];
        let days = ["01/02/2017", "02/03/2017", "03/04/2017"];
        for (k, id) in ids.iter().enumerate() {
            let y = 30. + 30. * k as f32;
            cells.extend([
                (10., y, *id),
                (60., y, "Adding UTRN"),
                (60., y + 10., "Functionality"),
                (160., y, "PA in progress"),
            ]);
            // Six date columns 60 apart; the last two only in the second and third rows.
            for (c, x) in [240., 300., 360., 420., 480., 540.].into_iter().enumerate() {
                if c < 4 || k == 1 || k == 2 {
                    cells.push((x, y, days[(k + c) % 3]));
                }
            }
            cells.push((620., y, "Awaiting IA"));
        }
        let w = words(&cells);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let fields = fields_of(&grid);
        assert_eq!(fields, delivery().order());
        let second = &grid.rows[1];
        assert_eq!(second.cell(ColumnField::PaRequest), "02/03/2017");
        assert_eq!(second.cell(ColumnField::IaRequest), "02/03/2017");
        assert_eq!(second.cell(ColumnField::IaActual), "01/02/2017");
        assert_eq!(second.cell(ColumnField::Comment), "Awaiting IA");
        assert_eq!(grid.rows[0].cell(ColumnField::IaTarget), "");
    }

    #[test]
    fn a_title_run_ocr_set_apart_does_not_pull_the_next_column_under_the_title() {
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let layout = vocab
            .table_layout(TableKind::Dcc(DccTable::NoFurther))
            .unwrap()
            .clone();
        let mut cells = vec![
            (10., 0., "MP#"),
            (60., 0., "Title"),
            (400., 0., "Date added"),
            (480., 0., "Status"),
            // OCR's wide spaces: `ID in the Smart Metering` a run of its own at 150.
            (10., 20., "0011"),
            (60., 20., "Including the MAP"),
            (150., 20., "ID in the Smart Metering"),
            (400., 20., "03/07/2016"),
            (480., 20., "Implemented"),
        ];
        let ids = ["0012", "0013", "0014", "0016"];
        for (k, id) in ids.iter().enumerate() {
            let y = 30. + 10. * k as f32;
            cells.extend([
                (10., y, *id),
                (60., y, "Changing the Panel Sub-Committee reporting"),
                (400., y, "21/03/2017"),
                (480., y, "Withdrawn"),
            ]);
        }
        let w = words(&cells);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &layout, None, &is_id).expect("a table");
        let first = &grid.rows[0];
        assert_eq!(
            first.cell(ColumnField::Title),
            "Including the MAP ID in the Smart Metering"
        );
        assert_eq!(first.cell(ColumnField::DateAdded), "03/07/2016");
    }

    #[test]
    fn a_page_without_a_header_takes_the_columns_before_and_continues_the_last_row() {
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (160., 0., "Status"),
            (10., 20., "0007"),
            (60., 20., "Firmware"),
            (160., 20., "IA in"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let layout = delivery();
        let first = read_grid(&refs, &layout, None, &is_id).unwrap();
        let next = words(&[
            (60., 0., "updates"),
            (160., 0., "progress"),
            (10., 30., "0092"),
            (60., 30., "New Planned"),
        ]);
        let refs: Vec<&Word> = next.iter().collect();
        let grid = read_grid(&refs, &layout, Some(&first.columns), &is_id).unwrap();
        assert!(!grid.has_header);
        let mut row = first.rows[0].clone();
        row.continue_with(&grid.leading);
        assert_eq!(row.cell(ColumnField::Status), "IA in progress");
        assert_eq!(row.cell(ColumnField::Title), "Firmware updates");
        assert_eq!(grid.rows.len(), 1);
        // Without a header or columns carried, nothing is read.
        assert!(read_grid(&refs, &layout, None, &is_id).is_none());
    }

    #[test]
    fn a_row_begun_under_a_header_at_a_pages_foot_is_kept_for_its_id_on_the_next_page() {
        // Generated report 7601, page 12's foot: the header repeated, then `Amending the
        // definition of` / `Implemented` without the row's id; page 13 starts with `0073v2`.
        let w = words(&[
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (160., 0., "Status"),
            (60., 20., "Amending the"),
            (160., 20., "Implemented"),
            (60., 30., "definition of"),
            // The page's foot, far below: not the row's.
            (10., 200., "SEC Modifications"),
        ]);
        let refs: Vec<&Word> = w.iter().collect();
        let layout = delivery();
        let foot = read_grid(&refs, &layout, None, &is_id).unwrap();
        assert!(foot.rows.is_empty() && foot.has_header);
        let next = words(&[(10., 0., "0073"), (60., 0., "'Supply Period'")]);
        let refs: Vec<&Word> = next.iter().collect();
        let grid = read_grid(&refs, &layout, Some(&foot.columns), &is_id).unwrap();
        let mut row = grid.rows[0].clone();
        row.begin_with(&foot.leading);
        assert_eq!(
            row.cell(ColumnField::Title),
            "Amending the definition of 'Supply Period'"
        );
        assert_eq!(row.cell(ColumnField::Status), "Implemented");
        assert_eq!(row.cell(ColumnField::Id), "0073");
    }

    /// A delivery table's header over `rows` rows (ids 0031.., 20 apart): the six date
    /// columns 60 apart from 240, `Target PA` printed as `target_pa` (its cells and their x).
    fn delivery_table(target_pa: &[(f32, f32, &'static str)], rows: usize) -> Vec<Word> {
        let mut cells = vec![
            (10., 0., "MP#"),
            (60., 0., "Title"),
            (160., 0., "Status"),
            (240., 0., "PA WG"),
            (360., 0., "Actual PA"),
            (420., 0., "IA WG"),
            (480., 0., "Target IA"),
            (540., 0., "Actual IA"),
            (620., 0., "Comments"),
            (240., 10., "Request"),
            (360., 10., "Delivery"),
            (420., 10., "Request"),
            (480., 10., "Delivery"),
            (540., 10., "Delivery"),
        ];
        cells.extend_from_slice(target_pa);
        const IDS: [&str; 4] = ["0031", "0034", "0038", "0040"];
        for (k, id) in IDS.iter().take(rows).enumerate() {
            let y = 30. + 20. * k as f32;
            cells.extend([
                (10., y, *id),
                (60., y, "Adding UTRN"),
                (160., y, "PA in progress"),
                (240., y, "01/02/2017"),
                (360., y, "03/04/2017"),
                (620., y, "Awaiting IA"),
            ]);
            // Only the first row has a PA target: too few lines to find its column by.
            if k == 0 {
                cells.push((300., y, "02/03/2017"));
            }
        }
        words(&cells)
    }

    #[test]
    fn a_page_whose_rows_all_lost_their_ids_reads_a_row_for_each_dated_line() {
        // Generated scan 9401's pages 13 and 14: the ids printed grey, the layer read none.
        // Begun as one row at the page's foot, every row went into the next page's first.
        let mut cells = NO_FURTHER_HEADER.to_vec();
        for (k, title) in [
            "Managing DUIS uplifts",
            "Alignment of DUIS",
            "Power to raise",
        ]
        .into_iter()
        .enumerate()
        {
            let y = 20. + 20. * k as f32;
            cells.extend([
                (60., y, title),
                (160., y, "07/03/2019"),
                (240., y, "Implemented"),
                (60., y + 10., "and CHISM"),
            ]);
        }
        let w = words(&cells);
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).expect("a table");
        let titles: Vec<&str> = grid
            .rows
            .iter()
            .map(|r| r.cell(ColumnField::Title))
            .collect();
        assert_eq!(
            titles,
            [
                "Managing DUIS uplifts and CHISM",
                "Alignment of DUIS and CHISM",
                "Power to raise and CHISM"
            ]
        );
        assert!(grid.rows.iter().all(|r| r.id_lost));
        assert!(grid.leading.is_empty(), "{:?}", grid.leading);
    }

    #[test]
    fn a_speck_read_as_a_letter_in_a_headers_white_starts_no_cell() {
        // Generated scan 9404: `e`, 0.5 points wide, 79 points left of `Date added`. Joined to
        // that cell it gave the column its left edge, and titles ending near the column their
        // last words (`Default Provisions for Other SEC` | `Parties 07/03/2019`).
        let mut cells = vec![
            (10., 0., "SECMP#"),
            (60., 0., "Title"),
            (154., 0., "e"),
            (200., 0., "Date added"),
            (280., 0., "Status"),
        ];
        cells.extend([
            (10., 20., "0047"),
            (60., 20., "Default Other SEC"),
            (155., 20., "Parties"),
            (200., 20., "07/03/2019"),
            (280., 20., "Implemented"),
        ]);
        for (k, id) in ["0048", "0049", "0050"].into_iter().enumerate() {
            let y = 30. + 10. * k as f32;
            cells.extend([
                (10., y, id),
                (60., y, "Changing the Panel"),
                (200., y, "21/03/2017"),
                (280., y, "Withdrawn"),
            ]);
        }
        let mut w = words(&cells);
        let speck = w.iter_mut().find(|w| w.text.as_str() == "e").unwrap();
        speck.x1 = speck.x0 + 0.5;
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &no_further(), None, &is_id).expect("a table");
        let first = &grid.rows[0];
        assert_eq!(first.cell(ColumnField::Title), "Default Other SEC Parties");
        assert_eq!(first.cell(ColumnField::DateAdded), "07/03/2019");
    }

    #[test]
    fn a_header_cell_ocr_split_at_a_wide_space_is_one_cell() {
        // `Target` and `PA` 10 units apart at size 8 (generated scan 4002): two runs, and
        // neither `Target Delivery` nor `PA` names a column alone.
        let w = delivery_table(
            &[
                (300., 0., "Target"),
                (340., 0., "PA"),
                (300., 10., "Delivery"),
            ],
            3,
        );
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let fields = fields_of(&grid);
        assert_eq!(fields, delivery().order());
        assert_eq!(grid.rows[0].cell(ColumnField::PaTarget), "02/03/2017");
        assert_eq!(grid.rows[0].cell(ColumnField::PaActual), "03/04/2017");
    }

    #[test]
    fn a_header_cells_garbled_second_line_stays_with_it() {
        // `Modification` / `le` (the `Tit` of `Title` lost, generated scan 7300): `le` starts
        // under `Modification`, so it is that cell's line, not the start of `Status`'s cell.
        let mut w = delivery_table(&[(300., 0., "Target PA"), (300., 10., "Delivery")], 3);
        for word in w.iter_mut().filter(|w| w.text == "Title") {
            word.text = "Modification".into();
            word.x1 = word.x0 + 60.;
        }
        w.extend(words(&[(75., 10., "le")]));
        let refs: Vec<&Word> = w.iter().collect();
        let grid = read_grid(&refs, &delivery(), None, &is_id).expect("a table");
        let status = grid.columns.iter().find(|c| c.field == ColumnField::Status);
        assert_eq!(
            status.map(|c| c.left.round()),
            Some(159.),
            "{:?}",
            grid.columns
        );
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "Adding UTRN");
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "PA in progress");
    }

    #[test]
    fn a_row_set_close_under_its_header_is_a_row_not_a_header_line() {
        // Generated scan 7401: `MP115 IA 26 Oct 20 60 WD 60 WD` is a third header words
        // (`IA`, `WD`) and sits 3 points under `Modification Type Returned ...`.
        let g = crate::grammar::Grammar::builtin();
        let vocab = ReportVocabulary::compile(g).unwrap();
        let layout = vocab
            .table_layout(TableKind::Assessments(
                crate::model::records::AssessmentTable::Returned,
            ))
            .expect("a returned layout")
            .clone();
        let mut cells = vec![
            (10., 0., "Modification"),
            (120., 0., "Type"),
            (170., 0., "Returned"),
            (250., 0., "Target duration"),
            (350., 0., "Actual duration"),
        ];
        for (k, id) in ["MP115", "MP119", "MP124"].into_iter().enumerate() {
            let y = 11. + 12. * k as f32;
            cells.extend([
                (10., y, id),
                (120., y, "IA"),
                (170., y, "26 Oct 20"),
                (250., y, "60 WD"),
                (350., y, "45 WD"),
            ]);
        }
        let w = words(&cells);
        let refs: Vec<&Word> = w.iter().collect();
        let is_mp = |t: &str| t.starts_with("MP");
        let grid = read_grid(&refs, &layout, None, &is_mp).expect("a table");
        assert_eq!(grid.rows.len(), 3, "{:?}", grid.columns);
        assert_eq!(grid.rows[0].cell(ColumnField::Id), "MP115");
        assert_eq!(grid.rows[0].cell(ColumnField::Duration), "45 WD");
    }

    #[test]
    fn ids_under_a_header_that_lost_its_id_cell_are_a_column_of_their_own() {
        // Generated scan 7402: `MP#` lost on a dark band; its ids, at the left of every row,
        // made no column, and the table lost every row.
        let w: Vec<Word> = delivery_table(&[(300., 0., "Target PA"), (300., 10., "Delivery")], 3)
            .into_iter()
            .filter(|w| w.top >= 30.)
            .collect();
        let refs: Vec<&Word> = w.iter().collect();
        let body = visual_lines(&refs);
        let named = |field, left| Column {
            field,
            left,
            header: String::new(),
        };
        let header = vec![
            named(ColumnField::Title, f32::MIN),
            named(ColumnField::Status, 159.),
            named(ColumnField::PaRequest, 239.),
        ];
        let columns = with_id_column(header.clone(), &body, &delivery(), 0.5, &is_id);
        let fields: Vec<ColumnField> = columns.iter().map(|c| c.field).collect();
        assert_eq!(
            fields[..4],
            [
                ColumnField::Id,
                ColumnField::Title,
                ColumnField::Status,
                ColumnField::PaRequest
            ]
        );
        assert_eq!(columns[1].left.round(), 59., "{columns:?}");
        // A number starting a title's line (`12 TS Applicability`) is not one of the ids:
        // the column ends where the leftmost ids do.
        let mut w = w;
        w.extend(words(&[(60., 40., "0012 TS")]));
        let refs: Vec<&Word> = w.iter().collect();
        let columns = with_id_column(header, &visual_lines(&refs), &delivery(), 0.5, &is_id);
        assert_eq!(columns[1].left.round(), 59., "{columns:?}");
    }

    /// A heading's words in type of `size` (each letter 0.6 of it wide, a third of it
    /// between words) from the page's left, its foot `above` units over a table's header.
    fn heading(texts: &[&str], size: f32, above: f32) -> Vec<Word> {
        let mut x = 2.;
        texts
            .iter()
            .map(|text| {
                let width = 0.6 * size * text.len() as f32;
                let word = Word {
                    text: (*text).into(),
                    x0: x,
                    x1: x + width,
                    top: -above - size,
                    bottom: -above,
                    size,
                    line: 0,
                    confidence: 1.,
                };
                x += width + size / 3.;
                word
            })
            .collect()
    }

    /// A three-row delivery table under `heading` set at `size`, its foot `above` units
    /// above the header, read.
    fn grid_under_heading(heading_words: &[&str], size: f32, above: f32) -> Grid {
        let mut w = delivery_table(&[(300., 0., "Target PA"), (300., 10., "Delivery")], 3);
        w.extend(heading(heading_words, size, above));
        let refs: Vec<&Word> = w.iter().collect();
        read_grid(&refs, &delivery(), None, &is_id).expect("a table")
    }

    #[test]
    fn a_heading_in_larger_type_just_above_the_header_is_not_part_of_it() {
        // `DCC Assessment Delivery Dates` at 13 units, its foot 3 units above the header,
        // starting left of the ids.
        let grid = grid_under_heading(&["DCC", "Assessment", "Delivery", "Dates"], 13., 3.);
        let headers: Vec<&str> = grid.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers[..3], ["MP#", "Title", "Status"]);
        assert_eq!(grid.rows.len(), 3);
        assert_eq!(grid.rows[0].cell(ColumnField::Id), "0031");
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "Adding UTRN");
    }

    #[test]
    fn a_heading_in_a_little_larger_type_set_as_one_run_is_not_part_of_the_header() {
        // Generated image-only scan 8903: `Modifications - Implementation Status` at 13
        // points just above a 10-point header, its `Implementation` left of `Status`.
        let words = ["Modifications", "-", "Implementation", "Status"];
        let grid = grid_under_heading(&words, 11., 1.);
        let status = grid.columns.iter().find(|c| c.field == ColumnField::Status);
        assert!(status.is_some_and(|c| c.left > 120.), "{:?}", grid.columns);
        assert_eq!(grid.rows.len(), 3);
        assert_eq!(grid.rows[0].cell(ColumnField::Title), "Adding UTRN");
        assert_eq!(grid.rows[0].cell(ColumnField::Status), "PA in progress");
    }

    #[test]
    fn columns_carried_to_a_page_scanned_a_little_left_move_with_it() {
        let w = delivery_table(&[(300., 0., "Target PA"), (300., 10., "Delivery")], 2);
        let refs: Vec<&Word> = w.iter().collect();
        let layout = delivery();
        let first = read_grid(&refs, &layout, None, &is_id).expect("a table");
        // The next page's rows, 1.5 units left of the first's (no header: OCR lost it).
        let mut next = words(&[
            (10., 0., "0042"),
            (60., 0., "Improving the"),
            (160., 0., "Implemented"),
            (240., 0., "11/05/2020"),
            (300., 0., "01/06/2020"),
            (360., 0., "06/07/2020"),
            (620., 0., "Approved"),
            (10., 20., "0043"),
            (60., 20., "Operational Metrics"),
            (160., 20., "Pending"),
            (240., 20., "12/06/2020"),
        ]);
        for word in &mut next {
            word.x0 -= 1.5;
            word.x1 -= 1.5;
        }
        let refs: Vec<&Word> = next.iter().collect();
        let grid = read_grid(&refs, &layout, Some(&first.columns), &is_id).expect("a table");
        let row = &grid.rows[0];
        assert_eq!(row.cell(ColumnField::Id), "0042");
        assert_eq!(row.cell(ColumnField::Title), "Improving the");
        assert_eq!(row.cell(ColumnField::Status), "Implemented");
        assert_eq!(row.cell(ColumnField::PaTarget), "01/06/2020");
        assert_eq!(grid.rows[1].cell(ColumnField::Status), "Pending");
    }

    #[test]
    fn rows_are_ruled_where_a_rule_across_stands_between_two_of_them() {
        let row = |top: f32| GridRow {
            cells: Vec::new(),
            anchor_line: 1,
            top,
            bottom: top + 20.,
            confidence: 1.,
            id_lost: false,
            room: (top, top + 20.),
        };
        let across = |y: f32| Rule {
            x0: 50.,
            y0: y,
            x1: 500.,
            y1: y,
        };
        let rows = [row(100.), row(130.)];
        assert!(rows_parted_by_rules(&rows, &[across(125.)]));
        // A header's rules and the table's border stand above and below its rows.
        assert!(!rows_parted_by_rules(&rows, &[across(95.), across(160.)]));
    }

    #[test]
    fn a_hyphen_at_a_cell_lines_end_joins_the_word() {
        let mut cell = "approved under Self-".to_string();
        join_cell_line(&mut cell, "Governance");
        assert_eq!(cell, "approved under Self-Governance");
        join_cell_line(&mut cell, "- now");
        assert_eq!(cell, "approved under Self-Governance - now");
    }
}

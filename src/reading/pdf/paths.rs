//! The ruling lines a page's content draws: a digital table's row and column borders.
//!
//! A table set with rules between its rows says where each row ends, whatever its cells'
//! vertical alignment: generated report 9001 prints each row's id on the row's top line and
//! centres its other cells, and read from its words alone, the widest gap between two ids fell
//! inside a row (MP208 took the second line of MP197v2's title and the rest of its comment).
//! A scan's rules are found in its image ([`crate::reading::rules`]); a digital page's are
//! the paths its content strokes (`m`/`l`/`re`, then `S`), and the rectangles it fills no
//! thicker than a rule (a word processor's cell borders). As pdfplumber reads a page's
//! lines and rects' edges: each piece a page draws (a rule per cell, often) is joined with
//! the pieces on its line that touch it; a rule shorter than a table's narrowest width is an
//! underline, and is dropped. Paths stroked or filled white are not drawn, and not rules.

use crate::reading::words::Rule;

/// A point of a path, in the page's default user space (y up).
type Point = (f64, f64);

/// The thickest filled rectangle that is a rule, not a cell's shading (points).
const RULE_THICKNESS: f64 = 2.;

/// The shortest rule across (points; an inch and a half, as a scan's): a table is wider; an
/// underline is shorter.
const ACROSS_MIN: f64 = 108.;

/// The shortest rule down (points; half an inch): a column border of two short rows.
const DOWN_MIN: f64 = 36.;

/// How far apart two pieces of one rule may lie along it, or off its line (points): a cell's
/// border meets the next one's at the rule down between them.
const JOIN_SLACK: f64 = 1.5;

/// The most pieces a page's paths keep (those being built, and those painted): a hostile
/// file whose form draws a thousand lines, drawn ten thousand times, would otherwise hold ten
/// million. A page past it keeps the rules of the pieces it took (no table draws as many).
const MAX_PIECES: usize = 100_000;

/// The paths a page's content builds and paints, and the rules they draw.
#[derive(Debug, Default)]
pub(super) struct Paths {
    /// The path being built: its straight pieces, in device space (the CTM applied).
    pieces: Vec<(Point, Point)>,
    /// The path's rectangles (`re`), as their corners, in device space.
    rects: Vec<(Point, Point)>,
    start: Option<Point>,
    current: Option<Point>,
    across: Vec<(f64, f64, f64)>,
    down: Vec<(f64, f64, f64)>,
}

impl Paths {
    /// `m`: a new subpath from `at` (device space).
    pub(super) fn move_to(&mut self, at: Point) {
        self.start = Some(at);
        self.current = Some(at);
    }

    /// `l`: a straight piece to `to`.
    pub(super) fn line_to(&mut self, to: Point) {
        if let Some(from) = self.current {
            self.push_piece((from, to));
        }
        self.current = Some(to);
    }

    /// Whether the page holds as many pieces as it may ([`MAX_PIECES`]).
    fn full(&self) -> bool {
        self.pieces.len() + self.across.len() + self.down.len() >= MAX_PIECES
    }

    /// A straight piece of the path being built, unless the page is full.
    fn push_piece(&mut self, piece: (Point, Point)) {
        if !self.full() {
            self.pieces.push(piece);
        }
    }

    /// `c`, `v`, `y`: a curve, never a rule; the path goes on from its end.
    pub(super) fn curve_to(&mut self, to: Point) {
        self.current = Some(to);
    }

    /// `h`: the subpath closed back to its start.
    pub(super) fn close(&mut self) {
        if let (Some(from), Some(to)) = (self.current, self.start) {
            self.push_piece((from, to));
            self.current = Some(to);
        }
    }

    /// `re`: a rectangle of four corners (device space), its own closed subpath.
    pub(super) fn rect(&mut self, corners: [Point; 4]) {
        if self.full() {
            return;
        }
        for k in 0..4 {
            self.pieces.push((corners[k], corners[(k + 1) % 4]));
        }
        let xs = corners.map(|p| p.0);
        let ys = corners.map(|p| p.1);
        let min = |v: [f64; 4]| v.into_iter().fold(f64::MAX, f64::min);
        let max = |v: [f64; 4]| v.into_iter().fold(f64::MIN, f64::max);
        self.rects.push(((min(xs), min(ys)), (max(xs), max(ys))));
        self.start = Some(corners[0]);
        self.current = Some(corners[0]);
    }

    /// A painting operator: the path stroked (`S`, `s`, `B`, `b`: its straight pieces drawn)
    /// and or filled (`f`, `F`, `B`, `b`: its rectangles no thicker than a rule drawn), each
    /// only where painted in a visible colour; then the path is gone.
    pub(super) fn paint(&mut self, stroked: bool, filled: bool) {
        if stroked {
            for (a, b) in std::mem::take(&mut self.pieces) {
                self.add_piece(a, b);
            }
        }
        if filled {
            for &((x0, y0), (x1, y1)) in &self.rects {
                if y1 - y0 <= RULE_THICKNESS && x1 - x0 > y1 - y0 {
                    self.across.push(((y0 + y1) / 2., x0, x1));
                } else if x1 - x0 <= RULE_THICKNESS && y1 - y0 > x1 - x0 {
                    self.down.push(((x0 + x1) / 2., y0, y1));
                }
            }
        }
        self.end();
    }

    /// `n` (and after painting): the path is gone.
    pub(super) fn end(&mut self) {
        self.pieces.clear();
        self.rects.clear();
        self.start = None;
        self.current = None;
    }

    /// A stroked straight piece: a rule piece when it runs level or plumb.
    fn add_piece(&mut self, (ax, ay): Point, (bx, by): Point) {
        if self.across.len() + self.down.len() >= MAX_PIECES {
            return;
        }
        if (ay - by).abs() <= 0.1 && (ax - bx).abs() > 0.1 {
            self.across.push(((ay + by) / 2., ax.min(bx), ax.max(bx)));
        } else if (ax - bx).abs() <= 0.1 && (ay - by).abs() > 0.1 {
            self.down.push(((ax + bx) / 2., ay.min(by), ay.max(by)));
        }
    }

    /// The page's rules, in the words' coordinates (y down from the top of a page
    /// `page_height` high): across, top to bottom, and down, left to right; the pieces
    /// drawn so far are taken.
    pub(super) fn take_rules(&mut self, page_height: f64) -> (Vec<Rule>, Vec<Rule>) {
        self.end();
        let across = joined(std::mem::take(&mut self.across), ACROSS_MIN)
            .into_iter()
            .map(|(y, x0, x1)| {
                let y = (page_height - y) as f32;
                Rule {
                    x0: x0 as f32,
                    y0: y,
                    x1: x1 as f32,
                    y1: y,
                }
            })
            .rev()
            .collect();
        let down = joined(std::mem::take(&mut self.down), DOWN_MIN)
            .into_iter()
            .map(|(x, y0, y1)| Rule {
                x0: x as f32,
                y0: (page_height - y1) as f32,
                x1: x as f32,
                y1: (page_height - y0) as f32,
            })
            .collect();
        (across, down)
    }
}

/// Pieces of rules (`(at, from, to)`: a line's place, then its span along it) joined where
/// they lie on one line and touch, those at least `min` long, in order of place.
fn joined(mut pieces: Vec<(f64, f64, f64)>, min: f64) -> Vec<(f64, f64, f64)> {
    pieces.retain(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite());
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // Lines: pieces within the slack of the first piece's place.
    let mut lines: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    for p in pieces {
        match lines.last_mut() {
            Some(line) if p.0 - line[0].0 <= JOIN_SLACK => line.push(p),
            _ => lines.push(vec![p]),
        }
    }
    let mut rules = Vec::new();
    for mut line in lines {
        line.sort_by(|a, b| a.1.total_cmp(&b.1));
        let at = line.iter().map(|p| p.0).sum::<f64>() / line.len() as f64;
        let mut span: Option<(f64, f64)> = None;
        for &(_, from, to) in &line {
            span = match span {
                Some((s0, s1)) if from <= s1 + JOIN_SLACK => Some((s0, s1.max(to))),
                Some((s0, s1)) => {
                    rules.push((at, s0, s1));
                    Some((from, to))
                }
                None => Some((from, to)),
            };
        }
        rules.extend(span.map(|(s0, s1)| (at, s0, s1)));
    }
    rules.retain(|r| r.2 - r.1 >= min);
    rules.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_drawn_cell_by_cell_is_one_rule() {
        // Three cells' borders on one line (as reportlab draws a row's LINEBELOW), a
        // fourth piece of another line, an underline under a word.
        let mut paths = Paths::default();
        for (x0, x1) in [(40., 160.), (160., 300.), (300., 560.)] {
            paths.move_to((x0, 500.));
            paths.line_to((x1, 500.));
        }
        paths.move_to((40., 460.2));
        paths.line_to((560., 460.2));
        paths.move_to((100., 420.));
        paths.line_to((140., 420.));
        paths.paint(true, false);
        let (across, down) = paths.take_rules(800.);
        assert_eq!(
            across,
            vec![
                Rule {
                    x0: 40.,
                    y0: 300.,
                    x1: 560.,
                    y1: 300.
                },
                Rule {
                    x0: 40.,
                    y0: 339.8,
                    x1: 560.,
                    y1: 339.8
                },
            ]
        );
        assert!(down.is_empty());
    }

    #[test]
    fn a_filled_rectangle_is_a_rule_only_when_thin() {
        let mut paths = Paths::default();
        // A border filled half a point thick, a column border, a row's shading.
        paths.rect([(40., 600.), (560., 600.), (560., 600.5), (40., 600.5)]);
        paths.rect([(300., 300.), (300.5, 300.), (300.5, 600.), (300., 600.)]);
        paths.rect([(40., 400.), (560., 400.), (560., 420.), (40., 420.)]);
        paths.paint(false, true);
        let (across, down) = paths.take_rules(800.);
        assert_eq!(across.len(), 1, "{across:?}");
        assert!((across[0].y0 - 199.75).abs() < 1e-3);
        assert_eq!(down.len(), 1, "{down:?}");
        assert!((down[0].x0 - 300.25).abs() < 1e-3 && down[0].y0 == 200. && down[0].y1 == 500.);
    }

    #[test]
    fn a_page_keeps_no_more_pieces_than_its_limit() {
        let mut paths = Paths::default();
        for k in 0..(3 * MAX_PIECES) {
            let y = 3. * (k % 500) as f64;
            paths.move_to((0., y));
            paths.line_to((200., y));
            if k % 1000 == 999 {
                paths.paint(true, false);
            }
        }
        paths.paint(true, false);
        assert!(paths.pieces.len() + paths.across.len() <= MAX_PIECES);
        let (across, _) = paths.take_rules(800.);
        assert_eq!(across.len(), 500);
    }

    #[test]
    fn paths_painted_white_or_not_painted_are_no_rules() {
        let mut paths = Paths::default();
        paths.move_to((40., 500.));
        paths.line_to((560., 500.));
        paths.paint(false, false);
        paths.move_to((40., 400.));
        paths.line_to((560., 400.));
        paths.end();
        // A stroked curve from (40, 300) to (560, 300) is no rule either.
        paths.move_to((40., 300.));
        paths.curve_to((560., 300.));
        paths.paint(true, false);
        let (across, down) = paths.take_rules(800.);
        assert!(across.is_empty() && down.is_empty(), "{across:?} {down:?}");
    }
}

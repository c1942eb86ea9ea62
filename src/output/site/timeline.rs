//! A modification's timeline as an inline SVG: its stage intervals as bars, each fact as a
//! mark (one per row of `history`, dated by its own date, else by its first report, hollow
//! then), and each PA and IA as a bar from request to delivery (or to the last report, while
//! open), with a tick at its target and the part past the target in red.

use std::fmt::Write as _;

use super::super::escape::Html;
use super::data::{Fact, StageInterval};
use super::page::{short_month, stage_index, STAGE_COLOURS};
use crate::grammar::Date;

/// A PA or IA of one request, as the DCC's tables and the assessment tables tell it.
#[derive(Debug, Clone, Default)]
pub(super) struct AssessmentBar {
    /// "PA", or "MP078v2 IA" for another request's.
    pub label: String,
    pub requested: Option<Date>,
    pub target: Option<Date>,
    pub delivered: Option<Date>,
}

const WIDTH: f64 = 980.0;
const LEFT: f64 = 120.0;
const RIGHT: f64 = 24.0;
const MARK_STEP: f64 = 12.0;

/// A coordinate as `{:.1}` writes it, by integer arithmetic where that is sure to agree: the
/// exact float formatter was 4.8M of the 26.5M instructions of one report's site (callgrind,
/// June 2020's digital report), every timeline's coordinates. A
/// value whose tenths lie near a half (where `{:.1}` rounds the float's exact decimal value,
/// halves to even), a negative one or one out of range is left to the formatter.
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = self.0 * 10.0;
        // Below 1e9 the product is within 1e-7 of the exact value's tenths: a rounding more
        // than 1e-6 from a half is the exact value's too.
        let plain = self.0.is_sign_positive()
            && (0.0..1e9).contains(&tenths)
            && (tenths - tenths.floor() - 0.5).abs() > 1e-6;
        if !plain {
            return write!(f, "{:.1}", self.0);
        }
        let n = tenths.round() as u64;
        write!(f, "{}.{}", n / 10, n % 10)
    }
}

/// The colour of a fact's mark, by what kind of event it is.
fn mark_colour(event: &str) -> &'static str {
    match event {
        "raised" | "csc_ready_for_conversion" => "#4c6ef5",
        "change_board_approved" | "authority_approved" => "#1b9e77",
        "change_board_rejected" | "authority_rejected" | "withdrawn" => "#c92a2a",
        "authority_sent_back" => "#d6336c",
        "implemented" | "scheduled_for_release" => "#386cb0",
        "working_group" | "refinement_consultation_expected" | "report_consultation_expected" => {
            "#2f9e44"
        }
        _ => "#f08c00",
    }
}

/// Days since 1970 of a date.
fn day(d: Date) -> f64 {
    d.days_since_epoch() as f64
}

/// Writes the timeline. `end` is the date of the last report (an open interval or
/// assessment runs to it).
pub(super) fn render(
    out: &mut String,
    intervals: &[&StageInterval],
    facts: &[&Fact],
    assessments: &[AssessmentBar],
    end: Option<Date>,
) {
    let fact_date = |f: &Fact| f.event_date.or(f.first_reported);
    let mut dates: Vec<Date> = Vec::new();
    for i in intervals {
        dates.extend(i.from_date);
        dates.extend(i.to_date);
    }
    for f in facts {
        dates.extend(fact_date(f));
    }
    for a in assessments {
        dates.extend(a.requested);
        dates.extend(a.target);
        dates.extend(a.delivered);
    }
    let (lo, hi) = match (dates.iter().min(), dates.iter().max()) {
        (Some(&lo), Some(&hi)) => (day(lo), day(hi).max(end.map_or(day(hi), day))),
        _ => match end {
            Some(e) => (day(e) - 30.0, day(e)),
            None => (0.0, 30.0),
        },
    };
    let span = (hi - lo).max(30.0);
    let (lo, hi) = (lo - span * 0.03, lo + span * 1.03);
    let plot = WIDTH - LEFT - RIGHT;
    let x = |d: Date| LEFT + (day(d) - lo) / (hi - lo) * plot;
    let end_x = end.map_or(WIDTH - RIGHT, x);

    // Facts of one date are stacked.
    let mut stacks: Vec<(i64, usize)> = Vec::new();
    let mut slots = Vec::with_capacity(facts.len());
    for f in facts {
        let key = fact_date(f).map_or(i64::MIN, |d| d.days_since_epoch() as i64);
        let slot = match stacks.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                stacks.push((key, 1));
                0
            }
        };
        slots.push(slot);
    }
    let deepest = stacks.iter().map(|s| s.1).max().unwrap_or(1).max(1);
    let stage_y = 12.0;
    let facts_y = stage_y + 34.0;
    let facts_h = deepest as f64 * MARK_STEP + 10.0;
    let assess_y = facts_y + facts_h + 8.0;
    let axis_y = assess_y + assessments.len() as f64 * 24.0 + 6.0;
    let height = axis_y + 26.0;

    let _ = write!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" aria-label=\"Timeline: {} stage intervals, {} facts, {} assessments\">",
        intervals.len(),
        facts.len(),
        assessments.len()
    );
    // Lanes.
    let _ = write!(
        out,
        "<text class=\"lane\" x=\"8\" y=\"{}\">Stage</text><text class=\"lane\" x=\"8\" y=\"{}\">Facts</text>",
        Tenths(stage_y + 15.0),
        Tenths(facts_y + 12.0)
    );
    // Axis: month ticks (every 3 months past a year, every year past four).
    let months = span / 30.4;
    let every = if months > 48.0 {
        12
    } else if months > 12.0 {
        3
    } else {
        1
    };
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\"/>",
        Tenths(WIDTH - RIGHT),
        axis = Tenths(axis_y),
    );
    let first = Date::from_days_since_epoch(lo as i32);
    let (mut year, mut month) = (first.year, first.month);
    let mut ticks = 0;
    while ticks < 200 {
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
        let Some(d) = Date::new(year, month, 1) else {
            break;
        };
        if day(d) > hi {
            break;
        }
        ticks += 1;
        if (month - 1) % every != 0 {
            continue;
        }
        let tx = Tenths(x(d));
        let _ = write!(
            out,
            "<line class=\"axis\" x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\"/><text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            Tenths(stage_y),
            Tenths(axis_y + 4.0),
            Tenths(axis_y + 17.0),
            short_month(d)
        );
    }
    if let Some(e) = end {
        let _ = write!(
            out,
            "<line x1=\"{end}\" y1=\"{stage_y}\" x2=\"{end}\" y2=\"{axis}\" stroke=\"#17324d\" stroke-dasharray=\"3 3\"><title>Last report: {e}</title></line>",
            end = Tenths(end_x),
            axis = Tenths(axis_y),
        );
    }
    // Stage intervals.
    for (n, i) in intervals.iter().enumerate() {
        let x0 = i.from_date.map_or(LEFT, x);
        let x1 = i.to_date.map_or(end_x.max(x0 + 4.0), x).max(x0 + 2.0);
        let colour = STAGE_COLOURS[stage_index(Some(&i.stage))];
        let _ = write!(
            out,
            "<rect class=\"interval\" data-interval=\"{n}\" x=\"{left}\" y=\"{stage_y}\" width=\"{}\" height=\"22\" fill=\"{colour}\" stroke=\"#fff\"><title>{}: {} to {}</title></rect>",
            Tenths(x1 - x0),
            Html(&i.stage),
            i.from_date.map_or("?".to_string(), |d| d.to_string()),
            i.to_date.map_or("now".to_string(), |d| d.to_string()),
            left = Tenths(x0),
        );
        if x1 - x0 > 7.0 * i.stage.len() as f64 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                Tenths(x0 + 4.0),
                Tenths(stage_y + 15.0),
                Html(&i.stage)
            );
        }
    }
    // Facts: one mark each.
    for (n, (f, slot)) in facts.iter().zip(&slots).enumerate() {
        let cy = facts_y + 6.0 + *slot as f64 * MARK_STEP;
        let (cx, class, when) = match (f.event_date, f.first_reported) {
            (Some(d), _) => (x(d), "mark", d.to_string()),
            (None, Some(r)) => (x(r), "mark undated", format!("no date; first reported {r}")),
            (None, None) => (LEFT - 10.0, "mark undated", "no date".to_string()),
        };
        let fill = if class == "mark" {
            mark_colour(&f.event)
        } else {
            "#fff"
        };
        let (cx, cy) = (Tenths(cx), Tenths(cy));
        let _ = write!(
            out,
            "<a href=\"#fact-{n}\"><circle class=\"{class}\" data-fact=\"{n}\" cx=\"{cx}\" cy=\"{cy}\" r=\"5.5\" fill=\"{fill}\"><title>{}: {}{}</title></circle></a>",
            Html(&f.event),
            when,
            if f.conflict { " (conflict)" } else { "" }
        );
    }
    // Assessments: request to delivery, against the target.
    for (n, a) in assessments.iter().enumerate() {
        let y = assess_y + n as f64 * 24.0;
        let _ = write!(
            out,
            "<text class=\"lane\" x=\"8\" y=\"{}\">{}</text>",
            Tenths(y + 13.0),
            Html(&a.label)
        );
        let start = a.requested.or(a.delivered).or(a.target);
        let Some(start) = start else { continue };
        let x0 = x(start);
        let x1 = a.delivered.map_or(end_x, x).max(x0 + 2.0);
        let open = a.delivered.is_none();
        let _ = write!(
            out,
            "<rect class=\"assessment\" x=\"{left}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{}\"{}><title>{}: requested {}, target {}, {}</title></rect>",
            Tenths(y + 3.0),
            Tenths(x1 - x0),
            if open { "#c5d9f1" } else { "#6c8ebf" },
            if open {
                " stroke=\"#6c8ebf\" stroke-dasharray=\"4 2\""
            } else {
                ""
            },
            Html(&a.label),
            a.requested.map_or("?".to_string(), |d| d.to_string()),
            a.target.map_or("?".to_string(), |d| d.to_string()),
            a.delivered
                .map_or("not delivered".to_string(), |d| format!("delivered {d}")),
            left = Tenths(x0),
        );
        if let Some(t) = a.target {
            let tx = x(t);
            if x1 > tx + 0.5 {
                let _ = write!(
                    out,
                    "<rect class=\"late\" x=\"{at}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"#e03131\"><title>{}: past its target {t}</title></rect>",
                    Tenths(y + 3.0),
                    Tenths(x1 - tx),
                    Html(&a.label),
                    at = Tenths(tx),
                );
            }
            let _ = write!(
                out,
                "<line class=\"target\" x1=\"{at}\" y1=\"{}\" x2=\"{at}\" y2=\"{}\" stroke=\"#111\" stroke-width=\"2\"><title>{} target {t}</title></line>",
                Tenths(y),
                Tenths(y + 18.0),
                Html(&a.label),
                at = Tenths(tx),
            );
        }
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::Tenths;

    #[test]
    fn tenths_are_written_as_the_float_formatter_writes_them() {
        // Halves and near-halves (0.25 is exact and rounds to even; 0.35 is a little under),
        // whole tenths, the range a timeline draws in and far past it, and odd values.
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            0.45,
            2.5,
            1e8 + 0.05,
            1e12,
            -3.25,
        ];
        values.extend([
            f64::NAN,
            f64::INFINITY,
            f64::MIN_POSITIVE,
            1.0 - f64::EPSILON,
        ]);
        values.extend((0..20_000).map(|k| k as f64 * 0.05));
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push((state >> 11) as f64 / (1u64 << 53) as f64 * 2_000.0);
        }
        for v in values {
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }
}

//! A page per modification (`m/MP120.html`): its register row, its timeline (an inline SVG),
//! its stage intervals, every fact with every statement of it ("June 2020, page 4, line 12:
//! ..."), its assessments and what the DCC's tables said of it report by report.

use std::fmt::Write as _;

use super::super::escape::{push_html, push_number, Html};
use super::data::{Fact, Modification};
use super::page::{
    date, file_name, push_date, push_month_year, split_source, stage_badge, Section, Shell,
};
use super::timeline::{self, AssessmentBar};
use super::Site;
use crate::grammar::Date;

/// A `file:page:line` source as people read it, linked to its report's page: "June 2020
/// (csr-2020-06.pdf), page 4, line 12: <the line>". (Pushed piece by piece, not formatted:
/// a thousand reports' modification pages hold 50,000 sources, and `write!` was half of
/// their cost, 90 of `secreg site`'s 972 samples.)
pub(super) fn write_source(out: &mut String, site: &Site, root: &str, source: &str) {
    match split_source(source) {
        Some((file, page, line)) => write_place(out, site, root, file, page, line),
        None => push_html(out, source),
    }
}

/// [`write_source`] of a source given by its parts.
pub(super) fn write_place(
    out: &mut String,
    site: &Site,
    root: &str,
    file: &str,
    page: u32,
    line: u32,
) {
    let source = site.source_file(file);
    let statement = source.and_then(|f| f.statement_at(page, line));
    let file_report = source.and_then(|f| f.report_id);
    let report = statement.map(|s| s.report_id.as_str()).or(file_report);
    let when = statement.and_then(|s| s.report_date).or_else(|| {
        report
            .and_then(|r| site.report(r))
            .and_then(|r| r.report_date)
    });
    if let Some(d) = when {
        push_month_year(out, d);
        out.push(' ');
    }
    // The file's report's page, made once; a statement of another report (one file's bytes
    // under two names) has its own.
    let href = match report {
        Some(r) if report != file_report => site.report_page(r),
        _ => source.and_then(|f| f.report_page.as_deref()),
    };
    match href {
        Some(href) => {
            out.push_str("(<a href=\"");
            out.push_str(root);
            out.push_str(href);
            out.push_str("\">");
            push_html(out, file_name(file));
            out.push_str("</a>)");
        }
        None => {
            out.push('(');
            push_html(out, file_name(file));
            out.push(')');
        }
    }
    out.push_str(", page ");
    push_number(out, page.into());
    out.push_str(", line ");
    push_number(out, line.into());
    if let Some(href) = source.and_then(|f| f.link.as_deref()) {
        out.push_str(" <a class=\"muted\" href=\"");
        out.push_str(root);
        out.push_str(href);
        out.push_str("#page=");
        push_number(out, page.into());
        out.push_str("\" title=\"Open the file at its page\">[file]</a>");
    }
    if let Some(snippet) = statement.and_then(|s| s.snippet.as_deref()) {
        out.push_str(": <q>");
        push_html(out, snippet);
        out.push_str("</q>");
    }
}

/// What a fact says, in words: its event and values.
fn describe(f: &Fact) -> String {
    let mut parts = vec![f.event.replace('_', " ")];
    for v in [&f.proposer, &f.organisation, &f.release_name, &f.detail]
        .into_iter()
        .flatten()
    {
        parts.push(v.clone());
    }
    parts.join(", ")
}

/// The PA and IA of a modification (of each of its requests), from the DCC's tables (the
/// latest report first) and the assessment tables.
pub(super) fn assessment_bars(site: &Site, m: &Modification) -> Vec<AssessmentBar> {
    type Bars = Vec<(String, &'static str, AssessmentBar)>;
    let mut bars: Bars = Vec::new();
    let bar = |bars: &mut Bars, id: &str, kind: &'static str| -> usize {
        match bars.iter().position(|(i, k, _)| i == id && *k == kind) {
            Some(p) => p,
            None => {
                let label = if id == m.mod_id {
                    kind.to_string()
                } else {
                    format!("{id} {kind}")
                };
                bars.push((
                    id.to_string(),
                    kind,
                    AssessmentBar {
                        label,
                        ..AssessmentBar::default()
                    },
                ));
                bars.len() - 1
            }
        }
    };
    let mut dcc = site.dcc_of(&m.mod_id).to_vec();
    dcc.sort_by_key(|d| std::cmp::Reverse(d.at.report_date));
    for d in dcc {
        for (kind, request, target, actual) in [
            ("PA", d.pa_request, d.pa_target, d.pa_actual),
            ("IA", d.ia_request, d.ia_target, d.ia_actual),
        ] {
            if request.is_none() && target.is_none() && actual.is_none() {
                continue;
            }
            let i = bar(&mut bars, &d.mod_id, kind);
            let b = &mut bars[i].2;
            b.requested = b.requested.or(request);
            b.target = b.target.or(target);
            b.delivered = b.delivered.or(actual);
        }
    }
    let mut rows = site.assessments_of(&m.mod_id).to_vec();
    rows.sort_by_key(|a| std::cmp::Reverse(a.at.report_date));
    for a in rows {
        let kind = if a.assessment_type == "IA" {
            "IA"
        } else {
            "PA"
        };
        let i = bar(&mut bars, &a.mod_id, kind);
        let b = &mut bars[i].2;
        match a.table.as_str() {
            "returned" => {
                b.delivered = b.delivered.or(a.date);
                if let (None, Some(d), Some(wd)) = (b.requested, a.date, a.duration_wd) {
                    b.requested = Some(d.add_working_days(-(wd as i32)));
                }
            }
            _ => b.requested = b.requested.or(a.date),
        }
        if let (None, Some(r), Some(wd)) = (b.target, b.requested, a.target_wd) {
            b.target = Some(r.add_working_days(wd as i32));
        }
    }
    bars.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    bars.into_iter().map(|b| b.2).collect()
}

pub(super) fn modification_page(site: &Site, shell: &Shell, m: &Modification) -> String {
    let root = "../";
    let facts = site.facts_of(&m.mod_id);
    let intervals = site.stages_of(&m.mod_id);
    let mut out = String::with_capacity(8192 + facts.len() * 1024);
    shell.start(&mut out, &m.mod_id, root, Section::None);
    let _ = write!(
        out,
        "<h1>{} <span class=\"title\">{}</span></h1><dl class=\"summary\"><dt>Stage</dt><dd>",
        Html(&m.mod_id),
        Html(m.title.as_deref().unwrap_or("(no title read)"))
    );
    stage_badge(&mut out, m.stage.as_deref());
    if let Some(s) = &m.stage_source {
        let _ = write!(out, " <span class=\"muted\">(from {})</span>", Html(s));
    }
    out.push_str("</dd>");
    let mut row = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = write!(out, "<dt>{label}</dt><dd>{value}</dd>");
        }
    };
    row(
        "Decision",
        m.decision
            .as_deref()
            .map(|d| {
                let mut s = Html(d).to_string();
                if let Some(b) = &m.decision_body {
                    s.push_str(&format!(" by the {}", Html(b)));
                }
                if let Some(on) = m.decision_date {
                    s.push_str(&format!(" on {on}"));
                }
                s
            })
            .unwrap_or_default(),
    );
    row(
        "Release",
        Html(m.release_name.as_deref().unwrap_or("")).to_string(),
    );
    row("Implemented", date(m.implemented_date));
    let raised = [
        m.raised_date.map(|d| d.to_string()),
        m.proposer.clone(),
        m.organisation.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    row("Raised", Html(&raised).to_string());
    row(
        "Last DCC status",
        Html(m.last_dcc_status.as_deref().unwrap_or("")).to_string(),
    );
    if let (Some(f), Some(l)) = (m.first_seen, m.last_seen) {
        row(
            "Seen",
            format!(
                "{f} to {l}, in {} report{}",
                m.reports_seen.unwrap_or(0),
                if m.reports_seen == Some(1) { "" } else { "s" }
            ),
        );
    }
    if let Some(n) = m.title_variants.filter(|&n| n > 1) {
        row("Titles printed", format!("{n} different spellings"));
    }
    out.push_str("</dl>");

    // The timeline.
    let bars = assessment_bars(site, m);
    out.push_str("<h2>Timeline</h2>");
    timeline::render(&mut out, intervals, facts, &bars, site.last_report_date());
    out.push_str(
        "<div class=\"legend\"><span>Bars: stage intervals (the last runs to the last report, dashed line)</span>\
         <span>Dots: facts (hollow: no date of its own, placed at its first report)</span>\
         <span>PA/IA: request to delivery (dashed while open), black tick: target, red: past the target</span></div>",
    );

    // Stage intervals.
    out.push_str("<h2>Stages</h2>");
    if intervals.is_empty() {
        out.push_str(
            "<p class=\"muted\">No fact or DCC status gives this modification a stage.</p>",
        );
    } else {
        out.push_str("<table><thead><tr><th>Stage</th><th>From</th><th>To</th><th>Opened by</th><th>Source</th></tr></thead><tbody>");
        for i in intervals {
            out.push_str("<tr><td>");
            stage_badge(&mut out, Some(&i.stage));
            let basis = match i.date_basis.as_deref() {
                Some("report") => " <span class=\"muted\">(report's date)</span>",
                _ => "",
            };
            let opened = match (&i.event, &i.dcc_status) {
                (Some(e), _) => Html(&e.replace('_', " ")).to_string(),
                (None, Some(s)) => format!("DCC status {}", Html(s)),
                _ => String::new(),
            };
            let _ = write!(
                out,
                "</td><td class=\"date\">{}{basis}</td><td class=\"date\">{}</td><td>{opened}</td><td>",
                date(i.from_date),
                i.to_date.map_or("<span class=\"muted\">current</span>".to_string(), |d| d.to_string()),
            );
            if let Some(s) = &i.source {
                write_source(&mut out, site, root, s);
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }

    // Every fact, with every statement of it.
    let _ = write!(out, "<h2>Facts ({})</h2>", facts.len());
    if facts.is_empty() {
        out.push_str("<p class=\"muted\">No dated statement about it was read.</p>");
    } else {
        out.push_str("<ol class=\"facts\">");
        for (n, f) in facts.iter().enumerate() {
            let _ = write!(
                out,
                "<li id=\"fact-{n}\"><b>{}</b> {}",
                f.event_date
                    .map_or("(no date)".to_string(), |d| d.to_string()),
                Html(&describe(f))
            );
            if f.mod_id != m.mod_id {
                let _ = write!(
                    out,
                    " <span class=\"muted\">(as {})</span>",
                    Html(&f.mod_id)
                );
            }
            if f.conflict {
                out.push_str(" <span class=\"conflict\">conflict: reports disagree (see the review queue)</span>");
            }
            if let (Some(first), Some(last)) = (f.first_reported, f.last_reported) {
                let _ = write!(
                    out,
                    " <span class=\"muted\">- in {} report{}, {first} to {last}</span>",
                    f.times_reported.unwrap_or(0),
                    if f.times_reported == Some(1) { "" } else { "s" }
                );
            }
            out.push_str("<ul>");
            for s in &f.sources {
                out.push_str("<li>");
                write_source(&mut out, site, root, s);
                out.push_str("</li>");
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ol>");
    }

    // Assessments.
    if !bars.is_empty() {
        out.push_str("<h2>Assessments</h2><table><thead><tr><th>Assessment</th><th>Requested</th><th>Target</th><th>Delivered</th><th></th></tr></thead><tbody>");
        let end = site.last_report_date();
        for b in &bars {
            let state = match (b.delivered, b.target) {
                (Some(d), Some(t)) if d > t => "<span class=\"sev-warning\">delivered late</span>",
                (Some(_), _) => "delivered",
                (None, Some(t)) if end.is_some_and(|e: Date| e > t) => {
                    "<span class=\"sev-error\">open, past its target</span>"
                }
                (None, _) => "open",
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td>{state}</td></tr>",
                Html(&b.label),
                date(b.requested),
                date(b.target),
                date(b.delivered)
            );
        }
        out.push_str("</tbody></table>");
    }

    // The DCC's tables, report by report.
    let mut dcc = site.dcc_of(&m.mod_id).to_vec();
    if !dcc.is_empty() {
        dcc.sort_by(|a, b| {
            (a.at.report_date, &a.at.source_file, a.at.page, a.at.line).cmp(&(
                b.at.report_date,
                &b.at.source_file,
                b.at.page,
                b.at.line,
            ))
        });
        out.push_str("<h2>The DCC's tables</h2><table class=\"sortable\"><thead><tr><th>Report</th><th>Status</th><th>PA requested</th><th>PA target</th><th>PA delivered</th><th>IA requested</th><th>IA target</th><th>IA delivered</th><th>Comment</th><th>Line</th></tr></thead><tbody>");
        // (Pushed piece by piece, as the sources: a thousand reports' pages hold 22,000 of
        // these rows.)
        for d in dcc {
            out.push_str("<tr><td class=\"date\">");
            push_date(&mut out, d.at.report_date);
            out.push_str("</td><td>");
            push_html(&mut out, d.status.as_deref().unwrap_or(""));
            out.push_str("</td>");
            for v in [
                d.pa_request,
                d.pa_target,
                d.pa_actual,
                d.ia_request,
                d.ia_target,
                d.ia_actual,
            ] {
                out.push_str("<td class=\"date\">");
                push_date(&mut out, v);
                out.push_str("</td>");
            }
            out.push_str("<td>");
            push_html(&mut out, d.comment.as_deref().unwrap_or(""));
            out.push_str("</td><td>");
            if let (Some(p), Some(l)) = (d.at.page, d.at.line) {
                write_place(&mut out, site, root, &d.at.source_file, p, l);
            }
            if d.confidence.is_some_and(|c| c < super::LOW_CONFIDENCE) {
                let _ = write!(
                    out,
                    " <span class=\"sev-warning\">(confidence {:.2})</span>",
                    d.confidence.unwrap_or(0.0)
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    shell.end(&mut out);
    out
}

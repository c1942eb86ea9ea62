//! The review queue (`review.html`): the rows a person should look at first, most pressing
//! first (files that failed, conflicts between reports, ids that could not be read, ids read
//! through repairs, rows read with low confidence, other warnings), latest report first; each
//! linked to its report's line and to its modification. Filterable by kind
//! (`review.html#kind=conflict`) and text.

use std::fmt::Write as _;

use super::super::escape::{push_html, push_number};
use super::page::{file_name, push_check_tail, push_date, push_page_and_line, Section, Shell};
use super::{ReviewKind, Site};

pub(super) fn review_page(site: &Site, shell: &Shell) -> String {
    let queue = site.review();
    let mut out = String::with_capacity(4096 + queue.len() * 500);
    shell.start(&mut out, "Review queue", "", Section::Review);
    let _ = write!(
        out,
        "<h1>Review queue</h1><p class=\"lead\">{} rows to look at, most pressing first: each links to its report's line and to its modification.</p><div class=\"counts\">",
        queue.len()
    );
    let _ = write!(
        out,
        "<button type=\"button\" data-facet=\"\">All<b>{}</b></button>",
        queue.len()
    );
    for kind in ReviewKind::QUEUED {
        let n = queue.iter().filter(|c| c.kind == *kind).count();
        if n > 0 {
            let _ = write!(
                out,
                "<button type=\"button\" data-facet=\"{}\">{}<b>{n}</b></button>",
                kind.name(),
                kind.label()
            );
        }
    }
    out.push_str("</div><div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"Filter: file, id, code, text...\" aria-label=\"Filter by text\"><select id=\"filter-facet\" name=\"kind\" aria-label=\"Filter by kind\"><option value=\"\">All kinds</option>");
    for kind in ReviewKind::QUEUED {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            kind.name(),
            kind.label()
        );
    }
    let _ = write!(
        out,
        "</select><span id=\"shown\" class=\"muted\">{n} of {n} shown</span></div>",
        n = queue.len()
    );
    out.push_str("<table id=\"review\" class=\"sortable filterable\"><thead><tr><th>Kind</th><th>Report</th><th class=\"num\">Page</th><th class=\"num\">Line</th><th>What</th><th>The line as read</th><th>Modification</th></tr></thead><tbody>");
    // (Pushed piece by piece: a thousand reports' queue holds 12,000 rows.)
    let mut label = String::new();
    for c in &queue {
        let report = site.report(&c.report_id);
        out.push_str("<tr data-facet=\"");
        out.push_str(c.kind.name());
        out.push_str("\"><td class=\"sev-");
        out.push_str(c.severity);
        out.push_str("\" data-sort=\"");
        push_number(&mut out, (c.kind as u8).into());
        out.push_str("\">");
        out.push_str(c.kind.label());
        out.push_str("</td><td>");
        label.clear();
        push_date(&mut label, c.report_date);
        label.push(' ');
        label.push_str(report.map_or("", |r| file_name(&r.source_file)));
        match site.report_page(&c.report_id) {
            Some(href) => {
                out.push_str("<a href=\"");
                out.push_str(href);
                match (c.page, c.line) {
                    (Some(p), Some(l)) => {
                        out.push_str("#L");
                        push_number(&mut out, p.into());
                        out.push('-');
                        push_number(&mut out, l.into());
                    }
                    _ => out.push_str("#lines"),
                }
                out.push_str("\">");
                push_html(&mut out, label.trim());
                out.push_str("</a>");
            }
            None => push_html(&mut out, label.trim()),
        }
        out.push_str("</td>");
        push_page_and_line(&mut out, c.page, c.line);
        push_check_tail(&mut out, "", c);
    }
    out.push_str("</tbody></table>");
    shell.end(&mut out);
    out
}

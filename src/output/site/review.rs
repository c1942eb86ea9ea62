//! The review queue (`review.html`): the rows a person should look at first, most pressing
//! first (files that failed, conflicts between reports, ids that could not be read, ids read
//! through repairs, rows read with low confidence, other warnings), latest report first; each
//! linked to its report's line and to its modification. Filterable by kind
//! (`review.html#kind=conflict`) and text.

use std::fmt::Write as _;

use super::super::escape::Html;
use super::page::{date, file_name, modification_link, quoted, Section, Shell};
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
    for c in &queue {
        let report = site.report(&c.report_id);
        let _ = write!(
            out,
            "<tr data-facet=\"{}\"><td class=\"sev-{}\" data-sort=\"{}\">{}</td><td>",
            c.kind.name(),
            c.severity,
            c.kind as u8,
            c.kind.label(),
        );
        let label = format!(
            "{} {}",
            date(c.report_date),
            report.map_or("", |r| file_name(&r.source_file))
        );
        match site.report_page(&c.report_id) {
            Some(href) => {
                let anchor = match (c.page, c.line) {
                    (Some(p), Some(l)) => format!("#L{p}-{l}"),
                    _ => "#lines".to_string(),
                };
                let _ = write!(out, "<a href=\"{href}{anchor}\">{}</a>", Html(label.trim()));
            }
            None => {
                let _ = write!(out, "{}", Html(label.trim()));
            }
        }
        let _ = write!(
            out,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"id\">",
            c.page.map(|p| p.to_string()).unwrap_or_default(),
            c.line.map(|l| l.to_string()).unwrap_or_default(),
            Html(&c.what),
            quoted(c.snippet.as_deref()),
        );
        if let Some(m) = &c.mod_id {
            modification_link(&mut out, "", m);
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    shell.end(&mut out);
    out
}

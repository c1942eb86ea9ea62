//! The register (the site's `index.html`): every modification with its title, stage,
//! decision, release and last DCC status; the counts per stage; sortable, filterable by text
//! and stage (`index.html#stage=Approved`). And the list of reports (`reports.html`).

use foldhash::{HashMap, HashMapExt};
use std::fmt::Write as _;

use super::super::escape::{file_name, Html};
use super::page::{date, stage_badge, stage_index, Section, Shell};
use super::Site;
use crate::dataset::register::Stage;

/// The value of the stage facet of a modification with no stage.
const NO_STAGE: &str = "none";

pub(super) fn register_page(site: &Site, shell: &Shell) -> String {
    let data = site.data;
    let mut out = String::with_capacity(2048 + data.modifications.len() * 400);
    shell.start(&mut out, "Register", "", Section::Register);
    let (first, last) = site.report_span();
    let _ = write!(
        out,
        "<h1>Register</h1><p class=\"lead\">{} modifications named in {}",
        data.modifications.len(),
        site.report_dates()
    );
    if let (Some(f), Some(l)) = (first, last) {
        let _ = write!(out, " ({f} to {l})");
    }
    out.push_str(". Click a heading to sort; the filters are kept in the address (<code>#stage=Approved&amp;q=meter</code>).</p>");

    // Counts per stage, in the register's order.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in &data.modifications {
        *counts
            .entry(m.stage.as_deref().unwrap_or(NO_STAGE))
            .or_default() += 1;
    }
    out.push_str("<div class=\"counts\" aria-label=\"Modifications per stage\">");
    let _ = write!(
        out,
        "<button type=\"button\" data-facet=\"\">All<b>{}</b></button>",
        data.modifications.len()
    );
    let stages: Vec<&str> = Stage::ALL
        .iter()
        .map(|s| s.name())
        .chain([NO_STAGE])
        .collect();
    for s in &stages {
        let Some(n) = counts.get(s) else { continue };
        let _ = write!(
            out,
            "<button type=\"button\" data-facet=\"{}\" data-count=\"{n}\"><span class=\"sw s{}\"></span>{}<b>{n}</b></button>",
            Html(s),
            stage_index(Some(s)),
            if *s == NO_STAGE { "No stage" } else { s }
        );
    }
    out.push_str("</div>");

    out.push_str(
        "<div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"Filter: id, title, decision, release, status...\" aria-label=\"Filter by text\">\
         <select id=\"filter-facet\" name=\"stage\" aria-label=\"Filter by stage\"><option value=\"\">All stages</option>",
    );
    for s in &stages {
        if counts.contains_key(s) {
            let _ = write!(
                out,
                "<option value=\"{}\">{}</option>",
                Html(s),
                if *s == NO_STAGE { "No stage" } else { s }
            );
        }
    }
    let _ = write!(
        out,
        "</select><span id=\"shown\" class=\"muted\">{n} of {n} shown</span></div>",
        n = data.modifications.len()
    );

    out.push_str(
        "<table id=\"register\" class=\"sortable filterable\"><thead><tr>\
         <th>Id</th><th>Title</th><th>Stage</th><th>Decision</th><th>Release</th>\
         <th>Last DCC status</th><th>Raised</th><th>Last seen</th></tr></thead><tbody>",
    );
    for m in &data.modifications {
        let facet = m.stage.as_deref().unwrap_or(NO_STAGE);
        let page = file_name(&m.mod_id);
        let _ = write!(
            out,
            "<tr data-facet=\"{}\" id=\"{page}\"><td class=\"id\" data-sort=\"{:05}{}\"><a href=\"m/{page}.html\">{}</a></td><td>{}</td><td data-sort=\"{:02}\">",
            Html(facet),
            m.mod_number,
            Html(&m.mod_id),
            Html(&m.mod_id),
            Html(m.title.as_deref().unwrap_or("")),
            stage_index(m.stage.as_deref()),
        );
        stage_badge(&mut out, m.stage.as_deref());
        out.push_str("</td><td>");
        if let Some(d) = &m.decision {
            let _ = write!(out, "{}", Html(d));
            if let Some(body) = &m.decision_body {
                let _ = write!(out, " <span class=\"muted\">({})</span>", Html(body));
            }
            if let Some(on) = m.decision_date {
                let _ = write!(out, " <span class=\"muted\">{on}</span>");
            }
        }
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td></tr>",
            Html(m.release_name.as_deref().unwrap_or("")),
            Html(m.last_dcc_status.as_deref().unwrap_or("")),
            date(m.raised_date),
            date(m.last_seen),
        );
    }
    out.push_str("</tbody></table>");
    shell.end(&mut out);
    out
}

pub(super) fn reports_page(site: &Site, shell: &Shell) -> String {
    let data = site.data;
    let mut out = String::with_capacity(2048 + data.reports.len() * 400);
    shell.start(&mut out, "Reports", "", Section::Reports);
    let _ = write!(
        out,
        "<h1>Reports</h1><p class=\"lead\">{} files read. Each report's page lists what changed since the report before it and the lines to check.</p>\
         <table class=\"sortable\"><thead><tr><th>Date</th><th>File</th><th>Title</th><th>Status</th><th>Text</th><th class=\"num\">Pages</th><th class=\"num\">Changes</th><th class=\"num\">Lines to check</th></tr></thead><tbody>",
        data.reports.len()
    );
    for r in &data.reports {
        let changes = site
            .changes_of
            .get(r.report_id.as_str())
            .map_or(0, Vec::len);
        let to_check = site.lines_to_check(&r.report_id);
        let _ = write!(
            out,
            "<tr><td class=\"date\">{}</td><td>",
            date(r.report_date)
        );
        match site.report_page(&r.report_id) {
            Some(page) => {
                let _ = write!(out, "<a href=\"{page}\">{}</a>", Html(&r.source_file));
            }
            None => {
                let _ = write!(out, "{}", Html(&r.source_file));
            }
        }
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{changes}</td><td class=\"num\">{to_check}</td></tr>",
            Html(r.report_title.as_deref().unwrap_or("")),
            Html(&r.status),
            r.error
                .as_deref()
                .map(|e| format!(": <span class=\"muted\">{}</span>", Html(e)))
                .unwrap_or_default(),
            Html(r.text_source.as_deref().unwrap_or("")),
            r.pages.map(|p| p.to_string()).unwrap_or_default(),
        );
    }
    out.push_str("</tbody></table>");
    shell.end(&mut out);
    out
}

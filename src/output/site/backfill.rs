//! The back-fill page (`backfill.html`), when `secreg backfill` has reconciled a register
//! export with the archive: what to fill in (the register is empty, or does not list a
//! modification the archive has) and what to check (the two differ, or the export's value
//! could not be read), each with the archive's evidence linked to its report's line.
//! Filterable by verdict (`backfill.html#verdict=differs`) and text.

use std::fmt::Write as _;

use super::super::escape::Html;
use super::data::BackfillLine;
use super::page::{date, file_name, modification_link, quoted, Section, Shell};
use super::Site;

/// The verdicts the page lists, in its order, with what a person does about each.
const VERDICTS: &[(&str, &str)] = &[
    ("register_empty", "Fill in: the register is empty"),
    ("not_in_register", "Fill in: not in the register"),
    ("differs", "Check: they differ"),
    ("unreadable", "Check: the export's value is unreadable"),
];

pub(super) fn backfill_page(site: &Site, shell: &Shell) -> String {
    let rows: Vec<&BackfillLine> = VERDICTS
        .iter()
        .flat_map(|(v, _)| site.data.backfill.iter().filter(move |b| b.verdict == *v))
        .collect();
    let mut out = String::with_capacity(4096 + rows.len() * 400);
    shell.start(&mut out, "Back-fill", "", Section::Backfill);
    let agree = site
        .data
        .backfill
        .iter()
        .filter(|b| b.verdict == "agrees")
        .count();
    let _ = write!(
        out,
        "<h1>Back-fill</h1><p class=\"lead\">The register export against the archive: {} fields to fill in or check ({agree} agree). Each links to the report line that is the archive's evidence.</p><div class=\"counts\"><button type=\"button\" data-facet=\"\">All<b>{}</b></button>",
        rows.len(),
        rows.len()
    );
    for (verdict, label) in VERDICTS {
        let n = rows.iter().filter(|b| b.verdict == *verdict).count();
        let _ = write!(
            out,
            "<button type=\"button\" data-facet=\"{verdict}\">{label}<b>{n}</b></button>"
        );
    }
    out.push_str("</div><div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"Filter: id, field, value...\" aria-label=\"Filter by text\"><select id=\"filter-facet\" name=\"verdict\" aria-label=\"Filter by verdict\"><option value=\"\">All verdicts</option>");
    for (verdict, label) in VERDICTS {
        let _ = write!(out, "<option value=\"{verdict}\">{label}</option>");
    }
    let _ = write!(
        out,
        "</select><span id=\"shown\" class=\"muted\">{n} of {n} shown</span></div>",
        n = rows.len()
    );
    out.push_str("<table id=\"backfill\" class=\"sortable filterable\"><thead><tr><th>Modification</th><th>Field</th><th>Verdict</th><th>Register</th><th>Archive</th><th>Evidence</th><th>Why</th></tr></thead><tbody>");
    for b in rows {
        backfill_row(&mut out, site, b);
    }
    out.push_str("</tbody></table>");
    shell.end(&mut out);
    out
}

/// One field's row: the modification (linked to its page when the site has it), the two
/// values, and the evidence (linked to its report's line).
fn backfill_row(out: &mut String, site: &Site, b: &BackfillLine) {
    let _ = write!(
        out,
        "<tr data-facet=\"{}\"><td class=\"id\">",
        Html(&b.verdict)
    );
    if site.data.modifications.iter().any(|m| m.mod_id == b.mod_id) {
        modification_link(out, "", &b.mod_id);
    } else {
        let _ = write!(out, "{}", Html(&b.mod_id));
    }
    let register = match (&b.register_value, b.register_row) {
        (Some(v), Some(r)) => format!("{v} (row {r})"),
        (None, Some(r)) => format!("(row {r})"),
        (Some(v), None) => v.clone(),
        (None, None) => String::new(),
    };
    let _ = write!(
        out,
        "</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>",
        Html(&b.field),
        Html(&b.verdict),
        Html(&register),
        Html(b.archive_value.as_deref().unwrap_or(""))
    );
    if let Some(file) = &b.source_file {
        let label = format!(
            "{} {} p{} l{}",
            date(b.report_date),
            file_name(file),
            b.page.map(|p| p.to_string()).unwrap_or_default(),
            b.line.map(|l| l.to_string()).unwrap_or_default()
        );
        let href = site
            .report_id_of_file(file)
            .and_then(|r| site.report_page(r));
        match (href, b.page, b.line) {
            (Some(href), Some(p), Some(l)) => {
                let _ = write!(out, "<a href=\"{href}#L{p}-{l}\">{}</a>", Html(&label));
            }
            _ => {
                let _ = write!(out, "{}", Html(&label));
            }
        }
        if b.snippet.is_some() {
            let _ = write!(out, "<br>{}", quoted(b.snippet.as_deref()));
        }
    }
    let _ = write!(
        out,
        "</td><td>{}</td></tr>",
        Html(b.note.as_deref().unwrap_or(""))
    );
}

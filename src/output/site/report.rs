//! A page per report (`r/<report_id>.html`): what it is, what changed since the report before
//! it (the `changes` rows), and its lines to check (its diagnostics and the rows read with
//! low confidence), each line anchored (`#L4-12`) for the review queue's links.

use foldhash::{HashSet, HashSetExt};
use std::fmt::Write as _;

use super::super::escape::{file_name as safe_file_name, push_number, Html};
use super::data::ReportInfo;
use super::page::{
    date, file_name, month_year, push_check_tail, push_page_and_line, split_source, Section, Shell,
};
use super::Site;

pub(super) fn report_page(site: &Site, shell: &Shell, r: &ReportInfo) -> String {
    let root = "../";
    let changes = site.changes_of.get(r.report_id.as_str());
    let lines = site.lines_of(&r.report_id);
    let mut out =
        String::with_capacity(4096 + changes.map_or(0, Vec::len) * 300 + lines.len() * 400);
    let title = match r.report_date {
        Some(d) => format!("Report of {}", month_year(d)),
        None => format!("Report {}", file_name(&r.source_file)),
    };
    shell.start(&mut out, &title, root, Section::Reports);
    let _ = write!(
        out,
        "<h1>{} <span class=\"title\">{}</span></h1><dl class=\"summary\">",
        Html(&title),
        Html(file_name(&r.source_file))
    );
    let mut row = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = write!(out, "<dt>{label}</dt><dd>{value}</dd>");
        }
    };
    let mut file = Html(&r.source_file).to_string();
    if let Some(href) = site.file_link(&r.source_file) {
        file.push_str(&format!(" <a href=\"{root}{href}\">[open]</a>"));
    }
    row("File", file);
    row(
        "Title",
        Html(r.report_title.as_deref().unwrap_or("")).to_string(),
    );
    row("Date", date(r.report_date));
    row(
        "Read",
        format!(
            "{}{}{}",
            Html(&r.status),
            r.text_source
                .as_deref()
                .map(|s| format!(", text from {}", Html(s)))
                .unwrap_or_default(),
            r.pages.map(|p| format!(", {p} pages")).unwrap_or_default()
        ),
    );
    row(
        "Problem",
        Html(r.error.as_deref().unwrap_or("")).to_string(),
    );
    if let Some(c) = r.ocr_confidence {
        row("OCR confidence", format!("{c:.2}"));
    }
    row("Report id", Html(&r.report_id).to_string());
    out.push_str("</dl>");

    // What changed since the report before.
    out.push_str("<h2>Changes since the report before</h2>");
    match (changes, site.stands_for.get(&r.report_date)) {
        (Some(changes), _) => {
            let previous = changes[0].previous_report_id.as_deref().unwrap_or("");
            if let Some(p) = site.report(previous) {
                let _ = write!(out, "<p class=\"lead\">{} changes against ", changes.len());
                match site.report_page(previous) {
                    Some(href) => {
                        let _ = write!(
                            out,
                            "<a href=\"{root}{href}\">{}</a>",
                            Html(&p.report_date.map(month_year).unwrap_or_default())
                        );
                    }
                    None => out.push_str(&Html(previous).to_string()),
                }
                let _ = write!(out, " ({}).</p>", Html(file_name(&p.source_file)));
            }
            out.push_str("<table class=\"sortable\"><thead><tr><th>Modification</th><th>Change</th><th>Before</th><th>After</th><th>Source</th></tr></thead><tbody>");
            for c in changes {
                let _ = write!(
                    out,
                    "<tr><td class=\"id\"><a href=\"{root}m/{}.html\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>",
                    safe_file_name(&c.mod_id),
                    Html(&c.mod_id),
                    Html(&c.change.replace('_', " ")),
                    Html(c.before.as_deref().unwrap_or("")),
                    Html(c.after.as_deref().unwrap_or("")),
                );
                if let Some(s) = &c.source {
                    match split_source(s) {
                        Some((_, page, line)) => {
                            let _ = write!(out, "page {page}, line {line}");
                        }
                        None => out.push_str(&Html(s).to_string()),
                    }
                }
                out.push_str("</td></tr>");
            }
            out.push_str("</tbody></table>");
        }
        (None, Some(rep)) if *rep != r.report_id => {
            out.push_str("<p class=\"muted\">This is another form of the report of its date: its changes are on the page of ");
            match site.report(rep) {
                Some(other) => {
                    let _ = write!(
                        out,
                        "<a href=\"{root}r/{}.html\">{}</a>",
                        safe_file_name(rep),
                        Html(file_name(&other.source_file))
                    );
                }
                None => out.push_str(&Html(rep).to_string()),
            }
            out.push_str(", the form read best.</p>");
        }
        (None, Some(_)) if site.first_date() == r.report_date => {
            out.push_str("<p class=\"muted\">The first report of the archive: there is no report before it.</p>");
        }
        (None, Some(_)) => {
            out.push_str("<p class=\"muted\">Nothing changed since the report before.</p>");
        }
        (None, None) => {
            out.push_str("<p class=\"muted\">No changes: the report was not read, or has no date to order it by.</p>");
        }
    }

    // Lines to check.
    let _ = write!(
        out,
        "<h2 id=\"lines\">Lines to check ({})</h2>",
        lines.len()
    );
    if lines.is_empty() {
        out.push_str("<p class=\"muted\">No diagnostics, and no row read with low confidence.</p>");
    } else {
        out.push_str("<table class=\"sortable\"><thead><tr><th class=\"num\">Page</th><th class=\"num\">Line</th><th>Kind</th><th>What</th><th>The line as read</th><th>Modification</th></tr></thead><tbody>");
        let mut anchored: HashSet<(u32, u32)> = HashSet::new();
        // (Pushed piece by piece: a thousand reports' pages hold 13,000 of these rows.)
        for c in lines {
            out.push_str("<tr");
            if let (Some(p), Some(l)) = (c.page, c.line) {
                if anchored.insert((p, l)) {
                    out.push_str(" id=\"L");
                    push_number(&mut out, p.into());
                    out.push('-');
                    push_number(&mut out, l.into());
                    out.push('"');
                }
            }
            out.push('>');
            push_page_and_line(&mut out, c.page, c.line);
            out.push_str("<td class=\"sev-");
            out.push_str(c.severity);
            out.push_str("\">");
            out.push_str(c.kind.name());
            out.push_str("</td>");
            push_check_tail(&mut out, root, c);
        }
        out.push_str("</tbody></table>");
    }
    shell.end(&mut out);
    out
}

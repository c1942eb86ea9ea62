//! What every page of the site shares: the head (a Content-Security-Policy that allows the
//! page's own inline style and script, by their hashes, and nothing else), the navigation,
//! the style sheet, the script (sortable tables; filters read from and written to the URL's
//! fragment, `#stage=Approved&q=meter`), and small formatting helpers.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::super::escape::{base64, push_html, push_number, push_padded, Html};
use crate::grammar::Date;

/// The style sheet, inline in every page.
const CSS: &str = r##"
:root{--fg:#1d2330;--muted:#5b6475;--line:#d8dde6;--bg:#fff;--soft:#f4f6f9;--accent:#1f5fa8;--warn:#b4470c;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#17324d;color:#fff;padding:.5rem 1.25rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header .brand{font-weight:700;letter-spacing:.02em}
header nav a{color:#dce8f5;margin-right:1rem;text-decoration:none}
header nav a[aria-current]{color:#fff;border-bottom:2px solid #8fc1ff}
main{padding:1rem 1.25rem 3rem;max-width:1500px}
h1{font-size:1.45rem;margin:.3rem 0 .6rem}
h1 .title{font-weight:400}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
a{color:var(--accent)}
p.lead{color:var(--muted);margin:.2rem 0 .8rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \25B2";font-size:.7em}
table.sortable th[aria-sort=descending]::after{content:" \25BC";font-size:.7em}
tbody tr:hover{background:#f8fafc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.id{white-space:nowrap;font-weight:600}
td.date{white-space:nowrap;font-variant-numeric:tabular-nums}
q{quotes:none;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:var(--soft);padding:0 .2em}
.muted{color:var(--muted)}
.filters{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.6rem 0}
.filters input,.filters select{font:inherit;padding:.3rem .45rem;border:1px solid #b9c1ce;border-radius:4px}
.filters input{min-width:22rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}
.counts button{font:inherit;border:1px solid var(--line);background:var(--soft);border-radius:14px;padding:.15rem .7rem;cursor:pointer}
.counts button b{margin-left:.3rem}
.counts button[aria-pressed=true]{border-color:var(--accent);background:#e3eefb}
.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.85em;white-space:nowrap;border:1px solid transparent}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;vertical-align:-.05em}
.s0{background:#8da0cb}.s1{background:#66c2a5}.s2{background:#a6d854}.s3{background:#ffd92f}.s4{background:#1b9e77}.s5{background:#d95f02}.s6{background:#e78ac3}.s7{background:#999}.s8{background:#7570b3}.s9{background:#386cb0}.s10{background:#ddd}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn)}.sev-info{color:var(--muted)}
.conflict{color:var(--bad);font-weight:600}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0 1rem}
dl.summary dt{color:var(--muted)}dl.summary dd{margin:0}
ol.facts{padding-left:1.4rem}ol.facts>li{margin:.45rem 0}
ol.facts ul{margin:.15rem 0;padding-left:1.1rem;color:var(--muted)}
ol.facts ul li{margin:.1rem 0}
.timeline{border:1px solid var(--line);border-radius:4px;background:#fcfdfe;max-width:100%;height:auto}
.timeline text{font:11px system-ui,sans-serif;fill:#333}
.timeline .lane{font-weight:600;fill:#5b6475}
.timeline .axis{stroke:#aab}
.timeline .mark{stroke:#fff;stroke-width:1.5}
.timeline .mark.undated{fill:#fff;stroke:#555;stroke-dasharray:2 1}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;color:var(--muted);font-size:.9em;margin:.3rem 0}
tr:target,li:target{background:#fff6d6}
footer{color:var(--muted);font-size:.85em;padding:1rem 1.25rem;border-top:1px solid var(--line)}
"##;

/// The script, inline in every page: sortable tables (click a heading), and on a page with a
/// filterable table, the filters (text and one facet, a `select` whose `name` is the URL
/// parameter: `stage` on the register), read from the URL (`#stage=Approved&q=meter`, or
/// `?stage=...`) when the page opens and written back to its fragment as they change.
const JS: &str = r##"
(function () {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  function params() {
    var p = {};
    [location.search.slice(1), location.hash.slice(1)].forEach(function (s) {
      s.split("&").forEach(function (kv) {
        if (!kv) return;
        var i = kv.indexOf("=");
        try {
          var k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
          p[k] = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
        } catch (e) {}
      });
    });
    return p;
  }
  function sortKey(cell) {
    var s = cell ? cell.getAttribute("data-sort") : "";
    return s === null ? cell.textContent.trim().toLowerCase() : s;
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies[0]) return;
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, col) {
      th.tabIndex = 0;
      th.title = "Sort";
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = th.classList.contains("num");
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[col]), y = sortKey(b.cells[col]);
          if (numeric) { x = parseFloat(x); y = parseFloat(y); x = isNaN(x) ? -1e12 : x; y = isNaN(y) ? -1e12 : y; }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
  var table = document.querySelector("table.filterable");
  if (table && table.tBodies[0]) {
    var text = document.getElementById("filter-text");
    var facet = document.getElementById("filter-facet");
    var shown = document.getElementById("shown");
    var name = facet ? facet.name : "";
    var apply = function (write) {
      var q = text ? text.value.trim().toLowerCase() : "";
      var want = facet ? facet.value : "";
      var n = 0, total = 0;
      each(table.tBodies[0].rows, function (r) {
        total++;
        var ok = (!want || r.getAttribute("data-facet") === want) &&
          (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok;
        if (ok) n++;
      });
      table.setAttribute("data-shown", String(n));
      if (shown) shown.textContent = n + " of " + total + " shown";
      each(document.querySelectorAll(".counts button[data-facet]"), function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-facet") === want ? "true" : "false");
      });
      if (write) {
        var h = [];
        if (want) h.push(encodeURIComponent(name) + "=" + encodeURIComponent(want));
        if (q) h.push("q=" + encodeURIComponent(q));
        try { history.replaceState(null, "", h.length ? "#" + h.join("&") : location.pathname); } catch (e) {}
      }
    };
    var read = function () {
      var p = params();
      if (text) text.value = p.q !== undefined ? p.q : "";
      if (facet) {
        facet.value = p[name] !== undefined ? p[name] : "";
        if (facet.selectedIndex < 0) facet.value = "";
      }
      apply(false);
    };
    if (text) text.addEventListener("input", function () { apply(true); });
    if (facet) facet.addEventListener("change", function () { apply(true); });
    each(document.querySelectorAll(".counts button[data-facet]"), function (b) {
      b.addEventListener("click", function () {
        if (facet) facet.value = b.getAttribute("data-facet");
        apply(true);
      });
    });
    window.addEventListener("hashchange", read);
    read();
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
"##;

/// The site's sections, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Register,
    Reports,
    Review,
    Backfill,
    None,
}

/// The head and tail every page shares, with the policy computed once.
pub(super) struct Shell {
    csp: String,
    footer: String,
    /// Whether the site has a back-fill page (`secreg backfill` has run): it is then in the
    /// navigation.
    pub backfill: bool,
}

impl Shell {
    pub fn new(footer: &str) -> Shell {
        let hash = |s: &str| base64(&Sha256::digest(s.as_bytes()));
        // Nothing may be loaded: no scripts or styles but these two (by their hashes, so that
        // markup slipped into a page could not run a script of its own), no images, fonts,
        // frames, connections, forms or base URL.
        let csp = format!(
            "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src 'none'; \
             connect-src 'none'; font-src 'none'; object-src 'none'; frame-src 'none'; \
             base-uri 'none'; form-action 'none'",
            hash(JS),
            hash(CSS)
        );
        Shell {
            csp,
            footer: footer.to_string(),
            backfill: false,
        }
    }

    /// The policy every page declares.
    #[cfg(test)]
    pub fn policy(&self) -> &str {
        &self.csp
    }

    /// Starts a page: `root` is the way back to the site's folder (`""` or `"../"`).
    pub fn start(&self, out: &mut String, title: &str, root: &str, section: Section) {
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
             <meta name=\"referrer\" content=\"no-referrer\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{} - secreg</title><style>{CSS}</style></head><body>\
             <header><span class=\"brand\">secreg</span><nav>",
            self.csp,
            Html(title)
        );
        for (s, href, label) in [
            (Section::Register, "index.html", "Register"),
            (Section::Reports, "reports.html", "Reports"),
            (Section::Review, "review.html", "Review queue"),
            (Section::Backfill, "backfill.html", "Back-fill"),
        ] {
            if s == Section::Backfill && !self.backfill {
                continue;
            }
            let current = if s == section {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(out, "<a href=\"{root}{href}\"{current}>{label}</a>");
        }
        out.push_str("</nav></header><main>");
    }

    /// Ends a page.
    pub fn end(&self, out: &mut String) {
        let _ = write!(
            out,
            "</main><footer>{}</footer><script>{JS}</script></body></html>\n",
            Html(&self.footer)
        );
    }
}

/// A date as the tables write it, or nothing.
pub(super) fn date(d: Option<Date>) -> String {
    let mut out = String::new();
    push_date(&mut out, d);
    out
}

/// [`date`], appended to `out`: `2020-06-05` as `Date` writes it (`{:04}-{:02}-{:02}`).
pub(super) fn push_date(out: &mut String, d: Option<Date>) {
    if let Some(d) = d {
        push_padded(out, d.year.into(), 4);
        out.push('-');
        push_padded(out, d.month.into(), 2);
        out.push('-');
        push_padded(out, d.day.into(), 2);
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A report's month, as people name a report: "June 2020".
pub(super) fn month_year(d: Date) -> String {
    let mut out = String::with_capacity(14);
    push_month_year(&mut out, d);
    out
}

/// [`month_year`], appended to `out`.
pub(super) fn push_month_year(out: &mut String, d: Date) {
    out.push_str(MONTHS[(d.month as usize).clamp(1, 12) - 1]);
    out.push(' ');
    push_number(out, d.year.into());
}

/// The short month of an axis tick: "Jun 2020".
pub(super) fn short_month(d: Date) -> String {
    format!(
        "{} {}",
        &MONTHS[(d.month as usize).clamp(1, 12) - 1][..3],
        d.year
    )
}

/// The file name of a path (what a page shows of a source file).
/// A line as read, quoted (escaped): `<q>...</q>`, or nothing.
pub(super) fn quoted(snippet: Option<&str>) -> String {
    let mut out = String::new();
    push_quoted(&mut out, snippet);
    out
}

/// [`quoted`], appended to `out`.
pub(super) fn push_quoted(out: &mut String, snippet: Option<&str>) {
    if let Some(s) = snippet {
        out.push_str("<q>");
        push_html(out, s);
        out.push_str("</q>");
    }
}

/// A link to a modification's page, from a page `root` away from the site's folder.
pub(super) fn modification_link(out: &mut String, root: &str, mod_id: &str) {
    out.push_str("<a href=\"");
    out.push_str(root);
    out.push_str("m/");
    out.push_str(&super::super::escape::file_name(mod_id));
    out.push_str(".html\">");
    push_html(out, mod_id);
    out.push_str("</a>");
}

/// A line to check's last cells, on a report's page and in the review queue alike: what it
/// is, the line as read, and the link to its modification.
pub(super) fn push_check_tail(out: &mut String, root: &str, c: &super::Check) {
    out.push_str("<td>");
    push_html(out, &c.what);
    out.push_str("</td><td>");
    push_quoted(out, c.snippet.as_deref());
    out.push_str("</td><td class=\"id\">");
    if let Some(m) = &c.mod_id {
        modification_link(out, root, m);
    }
    out.push_str("</td></tr>");
}

/// A line to check's page and line cells: `<td class="num">4</td><td class="num">12</td>`,
/// empty where it has none.
pub(super) fn push_page_and_line(out: &mut String, page: Option<u32>, line: Option<u32>) {
    for n in [page, line] {
        out.push_str("<td class=\"num\">");
        if let Some(n) = n {
            push_number(out, n.into());
        }
        out.push_str("</td>");
    }
}

pub(super) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

pub(super) use super::super::escape::split_source;

/// The register id a printed canonical id belongs to: MP078v2 is MP078's.
pub(super) fn register_id(id: &str) -> &str {
    if let Some(i) = id.rfind('v') {
        let (head, tail) = (&id[..i], &id[i + 1..]);
        if i >= 5
            && !tail.is_empty()
            && tail.bytes().all(|b| b.is_ascii_digit())
            && head.bytes().last().is_some_and(|b| b.is_ascii_digit())
        {
            return head;
        }
    }
    id
}

/// The index of a stage in the register's order (its colour), or 10 for none.
pub(super) fn stage_index(stage: Option<&str>) -> usize {
    use crate::dataset::register::Stage;
    stage
        .and_then(|s| Stage::ALL.iter().position(|t| t.name() == s))
        .unwrap_or(10)
}

/// The colour of a stage (as `.s0`..`.s10` in the style sheet), for the SVG's `fill`.
pub(super) const STAGE_COLOURS: [&str; 11] = [
    "#8da0cb", "#66c2a5", "#a6d854", "#ffd92f", "#1b9e77", "#d95f02", "#e78ac3", "#999999",
    "#7570b3", "#386cb0", "#dddddd",
];

/// A stage with its colour swatch.
pub(super) fn stage_badge(out: &mut String, stage: Option<&str>) {
    match stage {
        Some(s) => {
            let _ = write!(
                out,
                "<span class=\"sw s{}\"></span>{}",
                stage_index(Some(s)),
                Html(s)
            );
        }
        None => out.push_str("<span class=\"muted\">none</span>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pushed_date_is_the_date_written() {
        for (year, month, day) in [
            (2020, 6, 5),
            (1999, 12, 31),
            (987, 1, 1),
            (-44, 3, 15),
            (12345, 10, 9),
        ] {
            let d = Date { year, month, day };
            let mut pushed = String::from("<td>");
            push_date(&mut pushed, Some(d));
            assert_eq!(pushed, format!("<td>{d}"));
            assert_eq!(date(Some(d)), d.to_string());
        }
        let mut none = String::new();
        push_date(&mut none, None);
        assert_eq!(none, "");
        assert_eq!(date(None), "");
    }

    #[test]
    fn sources_and_ids() {
        assert_eq!(split_source("a:b/c.pdf:4:12"), Some(("a:b/c.pdf", 4, 12)));
        assert_eq!(split_source("c.pdf"), None);
        assert_eq!(register_id("MP078v2"), "MP078");
        assert_eq!(register_id("MP102B"), "MP102B");
        assert_eq!(register_id("MP078"), "MP078");
        assert_eq!(stage_index(Some("Implemented")), 9);
        assert_eq!(stage_index(None), 10);
    }

    #[test]
    fn the_policy_allows_nothing_remote() {
        let shell = Shell::new("f");
        let p = shell.policy();
        assert!(p.starts_with("default-src 'none';"));
        assert!(!p.contains("http") && !p.contains('*') && !p.contains("unsafe"));
        let mut page = String::new();
        shell.start(&mut page, "<t>", "", Section::Register);
        shell.end(&mut page);
        assert!(page.contains("<title>&lt;t&gt; - secreg</title>"));
        assert!(page.find("Content-Security-Policy").unwrap() < page.find("<style>").unwrap());
    }
}

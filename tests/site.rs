//! The static site of an ingest's tables: every modification on the register and a page of its
//! own with one timeline mark per fact, a page per report, the review queue; every string from
//! a report shown as text (fixtures/hostile holds a report whose titles are markup).

mod common;

use std::path::Path;

use common::*;
use polars::prelude::*;

fn page(site: &Path, name: &str) -> String {
    std::fs::read_to_string(site.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

/// Every page of the site, by its path.
fn pages(site: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in [site.to_path_buf(), site.join("m"), site.join("r")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn report_text_shows_as_text_on_every_page() {
    let (out, _) = run_ingest(vec![fixtures().join("hostile")], None);
    let summary = secreg::output::site::build(out.path()).unwrap();
    let site = summary.dir;
    let register = page(&site, "index.html");
    // The titles, as text.
    assert!(
        register.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
        "{register}"
    );
    assert!(register.contains("<td>&gt;&lt;img src=x onerror=alert(1)&gt;</td>"));
    let mp201 = page(&site, "m/MP201.html");
    assert!(
        mp201.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "the organisation"
    );
    assert!(mp201.contains("<span class=\"title\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"));
    let all = pages(&site);
    assert_eq!(all.len(), summary.pages);
    for (name, html) in &all {
        assert!(!html.contains("<script>alert"), "{name}");
        assert!(!html.contains("<img"), "{name}");
        assert!(
            !html.contains("onerror=alert(1)>"),
            "{name}: an unescaped >"
        );
        // One script per page: the site's own, allowed by its hash.
        assert_eq!(html.matches("<script").count(), 1, "{name}");
        assert!(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            ),
            "{name}"
        );
    }
}

#[test]
fn the_site_shows_every_modification_fact_and_report() {
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let summary = secreg::output::site::build(out.path()).unwrap();
    let site = summary.dir;
    let register = read_parquet(out.path(), "modifications");
    let history = read_parquet(out.path(), "history");
    let reports = read_parquet(out.path(), "reports");
    let index = page(&site, "index.html");
    // One row per modification, its stage as the row's facet.
    let ids = texts(&register, "mod_id");
    let stages = texts(&register, "stage");
    assert_eq!(index.matches("<tr data-facet=").count(), ids.len());
    for (id, stage) in ids.iter().zip(&stages) {
        let facet = if stage.is_empty() { "none" } else { stage };
        assert!(
            index.contains(&format!("<tr data-facet=\"{facet}\" id=\"{id}\">")),
            "{id} {facet}"
        );
    }
    // Counts per stage, as the register has them.
    let approved = stages.iter().filter(|s| *s == "Approved").count();
    assert!(index.contains(&format!(
        "data-facet=\"Approved\" data-count=\"{approved}\""
    )));
    // A page per modification: one timeline mark per fact (MP078v2's are MP078's).
    let facts = texts(&history, "mod_id");
    for id in &ids {
        let html = page(&site, &format!("m/{id}.html"));
        let n = facts
            .iter()
            .filter(|f| {
                *f == id
                    || f.strip_prefix(id.as_str())
                        .is_some_and(|v| v.starts_with('v'))
            })
            .count();
        assert_eq!(html.matches("<circle class=\"mark").count(), n, "{id}");
        assert_eq!(html.matches("<li id=\"fact-").count(), n, "{id}");
    }
    // A statement shown with its report's month, page, line and the line as read.
    let mp088 = page(&site, "m/MP088.html");
    assert!(mp088.contains("August 2020 (<a href=\"../r/"), "{mp088}");
    assert!(mp088.contains(", page 5, line 8"));
    // A page per report, with its changes.
    let report_ids = texts(&reports, "report_id");
    for id in &report_ids {
        assert!(site.join(format!("r/{id}.html")).is_file(), "{id}");
    }
    let files = texts(&reports, "source_file");
    let august = &report_ids[files
        .iter()
        .position(|f| f.ends_with("csr-2020-08-digital.pdf"))
        .unwrap()];
    let page_of_august = page(&site, &format!("r/{august}.html"));
    assert!(page_of_august
        .contains("<a href=\"../m/MP137.html\">MP137</a></td><td>new modification</td>"));
    // The review queue links each row to its report's line.
    let review = page(&site, "review.html");
    assert!(
        review.contains("<tr data-facet=\"conflict\">"),
        "the planted conflict"
    );
    let link = regex::Regex::new(r#"href="r/([0-9a-f]+)\.html#L(\d+)-(\d+)""#).unwrap();
    let mut linked = 0;
    for c in link.captures_iter(&review) {
        let target = page(&site, &format!("r/{}.html", &c[1]));
        assert!(
            target.contains(&format!(" id=\"L{}-{}\"", &c[2], &c[3])),
            "{}",
            &c[0]
        );
        linked += 1;
    }
    assert!(linked > 10, "{linked} rows linked to their lines");
}

#[test]
fn a_folder_without_tables_says_what_to_run() {
    let empty = tempfile::tempdir().unwrap();
    let err = secreg::output::site::build(empty.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no reports.parquet or reports.csv"), "{err}");
    assert!(err.contains("secreg ingest --out"), "{err}");
    assert!(!empty.path().join("site").exists());
}

fn ingest_into(out: &Path, inputs: Vec<std::path::PathBuf>) {
    let options = secreg::pipeline::IngestOptions {
        inputs,
        out_dir: out.to_path_buf(),
        jobs: None,
        formats: vec![secreg::output::Format::Parquet, secreg::output::Format::Csv],
        progress: false,
        force: false,
        file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
        ocr: Default::default(),
    };
    secreg::pipeline::ingest(&options, secreg::grammar::Grammar::builtin()).unwrap();
}

/// An ingest whose tables changed hands their files to the site's read before it syncs and
/// renames them (`ingest_then`, `Reading`): the site so built is the site of the tables put in
/// place, page for page, whether the tables are Parquet or CSV only.
#[test]
fn a_site_read_while_its_tables_are_put_in_place_is_the_site_of_those_tables() {
    use secreg::output::site::{build, build_if_stale, Reading};
    use secreg::output::Format;
    let (june, july) = (
        fixture_reports().join("csr-2020-06-ocr.txt"),
        fixture_reports().join("csr-2020-07-digital.pdf"),
    );
    for formats in [vec![Format::Parquet, Format::Csv], vec![Format::Csv]] {
        let out = tempfile::tempdir().unwrap();
        let ingest_reading = |inputs: Vec<std::path::PathBuf>| {
            let options = secreg::pipeline::IngestOptions {
                inputs,
                out_dir: out.path().to_path_buf(),
                jobs: None,
                formats: formats.clone(),
                progress: false,
                force: false,
                file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
                ocr: Default::default(),
            };
            let (_, reading) = secreg::pipeline::ingest_then(
                &options,
                secreg::grammar::Grammar::builtin(),
                |opened, _| {
                    let names: Vec<String> = opened
                        .iter()
                        .map(|(path, _)| path.display().to_string())
                        .collect();
                    (Reading::start(out.path(), opened), names)
                },
            )
            .unwrap();
            let (reading, names) = reading.expect("the tables changed: their files are handed on");
            (reading.expect("a thread for the read"), names)
        };
        let (reading, names) = ingest_reading(vec![july.clone()]);
        assert!(
            names.iter().any(|n| n.ends_with("reports.csv")),
            "{names:?}"
        );
        let site = build_if_stale(out.path(), Some(reading))
            .unwrap()
            .expect("no site yet")
            .dir;
        let first = pages_by_name(&site);
        // A report more: the site in place is updated from the tables read as they were
        // renamed over the old ones.
        let (reading, _) = ingest_reading(vec![june.clone(), july.clone()]);
        let updated = build_if_stale(out.path(), Some(reading))
            .unwrap()
            .expect("tables changed");
        assert_eq!(updated.reports, 2, "{formats:?}");
        let read_ahead = pages_by_name(&site);
        assert_ne!(read_ahead, first, "{formats:?}");
        std::fs::remove_dir_all(&site).unwrap();
        build(out.path()).unwrap();
        assert_eq!(
            differing(&read_ahead, &pages_by_name(&site)),
            Vec::<String>::new(),
            "{formats:?}"
        );
    }
}

/// Every page of a site, by its path inside it, sorted.
fn pages_by_name(site: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pages(site)
        .into_iter()
        .map(|(p, html)| (p[site.display().to_string().len()..].to_string(), html))
        .collect();
    out.sort();
    out
}

#[test]
fn a_site_is_updated_page_by_page_and_only_when_its_tables_changed() {
    use secreg::output::site::{build, build_if_stale};
    let out = tempfile::tempdir().unwrap();
    let (june, july) = (
        fixture_reports().join("csr-2020-06-ocr.txt"),
        fixture_reports().join("csr-2020-07-digital.pdf"),
    );
    ingest_into(out.path(), vec![june.clone(), july.clone()]);
    let site = build(out.path()).unwrap().dir;
    let both = pages_by_name(&site);
    assert!(
        build_if_stale(out.path(), None).unwrap().is_none(),
        "tables unchanged"
    );
    let modified = |p: &str| {
        std::fs::metadata(site.join(&p[1..]))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before: Vec<_> = both.iter().map(|(p, _)| modified(p)).collect();
    assert_eq!(both.iter().filter(|(p, _)| p.starts_with("/r/")).count(), 2);
    // June leaves the archive: its page goes; a page whose HTML is the same is not written.
    ingest_into(out.path(), vec![july]);
    let updated = build_if_stale(out.path(), None)
        .unwrap()
        .expect("tables changed");
    assert_eq!(updated.reports, 1);
    let after = pages_by_name(&site);
    assert_eq!(
        after.iter().filter(|(p, _)| p.starts_with("/r/")).count(),
        1
    );
    let mut same = 0;
    for ((path, html), was) in both.iter().zip(&before) {
        if after.iter().any(|(p, h)| p == path && h == html) {
            assert_eq!(modified(path), *was, "{path}: the same HTML, written again");
            same += 1;
        }
    }
    assert!(same > 0, "no page stayed the same: the test tests nothing");
    // What the update left is what a site built afresh holds.
    std::fs::remove_dir_all(&site).unwrap();
    build(out.path()).unwrap();
    assert_eq!(after, pages_by_name(&site));
    assert_ne!(after, both);
}

/// An update knows an unchanged page by the stamp the last build kept of it (its size, time
/// and the hash of its HTML), without reading it: a page changed or removed by hand since, or
/// a site whose stamps are gone, is still brought back to what a site built afresh holds.
#[test]
fn an_update_writes_again_a_page_changed_by_hand_and_trusts_no_stamp_it_cannot_check() {
    use secreg::output::site::{build, build_if_stale, PAGES};
    let out = tempfile::tempdir().unwrap();
    let (june, july) = (
        fixture_reports().join("csr-2020-06-ocr.txt"),
        fixture_reports().join("csr-2020-07-digital.pdf"),
    );
    ingest_into(out.path(), vec![june.clone(), july.clone()]);
    let site = build(out.path()).unwrap().dir;
    let stamps = std::fs::read_to_string(site.join(PAGES)).unwrap();
    let built = pages_by_name(&site);
    assert_eq!(stamps.lines().count(), built.len(), "{stamps}");
    // (A file rewritten within the clock tick it was written in keeps its time.)
    std::thread::sleep(std::time::Duration::from_millis(50));
    // Every page overwritten with as many bytes of something else; the first one removed.
    for (i, (path, html)) in built.iter().enumerate() {
        let file = site.join(&path[1..]);
        if i == 0 {
            std::fs::remove_file(&file).unwrap();
        } else {
            std::fs::write(&file, "x".repeat(html.len())).unwrap();
        }
    }
    ingest_into(out.path(), vec![july.clone()]);
    build_if_stale(out.path(), None)
        .unwrap()
        .expect("tables changed");
    let updated = pages_by_name(&site);
    std::fs::remove_dir_all(&site).unwrap();
    build(out.path()).unwrap();
    assert_eq!(
        updated,
        pages_by_name(&site),
        "updated against built afresh"
    );
    assert_ne!(updated, built);
    // A site without its stamps (as an older version left it) is compared page by page.
    std::fs::remove_file(site.join(PAGES)).unwrap();
    std::fs::write(site.join(&updated[1].0[1..]), "by hand").unwrap();
    ingest_into(out.path(), vec![june, july]);
    build_if_stale(out.path(), None)
        .unwrap()
        .expect("tables changed");
    assert_eq!(
        differing(&pages_by_name(&site), &built),
        Vec::<String>::new()
    );
    assert!(site.join(PAGES).is_file());
}

/// The pages of a site (by name) that are not in another, or differ: an update's against a
/// site built afresh.
fn differing(updated: &[(String, String)], afresh: &[(String, String)]) -> Vec<String> {
    let mut names: Vec<String> = updated
        .iter()
        .filter(|p| !afresh.contains(p))
        .chain(afresh.iter().filter(|p| !updated.contains(p)))
        .map(|(name, _)| name.clone())
        .collect();
    names.dedup();
    names
}

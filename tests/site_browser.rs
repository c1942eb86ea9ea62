//! The site in a real browser: headless Chromium opens the pages from disk, runs their script
//! (`--dump-dom` gives the document after it ran) and draws the register (`--screenshot`).
//! The register shows one row per modification of the fixtures' run; `#stage=...` in the
//! address leaves only that stage's rows; a modification's timeline has one mark per fact;
//! a report's markup shows as text; and no request leaves the machine.
//!
//! "No request": Chromium writes every request its network stack starts to a net log
//! (`--log-net-log`). The page's own requests are those with an initiator (the page's origin;
//! the browser's own background requests have none). A page of the site with an `<img>` of a
//! remote address slipped in must make none (its Content-Security-Policy blocks it), and the
//! same `<img>` on a page without that policy must make one: the check can fail. Host names
//! resolve to nothing (`--host-resolver-rules`), so even the browser's own requests stay here.
//!
//! Without Chromium (`/usr/bin/chromium`, or `SECREG_CHROMIUM`), the test says why and
//! passes: `.ci/run` installs Debian's `chromium` so that CI always runs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use polars::prelude::*;

fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("SECREG_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .map(PathBuf::from),
        )
        .collect();
    candidates.into_iter().find(|p| p.is_file())
}

/// What one headless run gave: the DOM (for `--dump-dom`) and the requests the page made.
struct Run {
    dom: String,
    page_requests: Vec<String>,
}

/// Runs Chromium headless on `url` with `args` (`--dump-dom`, or `--screenshot=...`).
fn headless(chromium: &Path, url: &str, args: &[String]) -> Run {
    let scratch = tempfile::tempdir().unwrap();
    let netlog = scratch.path().join("netlog.json");
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--net-log-capture-mode=Default",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish {url} within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = reader.join().unwrap();
    Run {
        dom,
        page_requests: page_requests(&netlog),
    }
}

/// The URLs of the requests a page started (those with an initiator), from a net log.
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog)
        .unwrap_or_else(|e| panic!("chromium wrote no net log at {}: {e}", netlog.display()));
    // A log cut short (the browser stopped mid-write) is closed by hand.
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the net log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("the net log names URL_REQUEST_START_JOB");
    let mut urls = Vec::new();
    for event in log["events"].as_array().into_iter().flatten() {
        if event["type"].as_u64() != Some(start_job) {
            continue;
        }
        let params = &event["params"];
        let url = params["url"].as_str().unwrap_or("");
        let initiator = params["initiator"].as_str().unwrap_or("not an origin");
        if initiator != "not an origin" && !url.starts_with("file:") && !url.starts_with("data:") {
            urls.push(url.to_string());
        }
    }
    urls
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    let c = df.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

/// The register's rows in a dumped DOM: (stage facet, hidden).
fn register_rows(dom: &str) -> Vec<(String, bool)> {
    let row = regex::Regex::new(r#"<tr data-facet="([^"]*)"([^>]*)>"#).unwrap();
    row.captures_iter(dom)
        .map(|c| (c[1].to_string(), c[2].contains("hidden")))
        .collect()
}

#[test]
fn the_site_in_a_headless_browser() {
    let Some(chromium) = chromium() else {
        eprintln!(
            "skipped: no Chromium (/usr/bin/chromium; set SECREG_CHROMIUM to another): \
             install Debian's chromium package to run the browser test"
        );
        return;
    };
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    let site = secreg::output::site::build(out.path()).unwrap().dir;
    let register = read_parquet(out.path(), "modifications");
    let stages = texts(&register, "stage");
    let index = file_url(&site.join("index.html"));

    // The register: one row per modification, all shown; the script ran (its hash is allowed).
    let run = headless(&chromium, &index, &["--dump-dom".into()]);
    assert!(
        run.dom.contains("data-ready=\"1\""),
        "the page's script did not run"
    );
    let rows = register_rows(&run.dom);
    assert_eq!(rows.len(), register.height(), "one row per modification");
    assert!(rows.iter().all(|(_, hidden)| !hidden));
    assert!(run.page_requests.is_empty(), "{:?}", run.page_requests);

    // Filtered by a stage from the address: only that stage's rows are shown.
    let stage = "Implemented";
    let expected = stages.iter().filter(|s| *s == stage).count();
    assert!(expected > 0 && expected < stages.len());
    let run = headless(
        &chromium,
        &format!("{index}#stage={stage}"),
        &["--dump-dom".into()],
    );
    let rows = register_rows(&run.dom);
    let shown: Vec<&(String, bool)> = rows.iter().filter(|(_, hidden)| !hidden).collect();
    assert_eq!(shown.len(), expected, "rows shown for #stage={stage}");
    assert!(shown.iter().all(|(facet, _)| facet == stage));
    assert!(run
        .dom
        .contains(&format!("{expected} of {} shown", stages.len())));
    // And by text too: one modification's id.
    let run = headless(
        &chromium,
        &format!("{index}#q=MP088"),
        &["--dump-dom".into()],
    );
    let shown = register_rows(&run.dom).iter().filter(|r| !r.1).count();
    assert_eq!(shown, 1, "#q=MP088");

    // A modification's timeline: one mark per fact.
    let history = read_parquet(out.path(), "history");
    let ids = texts(&history, "mod_id");
    let busiest = {
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for id in &ids {
            *counts.entry(id.as_str()).or_default() += 1;
        }
        counts.into_iter().max_by_key(|(_, n)| *n).unwrap()
    };
    let page = file_url(&site.join(format!("m/{}.html", busiest.0)));
    let run = headless(&chromium, &page, &["--dump-dom".into()]);
    assert!(run.dom.contains("<svg class=\"timeline\""));
    assert_eq!(
        run.dom.matches("<circle class=\"mark").count(),
        busiest.1,
        "{}: one mark per fact",
        busiest.0
    );
    assert!(run.page_requests.is_empty(), "{:?}", run.page_requests);

    // A screenshot of the register.
    let shot = out.path().join("register.png");
    headless(
        &chromium,
        &index,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,900".into(),
            "--hide-scrollbars".into(),
        ],
    );
    let png = std::fs::read(&shot).expect("the screenshot was written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);

    // No request leaves: a remote image slipped into a page of the site is blocked by its
    // policy...
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    let canary = "<img src=\"http://canary.invalid/slipped-in.png\" alt=\"\">";
    let slipped = site.join("slipped.html");
    std::fs::write(
        &slipped,
        html.replacen("<main>", &format!("<main>{canary}"), 1),
    )
    .unwrap();
    let run = headless(&chromium, &file_url(&slipped), &["--dump-dom".into()]);
    assert!(
        run.dom.contains("canary.invalid"),
        "the image is in the page"
    );
    assert!(run.page_requests.is_empty(), "{:?}", run.page_requests);
    // ...and the same image on a page without the policy is a request the check sees.
    let bare = site.join("without-policy.html");
    std::fs::write(
        &bare,
        format!("<!DOCTYPE html><html><body>{canary}</body></html>"),
    )
    .unwrap();
    let run = headless(&chromium, &file_url(&bare), &["--dump-dom".into()]);
    assert_eq!(
        run.page_requests,
        ["http://canary.invalid/slipped-in.png"],
        "the net log check must see a page's request"
    );
}

#[test]
fn a_reports_markup_shows_as_text_in_the_browser() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: no Chromium (/usr/bin/chromium; set SECREG_CHROMIUM to another)");
        return;
    };
    let (out, _) = run_ingest(vec![fixtures().join("hostile")], None);
    let site = secreg::output::site::build(out.path()).unwrap().dir;
    for page in ["index.html", "m/MP201.html", "m/MP202.html"] {
        let run = headless(
            &chromium,
            &file_url(&site.join(page)),
            &["--dump-dom".into()],
        );
        assert!(run.dom.contains("data-ready=\"1\""), "{page}");
        // The markup is text in the document: no element was made of it.
        assert!(!run.dom.contains("<img"), "{page}: an <img> element");
        assert_eq!(
            run.dom.matches("<script").count(),
            1,
            "{page}: a script element"
        );
        assert!(
            run.page_requests.is_empty(),
            "{page}: {:?}",
            run.page_requests
        );
    }
    let run = headless(
        &chromium,
        &file_url(&site.join("m/MP201.html")),
        &["--dump-dom".into()],
    );
    assert!(run.dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(run.dom.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

//! The README says what is true: the schema exactly as `secreg schema` prints it, the
//! summary line an ingest of the fixtures prints, and the test command CI runs.

mod common;

use common::*;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn readme_schema_is_what_secreg_schema_prints() {
    let readme = readme();
    let start = readme
        .find("<!-- schema:start -->\n```\n")
        .expect("schema start marker")
        + "<!-- schema:start -->\n```\n".len();
    let end = readme
        .find("```\n<!-- schema:end -->")
        .expect("schema end marker");
    let printed = secreg::dataset::schema::describe_tables();
    assert_eq!(
        readme[start..end].trim_end(),
        printed.trim_end(),
        "regenerate the README schema with `secreg schema`"
    );
}

/// The seconds of a summary line, which no two runs share.
fn without_seconds(line: &str) -> String {
    let re = regex::Regex::new(r" in [0-9]+\.[0-9]+ s:").unwrap();
    re.replace(line, " in N s:").into_owned()
}

#[test]
fn readme_summary_line_is_what_an_ingest_of_the_fixtures_prints() {
    let readme = readme();
    let line = readme
        .lines()
        .find(|l| l.starts_with("Read ") && l.contains(" Rows: "))
        .expect("README's sample summary line");
    let (_out, summary) = run_ingest(vec![fixture_reports()], None);
    assert_eq!(
        without_seconds(line),
        without_seconds(&summary.paragraph()),
        "README's sample summary line"
    );
}

#[test]
fn ci_runs_the_test_command_readme_gives() {
    let readme = readme();
    let command = readme
        .lines()
        .find(|l| l.starts_with("cargo test"))
        .and_then(|l| l.split('#').next())
        .map(str::trim)
        .expect("README's test command");
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == command),
        ".ci/run does not run README's test command {command:?}"
    );
}

#[test]
fn readme_stage_table_is_the_one_backfill_reads() {
    let readme = readme();
    let start = readme
        .find("<!-- stage-words:start -->\n")
        .expect("stage words start marker")
        + "<!-- stage-words:start -->\n".len();
    let end = readme
        .find("<!-- stage-words:end -->")
        .expect("stage words end marker");
    assert_eq!(
        &readme[start..end],
        secreg::dataset::backfill::stage_words::markdown_table(),
        "README's stage table is REGISTER_STAGE_WORDS (src/dataset/backfill/stage_words.rs)"
    );
}

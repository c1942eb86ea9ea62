//! Helpers shared by the integration tests: running an ingest of the fixtures into a
//! temporary folder and reading its tables back.

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use secreg::grammar::Grammar;
use secreg::output::Format;
use secreg::pipeline::{ingest, IngestOptions, IngestSummary};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn fixture_reports() -> PathBuf {
    fixtures().join("reports")
}

/// Ingests `inputs` into a fresh temporary folder.
pub fn run_ingest(inputs: Vec<PathBuf>, jobs: Option<usize>) -> (tempfile::TempDir, IngestSummary) {
    let out = tempfile::tempdir().expect("temp dir");
    let options = IngestOptions {
        inputs,
        out_dir: out.path().to_path_buf(),
        jobs,
        formats: vec![Format::Parquet, Format::Csv],
        progress: false,
        force: false,
        file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
        ocr: Default::default(),
    };
    let summary = ingest(&options, Grammar::builtin()).expect("ingest runs");
    (out, summary)
}

pub fn read_parquet(dir: &Path, table: &str) -> DataFrame {
    let f = File::open(dir.join(format!("{table}.parquet"))).expect("parquet file");
    ParquetReader::new(f).finish().expect("parquet reads back")
}

/// A CSV table with every column read as text.
pub fn read_csv_as_text(dir: &Path, table: &str) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(dir.join(format!("{table}.csv"))))
        .expect("csv reader")
        .finish()
        .expect("csv reads back")
}

/// A column of a table read as text ([`read_csv_as_text`]), each empty cell `""`.
pub fn text_column(df: &DataFrame, name: &str) -> Vec<String> {
    let values = df.column(name).unwrap().str().unwrap();
    values.iter().map(|v| v.unwrap_or("").to_string()).collect()
}

/// The rows of `df` whose source_file ends with `file_name`.
pub fn rows_of(df: &DataFrame, file_name: &str) -> DataFrame {
    let files = df.column("source_file").unwrap().str().unwrap();
    let mask: BooleanChunked = files
        .iter()
        .map(|f| f.is_some_and(|f| f.ends_with(file_name)))
        .collect();
    df.filter(&mask).unwrap()
}

/// The one `reports` row of a file (asserted to be one).
pub fn report_row(out: &Path, file_name: &str) -> DataFrame {
    let row = rows_of(&read_parquet(out, "reports"), file_name);
    assert_eq!(row.height(), 1, "one reports row for {file_name}");
    row
}

/// A one-row frame's column as text ("" for null).
pub fn text_of(row: &DataFrame, column: &str) -> String {
    row.column(column)
        .unwrap()
        .cast(&DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap_or("")
        .to_string()
}

/// A one-row frame's u32 column (0 for null).
pub fn number_of(row: &DataFrame, column: &str) -> u32 {
    row.column(column)
        .unwrap()
        .u32()
        .unwrap()
        .get(0)
        .unwrap_or(0)
}

/// `df`'s columns `columns` as CSV text.
pub fn as_csv(df: &DataFrame, columns: &[&str]) -> String {
    let mut selected = df.select(columns.iter().copied()).unwrap();
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut selected)
        .unwrap();
    String::from_utf8(buf).unwrap()
}

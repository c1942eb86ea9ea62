//! The fixtures ingest end to end: typed Parquet that reads back with the exact schema, CSV
//! that agrees with it, the same rows in parallel as one at a time, every mention of the
//! June 2020 report with its page and line.

mod common;

use std::collections::BTreeSet;

use common::*;
use polars::prelude::*;
use regex::Regex;
use secreg::dataset::schema::{tables, ColumnType};

fn expected_dtype(ty: &ColumnType) -> DataType {
    match ty {
        ColumnType::Text => DataType::String,
        ColumnType::Date => DataType::Date,
        ColumnType::UInt32 => DataType::UInt32,
        ColumnType::UInt64 => DataType::UInt64,
        ColumnType::Float32 => DataType::Float32,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::TextList => DataType::List(Box::new(DataType::String)),
        ColumnType::Enum(_) => unreachable!("checked apart"),
    }
}

#[test]
fn parquet_reads_back_with_the_exact_schema_and_csv_agrees() {
    let (out, summary) = run_ingest(vec![fixture_reports()], None);
    assert_eq!(summary.failed, 0, "{}", summary.paragraph());
    assert_eq!(
        summary.files,
        std::fs::read_dir(fixture_reports()).unwrap().count()
    );
    assert_eq!(summary.ok, summary.files, "{}", summary.paragraph());
    for table in tables() {
        let df = read_parquet(out.path(), table.name);
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        let want: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, want, "columns of {}", table.name);
        for c in &table.columns {
            let dtype = df.column(c.name).unwrap().dtype().clone();
            match &c.ty {
                ColumnType::Enum(values) => {
                    let DataType::Enum(cats, _) = &dtype else {
                        panic!("{}.{} is {dtype:?}, not an Enum", table.name, c.name)
                    };
                    let got: Vec<String> = cats
                        .categories()
                        .values_iter()
                        .map(str::to_string)
                        .collect();
                    assert_eq!(got, *values, "{}.{} categories", table.name, c.name);
                }
                ty => assert_eq!(dtype, expected_dtype(ty), "{}.{}", table.name, c.name),
            }
        }
        // CSV and Parquet hold the same values.
        let csv = read_csv_as_text(out.path(), table.name);
        assert_eq!(csv.height(), df.height(), "{} rows", table.name);
        for c in &table.columns {
            if c.ty == ColumnType::TextList {
                // In CSV a list is its items joined by "; ".
                let lists = df.column(c.name).unwrap().list().unwrap().clone();
                let p: Vec<Option<String>> = lists
                    .series_iter()
                    .map(|s| {
                        s.map(|s| {
                            s.str()
                                .unwrap()
                                .iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                    })
                    .map(|v| v.filter(|s| !s.is_empty()))
                    .collect();
                let q: Vec<Option<String>> = csv
                    .column(c.name)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect();
                assert_eq!(p, q, "{}.{}: CSV and Parquet differ", table.name, c.name);
                continue;
            }
            let from_parquet = df.column(c.name).unwrap().cast(&DataType::String).unwrap();
            let from_csv = csv.column(c.name).unwrap();
            // Empty CSV fields stand for nulls; polars writes nulls as empty fields.
            let p: Vec<Option<String>> = from_parquet
                .str()
                .unwrap()
                .iter()
                .map(|v| v.filter(|s| !s.is_empty()).map(str::to_string))
                .collect();
            let q: Vec<Option<String>> = from_csv
                .str()
                .unwrap()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect();
            assert_eq!(p, q, "{}.{}: CSV and Parquet differ", table.name, c.name);
        }
    }
}

/// True when an Arrow type is, or holds, a view type (`string_view`, `binary_view`).
fn holds_a_view(dtype: &polars_arrow::datatypes::ArrowDataType) -> bool {
    use polars_arrow::datatypes::ArrowDataType as A;
    match dtype {
        A::Utf8View | A::BinaryView => true,
        A::List(f) | A::LargeList(f) | A::FixedSizeList(f, _) | A::Map(f, _) => {
            holds_a_view(&f.dtype)
        }
        A::Struct(fields) => fields.iter().any(|f| holds_a_view(&f.dtype)),
        A::Dictionary(_, values, _) => holds_a_view(values),
        A::Extension(ext) => holds_a_view(&ext.inner),
        _ => false,
    }
}

#[test]
fn every_parquet_file_embeds_an_arrow_schema_without_view_types() {
    use base64::Engine as _;
    use polars_arrow::datatypes::ArrowDataType as A;
    let (out, _) = run_ingest(vec![fixture_reports()], None);
    for table in tables() {
        let path = out.path().join(format!("{}.parquet", table.name));
        let mut file = std::fs::File::open(&path).unwrap();
        let metadata = polars_parquet::read::read_metadata(&mut file).unwrap();
        let encoded = metadata
            .key_value_metadata()
            .iter()
            .flatten()
            .find(|kv| kv.key == "ARROW:schema")
            .and_then(|kv| kv.value.clone())
            .unwrap_or_else(|| panic!("{}: no ARROW:schema", path.display()));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        // A continuation marker and a length stand before the IPC message.
        let message = if bytes[..4] == [255; 4] {
            &bytes[8..]
        } else {
            &bytes[..]
        };
        let (schema, _, _) = polars_arrow::io::ipc::read::deserialize_schema(message).unwrap();
        let names: Vec<&str> = schema.iter_values().map(|f| f.name.as_str()).collect();
        let want: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, want, "{}", table.name);
        for (field, column) in schema.iter_values().zip(&table.columns) {
            let at = format!("{}.{}: {:?}", table.name, column.name, field.dtype);
            assert!(!holds_a_view(&field.dtype), "{at} holds a view type");
            match &column.ty {
                ColumnType::Enum(_) => assert!(
                    matches!(&field.dtype, A::Dictionary(_, v, _) if matches!(v.as_ref(), A::LargeUtf8)),
                    "{at}: an enum is a dictionary of strings"
                ),
                ColumnType::Text => assert_eq!(field.dtype, A::LargeUtf8, "{at}"),
                _ => {}
            }
        }
    }
}

fn without_timing(mut df: DataFrame) -> DataFrame {
    if df.column("millis").is_ok() {
        df = df.drop("millis").unwrap();
    }
    df
}

#[test]
fn parallel_gives_the_same_rows_as_one_at_a_time() {
    let (one, _) = run_ingest(vec![fixture_reports()], Some(1));
    let (two, _) = run_ingest(vec![fixture_reports()], Some(2));
    for table in tables() {
        let a = without_timing(read_parquet(one.path(), table.name));
        let b = without_timing(read_parquet(two.path(), table.name));
        assert!(
            a.equals_missing(&b),
            "{} differs between --jobs 1 and --jobs 2",
            table.name
        );
    }
}

#[test]
fn every_mention_in_the_june_2020_text_is_found_at_its_page_and_line() {
    // An independent reading: every prefixed id-like token, found by a plain regex over the
    // text split into pages the way the archive joined them.
    let text = std::fs::read_to_string(fixture_reports().join("csr-2020-06-ocr.txt")).unwrap();
    let id = Regex::new(
        r"(?:^|[^A-Za-z0-9/_-])((?:SEC ?MP ?|DP|MP)O?[0-9]{2,4}[AB]?)(?:[^A-Za-z0-9]|$)",
    )
    .unwrap();
    let mut expected = BTreeSet::new();
    let mut page = 0u32;
    let mut line_no = 0u32;
    for line in text.split('\n') {
        if line.starts_with(' ') && !line.trim().is_empty() {
            page += 1;
            line_no = 0;
        }
        line_no += 1;
        let page = page.max(1);
        if line.contains("http") {
            continue;
        }
        for c in id.captures_iter(line) {
            expected.insert((page, line_no, c[1].to_string()));
        }
    }
    let (out, _) = run_ingest(vec![fixture_reports().join("csr-2020-06-ocr.txt")], None);
    let mentions = read_parquet(out.path(), "mentions");
    let pages = mentions.column("page").unwrap().u32().unwrap();
    let lines = mentions.column("line").unwrap().u32().unwrap();
    let raw = mentions.column("raw_id").unwrap().str().unwrap();
    let found: BTreeSet<(u32, u32, String)> = pages
        .iter()
        .zip(lines.iter())
        .zip(raw.iter())
        .map(|((p, l), r)| (p.unwrap(), l.unwrap(), r.unwrap().to_string()))
        .filter(|(_, _, r)| !r.chars().all(|c| c.is_ascii_digit() || c == 'v'))
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "mentions not found: {missing:?}");
    assert!(
        expected.len() >= 100,
        "the independent reading found only {}",
        expected.len()
    );
    // Bare table ids (0092, 0078v2) are mentions too, beyond what the regex sees.
    assert!(mentions.height() > expected.len());
}

/// More files than one batch (the tables are written 64 files at a time): every copy gets the
/// rows of the report alone, in input order, and a duplicate in a later batch is still known
/// as one.
#[test]
fn an_archive_of_several_batches_gives_every_file_its_rows_in_order() {
    let june = std::fs::read_to_string(fixture_reports().join("csr-2020-06-ocr.txt")).unwrap();
    let archive = tempfile::tempdir().unwrap();
    let copies = 150;
    for i in 0..copies {
        // A trailing line that names nothing makes each copy distinct bytes.
        std::fs::write(
            archive.path().join(format!("{i:03}.txt")),
            format!("{june}\narchive copy {i}\n"),
        )
        .unwrap();
    }
    // The same bytes as copy 000, last in input order: two batches later.
    std::fs::copy(
        archive.path().join("000.txt"),
        archive.path().join("zzz-again.txt"),
    )
    .unwrap();
    let (alone, _) = run_ingest(vec![archive.path().join("000.txt")], Some(1));
    let (all, summary) = run_ingest(vec![archive.path().to_path_buf()], Some(2));
    assert_eq!(summary.files, copies + 1);
    for table in ["mentions", "events", "assessments", "dcc_status"] {
        let one = read_parquet(alone.path(), table).height();
        assert!(one > 0, "{table}");
        let every = read_parquet(all.path(), table);
        assert_eq!(every.height(), one * copies, "{table}");
        // In input order: each file's rows together, files in name order.
        let files: Vec<String> = every
            .column("source_file")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|f| f.unwrap().to_string())
            .collect();
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(files, sorted, "{table} rows are not in input order");
    }
    let reports = read_parquet(all.path(), "reports");
    let again = rows_of(&reports, "zzz-again.txt");
    let status = again
        .column("status")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    assert_eq!(status.str().unwrap().get(0), Some("skipped"));
    assert!(again
        .column("error")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .contains("000.txt"));
}

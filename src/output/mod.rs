//! Writing the tables: Parquet (zstd) and CSV, each written to a temporary file in the output
//! folder and renamed into place, so a run killed at any moment leaves the previous tables
//! whole.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create output folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Parquet,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
        }
    }
}

/// Creates the output folder (and parents).
pub fn prepare_dir(dir: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(dir).map_err(|source| OutputError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `write` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
) -> Result<(), OutputError> {
    let err = |message: String| OutputError::Write {
        path: path.to_path_buf(),
        message,
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| err("no file name".into()))?
        .to_string_lossy();
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| e.to_string())?;
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        w.flush().map_err(|e| e.to_string())?;
        w.get_ref().sync_all().map_err(|e| e.to_string())?;
        drop(w);
        fs::rename(&tmp, path).map_err(|e| e.to_string())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// The frame with every list column made text, its items joined by "; " (CSV has no lists).
fn lists_as_text(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = frame.clone();
    for column in frame.columns() {
        if let DataType::List(_) = column.dtype() {
            let joined: StringChunked = column
                .list()?
                .series_iter()
                .map(|items| {
                    items.map(|items| {
                        let items = items.cast(&DataType::String).unwrap_or(items);
                        let texts: Vec<&str> = items
                            .str()
                            .map(|s| s.iter().flatten().collect())
                            .unwrap_or_default();
                        texts.join("; ")
                    })
                })
                .collect();
            out.with_column(joined.with_name(column.name().clone()).into_column())?;
        }
    }
    Ok(out)
}

/// Writes one table in one format; returns the path written.
pub fn write_table(
    dir: &Path,
    name: &str,
    frame: &mut DataFrame,
    format: Format,
) -> Result<PathBuf, OutputError> {
    let path = dir.join(format!("{name}.{}", format.extension()));
    write_atomically(&path, |w| match format {
        Format::Parquet => ParquetWriter::new(w)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::full())
            .finish(frame)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Format::Csv => CsvWriter::new(w)
            .include_header(true)
            .finish(&mut lists_as_text(frame).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string()),
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, |w| {
            w.write_all(b"partial").unwrap();
            Err("disk full".into())
        })
        .unwrap_err();
        assert!(err.to_string().contains("disk full") && err.to_string().contains("t.csv"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

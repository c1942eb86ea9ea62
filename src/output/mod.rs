//! Writing the tables: Parquet (zstd) and CSV, each written to a temporary file in the output
//! folder and renamed into place, so a run killed at any moment leaves the previous tables
//! whole. A [`TableSink`] takes a table batch by batch (a run never holds a whole table), and
//! puts all its files in place only when it is committed.
//!
//! The escaping of report text for HTML and terminals (`escape`) and the static site of the
//! tables (`site`) are here too: what is written for people rather than for programs.

pub mod escape;
pub mod site;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::io::parquet::write::KeyValueMetadata;
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

/// The file's `ARROW:schema` key-value metadata, written at the oldest Arrow compatibility
/// level: strings as `large_string`, not `string_view`. polars' eager writer embeds the schema
/// at the newest level, and a `string_view` there is more than some readers take (pandas
/// cannot convert a list of them; R's arrow cannot read `utf8_view` at all). The Parquet
/// columns are plain UTF-8 byte arrays either way: only the embedded schema differs. Enums stay
/// dictionaries (pandas reads them as Categorical).
fn compatible_arrow_schema(schema: &Schema) -> KeyValueMetadata {
    let arrow = schema.to_arrow(CompatLevel::oldest());
    KeyValueMetadata::Static(vec![polars_parquet::write::schema_to_metadata_key(&arrow)])
}

/// The Parquet writer every table file is written with.
fn parquet_writer<W: Write>(w: W, schema: &Schema) -> ParquetWriter<W> {
    ParquetWriter::new(w)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .with_key_value_metadata(Some(compatible_arrow_schema(schema)))
}

/// A buffered file whose last flush (when the batch writer that owns it is dropped) is
/// checked: the batch writers do not hand their writer back, and a full disk must not pass
/// unnoticed.
struct CheckedFile {
    inner: BufWriter<File>,
    flush_error: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Write for CheckedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for CheckedFile {
    fn drop(&mut self) {
        if let Err(e) = self.inner.flush() {
            if let Ok(mut slot) = self.flush_error.lock() {
                *slot = Some(e.to_string());
            }
        }
    }
}

/// A batch writer for one format of one table.
enum BatchWriter {
    Parquet(Box<polars::io::parquet::write::BatchedWriter<CheckedFile>>),
    Csv(Box<polars::io::csv::write::BatchedWriter<CheckedFile>>),
}

/// One file of a sink: where it is being written and where it goes.
struct SinkFile {
    path: PathBuf,
    tmp: PathBuf,
    /// A second handle on the temporary file, to sync it once the writer is gone.
    handle: File,
    flush_error: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    writer: Option<BatchWriter>,
}

/// One table written in batches, in every format asked for, to temporary files beside their
/// final paths. [`TableSink::commit`] finishes and renames them; a sink dropped before that
/// removes them, so the previous tables stay whole.
pub struct TableSink {
    files: Vec<SinkFile>,
    rows: usize,
}

fn temporary_path(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()))
}

impl TableSink {
    /// Opens the table's files; `empty` is a frame of the table with no rows (its schema).
    pub fn create(
        dir: &Path,
        name: &str,
        empty: &DataFrame,
        formats: &[Format],
    ) -> Result<TableSink, OutputError> {
        let mut files = Vec::new();
        for format in formats {
            let path = dir.join(format!("{name}.{}", format.extension()));
            let tmp = temporary_path(&path);
            let err = |message: String| OutputError::Write {
                path: path.clone(),
                message,
            };
            let file = File::create(&tmp).map_err(|e| err(e.to_string()))?;
            let flush_error = std::sync::Arc::new(std::sync::Mutex::new(None));
            // Registered before the writer exists, so that a failure below removes it.
            files.push(SinkFile {
                path: path.clone(),
                tmp: tmp.clone(),
                handle: file.try_clone().map_err(|e| err(e.to_string()))?,
                flush_error: flush_error.clone(),
                writer: None,
            });
            let w = CheckedFile {
                inner: BufWriter::new(file),
                flush_error,
            };
            let writer = match format {
                Format::Parquet => BatchWriter::Parquet(Box::new(
                    parquet_writer(w, empty.schema())
                        .batched(empty.schema())
                        .map_err(|e| err(e.to_string()))?,
                )),
                Format::Csv => BatchWriter::Csv(Box::new(
                    CsvWriter::new(w)
                        .include_header(true)
                        .batched(
                            lists_as_text(empty)
                                .map_err(|e| err(e.to_string()))?
                                .schema(),
                        )
                        .map_err(|e| err(e.to_string()))?,
                )),
            };
            files.last_mut().expect("pushed above").writer = Some(writer);
        }
        Ok(TableSink { files, rows: 0 })
    }

    /// Appends a batch of rows (a frame of the table's schema).
    pub fn write(&mut self, batch: &DataFrame) -> Result<(), OutputError> {
        if batch.height() == 0 {
            return Ok(());
        }
        self.rows += batch.height();
        for f in &mut self.files {
            let err = |message: String| OutputError::Write {
                path: f.path.clone(),
                message,
            };
            match f.writer.as_mut() {
                Some(BatchWriter::Parquet(w)) => w.write_batch(batch),
                Some(BatchWriter::Csv(w)) => {
                    w.write_batch(&lists_as_text(batch).map_err(|e| err(e.to_string()))?)
                }
                None => Ok(()),
            }
            .map_err(|e| err(e.to_string()))?;
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Finishes every file, syncs it and renames it into place; returns the table's paths.
    /// A file whose bytes equal the one already in place is not put in its place (the old
    /// file, and its modification time, stay): a run that changes nothing rewrites nothing.
    pub fn commit(mut self) -> Result<Committed, OutputError> {
        let mut committed = Committed::default();
        for f in &mut self.files {
            let err = |message: String| OutputError::Write {
                path: f.path.clone(),
                message,
            };
            match f.writer.take() {
                Some(BatchWriter::Parquet(w)) => {
                    w.finish().map_err(|e| err(e.to_string()))?;
                }
                Some(BatchWriter::Csv(mut w)) => {
                    w.finish().map_err(|e| err(e.to_string()))?;
                }
                None => continue,
            }
            // The writer is dropped by now: its last flush happened, and was checked.
            if let Some(message) = f.flush_error.lock().ok().and_then(|mut e| e.take()) {
                return Err(err(message));
            }
            committed.paths.push(f.path.clone());
            if same_bytes(&f.tmp, &f.path) {
                fs::remove_file(&f.tmp).map_err(|e| err(e.to_string()))?;
                continue;
            }
            f.handle.sync_all().map_err(|e| err(e.to_string()))?;
            fs::rename(&f.tmp, &f.path).map_err(|e| err(e.to_string()))?;
            committed.replaced += 1;
        }
        self.files.clear();
        Ok(committed)
    }
}

/// What committing a table did.
#[derive(Debug, Default)]
pub struct Committed {
    /// The table's files, one a format.
    pub paths: Vec<PathBuf>,
    /// How many of them were put in place (the others had the same bytes already).
    pub replaced: usize,
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if ma.len() != mb.len() {
        return false;
    }
    matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

impl Drop for TableSink {
    fn drop(&mut self) {
        for f in &self.files {
            let _ = fs::remove_file(&f.tmp);
        }
    }
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
        Format::Parquet => {
            let schema = frame.schema().clone();
            parquet_writer(w, &schema)
                .finish(frame)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
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

//! Writing the tables: Parquet (zstd) and CSV, each written to a temporary file in the output
//! folder and renamed into place, so a run killed at any moment leaves the previous tables
//! whole. A [`TableSink`] takes a table batch by batch (a run never holds a whole table), and
//! puts all its files in place only when it is committed.
//!
//! The escaping of report text for HTML and terminals (`escape`) and the static site of the
//! tables (`site`) are here too: what is written for people rather than for programs.

pub mod escape;
pub mod replay;
pub mod site;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::io::parquet::write::KeyValueMetadata;
use polars::prelude::*;
use xxhash_rust::xxh3::Xxh3;

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

/// Writes `write` to `path` through a temporary file in the same folder, synced, then
/// renames it.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
) -> Result<(), OutputError> {
    replace_with(path, write, true)
}

/// [`write_atomically`] without syncing the file before it is renamed: for files whose
/// loss or damage in a crash costs only time, because they are checked when read (the parse
/// cache's entries carry a checksum; a record that does not read back is no record). A
/// sync each is what a cache entry cost most (2-10 ms).
pub fn write_atomically_unsynced(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
) -> Result<(), OutputError> {
    replace_with(path, write, false)
}

fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
    sync: bool,
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
        if sync {
            w.get_ref().sync_all().map_err(|e| e.to_string())?;
        }
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

/// A buffered file that hashes (xxh3-128) and counts every byte written to it, and whose
/// last flush, when the writer that owns it is dropped, is checked: the Parquet batch writer
/// does not hand its writer back, and a full disk must not pass unnoticed.
struct CheckedFile {
    inner: BufWriter<File>,
    hasher: Xxh3,
    len: u64,
    /// Set when dropped: the digest of every byte written, or why the last flush failed.
    done: std::sync::Arc<std::sync::Mutex<Option<Result<FileDigest, String>>>>,
}

impl Write for CheckedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for CheckedFile {
    fn drop(&mut self) {
        let result = match self.inner.flush() {
            Ok(()) => Ok(FileDigest {
                hash: format!("{:032x}", self.hasher.digest128()),
                len: self.len,
            }),
            Err(e) => Err(e.to_string()),
        };
        if let Ok(mut slot) = self.done.lock() {
            *slot = Some(result);
        }
    }
}

/// What a table file holds, without its bytes: their xxh3-128 (hex) and their number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileDigest {
    pub hash: String,
    pub len: u64,
}

/// A batch writer for one format of one table. CSV is written here, a header and then each
/// batch's rows as polars writes them, so that rows serialised by an earlier run can be copied
/// in between.
enum BatchWriter {
    Parquet(Box<polars::io::parquet::write::BatchedWriter<CheckedFile>>),
    Csv(CheckedFile),
}

/// One file of a sink: where it is being written and where it goes.
struct SinkFile {
    path: PathBuf,
    tmp: PathBuf,
    /// A second handle on the temporary file, to sync it once the writer is gone.
    handle: File,
    done: std::sync::Arc<std::sync::Mutex<Option<Result<FileDigest, String>>>>,
    writer: Option<BatchWriter>,
}

/// A segment's rows of a table as an earlier run wrote them, to be written again unchanged:
/// its bytes in the earlier CSV file and its row group of the earlier Parquet file (each
/// needed when the sink writes that format).
pub struct SegmentCopy<'a> {
    pub rows: usize,
    /// (the earlier CSV file, the rows' offset in it, their length)
    pub csv: Option<(&'a File, u64, u64)>,
    pub parquet: Option<&'a replay::RowGroupPages>,
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

/// A batch's rows as CSV, without the header, as polars' batched writer writes them.
fn csv_rows(batch: &DataFrame) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(false)
        // One thread: the tables are written side by side, one a core.
        .n_threads(1)
        .finish(&mut lists_as_text(batch)?)?;
    Ok(out)
}

/// The CSV header of a table (`empty`: the table with no rows).
pub fn csv_header(empty: &DataFrame) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .finish(&mut lists_as_text(empty)?)?;
    Ok(out)
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
        for &format in formats {
            let path = dir.join(format!("{name}.{}", format.extension()));
            let tmp = temporary_path(&path);
            let err = |message: String| OutputError::Write {
                path: path.clone(),
                message,
            };
            let file = File::create(&tmp).map_err(|e| err(e.to_string()))?;
            let done = std::sync::Arc::new(std::sync::Mutex::new(None));
            // Registered before the writer exists, so that a failure below removes it.
            files.push(SinkFile {
                path: path.clone(),
                tmp: tmp.clone(),
                handle: file.try_clone().map_err(|e| err(e.to_string()))?,
                done: done.clone(),
                writer: None,
            });
            let mut w = CheckedFile {
                inner: BufWriter::with_capacity(1 << 16, file),
                hasher: Xxh3::new(),
                len: 0,
                done,
            };
            let writer = match format {
                Format::Parquet => BatchWriter::Parquet(Box::new(
                    parquet_writer(w, empty.schema())
                        // (The run writes its tables side by side, one a core: each table's
                        // columns are serialised on its own core.)
                        .set_parallel(false)
                        .batched(empty.schema())
                        .map_err(|e| err(e.to_string()))?,
                )),
                Format::Csv => {
                    let header = csv_header(empty).map_err(|e| err(e.to_string()))?;
                    w.write_all(&header).map_err(|e| err(e.to_string()))?;
                    BatchWriter::Csv(w)
                }
            };
            files.last_mut().expect("pushed above").writer = Some(writer);
        }
        Ok(TableSink { files, rows: 0 })
    }

    /// Appends a batch of rows (a frame of the table's schema); returns the length of its CSV
    /// rows (0 without CSV).
    pub fn write(&mut self, batch: &DataFrame) -> Result<u64, OutputError> {
        if batch.height() == 0 {
            return Ok(0);
        }
        self.rows += batch.height();
        let mut csv_len = 0;
        for f in &mut self.files {
            let err = |message: String| OutputError::Write {
                path: f.path.clone(),
                message,
            };
            match f.writer.as_mut() {
                Some(BatchWriter::Parquet(w)) => {
                    w.write_batch(batch).map_err(|e| err(e.to_string()))?
                }
                Some(BatchWriter::Csv(w)) => {
                    let rows = csv_rows(batch).map_err(|e| err(e.to_string()))?;
                    w.write_all(&rows).map_err(|e| err(e.to_string()))?;
                    csv_len = rows.len() as u64;
                }
                None => {}
            }
        }
        Ok(csv_len)
    }

    /// Appends a segment's rows as an earlier run wrote them: its CSV bytes and its Parquet
    /// row group, unchanged. An error when a format this sink writes has no copy.
    pub fn copy(&mut self, copy: &SegmentCopy) -> Result<(), OutputError> {
        if copy.rows == 0 {
            return Ok(());
        }
        self.rows += copy.rows;
        for f in &mut self.files {
            let err = |message: String| OutputError::Write {
                path: f.path.clone(),
                message,
            };
            match (f.writer.as_mut(), copy.csv, copy.parquet) {
                (Some(BatchWriter::Parquet(w)), _, Some(pages)) => w
                    .write_row_group(pages.rows, &pages.columns)
                    .map_err(|e| err(e.to_string()))?,
                (Some(BatchWriter::Csv(w)), Some((from, offset, len)), _) => {
                    copy_range(from, offset, len, w).map_err(|e| err(e.to_string()))?
                }
                (None, _, _) => {}
                _ => return Err(err("no earlier rows to copy".into())),
            }
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// A handle on each of its temporary files, for [`EarlySync`].
    pub fn file_handles(&self) -> Vec<File> {
        self.files
            .iter()
            .filter_map(|f| f.handle.try_clone().ok())
            .collect()
    }

    /// Finishes every file, syncs it and renames it into place; returns the table's paths.
    /// A file whose bytes equal the one already in place is not put in its place (the old
    /// file, and its modification time, stay): a run that changes nothing rewrites nothing.
    /// `known` tells what a file in place holds when that is known without reading it (the
    /// record of the last run, its stamp unchanged); otherwise the two files are compared.
    pub fn commit(
        self,
        known: impl Fn(&Path) -> Option<FileDigest>,
    ) -> Result<Committed, OutputError> {
        let mut finished = self.finish(known)?;
        finished.committed.replaced = put_in_place(std::mem::take(&mut finished.files))?;
        Ok(std::mem::take(&mut finished.committed))
    }

    /// Finishes every file (as [`TableSink::commit`] does, but puts none in place): the
    /// files still to put in place, for [`put_in_place`] with other tables' files.
    pub fn finish(
        mut self,
        known: impl Fn(&Path) -> Option<FileDigest>,
    ) -> Result<Finished, OutputError> {
        let mut finished = Finished::default();
        // (The files stay the sink's until all are finished: an error removes them all.)
        for f in &mut self.files {
            let err = |message: String| OutputError::Write {
                path: f.path.clone(),
                message,
            };
            let writer = f.writer.take();
            let ended = match writer {
                Some(BatchWriter::Parquet(w)) => w.finish().map(|_| ()).map_err(|e| e.to_string()),
                Some(BatchWriter::Csv(w)) => {
                    drop(w);
                    Ok(())
                }
                None => continue,
            };
            // The writer is dropped by now: its last flush happened, and was checked.
            let digest = match (ended, f.done.lock().ok().and_then(|mut d| d.take())) {
                (Err(message), _) | (_, Some(Err(message))) => return Err(err(message)),
                (Ok(()), Some(Ok(digest))) => digest,
                (Ok(()), None) => return Err(err("the file's writer did not finish".into())),
            };
            finished.committed.paths.push(f.path.clone());
            finished
                .committed
                .digests
                .push((f.path.clone(), digest.clone()));
            let same = match known(&f.path) {
                Some(old) => old == digest,
                None => same_bytes(&f.tmp, &f.path),
            };
            if same {
                fs::remove_file(&f.tmp).map_err(|e| err(e.to_string()))?;
                continue;
            }
            finished.files.push(ToPlace {
                path: f.path.clone(),
                tmp: f.tmp.clone(),
                handle: f.handle.try_clone().map_err(|e| err(e.to_string()))?,
            });
        }
        // Each temporary file is removed, or the finished tables' to remove or rename.
        self.files.clear();
        Ok(finished)
    }
}

/// A table's files finished, and those of them still to put in place.
#[derive(Default)]
pub struct Finished {
    pub committed: Committed,
    files: Vec<ToPlace>,
}

impl Finished {
    /// Its files still to put in place.
    pub fn take_files(&mut self) -> Vec<ToPlace> {
        std::mem::take(&mut self.files)
    }
}

/// A finished temporary file and the path it goes to.
pub struct ToPlace {
    path: PathBuf,
    tmp: PathBuf,
    handle: File,
}

impl ToPlace {
    /// The path it goes to, and its file opened for reading: what is read from it is its
    /// bytes, before and after it is put in place.
    pub fn open_for_reading(&self) -> std::io::Result<(PathBuf, File)> {
        Ok((self.path.clone(), File::open(&self.tmp)?))
    }
}

impl Drop for ToPlace {
    fn drop(&mut self) {
        // Renamed by now, unless putting it in place failed.
        let _ = fs::remove_file(&self.tmp);
    }
}

/// What files hold so far on its way to the disk, while the run goes on: each file synced on
/// a thread of its own. Its syncs prove nothing: [`put_in_place`] syncs every file again, which
/// is then quick. (A new report added to 1,000 cached wrote 35 MB of tables, and the run
/// waited 23-27 ms for their syncs once they were finished; most of those bytes are written
/// with the reports' segments, before the history and the register are built.) The files'
/// threads are started by one thread of their own: started by the run's thread, the 40 of a
/// run's tables took it 1.1-4.9 ms (`SECREG_PROFILE=timeline`, one report), as long as the
/// history and the register it then builds.
pub struct EarlySync(Option<std::thread::JoinHandle<()>>);

impl EarlySync {
    /// Starts syncing `files`. Where a thread cannot be started, its files are left to the
    /// commit.
    pub fn start(files: Vec<File>) -> EarlySync {
        let starter = std::thread::Builder::new()
            .name("early syncs".into())
            .spawn(move || {
                std::thread::scope(|scope| {
                    for file in &files {
                        // An error is the commit's to report, when it syncs the file again.
                        let _ = std::thread::Builder::new()
                            .name("early sync".into())
                            .spawn_scoped(scope, move || {
                                let _ = file.sync_data();
                            });
                    }
                });
            });
        EarlySync(starter.ok())
    }

    /// Waits for every sync started.
    pub fn wait(self) {
        if let Some(starter) = self.0 {
            let _ = starter.join();
        }
    }
}

/// Syncs the finished files, all at once (each on a thread of its own: the disk takes them
/// together), then renames each into place; returns how many were put in place. A file that
/// cannot be synced fails them all, and none is renamed.
pub fn put_in_place(files: Vec<ToPlace>) -> Result<usize, OutputError> {
    let synced: Vec<Result<(), OutputError>> = std::thread::scope(|scope| {
        let threads: Vec<_> = files
            .iter()
            .map(|f| {
                scope.spawn(move || {
                    f.handle.sync_all().map_err(|e| OutputError::Write {
                        path: f.path.clone(),
                        message: e.to_string(),
                    })
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a sync does not panic"))
            .collect()
    });
    synced.into_iter().collect::<Result<Vec<()>, _>>()?;
    for f in &files {
        fs::rename(&f.tmp, &f.path).map_err(|e| OutputError::Write {
            path: f.path.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(files.len())
}

/// Copies `len` bytes of `from`, from `offset`, to `to`.
fn copy_range(from: &File, offset: u64, len: u64, to: &mut impl Write) -> std::io::Result<()> {
    #[cfg(unix)]
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0u8; (len as usize).min(1 << 18)];
    let mut done = 0u64;
    while done < len {
        let want = ((len - done) as usize).min(buf.len());
        #[cfg(unix)]
        from.read_exact_at(&mut buf[..want], offset + done)?;
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut f = from;
            f.seek(SeekFrom::Start(offset + done))?;
            f.read_exact(&mut buf[..want])?;
        }
        to.write_all(&buf[..want])?;
        done += want as u64;
    }
    Ok(())
}

/// What committing a table did.
#[derive(Debug, Default)]
pub struct Committed {
    /// The table's files, one a format.
    pub paths: Vec<PathBuf>,
    /// What each of them holds now.
    pub digests: Vec<(PathBuf, FileDigest)>,
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

    #[test]
    fn a_table_synced_early_is_committed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let frame =
            |v: &[&str]| DataFrame::new_infer_height(vec![Column::new("a".into(), v)]).unwrap();
        let formats = [Format::Csv, Format::Parquet];
        let mut sink = TableSink::create(dir.path(), "t", &frame(&[]), &formats).unwrap();
        sink.write(&frame(&["one", "two"])).unwrap();
        let early = EarlySync::start(sink.file_handles());
        // Rows written after the early sync began are the commit's to sync.
        sink.write(&frame(&["three"])).unwrap();
        early.wait();
        let committed = sink.commit(|_| None).unwrap();
        assert_eq!(committed.paths.len(), 2);
        assert_eq!(
            fs::read_to_string(dir.path().join("t.csv")).unwrap(),
            "a\none\ntwo\nthree\n"
        );
        // Nothing but the two tables is left in the folder.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}

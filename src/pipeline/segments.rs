//! Segments (issue 26): the input files, in input order, cut into runs whose rows are written
//! together, one Parquet row group and one run of CSV lines per table. Where a segment ends
//! depends only on its files (a file whose SHA-256 says so ends one, about one in
//! [`SEGMENT_MEAN`]), so a new report changes the segment it falls in and leaves the others
//! as they were; each segment is keyed by what its rows are made of, and a run copies the
//! rows of a segment it finds under the same key in the tables the last run left (the
//! record, `record.rs`, says where) instead of building, encoding and compressing them again.
//! A `--force` run cuts the same segments, so the tables are the same bytes either way.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use super::record::{RunRecord, Span, TablesLayout};
use super::{FileOutcome, IngestError};
use crate::dataset::Dataset;
use crate::output::replay::{read_row_groups, RowGroupPages};
use crate::output::{Format, SegmentCopy};

/// One file in this many ends a segment, by its hash: the segments of 1,000 reports are some
/// 16 row groups (as many as the batches of 64 files before segments), and a new report costs
/// its segment's rows. (With 32, twice the row groups cost a first run of 1,000 reports 5-10%
/// more CPU, polars making a zstd context for every page it writes, and the site's reading of
/// the tables back more again.)
pub const SEGMENT_MEAN: u32 = 64;

/// A segment ends after this many files whatever their hashes: it bounds the records a run
/// holds.
pub const SEGMENT_MAX: usize = 128;

/// A file of the run, in input order, as far as it is known before its records are needed.
pub enum Slot {
    /// A file unchanged since the last run: its hash, size and entry's checksum are recorded,
    /// its entry is not loaded (a segment whose rows are copied never loads it).
    Known {
        /// Its index among the files found.
        file: usize,
        display: String,
        sha256: String,
        bytes: u64,
        crc: Option<u32>,
        /// The file it repeats (the same bytes under another name, earlier).
        first: Option<String>,
    },
    /// A file read (or its entry loaded) this run, its duplicate marking done.
    Read {
        outcome: FileOutcome,
        first: Option<String>,
    },
}

impl Slot {
    /// The file's outcome, once read.
    pub fn into_outcome(self) -> FileOutcome {
        match self {
            Slot::Read { outcome, .. } => outcome,
            Slot::Known { .. } => panic!("a file's outcome taken before it was read (a bug)"),
        }
    }

    pub fn sha256(&self) -> &str {
        match self {
            Slot::Known { sha256, .. } => sha256,
            Slot::Read { outcome, .. } => &outcome.row.sha256,
        }
    }

    /// The key of the file's rows: its path, hash and size, the file it repeats, and the
    /// checksum of the cache entry its records come from (which holds the rest of its
    /// `reports` row). `None` without an entry.
    fn key(&self) -> Option<u128> {
        let (display, sha256, bytes, crc, first) = match self {
            Slot::Known {
                display,
                sha256,
                bytes,
                crc,
                first,
                ..
            } => (display, sha256, *bytes, *crc, first),
            Slot::Read { outcome, first } => (
                &outcome.row.source_file,
                &outcome.row.sha256,
                outcome.row.bytes,
                outcome.entry_crc,
                first,
            ),
        };
        let crc = crc?;
        if sha256.is_empty() {
            return None;
        }
        let mut h = Xxh3::new();
        for part in [
            display.as_str(),
            sha256.as_str(),
            first.as_deref().unwrap_or(""),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.update(&[first.is_some() as u8]);
        h.update(&bytes.to_le_bytes());
        h.update(&crc.to_le_bytes());
        Some(h.digest128())
    }
}

/// A segment's key: the salt (the cache's generation) and its files' keys; `None` when a
/// file's rows cannot be keyed.
pub fn key_of(salt: &str, slots: &[Slot]) -> Option<String> {
    let mut h = Xxh3::new();
    h.update(salt.as_bytes());
    for s in slots {
        h.update(&s.key()?.to_le_bytes());
    }
    Some(format!("{:032x}", h.digest128()))
}

/// Whether a file ends the segment it is in, by its hash alone.
fn ends_segment(sha256: &str) -> bool {
    sha256
        .get(..8)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .is_some_and(|h| h % SEGMENT_MEAN == 0)
}

/// Cuts the files, given one at a time in input order, into segments.
#[derive(Default)]
pub struct Cutter {
    slots: Vec<Slot>,
}

impl Cutter {
    /// Adds the next file; returns the segment it ends, if it ends one.
    pub fn push(&mut self, slot: Slot) -> Option<Vec<Slot>> {
        let ends = ends_segment(slot.sha256());
        self.slots.push(slot);
        (ends || self.slots.len() >= SEGMENT_MAX).then(|| std::mem::take(&mut self.slots))
    }

    /// The last segment, if any file is left.
    pub fn finish(&mut self) -> Option<Vec<Slot>> {
        (!self.slots.is_empty()).then(|| std::mem::take(&mut self.slots))
    }
}

/// A segment's files with their records (none when its rows are copied and its folds
/// reused), and its key.
pub struct Segment {
    pub outcomes: Vec<FileOutcome>,
    /// What its rows are made of; `None` when some file's rows cannot be keyed (a file that
    /// could not be read has no cache entry): such a segment is always built.
    pub key: Option<String>,
}

/// What takes the segments of a run, in order.
pub trait SegmentWriter {
    /// Whether a segment's rows can all be copied from the tables the last run left (then
    /// its files' records are not needed).
    fn can_copy(&self, key: &str) -> bool;

    /// Writes a segment's rows (or copies them).
    fn write(&mut self, dataset: &mut Dataset, segment: Segment) -> Result<(), IngestError>;
}

/// Where an earlier run's table holds a segment's rows.
struct EarlierSpan {
    rows: usize,
    csv_offset: u64,
    csv_bytes: u64,
    /// Its row group in the earlier Parquet file.
    row_group: usize,
}

/// One table as the last run left it, where it can be copied from.
#[derive(Default)]
struct EarlierTable {
    spans: HashMap<String, EarlierSpan>,
    /// The earlier CSV file, when this run writes CSV and it is still as recorded.
    csv: Option<File>,
    /// The earlier Parquet file's row groups, when this run writes Parquet and it is still as
    /// recorded.
    parquet: Option<Vec<Option<RowGroupPages>>>,
}

/// The tables the last run left, as far as they can be copied from: segments found there
/// under the same key are copied, not built again.
#[derive(Default)]
pub struct Earlier {
    /// Every segment of the last run, by key.
    segments: std::collections::HashSet<String>,
    tables: HashMap<String, EarlierTable>,
}

impl Earlier {
    /// Nothing to copy from (a `--force` run, no record).
    pub fn none() -> Earlier {
        Earlier::default()
    }

    /// The tables the record's run left in `out_dir`, each as far as its files are still
    /// what the record says (stamps) and read back as written; `header_of` gives a table's
    /// CSV header as this run writes it.
    pub fn of(
        record: &RunRecord,
        out_dir: &Path,
        formats: &[Format],
        header_of: impl Fn(&str) -> Option<Vec<u8>>,
    ) -> Earlier {
        let layout: &TablesLayout = &record.layout;
        let mut tables = HashMap::new();
        for (name, spans) in &layout.tables {
            let mut table = EarlierTable::default();
            let Some(header) = header_of(name) else {
                continue;
            };
            let mut offset = header.len() as u64;
            for (i, s) in spans.iter().enumerate() {
                table.spans.insert(
                    s.key.clone(),
                    EarlierSpan {
                        rows: s.rows as usize,
                        csv_offset: offset,
                        csv_bytes: s.csv_bytes,
                        row_group: i,
                    },
                );
                offset += s.csv_bytes;
            }
            if formats.contains(&Format::Csv) {
                let path = out_dir.join(format!("{name}.csv"));
                table.csv = record
                    .digest_of(&path)
                    .filter(|d| d.len >= offset)
                    .and_then(|_| File::open(&path).ok())
                    .filter(|f| starts_with(f, &header));
            }
            if formats.contains(&Format::Parquet) {
                let path = out_dir.join(format!("{name}.parquet"));
                table.parquet = record
                    .digest_of(&path)
                    .and_then(|_| read_row_groups(&path).ok())
                    .map(|(_, groups)| groups)
                    .filter(|groups| {
                        groups.len() >= spans.len()
                            && spans
                                .iter()
                                .zip(groups)
                                .all(|(s, g)| g.as_ref().is_none_or(|g| g.rows == s.rows))
                    });
            }
            tables.insert(name.clone(), table);
        }
        Earlier {
            segments: layout.segments.iter().cloned().collect(),
            tables,
        }
    }

    /// How the last run wrote a segment's rows of `table`: `Some(None)` when the segment
    /// had none (nothing to write), `Some(Some(copy))` when they can be copied in every
    /// format of `formats`, `None` when they must be built.
    pub fn copy_of<'a>(
        &'a self,
        key: Option<&str>,
        table: &str,
        formats: &[Format],
    ) -> Option<Option<SegmentCopy<'a>>> {
        let key = key?;
        if !self.segments.contains(key) {
            return None;
        }
        let Some(span) = self.tables.get(table).and_then(|t| t.spans.get(key)) else {
            // Known, and no row in this table: unless the record says nothing of the table.
            return self.tables.contains_key(table).then_some(None);
        };
        let t = &self.tables[table];
        let mut copy = SegmentCopy {
            rows: span.rows,
            csv: None,
            parquet: None,
        };
        for format in formats {
            match format {
                Format::Csv => {
                    copy.csv = Some((t.csv.as_ref()?, span.csv_offset, span.csv_bytes));
                }
                Format::Parquet => {
                    copy.parquet = Some(t.parquet.as_ref()?.get(span.row_group)?.as_ref()?);
                }
            }
        }
        Some(Some(copy))
    }
}

/// Whether a file starts with these bytes.
fn starts_with(f: &File, bytes: &[u8]) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let mut buf = vec![0u8; bytes.len()];
        f.read_exact_at(&mut buf, 0).is_ok() && buf == bytes
    }
    #[cfg(not(unix))]
    {
        use std::io::Read;
        let mut buf = vec![0u8; bytes.len()];
        let mut f = f;
        f.read_exact(&mut buf).is_ok() && buf == bytes
    }
}

/// The layout of the tables this run writes, segment by segment.
#[derive(Default)]
pub struct LayoutBuilder {
    layout: TablesLayout,
}

impl LayoutBuilder {
    /// A segment, in order.
    pub fn segment(&mut self, key: Option<&str>) {
        self.layout
            .segments
            .push(key.unwrap_or_default().to_string());
    }

    /// A segment's rows of a table (after its [`LayoutBuilder::segment`]).
    pub fn span(&mut self, table: &str, key: Option<&str>, rows: usize, csv_bytes: u64) {
        if rows == 0 {
            return;
        }
        let spans = match self.layout.tables.iter().position(|(n, _)| n == table) {
            Some(i) => &mut self.layout.tables[i].1,
            None => {
                self.layout.tables.push((table.to_string(), Vec::new()));
                &mut self.layout.tables.last_mut().expect("pushed").1
            }
        };
        spans.push(Span {
            key: key.unwrap_or_default().to_string(),
            rows: rows as u64,
            csv_bytes,
        });
    }

    /// Every table this run writes, even one no segment has a row in.
    pub fn table(&mut self, table: &str) {
        if !self.layout.tables.iter().any(|(n, _)| n == table) {
            self.layout.tables.push((table.to_string(), Vec::new()));
        }
    }

    pub fn finish(self) -> TablesLayout {
        self.layout
    }
}

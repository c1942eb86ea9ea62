//! The record of the last run (`OUT/.secreg-cache/last-run.json`): which files it read, with
//! each one's size, times and inode, and its bytes' SHA-256; the summary it printed; and the
//! size and time of each table file it left. A monthly run over an archive that is all in the
//! cache spent a third of its time hashing a gigabyte of PDFs it had hashed before
//! (1,000 reports, `benches/monthly.sh`): with this record
//! - a file whose size, modification and change times and inode are those recorded is taken
//!   to hold the recorded bytes (as git's index does), and its cache entry is loaded without
//!   reading the file;
//! - a run whose files, settings and tables are all as recorded writes nothing: it would
//!   write the same bytes.
//!
//! A stamp is trusted only when the file was last modified (or its inode changed) more than
//! [`RACY_SECONDS`] before the stamp was taken: a file rewritten within the same clock tick as
//! the stamp, at the same size, would otherwise pass for unchanged. `--force` ignores the
//! record. A record that cannot be read is no record: the run reads every file.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::discover::Discovered;
use super::IngestSummary;
use crate::output::{write_atomically_unsynced, FileDigest};

/// The record's file name, in the cache folder.
pub const RECORD_FILE: &str = "last-run.json";

/// A file modified this recently when stamped is hashed again next run.
pub const RACY_SECONDS: u64 = 2;

/// What identifies a file's bytes without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since 1970.
    pub modified_ns: u64,
    /// The inode's change time (unix; 0 elsewhere): a copy that keeps the modification
    /// time (`cp -p`, `touch -r`) still changes it.
    pub changed_ns: u64,
    /// The inode number (unix; 0 elsewhere): a file replaced by another of the same size and
    /// times is another inode.
    pub inode: u64,
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

impl Stamp {
    /// The file's stamp, if it can be taken and trusted (not modified in the last
    /// [`RACY_SECONDS`]).
    pub fn of(path: &Path) -> Option<Stamp> {
        let now = nanos(SystemTime::now());
        let stamp = Stamp::now_of(path)?;
        let newest = stamp.modified_ns.max(stamp.changed_ns);
        (newest + RACY_SECONDS * 1_000_000_000 < now).then_some(stamp)
    }

    /// The file's stamp as it is, however recent: for the tables this run has just put in
    /// place (a table rewritten by someone else within the same clock tick, at the same size,
    /// is a risk taken).
    pub fn now_of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified_ns: nanos(meta.modified().ok()?),
            changed_ns: changed_ns(&meta),
            inode: inode(&meta),
        })
    }
}

#[cfg(unix)]
fn changed_ns(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    (meta.ctime().max(0) as u64) * 1_000_000_000 + meta.ctime_nsec().max(0) as u64
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino()
}

#[cfg(not(unix))]
fn changed_ns(_: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// One input file as the last run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFile {
    /// The path as the `reports` table shows it.
    pub display: String,
    /// `None` when it could not be trusted (below).
    pub stamp: Option<Stamp>,
    /// Empty when the file could not be read or timed out.
    pub sha256: String,
    /// The checksum of the cache entry its records came from.
    #[serde(default)]
    pub entry_crc: Option<u32>,
}

/// The summary the last run printed, to print again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedSummary {
    pub files: usize,
    pub pages: u64,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub no_text_layer: usize,
    pub skipped: usize,
    pub rows: Vec<(String, usize)>,
    pub failures: Vec<(String, String)>,
}

/// The record of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunRecord {
    /// The cache's generation (secreg version, code and grammar fingerprints, OCR settings)
    /// and the formats written.
    pub key: String,
    pub files: Vec<RecordedFile>,
    /// Paths found and not read, with why.
    pub skipped: Vec<(String, String)>,
    pub summary: RecordedSummary,
    /// Every table file written, with its stamp once in place.
    pub tables: Vec<(PathBuf, Option<Stamp>)>,
    /// What each table file holds (its bytes' hash and length): a file whose stamp is still
    /// the recorded one holds these bytes, so a run that would write them again need not.
    #[serde(default)]
    pub digests: Vec<(PathBuf, FileDigest)>,
    /// How the tables' rows are laid out in their files, segment by segment (see
    /// `segments`): what a run copies from them instead of writing the rows again.
    #[serde(default)]
    pub layout: TablesLayout,
}

/// The segments of a run, in input order, and where each table holds their rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TablesLayout {
    /// Every segment's key, in order (a segment that cannot be keyed has an empty one).
    pub segments: Vec<String>,
    /// By table name: the segments with rows in it, in the order of its files (a Parquet row
    /// group each, after the CSV header a run of CSV rows each), and then the table's own
    /// last rows (the history's diagnostics, skipped files), which are never copied.
    pub tables: Vec<(String, Vec<Span>)>,
}

/// A segment's rows in a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub key: String,
    pub rows: u64,
    /// The length of its rows in the CSV file (0 when no CSV was written).
    pub csv_bytes: u64,
}

impl RunRecord {
    /// The record in a cache folder, if there is one that reads back whole.
    pub fn load(cache_dir: &Path) -> Option<RunRecord> {
        let bytes = std::fs::read(cache_dir.join(RECORD_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the record (atomically). A record that cannot be written only costs the next
    /// run its shortcut, so failures are ignored.
    pub fn store(&self, cache_dir: &Path) {
        let Ok(json) = serde_json::to_vec(self) else {
            return;
        };
        if std::fs::create_dir_all(cache_dir).is_err() {
            return;
        }
        let _ = write_atomically_unsynced(&cache_dir.join(RECORD_FILE), |w| {
            std::io::Write::write_all(w, &json).map_err(|e| e.to_string())
        });
    }

    /// The recorded SHA-256 and the size of each found file whose stamp is the one recorded
    /// (by path).
    pub fn known_files(
        &self,
        found: &Discovered,
        stamps: &[Option<Stamp>],
    ) -> std::collections::HashMap<PathBuf, (String, u64, Option<u32>)> {
        let recorded: std::collections::HashMap<&str, &RecordedFile> =
            self.files.iter().map(|f| (f.display.as_str(), f)).collect();
        let mut known = std::collections::HashMap::new();
        for (file, stamp) in found.files.iter().zip(stamps) {
            let Some(r) = recorded.get(file.display.as_str()) else {
                continue;
            };
            if let Some(s) = stamp.filter(|s| r.stamp == Some(*s) && is_sha256(&r.sha256)) {
                known.insert(file.path.clone(), (r.sha256.clone(), s.len, r.entry_crc));
            }
        }
        known
    }

    /// True when a run with this key over these files would write what this record's run
    /// wrote: the same files in the same order, each with the stamp recorded; every file of
    /// that run read (none timed out); every table file still as it was left.
    pub fn unchanged(&self, key: &str, found: &Discovered, stamps: &[Option<Stamp>]) -> bool {
        self.key == key
            && self.skipped == found.skipped
            && self.files.len() == found.files.len()
            && self
                .files
                .iter()
                .zip(&found.files)
                .zip(stamps)
                .all(|((r, f), s)| {
                    r.display == f.display && s.is_some() && r.stamp == *s && is_sha256(&r.sha256)
                })
            && !self.tables.is_empty()
            && self
                .tables
                .iter()
                .all(|(path, stamp)| stamp.is_some() && Stamp::now_of(path) == *stamp)
    }

    /// The summary of a run that found everything as recorded.
    pub fn summary(&self) -> IngestSummary {
        let s = &self.summary;
        IngestSummary {
            files: s.files,
            pages: s.pages,
            ok: s.ok,
            partial: s.partial,
            failed: s.failed,
            no_text_layer: s.no_text_layer,
            skipped: s.skipped,
            reused: s.files,
            rows: s
                .rows
                .iter()
                .map(|(name, n)| (table_name(name), *n))
                .collect(),
            failures: s.failures.clone(),
            written: self.tables.iter().map(|(p, _)| p.clone()).collect(),
            seconds: 0.0,
            tables_replaced: 0,
            hashes: Vec::new(),
        }
    }

    /// The record of a run that just ended.
    pub fn of_run(
        key: String,
        found: &Discovered,
        stamps: &[Option<Stamp>],
        summary: &IngestSummary,
    ) -> RunRecord {
        let hashes: std::collections::HashMap<&str, (&str, Option<u32>)> = summary
            .hashes
            .iter()
            .map(|(d, h, crc)| (d.as_str(), (h.as_str(), *crc)))
            .collect();
        RunRecord {
            key,
            files: found
                .files
                .iter()
                .zip(stamps)
                .map(|(f, s)| {
                    let (sha256, entry_crc) = hashes
                        .get(f.display.as_str())
                        .copied()
                        .unwrap_or(("", None));
                    RecordedFile {
                        display: f.display.clone(),
                        stamp: *s,
                        sha256: sha256.to_string(),
                        entry_crc,
                    }
                })
                .collect(),
            skipped: found.skipped.clone(),
            summary: RecordedSummary {
                files: summary.files,
                pages: summary.pages,
                ok: summary.ok,
                partial: summary.partial,
                failed: summary.failed,
                no_text_layer: summary.no_text_layer,
                skipped: summary.skipped,
                rows: summary
                    .rows
                    .iter()
                    .map(|(n, r)| (n.to_string(), *r))
                    .collect(),
                failures: summary.failures.clone(),
            },
            tables: summary
                .written
                .iter()
                .map(|p| (p.clone(), Stamp::now_of(p)))
                .collect(),
            digests: Vec::new(),
            layout: TablesLayout::default(),
        }
    }

    /// What the table file at `path` holds, if this record says and the file is still the
    /// one it recorded (the same stamp).
    pub fn digest_of(&self, path: &Path) -> Option<FileDigest> {
        let (_, stamp) = self.tables.iter().find(|(p, _)| p == path)?;
        let (_, digest) = self.digests.iter().find(|(p, _)| p == path)?;
        (stamp.is_some() && Stamp::now_of(path) == *stamp).then(|| digest.clone())
    }
}

/// Whether a recorded hash is one (a damaged record's is not trusted).
fn is_sha256(hex: &str) -> bool {
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A table's name as the schema spells it (the summary holds `&'static str`).
fn table_name(name: &str) -> &'static str {
    crate::dataset::schema::Table::ingested()
        .map(|t| t.name())
        .find(|n| *n == name)
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_modified_in_the_last_seconds_has_no_trusted_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("new.pdf");
        std::fs::write(&fresh, b"%PDF-1.4").unwrap();
        assert_eq!(Stamp::of(&fresh), None);
        let now = Stamp::now_of(&fresh).expect("a stamp as it is");
        assert_eq!(now.len, 8);
        // The crate's manifest was checked out long before its tests were built.
        let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert_eq!(Stamp::of(&old), Stamp::now_of(&old));
        assert!(Stamp::of(&old).is_some());
    }

    #[test]
    fn a_recorded_file_is_known_only_with_the_same_stamp_and_a_real_hash() {
        let stamp = Stamp {
            len: 10,
            modified_ns: 1,
            changed_ns: 2,
            inode: 3,
        };
        let file = |name: &str| super::super::InputFile {
            path: PathBuf::from(name),
            display: name.to_string(),
            kind: super::super::InputKind::Pdf,
        };
        let found = Discovered {
            files: vec![file("a.pdf"), file("b.pdf"), file("c.pdf")],
            skipped: Vec::new(),
        };
        let hash = "ab".repeat(32);
        let record = RunRecord {
            key: "k".into(),
            files: vec![
                RecordedFile {
                    display: "a.pdf".into(),
                    stamp: Some(stamp),
                    sha256: hash.clone(),
                    entry_crc: None,
                },
                RecordedFile {
                    display: "b.pdf".into(),
                    stamp: Some(stamp),
                    sha256: "../x".into(),
                    entry_crc: None,
                },
                RecordedFile {
                    display: "c.pdf".into(),
                    stamp: Some(stamp),
                    sha256: hash.clone(),
                    entry_crc: None,
                },
            ],
            ..RunRecord::default()
        };
        let moved = Stamp {
            modified_ns: 9,
            ..stamp
        };
        let known = record.known_files(&found, &[Some(stamp), Some(stamp), Some(moved)]);
        assert_eq!(known.len(), 1, "{known:?}");
        assert_eq!(known[Path::new("a.pdf")], (hash, 10, None));
        // No table recorded: never unchanged.
        assert!(!record.unchanged("k", &found, &[Some(stamp); 3]));
    }
}

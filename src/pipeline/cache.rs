//! The parse cache: what each file's bytes yielded, kept in `OUT/.secreg-cache/` and keyed by
//! the bytes' SHA-256, the secreg version (with a fingerprint of its source code, see
//! build.rs) and the grammar's fingerprint, so that a re-run on
//! a grown archive parses only new or changed files. The tables are always rebuilt from all
//! current inputs, so a file removed from the archive drops out of them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Parsed;
use crate::output::write_atomically_unsynced;

/// The folder, inside the output folder, that holds the cache.
pub const CACHE_DIR: &str = ".secreg-cache";

/// The extension of an entry: [`ENTRY_MAGIC`], the CRC-32 of the rest (little-endian), then
/// the [`Parsed`] outcome in bincode's standard form. Entries were JSON until issue 26: a
/// thousand of them (41 MB) took 0.2 s of CPU to read back, most of a monthly run's loading.
const ENTRY_EXTENSION: &str = "bin";

/// The first bytes of every entry (and the format's version).
const ENTRY_MAGIC: &[u8; 8] = b"SECREG1\n";

/// No entry claims more than this (a damaged length must not make the reader allocate
/// gigabytes before it fails).
const ENTRY_LIMIT: usize = 256 << 20;

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<ENTRY_LIMIT>()
}

/// An entry's bytes.
fn encode<T: serde::Serialize>(value: &T) -> Option<Vec<u8>> {
    let payload = bincode::serde::encode_to_vec(value, bincode_config()).ok()?;
    let mut out = Vec::with_capacity(payload.len() + 12);
    out.extend_from_slice(ENTRY_MAGIC);
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Some(out)
}

/// An entry read back, with its checksum: `None` unless it is whole (its magic, its
/// checksum, every byte used).
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<(T, u32)> {
    let rest = bytes.strip_prefix(ENTRY_MAGIC)?;
    let (crc, payload) = rest.split_first_chunk::<4>()?;
    let crc = u32::from_le_bytes(*crc);
    if crc32fast::hash(payload) != crc {
        return None;
    }
    let (parsed, used) = bincode::serde::decode_from_slice(payload, bincode_config()).ok()?;
    (used == payload.len()).then_some((parsed, crc))
}

/// The checksum of an entry's bytes (as [`decode`] returns it).
fn checksum(entry: &[u8]) -> u32 {
    u32::from_le_bytes(entry[ENTRY_MAGIC.len()..][..4].try_into().expect("4 bytes"))
}

/// What a segment of files (`segments`) gave that a run needs when it copies the segment's
/// rows instead of building them: what its reports add to the history, the register and the
/// changes, and what each file counts for in the run's summary.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct SegmentEntry {
    pub folds: crate::dataset::Folds,
    pub files: Vec<FileFacts>,
}

/// What a file's `reports` row counts for in a run's summary.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    pub source_file: String,
    pub sha256: String,
    pub pages: u32,
    pub status: crate::dataset::ReportStatus,
    pub error: Option<String>,
    pub entry_crc: Option<u32>,
}

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// secreg version and grammar fingerprint: part of every key.
    generation: String,
    /// Entries this run read or wrote; the others are removed at the end.
    used: Mutex<HashSet<PathBuf>>,
    /// False for `--force`: every file is parsed again (and the cache refreshed).
    reuse: bool,
    /// The SHA-256, size and entry checksum of files unchanged since the last run
    /// (`record`), by path: their entries are loaded without reading the files.
    known: HashMap<PathBuf, (String, u64, Option<u32>)>,
}

impl Cache {
    /// The cache of an output folder, for this version of secreg and this grammar.
    pub fn open(out_dir: &Path, grammar_fingerprint: &str, reuse: bool) -> Cache {
        Cache {
            dir: out_dir.join(CACHE_DIR),
            generation: format!(
                "{}-{}-{}",
                env!("CARGO_PKG_VERSION"),
                &env!("SECREG_CODE_FINGERPRINT")[..8],
                grammar_fingerprint
            ),
            used: Mutex::new(HashSet::new()),
            reuse,
            known: HashMap::new(),
        }
    }

    /// The cache's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache's generation: secreg version, code and grammar fingerprints (and what else
    /// the caller put in the grammar's).
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// Takes the SHA-256, size and entry checksum of files known not to have changed since
    /// the last run.
    pub fn set_known_files(&mut self, known: HashMap<PathBuf, (String, u64, Option<u32>)>) {
        self.known = known;
    }

    /// The SHA-256 of a file known not to have changed since the last run (never with
    /// `--force`).
    pub fn known_hash(&self, path: &Path) -> Option<&str> {
        self.known_file(path).map(|(h, _, _)| h)
    }

    /// The SHA-256, size and entry checksum (when recorded) of a file known not to have
    /// changed since the last run (never with `--force`).
    pub fn known_file(&self, path: &Path) -> Option<(&str, u64, Option<u32>)> {
        let (h, len, crc) = self.known.get(path).filter(|_| self.reuse)?;
        Some((h.as_str(), *len, *crc))
    }

    /// The size of a file known not to have changed since the last run.
    pub fn known_len(&self, path: &Path) -> Option<u64> {
        self.known_file(path).map(|(_, len, _)| len)
    }

    fn entry(&self, sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{sha256}-{}.{ENTRY_EXTENSION}", self.generation))
    }

    /// A segment's entry (its key holds the generation).
    fn segment_entry(&self, key: &str) -> PathBuf {
        self.dir.join(format!("segment-{key}.{ENTRY_EXTENSION}"))
    }

    /// Keeps a file's entry, not read this run (its segment's rows and folds were reused),
    /// from being pruned.
    pub fn keep(&self, sha256: &str) {
        self.mark_used(self.entry(sha256));
    }

    /// A segment's entry, if this cache holds it and it reads back whole.
    pub fn load_segment(&self, key: &str) -> Option<SegmentEntry> {
        if !self.reuse {
            return None;
        }
        let path = self.segment_entry(key);
        let bytes = std::fs::read(&path).ok()?;
        let (entry, _) = decode(&bytes)?;
        self.mark_used(path);
        Some(entry)
    }

    /// Keeps a segment's entry (failures only cost the next run time, and are ignored).
    pub fn store_segment(&self, key: &str, entry: &SegmentEntry) {
        let Some(bytes) = encode(entry) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let path = self.segment_entry(key);
        if write_atomically_unsynced(&path, |w| {
            std::io::Write::write_all(w, &bytes).map_err(|e| e.to_string())
        })
        .is_ok()
        {
            self.mark_used(path);
        }
    }

    fn mark_used(&self, path: PathBuf) {
        self.used.lock().expect("cache lock").insert(path);
    }

    /// What the same bytes yielded before, if this cache holds it and it reads back whole,
    /// with its entry's checksum (which tells two parses of the same bytes apart).
    pub fn load(&self, sha256: &str) -> Option<(Parsed, u32)> {
        if !self.reuse {
            return None;
        }
        let path = self.entry(sha256);
        let bytes = std::fs::read(&path).ok()?;
        let parsed = decode(&bytes)?;
        self.mark_used(path);
        Some(parsed)
    }

    /// Keeps what a file's bytes yielded; returns its entry's checksum (`None` when it
    /// cannot be encoded). A cache that cannot be written only costs time on the next run,
    /// so failures to write are ignored.
    pub fn store(&self, sha256: &str, parsed: &Parsed) -> Option<u32> {
        let bytes = encode(parsed)?;
        let crc = checksum(&bytes);
        if std::fs::create_dir_all(&self.dir).is_err() {
            return Some(crc);
        }
        let path = self.entry(sha256);
        if write_atomically_unsynced(&path, |w| {
            std::io::Write::write_all(w, &bytes).map_err(|e| e.to_string())
        })
        .is_ok()
        {
            self.mark_used(path);
        }
        Some(crc)
    }

    /// Removes the entries this run did not use: files no longer in the archive, other
    /// versions, other grammars.
    pub fn prune_unused(&self) {
        let used = self.used.lock().expect("cache lock");
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            // `.json`: the entries of versions before issue 26.
            let is_entry = path
                .extension()
                .is_some_and(|x| x == ENTRY_EXTENSION || x == "json")
                && path
                    .file_name()
                    .is_some_and(|n| n != super::record::RECORD_FILE);
            if is_entry && !used.contains(&path) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

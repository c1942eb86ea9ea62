//! The parse cache: what each file's bytes yielded, kept in `OUT/.secreg-cache/` and keyed by
//! the bytes' SHA-256, the secreg version (with a fingerprint of its source code, see
//! build.rs) and the grammar's fingerprint, so that a re-run on
//! a grown archive parses only new or changed files. The tables are always rebuilt from all
//! current inputs, so a file removed from the archive drops out of them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Parsed;
use crate::output::write_atomically;

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
fn encode(parsed: &Parsed) -> Option<Vec<u8>> {
    let payload = bincode::serde::encode_to_vec(parsed, bincode_config()).ok()?;
    let mut out = Vec::with_capacity(payload.len() + 12);
    out.extend_from_slice(ENTRY_MAGIC);
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Some(out)
}

/// An entry read back: `None` unless it is whole (its magic, its checksum, every byte used).
fn decode(bytes: &[u8]) -> Option<Parsed> {
    let rest = bytes.strip_prefix(ENTRY_MAGIC)?;
    let (crc, payload) = rest.split_first_chunk::<4>()?;
    if crc32fast::hash(payload) != u32::from_le_bytes(*crc) {
        return None;
    }
    let (parsed, used) = bincode::serde::decode_from_slice(payload, bincode_config()).ok()?;
    (used == payload.len()).then_some(parsed)
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
    /// The SHA-256 of files unchanged since the last run (`record`), by path: their entries
    /// are loaded without reading the files.
    known: HashMap<PathBuf, String>,
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

    /// Takes the SHA-256 of files known not to have changed since the last run.
    pub fn set_known_hashes(&mut self, known: HashMap<PathBuf, String>) {
        self.known = known;
    }

    /// The SHA-256 of a file known not to have changed since the last run (never with
    /// `--force`).
    pub fn known_hash(&self, path: &Path) -> Option<&str> {
        self.reuse
            .then(|| self.known.get(path).map(String::as_str))
            .flatten()
    }

    fn entry(&self, sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{sha256}-{}.{ENTRY_EXTENSION}", self.generation))
    }

    fn mark_used(&self, path: PathBuf) {
        self.used.lock().expect("cache lock").insert(path);
    }

    /// What the same bytes yielded before, if this cache holds it and it reads back whole.
    pub fn load(&self, sha256: &str) -> Option<Parsed> {
        if !self.reuse {
            return None;
        }
        let path = self.entry(sha256);
        let bytes = std::fs::read(&path).ok()?;
        let parsed = decode(&bytes)?;
        self.mark_used(path);
        Some(parsed)
    }

    /// Keeps what a file's bytes yielded. A cache that cannot be written only costs time on
    /// the next run, so failures are ignored.
    pub fn store(&self, sha256: &str, parsed: &Parsed) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let path = self.entry(sha256);
        let Some(bytes) = encode(parsed) else {
            return;
        };
        if write_atomically(&path, |w| {
            std::io::Write::write_all(w, &bytes).map_err(|e| e.to_string())
        })
        .is_ok()
        {
            self.mark_used(path);
        }
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

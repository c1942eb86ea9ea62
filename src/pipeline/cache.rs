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
        self.dir.join(format!("{sha256}-{}.json", self.generation))
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
        let text = std::fs::read(&path).ok()?;
        let parsed: Parsed = serde_json::from_slice(&text).ok()?;
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
        let Ok(json) = serde_json::to_vec(parsed) else {
            return;
        };
        if write_atomically(&path, |w| {
            std::io::Write::write_all(w, &json).map_err(|e| e.to_string())
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
            let is_entry = path.extension().is_some_and(|x| x == "json")
                && path
                    .file_name()
                    .is_some_and(|n| n != super::record::RECORD_FILE);
            if is_entry && !used.contains(&path) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

//! Gives the parse cache a fingerprint of the code that parses: a hash of every source file
//! under src/, so a changed parser never reuses records an older one made.

use std::path::Path;

fn hash_dir(dir: &Path, state: &mut u64) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hash_dir(&path, state);
        } else if path.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", path.display());
            for b in std::fs::read(&path).unwrap_or_default() {
                // FNV-1a: stable across Rust versions, unlike std's hasher.
                *state ^= b as u64;
                *state = state.wrapping_mul(0x100000001b3);
            }
        }
    }
}

fn main() {
    let mut state: u64 = 0xcbf29ce484222325;
    hash_dir(Path::new("src"), &mut state);
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rustc-env=SECREG_CODE_FINGERPRINT={state:016x}");
}

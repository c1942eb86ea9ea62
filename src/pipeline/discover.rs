//! Finding the input files: paths given on the command line, folders walked recursively.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Pdf,
    Txt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as the user would recognise it (as given, or below a folder as given).
    pub display: String,
    pub kind: InputKind,
}

#[derive(Debug, Clone, Default)]
pub struct Discovered {
    /// Sorted by display path, so runs are deterministic.
    pub files: Vec<InputFile>,
    /// (path, why it was not taken)
    pub skipped: Vec<(String, String)>,
}

pub fn kind_of(path: &Path) -> Option<InputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(InputKind::Pdf),
        "txt" => Some(InputKind::Txt),
        _ => None,
    }
}

/// Walks the inputs. Files inside `exclude` (the output folder) are not taken.
pub fn discover(inputs: &[PathBuf], exclude: Option<&Path>) -> Discovered {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut found = Discovered::default();
    for input in inputs {
        for entry in WalkDir::new(input).follow_links(true).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    if e.loop_ancestor().is_some() {
                        found.skipped.push((
                            path.display().to_string(),
                            "a symbolic link loop".to_string(),
                        ));
                    } else if let Some(kind) = kind_of(&path) {
                        // A report that cannot be opened (a broken link, no permission) is
                        // taken, so that its failure is reported with the reader's error.
                        found.files.push(InputFile {
                            display: path.display().to_string(),
                            path,
                            kind,
                        });
                    } else {
                        found
                            .skipped
                            .push((path.display().to_string(), e.to_string()));
                    }
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path();
            if let (Some(ex), Ok(canon)) = (&exclude, path.canonicalize()) {
                if canon.starts_with(ex) {
                    continue;
                }
            }
            match kind_of(path) {
                Some(kind) => found.files.push(InputFile {
                    path: path.to_path_buf(),
                    display: path.display().to_string(),
                    kind,
                }),
                None => found.skipped.push((
                    path.display().to_string(),
                    "not a .pdf or .txt file".to_string(),
                )),
            }
        }
    }
    found.files.sort_by(|a, b| a.display.cmp(&b.display));
    found.files.dedup_by(|a, b| a.path == b.path);
    found
}

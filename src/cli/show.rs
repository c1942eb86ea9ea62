//! `secreg show MOD`: one modification's register row and its dated history, with the source
//! file, page and line of each fact, read from the tables an ingest wrote.

use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use crate::grammar::ids::{parse_bare_mod_id, parse_mod_id};
use crate::grammar::Grammar;

fn read_table(out_dir: &Path, table: &str) -> Result<DataFrame, String> {
    let path = out_dir.join(format!("{table}.parquet"));
    let file = File::open(&path).map_err(|e| {
        format!(
            "{}: {e} (run `secreg ingest --out {}` first)",
            path.display(),
            out_dir.display()
        )
    })?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The register id a user's spelling names: `DP094`, `SECMP0053`, `0078v2` -> `MP094`, `MP053`, `MP078`.
pub fn register_id(grammar: &Grammar, input: &str) -> Result<String, String> {
    let id = match parse_mod_id(&grammar.ids, input) {
        Ok(m) => m.id,
        Err(e) => match parse_bare_mod_id(&grammar.ids, input.trim()) {
            Some((rest, m)) if rest.trim().is_empty() => m.id,
            _ => return Err(format!("{input:?}: {e}")),
        },
    };
    Ok(id.register_id().to_string())
}

fn cell(df: &DataFrame, column: &str, row: usize) -> String {
    match df.column(column).ok().and_then(|c| c.get(row).ok()) {
        Some(AnyValue::Null) | None => String::new(),
        Some(AnyValue::String(s)) => s.to_string(),
        Some(AnyValue::List(items)) => items
            .str()
            .map(|s| {
                s.iter()
                    .flatten()
                    .map(|v| format!("\n        {v}"))
                    .collect::<String>()
            })
            .unwrap_or_default(),
        Some(v) => v.to_string().trim_matches('"').to_string(),
    }
}

/// The text `secreg show` prints.
pub fn show(grammar: &Grammar, out_dir: &Path, input: &str) -> Result<String, String> {
    let id = register_id(grammar, input)?;
    let register = read_table(out_dir, "modifications")?;
    let history = read_table(out_dir, "history")?;
    let ids = register
        .column("mod_id")
        .map_err(|e| e.to_string())?
        .str()
        .map_err(|e| e.to_string())?;
    let Some(row) = ids.iter().position(|v| v == Some(id.as_str())) else {
        return Err(format!(
            "{id} is not in {}",
            out_dir.join("modifications.parquet").display()
        ));
    };
    let mut out = String::new();
    let title = cell(&register, "title", row);
    let _ = writeln!(out, "{id}  {title}");
    for c in register.get_column_names() {
        let name = c.as_str();
        if matches!(name, "mod_id" | "title") {
            continue;
        }
        let v = cell(&register, name, row);
        if !v.is_empty() {
            let _ = writeln!(out, "  {name:<18} {v}");
        }
    }
    let _ = writeln!(out, "\nHistory:");
    let mods = history
        .column("mod_id")
        .map_err(|e| e.to_string())?
        .str()
        .map_err(|e| e.to_string())?;
    let mut any = false;
    for (i, m) in mods.iter().enumerate() {
        let Some(m) = m else { continue };
        // MP078v2's facts are MP078's.
        if m != id
            && m.trim_end_matches(|c: char| c.is_ascii_digit())
                .strip_suffix('v')
                != Some(id.as_str())
        {
            continue;
        }
        any = true;
        let date = cell(&history, "event_date", i);
        let date = if date.is_empty() {
            "(no date)".to_string()
        } else {
            date
        };
        let mut what = cell(&history, "event", i);
        for extra in ["proposer", "organisation", "release_name", "detail"] {
            let v = cell(&history, extra, i);
            if !v.is_empty() {
                let _ = write!(what, ", {v}");
            }
        }
        if cell(&history, "conflict", i) == "true" {
            what.push_str("  [CONFLICT: reports disagree, see diagnostics]");
        }
        let _ = writeln!(out, "  {date:<10}  {m:<8} {what}");
        let _ = writeln!(
            out,
            "      reported {} time(s): {}",
            cell(&history, "times_reported", i),
            cell(&history, "sources", i)
        );
    }
    if !any {
        let _ = writeln!(out, "  (no dated facts)");
    }
    Ok(out)
}

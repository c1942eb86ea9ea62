//! `secreg show MOD`: one modification's register row and its dated history, with the source
//! file, page and line of each fact, read from the tables an ingest wrote; with `--register`,
//! the row of a register export beside the archive's, field by field. Every value from a
//! report or an export is escaped for the terminal.

use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use super::terminal::for_terminal;
use crate::dataset::backfill::{self, Archive, BackfillRow, ColumnChoice, RegisterExport};
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

/// A value as `show` prints it, escaped for the terminal (a list's items one a line).
fn cell(df: &DataFrame, column: &str, row: usize) -> String {
    match df.column(column).ok().and_then(|c| c.get(row).ok()) {
        Some(AnyValue::Null) | None => String::new(),
        Some(AnyValue::String(s)) => for_terminal(s).into_owned(),
        Some(AnyValue::List(items)) => items
            .str()
            .map(|s| {
                s.iter()
                    .flatten()
                    .map(|v| format!("\n        {}", for_terminal(v)))
                    .collect::<String>()
            })
            .unwrap_or_default(),
        Some(v) => for_terminal(v.to_string().trim_matches('"')).into_owned(),
    }
}

/// The back-fill rows of one modification: a register export's row compared with the
/// archive in `out_dir`.
fn register_rows(
    grammar: &Grammar,
    out_dir: &Path,
    id: &str,
    export: &Path,
    columns: &[String],
) -> Result<Vec<BackfillRow>, String> {
    let choice = ColumnChoice::parse(columns).map_err(|e| e.to_string())?;
    let export = RegisterExport::read(export, &choice).map_err(|e| e.to_string())?;
    let archive = Archive::read(grammar, out_dir).map_err(|e| e.to_string())?;
    let b = backfill::reconcile(grammar, &export, &archive);
    Ok(b.rows
        .into_iter()
        .filter(|r| r.mod_id.to_string() == id)
        .collect())
}

/// The export's values beside the archive's, a line a field, in columns as wide as their
/// widest value.
fn beside(export: &Path, rows: &[BackfillRow]) -> String {
    let text = |v: &Option<String>| for_terminal(v.as_deref().unwrap_or("-")).into_owned();
    let lines: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            let verdict = match &r.note {
                Some(n) => format!("{}: {}", r.verdict, for_terminal(n)),
                None => r.verdict.to_string(),
            };
            [
                r.field.to_string(),
                text(&r.register_value),
                text(&r.archive_value),
                verdict,
            ]
        })
        .collect();
    let width = |i: usize, head: &str| {
        lines
            .iter()
            .map(|l| l[i].chars().count())
            .chain([head.len()])
            .max()
            .unwrap_or(0)
    };
    let (f, r, a) = (width(0, "field"), width(1, "register"), width(2, "archive"));
    let rows_of: std::collections::BTreeSet<u32> =
        rows.iter().filter_map(|r| r.register_row).collect();
    let rows_of: Vec<String> = rows_of.iter().map(u32::to_string).collect();
    let mut out = format!(
        "\nRegister export {} (row {}) beside the archive:\n",
        for_terminal(&export.display().to_string()),
        if rows_of.is_empty() {
            "none".to_string()
        } else {
            rows_of.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "  {:<f$}  {:<r$}  {:<a$}  verdict",
        "field", "register", "archive"
    );
    for [field, register, archive, verdict] in &lines {
        let _ = writeln!(
            out,
            "  {field:<f$}  {register:<r$}  {archive:<a$}  {verdict}"
        );
    }
    for (r, line) in rows.iter().zip(&lines) {
        if let Some(e) = &r.evidence {
            let _ = writeln!(
                out,
                "      {} from {}:{}:{} ({})",
                line[0],
                for_terminal(&e.source_file),
                e.page.map_or("-".into(), |p| p.to_string()),
                e.line.map_or("-".into(), |l| l.to_string()),
                e.report_date.map_or("no date".into(), |d| d.to_string()),
            );
        }
    }
    out
}

/// The text `secreg show` prints; with `register` (an export and its `--columns`), the
/// export's row beside the archive's.
pub fn show(
    grammar: &Grammar,
    out_dir: &Path,
    input: &str,
    register: Option<(&Path, &[String])>,
) -> Result<String, String> {
    let id = register_id(grammar, input)?;
    let beside_register = match register {
        Some((export, columns)) => {
            let rows = register_rows(grammar, out_dir, &id, export, columns)?;
            Some(beside(export, &rows))
        }
        None => None,
    };
    let register = read_table(out_dir, "modifications")?;
    let history = read_table(out_dir, "history")?;
    let ids = register
        .column("mod_id")
        .map_err(|e| e.to_string())?
        .str()
        .map_err(|e| e.to_string())?;
    let Some(row) = ids.iter().position(|v| v == Some(id.as_str())) else {
        let missing = format!(
            "{id} is not in {}",
            out_dir.join("modifications.parquet").display()
        );
        return match beside_register {
            Some(b) => Ok(format!("{id}  ({missing})\n{b}")),
            None => Err(missing),
        };
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
    if let Some(b) = beside_register {
        out.push_str(&b);
    }
    Ok(out)
}

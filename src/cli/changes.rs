//! `secreg changes --out tables/ [--since 2020-01]`: the `changes` table an ingest wrote,
//! grouped by report, oldest first. Report text is escaped for the terminal (a title holding
//! an escape sequence is shown as `\x1b[...`, never run).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use crate::grammar::Date;
use crate::output::escape::{terminal, Terminal};

/// A table of the folder, every column as text (null as "").
fn read_texts(
    out_dir: &Path,
    table: &str,
) -> Result<(usize, BTreeMap<String, Vec<String>>), String> {
    let path = out_dir.join(format!("{table}.parquet"));
    let file = File::open(&path).map_err(|e| {
        format!(
            "{}: {e} (run `secreg ingest --out {}` first)",
            path.display(),
            out_dir.display()
        )
    })?;
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut columns = BTreeMap::new();
    for c in df.columns() {
        let text = c
            .cast(&DataType::String)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let values = text
            .str()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect();
        columns.insert(c.name().to_string(), values);
    }
    Ok((df.height(), columns))
}

/// `--since`: a month (`2020-01`) or a day (`2020-01-15`): the first day it names.
pub fn parse_since(s: &str) -> Option<Date> {
    Date::parse_iso(s).or_else(|| Date::parse_iso(&format!("{}-01", s.trim())))
}

fn column<'a>(
    table: &'a BTreeMap<String, Vec<String>>,
    name: &str,
) -> Result<&'a [String], String> {
    table
        .get(name)
        .map(Vec::as_slice)
        .ok_or_else(|| format!("the table has no column {name} (written by an older secreg?)"))
}

/// The text `secreg changes` prints.
pub fn changes(out_dir: &Path, since: Option<Date>) -> Result<String, String> {
    let (rows, changes) = read_texts(out_dir, "changes")?;
    let (_, reports) = read_texts(out_dir, "reports")?;
    let mut file_of: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for ((id, file), date) in column(&reports, "report_id")?
        .iter()
        .zip(column(&reports, "source_file")?)
        .zip(column(&reports, "report_date")?)
    {
        file_of
            .entry(id.as_str())
            .or_insert((file.as_str(), date.as_str()));
    }
    let (ids, dates, previous, mods, kinds, before, after, sources) = (
        column(&changes, "report_id")?,
        column(&changes, "report_date")?,
        column(&changes, "previous_report_id")?,
        column(&changes, "mod_id")?,
        column(&changes, "change")?,
        column(&changes, "before")?,
        column(&changes, "after")?,
        column(&changes, "source")?,
    );
    // By report date, then the report, then the table's order.
    let mut order: Vec<usize> = (0..rows)
        .filter(|&i| since.is_none_or(|s| Date::parse_iso(&dates[i]).is_some_and(|d| d >= s)))
        .collect();
    order.sort_by(|&a, &b| (&dates[a], &ids[a]).cmp(&(&dates[b], &ids[b])));
    let mut out = String::new();
    let mut current: Option<&str> = None;
    let mut reports_shown = 0;
    for i in order {
        if current != Some(ids[i].as_str()) {
            current = Some(ids[i].as_str());
            reports_shown += 1;
            let (prev_file, prev_date) = file_of
                .get(previous[i].as_str())
                .copied()
                .unwrap_or((previous[i].as_str(), ""));
            let _ = writeln!(
                out,
                "{}{}  {} ({}), against {} {}",
                if out.is_empty() { "" } else { "\n" },
                Terminal(&dates[i]),
                Terminal(file_of.get(ids[i].as_str()).map_or("?", |f| f.0)),
                Terminal(&ids[i]),
                Terminal(prev_date),
                Terminal(prev_file),
            );
        }
        let what = match (before[i].as_str(), after[i].as_str()) {
            ("", a) => a.to_string(),
            (b, a) => format!("{b} -> {a}"),
        };
        let at = match crate::output::escape::split_source(&sources[i]) {
            Some((file, page, line)) => format!(
                "{} p{page} l{line}",
                file.rsplit(['/', '\\']).next().unwrap_or(file)
            ),
            None => sources[i].clone(),
        };
        let _ = writeln!(
            out,
            "  {:<8} {:<21} {}  [{}]",
            terminal(&mods[i]),
            terminal(&kinds[i]),
            Terminal(&what),
            Terminal(&at)
        );
    }
    if reports_shown == 0 {
        out.push_str(match since {
            Some(_) => "No changes since that date.\n",
            None => "No changes: the archive holds fewer than two dated reports.\n",
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_month_or_a_day() {
        assert_eq!(parse_since("2020-01"), Date::new(2020, 1, 1));
        assert_eq!(parse_since("2020-06-12"), Date::new(2020, 6, 12));
        assert_eq!(parse_since("June"), None);
    }
}

//! The export's values read through the reports' own grammars: ids by the id grammar
//! (`SECMP0007`, `MP007`, `DP007`), dates by the date grammar (`2016-03-01`, `01/03/2016`,
//! `1 March 2016`), stages by the register's stage words and the status vocabulary. A value
//! that cannot be read is a diagnostic with its row, never a stop.

use std::collections::{BTreeMap, BTreeSet};

use super::export::{RegisterColumn, RegisterExport};
use super::stage_words::read_stage;
use super::{BackfillField, RegisterDiagnostic, RegisterProblem};
use crate::dataset::register::{Decision, Stage};
use crate::grammar::dates::{dates_in, parse_date};
use crate::grammar::ids::{parse_bare_mod_id, parse_mod_id};
use crate::grammar::statuses::normalise_status_text;
use crate::grammar::{Date, DatePrecision, Grammar, IdMatch, ModId};

/// A register value, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading {
    /// Blank, or a placeholder that says nothing (`n/a`, `TBC`, `-`).
    Empty,
    /// A title, a name, an organisation, a release not named by its month.
    Text(String),
    /// A date; `month_only` when the value gives only a month (`November 2020 SEC Release`).
    Date { date: Date, month_only: bool },
    /// A stage.
    Stage(Stage),
    /// A decision.
    Decision(Decision),
    /// Not what its column holds (a diagnostic says why).
    Unreadable,
}

/// One value of a row: as printed, and read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegisterValue {
    pub printed: String,
    pub reading: Reading,
}

/// One row of the export whose id was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegisterEntry {
    /// The export's row (the header is row 1).
    pub row: u32,
    /// The register's id (`DP094`, `SECMP0094` and `MP094` are `MP094`).
    pub id: ModId,
    /// Each field the export has a column for.
    pub values: BTreeMap<BackfillField, RegisterValue>,
}

/// The register id a value names: a prefixed id (`SECMP0053`, `DP094`, `MP 102A`), or bare
/// digits (`0053`: a register's id column is a modification column, as a DCC table's is).
/// A request suffix belongs to its modification (`0078v2` is `MP078`).
pub fn read_register_id(grammar: &Grammar, text: &str) -> Result<IdMatch, String> {
    match parse_mod_id(&grammar.ids, text) {
        Ok(m) => Ok(m),
        Err(e) => match parse_bare_mod_id(&grammar.ids, text.trim()) {
            Some((rest, m)) if rest.trim().is_empty() => Ok(m),
            _ => Err(e),
        },
    }
}

/// Placeholders a register prints in a blank cell.
fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c == '.' || c == '?');
    t.is_empty()
        || matches!(
            t.to_ascii_lowercase().as_str(),
            "-" | "n/a" | "na" | "none" | "tbc" | "tbd" | "unknown"
        )
        || t.chars().all(crate::grammar::text::is_dash)
}

/// A spreadsheet's date with its midnight (`2016-03-01 00:00:00`): the time says nothing.
fn without_midnight(text: &str) -> &str {
    let t = text.trim();
    for suffix in [" 00:00:00", "T00:00:00", " 00:00"] {
        if let Some(date) = t.strip_suffix(suffix) {
            return date;
        }
    }
    t
}

/// A date that fills the value (`01/03/2016`, `1 March 2016`, `2016-03-01`, `March 2016`).
/// The ISO form is a spreadsheet's, never a report's: it is read here, before the reports'
/// date grammar (which does not know it).
fn read_date(grammar: &Grammar, text: &str) -> Result<Reading, String> {
    let text = without_midnight(text);
    if let Some(date) = Date::parse_iso(text) {
        return Ok(Reading::Date {
            date,
            month_only: false,
        });
    }
    let m = parse_date(&grammar.dates, text, None)?;
    Ok(Reading::Date {
        date: m.date,
        month_only: m.precision == DatePrecision::Month,
    })
}

/// A date, or a release named by its month (`November 2020 SEC Release`): the first date the
/// value holds.
fn read_date_or_release(grammar: &Grammar, text: &str) -> Result<Reading, String> {
    read_date(grammar, text).or_else(|whole| match dates_in(&grammar.dates, text, None).next() {
        Some(Ok(m)) => Ok(Reading::Date {
            date: m.date,
            month_only: m.precision == DatePrecision::Month,
        }),
        Some(Err(e)) => Err(e.to_string()),
        None => Err(whole),
    })
}

/// A decision: approved, rejected or sent back, in any of the words a register uses.
fn read_decision(text: &str) -> Result<Reading, String> {
    let words = normalise_status_text(text);
    let decision = if words.contains("sent back") || words.contains("send back") {
        Decision::SentBack
    } else if words.contains("reject") {
        Decision::Rejected
    } else if words.contains("approv") {
        Decision::Approved
    } else {
        return Err("not a decision (approved, rejected, sent back)".into());
    };
    Ok(Reading::Decision(decision))
}

/// A value of one field, read; `Err` says why it cannot be.
fn read_value(grammar: &Grammar, field: BackfillField, text: &str) -> Result<Reading, String> {
    use BackfillField::*;
    if is_placeholder(text) {
        return Ok(Reading::Empty);
    }
    match field {
        Title | Proposer | Organisation => Ok(Reading::Text(text.to_string())),
        RaisedDate => read_date(grammar, text),
        ImplementedDate => read_date_or_release(grammar, text),
        // A release not named by a month (`SEC Minor Release 2.1`) is compared as text.
        Release => {
            Ok(read_date_or_release(grammar, text)
                .unwrap_or_else(|_| Reading::Text(text.to_string())))
        }
        Stage => read_stage(grammar, text)
            .map(Reading::Stage)
            .ok_or_else(|| {
                "not a stage: neither a word of README's stage table nor a DCC status".to_string()
            }),
        Decision => read_decision(text),
    }
}

/// The rows of the export whose id could be read, each field's value read; and a diagnostic
/// for each row without an id, each unreadable value and each second row of a modification.
pub(crate) fn read_entries(
    grammar: &Grammar,
    export: &RegisterExport,
) -> (Vec<RegisterEntry>, Vec<RegisterDiagnostic>) {
    let id_at = export
        .position(RegisterColumn::Id)
        .expect("an export always has an id column");
    let mut entries = Vec::with_capacity(export.rows.len());
    let mut problems = Vec::new();
    let mut seen: BTreeSet<ModId> = BTreeSet::new();
    for row in &export.rows {
        let cell = |at: usize| row.cells.get(at).map_or("", String::as_str);
        let problem =
            |field: Option<BackfillField>, at: usize, code, message: String| RegisterDiagnostic {
                source_file: export.source_file.clone(),
                row: row.row,
                field,
                header: export.headers.get(at).cloned(),
                value: Some(cell(at).to_string()).filter(|v| !v.is_empty()),
                code,
                message,
            };
        let raw_id = cell(id_at);
        let id = match read_register_id(grammar, raw_id) {
            Ok(m) => m.id.register_id(),
            Err(_) if raw_id.is_empty() => {
                let message = "no modification id: the row is not compared".to_string();
                problems.push(problem(None, id_at, RegisterProblem::IdMissing, message));
                continue;
            }
            Err(why) => {
                let message =
                    format!("cannot be read as a modification id ({why}); the row is not compared");
                problems.push(problem(None, id_at, RegisterProblem::IdUnread, message));
                continue;
            }
        };
        if !seen.insert(id.clone()) {
            let message = format!("{id} is listed on an earlier row too: both rows are compared");
            problems.push(problem(None, id_at, RegisterProblem::DuplicateId, message));
        }
        let mut values = BTreeMap::new();
        for field in export.fields() {
            let at = export
                .position(RegisterColumn::Field(field))
                .expect("a field of the export has a column");
            let printed = cell(at).to_string();
            let reading = read_value(grammar, field, &printed).unwrap_or_else(|why| {
                problems.push(problem(Some(field), at, RegisterProblem::ValueUnread, why));
                Reading::Unreadable
            });
            values.insert(field, RegisterValue { printed, reading });
        }
        entries.push(RegisterEntry {
            row: row.row,
            id,
            values,
        });
    }
    (entries, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_every_form_name_one_register_id() {
        let g = Grammar::builtin();
        for form in [
            "SECMP0007",
            "MP007",
            "DP007",
            "SEC MP007",
            "0007",
            "MP007v2",
        ] {
            let id = read_register_id(g, form).unwrap().id.register_id();
            assert_eq!(id.to_string(), "MP007", "{form}");
        }
        assert!(read_register_id(g, "TBC").is_err());
        assert!(read_register_id(g, "MP7 and MP8").is_err());
    }

    #[test]
    fn dates_in_the_forms_registers_print_are_read() {
        let g = Grammar::builtin();
        let day = |s: &str| match read_date(g, s) {
            Ok(Reading::Date { date, month_only }) => Some((date.to_string(), month_only)),
            _ => None,
        };
        let march = Some(("2016-03-01".to_string(), false));
        assert_eq!(day("2016-03-01"), march);
        assert_eq!(day("01/03/2016"), march);
        assert_eq!(day("1 March 2016"), march);
        assert_eq!(day("2016-03-01 00:00:00"), march);
        assert_eq!(day("March 2016"), Some(("2016-03-01".to_string(), true)));
        assert_eq!(day("31/02/2016"), None);
        assert_eq!(
            day("1 March"),
            None,
            "no year, and no report date to infer it from"
        );
        assert_eq!(day("soon"), None);
    }

    #[test]
    fn placeholders_are_empty_and_decisions_are_read() {
        let g = Grammar::builtin();
        for blank in ["", "n/a", "TBC", "-", "\u{2014}"] {
            assert_eq!(
                read_value(g, BackfillField::RaisedDate, blank),
                Ok(Reading::Empty)
            );
        }
        assert_eq!(
            read_decision("Approved by the Authority"),
            Ok(Reading::Decision(Decision::Approved))
        );
        assert_eq!(
            read_decision("Sent back"),
            Ok(Reading::Decision(Decision::SentBack))
        );
        assert!(read_decision("pending").is_err());
    }
}

//! `secreg normalize`: how one raw value is read, as a JSON line. It calls exactly the parsers
//! the pipeline uses. It has no table context, so bare digits are not an id here.

use serde_json::{json, Value};

use super::NormalizeKind;
use crate::grammar::dates::parse_date;
use crate::grammar::durations::parse_duration;
use crate::grammar::ids::parse_mod_id;
use crate::grammar::statuses::parse_status;
use crate::grammar::{Date, DatePrecision, Grammar};

/// `{"input", "value", "repaired", "inferred", "error"}` for one value.
pub fn normalize(
    grammar: &Grammar,
    kind: NormalizeKind,
    input: &str,
    report_date: Option<Date>,
) -> Value {
    let (value, repaired, inferred, error): (Value, bool, bool, Option<String>) = match kind {
        NormalizeKind::Id => match parse_mod_id(&grammar.ids, input) {
            Ok(m) => (json!(m.id.canonical()), m.repaired, false, None),
            Err(e) => (Value::Null, false, false, Some(e)),
        },
        NormalizeKind::Date => match parse_date(&grammar.dates, input, report_date) {
            Ok(m) => {
                let v = match m.precision {
                    DatePrecision::Day => m.date.to_string(),
                    DatePrecision::Month => format!("{:04}-{:02}", m.date.year, m.date.month),
                };
                (
                    json!(v),
                    m.repaired,
                    m.year_inferred,
                    m.weekday_mismatch
                        .then(|| "the printed weekday does not fall on this date".to_string()),
                )
            }
            Err(e) => (Value::Null, false, false, Some(e)),
        },
        NormalizeKind::Duration => match parse_duration(&grammar.durations, input) {
            Ok(d) => (json!(d), false, false, None),
            Err(e) => (Value::Null, false, false, Some(e)),
        },
        NormalizeKind::Status => match parse_status(&grammar.statuses, input) {
            Some(s) => (json!(s.name()), false, false, None),
            None => (Value::Null, false, false, Some("not a known status".into())),
        },
    };
    json!({"input": input, "value": value, "repaired": repaired, "inferred": inferred, "error": error})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_json_object_per_value() {
        let g = Grammar::builtin();
        let v = normalize(g, NormalizeKind::Id, "MPO077", None);
        assert_eq!(
            v,
            json!({"input": "MPO077", "value": "MP077", "repaired": true, "inferred": false, "error": null})
        );
        let v = normalize(g, NormalizeKind::Id, "0092", None);
        assert_eq!(v["value"], Value::Null);
        let v = normalize(
            g,
            NormalizeKind::Date,
            "Friday 22 May",
            Date::new(2020, 6, 12),
        );
        assert_eq!(
            (v["value"].as_str(), v["inferred"].as_bool()),
            (Some("2020-05-22"), Some(true))
        );
        let v = normalize(g, NormalizeKind::Date, "November 2020", None);
        assert_eq!(v["value"], "2020-11");
        assert_eq!(
            normalize(g, NormalizeKind::Duration, "115wWD", None)["value"],
            115
        );
        assert_eq!(
            normalize(g, NormalizeKind::Status, "1A in progress", None)["value"],
            "ia_in_progress"
        );
    }
}

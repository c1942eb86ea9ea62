//! `secreg normalize`: how one raw value is read, as a JSON line. It calls exactly the parsers
//! the pipeline uses. It has no table context, so bare digits are not an id here. A value is
//! read as users type what they see: a date in its phrase (`week commencing 8 June 2020`,
//! `w/c 8 June`), and OCR's letters in a date's or a duration's numbers (`3l/12/2019`,
//! `4O WD`), flagged `repaired`.

use serde_json::{json, Value};

use super::NormalizeKind;
use crate::grammar::dates::parse_date;
use crate::grammar::durations::parse_duration;
use crate::grammar::ids::parse_mod_id;
use crate::grammar::statuses::parse_status;
use crate::grammar::typed::{mend_ocr_digits, without_date_phrase};
use crate::grammar::{Date, DatePrecision, Grammar};

/// `{"input", "value", "repaired", "inferred", "error"}` for one value.
pub fn normalize(
    grammar: &Grammar,
    kind: NormalizeKind,
    input: &str,
    report_date: Option<Date>,
) -> Value {
    let confusions = &grammar.ids.digit_confusions;
    let (value, repaired, inferred, error): (Value, bool, bool, Option<String>) = match kind {
        NormalizeKind::Id => match parse_mod_id(&grammar.ids, input) {
            Ok(m) => (json!(m.id.to_string()), m.repaired, false, None),
            Err(e) => (Value::Null, false, false, Some(e)),
        },
        NormalizeKind::Date => {
            // The date inside its phrase (`week commencing 8 June 2020`), read as printed or,
            // failing that, with OCR's letters in its numbers mended (`3l/12/2019`).
            let text = without_date_phrase(input);
            let mended = || mend_ocr_digits(confusions, text);
            let read = |t: &str| parse_date(&grammar.dates, t, report_date);
            let result = match read(text) {
                Ok(m) => Ok((m, false)),
                Err(e) => match mended().map(|t| read(&t)) {
                    Some(Ok(m)) => Ok((m, true)),
                    _ => Err(e),
                },
            };
            match result {
                Ok((m, mended)) => {
                    let v = match m.precision {
                        DatePrecision::Day => m.date.to_string(),
                        DatePrecision::Month => format!("{:04}-{:02}", m.date.year, m.date.month),
                    };
                    (
                        json!(v),
                        m.repaired || mended,
                        m.year_inferred,
                        m.weekday_mismatch
                            .then(|| "the printed weekday does not fall on this date".to_string()),
                    )
                }
                Err(e) => (Value::Null, false, false, Some(e)),
            }
        }
        NormalizeKind::Duration => {
            let read = |t: &str| parse_duration(&grammar.durations, t);
            let result = match read(input) {
                Ok(d) => Ok((d, false)),
                Err(e) => match mend_ocr_digits(confusions, input).map(|t| read(&t)) {
                    Some(Ok(d)) => Ok((d, true)),
                    _ => Err(e),
                },
            };
            match result {
                Ok((d, mended)) => (json!(d), mended, false, None),
                Err(e) => (Value::Null, false, false, Some(e)),
            }
        }
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

    #[test]
    fn values_as_users_type_them_from_a_page() {
        let g = Grammar::builtin();
        let june = Date::new(2020, 6, 12);
        let read = |kind, input| {
            let v = normalize(g, kind, input, june);
            (v["value"].clone(), v["repaired"].as_bool().unwrap())
        };
        use NormalizeKind::{Date as D, Duration as W};
        assert_eq!(read(D, "3l/12/2019"), (json!("2019-12-31"), true));
        assert_eq!(read(D, "2O/05/2020"), (json!("2020-05-20"), true));
        assert_eq!(read(W, "4O WD"), (json!(40), true));
        assert_eq!(read(W, "40 WD"), (json!(40), false));
        assert_eq!(
            read(D, "week commencing 8 June 2020"),
            (json!("2020-06-08"), false)
        );
        assert_eq!(read(D, "w/c 8 June"), (json!("2020-06-08"), false));
        assert_eq!(read(D, "12 June 2O20"), (json!("2020-06-12"), true));
    }
}

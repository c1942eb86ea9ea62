//! Property tests of the grammars: any canonical id, date or duration, printed in any accepted
//! form and put through the OCR confusions the archive shows, parses back to itself or is
//! rejected - never to a different value. And no input makes a parser panic.

use proptest::prelude::*;
use secreg::grammar::dates::{find_dates, parse_date};
use secreg::grammar::durations::{find_durations, parse_duration};
use secreg::grammar::ids::{find_mod_ids, parse_mod_id};
use secreg::grammar::statuses::find_status;
use secreg::grammar::{Date, Grammar};

const CASES: u32 = 10_000;

/// OCR's letters for digits (ids.toml's digit_confusions, inverted).
fn letters_for(digit: char) -> &'static [char] {
    match digit {
        '0' => &['O', 'o', 'Q', 'D'],
        '1' => &['I', 'l', '|', 'i'],
        '5' => &['S', 's'],
        '8' => &['B'],
        '2' => &['Z'],
        '6' => &['G'],
        _ => &[],
    }
}

/// A modification: number and variant.
fn modification() -> impl Strategy<Value = (u32, String)> {
    (
        1u32..400,
        prop_oneof![
            Just(String::new()),
            Just("A".to_string()),
            Just("B".to_string()),
            Just("v2".to_string())
        ],
    )
}

/// How an id is printed, as (prefix, number with variant), with the zero-padding the
/// reports use.
fn printed_id(number: u32, variant: &str, form: u8) -> (&'static str, String) {
    match form % 6 {
        0 => ("DP", format!("{number:03}{variant}")),
        1 => ("MP", format!("{number:03}{variant}")),
        2 => ("SECMP", format!("{number:04}{variant}")),
        // SECMP130: the unpadded three-digit spelling, used for numbers from 100.
        3 if number >= 100 => ("SECMP", format!("{number}{variant}")),
        3 => ("SECMP", format!("{number:04}{variant}")),
        4 => ("SEC MP", format!("{number:03}{variant}")),
        _ => ("SECMP ", format!("{number:04}{variant}")),
    }
}

/// Puts OCR damage into the digits of a number: each digit may become one of its letters.
fn damage_digits(number: &str, choices: &[u8]) -> String {
    number
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let choice = choices.get(i).copied().unwrap_or(0);
            let letters = letters_for(c);
            if !letters.is_empty() && choice % 3 == 0 {
                letters[(choice as usize / 3) % letters.len()]
            } else {
                c
            }
        })
        .collect()
}

/// Prefix damage: none, an extra O after it, lower case, or the OCR'd prefixes of ids.toml.
fn damage_prefix(prefix: &str, number: &str, how: u8) -> String {
    match how % 5 {
        0 => format!("{prefix}{number}"),
        1 => format!("{prefix}O{number}"),
        2 => format!("{}{number}", prefix.to_lowercase()),
        3 => format!("{}{number}", prefix.replacen("MP", "MF", 1)),
        _ => format!("{}{number}", prefix.replacen("DP", "0P", 1)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn a_damaged_id_reads_as_itself_or_not_at_all(
        (number, variant) in modification(),
        form in any::<u8>(),
        digit_damage in proptest::collection::vec(any::<u8>(), 6),
        prefix_damage in any::<u8>(),
        punctuation in prop_oneof![Just(""), Just("'"), Just("’,"), Just("."), Just(":")],
    ) {
        let g = Grammar::builtin();
        let (prefix, digits) = printed_id(number, &variant, form);
        let clean = format!("{prefix}{digits}");
        let damaged = damage_prefix(prefix, &damage_digits(&digits, &digit_damage), prefix_damage);
        let text = format!("‘{damaged}{punctuation}");
        let canonical = format!("MP{number:03}{variant}");
        if let Ok(m) = parse_mod_id(&g.ids, &text) {
            prop_assert_eq!(m.id.to_string(), canonical.clone(), "{} read wrongly", text);
            prop_assert_eq!(m.repaired, damaged != clean, "repair flag for {}", text);
        }
        // The clean printed form always reads.
        let m = parse_mod_id(&g.ids, &clean).map_err(|e| TestCaseError::fail(format!("{clean}: {e}")))?;
        prop_assert_eq!(m.id.to_string(), canonical);
        prop_assert!(!m.repaired);
    }

    #[test]
    fn ids_found_in_a_line_are_the_ones_printed(
        (number, variant) in modification(),
        form in any::<u8>(),
        before in "[a-z ]{0,12}",
        after in "[a-z ]{0,12}",
    ) {
        let g = Grammar::builtin();
        let (prefix, digits) = printed_id(number, &variant, form);
        let printed = format!("{prefix}{digits}");
        let line = format!("{before} {printed} ‘a title’ {after}");
        let found: Vec<String> = find_mod_ids(&g.ids, &line)
            .into_iter()
            .filter_map(|f| match f {
                secreg::grammar::IdFinding::Found(m) => Some(m.id.to_string()),
                _ => None,
            })
            .collect();
        prop_assert_eq!(found, vec![format!("MP{number:03}{variant}")]);
    }

    #[test]
    fn a_printed_date_reads_as_itself_or_not_at_all(
        days in 14_610i32..25_567, // 2010-01-01 ..= 2039-12-31
        form in 0u8..7,
        ocr in any::<u8>(),
        lag in 0i32..200,
    ) {
        let g = Grammar::builtin();
        let d = Date::from_days_since_epoch(days);
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        let month = MONTHS[d.month as usize - 1];
        let printed = match form {
            0 => format!("{} {} {}", d.day, month, d.year),
            1 => format!("{}th {} {}", d.day, month, d.year),
            2 => format!("{:02}/{:02}/{}", d.day, d.month, d.year),
            3 => format!("{} {} {:02}", d.day, &month[..3], d.year % 100),
            4 => format!("{}{} {:02}", d.day, &month[..3], d.year % 100),
            5 => format!("{:02}/{:02}{}", d.day, d.month, d.year), // a lost slash
            _ => format!("{} {} {}", WEEKDAYS[d.iso_weekday() as usize - 1], d.day, month),
        };
        // OCR: a zero of the year read as O, or a stray stop for a space.
        let damaged = match ocr % 3 {
            0 => printed.clone(),
            1 => printed.replacen("20", "2O", 1),
            _ => printed.replacen(' ', ".", 1),
        };
        let report = Date::from_days_since_epoch(days + lag);
        if let Ok(m) = parse_date(&g.dates, &damaged, Some(report)) {
            prop_assert_eq!(m.date, d, "{} read wrongly", damaged);
            prop_assert_eq!(m.year_inferred, form == 6);
        }
        if ocr % 3 == 0 {
            let m = parse_date(&g.dates, &printed, Some(report)).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
            prop_assert_eq!(m.date, d);
        }
    }

    #[test]
    fn durations_read_as_printed(days in 0u32..10_000, unit in prop_oneof![Just(" WD"), Just("WD"), Just(" wWD"), Just("WD."), Just(" working days")]) {
        let g = Grammar::builtin();
        prop_assert_eq!(parse_duration(&g.durations, &format!("{days}{unit}")), Ok(days));
    }

    #[test]
    fn no_text_makes_a_parser_panic(text in "\\PC{0,200}") {
        let g = Grammar::builtin();
        let _ = find_mod_ids(&g.ids, &text);
        let _ = parse_mod_id(&g.ids, &text);
        let _ = find_dates(&g.dates, &text, Date::new(2020, 6, 12));
        let _ = parse_date(&g.dates, &text, None);
        let _ = find_durations(&g.durations, &text);
        let _ = parse_duration(&g.durations, &text);
        let _ = find_status(&g.statuses, &text);
    }

    #[test]
    fn report_like_text_makes_no_parser_panic(text in "([A-Za-z0-9 ’‘/.:|O-]{0,40}\n){0,20}") {
        let g = Grammar::builtin();
        for line in text.lines() {
            let _ = find_mod_ids(&g.ids, line);
            let _ = find_dates(&g.dates, line, Date::new(2020, 6, 12));
            let _ = find_durations(&g.durations, line);
        }
    }
}

#[test]
fn very_long_lines_do_not_panic() {
    let g = Grammar::builtin();
    let line = "MP0".repeat(100_000) + &"12/".repeat(100_000) + &"9".repeat(100_000);
    let _ = find_mod_ids(&g.ids, &line);
    let _ = find_dates(&g.dates, &line, None);
    let _ = find_durations(&g.durations, &line);
}

//! Values as a user types them from a page (`secreg normalize`): the phrase a date is printed
//! in (`week commencing 8 June 2020`, `w/c 8 June`) and OCR's letters in the digits of a date
//! or a duration (`3l/12/2019`, `2O/05/2020`, `4O WD`). The parsers of a report's lines read
//! a date inside its sentence already; these forms are for a value given on its own.

use super::vocabulary::DigitConfusions;

/// The phrases a date is printed after, lower case: a week's first day.
const DATE_PHRASES: [&str; 5] = ["week commencing", "week beginning", "w/c", "w.c.", "wc"];

/// The date inside its phrase: `week commencing 8 June 2020` and `w/c 8 June` are the dates
/// `8 June 2020` and `8 June` (brackets around the whole are dropped too).
pub fn without_date_phrase(text: &str) -> &str {
    let text = text
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    for phrase in DATE_PHRASES {
        let Some(head) = text.get(..phrase.len()) else {
            continue;
        };
        let rest = &text[phrase.len()..];
        if head.eq_ignore_ascii_case(phrase) && rest.starts_with(|c: char| c.is_whitespace()) {
            return rest.trim_start();
        }
    }
    text
}

/// `text` with OCR's letters in its numbers read as the digits they stand for (the id
/// grammar's `digit_confusions`), or `None` when nothing was mended. Only a word made of
/// digits, slashes and such letters, with at least as many real digits as letters, is
/// mended: `3l/12/2019`, `2O/05/2020`, `4O` (of `4O WD`); never `WD` or `June`.
pub fn mend_ocr_digits(confusions: &DigitConfusions, text: &str) -> Option<String> {
    let mut mended = false;
    let words: Vec<String> = text
        .split(' ')
        .map(|word| {
            let digits = word.chars().filter(char::is_ascii_digit).count();
            let letters = word
                .chars()
                .filter(|&c| !c.is_ascii_digit() && confusions.contains(c))
                .count();
            let numberlike = word
                .chars()
                .all(|c| c.is_ascii_digit() || c == '/' || confusions.contains(c));
            if numberlike && letters > 0 && digits >= letters {
                mended = true;
                word.chars()
                    .map(|c| match c {
                        '/' => '/',
                        c if c.is_ascii_digit() => c,
                        c => confusions.digit_of(c).unwrap_or(c),
                    })
                    .collect()
            } else {
                word.to_string()
            }
        })
        .collect();
    mended.then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    #[test]
    fn the_phrase_around_a_date_is_dropped() {
        assert_eq!(
            without_date_phrase("week commencing 8 June 2020"),
            "8 June 2020"
        );
        assert_eq!(without_date_phrase("w/c 8 June"), "8 June");
        assert_eq!(without_date_phrase("(W/C 8 June)"), "8 June");
        assert_eq!(without_date_phrase("8 June"), "8 June");
        assert_eq!(without_date_phrase("wcx 8 June"), "wcx 8 June");
    }

    #[test]
    fn ocr_letters_in_numbers_are_mended_and_only_there() {
        let c = &Grammar::builtin().ids.digit_confusions;
        assert_eq!(
            mend_ocr_digits(c, "3l/12/2019").as_deref(),
            Some("31/12/2019")
        );
        assert_eq!(
            mend_ocr_digits(c, "2O/05/2020").as_deref(),
            Some("20/05/2020")
        );
        assert_eq!(mend_ocr_digits(c, "4O WD").as_deref(), Some("40 WD"));
        assert_eq!(mend_ocr_digits(c, "40 WD"), None);
        assert_eq!(mend_ocr_digits(c, "8 June"), None);
        assert_eq!(mend_ocr_digits(c, "OO"), None);
    }
}

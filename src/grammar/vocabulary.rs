//! Loading the vocabulary files of `grammars/` into the typed tables the parsers use.
//!
//! The files are compiled into the binary (so a fresh install needs nothing beside it) and can
//! be replaced at run time with `--grammars DIR`: any file present in DIR overrides the
//! built-in one of the same name.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use super::ids::IdPrefix;
use super::statuses::DccStatus;

/// The vocabulary files, by name, as compiled in.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("ids.toml", include_str!("../../grammars/ids.toml")),
    ("dates.toml", include_str!("../../grammars/dates.toml")),
    (
        "durations.toml",
        include_str!("../../grammars/durations.toml"),
    ),
    (
        "statuses.toml",
        include_str!("../../grammars/statuses.toml"),
    ),
    ("report.toml", include_str!("../../grammars/report.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum GrammarError {
    #[error("cannot read grammar file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("grammar file {name} is not valid: {message}")]
    Invalid { name: String, message: String },
}

#[derive(Debug, Deserialize)]
struct PrefixEntry {
    printed: String,
    family: String,
}

#[derive(Debug, Deserialize)]
struct IdsFile {
    prefix: Vec<PrefixEntry>,
    #[serde(default)]
    prefix_repair: Vec<PrefixEntry>,
    digit_confusions: HashMap<String, String>,
    variant_letters: Vec<String>,
    max_digits: usize,
}

#[derive(Debug, Deserialize)]
struct DatesFile {
    months: Vec<(String, u32)>,
    #[serde(default)]
    month_repairs: Vec<(String, u32)>,
    weekdays: Vec<(String, u32)>,
    ordinal_suffixes: Vec<String>,
    two_digit_year_base: i32,
    year_range: (i32, i32),
    after_report_penalty: i64,
}

#[derive(Debug, Deserialize)]
struct DurationsFile {
    units: Vec<String>,
    max_digits: usize,
}

#[derive(Debug, Deserialize)]
struct StatusEntry {
    value: String,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct StatusesFile {
    status: Vec<StatusEntry>,
}

/// The letters OCR prints for digits (`O` for 0, `|` for 1) and the digit each stands for.
/// Asked of nearly every character of a number: ASCII letters are looked up in a table.
#[derive(Debug, Clone)]
pub struct DigitConfusions {
    ascii: [Option<char>; 128],
    other: BTreeMap<char, char>,
}

impl DigitConfusions {
    fn new(pairs: impl IntoIterator<Item = (char, char)>) -> DigitConfusions {
        let mut out = DigitConfusions {
            ascii: [None; 128],
            other: BTreeMap::new(),
        };
        for (letter, digit) in pairs {
            match u8::try_from(letter) {
                Ok(b) if b < 128 => out.ascii[b as usize] = Some(digit),
                _ => {
                    out.other.insert(letter, digit);
                }
            }
        }
        out
    }

    /// The bytes a number's body may hold: ASCII digits, the ASCII characters OCR prints for
    /// one, and every byte beyond ASCII (a character beyond ASCII may be one).
    fn digit_like_bytes(&self) -> [bool; 256] {
        let mut bytes = [false; 256];
        for (b, like) in bytes.iter_mut().enumerate() {
            *like = b >= 0x80 || (b as u8).is_ascii_digit() || self.ascii[b].is_some();
        }
        bytes
    }

    /// The digit `c` stands for, when OCR prints it for one.
    pub fn digit_of(&self, c: char) -> Option<char> {
        match u8::try_from(c) {
            Ok(b) if b < 128 => self.ascii[b as usize],
            _ => self.other.get(&c).copied(),
        }
    }

    pub fn contains(&self, c: char) -> bool {
        self.digit_of(c).is_some()
    }
}

/// Identifier vocabulary, ready for the parsers.
#[derive(Debug, Clone)]
pub struct IdVocabulary {
    /// Printed prefix and its family, longest printed form first.
    pub prefixes: Vec<(String, IdPrefix)>,
    /// The printed prefixes by their first byte in lower case: an id's first letter leaves
    /// one or two to compare.
    pub prefixes_by_initial: ByFirstByte,
    /// OCR-damaged prefixes, longest first.
    pub prefix_repairs: Vec<(String, IdPrefix)>,
    pub digit_confusions: DigitConfusions,
    pub variant_letters: Vec<char>,
    pub max_digits: usize,
    /// How far from where an id starts its first ASCII digit can stand, at most (bytes): the
    /// longest prefix, the one space after it, and the confusable letters a number may print
    /// before its first real digit. Every id has a real digit; a place further than this
    /// before the next digit starts none, and the scan skips it.
    pub digit_reach: usize,
    /// The bytes that may start an id (the initials of every prefix, printed or damaged, in
    /// both cases).
    pub starts_id: [bool; 256],
    /// The two bytes an id may start with, one bit a pair (8 kB): each prefix's first two
    /// letters in either case, or a one-letter prefix and any ASCII byte. The id scan tests
    /// each place with one lookup; most words with an initial fail here.
    id_start_pairs: Box<[u64]>,
    /// The bytes a number's body may hold: ASCII digits, the ASCII characters OCR prints for
    /// one (letters, the rule `|`), and every byte beyond ASCII (a confusable character may
    /// be one). From [`IdVocabulary::digit_confusions`].
    pub digit_like: [bool; 256],
}

impl IdVocabulary {
    /// True when `text` starts with the first two characters of some prefix (letter case
    /// aside): a quick test before parsing an id there.
    #[inline]
    pub fn may_start_id(&self, text: &[u8]) -> bool {
        match text {
            [first, second, ..] => self.starts_id_pair(*first, *second),
            _ => false,
        }
    }

    #[inline]
    fn starts_id_pair(&self, first: u8, second: u8) -> bool {
        let pair = usize::from(first) << 8 | usize::from(second);
        self.id_start_pairs[pair / 64] >> (pair % 64) & 1 == 1
    }

    /// The first place at or after `from` where [`IdVocabulary::may_start_id`] holds.
    #[inline]
    pub fn next_id_start(&self, bytes: &[u8], from: usize) -> Option<usize> {
        // The initial alone first: one lookup rules out most bytes.
        let mut pairs = bytes.get(from..)?.windows(2);
        let k = pairs
            .position(|w| self.starts_id[usize::from(w[0])] && self.starts_id_pair(w[0], w[1]))?;
        Some(from + k)
    }
}

/// [`IdVocabulary::id_start_pairs`] of some prefixes (ASCII, checked when they load).
fn id_start_pairs<'p>(prefixes: impl Iterator<Item = &'p String>) -> Box<[u64]> {
    let mut pairs = vec![0u64; 65536 / 64].into_boxed_slice();
    for p in prefixes {
        let bytes = p.as_bytes();
        // A one-letter prefix may be followed by anything an id's number starts with.
        let seconds: Vec<u8> = match bytes.get(1) {
            Some(b) => vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()],
            None => (0..128).collect(),
        };
        for first in [bytes[0].to_ascii_lowercase(), bytes[0].to_ascii_uppercase()] {
            for &second in &seconds {
                let pair = usize::from(first) << 8 | usize::from(second);
                pairs[pair / 64] |= 1 << (pair % 64);
            }
        }
    }
    pairs
}

/// The entries of a list (their indices, in list order) grouped by one byte of each, its
/// first as the list's user folds it: a scan that asks at every word compares only the few
/// entries that can match there. (Id prefixes, date words, status phrases, bullets.)
#[derive(Debug, Clone)]
pub struct ByFirstByte {
    groups: Vec<Vec<u16>>,
}

impl ByFirstByte {
    /// `keys` gives each entry's byte, in list order; an entry without one (empty) is in no
    /// group.
    pub fn new(keys: impl IntoIterator<Item = Option<u8>>) -> ByFirstByte {
        let mut groups = vec![Vec::new(); 256];
        for (k, key) in keys.into_iter().enumerate() {
            if let Some(b) = key {
                let k = u16::try_from(k).expect("a vocabulary list of fewer than 65,536 entries");
                groups[b as usize].push(k);
            }
        }
        ByFirstByte { groups }
    }

    /// The entries (their indices) whose byte is `byte`, in list order.
    pub fn get(&self, byte: u8) -> &[u16] {
        &self.groups[byte as usize]
    }
}

/// A list of words (lower case, longest first) with its words grouped by first letter: a
/// date scan asks about most capitalised words and numbers, and only a few words can match.
#[derive(Debug, Clone)]
pub struct WordList {
    words: Vec<(String, u32)>,
    /// The words by first byte (lower case).
    by_initial: ByFirstByte,
}

impl WordList {
    /// `words` in lower case, each with its value.
    pub fn new(mut words: Vec<(String, u32)>) -> WordList {
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let by_initial = ByFirstByte::new(
            words
                .iter()
                .map(|(w, _)| w.as_bytes().first().map(u8::to_ascii_lowercase)),
        );
        WordList { words, by_initial }
    }

    /// All words, longest first.
    pub fn words(&self) -> &[(String, u32)] {
        &self.words
    }

    /// The words that may begin a text starting with `byte` (letter case aside), longest
    /// first.
    pub fn starting_with(&self, byte: u8) -> impl Iterator<Item = &(String, u32)> + '_ {
        self.by_initial
            .get(byte.to_ascii_lowercase())
            .iter()
            .map(|&k| &self.words[usize::from(k)])
    }
}

/// The first three letters of every word of some lists (month and weekday names): a text
/// that starts otherwise starts with none of them, which a date scan asks of every
/// capitalised word.
#[derive(Debug, Clone)]
pub struct WordStarts {
    /// Bit `26 * 26 * a + 26 * b + c` for the start `abc` (letters numbered from 0).
    bits: Vec<u64>,
    /// A word shorter than three letters, or not of ASCII letters: every text may start one.
    any: bool,
}

impl WordStarts {
    fn new<'w>(words: impl Iterator<Item = &'w str>) -> WordStarts {
        let mut starts = WordStarts {
            bits: vec![0; 26 * 26 * 26 / 64 + 1],
            any: false,
        };
        for word in words {
            match Self::index(word.as_bytes()) {
                Some(k) => starts.bits[k / 64] |= 1 << (k % 64),
                None => starts.any = true,
            }
        }
        starts
    }

    /// The start's bit, when `text` starts with three ASCII letters.
    fn index(text: &[u8]) -> Option<usize> {
        // `| 0x20` lowers an ASCII letter and makes no other byte a lower-case letter.
        let letter = |b: u8| {
            let lower = b | 0x20;
            // (Computed only for a letter: below `a`, the subtraction would overflow.)
            lower.is_ascii_lowercase().then(|| (lower - b'a') as usize)
        };
        match text {
            [a, b, c, ..] => Some(26 * 26 * letter(*a)? + 26 * letter(*b)? + letter(*c)?),
            _ => None,
        }
    }

    /// False when no word starts `text` (letter case aside).
    pub fn may_start(&self, text: &[u8]) -> bool {
        self.any || Self::index(text).is_some_and(|k| self.bits[k / 64] >> (k % 64) & 1 == 1)
    }
}

#[derive(Debug, Clone)]
pub struct DateVocabulary {
    /// Month spellings (lower case), longest first.
    pub months: WordList,
    /// Months' abbreviations as OCR misreads them after a day (`5 Mav 20`): read as that
    /// month, the date flagged repaired.
    pub month_repairs: WordList,
    /// The starts of the month and weekday names.
    pub name_starts: WordStarts,
    /// The bytes a date may start with: a digit, or in upper case the first letter of a month
    /// or weekday name or of a letter OCR prints for a day's digit. The scan skips the rest.
    pub starts_date: [bool; 256],
    pub weekdays: WordList,
    pub ordinal_suffixes: Vec<String>,
    pub two_digit_year_base: i32,
    pub year_range: (i32, i32),
    pub after_report_penalty: i64,
}

#[derive(Debug, Clone)]
pub struct DurationVocabulary {
    /// Units, longest first.
    pub units: Vec<String>,
    pub max_digits: usize,
}

#[derive(Debug, Clone)]
pub struct StatusVocabulary {
    /// Normalised phrase and its status, longest phrase first.
    pub phrases: Vec<(String, DccStatus)>,
    /// The phrases by first byte: normalised text is words one space apart, so a phrase is
    /// looked for only where a word starts, and only the phrases of that word's first byte
    /// are compared.
    pub starting_with: ByFirstByte,
    /// Each phrase's words (`phrases[i]` split at its spaces).
    pub phrase_words: Vec<Vec<String>>,
    /// The phrases with a space before, letter case aside, leftmost first: where one starts
    /// in text as printed.
    pub after_space: aho_corasick::AhoCorasick,
}

/// The whole vocabulary: identifiers, dates, durations, statuses and the report's own words
/// (section headings, phrase families), which the report model reads.
#[derive(Debug, Clone)]
pub struct Grammar {
    pub ids: IdVocabulary,
    pub dates: DateVocabulary,
    pub durations: DurationVocabulary,
    pub statuses: StatusVocabulary,
    /// The report model's vocabulary (`report.toml`), kept as parsed TOML so the model can
    /// read it without this module knowing its shape.
    pub report: toml::Table,
    /// A short fingerprint of the vocabulary's text, recorded so outputs can say which
    /// grammar produced them.
    pub fingerprint: String,
}

impl Grammar {
    /// The compiled-in vocabulary. Parsed once per process.
    pub fn builtin() -> &'static Grammar {
        static BUILTIN: OnceLock<Grammar> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let files: Vec<(String, String)> = BUILTIN_FILES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect();
            Grammar::from_files(&files).expect("the built-in grammar files are valid")
        })
    }

    /// The built-in vocabulary with every file found in `dir` replacing its namesake.
    pub fn load_with_overrides(dir: &Path) -> Result<Grammar, GrammarError> {
        let mut files = Vec::new();
        for (name, builtin) in BUILTIN_FILES {
            let path = dir.join(name);
            let text = if path.exists() {
                std::fs::read_to_string(&path).map_err(|source| GrammarError::Io {
                    path: path.clone(),
                    source,
                })?
            } else {
                builtin.to_string()
            };
            files.push((name.to_string(), text));
        }
        Grammar::from_files(&files)
    }

    fn from_files(files: &[(String, String)]) -> Result<Grammar, GrammarError> {
        let get = |name: &str| -> &str {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
                .unwrap_or("")
        };
        let ids: IdsFile = parse_toml("ids.toml", get("ids.toml"))?;
        let dates: DatesFile = parse_toml("dates.toml", get("dates.toml"))?;
        let durations: DurationsFile = parse_toml("durations.toml", get("durations.toml"))?;
        let statuses: StatusesFile = parse_toml("statuses.toml", get("statuses.toml"))?;
        let report: toml::Table = parse_toml("report.toml", get("report.toml"))?;

        let fingerprint = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            for (n, t) in files {
                h.update(n.as_bytes());
                h.update(t.as_bytes());
            }
            let digest = h.finalize();
            digest[..6].iter().map(|b| format!("{b:02x}")).collect()
        };

        Ok(Grammar {
            ids: build_ids(ids)?,
            dates: build_dates(dates),
            durations: build_durations(durations),
            statuses: build_statuses(statuses)?,
            report,
            fingerprint,
        })
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, GrammarError> {
    toml::from_str(text).map_err(|e| GrammarError::Invalid {
        name: name.to_string(),
        message: e.to_string(),
    })
}

fn family(name: &str, file: &str) -> Result<IdPrefix, GrammarError> {
    match name {
        "DP" => Ok(IdPrefix::Dp),
        "MP" => Ok(IdPrefix::Mp),
        "SECMP" => Ok(IdPrefix::Secmp),
        other => Err(GrammarError::Invalid {
            name: file.to_string(),
            message: format!("unknown prefix family {other:?} (DP, MP or SECMP)"),
        }),
    }
}

fn single_char(s: &str, file: &str) -> Result<char, GrammarError> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(GrammarError::Invalid {
            name: file.to_string(),
            message: format!("{s:?} must be a single character"),
        }),
    }
}

fn build_ids(f: IdsFile) -> Result<IdVocabulary, GrammarError> {
    let mut prefixes = f
        .prefix
        .iter()
        .map(|p| Ok((p.printed.clone(), family(&p.family, "ids.toml")?)))
        .collect::<Result<Vec<_>, GrammarError>>()?;
    prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut prefix_repairs = f
        .prefix_repair
        .iter()
        .map(|p| Ok((p.printed.clone(), family(&p.family, "ids.toml")?)))
        .collect::<Result<Vec<_>, GrammarError>>()?;
    prefix_repairs.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    // The id scanner compares prefixes byte by byte.
    if let Some((p, _)) = prefixes
        .iter()
        .chain(prefix_repairs.iter())
        .find(|(p, _)| !p.is_ascii() || p.is_empty())
    {
        return Err(GrammarError::Invalid {
            name: "ids.toml".into(),
            message: format!("prefix {p:?} must be ASCII letters, digits or spaces"),
        });
    }
    let mut confusions = Vec::new();
    for (from, to) in &f.digit_confusions {
        let to = single_char(to, "ids.toml")?;
        if !to.is_ascii_digit() {
            return Err(GrammarError::Invalid {
                name: "ids.toml".into(),
                message: format!("digit_confusions maps {from:?} to {to:?}, not a digit"),
            });
        }
        confusions.push((single_char(from, "ids.toml")?, to));
    }
    let variant_letters = f
        .variant_letters
        .iter()
        .map(|s| single_char(s, "ids.toml"))
        .collect::<Result<Vec<_>, _>>()?;
    let all_prefixes = || prefixes.iter().chain(prefix_repairs.iter()).map(|(p, _)| p);
    let mut starts_id = [false; 256];
    for p in all_prefixes() {
        starts_id[p.as_bytes()[0].to_ascii_lowercase() as usize] = true;
        starts_id[p.as_bytes()[0].to_ascii_uppercase() as usize] = true;
    }
    let id_start_pairs = id_start_pairs(all_prefixes());
    // (`number_body` reads at most `max_digits + 4` characters and ends at its last real
    // digit, so at most `max_digits + 3` confusable letters come before the first.)
    let longest_prefix = prefixes
        .iter()
        .chain(prefix_repairs.iter())
        .map(|(p, _)| p.len())
        .max()
        .unwrap_or(0);
    let widest_confusion = confusions
        .iter()
        .map(|(c, _)| c.len_utf8())
        .max()
        .unwrap_or(0);
    let digit_reach = longest_prefix + 1 + (f.max_digits + 3) * widest_confusion;
    let digit_confusions = DigitConfusions::new(confusions);
    let digit_like = digit_confusions.digit_like_bytes();
    let prefixes_by_initial = ByFirstByte::new(
        prefixes
            .iter()
            .map(|(p, _)| p.as_bytes().first().map(u8::to_ascii_lowercase)),
    );
    Ok(IdVocabulary {
        prefixes_by_initial,
        digit_reach,
        id_start_pairs,
        starts_id,
        prefixes,
        prefix_repairs,
        digit_confusions,
        variant_letters,
        max_digits: f.max_digits,
        digit_like,
    })
}

fn build_dates(f: DatesFile) -> DateVocabulary {
    let lower = |words: Vec<(String, u32)>| {
        words
            .into_iter()
            .map(|(w, n)| (w.to_lowercase(), n))
            .collect::<Vec<_>>()
    };
    let months = WordList::new(lower(f.months));
    let weekdays = WordList::new(lower(f.weekdays));
    let initials = months
        .words()
        .iter()
        .chain(weekdays.words())
        .filter_map(|(w, _)| w.chars().next())
        .chain("siol".chars());
    let mut starts_date = [false; 256];
    for b in b'0'..=b'9' {
        starts_date[b as usize] = true;
    }
    for c in initials.filter(|c| c.is_ascii()) {
        starts_date[c.to_ascii_uppercase() as usize] = true;
    }
    let name_starts = WordStarts::new(
        months
            .words()
            .iter()
            .chain(weekdays.words())
            .map(|(w, _)| w.as_str()),
    );
    DateVocabulary {
        starts_date,
        name_starts,
        months,
        month_repairs: WordList::new(lower(f.month_repairs)),
        weekdays,
        ordinal_suffixes: f.ordinal_suffixes,
        two_digit_year_base: f.two_digit_year_base,
        year_range: f.year_range,
        after_report_penalty: f.after_report_penalty,
    }
}

fn build_durations(f: DurationsFile) -> DurationVocabulary {
    let mut units = f.units;
    units.sort_by_key(|u| std::cmp::Reverse(u.len()));
    DurationVocabulary {
        units,
        max_digits: f.max_digits,
    }
}

fn build_statuses(f: StatusesFile) -> Result<StatusVocabulary, GrammarError> {
    let mut phrases = Vec::new();
    for entry in f.status {
        let status = DccStatus::from_name(&entry.value).ok_or_else(|| GrammarError::Invalid {
            name: "statuses.toml".into(),
            message: format!("unknown status value {:?}", entry.value),
        })?;
        for p in entry.phrases {
            phrases.push((super::statuses::normalise_status_text(&p), status));
        }
    }
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    phrases.dedup();
    if let Some((p, _)) = phrases.iter().find(|(p, _)| p.is_empty()) {
        return Err(GrammarError::Invalid {
            name: "statuses.toml".into(),
            message: format!("a status phrase with no words: {p:?}"),
        });
    }
    let starting_with =
        ByFirstByte::new(phrases.iter().map(|(p, _)| p.as_bytes().first().copied()));
    let after_space = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(phrases.iter().map(|(p, _)| format!(" {p}")))
        .map_err(|e| GrammarError::Invalid {
            name: "statuses.toml".into(),
            message: e.to_string(),
        })?;
    let phrase_words = phrases
        .iter()
        .map(|(p, _)| p.split(' ').map(str::to_string).collect())
        .collect();
    Ok(StatusVocabulary {
        phrases,
        starting_with,
        phrase_words,
        after_space,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_grammar_loads_and_orders_longest_first() {
        let g = Grammar::builtin();
        let lens: Vec<usize> = g.ids.prefixes.iter().map(|(p, _)| p.len()).collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
        assert_eq!(g.dates.months.words()[0].0, "september");
        assert_eq!(g.ids.digit_confusions.digit_of('O'), Some('0'));
        assert_eq!(g.ids.digit_confusions.digit_of('|'), Some('1'));
        assert_eq!(g.ids.digit_confusions.digit_of('P'), None);
        assert_eq!(g.ids.digit_confusions.digit_of('é'), None);
        let with_other = DigitConfusions::new([('Ø', '0'), ('l', '1')]);
        assert_eq!(with_other.digit_of('Ø'), Some('0'));
        assert_eq!(with_other.digit_of('l'), Some('1'));
        assert!(!with_other.contains('O'));
        assert_eq!(g.fingerprint.len(), 12);
    }

    #[test]
    fn override_dir_replaces_only_the_files_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("durations.toml"),
            "units = [\"days\"]\nmax_digits = 3\n",
        )
        .unwrap();
        let g = Grammar::load_with_overrides(dir.path()).unwrap();
        assert_eq!(g.durations.units, vec!["days".to_string()]);
        assert_eq!(g.ids.prefixes.len(), Grammar::builtin().ids.prefixes.len());
        assert_ne!(g.fingerprint, Grammar::builtin().fingerprint);
    }

    #[test]
    fn invalid_override_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("statuses.toml"),
            "[[status]]\nvalue = \"lost\"\nphrases = []\n",
        )
        .unwrap();
        let err = Grammar::load_with_overrides(dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("statuses.toml") && err.contains("lost"),
            "{err}"
        );
    }

    #[test]
    fn entries_are_grouped_by_their_byte_in_list_order() {
        let list = ["sec mp", "", "mp", "sec", "dp", "Mp"];
        let index = ByFirstByte::new(list.iter().map(|w| w.as_bytes().first().copied()));
        assert_eq!(index.get(b's'), [0, 3]);
        assert_eq!(index.get(b'm'), [2]);
        assert_eq!(index.get(b'M'), [5]);
        assert_eq!(index.get(b'd'), [4]);
        // The empty entry has no byte and is in no group.
        assert!((0..=255).all(|b| !index.get(b).contains(&1)));
        let words = WordList::new(vec![
            ("may".into(), 5),
            ("march".into(), 3),
            ("mar".into(), 3),
        ]);
        let m: Vec<&str> = words.starting_with(b'M').map(|(w, _)| w.as_str()).collect();
        assert_eq!(m, ["march", "may", "mar"]);
        assert_eq!(words.starting_with(b'j').count(), 0);
    }
}

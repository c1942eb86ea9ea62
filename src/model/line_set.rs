//! The line patterns (section headings, table headers, page furniture), as two automata:
//! those whose every match starts a line (`^Page \d+ of \d+$`), and the others
//! (`\bAccepted\b.*\bTarget\b.*\bCurrent\b`, `progress with the production of
//! Preliminary`).
//!
//! Both kinds were one lazy DFA, searched over a page's lines at once. Its states are the
//! patterns' partial matches together: a pattern that may start anywhere is begun again at
//! every byte, beside those begun at the line's start, and its `.*` keeps what it saw to the
//! line's end, so the automaton met new combinations on almost every line it read. Filling its
//! states was 18M of a one-report run's 300M instructions (June 2020's digital report,
//! callgrind), more than the rest of the report's lines cost; apart, the two automata fill
//! 11M. (Searching the others only in the lines that hold one of their words, found by an
//! Aho-Corasick scan, saved 0.4M more in the first report and cost 0.7M a report in a run of
//! many, where the automata's states are built already.)

use super::pattern_set::{PatternSet, PatternSetError};
use regex_syntax::hir::{Hir, Look};

/// The line patterns, parted by whether their matches start a line.
#[derive(Debug, Clone)]
pub struct LineSets {
    /// The patterns whose matches start a line, and the index of each in the patterns given.
    at_start: Option<(PatternSet, Vec<usize>)>,
    /// The others, and the index of each.
    anywhere: Option<(PatternSet, Vec<usize>)>,
}

impl LineSets {
    /// The patterns' syntax, parsed multi-line (`^`, `$` at each line's ends).
    pub fn new(hirs: Vec<Hir>) -> Result<LineSets, PatternSetError> {
        let (mut at_start, mut anywhere) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
        for (i, hir) in hirs.into_iter().enumerate() {
            let part = match hir.properties().look_set_prefix().contains(Look::StartLF) {
                true => &mut at_start,
                false => &mut anywhere,
            };
            part.0.push(hir);
            part.1.push(i);
        }
        let set = |(hirs, indices): (Vec<Hir>, Vec<usize>)| -> Result<_, PatternSetError> {
            Ok(match hirs.is_empty() {
                true => None,
                false => Some((PatternSet::from_hirs(&hirs)?, indices)),
            })
        };
        Ok(LineSets {
            at_start: set(at_start)?,
            anywhere: set(anywhere)?,
        })
    }

    /// The lines of `text` (lines joined by `\n`) some pattern matches in, as (start, end)
    /// byte ranges in order, each once (an empty line is none).
    pub fn lines_matched(&self, text: &str) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        for (set, _) in [&self.at_start, &self.anywhere].into_iter().flatten() {
            lines.extend(scan(set, text));
        }
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// The patterns that match anywhere in `line`, in the order given.
    pub fn matches(&self, line: &str) -> Vec<usize> {
        let mut matched: Vec<usize> = [&self.at_start, &self.anywhere]
            .into_iter()
            .flatten()
            .flat_map(|(set, indices)| set.matches(line).into_iter().map(|i| indices[i]))
            .collect();
        matched.sort_unstable();
        matched
    }
}

/// The line (start, end) that byte `at` of `text` is on.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, end)
}

/// The lines `set` matches in, by one scan of `text`: each search from the start of a line
/// finds where the earliest match ends; a line with a match of its own ends no earlier, so the
/// lines passed over have none, and the next search starts after the line where that match
/// ended.
fn scan(set: &PatternSet, text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let Some(end) = set.shortest_match_at(text, from) else {
            break;
        };
        // The match's last character (an empty match: the one at its end) is on this line:
        // the start of it, where a match ends on a character of several bytes (`DCC Public
        // ©`, whose `©` a furniture pattern's `\W*$` took, generated scan 9502: the byte
        // before the end was inside it).
        let mut last = end.saturating_sub(1).max(from);
        while !text.is_char_boundary(last) {
            last -= 1;
        }
        let (start, line_end) = line_around(text, last);
        let start = start.max(from);
        from = line_end + 1;
        if line_end > start {
            lines.push((start, line_end));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pattern_set::parse;

    fn sets(patterns: &[&str]) -> LineSets {
        LineSets::new(patterns.iter().map(|p| parse(p, true).unwrap()).collect()).unwrap()
    }

    fn found<'t>(lines: &LineSets, text: &'t str) -> Vec<&'t str> {
        lines
            .lines_matched(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn parts_the_patterns_by_whether_they_start_a_line_and_answers_as_one_set() {
        let patterns = [
            r"^Page \d+ of \d+$",
            r"(?-u:\b)Page \d+ of \d+$",
            "^(?:a|^b)",
            "held on",
        ];
        let lines = sets(&patterns);
        assert_eq!(lines.at_start.as_ref().unwrap().1, vec![0, 2]);
        assert_eq!(lines.anywhere.as_ref().unwrap().1, vec![1, 3]);
        let whole = PatternSet::new(&patterns, true).unwrap();
        for line in [
            "Page 3 of 12",
            "Report Page 3 of 12",
            "a meeting held on",
            "b",
            "none",
        ] {
            assert_eq!(lines.matches(line), whole.matches(line), "{line:?}");
        }
    }

    #[test]
    fn finds_each_line_either_automaton_matches_once() {
        let lines = sets(&[r"^Page \d+ of \d+$", r"(?-u:\b)Page \d+ of \d+$", "held on"]);
        let text = "intro\nPage 1 of 2\nmet and held on\n\nfoot Page 2 of 2\nPage on page\nend";
        assert_eq!(
            found(&lines, text),
            ["Page 1 of 2", "met and held on", "foot Page 2 of 2"]
        );
        // A line both automata find is found once.
        assert_eq!(found(&lines, "Page 2 of 2"), ["Page 2 of 2"]);
    }
}

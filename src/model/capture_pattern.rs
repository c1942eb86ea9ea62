//! A pattern whose groups are read: the sentence rules' (`report.toml`'s `[[sentence]]`).
//!
//! `regex::Regex` compiles, for each pattern, a forward and a reverse automaton, a one-pass
//! DFA and a backtracker, after parsing the pattern's text whole. A sentence rule's pattern
//! is long (its gaps are most of it: `ocr_tolerant`) and is searched only in the few
//! paragraphs whose wording its phrase rule matched, a few kilobytes a report: the compile
//! was 45M of a one-report run's 346M instructions (callgrind, June 2020's digital report),
//! the searches a fraction of that. Here the syntax already parsed (with the gaps spliced
//! in) is compiled once, to one forward NFA, and searched by a bounded backtracker (or, in
//! a text too long for its memory, by the PikeVM on the same NFA). Both give the matches
//! and groups `regex` gives: leftmost-first, the same iteration past empty matches.

use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::Captures;
use regex_syntax::hir::Hir;

/// A compiled pattern whose groups are read.
#[derive(Debug, Clone)]
pub struct CapturePattern {
    backtracker: BoundedBacktracker,
    pikevm: PikeVM,
}

/// A pattern the engine refused, in its words.
#[derive(Debug)]
pub struct CapturePatternError(pub String);

/// The backtracker's memory for the pairs (NFA state, text offset) it has visited, in
/// bytes: enough for a paragraph of some 10 kB on a sentence rule's NFA of ~3,000 states;
/// a longer text is searched by the PikeVM.
const VISITED_BYTES: usize = 4 << 20;

impl CapturePattern {
    /// The pattern's syntax (as `pattern_set::parse` gives it), compiled.
    pub fn new(hir: &Hir) -> Result<CapturePattern, CapturePatternError> {
        let nfa: NFA = thompson::Compiler::new()
            .build_from_hir(hir)
            .map_err(|e| CapturePatternError(e.to_string()))?;
        CapturePattern::from_nfa(nfa)
    }

    /// The pattern compiled already, to an NFA of one pattern that keeps its groups.
    pub fn from_nfa(nfa: NFA) -> Result<CapturePattern, CapturePatternError> {
        let backtracker = BoundedBacktracker::builder()
            .configure(BoundedBacktracker::config().visited_capacity(VISITED_BYTES))
            .build_from_nfa(nfa.clone())
            .map_err(|e| CapturePatternError(e.to_string()))?;
        let pikevm = PikeVM::builder()
            .build_from_nfa(nfa)
            .map_err(|e| CapturePatternError(e.to_string()))?;
        Ok(CapturePattern {
            backtracker,
            pikevm,
        })
    }

    /// The index of the group named `name`, if the pattern has one.
    pub fn group(&self, name: &str) -> Option<usize> {
        self.backtracker
            .get_nfa()
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, name)
    }

    /// Every match in `text`, left to right, not overlapping, with its groups.
    pub fn captures_all<'t>(&self, text: &'t str) -> Vec<Found<'t>> {
        let found = |caps: Captures| Found { text, caps };
        if text.len() <= self.backtracker.max_haystack_len() {
            let mut cache = backtrack::Cache::new(&self.backtracker);
            self.backtracker
                .try_captures_iter(&mut cache, text)
                .map(|caps| caps.expect("a text within the backtracker's memory cannot fail"))
                .map(found)
                .collect()
        } else {
            let mut cache = pikevm::Cache::new(&self.pikevm);
            self.pikevm
                .captures_iter(&mut cache, text)
                .map(found)
                .collect()
        }
    }

    /// The first match in `text`, with its groups.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Found<'t>> {
        self.captures_all(text).into_iter().next()
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.captures(text).is_some()
    }
}

/// One match and its groups, in the text it was found in.
#[derive(Debug, Clone)]
pub struct Found<'t> {
    text: &'t str,
    caps: Captures,
}

/// Where one group matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Group<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

impl<'t> Found<'t> {
    /// Group `index` (0: the whole match), where it matched.
    pub fn get(&self, index: usize) -> Option<Group<'t>> {
        let span = self.caps.get_group(index)?;
        Some(Group {
            text: self.text,
            start: span.start,
            end: span.end,
        })
    }

    /// The text of the group named `name`, where it matched.
    #[cfg(test)]
    pub fn name(&self, name: &str) -> Option<&'t str> {
        let span = self.caps.get_group_by_name(name)?;
        Some(&self.text[span.range()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pattern_set::parse;

    fn pattern(p: &str) -> CapturePattern {
        CapturePattern::new(&parse(p, false).unwrap()).unwrap()
    }

    /// The matches and groups `regex` gives for the same pattern, case-insensitive.
    fn regex_spans(p: &str, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        let re = regex::RegexBuilder::new(p)
            .case_insensitive(true)
            .build()
            .unwrap();
        re.captures_iter(text)
            .map(|c| c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect())
            .collect()
    }

    fn spans(p: &CapturePattern, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        p.captures_all(text)
            .iter()
            .map(|f| {
                (0..f.caps.group_len())
                    .map(|g| f.get(g).map(|g| (g.start(), g.end())))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn reads_groups_as_regex_does() {
        let cases = [
            (
                r"was raised by (?P<person>[^()]+?) (?:from|of) (?P<org>[^.]+?) on (?P<date>\d+ \w+ \d{4})",
                "DP127 was raised by Gordon Hextall of the SSC on 11 May 2020. MP1 WAS RAISED BY Ann Lee from DCC on 2 June 2020.",
            ),
            (r"(?P<a>x*)", "axxbx"),
            (r"é(?P<b>\S+)?", "café émigré É"),
            (r"(?:^| )(?P<w>[a-z]+?)\b", "one two three"),
        ];
        for (p, text) in cases {
            assert_eq!(
                spans(&pattern(p), text),
                regex_spans(p, text),
                "{p} in {text:?}"
            );
        }
    }

    #[test]
    fn a_text_too_long_for_the_backtracker_is_searched_by_the_pikevm() {
        let p = r"by (?P<person>[^()]+?) \((?P<org>[^()]+)\)";
        let compiled = pattern(p);
        let long = format!(
            "{} raised by Ann Lee (DCC) and by Bo (SSE).",
            "word ".repeat(compiled.backtracker.max_haystack_len() / 5 + 1)
        );
        assert!(long.len() > compiled.backtracker.max_haystack_len());
        assert_eq!(spans(&compiled, &long), regex_spans(p, &long));
        let found = compiled.captures(&long).unwrap();
        assert_eq!(found.name("org"), Some("DCC"));
    }

    #[test]
    fn names_its_groups() {
        let p = pattern(r"(?P<date>\d+) by (?P<person>\w+)");
        assert_eq!(p.group("date"), Some(1));
        assert_eq!(p.group("person"), Some(2));
        assert_eq!(p.group("org"), None);
        assert!(p.is_match("on 5 by Ann"));
        assert!(!p.is_match("nothing here"));
    }
}

//! A pattern whose groups are read: the sentence rules' (`report.toml`'s `[[sentence]]`).
//!
//! `regex::Regex` compiles, for each pattern, a forward and a reverse automaton, a one-pass
//! DFA and a backtracker, after parsing the pattern's text whole. A sentence rule's pattern
//! is long (its gaps are most of it: `ocr_tolerant`) and is searched only in the few
//! paragraphs whose wording its phrase rule matched, a few kilobytes a report: the compile
//! was 45M of a one-report run's 346M instructions (callgrind, June 2020's digital report),
//! the searches a fraction of that. Here the syntax already parsed (with the gaps spliced
//! in) is compiled once, to one forward NFA (for a rule without a trigger, its phrase
//! automaton's), and searched by a bounded backtracker (or, in a text too long for its
//! memory, by the PikeVM on the same NFA); once a pattern has been searched a few times, a
//! lazy DFA on that NFA finds each match's end first. All give the matches and groups
//! `regex` gives: leftmost-first, the same iteration past empty matches.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The lazy DFA's cache, a thread's own while it searches.
type CachePool = Pool<DfaCache, Box<dyn Fn() -> DfaCache + Send + Sync>>;

/// A compiled pattern whose groups are read.
pub struct CapturePattern {
    /// Where each match ends (leftmost-first), found first by a lazy DFA on the same NFA:
    /// the groups are then searched for in the text up to there only. (None for a pattern
    /// the lazy DFA cannot search, one with a Unicode word boundary: the groups are then
    /// searched for in the whole text.)
    ends: Option<(DFA, CachePool)>,
    /// How many times the pattern has been searched.
    searches: AtomicUsize,
    backtracker: BoundedBacktracker,
    pikevm: PikeVM,
}

/// A pattern the engine refused, in its words.
#[derive(Debug)]
pub struct CapturePatternError(pub String);

/// How many times a pattern is searched before its matches' ends are found first by its
/// lazy DFA ([`CapturePattern::from_nfa`]).
const SEARCHES_BEFORE_THE_DFA: usize = 8;

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
    ///
    /// The groups are read by the backtracker. Once the pattern has been searched
    /// [`SEARCHES_BEFORE_THE_DFA`] times (a run of several reports), a match's end is found
    /// first, by a lazy DFA on the same NFA, and the backtracker searches the text up to
    /// there only: alone, it began a match at every byte of a paragraph, the last search
    /// (which finds nothing) included, and reading a report's sentences cost 1.3M
    /// instructions a report in a run of many (the June 2020 text), 0.2M more than with the
    /// DFA. In a run's first reports the DFA's states are all still to be built, which cost
    /// a one-report run 13M instructions more than the backtracker alone. (`regex` also finds
    /// where a match starts, with a reverse automaton: compiling one for each sentence rule
    /// was 30M instructions of a one-report run, for 0.4M a report fewer after.)
    pub fn from_nfa(nfa: NFA) -> Result<CapturePattern, CapturePatternError> {
        let err = |e: &dyn std::fmt::Display| CapturePatternError(e.to_string());
        let backtracker = BoundedBacktracker::builder()
            .configure(BoundedBacktracker::config().visited_capacity(VISITED_BYTES))
            .build_from_nfa(nfa.clone())
            .map_err(|e| err(&e))?;
        let pikevm = PikeVM::builder()
            .build_from_nfa(nfa.clone())
            .map_err(|e| err(&e))?;
        Ok(CapturePattern {
            ends: ends(nfa).map(with_caches),
            searches: AtomicUsize::new(0),
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

    /// Every match in `text`, left to right, not overlapping, with its groups (as `regex`
    /// iterates: an empty match right after a match is passed over).
    pub fn captures_all<'t>(&self, text: &'t str) -> Vec<Found<'t>> {
        let many = self.searches.fetch_add(1, Ordering::Relaxed) >= SEARCHES_BEFORE_THE_DFA;
        let ends = self.ends.as_ref().filter(|_| many);
        let mut dfa_cache = ends.map(|(_, caches)| caches.get());
        let mut backtrack_cache = backtrack::Cache::new(&self.backtracker);
        let mut pikevm_cache = None;
        let mut caps = self.backtracker.create_captures();
        let mut found = Vec::new();
        let mut searcher = Searcher::new(Input::new(text));
        loop {
            let next = searcher.try_advance(|input| {
                let input = match ends {
                    Some((ends, _)) => {
                        let cache = dfa_cache.as_mut().expect("taken with the DFA");
                        let Some(end) = ends.try_search_fwd(cache, input)? else {
                            return Ok(None);
                        };
                        input.clone().range(input.start()..end.offset())
                    }
                    None => input.clone(),
                };
                if input.get_span().len() <= self.backtracker.max_haystack_len() {
                    self.backtracker
                        .try_search(&mut backtrack_cache, &input, &mut caps)?;
                } else {
                    let cache =
                        pikevm_cache.get_or_insert_with(|| pikevm::Cache::new(&self.pikevm));
                    self.pikevm.search(cache, &input, &mut caps);
                }
                Ok(caps.get_match())
            });
            match next.expect(
                "a lazy DFA that never gives up nor quits, and a backtracker within its memory, cannot fail",
            ) {
                Some(_) => found.push(Found {
                    text,
                    caps: caps.clone(),
                }),
                None => break,
            }
        }
        found
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

impl Clone for CapturePattern {
    fn clone(&self) -> Self {
        CapturePattern {
            ends: self.ends.as_ref().map(|(dfa, _)| with_caches(dfa.clone())),
            searches: AtomicUsize::new(self.searches.load(Ordering::Relaxed)),
            backtracker: self.backtracker.clone(),
            pikevm: self.pikevm.clone(),
        }
    }
}

/// The lazy DFA that finds where a leftmost-first match of the NFA's pattern ends; None
/// where it refuses the pattern.
fn ends(nfa: NFA) -> Option<DFA> {
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::LeftmostFirst)
                .minimum_cache_clear_count(None),
        )
        .build_from_nfa(nfa)
        .ok()
}

/// The DFA, and a pool of its caches (one a searching thread).
fn with_caches(dfa: DFA) -> (DFA, CachePool) {
    let for_caches = dfa.clone();
    let create: Box<dyn Fn() -> DfaCache + Send + Sync> =
        Box::new(move || for_caches.create_cache());
    (dfa, Pool::new(create))
}

impl std::fmt::Debug for CapturePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturePattern")
            .field("nfa_states", &self.backtracker.get_nfa().states().len())
            .finish()
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
            // Searched more times than it takes to find the matches' ends first: both ways.
            let compiled = pattern(p);
            for search in 0..=SEARCHES_BEFORE_THE_DFA {
                assert_eq!(
                    spans(&compiled, text),
                    regex_spans(p, text),
                    "{p} in {text:?}, search {search}"
                );
            }
        }
        assert!(pattern(cases[0].0).ends.is_some());
    }

    #[test]
    fn a_match_too_long_for_the_backtracker_is_read_by_the_pikevm() {
        let p = r"by (?P<person>[^()]+?) \((?P<org>[^()]+)\)";
        let compiled = pattern(p);
        let words = "word ".repeat(compiled.backtracker.max_haystack_len() / 5 + 1);
        // A short match at the end of a long text, and a long one.
        for long in [
            format!("{words} raised by Ann Lee (DCC) and by Bo (SSE)."),
            format!("raised by {words}(DCC) and by Bo (SSE)."),
        ] {
            assert!(long.len() > compiled.backtracker.max_haystack_len());
            for _ in 0..=SEARCHES_BEFORE_THE_DFA {
                assert_eq!(spans(&compiled, &long), regex_spans(p, &long));
            }
            let found = compiled.captures(&long).unwrap();
            assert_eq!(found.name("org"), Some("DCC"));
        }
        // Without the lazy DFAs (a Unicode word boundary), the whole text is searched.
        let unicode = r"\bby (?P<person>[^()]+?) \((?P<org>[^()]+)\)";
        let compiled = pattern(unicode);
        assert!(compiled.ends.is_none());
        let long = format!("{words} raised by Ann Lee (DCC).");
        assert_eq!(spans(&compiled, &long), regex_spans(unicode, &long));
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

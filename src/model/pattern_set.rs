//! Many of the vocabulary's patterns searched together, by a forward lazy DFA alone.
//!
//! `regex::RegexSet` builds, besides the forward automaton a set's questions need (does any
//! pattern match? which ones? where does the earliest match end?), a reverse one and the
//! engines that find where a match starts, which a set's questions never ask. The 44
//! OCR-tolerant phrase patterns took 20 ms to compile that way and 10 ms as the forward lazy
//! DFA alone (June 2020's digital report, of a one-report run's 120); the line patterns,
//! which were compiled twice (a set, and one regex to scan many lines at once), are one
//! automaton here.
//!
//! The lazy DFA builds its states as a search first needs them, in a cache each thread
//! takes from a pool. It is built never to give up (a cache that fills is cleared and
//! refilled), and no byte makes it quit (its word boundaries are ASCII: `ocr_tolerant` makes
//! `\b` so), so a search cannot fail.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet as Matched};
use regex_syntax::hir::{Capture, Hir, HirKind, Literal, Repetition};

/// The lazy DFA's cache, a thread's own while it searches.
type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// Patterns searched together, case-insensitively: whether any matches, which, and where
/// the earliest match ends.
pub struct PatternSet {
    dfa: DFA,
    caches: CachePool,
}

/// Why a pattern set was not built: the pattern (or the set) and the engine's words.
#[derive(Debug)]
pub struct PatternSetError(pub String);

impl PatternSet {
    /// The patterns as one automaton; with `multi_line`, `^` and `$` match at each line's
    /// ends.
    #[cfg(test)]
    pub fn new<P: AsRef<str>>(patterns: &[P], multi_line: bool) -> Result<Self, PatternSetError> {
        let hirs = patterns
            .iter()
            .map(|p| parse(p.as_ref(), multi_line))
            .collect::<Result<Vec<_>, _>>()?;
        PatternSet::from_hirs(&hirs)
    }

    /// The set of patterns already parsed (as [`parse`] does): a caller that reads their
    /// syntax too parses each once.
    pub fn from_hirs(hirs: &[Hir]) -> Result<Self, PatternSetError> {
        Self::compiled(hirs, WhichCaptures::None)
    }

    /// [`PatternSet::from_hirs`], its automaton keeping the patterns' groups: its
    /// [`PatternSet::nfa`] is then what reads them ([`super::capture_pattern`]), and is not
    /// compiled twice.
    pub fn keeping_groups(hirs: &[Hir]) -> Result<Self, PatternSetError> {
        Self::compiled(hirs, WhichCaptures::All)
    }

    fn compiled(hirs: &[Hir], groups: WhichCaptures) -> Result<Self, PatternSetError> {
        let nfa: NFA = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(groups))
            .build_many_from_hir(hirs)
            .map_err(|e| PatternSetError(e.to_string()))?;
        let dfa = DFA::builder()
            .configure(dfa_config())
            .build_from_nfa(nfa)
            .map_err(|e| PatternSetError(e.to_string()))?;
        Ok(PatternSet::from_dfa(dfa))
    }

    fn from_dfa(dfa: DFA) -> Self {
        let for_caches = dfa.clone();
        let create: Box<dyn Fn() -> Cache + Send + Sync> =
            Box::new(move || for_caches.create_cache());
        PatternSet {
            dfa,
            caches: Pool::new(create),
        }
    }

    /// The set's NFA (shared, not copied).
    pub fn nfa(&self) -> NFA {
        self.dfa.get_nfa().clone()
    }

    /// How many patterns the set holds.
    pub fn len(&self) -> usize {
        self.dfa.pattern_len()
    }

    /// Whether any pattern matches anywhere in `text` (the search stops at the first).
    pub fn is_match(&self, text: &str) -> bool {
        self.shortest_match_at(text, 0).is_some()
    }

    /// Where the earliest match found from `from` on ends: the first offset at which some
    /// pattern has matched (on a character boundary).
    pub fn shortest_match_at(&self, text: &str, from: usize) -> Option<usize> {
        let input = Input::new(text).range(from..).earliest(true);
        let mut cache = self.caches.get();
        let end = self
            .dfa
            .try_search_fwd(&mut cache, &input)
            .expect("a lazy DFA that never gives up and never quits cannot fail")?
            .offset();
        // Only a pattern that matches the empty string can end inside a character (the
        // unanchored search steps byte by byte); its match at the next boundary is as early
        // for a caller that asks which line it is on.
        (end..=text.len()).find(|&i| text.is_char_boundary(i))
    }

    /// The patterns that match anywhere in `text`, in the set's order.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut matched = Matched::new(self.len());
        let mut cache = self.caches.get();
        self.dfa
            .try_which_overlapping_matches(&mut cache, &Input::new(text), &mut matched)
            .expect("a lazy DFA that never gives up and never quits cannot fail");
        matched.iter().map(|p| p.as_usize()).collect()
    }
}

/// A pattern's syntax as a set reads it: case-insensitive; with `multi_line`, `^` and `$`
/// at each line's ends.
pub fn parse(pattern: &str, multi_line: bool) -> Result<Hir, PatternSetError> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .multi_line(multi_line)
        .build()
        .parse(pattern)
        .map_err(|e| PatternSetError(e.to_string()))
}

/// `hir` with every `placeholder` character of its literals replaced by `piece`, and how
/// many it replaced: a pattern whose many repeats of one long piece are parsed once. A
/// placeholder the syntax did not keep as a literal (an alternation of single characters is
/// made a class: `a|\u{E000}`) is not replaced, which the count shows its caller.
pub fn splice(hir: Hir, placeholder: char, piece: &Hir) -> (Hir, usize) {
    let mut marker = [0; 4];
    let marker = placeholder.encode_utf8(&mut marker).as_bytes();
    let mut replaced = 0;
    let hir = splice_bytes(hir, marker, piece, &mut replaced);
    (hir, replaced)
}

fn splice_bytes(hir: Hir, marker: &[u8], piece: &Hir, replaced: &mut usize) -> Hir {
    let mut again = |h: Hir| splice_bytes(h, marker, piece, replaced);
    match hir.into_kind() {
        HirKind::Literal(Literal(bytes)) => {
            let mut parts = Vec::new();
            let mut rest = &bytes[..];
            while let Some(at) = rest.windows(marker.len()).position(|w| w == marker) {
                if at > 0 {
                    parts.push(Hir::literal(&rest[..at]));
                }
                parts.push(piece.clone());
                *replaced += 1;
                rest = &rest[at + marker.len()..];
            }
            if !rest.is_empty() {
                parts.push(Hir::literal(rest));
            }
            Hir::concat(parts)
        }
        HirKind::Class(class) => Hir::class(class),
        HirKind::Empty => Hir::empty(),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(again(*r.sub)),
            ..r
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(again(*c.sub)),
            ..c
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(again).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.into_iter().map(again).collect())
        }
    }
}

fn dfa_config() -> regex_automata::hybrid::dfa::Config {
    DFA::config()
        .match_kind(MatchKind::All)
        // The same room as `regex`'s own lazy DFA, which never filled on a report.
        .cache_capacity(4 << 20)
        .minimum_cache_clear_count(None)
}

impl Clone for PatternSet {
    fn clone(&self) -> Self {
        PatternSet::from_dfa(self.dfa.clone())
    }
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("patterns", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_which_patterns_match_in_the_sets_order() {
        let set =
            PatternSet::new(&["working group", r"(?-u:\b)voted(?-u:\b)", "never"], false).unwrap();
        assert!(set.is_match("The Change Board VOTED on MP090."));
        assert!(!set.is_match("The Change Board devoted a meeting."));
        let text = "The Working Group met; the Change Board voted.";
        assert_eq!(set.matches(text), [0, 1]);
        assert_eq!(set.matches("nothing here").len(), 0);
    }

    #[test]
    fn finds_where_the_earliest_match_ends_from_an_offset() {
        let set = PatternSet::new(&["^Appendix A$", "^Page [0-9]+$"], true).unwrap();
        let text = "Prose line\nPage 12\nAppendix A\n";
        let end = set.shortest_match_at(text, 0).unwrap();
        assert_eq!(&text[..end], "Prose line\nPage 12");
        // From the next line on, `^` holds at the offset (a line's start).
        let next = text.find("Appendix").unwrap();
        assert_eq!(
            set.shortest_match_at(text, next),
            Some(next + "Appendix A".len())
        );
        assert_eq!(set.shortest_match_at(text, text.len()), None);
    }

    #[test]
    fn a_spliced_piece_is_the_syntax_of_the_whole_pattern() {
        let piece = parse("(?:[ .:]{1,4})", false).unwrap();
        for (marked, whole) in [
            (
                "was\u{E000}raised\u{E000}by",
                "was(?:[ .:]{1,4})raised(?:[ .:]{1,4})by",
            ),
            ("Target\u{E000}?PA", "Target(?:[ .:]{1,4})?PA"),
            (
                "^5\u{E000}\\.\u{E000}x$",
                "^5(?:[ .:]{1,4})\\.(?:[ .:]{1,4})x$",
            ),
            (
                "(?P<org>DCC\u{E000}Ltd)|no",
                "(?P<org>DCC(?:[ .:]{1,4})Ltd)|no",
            ),
            ("(?:a|\u{E000})", "(?:a|(?:[ .:]{1,4}))"),
        ] {
            let (spliced, replaced) = splice(parse(marked, false).unwrap(), '\u{E000}', &piece);
            assert_eq!(replaced, marked.matches('\u{E000}').count(), "{marked}");
            assert_eq!(spliced, parse(whole, false).unwrap(), "{marked}");
        }
        // A placeholder in a class is not replaced, and the count says so; a class that
        // holds it among others (`.`) is left as it is.
        let class = splice(parse("[a\u{E000}]", false).unwrap(), '\u{E000}', &piece);
        assert_eq!(class.1, 0);
        let (dot, replaced) = splice(parse("a.*\u{E000}b", false).unwrap(), '\u{E000}', &piece);
        assert_eq!(
            (dot, replaced),
            (parse("a.*(?:[ .:]{1,4})b", false).unwrap(), 1)
        );
    }

    #[test]
    fn an_empty_match_inside_a_character_ends_at_its_boundary() {
        let set = PatternSet::new(&["x*"], false).unwrap();
        let text = "£5";
        for from in [0, 2] {
            let end = set.shortest_match_at(text, from).unwrap();
            assert!(text.is_char_boundary(end), "{end}");
        }
    }

    #[test]
    fn a_unicode_word_boundary_is_refused_when_built() {
        let err = PatternSet::new(&[r"\bword\b"], false).unwrap_err();
        assert!(err.0.contains("Unicode word boundar"), "{}", err.0);
    }

    #[test]
    fn clones_search_alike_from_their_own_caches() {
        let set = PatternSet::new(&["raised by"], false).unwrap();
        let copy = set.clone();
        assert!(set.is_match("was raised by Ann") && copy.is_match("was raised by Ann"));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let s = set.clone();
                std::thread::spawn(move || s.matches("was raised by").len())
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), 1);
        }
    }
}

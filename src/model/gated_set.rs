//! Patterns each searched alone, and only in a text that holds a word every match of the
//! pattern holds (its gate).
//!
//! The phrase rules (lead-ins and sentences, 44 OCR-tolerant patterns) were one lazy DFA.
//! Searching a report's 15 kB of paragraphs filled 2.2 MB of its states (measured with a
//! cache large enough never to be cleared; its 2 MB cache was cleared and filled again): the
//! patterns' loops (`by (?P<person>[^()]+?) (?:from|of)`) run side by side in every
//! state, so that each paragraph met combinations no other had. That search and the set's
//! compile were a third of a one-report run (June 2020's digital report: 77M and 70M
//! instructions of 416M). Most paragraphs hold the words of no rule. Here one Aho-Corasick
//! scan for the rules' words says which rules a paragraph may match, and only those are
//! searched, each by its own small lazy DFA, built when a report first needs it from the
//! syntax parsed once: the phrase rules then cost 84M instructions, not 147M.
//!
//! A gate is taken from the pattern's syntax: a word of three ASCII bytes or more (letters,
//! digits, stops) in the sequence every match goes through (of an alternation, one from each
//! branch). It is matched ASCII case-insensitively, as the patterns are. A pattern without
//! one is searched in every text. The answers are the set's own: a gate only skips a search
//! that could not match.

#[cfg(test)]
use super::pattern_set::parse;
use super::pattern_set::{PatternSet, PatternSetError};
use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};
use std::sync::OnceLock;

/// Patterns (case-insensitive, already OCR-tolerant) asked which of them match a text.
#[derive(Debug, Clone)]
pub struct GatedSet {
    patterns: Vec<Gated>,
    /// Every pattern's gate words, in one automaton.
    gates: Option<AhoCorasick>,
    /// The pattern whose gate each of `gates`' words is.
    gate_owner: Vec<usize>,
    /// The patterns without a gate: searched in every text.
    ungated: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Gated {
    source: String,
    /// The pattern's syntax, parsed once for its gate and its automaton (a parse was half of
    /// an automaton's build: OCR-tolerant patterns are long).
    hir: Hir,
    compiled: OnceLock<PatternSet>,
}

impl Gated {
    fn automaton(&self) -> &PatternSet {
        self.compiled.get_or_init(|| {
            self.build()
                .expect("patterns are checked when a grammar is loaded")
        })
    }

    fn build(&self) -> Result<PatternSet, PatternSetError> {
        // Its groups kept: a sentence rule's pattern is its own phrase pattern, and reads its
        // groups from this automaton's NFA ([`GatedSet::nfa`]).
        PatternSet::keeping_groups(std::slice::from_ref(&self.hir))
            .map_err(|e| PatternSetError(format!("pattern {:?}: {}", self.source, e.0)))
    }
}

/// Case-insensitive matching equates these with `s` and `k` (the long s and the Kelvin
/// sign); a text that holds one is searched by every pattern, gate or not.
const UNICODE_CASE_OF_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

impl GatedSet {
    /// The patterns, each gated by the words its syntax (`syntax` of the pattern: case
    /// insensitive, as `pattern_set::parse` gives it) says every match holds. A pattern that does not
    /// parse is an error naming it; one the lazy DFA refuses is found by [`GatedSet::check`].
    pub fn new(
        patterns: &[String],
        syntax: impl Fn(&str) -> Result<Hir, PatternSetError>,
    ) -> Result<GatedSet, PatternSetError> {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut gate_owner = Vec::new();
        let mut ungated = Vec::new();
        let mut gated = Vec::with_capacity(patterns.len());
        for (i, pattern) in patterns.iter().enumerate() {
            let hir = syntax(pattern)
                .map_err(|e| PatternSetError(format!("pattern {pattern:?}: {}", e.0)))?;
            match gate(&hir) {
                Some(gate) => {
                    gate_owner.extend(gate.iter().map(|_| i));
                    words.extend(gate);
                }
                None => ungated.push(i),
            }
            gated.push(Gated {
                source: pattern.clone(),
                hir,
                compiled: OnceLock::new(),
            });
        }
        let gates = match words.is_empty() {
            true => None,
            false => Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&words)
                    .map_err(|e| PatternSetError(format!("gate words: {e}")))?,
            ),
        };
        Ok(GatedSet {
            patterns: gated,
            gates,
            gate_owner,
            ungated,
        })
    }

    /// Compiles every pattern now: an error names the pattern the engine refuses.
    pub fn check(&self) -> Result<(), PatternSetError> {
        for p in &self.patterns {
            if p.compiled.get().is_none() {
                let _ = p.compiled.set(p.build()?);
            }
        }
        Ok(())
    }

    /// Pattern `i`'s NFA, its groups kept (its automaton built if it was not).
    pub fn nfa(&self, i: usize) -> regex_automata::nfa::thompson::NFA {
        self.patterns[i].automaton().nfa()
    }

    /// Every pattern in one automaton, ungated: what [`GatedSet::matches`] must answer.
    #[cfg(test)]
    pub fn ungated(&self) -> PatternSet {
        let hirs: Vec<Hir> = self.patterns.iter().map(|p| p.hir.clone()).collect();
        PatternSet::from_hirs(&hirs).unwrap()
    }

    /// The patterns that match anywhere in `text`, in the set's order.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut candidate = vec![false; self.patterns.len()];
        if text.contains(UNICODE_CASE_OF_ASCII) {
            candidate.fill(true);
        } else {
            for &i in &self.ungated {
                candidate[i] = true;
            }
            if let Some(gates) = &self.gates {
                for m in gates.find_overlapping_iter(text) {
                    candidate[self.gate_owner[m.pattern().as_usize()]] = true;
                }
            }
        }
        (0..self.patterns.len())
            .filter(|&i| candidate[i] && self.patterns[i].automaton().is_match(text))
            .collect()
    }
}

/// Words one of which every match of `hir` holds (each ASCII, three bytes or more, lower
/// case where a letter's two cases are), if the syntax shows such: the most selective of a
/// sequence's parts (the one whose shortest word is longest), one from each branch of an
/// alternation. The syntax is case-insensitive: a letter is a class of its two cases.
fn gate(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let most_selective = |gates: Vec<Vec<Vec<u8>>>| {
        gates
            .into_iter()
            .max_by_key(|words| words.iter().map(Vec::len).min())
    };
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => {
            let word = ascii_of(hir)?;
            (word.len() >= 3).then(|| vec![word])
        }
        HirKind::Capture(capture) => gate(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => gate(&repetition.sub),
        HirKind::Concat(parts) => {
            // Runs of parts that each stand for ASCII bytes are words; any other part may hold
            // a gate of its own.
            let mut gates = Vec::new();
            let mut word = Vec::new();
            for part in parts {
                match ascii_of(part) {
                    Some(bytes) => word.extend(bytes),
                    None => {
                        gates.extend(gate(part));
                        if word.len() >= 3 {
                            gates.push(vec![std::mem::take(&mut word)]);
                        }
                        word.clear();
                    }
                }
            }
            if word.len() >= 3 {
                gates.push(vec![word]);
            }
            most_selective(gates)
        }
        HirKind::Alternation(branches) => {
            let mut words = Vec::new();
            for branch in branches {
                words.extend(gate(branch)?);
            }
            Some(words)
        }
        _ => None,
    }
}

/// The ASCII bytes a literal or a one-letter class stands for, if it does.
fn ascii_of(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(literal) => literal.0.is_ascii().then(|| literal.0.to_vec()),
        HirKind::Class(Class::Unicode(class)) => letter_of(class).map(|b| vec![b]),
        _ => None,
    }
}

/// The letter (lower case) whose two cases a class is, with the long s or the Kelvin sign
/// that case folding adds to `s` and `k` (the text check of [`GatedSet::matches`] covers
/// them).
fn letter_of(class: &ClassUnicode) -> Option<u8> {
    if class.ranges().len() > 3 || class.ranges().iter().any(|r| r.start() != r.end()) {
        return None;
    }
    let mut chars = class
        .ranges()
        .iter()
        .map(|r| r.start())
        .filter(|c| !UNICODE_CASE_OF_ASCII.contains(c));
    match (chars.next(), chars.next(), chars.next()) {
        (Some(upper), Some(lower), None)
            if upper.is_ascii_uppercase() && lower == upper.to_ascii_lowercase() =>
        {
            Some(lower as u8)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocabulary::ocr_tolerant;

    fn gate_of(pattern: &str) -> Option<Vec<String>> {
        gate(&parse(pattern, false).unwrap()).map(|g| {
            g.into_iter()
                .map(|w| String::from_utf8(w).unwrap())
                .collect()
        })
    }

    #[test]
    fn a_gate_is_a_word_every_match_goes_through() {
        let working = ocr_tolerant("Working Group meeting (was|were) held on");
        assert_eq!(gate_of(&working).unwrap(), ["meeting"]);
        // One word from each branch, or none when a branch has none.
        let was = ocr_tolerant("(?:it|this modification) was");
        assert_eq!(gate_of(&was).unwrap(), ["was"]);
        // A space the pattern prints as such (not made a gap) is a word's byte.
        assert_eq!(gate_of(r"(?:it|this)\ was").unwrap(), [" was"]);
        assert_eq!(
            gate_of("(?:approved|rejected) under").unwrap(),
            ["approved", "rejected"]
        );
        assert_eq!(gate_of(&ocr_tolerant("(?:raised|r[a-z]{4,5}) by")), None);
        // An optional part holds no gate; a repeated one does.
        assert_eq!(gate_of("(?:Authority )?x"), None);
        assert_eq!(gate_of("(?:Board)+"), Some(vec!["board".to_string()]));
        // Digits and stops are words' bytes too; a class of more than a letter's cases is not.
        assert_eq!(gate_of(r"No\. 12[ab]x").unwrap(), ["no. 12"]);
        assert_eq!(gate_of("[ab]cd"), None);
        // `s` and `k` fold to three characters each.
        assert_eq!(gate_of("Kiosks").unwrap(), ["kiosks"]);
        // A non-ASCII letter ends a word (its cases are not ASCII's).
        assert_eq!(gate_of("Société").unwrap(), ["soci"]);
        assert_eq!(gate_of("Ééé"), None);
    }

    #[test]
    fn answers_as_the_whole_set_does() {
        let patterns: Vec<String> = [
            "Working Group meeting (was|were) held on",
            "Change Board voted",
            "was (?:raised|r[a-z1l]{4,5}) by",
            "currently with the Authority",
        ]
        .iter()
        .map(|p| ocr_tolerant(p))
        .collect();
        let gated = GatedSet::new(&patterns, |p| parse(p, false)).unwrap();
        let whole = PatternSet::new(&patterns, false).unwrap();
        for text in [
            "The Working Group meeting was held on 5 May 2020.",
            "THE CHANGE BOARD VOTED on one modification.on 4 March 2019:",
            "MP090 was raised by Ann Example (DCC). It is currently with the Authority.",
            "MP091 was ralsey by Ann Example. The Change. Board voted",
            "Nothing here is a phrase of the report.",
            "The Change Board voted on a waſ of things, currently with the Authority",
        ] {
            assert_eq!(gated.matches(text), whole.matches(text), "{text}");
        }
        assert!(gated.check().is_ok());
    }

    #[test]
    fn a_pattern_the_engine_refuses_is_named_by_check() {
        let patterns = ["fine".to_string(), r"\bword\b".to_string()];
        let gated = GatedSet::new(&patterns, |p| parse(p, false)).unwrap();
        let err = gated.check().unwrap_err();
        assert!(
            err.0.contains("word") && err.0.contains("Unicode word"),
            "{}",
            err.0
        );
        let err = GatedSet::new(&["(unclosed".to_string()], |p| parse(p, false)).unwrap_err();
        assert!(err.0.contains("(unclosed"), "{}", err.0);
    }
}

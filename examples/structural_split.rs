//! The structural line patterns of `grammars/report.toml` found in the June 2020 text three
//! ways, timed (µs a report): as `content_lines` finds them now (one `(?m)` regex over the
//! whole text, each search going on after the line it stops in); the patterns anchored at a
//! line's start only, driven by hand through a lazy DFA from each line's start; and the other
//! (unanchored) patterns only, in one scan. benches/NOTES.md quotes it: the
//! anchored half is cheap by hand, the unanchored half costs nearly the whole scan.
//!
//! cargo run --release --no-default-features --example structural_split -- 2000

use regex::RegexBuilder;
use regex_automata::{hybrid::dfa::DFA, util::syntax, Anchored, Input};
use secreg::grammar::text::plain_quotes_and_dashes;
use secreg::model::vocabulary::ocr_tolerant;
use std::time::Instant;

const REPORT: &str = include_str!("../fixtures/reports/csr-2020-06-ocr.txt");
const VOCABULARY: &str = include_str!("../grammars/report.toml");

/// Every line pattern of the vocabulary: sections, table headers, DCC tables, furniture.
fn line_patterns() -> Vec<String> {
    let file: toml::Value = toml::from_str(VOCABULARY).expect("report.toml parses");
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let tables = |name: &str| -> Vec<String> {
        file.get(name)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .flat_map(|t| strings(t.get("patterns")))
            .collect()
    };
    let mut out = tables("section");
    out.extend(strings(file["assessments"].get("open_header")));
    out.extend(strings(file["assessments"].get("returned_header")));
    out.extend(tables("dcc_table"));
    out.extend(strings(file["furniture"].get("patterns")));
    out
}

fn alternation(patterns: &[&str]) -> String {
    let branches: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    format!("(?m){}", branches.join("|"))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(2000, |a| a.parse().expect("a count"));
    let patterns = line_patterns();
    let (anchored, free): (Vec<&str>, Vec<&str>) = patterns
        .iter()
        .map(String::as_str)
        .partition(|p| p.starts_with('^'));
    let all: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let regex = |p: &str| {
        RegexBuilder::new(&ocr_tolerant(p))
            .case_insensitive(true)
            .build()
            .expect("the patterns compile")
    };
    let one_scan = regex(&alternation(&all));
    let free_scan = regex(&alternation(&free));
    let starts: Vec<&str> = anchored.iter().map(|p| &p[1..]).collect();
    let dfa = DFA::builder()
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .multi_line(true),
        )
        .build(&ocr_tolerant(&alternation(&starts)))
        .expect("the anchored patterns compile");
    let mut cache = dfa.create_cache();
    // The plain lines joined by line ends, as `content_lines` searches them.
    let text: String = REPORT
        .lines()
        .map(|l| {
            plain_quotes_and_dashes(&l.split_whitespace().collect::<Vec<_>>().join(" "))
                .into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = text.as_bytes();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let scan = |re: &regex::Regex| {
        let (mut from, mut lines) = (0, 0);
        while let Some(end) = re.shortest_match_at(&text, from) {
            let last = end.saturating_sub(1).max(from);
            from = text[last..].find('\n').map_or(text.len(), |i| last + i) + 1;
            lines += 1;
            if from >= text.len() {
                break;
            }
        }
        lines
    };
    let by_hand = |cache: &mut regex_automata::hybrid::dfa::Cache| {
        let input = Input::new(&text).anchored(Anchored::Yes);
        let start = dfa
            .start_state_forward(cache, &input)
            .expect("a start state");
        let mut lines = 0;
        for &s in &line_starts {
            // Byte by byte until a match, a dead state or the line's end (its `\n` seen, so
            // that `$` can match); the last line ends at the end of the text.
            let (mut sid, mut at_text_end) = (start, true);
            for &b in &bytes[s..] {
                sid = dfa.next_state(cache, sid, b).expect("no quit bytes");
                if sid.is_match() || sid.is_dead() || b == b'\n' {
                    at_text_end = false;
                    break;
                }
            }
            if at_text_end {
                sid = dfa.next_eoi_state(cache, sid).expect("no quit bytes");
            }
            lines += usize::from(sid.is_match());
        }
        lines
    };
    type Way<'a> = (&'a str, Box<dyn FnMut() -> usize + 'a>);
    let ways: Vec<Way> = vec![
        ("one scan, as now", Box::new(|| scan(&one_scan))),
        (
            "anchored, by hand from each line start",
            Box::new(move || by_hand(&mut cache)),
        ),
        ("unanchored only, one scan", Box::new(|| scan(&free_scan))),
    ];
    println!(
        "{} patterns: {} anchored at a line's start, {} not; {} lines",
        all.len(),
        anchored.len(),
        free.len(),
        line_starts.len()
    );
    for (name, mut way) in ways {
        let found = way();
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(way());
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!("{name}: {found} lines, {us:.1} µs a report");
    }
}

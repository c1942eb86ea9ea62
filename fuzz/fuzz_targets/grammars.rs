//! Any text through every grammar: no panic, no hang, and what is found lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secreg::grammar::dates::{find_dates, parse_date};
use secreg::grammar::durations::{find_durations, parse_duration};
use secreg::grammar::ids::{find_mod_ids, parse_bare_mod_id, parse_mod_id};
use secreg::grammar::statuses::find_status;
use secreg::grammar::{Date, Grammar, IdFinding};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let g = Grammar::builtin();
    for line in text.lines() {
        for f in find_mod_ids(&g.ids, line) {
            if let IdFinding::Found(m) = f {
                assert_eq!(&line[m.span.clone()], m.raw);
            }
        }
        for d in find_dates(&g.dates, line, Date::new(2020, 6, 12)).into_iter().flatten() {
            assert!(line.get(d.span.clone()).is_some());
        }
        let _ = find_durations(&g.durations, line);
        let _ = find_status(&g.statuses, line);
        let _ = parse_mod_id(&g.ids, line);
        let _ = parse_bare_mod_id(&g.ids, line);
        let _ = parse_date(&g.dates, line, None);
        let _ = parse_duration(&g.durations, line);
    }
});

//! One row per fact within a report: the Summary restates what Define and Opine say in full.

use super::records::Event;

/// How much an event says: a statement with a date and a release beats a bare list entry.
fn specificity(e: &Event) -> u32 {
    (e.date.is_some() as u32) * 8
        + (!e.date_inferred as u32) * 4
        + (e.release_name.is_some() as u32) * 2
        + (e.proposer.is_some() as u32)
        + (e.title.is_some() as u32)
}

/// Two statements are one fact when they name the same modification and event, and their
/// dates do not disagree (one may be missing).
fn same_fact(a: &Event, b: &Event) -> bool {
    a.modification.id == b.modification.id
        && a.event == b.event
        && match (a.date, b.date) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
}

/// Collapses restated facts to the most specific statement, keeping first-seen order. A
/// missing title or release is filled from the statement that was dropped.
pub fn merge_restated(events: Vec<Event>) -> Vec<Event> {
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        match kept.iter_mut().find(|k| same_fact(k, &e)) {
            Some(k) => {
                let (title, release) = (
                    k.title.clone().or(e.title.clone()),
                    k.release_name.clone().or(e.release_name.clone()),
                );
                if specificity(&e) > specificity(k) {
                    *k = e;
                }
                k.title = k.title.clone().or(title);
                k.release_name = k.release_name.clone().or(release);
            }
            None => kept.push(e),
        }
    }
    kept
}

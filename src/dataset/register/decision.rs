//! The register's decision on a modification: the latest of its decisions, and how a conflict
//! between reports is settled for the register.

use super::effective;
use crate::dataset::history::HistoryRow;
use crate::grammar::Date;
use crate::model::EventKind;
use crate::named::named_enum;

named_enum! {
    /// A decision on a modification (the `decision` column).
    pub enum Decision {
        Approved = "approved",
        Rejected = "rejected",
        SentBack = "sent back",
    }
}

named_enum! {
    /// Who decided (the `decision_body` column).
    pub enum DecisionBody {
        ChangeBoard = "Change Board",
        Authority = "Authority",
    }
}

/// The decision a fact states, if it is one.
pub(crate) fn decision_of(e: EventKind) -> Option<(Decision, DecisionBody)> {
    Some(match e {
        EventKind::ChangeBoardApproved => (Decision::Approved, DecisionBody::ChangeBoard),
        EventKind::ChangeBoardRejected => (Decision::Rejected, DecisionBody::ChangeBoard),
        EventKind::AuthorityApproved => (Decision::Approved, DecisionBody::Authority),
        EventKind::AuthorityRejected => (Decision::Rejected, DecisionBody::Authority),
        EventKind::AuthoritySentBack => (Decision::SentBack, DecisionBody::Authority),
        _ => return None,
    })
}

/// The latest decision among the facts: when it took effect, what, and who decided. Of two
/// on one date, the later in the order (approved, rejected, sent back), then the Change
/// Board's over the Authority's.
pub(super) fn latest(facts: &[&HistoryRow]) -> Option<(Option<Date>, Decision, DecisionBody)> {
    facts
        .iter()
        .filter_map(|f| {
            let (decision, body) = decision_of(f.event)?;
            Some((effective(f), decision, body))
        })
        .max_by_key(|&(date, decision, body)| (date, decision, body == DecisionBody::ChangeBoard))
}

/// A modification's facts with each conflict settled for the register: of the facts that
/// disagree about a once-only event, the one the most reports state (the earliest stated on
/// a tie). The history keeps them all.
pub(super) fn settled(facts: Vec<&HistoryRow>) -> Vec<&HistoryRow> {
    let mut kept: Vec<&HistoryRow> = Vec::with_capacity(facts.len());
    for f in facts {
        if !f.conflict {
            kept.push(f);
            continue;
        }
        match kept
            .iter()
            .position(|k| k.conflict && k.event == f.event && k.mod_id == f.mod_id)
        {
            Some(i) => {
                let k = kept[i];
                if (f.times_reported, std::cmp::Reverse(f.first_reported))
                    > (k.times_reported, std::cmp::Reverse(k.first_reported))
                {
                    kept[i] = f;
                }
            }
            None => kept.push(f),
        }
    }
    kept
}

//! The register's stage of a modification, and its stage history: the intervals its facts (or
//! the DCC's status) put it in, oldest first; the register's stage is the last interval's.

use super::effective;
use crate::dataset::history::HistoryRow;
use crate::grammar::{Date, DccStatus};
use crate::model::EventKind;
use crate::named::named_enum;

named_enum! {
    /// A modification's stage in the register (the `stage` column), in the schema's order.
    pub enum Stage {
        DraftProposal = "Draft Proposal",
        RefinementProcess = "Refinement Process",
        ReportPhase = "Report Phase",
        AwaitingDecision = "Awaiting decision",
        Approved = "Approved",
        Rejected = "Rejected",
        SentBack = "Sent back",
        Withdrawn = "Withdrawn",
        PendingImplementation = "Pending implementation",
        Implemented = "Implemented",
    }
}

named_enum! {
    /// Where a register row's stage came from (the `stage_source` column).
    pub enum StageSource {
        Fact = "fact",
        DccStatus = "dcc_status",
    }
}

impl Stage {
    /// The stage's place in the lifecycle: of two facts of one date, the later stage wins.
    fn lifecycle(self) -> u8 {
        match self {
            Stage::DraftProposal => 1,
            Stage::RefinementProcess => 2,
            Stage::ReportPhase => 3,
            Stage::AwaitingDecision => 4,
            Stage::SentBack => 5,
            Stage::Approved => 6,
            Stage::Rejected => 7,
            Stage::PendingImplementation => 8,
            Stage::Implemented => 9,
            Stage::Withdrawn => 10,
        }
    }
}

/// The stage a fact puts a modification in.
pub(crate) fn stage_of(e: EventKind) -> Stage {
    use EventKind::*;
    match e {
        Raised | CscReadyForConversion => Stage::DraftProposal,
        RecommendedToRefinement | WorkingGroup | RefinementConsultationExpected => {
            Stage::RefinementProcess
        }
        RecommendedToReportPhase | ReportConsultationExpected => Stage::ReportPhase,
        ChangeBoardRecommendedApproval | WithAuthority | UrgentStatusApproved => {
            Stage::AwaitingDecision
        }
        AuthoritySentBack => Stage::SentBack,
        ChangeBoardApproved | AuthorityApproved => Stage::Approved,
        ChangeBoardRejected | AuthorityRejected => Stage::Rejected,
        ScheduledForRelease => Stage::PendingImplementation,
        Implemented => Stage::Implemented,
        Withdrawn => Stage::Withdrawn,
    }
}

named_enum! {
    /// Whether a stage interval's `from_date` is the opening fact's own date or the date of
    /// the report that states it (the `stages.date_basis` column).
    pub enum DateBasis {
        Fact = "fact",
        Report = "report",
    }
}

/// What the DCC's Appendix A tables say of a modification, for its stage: its status in the
/// latest report that gives one, since when (the earliest report date that gives that status)
/// and where (report and `file:page:line` of that earliest row).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DccEvidence<'a> {
    pub status: DccStatus,
    pub since: Option<Date>,
    pub report_id: &'a str,
    pub source: &'a str,
}

/// What opened a stage interval.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Opening<'a> {
    /// A fact of the history.
    Fact(&'a HistoryRow),
    /// The DCC's status.
    Dcc(DccEvidence<'a>),
}

impl Opening<'_> {
    pub fn source(&self) -> StageSource {
        match self {
            Opening::Fact(_) => StageSource::Fact,
            Opening::Dcc(_) => StageSource::DccStatus,
        }
    }
}

/// One interval of a modification's stage: the stage, from when (and whether that date is the
/// fact's or its report's), and what opened it. It lasts until the next interval's
/// `from`; the last is current.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Interval<'a> {
    pub stage: Stage,
    pub from: Option<Date>,
    pub basis: Option<DateBasis>,
    pub opened: Opening<'a>,
}

/// The date a fact opens its stage from, and its basis: a dated fact's own date; "with the
/// Authority" as of the first report saying so; a release plan as of the earlier of its
/// release date and its first report; other undated facts none. (The order of the facts is
/// the register's, [`effective`]: these dates only say when each interval began.)
fn opened_on(f: &HistoryRow) -> (Option<Date>, Option<DateBasis>) {
    let own = f.event_date.map(|d| (d, DateBasis::Fact));
    let report = f.first_reported.map(|d| (d, DateBasis::Report));
    let pick = match f.event {
        EventKind::WithAuthority => report,
        EventKind::ScheduledForRelease => match (own, report) {
            (Some(o), Some(r)) => Some(if r.0 < o.0 { r } else { o }),
            (o, r) => o.or(r),
        },
        _ => own,
    };
    (pick.map(|p| p.0), pick.map(|p| p.1))
}

/// A modification's stage intervals, oldest first: its facts in the register's order (by when
/// they took effect, [`effective`] as of `as_of`; of one date, the later stage of the
/// lifecycle), a new interval wherever the stage changes; then, when the DCC's latest status
/// says it was withdrawn, a Withdrawn interval from the DCC's first report saying so; with no
/// facts, the one interval the DCC's status tells: an assessment in progress, awaiting its IA
/// request or on hold is in the Refinement Process (the public register shows SECMP0032, on
/// hold, there); pending implementation, implemented, withdrawn and rejected are those stages.
/// "No outstanding assessment request" says nothing of the stage.
///
/// The register's stage is the last interval's ([`stage`]): the two cannot disagree. A date
/// that is not the fact's own (a report's) never goes before the interval it follows.
pub(crate) fn intervals<'a>(
    facts: &[&'a HistoryRow],
    dcc: Option<DccEvidence<'a>>,
    as_of: Option<Date>,
) -> Vec<Interval<'a>> {
    let mut ordered: Vec<&HistoryRow> = facts.to_vec();
    // Stable: of facts with one key, the last is the one the register would pick.
    ordered.sort_by_key(|f| (effective(f, as_of), stage_of(f.event).lifecycle()));
    let mut out: Vec<Interval> = Vec::new();
    let push = |out: &mut Vec<Interval<'a>>, stage, from: Option<Date>, basis, opened| {
        if out.last().is_some_and(|i: &Interval| i.stage == stage) {
            return;
        }
        // A report's date never goes before the interval it follows.
        let previous = out.last().and_then(|i| i.from);
        let from = match (from, basis) {
            (Some(d), Some(DateBasis::Report)) => Some(previous.map_or(d, |p| p.max(d))),
            _ => from,
        };
        out.push(Interval {
            stage,
            from,
            basis: from.and(basis),
            opened,
        });
    };
    for f in ordered {
        let (from, basis) = opened_on(f);
        push(&mut out, stage_of(f.event), from, basis, Opening::Fact(f));
    }
    if let Some(d) = dcc {
        // Only a withdrawal overrides the facts; otherwise the DCC's status tells a stage
        // only where no fact does.
        let from_dcc = match d.status {
            DccStatus::Withdrawn => Some(Stage::Withdrawn),
            status if out.is_empty() => stage_of_dcc(status),
            _ => None,
        };
        if let Some(stage) = from_dcc {
            push(
                &mut out,
                stage,
                d.since,
                Some(DateBasis::Report),
                Opening::Dcc(d),
            );
        }
    }
    out
}

/// A modification's stage and where it came from: the last of its [`intervals`].
pub(crate) fn stage(intervals: &[Interval]) -> Option<(Stage, StageSource)> {
    intervals.last().map(|i| (i.stage, i.opened.source()))
}

/// The stage a DCC status tells, if any: an assessment in progress, awaiting its IA request
/// or on hold is in the Refinement Process; "no outstanding assessment request" tells none.
pub(crate) fn stage_of_dcc(status: DccStatus) -> Option<Stage> {
    match status {
        DccStatus::Withdrawn => Some(Stage::Withdrawn),
        DccStatus::Implemented => Some(Stage::Implemented),
        DccStatus::Rejected => Some(Stage::Rejected),
        DccStatus::PendingImplementation => Some(Stage::PendingImplementation),
        DccStatus::PaInProgress
        | DccStatus::IaInProgress
        | DccStatus::AwaitingIaRequest
        | DccStatus::OnHold => Some(Stage::RefinementProcess),
        DccStatus::NoOutstandingRequest => None,
    }
}

//! The register's stage of a modification: from its latest fact, or from the DCC's status.

use super::effective;
use crate::dataset::history::HistoryRow;
use crate::grammar::DccStatus;
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

/// A modification's stage and where it came from: of its latest fact (ties on the date go to
/// the later stage of the lifecycle), unless the DCC's latest status says it was withdrawn;
/// with no facts, what the DCC's status tells: an assessment in progress, awaiting its IA
/// request or on hold is in the Refinement Process (the public register shows SECMP0032, on
/// hold, there); pending implementation, implemented, withdrawn and rejected are those stages.
/// "No outstanding assessment request" says nothing of the stage.
pub(super) fn stage(
    facts: &[&HistoryRow],
    last_dcc: Option<DccStatus>,
) -> Option<(Stage, StageSource)> {
    let latest = facts
        .iter()
        .max_by_key(|f| (effective(f), stage_of(f.event).lifecycle()))
        .map(|f| stage_of(f.event));
    let from_dcc = |s: DccStatus| stage_of_dcc(s).map(|s| (s, StageSource::DccStatus));
    match (latest, last_dcc) {
        (_, Some(DccStatus::Withdrawn)) => from_dcc(DccStatus::Withdrawn),
        (Some(s), _) => Some((s, StageSource::Fact)),
        (None, Some(status)) => from_dcc(status),
        (None, None) => None,
    }
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

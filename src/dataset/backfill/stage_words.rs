//! The register's stage words and secreg's stages: the one mapping table (README prints it,
//! `tests/docs.rs` checks), and which stage may follow which in a modification's lifecycle.

use crate::dataset::register::{stage_of_dcc, Stage};
use crate::grammar::statuses::{normalise_status_text, parse_status};
use crate::grammar::Grammar;

/// The stage words the public register prints, and the stage each is in secreg's register.
/// "Targeted" is the register's word for a modification targeted at a release (approved,
/// waiting for it); a bare "Consultation" is the Modification Report Consultation of the
/// Report Phase (a Refinement Consultation leaves the register's stage at the Refinement
/// Process).
pub const REGISTER_STAGE_WORDS: &[(&str, Stage)] = &[
    ("Initial Consideration", Stage::DraftProposal),
    ("Development Stage", Stage::DraftProposal),
    ("Draft Proposal", Stage::DraftProposal),
    ("Request for Information", Stage::RefinementProcess),
    ("Refinement Process", Stage::RefinementProcess),
    ("Refinement", Stage::RefinementProcess),
    ("Workgroup", Stage::RefinementProcess),
    ("Working Group", Stage::RefinementProcess),
    ("Refinement Consultation", Stage::RefinementProcess),
    ("On Hold", Stage::RefinementProcess),
    ("Consultation", Stage::ReportPhase),
    ("Modification Report Consultation", Stage::ReportPhase),
    ("Report Phase", Stage::ReportPhase),
    ("Change Board recommended approval", Stage::AwaitingDecision),
    ("With the Authority", Stage::AwaitingDecision),
    ("Awaiting decision", Stage::AwaitingDecision),
    ("Approved", Stage::Approved),
    ("Rejected", Stage::Rejected),
    ("Sent back", Stage::SentBack),
    ("Targeted", Stage::PendingImplementation),
    ("Pending Implementation", Stage::PendingImplementation),
    ("Implemented", Stage::Implemented),
    ("Withdrawn", Stage::Withdrawn),
];

/// The stage a register's stage value names: a word of [`REGISTER_STAGE_WORDS`] (compared as
/// the status grammar compares statuses: case, punctuation and OCR's `1A` aside), or a word
/// followed by more (`Implemented (November 2020 SEC Release)`), the longest word first; else
/// a DCC status phrase of `grammars/statuses.toml` (`On hold`, `PA in progress`), through
/// the register's own reading of DCC statuses.
pub fn read_stage(grammar: &Grammar, text: &str) -> Option<Stage> {
    let value = normalise_status_text(text);
    let words = || {
        REGISTER_STAGE_WORDS
            .iter()
            .map(|&(w, s)| (normalise_status_text(w), s))
    };
    if let Some((_, stage)) = words().find(|(w, _)| *w == value) {
        return Some(stage);
    }
    if let Some(status) = parse_status(&grammar.statuses, text) {
        return stage_of_dcc(status);
    }
    words()
        .filter(|(w, _)| {
            value
                .strip_prefix(w.as_str())
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .max_by_key(|(w, _)| w.len())
        .map(|(_, s)| s)
}

/// A stage's place on the lifecycle's main path (none for the side branches).
fn on_main_path(stage: Stage) -> Option<u8> {
    Some(match stage {
        Stage::DraftProposal => 1,
        Stage::RefinementProcess => 2,
        Stage::ReportPhase => 3,
        Stage::AwaitingDecision => 4,
        Stage::Approved => 5,
        Stage::PendingImplementation => 6,
        Stage::Implemented => 7,
        Stage::SentBack | Stage::Rejected | Stage::Withdrawn => return None,
    })
}

/// True when a modification at `earlier` may later be at `later`: further along the main
/// path (Draft Proposal ... Implemented); rejected or sent back from any stage up to a
/// decision; withdrawn from any stage before implementation; back to any stage but the
/// first after being sent back. Implemented, rejected and withdrawn are ends.
pub fn may_follow(earlier: Stage, later: Stage) -> bool {
    let rank = on_main_path;
    match (earlier, later) {
        (Stage::Implemented | Stage::Rejected | Stage::Withdrawn, _) => false,
        (a, b) if a == b => false,
        (Stage::SentBack, b) => b != Stage::DraftProposal,
        (a, Stage::Rejected | Stage::SentBack) => rank(a).is_some_and(|r| r <= 4),
        (_, Stage::Withdrawn) => true,
        (a, b) => matches!((rank(a), rank(b)), (Some(x), Some(y)) if y > x),
    }
}

/// The mapping table as README prints it (markdown).
pub fn markdown_table() -> String {
    let mut out = String::from("| register's words | secreg's stage |\n|---|---|\n");
    for (word, stage) in REGISTER_STAGE_WORDS {
        out.push_str(&format!("| {word} | {stage} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_words_and_dcc_phrases_name_stages() {
        let g = Grammar::builtin();
        assert_eq!(
            read_stage(g, "Refinement Process"),
            Some(Stage::RefinementProcess)
        );
        assert_eq!(
            read_stage(g, "PENDING IMPLEMENTATION"),
            Some(Stage::PendingImplementation)
        );
        assert_eq!(
            read_stage(g, "Initial consideration"),
            Some(Stage::DraftProposal)
        );
        assert_eq!(read_stage(g, "On hold"), Some(Stage::RefinementProcess));
        assert_eq!(
            read_stage(g, "PA in progress"),
            Some(Stage::RefinementProcess)
        );
        assert_eq!(
            read_stage(g, "Implemented (November 2020 SEC Release)"),
            Some(Stage::Implemented)
        );
        assert_eq!(
            read_stage(g, "Refinement Consultation"),
            Some(Stage::RefinementProcess)
        );
        assert_eq!(read_stage(g, "Lost in the post"), None);
        assert_eq!(read_stage(g, "Implementedish"), None);
    }

    #[test]
    fn later_stages_follow_earlier_ones_and_ends_are_ends() {
        use Stage::*;
        assert!(may_follow(RefinementProcess, Implemented));
        assert!(may_follow(ReportPhase, Rejected));
        assert!(may_follow(RefinementProcess, Withdrawn));
        assert!(may_follow(SentBack, ReportPhase));
        assert!(!may_follow(Implemented, RefinementProcess));
        assert!(!may_follow(Approved, Rejected));
        assert!(!may_follow(Withdrawn, Implemented));
        assert!(!may_follow(PendingImplementation, ReportPhase));
        assert!(!may_follow(ReportPhase, ReportPhase));
    }
}

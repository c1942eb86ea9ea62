//! The typed facts a report yields, each with its provenance.

use crate::grammar::{Date, DccStatus, IdMatch, IdPrefix, ModId};

/// Where a fact was read: page and line (1-based within the page) and the line as read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    pub page: u32,
    pub line: u32,
    /// Shared by the records read from one line.
    pub snippet: std::sync::Arc<str>,
}

/// A modification id as read, with what the table columns need.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModRef {
    pub id: ModId,
    pub prefix: IdPrefix,
    /// Exactly as printed (inline: ids are short).
    pub raw: compact_str::CompactString,
    pub repaired: bool,
}

impl From<IdMatch> for ModRef {
    /// (Takes the id's strings: most matches are read only to be recorded.)
    fn from(m: IdMatch) -> ModRef {
        ModRef {
            id: m.id,
            prefix: m.prefix,
            raw: m.raw,
            repaired: m.repaired,
        }
    }
}

impl From<&IdMatch> for ModRef {
    fn from(m: &IdMatch) -> ModRef {
        ModRef {
            id: m.id.clone(),
            prefix: m.prefix,
            raw: m.raw.clone(),
            repaired: m.repaired,
        }
    }
}

/// Every place a modification id is printed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    pub at: Provenance,
    pub modification: ModRef,
    pub title: Option<String>,
}

/// The closed set of events (one spelling each, as in the `events` table).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EventKind {
    Raised,
    RecommendedToRefinement,
    RecommendedToReportPhase,
    CscReadyForConversion,
    WorkingGroup,
    RefinementConsultationExpected,
    ReportConsultationExpected,
    ChangeBoardApproved,
    ChangeBoardRejected,
    ChangeBoardRecommendedApproval,
    AuthorityApproved,
    AuthorityRejected,
    AuthoritySentBack,
    WithAuthority,
    UrgentStatusApproved,
    Implemented,
    ScheduledForRelease,
    Withdrawn,
}

impl EventKind {
    pub const ALL: [EventKind; 18] = [
        EventKind::Raised,
        EventKind::RecommendedToRefinement,
        EventKind::RecommendedToReportPhase,
        EventKind::CscReadyForConversion,
        EventKind::WorkingGroup,
        EventKind::RefinementConsultationExpected,
        EventKind::ReportConsultationExpected,
        EventKind::ChangeBoardApproved,
        EventKind::ChangeBoardRejected,
        EventKind::ChangeBoardRecommendedApproval,
        EventKind::AuthorityApproved,
        EventKind::AuthorityRejected,
        EventKind::AuthoritySentBack,
        EventKind::WithAuthority,
        EventKind::UrgentStatusApproved,
        EventKind::Implemented,
        EventKind::ScheduledForRelease,
        EventKind::Withdrawn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Raised => "raised",
            EventKind::RecommendedToRefinement => "recommended_to_refinement",
            EventKind::RecommendedToReportPhase => "recommended_to_report_phase",
            EventKind::CscReadyForConversion => "csc_ready_for_conversion",
            EventKind::WorkingGroup => "working_group",
            EventKind::RefinementConsultationExpected => "refinement_consultation_expected",
            EventKind::ReportConsultationExpected => "report_consultation_expected",
            EventKind::ChangeBoardApproved => "change_board_approved",
            EventKind::ChangeBoardRejected => "change_board_rejected",
            EventKind::ChangeBoardRecommendedApproval => "change_board_recommended_approval",
            EventKind::AuthorityApproved => "authority_approved",
            EventKind::AuthorityRejected => "authority_rejected",
            EventKind::AuthoritySentBack => "authority_sent_back",
            EventKind::WithAuthority => "with_authority",
            EventKind::UrgentStatusApproved => "urgent_status_approved",
            EventKind::Implemented => "implemented",
            EventKind::ScheduledForRelease => "scheduled_for_release",
            EventKind::Withdrawn => "withdrawn",
        }
    }

    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// One dated fact about one modification.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub at: Provenance,
    pub modification: ModRef,
    pub title: Option<String>,
    pub event: EventKind,
    pub date: Option<Date>,
    pub date_inferred: bool,
    /// OCR damage in the printed date was repaired to read it (`26 May 2O20`).
    pub date_repaired: bool,
    /// The printed weekday does not fall on the date (`Tuesday 3 June 2020`): the date is
    /// kept as printed, and a diagnostic says so.
    pub weekday_mismatch: bool,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub release_name: Option<String>,
    pub detail: Option<String>,
    pub confidence: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AssessmentTable {
    Open,
    Returned,
}

impl AssessmentTable {
    pub fn name(self) -> &'static str {
        match self {
            AssessmentTable::Open => "open",
            AssessmentTable::Returned => "returned",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AssessmentType {
    Pa,
    Ia,
}

impl AssessmentType {
    pub fn name(self) -> &'static str {
        match self {
            AssessmentType::Pa => "PA",
            AssessmentType::Ia => "IA",
        }
    }
}

/// A row of the DCC assessment timescales tables.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assessment {
    pub at: Provenance,
    pub modification: ModRef,
    pub table: AssessmentTable,
    pub assessment_type: AssessmentType,
    /// Accepted (open table) or returned (returned table).
    pub date: Option<Date>,
    pub target_wd: Option<u32>,
    /// Current (open) or actual (returned) duration.
    pub duration_wd: Option<u32>,
    pub read_from: TableReading,
    pub confidence: f32,
}

/// Which Appendix A table a row came from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum DccTable {
    Delivery,
    NotRequested,
    NoFurther,
}

impl DccTable {
    pub fn name(self) -> &'static str {
        match self {
            DccTable::Delivery => "delivery",
            DccTable::NotRequested => "not_requested",
            DccTable::NoFurther => "no_further",
        }
    }

    pub fn from_name(name: &str) -> Option<DccTable> {
        [
            DccTable::Delivery,
            DccTable::NotRequested,
            DccTable::NoFurther,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }
}

/// The six date columns of the delivery table.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeliveryDates {
    pub pa_request: Option<Date>,
    pub pa_target: Option<Date>,
    pub pa_actual: Option<Date>,
    pub ia_request: Option<Date>,
    pub ia_target: Option<Date>,
    pub ia_actual: Option<Date>,
}

impl DeliveryDates {
    /// The six dates in the table's order (PA requested, target, delivered; the IA's).
    pub fn in_order(&self) -> [Option<Date>; 6] {
        [
            self.pa_request,
            self.pa_target,
            self.pa_actual,
            self.ia_request,
            self.ia_target,
            self.ia_actual,
        ]
    }
}

/// A row of an Appendix A table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DccStatusRow {
    pub at: Provenance,
    pub modification: ModRef,
    pub table: DccTable,
    pub status: Option<DccStatus>,
    pub date_added: Option<Date>,
    pub dates: DeliveryDates,
    pub title: Option<String>,
    /// The Comments cell (tables read from word positions).
    #[serde(default)]
    pub comment: Option<String>,
    pub read_from: TableReading,
    pub confidence: f32,
}

impl DccStatusRow {
    /// The status the row tells of where its modification stands, read with its comment
    /// ([`crate::grammar::statuses::standing`]): the register's stage and
    /// `last_dcc_status`; `dcc_status` keeps the printed one.
    pub fn standing(&self) -> Option<DccStatus> {
        self.status
            .map(|s| crate::grammar::statuses::standing(s, self.comment.as_deref()))
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

crate::named::named_enum! {
    /// How a table row was read: the `read_from` column's categories.
    pub enum TableReading {
        /// From words between the rules down of a ruled table (a digital page's drawn rules,
        /// or a scan's found in its image): the columns are the rules'.
        RuledCells = "ruled_cells",
        /// From the words' places on the page (a PDF's text layer, digital or OCR'd).
        Positions = "positions",
        /// From lines of text whose cells are ruled with `|` (a text export, or a page that
        /// prints its table so): the columns are its header's, cell for cell.
        RuledText = "ruled_text",
        /// From the page's lines of text alone (`.txt`, or a page whose words read no table).
        Text = "text",
    }
}

crate::named::named_enum! {
    /// The stable code of a diagnostic: one name each, the `code` column's categories.
    pub enum DiagnosticCode {
        ReportDateChecked = "report_date_checked",
        NoReportDate = "no_report_date",
        IdRepaired = "id_repaired",
        IdSuspect = "id_suspect",
        AmbiguousId = "ambiguous_id",
        DateRepaired = "date_repaired",
        WeekdayMismatch = "weekday_mismatch",
        YearInferred = "year_inferred",
        ImpossibleDate = "impossible_date",
        UnreadableDate = "unreadable_date",
        DateWithoutYear = "date_without_year",
        DecisionUnread = "decision_unread",
        EventWithoutModification = "event_without_modification",
        ListItemIdUnread = "list_item_id_unread",
        ListLeadInUnknown = "list_lead_in_unknown",
        LeadInDateUnread = "lead_in_date_unread",
        LeadInReleaseUnread = "lead_in_release_unread",
        TableRowUnread = "table_row_unread",
        DurationUnread = "duration_unread",
        DccRowIdUnread = "dcc_row_id_unread",
        DccDatesUnplaced = "dcc_dates_unplaced",
        DccDatesFromLineAbove = "dcc_dates_from_line_above",
        DccStatusUnread = "dcc_status_unread",
        DccStatusRepaired = "dcc_status_repaired",
        DccTitleUnread = "dcc_title_unread",
        DccTitleRepaired = "dcc_title_repaired",
        DccCommentRepaired = "dcc_comment_repaired",
        DccCommentUnread = "dcc_comment_unread",
        DccCommentBesideTitle = "dcc_comment_beside_title",
        OrganisationRepaired = "organisation_repaired",
        FileFailed = "file_failed",
        ReadProblem = "read_problem",
        ReadNote = "read_note",
        HistoryConflict = "history_conflict",
    }
}

impl From<&crate::grammar::DateError> for DiagnosticCode {
    fn from(e: &crate::grammar::DateError) -> DiagnosticCode {
        use crate::grammar::DateError;
        match e {
            DateError::Impossible { .. } => DiagnosticCode::ImpossibleDate,
            DateError::Unrecoverable { .. } => DiagnosticCode::UnreadableDate,
            DateError::NoYear { .. } => DiagnosticCode::DateWithoutYear,
        }
    }
}

/// Something worth a second look: a line that yielded no record, a repair, an inference.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub at: Option<Provenance>,
    pub severity: Severity,
    pub code: DiagnosticCode,
    pub message: String,
}

/// What the cover says about the report itself.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportInfo {
    pub report_date: Option<Date>,
    /// The date came from elsewhere than the cover (a footer, the file name).
    pub report_date_inferred: bool,
    pub title: Option<String>,
    pub author: Option<String>,
    /// What was odd about the report date, for a diagnostic.
    pub note: Option<String>,
}

/// Everything one report yields.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ReportRecords {
    pub info: ReportInfo,
    pub mentions: Vec<Mention>,
    pub events: Vec<Event>,
    pub assessments: Vec<Assessment>,
    pub dcc_status: Vec<DccStatusRow>,
    pub diagnostics: Vec<Diagnostic>,
    /// The table cells OCR left unread or empty, and where they stand (a row's id cell read
    /// as no id; the empty cells of a row that lost its title or status; the title and
    /// comment cells of a table not ruled between its rows): a scan's reader reads them
    /// again from the page image. Not kept in the cache: only the reading of a scan
    /// asks for them, before the report is cached.
    #[serde(skip)]
    pub unread_cells: Vec<crate::reading::words::UnreadCell>,
}

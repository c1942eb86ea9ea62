//! The report vocabulary and the nom parsers that read it.
//!
//! Everything the later stages trust about a single value - a modification id, a date, a
//! duration, a status - is decided here, from the data files in `grammars/`. The parsers never
//! invent a value: a repair is flagged, an inference is flagged, and an unreadable value is an
//! error the caller turns into a diagnostic.
//!
//! This module depends on nothing else in the crate.

pub mod dates;
pub mod durations;
pub mod ids;
pub mod page_scan;
pub mod statuses;
pub mod text;
pub mod typed;
pub mod vocabulary;

pub use dates::{Date, DateError, DateMatch, DatePrecision};
pub use durations::WorkingDays;
pub use ids::{IdFinding, IdMatch, IdPrefix, ModId};
pub use statuses::DccStatus;
pub use vocabulary::{Grammar, GrammarError};

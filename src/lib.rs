//! secreg: SEC Change Status Reports into a typed history of every modification.
//!
//! The pipeline, one module a stage (dependencies flow one way, down this list):
//! - [`cli`]: the command line;
//! - [`pipeline`]: find files, read each in isolation and in parallel, gather, write;
//! - [`output`]: atomic CSV and Parquet writing;
//! - [`dataset`]: records as rows of typed tables, with the schema;
//! - [`model`]: a report's pages into records with provenance;
//! - [`reading`]: a file's bytes into pages of text (PDF text layer, `.txt`);
//! - [`grammar`]: the vocabulary (`grammars/`) and the nom parsers for ids, dates,
//!   durations and statuses.

#[cfg(feature = "tables")]
pub mod cli;
#[cfg(feature = "tables")]
pub mod dataset;
pub mod grammar;
pub mod model;
#[cfg(feature = "tables")]
pub mod output;
#[cfg(feature = "tables")]
pub mod pipeline;
pub mod reading;

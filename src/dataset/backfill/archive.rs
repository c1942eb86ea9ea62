//! The archive's side of a back-fill, read from the tables an ingest wrote: each
//! modification's register row (`modifications`), and the lines that state its facts
//! (`events`), print its title (`mentions`, `events`, `dcc_status`) and its DCC status
//! (`dcc_status`), which are the evidence.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::Evidence;
use crate::dataset::register::{Decision, Stage, StageSource};
use crate::grammar::ids::parse_mod_id;
use crate::grammar::{Date, DccStatus, Grammar, ModId};
use crate::model::EventKind;
use crate::named::Named;

/// Why the archive's tables could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A table file is missing or unreadable.
    #[error("{path}: {message} (run `secreg ingest ARCHIVE --out {dir}` first)")]
    Table {
        /// The file.
        path: PathBuf,
        /// The folder of tables.
        dir: String,
        /// What went wrong.
        message: String,
    },
}

/// A fact a report states of a modification (a row of `events`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub event: EventKind,
    pub date: Option<Date>,
    pub proposer: Option<String>,
    pub organisation: Option<String>,
    pub release_name: Option<String>,
    pub evidence: Evidence,
}

/// What the archive holds of one modification.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArchiveEntry {
    /// The register's title.
    pub title: Option<String>,
    /// The register's stage.
    pub stage: Option<Stage>,
    /// Where the stage came from.
    pub stage_source: Option<StageSource>,
    /// When it was raised.
    pub raised_date: Option<Date>,
    /// Who raised it.
    pub proposer: Option<String>,
    /// The proposer's organisation.
    pub organisation: Option<String>,
    /// The latest decision.
    pub decision: Option<Decision>,
    /// When.
    pub decision_date: Option<Date>,
    /// The release.
    pub release_name: Option<String>,
    /// When first implemented.
    pub implemented_date: Option<Date>,
    /// The latest report that mentions it.
    pub last_seen: Option<Date>,
    pub(crate) statements: Vec<Statement>,
    /// Every title printed beside its id, with where.
    pub(crate) titles: Vec<(String, Evidence)>,
    /// Every DCC status given for it, with where.
    pub(crate) dcc: Vec<(DccStatus, Evidence)>,
}

/// The archive: every modification of the `modifications` table, by register id.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// By register id.
    pub mods: BTreeMap<ModId, ArchiveEntry>,
}

/// One table of an ingest, its columns read as vectors.
struct TableFile {
    path: PathBuf,
    dir: String,
    frame: DataFrame,
}

impl TableFile {
    fn open(dir: &Path, table: &str) -> Result<TableFile, ArchiveError> {
        let path = dir.join(format!("{table}.parquet"));
        let error = |message: String| ArchiveError::Table {
            path: path.clone(),
            dir: dir.display().to_string(),
            message,
        };
        let file = File::open(&path).map_err(|e| error(e.to_string()))?;
        let frame = ParquetReader::new(file)
            .finish()
            .map_err(|e| error(e.to_string()))?;
        Ok(TableFile {
            path: path.clone(),
            dir: dir.display().to_string(),
            frame,
        })
    }

    fn column(&self, name: &str, as_type: &DataType) -> Result<Series, ArchiveError> {
        self.frame
            .column(name)
            .and_then(|c| c.as_materialized_series().cast(as_type))
            .map_err(|e| ArchiveError::Table {
                path: self.path.clone(),
                dir: self.dir.clone(),
                message: format!("column {name}: {e}"),
            })
    }

    fn texts(&self, name: &str) -> Result<Vec<Option<String>>, ArchiveError> {
        let s = self.column(name, &DataType::String)?;
        let s = s.str().expect("cast to String");
        Ok(s.iter().map(|v| v.map(str::to_string)).collect())
    }

    fn dates(&self, name: &str) -> Result<Vec<Option<Date>>, ArchiveError> {
        let s = self.column(name, &DataType::Int32)?;
        let s = s.i32().expect("cast to Int32");
        Ok(s.iter()
            .map(|v| v.map(Date::from_days_since_epoch))
            .collect())
    }

    fn numbers(&self, name: &str) -> Result<Vec<Option<u32>>, ArchiveError> {
        let s = self.column(name, &DataType::UInt32)?;
        Ok(s.u32().expect("cast to UInt32").iter().collect())
    }

    fn fractions(&self, name: &str) -> Result<Vec<Option<f32>>, ArchiveError> {
        let s = self.column(name, &DataType::Float32)?;
        Ok(s.f32().expect("cast to Float32").iter().collect())
    }

    /// Each row's evidence: its report, file, page, line and snippet (and confidence, where
    /// the table has one).
    fn evidence(&self, with_confidence: bool) -> Result<Vec<Evidence>, ArchiveError> {
        let report_dates = self.dates("report_date")?;
        let files = self.texts("source_file")?;
        let pages = self.numbers("page")?;
        let lines = self.numbers("line")?;
        let snippets = self.texts("snippet")?;
        let confidences = if with_confidence {
            self.fractions("confidence")?
        } else {
            vec![None; self.frame.height()]
        };
        Ok((0..self.frame.height())
            .map(|i| Evidence {
                report_date: report_dates[i],
                source_file: files[i].clone().unwrap_or_default(),
                page: pages[i],
                line: lines[i],
                snippet: snippets[i].clone(),
                confidence: confidences[i],
            })
            .collect())
    }
}

/// A value of a closed vocabulary, by its name in a table.
fn named<T: Named>(v: &Option<String>) -> Option<T> {
    v.as_deref().and_then(T::from_name)
}

impl Archive {
    /// Reads the archive from the tables an ingest wrote into `dir`.
    pub fn read(grammar: &Grammar, dir: &Path) -> Result<Archive, ArchiveError> {
        let mut archive = Archive::default();
        archive.read_register(grammar, &TableFile::open(dir, "modifications")?)?;
        archive.read_events(grammar, &TableFile::open(dir, "events")?)?;
        archive.read_titles(grammar, &TableFile::open(dir, "mentions")?, false)?;
        archive.read_dcc(grammar, &TableFile::open(dir, "dcc_status")?)?;
        Ok(archive)
    }

    /// The modification a table's `mod_id` names, if it is in the register.
    fn entry(&mut self, grammar: &Grammar, mod_id: &Option<String>) -> Option<&mut ArchiveEntry> {
        let id = parse_mod_id(&grammar.ids, mod_id.as_deref()?).ok()?;
        self.mods.get_mut(&id.id.register_id())
    }

    fn read_register(&mut self, grammar: &Grammar, t: &TableFile) -> Result<(), ArchiveError> {
        let ids = t.texts("mod_id")?;
        let (titles, stages, sources) = (
            t.texts("title")?,
            t.texts("stage")?,
            t.texts("stage_source")?,
        );
        let (raised, proposers, orgs) = (
            t.dates("raised_date")?,
            t.texts("proposer")?,
            t.texts("organisation")?,
        );
        let (decisions, decision_dates) = (t.texts("decision")?, t.dates("decision_date")?);
        let (releases, implemented) = (t.texts("release_name")?, t.dates("implemented_date")?);
        let last_seen = t.dates("last_seen")?;
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id
                .as_deref()
                .and_then(|s| parse_mod_id(&grammar.ids, s).ok())
            else {
                continue;
            };
            let entry = ArchiveEntry {
                title: titles[i].clone(),
                stage: named(&stages[i]),
                stage_source: named(&sources[i]),
                raised_date: raised[i],
                proposer: proposers[i].clone(),
                organisation: orgs[i].clone(),
                decision: named(&decisions[i]),
                decision_date: decision_dates[i],
                release_name: releases[i].clone(),
                implemented_date: implemented[i],
                last_seen: last_seen[i],
                ..ArchiveEntry::default()
            };
            self.mods.insert(id.id.register_id(), entry);
        }
        Ok(())
    }

    fn read_events(&mut self, grammar: &Grammar, t: &TableFile) -> Result<(), ArchiveError> {
        let ids = t.texts("mod_id")?;
        let (events, dates) = (t.texts("event")?, t.dates("event_date")?);
        let (proposers, orgs) = (t.texts("proposer")?, t.texts("organisation")?);
        let releases = t.texts("release_name")?;
        let evidence = t.evidence(true)?;
        for (i, evidence) in evidence.into_iter().enumerate() {
            let Some(event) = named::<EventKind>(&events[i]) else {
                continue;
            };
            if let Some(entry) = self.entry(grammar, &ids[i]) {
                entry.statements.push(Statement {
                    event,
                    date: dates[i],
                    proposer: proposers[i].clone(),
                    organisation: orgs[i].clone(),
                    release_name: releases[i].clone(),
                    evidence,
                });
            }
        }
        self.read_titles(grammar, t, true)
    }

    /// The titles a table prints beside ids (`mentions` has no confidence column).
    fn read_titles(
        &mut self,
        grammar: &Grammar,
        t: &TableFile,
        with_confidence: bool,
    ) -> Result<(), ArchiveError> {
        let ids = t.texts("mod_id")?;
        let titles = t.texts("title")?;
        for (i, evidence) in t.evidence(with_confidence)?.into_iter().enumerate() {
            let Some(title) = &titles[i] else { continue };
            if let Some(entry) = self.entry(grammar, &ids[i]) {
                entry.titles.push((title.clone(), evidence));
            }
        }
        Ok(())
    }

    fn read_dcc(&mut self, grammar: &Grammar, t: &TableFile) -> Result<(), ArchiveError> {
        let ids = t.texts("mod_id")?;
        let statuses = t.texts("status")?;
        let comments = t.texts("comment")?;
        for (i, evidence) in t.evidence(true)?.into_iter().enumerate() {
            let Some(status) = named::<DccStatus>(&statuses[i]) else {
                continue;
            };
            // Read with its comment, as the register reads it.
            let status = crate::grammar::statuses::standing(status, comments[i].as_deref());
            if let Some(entry) = self.entry(grammar, &ids[i]) {
                entry.dcc.push((status, evidence));
            }
        }
        self.read_titles(grammar, t, true)
    }
}

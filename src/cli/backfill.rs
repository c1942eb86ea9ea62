//! `secreg backfill REGISTER.csv --out tables/`: a register export reconciled with the
//! archive an ingest wrote into `tables/`; writes the `backfill` and `backfill_diagnostics`
//! tables beside the archive's and prints a summary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::terminal::for_terminal;
use super::{EXIT_OK, EXIT_USAGE_OR_OUTPUT};
use crate::dataset::backfill::{self, Backfill, BackfillField, ColumnChoice, Verdict};
use crate::grammar::Grammar;
use crate::output::{write_table, Format};

/// What `secreg backfill` was asked.
#[derive(Debug, Clone)]
pub struct BackfillArgs {
    /// The register export (CSV).
    pub register: PathBuf,
    /// The folder an ingest wrote; the back-fill's tables are written there too.
    pub out: PathBuf,
    /// `field=Header` entries naming columns.
    pub columns: Vec<String>,
    /// The formats to write.
    pub formats: Vec<Format>,
    /// No summary.
    pub quiet: bool,
}

/// Runs a back-fill; returns the exit status.
pub fn run(grammar: &Grammar, args: &BackfillArgs) -> i32 {
    let result = ColumnChoice::parse(&args.columns)
        .map_err(|e| e.to_string())
        .and_then(|choice| {
            backfill::backfill(grammar, &args.register, &choice, &args.out)
                .map_err(|e| e.to_string())
        });
    let b = match result {
        Ok(b) => b,
        Err(e) => {
            eprintln!("secreg: {}", for_terminal(&e));
            return EXIT_USAGE_OR_OUTPUT;
        }
    };
    if let Err(e) = write_tables(&b, &args.out, &args.formats) {
        eprintln!("secreg: {}", for_terminal(&e));
        return EXIT_USAGE_OR_OUTPUT;
    }
    if !args.quiet {
        print!("{}", summary(&b, &args.register, &args.out));
    }
    // The site an ingest built gets its back-fill page.
    if args.out.join(crate::output::site::SITE_DIR).is_dir() {
        match crate::output::site::build(&args.out) {
            Ok(site) if !args.quiet => println!("{}", super::site::described(&site)),
            Ok(_) => {}
            Err(e) => {
                eprintln!("secreg: the site: {}", for_terminal(&e.to_string()));
                return EXIT_USAGE_OR_OUTPUT;
            }
        }
    }
    EXIT_OK
}

fn write_tables(b: &Backfill, out: &Path, formats: &[Format]) -> Result<(), String> {
    for (name, mut frame) in b.frames().map_err(|e| e.to_string())? {
        for &format in formats {
            write_table(out, name, &mut frame, format).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// What `secreg backfill` prints: what was compared, the rows by field and verdict, and the
/// modifications with the most differences first.
pub fn summary(b: &Backfill, register: &Path, out: &Path) -> String {
    let mut s = String::new();
    let fields: Vec<&str> = b.fields.iter().map(|f| f.name()).collect();
    let _ = writeln!(
        s,
        "Back-fill of {} ({} rows; fields: {}) against the archive in {}: {} (modification, field) rows, {} diagnostics.",
        for_terminal(&register.display().to_string()),
        b.register_rows,
        fields.join(", "),
        for_terminal(&out.display().to_string()),
        b.rows.len(),
        b.diagnostics.len(),
    );
    let counts = b.counts();
    let _ = write!(s, "\n{:<17}", "field");
    for v in Verdict::ALL {
        let _ = write!(s, " {:>w$}", v.name(), w = v.name().len());
    }
    s.push('\n');
    for &field in BackfillField::ALL.iter().filter(|f| b.fields.contains(f)) {
        let _ = write!(s, "{:<17}", field.name());
        for &v in Verdict::ALL {
            let n = counts.get(&(field, v)).copied().unwrap_or(0);
            let _ = write!(s, " {:>w$}", n, w = v.name().len());
        }
        s.push('\n');
    }
    let differing = b.most_differences();
    if !differing.is_empty() {
        let _ = writeln!(s, "\nMost differences ({} modifications):", differing.len());
        for (id, fields) in differing.iter().take(20) {
            let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
            let _ = writeln!(
                s,
                "  {:<8} {}: {}",
                id.to_string(),
                fields.len(),
                names.join(", ")
            );
        }
    }
    for d in b.diagnostics.iter().take(10) {
        let _ = writeln!(
            s,
            "{}: row {}: {}{}",
            for_terminal(&d.source_file),
            d.row,
            match (&d.value, &d.header) {
                (Some(v), _) => format!("{:?}: ", for_terminal(v)),
                (None, Some(h)) => format!("header {:?}: ", for_terminal(h)),
                (None, None) => String::new(),
            },
            for_terminal(&d.message)
        );
    }
    if b.diagnostics.len() > 10 {
        let _ = writeln!(s, "... and {} more", b.diagnostics.len() - 10);
    }
    let _ = writeln!(
        s,
        "Tables written to {} (backfill, backfill_diagnostics)",
        for_terminal(&out.display().to_string())
    );
    s
}

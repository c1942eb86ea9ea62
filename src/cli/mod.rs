//! The command line: `secreg ingest`, `secreg schema`, `secreg normalize`, `secreg show`,
//! `secreg backfill`.
//!
//! Exit status: 0 when every file was read; 1 when the run finished but some files failed
//! (see the `reports` table); 2 for usage errors, an unreadable grammar folder or an
//! unwritable output.

pub mod backfill;
pub mod changes;
pub mod memory;
pub mod normalize;
pub mod show;
pub mod site;
pub mod terminal;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::dataset::schema::describe_tables;
use crate::grammar::Grammar;
use crate::output::Format;
use crate::pipeline::{ingest_then, IngestOptions, IngestSummary};
use crate::reading::ocr::{self, OcrMode, OcrOptions};

/// `secreg doctor`: the optional tools, found or not, and what each is for.
pub fn doctor() -> String {
    let options = OcrOptions::default();
    let mut s = format!("secreg {}\n", env!("CARGO_PKG_VERSION"));
    match ocr::tool_version(&options.tesseract) {
        Some(v) => {
            let langs = ocr::tesseract_languages(&options.tesseract);
            s.push_str(&format!(
                "tesseract: found ({v}; languages: {}): scans without a text layer are OCR'd\n",
                if langs.is_empty() { "none".to_string() } else { langs.join(", ") }
            ));
        }
        None => s.push_str(&format!(
            "tesseract: NOT FOUND ({}): scans without a text layer are not read; install the Debian packages {}\n",
            options.tesseract.display(),
            ocr::TESSERACT_PACKAGES
        )),
    }
    match ocr::tool_version(&options.pdftoppm) {
        Some(v) => s.push_str(&format!(
            "pdftoppm: found ({v}): scan pages whose image secreg cannot decode (CCITT, JBIG2, JPX, several images) are rendered for OCR\n"
        )),
        None => s.push_str(
            "pdftoppm: not found: scan pages whose image is CCITT, JBIG2 or JPX, or holds several images, are not OCR'd; install the Debian package poppler-utils\n",
        ),
    }
    s
}

pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FILES_FAILED: i32 = 1;
pub const EXIT_USAGE_OR_OUTPUT: i32 = 2;

const EXAMPLES: &str = "Examples:
  secreg ingest                                  # the bundled fixtures into ./out
  secreg ingest archive/ --out tables/           # every .pdf and .txt below archive/
  secreg ingest a.pdf b.pdf --out t --format parquet --jobs 1
  secreg schema                                  # every table, column, type and meaning
  secreg show MP130 --out tables/                # one modification's register row and history
  secreg changes --out tables/ --since 2020-06   # what each report changed, report by report
  secreg site --out tables/                      # the static site of the tables (tables/site)
  secreg backfill register.csv --out tables/     # a register export against the archive
  secreg backfill register.csv --columns title='Mod Name',stage=Where
  secreg show MP130 --register register.csv      # the export's row beside the archive's
  secreg normalize id MPO077 SECMP0053 DP094     # how a raw value is read
  secreg normalize date 'Friday 22 May' --report-date 2020-06-12

Exit status: 0 all files read; 1 the run finished but some files failed (see reports.status);
2 usage error, bad grammar folder or unwritable output.";

#[derive(Debug, Parser)]
#[command(name = "secreg", version, about = "SEC Change Status Reports to typed CSV and Parquet", after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Parquet,
    Csv,
}

/// Which pages `--ocr` reads with tesseract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OcrArg {
    /// Pages without a text layer.
    Auto,
    /// None: a scan without a text layer is `no_text_layer`.
    Never,
    /// Every page, from its image (an existing text layer is ignored).
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormalizeKind {
    Id,
    Date,
    Duration,
    Status,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read report PDFs and text files into tables.
    Ingest {
        /// Files or folders (walked recursively; .pdf and .txt taken).
        #[arg(default_value = "fixtures/reports")]
        paths: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Output formats.
        #[arg(long, value_delimiter = ',', default_value = "parquet,csv")]
        format: Vec<FormatArg>,
        /// No progress bar and no summary.
        #[arg(long)]
        quiet: bool,
        /// A folder of grammar files that replace the built-in ones of the same name.
        #[arg(long)]
        grammars: Option<PathBuf>,
        /// Parse every file again, ignoring what earlier runs into --out cached.
        #[arg(long)]
        force: bool,
        /// Seconds one file may take before it is reported as timed out.
        #[arg(long, default_value_t = 120.0)]
        file_timeout: f64,
        /// Which pages are read by OCR (tesseract): auto = pages without a text layer.
        #[arg(long, value_enum, default_value = "auto")]
        ocr: OcrArg,
        /// tesseract's languages (`-l`), e.g. `eng` or `eng+fra`.
        #[arg(long, default_value = "eng")]
        ocr_lang: String,
        /// Seconds one page's OCR may take before it is stopped (that page is then a
        /// diagnostic).
        #[arg(long, default_value_t = 60.0)]
        ocr_page_timeout: f64,
    },
    /// Print the optional tools secreg found (tesseract for OCR, pdftoppm) and their versions.
    Doctor,
    /// Print every output table, column, type and meaning.
    Schema,
    /// Show one modification: its register row and dated history, with sources.
    Show {
        /// The modification, as printed anywhere (MP080, DP094, SECMP0053).
        modification: String,
        /// The folder an ingest wrote.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// A register export (CSV): its row is shown beside the archive's.
        #[arg(long)]
        register: Option<PathBuf>,
        /// `field=Header` entries naming the export's columns (as for `backfill`).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
    },
    /// Reconcile an export of the live Modification Register (CSV) with the archive an ingest
    /// wrote: writes the backfill tables into --out and prints a summary.
    Backfill {
        /// The register export: one row per modification; columns recognised by their header
        /// words (Mod/Reference, Title, Status/Stage/Phase, Proposer, Organisation, Raised,
        /// Decision, Implementation, Release).
        register: PathBuf,
        /// The folder an ingest wrote (the backfill tables are written there too).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Columns whose headers are not recognised: `field=Header,...`, fields being mod,
        /// title, stage, proposer, organisation, raised_date, decision, implemented_date,
        /// release.
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// Output formats.
        #[arg(long, value_delimiter = ',', default_value = "parquet,csv")]
        format: Vec<FormatArg>,
        /// No summary.
        #[arg(long)]
        quiet: bool,
    },
    /// Print what each report changed against the report before it, report by report.
    Changes {
        /// The folder an ingest wrote.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Only reports of this month or day and later (YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
    /// Write the static HTML site of an ingest's tables into OUT/site (no server, no network).
    Site {
        /// The folder an ingest wrote.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Print the text a file's pages are read as: what the report model reads first. (An
    /// OCR'd scan's pages whose layer left their ink unread, or misread its DCC statuses, are
    /// then OCR'd again, its ruled cells read again, and an image-only scan's unruled table
    /// pages read again as sparse text, inside `ingest` only: their words are not printed
    /// here.)
    Text {
        file: PathBuf,
        /// For PDFs: `secreg` (the pipeline's reader) or `pdf-extract` (to compare them).
        #[arg(long, default_value = "secreg")]
        reader: PdfReaderChoice,
        /// Print each page's positioned words (line, box in PDF units, size, confidence,
        /// text) and its rules (a digital page's drawn, a scan's found in its image), as the
        /// table reader sees them.
        #[arg(long)]
        words: bool,
    },
    /// Show how raw values are read: one JSON line per value.
    Normalize {
        kind: NormalizeKind,
        #[arg(required = true)]
        values: Vec<String>,
        /// The report's date, for dates printed without a year (YYYY-MM-DD).
        #[arg(long)]
        report_date: Option<String>,
        #[arg(long)]
        grammars: Option<PathBuf>,
    },
}

/// The formats `--format` names, each once.
fn formats_of(format: &[FormatArg]) -> Vec<Format> {
    let mut formats: Vec<Format> = format
        .iter()
        .map(|f| match f {
            FormatArg::Parquet => Format::Parquet,
            FormatArg::Csv => Format::Csv,
        })
        .collect();
    formats.dedup();
    formats
}

/// The PDF reader `secreg text` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PdfReaderChoice {
    Secreg,
    PdfExtract,
}

fn load_grammar(dir: &Option<PathBuf>) -> Result<Grammar, String> {
    match dir {
        Some(d) => Grammar::load_with_overrides(d).map_err(|e| e.to_string()),
        None => Ok(Grammar::builtin().clone()),
    }
}

/// A page's positioned words, one a line in reading order, then its rules.
fn write_words(
    out: &mut dyn Write,
    page: &crate::reading::words::PageWords,
) -> std::io::Result<()> {
    writeln!(out, "line     x0     top      x1  bottom  size  conf  text")?;
    for w in &page.words {
        writeln!(
            out,
            "{:>4} {:>6.1} {:>7.1} {:>7.1} {:>7.1} {:>5.1} {:>5.2}  {}",
            w.line,
            w.x0,
            w.top,
            w.x1,
            w.bottom,
            w.size,
            w.confidence,
            terminal::for_terminal(&w.text)
        )?;
    }
    for (kind, rules) in [("across", &page.rules), ("down", &page.column_rules)] {
        for r in rules {
            writeln!(
                out,
                "rule {kind} ({:.1}, {:.1}) to ({:.1}, {:.1})",
                r.x0, r.y0, r.x1, r.y1
            )?;
        }
    }
    Ok(())
}

/// Writes a command's output to standard output. A reader that stops early (`secreg text
/// FILE | head`) is not an error: the output is simply cut short, as with any Unix tool.
fn emit(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> i32 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("secreg: writing to standard output: {e}");
            EXIT_USAGE_OR_OUTPUT
        }
    }
}

/// Runs a parsed command; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Schema => emit(|out| write!(out, "{}", describe_tables())),
        Command::Doctor => emit(|out| write!(out, "{}", doctor())),
        Command::Backfill {
            register,
            out,
            columns,
            format,
            quiet,
        } => {
            let args = backfill::BackfillArgs {
                register,
                out,
                columns,
                formats: formats_of(&format),
                quiet,
            };
            backfill::run(Grammar::builtin(), &args)
        }
        Command::Show {
            modification,
            out,
            register,
            columns,
        } => {
            let register = register.as_deref().map(|r| (r, columns.as_slice()));
            match show::show(Grammar::builtin(), &out, &modification, register) {
                Ok(text) => emit(|out| write!(out, "{text}")),
                Err(e) => {
                    eprintln!("secreg: {}", terminal::for_terminal(&e));
                    EXIT_USAGE_OR_OUTPUT
                }
            }
        }
        Command::Changes { out, since } => {
            let since = match since.as_deref().map(changes::parse_since) {
                Some(None) => {
                    eprintln!("secreg: --since must be YYYY-MM or YYYY-MM-DD");
                    return EXIT_USAGE_OR_OUTPUT;
                }
                Some(d) => d,
                None => None,
            };
            match changes::changes(&out, since) {
                Ok(text) => emit(|w| write!(w, "{text}")),
                Err(e) => {
                    eprintln!("secreg: {e}");
                    EXIT_USAGE_OR_OUTPUT
                }
            }
        }
        Command::Site { out } => {
            memory::purge_promptly();
            match crate::output::site::build(&out) {
                Ok(summary) => emit(|w| writeln!(w, "{}", site::described(&summary))),
                Err(e) => {
                    eprintln!("secreg: {e}");
                    EXIT_USAGE_OR_OUTPUT
                }
            }
        }
        Command::Text {
            file,
            reader,
            words,
        } => match crate::pipeline::read_pages_with(&file, reader == PdfReaderChoice::PdfExtract) {
            Ok(pages) => emit(|out| {
                for (i, page) in pages.pages.iter().enumerate() {
                    writeln!(out, "=== page {} ({}) ===", i + 1, pages.source)?;
                    match pages.words.get(i) {
                        Some(positioned) if words => write_words(out, positioned)?,
                        _ => {
                            for (n, line) in page.lines().enumerate() {
                                writeln!(out, "{:>4}  {}", n + 1, terminal::for_terminal(line))?;
                            }
                        }
                    }
                }
                Ok(())
            }),
            Err(e) => {
                eprintln!("secreg: {}: {e}", file.display());
                EXIT_SOME_FILES_FAILED
            }
        },
        Command::Normalize {
            kind,
            values,
            report_date,
            grammars,
        } => {
            let grammar = match load_grammar(&grammars) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("secreg: {e}");
                    return EXIT_USAGE_OR_OUTPUT;
                }
            };
            let report_date = match report_date.as_deref().map(crate::grammar::Date::parse_iso) {
                Some(None) => {
                    eprintln!("secreg: --report-date must be YYYY-MM-DD");
                    return EXIT_USAGE_OR_OUTPUT;
                }
                Some(d) => d,
                None => None,
            };
            emit(|out| {
                for v in values {
                    writeln!(
                        out,
                        "{}",
                        normalize::normalize(&grammar, kind, &v, report_date)
                    )?;
                }
                Ok(())
            })
        }
        Command::Ingest {
            paths,
            out,
            jobs,
            format,
            quiet,
            grammars,
            force,
            file_timeout,
            ocr,
            ocr_lang,
            ocr_page_timeout,
        } => {
            let grammar = match crate::pipeline::profile::span("grammar loaded", || {
                load_grammar(&grammars)
            }) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("secreg: {e}");
                    return EXIT_USAGE_OR_OUTPUT;
                }
            };
            let formats = formats_of(&format);
            for p in &paths {
                if !p.exists() {
                    eprintln!("secreg: {}: no such file or folder", p.display());
                    return EXIT_USAGE_OR_OUTPUT;
                }
            }
            let options = IngestOptions {
                inputs: paths,
                out_dir: out,
                jobs,
                formats,
                progress: !quiet && std::io::stderr().is_terminal(),
                force,
                file_timeout: std::time::Duration::from_secs_f64(file_timeout.max(0.001)),
                ocr: {
                    let mode = match ocr {
                        OcrArg::Auto => OcrMode::Auto,
                        OcrArg::Never => OcrMode::Never,
                        OcrArg::Always => OcrMode::Always,
                    };
                    let mut o = OcrOptions::new(mode, &ocr_lang, jobs);
                    o.page_timeout =
                        std::time::Duration::from_secs_f64(ocr_page_timeout.max(0.001));
                    o
                },
            };
            // The site's tables are read while the run puts them in place.
            let reading_ahead = |opened, run: &IngestSummary| {
                crate::pipeline::profile::span("memory given back", || {
                    memory::purge_before_the_site(run.files)
                });
                crate::output::site::Reading::start(&options.out_dir, opened)
            };
            match ingest_then(&options, &grammar, reading_ahead) {
                Ok((summary, reading)) => {
                    if !quiet {
                        println!("{}", summary.paragraph());
                        match summary.tables_replaced {
                            0 => println!(
                                "Tables in {} unchanged: the same bytes as before",
                                options.out_dir.display()
                            ),
                            _ => println!("Tables written to {}", options.out_dir.display()),
                        }
                    }
                    // The site of the tables, beside them.
                    crate::pipeline::profile::peak("the tables");
                    crate::pipeline::profile::span("memory given back", || {
                        memory::purge_before_the_site(summary.files)
                    });
                    let site_built = crate::pipeline::profile::span("site", || {
                        crate::output::site::build_if_stale(&options.out_dir, reading.flatten())
                    });
                    crate::pipeline::profile::peak("the site");
                    crate::pipeline::profile::print_if_enabled();
                    match site_built {
                        Ok(Some(site)) if !quiet => println!("{}", site::described(&site)),
                        Ok(None) if !quiet => println!("{}", site::unchanged(&options.out_dir)),
                        Ok(_) => {}
                        Err(e) => {
                            eprintln!("secreg: the site: {e}");
                            return EXIT_USAGE_OR_OUTPUT;
                        }
                    }
                    if summary.all_read() {
                        EXIT_OK
                    } else {
                        EXIT_SOME_FILES_FAILED
                    }
                }
                Err(e) => {
                    eprintln!("secreg: {e}");
                    EXIT_USAGE_OR_OUTPUT
                }
            }
        }
    }
}

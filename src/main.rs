use clap::Parser;

/// mimalloc rather than glibc's malloc: the report model makes about a thousand small
/// allocations a report (lines, mentions, events), on every worker thread. With mimalloc
/// `ingest` took 7-14% less time and the report model ran 1.05-1.06x as fast, for 4-30 MB more
/// peak RSS (benches/NOTES.md, "The allocator"). glibc's arenas were capped at one a core
/// here to keep peak RSS flat; with mimalloc the cap made no difference, and it went.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    secreg::pipeline::profile::start_clock();
    let cli = secreg::cli::Cli::parse();
    std::process::exit(secreg::cli::run(cli));
}

use clap::Parser;

/// mimalloc rather than glibc's malloc: the report model makes about a thousand small
/// allocations a report (lines, mentions, events), on every worker thread. With mimalloc
/// `ingest` took 7-14% less time and the report model ran 1.05-1.06x as fast, for 4-30 MB more
/// peak RSS (benches/NOTES.md, "The allocator"). glibc's arenas were capped at one a core
/// here to keep peak RSS flat; with mimalloc the cap made no difference, and it went.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's options, set through its C API (linked with the allocator above; the `mimalloc`
// crate does not re-export it).
extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// How long (ms) memory freed stays committed before mimalloc returns it to the system. Its
/// v3's default, 1,000 ms, outlasts a whole monthly run, and what one phase freed was not
/// reused by the next: the site, after the tables, grew the 1,000 + 1 run's peak RSS from
/// 80 to 118-123 MB (the site's own read back and rendering 66 MB over the 42 MB the process
/// held live); at 10 ms (v2's default) the peak was 94-97 MB for 0.03 s more of system time
/// (`benches/monthly.sh`; README "Performance"). `MIMALLOC_PURGE_DELAY` still sets it.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

fn main() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain setter of an option of the allocator, called before any thread.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
    let cli = secreg::cli::Cli::parse();
    std::process::exit(secreg::cli::run(cli));
}

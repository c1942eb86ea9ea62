use clap::Parser;

/// mimalloc rather than glibc's malloc: the report model makes about a thousand small
/// allocations a report (lines, mentions, events), on every worker thread. With mimalloc
/// `ingest` took 7-14% less time and the report model ran 1.05-1.06x as fast, for 4-30 MB more
/// peak RSS (benches/NOTES.md, "The allocator"). glibc's arenas were capped at one a core
/// here to keep peak RSS flat; with mimalloc the cap made no difference, and it went.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// POSIX `_exit` (libc): ends the process at once, without the exit handlers.
    fn _exit(status: std::ffi::c_int) -> !;
}

fn main() {
    secreg::pipeline::profile::start_clock();
    let cli = secreg::cli::Cli::parse();
    let code = secreg::cli::run(cli);
    // The process ends without libc's exit handlers: the allocator's (mimalloc, linked
    // statically) gives every page it holds back to the system one `madvise` at a time, some
    // 160 calls after a one-report run, which the end of the process does at once anyway.
    // Everything secreg writes is written and closed by now; stdout and stderr are flushed
    // here.
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` takes any status and does not return; nothing of the process is used
    // after it.
    unsafe { _exit(code) }
}

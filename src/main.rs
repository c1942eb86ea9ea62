use clap::Parser;

fn main() {
    limit_malloc_arenas();
    let cli = secreg::cli::Cli::parse();
    std::process::exit(secreg::cli::run(cli));
}

/// glibc gives threads that allocate arenas of their own, up to eight a core, and memory
/// freed in one stays there: over a long run with rayon's and polars' threads, peak RSS grew
/// with the archive (2 jobs: 106 MB at 100 reports, 144 MB at 1,000) with nothing held. An
/// arena a core (two at least) keeps it near flat (2 jobs: 96 MB, 105-115 MB; 1 job: 86 MB,
/// 88 MB) at a speed within this VM's noise. A `MALLOC_ARENA_MAX` the user set is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_ARENA_MAX: std::ffi::c_int = -8;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let arenas = std::ffi::c_int::try_from(cores.max(2)).unwrap_or(std::ffi::c_int::MAX);
    // SAFETY: `mallopt` sets a tunable of glibc's allocator and is safe to call at any
    // time; this runs before the program starts any thread.
    unsafe {
        mallopt(M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

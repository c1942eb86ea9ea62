//! How soon the allocator gives freed memory back to the system, set by phase.
//!
//! The binary's allocator is mimalloc (`src/main.rs`); its v3 keeps memory freed committed for
//! 1,000 ms before returning it (`mi_option_purge_delay`), which outlasts a whole monthly run.
//! During the tables that costs nothing. But the site, built after them, did not reuse what
//! they had freed, and its own reading back and rendering left garbage it did not reuse
//! either: the 1,000 + 1 run's peak RSS went from 80 MB at the end of the tables (42 MB of it
//! live) to 115-123 MB (`SECREG_PROFILE=1`'s peaks). Giving back what is free when the site
//! starts, and from then on within 10 ms (v2's default), put the peak at 94-97 MB for no more
//! CPU (paired runs; a 10 ms delay for the whole run did as well for 0.03-0.05 s more of
//! system time; the delay alone from the site on, or the collection alone, left 116-119 and
//! 103-105 MB). `MIMALLOC_PURGE_DELAY` set in the environment leaves it all as it says.

// mimalloc's C API, linked with the allocator (the `mimalloc` crate does not re-export it).
extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_collect(force: bool);
}

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// The delay (ms) from the site on.
const SITE_PURGE_DELAY_MS: std::ffi::c_long = 10;

/// [`purge_promptly`] before an ingest's site, unless the run of `files` files is small
/// ([`SMALL_RUN_FILES`]).
pub fn purge_before_the_site(files: usize) {
    if files >= SMALL_RUN_FILES {
        purge_promptly();
    }
}

/// Gives the memory free now back to the system, and from now on what is freed within 10 ms:
/// called before the site is built (a run's last phase), unless `MIMALLOC_PURGE_DELAY` is set.
pub fn purge_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: the setter of one of the allocator's options, and its collection of free
        // memory, both safe to call at any time (without mimalloc as the global allocator, in
        // the tests, they act on a heap nothing uses).
        unsafe {
            mi_option_set(MI_OPTION_PURGE_DELAY, SITE_PURGE_DELAY_MS);
            mi_collect(true);
        }
    }
}

/// A run of fewer files than this is left as it is: its site is small, and the collection
/// was 1.5 ms of a one-report run's 45 for a peak that run does not make. (A test of the
/// process's size instead, under 64 MB, also skipped it in a run of 150 cached reports and
/// one new, whose site then peaked at 71 MB, not 57.)
const SMALL_RUN_FILES: usize = 10;

//! Coarse timing spans of a run, printed to stderr when `SECREG_PROFILE=1`: where the
//! monthly run's time goes (`benches/monthly.sh`), without a profiler. A span in a worker
//! thread adds its time to the same total as the others (so a span's total can exceed the
//! wall clock with two jobs). Nothing is printed, and no output changes, without the variable.
//! With `SECREG_PROFILE=timeline`, each span is also printed where it started and ended on
//! the run's clock, and on which thread: what overlaps what (a span that waits on another
//! thread shows as a gap on its own).

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// When the run started (the first span, or [`start_clock`]).
static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Every span run, in the order ended, when a timeline is asked for: its name, start and end
/// (microseconds on the run's clock) and thread.
static TIMELINE: Mutex<Vec<(&'static str, u64, u64, String)>> = Mutex::new(Vec::new());

/// Starts the run's clock (the timeline's zero): called first thing in `main`.
pub fn start_clock() {
    EPOCH.get_or_init(Instant::now);
}

/// Whether `SECREG_PROFILE=timeline` asks for each span's place on the clock.
fn timeline() -> bool {
    static ASKED: OnceLock<bool> = OnceLock::new();
    *ASKED.get_or_init(|| std::env::var_os("SECREG_PROFILE").is_some_and(|v| v == "timeline"))
}

/// Spans by name, in the order first seen: total microseconds and count.
static SPANS: Mutex<Vec<(&'static str, u64, u64)>> = Mutex::new(Vec::new());

/// Whether `SECREG_PROFILE` asks for the spans.
pub fn enabled() -> bool {
    std::env::var_os("SECREG_PROFILE").is_some_and(|v| v != "0" && !v.is_empty())
}

/// Runs `f`, adding its time to the span `name`.
pub fn span<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    add(name, start);
    out
}

/// Adds the time since `start` to the span `name`.
pub fn add(name: &'static str, start: Instant) {
    let micros = start.elapsed().as_micros() as u64;
    if timeline() {
        let epoch = *EPOCH.get_or_init(|| start);
        let from = start.saturating_duration_since(epoch).as_micros() as u64;
        let thread = std::thread::current().name().unwrap_or("?").to_string();
        if let Ok(mut events) = TIMELINE.lock() {
            events.push((name, from, from + micros, thread));
        }
    }
    let Ok(mut totals) = SPANS.lock() else {
        return;
    };
    match totals.iter_mut().find(|(n, _, _)| *n == name) {
        Some((_, t, c)) => {
            *t += micros;
            *c += 1;
        }
        None => totals.push((name, micros, 1)),
    }
}

/// The process's peak RSS so far and its RSS then (kB) at each point marked, in order.
static PEAKS: Mutex<Vec<(&'static str, u64, u64)>> = Mutex::new(Vec::new());

/// Notes the process's peak RSS so far (`VmHWM`, Linux) as of the point `name`, when asked
/// for: the peak only grows, so the first point whose figure is the run's peak is the phase
/// that made it (the monthly run's 120 MB target).
pub fn peak(name: &'static str) {
    if !enabled() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |field: &str| -> Option<u64> {
        let v = status.lines().find_map(|l| l.strip_prefix(field))?;
        v.trim().trim_end_matches("kB").trim().parse().ok()
    };
    if let (Some(peak), Some(now), Ok(mut peaks)) = (kb("VmHWM:"), kb("VmRSS:"), PEAKS.lock()) {
        peaks.push((name, peak, now));
    }
}

/// Prints the spans to stderr, one a line (name, milliseconds, count), then the peaks
/// marked, when asked for.
pub fn print_if_enabled() {
    if !enabled() {
        return;
    }
    if let Ok(totals) = SPANS.lock() {
        for (name, micros, count) in totals.iter() {
            eprintln!(
                "secreg profile: {name:<30} {:>9.1} ms  x{count}",
                *micros as f64 / 1e3
            );
        }
    }
    if let (Ok(mut events), Some(epoch)) = (TIMELINE.lock(), EPOCH.get()) {
        eprintln!(
            "secreg timeline: printed at {:.1} ms",
            epoch.elapsed().as_micros() as f64 / 1e3
        );
        events.sort_by_key(|(_, from, _, _)| *from);
        // (Spans under 0.1 ms, a site's pages one by one, are left out.)
        for (name, from, to, thread) in events
            .iter()
            .filter(|(n, f, t, _)| t - f >= 100 || n.ends_with("started"))
        {
            eprintln!(
                "secreg timeline: {:>8.1} -> {:>8.1} ms  {name:<30} [{thread}]",
                *from as f64 / 1e3,
                *to as f64 / 1e3
            );
        }
    }
    if let Ok(peaks) = PEAKS.lock() {
        for (name, peak, now) in peaks.iter() {
            eprintln!(
                "secreg profile: peak RSS by {name:<22} {:>6.1} MB (RSS then {:.1} MB)",
                *peak as f64 / 1024.0,
                *now as f64 / 1024.0
            );
        }
    }
}

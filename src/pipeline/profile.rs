//! Coarse timing spans of a run, printed to stderr when `SECREG_PROFILE=1`: where the
//! monthly run's time goes (`benches/monthly.sh`), without a profiler. A span in a worker
//! thread adds its time to the same total as the others (so a span's total can exceed the
//! wall clock with two jobs). Nothing is printed, and no output changes, without the variable.

use std::sync::Mutex;
use std::time::Instant;

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

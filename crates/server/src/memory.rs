//! Memory figures for INFO memory, read from jemalloc's statistics (the
//! global allocator) and from /proc for RSS.

use tikv_jemalloc_ctl::{epoch, stats};

/// Refreshes jemalloc's cached statistics (they update only on an epoch bump).
fn refresh() {
    let _ = epoch::advance();
}

/// Bytes allocated by the process (Redis's used_memory).
pub fn allocated() -> usize {
    refresh();
    stats::allocated::read().unwrap_or(0)
}

/// jemalloc's (allocated, active, resident) bytes.
pub fn allocator_stats() -> (usize, usize, usize) {
    refresh();
    (stats::allocated::read().unwrap_or(0), stats::active::read().unwrap_or(0), stats::resident::read().unwrap_or(0))
}

/// Resident set size of this process in bytes.
pub fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<usize>().ok()))
        .map(|pages| pages * page_size())
        .unwrap_or(0)
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

/// Total physical memory in bytes.
pub fn total_system_memory() -> usize {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<usize>().ok())
        })
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

/// Redis's human form: `1.23M`, `512B`, `2.00G`.
pub fn human(n: u64) -> String {
    let f = n as f64;
    if n < 1024 {
        format!("{n}B")
    } else if f < 1024.0 * 1024.0 {
        format!("{:.2}K", f / 1024.0)
    } else if f < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", f / (1024.0 * 1024.0))
    } else if f < 1024.0f64.powi(4) {
        format!("{:.2}G", f / 1024.0f64.powi(3))
    } else {
        format!("{:.2}T", f / 1024.0f64.powi(4))
    }
}

//! Memory figures for INFO memory and maxmemory, read from jemalloc's
//! statistics (the global allocator) and from /proc for RSS.
//!
//! `stats.allocated` is exact but needs an epoch advance, which merges every
//! arena's counters: microseconds, too slow for the check that runs before
//! every command under maxmemory. [`used_fast`] instead adds to the last
//! exact figure the net bytes each thread has allocated since (jemalloc's
//! per-thread `thread.allocatedp`/`deallocatedp` counters, a plain load).
//! Threads publish their net change whenever they call it (always under the
//! store lock); the periodic task recalibrates against the exact figure, so
//! work done on threads that never publish (a FLUSHALL ASYNC dropper) is
//! seen within one cron period.

use std::cell::Cell;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use tikv_jemalloc_ctl::{epoch, stats, thread};

/// Exact allocated bytes at the last calibration.
static BASE: AtomicU64 = AtomicU64::new(0);
/// Net bytes published by threads since the last calibration.
static DELTA: AtomicI64 = AtomicI64::new(0);
/// Bytes that used_memory includes but maxmemory does not count (Redis's
/// freeMemoryGetNotCountedMemory: AOF buffer, replica output buffers,
/// replication backlog). Whoever owns such a buffer adds and subtracts its
/// size here.
pub static NOT_COUNTED_FOR_EVICT: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's jemalloc counters (None where unavailable).
    static COUNTERS: Option<(thread::ThreadLocal<u64>, thread::ThreadLocal<u64>)> =
        match (thread::allocatedp::read(), thread::deallocatedp::read()) {
            (Ok(a), Ok(d)) => Some((a, d)),
            _ => None,
        };
    /// Net bytes this thread had allocated when it last published.
    static PUBLISHED: Cell<i64> = const { Cell::new(i64::MIN) };
}

/// Adds this thread's net allocation since its last call to [`DELTA`].
fn publish() {
    COUNTERS.with(|c| {
        let Some((a, d)) = c else { return };
        let net = a.get().wrapping_sub(d.get()) as i64;
        PUBLISHED.with(|p| {
            let last = p.replace(net);
            if last != i64::MIN {
                DELTA.fetch_add(net.wrapping_sub(last), Ordering::Relaxed);
            }
        });
    });
}

/// used_memory, cheaply: the last exact figure plus what threads published
/// since. Call it with the store locked so calibration cannot interleave.
pub fn used_fast() -> u64 {
    publish();
    let base = BASE.load(Ordering::Relaxed);
    if base == 0 {
        return calibrate();
    }
    (base as i64).saturating_add(DELTA.load(Ordering::Relaxed)).max(0) as u64
}

/// used_memory exactly, as Redis counts it: bytes the program holds.
/// jemalloc's `stats.allocated` also counts freed blocks parked in the
/// threads' caches (tcache), which the per-thread counters, like Redis's
/// zmalloc counter, already count as freed; they are taken out here so the
/// exact and the fast figure agree.
pub fn used_exact() -> u64 {
    refresh();
    let allocated = stats::allocated::read().unwrap_or(0) as u64;
    // SAFETY: a size_t statistic read by its NUL-terminated name.
    let cached: usize = unsafe { tikv_jemalloc_ctl::raw::read(b"stats.arenas.4096.tcache_bytes\0") }.unwrap_or(0);
    allocated.saturating_sub(cached as u64)
}

/// Takes the exact figure and restarts [`used_fast`]'s running sum from it.
/// Returns it.
pub fn calibrate() -> u64 {
    publish();
    let exact = used_exact();
    BASE.store(exact.max(1), Ordering::Relaxed);
    DELTA.store(0, Ordering::Relaxed);
    CALIBRATED_US.store(mono_us(), Ordering::Relaxed);
    exact
}

/// Microseconds since the first call (a process-local monotonic clock).
fn mono_us() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_micros() as u64
}

/// When [`calibrate`] last ran, on [`mono_us`]'s clock.
static CALIBRATED_US: AtomicU64 = AtomicU64::new(0);

/// The exact figure if the last calibration is older than `max_age_us`,
/// else the fast one. Drift between calibrations is small and slow, so the
/// eviction check confirms exactly at most this often: under sustained
/// writes at the limit every write evicts, and an exact read on each would
/// cost several microseconds per write.
pub fn used_recent(max_age_us: u64) -> u64 {
    if mono_us().saturating_sub(CALIBRATED_US.load(Ordering::Relaxed)) >= max_age_us {
        calibrate()
    } else {
        used_fast()
    }
}

/// Releases unused dirty pages of every arena back to the system (MEMORY PURGE).
pub fn purge() -> bool {
    // "arena.<MALLCTL_ARENAS_ALL>.purge"; MALLCTL_ARENAS_ALL is 4096.
    // SAFETY: a void mallctl: NUL-terminated name, no input or output.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        ) == 0
    }
}

/// jemalloc's statistics report (MEMORY MALLOC-STATS).
pub fn malloc_stats() -> String {
    unsafe extern "C" fn write_cb(opaque: *mut std::ffi::c_void, text: *const std::ffi::c_char) {
        // SAFETY: `opaque` is the Vec passed below, alive for the call;
        // jemalloc passes NUL-terminated text.
        let out = unsafe { &mut *(opaque as *mut Vec<u8>) };
        out.extend_from_slice(unsafe { std::ffi::CStr::from_ptr(text) }.to_bytes());
    }
    let mut out: Vec<u8> = Vec::new();
    // SAFETY: the callback only appends to `out`, which outlives the call.
    unsafe {
        tikv_jemalloc_sys::malloc_stats_print(
            Some(write_cb),
            &mut out as *mut Vec<u8> as *mut std::ffi::c_void,
            std::ptr::null(),
        );
    }
    String::from_utf8_lossy(&out).into_owned()
}

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

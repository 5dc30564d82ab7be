//! Keeping used memory under `maxmemory`: the check the dispatcher runs
//! before every command (Redis's performEvictions in processCommand), the
//! OOM rule for deny-oom commands, and the background task that finishes an
//! eviction run that went over its time budget. Which key to evict is the
//! keyspace's business (`keyspace::evict`); this file decides when, and how
//! long one command may spend evicting.

use crate::memory;
use crate::server::{Shared, Store};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Eviction settings read on the hot path, and eviction status.
#[derive(Default)]
pub struct EvictState {
    /// `maxmemory` in bytes; 0 = no limit.
    pub maxmemory: AtomicU64,
    /// `maxmemory-eviction-tenacity` (0..=100).
    pub tenacity: AtomicU64,
    /// True while the background task is still evicting.
    pub running: AtomicBool,
    /// Whether the server was out of memory when the current EVAL, EVALSHA,
    /// FCALL or EXEC started (Redis's server.script_oom): scripts refuse
    /// deny-oom commands until their first write when this is set.
    pub script_oom: AtomicBool,
    /// Total microseconds spent over the limit, and the start of the
    /// current stretch (0 = under the limit), for INFO stats.
    pub exceeded_total_us: AtomicU64,
    pub exceeded_since_us: AtomicU64,
    /// Wakes the background eviction task.
    pub wakeup: tokio::sync::Notify,
}

/// Outcome of [`perform_evictions`], as Redis's EVICT_OK/RUNNING/FAIL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evict {
    /// Under the limit (or no limit).
    Ok,
    /// Over the limit, still evicting in the background: not OOM.
    Running,
    /// Over the limit and nothing (more) may be evicted: OOM.
    Fail,
}

/// How long one eviction run may take: Redis's curve, 50 us per step of
/// tenacity up to 10 (500 us at the default), then +15% per step, and no
/// limit at 100.
fn time_limit(tenacity: u64) -> Option<Duration> {
    if tenacity >= 100 {
        return None;
    }
    let us = if tenacity <= 10 { 50.0 * tenacity as f64 } else { 500.0 * 1.15f64.powi(tenacity as i32 - 10) };
    Some(Duration::from_micros(us as u64))
}

/// Memory counted against maxmemory, cheaply.
fn counted_memory() -> u64 {
    memory::used_fast().saturating_sub(memory::NOT_COUNTED_FOR_EVICT.load(Ordering::Relaxed))
}

/// How stale the fast figure may be when it decides to evict or to refuse.
const EXACT_MAX_AGE_US: u64 = 1000;

/// Memory counted against maxmemory, exact to within the last
/// [`EXACT_MAX_AGE_US`] (recalibrating [`counted_memory`] when older).
fn exact_counted() -> u64 {
    memory::used_recent(EXACT_MAX_AGE_US).saturating_sub(memory::NOT_COUNTED_FOR_EVICT.load(Ordering::Relaxed))
}

fn note_exceeded(st: &EvictState, over: bool) {
    let since = st.exceeded_since_us.load(Ordering::Relaxed);
    if over && since == 0 {
        st.exceeded_since_us.store(crate::server::now_us().max(1), Ordering::Relaxed);
    } else if !over && since != 0 {
        let d = crate::server::now_us().saturating_sub(since);
        st.exceeded_total_us.fetch_add(d, Ordering::Relaxed);
        st.exceeded_since_us.store(0, Ordering::Relaxed);
    }
}

/// Evicts keys by the configured policy until used memory is at most
/// `maxmemory`, for at most the tenacity time budget; past it the
/// background task continues and the command still runs. The store must
/// be locked (it is `store`).
pub fn perform_evictions(shared: &Shared, store: &mut Store) -> Evict {
    let st = &shared.evict;
    let max = st.maxmemory.load(Ordering::Relaxed);
    if max == 0 {
        return Evict::Ok;
    }
    if counted_memory() <= max {
        note_exceeded(st, false);
        return Evict::Ok;
    }
    // The fast figure may lag work done on other threads: decide on a
    // recent exact one before evicting or refusing anything.
    if exact_counted() <= max {
        note_exceeded(st, false);
        return Evict::Ok;
    }
    note_exceeded(st, true);
    let limit = time_limit(st.tenacity.load(Ordering::Relaxed)).map(|d| d.as_nanos() as u64);
    // The TSC clock the dispatcher times commands with: a few ns, no syscall.
    let start = crate::clock::stamp();
    let mut freed = 0u64;
    let mut verified = false;
    let result = loop {
        if store.ks.evict_one().is_none() {
            break Evict::Fail;
        }
        freed += 1;
        if counted_memory() <= max {
            // The running sum drifts from jemalloc's exact figure by what
            // other threads did; confirm once per run (at most every
            // EXACT_MAX_AGE_US) so the limit holds as INFO sees it.
            if verified || exact_counted() <= max {
                break Evict::Ok;
            }
            verified = true;
        }
        // Checking the clock every 16 keys, as Redis does, keeps it cheap.
        if freed.is_multiple_of(16) && limit.is_some_and(|l| start.nanos_until(crate::clock::stamp()) > l) {
            break Evict::Running;
        }
    };
    if freed > 0 {
        store.drain_ks_events();
    }
    match result {
        Evict::Running => {
            if !st.running.swap(true, Ordering::AcqRel) {
                st.wakeup.notify_one();
            }
        }
        Evict::Ok => note_exceeded(st, false),
        Evict::Fail => {}
    }
    result
}

/// Keeps evicting in short slices, releasing the lock between them, while
/// a run that hit its time budget has not reached the limit (Redis's
/// evictionTimeProc).
pub async fn background_task(shared: std::sync::Arc<Shared>) {
    loop {
        shared.evict.wakeup.notified().await;
        loop {
            let r = {
                let mut store = shared.store.lock();
                // Commands set the keyspace clock; between them it is ours to set.
                store.ks.set_now(crate::server::now_ms());
                perform_evictions(&shared, &mut store)
            };
            if r != Evict::Running {
                shared.evict.running.store(false, Ordering::Release);
                break;
            }
            tokio::task::yield_now().await;
        }
    }
}

/// Performs evictions if a limit is set and says whether the server is
/// out of memory (over `maxmemory` with nothing left to evict). The
/// dispatcher calls it before every command; a caller that needs the
/// answer elsewhere (scripts read [`EvictState::script_oom`] instead) may
/// call it with the store locked.
pub fn oom_check(shared: &Shared, store: &mut Store) -> bool {
    if shared.evict.maxmemory.load(Ordering::Relaxed) == 0 {
        return false;
    }
    perform_evictions(shared, store) == Evict::Fail
}

/// The OOM rule for a command a script runs (`redis.call`), as Redis's
/// scriptVerifyOOM: refused with [`errors::OOM`](crate::errors::OOM) when a
/// limit is set, the server was out of memory when the script (EVAL,
/// EVALSHA, FCALL, or the EXEC running it) started, the command is flagged
/// `denyoom`, the script has not written anything yet (it cannot be stopped
/// half-way), and it did not declare `allow-oom`.
///
/// Scripts that declare flags in a shebang are refused before they run
/// when `script_oom` is set unless they declare `allow-oom` or `no-writes`
/// (Redis then treats EVAL as a deny-oom command); the scripting layer
/// checks that with [`script_started_oom`].
pub fn script_call_allowed(
    shared: &Shared,
    deny_oom_cmd: bool,
    script_has_written: bool,
    allow_oom: bool,
) -> Result<(), crate::errors::CmdError> {
    if deny_oom_cmd && !allow_oom && !script_has_written && script_started_oom(shared) {
        return Err(crate::errors::OOM.into());
    }
    Ok(())
}

/// Whether the server was out of memory when the running EVAL, EVALSHA,
/// FCALL or EXEC passed the dispatcher (always false without a limit).
pub fn script_started_oom(shared: &Shared) -> bool {
    shared.evict.maxmemory.load(Ordering::Relaxed) != 0 && shared.evict.script_oom.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenacity_follows_redis_curve() {
        assert_eq!(time_limit(0), Some(Duration::ZERO));
        assert_eq!(time_limit(1), Some(Duration::from_micros(50)));
        assert_eq!(time_limit(10), Some(Duration::from_micros(500)));
        assert_eq!(time_limit(11), Some(Duration::from_micros(575)));
        assert!(time_limit(99).unwrap() > Duration::from_millis(100));
        assert_eq!(time_limit(100), None);
    }
}

//! Cheap time for the request path. Every command needs the wall clock (for
//! expiry) and a duration (stats, slow log, latency histograms); through the
//! vDSO those three `clock_gettime` calls cost over 10% of a pipelined
//! workload on our VMs. We read the TSC through `quanta` instead and derive
//! wall time from an offset that the periodic task re-syncs with the system
//! clock, so wall time never drifts by more than a tick.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

struct Clock {
    q: quanta::Clock,
    /// Raw counter value all readings are measured from.
    origin: u64,
    /// Unix µs at `origin`, as of the last sync.
    offset_us: AtomicI64,
}

fn clock() -> &'static Clock {
    static C: OnceLock<Clock> = OnceLock::new();
    C.get_or_init(|| {
        let q = quanta::Clock::new();
        let origin = q.raw();
        let c = Clock { q, origin, offset_us: AtomicI64::new(0) };
        sync_with(&c);
        c
    })
}

fn sync_with(c: &Clock) {
    let wall =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0);
    let since = (c.q.delta_as_nanos(c.origin, c.q.raw()) / 1000) as i64;
    c.offset_us.store(wall - since, Ordering::Relaxed);
}

/// Re-reads the system clock (call periodically).
pub fn sync() {
    sync_with(clock());
}

/// An opaque timestamp for measuring durations.
#[derive(Clone, Copy)]
pub struct Stamp(u64);

/// Now, as a [`Stamp`].
#[inline]
pub fn stamp() -> Stamp {
    Stamp(clock().q.raw())
}

impl Stamp {
    /// Nanoseconds from `self` to `later`.
    #[inline]
    pub fn nanos_until(self, later: Stamp) -> u64 {
        clock().q.delta_as_nanos(self.0, later.0)
    }

    /// Wall-clock Unix microseconds at this stamp.
    #[inline]
    pub fn unix_us(self) -> u64 {
        let c = clock();
        let since = (c.q.delta_as_nanos(c.origin, self.0) / 1000) as i64;
        (c.offset_us.load(Ordering::Relaxed) + since).max(0) as u64
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wall_time_tracks_the_system_clock() {
        // Set the clock up (TSC calibration takes a while on a busy machine)
        // before reading the system time it is compared with.
        let _ = super::stamp();
        let sys = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as i64;
        let ours = super::stamp().unix_us() as i64;
        assert!((ours - sys).abs() < 50_000, "{ours} vs {sys}");
        let a = super::stamp();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(a.nanos_until(super::stamp()) >= 4_000_000);
    }
}
